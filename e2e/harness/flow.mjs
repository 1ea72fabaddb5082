// What a user does, step by step: log in with the QR code, open the query page, pick passengers and seat
// classes in the panel, press 自动预订 on a row, and wait for the panel's outcome.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const KYFW = "https://kyfw.12306.cn";
export const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), "../artifacts");

/** YYYY-MM-DD of today + `days` (local time, like the page's date picker). */
export function dateIn(days) {
  const d = new Date(Date.now() + days * 86400000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Logs the demo account in through the sim's QR page and the control API's scan. Returns the page. */
export async function loginWithQr(context, sim, page) {
  page = page || (await context.newPage());
  await page.goto(`${KYFW}/otn/resources/login.html`);
  await page.waitForFunction(() => document.getElementById("qr_img")?.src.startsWith("data:image/png"), null, {
    timeout: 20000,
  });
  await sim.control("/scan", {});
  await page.waitForURL((url) => !url.pathname.includes("login.html"), { timeout: 20000 });
  return page;
}

/** Opens the query page on a deep link (the page queries by itself) and waits for the train rows. */
export async function openQuery(page, { from, to, date }) {
  const url =
    `${KYFW}/otn/leftTicket/init?linktypeid=dc&fs=${encodeURIComponent(`${from.name},${from.code}`)}` +
    `&ts=${encodeURIComponent(`${to.name},${to.code}`)}&date=${date}&flag=N,N,Y`;
  await page.goto(url);
  await page.waitForSelector("#queryLeftTable tr[id^='ticket_'] a.number", { timeout: 20000 });
  await page.waitForSelector("#kyfw-panel", { timeout: 20000 });
}

/**
 * Chooses passengers in the panel: [{name, ticketType?: "1".."4", seat?: code}], and the seat classes
 * (codes in priority order). Unlisted passengers are unticked.
 */
export async function choose(page, { passengers, seats = ["O"], acceptNoSeat = false, intervalS }) {
  await page.waitForSelector("#kyfw-passengers li.kyfw-passenger", { timeout: 20000 });
  const wanted = new Map(passengers.map((p) => [p.name, p]));
  for (const li of await page.$$("#kyfw-passengers li.kyfw-passenger")) {
    const name = await li.getAttribute("data-name");
    const want = wanted.get(name);
    const box = await li.$("input.kyfw-pass-check");
    await box.setChecked(!!want);
    if (want) {
      await (await li.$("select.kyfw-ticket-type")).selectOption(want.ticketType || "1");
      await (await li.$("select.kyfw-pass-seat")).selectOption(want.seat || "");
    }
  }
  for (const name of wanted.keys()) {
    if (!(await page.$(`li.kyfw-passenger[data-name="${name}"]`))) throw new Error(`passenger ${name} not in the panel`);
  }
  // Untick all, then tick in priority order (ticking order is the priority).
  const boxes = page.locator("#kyfw-seats input[type=checkbox]");
  for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
  for (const code of seats) await page.check(`#kyfw-seats input[value="${code}"]`);
  await page.setChecked("#kyfw-accept-noseat", acceptNoSeat);
  if (intervalS) await page.fill("#kyfw-interval", String(intervalS)).then(() => page.press("#kyfw-interval", "Tab"));
}

/** Presses 自动预订 on the row of `train` and waits until the panel shows the new task. */
export async function book(page, train, { wait = true } = {}) {
  const before = await page.evaluate(() => document.getElementById("kyfw-panel")?.dataset.taskId || "");
  const row = page.locator("#queryLeftTable tr[id^='ticket_']", { has: page.locator("a.number", { hasText: new RegExp(`^${train}$`) }) });
  await row.locator("a.kyfw-book").click();
  if (wait) {
    await page.waitForFunction((old) => {
      const id = document.getElementById("kyfw-panel")?.dataset.taskId;
      return id && id !== old;
    }, before, { timeout: 20000 });
  }
}

/**
 * Waits until the panel's task is over (a task newer than the one shown before `book`) and returns
 * { ok, orderId, state, text, log }.
 */
export async function outcome(page, timeout = 90000) {
  await page.waitForFunction(
    () => {
      const panel = document.getElementById("kyfw-panel");
      const state = panel?.dataset.state;
      return panel?.dataset.taskId && state && state !== "running";
    },
    null,
    { timeout },
  );
  return page.evaluate(() => {
    const panel = document.getElementById("kyfw-panel");
    const r = document.getElementById("kyfw-result");
    return {
      state: panel.dataset.state,
      orderId: r.getAttribute("data-order-id"),
      ok: r.classList.contains("kyfw-ok"),
      text: r.textContent,
      log: [...document.querySelectorAll("#kyfw-log li")].map((li) => li.textContent),
    };
  });
}

/** The panel's step log as lines. */
export function stepLog(page) {
  return page.evaluate(() => [...document.querySelectorAll("#kyfw-log li")].map((li) => li.textContent));
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** Sets the transport switch of the extension ("auto" | "tab" | "background") through its service worker. */
export async function setTransport(browser, mode) {
  await browser.workerEval((m) => chrome.storage.local.set({ transportMode: m }), mode);
}

/**
 * Kills the extension's service worker, as Chrome does after 30 s idle (CDP Target.closeTarget from a page's
 * session). The extension must bring its tasks back by itself (chrome.alarms, state in storage).
 */
export async function killWorker(context, page) {
  const cdp = await context.newCDPSession(page);
  try {
    const { targetInfos } = await cdp.send("Target.getTargets");
    const workers = targetInfos.filter((t) => t.type === "service_worker" && t.url.startsWith("chrome-extension://"));
    for (const t of workers) await cdp.send("Target.closeTarget", { targetId: t.targetId });
    return workers.length;
  } finally {
    await cdp.detach().catch(() => {});
  }
}
