// the class is sold out, the user starts a task and switches to another tab; tickets come 20 s
// later → booked within one query interval, a notification is shown (with the chime) and the badge says an
// order waits for payment. The query loop keeps its interval while the 12306 tab is in the background
// (the loop's timers are the background's, not the tab's).
import { test } from "node:test";
import assert from "node:assert/strict";
import { DATE, inWorld } from "../harness/world.mjs";
import { assertOneOrder, extensionState, gaps, queries, startSoldOut, switchAway, until } from "./tasks-lib.mjs";

const INTERVAL_S = 2;

test("sold out, user on another tab, tickets released 20 s later: booked within one interval, notified, badge", async () => {
  await inWorld("notify", async ({ sim, browser, page }) => {
    await startSoldOut({ sim, browser, page, intervalS: INTERVAL_S });

    // The user goes on browsing: another tab comes to the front and the 12306 tab is hidden.
    const { other: popup, kyfwActive } = await switchAway(browser);
    assert.equal(kyfwActive, false, "the 12306 tab is in the background");
    const hiddenAt = Date.now();
    const releaseAt = Date.now() + 20000;
    await sim.control("/release", { date: DATE, train: "G2", seat: "O", count: 20, after_ms: 20000 });

    const order = await until(async () => (await sim.orders())[0], 60000, "the order");
    await assertOneOrder(sim);
    assert.equal(order.train, "G2");

    // Within one interval: the first query after the release saw the tickets and the booking went on from it.
    const all = await queries(sim);
    const after = all.filter((q) => q.t_ms >= releaseAt - 300);
    assert.ok(after.length >= 1, "a query after the release");
    const waited = after[0].t_ms - releaseAt;
    assert.ok(waited <= INTERVAL_S * 1000 * 1.2 + 800, `first query ${waited} ms after the release (interval ${INTERVAL_S} s)`);
    const submit = (await sim.requests()).find((r) => String(r.path).includes("submitOrderRequest"));
    assert.ok(submit && submit.t_ms >= after[0].t_ms, "submitted after that query");

    // The hidden tab did not slow the loop down: the queries before the release kept the interval (±20 % jitter).
    const before = all.filter((q) => q.t_ms > hiddenAt && q.t_ms < releaseAt - 300);
    assert.ok(before.length >= 5, `${before.length} queries while hidden`);
    const spacing = gaps(before);
    for (const gap of spacing) {
      assert.ok(gap >= INTERVAL_S * 800 - 300 && gap <= INTERVAL_S * 1200 + 1000, `query gap ${gap} ms (${spacing})`);
    }

    // Notification (recorded by the background and present in chrome.notifications), chime, badge.
    const state = await until(async () => {
      const s = await extensionState(popup);
      return s.notifyLog.some((n) => n.kind === "orderPlaced") ? s : null;
    }, 10000, "the notification record");
    const task = state.tasks.find((t) => t.orderId);
    assert.ok(task, JSON.stringify(state.tasks));
    assert.equal(task.orderId, order.id);
    const note = state.notifyLog.find((n) => n.kind === "orderPlaced");
    assert.equal(note.shown, "shown", JSON.stringify(note));
    assert.match(note.message, new RegExp(order.id));
    assert.equal(note.sound, "played", JSON.stringify(note));
    assert.ok(state.notifications.includes(`kyfw-${task.id}`), `notifications: ${state.notifications}`);
    assert.equal(state.badge, state.badgePay, `badge ${state.badge}`);
    assert.match(state.title, new RegExp(order.id));
    console.log(`first query ${waited} ms after the release; gaps ${spacing}`);
  });
});
