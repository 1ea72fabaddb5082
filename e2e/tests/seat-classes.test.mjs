// Seat classes the trains really sell (PROTOCOL.md §4.1): the panel offers the classes of the trains the table
// shows, and a task asking for a class its train never sells says so at once instead of waiting forever.
import { test } from "node:test";
import assert from "node:assert/strict";
import { book, choose, loginWithQr, openQuery, outcome, prepare } from "../harness/flow.mjs";
import { click, panelEval, untilPanel } from "../harness/panel.mjs";
import { lastSeq, queries } from "../harness/start.mjs";
import { DATE, ROUTE, inWorld, inventory, requestsTo } from "../harness/world.mjs";

test("the panel offers the classes the shown trains sell; a class the train never sells is said at once", async () => {
  await inWorld("seat-classes", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 50 } });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    // 上海虹桥 → 北京南: G trains with 商务座, 一等座, 二等座 (tests/sim12306/README.md), no sleepers, no 硬座.
    const offered = await untilPanel(
      page,
      (root) => {
        const codes = [...root.querySelectorAll("#kyfw-seats input[type=checkbox]")].map((i) => i.value);
        return codes.includes("M") && !codes.includes("3") ? codes : null;
      },
      null,
      { what: "the seat list of the shown trains" },
    );
    for (const code of ["9", "M", "O"]) assert.ok(offered.includes(code), `offers ${code}: ${offered}`);
    for (const code of ["3", "4", "1", "J", "I", "F"]) assert.ok(!offered.includes(code), `does not offer ${code}: ${offered}`);

    // The per-passenger class still lists every class; 硬卧 for 张三 on G2 can never be booked.
    await choose(page, { passengers: [{ name: "张三", seat: "3" }], seats: ["O"], intervalS: 1 });
    await book(page, "G2");
    const result = await outcome(page, 30000);
    assert.equal(result.state, "needsUser", `${result.text}\n${result.log.join("\n")}`);
    assert.match(result.text, /G2 不发售所选的席别/);
    assert.equal((await requestsTo(sim, "submitOrderRequest")).length, 0, "nothing submitted");
    const seatList = await panelEval(page, (root) => root.getElementById("kyfw-seats").textContent);
    assert.ok(!seatList.includes("硬卧"), seatList);
  });
});

test("a student ticket for a passenger whose record is not a student's is refused when the task is created", async () => {
  await inWorld("student-on-adult", async ({ sim, browser, page }) => {
    await inventory(sim, { G2: { O: 50 } });
    await loginWithQr(browser.context, sim, page);
    await openQuery(page, { ...ROUTE, date: DATE });
    // 张三's record is an adult's (passenger_type 1); 陈同学's is a student's.
    await choose(page, { passengers: [{ name: "张三", ticketType: "3" }], seats: ["O"], intervalS: 1 });
    const since = await lastSeq(sim);
    await prepare(page, "G2");
    await click(page, "#kyfw-start");
    const status = await untilPanel(page, (root) => {
      const s = root.getElementById("kyfw-status");
      return s && /学生票/.test(s.textContent) ? s.textContent : null;
    }, null, { what: "the refusal in the panel" });
    assert.match(status, /张三/);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal((await queries(sim, since)).length, 0, "no task ran");
  });
});
