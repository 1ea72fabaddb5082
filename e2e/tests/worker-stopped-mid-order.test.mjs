// the service worker is stopped while the order is in 12306's queue, or while the confirmation is
// on its way → a new worker resumes the saved machine and reports the same order; nothing is booked twice.
// The new worker is woken by the user opening the popup (the 30 s watchdog alarm is covered by resume.test.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loginWithQr, openQuery, choose, book, killWorker } from "../harness/flow.mjs";
import { DATE, ROUTE, inWorld, inventory } from "../harness/world.mjs";
import { assertOneOrder, extensionPage, until } from "./tasks-lib.mjs";

const seen = (sim, fragment) => async () => (await sim.requests()).some((r) => String(r.path).includes(fragment));

async function bookWithTickets({ sim, browser, page }) {
  await inventory(sim, { G2: { O: 50 } });
  await loginWithQr(browser.context, sim, page);
  await openQuery(page, { ...ROUTE, date: DATE });
  await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });
  await book(page, "G2");
}

/** Kills the worker, then opens the popup (which wakes a new one) and waits for it to show the order. */
async function killAndWatch({ sim, browser, page }) {
  const killedAt = Date.now();
  assert.ok((await killWorker(browser.context, page)) >= 1, "a worker was running");
  const popup = await extensionPage(browser);
  const order = await until(async () => (await sim.orders()).find((o) => o.status === "unpaid"), 60000, "the order out of the queue");
  const shown = await until(
    () => popup.evaluate(() => document.querySelector("li.task[data-state='done'] dd.order")?.textContent || ""),
    20000,
    "the popup's order id",
  );
  const origin = await browser.currentWorker().evaluate(() => performance.timeOrigin);
  assert.ok(origin > killedAt, "a new worker finished the task");
  return { order, shown };
}

test("worker stopped mid-queue: resumes, reports the same order, none duplicated", async () => {
  await inWorld("kill-queue", async ({ sim, browser, page }) => {
    await sim.control("/scenario", { queue_ms: 15000 });
    await bookWithTickets({ sim, browser, page });
    await until(seen(sim, "queryOrderWaitTime"), 30000, "the task in the queue");
    const { order, shown } = await killAndWatch({ sim, browser, page });
    const one = await assertOneOrder(sim);
    assert.equal(shown, one.id);
    assert.equal(order.id, one.id);
    assert.equal((await sim.requests()).filter((r) => String(r.path).includes("submitOrderRequest")).length, 1);
  });
});

test("worker stopped while the confirmation is on its way: no second confirmation, same order", async () => {
  await inWorld("kill-confirm", async ({ sim, browser, page }) => {
    // 12306 takes 6 s to answer the confirmation: the worker dies before the answer arrives.
    await sim.control("/scenario", { step_latency_ms: { confirmSingleForQueue: 6000 } });
    await bookWithTickets({ sim, browser, page });
    await until(seen(sim, "confirmSingleForQueue"), 30000, "the confirmation sent");
    const { shown } = await killAndWatch({ sim, browser, page });
    const one = await assertOneOrder(sim);
    assert.equal(shown, one.id);
  });
});
