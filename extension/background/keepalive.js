// Sleeping without being killed: an MV3 service worker is stopped after 30 s without extension events, and a
// pending setTimeout does not count. Calling any extension API resets that timer (Chrome ≥ 110), so a long wait
// is cut into slices with a cheap API call between them. chrome.alarms (see background.js) restarts tasks if the
// worker dies anyway.

const SLICE_MS = 20000;

/** Resolves after `ms`, or early when `signal` aborts. @param {number} ms @param {AbortSignal} [signal] */
export async function sleep(ms, signal) {
  let left = ms;
  while (left > 0 && !(signal && signal.aborted)) {
    const slice = Math.min(left, SLICE_MS);
    await new Promise((/** @type {(value?: unknown) => void} */ resolve) => {
      const timer = setTimeout(resolve, slice);
      signal?.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    left -= slice;
    if (left > 0) await chrome.runtime.getPlatformInfo();
  }
}
