// Turns the panel's start request into the core's BookingTask JSON (ARCHITECTURE.md §1.1), validating every field:
// the spec comes from a content script, i.e. from a web page's process, so nothing in it is trusted.

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TELECODE = /^[A-Z]{3}$/;
const TRAIN = /^[A-Z0-9]{1,8}$/;
const SEAT = /^[0-9A-Z]$/;
const TICKET_TYPES = new Set(["1", "2", "3", "4"]);
const QUERY_PATH = /^leftTicket\/query[A-Za-z0-9_-]*$/;
const MAX_PASSENGERS = 9; // init_limit_ticket_num (PROTOCOL.md §7)

export class SpecError extends Error {}

function text(value, what, max = 40) {
  if (typeof value !== "string" || value.length === 0 || value.length > max) throw new SpecError(`bad ${what}`);
  return value;
}

function passenger(p) {
  if (!p || typeof p !== "object") throw new SpecError("bad passenger");
  const ticketType = TICKET_TYPES.has(p.ticketType) ? p.ticketType : "1";
  const seat = typeof p.seat === "string" && SEAT.test(p.seat) ? p.seat : null;
  // The record's own type (getPassengerDTOs passenger_type): with it the core refuses a ticket type the record
  // cannot take (a student ticket on an adult's record) when the task is created.
  const passengerType = TICKET_TYPES.has(p.passengerType) ? p.passengerType : "";
  return { name: text(p.name, "passenger name"), idNo: text(p.idNo, "passenger id", 40), ticketType, seat, passengerType };
}

/** Returns the BookingTask object for `spec` with the given task id, or throws SpecError. */
export function bookingTask(spec, id) {
  if (!spec || typeof spec !== "object") throw new SpecError("no spec");
  const train = text(spec.train, "train");
  if (!TRAIN.test(train)) throw new SpecError("bad train");
  if (!DATE.test(spec.date || "")) throw new SpecError("bad date");
  if (!TELECODE.test(spec.from || "") || !TELECODE.test(spec.to || "")) throw new SpecError("bad station");
  const passengers = Array.isArray(spec.passengers) ? spec.passengers.map(passenger) : [];
  if (passengers.length === 0 || passengers.length > MAX_PASSENGERS) throw new SpecError("bad passenger count");
  const seats = Array.isArray(spec.seats) ? [...new Set(spec.seats.filter((s) => typeof s === "string" && SEAT.test(s)))] : [];
  const intervalMs = Math.min(60000, Math.max(1000, Number(spec.intervalMs) || 3000));
  const students = passengers.every((p) => p.ticketType === "3");
  return {
    id,
    date: spec.date,
    from: spec.from,
    to: spec.to,
    fromName: typeof spec.fromName === "string" ? spec.fromName.slice(0, 20) : "",
    toName: typeof spec.toName === "string" ? spec.toName.slice(0, 20) : "",
    trains: [train],
    seats,
    acceptNoSeat: spec.acceptNoSeat === true,
    passengers,
    // Student tickets are queried with their own purpose code; a mixed group books as adults, like the page.
    purpose: students ? "0X00" : "ADULT",
    queryPath: typeof spec.queryPath === "string" && QUERY_PATH.test(spec.queryPath) ? spec.queryPath : null,
    intervalMs,
  };
}
