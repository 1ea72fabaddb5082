// The message switch between the panel (content scripts on kyfw.12306.cn) and the background.
// Only two kinds of senders are answered: our own content scripts in a kyfw.12306.cn/otn tab, and our own
// extension pages. Everything else (other extensions cannot reach onMessage, but a compromised renderer could
// forge a different URL for its frame) is refused before any work is done.
import * as account from "./account.js";
import { core } from "./core.js";
import { errorText } from "./errors.js";
import * as report from "./report.js";
import * as runner from "./tasks/runner.js";
import * as store from "./tasks/store.js";
import { ORIGIN, t } from "../shared/common.js";

/** @typedef {import("../types/extension").Answers} Answers */
/** @typedef {import("../types/extension").Failure} Failure */
/**
 * A message as it arrives: from our own pages, but checked field by field all the same (a page's process could be
 * compromised); what the core reads (the start request) the core checks.
 * @typedef {{type: string, [field: string]: unknown}} Incoming
 */

const KYFW = ORIGIN;

/** "page" (our content script in a kyfw.12306.cn/otn tab), "extension" (our pages), or null. @param {chrome.runtime.MessageSender} sender */
function senderKind(sender) {
  if (!sender || sender.id !== chrome.runtime.id) return null;
  const url = typeof sender.url === "string" ? sender.url : "";
  if (url.startsWith(chrome.runtime.getURL(""))) return "extension";
  try {
    const u = new URL(url);
    if (sender.tab && sender.tab.id != null && u.origin === KYFW && u.pathname.startsWith("/otn/")) return "page";
  } catch {
    // no usable URL
  }
  return null;
}

/** @type {Record<string, string>} ticket type code → its name's key */
const TICKETS = { 1: "ticketAdult", 2: "ticketChild", 3: "ticketStudent", 4: "ticketDisabled" };

/**
 * The core's refusal of a start request (taskFromSpec throws an Error with `code` and `detail`) in the user's
 * language; a refusal without a known code is said generally (its text is the core's, in English).
 * @param {unknown} err
 */
function taskRefusal(err) {
  const e = /** @type {{code?: unknown, detail?: unknown, ticketType?: unknown}} */ (err && typeof err === "object" ? err : {});
  if (typeof e.code === "string") {
    const ticket = typeof e.ticketType === "string" ? t(TICKETS[e.ticketType] || "ticketAdult") : "";
    const text = t(`taskErr_${e.code}`, String(e.detail ?? ""), ticket);
    if (text && text !== `taskErr_${e.code}`) return text;
  }
  return t("taskErr_invalid");
}

function newTaskId() {
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * One handler per message type, answering what types/extension.d.ts says it answers. `tabId`: the sending tab
 * (null for extension pages).
 * @type {{[K in keyof Answers]: (message: Incoming, tabId: number | null) => Promise<Answers[K] | Failure>}}
 */
const handlers = {
  async loginStatus(_message, tabId) {
    return account.loginStatus(tabId);
  },
  async passengers(_message, tabId) {
    return account.passengers(tabId);
  },
  // The seat classes the panel offers: the core's list (the content script cannot load the core).
  async seatClasses() {
    const { seatClasses } = await core();
    return { ok: true, ...seatClasses() };
  },
  // A query interval as the user typed it (s): the core's one rule for the panel and the options page.
  async checkInterval(message) {
    const { checkInterval } = await core();
    return { ok: true, check: checkInterval(String(message.value ?? "")) };
  },
  async startTask(message, tabId) {
    const { taskFromSpec } = await core();
    let task;
    try {
      // The core checks every field of the request (src/task/spec.rs) and says what it refuses.
      task = taskFromSpec(/** @type {import("../wasm/kyfw.js").TaskSpec} */ (message.spec), newTaskId());
    } catch (err) {
      return { ok: false, error: taskRefusal(err) };
    }
    const record = await runner.start(task, tabId);
    return { ok: true, task: report.view(record) };
  },
  // A page may stop only its own tab's tasks (the one it started, or one it joined by pressing the same booking);
  // the popup and the options page may stop any.
  async stopTask(message, tabId) {
    if (typeof message.taskId !== "string") return { ok: false, error: t("errBadTaskId") };
    if (tabId != null && !(await runner.belongsToTab(message.taskId, tabId))) return { ok: false, error: t("errNotThisTab") };
    await runner.stop(message.taskId);
    return { ok: true };
  },
  async tabTask(_message, tabId) {
    const record = await runner.ofTab(tabId);
    if (record && record.state !== "running" && !record.seen) {
      // The user is looking at the outcome now: the badge no longer needs to call for attention.
      record.seen = true;
      await store.save(record).catch(() => store.keepUnsaved(record));
      await report.badge();
    }
    return { ok: true, task: record && report.view(record) };
  },
  // Every task of the tab, for a panel that (re)loads: it shows them all, the newest selected.
  async tabTasks(_message, tabId) {
    const records = await runner.allOfTab(tabId);
    const newest = records[0];
    if (newest && newest.state !== "running" && !newest.seen) {
      // The user is looking at the outcome now: the badge no longer needs to call for attention.
      newest.seen = true;
      await store.save(newest).catch(() => store.keepUnsaved(newest));
      await report.badge();
    }
    return { ok: true, tasks: records.slice(0, 10).map(report.view) };
  },
  // The panel's 继续 / 重新开始 for its own tab's task (the popup's Start does the same for any task).
  async continueTask(message, tabId) {
    if (typeof message.taskId !== "string") return { ok: false, error: t("errBadTaskId") };
    if (tabId != null && !(await runner.belongsToTab(message.taskId, tabId))) return { ok: false, error: t("errNotThisTab") };
    const record = await runner.restart(message.taskId, tabId);
    return record ? { ok: true, task: report.view(record) } : { ok: false, error: t("errNotRestartable") };
  },
  async listTasks() {
    return { ok: true, tasks: (await store.all()).map(report.view) };
  },
  // The popup's buttons: run a stopped task again, forget a task, acknowledge an outcome.
  async restartTask(message) {
    if (typeof message.taskId !== "string") return { ok: false, error: t("errBadTaskId") };
    const record = await runner.restart(message.taskId);
    return record ? { ok: true, task: report.view(record) } : { ok: false, error: t("errNotRestartable") };
  },
  async deleteTask(message) {
    if (typeof message.taskId !== "string") return { ok: false, error: t("errBadTaskId") };
    await runner.remove(message.taskId);
    return { ok: true };
  },
  async markSeen(message) {
    if (typeof message.taskId !== "string") return { ok: false, error: t("errBadTaskId") };
    const record = await store.load(message.taskId);
    if (record && record.state !== "running") {
      record.seen = true;
      await store.save(record).catch(() => store.keepUnsaved(record));
    }
    await report.badge();
    return { ok: true };
  },
};

// Only extension pages may list every task or change tasks other than their own; content scripts see their tab's.
const EXTENSION_ONLY = new Set(["listTasks", "restartTask", "deleteTask", "markSeen"]);

/** @param {string} type @returns {type is keyof Answers} */
const isHandled = (type) => Object.hasOwn(handlers, type);

/**
 * chrome.runtime.onMessage: answers our own senders (asynchronously: returns true), ignores everyone else.
 * @param {any} message
 * @param {chrome.runtime.MessageSender} sender
 * @param {(answer: unknown) => void} sendResponse
 */
export function onMessage(message, sender, sendResponse) {
  const kind = senderKind(sender);
  const type = message && typeof message.type === "string" ? message.type : "";
  if (!kind || !isHandled(type)) return false;
  if (EXTENSION_ONLY.has(type) && kind !== "extension") return false;
  const tabId = kind === "page" ? (sender.tab?.id ?? null) : null;
  const handler = /** @type {(message: Incoming, tabId: number | null) => Promise<{ok: true} | Failure>} */ (handlers[type]);
  handler(message, tabId)
    .then((answer) => sendResponse(answer.ok ? answer : { ...answer, error: store.clip(answer.error) }))
    .catch((err) => sendResponse({ ok: false, error: store.clip(errorText(err)) }));
  return true; // asynchronous answer
}
