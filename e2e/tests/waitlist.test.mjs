// 候补 (waitlist) and seat/berth choice in Chromium against sim12306 (PROTOCOL.md §5.13, §5.8): a sold-out train
// with 候补 offered gets one 候补 order (the 2026 confirmHB), tickets released later fulfil it, the task reports the
// order to pay and the user is notified; the deadline and keep-polling chosen in the panel reach confirmHB and the
// popup and the panel show them with the 候补 order's state; window seats and a lower berth asked for in the panel are the seats the
// sim issued. Assertions on the sim's order book and request log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { book, choose, loginWithQr, openQuery, outcome } from "../harness/flow.mjs";
import { panelEval, selectOption, setChecked } from "../harness/panel.mjs";
import { DATE, ROUTE, inWorld, inventory, requestsTo } from "../harness/world.mjs";
import { extensionPage, extensionState, until } from "./tasks-lib.mjs";

test("sold out with 候补: one 候补 order, released tickets fulfil it, the user is told and can pay", async () => {
  await inWorld("waitlist", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 0 } });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });
    await selectOption(page, "#kyfw-waitlist", "whenSoldOut");
    await book(page, "G2");

    const hb = await until(async () => (await sim.orders()).find((o) => o.kind === "hb"), 30000, "the 候补 order");
    assert.equal(hb.status, "waiting");
    assert.equal(hb.waitlist.plans[0].train, "G2");
    assert.equal(hb.waitlist.plans[0].seat, "O");
    const confirm = (await requestsTo(sim, "afterNate/confirmHB"))[0];
    assert.match(String(confirm.body), /realize_limit_time_diff=360&plans=&tmp_train_date=&tmp_train_time=&add_train_flag=N&add_train_seat_type_code=/);

    await sim.control("/release", { date: DATE, train: "G2", seat: "O", count: 1, after_ms: 0 });
    const result = await outcome(page, 60000);
    assert.ok(result.ok, JSON.stringify(result));
    const orders = await sim.orders();
    assert.equal(orders.length, 1, JSON.stringify(orders));
    assert.equal(orders[0].id, hb.id);
    assert.equal(orders[0].status, "unpaid");
    assert.ok(orders[0].pay_deadline_ms > Date.now() - 60000);
    assert.equal(result.orderId, hb.id);
    assert.equal((await requestsTo(sim, "afterNate/confirmHB")).length, 1, "one confirmHB");
    assert.equal((await requestsTo(sim, "confirmSingleForQueue")).length, 0, "no direct confirm");
    assert.ok(result.log.some((l) => l.includes(hb.id)), result.log.join("\n"));

    // Told: the notification of an order to pay, with its number.
    const popup = await extensionPage(browser);
    const state = await until(async () => {
      const s = await extensionState(popup);
      return s.notifyLog.some((n) => n.kind === "orderPlaced") ? s : null;
    }, 10000, "the notification");
    assert.match(state.notifyLog.find((n) => n.kind === "orderPlaced").message, new RegExp(hb.id));
  });
});

test("the panel's 候补 deadline reaches confirmHB; the popup shows the 候补 settings and the order's state", async () => {
  await inWorld("waitlist-settings", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 0 } });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });
    await selectOption(page, "#kyfw-waitlist", "whenSoldOut");
    await selectOption(page, "#kyfw-waitlist-deadline", "120");
    await setChecked(page, "#kyfw-waitlist-keep-polling", true);
    await book(page, "G2");

    const hb = await until(async () => (await sim.orders()).find((o) => o.kind === "hb"), 30000, "the 候补 order");
    assert.equal(hb.status, "waiting");
    const confirms = await requestsTo(sim, "afterNate/confirmHB");
    assert.equal(confirms.length, 1, "one confirmHB");
    assert.match(String(confirms[0].body), /(^|&)realize_limit_time_diff=120(&|$)/);

    // The popup's card: the task's 候补 settings and, once the core reports it, the waiting 候补 order.
    const popup = await extensionPage(browser);
    const words = await popup.evaluate((id) => {
      const m = (/** @type {string} */ k, /** @type {string[]} */ subs = []) => chrome.i18n.getMessage(k, subs);
      const deadline = m("waitlistDeadlineHours", ["2"]);
      return {
        settings: [m("waitlistWhenSoldOut"), deadline, m("waitlistKeepPollingShort")].join(" · "),
        waiting: m("waitlistStateWaiting", [id, deadline]),
        fulfilled: m("waitlistStateFulfilled", [id]),
      };
    }, hb.id);
    const card = (/** @type {string} */ cls) => popup.evaluate((c) => document.querySelector(`li.task dd.${c}`)?.textContent ?? null, cls);
    await until(async () => (await card("waitlist-state")) === words.waiting, 20000, "the popup's 候补 state");
    assert.equal(await card("waitlist"), words.settings);
    // The panel's summary says the same.
    const summary = (/** @type {string} */ c) => panelEval(page, (root, cls) => root.querySelector(`#kyfw-summary dd.${cls}`)?.textContent ?? null, c);
    await until(async () => (await summary("kyfw-sum-waitlist-state")) === words.waiting, 20000, "the panel's 候补 state");
    assert.equal(await summary("kyfw-sum-waitlist"), words.settings);

    await sim.control("/release", { date: DATE, train: "G2", seat: "O", count: 1, after_ms: 0 });
    const result = await outcome(page, 60000);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.orderId, hb.id);
    await until(async () => (await card("waitlist-state")) === words.fulfilled, 20000, "the popup's fulfilled 候补 order");
    assert.equal((await requestsTo(sim, "afterNate/confirmHB")).length, 1, "still one confirmHB");
  });
});

test("under faults (confirmHB processed then answered 已在处理中, a dropped queue answer, a busy list) one 候补 order", async () => {
  await inWorld("waitlist-faults", async ({ sim, browser, page }) => {
    await sim.control("/scenario", {
      inventory: [{ date: DATE, train: "G2", seat: "O", count: 0 }],
      order_visible_after_ms: 5000,
      faults: [
        { step: "confirmHB", kind: "processed_busy", message: "您的请求已在处理中，请在未完成订单中查询订单状态！", times: 1 },
        { step: "queryQueue", kind: "drop", times: 1 },
        { step: "queryUnHonourHOrder", kind: "busy", times: 1 },
      ],
    });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });
    await selectOption(page, "#kyfw-waitlist", "whenSoldOut");
    await book(page, "G2");
    const hb = await until(async () => (await sim.orders()).find((o) => o.kind === "hb"), 30000, "the 候补 order");
    // The task settles the unclear answer through the 待兑现 list and adopts the order: no second confirmHB.
    await until(async () => (await requestsTo(sim, "queryUnHonourHOrder")).length >= 3, 60000, "the 待兑现 list read");
    await sim.control("/release", { date: DATE, train: "G2", seat: "O", count: 2, after_ms: 0 });
    const result = await outcome(page, 90000);
    assert.ok(result.ok, JSON.stringify(result));
    const orders = await sim.orders();
    assert.equal(orders.length, 1, JSON.stringify(orders));
    assert.equal(orders[0].id, hb.id);
    assert.equal(orders[0].status, "unpaid");
    assert.equal((await requestsTo(sim, "afterNate/confirmHB")).length, 1, "one confirmHB");
  });
});

test("a face-check refusal pauses the task with 12306's reason, nothing submitted", async () => {
  await inWorld("waitlist-face", async ({ sim, browser, page }) => {
    await sim.control("/scenario", { face_check_code: "14", inventory: [{ date: DATE, train: "G2", seat: "O", count: 0 }] });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });
    await selectOption(page, "#kyfw-waitlist", "only");
    await book(page, "G2");
    const result = await outcome(page, 30000);
    assert.equal(result.state, "needsUser", JSON.stringify(result));
    assert.match(result.text + result.log.join("\n"), /人证一致性核验/);
    assert.equal((await sim.orders()).length, 0);
    assert.equal((await requestsTo(sim, "afterNate/confirmHB")).length, 0);
  });
});

test("window seats and a lower berth asked for are the seats the sim issued", async () => {
  await inWorld("seat-choice", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 50 } });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }, { name: "李四" }], seats: ["O"], intervalS: 1 });
    await selectOption(page, '#kyfw-passengers li[data-name="张三"] select.kyfw-pass-place', "A");
    await selectOption(page, '#kyfw-passengers li[data-name="李四"] select.kyfw-pass-place', "F");
    await book(page, "G2");
    const first = await outcome(page, 60000);
    assert.ok(first.ok, JSON.stringify(first));
    let orders = await sim.orders();
    assert.equal(orders[0].choose_seats, "1A1F");
    const byName = Object.fromEntries(orders[0].tickets.map((t) => [t.name, t.seat_no]));
    assert.match(byName["张三"], /A$/);
    assert.match(byName["李四"], /F$/);
    await sim.control("/reset", {});

    // A sleeper: 北京 → 上海 T109 硬卧, 下铺.
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { from: { name: "北京", code: "BJP" }, to: { name: "上海", code: "SHH" }, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["3"], intervalS: 1 });
    await selectOption(page, '#kyfw-passengers li[data-name="张三"] select.kyfw-pass-place', "Lower");
    await book(page, "T109");
    const second = await outcome(page, 60000);
    assert.ok(second.ok, JSON.stringify(second));
    orders = await sim.orders();
    assert.equal(orders.length, 1, JSON.stringify(orders));
    assert.equal(orders[0].seat_detail, "100");
    assert.match(orders[0].tickets[0].seat_no, /下铺$/);
  });
});
