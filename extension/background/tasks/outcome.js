// Reads the core's `finished` results and `needsUser` reasons (ARCHITECTURE.md §1.2) into what the panel shows.
// The shapes are plain objects produced by serde; the readers look for the documented fields and fall back to
// a short JSON dump rather than fail, so a changed variant shows up as text instead of a silent stop.

function firstString(obj, keys) {
  if (!obj || typeof obj !== "object") return "";
  for (const key of keys) if (typeof obj[key] === "string" && obj[key]) return obj[key];
  // serde's externally tagged enums wrap the fields one level down: {"OrderPlaced": {...}}
  for (const value of Object.values(obj)) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const found = firstString(value, keys);
      if (found) return found;
    }
  }
  return "";
}

function dump(value) {
  try {
    return JSON.stringify(value).slice(0, 200);
  } catch {
    return String(value);
  }
}

/** {orderId} when an order was placed, else {message}. */
export function readResult(result) {
  const orderId = firstString(result, ["orderId", "order_id"]);
  // payDeadline: 12306's own text when the core has it (badge and notification show it, notify/deadline.js).
  if (orderId) return { orderId, payDeadline: firstString(result, ["payDeadline", "pay_deadline"]) || null };
  return { message: firstString(result, ["message", "reason", "msg"]) || dump(result) };
}

/** {kind: "login" | "unfinished" | other, message}. */
export function readReason(reason) {
  const rawKind = (reason && (reason.kind || (typeof reason === "string" ? reason : Object.keys(reason)[0]))) || "";
  const kind = /login/i.test(rawKind) ? "login" : /unfinish|noComplete|pending/i.test(rawKind) ? "unfinished" : rawKind;
  return { kind, message: firstString(reason, ["message", "msg", "reason"]) || String(rawKind) };
}

/** The text of a `notify` event; "" for an event with nothing to say (it is then not logged). */
export function readEvent(event) {
  return firstString(event, ["message", "text"]);
}
