// (a) one click on a row with tickets books exactly one order for the chosen passengers, train and class, and
// the page shows its order id; (b) three passengers with different classes, one of them on a child ticket.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loginWithQr, openQuery, choose, book, outcome, screenshot } from "../harness/flow.mjs";
import { DATE, ROUTE, inWorld, inventory, requestsTo, summarize } from "../harness/world.mjs";

test("one click books one order for the chosen passenger, train and class", async () => {
  await inWorld("book-one", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 50, M: 50, 9: 10 } });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O"] });
    await screenshot(page, "book-one-buttons");
    await book(page, "G2");
    const result = await outcome(page);
    await screenshot(page, "book-one-done");

    assert.ok(result.ok, `expected success, got: ${result.text} / ${result.log.join(" | ")}`);
    const orders = (await sim.orders()).map(summarize);
    assert.equal(orders.length, 1, JSON.stringify(orders));
    const [order] = orders;
    assert.equal(result.orderId, order.orderId);
    assert.match(result.text, new RegExp(order.orderId));
    assert.equal(order.train, "G2");
    assert.deepEqual(
      order.tickets.map((t) => [t.name, t.seat, t.ticketType]),
      [["张三", "O", "1"]],
    );
    assert.equal((await requestsTo(sim, "confirmSingleForQueue")).length, 1, "exactly one confirmation");
  });
});

test("three passengers with their own classes, one on a child ticket", async () => {
  await inWorld("book-three", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 50, M: 50, 9: 10 } });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, {
      passengers: [
        { name: "张三", seat: "M" },
        { name: "李四", seat: "9" },
        { name: "张小宝", ticketType: "2", seat: "O" },
      ],
      seats: ["O"],
    });
    await book(page, "G2");
    const result = await outcome(page);
    await screenshot(page, "book-three-done");

    assert.ok(result.ok, `expected success, got: ${result.text} / ${result.log.join(" | ")}`);
    const orders = (await sim.orders()).map(summarize);
    assert.equal(orders.length, 1, JSON.stringify(orders));
    const byName = Object.fromEntries(orders[0].tickets.map((t) => [t.name, t]));
    assert.deepEqual(Object.keys(byName).sort(), ["张三", "张小宝", "李四"].sort());
    assert.equal(byName["张三"].seat, "M");
    assert.equal(byName["李四"].seat, "9");
    assert.equal(byName["张小宝"].seat, "O");
    assert.equal(byName["张小宝"].ticketType, "2");
    assert.equal(byName["张三"].ticketType, "1");
    assert.equal(result.orderId, orders[0].orderId);
  });
});
