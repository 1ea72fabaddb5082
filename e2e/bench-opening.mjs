// The opening-sale benchmark, side by side (./build.sh bench; a script, not a test): the same sim12306 opening
// with 30 ms added to every answer (`latency_ms`), booked by the core's native driver (benches/sale_opening.rs,
// its output passed with --native FILE or run here with cargo) and by the built extension in Chromium (a
// logged-in sim session, a task created before the opening, the tab transport). For each it prints, from the
// sim's request log (sim clock): when the first query after the opening arrived, the time from the opening to
// the confirm reaching the sim, the requests the chain waited for, and the protocol minimum for them (requests
// × 30 ms: each answer's latency, nothing else).
//
//   node bench-opening.mjs [--runs N] [--native FILE] [--transport tab|background]
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./harness/browser.mjs";
import { startSim } from "./harness/sim.mjs";
import { setTransport } from "./harness/flow.mjs";
import { chainOf, loggedIn, simNow, specFor, stageOpening, startTask, taskRecords } from "./harness/opening.mjs";

const LATENCY_MS = 30;
// The task is made this long before the opening (sim clock): time to log in first, and the warm-up (60 s
// before) starts at once.
const LEAD_MS = 40000;
// py12306 against the same scenario (issue 11): the figure to beat.
const PY12306_MS = 177;

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const RUNS = Number(opt("--runs", process.env.SALE_RUNS || 3));
const TRANSPORT = opt("--transport", "auto");

/** The native figures: per run {first, confirm, requests, booked}, from the bench's printed table. */
function nativeRuns() {
  let text;
  const file = opt("--native", null);
  if (file) {
    text = readFileSync(file, "utf8");
  } else {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
    const out = spawnSync("cargo", ["bench", "-p", "kyfw", "--bench", "sale_opening"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, SALE_RUNS: String(RUNS) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    text = out.stdout || "";
  }
  const runs = [];
  for (const line of text.split("\n")) {
    const m = /^\s*\d+\s+(-?\d+) ms\s+(-?\d+) ms\s+(\d+)\s+\d+ ms\s+(yes|no)/.exec(line);
    if (m) runs.push({ first: +m[1], confirm: +m[2], requests: +m[3], booked: m[4] === "yes" });
  }
  return runs;
}

/** One opening booked by the extension: {first, confirm, requests, subresources, booked, path}. */
async function extensionRun() {
  const sim = await startSim();
  let browser;
  try {
    browser = await launch({ sim });
    const { t, date } = await stageOpening(sim, { leadMs: LEAD_MS, extra: { latency_ms: LATENCY_MS } });
    const page = await browser.context.newPage();
    await loggedIn(browser, sim, page);
    if (TRANSPORT !== "auto") await setTransport(browser, TRANSPORT);
    if ((await simNow(sim)) > t - 15000) throw new Error("the login took too long: the opening is too near");
    await startTask(browser, specFor("G2", date));
    // Until the task ends (an order, or not), at most a minute after the opening.
    const deadline = Date.now() + LEAD_MS + 60000;
    let record;
    for (;;) {
      [record] = await taskRecords(browser);
      if (record && record.state !== "running") break;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const requests = await sim.requests();
    // The browser's own floor on this machine now: the page's plain fetch of a light request, same latency.
    const fetches = await page.evaluate(async () => {
      const out = [];
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        await (await fetch("/otn/login/conf", { method: "POST", cache: "no-store" })).text();
        out.push(performance.now() - t0);
      }
      return out;
    });
    const { first, confirm, waited, subresources } = chainOf(requests, t);
    const orders = await sim.orders();
    return {
      first: first ? first.t_ms - t : NaN,
      confirm: confirm ? confirm.t_ms - t : NaN,
      requests: waited.length,
      subresources: subresources.length,
      booked: orders.some((o) => o.account === "demo" && o.status !== "failed" && o.train === "G2") && record?.state === "done",
      fetchMs: Math.round(median(fetches)),
      path: waited.map((r) => String(r.path).split("/").pop()).join(" "),
      at: [...waited, confirm].filter(Boolean).map((r) => `${String(r.path).split("/").pop()}@${r.t_ms - t}`).join(" "),
    };
  } finally {
    if (browser) await browser.close();
    await sim.stop();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

function row(name, r) {
  const minimum = r.requests * LATENCY_MS;
  const ratio = minimum ? (r.confirm / minimum).toFixed(2) : "-";
  return `${name.padEnd(18)} ${String(r.first).padStart(6)} ms ${String(r.confirm).padStart(10)} ms ${String(r.requests).padStart(9)} ${String(minimum).padStart(10)} ms ${ratio.padStart(7)}  ${r.booked ? "yes" : "no"}`;
}

const native = nativeRuns();
const extension = [];
for (let i = 0; i < RUNS; i++) {
  const r = await extensionRun();
  extension.push(r);
  console.error(`extension run ${i + 1}: ${JSON.stringify(r)}`);
}

console.log(`\nopening sale on sim12306, ${LATENCY_MS} ms per request (latency_ms), times on the sim clock after the opening T:`);
console.log(`${"".padEnd(18)} first query  opening→confirm  requests    minimum   ratio  booked`);
native.forEach((r, i) => console.log(row(`native run ${i + 1}`, r)));
extension.forEach((r, i) => console.log(row(`extension run ${i + 1}`, r)));
for (const [name, runs] of [
  ["native", native],
  ["extension", extension],
]) {
  if (!runs.length) continue;
  const m = { first: median(runs.map((r) => r.first)), confirm: median(runs.map((r) => r.confirm)), requests: median(runs.map((r) => r.requests)), booked: runs.every((r) => r.booked) };
  console.log(row(`${name} median`, m));
}
if (extension.length) {
  const m = median(extension.map((r) => r.confirm));
  const n = median(extension.map((r) => r.requests));
  console.log(
    `extension: opening→confirm ${m} ms for ${n} requests = ${(m / (n * LATENCY_MS)).toFixed(2)}× the minimum ${n * LATENCY_MS} ms (goal ≤ 1.15×); py12306 ${PY12306_MS} ms`,
  );
  const f = median(extension.map((r) => r.fetchMs));
  console.log(
    `this browser's own fetch of a light request takes ${f} ms here (median; 30 ms of it latency): ${n} of them ${n * f} ms, the extension ${(m / (n * f)).toFixed(2)}× that`,
  );
  console.log(`extension's chain: ${extension[0].path} (+${extension[0].subresources} order-page subresources)`);
}
