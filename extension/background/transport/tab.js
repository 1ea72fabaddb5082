// Tab transport: the content script of an open kyfw.12306.cn/otn/* tab performs the fetch from the page context
// (content/transport.js), so cookies, Origin and Referer are the page's own.

import { errorText } from "../errors.js";

/** @typedef {import("../../wasm/kyfw.js").HttpRequest} HttpRequest */
/** @typedef {import("../../wasm/kyfw.js").HostAnswer} HostAnswer */

const OTN_TABS = "https://kyfw.12306.cn/otn/*";

/** Thrown when no tab could take the request, before anything was sent: the caller may fall back. */
export class NoTabError extends Error {}

// A background tab can be frozen by the browser (memory/energy saving): its content script then never answers and
// the task would hang on it. After ANSWER_MS without an answer the request counts as failed (it may have gone
// out: the core treats it as a timeout, ARCHITECTURE.md §1.1) and the tab is passed over for SKIP_MS, so the
// next requests go to another tab or the background transport.
const ANSWER_MS = 15000;
const SKIP_MS = 60000;
/** @type {Map<number, number>} tab id -> passed over until (ms) */
const unresponsive = new Map();

class NoAnswerError extends Error {}

/**
 * The content script's answer (content/transport.js).
 * @param {number} tabId
 * @param {HttpRequest} request
 * @returns {Promise<HostAnswer | undefined>}
 */
function ask(tabId, request) {
  // frameId 0: the top page only, so an embedded frame never answers in the page's place.
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Promise<never>} */
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswerError(`the 12306 tab did not answer within ${ANSWER_MS / 1000} s`)), ANSWER_MS);
  });
  return Promise.race([chrome.tabs.sendMessage(tabId, { type: "http", request }, { frameId: 0 }), timeout]).finally(() =>
    clearTimeout(timer),
  );
}

/** @param {number | null} preferredTabId */
async function candidateTabs(preferredTabId) {
  const tabs = await chrome.tabs.query({ url: OTN_TABS });
  const now = Date.now();
  const ids = tabs
    .filter((t) => t.id != null && t.status !== "unloaded" && !t.discarded && !t.frozen && !((unresponsive.get(t.id) ?? 0) > now))
    .map((t) => /** @type {number} */ (t.id));
  // The tab that started the task first: it is the one the user watches.
  ids.sort((a, b) => Number(b === preferredTabId) - Number(a === preferredTabId));
  return ids;
}

/**
 * The tab a task's requests go to, kept between its requests so that none of them waits for a tab look-up: the
 * one that answered last, until it fails to take a request (closed, navigated away, frozen) or ROUTE_MS pass
 * (then the look-up runs again, so the task's own tab is taken back when it returns). A look-up that found no
 * tab is kept for NO_TAB_MS: the requests meanwhile go by the background transport without asking again.
 * @typedef {{tabId?: number | null, until?: number}} Route
 */
const ROUTE_MS = 60000;
const NO_TAB_MS = 5000;

/**
 * Performs `request` through a kyfw tab. Resolves to {status, finalUrl, body, date} or {error}.
 * Rejects with NoTabError when no tab has a listening content script (nothing was sent in that case).
 * @param {HttpRequest} request
 * @param {number | null} preferredTabId
 * @param {Route} [route] the task's kept choice (read and updated)
 * @returns {Promise<HostAnswer & {tabId: number}>}
 */
export async function viaTab(request, preferredTabId, route = {}) {
  const now = Date.now();
  if ((route.until ?? 0) > now) {
    const kept = route.tabId;
    if (kept == null) throw new NoTabError("no kyfw.12306.cn tab");
    if (!((unresponsive.get(kept) ?? 0) > now)) {
      const answer = await askTab(kept, request);
      if (answer) return answer;
    }
  }
  route.until = 0;
  for (const tabId of await candidateTabs(preferredTabId)) {
    const answer = await askTab(tabId, request);
    if (!answer) continue;
    Object.assign(route, { tabId, until: Date.now() + ROUTE_MS });
    return answer;
  }
  Object.assign(route, { tabId: null, until: Date.now() + NO_TAB_MS });
  throw new NoTabError("no kyfw.12306.cn tab");
}

/**
 * Wakes the path to the tab the task's next request will take, just before a timed request (a sale's first
 * query): after a long idle the first message to a tab can take 10–20 ms to arrive (the tab's process woken,
 * the channel opened), which the request would otherwise pay. A `ping` the content script answers at once;
 * nothing is sent to 12306. The tab that answers becomes the task's kept route, so the request skips the tab
 * look-up as well. Never rejects.
 * @param {number | null} preferredTabId
 * @param {Route} route the task's kept choice (read and updated)
 */
export async function warmTab(preferredTabId, route) {
  try {
    const now = Date.now();
    const kept = (route.until ?? 0) > now ? route.tabId : undefined;
    // A recent "no tab": the request goes by the background transport, nothing to wake.
    if (kept === null) return;
    const tabs = kept != null ? [kept] : await candidateTabs(preferredTabId);
    for (const tabId of tabs) {
      try {
        const answer = await chrome.tabs.sendMessage(tabId, { type: "ping" }, { frameId: 0 });
        if (!answer || !answer.ok) continue;
      } catch {
        continue; // no content script listening there
      }
      if (kept == null) Object.assign(route, { tabId, until: Date.now() + ROUTE_MS });
      return;
    }
  } catch {
    // the request itself looks again
  }
}

/**
 * One tab's answer; null when it has no content script listening (nothing was sent: try another).
 * @param {number} tabId
 * @param {HttpRequest} request
 * @returns {Promise<(HostAnswer & {tabId: number}) | null>}
 */
async function askTab(tabId, request) {
  let answer;
  try {
    answer = await ask(tabId, request);
  } catch (err) {
    // "Receiving end does not exist": no content script there (yet); try the next tab.
    if (/Receiving end does not exist|No tab with id/i.test(errorText(err))) return null;
    if (err instanceof NoAnswerError) unresponsive.set(tabId, Date.now() + SKIP_MS);
    // The message was delivered but the page went away mid-request: it may have reached 12306.
    return { error: errorText(err), tabId };
  }
  if (answer && typeof answer === "object") return { ...answer, tabId };
  return { error: "empty answer from the tab", tabId };
}
