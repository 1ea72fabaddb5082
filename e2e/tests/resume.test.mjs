// The product promise "it keeps retrying in the background": the MV3 service worker is stopped by Chrome after
// 30 s idle (or whenever it likes); the task must come back from storage and finish the booking.
import { test } from "node:test";
import assert from "node:assert/strict";
import { book, outcome, killWorker } from "../harness/flow.mjs";
import { readyToBook, untilLogSays } from "../harness/start.mjs";
import { inWorld, inventory } from "../harness/world.mjs";

test("a killed service worker resumes the task and books", async () => {
  await inWorld("resume", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 0 } });
    await readyToBook({ sim, browser, page }, { intervalS: 1 });
    await book(page, "G2");
    await untilLogSays(page, /查询/);
    const bootedBefore = Date.now();
    assert.ok((await killWorker(browser.context, page)) >= 1, "a worker was running");
    await inventory(sim, { G2: { O: 50 } });
    // The resume alarm fires at most every 30 s.
    const result = await outcome(page, 120000);
    assert.ok(result.ok, `${result.text} / ${result.log.join(" | ")}`);
    assert.equal((await sim.orders()).length, 1);
    const origin = await browser.workerEval(() => performance.timeOrigin);
    assert.ok(origin > bootedBefore, "the order was placed by a new worker");
  });
});
