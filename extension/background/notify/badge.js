// The toolbar badge: what needs the user most, else what the tasks are doing.
//   付 / PAY (green)  an order waits for payment (until its deadline, or until the user looked at it)
//   !        (red)    a task needs the user (log in, verification, unfinished order, missing passenger)
//   n        (blue)   n tasks are running and at least one is past the query loop (ordering or queueing)
//   n        (grey)   n tasks are waiting for tickets (the query loop, or a sale not open yet)
//   (none)           nothing running and nothing to look at
// The tooltip says the same in words, with the payment deadline; masked and capped like every text shown. While
// tasks wait for a sale it counts down to the nearest opening ("G2 起售 12:45:00（还有 2:31）"): once a minute,
// or once a second while a page that shows the countdown holds a "countdown" port open (watchCountdown). The
// ticker runs only while such a task is running, whose runner keeps the worker awake anyway (keepalive.js): the
// tooltip never keeps it awake by itself.
import * as store from "../tasks/store.js";
import { clock, payDeadline } from "./deadline.js";
import { t } from "../../shared/common.js";

/** @typedef {import("../../types/extension").TaskRecord} TaskRecord */

/** @param {string} key @param {...(string | number)} subs */

export const COLORS = { pay: "#1a9d33", needs: "#d93025", running: "#1a73e8", waiting: "#80868b" };
// Steps of the core (ARCHITECTURE.md §1.2 status.step) that belong to waiting for tickets.
/** @type {Set<import("../../wasm/kyfw.js").Step>} */
const WAITING_STEPS = new Set(["loginConf", "query", "keepAlive", "saleProbe", "saleWait", "warmUp", "clockProbe"]);

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
  if (ordering) return { kind: "running", text: String(live.length), color: COLORS.running, title: t("badgeTitleRunning", live.length) };
  const sale = nextOpening(live, now);
  const title = sale ? store.clip(t("badgeTitleSale", sale.train, beijingClock(sale.opensAt), countdown(sale.inMs))) : t("badgeTitleWaiting", live.length);
  return { kind: "waiting", text: String(live.length), color: COLORS.waiting, title };
}

/**
 * The nearest sale opening among running tasks that wait for one (the core's status: `opensAt` on 12306's
 * clock, `opensAtLocal` on the host's), or null.
 * @param {TaskRecord[]} records
 * @param {number} now
 * @returns {{train: string, opensAt: number, inMs: number} | null}
 */
export function nextOpening(records, now) {
  /** @type {{train: string, opensAt: number, inMs: number} | null} */
  let best = null;
  for (const r of records) {
    const s = r.status;
    if (r.state !== "running" || !s || s.step !== "saleWait" && s.step !== "warmUp" && s.step !== "clockProbe") continue;
    if (s.opensAt == null || s.opensAtLocal == null) continue;
    const inMs = s.opensAtLocal - now;
    if (inMs < 0) continue;
    if (!best || inMs < best.inMs) best = { train: r.train || r.date || "", opensAt: s.opensAt, inMs };
  }
  return best;
}

/** "12:45:00", Beijing time (12306's clock and its sale times are China time). @param {number} ms */
export function beijingClock(ms) {
  return new Date(ms + 8 * 3600000).toISOString().slice(11, 19);
}

/** "2:31", "1:02:31" or "3 天 4:05:00" for a wait of `ms`, rounded up to the second. @param {number} ms */
export function countdown(ms) {
  let s = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const clockText = h > 0 || days > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
  return days > 0 ? `${t("countdownDays", days)} ${clockText}` : clockText;
}

/** @type {string | null} the badge last set, to skip identical updates (the runner refreshes after every step) */
let last = null;

/** @type {TaskRecord[]} the records of the last refresh, for the countdown's ticks (no storage read per tick) */
let seen = [];
/** @type {ReturnType<typeof setTimeout> | null} */
let ticker = null;
/** Open "countdown" ports: pages that show the countdown now. */
let watchers = 0;

/** Sets the badge from the stored task records; resolves to what it set. */
export async function refresh() {
  seen = await store.all();
  const badge = await apply(compute(seen));
  tick();
  return badge;
}

/** @param {ReturnType<typeof compute>} badge */
async function apply(badge) {
  const key = `${badge.text}|${badge.color}|${badge.title}`;
  if (key !== last) {
    await chrome.action.setBadgeBackgroundColor({ color: badge.color });
    await chrome.action.setBadgeText({ text: badge.text });
    await chrome.action.setTitle({ title: badge.title });
    last = key;
  }
  return badge;
}

// The countdown's next tick: on the next whole second of the countdown while watched, else the next whole
// minute; none when no running task waits for an opening.
function tick() {
  if (ticker != null) clearTimeout(ticker);
  ticker = null;
  const sale = nextOpening(seen, Date.now());
  if (!sale) return;
  const step = watchers > 0 ? 1000 : 60000;
  const delay = sale.inMs % step || step;
  ticker = setTimeout(() => {
    ticker = null;
    apply(compute(seen)).catch(() => {});
    tick();
  }, delay);
}

/**
 * A page that shows the countdown (the popup, the panel) holds a port named "countdown" open while it does:
 * the tooltip then counts every second (background.js registers the listener). @param {chrome.runtime.Port} port
 */
export function watchCountdown(port) {
  watchers++;
  port.onDisconnect.addListener(() => {
    watchers = Math.max(0, watchers - 1);
    tick();
  });
  tick();
}
