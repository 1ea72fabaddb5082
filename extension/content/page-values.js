// Runs in the 12306 order page's own JS world ("world": "MAIN" in the manifest), also in the hidden frame the
// tab transport loads the order page into (content/transport.js). The isolated content scripts cannot see the
// page's globals; this script answers one question for them: `json_ua.toString()`, the value 12306's risk script
// (ua_rds.js) leaves and the official page sends as the confirm's `encryptedData` — computed exactly as the
// page's own helper does, `""` when it throws (PROTOCOL.md §5.8, §9.1).
//
// It has no extension APIs and holds nothing: it only turns a question event into an answer event on this
// window. The page can see, send and answer these events as well, so the asking side treats every answer as
// untrusted text (content/transport.js caps it and keeps printable ASCII only).
(() => {
  "use strict";

  const ASK_EVENT = "kyfw-page-value-ask";
  const ANSWER_EVENT = "kyfw-page-value-answer";
  const MAX_VALUE = 8192;
  // Taken at document_start, before any page script runs, so a page that later replaces them does not change
  // how the question is read or the answer sent.
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const PageEvent = CustomEvent;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const text = String;
  const win = window;

  win.addEventListener(ASK_EVENT, (event) => {
    let question;
    try {
      question = parse(text(/** @type {CustomEvent} */ (event).detail));
    } catch {
      return;
    }
    if (!question || typeof question.id !== "string" || question.value !== "json_ua") return;
    let value = "";
    try {
      // `json_ua` is the page's own global (12306's risk script sets it), unknown to the type check.
      value = text(/** @type {any} */ (win).json_ua.toString());
    } catch {
      value = "";
    }
    if (value.length > MAX_VALUE) value = "";
    dispatch.call(win, new PageEvent(ANSWER_EVENT, { detail: stringify({ id: question.id, value }) }));
  });
})();
