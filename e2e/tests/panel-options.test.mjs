// The task being prepared, with its "more options" fold (content/features/draft-options.js): several trains and
// dates in priority order built by row presses and the date picker, kinds of train and a departure window, the
// core's refusal of a bad window shown at the field, and a date past the pre-sale window marked as starting at its
// sale. Asserted on sim12306's order book and request log, and on what the popup's card says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { choose, dateIn, draftTrains, loginWithQr, openQuery, outcome, prepare, screenshot } from "../harness/flow.mjs";
import { click, fill, panelEval, panelState, setChecked, untilPanel } from "../harness/panel.mjs";
import { DATE, ROUTE, inWorld, inventory, summarize } from "../harness/world.mjs";
import { assertOneOrder, extensionPage, until } from "./tasks-lib.mjs";

/** Opens the fold (a real click on its title) unless it is open. */
async function openOptions(page) {
  const open = await panelEval(page, (root) => root.getElementById("kyfw-options").open);
  if (!open) await click(page, "#kyfw-options > summary");
  await untilPanel(page, (root) => root.getElementById("kyfw-options").open, null, { what: "the options open" });
}

/**
 * Adds a travel date with the fold's date picker: the picker's value is set as the browser's calendar sets it (its
 * segments' order follows the locale), then 添加日期 is pressed with a real click.
 */
async function addDate(page, date) {
  await panelEval(page, (root, d) => (root.getElementById("kyfw-date-new").value = d), date);
  await click(page, "#kyfw-date-add");
}

const draftDates = (page) =>
  panelEval(page, (root) => [...root.querySelectorAll("#kyfw-draft-dates li")].map((li) => ({ date: li.dataset.date, scheduled: li.dataset.scheduled === "true", text: li.textContent })));

/** The query dates the sim saw after `since` (seq), in order. */
async function queriedDates(sim, since) {
  return (await sim.requests())
    .filter((r) => r.seq > since && /\/otn\/leftTicket\/query/.test(r.path || ""))
    .map((r) => /train_date=(\d{4}-\d{2}-\d{2})/.exec(decodeURIComponent(r.query || ""))?.[1]);
}

const lastSeq = async (sim) => Math.max(0, ...(await sim.requests()).map((r) => r.seq || 0));

/** The popup's card of the one task: its option rows by class. */
async function popupCard(browser) {
  const popup = await extensionPage(browser);
  await until(async () => (await popup.locator("li.task").count()) === 1, 10000, "the task in the popup");
  const rows = await popup.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll("li.task dd")].map((dd) => [dd.className, dd.textContent])),
  );
  await popup.close();
  return rows;
}

test("three trains pressed and a second date added: the first available in priority order is booked", async () => {
  await inWorld("panel-options-dates", async ({ sim, browser, page }) => {
    const second = dateIn(5);
    // The table's date: every pressed train sold out. The second date: G6 sold out, G2 and G4 with tickets.
    await inventory(sim, { G6: { O: 0 }, G2: { O: 0 }, G4: { O: 0 } });
    await inventory(sim, { G6: { O: 0 }, G2: { O: 10 }, G4: { O: 10 } }, second);
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });

    await prepare(page, ["G6", "G2", "G4"]);
    assert.deepEqual(await draftTrains(page), ["G6", "G2", "G4"]);
    await openOptions(page);
    assert.deepEqual((await draftDates(page)).map((d) => d.date), [DATE], "the table's date comes first");
    await addDate(page, second);
    await untilPanel(page, (root) => root.querySelectorAll("#kyfw-draft-dates li").length === 2, null, { what: "the second date" });
    assert.deepEqual((await draftDates(page)).map((d) => d.date), [DATE, second]);
    // The same date twice is said at the field, not added.
    await addDate(page, second);
    const twice = await untilPanel(page, (root) => root.getElementById("kyfw-dates-error").textContent, null, { what: "the date's reason" });
    assert.match(twice, /已在列表中/);
    assert.equal((await draftDates(page)).length, 2);

    const since = await lastSeq(sim);
    await click(page, "#kyfw-start");
    const done = await outcome(page, 90000);
    assert.equal(done.state, "done", `${done.text}\n${done.log.join("\n")}`);
    const order = summarize(await assertOneOrder(sim));
    assert.equal(order.train, "G2", "the first train with tickets in the task's order (G6 sold out)");
    assert.equal(order.date, second, "on the second date: the first one is sold out");
    // Both dates were asked, the table's date first.
    const dates = await queriedDates(sim, since);
    assert.equal(dates[0], DATE, `queries: ${dates}`);
    assert.ok(dates.includes(second), `queries: ${dates}`);

    const shown = await panelEval(page, (root) => root.querySelector("#kyfw-summary .kyfw-sum-date").textContent);
    assert.equal(shown, `${DATE} › ${second}`);
    const card = await popupCard(browser);
    assert.equal(card.dates, `${DATE} › ${second}`);
    assert.equal(card.types, "任意");
    assert.equal(card.window, "不限");
    assert.equal(card["min-seats"], "与乘车人数相同（1）");
    assert.equal(card["allow-fewer"], "不订");
  });
});

test("kinds of train and a departure window: a train outside them is not booked though it has tickets", async () => {
  await inWorld("panel-options-filter", async ({ sim, browser, page }) => {
    const route = { from: { name: "上海", code: "SHH" }, to: { name: "常州", code: "CZH" } };
    // G7784 06:24 and G7002 07:00 leave before the window, D3006 08:05 is a D train, G7010 09:10 fits.
    await inventory(sim, { G7784: { O: 50 }, G7002: { O: 50 }, D3006: { O: 50 }, G7010: { O: 50 } });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...route, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });
    await prepare(page, ["G7784", "G7002", "D3006", "G7010"]);
    await openOptions(page);
    await setChecked(page, '#kyfw-types input[value="G"]', true);
    await fill(page, "#kyfw-depart-after", "07:30");
    await fill(page, "#kyfw-depart-before", "10:00");
    await fill(page, "#kyfw-min-seats", "2");
    await setChecked(page, "#kyfw-allow-fewer", true);
    const brief = await panelEval(page, (root) => root.querySelector("#kyfw-options .kyfw-opt-brief").textContent);
    assert.match(brief, /G.*07:30–10:00/);

    await click(page, "#kyfw-start");
    const done = await outcome(page, 90000);
    assert.equal(done.state, "done", `${done.text}\n${done.log.join("\n")}`);
    const order = summarize(await assertOneOrder(sim));
    assert.equal(order.train, "G7010", "the one pressed train of kind G leaving inside 07:30–10:00");
    const submits = (await sim.requests()).filter((r) => String(r.path).includes("submitOrderRequest"));
    assert.equal(submits.length, 1, "no other train was tried");

    const card = await popupCard(browser);
    assert.equal(card.types, "G 高铁");
    assert.equal(card.window, "07:30–10:00");
    assert.equal(card["min-seats"], "2");
    assert.equal(card["allow-fewer"], "为前几位乘车人先订");
    const summary = await panelEval(page, (root) => root.getElementById("kyfw-summary").textContent);
    for (const part of ["G 高铁", "07:30–10:00"]) assert.ok(summary.includes(part), `summary has ${part}: ${summary}`);
  });
});

for (const locale of ["zh", "en"]) {
  test(`${locale}: a bad departure window is refused by the core with the reason at the field; a far date is scheduled`, async () => {
    await inWorld(
      `panel-options-refused-${locale}`,
      async ({ sim, browser, page }) => {
        await inventory(sim, { G2: { O: 10 } });
        await loginWithQr(browser.context, sim, page);
        await openQuery(page, { ...ROUTE, date: DATE });
        await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });
        await prepare(page, ["G2"]);
        await openOptions(page);

        // A date past the pre-sale window (today … today+14 on the sim) is allowed, marked as starting at its sale.
        const far = dateIn(20);
        await addDate(page, far);
        await untilPanel(page, (root) => root.querySelectorAll("#kyfw-draft-dates li").length === 2, null, { what: "the far date" });
        const [near, later] = await draftDates(page);
        assert.equal(near.scheduled, false);
        assert.equal(later.date, far);
        assert.equal(later.scheduled, true);
        assert.match(later.text, locale === "zh" ? /起售后开始/ : /starts when on sale/);
        // A date past the days offered is refused by the picker's range (the core's latestDate).
        await addDate(page, dateIn(120));
        const range = await untilPanel(page, (root) => root.getElementById("kyfw-dates-error").textContent, null, { what: "the range's reason" });
        assert.match(range, locale === "zh" ? /请选择/ : /Pick a date/);
        assert.equal((await draftDates(page)).length, 2);

        // From after to: the core refuses the start (badTimeWindow), the panel says why at the window's fields.
        await fill(page, "#kyfw-depart-after", "18:00");
        await fill(page, "#kyfw-depart-before", "08:00");
        const since = await lastSeq(sim);
        await click(page, "#kyfw-start");
        const refused = await untilPanel(
          page,
          (root) => {
            const text = root.getElementById("kyfw-window-error").textContent;
            return text ? { text, invalid: root.getElementById("kyfw-depart-after").getAttribute("aria-invalid"), status: root.getElementById("kyfw-status").textContent } : null;
          },
          null,
          { what: "the window's reason" },
        );
        assert.match(refused.text, locale === "zh" ? /出发时段 18:00–08:00 为空/ : /departure window 18:00–08:00 is empty/);
        assert.equal(refused.invalid, "true");
        assert.ok(refused.status, "the status line says something was refused");
        const visible = await panelEval(page, (root) => {
          const r = root.getElementById("kyfw-window-error").getBoundingClientRect();
          return r.width > 0 && r.height > 0;
        });
        assert.ok(visible, "the reason is visible");
        await screenshot(page, `panel-options-refused-${locale}`);
        // Nothing started: no task, no request to the sim.
        assert.equal((await panelState(page)).taskId, null);
        await page.waitForTimeout(1500);
        // (开始抢票 checks the login first: one login/conf; nothing of a task.)
        const sent = (await sim.requests()).filter((r) => r.seq > since && !String(r.path).includes("login/conf"));
        assert.deepEqual(sent.map((r) => r.path), [], "nothing of a task was sent");

        // A time that is not HH:MM is the core's refusal too, at its field.
        await fill(page, "#kyfw-depart-after", "7:3");
        await click(page, "#kyfw-start");
        const bad = await untilPanel(page, (root) => root.getElementById("kyfw-window-error").textContent, null, { what: "the time's reason" });
        assert.match(bad, /7:3/);
        // Fixed, the task starts.
        await fill(page, "#kyfw-depart-after", "07:00");
        await fill(page, "#kyfw-depart-before", "23:00");
        await click(page, "#kyfw-start");
        await untilPanel(page, (root) => root.getElementById("kyfw-panel").dataset.taskId, null, { what: "the task started" });
        const error = await panelEval(page, (root) => root.getElementById("kyfw-window-error").textContent);
        assert.equal(error, "");
      },
      { locale },
    );
  });
}

test("a train typed as a pattern joins the pressed ones; a bad pattern is refused by the core, nothing is booked", async () => {
  await inWorld("panel-options-typed-train", async ({ sim, browser, page }) => {
    // G2 pressed and sold out; the typed pattern G* (any G train with one digit… G4 here) has tickets.
    await inventory(sim, { G2: { O: 0 }, G4: { O: 10 } });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    await choose(page, { passengers: [{ name: "张三" }], seats: ["O"], intervalS: 1 });
    await prepare(page, ["G2"]);
    // A regex that does not compile: the core refuses the start and names it; nothing reaches the booking steps.
    await fill(page, "#kyfw-train-add", "re:(");
    await click(page, "#kyfw-train-add-btn");
    assert.deepEqual(await draftTrains(page), ["G2", "re:("]);
    const since = await lastSeq(sim);
    await click(page, "#kyfw-start");
    // The status line says "checking the login" first, then the refusal.
    const refused = await untilPanel(page, (root) => (/re:\(/.test(root.getElementById("kyfw-status")?.textContent || "") ? root.getElementById("kyfw-status")?.textContent : ""), null, { what: "the refusal" });
    assert.match(refused, /re:\(/, refused);
    const sent = (await sim.requests()).filter((r) => r.seq > since && /leftTicket|submitOrderRequest/.test(r.path || ""));
    assert.deepEqual(sent, [], "nothing booked with a refused task");
    // Removed, and a pattern typed in lower case instead: it is kept after the pressed train.
    await click(page, '#kyfw-draft-trains li[data-train="re:("] .kyfw-remove');
    await fill(page, "#kyfw-train-add", "g*");
    await page.keyboard.press("Enter");
    await untilPanel(page, (root) => !!root.querySelector('#kyfw-draft-trains li[data-train="G*"]'), null, { what: "the typed pattern" });
    // A regex with a Perl class: the wasm's regex must know \d (and the start below must not refuse it).
    await fill(page, "#kyfw-train-add", "re:^G\\d$");
    await click(page, "#kyfw-train-add-btn");
    assert.deepEqual(await draftTrains(page), ["G2", "G*", "re:^G\\d$"]);
    await click(page, "#kyfw-start");
    const done = await outcome(page, 90000);
    assert.equal(done.state, "done", `${done.text}\n${done.log.join("\n")}`);
    assert.equal(summarize(await assertOneOrder(sim)).train, "G4", "G2 sold out: the pattern's train");
  });
});
