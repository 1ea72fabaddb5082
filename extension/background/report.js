// Tells the user what the tasks do: the step log to the tab that started the task, a badge on the toolbar icon,
// and a system notification when an order waits for payment or a task needs the user.
import * as store from "./tasks/store.js";

const t = (key, ...subs) => chrome.i18n.getMessage(key, subs.map(String)) || key;

/** The part of a record the panel shows (the machine state stays in the background). */
export function view(record) {
  if (!record) return null;
  const { machine, ...rest } = record;
  return rest;
}

export async function toTab(record) {
  if (record.tabId == null) return;
  try {
    await chrome.tabs.sendMessage(record.tabId, { type: "taskUpdate", task: view(record) }, { frameId: 0 });
  } catch {
    // The tab was closed or navigated away: the task goes on, and the panel reloads the log when it comes back.
  }
}

export async function badge() {
  const records = await store.all();
  const placed = records.some((r) => r.state === "done" && r.orderId && !r.seen);
  const needs = records.some((r) => r.state === "needsUser" && !r.seen);
  const running = records.filter((r) => r.state === "running").length;
  let text = "";
  let color = "#3b99fc";
  if (placed) [text, color] = ["✓", "#1a9d33"];
  else if (needs) [text, color] = ["!", "#d93025"];
  else if (running) text = String(running);
  await chrome.action.setBadgeBackgroundColor({ color });
  await chrome.action.setBadgeText({ text });
}

export async function notify(record) {
  let title;
  let message;
  if (record.state === "done" && record.orderId) {
    title = t("notifyOrderTitle");
    message = t("notifyOrderBody", record.train, record.orderId);
  } else if (record.state === "needsUser") {
    title = t("notifyNeedsTitle");
    message = record.message || record.reasonKind || "";
  } else {
    return;
  }
  try {
    await chrome.notifications.create(`kyfw-${record.id}`, {
      type: "basic",
      iconUrl: chrome.runtime.getURL("icons/128.png"),
      title,
      message,
      priority: 2,
      requireInteraction: record.state === "done",
    });
  } catch {
    // Notifications can be disabled by the user or the OS; the badge and the panel still show it.
  }
}
