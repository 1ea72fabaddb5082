// What the core's end of a run (ARCHITECTURE.md §1.2 RunEnd: `finished` results, `needsUser` reasons) and its
// progress events put into a task record. The shapes are the core's, declared in extension/wasm/kyfw.d.ts.

import { seatClasses } from "../../wasm/kyfw.js";
import { t } from "../../shared/common.js";

/** @typedef {import("../../wasm/kyfw.js").Finished} Finished */
/** @typedef {import("../../wasm/kyfw.js").NeedsUser} NeedsUser */
/** @typedef {import("../../wasm/kyfw.js").Event} CoreEvent */
/** @typedef {import("../../types/extension").TaskState} TaskState */

/**
 * The record's end state and fields for a finished run: an order (with 12306's payment deadline when the core
 * has it, notify/deadline.js), a stop, or a failure with its reason.
 * @param {Finished} result
 * @returns {{state: TaskState, orderId?: string, payDeadline?: string | null, message?: string, reasonCode?: string}}
 */
export function readResult(result) {
  switch (result.kind) {
    case "orderPlaced":
      return { state: "done", orderId: result.orderId, payDeadline: result.payDeadline };
    case "stopped":
      return { state: "stopped", message: t("taskStopped") };
    case "failed":
      return { state: "failed", message: result.message, reasonCode: result.reason };
  }
}

/**
 * Why a task waits for the user or failed, in the user's language: the core's own sentence where the UI is
 * Chinese (the core words its reasons in Chinese, with the train, date or 12306's text in them), else the
 * wording of the reason's code.
 * @param {{reasonKind?: string, reasonCode?: string, message?: string, name?: string}} why
 */
export function describeReason(why) {
  // Texts of the extension's own (a stop with a possible order, a failed save) are in the user's language already.
  if ((!why.reasonKind && !why.reasonCode) || why.reasonKind === "saveFailed") return why.message || "";
  if (t("coreWordsShown") === "yes" && why.message) return why.message;
  const byKind = why.reasonKind && why.reasonKind !== "refused" ? t(`needs_${why.reasonKind}`, why.name || "") : "";
  if (byKind && !byKind.startsWith("needs_")) return byKind;
  const byCode = why.reasonCode ? t(`reason_${why.reasonCode}`) : "";
  if (byCode && !byCode.startsWith("reason_")) return byCode;
  return t("reason_unknown");
}

/**
 * What the user must do, as the record keeps it: the core's kind ("login" links to the login page) and its text.
 * @param {NeedsUser} reason
 * @returns {{reasonKind: NeedsUser["kind"], message: string, reasonCode: string, name?: string}}
 */
export function readReason(reason) {
  return {
    reasonKind: reason.kind,
    message: reason.message,
    reasonCode: reason.kind === "refused" ? reason.reason : reason.kind,
    name: reason.kind === "passengerMissing" ? reason.name : undefined,
  };
}

/** A seat class's name in the user's language, from the core's Chinese name (Event.query's `seat`). @param {string | null | undefined} name */
export function seatText(name) {
  if (!name) return "";
  try {
    const found = seatClasses().classes.find((c) => c.name === name);
    if (found) return t(`seat_${found.code}`);
  } catch {
    // the core is not loaded: its name is the best there is
  }
  return name;
}

/** `key`'s text, or `fallback` when the locale has no such key. @param {string} key @param {string} fallback */
function known(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

/** How the core begins the text of a transport failure (src/booking/mod.rs, Input::TransportError). */
const TRANSPORT_NOTE = "transport error: ";
/** The worker's answer to a navigation it cannot do (src/driver/web.rs NO_NAVIGATION): a 12306 tab is needed. */
const NEEDS_TAB_NOTE = "keep a kyfw.12306.cn page open";

/** Whether a text has Chinese in it: 12306's own words (the core's transport notes are ASCII). @param {string} text */
const isServerText = (text) => /[\u3400-\u9fff]/.test(text);

/**
 * A progress event in the user's language: {text} from the event's codes and numbers, and {server}: 12306's own
 * words when the event carries them (shown as they are, as text). Empty text: nothing to log.
 * @param {CoreEvent} event
 * @returns {{text: string, server: string}}
 */
export function readEvent(event) {
  switch (event.kind) {
    case "query":
      if (event.found) return { text: t("evQueryFound", event.attempt, event.found, seatText(event.seat)), server: "" };
      return { text: t(event.notOnSale ? "evQueryNotOnSale" : "evQueryNone", event.attempt, event.trains), server: "" };
    case "step":
      return { text: t("evStep", known(`step_${event.step}`, event.step)), server: "" };
    case "queue":
      return { text: event.waitTimeS > 0 ? t("evQueueWait", event.waitTimeS) : t("evQueue"), server: "" };
    case "problem": {
      // A failure of the transport (the core's English note, "transport error: …"): said in the user's words;
      // the browser's own detail ("Failed to fetch") is not the user's language.
      if (event.message.startsWith(TRANSPORT_NOTE)) {
        const needsTab = event.message.includes(NEEDS_TAB_NOTE);
        return { text: t(needsTab ? "problemNeedsTab" : "problemTransport"), server: "" };
      }
      // An answer that is fine after all says nothing, unless 12306 added words of its own.
      if (event.reason === "ok" && !isServerText(event.message)) return { text: "", server: "" };
      const why = known(`reason_${event.reason}`, t("reason_unknown"));
      return { text: why, server: isServerText(event.message) ? event.message : "" };
    }
    case "orderPlaced":
      return { text: t("evOrderPlaced", event.orderId, event.train), server: "" };
    case "needsUser":
      return { text: t("evNeedsUser"), server: "" };
    case "saleWait":
      return { text: t("evSaleWait", event.train || "", clock(event.opensAtLocal)), server: "" };
    case "clock":
      return { text: t("evClock", event.offsetMs, event.errorMs), server: "" };
    case "burst":
      return { text: t("evBurst", event.queries, event.gapMs), server: "" };
  }
  return { text: "", server: "" };
}

/** "12:45:00" in the user's time zone. @param {number} ms */
function clock(ms) {
  const d = new Date(ms);
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
