//! A snapshot of the machine for the UI.

use serde::{Deserialize, Serialize};

use super::Step;

/// The task's 候补 order, for the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct WaitlistStatus {
    /// `reserve_no` of the 候补 order once it exists.
    pub reserve_no: Option<String>,
    /// A `confirmHB` may have reached 12306 without a known outcome.
    pub may_exist: bool,
    /// The 候补 order was fulfilled (it is the task's unpaid order).
    pub fulfilled: bool,
    /// Its trains × classes (`G2 二等座`).
    pub plans: Vec<String>,
    /// 截止兑现时间, minutes before departure.
    pub deadline_min: u32,
}

/// Where the machine stands, for the UI (`status().state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum State {
    /// A request is out or due.
    Running,
    /// Waiting for the next try (`nextTryAt`).
    Waiting,
    /// Paused until the user acts.
    NeedsUser,
    /// Done for good: an order, a stop or a failure.
    Finished,
}

/// A snapshot of the machine for the UI (ARCHITECTURE.md §1.2 "Status"); computed, never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// Running, waiting, needs the user, or finished.
    pub state: State,
    /// The step the machine is at.
    pub step: Step,
    /// The step's label for the UI (Chinese).
    pub step_label: String,
    /// Queries sent so far.
    pub attempts: u64,
    /// submitOrderRequests and confirmSingleForQueues sent so far.
    pub submits: u64,
    /// confirmSingleForQueues sent so far.
    pub confirms: u64,
    /// The last message from 12306 (or about the transport), verbatim.
    pub last_message: String,
    /// When the next request is due (ms), if the machine is waiting.
    pub next_try_at: Option<u64>,
    /// The train being booked, once one was chosen.
    pub train: Option<String>,
    /// The travel date being queried or booked now (`YYYY-MM-DD`); `None` when no date is (every date waits
    /// for its sale).
    #[serde(default)]
    pub date: Option<String>,
    /// The task's dates still waiting for their sale, with their openings, for countdowns (priority order).
    #[serde(default)]
    pub dates: Vec<DateStatus>,
    /// The order number once 12306 gave one.
    pub order_id: Option<String>,
    /// True when a confirm may have reached 12306 and its outcome is not known yet: if the task is stopped now,
    /// check 12306's unfinished orders.
    pub order_may_exist: bool,
    /// True while a task the user stopped only follows the order that may exist (`Input::Settle`): it books
    /// nothing new and ends as placed, or stopped without an order.
    #[serde(default)]
    pub settling: bool,
    /// The 候补 order, when the task has tried one.
    #[serde(default)]
    pub waitlist: Option<WaitlistStatus>,
    /// Trains left out for now, with the time they come back (ms).
    pub blacklist: Vec<(String, u64)>,
    /// The same trains with why each is left out, for the UI's cooldown line.
    #[serde(default)]
    pub cooldowns: Vec<Cooldown>,
    /// When the sale the task waits for opens, on 12306's clock (ms since the epoch); `None` when no opening
    /// is scheduled. Shown as the time of day it opens (Beijing time).
    #[serde(default)]
    pub opens_at: Option<u64>,
    /// The same moment on the host's clock: what a countdown counts down to (`opensAtLocal − Date.now()`).
    #[serde(default)]
    pub opens_at_local: Option<u64>,
    /// 12306's clock minus the host's (ms), once measured.
    #[serde(default)]
    pub clock_offset_ms: Option<i64>,
    /// The bound of that measurement (± ms).
    #[serde(default)]
    pub clock_error_ms: Option<u64>,
    /// While the opening's burst runs: when it ends (host clock, ms).
    #[serde(default)]
    pub burst_until: Option<u64>,
    /// While the opening's burst runs: the queries it may still send.
    #[serde(default)]
    pub burst_queries_left: Option<u32>,
}

/// One travel date waiting for its sale (`Status::dates`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct DateStatus {
    /// The travel date `YYYY-MM-DD`.
    pub date: String,
    /// When its sale opens on 12306's clock (ms since the epoch; show as a Beijing time of day).
    pub opens_at: u64,
    /// The same moment on the host's clock (ms): a countdown is `opensAtLocal − Date.now()`.
    pub opens_at_local: u64,
}

/// A train left out of the choice for a while (`Status.cooldowns`), e.g. after 12306 refused its tickets as gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Cooldown {
    /// The train code.
    pub train: String,
    /// When it is considered again (host clock, ms).
    pub until: u64,
    /// Why it was left out: the reason's camelCase name (`soldOut`, `notEnoughSeats`, `queueExceedsTickets`,
    /// `trainNotBookable`, …); empty for a machine saved before reasons were kept.
    pub reason: String,
}
