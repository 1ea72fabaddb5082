// Cold start of the background's core, as a service worker that the browser has just (re)started pays it:
// instantiate the wasm, restore a saved task, first poll. Each sample runs in a fresh node process (V8, like
// Chromium's worker), so nothing is cached between samples. Prints the wasm size and the median / p95 of each
// phase. Usage: node tools/coldstart.mjs [extension dir] [samples]   (after ./build.sh)
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const EXT = resolve(process.argv[2] || resolve(ROOT, "extension"));
const SAMPLES = Number(process.argv[3] || 30);
const WASM = resolve(EXT, "wasm/kyfw_bg.wasm");
const GLUE = pathToFileURL(resolve(EXT, "wasm/kyfw.js")).href;

// One sample, in a child process: prints {instantiateMs, restoreMs, pollMs}.
const CHILD = `
const { performance } = await import("node:perf_hooks");
const { readFileSync } = await import("node:fs");
const glue = await import(${JSON.stringify(GLUE)});
const bytes = readFileSync(${JSON.stringify(WASM)});
const t0 = performance.now();
await glue.default({ module_or_path: bytes });
const t1 = performance.now();
const task = { id: "t1", date: "2026-12-01", from: "AOH", to: "VNP", fromName: "上海虹桥", toName: "北京南",
  trains: ["G2", "G4"], seats: ["O", "M"], passengers: [{ name: "张三", idNo: "1101***********012" }],
  queryPath: "leftTicket/queryG", intervalMs: 3000 };
// A machine as the worker finds it in storage: created, polled once, saved.
const fresh = new glue.Booking(task, Date.now());
fresh.poll(Date.now());
const saved = fresh.save();
fresh.free();
const t2 = performance.now();
const b = glue.Booking.restore(saved);
const t3 = performance.now();
b.poll(Date.now());
const t4 = performance.now();
console.log(JSON.stringify({ instantiateMs: t1 - t0, restoreMs: t3 - t2, pollMs: t4 - t3 }));
`;

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const runs = [];
for (let i = 0; i < SAMPLES; i++) {
  const out = spawnSync(process.execPath, ["--input-type=module", "-e", CHILD], { encoding: "utf8" });
  if (out.status !== 0) {
    console.error(out.stderr);
    process.exit(1);
  }
  runs.push(JSON.parse(out.stdout.trim().split("\n").pop()));
}
const size = statSync(WASM).size;
console.log(`wasm: ${size} bytes, ${gzipSync(readFileSync(WASM), { level: 9 }).length} gzipped`);
for (const phase of ["instantiateMs", "restoreMs", "pollMs"]) {
  const sorted = runs.map((r) => r[phase]).sort((a, b) => a - b);
  console.log(`${phase}: median ${quantile(sorted, 0.5).toFixed(2)} ms, p95 ${quantile(sorted, 0.95).toFixed(2)} ms (${SAMPLES} cold starts)`);
}
