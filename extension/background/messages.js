// The message switch between the panel (content scripts on kyfw.12306.cn) and the background.
// Only two kinds of senders are answered: our own content scripts in a kyfw.12306.cn/otn tab, and our own
// extension pages. Everything else (other extensions cannot reach onMessage, but a compromised renderer could
// forge a different URL for its frame) is refused before any work is done.
import * as account from "./account.js";
import * as report from "./report.js";
import * as runner from "./tasks/runner.js";
import { SpecError, bookingTask } from "./tasks/spec.js";
import * as store from "./tasks/store.js";

const KYFW = "https://kyfw.12306.cn";

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

function newTaskId() {
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

const handlers = {
  async loginStatus(_message, tabId) {
    return account.loginStatus(tabId);
  },
  async passengers(_message, tabId) {
    return account.passengers(tabId);
  },
  async startTask(message, tabId) {
    let task;
    try {
      task = bookingTask(message.spec, newTaskId());
    } catch (err) {
      if (err instanceof SpecError) return { ok: false, error: err.message };
      throw err;
    }
    const record = await runner.start(task, tabId);
    return { ok: true, task: report.view(record) };
  },
  // A page may stop only its own tab's tasks (the one it started, or one it joined by pressing the same booking);
  // the popup and the options page may stop any.
  async stopTask(message, tabId) {
    if (typeof message.taskId !== "string") return { ok: false, error: "bad task id" };
    if (tabId != null && !(await runner.belongsToTab(message.taskId, tabId))) return { ok: false, error: "not this tab's task" };
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
    return { ok: true, task: report.view(record) };
  },
  async listTasks() {
    return { ok: true, tasks: (await store.all()).map(report.view) };
  },
  // The popup's buttons: run a stopped task again, forget a task, acknowledge an outcome.
  async restartTask(message) {
    if (typeof message.taskId !== "string") return { ok: false, error: "bad task id" };
    const record = await runner.restart(message.taskId);
    return record ? { ok: true, task: report.view(record) } : { ok: false, error: "not restartable" };
  },
  async deleteTask(message) {
    if (typeof message.taskId !== "string") return { ok: false, error: "bad task id" };
    await runner.remove(message.taskId);
    return { ok: true };
  },
  async markSeen(message) {
    if (typeof message.taskId !== "string") return { ok: false, error: "bad task id" };
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

export function onMessage(message, sender, sendResponse) {
  const kind = senderKind(sender);
  if (!kind || !message || typeof message.type !== "string" || !Object.hasOwn(handlers, message.type)) return false;
  if (EXTENSION_ONLY.has(message.type) && kind !== "extension") return false;
  const tabId = kind === "page" ? sender.tab.id : null;
  handlers[message.type](message, tabId)
    .then((answer) => sendResponse(answer && typeof answer.error === "string" ? { ...answer, error: store.clip(answer.error) } : answer))
    .catch((err) => sendResponse({ ok: false, error: store.clip(String((err && err.message) || err)) }));
  return true; // asynchronous answer
}
