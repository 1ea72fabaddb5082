// Unit tests of the background modules that need no browser: masking, payment deadlines, the badge's choice,
// settings validation and export/import. A small fake `chrome` stands in for the extension APIs.
import { test } from "node:test";
import assert from "node:assert/strict";

const storage = {};
const session = {};
const calls = [];
// Set to a message to make chrome.storage.local.set fail as Chrome does when the quota is exceeded.
let localSetFails = null;
globalThis.chrome = {
  i18n: { getMessage: (key, subs) => (subs && subs.length ? `${key}(${subs.join(",")})` : key) },
  runtime: { getURL: (p) => `chrome-extension://id/${p}`, id: "id" },
  tabs: { create: async (props) => calls.push(["tab", props.url]) },
  alarms: { create: async (name, info) => calls.push(["alarm", name, info.when]) },
  notifications: {
    create: async (id, options) => calls.push(["notification", id, options.title, options.message]),
    clear: async () => true,
  },
  action: {
    setBadgeText: async ({ text }) => calls.push(["badge", text]),
    setBadgeBackgroundColor: async () => {},
    setTitle: async () => {},
  },
  storage: {
    local: {
      async get(keys) {
        const list = keys == null ? Object.keys(storage) : Array.isArray(keys) ? keys : [keys];
        return Object.fromEntries(list.filter((k) => k in storage).map((k) => [k, structuredClone(storage[k])]));
      },
      async set(items) {
        if (localSetFails) throw new Error(localSetFails);
        Object.assign(storage, structuredClone(items));
      },
      async remove(keys) {
        for (const k of [keys].flat()) delete storage[k];
      },
    },
    session: {
      async get(keys) {
        const list = keys == null ? Object.keys(session) : [keys].flat();
        return Object.fromEntries(list.filter((k) => k in session).map((k) => [k, structuredClone(session[k])]));
      },
      async set(items) {
        Object.assign(session, structuredClone(items));
      },
      async remove(keys) {
        for (const k of [keys].flat()) delete session[k];
      },
    },
  },
};

const { mask } = await import("../../extension/popup/mask.js");
const { parseBeijing, payDeadline, PAY_WINDOW_MS } = await import("../../extension/background/notify/deadline.js");
const { compute } = await import("../../extension/background/notify/badge.js");
const settings = await import("../../extension/background/settings.js");
const notify = await import("../../extension/background/notify/index.js");
const store = await import("../../extension/background/tasks/store.js");
const { view } = await import("../../extension/background/report.js");

test("mask: ID and mobile numbers masked, order numbers and masked IDs kept", () => {
  assert.equal(mask("110101199003077012"), "1101***********012");
  assert.equal(mask("证件 11010119900307701X，电话 13812345678"), "证件 1101***********01X，电话 138****5678");
  assert.equal(mask("订单号 E123456789"), "订单号 E123456789");
  assert.equal(mask("1101***********012"), "1101***********012");
  assert.equal(mask("123456789012345"), "1234********345");
  assert.equal(mask(null), "");
  assert.equal(mask("12306"), "12306");
});

test("deadline: 12306's Beijing time text, else placed + the usual window", () => {
  assert.equal(parseBeijing("2026-12-01 10:25:00"), Date.UTC(2026, 11, 1, 2, 25, 0));
  assert.equal(parseBeijing("2026-12-01T10:25"), Date.UTC(2026, 11, 1, 2, 25, 0));
  assert.equal(parseBeijing("soon"), null);
  assert.equal(parseBeijing(undefined), null);
  assert.deepEqual(payDeadline({ orderId: "E1", payDeadline: "2026-12-01 10:25:00" }), { ms: Date.UTC(2026, 11, 1, 2, 25), exact: true });
  assert.deepEqual(payDeadline({ orderId: "E1", finishedAt: 1000 }), { ms: 1000 + PAY_WINDOW_MS, exact: false });
  assert.equal(payDeadline({ finishedAt: 1000 }), null);
});

test("badge: payment first, then needs-you, then ordering vs waiting, else empty", () => {
  const now = 1_000_000;
  const waiting = { state: "running", status: { step: "query" } };
  const ordering = { state: "running", status: { step: "queueWait" } };
  const placed = { state: "done", orderId: "E9", finishedAt: now - 1000 };
  const needs = { state: "needsUser", reasonKind: "login", message: "请登录" };
  assert.equal(compute([], now).text, "");
  assert.deepEqual([compute([waiting], now).kind, compute([waiting], now).text], ["waiting", "1"]);
  assert.deepEqual([compute([waiting, ordering], now).kind, compute([waiting, ordering], now).text], ["running", "2"]);
  assert.equal(compute([waiting, needs], now).kind, "needs");
  const pay = compute([waiting, needs, placed], now);
  assert.equal(pay.kind, "pay");
  assert.equal(pay.text, "badgePay");
  assert.match(pay.title, /E9/);
  // Seen, or past its deadline: no longer calls for attention.
  assert.equal(compute([{ ...placed, seen: true }], now).kind, "idle");
  assert.equal(compute([placed], now + PAY_WINDOW_MS).kind, "idle");
  assert.equal(compute([{ ...needs, seen: true }], now).kind, "idle");
});

test("badge: a task waiting for a sale counts down to its opening in the tooltip (Beijing time, host clock)", () => {
  // Opens 2026-12-01 12:45:00 Beijing time on 12306's clock; the host's clock is 4.2 s behind.
  const opensAt = Date.UTC(2026, 11, 1, 4, 45, 0);
  const record = (step) => ({ state: "running", train: "G2", status: { step, opensAt, opensAtLocal: opensAt - 4200 } });
  const now = opensAt - 4200 - 151_000;
  const saleWait = compute([record("saleWait")], now);
  assert.equal(saleWait.kind, "waiting", "a sale not open yet is waiting, not ordering");
  assert.equal(saleWait.title, "badgeTitleSale(G2,12:45:00,2:31)");
  assert.equal(compute([record("warmUp")], now - 3_600_000).title, "badgeTitleSale(G2,12:45:00,1:02:31)");
  // The nearest of two; none once it has opened.
  const later = { ...record("saleWait"), train: "G4", status: { step: "saleWait", opensAt: opensAt + 60_000, opensAtLocal: opensAt + 55_800 } };
  assert.equal(compute([later, record("saleWait")], now).title, "badgeTitleSale(G2,12:45:00,2:31)");
  assert.equal(compute([record("saleWait")], opensAt).title, "badgeTitleWaiting(1)");
});

test("settings: defaults, validation, interval shared with the panel", async () => {
  assert.deepEqual(await settings.prefs(), { sound: true, notifications: true, intervalS: 3 });
  storage.panelSettings = { passengers: { "张三|1101***********012": { checked: true, ticketType: "1", seat: null } }, seats: ["O"], intervalS: 5, extra: 1 };
  assert.equal((await settings.prefs()).intervalS, 5);
  // The range is the core's (checkInterval, checked where the user types it); what is stored is kept as written.
  await settings.setPrefs({ sound: false, intervalS: 1.5 });
  assert.deepEqual(await settings.prefs(), { sound: false, notifications: true, intervalS: 1.5 });
  assert.equal(storage.panelSettings.extra, 1, "the panel's other fields are kept");
  assert.equal(settings.cleanInterval("abc"), 3);
  assert.equal(settings.cleanInterval(0), 3);
});

test("settings: export → import round trip; bad files refused", async () => {
  const doc = await settings.exportSettings();
  assert.equal(doc.format, "kyfw-settings");
  assert.equal(doc.panel.passengers["张三|1101***********012"].checked, true);
  storage.prefs = { sound: true, notifications: true };
  storage.panelSettings = {};
  // The core's interval check stands in here (its own tests are in Rust, src/task/interval.rs).
  const check = async (text) => (Number(text) >= 1 && Number(text) <= 60 ? { ms: Number(text) * 1000, problem: null } : { ms: null, problem: "tooLong" });
  await settings.importSettings(JSON.stringify(doc), check);
  assert.deepEqual(await settings.exportSettings(), doc);
  await assert.rejects(
    settings.importSettings(JSON.stringify({ ...doc, panel: { ...doc.panel, intervalS: 500 } }), check),
    (err) => err instanceof settings.SettingsError && err.code === "badInterval",
  );
  assert.throws(() => settings.parseSettings("{"), (err) => err instanceof settings.SettingsError && err.code === "notJson");
  assert.throws(() => settings.parseSettings({ format: "other" }), settings.SettingsError);
  assert.throws(() => settings.parseSettings({ format: "kyfw-settings", version: 2 }), settings.SettingsError);
  // Junk inside a valid envelope is dropped, not trusted.
  const cleaned = settings.parseSettings({
    format: "kyfw-settings",
    version: 1,
    prefs: { sound: "yes", notifications: false, evil: 1 },
    panel: { seats: ["O", "<b>", "O", 3], passengers: { nokey: {}, "李四|x": { ticketType: "9", seat: "ZZ", checked: 1 } }, intervalS: -4, waitlistDeadlineMin: "120", waitlistKeepPolling: 1, quietCarriage: "yes" },
  });
  assert.deepEqual(cleaned.prefs, { sound: true, notifications: false });
  assert.deepEqual(cleaned.panel, {
    passengers: { "李四|x": { checked: false, ticketType: "1", seat: null, place: null } },
    seats: ["O"],
    acceptNoSeat: false,
    intervalS: 3,
    waitlist: "off",
    waitlistKeepPolling: false,
    quietCarriage: false,
  });
});

test("notify: a placed order is announced with its deadline; the switches are obeyed; a click opens the right page", async () => {
  for (const k of Object.keys(storage)) delete storage[k];
  calls.length = 0;
  storage.prefs = { sound: false, notifications: true };
  const placed = { id: "t1", state: "done", orderId: "E123456789", train: "G2", payDeadline: "2026-12-01 10:25:00" };
  storage["task:t1"] = placed;
  await notify.announce(placed);
  const shown = calls.find((c) => c[0] === "notification");
  assert.deepEqual(shown.slice(0, 3), ["notification", "kyfw-t1", "notifyOrderTitle"]);
  assert.match(shown[3], /E123456789/);
  assert.match(shown[3], /notifyPayBy\(\d\d:\d\d\)/);
  assert.equal(storage.notifyLog.at(-1).sound, "off");
  assert.equal(storage.notifyLog.at(-1).shown, "shown");
  assert.ok(calls.some((c) => c[0] === "badge" && c[1] === "badgePay"));
  // Called again a minute before the deadline: the alarm, then its reminder.
  const alarm = calls.find((c) => c[0] === "alarm");
  assert.equal(alarm[1], "kyfw-pay-t1");
  assert.equal(alarm[2], Date.UTC(2026, 11, 1, 2, 24, 0));
  calls.length = 0;
  await notify.remindPayment("kyfw-pay-t1");
  const reminder = calls.find((c) => c[0] === "notification");
  assert.equal(reminder[2], "notifyPayReminderTitle");
  assert.match(reminder[3], /E123456789/);
  assert.equal(storage.notifyLog.at(-1).kind, "payReminder");

  // Notifications off: recorded as off, nothing shown.
  calls.length = 0;
  storage.prefs = { sound: false, notifications: false };
  const needs = { id: "t2", state: "needsUser", reasonKind: "login", message: "请登录" };
  storage["task:t2"] = needs;
  await notify.announce(needs);
  assert.equal(calls.filter((c) => c[0] === "notification").length, 0);
  assert.equal(storage.notifyLog.at(-1).shown, "off");
  assert.equal(storage.notifyLog.at(-1).kind, "needsUser");

  // Clicks: the unpaid-order page for an order, the login page for a logged-out task; both marked seen.
  calls.length = 0;
  await notify.onClicked("kyfw-t1");
  await notify.onClicked("kyfw-t2");
  await notify.onClicked("other-extension-id");
  assert.deepEqual(calls.filter((c) => c[0] === "tab"), [["tab", notify.UNPAID_URL], ["tab", notify.LOGIN_URL]]);
  assert.equal(storage["task:t1"].seen, true);
  assert.equal(storage["task:t2"].seen, true);
  assert.ok(calls.some((c) => c[0] === "badge" && c[1] === ""), "nothing left to call for");
});

const ID = "110101199001011234";
const PHONE = "13912345678";

test("store: what is stored or shown is masked and capped; the machine is stored as the core wrote it", async () => {
  for (const k of Object.keys(storage)) delete storage[k];
  const huge = `本次购票行程冲突 ${ID} ${PHONE} ${"很长".repeat(5000)}`;
  const record = {
    id: "m1",
    state: "needsUser",
    message: huge,
    passengers: ["张三"],
    status: { step: "query", lastMessage: huge, orderMayExist: false, orderId: "E123456789", blacklist: [["G2", 1]] },
    machine: JSON.stringify({ lastMessage: `x ${ID}`, seed: 123456789012345 }),
    log: [],
  };
  store.appendLog(record, huge, "error");
  await store.save(record);
  const saved = storage["task:m1"];
  const text = JSON.stringify({ ...saved, machine: null });
  assert.ok(!text.includes(ID) && !text.includes(PHONE), text.slice(0, 300));
  assert.match(saved.message, /1101\*+234/);
  assert.match(saved.message, /139\*{4}5678/);
  assert.ok(saved.message.length <= store.MAX_TEXT && saved.message.endsWith("…"));
  assert.ok(saved.status.lastMessage.length <= store.MAX_TEXT);
  assert.ok(saved.log.every((l) => l.text.length <= store.MAX_TEXT && !l.text.includes(ID)));
  assert.equal(saved.status.orderId, "E123456789", "order numbers stay whole");
  assert.equal(saved.machine, record.machine, "the core's JSON is not rewritten (its numbers stay intact)");
  // What the panel and the popup get is the same, without the machine.
  const shown = view(record);
  assert.equal(shown.machine, undefined);
  assert.ok(!JSON.stringify(shown).includes(ID));
  assert.equal(record.message, huge, "the record in memory is left alone");
  // Notifications and the badge's tooltip.
  const note = notify.messageFor({ ...record, reasonKind: "tripConflict" });
  assert.ok(!`${note.title} ${note.message}`.includes(ID) && note.message.length <= store.MAX_TEXT);
  assert.ok(!compute([record]).title.includes(ID));
});

test("store: a machine past the cap or a full storage fails the save; the state kept aside wins over the stored one", async () => {
  for (const k of Object.keys(storage)) delete storage[k];
  for (const k of Object.keys(session)) delete session[k];
  const record = { id: "q1", state: "running", log: [], machine: "{\"m\":1}", createdAt: 1 };
  await store.save(record);
  await assert.rejects(store.save({ ...record, machine: "x".repeat(store.MAX_MACHINE_CHARS + 1) }), store.SaveError);
  assert.equal(storage["task:q1"].machine, "{\"m\":1}", "the last machine that fitted stays");

  localSetFails = "QUOTA_BYTES quota exceeded";
  await assert.rejects(store.save({ ...record, state: "stopped" }), (err) => err instanceof store.SaveError && /QUOTA/.test(err.message));
  await store.keepUnsaved({ ...record, state: "stopped", message: `停止 ${ID}` });
  localSetFails = null;
  assert.equal(storage["task:q1"].state, "running", "storage.local still holds the old state");
  const loaded = await store.load("q1");
  assert.equal(loaded.state, "stopped", "the state kept aside is what load() gives");
  assert.equal(loaded.machine, "{\"m\":1}", "with the stored machine");
  assert.ok(!loaded.message.includes(ID));
  assert.deepEqual((await store.all()).map((r) => [r.id, r.state]), [["q1", "stopped"]]);
  // A later successful save supersedes it; remove() forgets both.
  await store.save({ ...record, state: "running" });
  assert.equal((await store.load("q1")).state, "running");
  await store.remove("q1");
  assert.equal(await store.load("q1"), null);
  assert.deepEqual(Object.keys(session), []);
});
