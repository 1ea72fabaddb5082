// The account as the panel needs it: logged in or not (login/conf), and the passengers (getPassengerDTOs).
// Both are plain health/lookup calls that the official page makes too (PROTOCOL.md §1.1 #1, §5.4).
import { core } from "./core.js";
import { perform } from "./transport/index.js";

const ORIGIN = "https://kyfw.12306.cn";
const QUERY_PAGE = `${ORIGIN}/otn/leftTicket/init?linktypeid=dc`;
const AJAX_HEADERS = [
  ["X-Requested-With", "XMLHttpRequest"],
  ["Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"],
  ["Accept", "application/json, text/javascript, */*; q=0.01"],
];

function post(path, body) {
  return { id: 0, method: "POST", url: `${ORIGIN}${path}`, body, referer: QUERY_PAGE, headers: AJAX_HEADERS };
}

// A 302 to the passport page (or the login page itself) means the /otn session is gone.
function redirectedToLogin(answer) {
  return typeof answer.finalUrl === "string" && /\/otn\/(passport|login\/init|resources\/login\.html)/.test(answer.finalUrl);
}

function json(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** {ok:true, loggedIn: true|false|null (unknown), name} or {ok:false, error}. */
export async function loginStatus(tabId) {
  const answer = await perform(post("/otn/login/conf", ""), tabId);
  if (answer.error) return { ok: false, error: answer.error };
  if (redirectedToLogin(answer)) return { ok: true, loggedIn: false };
  const data = json(answer.body)?.data;
  if (!data || typeof data !== "object") return { ok: true, loggedIn: null };
  return { ok: true, loggedIn: data.is_login === "Y", name: typeof data.name === "string" ? data.name : "" };
}

const str = (v) => (v == null ? "" : String(v));

// The core's Passenger serialises with its own field names; accept snake_case and camelCase alike so the panel
// does not break on a rename. Only what the panel shows or the task needs is kept.
function normalize(p) {
  return {
    name: str(p.name ?? p.passenger_name ?? p.passengerName),
    idNo: str(p.idNo ?? p.id_no ?? p.passenger_id_no),
    idType: str(p.idType ?? p.id_type ?? p.passenger_id_type_code),
    passengerType: str(p.passengerType ?? p.passenger_type),
  };
}

function listOf(parsed) {
  if (Array.isArray(parsed)) return parsed;
  for (const key of ["passengers", "normalPassengers", "normal_passengers"]) {
    if (parsed && Array.isArray(parsed[key])) return parsed[key];
  }
  return [];
}

/** {ok:true, passengers:[{name,idNo,idType,passengerType}]} or {ok:false, error, loginRequired?}. */
export async function passengers(tabId) {
  const answer = await perform(post("/otn/confirmPassenger/getPassengerDTOs", "_json_att="), tabId);
  if (answer.error) return { ok: false, error: answer.error };
  if (redirectedToLogin(answer)) return { ok: false, loginRequired: true, error: "login" };
  try {
    const { parsePassengers } = await core();
    const list = listOf(parsePassengers(answer.body)).map(normalize).filter((p) => p.name);
    return { ok: true, passengers: list };
  } catch (err) {
    return { ok: false, error: String((err && err.message) || err) };
  }
}
