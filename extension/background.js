// The service worker: hosts the wasm core, runs booking tasks, answers the panel.
// MV3 rules followed here: only static top-level imports (no dynamic import() in service workers), and every
// listener registered synchronously at the top level so that events which wake the worker reach it.
import { onMessage } from "./background/messages.js";
import { badge, onClicked as onNotificationClicked, remindPayment } from "./background/notify/index.js";
import { watchCountdown } from "./background/notify/badge.js";
import { WAKE_ALARM, resumeAll } from "./background/tasks/runner.js";

const RESUME_ALARM = "kyfw-resume";

chrome.runtime.onMessage.addListener(onMessage);

// A page showing a sale's countdown (popup, panel) holds a "countdown" port: the tooltip then counts by the second.
chrome.runtime.onConnect.addListener((port) => {
  if (port.name === "countdown" && port.sender?.id === chrome.runtime.id) watchCountdown(port);
});

// Alarms fire at most every 30 s; enough to bring running tasks back after the worker was stopped.
// A task's wake-up alarm (runner.js: just before a long wait ends, e.g. a sale's warm-up) does the same.
chrome.alarms.onAlarm.addListener((alarm) => {
  // A minute before an order's payment deadline: call the user again.
  remindPayment(alarm.name).catch(() => {});
  if (alarm.name !== RESUME_ALARM && !alarm.name.startsWith(WAKE_ALARM)) return;
  resumeAll();
  // The watchdog also retires a payment badge whose deadline has passed.
  badge().catch(() => {});
});

chrome.runtime.onInstalled.addListener(() => {
  chrome.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
});

chrome.runtime.onStartup.addListener(() => {
  chrome.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
});

// Opens 12306's unpaid-order page (or the login page when that is what the task needs) and marks it seen.
chrome.notifications.onClicked.addListener(onNotificationClicked);

// The watchdog must exist even if install/startup events were missed (an update, a crash): create it if absent.
chrome.alarms.get(RESUME_ALARM).then((alarm) => {
  if (!alarm) chrome.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
});

// A fresh worker (after the 30 s idle stop) picks up where the last one left off.
resumeAll();
