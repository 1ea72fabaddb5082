// The few places where Chrome and Firefox differ for this extension, in one module. Both browsers expose the
// promise-based `chrome.*` namespace in MV3, so everything else uses `chrome.*` directly.
//
// - Firefox runs the background as an event page (a document: it has Audio), Chrome as a service worker (no
//   DOM: sound needs an offscreen document, which Firefox does not have).
// - Firefox's notifications ignore `priority` and `requireInteraction` and warn about them.
// - Firefox's extension origin is a per-install UUID (moz-extension://<uuid>), not the extension id, and that
//   host is what declarativeNetRequest's `initiatorDomains` compares against.

/** True in Firefox (moz-extension: URLs), false in Chrome and Chromium-based browsers. */
export const isFirefox = (() => {
  try {
    return chrome.runtime.getURL("").startsWith("moz-extension:");
  } catch {
    return false;
  }
})();

/** Chrome's offscreen documents exist (Chrome 109+); Firefox plays audio from the event page itself. */
export const hasOffscreen = typeof chrome.offscreen?.createDocument === "function";

/** The host part of this extension's own URLs: the initiator domain of the requests it starts. */
export function extensionHost() {
  try {
    return new URL(chrome.runtime.getURL("")).host || chrome.runtime.id;
  } catch {
    return chrome.runtime.id;
  }
}

/**
 * Notification options without the fields the browser does not support.
 * @param {chrome.notifications.NotificationCreateOptions} options
 * @returns {chrome.notifications.NotificationCreateOptions}
 */
export function notificationOptions(options) {
  if (!isFirefox) return options;
  const { priority: _priority, requireInteraction: _requireInteraction, ...rest } = options;
  return rest;
}
