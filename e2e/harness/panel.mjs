// The query page's panel as the tests see it. The panel lives in a closed shadow root (content/features/
// task-panel.js): page scripts cannot reach it, and neither can Playwright's locators, which pierce open shadow
// roots only. The tests get in the way no page can: through the DevTools protocol, in the content script's
// isolated world (a CDP execution context of type "isolated" with the extension's origin), where
// `kyfw.panel.root` is the panel's shadow root. Reading happens there; input is real input from Playwright
// (keyboard and mouse events are trusted), so the panel's `isTrusted` checks apply to the tests as to a user.

const sessions = new WeakMap(); // page -> {cdp, worlds: Map<contextId, context>}

async function session(page) {
  let s = sessions.get(page);
  if (s) return s;
  const cdp = await page.context().newCDPSession(page);
  const worlds = new Map();
  // Content scripts run only in the top frame (no all_frames), and the only extension loaded is ours.
  cdp.on("Runtime.executionContextCreated", ({ context }) => {
    if (context.auxData?.type === "isolated" && String(context.origin).startsWith("chrome-extension://")) {
      worlds.set(context.id, context);
    }
  });
  cdp.on("Runtime.executionContextDestroyed", ({ executionContextId }) => worlds.delete(executionContextId));
  cdp.on("Runtime.executionContextsCleared", () => worlds.clear());
  // Enabling reports the contexts that exist already.
  await cdp.send("Runtime.enable");
  s = { cdp, worlds };
  sessions.set(page, s);
  return s;
}

/**
 * Evaluates `fn(root, arg)` in the content scripts' world of `page` and resolves to its (JSON) result; `root` is
 * the panel's shadow root, or null before the panel is built. Throws when the page has no content-script world.
 */
export async function panelEval(page, fn, arg = null) {
  const { cdp, worlds } = await session(page);
  const expression = `(${fn})(globalThis.kyfw && kyfw.panel ? kyfw.panel.root : null, ${JSON.stringify(arg)})`;
  for (const id of [...worlds.keys()].reverse()) {
    let answer;
    try {
      answer = await cdp.send("Runtime.evaluate", { contextId: id, expression, returnByValue: true, awaitPromise: true });
    } catch {
      // gone with a navigation
      worlds.delete(id);
      continue;
    }
    if (answer.exceptionDetails) {
      const what = answer.exceptionDetails.exception?.description || answer.exceptionDetails.text;
      throw new Error(`in the panel's world: ${what}`);
    }
    return answer.result.value;
  }
  throw new Error("the page has no content-script world (not a kyfw.12306.cn/otn page, or still loading)");
}

/** Polls `fn(root, arg)` in the panel's world until it returns something truthy; returns that, or throws. */
export async function untilPanel(page, fn, arg = null, { timeout = 20000, what = "the panel" } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await panelEval(page, fn, arg);
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (${last.message})` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * What the panel shows: {built, taskId, state, orderId, ok, result, log: [lines], loginRequired, loginText,
 * loginHref, passengers: [names], status}.
 */
export function panelState(page) {
  return panelEval(page, (root) => {
    const panel = root && root.getElementById("kyfw-panel");
    if (!panel) return { built: false, log: [], passengers: [] };
    const result = root.getElementById("kyfw-result");
    const login = root.getElementById("kyfw-login-required");
    return {
      built: true,
      taskId: panel.dataset.taskId || null,
      state: panel.dataset.state || null,
      orderId: result.getAttribute("data-order-id"),
      ok: result.classList.contains("kyfw-ok"),
      result: result.textContent,
      log: [...root.querySelectorAll("#kyfw-log li")].map((li) => li.textContent),
      loginRequired: !login.hidden,
      loginText: login.textContent,
      loginHref: login.querySelector("a")?.getAttribute("href") || null,
      passengers: [...root.querySelectorAll("#kyfw-passengers li.kyfw-passenger")].map((li) => li.dataset.name),
      status: root.getElementById("kyfw-status").textContent,
    };
  });
}

/** Waits until the panel's state satisfies `test(state)`; resolves to that state. */
export async function untilPanelState(page, test, { timeout = 20000, what = "the panel's state" } = {}) {
  const deadline = Date.now() + timeout;
  let state;
  for (;;) {
    try {
      state = await panelState(page);
      if (test(state)) return state;
    } catch {
      // the page is loading
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}; panel: ${JSON.stringify(state)?.slice(0, 2000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

// Focuses the panel element `selector` (optionally the n-th match under the passenger row `name`) and returns
// what the input steps below need to know about it; throws when it is not there.
function focus(page, selector) {
  return panelEval(
    page,
    (root, sel) => {
      const el = root && root.querySelector(sel);
      if (!el) throw new Error(`no ${sel} in the panel`);
      el.scrollIntoView({ block: "center" });
      el.focus();
      if (root.activeElement !== el) throw new Error(`${sel} did not take the focus`);
      return {
        checked: el.checked === true,
        index: typeof el.selectedIndex === "number" ? el.selectedIndex : -1,
        options: el.options ? [...el.options].map((o) => o.value) : [],
        value: el.value,
      };
    },
    selector,
  );
}

/** Ticks or unticks a checkbox of the panel with the keyboard (Space), as a user can. */
export async function setChecked(page, selector, checked) {
  const now = await focus(page, selector);
  if (now.checked !== !!checked) await page.keyboard.press("Space");
  const after = await focus(page, selector);
  if (after.checked !== !!checked) throw new Error(`${selector} stayed ${after.checked ? "checked" : "unchecked"}`);
}

/** Chooses `value` in a <select> of the panel with the arrow keys, as a user can. */
export async function selectOption(page, selector, value) {
  const now = await focus(page, selector);
  const target = now.options.indexOf(value);
  if (target < 0) throw new Error(`${selector} has no option ${JSON.stringify(value)} (${now.options})`);
  const steps = target - now.index;
  for (let i = 0; i < Math.abs(steps); i++) await page.keyboard.press(steps > 0 ? "ArrowDown" : "ArrowUp");
  const after = await focus(page, selector);
  if (after.value !== value) throw new Error(`${selector} is ${JSON.stringify(after.value)}, not ${JSON.stringify(value)}`);
}

/** Types `text` over the value of an input of the panel and leaves it (Tab), which commits it (change). */
export async function fill(page, selector, text) {
  await focus(page, selector);
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(String(text));
  await page.keyboard.press("Tab");
}

/**
 * Clicks a panel element with the mouse at its centre (a real, trusted click), after checking that nothing
 * covers it there.
 */
export async function click(page, selector) {
  // The panel moves itself when its size changes (panel-place.js, on the next frame): aim once it stands still.
  let point = await aim(page, selector);
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 60));
    const again = await aim(page, selector);
    if (again.x === point.x && again.y === point.y) break;
    point = again;
  }
  await page.mouse.click(point.x, point.y);
}

/** The centre of a panel element, checked to be what is on the screen there. */
function aim(page, selector) {
  return panelEval(
    page,
    (root, sel) => {
      const el = root && root.querySelector(sel);
      if (!el) throw new Error(`no ${sel} in the panel`);
      el.scrollIntoView({ block: "center" });
      // A link that wraps has several boxes: the centre of the first is on the link, that of the whole may not be.
      const r = el.getClientRects()[0] || el.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      const hit = root.elementFromPoint(x, y);
      if (!hit || !(hit === el || el.contains(hit))) throw new Error(`${sel} is covered at (${x}, ${y}) by ${hit?.tagName}`);
      return { x, y };
    },
    selector,
  );
}
