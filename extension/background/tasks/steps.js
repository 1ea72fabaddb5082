// Human-readable step names for the log: which 12306 endpoint a `send` action calls (PROTOCOL.md §3, §5).
const t = (key) => chrome.i18n.getMessage(key) || key;

const STEPS = [
  [/\/otn\/leftTicket\/query/, "stepQuery"],
  [/\/otn\/leftTicket\/init/, "stepInit"],
  [/\/otn\/login\/(conf|checkUser)/, "stepCheckLogin"],
  [/\/otn\/leftTicket\/submitOrderRequest/, "stepSubmit"],
  [/\/otn\/confirmPassenger\/initDc/, "stepInitDc"],
  [/\/otn\/confirmPassenger\/getPassengerDTOs/, "stepPassengers"],
  [/\/otn\/confirmPassenger\/checkOrderInfo/, "stepCheckOrder"],
  [/\/otn\/confirmPassenger\/getQueueCount/, "stepQueueCount"],
  [/\/otn\/confirmPassenger\/confirmSingleForQueue/, "stepConfirm"],
  [/\/otn\/confirmPassenger\/queryOrderWaitTime/, "stepWait"],
  [/\/otn\/confirmPassenger\/resultOrderFor/, "stepResult"],
  [/\/otn\/queryOrder\//, "stepUnfinished"],
];

// Steps that repeat in a loop share a log slot with the core's events about them (see store.appendLog).
const SLOTS = { stepQuery: "query", stepWait: "queue" };
export const EVENT_SLOTS = { query: "query", queue: "queue" };

/** The log line and slot for a request, e.g. {text: "查询余票", slot: "query"} for a leftTicket/queryG call. */
export function stepName(request) {
  const url = String((request && request.url) || "");
  for (const [pattern, key] of STEPS) if (pattern.test(url)) return { text: t(key), slot: SLOTS[key] || null };
  try {
    return { text: new URL(url).pathname, slot: null };
  } catch {
    return { text: url.slice(0, 60), slot: null };
  }
}
