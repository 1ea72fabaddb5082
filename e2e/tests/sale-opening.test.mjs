// A sale opening in Chromium against sim12306's `sale_opening` stage (tests/sim12306/README.md "Rehearsing a sale
// opening"), asserted on the sim's request log and order book: the extension learns 12306's clock from the
// answers' Date headers through either transport; a task made 3 minutes (sim clock) before the opening sends no
// query until its warm-up, its first query reaches the sim within 200 ms after the opening, and it books; a date
// outside the pre-sale window is scheduled, not polled. The sim's clock is moved instead of waiting: the task
// learns the move at its warm-up, as it would learn a host clock stepped meanwhile.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTransport } from "../harness/flow.mjs";
import { inWorld } from "../harness/world.mjs";
import { chinaDate, loggedIn, simNow, simOffset, specFor, stageOpening, startTask, taskRecords } from "../harness/opening.mjs";
import { until } from "../harness/start.mjs";

const isQuery = (r) => /\/otn\/leftTicket\/query/.test(String(r.path || ""));
const endpoint = (r) => String(r.path || "").split("/").pop();
const dateOf = (r) => new URLSearchParams(String(r.query || "")).get("leftTicketDTO.train_date");

/** The one task's record once `ok(record)` holds. */
async function untilRecord(browser, ok, timeout, what) {
  return until(async () => (await taskRecords(browser)).find(ok), timeout, what);
}

/** Deletes every task (from an extension page, as the popup does). */
async function deleteTasks(browser) {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup/popup.html`);
  await page.evaluate(async () => {
    const { tasks } = await chrome.runtime.sendMessage({ type: "listTasks" });
    for (const task of tasks) await chrome.runtime.sendMessage({ type: "deleteTask", taskId: task.id });
  });
  await page.close();
}

test("the clock offset is learnt from the Date header, through the tab and the background transport", async () => {
  await inWorld("sale-clock", async ({ sim, browser, page }) => {
    const { date } = await stageOpening(sim, { leadMs: 180000 });
    await loggedIn(browser, sim, page);
    // login/conf answers without a body from now on: its `now` cannot be read, only the Date header of each
    // answer tells the sim's clock (the task retries the empty answer; the reading is what counts here).
    await sim.control("/fault", { step: "conf", kind: "empty" });
    const offset = await simOffset(sim);
    assert.ok(Math.abs(offset) >= 4000, `the sim's clock is off from the host's (${offset} ms)`);
    for (const transport of ["tab", "background"]) {
      await setTransport(browser, transport);
      const task = await startTask(browser, specFor("G2", date));
      const record = await untilRecord(
        browser,
        (r) => r.id === task.id && r.status?.clockOffsetMs != null,
        30000,
        `a clock offset learnt (${transport})`,
      );
      // A Date header is a whole second: the estimate is within a second of the truth.
      assert.ok(
        Math.abs(record.status.clockOffsetMs - offset) <= 1000,
        `${transport}: learnt ${record.status.clockOffsetMs} ms, the sim is ${offset} ms ahead`,
      );
      assert.equal(record.lastVia, transport);
      await deleteTasks(browser);
    }
  });
});

test("a task made 3 minutes before the opening waits for its warm-up, queries at the opening and books", async () => {
  await inWorld("sale-three-minutes", async ({ sim, browser, page }) => {
    const { t, date } = await stageOpening(sim, { leadMs: 180000, seats: { O: 20 }, crowdPerS: 10 });
    await loggedIn(browser, sim, page);
    const created = await simNow(sim);
    assert.ok(t - created > 170000, `made ${t - created} ms before the opening`);
    const task = await startTask(browser, specFor("G2", date));
    await untilRecord(browser, (r) => r.id === task.id && r.status?.step === "saleWait", 30000, "the task waiting for the opening");
    // 55 s of the wait pass at once on 12306's clock: the task still wakes for its warm-up a minute before the
    // opening as it measured it, measures again, and so finds the opening 5 s away instead of 60.
    await sim.control("/clock", { now_ms: (await simNow(sim)) + 55000 });
    const done = await untilRecord(browser, (r) => r.id === task.id && r.state !== "running", 200000, "the task's end");

    const requests = (await sim.requests()).filter((r) => r.t_ms >= created);
    const queries = requests.filter(isQuery);
    assert.ok(queries.length >= 2, `queries: ${queries.length}`);
    // One query when the task is made (it tells the opening), then none before the opening.
    assert.ok(queries[0].t_ms < created + 10000, "the first query at once");
    const before = queries.filter((r) => r.t_ms < t);
    assert.equal(before.length, 1, `queries before the opening: ${before.map((r) => r.t_ms - t).join(", ")}`);
    const first = queries[1];
    assert.ok(first.t_ms >= t && first.t_ms <= t + 200, `the first query after the opening reached the sim ${first.t_ms - t} ms after it`);
    // Between the first query and the opening only the warm-up's light requests, shortly before the opening:
    // checkUser, the passenger list, login/conf (the clock).
    const between = requests.filter((r) => r.seq > queries[0].seq && r.seq < first.seq && String(r.path).startsWith("/otn/"));
    assert.ok(between.every((r) => ["conf", "checkUser", "getPassengerDTOs"].includes(endpoint(r))), between.map(endpoint).join(" "));
    // (a first reading of the clock may follow the first query at once)
    const idle = between.filter((r) => r.t_ms > created + 10000 && r.t_ms < t - 10000);
    assert.deepEqual(idle.map((r) => `${endpoint(r)}@${r.t_ms - t}`), [], "nothing sent during the wait");
    const warmUp = between.find((r) => endpoint(r) === "checkUser");
    assert.ok(warmUp, "a warm-up before the opening");
    assert.ok(t - warmUp.t_ms < 10000 && t - warmUp.t_ms > 0, `warm-up ${t - warmUp.t_ms} ms before the opening`);
    // Booked, once.
    assert.equal(done.state, "done", `${done.state}: ${done.message || ""}`);
    const orders = (await sim.orders()).filter((o) => o.account === "demo");
    assert.equal(orders.length, 1, JSON.stringify(orders));
    assert.equal(orders[0].train, "G2");
    assert.equal(orders[0].date, date);
    assert.equal(requests.filter((r) => endpoint(r) === "confirmSingleForQueue").length, 1);
    assert.ok(done.status.clockOffsetMs != null, "the clock was measured");
  });
});

test("a date outside the pre-sale window is scheduled for its opening, not polled", async () => {
  await inWorld("sale-outside-window", async ({ sim, browser, page }) => {
    await loggedIn(browser, sim, page);
    const now = await simNow(sim);
    const date = chinaDate(now, 20);
    const task = await startTask(browser, specFor("G2", date));
    const record = await untilRecord(
      browser,
      (r) => r.id === task.id && r.status?.step === "saleWait" && r.status?.opensAt != null,
      30000,
      "the task scheduled for its opening",
    );
    // It opens 14 days before the travel date (a 15-day window), at the station's sale clock.
    assert.equal(chinaDate(record.status.opensAt), chinaDate(now, 6), `opens ${new Date(record.status.opensAt).toISOString()}`);
    const seen = await sim.requests();
    // Wait a few query intervals (the task's is 3 s): nothing more is queried.
    await new Promise((r) => setTimeout(r, 8000));
    const queries = (await sim.requests()).filter(isQuery);
    const forDate = queries.filter((r) => dateOf(r) === date);
    assert.equal(forDate.length, 1, `queries for ${date}: ${forDate.length}`);
    // At most one query of the newest date on sale, for the station's sale clock.
    assert.ok(queries.length - forDate.length <= 1, `other queries: ${queries.filter((r) => dateOf(r) !== date).map(dateOf).join(", ")}`);
    assert.equal(queries.length, seen.filter(isQuery).length, "no query while scheduled");
    const [again] = await taskRecords(browser);
    assert.equal(again.state, "running");
    assert.equal(again.status.step, "saleWait");
    // The toolbar tooltip counts down to it (Beijing time; days, hours, minutes, seconds left).
    const title = await browser.workerEval(() => chrome.action.getTitle({}));
    assert.match(title, /^G2 起售 \d\d:\d\d:00（还有 [56] 天 \d+:\d\d:\d\d）$/);
  });
});
