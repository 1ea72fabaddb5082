// The task runner: one wasm `Booking` per task, driven by the core's own driver (`booking.run(host)`,
// src/driver/web.rs; ARCHITECTURE.md §1.1). This module is the driver's host: what is the browser's — storage,
// timers, the tab transport, the log, the panel and badge — while the core decides every step, sends the
// background transport's requests itself and saves the machine before every request. A stopped service worker
// resumes where it was; the core itself guarantees that a resumed machine never submits twice.
//
// A state that cannot be saved ends the task: a request is only sent after the machine that knows it was sent
// is in storage (write-ahead), so when storage refuses the machine (full, or the machine grew too large) the
// task stops sending and fails visibly ("saveFailed"); storage keeps the last machine it took, which a restart
// resumes. Stop always ends the loop, whatever storage says and whether a request is out or not.
import { core } from "../core.js";
import { errorText } from "../errors.js";
import { sleepUntil } from "../keepalive.js";
import * as report from "../report.js";
import { prepareBackground, viaTabOrNull, warmPath } from "../transport/index.js";
import { describeReason, readEvent, readReason, readResult } from "./outcome.js";
import * as store from "./store.js";
import { t } from "../../shared/common.js";

/** @typedef {import("../../wasm/kyfw.js").Booking} Booking */
/** @typedef {import("../../wasm/kyfw.js").BookingTask} BookingTask */
/** @typedef {import("../../wasm/kyfw.js").BookingHost} BookingHost */
/** @typedef {import("../../types/extension").TaskRecord} TaskRecord */
/** @typedef {import("../../types/extension").TaskState} TaskState */
/**
 * One task this worker drives.
 * @typedef {object} Entry
 * @property {TaskRecord} record
 * @property {Booking} booking the core's machine (shared with its running driver)
 * @property {AbortController} abort aborted by Stop, delete and the end
 * @property {Promise<void> | null} ended the end, once decided (finish())
 * @property {boolean} freed the machine's wasm memory is given back
 * @property {boolean} [removed] deleted: nothing may write the record back
 * @property {Promise<void>} writes the task's storage writes, one after the other (queueWrite)
 * @property {unknown} [saveError] a write beside the requests failed: the next save rejects with it
 * @property {import("../transport/tab.js").Route} route the tab its requests go to, kept between requests
 * @property {string} [latest] the newest machine handed to save(), not yet being written
 * @property {Promise<void> | null} [flush] the write that will take `latest`, until it starts
 * @property {Promise<void> | null} [showing] the panel and badge update to come (show())
 * @property {string} [badgeKey] what the badge last showed of this task
 */

/** @param {string} key @param {...(string | number)} subs */
// Events of one kind that repeat in a loop share one live log line (see store.appendLog).
/** @type {Partial<Record<import("../../wasm/kyfw.js").Event["kind"], string>>} */
const EVENT_SLOTS = { query: "query", queue: "queue" };
// The core's own English notes on transport-level answers (src/outcome/http.rs), shown in the user's language;
// 12306's texts come verbatim and stay as they are. An unknown note is shown as the core wrote it.
const CORE_NOTES = new Map([["redirected to the error page", "problemBlocked"]]);

/** Alarms named with this prefix and a task id wake a stopped worker just before a long wait ends. */
export const WAKE_ALARM = "kyfw-wake:";
// Chrome fires alarms no sooner than 30 s after they are made; shorter waits rely on the sleep alone.
const WAKE_ALARM_MIN_MS = 40000;
const WAKE_EARLY_MS = 3000;
// A wait at least this long wakes the path to the tab before its end (a tab idle that long answers slowly).
const WARM_AFTER_MS = 1000;

/** @type {Map<string, Entry>} task id -> the task this worker drives */
const live = new Map();

// Telling the user must never keep a task from ending: a closed tab or a refused notification is not an error.
/** @param {Promise<unknown>} promise */
async function quietly(promise) {
  try {
    await promise;
  } catch {
    // nothing to add: the record says what happened
  }
}

/** @param {Entry} entry */
function freeBooking(entry) {
  if (entry.freed) return;
  entry.freed = true;
  try {
    entry.booking.free();
  } catch {
    // already freed
  }
}

// The machine as it is now (and the status the popup and badge show), or null when the core cannot give it.
/** @param {Entry} entry */
function snapshot(entry) {
  if (entry.freed) return null;
  try {
    const machine = entry.booking.save();
    entry.record.status = entry.booking.status();
    return machine;
  } catch (err) {
    store.appendLog(entry.record, errorText(err), "error");
    return null;
  }
}

/** Saves the record with the machine as it is now; throws store.SaveError when storage refuses it. @param {Entry} entry */
async function persist(entry) {
  const { record } = entry;
  const machine = snapshot(entry);
  record.updatedAt = await store.save(machine == null ? record : { ...record, machine });
  // Only a machine that is in storage counts as the last saved one (the fallback of settle()).
  if (machine != null) record.machine = machine;
}

/** @param {Entry} entry */
async function publish(entry) {
  const { record } = entry;
  const stepBefore = record.status && record.status.step;
  await persist(entry);
  await report.toTab(record);
  if (record.status && record.status.step !== stepBefore) await report.badge();
}

/**
 * Runs `write` after the task's earlier writes, so that a newer machine is never overwritten by an older one
 * whose write started first; resolves or rejects with it. A SaveError is kept for the next save (host.save).
 * @param {Entry} entry
 * @param {() => Promise<void>} write
 */
function queueWrite(entry, write) {
  const done = entry.writes.then(() => {
    // Stopped, deleted or ended meanwhile: stop()/remove()/finish() own the record now.
    if (entry.freed || entry.removed || entry.abort.signal.aborted) return;
    return write();
  });
  entry.writes = done.catch((err) => {
    if (err instanceof store.SaveError && entry.saveError == null) entry.saveError = err;
  });
  return done;
}

/**
 * Writes `machine` with the record, after the task's earlier writes. Saves that come faster than storage takes
 * them share one write (the newest machine wins: an older one is never written after it). Without `soon` the
 * write starts on the next task of the event loop, so that the request the driver sends next leaves first and
 * the write's work (masking, serialising) happens while that request is out; the panel and badge follow it.
 * Resolves once a write holding this machine (or a newer one) is in storage.
 * @param {Entry} entry
 * @param {string} machine
 * @param {boolean} soon
 */
function saveMachine(entry, machine, soon) {
  entry.latest = machine;
  if (!entry.flush) {
    const start = soon ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, 0));
    const flush = start.then(() =>
      queueWrite(entry, async () => {
        // From here on a newer save needs a write of its own.
        if (entry.flush === flush) entry.flush = null;
        const latest = /** @type {string} */ (entry.latest);
        const { record } = entry;
        try {
          record.status = entry.booking.status();
        } catch {
          // the status shows at the next write
        }
        record.updatedAt = await store.save({ ...record, machine: latest });
        record.machine = latest;
      }),
    );
    entry.flush = flush;
    flush.then(
      () => show(entry),
      () => {},
    );
  }
  return entry.flush;
}

// The panel gets at most one update per SHOW_MS while a chain of requests runs (each write would otherwise
// mask and send the whole log again, CPU the in-flight request's browser processes need); the last one always
// goes. The badge is refreshed only when what it shows can change (it reads every record from storage).
const SHOW_MS = 250;

/** The panel and the badge after a write; never waited for by a request. @param {Entry} entry */
function show(entry) {
  if (entry.showing) return entry.showing;
  entry.showing = new Promise((resolve) => setTimeout(resolve, SHOW_MS)).then(async () => {
    entry.showing = null;
    if (entry.freed || entry.removed || entry.abort.signal.aborted) return;
    const { record } = entry;
    const shown = quietly(report.toTab(record));
    const key = badgeKey(record);
    if (key !== entry.badgeKey) {
      entry.badgeKey = key;
      await quietly(report.badge());
    }
    await shown;
  });
  return entry.showing;
}

/** What of a running record the badge shows: waiting or ordering, and the opening it counts down to. @param {TaskRecord} record */
function badgeKey(record) {
  const s = record.status;
  return `${report.waitingForTickets(record)}|${s && s.step === "saleWait" ? s.opensAtLocal : ""}`;
}

// Writes the final state. Storage may refuse it (full, or the machine too large): then the record goes in with
// the last machine storage took, and if even that fails the state is kept aside (store.keepUnsaved), so that no
// worker resumes a stopped or failed task as running.
/** @param {Entry} entry */
async function settle(entry) {
  // Deleted meanwhile (remove()): nothing may write the record back.
  if (entry.removed) return;
  try {
    return await persist(entry);
  } catch {
    // next: without the new machine
  }
  try {
    entry.record.updatedAt = await store.save(entry.record);
  } catch {
    await store.keepUnsaved(entry.record);
  }
}

/**
 * Ends the task's loop in `state` (saved, shown, announced). Idempotent: the first call decides; always resolves.
 * @param {Entry} entry
 * @param {TaskState} state
 * @param {Partial<TaskRecord>} [fields]
 */
function finish(entry, state, fields = {}) {
  if (!entry.ended) entry.ended = end(entry, state, fields);
  return entry.ended;
}

/** @param {Entry} entry @param {TaskState} state @param {Partial<TaskRecord>} fields */
async function end(entry, state, fields) {
  const { record } = entry;
  entry.abort.abort();
  Object.assign(record, { state, ...fields });
  // A write started beside a request lands first (the ones not started yet see the abort and skip).
  await entry.writes;
  await settle(entry);
  if (live.get(record.id) === entry) live.delete(record.id);
  freeBooking(entry);
  await quietly(report.toTab(record));
  await quietly(report.badge());
  await quietly(report.notify(record));
}

/** The task failed on `err`; a state that could not be saved says so in the user's language. @param {Entry} entry @param {unknown} err */
function fail(entry, err) {
  if (err instanceof store.SaveError) {
    store.appendLog(entry.record, t("taskSaveFailed", err.message), "error");
    return finish(entry, "failed", { reasonKind: "saveFailed", message: t("taskSaveFailed", err.message) });
  }
  return finish(entry, "failed", { message: errorText(err) });
}

// The driver's host for one task (the JS side of src/driver/web.rs).
/** @param {Entry} entry @returns {BookingHost} */
function hostFor(entry) {
  const { record, abort } = entry;
  return {
    // The tab transport; null lets the core send the request itself from the worker (background transport).
    // The tab is chosen once and kept (entry.route), not looked up per request.
    send: (request) => viaTabOrNull(request, record.tabId, entry.route),
    prepareBackground: (request) => prepareBackground(request),
    via(kind) {
      if (kind === "background" && record.lastVia !== "background") store.appendLog(record, t("transportBackground"));
      record.lastVia = kind;
    },
    // A wait shows the state (next try, last answer) beside the sleep, never delaying the wake-up; a stop ends
    // it at once.
    async sleepUntil(untilMs) {
      queueWrite(entry, () => persist(entry)).then(
        () => show(entry),
        () => {},
      );
      const ms = untilMs - Date.now();
      // The sleep keeps the worker awake (keepalive.js); should Chrome stop it all the same, an alarm just
      // before the wake-up brings the task back on time instead of at the next 30 s watchdog (background.js).
      if (ms > WAKE_ALARM_MIN_MS) {
        Promise.resolve(chrome.alarms.create(`${WAKE_ALARM}${record.id}`, { when: untilMs - WAKE_EARLY_MS })).catch(() => {});
      }
      // Woken on the instant, not a timer's few ms late (a sale's first query is timed to the ms), and a wait
      // long enough for the tab to idle wakes the path to it just before (keepalive.js, transport/tab.js).
      if (ms > 0) await sleepUntil(untilMs, abort.signal, ms >= WARM_AFTER_MS ? () => void warmPath(record.tabId, entry.route) : undefined);
    },
    // Write-ahead and after every answer (the core calls it; src/driver/mod.rs). With `wait` (an order may
    // exist) it resolves once the machine is in storage, else at once with the write going on beside the
    // request; the panel and badge follow each write and are never waited for. A failed write rejects (with
    // `wait`) or fails the next call, and the core then stops the task before anything more is sent.
    save(machine, wait) {
      if (entry.freed || entry.removed || abort.signal.aborted) return Promise.resolve();
      if (entry.saveError != null) return Promise.reject(entry.saveError);
      const written = saveMachine(entry, machine, wait);
      return wait ? written : Promise.resolve();
    },
    report(event) {
      // In the user's language from the event's codes; 12306's own words beside, as they are (plain text).
      const { text, server } = readEvent(event);
      const note = event.kind === "problem" ? CORE_NOTES.get(event.message) : undefined;
      const kind = event.kind === "orderPlaced" ? "ok" : "info";
      if (note) store.appendLog(record, t(note), kind, EVENT_SLOTS[event.kind] || null);
      else if (text) store.appendLog(record, text, kind, EVENT_SLOTS[event.kind] || null, server);
    },
    now: () => Date.now(),
    stopRequested: () => abort.signal.aborted,
  };
}

/** Runs the task's machine to its end through the core's driver, and writes that end. @param {Entry} entry */
async function drive(entry) {
  const { record, booking, abort } = entry;
  /** @type {import("../../wasm/kyfw.js").RunEnd} */
  let end;
  try {
    end = await booking.run(hostFor(entry));
  } catch (err) {
    return fail(entry, err);
  }
  // Stopped or deleted meanwhile: stop()/remove() had the last word (and freed the machine).
  if (abort.signal.aborted) return;
  switch (end.kind) {
    case "finished": {
      const { state, ...fields } = readResult(end.result);
      if (record.following) {
        // The end of following a stopped task's order: placed (reported as any order), or none at all.
        Object.assign(fields, { following: undefined });
        if (state === "stopped") {
          Object.assign(fields, { orderMayExist: false, message: t("followedNoOrder") });
          store.appendLog(record, t("followedNoOrder"));
        }
      }
      // The core announced a placed order with its own event already; a failure gets its reason logged, in the
      // user's language (the record's message is what the panel, popup, badge and notification show).
      if (state === "failed" && fields.message) {
        fields.message = describeReason(fields);
        store.appendLog(record, fields.message, "error");
      }
      return finish(entry, state, fields);
    }
    case "needsUser": {
      const reason = readReason(end.reason);
      reason.message = describeReason(reason);
      store.appendLog(record, reason.message, "error");
      return finish(entry, "needsUser", reason);
    }
    case "saveFailed":
      return fail(entry, new store.SaveError(end.message));
  }
}

/** @param {TaskRecord} record @param {Booking} booking @returns {Entry} */
function newEntry(record, booking) {
  return { record, booking, abort: new AbortController(), ended: null, freed: false, writes: Promise.resolve(), route: {} };
}

/** Drives `booking` for `record` from now on. @param {TaskRecord} record @param {Booking} booking */
function launch(record, booking) {
  const entry = newEntry(record, booking);
  live.set(record.id, entry);
  // Last line of defence: a storage or messaging failure ends the task visibly instead of silently.
  drive(entry).catch((err) => fail(entry, err));
  return entry;
}

/**
 * The task's options as the summaries show them (the panel's and the popup's): dates in priority order, kinds of
 * train, departure window, least seats left, booking for fewer — the core's values, not the request's.
 * @param {BookingTask} task
 * @returns {Pick<TaskRecord, "dates" | "trainTypes" | "departAfter" | "departBefore" | "minSeats" | "allowFewer" | "waitlist" | "quietCarriage">}
 */
function options(task) {
  return {
    dates: task.dates && task.dates.length ? [...task.dates] : [task.date],
    trainTypes: [...(task.trainTypes || [])],
    departAfter: task.departAfter ?? null,
    departBefore: task.departBefore ?? null,
    minSeats: task.minSeats ?? null,
    allowFewer: !!task.allowFewer,
    waitlist: task.waitlist,
    quietCarriage: !!task.quietCarriage,
  };
}

/**
 * Starts a task for a tab (from the core's taskFromSpec); the tab's other tasks go on.
 * @param {BookingTask} task
 * @param {number | null} tabId
 * @returns {Promise<TaskRecord>}
 */
export async function start(task, tabId) {
  // A worker that just woke up may not drive its saved tasks yet: bring them back first, so the check below
  // sees them.
  await resumeAll();
  // The same booking pressed again (twice, or from a second 12306 tab) joins the task already running: one
  // runner per booking, so one order.
  const { Booking, sameBooking } = await core();
  const same = [...live.values()].find((entry) => {
    try {
      return !entry.ended && sameBooking(entry.booking.task(), task);
    } catch {
      return false; // a machine the core cannot read (freed meanwhile) books nothing
    }
  });
  if (same && same.record.following) {
    // The same booking, stopped and following its order: pressed again, it goes on as a whole (restart()).
    const resumed = await restart(same.record.id, tabId);
    if (resumed) return resumed;
  }
  if (same) {
    // The joining tab's panel follows the task too.
    if (tabId != null && tabId !== same.record.tabId) {
      same.record.watchers = [...new Set([...(same.record.watchers || []), tabId])];
      await quietly(store.save(same.record));
    }
    return same.record;
  }
  // The same booking stopped (or failed) while an order it placed may exist at 12306: a fresh task would forget
  // that order and could book a second one. The earlier task goes on instead; its machine asks the order list
  // first (restart()).
  const earlier = await withPossibleOrder(task);
  // A tab may run several tasks (a task prepared while another runs starts beside it): nothing is stopped here.
  if (earlier) {
    const resumed = await restart(earlier.id, tabId);
    if (resumed) return resumed;
  }
  const booking = new Booking(task, Date.now());
  /** @type {TaskRecord} */
  const record = {
    id: task.id,
    tabId,
    train: (task.trains || []).join("/"),
    // What the panel's and the popup's summaries show: the trains in priority order and the classes.
    trains: [...(task.trains || [])],
    seats: [...(task.seats || [])],
    acceptNoSeat: !!task.acceptNoSeat,
    // What the popup lists (the machine holds the task too, but the popup never sees the machine).
    date: task.date,
    route: `${task.fromName || task.from}→${task.toName || task.to}`,
    passengers: task.passengers.map((p) => p.name),
    // Each traveller's ticket type and own class, for the popup's settings (names only: no ID numbers here).
    tickets: task.passengers.map((p) => ({ name: p.name, ticketType: p.ticketType || "1", seat: p.seat || null })),
    intervalMs: task.intervalMs,
    ...options(task),
    state: "running",
    log: [],
    createdAt: Date.now(),
  };
  store.appendLog(record, t("taskStarted", record.train));
  await quietly(store.prune());
  const entry = newEntry(record, booking);
  try {
    await publish(entry);
  } catch (err) {
    // Nothing was sent and nothing runs: the press is answered with the reason.
    freeBooking(entry);
    throw err instanceof store.SaveError ? new Error(t("taskSaveFailed", err.message)) : err;
  }
  await quietly(report.badge());
  launch(record, booking);
  return record;
}

/** Stops a task: always ends its loop, also while a request is out or when storage refuses the new state. @param {string} id */
export async function stop(id) {
  const entry = live.get(id);
  if (entry) {
    if (!entry.ended) {
      entry.abort.abort();
      let mayExist = false;
      try {
        // Tells the core too, so its saved state says stopped (and whether an order may already exist).
        entry.booking.stop(Date.now());
        const status = entry.booking.status();
        mayExist = !!(status.orderMayExist || status.orderId);
      } catch {
        // an older core without stop(): aborting the loop is enough
      }
      if (mayExist) {
        // A confirm may have reached 12306: the order can still turn up unpaid with its payment clock running.
        // Said unmistakably, with a notification (notify/), not as a plain 已停止. Then the order is followed
        // to its end (follow()) — unless this stop ends such a following: the user wants nothing more sent.
        const wasFollowing = !!entry.record.following;
        // The log gets the warning only when nothing follows the order; else follow() says what goes on.
        if (wasFollowing) store.appendLog(entry.record, t("stoppedOrderMayExist"), "error");
        await finish(entry, "stopped", { orderMayExist: true, following: undefined, message: t("stoppedOrderMayExist") });
        if (!wasFollowing) await quietly(follow(id));
        return;
      }
      store.appendLog(entry.record, t("taskStopped"));
    }
    // A task already ending (finished, failed) keeps the state it ends in.
    return finish(entry, "stopped");
  }
  const record = await store.load(id);
  if (record && record.state === "running") {
    record.state = "stopped";
    try {
      await store.save(record);
    } catch {
      await store.keepUnsaved(record);
    }
    await quietly(report.toTab(record));
    await quietly(report.badge());
  }
}

/**
 * After a stop that left an order that may exist: the saved machine follows that order (queue, order list) to its
 * end without booking anything new (the core's `settle` input, ARCHITECTURE §1.1 "Resume"). The record stays
 * "stopped" with its warning meanwhile (`following`); it ends "done" with the order, or "stopped" with no order
 * to look for. A second stop ends the following as well.
 * @param {string} id
 */
async function follow(id) {
  if (live.has(id)) return;
  const record = await store.load(id);
  if (!record || record.state !== "stopped" || !record.orderMayExist || typeof record.machine !== "string") return;
  const { Booking } = await core();
  if (live.has(id)) return; // started by a concurrent call during the await
  const booking = Booking.restore(record.machine);
  booking.handle({ type: "settle" }, Date.now());
  if (!booking.status().settling) {
    booking.free();
    return;
  }
  record.following = true;
  store.appendLog(record, t("followingOrder"));
  launch(record, booking);
}

/**
 * Ends a stopped task's following of its order without a word (the user restarts the task): its machine is
 * stopped and saved, the record left "stopped" for restart() to pick up.
 * @param {Entry} entry
 */
async function endFollowing(entry) {
  entry.ended = entry.ended || Promise.resolve();
  entry.abort.abort();
  try {
    entry.booking.stop(Date.now());
  } catch {
    // the loop is aborted either way
  }
  await entry.writes;
  entry.record.following = undefined;
  await settle(entry);
  if (live.get(entry.record.id) === entry) live.delete(entry.record.id);
  freeBooking(entry);
}

/** Restores and drives every running task that this worker is not driving yet (worker start, alarm). */
export async function resumeAll() {
  const records = await store.all();
  // A stopped task that was following its order when the worker stopped follows it on.
  for (const r of records) if (r.state === "stopped" && r.following && !live.has(r.id)) await quietly(follow(r.id));
  const pending = records.filter((r) => r.state === "running" && !live.has(r.id) && typeof r.machine === "string");
  if (pending.length === 0) return;
  const { Booking } = await core();
  for (const { id } of pending) {
    // Read again after the awaits: the task may have been stopped or deleted meanwhile. From this check to
    // launch() nothing awaits, so a concurrent resume (alarm + worker start) cannot launch it twice.
    const record = await store.load(id);
    if (live.has(id) || !record || record.state !== "running" || typeof record.machine !== "string") continue;
    try {
      launch(record, Booking.restore(record.machine));
    } catch (err) {
      record.state = "failed";
      record.message = errorText(err);
      try {
        await store.save(record);
      } catch {
        await store.keepUnsaved(record);
      }
    }
  }
  await quietly(report.badge());
}

/** The newest task record of a tab, for a panel that (re)loads. @param {number | null} tabId */
export async function ofTab(tabId) {
  const records = (await store.all()).filter((r) => r.tabId === tabId || (tabId != null && (r.watchers || []).includes(tabId)));
  records.sort((a, b) => b.createdAt - a.createdAt);
  return records[0] || null;
}

/** Every task record of a tab (started there or followed by it), newest first. @param {number | null} tabId */
export async function allOfTab(tabId) {
  const records = (await store.all()).filter((r) => r.tabId === tabId || (tabId != null && (r.watchers || []).includes(tabId)));
  return records.sort((a, b) => b.createdAt - a.createdAt);
}

/** @param {string} id */
export function isLive(id) {
  return live.has(id);
}

/**
 * Whether task `id` was started from tab `tabId` or is followed by it (the tab pressed the same booking).
 * @param {string} id
 * @param {number | null} tabId
 */
export async function belongsToTab(id, tabId) {
  const record = live.get(id)?.record || (await store.load(id));
  if (!record || tabId == null) return false;
  return record.tabId === tabId || (Array.isArray(record.watchers) && record.watchers.includes(tabId));
}

const RESTARTABLE = ["stopped", "needsUser", "failed"];

// What the record's last saved status says: a confirm's outcome is unknown, or an order id is known.
/** @param {TaskRecord} record */
function orderMayExist(record) {
  const status = record.status;
  return !!status && (status.orderMayExist || !!status.orderId);
}

/** The newest stopped/failed/paused record of the same booking whose order may exist, or null. @param {BookingTask} task */
async function withPossibleOrder(task) {
  const candidates = (await store.all())
    .filter((r) => !live.has(r.id) && RESTARTABLE.includes(r.state) && typeof r.machine === "string" && orderMayExist(r))
    .sort((a, b) => b.createdAt - a.createdAt);
  if (candidates.length === 0) return null;
  const { Booking, sameBooking } = await core();
  for (const record of candidates) {
    // The record lists names only; the machine holds the whole task (stations, ID numbers) to compare.
    /** @type {Booking | undefined} */
    let booking;
    try {
      booking = Booking.restore(/** @type {string} */ (record.machine));
      if (sameBooking(booking.task(), task)) return record;
    } catch {
      // an unreadable machine cannot be the same booking
    } finally {
      try {
        booking?.free();
      } catch {
        // already freed
      }
    }
  }
  return null;
}

/**
 * Runs a task again: from the popup, or a press of the same booking whose order may exist (start()). The saved
 * machine is restored and resumed, whatever stopped it: after NeedsUser (the user has logged in, say) it goes on
 * where it was; a stopped or failed machine starts over, but when an order may exist (a confirm whose outcome is
 * unknown, or a known order id) it asks 12306's order list first and reports that order instead of booking
 * again (ARCHITECTURE.md §1.1 Resume). A fresh machine would have forgotten the order. `tabId`: the tab whose
 * press resumed it, which then shows it. Resolves to the record, or null when there is nothing to run.
 * @param {string} id
 * @param {number | null} [tabId]
 * @returns {Promise<TaskRecord | null>}
 */
export async function restart(id, tabId = null) {
  const running = live.get(id);
  // A stopped task following its order is started again by the user: the following ends quietly and the
  // machine resumes in full (it asks the order list first all the same).
  if (running && running.record.following && !running.ended) await endFollowing(running);
  else if (running) return running.record;
  const record = await store.load(id);
  if (!record || typeof record.machine !== "string" || !RESTARTABLE.includes(record.state)) return null;
  const { Booking } = await core();
  const started = live.get(id); // by a concurrent call during the await
  if (started) return started.record;
  const booking = Booking.restore(record.machine);
  booking.handle({ type: "resume" }, Date.now());
  if (tabId != null && tabId !== record.tabId) {
    // The pressing tab becomes the task's own; the tab that started it keeps following it.
    record.watchers = [
      ...new Set([...(record.watchers || []), record.tabId].filter(/** @returns {t is number} */ (t) => t != null && t !== tabId)),
    ];
    record.tabId = tabId;
  }
  Object.assign(record, { state: "running", seen: false, message: undefined, reasonKind: undefined, orderMayExist: undefined });
  store.appendLog(record, t("taskResumed"));
  // Launched before anything awaits, so a second restart of the same task (a double click) finds it live; the
  // loop saves and shows the record at its first step.
  launch(record, booking);
  await report.badge();
  return record;
}

/** Stops a task if it runs, and forgets it. @param {string} id */
export async function remove(id) {
  const entry = live.get(id);
  if (entry) {
    entry.abort.abort();
    entry.removed = true;
    live.delete(id);
    if (!entry.ended) {
      entry.ended = Promise.resolve();
      try {
        entry.booking.stop(Date.now());
      } catch {
        // the loop is aborted either way
      }
    }
    freeBooking(entry);
    // A write started beside a request must not put the record back after it is removed.
    await entry.writes;
  }
  await store.remove(id);
  await quietly(report.badge());
}
