// a task stopped while its order sits in 12306's queue, then started again — from the popup, or by
// pressing 自动预订 for the same booking — must not forget that order: the saved machine resumes, asks the order
// list (queryMyOrderNoComplete) before anything else, and reports the queued order once it is out of the queue.
// Never a second submitOrderRequest or confirmSingleForQueue, never a second order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loginWithQr, openQuery, choose, book, outcome } from "../harness/flow.mjs";
import { panelState, untilPanelState } from "../harness/panel.mjs";
import { DATE, ROUTE, inWorld, inventory } from "../harness/world.mjs";
import { assertOneOrder, extensionPage, extensionState, lastSeq, until } from "./tasks-lib.mjs";

// Every request of the booking loop (the page's own calls, e.g. its login check, are not the task's).
const BOOKING = /\/otn\/(leftTicket\/(query|submitOrderRequest)|login\/checkUser|confirmPassenger\/|queryOrder\/)/;
const count = (requests, fragment) => requests.filter((r) => String(r.path).includes(fragment)).length;

/** Books G2 with a 15 s queue and stops the task from the popup while the order is queued. */
async function stopWhileQueued({ sim, browser, page }) {
  await sim.control("/scenario", { queue_ms: 15000 });
  await inventory(sim, { G2: { O: 50 } });
  await loginWithQr(browser.context, sim, page);
  await openQuery(page, { ...ROUTE, date: DATE });
  await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });
  await book(page, "G2");
  const taskId = (await panelState(page)).taskId;
  await until(async () => count(await sim.requests(), "queryOrderWaitTime") >= 1, 30000, "the order in the queue");
  const popup = await extensionPage(browser);
  const card = popup.locator(`li.task[data-id="${taskId}"]`);
  await card.locator("button.stop").click();
  const stopSeq = await lastSeq(sim);
  await until(async () => (await card.getAttribute("data-state")) === "stopped", 10000, "stopped in the popup");
  // Stopped while queued: the order is still in 12306's queue.
  assert.deepEqual((await sim.orders()).map((o) => o.status), ["queued"]);
  const stored = await popup.evaluate(async (key) => (await chrome.storage.local.get(key))[key], `task:${taskId}`);
  assert.equal(stored.status.orderMayExist, true, "the stopped record says an order may exist");
  // The stop does not just say 已停止: the panel warns with the link to the unfinished orders, a notification
  // says it, and the badge asks for a look.
  const panel = await untilPanelState(page, (s) => s.state === "stopped" && /订单可能已提交/.test(s.result), {
    what: "the stop-with-order warning in the panel",
  });
  assert.ok(panel.result.includes("查看未完成订单"), panel.result);
  const state = await until(async () => {
    const s = await extensionState(popup);
    return s.notifyLog.some((n) => n.kind === "stoppedWithOrder") ? s : null;
  }, 10000, "the stop-with-order notification");
  assert.equal(state.badge, "!");
  return { popup, card, taskId, stopSeq };
}

/**
 * After the stop (the stopped task follows its order by itself, runner.js follow()) and the restart: the order
 * list first (a queue check already on its way at the stop aside), only the queue and the order list after it,
 * and the one queued order reported; nothing was booked twice.
 */
async function assertResumedOrder(sim, stopSeq) {
  const order = await until(async () => (await sim.orders()).find((o) => o.status === "unpaid"), 60000, "the order out of the queue");
  const requests = await sim.requests();
  const after = requests.filter((r) => r.seq > stopSeq && BOOKING.test(String(r.path)));
  assert.ok(after.length > 0, "the task ran again");
  const first = after.find((r) => !String(r.path).endsWith("/queryOrderWaitTime"));
  assert.match(String(first?.path), /\/otn\/queryOrder\/queryMyOrderNoComplete$/, `first after the stop: ${after.map((r) => r.path).join(", ")}`);
  for (const r of after) assert.doesNotMatch(String(r.path), /leftTicket\/query|submitOrderRequest|confirmSingleForQueue/, r.path);
  assert.equal(count(requests, "submitOrderRequest"), 1, "one submitOrderRequest in total");
  assert.equal(count(requests, "confirmSingleForQueue"), 1, "one confirmSingleForQueue in total");
  assert.equal((await assertOneOrder(sim)).id, order.id);
  return order;
}

test("stopped while queued, restarted from the popup: the order list first, the same order, none duplicated", async () => {
  await inWorld("restart-popup", async ({ sim, browser, page }) => {
    const { card, taskId, stopSeq } = await stopWhileQueued({ sim, browser, page });
    await card.locator("button.start").click();
    const order = await assertResumedOrder(sim, stopSeq);
    const shown = await until(() => card.locator("dd.order").textContent().catch(() => ""), 30000, "the popup's order id");
    assert.equal(shown, order.id);
    assert.equal(await card.getAttribute("data-state"), "done");
    // The panel of the tab that started the task shows the same order.
    const result = await outcome(page, 30000);
    assert.equal(result.orderId, order.id);
    assert.equal((await panelState(page)).taskId, taskId);
  });
});

test("stopped while queued, 自动预订 pressed again for the same booking: resumes that task, not a new one", async () => {
  await inWorld("restart-press", async ({ sim, browser, page }) => {
    const { popup, card, taskId, stopSeq } = await stopWhileQueued({ sim, browser, page });
    // The same train, date, route and passenger: the press goes on with the stopped task.
    await book(page, "G2", { wait: false });
    const order = await assertResumedOrder(sim, stopSeq);
    const result = await outcome(page, 60000);
    assert.equal(result.orderId, order.id, result.log.join("\n"));
    assert.equal((await panelState(page)).taskId, taskId, "the same task");
    await until(async () => (await card.locator("dd.order").textContent().catch(() => "")) === order.id, 30000, "the popup's order id");
    const records = await popup.evaluate(async () => Object.keys(await chrome.storage.local.get(null)).filter((k) => k.startsWith("task:")));
    assert.deepEqual(records, [`task:${taskId}`], "no second task");
  });
});

test("stopped while queued: the panel and the popup's card say so once and opens 12306's unfinished orders, where the order is", async () => {
  await inWorld("stopped-popup-link", async ({ sim, browser, page }) => {
    const { card } = await stopWhileQueued({ sim, browser, page });
    // The panel too says it once: in the result line with its link, not again as the log's last line.
    const panel = await panelState(page);
    const inPanel = [...panel.log, panel.result].join("\n").split("订单可能已提交").length - 1;
    assert.equal(inPanel, 1, `the panel's warning once: ${JSON.stringify(panel.log.slice(-2))} / ${panel.result}`);
    const text = (await card.locator("dl").textContent()) || "";
    assert.equal(text.split("订单可能已提交").length - 1, 1, `the warning once, not as last answer and reason: ${text}`);
    const link = card.locator("button.unfinished");
    assert.equal(await link.textContent(), "查看未完成订单");
    const opened = browser.context.waitForEvent("page", { timeout: 10000 });
    await link.click();
    const list = await opened;
    await list.waitForLoadState();
    assert.equal(new URL(list.url()).pathname, "/otn/view/train_order.html");
    // No new request went to the booking steps: the link only opens 12306's own page.
    assert.deepEqual((await sim.orders()).map((o) => o.status).length, 1);
  });
});

test("stopped while queued and left alone: the order is followed to its end (queue and order list only) and reported as placed", async () => {
  await inWorld("stopped-followed", async ({ sim, browser, page }) => {
    const { card, taskId, stopSeq } = await stopWhileQueued({ sim, browser, page });
    const order = await until(async () => (await sim.orders()).find((o) => o.status === "unpaid"), 60000, "the order out of the queue");
    // The stopped task learns of it by itself: done with the order, its payment link and deadline.
    await until(async () => (await card.getAttribute("data-state")) === "done", 60000, "the followed order in the popup");
    assert.equal(await card.locator("dd.order").textContent(), order.id);
    const result = await outcome(page, 30000);
    assert.equal(result.orderId, order.id);
    assert.equal((await panelState(page)).taskId, taskId);
    // Nothing but the queue and the order list after the stop: no query, no submit, no second confirm.
    const after = (await sim.requests()).filter((r) => r.seq > stopSeq && BOOKING.test(String(r.path)));
    assert.ok(after.length > 0, "the order was followed");
    for (const r of after) assert.match(r.path, /\/otn\/(queryOrder\/queryMyOrderNoComplete|confirmPassenger\/(queryOrderWaitTime|resultOrderForDcQueue))$/, r.path);
    assert.equal((await assertOneOrder(sim)).id, order.id);
  });
});
