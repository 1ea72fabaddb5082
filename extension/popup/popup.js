// The toolbar popup: every task with its state, attempts, the last answer from 12306 and the next try, and the
// buttons to stop, start again and delete. It reads the task records through the background (listTasks) and
// redraws whenever storage changes, so it is live while open. Everything shown is masked (mask.js).
import { waitingForTickets } from "../background/notify/badge.js";
import { payDeadline, clock } from "../background/notify/deadline.js";
import { h, localize, send, t } from "./dom.js";
import { mask } from "./mask.js";
import { UNPAID_URL } from "../shared/common.js";

/** @typedef {import("../types/extension").TaskView} TaskView */

const LOG_LINES = 8;

// The popup's own page (popup.html) has both.
const list = /** @type {HTMLElement} */ (document.getElementById("tasks"));
const empty = /** @type {HTMLElement} */ (document.getElementById("empty"));

/** running | waiting | needsUser | done | failed | stopped: the record's state, with running split in two. @param {TaskView} record */
export function displayState(record) {
  if (record.state !== "running") return record.state;
  return waitingForTickets(record) ? "waiting" : "running";
}

/** @param {TaskView} record @param {number} now */
function nextTry(record, now) {
  const at = record.status && record.status.nextTryAt;
  if (record.state !== "running" || !at) return "";
  const s = Math.max(0, Math.ceil((at - now) / 1000));
  return s > 0 ? t("popupInSeconds", s) : t("popupNow");
}

/** @param {string} label @param {string} value @param {string} [cls] */
function row(label, value, cls) {
  if (value === "" || value == null) return [];
  return [h("dt", {}, label), h("dd", { class: cls }, value)];
}

/** @param {TaskView} record */
function buttons(record) {
  /** @param {"stopTask" | "restartTask" | "deleteTask"} type */
  const act = (type) => async () => {
    await send({ type, taskId: record.id });
    await render();
  };
  const out = [];
  if (record.state === "running") out.push(h("button", { class: "stop", onclick: act("stopTask") }, t("stop")));
  if (["stopped", "failed", "needsUser"].includes(record.state)) {
    out.push(h("button", { class: "start", onclick: act("restartTask") }, t("popupStart")));
  }
  if (record.state === "done" && record.orderId) {
    out.push(
      h("button", {
        class: "pay",
        onclick: async () => {
          await send({ type: "markSeen", taskId: record.id });
          chrome.tabs.create({ url: UNPAID_URL });
        },
      }, t("payLink")),
    );
  }
  out.push(h("button", { class: "delete", onclick: act("deleteTask") }, t("popupDelete")));
  return h("div", { class: "buttons" }, out);
}

/** @param {TaskView} record @param {number} now */
function card(record, now) {
  const state = displayState(record);
  const status = record.status;
  const deadline = payDeadline(record);
  const title = [record.train || status?.train || "?", record.date, record.route].filter(Boolean).join(" · ");
  const log = (record.log || []).slice(-LOG_LINES);
  return h(
    "li",
    { class: "task", "data-id": record.id, "data-state": state },
    h("div", { class: "head" }, h("span", { class: "title" }, mask(title)), h("span", { class: `state state-${state}` }, t(`state_${state}`))),
    h(
      "dl",
      {},
      row(t("popupPassengers"), mask((record.passengers || []).join("、"))),
      row(t("popupAttempts"), status ? String(status.attempts) : ""),
      row(t("popupLastAnswer"), mask(record.message || status?.lastMessage || ""), "last"),
      row(t("popupNextTry"), nextTry(record, now), "next"),
      row(t("popupOrder"), record.orderId ? mask(record.orderId) : "", "order"),
      row(
        t("popupPayBy"),
        record.state === "done" && deadline ? (deadline.exact ? clock(deadline.ms) : t("aboutTime", clock(deadline.ms))) : "",
        "pay",
      ),
    ),
    buttons(record),
    log.length
      ? h("details", {}, h("summary", {}, t("log")), h("ol", {}, log.map((l) => h("li", { class: `log-${l.kind || "info"}` }, mask(l.text)))))
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
