// A sale opening on sim12306 (its `sale_opening` scenario, tests/sim12306/README.md "Rehearsing a sale opening")
// and a task for it started the way the panel starts one (a `startTask` message with a TaskSpec), for the
// opening's end-to-end tests and its benchmark (e2e/bench-opening.mjs).
import { loginWithQr } from "./flow.mjs";
import { ROUTE } from "./world.mjs";

const DAY_MS = 86400000;
const CHINA_MS = 8 * 3600000;

/** YYYY-MM-DD of a sim-clock time in China (UTC+8), `days` later. */
export function chinaDate(ms, days = 0) {
  return new Date(ms + CHINA_MS + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Loads an opening of `trains` at a whole minute of the sim clock and sets that clock so that the opening is
 * exactly `leadMs` ahead: the sim's clock is then 5 to 65 s ahead of the host's, which the extension must learn.
 * Loading a scenario resets the sim: log in afterwards. Resolves to {t, date}: the opening (sim clock) and its
 * date (the newest of the window on T's day).
 */
export async function stageOpening(sim, { leadMs, trains = ["G2"], seats = { O: 10 }, crowdPerS = 20, extra = {} }) {
  const now = Date.now();
  const t = Math.floor((now + leadMs + 5000) / 60000) * 60000 + 60000;
  await sim.control("/clock", { now_ms: t - leadMs });
  await sim.control("/scenario", { ...extra, sale_opening: { at_ms: t, trains, seats, crowd_per_s: crowdPerS } });
  return { t, date: chinaDate(t, 14) };
}

/** The sim clock minus the host's (ms), as the sim says it now. */
export async function simOffset(sim) {
  const before = Date.now();
  const { now_ms: now } = await sim.control("/health");
  return now - Math.round((before + Date.now()) / 2);
}

/** The sim clock now (ms). */
export async function simNow(sim) {
  return (await sim.control("/health")).now_ms;
}

/**
 * Starts a task as the panel does, from an extension page (so the task belongs to no tab and its requests go
 * by whichever kyfw tab is open). Resolves to the task's view.
 * @param {{context: import("playwright-core").BrowserContext, extensionId: string}} browser
 * @param {Record<string, unknown>} spec a TaskSpec (src/task/spec.rs)
 */
export async function startTask(browser, spec) {
  const page = await browser.context.newPage();
  try {
    await page.goto(`chrome-extension://${browser.extensionId}/popup/popup.html`);
    const answer = await page.evaluate((s) => chrome.runtime.sendMessage({ type: "startTask", spec: s }), spec);
    if (!answer || !answer.ok) throw new Error(`startTask refused: ${JSON.stringify(answer)}`);
    return answer.task;
  } finally {
    await page.close();
  }
}

/** A spec for 张三 in 二等座 on `train`, `date`, on the test route. */
export function specFor(train, date, intervalMs = 3000) {
  return {
    train,
    date,
    from: ROUTE.from.code,
    to: ROUTE.to.code,
    fromName: ROUTE.from.name,
    toName: ROUTE.to.name,
    seats: ["O"],
    intervalMs,
    passengers: [{ name: "张三", idNo: "1101***********012" }],
  };
}

/** Logs in and leaves `page` on a kyfw.12306.cn/otn page (the tab transport's tab). */
export async function loggedIn(browser, sim, page) {
  await loginWithQr(browser.context, sim, page);
  return page;
}

/** The stored task records, read from the service worker. */
export async function taskRecords(browser) {
  return browser.workerEval(async () => {
    const all = await chrome.storage.local.get(null);
    return Object.entries(all)
      .filter(([k]) => k.startsWith("task:"))
      .map(([, v]) => v);
  });
}

/**
 * What the sim's request log says about an opening at `t`: the first query that reached it at or after `t`, the
 * confirm, and the requests the chain waited for (from that query up to the confirm, which only has to arrive;
 * the order page's own subresources, loaded by the page in parallel, are counted apart).
 */
export function chainOf(requests, t) {
  const path = (r) => String(r.path || "");
  const isQuery = (r) => /\/otn\/leftTicket\/query/.test(path(r));
  const first = requests.find((r) => isQuery(r) && r.t_ms >= t);
  const confirm = requests.find((r) => path(r).endsWith("/confirmSingleForQueue"));
  if (!first || !confirm) return { first, confirm, waited: [], subresources: [] };
  const between = requests.filter((r) => r.t_ms >= first.t_ms && r.seq < confirm.seq);
  const sub = (r) => !path(r).startsWith("/otn/") || /\.(js|css|png|gif|jpg|ico)$/.test(path(r));
  return { first, confirm, waited: between.filter((r) => !sub(r)), subresources: between.filter(sub) };
}
