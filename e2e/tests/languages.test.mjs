// The user's language over the screens a user visits (the query page's panel with a placed order and a task
// waiting beside it, the popup, the options page with a refused input), in Chinese and in English: no English
// in the Chinese UI, no Chinese UI strings in the English one (12306's own texts, passenger and station names
// excepted), nothing cut off. With SAVE_SCREENSHOTS=1 (./build.sh demo) the screens are saved to
// docs/screenshots/ for the README.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { book, dateIn, outcome, prepare, screenshot } from "../harness/flow.mjs";
import { click, fill, panelEval, untilPanel } from "../harness/panel.mjs";
import { readyToBook } from "../harness/start.mjs";
import { inWorld, inventory } from "../harness/world.mjs";
import { extensionPage, until } from "./tasks-lib.mjs";

const SHOTS = resolve(dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots");
// Names the user's account and the route bring (shown as they are in any language).
const NAMES = ["张三", "李四", "王小五", "张小宝", "陈同学", "上海虹桥", "北京南"];
const CJK = /[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]/;

/**
 * The text a user reads in `root` (an element or shadow root), as lines: what is rendered, without 12306's own
 * words (<q lang=zh-CN>, marked so by the panel and the popup), with the selected option of every <select>.
 * Runs in the page.
 */
function readable(root) {
  const lines = [];
  const skip = (el) => el.closest("q, script, style, [hidden], option") || getComputedStyle(el).display === "none";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || skip(el)) continue;
    const text = node.textContent.trim();
    if (text) lines.push(text);
  }
  for (const select of root.querySelectorAll("select")) {
    if (!skip(select) && select.selectedOptions[0]) lines.push(select.selectedOptions[0].textContent.trim());
  }
  for (const el of root.querySelectorAll("[title], [aria-label], input[placeholder]")) {
    for (const attr of ["title", "aria-label", "placeholder"]) if (el.getAttribute(attr)) lines.push(el.getAttribute(attr));
  }
  return lines;
}

/**
 * What is cut off in `root`: a <select> narrower than its chosen text, an element whose text overflows a box
 * that hides the rest, a text ending in the ellipsis of a clipped string. Runs in the page.
 */
function cutOff(root) {
  const out = [];
  for (const select of root.querySelectorAll("select")) {
    // Not shown at all (inside a hidden part, e.g. the 候补 deadline while 候补 is off): nothing is cut off.
    if (select.getClientRects().length === 0) continue;
    // The chosen option's text, in the select's font, beside the arrow (about 20 px with the padding).
    const probe = document.createElement("span");
    probe.style.cssText = `font: ${getComputedStyle(select).font}; white-space: pre; position: fixed; visibility: hidden;`;
    probe.textContent = select.selectedOptions[0]?.textContent || "";
    (root.host ? root : document.body).append(probe);
    const needed = probe.getBoundingClientRect().width + 20;
    probe.remove();
    if (needed > select.clientWidth + 1) out.push(`select ${select.className}: ${probe.textContent} needs ${Math.ceil(needed)}px, has ${select.clientWidth}px`);
  }
  for (const el of root.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    const hides = ["hidden", "clip"].includes(style.overflowX) || style.textOverflow === "ellipsis";
    if (hides && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) out.push(`${el.tagName}#${el.id}.${el.className}: ${el.textContent.slice(0, 60)}`);
  }
  return out;
}

/** Asserts the lines are in `locale` only (names and 12306's texts excepted). */
function assertLanguage(lines, locale, where) {
  const bad = [];
  for (const line of lines) {
    let rest = line;
    for (const name of NAMES) rest = rest.split(name).join(" ");
    if (locale === "en") {
      if (CJK.test(rest)) bad.push(line);
    } else {
      // Codes, numbers and 12306's name are not English: train codes, order numbers, masked IDs, "12306", "JSON".
      rest = rest.replace(/\b(?:[GCDZTKEY]\d+|\d[\d*Xx]*|12306|JSON)\b/g, " ");
      if (/[A-Za-z]{2,}/.test(rest)) bad.push(line);
    }
  }
  assert.deepEqual(bad, [], `${where} (${locale}): lines not in the UI's language`);
}

for (const locale of ["zh", "en"]) {
  test(`${locale}: panel, popup and options speak the user's language, nothing cut off`, async () => {
    await inWorld(
      `languages-${locale}`,
      async ({ sim, browser, page }) => {
        await inventory(sim, { G2: { O: 0 }, G4: { O: 20 } });
        await readyToBook({ sim, browser, page }, { intervalS: 1 });
        await book(page, "G4");
        const done = await outcome(page, 60000);
        assert.equal(done.state, "done", `${done.text}\n${done.log.join("\n")}`);
        // A second task beside it, waiting for G2's tickets; then the order is looked at again.
        await book(page, "G2");
        await untilPanel(page, (root) => root.querySelector("#kyfw-live dd.kyfw-next"), null, { what: "the waiting task's countdown" });
        await page.waitForTimeout(1500);
        await fill(page, "#kyfw-interval", "0");
        await untilPanel(page, (root) => root.getElementById("kyfw-interval-error").textContent, null, { what: "the interval's reason" });

        const panelLines = await panelEval(page, (root, fns) => eval(`(${fns.readable})`)(root), { readable: readable.toString() });
        assertLanguage(panelLines, locale, "the panel (waiting task)");
        const panelCut = await panelEval(page, (root, fns) => eval(`(${fns.cutOff})`)(root), { cutOff: cutOff.toString() });
        assert.deepEqual(panelCut, [], "the panel: nothing cut off");
        if (process.env.SAVE_SCREENSHOTS) {
          mkdirSync(SHOTS, { recursive: true });
          await page.evaluate(() => window.scrollTo(0, 0));
          await page.screenshot({ path: resolve(SHOTS, `panel-${locale}.png`) });
        }
        // The placed order selected (a real click on it in the task list): its summary, pay countdown and link.
        await click(page, `#kyfw-tasks li[data-id="${done.taskId}"]`);
        await untilPanel(page, (root) => root.querySelector("#kyfw-live dd.kyfw-pay"), null, { what: "the order's pay countdown" });
        const doneLines = await panelEval(page, (root, fns) => eval(`(${fns.readable})`)(root), { readable: readable.toString() });
        assertLanguage(doneLines, locale, "the panel (placed order)");

        // A task being prepared with its "more options" fold open: a date past the pre-sale window (marked as
        // scheduled) and a departure window the core refused, with its reason at the field.
        await prepare(page, "G6");
        await click(page, "#kyfw-options > summary");
        await panelEval(page, (root, d) => (root.getElementById("kyfw-date-new").value = d), dateIn(20));
        await click(page, "#kyfw-date-add");
        await fill(page, "#kyfw-depart-after", "18:00");
        await fill(page, "#kyfw-depart-before", "08:00");
        await click(page, "#kyfw-start");
        await untilPanel(page, (root) => root.getElementById("kyfw-window-error").textContent, null, { what: "the window's reason" });
        const draftLines = await panelEval(page, (root, fns) => eval(`(${fns.readable})`)(root), { readable: readable.toString() });
        assertLanguage(draftLines, locale, "the panel (more options)");
        assert.deepEqual(await panelEval(page, (root, fns) => eval(`(${fns.cutOff})`)(root), { cutOff: cutOff.toString() }), [], "the options: nothing cut off");
        await click(page, "#kyfw-draft-clear");

        const popup = await extensionPage(browser);
        await popup.setViewportSize({ width: 420, height: 900 });
        await until(async () => (await popup.locator("li.task").count()) === 2, 10000, "both tasks in the popup");
        await popup.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
        await popup.waitForTimeout(300);
        assertLanguage(await popup.evaluate((fn) => eval(`(${fn})`)(document.body), readable.toString()), locale, "the popup");
        assert.deepEqual(await popup.evaluate((fn) => eval(`(${fn})`)(document.body), cutOff.toString()), [], "the popup: nothing cut off");

        const options = await extensionPage(browser, "options/options.html");
        await options.fill("#interval", "0");
        await options.locator("#interval").press("Tab");
        await until(async () => (await options.textContent("#interval-error")) || null, 5000, "the options page's reason");
        await options.fill("#import-text", "{");
        await options.click("#import");
        await until(async () => (await options.textContent("#import-result")) || null, 5000, "the import's reason");
        assertLanguage(await options.evaluate((fn) => eval(`(${fn})`)(document.body), readable.toString()), locale, "the options page");
        assert.deepEqual(await options.evaluate((fn) => eval(`(${fn})`)(document.body), cutOff.toString()), [], "options: nothing cut off");

        if (process.env.SAVE_SCREENSHOTS) {
          await popup.locator("body").screenshot({ path: resolve(SHOTS, `popup-${locale}.png`) });
          await options.setViewportSize({ width: 960, height: 640 });
          await options.screenshot({ path: resolve(SHOTS, `options-${locale}.png`), fullPage: true });
        } else {
          await screenshot(page, `languages-${locale}-panel`);
        }
      },
      { locale },
    );
  });
}
