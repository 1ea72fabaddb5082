// Unit tests of the extension's pure glue (no browser): the start-request validation, the readers of the core's
// results, and the step log's folding of repeated lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SpecError, bookingTask } from "../../extension/background/tasks/spec.js";
import { readEvent, readReason, readResult } from "../../extension/background/tasks/outcome.js";
import { appendLog } from "../../extension/background/tasks/store.js";

const SPEC = {
  train: "G2",
  date: "2026-12-01",
  from: "AOH",
  to: "VNP",
  fromName: "上海虹桥",
  toName: "北京南",
  seats: ["O", "M", "O", "bad", 7],
  acceptNoSeat: true,
  intervalMs: 3000,
  queryPath: "leftTicket/queryG",
  passengers: [
    // The record's own type when the panel knows it (getPassengerDTOs), else nothing.
    { name: "张三", idNo: "1101***********012", ticketType: "1", seat: null, passengerType: "1" },
    { name: "张小宝", idNo: "1101***********099", ticketType: "2", seat: "O", passengerType: "x" },
  ],
};

test("spec: a panel request becomes the core's BookingTask", () => {
  const task = bookingTask(SPEC, "t1");
  assert.deepEqual(task, {
    id: "t1",
    date: "2026-12-01",
    from: "AOH",
    to: "VNP",
    fromName: "上海虹桥",
    toName: "北京南",
    trains: ["G2"],
    seats: ["O", "M"], // de-duplicated, junk dropped, order kept
    acceptNoSeat: true,
    passengers: [
      { name: "张三", idNo: "1101***********012", ticketType: "1", seat: null, passengerType: "1" },
      { name: "张小宝", idNo: "1101***********099", ticketType: "2", seat: "O", passengerType: "" },
    ],
    purpose: "ADULT",
    queryPath: "leftTicket/queryG",
    intervalMs: 3000,
  });
});

test("spec: students alone query as students; bad interval and query path are tamed", () => {
  const task = bookingTask(
    { ...SPEC, intervalMs: 5, queryPath: "../evil", passengers: [{ name: "陈同学", idNo: "x", ticketType: "3" }] },
    "t2",
  );
  assert.equal(task.purpose, "0X00");
  assert.equal(task.intervalMs, 1000);
  assert.equal(task.queryPath, null);
  assert.equal(bookingTask({ ...SPEC, intervalMs: 1e9 }, "t3").intervalMs, 60000);
});

test("spec: what a page must not be able to send is refused", () => {
  const bad = [
    null,
    { ...SPEC, train: "G2&x=1" },
    { ...SPEC, date: "2026-1-1" },
    { ...SPEC, from: "aoh" },
    { ...SPEC, passengers: [] },
    { ...SPEC, passengers: Array.from({ length: 10 }, (_, i) => ({ name: `p${i}`, idNo: "x" })) },
    { ...SPEC, passengers: [{ name: "", idNo: "x" }] },
    { ...SPEC, passengers: ["张三"] },
  ];
  for (const spec of bad) assert.throws(() => bookingTask(spec, "t"), SpecError, JSON.stringify(spec));
});

test("outcome: results, reasons and events as the core writes them", () => {
  assert.equal(readResult({ kind: "orderPlaced", orderId: "E1", message: "ok" }).orderId, "E1");
  assert.equal(readResult({ OrderPlaced: { order_id: "E2" } }).orderId, "E2");
  const failed = readResult({ kind: "failed", message: "出票失败" });
  assert.equal(failed.orderId, undefined);
  assert.equal(failed.message, "出票失败");
  assert.match(readResult({ kind: "odd" }).message, /odd/);
  assert.deepEqual(readReason({ kind: "login", orderMayExist: false, message: "请先登录" }), {
    kind: "login",
    message: "请先登录",
  });
  assert.equal(readReason({ kind: "unfinishedOrder", orders: [], message: "您还有未处理的订单" }).kind, "unfinished");
  assert.equal(readReason({ kind: "captcha", message: "需要验证" }).kind, "captcha");
  assert.equal(readEvent({ kind: "queue", waitTimeS: 3, message: "排队中" }), "排队中");
  assert.equal(readEvent({ kind: "problem", reason: "ok", message: "" }), "");
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
