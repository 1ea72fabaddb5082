// Background transport: fetch from the service worker when no kyfw tab is open.
// The host permission makes the browser attach the kyfw.12306.cn cookies, but the request would carry
// `Origin: chrome-extension://…` and no Referer. A declarativeNetRequest session rule, limited to requests this
// extension starts outside any tab, sets the Origin and the Referer 12306 expects for that endpoint.

import { extensionHost } from "../compat.js";

const ORIGIN = "https://kyfw.12306.cn";
const FORBIDDEN = new Set(["cookie", "origin", "referer", "host", "content-length", "connection"]);
// Session rule ids of this module live in [RULE_BASE, RULE_BASE + RULE_SPAN).
const RULE_BASE = 100000;
const RULE_SPAN = 1000000;
const ANSWER_MS = 15000;

// A stable rule id per endpoint path, so repeated requests replace their rule instead of piling up.
function ruleId(path) {
  let hash = 0;
  for (let i = 0; i < path.length; i++) hash = (hash * 31 + path.charCodeAt(i)) >>> 0;
  return RULE_BASE + (hash % RULE_SPAN);
}

function endpoint(url) {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

const installed = new Map(); // rule id -> referer it sets (avoids an update per request)

async function ensureRule(request) {
  const base = endpoint(request.url);
  const id = ruleId(base);
  const referer = typeof request.referer === "string" && request.referer ? request.referer : `${ORIGIN}/otn/`;
  const method = (request.method || "GET").toUpperCase();
  const key = `${method} ${referer}`;
  if (installed.get(id) === key) return;
  const requestHeaders = [{ header: "referer", operation: "set", value: referer }];
  // Same-origin POSTs from the page carry Origin; same-origin GETs do not. Mirror that.
  if (method === "GET" || method === "HEAD") requestHeaders.push({ header: "origin", operation: "remove" });
  else requestHeaders.push({ header: "origin", operation: "set", value: ORIGIN });
  await chrome.declarativeNetRequest.updateSessionRules({
    removeRuleIds: [id],
    addRules: [
      {
        id,
        priority: 1,
        action: { type: "modifyHeaders", requestHeaders },
        condition: {
          // '^' ends the path: matches "?query" or the end, never a longer path.
          urlFilter: `|${base}^`,
          // The extension's own origin host: the id in Chrome, a per-install UUID in Firefox (compat.js).
          initiatorDomains: [extensionHost()],
          tabIds: [chrome.tabs.TAB_ID_NONE],
          resourceTypes: ["xmlhttprequest"],
          requestMethods: [method.toLowerCase()],
        },
      },
    ],
  });
  installed.set(id, key);
}

function headersOf(request) {
  const headers = {};
  for (const pair of request.headers || []) {
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    if (FORBIDDEN.has(String(pair[0]).toLowerCase())) continue;
    headers[pair[0]] = String(pair[1]);
  }
  return headers;
}

// What the background says to a request it cannot perform (shown in the task's log as the transport error).
const NO_NAVIGATION = "the order page must be opened by a 12306 tab (navigation): keep a kyfw.12306.cn page open";

/**
 * Performs `request` from the service worker. Resolves to {status, finalUrl, body} or {error}.
 *
 * A `navigate` request (initDc after 12306 refused it to a fetch, ARCHITECTURE.md §1.2) needs a page that can
 * navigate a frame; the worker has none, and its fetch is exactly what 12306 refused. It is answered with an
 * error and not sent: the core waits that out with its back-off (a transport error, not a refusal) and the
 * next attempt goes through a 12306 tab when one is open again. A `read` (a value of such a page) has no page
 * here either: answered empty, and the confirm goes without it.
 */
export async function viaBackground(request) {
  if (request && request.read) return { status: 200, finalUrl: "", body: "" };
  if (request && request.navigate === true) return { error: NO_NAVIGATION };
  let url;
  try {
    url = new URL(request.url, ORIGIN);
  } catch {
    return { error: "bad URL" };
  }
  if (url.origin !== ORIGIN) return { error: "refused: not a kyfw.12306.cn URL" };
  try {
    await ensureRule({ ...request, url: url.href });
    const method = request.method || "GET";
    const init = { method, headers: headersOf(request), credentials: "include", redirect: "follow", cache: "no-store" };
    // An answer that never comes must not hold the task: after the core's own request deadline (15 s,
    // ARCHITECTURE.md §1.1) the fetch is aborted and reported as a transport error.
    init.signal = AbortSignal.timeout(ANSWER_MS);
    if (request.body != null && method !== "GET" && method !== "HEAD") init.body = request.body;
    const response = await fetch(url.href, init);
    return { status: response.status, finalUrl: response.url, body: await response.text() };
  } catch (err) {
    return { error: String((err && err.message) || err) };
  }
}
