// Reads what the 12306 query page knows about the current query: date, stations, and a row's train code.
// The real leftTicket/init page keeps the query in hidden inputs (#fromStation/#toStation telecodes, the visible
// #fromStationText/#toStationText names, #train_date) and mirrors it in the `_jc_save_*` cookies, written with JS
// `escape()` as "name,TELECODE". Inputs win; cookies fill gaps (e.g. before the form script has run).
"use strict";

/** The scripts' shared namespace (typed in types/content.d.ts); each script adds its part. @type {KyfwContent} */
var kyfw = globalThis.kyfw || (globalThis.kyfw = /** @type {KyfwContent} */ ({}));

kyfw.pageInfo = (() => {
  const DATE = /^\d{4}-\d{2}-\d{2}$/;
  const TELECODE = /^[A-Z]{3}$/;

  /** @param {string} name */
  function cookie(name) {
    for (const part of document.cookie.split(";")) {
      const eq = part.indexOf("=");
      if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
      const raw = part.slice(eq + 1).trim();
      try {
        // escape() output (%uXXXX) is not valid for decodeURIComponent, hence the legacy unescape.
        return unescape(raw);
      } catch {
        return raw;
      }
    }
    return "";
  }

  /** @param {string} id */
  function inputValue(id) {
    // The query form's inputs (hidden and text); an element of another kind has no string value.
    const el = /** @type {HTMLInputElement | null} */ (document.getElementById(id));
    return el && typeof el.value === "string" ? el.value.trim() : "";
  }

  // "上海,SHH" -> { name: "上海", code: "SHH" }
  /** @param {string} name */
  function stationCookie(name) {
    const value = cookie(name);
    const comma = value.lastIndexOf(",");
    if (comma < 0) return { name: "", code: "" };
    return { name: value.slice(0, comma).trim(), code: value.slice(comma + 1).trim() };
  }

  /** @param {string} codeInput @param {string} textInput @param {string} cookieName */
  function station(codeInput, textInput, cookieName) {
    const saved = stationCookie(cookieName);
    const code = inputValue(codeInput) || saved.code;
    const name = inputValue(textInput) || saved.name;
    return { code: TELECODE.test(code) ? code : "", name };
  }

  /** The current query: { date, from: {code, name}, to: {code, name} }, with "" for what cannot be read. */
  function query() {
    const date = inputValue("train_date") || cookie("_jc_save_fromDate");
    return {
      date: DATE.test(date) ? date : "",
      from: station("fromStation", "fromStationText", "_jc_save_fromStation"),
      to: station("toStation", "toStationText", "_jc_save_toStation"),
    };
  }

  /** The public train code (G1, K1234, ...) of a `tr[id^=ticket_]` row, or "". @param {Element} row */
  function trainCode(row) {
    const link = row.querySelector("a.number");
    const text = (link ? link.textContent : "").trim().toUpperCase();
    return /^[A-Z0-9]{1,8}$/.test(text) ? text : "";
  }

  /**
   * The page's current query path (`var CLeftTicketUrl = 'leftTicket/queryG';` in an inline script), or null.
   * Page globals are invisible from the content script's isolated world, so the script text is read instead;
   * passing it on saves the core one request, and the core still follows a moved path (c_url) by itself.
   */
  function queryPath() {
    for (const script of document.querySelectorAll("script:not([src])")) {
      const found = /CLeftTicketUrl\s*=\s*['"]([^'"]+)['"]/.exec(script.textContent || "");
      if (found && /^leftTicket\/query[A-Za-z0-9_-]*$/.test(found[1])) return found[1];
    }
    return null;
  }

  /**
   * The query the train table shows: read from the form when the table was last rendered (a new tbody or a new
   * set of rows), not when a button is pressed, so a date or station changed in the form without querying again
   * is not taken for the table's. Null before the table has rows.
   * @type {{date: string, from: {code: string, name: string}, to: {code: string, name: string}} | null}
   */
  let shown = null;
  /** @type {string} what identified the rendered table last time */
  let shownKey = "";
  /** @type {Element | null} */
  let shownBody = null;

  /** Records the form's query when the table was rendered anew (called on every change of the page's DOM). */
  function tableRendered() {
    const body = document.getElementById("queryLeftTable");
    const rows = body ? body.querySelectorAll("tr[id^='ticket_']") : [];
    const key = [...rows].map((row) => row.id).join(",");
    if (body === shownBody && key === shownKey) return false;
    shownBody = body;
    shownKey = key;
    shown = rows.length ? query() : null;
    return true;
  }

  /** The query the table shows (see tableRendered), or null. */
  function shownQuery() {
    return shown;
  }

  return { query, trainCode, queryPath, cookie, tableRendered, shownQuery };
})();
