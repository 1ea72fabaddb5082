// 12306's redirects over the tab transport (content/transport.js). 12306 turns away a client with a 302 instead of
// data: to www.12306.cn's error.html when it is busy or rate-limits the client (another origin: a followed fetch
// fails as a CORS error), to its passport page when the session is gone. The content script does not follow
// redirects; it asks login/conf once which of the two it was and never repeats the redirected request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { book, outcome, stepLog } from "../harness/flow.mjs";
import { readyToBook, until, untilLogSays } from "../harness/start.mjs";
import { inWorld, inventory } from "../harness/world.mjs";
import { gaps } from "./tasks-lib.mjs";

const CONF = "/otn/login/conf";
const isQuery = (r) => /^\/otn\/leftTicket\/query/.test(String(r.path));

/** The first request after `r` (by seq) that is not one of the page's own resources. */
function next(requests, r) {
  return requests.find((x) => x.seq > r.seq && !String(x.path).startsWith("/otn/resources/"));
}

/** Every redirected request of the task is followed by exactly one login/conf, never by itself again. */
function assertProbed(requests, redirected) {
  for (const r of redirected) {
    // The query follows redirects (a renamed query path is a 302 to the new name, PROTOCOL.md §3.1), so the
    // browser itself asks for the error page it was sent to (a GET that changes nothing) before the probe.
    let after = next(requests, r);
    if (after && after.path === "/mormhweb/logFiles/error.html") after = next(requests, after);
    assert.ok(after, `something after ${r.path} #${r.seq}`);
    assert.equal(after.path, CONF, `the call after the redirected ${r.path} #${r.seq} is the login/conf probe`);
    assert.equal(after.method, "POST");
    assert.equal(after.body || "", "", "the probe has an empty body");
    assert.equal((after.headers || {})["x-requested-with"], "XMLHttpRequest");
    assert.equal((after.headers || {})["sec-fetch-site"], "same-origin", "the probe comes from the page");
  }
}

test("tab transport: the rate-limit redirect to error.html reads as busy/blocked and the task backs off", async () => {
  await inWorld("redirect-blocked", async ({ sim, browser, page }) => {
    // More than 6 queries a minute → every /otn request 302s to www.12306.cn/…/error.html for 12 s.
    await sim.control("/scenario", { rate_limit: { max_queries: 6, window_ms: 60000, block_ms: 12000 } });
    await inventory(sim, { G2: { O: 0 } });
    const since = await readyToBook({ sim, browser, page }, { transport: "tab", intervalS: 1 });
    await book(page, "G2");
    const blocked = (rs) => rs.filter((r) => r.seq > since && isQuery(r) && r.status === 302);
    await until(async () => blocked(await sim.requests()).length >= 1, 30000, "the first blocked query");
    // Tickets come while the client is blocked: once the block is over, the task books them.
    await inventory(sim, { G2: { O: 50 } });
    // The busy/blocked message in the panel log.
    await untilLogSays(page, /繁忙或限制访问/, 15000);
    const result = await outcome(page, 120000);
    if (process.env.E2E_VERBOSE) console.log(result.log.join("\n"));
    assert.ok(result.ok, `${result.text}\n${result.log.join("\n")}`);
    assert.ok(!result.log.some((l) => /Failed to fetch|NetworkError|transport error/i.test(l)), result.log.join("\n"));

    const requests = await sim.requests();
    const redirected = blocked(requests);
    assert.ok(redirected.length >= 3, `several queries met the block: ${redirected.length}`);
    assertProbed(requests, redirected);
    // Backing off: each wait after a blocked answer is longer than the one before (interval × 2^n ± 20 %), and
    // the task never hammers at its 1 s interval while blocked.
    const spacing = gaps(redirected);
    if (process.env.E2E_VERBOSE) console.log(`gaps between blocked queries: ${spacing.join(", ")} ms`);
    for (let i = 1; i < spacing.length; i++) {
      assert.ok(spacing[i] > spacing[i - 1], `backs off: gaps ${spacing.join(", ")} ms`);
    }
    assert.ok(spacing[spacing.length - 1] >= 3000, `backs off to seconds: gaps ${spacing.join(", ")} ms`);
    const probes = requests.filter((r) => r.seq > since && r.path === CONF && r.status === 302);
    assert.ok(probes.length >= redirected.length, "every probe during the block was itself redirected");
    assert.equal((await sim.orders()).length, 1, "one order after the block");
  });
});

test("tab transport: the logged-out redirect to the passport page still reads as session lost (请先登录)", async () => {
  await inWorld("redirect-logged-out", async ({ sim, browser, page }) => {
    // checkUser answers after 3 s: the session ends meanwhile, so submitOrderRequest meets the passport redirect.
    await sim.control("/scenario", { step_latency_ms: { checkUser: 3000 } });
    await inventory(sim, { G2: { O: 50 } });
    const since = await readyToBook({ sim, browser, page }, { transport: "tab" });
    await book(page, "G2");
    await until(async () => (await sim.requests()).some((r) => r.seq > since && r.path.endsWith("/checkUser")), 30000, "checkUser");
    // The user logs out in the page (same cookies as the task).
    await page.evaluate(() => fetch("/otn/login/loginOut", { credentials: "include", redirect: "manual" }).then(() => true));
    const result = await outcome(page, 60000);
    assert.equal(result.state, "needsUser", `${result.text}\n${result.log.join("\n")}`);
    assert.match(result.text, /请先登录/);
    assert.ok((await stepLog(page)).some((l) => /登录已失效/.test(l)), "the log says the session is gone");

    const requests = (await sim.requests()).filter((r) => r.seq > since);
    const submits = requests.filter((r) => r.path.endsWith("/submitOrderRequest"));
    assert.equal(submits.length, 1, "submitOrderRequest sent once, not repeated");
    assert.equal(submits[0].status, 302);
    assertProbed(requests, submits);
    assert.equal(next(requests, submits[0]).status, 200, "login/conf answered (is_login N)");
    assert.ok(!requests.some((r) => /initDc|confirmSingleForQueue/.test(r.path)), "nothing booked logged out");
    assert.equal((await sim.orders()).length, 0);
  });
});
