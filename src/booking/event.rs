//! What the machine tells the user: progress events, reasons to pause, and final results.

use serde::{Deserialize, Serialize};

use crate::outcome::PendingOrder;

/// A progress event. Every variant has a human-readable `message` (Chinese, as the UI shows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Event {
    /// A query answered: a train was found, or nothing yet.
    #[serde(rename_all = "camelCase")]
    Query {
        found: Option<String>,
        seat: Option<String>,
        trains: usize,
        attempt: u64,
        message: String,
    },
    /// The machine moved to another step.
    Step { step: String, message: String },
    /// The order is queued.
    #[serde(rename_all = "camelCase")]
    Queue {
        wait_time_s: i64,
        wait_count: i64,
        message: String,
    },
    /// Something went wrong but the machine goes on (message verbatim from 12306 when there is one).
    #[serde(rename_all = "camelCase")]
    Problem { reason: String, message: String },
    /// The order is placed.
    #[serde(rename_all = "camelCase")]
    OrderPlaced {
        order_id: String,
        train: String,
        pay_deadline: Option<String>,
        message: String,
    },
    /// The machine needs the user (same data as the `NeedsUser` action, sent once as an event too).
    NeedsUser { message: String },
}

/// Why the machine pauses for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum NeedsUser {
    /// The session is gone. `orderMayExist`: a confirm may have reached 12306 before that.
    #[serde(rename_all = "camelCase")]
    Login {
        order_may_exist: bool,
        message: String,
    },
    /// Another unfinished order blocks booking (pay or cancel it, then resume).
    UnfinishedOrder {
        orders: Vec<PendingOrder>,
        message: String,
    },
    /// A task passenger is not in the account's passenger list.
    PassengerMissing { name: String, message: String },
    /// 12306 wants a captcha/slider the machine cannot solve.
    Captcha { message: String },
    /// 12306 refused in a way retrying cannot fix (cancel limit, trip conflict, identity check, …).
    Refused { reason: String, message: String },
}

impl NeedsUser {
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
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Finished {
    /// Booked: pay before `payDeadline` on 12306 (unpaid orders are cancelled after about 10 minutes).
    #[serde(rename_all = "camelCase")]
    OrderPlaced {
        order_id: String,
        train: String,
        date: String,
        /// Seat class name per passenger, in the task's passenger order.
        seats: Vec<String>,
        passengers: Vec<String>,
        pay_deadline: Option<String>,
        message: String,
    },
    /// Stopped by the user. `orderMayExist`: a confirm was sent and its outcome is unknown — check 12306.
    #[serde(rename_all = "camelCase")]
    Stopped {
        order_may_exist: bool,
        message: String,
    },
    /// The task cannot run (invalid task).
    Failed { reason: String, message: String },
}
