// What the extension's module scripts (background, popup, options) share: the user's-language lookup and the
// 12306 addresses they send the user to or fetch from. The content scripts are classic scripts with their own
// `kyfw.t` (content/i18n.js) and name the two pages they link to themselves.

/** 12306's origin: every request and every page the extension deals with is on it. */
export const ORIGIN = "https://kyfw.12306.cn";
/** The unfinished/unpaid orders page (where the user pays or cancels; PROTOCOL.md §5.11). */
export const UNPAID_URL = `${ORIGIN}/otn/view/train_order.html`;
/** The login page (QR code). */
export const LOGIN_URL = `${ORIGIN}/otn/resources/login.html`;

/**
 * "HH:MM:SS" of `ms` in Beijing time (UTC+8, no daylight saving): the clock 12306 announces its sales on ("13点30分起售"
 * in the rows), so a sale's time reads the same in the panel, the popup, the log and the tooltip as in the page,
 * wherever the computer's time zone is.
 * @param {number} ms
 */
export function beijingClock(ms) {
  return new Date(ms + 8 * 3600000).toISOString().slice(11, 19);
}

/**
 * The text of `key` in the user's language, with `subs` for its placeholders; the key itself when missing.
 * @param {string} key
 * @param {...unknown} subs
 * @returns {string}
 */
export const t = (key, ...subs) => chrome.i18n.getMessage(key, subs.map(String)) || key;
