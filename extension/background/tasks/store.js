// Task records in chrome.storage.local, one key per task ("task:<id>"), so a service worker that was stopped
// (30 s idle, browser restart) can restore every running machine from its last saved state.
//
// record = { id, tabId, train, state: "running"|"done"|"failed"|"needsUser"|"stopped", log: [{t, text, kind}],
//            orderId, message, reasonKind, machine: <Booking.save() string>, createdAt }

import { mask } from "../../popup/mask.js";

const PREFIX = "task:";
const MAX_LOG = 60;

export const keyOf = (id) => `${PREFIX}${id}`;

export async function save(record) {
  await chrome.storage.local.set({ [keyOf(record.id)]: record });
}

export async function load(id) {
  const stored = await chrome.storage.local.get(keyOf(id));
  return stored[keyOf(id)] || null;
}

export async function all() {
  const stored = await chrome.storage.local.get(null);
  return Object.entries(stored)
    .filter(([key, value]) => key.startsWith(PREFIX) && value && typeof value === "object")
    .map(([, value]) => value);
}

export async function remove(id) {
  await chrome.storage.local.remove(keyOf(id));
}

/** Forgets all but the newest `keep` finished tasks, so storage does not grow with every booking. */
export async function prune(keep = 20) {
  const finished = (await all()).filter((r) => r.state !== "running").sort((a, b) => b.createdAt - a.createdAt);
  const old = finished.slice(keep).map((r) => keyOf(r.id));
  if (old.length) await chrome.storage.local.remove(old);
}

/**
 * Appends a line to the record's step log.
 * - Lines of one `slot` ("query", "queue") replace each other while they follow one another, so a long query
 *   loop is one live line ("第 57 次查询：…") and not a screenful.
 * - A line equal to the previous one bumps a repeat counter instead ("排队等待 ×3").
 */
export function appendLog(record, rawText, kind = "info", slot = null) {
  // Logs are shown in the panel and the popup and kept in storage: ID and phone numbers never enter them whole.
  const text = mask(rawText);
  const log = record.log || (record.log = []);
  const last = log[log.length - 1];
  if (slot && last && last.slot === slot && last.kind === kind) {
    Object.assign(last, { t: Date.now(), base: text, text, count: 1 });
    return;
  }
  if (last && last.base === text && last.kind === kind) {
    last.count = (last.count || 1) + 1;
    last.text = `${text} ×${last.count}`;
    last.t = Date.now();
    return;
  }
  log.push({ t: Date.now(), base: text, text, kind, slot });
  if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
}
