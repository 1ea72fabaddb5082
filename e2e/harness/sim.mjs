// Starts sim12306 (the stand-in for kyfw.12306.cn) on free ports and talks to its control API.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export function simBinary() {
  const fromEnv = process.env.SIM12306_BIN;
  if (fromEnv) return fromEnv;
  const target = process.env.CARGO_TARGET_DIR || resolve(REPO, "target");
  return resolve(target, "debug/sim12306");
}

/**
 * Starts the simulator; resolves to { ports: {https, http, control}, control(path, body?), stop() }.
 * The ports come from the JSON line the binary prints first (ARCHITECTURE.md §2).
 */
export async function startSim({ scenario, seed } = {}) {
  const bin = simBinary();
  if (!existsSync(bin)) throw new Error(`sim12306 binary not found at ${bin} (cargo build -p sim12306)`);
  const args = ["--https-port", "0", "--http-port", "0", "--control-port", "0"];
  if (scenario) args.push("--scenario", scenario);
  if (seed != null) args.push("--seed", String(seed));
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  const stderr = [];
  child.stderr.on("data", (chunk) => {
    stderr.push(chunk);
    if (process.env.SIM_VERBOSE) process.stderr.write(chunk);
  });
  const lines = createInterface({ input: child.stdout });
  const ports = await new Promise((resolvePorts, reject) => {
    const timer = setTimeout(() => reject(new Error("sim12306 printed no ports within 20 s")), 20000);
    child.once("exit", (code) =>
      reject(new Error(`sim12306 exited with ${code}: ${Buffer.concat(stderr).toString().slice(-2000)}`)),
    );
    lines.on("line", (line) => {
      try {
        const parsed = JSON.parse(line);
        if (parsed && parsed.https && parsed.control) {
          clearTimeout(timer);
          resolvePorts(parsed);
        }
      } catch {
        // log lines before the ports line are ignored
      }
    });
  });
  const base = `http://127.0.0.1:${ports.control}`;

  async function control(path, body) {
    const init = body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
    const response = await fetch(base + path, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${path}: ${response.status} ${text.slice(0, 300)}`);
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  async function stop() {
    if (child.exitCode != null) return;
    child.kill("SIGTERM");
    await new Promise((r) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        r();
      }, 3000);
      child.once("exit", () => {
        clearTimeout(timer);
        r();
      });
    });
  }

  return {
    ports,
    control,
    stop,
    requests: async () => asList(await control("/requests"), "requests"),
    orders: async () => asList(await control("/orders"), "orders"),
  };
}

// The control API answers lists either bare or wrapped ({requests:[…]}); accept both.
function asList(value, key) {
  if (Array.isArray(value)) return value;
  if (value && Array.isArray(value[key])) return value[key];
  return [];
}
