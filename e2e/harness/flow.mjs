// What a user does, step by step: log in with the QR code, open the query page, pick passengers and seat
// classes in the panel, press 自动预订 on a row, and wait for the panel's outcome.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { click, fill, panelEval, panelState, selectOption, setChecked, untilPanel, untilPanelState } from "./panel.mjs";

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
  await untilPanel(page, (root) => !!root?.getElementById("kyfw-panel"), null, { what: "the panel" });
}

/**
 * Chooses passengers in the panel: [{name, ticketType?: "1".."4", seat?: code}], and the seat classes
 * (codes in priority order). Unlisted passengers are unticked. Keyboard input, as a user's (harness/panel.mjs).
 */
export async function choose(page, { passengers, seats = ["O"], acceptNoSeat = false, intervalS }) {
  const names = (await untilPanelState(page, (s) => s.passengers.length > 0, { what: "the panel's passengers" })).passengers;
  const wanted = new Map(passengers.map((p) => [p.name, p]));
  for (const name of wanted.keys()) if (!names.includes(name)) throw new Error(`passenger ${name} not in the panel`);
  for (const name of names) {
    const row = `#kyfw-passengers li.kyfw-passenger[data-name="${name}"]`;
    const want = wanted.get(name);
    await setChecked(page, `${row} input.kyfw-pass-check`, !!want);
    if (want) {
      await selectOption(page, `${row} select.kyfw-ticket-type`, want.ticketType || "1");
      await selectOption(page, `${row} select.kyfw-pass-seat`, want.seat || "");
    }
  }
  // Untick all, then tick in priority order (ticking order is the priority).
  const codes = await panelEval(page, (root) => [...root.querySelectorAll("#kyfw-seats input[type=checkbox]")].map((i) => i.value));
  for (const code of codes) await setChecked(page, `#kyfw-seats input[value="${code}"]`, false);
  for (const code of seats) await setChecked(page, `#kyfw-seats input[value="${code}"]`, true);
  await setChecked(page, "#kyfw-accept-noseat", acceptNoSeat);
  if (intervalS) await fill(page, "#kyfw-interval", String(intervalS));
}

/** The locator of the 自动预订 button in the row of `train` (the buttons are in the page's own table). */
export function rowButton(page, train) {
  const row = page.locator("#queryLeftTable tr[id^='ticket_']", { has: page.locator("a.number", { hasText: new RegExp(`^${train}$`) }) });
  return row.locator("a.kyfw-book");
}

/**
 * Presses 自动预订 on the row of each train (real clicks; they go to the task being prepared, in that order),
 * waits until the panel lists them, then presses its 开始抢票.
 */
export async function prepare(page, trains) {
  for (const train of [].concat(trains)) {
    await rowButton(page, train).click();
    await untilPanel(page, (root, code) => !!root?.querySelector(`#kyfw-draft-trains li[data-train="${code}"]`), train, {
      what: `${train} among the trains to start`,
    });
  }
}

/** The trains of the task being prepared, in their order ([] when none). */
export function draftTrains(page) {
  return panelEval(page, (root) => [...(root?.querySelectorAll("#kyfw-draft-trains li") || [])].map((li) => li.dataset.train));
}

/**
 * Presses 自动预订 on the row of `train` (or on each of several trains, in priority order), then the panel's
 * 开始抢票 (real clicks), and waits until the panel shows the new task.
 */
export async function book(page, train, { wait = true } = {}) {
  const before = (await panelState(page)).taskId;
  await prepare(page, train);
  await click(page, "#kyfw-start");
  if (wait) await untilPanelState(page, (s) => s.taskId && s.taskId !== before, { what: "the new task in the panel" });
}

/**
 * Waits until the panel's task is over (not running) and returns {ok, orderId, state, text, log, taskId}.
 */
export async function outcome(page, timeout = 90000) {
  const s = await untilPanelState(page, (p) => p.taskId && p.state && p.state !== "running", {
    timeout,
    what: "the task's outcome in the panel",
  });
  return { state: s.state, orderId: s.orderId, ok: s.ok, text: s.result, log: s.log, taskId: s.taskId };
}

/** The panel's step log as lines. */
export async function stepLog(page) {
  return (await panelState(page)).log;
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
