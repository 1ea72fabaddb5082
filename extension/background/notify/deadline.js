// When an order must be paid by. 12306 gives the deadline as Beijing wall-clock text ("2026-12-01 10:25:00",
// PROTOCOL.md: queryMyOrderNoComplete's pay_limit_time) only on some paths; otherwise the usual payment window
// from the moment the order was placed is the best estimate, and it is shown as such ("约").

export const PAY_WINDOW_MS = 10 * 60 * 1000;
const BEIJING = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Epoch ms of a 12306 time text (Beijing time, UTC+8), or null when it is not one. @param {unknown} text */
export function parseBeijing(text) {
  const m = typeof text === "string" ? BEIJING.exec(text.trim()) : null;
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const ms = Date.UTC(y, mo - 1, d, h - 8, mi, s || 0);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * {ms, exact}: the payment deadline of a placed task record, or null when no order was placed.
 * @param {Pick<import("../../types/extension").TaskRecord, "orderId" | "payDeadline" | "finishedAt" | "createdAt">} record
 * @returns {{ms: number, exact: boolean} | null}
 */
export function payDeadline(record) {
  if (!record || !record.orderId) return null;
  const exact = parseBeijing(record.payDeadline);
  if (exact != null) return { ms: exact, exact: true };
  // The order was placed when the task finished (notify.announce sets finishedAt).
  const placedAt = Number(record.finishedAt || record.createdAt);
  return Number.isFinite(placedAt) ? { ms: placedAt + PAY_WINDOW_MS, exact: false } : null;
}

/** "21:55" in the user's time zone. @param {number} ms */
export function clock(ms) {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}
