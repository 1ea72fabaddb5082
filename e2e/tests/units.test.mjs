// Unit tests of the extension's pure glue (no browser): the core's API as JS sees it (the built wasm, loaded in
// node), what a run's end puts into a record, and the step log's folding of repeated lines. The rules behind the
// core's answers are tested in Rust (src/task/spec.rs, src/protocol/account.rs, src/protocol/seat.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describeReason, readEvent, readReason, readResult } from "../../extension/background/tasks/outcome.js";
import { appendLog } from "../../extension/background/tasks/store.js";

// chrome.i18n for the module scripts' t(): the extension's zh_CN strings, placeholders filled as Chrome does.
const LOCALE = JSON.parse(readFileSync(new URL("../../extension/_locales/zh_CN/messages.json", import.meta.url), "utf8"));
globalThis.chrome = {
  i18n: {
    getMessage(key, subs = []) {
      const entry = LOCALE[key];
      if (!entry) return "";
      return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, name) => {
        const content = entry.placeholders?.[name.toLowerCase()]?.content || "";
        return content.replace(/\$(\d)/g, (__, n) => subs[Number(n) - 1] ?? "");
      });
    },
  },
};

const WASM = new URL("../../extension/wasm/kyfw_bg.wasm", import.meta.url);
const built = existsSync(WASM);
const core = built ? await import("../../extension/wasm/kyfw.js") : null;
if (core) core.initSync({ module: readFileSync(WASM) });
const needsCore = { skip: built ? false : "the wasm core is not built (./build.sh)" };

const SPEC = {
  train: "G2",
  date: "2026-12-01",
  from: "AOH",
  to: "VNP",
  fromName: "上海虹桥",
  toName: "北京南",
  seats: ["O", "M", "O"],
  acceptNoSeat: true,
  intervalMs: 3000,
  queryPath: "leftTicket/queryG",
  passengers: [
    // The record's own type when the panel knows it (getPassengerDTOs), else nothing.
    { name: "张三", idNo: "1101***********012", ticketType: "1", seat: null, passengerType: "1" },
    { name: "张小宝", idNo: "1101***********099", ticketType: "2", seat: "O", passengerType: "x" },
  ],
};

test("core: a panel request becomes the BookingTask, as a plain object", needsCore, () => {
  const task = core.taskFromSpec(SPEC, "t1");
  assert.equal(Object.getPrototypeOf(task), Object.prototype, "a plain object, not a Map");
  assert.deepEqual(task, {
    id: "t1",
    date: "2026-12-01",
    from: "AOH",
    to: "VNP",
    fromName: "上海虹桥",
    toName: "北京南",
    dates: ["2026-12-01"],
    trains: ["G2"],
    trainTypes: [],
    departAfter: null,
    departBefore: null,
    minSeats: null,
    allowFewer: false,
    seats: ["O", "M"],
    acceptNoSeat: true,
    passengers: [
      { name: "张三", idNo: "1101***********012", ticketType: "1", seat: null, passengerType: "1", seatLetter: null, berth: null },
      { name: "张小宝", idNo: "1101***********099", ticketType: "2", seat: "O", passengerType: "", seatLetter: null, berth: null },
    ],
    purpose: "ADULT",
    queryPath: "leftTicket/queryG",
    intervalMs: 3000,
    encryptedData: "",
    // Several dates and trains (issue 11).
    dates: ["2026-12-01"],
    trainTypes: [],
    departAfter: null,
    departBefore: null,
    minSeats: null,
    allowFewer: false,
    // 候补 and seat choice (issue 13).
    waitlist: { policy: "off", keepPolling: false, deadlineMin: 360 },
    quietCarriage: false,
  });
  const students = core.taskFromSpec({ ...SPEC, intervalMs: 5, passengers: [{ name: "陈同学", idNo: "x", ticketType: "3" }] }, "t2");
  assert.equal(students.purpose, "0X00");
  assert.equal(students.intervalMs, 1000);
  assert.ok(core.sameBooking(task, { ...task, id: "t3", seats: ["M"], intervalMs: 9000 }));
  assert.ok(!core.sameBooking(task, { ...task, trains: ["G4"] }));
  // A machine made from it shows its status with numbers and nulls, not BigInts and undefined.
  const booking = new core.Booking(task, 1_700_000_000_000);
  const status = booking.status();
  assert.equal(typeof status.attempts, "number");
  assert.equal(status.orderId, null);
  assert.deepEqual(booking.task(), task);
  booking.free();
});

test("core: what a page must not send is refused with a message", needsCore, () => {
  const bad = [
    null,
    { ...SPEC, train: "G2&x=1" },
    { ...SPEC, date: "2026-1-1" },
    { ...SPEC, from: "aoh" },
    { ...SPEC, passengers: [] },
    { ...SPEC, passengers: Array.from({ length: 10 }, (_, i) => ({ name: `p${i}`, idNo: "x" })) },
    { ...SPEC, passengers: [{ name: "", idNo: "x" }] },
    { ...SPEC, passengers: ["张三"] },
    { ...SPEC, seats: ["O", 7] },
  ];
  for (const spec of bad) assert.throws(() => core.taskFromSpec(spec, "t"), Error, JSON.stringify(spec));
  assert.throws(
    () => core.taskFromSpec({ ...SPEC, passengers: [{ ...SPEC.passengers[0], ticketType: "3" }] }, "t"),
    /张三.*学生票/,
  );
  // Each refusal carries its code and value, for the UI's own words.
  const tooMany = { ...SPEC, passengers: Array.from({ length: 10 }, (_, i) => ({ name: `P${i}`, idNo: `x${i}`, ticketType: "1" })) };
  assert.throws(() => core.taskFromSpec(tooMany, "t"), (err) => err.code === "tooManyPassengers" && err.detail === 10);
  assert.throws(
    () => core.taskFromSpec({ ...SPEC, passengers: [{ ...SPEC.passengers[0], ticketType: "3" }] }, "t"),
    (err) => err.code === "ticketTypeNotAllowed" && err.detail === "张三" && err.ticketType === "3",
  );
});

test("core: the account's answers and the seat classes for the panel", needsCore, () => {
  const conf = core.readLoginConf({
    status: 200,
    finalUrl: "https://kyfw.12306.cn/otn/login/conf",
    body: JSON.stringify({ status: true, data: { is_login: "Y", name: "张三" } }),
  });
  // Without `now` the dates a UI offers are not known.
  assert.deepEqual(conf, { loggedIn: true, name: "张三", queryPath: null, today: null, lastOnSale: null, latestDate: null });
  const passport = "https://kyfw.12306.cn/otn/passport?redirect=/otn/login/userLogin";
  assert.equal(core.readLoginConf({ status: 302, finalUrl: passport, body: "" }).loggedIn, false);
  assert.deepEqual(core.readPassengers({ status: 302, finalUrl: passport, body: "" }), { kind: "loginRequired" });
  const { classes, emuTrainLetters } = core.seatClasses();
  assert.equal(emuTrainLetters, "GDC");
  assert.deepEqual(classes.find((c) => c.code === "M"), { code: "M", name: "一等座", column: "ZY", trains: "any" });
  assert.deepEqual(classes.find((c) => c.code === "I"), { code: "I", name: "一等卧", column: "RW", trains: "emu" });
  assert.ok(!classes.some((c) => c.code === "W" || c.code === "H"), "无座 and 其他 are not offered as classes");
});

test("outcome: a run's end and the core's events as the record keeps them", () => {
  assert.deepEqual(
    readResult({ kind: "orderPlaced", orderId: "E1", train: "G2", date: "2026-12-01", seats: [], passengers: [], payDeadline: null, message: "ok" }),
    { state: "done", orderId: "E1", payDeadline: null },
  );
  assert.deepEqual(readResult({ kind: "failed", reason: "invalidTask", message: "出票失败" }), {
    state: "failed",
    message: "出票失败",
    reasonCode: "invalidTask",
  });
  assert.deepEqual(readResult({ kind: "stopped", orderMayExist: true, message: "已停止" }), { state: "stopped", message: "已停止" });
  assert.deepEqual(readReason({ kind: "login", orderMayExist: false, message: "请先登录" }), {
    reasonKind: "login",
    message: "请先登录",
    reasonCode: "login",
    name: undefined,
  });
  assert.equal(readReason({ kind: "unfinishedOrder", orders: [], message: "您还有未处理的订单" }).reasonKind, "unfinishedOrder");
  // Events in the user's language from their codes; 12306's own words apart, as they came.
  assert.deepEqual(readEvent({ kind: "queue", waitTimeS: 3, waitCount: 0, message: "排队中" }), { text: "订单排队中：约 3 秒", server: "" });
  assert.deepEqual(readEvent({ kind: "problem", reason: "busy", message: "系统繁忙，请稍后重试！" }), {
    text: "12306 繁忙",
    server: "系统繁忙，请稍后重试！",
  });
  // A transport failure is said in the user's words, without the browser's English detail.
  assert.deepEqual(readEvent({ kind: "problem", reason: "garbage", message: "transport error: Failed to fetch" }), {
    text: "网络请求失败，稍后重试",
    server: "",
  });
  // A transport note of the core (English) is not 12306's text.
  assert.equal(readEvent({ kind: "problem", reason: "html", message: "redirected to the error page" }).server, "");
  assert.equal(
    readEvent({ kind: "query", found: null, seat: null, trains: 15, attempt: 2, notOnSale: true, message: "" }).text,
    "第 2 次查询：15 趟车，尚未起售",
  );
  assert.equal(readEvent({ kind: "step", step: "confirm", message: "" }).text, "确认订单…");
  // The Chinese UI shows the core's own sentence; a text of the extension's own stays as it is.
  assert.equal(describeReason({ reasonKind: "refused", reasonCode: "classNotSold", message: "G2 不发售所选的席别" }), "G2 不发售所选的席别");
  assert.equal(describeReason({ message: "已停止，但订单可能已提交" }), "已停止，但订单可能已提交");
});

test("step log: a loop is one live line, repeats are counted, the log is bounded", () => {
  const record = {};
  appendLog(record, "开始");
  appendLog(record, "第 1 次查询：暂无", "info", "query");
  appendLog(record, "第 2 次查询：暂无", "info", "query");
  appendLog(record, "检查登录");
  appendLog(record, "排队等待");
  appendLog(record, "排队等待");
  assert.deepEqual(
    record.log.map((l) => l.text),
    ["开始", "第 2 次查询：暂无", "检查登录", "排队等待 ×2"],
  );
  for (let i = 0; i < 200; i++) appendLog(record, `line ${i}`);
  assert.ok(record.log.length <= 60);
  assert.equal(record.log[record.log.length - 1].text, "line 199");
});
