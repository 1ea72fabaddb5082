// Several tasks on the user's one 12306 session never flood it (ARCHITECTURE.md §1.1 rule 3, "per session"): four
// tasks on the same sold-out route at a 1 s interval, started as the panel starts them, share the core's session
// pacer in the worker. Asserted on sim12306's request log: the session's queries in any 10 s stay within what a
// query every 800 ms allows (13), all its requests within 30; then G2 gets tickets and its task books, one order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DATE, inWorld, inventory } from "../harness/world.mjs";
import { loggedIn, specFor, startTask, taskRecords } from "../harness/opening.mjs";
import { lastSeq, until } from "../harness/start.mjs";

const TRAINS = ["G2", "G4", "G6", "G8"];
const WINDOW_MS = 10000;
// 10 s at one query per 800 ms at most, the first one included.
const MAX_QUERIES = 13;
const MAX_REQUESTS = 30;
const WATCH_MS = 20000;

const isQuery = (r) => /^\/otn\/leftTicket\/query/.test(String(r.path || ""));
// The tasks' requests: everything under /otn except the page's own files and navigations.
const isTasks = (r) => /^\/otn\//.test(String(r.path || "")) && !/^\/otn\/(resources\/|leftTicket\/init)/.test(String(r.path || ""));

/** The most of `requests` in any 10 s. */
function busiest(requests) {
  let most = 0;
  for (let i = 0, j = 0; i < requests.length; i++) {
    while (requests[j].t_ms <= requests[i].t_ms - WINDOW_MS) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

test("four tasks on one sold-out route at 1 s: the session stays within the bound, and one books when tickets come", async () => {
  await inWorld("session-rate", async ({ sim, browser, page }) => {
    // Sold out on all four trains.
    await inventory(sim, Object.fromEntries(TRAINS.map((t) => [t, { O: 0, M: 0, 9: 0 }])));
    await loggedIn(browser, sim, page);
    const since = await lastSeq(sim);
    for (const train of TRAINS) await startTask(browser, specFor(train, DATE, 1000));
    await page.waitForTimeout(WATCH_MS);
    const running = (await taskRecords(browser)).filter((r) => r.state === "running");
    assert.equal(running.length, TRAINS.length, "four tasks run side by side");
    const watched = (await sim.requests()).filter((r) => r.seq > since && isTasks(r));
    const queries = watched.filter(isQuery);
    const q = busiest(queries);
    const all = busiest(watched);
    assert.ok(queries.length >= 15, `the tasks query (${queries.length} in ${WATCH_MS / 1000} s)`);
    assert.ok(q <= MAX_QUERIES, `${q} queries in one 10 s window (at most ${MAX_QUERIES})`);
    assert.ok(all <= MAX_REQUESTS, `${all} requests in one 10 s window (at most ${MAX_REQUESTS})`);
    // Tickets come on G2: its task books, the session still within the bound.
    const released = await lastSeq(sim);
    await inventory(sim, { G2: { O: 50 } });
    await until(async () => (await sim.orders()).length > 0, 30000, "an order");
    const booked = await until(
      async () => (await taskRecords(browser)).find((r) => r.state === "done"),
      30000,
      "the G2 task done",
    );
    assert.equal(booked.train, "G2");
    assert.equal((await sim.orders()).length, 1, "one order");
    const after = (await sim.requests()).filter((r) => r.seq > since && isTasks(r));
    assert.ok(busiest(after.filter(isQuery)) <= MAX_QUERIES, "queries within the bound throughout");
    const submit = after.find((r) => r.seq > released && String(r.path).endsWith("/submitOrderRequest"));
    const confirm = after.find((r) => r.seq > released && String(r.path).endsWith("/confirmSingleForQueue"));
    assert.ok(submit && confirm, "the order went through submit and confirm");
    console.log(
      `session: ${queries.length} queries in ${WATCH_MS / 1000} s, busiest 10 s ${q} queries / ${all} requests; ` +
        `submit→confirm ${confirm.t_ms - submit.t_ms} ms`,
    );
  });
});
