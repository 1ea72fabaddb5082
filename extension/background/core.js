// Loads the wasm core once per service-worker life.
// MV3 service workers cannot use dynamic import(), so the glue is imported statically by background.js callers;
// only the .wasm bytes are fetched here, from the extension's own URL (allowed by 'wasm-unsafe-eval').
import init, * as kyfw from "../wasm/kyfw.js";

let ready = null;

/** Resolves to the module's exports (Booking, parsePassengers, ...) once the wasm is instantiated. */
export function core() {
  if (!ready) {
    ready = init({ module_or_path: chrome.runtime.getURL("wasm/kyfw_bg.wasm") }).then(() => kyfw);
    // A failed instantiation must not poison every later call: the next call retries.
    ready.catch(() => {
      ready = null;
    });
  }
  return ready;
}
