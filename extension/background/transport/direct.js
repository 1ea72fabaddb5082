// Background transport: the service worker's own fetch when no kyfw tab is open — sent by the core itself
// (gloo-net, src/driver/web.rs). The host permission makes the browser attach the kyfw.12306.cn cookies, but the
// request would carry `Origin: chrome-extension://…` and no Referer. A declarativeNetRequest session rule, limited
// to requests this extension starts outside any tab, sets the Origin and the Referer 12306 expects for that
// endpoint; this module installs it.

import { extensionHost } from "../compat.js";
import { ORIGIN } from "../../shared/common.js";

// Session rule ids of this module live in [RULE_BASE, RULE_BASE + RULE_SPAN).
const RULE_BASE = 100000;
const RULE_SPAN = 1000000;

// A stable rule id per endpoint path, so repeated requests replace their rule instead of piling up.
/** @param {string} path */
function ruleId(path) {
  let hash = 0;
  for (let i = 0; i < path.length; i++) hash = (hash * 31 + path.charCodeAt(i)) >>> 0;
  return RULE_BASE + (hash % RULE_SPAN);
}

/** @param {string} url */
function endpoint(url) {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/** @type {Map<number, string>} rule id -> referer it sets (avoids an update per request) */
const installed = new Map();

/**
 * Installs (or keeps) the session rule that gives the worker's own request to `request.url` its Origin and Referer.
 * @param {import("../../wasm/kyfw.js").HttpRequest} request
 */
export async function ensureRule(request) {
  const base = endpoint(request.url);
  const id = ruleId(base);
  const referer = typeof request.referer === "string" && request.referer ? request.referer : `${ORIGIN}/otn/`;
  const method = (request.method || "GET").toUpperCase();
  const key = `${method} ${referer}`;
  if (installed.get(id) === key) return;
  /** @type {chrome.declarativeNetRequest.ModifyHeaderInfo[]} */
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
          requestMethods: [/** @type {`${chrome.declarativeNetRequest.RequestMethod}`} */ (method.toLowerCase())],
        },
      },
    ],
  });
  installed.set(id, key);
}
