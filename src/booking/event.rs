//! What the machine tells the user: progress events, reasons to pause, and final results.

use serde::{Deserialize, Serialize};

use crate::outcome::PendingOrder;

/// `Event::Step`'s `step` when an order attempt skips checkUser because the session was verified moments ago
/// ([`crate::booking::CHECK_USER_FRESH_MS`]): not a step of its own ([`crate::booking::Step`] has none), a code for the UI's words.
pub const CHECK_USER_SKIPPED: &str = "checkUserSkipped";

/// A progress event. Every variant has a human-readable `message` (Chinese, as the UI shows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Event {
    /// A query answered: a train was found, or nothing yet.
    #[serde(rename_all = "camelCase")]
    Query {
        /// The train chosen, if one fits.
        found: Option<String>,
        /// The seat class chosen (Chinese name).
        seat: Option<String>,
        /// Trains in the answer.
        trains: usize,
        /// Which query this was (1-based).
        attempt: u64,
        /// Nothing found because the trains are not on sale yet (the machine waits for the opening).
        #[serde(default)]
        not_on_sale: bool,
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
    /// The machine moved to another step.
    Step {
        /// The step's camelCase name (`submitOrder`, …).
        step: String,
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
    /// The order is queued.
    #[serde(rename_all = "camelCase")]
    Queue {
        /// 12306's `waitTime` (s; `-100`/`-1` are codes, PROTOCOL.md §5.9).
        wait_time_s: i64,
        /// People ahead in the queue (`waitCount`).
        wait_count: i64,
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
    /// Something went wrong but the machine goes on (message verbatim from 12306 when there is one).
    #[serde(rename_all = "camelCase")]
    Problem {
        /// The reason's camelCase name (`busy`, `staleTicket`, `queueStalled`, …).
        reason: String,
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
    /// The order is placed.
    #[serde(rename_all = "camelCase")]
    OrderPlaced {
        /// 12306's order number (`E…`).
        order_id: String,
        /// Train code of the order.
        train: String,
        /// `pay_limit_time` from the order list, China time, when known.
        pay_deadline: Option<String>,
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
    /// The machine needs the user (same data as the `NeedsUser` action, sent once as an event too).
    NeedsUser {
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
    /// A 候补 (waitlist) order exists and waits to be fulfilled (PROTOCOL.md §5.13); its fulfilment comes as
    /// [`Event::OrderPlaced`].
    #[serde(rename_all = "camelCase")]
    WaitlistPlaced {
        /// `reserve_no`.
        reserve_no: String,
        /// 截止兑现时间 as minutes before departure.
        deadline_min: u32,
        /// For the log.
        message: String,
    },
    /// The task's date or trains are not on sale yet: the machine waits for the opening and queries nothing
    /// before its warm-up (ARCHITECTURE.md §1.1 "The opening"). Sent whenever the opening becomes known or moves.
    #[serde(rename_all = "camelCase")]
    SaleWait {
        /// The opening on 12306's clock (ms since the epoch).
        opens_at: u64,
        /// The same moment on the host's clock: what a countdown counts down to.
        opens_at_local: u64,
        /// The train whose opening it is, when a row told.
        train: Option<String>,
        /// Where the time comes from: `row` (field 55), `button` (the 起售 text), `window` (the pre-sale window
        /// and the station's sale clock), `windowDay` (only the day is known: the machine looks again then).
        source: String,
        /// What to show the user (Chinese).
        message: String,
    },
    /// 12306's clock was measured during the warm-up.
    #[serde(rename_all = "camelCase")]
    Clock {
        /// 12306's clock minus the host's (ms).
        offset_ms: i64,
        /// The measurement's bound (± ms).
        error_ms: u64,
        /// Readings that went into it.
        readings: usize,
        /// What to show the user (Chinese).
        message: String,
    },
    /// The sale opened: queries go at a faster pace for a short, bounded burst, then at the task's interval.
    #[serde(rename_all = "camelCase")]
    Burst {
        /// When the burst ends (host clock, ms).
        until_ms: u64,
        /// Queries the burst may send at most.
        queries: u32,
        /// Time between its queries (ms).
        gap_ms: u64,
        /// What to show the user (Chinese).
        message: String,
    },
}

/// Why the machine pauses for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum NeedsUser {
    /// The session is gone. `orderMayExist`: a confirm may have reached 12306 before that.
    #[serde(rename_all = "camelCase")]
    Login {
        /// A confirm may have reached 12306: check its unfinished orders.
        order_may_exist: bool,
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
    /// Another unfinished order blocks booking (pay or cancel it, then resume).
    UnfinishedOrder {
        /// The unfinished orders 12306 listed.
        orders: Vec<PendingOrder>,
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
    /// A task passenger is not in the account's passenger list.
    PassengerMissing {
        /// The passenger's name as in the task.
        name: String,
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
    /// 12306 wants a captcha/slider the machine cannot solve.
    Captcha {
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
    /// 12306 refused in a way retrying cannot fix (cancel limit, trip conflict, identity check, …).
    Refused {
        /// Why (`repeatedRefusal`, `ticketTypeNotAllowed`, a reason's camelCase name, …).
        reason: String,
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
}

impl NeedsUser {
    /// Replaces the text to show the user.
    pub fn set_message(&mut self, text: String) {
        match self {
            NeedsUser::Login { message, .. }
            | NeedsUser::UnfinishedOrder { message, .. }
            | NeedsUser::PassengerMissing { message, .. }
            | NeedsUser::Captcha { message }
            | NeedsUser::Refused { message, .. } => *message = text,
        }
    }

    /// The text to show the user (12306's own words where there are any).
    pub fn message(&self) -> &str {
        match self {
            NeedsUser::Login { message, .. }
            | NeedsUser::UnfinishedOrder { message, .. }
            | NeedsUser::PassengerMissing { message, .. }
            | NeedsUser::Captcha { message }
            | NeedsUser::Refused { message, .. } => message,
        }
    }
}

/// How a task ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Finished {
    /// Booked: pay before `payDeadline` on 12306 (unpaid orders are cancelled after about 10 minutes).
    #[serde(rename_all = "camelCase")]
    OrderPlaced {
        /// 12306's order number (`E…`).
        order_id: String,
        /// Train code of the order.
        train: String,
        /// Travel date `YYYY-MM-DD`.
        date: String,
        /// Seat class name per passenger, in the task's passenger order.
        seats: Vec<String>,
        /// Passenger names, in the task's order.
        passengers: Vec<String>,
        /// `pay_limit_time` from the order list, China time, when known.
        pay_deadline: Option<String>,
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
    /// Stopped by the user. `orderMayExist`: a confirm was sent and its outcome is unknown — check 12306.
    #[serde(rename_all = "camelCase")]
    Stopped {
        /// A confirm may have reached 12306: check its unfinished orders.
        order_may_exist: bool,
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
    /// The task cannot run (invalid task).
    Failed {
        /// Why (`invalidTask`).
        reason: String,
        /// What to show the user (Chinese; 12306's own words where there are any).
        message: String,
    },
}
