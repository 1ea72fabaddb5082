// Calling the user: when a task ends with an order waiting for payment, or stops because the user must act,
// a desktop notification (if enabled), the chime (if enabled) and the badge. Each call is also appended to a
// short log in storage ("notifyLog"), which the popup shows and the end-to-end tests read.
import { notificationOptions } from "../compat.js";
import { errorText } from "../errors.js";
import { prefs } from "../settings.js";
import * as store from "../tasks/store.js";
import { refresh } from "./badge.js";
import { clock, payDeadline } from "./deadline.js";
import { play } from "./sound.js";
import { LOGIN_URL, UNPAID_URL, t } from "../../shared/common.js";

/** @typedef {import("../../types/extension").TaskRecord} TaskRecord */

/** @param {string} key @param {...(string | number)} subs */

export const LOG_KEY = "notifyLog";
const MAX_LOG = 30;
const PREFIX = "kyfw-";
export { LOGIN_URL, UNPAID_URL };

export { refresh as badge };

/**
 * {kind, title, message} for a record that calls for the user, or null. Masked and capped (store.clip).
 * @param {TaskRecord} record
 * @returns {{kind: "orderPlaced" | "needsUser" | "stoppedWithOrder", title: string, message: string} | null}
 */
export function messageFor(record) {
  if (record.state === "done" && record.orderId) {
    const deadline = payDeadline(record);
    const by = deadline ? (deadline.exact ? clock(deadline.ms) : t("aboutTime", clock(deadline.ms))) : "?";
    return {
      kind: "orderPlaced",
      title: store.clip(t("notifyOrderTitle")),
      message: store.clip(`${t("notifyOrderBody", record.train || "", record.orderId)} ${t("notifyPayBy", by)}`),
    };
  }
  if (record.state === "needsUser") {
    const why = record.reasonKind === "login" ? t("notifyNeedsLogin") : record.message || record.reasonKind || "";
    return { kind: "needsUser", title: store.clip(t("notifyNeedsTitle")), message: store.clip(why) };
  }
  if (record.state === "stopped" && record.orderMayExist) {
    return {
      kind: "stoppedWithOrder",
      title: store.clip(t("notifyStoppedOrderTitle")),
      message: store.clip(t("notifyStoppedOrderBody")),
    };
  }
  return null;
}

/**
 * One entry of `notifyLog`.
 * @param {{id: string, at: number, taskId: string, kind: string, title: string, message: string, shown: string, sound: string}} entry
 */
async function appendLog(entry) {
  const stored = await chrome.storage.local.get(LOG_KEY);
  const list = Array.isArray(stored[LOG_KEY]) ? stored[LOG_KEY] : [];
  list.push(entry);
  await chrome.storage.local.set({ [LOG_KEY]: list.slice(-MAX_LOG) });
}

/** The alarm that calls the user again a minute before an order's payment deadline: this prefix + task id. */
export const PAY_ALARM = "kyfw-pay-";
/** How long before the deadline the reminder comes. */
export const REMIND_BEFORE_MS = 60 * 1000;

/** Tells the user about a record that just finished or needs them; always refreshes the badge. @param {TaskRecord} record */
export async function announce(record) {
  if (record.state === "done" && !record.finishedAt) {
    // The payment window runs from now when 12306 did not give the deadline itself (deadline.js).
    record.finishedAt = Date.now();
    await store.save(record).catch(() => store.keepUnsaved(record));
  }
  const what = messageFor(record);
  if (!what) return refresh();
  if (what.kind === "orderPlaced") {
    // Once more a minute before the deadline (an alarm outlives the worker; background.js calls remindPayment).
    const deadline = payDeadline(record);
    if (deadline && deadline.ms - REMIND_BEFORE_MS > Date.now()) {
      try {
        await chrome.alarms.create(`${PAY_ALARM}${record.id}`, { when: deadline.ms - REMIND_BEFORE_MS });
      } catch {
        // no reminder: the badge and the first notification still say it
      }
    }
  }
  return callUser(record, what);
}

/**
 * The reminder a minute before an order's payment deadline (the alarm `PAY_ALARM + id`): notification and
 * chime again, unless the task is gone or no longer waits for payment.
 * @param {string} alarmName
 */
export async function remindPayment(alarmName) {
  if (typeof alarmName !== "string" || !alarmName.startsWith(PAY_ALARM)) return;
  const record = await store.load(alarmName.slice(PAY_ALARM.length));
  if (!record || record.state !== "done" || !record.orderId) return;
  const deadline = payDeadline(record);
  if (!deadline || deadline.ms <= Date.now()) return refresh();
  const by = deadline.exact ? clock(deadline.ms) : t("aboutTime", clock(deadline.ms));
  return callUser(record, {
    kind: "payReminder",
    title: store.clip(t("notifyPayReminderTitle")),
    message: store.clip(t("notifyPayReminderBody", record.orderId, by)),
  });
}

/**
 * The notification (if enabled), the chime (if enabled), the log entry and the badge.
 * @param {TaskRecord} record
 * @param {{kind: string, title: string, message: string}} what
 */
async function callUser(record, what) {
  const p = await prefs();
  const id = `${PREFIX}${record.id}`;
  let shown = "off";
  if (p.notifications) {
    try {
      await chrome.notifications.create(
        id,
        notificationOptions({
          type: "basic",
          iconUrl: chrome.runtime.getURL("icons/128.png"),
          title: what.title,
          message: what.message,
          priority: 2,
          // A payment window is short: the notification stays until the user acts on it.
          requireInteraction: what.kind === "orderPlaced" || what.kind === "payReminder",
        }),
      );
      shown = "shown";
    } catch (err) {
      // Disabled by the user or the OS: the badge and the popup still say it.
      shown = `error: ${errorText(err)}`;
    }
  }
  const sound = p.sound ? await play() : "off";
  await appendLog({ id, at: Date.now(), taskId: record.id, kind: what.kind, title: what.title, message: what.message, shown, sound });
  return refresh();
}

/** chrome.notifications.onClicked: opens the page where the user acts, and marks the task as seen. @param {string} notificationId */
export async function onClicked(notificationId) {
  if (typeof notificationId !== "string" || !notificationId.startsWith(PREFIX)) return;
  const record = await store.load(notificationId.slice(PREFIX.length));
  const url = record && record.state === "needsUser" && record.reasonKind === "login" ? LOGIN_URL : UNPAID_URL;
  await chrome.tabs.create({ url });
  chrome.notifications.clear(notificationId).catch(() => {});
  if (record) {
    record.seen = true;
    await store.save(record).catch(() => store.keepUnsaved(record));
  }
  await refresh();
}
