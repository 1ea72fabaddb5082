// Chooses the transport for one request: the tab transport by default (the page's own cookies and headers),
// the background transport when no kyfw tab can take it. `transportMode` in storage ("auto" | "tab" |
// "background") overrides the choice; the end-to-end tests use it to exercise both paths.
import { NoTabError, viaTab } from "./tab.js";
import { viaBackground } from "./direct.js";

async function mode() {
  const { transportMode } = await chrome.storage.local.get("transportMode");
  return transportMode === "tab" || transportMode === "background" ? transportMode : "auto";
}

/** Resolves to {status, finalUrl, body, via} or {error, via}; never rejects. */
export async function perform(request, preferredTabId) {
  const chosen = await mode();
  if (chosen !== "background") {
    try {
      return { ...(await viaTab(request, preferredTabId)), via: "tab" };
    } catch (err) {
      if (!(err instanceof NoTabError)) return { error: String((err && err.message) || err), via: "tab" };
      if (chosen === "tab") return { error: err.message, via: "tab" };
    }
  }
  return { ...(await viaBackground(request)), via: "background" };
}
