// (e) the requests carry the cookies, Origin and Referer 12306 expects, through both transports: the tab
// transport (the content script fetches from the page) and the background transport (service-worker fetch +
// declarativeNetRequest headers), used when no kyfw tab is open or by the test switch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { KYFW, book, outcome } from "../harness/flow.mjs";
import { lastSeq, readyToBook, untilLogSays } from "../harness/start.mjs";
import { inWorld, inventory } from "../harness/world.mjs";

// The Referer each booking step has on the real site (PROTOCOL.md §3.3, §5; the 2024 capture).
const EXPECTED_REFERER = [
  [/\/otn\/leftTicket\/(query|submitOrderRequest)/, `${KYFW}/otn/leftTicket/init?linktypeid=dc`],
  // initDc is the page's form navigation from the query page
  [/\/otn\/confirmPassenger\/initDc/, `${KYFW}/otn/leftTicket/init?linktypeid=dc`],
  [/\/otn\/confirmPassenger\/(checkOrderInfo|getQueueCount|confirmSingleForQueue)/, `${KYFW}/otn/confirmPassenger/initDc`],
];

const header = (r, name) => (r.headers || {})[name];

/**
 * Checks every booking request after `since` (seq) and returns how many were checked. `via` says which
 * transport must have sent them: the page's fetch is `Sec-Fetch-Site: same-origin`, the service worker's `none`
 * (the one header the background transport cannot make look like the page's).
 */
async function checkHeaders(sim, since, via) {
  const requests = (await sim.requests()).filter(
    (r) => r.seq > since && /\/otn\/(leftTicket\/query|leftTicket\/submitOrderRequest|confirmPassenger\/)/.test(r.path),
  );
  assert.ok(requests.some((r) => r.path.includes("confirmSingleForQueue")), "the booking reached confirmSingleForQueue");
  for (const r of requests) {
    const what = `${r.method} ${r.path}`;
    const cookie = header(r, "cookie") || "";
    if (via) assert.equal(header(r, "sec-fetch-site"), via === "tab" ? "same-origin" : "none", `${what} sent via ${via}`);
    assert.match(cookie, /JSESSIONID=/, `${what} carries the session cookie`);
    assert.match(cookie, /(^|; )tk=/, `${what} carries the tk cookie`);
    if (r.method === "POST") assert.equal(header(r, "origin"), KYFW, `${what} Origin`);
    else assert.ok([undefined, KYFW].includes(header(r, "origin")), `${what} Origin ${header(r, "origin")}`);
    for (const [pattern, referer] of EXPECTED_REFERER) {
      if (pattern.test(r.path)) assert.equal(header(r, "referer"), referer, `${what} Referer`);
    }
    // Every AJAX step says so; initDc is a navigation on the real site and carries no such header.
    if (!r.path.includes("initDc")) assert.equal(header(r, "x-requested-with"), "XMLHttpRequest", `${what} X-Requested-With`);
  }
  return requests.length;
}

/** Books G2 for 张三 through `transport` and checks the headers of every booking request; returns the outcome. */
async function bookVia(world, transport) {
  await inventory(world.sim, { G2: { O: 50 } });
  const since = await readyToBook(world, { transport });
  await book(world.page, "G2");
  const result = await outcome(world.page);
  assert.ok(result.ok, result.text);
  assert.ok((await checkHeaders(world.sim, since, transport)) >= 4);
  return result;
}

test("tab transport: cookies, Origin and Referer of the page", async () => {
  await inWorld("transport-tab", (world) => bookVia(world, "tab"));
});

test("background transport (test switch): the same cookies, Origin and Referer", async () => {
  await inWorld("transport-background", async (world) => {
    const result = await bookVia(world, "background");
    assert.ok(result.log.some((l) => /后台/.test(l)), "the log says the background sent it");
  });
});

test("background transport when the tab is closed: the task goes on and books", async () => {
  await inWorld("transport-closed-tab", async ({ sim, browser, page }) => {
    // No tickets at first: the task keeps querying; the tab closes; tickets come; the background books.
    await inventory(sim, { G2: { O: 0 } });
    await readyToBook({ sim, browser, page }, { intervalS: 1 });
    await book(page, "G2");
    await untilLogSays(page, /查询/);
    // Keep one non-kyfw page so the browser stays open.
    const blank = await browser.context.newPage();
    await page.close();
    // Everything from here on can only come from the service worker.
    const since = await lastSeq(sim);
    await inventory(sim, { G2: { O: 50 } });
    const deadline = Date.now() + 90000;
    while ((await sim.orders()).length === 0 && Date.now() < deadline) await blank.waitForTimeout(500);
    assert.equal((await sim.orders()).length, 1, "the background transport placed the order");
    assert.ok((await checkHeaders(sim, since, "background")) >= 4);
    // The order exists at 12306 once queued; the task finishes when the queue answers with its id.
    let tasks = [];
    for (const end = Date.now() + 30000; Date.now() < end; await blank.waitForTimeout(500)) {
      tasks = await browser.workerEval(async () => {
        const all = await chrome.storage.local.get(null);
        return Object.entries(all)
          .filter(([k]) => k.startsWith("task:"))
          .map(([, v]) => ({ state: v.state, orderId: v.orderId }));
      });
      if (tasks.some((t) => t.state !== "running")) break;
    }
    assert.ok(tasks.some((t) => t.state === "done" && t.orderId), JSON.stringify(tasks));
  });
});
