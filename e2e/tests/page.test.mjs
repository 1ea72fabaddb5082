// The query page itself: one 自动预订 button per train row, also after the page re-renders its table.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openQuery } from "../harness/flow.mjs";
import { DATE, ROUTE, inWorld } from "../harness/world.mjs";

const counts = (page) =>
  page.evaluate(() => ({
    rows: document.querySelectorAll("#queryLeftTable tr[id^='ticket_']").length,
    buttons: document.querySelectorAll("#queryLeftTable tr[id^='ticket_'] a.kyfw-book").length,
    perRow: [...document.querySelectorAll("#queryLeftTable tr[id^='ticket_']")].map(
      (tr) => tr.querySelectorAll("a.kyfw-book").length,
    ),
  }));

test("one button per train row, re-applied when the page queries again", async () => {
  await inWorld("row-buttons", async ({ page }) => {
    await openQuery(page, { ...ROUTE, date: DATE });
    await page.waitForSelector("#queryLeftTable a.kyfw-book");
    const first = await counts(page);
    assert.ok(first.rows >= 5, `rows: ${first.rows}`);
    assert.ok(first.perRow.every((n) => n === 1), JSON.stringify(first.perRow));

    // The page's own 查询 replaces the whole table body; the buttons must come back, once per row.
    const oldBody = await page.$("#queryLeftTable");
    await page.click("#query_ticket");
    await page.waitForFunction((old) => document.getElementById("queryLeftTable") !== old, oldBody, { timeout: 20000 });
    await page.waitForSelector("#queryLeftTable tr[id^='ticket_'] a.kyfw-book", { timeout: 20000 });
    await page.waitForTimeout(300);
    const again = await counts(page);
    assert.equal(again.rows, first.rows);
    assert.ok(again.perRow.every((n) => n === 1), JSON.stringify(again.perRow));
  });
});
