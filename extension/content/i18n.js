// Shared helpers of the content features: localized strings and a tiny DOM builder.
// Content scripts are classic scripts sharing one isolated world, so the helpers live on one namespace object.
"use strict";

/** The scripts' shared namespace (typed in types/content.d.ts); each script adds its part. @type {KyfwContent} */
var kyfw = globalThis.kyfw || (globalThis.kyfw = /** @type {KyfwContent} */ ({}));

kyfw.t = (key, ...subs) => chrome.i18n.getMessage(key, subs.map(String)) || key;

/**
 * Wraps an event handler so that only the user's own input reaches it. A script of the page can call `.click()`
 * on our row buttons or dispatch events at them; such events are not `isTrusted`, and a booking must never be
 * started, steered or changed by the page.
 */
kyfw.trusted = (handler) => (event) => {
  if (event && event.isTrusted) handler(event);
};

// h("div", {class: "x", onclick: fn}, child, "text") — builds elements without innerHTML, so strings that came
// from the network (messages, passenger names) can never become markup. Every on* handler is trusted-only.
kyfw.h = (tag, attrs, ...children) => {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), kyfw.trusted(/** @type {(event: Event) => void} */ (value)));
    } else if (key === "checked" || key === "value" || key === "disabled" || key === "selected") {
      // Properties of form elements, set as properties (an attribute would only be their default).
      Object.assign(el, { [key]: value });
    }
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
};

kyfw.send = (message) =>
  new Promise((resolve) => {
    try {
      chrome.runtime.sendMessage(message, (answer) => {
        // A dead or reloading extension leaves lastError set; report it as an answer, never throw into the page.
        const err = chrome.runtime.lastError;
        resolve(err ? { ok: false, error: err.message } : answer || { ok: false, error: kyfw.t("errNoAnswer") });
      });
    } catch (err) {
      resolve({ ok: false, error: String(err) });
    }
  });
