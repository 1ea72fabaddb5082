// Inputs: a bad query interval is refused with its reason at the field, in the panel and on the options page by
// the same rule (the core's checkInterval), and never rewritten silently: the field keeps what was typed and the
// last accepted interval stays in use.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loginWithQr, openQuery } from "../harness/flow.mjs";
import { fill, panelEval, untilPanel } from "../harness/panel.mjs";
import { DATE, ROUTE, inWorld } from "../harness/world.mjs";
import { extensionPage, until } from "./tasks-lib.mjs";

const panelField = (page) =>
  panelEval(page, (root) => {
    const field = root.getElementById("kyfw-interval");
    return { value: field.value, invalid: field.getAttribute("aria-invalid"), error: root.getElementById("kyfw-interval-error").textContent };
  });

const stored = (ext) => ext.evaluate(async () => (await chrome.storage.local.get("panelSettings")).panelSettings?.intervalS ?? null);

test("a bad interval is refused at the field with the same reason in the panel and the options page", async () => {
  await inWorld("inputs", async ({ sim, browser, page }) => {
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await untilPanel(page, (root) => root.querySelectorAll("#kyfw-passengers li").length > 0, null, { what: "the panel" });
    const options = await extensionPage(browser, "options/options.html");

    await fill(page, "#kyfw-interval", "2");
    await until(async () => (await stored(options)) === 2, 5000, "the accepted interval stored");

    /** @type {Record<string, string>} */
    const said = {};
    for (const [typed, why] of [
      ["0", /至少 1 秒/],
      ["61", /最多 60 秒/],
      ["abc", /须是数字/],
    ]) {
      await fill(page, "#kyfw-interval", typed);
      const field = await until(async () => {
        const f = await panelField(page);
        return f.error ? f : null;
      }, 5000, `the panel's reason for ${typed}`);
      assert.match(field.error, why);
      assert.equal(field.value, typed, "the field keeps what was typed");
      assert.equal(field.invalid, "true");
      assert.equal(await stored(options), 2, "the last accepted interval stays");
      said[typed] = field.error;
    }
    await fill(page, "#kyfw-interval", "1.5");
    await until(async () => (await panelField(page)).error === "" && (await stored(options)) === 1.5, 5000, "1.5 s accepted");

    // The options page: the same rule, the same words.
    for (const typed of ["0", "61", "abc"]) {
      await options.fill("#interval", typed);
      await options.locator("#interval").press("Tab");
      const error = await until(async () => (await options.textContent("#interval-error")) || null, 5000, `the options page's reason for ${typed}`);
      assert.equal(error, said[typed]);
      assert.equal(await options.getAttribute("#interval", "aria-invalid"), "true");
      assert.equal(await stored(options), 1.5);
    }
    await options.fill("#interval", "4");
    await options.locator("#interval").press("Tab");
    await until(async () => (await stored(options)) === 4, 5000, "4 s accepted on the options page");
    assert.equal(await options.textContent("#interval-error"), "");
  });
});
