// Helpers of the end-to-end tests of running tasks (background runner, notifications, popup): reading the extension's own
// state from one of its pages, and starting a task that waits for tickets. Not a test file itself.
import assert from "node:assert/strict";
import { book } from "../harness/flow.mjs";
import { queries, readyToBook, until } from "../harness/start.mjs";
import { inventory } from "../harness/world.mjs";

// Re-exported: the task tests import them from here.
export { lastSeq, queries, until } from "../harness/start.mjs";

/** Opens an extension page (default: the popup) in a tab; extension pages can call chrome.* directly. */
export async function extensionPage(browser, path = "popup/popup.html") {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
  return page;
}

/**
 * The user switches tabs: a new tab (the popup page) opens in the 12306 tab's window and becomes the active
 * one. Resolves to {other: the new tab's page, kyfwActive: whether a kyfw tab is still the active one}.
 * (Headless Chromium never reports a background tab as document.visibilityState "hidden", so the tests check
 * the tab is inactive; the background's timing does not depend on the tab either way.)
 */
export async function switchAway(browser) {
  const helper = await extensionPage(browser);
  const opened = browser.context.waitForEvent("page", { timeout: 10000 });
  await helper.evaluate(async (url) => {
    const [tab] = await chrome.tabs.query({ url: "https://kyfw.12306.cn/otn/leftTicket/*" });
    await chrome.tabs.create({ windowId: tab.windowId, url, active: true });
  }, `chrome-extension://${browser.extensionId}/popup/popup.html`);
  const other = await opened;
  await helper.close();
  const kyfwActive = await other.evaluate(
    async () => (await chrome.tabs.query({ url: "https://kyfw.12306.cn/*" })).some((t) => t.active),
  );
  return { other, kyfwActive };
}

/** {badge, badgeColor, title, notifications: ids, notifyLog, tasks} as the extension sees them now. */
export async function extensionState(extPage) {
  return extPage.evaluate(async () => {
    const all = await chrome.storage.local.get(null);
    return {
      badge: await chrome.action.getBadgeText({}),
      title: await chrome.action.getTitle({}),
      notifications: Object.keys(await chrome.notifications.getAll()),
      notifyLog: all.notifyLog || [],
      tasks: Object.entries(all)
        .filter(([k]) => k.startsWith("task:"))
        .map(([, v]) => ({ id: v.id, state: v.state, orderId: v.orderId, status: v.status, tabId: v.tabId })),
      badgePay: chrome.i18n.getMessage("badgePay"),
    };
  });
}

/**
 * Logs in, opens the query page, and starts a task on G2 二等座 for 张三 while G2 is sold out; resolves once
 * the task has queried at least twice (it is in its loop). `page` ends on the query page.
 */
export async function startSoldOut({ sim, browser, page, intervalS = 1, train = "G2" }) {
  await inventory(sim, { [train]: { O: 0 } });
  const since = await readyToBook({ sim, browser, page }, { intervalS });
  await book(page, train);
  await until(async () => (await queries(sim, since)).length >= 2, 30000, "the task's queries");
}

/** The gaps (ms) between consecutive entries of a request list. */
export function gaps(requests) {
  const out = [];
  for (let i = 1; i < requests.length; i++) out.push(requests[i].t_ms - requests[i - 1].t_ms);
  return out;
}

/** Asserts exactly one order and one confirmSingleForQueue at the sim; returns the order. */
export async function assertOneOrder(sim) {
  const orders = await sim.orders();
  assert.equal(orders.length, 1, `orders: ${JSON.stringify(orders)}`);
  const confirms = (await sim.requests()).filter((r) => String(r.path).includes("confirmSingleForQueue"));
  assert.equal(confirms.length, 1, "exactly one confirmSingleForQueue");
  return orders[0];
}
