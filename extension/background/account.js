// The account as the panel needs it: logged in or not (login/conf), and the passengers (getPassengerDTOs).
// Both are plain health/lookup calls that the official page makes too (PROTOCOL.md §1.1 #1, §5.4); what their
// answers mean is the core's to say (readLoginConf, readPassengers: src/protocol/account.rs).
import { core } from "./core.js";
import { errorText } from "./errors.js";
import { perform } from "./transport/index.js";
import { ORIGIN } from "../shared/common.js";

/** @typedef {import("../types/extension").Answer<"loginStatus">} LoginStatusAnswer */
/** @typedef {import("../types/extension").Answer<"passengers">} PassengersAnswer */

const QUERY_PAGE = `${ORIGIN}/otn/leftTicket/init?linktypeid=dc`;
/** @type {[string, string][]} */
const AJAX_HEADERS = [
  ["X-Requested-With", "XMLHttpRequest"],
  ["Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"],
  ["Accept", "application/json, text/javascript, */*; q=0.01"],
];

/**
 * A POST as the query page's jQuery sends it.
 * @param {string} path
 * @param {string} body
 * @returns {import("../wasm/kyfw.js").HttpRequest}
 */
function post(path, body) {
  return { id: 0, method: "POST", url: `${ORIGIN}${path}`, body, referer: QUERY_PAGE, headers: AJAX_HEADERS };
}

/** Logged in, logged out, or not known (`loggedIn: null`). @param {number | null} tabId @returns {Promise<LoginStatusAnswer>} */
export async function loginStatus(tabId) {
  const answer = await perform(post("/otn/login/conf", ""), tabId);
  if ("error" in answer) return { ok: false, error: answer.error };
  try {
    const { readLoginConf } = await core();
    const { loggedIn, name, today, lastOnSale, latestDate } = readLoginConf(answer);
    // The days the panel offers for more travel dates, and the end of the pre-sale window (the core's reading).
    return { ok: true, loggedIn, name, today, lastOnSale, latestDate };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

/** The account's passengers, or why not. @param {number | null} tabId @returns {Promise<PassengersAnswer>} */
export async function passengers(tabId) {
  const answer = await perform(post("/otn/confirmPassenger/getPassengerDTOs", "_json_att="), tabId);
  if ("error" in answer) return { ok: false, error: answer.error };
  try {
    const { readPassengers } = await core();
    const read = readPassengers(answer);
    switch (read.kind) {
      case "passengers":
        return { ok: true, passengers: read.passengers };
      case "loginRequired":
        return { ok: false, loginRequired: true, error: "login" };
      case "failed":
        return { ok: false, error: read.message };
    }
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}
