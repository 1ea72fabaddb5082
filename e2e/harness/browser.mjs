// Launches Debian's Chromium with the built extension, pointed at sim12306 instead of the real 12306 hosts.
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const EXTENSION = resolve(dirname(fileURLToPath(import.meta.url)), "../../extension");

export function chromiumPath() {
  return process.env.CHROMIUM || "/usr/bin/chromium";
}

/**
 * Resolves to { context, worker, extensionId, close() }. A fresh --user-data-dir per call: no state leaks
 * between tests. Headless through --headless=new (extensions need the new headless) unless `headed`.
 */
/** The UI languages the tests run in: Chromium's --lang, the page locale and the env its chrome.i18n follows. */
const LOCALES = {
  zh: { lang: "zh-CN", env: { LANG: "zh_CN.UTF-8", LANGUAGE: "zh_CN" } },
  en: { lang: "en-US", env: { LANG: "en_US.UTF-8", LANGUAGE: "en_US" } },
};

export async function launch({ sim, headed = false, locale = "zh", viewport = { width: 1800, height: 1000 } }) {
  const ui = LOCALES[locale] || LOCALES.zh;
  if (!existsSync(join(EXTENSION, "wasm", "kyfw_bg.wasm"))) throw new Error("extension/wasm missing: run ./build.sh");
  const userDataDir = mkdtempSync(join(tmpdir(), "kyfw-e2e-"));
  const https = sim.ports.https;
  const args = [
    `--disable-extensions-except=${EXTENSION}`,
    `--load-extension=${EXTENSION}`,
    `--host-resolver-rules=MAP kyfw.12306.cn 127.0.0.1:${https}, MAP www.12306.cn 127.0.0.1:${https}`,
    "--ignore-certificate-errors",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--lang=${ui.lang}`,
  ];
  if (!headed) args.push("--headless=new");
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: false, // the flag above selects the new headless mode; playwright's own would pick the old one
    args,
    ignoreHTTPSErrors: true,
    viewport,
    locale: ui.lang,
    // Chromium on Linux takes its UI language, and so chrome.i18n's, from the environment, not from --lang.
    env: { ...process.env, ...ui.env },
  });
  let [worker] = context.serviceWorkers();
  if (!worker) worker = await context.waitForEvent("serviceworker", { timeout: 20000 });
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    worker,
    extensionId,
    /** The current service worker (a stopped worker is replaced by a new one). */
    currentWorker() {
      const workers = context.serviceWorkers();
      return workers[workers.length - 1] || worker;
    },
    /**
     * Evaluates `fn(arg)` in the extension's service worker. A worker that Chrome stopped can linger in
     * Playwright's list and never answer, so each try is bounded and the newest worker is taken again.
     */
    async workerEval(fn, arg, { tries = 5, ms = 5000 } = {}) {
      let last;
      for (let i = 0; i < tries; i++) {
        const workers = context.serviceWorkers();
        const target = workers[workers.length - 1] || worker;
        try {
          return await Promise.race([
            target.evaluate(fn, arg),
            new Promise((_, reject) => setTimeout(() => reject(new Error("worker did not answer")), ms)),
          ]);
        } catch (err) {
          last = err;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      throw last;
    },
    async close() {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
