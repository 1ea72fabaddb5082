// Shared by the popup and the options page: localized strings and a DOM builder that never parses markup, so
// text from 12306 (messages, names) is always inserted as text.

import { errorText } from "../background/errors.js";
import { t } from "../shared/common.js";

export { t };

/**
 * h("div", {class: "x", onclick: fn}, child, "text")
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {KyfwAttrs | null} [attrs] on* keys are event handlers, the rest attributes (form properties as properties)
 * @param {...unknown} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (key === "checked" || key === "value" || key === "disabled") Object.assign(el, { [key]: value });
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/**
 * Sends a message to the background; resolves to its answer or {ok: false, error}, never rejects.
 * @template {import("../types/extension").MessageType} K
 * @param {import("../types/extension").Request<K>} message
 * @returns {Promise<import("../types/extension").Answer<K>>}
 */
export async function send(message) {
  try {
    return (await chrome.runtime.sendMessage(message)) || { ok: false, error: t("errNoAnswer") };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

/** Fills every element with a data-i18n attribute from the locale (static labels of the HTML). */
export function localize(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.getAttribute("data-i18n") || "");
  document.documentElement.lang = chrome.i18n.getUILanguage();
}
