// Getting a test to the moment of booking, and waiting on what the sim or the panel says afterwards: the steps
// most end-to-end tests share before their own assertions.
import { loginWithQr, openQuery, choose, setTransport } from "./flow.mjs";
import { untilPanelState } from "./panel.mjs";
import { DATE, ROUTE } from "./world.mjs";

/** The highest request seq the sim has seen so far (0 before any): later requests have a larger one. */
export const lastSeq = async (sim) => Math.max(0, ...(await sim.requests()).map((r) => r.seq || 0));

/** Booking query requests (leftTicket/query*) the sim saw, optionally only those after `since` (seq). */
export async function queries(sim, since = 0) {
  return (await sim.requests()).filter((r) => r.seq > since && /\/otn\/leftTicket\/query/.test(r.path || ""));
}

/** Polls `fn` every 250 ms until it returns a truthy value; returns it, or throws after `timeout` ms. */
export async function until(fn, timeout, what) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Logs in, switches to `transport` when given ("tab" or "background"), opens the query page on the test route and
 * chooses 张三 二等座 (`intervalS` between queries when given). Resolves with the sim's last request seq, so that
 * what the booking sends is everything after it.
 */
export async function readyToBook({ sim, browser, page }, { transport, intervalS } = {}) {
  await loginWithQr(browser.context, sim, page);
  if (transport) await setTransport(browser, transport);
  await openQuery(page, { ...ROUTE, date: DATE });
  await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS });
  return lastSeq(sim);
}

/** Waits until the panel's step log on `page` matches `pattern` (a task that queries logs 查询). */
export async function untilLogSays(page, pattern, timeout = 30000) {
  await untilPanelState(page, (s) => pattern.test(s.log.join("\n")), { timeout, what: `a log line matching ${pattern}` });
}
