// The panel's tasks (issue: the user-facing interface; the sale-opening issue's "a second row press adds a
// train"): a row press prepares a task whose trains the user sees, reorders and removes; pressing rows while a
// task runs prepares a second task beside it and never stops the first; the panel summarizes the selected task
// with a live countdown; the date booked is the one of the query the table shows, not a date typed into the
// form without querying.
import { test } from "node:test";
import assert from "node:assert/strict";
import { book, dateIn, draftTrains, outcome, prepare } from "../harness/flow.mjs";
import { click, panelEval, untilPanel } from "../harness/panel.mjs";
import { readyToBook } from "../harness/start.mjs";
import { DATE, inWorld, inventory, summarize } from "../harness/world.mjs";
import { extensionPage, extensionState, queries, until } from "./tasks-lib.mjs";

const summary = (page) =>
  panelEval(page, (root) => ({
    summary: root.getElementById("kyfw-summary").textContent,
    live: root.getElementById("kyfw-live").textContent,
    next: root.querySelector("#kyfw-live dd.kyfw-next")?.textContent || null,
    tasks: [...root.querySelectorAll("#kyfw-tasks li")].map((li) => ({ id: li.dataset.id, state: li.dataset.state })),
    note: root.querySelector("#kyfw-draft .kyfw-muted")?.textContent || "",
  }));

test("rows pressed while a task runs prepare a second task beside it: listed, reordered, removed; the first goes on", async () => {
  await inWorld("panel-second-task", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 0 }, G4: { O: 0 }, G6: { O: 0 }, G8: { O: 0 } });
    const since = await readyToBook({ sim, browser, page }, { intervalS: 1 });
    await book(page, "G2");
    await until(async () => (await queries(sim, since)).length >= 2, 30000, "the first task's queries");

    // The summary of the running task: what it books, for whom, and when it queries next (a live countdown).
    const first = await untilPanel(page, (root) => {
      const live = root.querySelector("#kyfw-live dd.kyfw-next");
      return live ? root.getElementById("kyfw-summary").textContent : null;
    }, null, { what: "the next query's countdown" });
    for (const part of [DATE, "上海虹桥→北京南", "G2", "二等座", "张三", "等票中"]) assert.ok(first.includes(part), `summary has ${part}: ${first}`);

    // Three rows pressed: a task being prepared with G4, G6, G8 in that order, beside the running one.
    await prepare(page, ["G4", "G6", "G8"]);
    assert.deepEqual(await draftTrains(page), ["G4", "G6", "G8"]);
    assert.match((await summary(page)).note, /同时进行/);
    await click(page, '#kyfw-draft-trains li[data-train="G6"] button.kyfw-up');
    assert.deepEqual(await draftTrains(page), ["G6", "G4", "G8"]);
    await click(page, '#kyfw-draft-trains li[data-train="G6"] button.kyfw-down');
    assert.deepEqual(await draftTrains(page), ["G4", "G6", "G8"]);
    await click(page, '#kyfw-draft-trains li[data-train="G4"] button.kyfw-down');
    assert.deepEqual(await draftTrains(page), ["G6", "G4", "G8"]);
    await click(page, '#kyfw-draft-trains li[data-train="G8"] button.kyfw-remove');
    assert.deepEqual(await draftTrains(page), ["G6", "G4"]);

    const popup = await extensionPage(browser);
    const before = (await extensionState(popup)).tasks;
    assert.equal(before.length, 1);
    assert.equal(before[0].state, "running");
    await click(page, "#kyfw-start");
    const both = await until(async () => {
      const tasks = (await extensionState(popup)).tasks;
      return tasks.length === 2 ? tasks : null;
    }, 15000, "the second task");
    assert.deepEqual(both.map((t) => t.state), ["running", "running"], "the second task does not stop the first");
    const shown = await untilPanel(page, (root) => (root.querySelectorAll("#kyfw-tasks li").length === 2 ? true : null), null, {
      what: "both tasks in the panel",
    });
    assert.ok(shown);
    // The first keeps querying after the second started.
    const mark = Math.max(...(await sim.requests()).map((r) => r.seq));
    await page.waitForTimeout(3500);
    const later = (await sim.requests()).filter((r) => r.seq > mark && /leftTicket\/query/.test(r.path));
    assert.ok(later.length >= 3, `both tasks query: ${later.length}`);
    assert.ok((await extensionState(popup)).tasks.every((t) => t.state === "running"), "both still running");

    // Tickets on G4 (the second task's second train; G6 stays sold out): the second task books G4, the first
    // (G2) is still waiting for its tickets.
    await inventory(sim, { G4: { O: 10 } });
    const order = await until(async () => (await sim.orders())[0], 60000, "the second task's order");
    assert.equal(order.train, "G4");
    const after = await until(async () => {
      const tasks = (await extensionState(popup)).tasks;
      return tasks.some((t) => t.orderId) ? tasks : null;
    }, 20000, "the second task done");
    const [firstTask] = before;
    assert.equal(after.find((t) => t.id === firstTask.id).state, "running", "the first task goes on");
    assert.equal((await sim.orders()).length, 1);
  });
});

test("a date changed in the form without querying is not booked: the table's query is", async () => {
  await inWorld("panel-shown-date", async ({ sim, browser, page }) => {
    const other = dateIn(5);
    await inventory(sim, { G2: { O: 20 } });
    await inventory(sim, { G2: { O: 20 } }, other);
    await readyToBook({ sim, browser, page }, { intervalS: 1 });
    // The user types another date but does not press 查询: the table still shows DATE's trains.
    await page.fill("#train_date", other);
    await page.locator("#train_date").press("Tab");
    await book(page, "G2");
    const result = await outcome(page, 60000);
    assert.equal(result.state, "done", `${result.text}\n${result.log.join("\n")}`);
    const orders = (await sim.orders()).map(summarize);
    assert.equal(orders.length, 1);
    assert.equal(orders[0].date, DATE, `booked the table's date ${DATE}, not ${other}`);
    const shown = await panelEval(page, (root) => root.getElementById("kyfw-summary").textContent);
    assert.ok(shown.includes(DATE) && !shown.includes(other), shown);
  });
});
