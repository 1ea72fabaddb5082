// What the core's end of a run (ARCHITECTURE.md §1.2 RunEnd: `finished` results, `needsUser` reasons) and its
// progress events put into a task record. The shapes are the core's, declared in extension/wasm/kyfw.d.ts.

/** @typedef {import("../../wasm/kyfw.js").Finished} Finished */
/** @typedef {import("../../wasm/kyfw.js").NeedsUser} NeedsUser */
/** @typedef {import("../../wasm/kyfw.js").Event} CoreEvent */
/** @typedef {import("../../types/extension").TaskState} TaskState */

/**
 * The record's end state and fields for a finished run: an order (with 12306's payment deadline when the core
 * has it, notify/deadline.js), a stop, or a failure with its reason.
 * @param {Finished} result
 * @returns {{state: TaskState, orderId?: string, payDeadline?: string | null, message?: string}}
 */
export function readResult(result) {
  switch (result.kind) {
    case "orderPlaced":
      return { state: "done", orderId: result.orderId, payDeadline: result.payDeadline };
    case "stopped":
      return { state: "stopped", message: result.message };
    case "failed":
      return { state: "failed", message: result.message };
  }
}

/**
 * What the user must do, as the record keeps it: the core's kind ("login" links to the login page) and its text.
 * @param {NeedsUser} reason
 * @returns {{reasonKind: NeedsUser["kind"], message: string}}
 */
export function readReason(reason) {
  return { reasonKind: reason.kind, message: reason.message };
}

/** The text of a progress event; "" for an event with nothing to say (it is then not logged). @param {CoreEvent} event */
export function readEvent(event) {
  return event.message;
}
