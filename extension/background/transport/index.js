// Chooses the transport for one request: the tab transport by default (the page's own cookies and headers),
// the background transport when no kyfw tab can take it. `transportMode` in storage ("auto" | "tab" |
// "background") overrides the choice; the end-to-end tests use it to exercise both paths. The background
// transport's fetch itself is the core's (gloo-net, src/driver/web.rs); this module only prepares it.
import { core } from "../core.js";
import { errorText } from "../errors.js";
import { NoTabError, viaTab, warmTab } from "./tab.js";
import { ensureRule } from "./direct.js";

/** @typedef {import("../../wasm/kyfw.js").HttpRequest} HttpRequest */
/** @typedef {import("../../wasm/kyfw.js").HostAnswer} HostAnswer */

// The core's request deadline (ARCHITECTURE.md §1.1): an answer that never comes is given up on after it.
const ANSWER_MS = 15000;

/** @typedef {"auto" | "tab" | "background"} Mode */
/** @type {Promise<Mode> | null} the setting, read once and kept until it changes */
let modeRead = null;
// Registered at the module's top level, as MV3 listeners must be: the setting changes rarely, a request goes out
// many times a second at an opening, and none of them should wait for storage.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && "transportMode" in changes) modeRead = null;
});

/** @returns {Promise<Mode>} */
function mode() {
  if (!modeRead) {
    const reading = chrome.storage.local.get("transportMode").then(({ transportMode }) =>
      transportMode === "tab" || transportMode === "background" ? transportMode : "auto",
    );
    // A failed read is not kept: the next request reads again.
    reading.catch(() => {
      if (modeRead === reading) modeRead = null;
    });
    modeRead = reading;
  }
  return modeRead;
}

/**
 * The tab transport's answer to `request`: {status, finalUrl, body} or {error}; null when the background
 * transport should take it (no kyfw tab could, nothing was sent). Never rejects.
 * @param {HttpRequest} request
 * @param {number | null} preferredTabId
 * @param {import("./tab.js").Route} [route] the task's kept tab choice (tab.js)
 * @returns {Promise<HostAnswer | null>}
 */
export async function viaTabOrNull(request, preferredTabId, route) {
  const chosen = await mode();
  if (chosen === "background") return null;
  try {
    return await viaTab(request, preferredTabId, route);
  } catch (err) {
    if (!(err instanceof NoTabError)) return { error: errorText(err) };
    if (chosen === "tab") return { error: err.message };
    return null;
  }
}

/**
 * Just before a timed request: wakes the path to the tab that will take it (tab.js warmTab), unless the
 * background transport is set. Never rejects.
 * @param {number | null} preferredTabId
 * @param {import("./tab.js").Route} route the task's kept tab choice
 */
export async function warmPath(preferredTabId, route) {
  try {
    if ((await mode()) !== "background") await warmTab(preferredTabId, route);
  } catch {
    // nothing to warm
  }
}

/**
 * Before the worker's own fetch of `request`: the declarativeNetRequest rule that sets its Origin and Referer.
 * @param {HttpRequest} request
 */
export async function prepareBackground(request) {
  await ensureRule(request);
}

/**
 * One request outside a task (the panel's login check and passenger list): the tab, else the worker's own
 * request through the core (the same gloo-net fetch the driver uses). Resolves to {status, finalUrl, body, via}
 * or {error, via}; never rejects.
 * @param {HttpRequest} request
 * @param {number | null} preferredTabId
 * @returns {Promise<HostAnswer & {via: "tab" | "background"}>}
 */
export async function perform(request, preferredTabId) {
  const answer = await viaTabOrNull(request, preferredTabId);
  if (answer) return { ...answer, via: "tab" };
  try {
    await prepareBackground(request);
    const { backgroundFetch } = await core();
    return { ...(await backgroundFetch(request, Date.now() + ANSWER_MS)), via: "background" };
  } catch (err) {
    return { error: errorText(err), via: "background" };
  }
}
