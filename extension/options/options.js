// The options page: preferences (query interval of new tasks, notifications, sound) and the export / import of
// all settings as one JSON file (background/settings.js validates it). The passengers the panel remembers are
// listed masked, for the user to see what an export contains.
import * as settings from "../background/settings.js";
import { h, localize, t } from "../popup/dom.js";
import { mask } from "../popup/mask.js";

const $ = (id) => document.getElementById(id);
const SOUND = "../offscreen/chime.wav";

function say(el, text, ok) {
  el.textContent = text;
  el.className = ok ? "ok" : "err";
}

async function showPrefs() {
  const p = await settings.prefs();
  $("interval").value = String(p.intervalS);
  $("notifications").checked = p.notifications;
  $("sound").checked = p.sound;
  await showPassengers();
}

async function showPassengers() {
  const { panel } = await settings.exportSettings();
  const TICKET = { 1: "ticketAdult", 2: "ticketChild", 3: "ticketStudent", 4: "ticketDisabled" };
  const items = Object.entries(panel.passengers).map(([key, choice]) => {
    const [name, idNo] = key.split("|");
    return h("li", {}, `${mask(name)} ${mask(idNo)} · ${t(TICKET[choice.ticketType])}${choice.checked ? " ✓" : ""}`);
  });
  $("passengers").replaceChildren(...(items.length ? items : [h("li", { class: "hint" }, t("optionsNoPassengers"))]));
}

async function save(patch) {
  await settings.setPrefs(patch);
  await showPrefs();
  say($("saved"), t("optionsSaved"), true);
}

function download(doc) {
  const blob = new Blob([JSON.stringify(doc, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: `kyfw-settings-${new Date().toISOString().slice(0, 10)}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function importText(text) {
  try {
    await settings.importSettings(text);
    await showPrefs();
    say($("import-result"), t("optionsImported"), true);
  } catch (err) {
    const why = err instanceof settings.SettingsError ? err.message : String((err && err.message) || err);
    say($("import-result"), t("optionsImportFailed", why), false);
  }
}

localize();
document.title = t("optionsTitle");
$("interval").addEventListener("change", (e) => save({ intervalS: e.target.value }));
$("notifications").addEventListener("change", (e) => save({ notifications: e.target.checked }));
$("sound").addEventListener("change", (e) => save({ sound: e.target.checked }));
$("test-sound").addEventListener("click", () => new Audio(SOUND).play().catch(() => {}));
$("export").addEventListener("click", async () => download(await settings.exportSettings()));
$("import").addEventListener("click", () => importText($("import-text").value));
$("import-file").addEventListener("change", async (e) => {
  const file = e.target.files && e.target.files[0];
  if (file) await importText(await file.text());
});
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && (settings.PREFS_KEY in changes || settings.PANEL_KEY in changes)) showPrefs();
});
showPrefs();
