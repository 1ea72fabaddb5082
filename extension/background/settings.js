// User preferences (options page) and the panel's choices, with export to / import from one JSON document.
//
// Storage keys (chrome.storage.local):
//   "prefs"          {sound: bool, notifications: bool}                 — this module's own
//   "panelSettings"  {passengers: {"name|idNo": {checked, ticketType, seat}}, seats: [code], acceptNoSeat,
//                     intervalS}                                         — written by the query-page panel
// The default query interval is the panel's `intervalS`: the panel's interval field is "the interval of the next
// task", so the options page edits that same value instead of keeping a second one that could disagree.
// Everything read here may have been edited by hand (an imported file), so every field is validated and
// anything unknown is dropped.

export const PREFS_KEY = "prefs";
export const PANEL_KEY = "panelSettings";
export const FORMAT = "kyfw-settings";
export const VERSION = 1;

export const DEFAULT_PREFS = Object.freeze({ sound: true, notifications: true });
/** The interval of settings that never had one (s); the range is the core's (checkInterval), not repeated here. */
export const DEFAULT_INTERVAL_S = 3;

const SEAT = /^[0-9A-Z]$/;
const TICKET_TYPES = new Set(["1", "2", "3", "4"]);
const MAX_PASSENGERS = 50; // an account has at most a few dozen saved passengers

/** A refused settings document; `message` is a code (settingsErr_<code> in the locales), `detail` its value. */
export class SettingsError extends Error {
  /** @param {"notJson" | "notOurs" | "badVersion" | "badInterval"} code @param {string} [detail] */
  constructor(code, detail = "") {
    super(code);
    this.code = code;
    this.detail = detail;
  }
}

/**
 * The core's check of a typed interval (wasm checkInterval), handed in by the caller that can reach the core.
 * @typedef {(text: string) => Promise<{ms: number | null, problem: string | null}>} IntervalChecker
 */

/** @typedef {import("../types/extension").Prefs} Prefs */
/** @typedef {import("../types/extension").PanelSettings} PanelSettings */
/** @typedef {import("../types/extension").PassengerSetting} PassengerSetting */

/** A plain object (what a JSON document's objects are). @param {unknown} v @returns {v is Record<string, unknown>} */
const isObject = (v) => v != null && typeof v === "object" && !Array.isArray(v);

/**
 * A stored interval (s): a positive number as written (every writer checked it with the core first), else the
 * default. Its range is the core's rule, applied where the user types it and where a file is imported.
 * @param {unknown} value
 */
export function cleanInterval(value) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_INTERVAL_S;
}

/** @param {unknown} value @returns {Prefs} */
export function cleanPrefs(value) {
  const v = isObject(value) ? value : {};
  return {
    sound: typeof v.sound === "boolean" ? v.sound : DEFAULT_PREFS.sound,
    notifications: typeof v.notifications === "boolean" ? v.notifications : DEFAULT_PREFS.notifications,
  };
}

/** 选座/选铺 wishes a passenger may have (PROTOCOL.md §5.8): seat letters, then berths. */
const PLACES = ["A", "B", "C", "D", "F", "Lower", "Middle", "Upper"];

/** @param {unknown} value @returns {PassengerSetting} */
function cleanPassengerChoice(value) {
  const v = isObject(value) ? value : {};
  return {
    checked: v.checked === true,
    ticketType: typeof v.ticketType === "string" && TICKET_TYPES.has(v.ticketType) ? v.ticketType : "1",
    seat: typeof v.seat === "string" && SEAT.test(v.seat) ? v.seat : null,
    place: typeof v.place === "string" && PLACES.includes(v.place) ? v.place : null,
  };
}

/** The panel's settings, validated; an invalid or missing document gives the panel's defaults. @param {unknown} value @returns {PanelSettings} */
export function cleanPanel(value) {
  const v = isObject(value) ? value : {};
  /** @type {Record<string, PassengerSetting>} */
  const passengers = {};
  if (isObject(v.passengers)) {
    for (const [key, choice] of Object.entries(v.passengers).slice(0, MAX_PASSENGERS)) {
      if (typeof key === "string" && key.length <= 80 && key.includes("|")) passengers[key] = cleanPassengerChoice(choice);
    }
  }
  const seats = Array.isArray(v.seats)
    ? [...new Set(v.seats.filter(/** @returns {s is string} */ (s) => typeof s === "string" && SEAT.test(s)))]
    : ["O"];
  return {
    passengers,
    seats,
    acceptNoSeat: v.acceptNoSeat === true,
    intervalS: v.intervalS == null ? DEFAULT_INTERVAL_S : cleanInterval(v.intervalS),
    waitlist: v.waitlist === "whenSoldOut" || v.waitlist === "only" ? v.waitlist : "off",
    waitlistKeepPolling: v.waitlistKeepPolling === true,
    // Kept as stored: the core decides whether 12306 offers it (a refused one is said at the field).
    ...(Number.isSafeInteger(v.waitlistDeadlineMin) ? { waitlistDeadlineMin: Number(v.waitlistDeadlineMin) } : {}),
    quietCarriage: v.quietCarriage === true,
  };
}

/** {sound, notifications, intervalS}. @returns {Promise<Prefs & {intervalS: number}>} */
export async function prefs() {
  const stored = await chrome.storage.local.get([PREFS_KEY, PANEL_KEY]);
  return { ...cleanPrefs(stored[PREFS_KEY]), intervalS: cleanPanel(stored[PANEL_KEY]).intervalS };
}

/**
 * Saves a change of {sound?, notifications?, intervalS?}; resolves to the new prefs. An interval must have passed
 * the core's check (checkInterval) first.
 * @param {Partial<Prefs> & {intervalS?: unknown}} patch
 */
export async function setPrefs(patch) {
  const stored = await chrome.storage.local.get([PREFS_KEY, PANEL_KEY]);
  const next = cleanPrefs({ ...cleanPrefs(stored[PREFS_KEY]), ...(isObject(patch) ? patch : {}) });
  /** @type {Record<string, unknown>} */
  const write = { [PREFS_KEY]: next };
  if (isObject(patch) && patch.intervalS != null) {
    // The panel may have fields this module does not know yet: keep them, change only the interval.
    const panel = isObject(stored[PANEL_KEY]) ? stored[PANEL_KEY] : cleanPanel(null);
    write[PANEL_KEY] = { ...panel, intervalS: cleanInterval(patch.intervalS) };
  }
  await chrome.storage.local.set(write);
  return prefs();
}

/** The settings as one JSON-ready document (no task state, no cookies: only what the user chose). */
export async function exportSettings() {
  const stored = await chrome.storage.local.get([PREFS_KEY, PANEL_KEY]);
  return {
    format: FORMAT,
    version: VERSION,
    prefs: cleanPrefs(stored[PREFS_KEY]),
    panel: cleanPanel(stored[PANEL_KEY]),
  };
}

/** Parses and validates an exported document (object or JSON text); throws SettingsError when it is not one. @param {unknown} input */
export function parseSettings(input) {
  let doc = input;
  if (typeof input === "string") {
    try {
      doc = JSON.parse(input);
    } catch {
      throw new SettingsError("notJson");
    }
  }
  if (!isObject(doc) || doc.format !== FORMAT) throw new SettingsError("notOurs");
  if (doc.version !== VERSION) throw new SettingsError("badVersion", String(doc.version).slice(0, 10));
  return { prefs: cleanPrefs(doc.prefs), panel: cleanPanel(doc.panel) };
}

/**
 * Replaces the preferences and the panel's choices with those of an exported document; its interval must pass
 * the core's check (`check`), as one typed in would.
 * @param {unknown} input
 * @param {IntervalChecker} check
 */
export async function importSettings(input, check) {
  const { prefs: p, panel } = parseSettings(input);
  const checked = await check(String(panel.intervalS));
  if (checked.ms == null) throw new SettingsError("badInterval", String(panel.intervalS));
  await chrome.storage.local.set({ [PREFS_KEY]: p, [PANEL_KEY]: panel });
  return { prefs: p, panel };
}
