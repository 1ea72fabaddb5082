// The real 12306 of 2025–2026, played by sim12306 (PROTOCOL.md §1.3, §3.1): a query path renamed mid-task and
// answered by an HTTP 302, and a booking session that lapses while the task waits for tickets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inWorld, inventory, requestsTo } from "../harness/world.mjs";
import { assertOneOrder, extensionPage, extensionState, startSoldOut, until } from "./tasks-lib.mjs";

test("the query path is renamed mid-task and a stale name is answered by a 302: the task follows it and books", async () => {
  await inWorld("real-query-redirect", async ({ sim, browser, page }) => {
    // PROTOCOL.md §3.1: in 2026 a stale query name is answered by a 302 to the current one.
    await sim.control("/scenario", {
      query_redirect: true,
      query_path_changes: [{ after_ms: 20000, path: "queryZ" }],
    });
    await startSoldOut({ sim, browser, page, intervalS: 1 });
    // The rename: the next query to queryG gets the 302, the tab follows it to queryZ.
    await until(async () => (await requestsTo(sim, "/otn/leftTicket/queryZ")).length >= 3, 40000, "queries at queryZ");
    const redirected = (await requestsTo(sim, "/otn/leftTicket/queryG")).filter((r) => r.status === 302);
    assert.ok(redirected.length >= 1, "the stale name was answered by a redirect");
    const renamedAt = Math.max(...redirected.map((r) => r.seq));
    // After the redirect the task asks the new name directly: at most one more stale query (in flight then).
    const staleAfter = (await requestsTo(sim, "/otn/leftTicket/queryG")).filter((r) => r.seq > renamedAt + 1);
    assert.equal(staleAfter.length, 0, "the new path was adopted");
    await inventory(sim, { G2: { O: 20 } });
    await until(async () => (await sim.orders()).length > 0, 30000, "the order");
    await assertOneOrder(sim);
  });
});

test("the booking session lapses while the task waits 15 minutes (sim clock): it is renewed silently and books", async () => {
  await inWorld("real-session-lapse", async ({ sim, browser, page }) => {
    // PROTOCOL.md §1.3: the /otn session lapses after ~10 idle minutes while the passport login stays valid.
    await sim.control("/scenario", { otn_idle_ms: 600000 });
    await startSoldOut({ sim, browser, page, intervalS: 1 });
    const popup = await extensionPage(browser);
    // 15 minutes pass on 12306's clock: queries still work (they need no login), the booking session is gone.
    await sim.control("/clock", { offset_ms: 15 * 60 * 1000 });
    const sessions = await sim.control("/sessions");
    assert.ok(sessions.otn.some((s) => s.lapsed), JSON.stringify(sessions));
    await inventory(sim, { G2: { O: 20 } });
    await until(async () => (await sim.orders()).length > 0, 40000, "the order after the renewal");
    await assertOneOrder(sim);
    // The chain the passport page runs, then the booking went on, and the user was never asked to log in.
    assert.ok((await requestsTo(sim, "/passport/web/auth/uamtk")).length >= 1, "uamtk");
    assert.ok((await requestsTo(sim, "/otn/uamauthclient")).length >= 1, "uamauthclient");
    const state = await extensionState(popup);
    assert.ok(!state.notifyLog.some((n) => n.kind === "needsUser"), JSON.stringify(state.notifyLog));
  });
});
