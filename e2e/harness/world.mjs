// One isolated world per test: a fresh sim12306 and a fresh Chromium profile with the extension.
import { launch } from "./browser.mjs";
import { dateIn, screenshot } from "./flow.mjs";
import { startSim } from "./sim.mjs";

export const ROUTE = {
  from: { name: "上海虹桥", code: "AOH" },
  to: { name: "北京南", code: "VNP" },
};

/** A travel date well inside the 15-day pre-sale window. */
export const DATE = dateIn(3);

/**
 * Runs `fn({sim, browser, page})` in a fresh world and always tears it down; on failure a screenshot of the
 * page goes to e2e/artifacts/<name>-failure.png.
 */
export async function inWorld(name, fn, { headed = false, locale, viewport } = {}) {
  const sim = await startSim();
  let browser;
  let page;
  try {
    browser = await launch({ sim, headed, locale, viewport });
    page = await browser.context.newPage();
    if (process.env.E2E_VERBOSE) {
      page.on("console", (m) => console.log(`[page] ${m.text()}`));
      browser.worker.on("console", (m) => console.log(`[worker] ${m.text()}`));
    }
    return await fn({ sim, browser, page });
  } catch (err) {
    if (page) await screenshot(page, `${name}-failure`).catch(() => {});
    throw err;
  } finally {
    if (browser) await browser.close();
    await sim.stop();
  }
}

/** Sets exact ticket counts: inventory({G2: {O: 100, M: 0}}) for DATE. */
export async function inventory(sim, counts, date = DATE) {
  for (const [train, seats] of Object.entries(counts)) {
    for (const [seat, count] of Object.entries(seats)) await sim.control("/inventory", { date, train, seat, count });
  }
}

/** The requests the sim saw whose path contains `fragment`. */
export async function requestsTo(sim, fragment) {
  return (await sim.requests()).filter((r) => String(r.path || "").includes(fragment));
}

const pick = (obj, keys) => {
  for (const k of keys) if (obj && obj[k] != null && obj[k] !== "") return obj[k];
  return undefined;
};

/** An order of GET /orders reduced to what the tests compare: {orderId, train, date, tickets:[{name, seat, ticketType}]}. */
export function summarize(order) {
  const tickets = pick(order, ["tickets", "passengers", "ticket_list"]) || [];
  return {
    orderId: String(pick(order, ["order_id", "orderId", "sequence_no", "id"]) ?? ""),
    train: pick(order, ["train", "station_train_code", "train_code"]),
    date: pick(order, ["date", "train_date"]),
    tickets: tickets.map((t) => ({
      name: pick(t, ["name", "passenger_name"]),
      seat: String(pick(t, ["seat", "seat_type", "seat_type_code", "seat_code"]) ?? ""),
      ticketType: String(pick(t, ["ticket_type", "ticketType", "ticket_type_code"]) ?? ""),
    })),
  };
}
