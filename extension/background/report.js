// Tells the user what the tasks do: the step log to the tab that started the task, a badge on the toolbar icon,
// and a system notification when an order waits for payment or a task needs the user.

import { payDeadline } from "./notify/deadline.js";
import { clean } from "./tasks/store.js";

/**
 * The part of a record the panel and the popup see: without the machine (it stays in the background), masked
 * and capped like what is stored (store.clean), so no page or extension page ever gets a text whole.
 * @param {import("../types/extension").TaskRecord} record
 * @returns {import("../types/extension").TaskView}
 */
export function view(record) {
  const { machine: _machine, ...rest } = record;
  // The payment deadline as the panel's and the popup's countdowns need it (deadline.js decides it, once).
  const payBy = record.state === "done" ? payDeadline(record) : null;
  return { ...clean(rest), payBy };
}

/** Sends the record's view to the tabs that follow the task. @param {import("../types/extension").TaskRecord} record */
export async function toTab(record) {
  // The tab that started the task, and the tabs whose press joined it (runner.start: the same booking).
  const tabs = new Set([record.tabId, ...(Array.isArray(record.watchers) ? record.watchers : [])].filter((id) => id != null));
  for (const tabId of tabs) {
    try {
      /** @type {import("../types/extension").TaskUpdate} */
      const update = { type: "taskUpdate", task: view(record) };
      await chrome.tabs.sendMessage(tabId, update, { frameId: 0 });
    } catch {
      // The tab was closed or navigated away: the task goes on, and the panel reloads the log when it comes back.
    }
  }
}

// The badge, the notification and the sound live in notify/; these two names stay for the callers.
export { badge, announce as notify } from "./notify/index.js";
export { waitingForTickets } from "./notify/badge.js";
