// Task records in chrome.storage.local, one key per task ("task:<id>"), so a service worker that was stopped
// (30 s idle, browser restart) can restore every running machine from its last saved state.
//
// A record is a TaskRecord (types/extension.d.ts): the task's state, step log and outcome, the core's status,
// and the machine as the core saved it (Booking.save()).
//
// What is written here and what the background shows anywhere goes through clean(): ID and phone numbers masked
// (mask.js), every text capped, the log bounded, so a huge or personal 12306 text never bloats storage or
// reaches the panel, the popup or a notification whole. The machine is the core's own JSON and is stored as the
// core wrote it (masking it here could corrupt the numbers in it), but never when it has grown past
// MAX_MACHINE_CHARS: such a save fails like a full storage, and the runner stops the task visibly.
//
// When a record cannot be written at all (storage.local full), its last state is kept aside in
// chrome.storage.session (a separate quota; it outlives the worker, not the browser) and in memory, and load()
// and all() prefer it over the older stored record, so a task stopped or failed while storage was full is never
// resumed as running by a later worker.

import { mask } from "../../popup/mask.js";
import { errorText } from "../errors.js";

/** @typedef {import("../../types/extension").TaskRecord} TaskRecord */
/** @typedef {import("../../types/extension").LogLine} LogLine */

const PREFIX = "task:";
const UNSAVED = "unsaved:";
/** Longest text kept for one log line, a message or a status field. */
export const MAX_TEXT = 300;
/** Log lines kept per task (the popup shows the last few, the panel all). */
export const MAX_LOG = 60;
/** Largest machine saved; a normal one is a few KB, 20 finished tasks stay well inside the 10 MB quota. */
export const MAX_MACHINE_CHARS = 256 * 1024;

/** A record that could not be written: the caller must stop sending requests for it. */
export class SaveError extends Error {}

/** @param {string} id */
export const keyOf = (id) => `${PREFIX}${id}`;
/** @param {string} id */
const unsavedKeyOf = (id) => `${UNSAVED}${id}`;
/** @type {Map<string, TaskRecord>} id -> record: when even storage.session failed */
const unsavedInMemory = new Map();

// Write times strictly increase (two writes in one millisecond stay ordered): the newer of a stored record and
// a state kept aside is the one written last.
let lastStamp = 0;
function stamp() {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return lastStamp;
}

/** `text` masked, and cut to `max` characters with an ellipsis. @param {unknown} text @param {number} [max] */
export function clip(text, max = MAX_TEXT) {
  const masked = mask(text);
  return masked.length > max ? `${masked.slice(0, max - 1)}…` : masked;
}

/** @template T @param {T} value @returns {T} */
function cleanValue(value) {
  if (typeof value === "string") return /** @type {T} */ (clip(value));
  if (Array.isArray(value)) return /** @type {T} */ (value.slice(0, 50).map(cleanValue));
  return value;
}

/**
 * The core's status() with every text masked and capped (lastMessage is 12306's text verbatim).
 * @param {import("../../wasm/kyfw.js").Status} status
 * @returns {import("../../wasm/kyfw.js").Status}
 */
function cleanStatus(status) {
  if (!status || typeof status !== "object") return status;
  return /** @type {import("../../wasm/kyfw.js").Status} */ (
    Object.fromEntries(Object.entries(status).map(([key, value]) => [key, cleanValue(value)]))
  );
}

/**
 * A copy of the record fit to store or show: masked, capped, bounded (the machine untouched).
 * @template {Partial<TaskRecord>} R
 * @param {R} record
 * @returns {R}
 */
export function clean(record) {
  if (!record) return record;
  const out = { ...record };
  // Free texts only: the codes among them (reasonKind, lastVia) pass unchanged.
  for (const key of /** @type {const} */ (["message", "train", "route", "date", "payDeadline", "reasonKind", "lastVia"])) {
    const value = out[key];
    if (typeof value === "string") Object.assign(out, { [key]: clip(value) });
  }
  if (Array.isArray(out.passengers)) out.passengers = out.passengers.slice(0, 20).map((name) => clip(name, 40));
  if (Array.isArray(out.tickets)) out.tickets = out.tickets.slice(0, 20).map((p) => ({ ...p, name: clip(p.name, 40) }));
  if (Array.isArray(out.log)) {
    out.log = out.log
      .slice(-MAX_LOG)
      .map((line) => ({ ...line, text: clip(line.text), base: clip(line.base), ...(line.server ? { server: clip(line.server) } : {}) }));
  }
  if (out.status) out.status = cleanStatus(out.status);
  return out;
}

/**
 * Writes the record; throws SaveError when it cannot be written (quota, or a machine past MAX_MACHINE_CHARS).
 * Resolves to the time it was written (the record's `updatedAt`).
 * @param {TaskRecord} record
 * @returns {Promise<number>}
 */
export async function save(record) {
  if (typeof record.machine === "string" && record.machine.length > MAX_MACHINE_CHARS) {
    throw new SaveError(`the saved state is too large (${record.machine.length} characters)`);
  }
  const value = clean({ ...record, updatedAt: stamp() });
  try {
    await chrome.storage.local.set({ [keyOf(record.id)]: value });
  } catch (err) {
    throw new SaveError(errorText(err));
  }
  record.updatedAt = value.updatedAt;
  return value.updatedAt;
}

/**
 * Keeps the record's state where it can be read back although storage.local refused it (see the top): without
 * the machine (the stored record keeps the last one that could be saved) and with a short log. Never throws.
 * @param {TaskRecord} record
 */
export async function keepUnsaved(record) {
  const { machine: _machine, ...rest } = record;
  const value = clean({ ...rest, log: (rest.log || []).slice(-20), updatedAt: stamp() });
  unsavedInMemory.set(record.id, value);
  try {
    await chrome.storage.session?.set({ [unsavedKeyOf(record.id)]: value });
  } catch {
    // the copy in memory serves this worker
  }
}

// The newer of a stored record and a state kept aside for it (which has no machine: the stored one's is kept).
/** @param {TaskRecord | undefined} stored @param {TaskRecord | undefined} unsaved @returns {TaskRecord | null} */
function merged(stored, unsaved) {
  if (!unsaved || typeof unsaved !== "object") return stored || null;
  if (!stored) return unsaved;
  return (unsaved.updatedAt || 0) > (stored.updatedAt || 0) ? { ...stored, ...unsaved, machine: stored.machine } : stored;
}

/** @returns {Promise<Map<string, TaskRecord>>} */
async function unsavedAll() {
  const out = new Map(unsavedInMemory);
  try {
    const kept = (await chrome.storage.session?.get(null)) || {};
    for (const [key, value] of Object.entries(kept)) {
      if (!key.startsWith(UNSAVED) || !value || typeof value !== "object") continue;
      const id = key.slice(UNSAVED.length);
      // Written by keepUnsaved() only.
      const record = /** @type {TaskRecord} */ (value);
      const known = out.get(id);
      if (!known || (record.updatedAt || 0) > (known.updatedAt || 0)) out.set(id, record);
    }
  } catch {
    // no session storage: memory only
  }
  return out;
}

/** The record of task `id`, or null. @param {string} id */
export async function load(id) {
  const stored = await chrome.storage.local.get(keyOf(id));
  return merged(/** @type {TaskRecord | undefined} */ (stored[keyOf(id)]), (await unsavedAll()).get(id));
}

/** Every task record. @returns {Promise<TaskRecord[]>} */
export async function all() {
  const stored = await chrome.storage.local.get(null);
  const unsaved = await unsavedAll();
  /** @type {Map<string, TaskRecord>} */
  const records = new Map();
  for (const [key, value] of Object.entries(stored)) {
    // `task:` keys hold records written by save() only.
    if (key.startsWith(PREFIX) && value && typeof value === "object") records.set(key.slice(PREFIX.length), /** @type {TaskRecord} */ (value));
  }
  for (const [id, value] of unsaved) records.set(id, /** @type {TaskRecord} */ (merged(records.get(id), value)));
  return [...records.values()];
}

/** @param {string} id */
export async function remove(id) {
  unsavedInMemory.delete(id);
  await chrome.storage.session?.remove(unsavedKeyOf(id)).catch(() => {});
  await chrome.storage.local.remove(keyOf(id));
}

/** Forgets all but the newest `keep` finished tasks, so storage does not grow with every booking. */
export async function prune(keep = 20) {
  const finished = (await all()).filter((r) => r.state !== "running").sort((a, b) => b.createdAt - a.createdAt);
  for (const record of finished.slice(keep)) await remove(record.id);
}

/**
 * Appends a line to the record's step log (masked and capped).
 * - Lines of one `slot` ("query", "queue") replace each other while they follow one another, so a long query
 *   loop is one live line ("第 57 次查询：…") and not a screenful.
 * - A line equal to the previous one bumps a repeat counter instead ("排队等待 ×3").
 * @param {{log?: LogLine[]}} record
 * @param {string} rawText
 * @param {LogLine["kind"]} [kind]
 * @param {string | null} [slot]
 */
export function appendLog(record, rawText, kind = "info", slot = null, rawServer = "") {
  // Logs are shown in the panel and the popup and kept in storage: ID and phone numbers never enter them whole.
  // Room is left for a repeat counter within MAX_TEXT.
  const text = clip(rawText, MAX_TEXT - 8);
  // 12306's own words, kept apart from ours: shown as they are, as text (tags were removed by the core).
  const server = rawServer ? clip(rawServer) : "";
  const log = record.log || (record.log = []);
  const last = log[log.length - 1];
  if (slot && last && last.slot === slot && last.kind === kind) {
    Object.assign(last, { t: Date.now(), base: text, text, count: 1, server });
    return;
  }
  // The same sentence again (also with a line or two between, as 12306 alternates two answers): one line, moved
  // to the end with its count, so the log never shows a stale copy above the newer lines.
  const again = log.findLastIndex(
    (line, i) => i >= log.length - 3 && line.base === text && (line.server || "") === server && line.kind === kind,
  );
  if (again >= 0) {
    const [line] = log.splice(again, 1);
    line.count = (line.count || 1) + 1;
    line.text = `${text} ×${line.count}`;
    line.t = Date.now();
    log.push(line);
    return;
  }
  log.push({ t: Date.now(), base: text, text, kind, slot, ...(server ? { server } : {}) });
  if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
}
