// The sale's countdown (the sale-opening issue: "the countdown is shown"): a task for a train whose sale opens in
// a few minutes waits, and the panel and the popup count down to the opening live, from the core's
// Status.opensAtLocal, with the time of day it opens.
import { test } from "node:test";
import assert from "node:assert/strict";
import { book, choose, loginWithQr, openQuery } from "../harness/flow.mjs";
import { panelEval, untilPanel } from "../harness/panel.mjs";
import { ROUTE, inWorld } from "../harness/world.mjs";
import { extensionPage, until } from "./tasks-lib.mjs";

const seconds = (text) => {
  const m = /(\d+):(\d\d)/.exec(text || "");
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

test("a task waiting for its sale: the panel and the popup count down to the opening", async () => {
  await inWorld("sale-countdown", async ({ sim, browser, page }) => {
    await sim.control("/scenario", { sale_opening: { after_ms: 180000, trains: ["G2"], seats: { O: 20 }, crowd_per_s: 0 } });
    const { sale_opening: opening } = await sim.control("/health");
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: opening.date });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });
    await book(page, "G2");

    const read = () => panelEval(page, (root) => root.querySelector("#kyfw-live dd.kyfw-opens")?.textContent || "");
    const first = await until(read, 30000, "the panel's countdown to the opening");
    const left = seconds(first);
    assert.ok(left > 60 && left <= 240, `about 3 minutes left: ${first}`);
    const opensAt = new Date(opening.at_ms);
    // The time of day on 12306's clock (the sim's), to the second.
    const hhmmss = [opensAt.getHours(), opensAt.getMinutes(), opensAt.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
    assert.ok(first.includes(hhmmss), `says when it opens (${hhmmss}): ${first}`);
    await page.waitForTimeout(2200);
    const later = seconds(await read());
    assert.ok(later < left && later >= left - 4, `it ticks: ${left} → ${later}`);
    const state = await panelEval(page, (root) => root.querySelector("#kyfw-summary dd.kyfw-sum-state")?.textContent);
    assert.equal(state, "等票中");

    const popup = await extensionPage(browser);
    const opens = await until(async () => ((await popup.locator("li.task dd.opens").count()) ? popup.locator("li.task dd.opens").textContent() : null), 10000, "the popup's countdown");
    assert.ok(seconds(opens) > 60, opens);
    await untilPanel(page, (root) => root.querySelector("#kyfw-live dd.kyfw-opens"), null, { what: "still counting" });
  });
});
