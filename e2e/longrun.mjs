// Long-run check (not in CI): a task held for LONGRUN_MIN minutes (default 10) on a sold-out train with the
// 12306 tab in the background; the sim's request log must show the query interval kept the whole time.
//   cd e2e && SIM12306_BIN=… node longrun.mjs            (./build.sh first; INTERVAL_S=3 by default)
// Prints the spacing figures and exits non-zero when a gap exceeds twice the interval.
import { inWorld } from "./harness/world.mjs";
import { gaps, queries, startSoldOut, switchAway } from "./tests/tasks-lib.mjs";

const MINUTES = Number(process.env.LONGRUN_MIN || 10);
const INTERVAL_S = Number(process.env.INTERVAL_S || 3);

const stats = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { n: xs.length, mean: Math.round(mean), min: sorted[0], p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
};

const code = await inWorld("longrun", async ({ sim, browser, page }) => {
  await startSoldOut({ sim, browser, page, intervalS: INTERVAL_S });
  const { other, kyfwActive } = await switchAway(browser);
  const from = Date.now();
  const workerOrigins = new Set();
  console.log(`task running, 12306 tab active: ${kyfwActive}; holding for ${MINUTES} min at ${INTERVAL_S} s…`);
  while (Date.now() - from < MINUTES * 60000) {
    await other.waitForTimeout(30000);
    workerOrigins.add(await browser.currentWorker().evaluate(() => performance.timeOrigin).catch(() => 0));
    const n = (await queries(sim)).filter((q) => q.t_ms >= from).length;
    console.log(`${Math.round((Date.now() - from) / 1000)} s: ${n} queries`);
  }
  const held = (await queries(sim)).filter((q) => q.t_ms >= from);
  const s = stats(gaps(held));
  const expected = Math.floor((MINUTES * 60000) / (INTERVAL_S * 1000));
  const late = gaps(held).filter((g) => g > INTERVAL_S * 2000).length;
  console.log(JSON.stringify({ minutes: MINUTES, intervalS: INTERVAL_S, queries: held.length, expectedAbout: expected, gapsMs: s, gapsOver2x: late, workers: workerOrigins.size }));
  return late === 0 ? 0 : 1;
});
process.exit(code);
