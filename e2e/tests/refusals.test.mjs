// (c) logged out: the user is told to log in and nothing is submitted; (d) sold out, stale ticket info and an
// unfinished order: the right message and no (new) order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { KYFW, loginWithQr, openQuery, choose, book, outcome, screenshot } from "../harness/flow.mjs";
import { click, untilPanelState } from "../harness/panel.mjs";
import { DATE, ROUTE, inWorld, inventory, requestsTo } from "../harness/world.mjs";

const SUBMITS = "submitOrderRequest";

/** Waits until a line of the panel's log or its result matches `pattern`; returns the log. */
async function logMatching(page, pattern, timeout = 60000) {
  const state = await untilPanelState(page, (s) => [...s.log, s.result].some((line) => pattern.test(line)), {
    timeout,
    what: `a log line matching ${pattern}`,
  });
  return state.log;
}

/** Presses the panel's Stop and waits until the panel says 已停止. */
async function stop(page) {
  await click(page, "#kyfw-stop");
  await untilPanelState(page, (s) => /已停止/.test(s.result), { timeout: 10000, what: "已停止" });
}

test("logged out: the panel asks to log in and nothing is submitted", async () => {
  await inWorld("logged-out", async ({ sim, page }) => {
    await openQuery(page, { ...ROUTE, date: DATE });
    const prompt = await untilPanelState(page, (s) => s.loginRequired, { what: "the login prompt" });
    assert.match(prompt.loginText, /请先登录/);
    assert.equal(prompt.loginHref, `${KYFW}/otn/resources/login.html`);
    await screenshot(page, "logged-out");
    // A click on a row must not start a loop either.
    await book(page, "G2", { wait: false });
    await page.waitForTimeout(1500);
    assert.equal((await requestsTo(sim, SUBMITS)).length, 0);
    assert.equal((await sim.orders()).length, 0);
  });
});

test("sold out: keeps querying, says there is no ticket, submits nothing", async () => {
  await inWorld("sold-out", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 0, M: 0, 9: 0 } });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O", "M"], intervalS: 1 });
    await book(page, "G2");
    // At least two query rounds, then judge.
    const deadline = Date.now() + 60000;
    while ((await requestsTo(sim, "leftTicket/query")).length < 3 && Date.now() < deadline) await page.waitForTimeout(500);
    const log = await logMatching(page, /暂无|无票|售完|没有.*票/);
    await screenshot(page, "sold-out");
    assert.ok((await requestsTo(sim, "leftTicket/query")).length >= 3, "it keeps querying");
    assert.equal((await requestsTo(sim, SUBMITS)).length, 0, "nothing submitted while sold out");
    assert.equal((await sim.orders()).length, 0);
    await stop(page);
  });
});

test("stale ticket info: the 车票信息已过期 message is shown, no order", async () => {
  await inWorld("stale", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 50 } });
    // Every secretStr expires immediately, so submitOrderRequest answers 车票信息已过期.
    await sim.control("/scenario", { secret_ttl_ms: 1, inventory: [{ date: DATE, train: "G2", seat: "O", count: 50 }] });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });
    await book(page, "G2");
    const log = await logMatching(page, /车票信息已过期/);
    await screenshot(page, "stale");
    assert.ok(log.length > 0);
    assert.equal((await sim.orders()).length, 0);
    await stop(page).catch(() => {});
  });
});

test("unfinished order: a second booking is refused with 未完成订单, no new order", async () => {
  await inWorld("unfinished", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 50 }, G4: { O: 50 } });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O"] });
    await book(page, "G2");
    const first = await outcome(page);
    assert.ok(first.ok, first.text);
    assert.equal((await sim.orders()).length, 1);

    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "李四" }], seats: ["O"] });
    await book(page, "G4");
    const second = await outcome(page);
    await screenshot(page, "unfinished");
    assert.ok(!second.ok, second.text);
    assert.match(`${second.text} ${second.log.join(" ")}`, /未完成订单|未处理的订单/);
    assert.equal((await sim.orders()).length, 1, "no new order");
  });
});
