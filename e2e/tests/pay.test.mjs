// Payment: after an order, the panel's and the popup's live countdowns to the deadline, the badge tooltip with
// the minutes left, the reminder alarm a minute before the deadline, and the pay link: 12306's own order list
// (/otn/view/train_order.html, PROTOCOL.md §5.11), which the sim serves with the unpaid order on it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { book, outcome } from "../harness/flow.mjs";
import { click, panelEval } from "../harness/panel.mjs";
import { readyToBook } from "../harness/start.mjs";
import { inWorld, inventory } from "../harness/world.mjs";
import { extensionPage, extensionState, until } from "./tasks-lib.mjs";

test("an order: live pay countdowns in panel and popup, the tooltip's minutes, the reminder alarm, the pay link opens the sim's order list", async () => {
  await inWorld("pay", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 20 } });
    await readyToBook({ sim, browser, page }, { intervalS: 1 });
    await book(page, "G2");
    const result = await outcome(page, 60000);
    assert.equal(result.state, "done", `${result.text}\n${result.log.join("\n")}`);

    const payText = () => panelEval(page, (root) => root.querySelector("#kyfw-live dd.kyfw-pay")?.textContent || "");
    const first = await until(payText, 10000, "the panel's pay countdown");
    assert.match(first, /^\d\d:\d\d/);
    await page.waitForTimeout(2100);
    assert.notEqual(await payText(), first, "the countdown ticks");

    const popup = await extensionPage(browser);
    const card = popup.locator(`li.task[data-id="${result.taskId}"]`);
    const popupPay = await until(async () => (await card.locator("dd.pay").count()) && (await card.locator("dd.pay").textContent()), 10000, "the popup's pay countdown");
    assert.match(popupPay, /^\d\d:\d\d/);
    const state = await extensionState(popup);
    assert.match(state.title, new RegExp(`${result.orderId}.*还剩约 \\d+ 分钟`));
    const alarm = await popup.evaluate((id) => chrome.alarms.get(`kyfw-pay-${id}`), result.taskId);
    assert.ok(alarm, "the reminder alarm is set");
    const deadline = await popup.evaluate(async (id) => (await chrome.runtime.sendMessage({ type: "listTasks" })).tasks.find((t) => t.id === id).payBy, result.taskId);
    assert.ok(Math.abs(alarm.scheduledTime - (deadline.ms - 60000)) < 2000, `alarm at ${alarm.scheduledTime}, deadline ${deadline.ms}`);

    // The panel's pay link: a real click opens 12306's order list, which shows the unpaid order.
    const href = await panelEval(page, (root) => root.querySelector("#kyfw-result a")?.href);
    assert.equal(href, "https://kyfw.12306.cn/otn/view/train_order.html");
    const [orders] = await Promise.all([browser.context.waitForEvent("page", { timeout: 10000 }), click(page, "#kyfw-result a")]);
    await orders.waitForLoadState();
    assert.equal(new URL(orders.url()).pathname, "/otn/view/train_order.html");
    await orders.waitForFunction((id) => document.getElementById("order_list")?.textContent.includes(id), result.orderId, { timeout: 15000 });
  });
});
