// when the user must act (here: 12306 logged the session out) the task pauses with a notification
// and a red "!" badge; after the user is back, Start in the popup resumes the same task and it books.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loginWithQr } from "../harness/flow.mjs";
import { inWorld, inventory } from "../harness/world.mjs";
import { assertOneOrder, extensionPage, extensionState, startSoldOut, until } from "./tasks-lib.mjs";

test("logged out mid-task: notification + '!' badge; Start in the popup resumes and books", async () => {
  await inWorld("needs", async ({ sim, browser, page }) => {
    await startSoldOut({ sim, browser, page, intervalS: 1 });
    const popup = await extensionPage(browser);
    // 12306 ends the session (here: the user logs out in the page) and answers the next query with the redirect
    // to the passport page. The tab transport asks login/conf which redirect it was: logged out.
    await page.evaluate(() => fetch("/otn/login/loginOut", { credentials: "include", redirect: "manual" }).then(() => true));
    await sim.control("/fault", { step: "query", kind: "login", times: 1 });
    const state = await until(async () => {
      const s = await extensionState(popup);
      return s.notifyLog.some((n) => n.kind === "needsUser") ? s : null;
    }, 20000, "the needs-you notification");
    const task = state.tasks[0];
    assert.equal(task.state, "needsUser");
    assert.equal(state.badge, "!");
    assert.ok(state.notifications.includes(`kyfw-${task.id}`), `notifications: ${state.notifications}`);
    const card = popup.locator(`li.task[data-id="${task.id}"]`);
    await until(async () => (await card.getAttribute("data-state")) === "needsUser", 10000, "the popup's state");

    // The user logs in again, then presses Start.
    await loginWithQr(browser.context, sim, page);
    await inventory(sim, { G2: { O: 20 } });
    await card.locator("button.start").click();
    await until(async () => (await sim.orders()).length > 0, 60000, "the order");
    const one = await assertOneOrder(sim);
    const done = await until(async () => (await extensionState(popup)).tasks.find((t) => t.orderId), 20000, "the task done");
    assert.equal(done.id, task.id, "the same task went on");
    assert.equal(done.orderId, one.id);
  });
});
