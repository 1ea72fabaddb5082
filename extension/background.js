// The service worker: hosts the wasm core, runs booking tasks, answers the panel.
// MV3 rules followed here: only static top-level imports (no dynamic import() in service workers), and every
// listener registered synchronously at the top level so that events which wake the worker reach it.
import { onMessage } from "./background/messages.js";
import { resumeAll } from "./background/tasks/runner.js";

const RESUME_ALARM = "kyfw-resume";

chrome.runtime.onMessage.addListener(onMessage);

// Alarms fire at most every 30 s; enough to bring running tasks back after the worker was stopped.
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === RESUME_ALARM) resumeAll();
});

chrome.runtime.onInstalled.addListener(() => {
  chrome.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
});

chrome.runtime.onStartup.addListener(() => {
  chrome.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
});

chrome.notifications.onClicked.addListener((id) => {
  if (id.startsWith("kyfw-")) chrome.tabs.create({ url: "https://kyfw.12306.cn/otn/view/train_order.html" });
});

// A fresh worker (after the 30 s idle stop) picks up where the last one left off.
resumeAll();
