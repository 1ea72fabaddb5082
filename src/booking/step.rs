//! The steps of the flow, in order (PROTOCOL.md §1 #1, §3, §5).

use serde::{Deserialize, Serialize};

/// One step of the booking flow; the machine is always at exactly one. Ordered as the flow goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum Step {
    /// `login/conf`: logged in? which query path?
    LoginConf,
    /// `leftTicket/queryX` at the task's interval until a train fits.
    Query,
    /// `login/checkUser` right before submitting, as the page does.
    CheckUser,
    /// `leftTicket/submitOrderRequest`.
    SubmitOrder,
    /// `confirmPassenger/initDc` → order page (token, keys).
    InitDc,
    /// `getPassengerDTOs` → match the task's passengers.
    Passengers,
    /// `checkOrderInfo`.
    CheckOrder,
    /// `getQueueCount`.
    QueueCount,
    /// Only for an order page the host loaded by navigation: the host reads the page's `json_ua` (12306's risk
    /// script's value) for the confirm's `encryptedData`. Nothing is sent to 12306 (PROTOCOL.md §5.8, §9.1).
    RiskData,
    /// `confirmSingleForQueue`: from here on an order may exist.
    Confirm,
    /// `queryOrderWaitTime` polling.
    QueueWait,
    /// `resultOrderForDcQueue`.
    ResultOrder,
    /// `queryMyOrderNoComplete`: resolve an order that may exist.
    NoComplete,
    /// `login/checkUser` while waiting for tickets, at most every few minutes, so that the booking session does
    /// not lapse before the tickets come (PROTOCOL.md §1.3).
    KeepAlive,
    /// `passport/web/auth/uamtk`: the booking session lapsed; a new app token from the passport session.
    Uamtk,
    /// `otn/uamauthclient`: the booking session logged in again with that token.
    UamAuthClient,
    /// A ticket query for the newest date on sale, only to read the station's daily sale clock from its rows
    /// (field 55) when the task's date is still outside the pre-sale window (PROTOCOL.md §3.5, §7). Nothing is
    /// ever booked from its answer.
    SaleProbe,
    /// Waiting for a sale to open (`status().opensAt`): nothing is sent until the warm-up.
    SaleWait,
    /// `login/checkUser` about a minute before the opening: the booking session must be alive then (it is
    /// renewed silently if not, PROTOCOL.md §1.3).
    WarmUp,
    /// `login/conf` during the warm-up, a few times: the query path, the pre-sale window, and readings of
    /// 12306's clock (its `now`, and the HTTP `Date` of the answer).
    ClockProbe,
    /// `getPassengerDTOs` without the order page's token during the warm-up (PROTOCOL.md §5.4): the order at the
    /// opening then goes from the order page straight to checkOrderInfo.
    ReadPassengers,
}

impl Step {
    /// What the UI shows for the step.
    pub fn label(self) -> &'static str {
        match self {
            Step::LoginConf => "检查登录状态",
            Step::Query => "查询余票",
            Step::CheckUser => "检查登录",
            Step::SubmitOrder => "提交预订",
            Step::InitDc => "打开订单页",
            Step::Passengers => "读取乘车人",
            Step::CheckOrder => "检查订单",
            Step::QueueCount => "查询排队人数",
            Step::RiskData => "读取订单页安全数据",
            Step::Confirm => "确认订单",
            Step::QueueWait => "排队等待",
            Step::ResultOrder => "获取订单结果",
            Step::NoComplete => "查询未完成订单",
            Step::KeepAlive => "保持登录",
            Step::Uamtk | Step::UamAuthClient => "自动续期登录",
            Step::SaleProbe => "查询起售时间",
            Step::SaleWait => "等待起售",
            Step::WarmUp => "起售前检查登录",
            Step::ClockProbe => "校准 12306 时钟",
            Step::ReadPassengers => "起售前读取乘车人",
        }
    }

    /// The steps of one order attempt, from checkUser to the confirm: a refusal at one of them ends the attempt.
    pub fn in_order_attempt(self) -> bool {
        (Step::CheckUser..=Step::Confirm).contains(&self)
    }

    /// Steps whose answer is an order-page call that can be repeated as-is after a hiccup (same token).
    pub fn retries_in_place(self) -> bool {
        matches!(
            self,
            Step::Passengers
                | Step::CheckOrder
                | Step::QueueCount
                | Step::QueueWait
                | Step::ResultOrder
                | Step::NoComplete
                | Step::Uamtk
                | Step::UamAuthClient
        )
    }
}
