// 继续 in place: a task paused because 12306 logged the session out shows, in the panel itself, why and a 继续
// button; after the user logs in again (another tab), 继续 in the panel resumes the same task and it books.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loginWithQr } from "../harness/flow.mjs";
import { click, panelEval, untilPanelState } from "../harness/panel.mjs";
import { inWorld, inventory } from "../harness/world.mjs";
import { assertOneOrder, startSoldOut } from "./tasks-lib.mjs";

test("needs the user: the panel says why and continues the same task in place", async () => {
  await inWorld("panel-continue", async ({ sim, browser, page }) => {
    await startSoldOut({ sim, browser, page, intervalS: 1 });
    const taskId = (await untilPanelState(page, (s) => s.taskId, { what: "the task" })).taskId;
    await page.evaluate(() => fetch("/otn/login/loginOut", { credentials: "include", redirect: "manual" }).then(() => true));
    await sim.control("/fault", { step: "query", kind: "login", times: 1 });
    const paused = await untilPanelState(page, (s) => s.state === "needsUser", { timeout: 30000, what: "the pause" });
    assert.equal(paused.taskId, taskId);
    const button = await panelEval(page, (root) => {
      const b = root.getElementById("kyfw-continue");
      return { hidden: b.hidden, text: b.textContent };
    });
    assert.deepEqual(button, { hidden: false, text: "继续" });

    // Logged in again in another tab; the query page and its panel stay where they were.
    const other = await browser.context.newPage();
    await loginWithQr(browser.context, sim, other);
    await inventory(sim, { G2: { O: 20 } });
    await click(page, "#kyfw-continue");
    const done = await untilPanelState(page, (s) => s.state === "done", { timeout: 60000, what: "the order" });
    assert.equal(done.taskId, taskId, "the same task went on");
    const order = await assertOneOrder(sim);
    assert.equal(done.orderId, order.id);
  });
});
