// The toolbar badge: what needs the user most, else what the tasks are doing.
//   付 / PAY (green)  an order waits for payment (until its deadline, or until the user looked at it)
//   !        (red)    a task needs the user (log in, verification, unfinished order, missing passenger)
//   n        (blue)   n tasks are running and at least one is past the query loop (ordering or queueing)
//   n        (grey)   n tasks are waiting for tickets (the query loop)
//   (none)           nothing running and nothing to look at
// The tooltip says the same in words, with the payment deadline; masked and capped like every text shown.
import * as store from "../tasks/store.js";
import { clock, payDeadline } from "./deadline.js";
import { t } from "../../shared/common.js";

/** @typedef {import("../../types/extension").TaskRecord} TaskRecord */

/** @param {string} key @param {...(string | number)} subs */

export const COLORS = { pay: "#1a9d33", needs: "#d93025", running: "#1a73e8", waiting: "#80868b" };
// Steps of the core (ARCHITECTURE.md §1.2 status.step) that belong to waiting for tickets.
/** @type {Set<import("../../wasm/kyfw.js").Step>} */
const WAITING_STEPS = new Set(["loginConf", "query"]);

/**
 * Whether a running task is still waiting for tickets (no step yet, or the query loop) rather than ordering.
 * @param {Pick<TaskRecord, "status">} record
 */
export function waitingForTickets(record) {
  const step = record.status && record.status.step;
  return !step || WAITING_STEPS.has(step);
}

/**
 * The badge for a list of task records at `now`: {kind, text, color, title}. Pure, for tests and the popup.
 * @param {TaskRecord[]} records
 * @param {number} [now]
 */
export function compute(records, now = Date.now()) {
  const unpaid = records
    .filter((r) => r.state === "done" && r.orderId && !r.seen)
    .flatMap((r) => {
      const deadline = payDeadline(r);
      return deadline && deadline.ms > now ? [{ r, deadline }] : [];
    })
    .sort((a, b) => a.deadline.ms - b.deadline.ms);
  if (unpaid.length) {
    const { r, deadline } = unpaid[0];
    const by = deadline.exact ? clock(deadline.ms) : t("aboutTime", clock(deadline.ms));
    // The minutes left, counted down by the refreshes (every step, and the 30 s watchdog alarm).
    const left = Math.max(1, Math.ceil((deadline.ms - now) / 60000));
    return {
      kind: "pay",
      text: t("badgePay"),
      color: COLORS.pay,
      title: store.clip(t("badgeTitlePayLeft", r.orderId || "", by, left)),
    };
  }
  // Paused for the user, or stopped while an order may exist at 12306: both need a look.
  const needs = records.find((r) => (r.state === "needsUser" || (r.state === "stopped" && r.orderMayExist)) && !r.seen);
  if (needs) {
    const why = needs.message || needs.reasonKind || "";
    return { kind: "needs", text: "!", color: COLORS.needs, title: store.clip(t("badgeTitleNeeds", why)) };
  }
  const live = records.filter((r) => r.state === "running");
  if (live.length === 0) return { kind: "idle", text: "", color: COLORS.waiting, title: t("extName") };
  const ordering = live.some((r) => !waitingForTickets(r));
  return ordering
    ? { kind: "running", text: String(live.length), color: COLORS.running, title: t("badgeTitleRunning", live.length) }
    : { kind: "waiting", text: String(live.length), color: COLORS.waiting, title: t("badgeTitleWaiting", live.length) };
}

/** @type {string | null} the badge last set, to skip identical updates (the runner refreshes after every step) */
let last = null;

/** Sets the badge from the stored task records; resolves to what it set. */
export async function refresh() {
  const badge = compute(await store.all());
  const key = `${badge.text}|${badge.color}|${badge.title}`;
  if (key !== last) {
    await chrome.action.setBadgeBackgroundColor({ color: badge.color });
    await chrome.action.setBadgeText({ text: badge.text });
    await chrome.action.setTitle({ title: badge.title });
    last = key;
  }
  return badge;
}
