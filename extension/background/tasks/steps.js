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

/** The log line for a request, e.g. "查询余票" for a leftTicket/queryG call. */
export function stepName(request) {
  const url = String((request && request.url) || "");
  for (const [pattern, key] of STEPS) if (pattern.test(url)) return t(key);
  try {
    return new URL(url).pathname;
  } catch {
    return url.slice(0, 60);
  }
}
