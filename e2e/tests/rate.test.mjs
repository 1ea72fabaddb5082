// Never a flood, never two orders, never a lost one — checked in the browser against sim12306's request log:
// (a) every submitOrderRequest answers 车票信息已过期 (the sim's stale-ticket scenario), (b) the confirm answers
// 系统繁忙 every time, unprocessed or processed, (c) the confirm is processed and its connection dropped (Chromium
// may silently resend it once: PROTOCOL.md §5.8 "one fetch, two confirms"). In each: no two queries closer than
// half the task's interval, never more than 40 requests in any 10 s; no order in (a), exactly one in (c) and in
// the processed variant of (b), reported by the task. New orders reach 12306's own checks (unfinished-order
// refusal, order list, queue) only a few seconds after they were created, as under load
// (`order_visible_after_ms`), so a task that resubmits too early books twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { book, outcome } from "../harness/flow.mjs";
import { readyToBook, until } from "../harness/start.mjs";
import { DATE, inWorld } from "../harness/world.mjs";

const INTERVAL_S = 1;
// How long each situation is watched: long enough for loops and back-offs to show, short enough for CI.
const WATCH_MS = 20000;
const WINDOW_MS = 10000;
const MAX_IN_WINDOW = 40;
const VISIBLE_AFTER_MS = 5000;

const isQuery = (r) => /^\/otn\/leftTicket\/query/.test(String(r.path));
// The task's requests: everything under /otn after the press except the page's own files and navigations.
const isTasks = (r) => /^\/otn\//.test(String(r.path)) && !/^\/otn\/(resources\/|leftTicket\/init)/.test(String(r.path));
const count = (requests, fragment) => requests.filter((r) => String(r.path).includes(fragment)).length;

/** The task's requests after `since`: [{seq, t_ms, path, status}…] in order. */
async function tasksRequests(sim, since) {
  return (await sim.requests()).filter((r) => r.seq > since && isTasks(r));
}

/** Asserts the rate rules on `requests`; returns a one-line summary for the test's output. */
function assertRate(requests, intervalMs) {
  const queries = requests.filter(isQuery);
  const gaps = queries.slice(1).map((q, i) => q.t_ms - queries[i].t_ms);
  const closest = Math.min(...gaps);
  assert.ok(
    gaps.every((g) => g >= intervalMs / 2),
    `queries closer than half the interval (${intervalMs / 2} ms): gaps ${gaps.join(", ")} ms`,
  );
  let busiest = 0;
  for (let i = 0, j = 0; i < requests.length; i++) {
    while (requests[j].t_ms <= requests[i].t_ms - WINDOW_MS) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  const paths = requests.map((r) => String(r.path).replace(/^\/otn\//, "")).join(" ");
  assert.ok(busiest <= MAX_IN_WINDOW, `${busiest} requests in one ${WINDOW_MS / 1000} s window (at most ${MAX_IN_WINDOW}): ${paths.slice(0, 1500)}`);
  return `${requests.length} requests, ${queries.length} queries, closest queries ${Number.isFinite(closest) ? closest : "-"} ms, busiest ${WINDOW_MS / 1000} s: ${busiest}`;
}

/** Loads `scenario` (resets the sim), gives G2 tickets, books G2 for 张三 at INTERVAL_S; resolves to the seq before the press. */
async function pressG2(world, scenario) {
  await world.sim.control("/scenario", { ...scenario, inventory: [{ date: DATE, train: "G2", seat: "O", count: 50 }] });
  const since = await readyToBook(world, { intervalS: INTERVAL_S });
  await book(world.page, "G2");
  return since;
}

test("(a) 车票信息已过期 on every submit: no flood, no order", async () => {
  await inWorld("rate-stale", async (world) => {
    // Every secretStr is out of date as soon as it is issued: submitOrderRequest always answers 车票信息已过期.
    const since = await pressG2(world, { secret_ttl_ms: 1 });
    await world.page.waitForTimeout(WATCH_MS);
    const requests = await tasksRequests(world.sim, since);
    const summary = assertRate(requests, INTERVAL_S * 1000);
    assert.ok(count(requests, "submitOrderRequest") >= 1, "it tried");
    assert.equal((await world.sim.orders()).length, 0, "no order");
    console.log(`(a) ${summary}`);
  });
});

test("(b) 系统繁忙 on every confirm, nothing processed: no flood, no order", async () => {
  await inWorld("rate-busy-confirm", async (world) => {
    const since = await pressG2(world, {
      order_visible_after_ms: VISIBLE_AFTER_MS,
      faults: [{ step: "confirmSingleForQueue", kind: "busy" }],
    });
    await world.page.waitForTimeout(WATCH_MS);
    const requests = await tasksRequests(world.sim, since);
    const summary = assertRate(requests, INTERVAL_S * 1000);
    assert.ok(count(requests, "confirmSingleForQueue") >= 1, "it confirmed");
    assert.equal((await world.sim.orders()).length, 0, "nothing was processed, so no order");
    console.log(`(b) ${summary}`);
  });
});

/** The task's end: waits for its outcome and asserts it reports the one order at the sim. */
async function assertOneOrderReported(world, since, label) {
  const result = await outcome(world.page, 45000).catch(async (err) => {
    throw new Error(`${err.message}\norders: ${JSON.stringify(await world.sim.orders())}`);
  });
  // Whatever went on, the order book is what counts: exactly one order, and the task says which.
  await world.page.waitForTimeout(1000);
  const orders = await world.sim.orders();
  const trail = (await tasksRequests(world.sim, since))
    .filter((r) => !isQuery(r))
    .map((r) => `${String(r.path).split("/").pop()}:${r.status}`)
    .join(" ");
  assert.equal(orders.length, 1, `exactly one order: ${JSON.stringify(orders.map((o) => [o.id, o.status]))}\n${trail}`);
  assert.equal(result.state, "done", `${result.text}\n${result.log.join("\n")}`);
  assert.equal(result.orderId, orders[0].id, "the task reports the order that exists");
  const requests = await tasksRequests(world.sim, since);
  const summary = assertRate(requests, INTERVAL_S * 1000);
  console.log(`${label} ${summary}; confirms sent ${count(requests, "confirmSingleForQueue")}`);
}

test("(b) 系统繁忙 on every confirm, each processed: exactly one order, reported, no flood", async () => {
  await inWorld("rate-processed-busy", async (world) => {
    const since = await pressG2(world, {
      order_visible_after_ms: VISIBLE_AFTER_MS,
      faults: [{ step: "confirmSingleForQueue", kind: "processed_busy" }],
    });
    await until(async () => (await world.sim.orders()).length > 0, 30000, "the first order");
    await assertOneOrderReported(world, since, "(b, processed)");
  });
});

test("(c) the confirm processed, its connection dropped: exactly one order, reported, no flood", async () => {
  await inWorld("rate-dropped-confirm", async (world) => {
    const since = await pressG2(world, {
      order_visible_after_ms: VISIBLE_AFTER_MS,
      faults: [{ step: "confirmSingleForQueue", kind: "drop", times: 1 }],
    });
    await until(async () => (await world.sim.orders()).length > 0, 30000, "the first order");
    await assertOneOrderReported(world, since, "(c)");
  });
});
