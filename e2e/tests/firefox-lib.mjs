// A minimal WebDriver BiDi client for Firefox (the Firefox smoke test): launches firefox-esr headless with a
// fresh profile, installs the Firefox build of the extension as a temporary add-on, and evaluates scripts in
// its pages. Playwright's own Firefox is a patched build, so stock Firefox is driven over BiDi directly.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const { ws: WebSocket } = createRequire(import.meta.url)("playwright-core/lib/utilsBundle");

export const GECKO_ID = "kyfw-auto-booking@kyfw.invalid";
export const UUID = "5e0c7a52-5f4c-4b1e-9c51-2f1f0d3c7a11";

export function firefoxPath() {
  for (const p of [process.env.FIREFOX, "/usr/bin/firefox-esr", "/usr/bin/firefox"]) if (p && existsSync(p)) return p;
  return null;
}

/**
 * Resolves to {send(method, params), evaluate(context, js), panelRoot(context), call(context, fn, ...args),
 * click(context, node), close()} once Firefox listens.
 */
export async function launchFirefox({ prefs = {} } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "kyfw-ff-"));
  const all = {
    "xpinstall.signatures.required": false,
    "extensions.webextensions.uuids": JSON.stringify({ [GECKO_ID]: UUID }),
    "browser.shell.checkDefaultBrowser": false,
    "datareporting.policy.dataSubmissionEnabled": false,
    ...prefs,
  };
  writeFileSync(join(profile, "user.js"), Object.entries(all).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join("\n"));
  const child = spawn(firefoxPath(), ["--headless", "--no-remote", "--profile", profile, "--remote-debugging-port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Firefox did not start its BiDi server")), 30000);
    let text = "";
    child.stderr.on("data", (chunk) => {
      text += chunk;
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`Firefox exited with ${code}: ${text.slice(-500)}`)));
  });
  const socket = new WebSocket(`${url}/session`);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  let nextId = 1;
  const pending = new Map();
  socket.on("message", (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id != null && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.type === "error") reject(new Error(`${msg.error}: ${msg.message}`));
      else resolve(msg.result);
    }
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send("session.new", { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });
  return {
    send,
    /** Evaluates an async function body in a browsing context; resolves to its JSON-serialised result. */
    async evaluate(context, body) {
      const result = await send("script.evaluate", {
        expression: `(async () => JSON.stringify(await (async () => { ${body} })()))()`,
        target: { context },
        awaitPromise: true,
      });
      if (result.type === "exception") throw new Error(`script error: ${JSON.stringify(result.exceptionDetails).slice(0, 500)}`);
      return JSON.parse(result.result.value ?? "null");
    },
    /**
     * The panel's shadow root in `context` as a BiDi shared reference, or null before the panel is built. The
     * root is closed: the page's own scripts get null for it, but BiDi serialises closed shadow roots for the
     * automation (`includeShadowTree: "all"`), which is how the test reaches the panel as no page can.
     */
    async panelRoot(context) {
      const result = await send("script.evaluate", {
        expression: `document.querySelector("kyfw-panel-host")`,
        target: { context },
        awaitPromise: false,
        serializationOptions: { maxDomDepth: 0, includeShadowTree: "all" },
      });
      const root = result.type === "success" && result.result.type === "node" ? result.result.value?.shadowRoot : null;
      return root && root.sharedId ? { sharedId: root.sharedId } : null;
    },
    /**
     * Calls `fn(...args)` (a function's source) in the page of `context`; shared references among `args` arrive as
     * their nodes. Resolves to the result as BiDi serialises it: {type:"node", sharedId} for a node, else
     * {type, value}.
     */
    async call(context, fn, ...args) {
      const result = await send("script.callFunction", {
        functionDeclaration: fn,
        arguments: args.map((a) => (a && a.sharedId ? { sharedId: a.sharedId } : { type: "string", value: String(a) })),
        target: { context },
        awaitPromise: true,
      });
      if (result.type === "exception") throw new Error(`script error: ${JSON.stringify(result.exceptionDetails).slice(0, 500)}`);
      return result.result;
    },
    /** A real (trusted) mouse click at the centre of a node (a shared reference). */
    async click(context, node) {
      await send("input.performActions", {
        context,
        actions: [
          {
            type: "pointer",
            id: "mouse",
            parameters: { pointerType: "mouse" },
            actions: [
              { type: "pointerMove", x: 0, y: 0, origin: { type: "element", element: { sharedId: node.sharedId } } },
              { type: "pointerDown", button: 0 },
              { type: "pointerUp", button: 0 },
            ],
          },
        ],
      });
      await send("input.releaseActions", { context });
    },
    async close() {
      await send("session.end").catch(() => {});
      socket.close();
      child.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 500));
      if (child.exitCode == null) child.kill("SIGKILL");
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
