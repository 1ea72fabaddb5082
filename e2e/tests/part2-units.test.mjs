// Unit tests of the part-2 modules that need no browser: masking, payment deadlines, the badge's choice,
// settings validation and export/import. A small fake `chrome` stands in for the extension APIs.
import { test } from "node:test";
import assert from "node:assert/strict";

const storage = {};
globalThis.chrome = {
  i18n: { getMessage: (key, subs) => (subs && subs.length ? `${key}(${subs.join(",")})` : key) },
  runtime: { getURL: (p) => `chrome-extension://id/${p}`, id: "id" },
  storage: {
    local: {
      async get(keys) {
        const list = keys == null ? Object.keys(storage) : Array.isArray(keys) ? keys : [keys];
        return Object.fromEntries(list.filter((k) => k in storage).map((k) => [k, structuredClone(storage[k])]));
      },
      async set(items) {
        Object.assign(storage, structuredClone(items));
      },
    },
  },
};

const { mask } = await import("../../extension/popup/mask.js");
const { parseBeijing, payDeadline, PAY_WINDOW_MS } = await import("../../extension/background/notify/deadline.js");
const { compute } = await import("../../extension/background/notify/badge.js");
const settings = await import("../../extension/background/settings.js");

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

test("settings: defaults, validation, interval shared with the panel", async () => {
  assert.deepEqual(await settings.prefs(), { sound: true, notifications: true, intervalS: 3 });
  storage.panelSettings = { passengers: { "张三|1101***********012": { checked: true, ticketType: "1", seat: null } }, seats: ["O"], intervalS: 5, extra: 1 };
  assert.equal((await settings.prefs()).intervalS, 5);
  await settings.setPrefs({ sound: false, intervalS: 500 });
  assert.deepEqual(await settings.prefs(), { sound: false, notifications: true, intervalS: 60 });
  assert.equal(storage.panelSettings.extra, 1, "the panel's other fields are kept");
  assert.equal(settings.cleanInterval("abc"), 3);
  assert.equal(settings.cleanInterval(0), 1);
});

test("settings: export → import round trip; bad files refused", async () => {
  const doc = await settings.exportSettings();
  assert.equal(doc.format, "kyfw-settings");
  assert.equal(doc.panel.passengers["张三|1101***********012"].checked, true);
  storage.prefs = { sound: true, notifications: true };
  storage.panelSettings = {};
  await settings.importSettings(JSON.stringify(doc));
  assert.deepEqual(await settings.exportSettings(), doc);
  assert.throws(() => settings.parseSettings("{"), settings.SettingsError);
  assert.throws(() => settings.parseSettings({ format: "other" }), settings.SettingsError);
  assert.throws(() => settings.parseSettings({ format: "kyfw-settings", version: 2 }), settings.SettingsError);
  // Junk inside a valid envelope is dropped, not trusted.
  const cleaned = settings.parseSettings({
    format: "kyfw-settings",
    version: 1,
    prefs: { sound: "yes", notifications: false, evil: 1 },
    panel: { seats: ["O", "<b>", "O", 3], passengers: { nokey: {}, "李四|x": { ticketType: "9", seat: "ZZ", checked: 1 } }, intervalS: -4 },
  });
  assert.deepEqual(cleaned.prefs, { sound: true, notifications: false });
  assert.deepEqual(cleaned.panel, {
    passengers: { "李四|x": { checked: false, ticketType: "1", seat: null } },
    seats: ["O"],
    acceptNoSeat: false,
    intervalS: 1,
  });
});
