//! The task's 候补 (waitlist) policy (PROTOCOL.md §5.13): whether to submit a waitlist order, whether to keep
//! querying for a direct ticket while it waits, and its 截止兑现时间.

use serde::{Deserialize, Serialize};

/// The deadlines the 候补 page offers (`jzdhDiffSelect`, CAP24 2024-04): minutes before departure by which the
/// waitlist order must be fulfilled.
pub const DEADLINE_CHOICES_MIN: [u32; 7] = [20, 60, 120, 180, 360, 720, 1440];
/// The default 截止兑现时间: 6 hours before departure (the value CAP24's page sent).
pub const DEFAULT_DEADLINE_MIN: u32 = 360;

/// When the task submits a 候补 order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum WaitlistPolicy {
    /// Never: only direct tickets.
    #[default]
    Off,
    /// When the wanted classes of the wanted trains are sold out and 12306 offers 候补 for them.
    WhenSoldOut,
    /// Only 候补: never a direct ticket (a train with tickets is not booked; 12306 offers 候补 only when sold out).
    Only,
}

fn default_deadline() -> u32 {
    DEFAULT_DEADLINE_MIN
}

/// The task's 候补 settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct Waitlist {
    /// When to submit one.
    #[serde(default)]
    pub policy: WaitlistPolicy,
    /// While the 候补 order waits, keep querying for a direct ticket; when one is booked the machine cancels the
    /// 候补 order (`cancelWaitingHOrder`), so that the task never holds two orders. Off: only watch the 候补 order.
    #[serde(default)]
    pub keep_polling: bool,
    /// 截止兑现时间 as minutes before departure, one of [`DEADLINE_CHOICES_MIN`] (`realize_limit_time_diff`).
    #[serde(default = "default_deadline")]
    pub deadline_min: u32,
}

impl Default for Waitlist {
    fn default() -> Self {
        Waitlist {
            policy: WaitlistPolicy::Off,
            keep_polling: false,
            deadline_min: DEFAULT_DEADLINE_MIN,
        }
    }
}

impl Waitlist {
    /// Whether the task may submit a 候补 order at all.
    pub fn enabled(&self) -> bool {
        self.policy != WaitlistPolicy::Off
    }

    /// Whether the deadline is one the page offers.
    pub fn deadline_ok(&self) -> bool {
        DEADLINE_CHOICES_MIN.contains(&self.deadline_min)
    }
}
