// The toolbar popup: every task with its full settings (trains in priority order, date, route, travellers with
// ticket types, classes, interval), state, attempts, the last answer, the next try or the sale's countdown,
// cooldowns, the payment countdown of an order, and the panel's controls (stop, continue / start again, pay,
// delete). It reads the task records through the background (listTasks) and
// redraws whenever storage changes, so it is live while open. Everything shown is masked (mask.js).
import { waitingForTickets } from "../background/notify/badge.js";
import { payDeadline, clock } from "../background/notify/deadline.js";
import { h, localize, send, t } from "./dom.js";
import { mask } from "./mask.js";
import { UNPAID_URL, beijingClock } from "../shared/common.js";

/** @typedef {import("../types/extension").TaskView} TaskView */

const LOG_LINES = 8;

// The popup's own page (popup.html) has both.
const list = /** @type {HTMLElement} */ (document.getElementById("tasks"));
const empty = /** @type {HTMLElement} */ (document.getElementById("empty"));

/** Steps of a task whose sale has not opened: "waiting for tickets" would say there is a sale. */
const SALE_STEPS = new Set(["saleProbe", "saleWait", "warmUp", "clockProbe"]);

/**
 * running | saleWaiting | waiting | needsUser | done | failed | stopped: the record's state, with running split in
 * three. @param {TaskView} record
 */
export function displayState(record) {
  if (record.state !== "running") return record.state;
  if (SALE_STEPS.has(record.status?.step ?? "")) return "saleWaiting";
  return waitingForTickets(record) ? "waiting" : "running";
}

/** "mm:ss" or "h:mm:ss" of a span of ms. @param {number} ms */
function duration(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/** @param {TaskView} record @param {number} now */
function nextTry(record, now) {
  const at = record.status && record.status.nextTryAt;
  if (record.state !== "running" || !at) return "";
  const s = Math.max(0, Math.ceil((at - now) / 1000));
  return s > 0 ? t("popupInSeconds", s) : t("popupNow");
}

/** The sale's countdown while the task waits for it. @param {TaskView} record @param {number} now */
function opensIn(record, now) {
  const at = record.status && record.status.opensAtLocal;
  if (record.state !== "running" || !at || at <= now) return "";
  // Counted down on this computer's clock; the time of day as 12306 says it (its clock, opensAt).
  return t("countdown", duration(at - now), beijingClock(record.status?.opensAt ?? at).slice(0, 5));
}

/** The payment clock of a placed order. @param {TaskView} record @param {number} now */
function payIn(record, now) {
  const deadline = record.state === "done" ? payDeadline(record) : null;
  if (!deadline) return "";
  if (deadline.ms <= now) return t("payExpired");
  return t("payCountdown", duration(deadline.ms - now), deadline.exact ? clock(deadline.ms) : t("aboutTime", clock(deadline.ms)));
}

/** Trains left out for a while, with why. @param {TaskView} record @param {number} now */
function cooling(record, now) {
  const list = (record.status?.cooldowns || []).filter((c) => c.until > now);
  return list
    .map((c) => {
      const line = t("cooldownUntil", c.train, Math.ceil((c.until - now) / 1000));
      const why = c.reason ? t(`reason_${c.reason}`) : "";
      return why && !why.startsWith("reason_") ? t("cooldownWhy", line, why) : line;
    })
    .join(t("listSep"));
}

/** A seat class in the user's language. @param {string} code */
const seatName = (code) => {
  const name = t(`seat_${code}`);
  return name === `seat_${code}` ? code : name;
};

/** @type {Record<string, string>} */
const TICKET = { 1: "ticketAdult", 2: "ticketChild", 3: "ticketStudent", 4: "ticketDisabled" };

/** Travellers with their ticket type and own class. @param {TaskView} record */
function travellers(record) {
  if (!record.tickets) return mask((record.passengers || []).join("、"));
  return record.tickets
    .map((p) => [mask(p.name), t(TICKET[p.ticketType] || "ticketAdult"), p.seat ? seatName(p.seat) : ""].filter(Boolean).join(" · "))
    .join("、");
}

/** The classes in priority order, 无座 last when accepted. @param {TaskView} record */
function classes(record) {
  const names = (record.seats || []).map(seatName);
  if (record.acceptNoSeat) names.push(t("noSeatShort"));
  return names.join(" › ");
}

/**
 * The task's options (several dates, kinds, departure window, least seats, booking for fewer) as label/value/class
 * rows; older records without them show only their date. @param {TaskView} record
 */
export function optionRows(record) {
  const dates = record.dates && record.dates.length ? record.dates : [record.date];
  const types = (record.trainTypes || []).map((code) => t(`optType${code}`)).join(" · ") || t("anyType");
  const { departAfter: from, departBefore: to } = record;
  const window = from && to ? t("windowFromTo", from, to) : from ? t("windowFrom", from) : to ? t("windowTo", to) : t("anyTime");
  const seats = record.minSeats != null ? String(record.minSeats) : t("minSeatsDefault", (record.passengers || []).length);
  /** @type {[string, string, string][]} */
  const rows = [[t("sumDates"), dates.join(" › "), "dates"]];
  if (record.trainTypes) {
    rows.push([t("sumTypes"), types, "types"], [t("sumWindow"), window, "window"], [t("sumMinSeats"), seats, "min-seats"]);
    rows.push([t("sumAllowFewer"), record.allowFewer ? t("allowFewerYes") : t("allowFewerNo"), "allow-fewer"]);
  }
  return rows;
}

/** @type {Record<string, string>} */
const WAITLIST_LABEL = { off: "waitlistOff", whenSoldOut: "waitlistWhenSoldOut", only: "waitlistOnly" };

/** 截止兑现时间 in the user's language (whole hours or minutes before departure). @param {number} min */
function deadlineText(min) {
  return min % 60 === 0 ? t("waitlistDeadlineHours", min / 60) : t("waitlistDeadlineMinutes", min);
}

/**
 * The task's 候补 settings (when it may 候补), the 候补 order's state once the core reports it (Status.waitlist:
 * 候补订单号, waiting or fulfilled, deadline) and 静音车厢, as label/value/class rows. @param {TaskView} record
 */
export function waitlistRows(record) {
  /** @type {[string, string, string][]} */
  const rows = [];
  const wl = record.waitlist;
  if (wl && wl.policy && wl.policy !== "off") {
    const parts = [t(WAITLIST_LABEL[wl.policy || "off"] || "waitlistOff")];
    if (wl.deadlineMin != null) parts.push(deadlineText(wl.deadlineMin));
    if (wl.keepPolling) parts.push(t("waitlistKeepPollingShort"));
    rows.push([t("sumWaitlist"), parts.join(" · "), "waitlist"]);
  }
  const st = record.status?.waitlist;
  if (st) {
    const no = st.reserveNo || "";
    const text = st.fulfilled
      ? t("waitlistStateFulfilled", no)
      : no
        ? t("waitlistStateWaiting", no, deadlineText(st.deadlineMin))
        : t(st.mayExist ? "waitlistStateMayExist" : "waitlistStatePlacing");
    rows.push([t("sumWaitlistState"), mask(text), "waitlist-state"]);
  }
  if (record.quietCarriage) rows.push([t("quietCarriage"), t("quietCarriageYes"), "quiet"]);
  return rows;
}

/** The last answer: the newest log line, with 12306's own words. @param {TaskView} record */
function lastAnswer(record) {
  const line = (record.log || [])[record.log ? record.log.length - 1 : 0];
  if (!line) return "";
  return mask(line.server ? `${line.text} 「${line.server}」` : line.text);
}

/** @param {string} label @param {string} value @param {string} [cls] */
function row(label, value, cls) {
  if (value === "" || value == null) return [];
  return [h("dt", {}, label), h("dd", { class: cls }, value)];
}

/** The panel's controls: stop, continue / start again, pay, delete. @param {TaskView} record */
function buttons(record) {
  /** @param {"stopTask" | "restartTask" | "deleteTask"} type */
  const act = (type) => async () => {
    await send({ type, taskId: record.id });
    await render();
  };
  const out = [];
  if (record.state === "running") out.push(h("button", { class: "stop", onclick: act("stopTask") }, t("stop")));
  if (["stopped", "failed", "needsUser"].includes(record.state)) {
    out.push(h("button", { class: "start", onclick: act("restartTask") }, record.state === "needsUser" ? t("continueTask") : t("startAgain")));
  }
  // A paid-for order and an order a stop may have left both live in 12306's unfinished-order list: the card
  // that tells the user to look there gives the way there, as the panel does.
  const payable = record.state === "done" && record.orderId;
  const mayExist = record.state === "stopped" && record.orderMayExist;
  if (payable || mayExist) {
    out.push(
      h("button", {
        class: payable ? "pay" : "unfinished",
        onclick: async () => {
          await send({ type: "markSeen", taskId: record.id });
          chrome.tabs.create({ url: UNPAID_URL });
        },
      }, t(payable ? "payLink" : "unfinishedLink")),
    );
  }
  out.push(h("button", { class: "delete", onclick: act("deleteTask") }, t("popupDelete")));
  return h("div", { class: "buttons" }, out);
}

/** @param {TaskView} record @param {number} now */
function card(record, now) {
  const state = displayState(record);
  const status = record.status;
  const trains = (record.trains && record.trains.length ? record.trains : [record.train || status?.train || "?"]).join(" › ");
  const title = [trains, record.date, record.route].filter(Boolean).join(" · ");
  const log = (record.log || []).slice(-LOG_LINES);
  const result = ["needsUser", "failed"].includes(record.state) || record.orderMayExist ? mask(record.message || "") : "";
  return h(
    "li",
    { class: "task", "data-id": record.id, "data-state": state },
    h("div", { class: "head" }, h("span", { class: "title" }, mask(title)), h("span", { class: `state state-${state}` }, t(`state_${state}`))),
    h(
      "dl",
      {},
      row(t("popupPassengers"), travellers(record), "passengers"),
      row(t("popupAttempts"), status ? String(status.attempts) : "", "attempts"),
      row(t("sumSeats"), classes(record), "seats"),
      optionRows(record).flatMap(([label, value, cls]) => row(label, value, cls)),
      waitlistRows(record).flatMap(([label, value, cls]) => row(label, value, cls)),
      row(t("interval"), record.intervalMs ? String(Math.round(record.intervalMs / 1000)) : "", "interval"),
      // The reason below repeats the newest log line when the task ended with our own words: say it once.
      row(t("popupLastAnswer"), lastAnswer(record) === result ? "" : lastAnswer(record), "last"),
      row(t("sumOpens"), opensIn(record, now), "opens"),
      row(t("popupNextTry"), opensIn(record, now) ? "" : nextTry(record, now), "next"),
      row(t("sumCooldown"), cooling(record, now), "cooldown"),
      row(t("popupOrder"), record.orderId ? mask(record.orderId) : "", "order"),
      row(t("sumPay"), payIn(record, now), "pay"),
      row(t("popupResult"), result, "why"),
    ),
    buttons(record),
    log.length
      ? h(
          "details",
          {},
          h("summary", {}, t("log")),
          h("ol", {}, log.map((l) => h("li", { class: `log-${l.kind || "info"}` }, mask(l.text), l.server ? [" ", h("q", { lang: "zh-CN" }, mask(l.server))] : null))),
        )
      : null,
  );
}

/** @type {Record<import("../types/extension").TaskState, number>} */
const ORDER = { running: 0, needsUser: 1, done: 2, stopped: 3, failed: 4 };

async function render() {
  const answer = await send({ type: "listTasks" });
  const tasks = answer.ok ? answer.tasks : [];
  tasks.sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9) || b.createdAt - a.createdAt);
  const now = Date.now();
  // Keep open <details> open across redraws.
  const open = new Set(
    [...list.querySelectorAll("li.task")].filter((li) => li.querySelector("details[open]")).map((li) => li.getAttribute("data-id")),
  );
  list.replaceChildren(...tasks.map((r) => card(r, now)));
  for (const li of list.querySelectorAll("li.task")) {
    if (open.has(li.getAttribute("data-id"))) li.querySelector("details")?.setAttribute("open", "");
  }
  empty.hidden = tasks.length > 0;
}

/** @type {ReturnType<typeof setTimeout> | null} */
let pending = null;
function renderSoon() {
  // Storage changes come after every step of every task: redraw at most a few times a second.
  if (!pending) pending = setTimeout(() => ((pending = null), render()), 200);
}

localize();
document.getElementById("open-options")?.addEventListener("click", (e) => {
  e.preventDefault();
  chrome.runtime.openOptionsPage();
});
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && Object.keys(changes).some((k) => k.startsWith("task:"))) renderSoon();
});
setInterval(renderSoon, 1000); // the "next try" countdown
// While open, the toolbar tooltip's sale countdown counts by the second (background/notify/badge.js).
chrome.runtime.connect({ name: /** @type {import("../types/extension").CountdownPortName} */ ("countdown") });
render();
