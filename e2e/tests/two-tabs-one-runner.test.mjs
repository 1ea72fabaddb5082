// Two 12306 tabs → one runner, one order (the same booking pressed in both tabs joins the running
// task); (e) the 12306 tab is closed while the order is in the queue → the background transport carries on
// and the task reports the order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loginWithQr, openQuery, choose, book, killWorker } from "../harness/flow.mjs";
import { panelState } from "../harness/panel.mjs";
import { DATE, ROUTE, inWorld, inventory } from "../harness/world.mjs";
import { assertOneOrder, extensionPage, gaps, queries, startSoldOut, until } from "./tasks-lib.mjs";

const taskRecords = (extPage) =>
  extPage.evaluate(async () =>
    Object.entries(await chrome.storage.local.get(null))
      .filter(([k]) => k.startsWith("task:"))
      .map(([, v]) => ({ id: v.id, state: v.state, orderId: v.orderId, lastVia: v.lastVia })),
  );

test("two 12306 tabs, the same booking pressed in both: one runner, one order", async () => {
  await inWorld("two-tabs", async ({ sim, browser, page }) => {
    const INTERVAL_S = 1;
    await startSoldOut({ sim, browser, page, intervalS: INTERVAL_S });
    const second = await browser.context.newPage();
    await openQuery(second, { ...ROUTE, date: DATE });
    await choose(second, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: INTERVAL_S });
    await book(second, "G2");
    const popup = await extensionPage(browser);
    await popup.waitForTimeout(500);
    const running = (await taskRecords(popup)).filter((t) => t.state === "running");
    assert.equal(running.length, 1, JSON.stringify(running));

    // One loop: over 6 s the queries keep one interval's spacing (two loops would halve the gaps).
    const since = Math.max(0, ...(await sim.requests()).map((r) => r.seq));
    await popup.waitForTimeout(6000);
    const spacing = gaps(await queries(sim, since));
    assert.ok(spacing.length >= 3, `${spacing.length + 1} queries in 6 s`);
    const mean = spacing.reduce((a, b) => a + b, 0) / spacing.length;
    assert.ok(mean >= INTERVAL_S * 800, `mean gap ${mean} ms: one loop (${spacing})`);

    await inventory(sim, { G2: { O: 30 } });
    await until(async () => (await taskRecords(popup)).some((t) => t.orderId), 60000, "the order");
    await popup.waitForTimeout(1000);
    const one = await assertOneOrder(sim);
    const records = await taskRecords(popup);
    assert.equal(records.filter((t) => t.orderId).length, 1, JSON.stringify(records));
    // Both panels follow the one task to its order.
    for (const tab of [page, second]) {
      const shown = await until(async () => (await panelState(tab)).orderId, 10000, "the order id in the panel");
      assert.equal(shown, one.id);
    }
  });
});

test("12306 tab closed while the order is queued: the background transport finishes it", async () => {
  await inWorld("close-tab", async ({ sim, browser, page }) => {
    await sim.control("/scenario", { queue_ms: 10000 });
    await inventory(sim, { G2: { O: 50 } });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });
    await book(page, "G2");
    await until(async () => (await sim.requests()).some((r) => String(r.path).includes("queryOrderWaitTime")), 30000, "the queue");
    const popup = await extensionPage(browser);
    await page.close();
    const closedAt = Date.now();
    const done = await until(async () => (await taskRecords(popup)).find((t) => t.orderId), 60000, "the order");
    const one = await assertOneOrder(sim);
    assert.equal(done.orderId, one.id);
    assert.equal(done.lastVia, "background", "the last requests went out from the background");
    const later = (await sim.requests()).filter((r) => r.t_ms > closedAt && /queryOrderWaitTime|resultOrder/.test(String(r.path)));
    assert.ok(later.length >= 1, "the queue was polled after the tab closed");
  });
});

test("an answer that never comes does not hold the task: it goes on after the request deadline and books", async () => {
  await inWorld("hung-request", async ({ sim, browser, page }) => {
    await startSoldOut({ sim, browser, page, intervalS: 1 });
    const popup = await extensionPage(browser);
    // The next query's answer takes 60 s (a stuck connection, or a tab the browser froze).
    await sim.control("/fault", { step: "query", kind: "latency", latency_ms: 60000, times: 1 });
    const stuckAt = Date.now();
    await until(async () => (await queries(sim)).filter((q) => q.t_ms > stuckAt + 14000).length >= 2, 40000, "queries after the deadline");
    await inventory(sim, { G2: { O: 30 } });
    const done = await until(async () => (await taskRecords(popup)).find((t) => t.orderId), 40000, "the order");
    const one = await assertOneOrder(sim);
    assert.equal(done.orderId, one.id);
    assert.ok(Date.now() - stuckAt < 60000, "booked before the stuck answer would have come");
  });
});

test("the same booking pressed again right after the worker was stopped: still one runner", async () => {
  await inWorld("kill-repress", async ({ sim, browser, page }) => {
    await startSoldOut({ sim, browser, page, intervalS: 1 });
    assert.ok((await killWorker(browser.context, page)) >= 1);
    // The press wakes a new worker, which has not restored the saved task yet when the message arrives.
    await book(page, "G2", { wait: false });
    const popup = await extensionPage(browser);
    await popup.waitForTimeout(3000);
    const records = await taskRecords(popup);
    assert.equal(records.length, 1, JSON.stringify(records));
    assert.equal(records[0].state, "running");
    const since = Math.max(0, ...(await sim.requests()).map((r) => r.seq));
    await popup.waitForTimeout(5000);
    const spacing = gaps(await queries(sim, since));
    const mean = spacing.reduce((a, b) => a + b, 0) / Math.max(1, spacing.length);
    assert.ok(spacing.length >= 2 && mean >= 800, `one loop: gaps ${spacing}`);
  });
});
