// The popup: stop from the popup → no further requests reach 12306; start again → it queries
// again; delete → the task is gone. The popup shows state, attempts, the last answer and the next try.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inWorld } from "../harness/world.mjs";
import { extensionPage, lastSeq, queries, startSoldOut, until } from "./tasks-lib.mjs";

// Every request the booking loop can make (the page's own requests, e.g. its login check, are not the task's).
const BOOKING = /\/otn\/(leftTicket\/(query|submitOrderRequest)|login\/(checkUser|conf)|confirmPassenger\/|queryOrder\/)/;

test("popup: stop → no more requests; start → queries again; delete → gone", async () => {
  await inWorld("popup", async ({ sim, browser, page }) => {
    await startSoldOut({ sim, browser, page, intervalS: 1 });
    const popup = await extensionPage(browser);
    const card = popup.locator("li.task").first();
    await until(async () => /\d+/.test((await card.locator("dl").textContent()) || ""), 10000, "the task card");
    const text = await card.textContent();
    assert.match(text, /G2/);
    assert.equal(await card.getAttribute("data-state"), "waiting", "sold out: waiting for tickets");
    assert.ok(Number(await popup.evaluate(() => document.querySelector("li.task dd:nth-of-type(2)")?.textContent)) >= 2, "attempts");
    assert.ok(await card.locator("dd.next").count(), "next try shown");

    await card.locator("button.stop").click();
    await until(async () => (await card.getAttribute("data-state")) === "stopped", 10000, "stopped in the popup");
    // A request already on its way may still land; after that, nothing.
    await popup.waitForTimeout(1500);
    const since = await lastSeq(sim);
    await popup.waitForTimeout(5000);
    const late = (await sim.requests()).filter((r) => r.seq > since && BOOKING.test(String(r.path)));
    assert.deepEqual(late.map((r) => r.path), [], "no requests after stop");

    await card.locator("button.start").click();
    await until(async () => (await queries(sim, since)).length >= 2, 15000, "queries after start");
    assert.equal(await card.getAttribute("data-state"), "waiting");

    await card.locator("button.delete").click();
    await until(async () => (await popup.locator("li.task").count()) === 0, 10000, "the task deleted");
    const afterDelete = await lastSeq(sim);
    await popup.waitForTimeout(3000);
    assert.equal((await queries(sim, afterDelete + 1)).length, 0, "a deleted task does not query");
    const stored = await popup.evaluate(async () => Object.keys(await chrome.storage.local.get(null)).filter((k) => k.startsWith("task:")));
    assert.deepEqual(stored, []);
  });
});
