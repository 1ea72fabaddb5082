// Sleeping without being killed: an MV3 service worker is stopped after 30 s without extension events, and a
// pending setTimeout does not count. Calling any extension API resets that timer (Chrome ≥ 110), so a long wait
// is cut into slices with a cheap API call between them. chrome.alarms (see background.js) restarts tasks if the
// worker dies anyway.
//
// The wait ends at an instant, not after a sum of slices: each timer may fire late (a few ms on a busy machine,
// more after a long idle), and slices that each count their nominal length add those delays up. A sale's first
// query is timed to the millisecond on 12306's clock, so the last stretch is timed finely: the timers aim
// NEAR_MS early (where `near` may prepare the request's path), then SPIN_MS early, and the last few ms are
// waited out on the clock.

const SLICE_MS = 20000;
/** How early before the end `near` is called (and the fine timing starts). */
const NEAR_MS = 50;
/** The last stretch waited for on the clock rather than by a timer. */
const SPIN_MS = 2;

/** @param {number} ms @param {AbortSignal} [signal] */
function timer(ms, signal) {
  return new Promise((/** @type {(value?: unknown) => void} */ resolve) => {
    const id = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(id);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * Resolves at `untilMs` (epoch ms; never before it), or early when `signal` aborts. A wait longer than NEAR_MS
 * calls `near` (unawaited) once, NEAR_MS before its end.
 * @param {number} untilMs
 * @param {AbortSignal} [signal]
 * @param {() => void} [near]
 */
export async function sleepUntil(untilMs, signal, near) {
  let nearCalled = !near || untilMs - Date.now() <= NEAR_MS;
  for (;;) {
    if (signal && signal.aborted) return;
    const left = untilMs - Date.now();
    if (left <= 0) return;
    if (left > NEAR_MS) {
      await timer(Math.min(left - NEAR_MS, SLICE_MS), signal);
      // Another slice to go: an extension call keeps the worker alive through it.
      if (untilMs - Date.now() > NEAR_MS) await chrome.runtime.getPlatformInfo();
      continue;
    }
    if (!nearCalled) {
      nearCalled = true;
      try {
        near?.();
      } catch {
        // a preparation that fails changes nothing about the wait
      }
    }
    if (left > SPIN_MS) {
      await timer(left - SPIN_MS, signal);
      continue;
    }
    // The last ms: on the clock (performance.now() is finer than Date.now(), which decides the end).
    const end = performance.now() + left;
    while (performance.now() < end) {
      // spin: at most SPIN_MS
    }
    while (Date.now() < untilMs) {
      // Date.now() may tick a little after performance.now(): never end before the instant
    }
    return;
  }
}

/** Resolves after `ms`, or early when `signal` aborts. @param {number} ms @param {AbortSignal} [signal] */
export function sleep(ms, signal) {
  return sleepUntil(Date.now() + ms, signal);
}
