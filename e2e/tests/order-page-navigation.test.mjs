// The order page of the 2026 site, played by sim12306: (a) initDc answers only browser navigations — PROTOCOL.md
// §5.3: in March 2026 12306 sent every fetched initDc to its error page after a successful submitOrderRequest
// (py12306 #535/#536), while the official page enters it by a form navigation (RAILASSIST26, 2026-09); (b) the
// confirm also needs the order page's `json_ua.toString()` as `encryptedData` — §5.8: the official page sends it,
// 12306's risk script ua_rds.js runs only in a real page, and a 2024 report (PY-ISS #516) says the confirm needed it.
// The task's first initDc is a fetch, is refused, and the tab transport then loads the page in a hidden frame of
// the 12306 tab by a form POST; the page's MAIN-world script gives the risk script's value for the confirm.
import { test } from "node:test";
import assert from "node:assert/strict";
import { book, outcome, setTransport } from "../harness/flow.mjs";
import { readyToBook, untilLogSays } from "../harness/start.mjs";
import { inWorld, inventory, requestsTo } from "../harness/world.mjs";
import { assertOneOrder } from "./tasks-lib.mjs";

const INIT_DC = "/otn/confirmPassenger/initDc";

/** The form fields of a logged request body. */
const fields = (request) => new URLSearchParams(String(request.body || ""));

/** Books G2 for 张三 with one click in `scenario`; returns the panel's outcome. */
async function bookThrough({ sim, browser, page }, scenario) {
  // Loading a scenario resets the sim: first thing, before the login.
  await sim.control("/scenario", scenario);
  await inventory(sim, { G2: { O: 20 } });
  await readyToBook({ sim, browser, page });
  await book(page, "G2");
  const result = await outcome(page);
  assert.ok(result.ok, `expected an order, got: ${result.text} / ${result.log.join(" | ")}`);
  return result;
}

/** The sim's initDc requests: the refused fetch, then the navigation that got the page. */
async function assertFetchRefusedThenNavigated(sim) {
  const pages = await requestsTo(sim, INIT_DC);
  const modes = pages.map((r) => [r.method, r.headers["sec-fetch-mode"], r.headers["sec-fetch-dest"], r.status]);
  assert.deepEqual(
    modes,
    [
      ["POST", "cors", "empty", 302],
      ["POST", "navigate", "iframe", 200],
    ],
    JSON.stringify(modes),
  );
  const [, navigated] = pages;
  // As the official page's form: its fields, the query page as the Referer, the tab's own session.
  assert.equal(navigated.body, "_json_att=");
  assert.match(navigated.headers.referer, /^https:\/\/kyfw\.12306\.cn\/otn\/leftTicket\/init\b/);
  assert.match(navigated.headers.cookie || "", /JSESSIONID=/);
  // One attempt: the navigation went right after the refusal, the train still chosen in the session.
  assert.equal((await requestsTo(sim, "submitOrderRequest")).length, 1);
  return navigated;
}

/** No hidden frame is left in the tab, and the tab itself is still on the query page. */
async function assertFrameGone(page) {
  assert.equal(await page.evaluate(() => document.querySelectorAll("iframe[name^='kyfw-order-']").length), 0);
  assert.match(page.url(), /\/otn\/leftTicket\/init/);
}

test("an order page that answers only navigations: one click books exactly one order", async () => {
  await inWorld("nav-order-page", async ({ sim, browser, page }) => {
    const result = await bookThrough({ sim, browser, page }, { init_dc_navigation_only: true });
    const order = await assertOneOrder(sim);
    assert.equal(result.orderId, order.id);
    await assertFetchRefusedThenNavigated(sim);
    assert.ok(
      result.log.some((line) => /以页面导航打开/.test(line)),
      `the log says why: ${result.log.join(" | ")}`,
    );
    await assertFrameGone(page);
  });
});

test("an order page that answers only navigations and a confirm that needs json_ua: books with the page's value", async () => {
  await inWorld("nav-encrypted-data", async ({ sim, browser, page }) => {
    await bookThrough({ sim, browser, page }, { init_dc_navigation_only: true, confirm_needs_encrypted_data: true });
    // assertOneOrder: exactly one confirm and one order, so the one confirm was accepted.
    await assertOneOrder(sim);
    await assertFetchRefusedThenNavigated(sim);
    // The risk script ran in the hidden frame (a browser's script load, as on the real page)…
    const scripts = await requestsTo(sim, "/otsmobile/antcaptcha/ua_rds.js");
    assert.ok(scripts.length >= 1 && scripts.every((r) => r.headers["sec-fetch-dest"] === "script"), JSON.stringify(scripts));
    // …and the confirm carried its value: the sim's digest of that page's token, 64 hex.
    const [confirm] = await requestsTo(sim, "confirmSingleForQueue");
    const sent = fields(confirm).get("encryptedData");
    assert.match(sent, /^[0-9a-f]{64}$/, `encryptedData: ${JSON.stringify(sent)}`);
    await assertFrameGone(page);
  });
});

test("the background transport cannot navigate: the task waits, sends no confirm, and books once a tab transport is there", async () => {
  await inWorld("nav-background", async ({ sim, browser, page }) => {
    await sim.control("/scenario", { init_dc_navigation_only: true });
    await inventory(sim, { G2: { O: 20 } });
    // The worker's own fetch of initDc is refused like any fetch; the navigation it cannot do is not sent.
    await readyToBook({ sim, browser, page }, { transport: "background", intervalS: 1 });
    await book(page, "G2");
    await untilLogSays(page, /请保持打开一个 kyfw\.12306\.cn 页面/, 60000);
    const pages = await requestsTo(sim, INIT_DC);
    assert.ok(pages.length >= 1 && pages.every((r) => r.headers["sec-fetch-mode"] !== "navigate"), JSON.stringify(pages));
    assert.equal((await requestsTo(sim, "confirmSingleForQueue")).length, 0);
    assert.equal((await sim.orders()).length, 0);
    // A 12306 tab takes the requests again: the next attempt navigates and books, once.
    await setTransport(browser, "tab");
    const result = await outcome(page, 120000);
    assert.ok(result.ok, `expected an order, got: ${result.text} / ${result.log.join(" | ")}`);
    await assertOneOrder(sim);
    const navigated = (await requestsTo(sim, INIT_DC)).filter((r) => r.headers["sec-fetch-mode"] === "navigate");
    assert.equal(navigated.length, 1);
    assert.equal(navigated[0].status, 200);
  });
});
