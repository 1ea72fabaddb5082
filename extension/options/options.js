// The options page: preferences (query interval of new tasks, notifications, sound) and the export / import of
// all settings as one JSON file (background/settings.js validates it). The passengers the panel remembers are
// listed masked, for the user to see what an export contains.
import { errorText } from "../background/errors.js";
import * as settings from "../background/settings.js";
import { h, localize, send, t } from "../popup/dom.js";
import { mask } from "../popup/mask.js";

// The page's own elements (options.html): inputs by id, the rest as plain elements.
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const SOUND = "../offscreen/chime.wav";

/** @param {HTMLElement} el @param {string} text @param {boolean} ok */
function say(el, text, ok) {
  el.textContent = text;
  el.className = ok ? "ok" : "err";
}

async function showPrefs() {
  const p = await settings.prefs();
  input("interval").value = String(p.intervalS);
  input("notifications").checked = p.notifications;
  input("sound").checked = p.sound;
  await showPassengers();
}

async function showPassengers() {
  const { panel } = await settings.exportSettings();
  /** @type {Record<string, string>} */
  const TICKET = { 1: "ticketAdult", 2: "ticketChild", 3: "ticketStudent", 4: "ticketDisabled" };
  const items = Object.entries(panel.passengers).map(([key, choice]) => {
    const [name, idNo] = key.split("|");
    return h("li", {}, `${mask(name)} ${mask(idNo)} · ${t(TICKET[choice.ticketType])}${choice.checked ? " ✓" : ""}`);
  });
  $("passengers").replaceChildren(...(items.length ? items : [h("li", { class: "hint" }, t("optionsNoPassengers"))]));
}

/** @param {Parameters<typeof settings.setPrefs>[0]} patch */
async function save(patch) {
  await settings.setPrefs(patch);
  await showPrefs();
  say($("saved"), t("optionsSaved"), true);
}

/** @param {unknown} doc */
function download(doc) {
  const blob = new Blob([JSON.stringify(doc, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: `kyfw-settings-${new Date().toISOString().slice(0, 10)}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** @param {string} text */
async function importText(text) {
  try {
    await settings.importSettings(text, checkInterval);
    await showPrefs();
    say($("import-result"), t("optionsImported"), true);
  } catch (err) {
    // A refused file says why in the user's language; anything else (storage) as it came.
    const why = err instanceof settings.SettingsError ? t(`settingsErr_${err.code}`, err.detail) : errorText(err);
    say($("import-result"), t("optionsImportFailed", why), false);
  }
}

/** The core's check of a typed interval (background: checkInterval). @param {string} text */
async function checkInterval(text) {
  const answer = await send({ type: "checkInterval", value: text });
  if (!answer.ok) return { ms: null, problem: "notANumber", minS: 1, maxS: 60, defaultS: 3 };
  return answer.check;
}

/** Shows why a typed interval is refused, at the field (the field keeps what was typed). */
async function intervalChanged() {
  const field = input("interval");
  const check = await checkInterval(field.value);
  const error = $("interval-error");
  if (check.ms == null) {
    field.setAttribute("aria-invalid", "true");
    error.textContent = t(`intervalErr_${check.problem}`, check.minS, check.maxS);
    return;
  }
  field.removeAttribute("aria-invalid");
  error.textContent = "";
  await save({ intervalS: check.ms / 1000 });
}

localize();
document.title = t("optionsTitle");
// The range the core accepts, said in the hint (the core's numbers, not a copy of them).
checkInterval("").then((check) => ($("interval-hint").textContent = t("optionsIntervalHint", check.minS, check.maxS)));
input("interval").addEventListener("change", intervalChanged);
input("notifications").addEventListener("change", () => save({ notifications: input("notifications").checked }));
input("sound").addEventListener("change", () => save({ sound: input("sound").checked }));
$("test-sound").addEventListener("click", () => new Audio(SOUND).play().catch(() => {}));
$("export").addEventListener("click", async () => download(await settings.exportSettings()));
$("import").addEventListener("click", () => importText(/** @type {HTMLTextAreaElement} */ ($("import-text")).value));
input("import-file").addEventListener("change", async () => {
  const file = input("import-file").files?.[0];
  if (file) await importText(await file.text());
});
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && (settings.PREFS_KEY in changes || settings.PANEL_KEY in changes)) showPrefs();
});
showPrefs();
