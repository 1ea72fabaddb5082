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
    /// 候补: `afterNate/chechFace`, may the account submit 候补 (PROTOCOL.md §5.13)?
    HbFaceCheck,
    /// 候补: `afterNate/submitOrderRequest` with the trains × classes.
    HbSubmit,
    /// 候补: `afterNate/passengerInitApi`, the 候补 page's data.
    HbInit,
    /// 候补: `getPassengerDTOs` for the passengers' `allEncStr`.
    HbPassengers,
    /// 候补: `afterNate/getQueueNum`, shown.
    HbQueueNum,
    /// 候补: `afterNate/querySuccessRate`, shown.
    HbSuccessRate,
    /// 候补: `afterNate/confirmHB`: from here on a 候补 order may exist.
    HbConfirm,
    /// 候补: `afterNate/queryQueue` until the 候补 order exists.
    HbQueue,
    /// 候补: `afterNateOrder/queryUnHonourHOrder`: the 候补 order waits, or settling an uncertain confirmHB.
    HbWatch,
    /// 候补: `queryMyOrderNoComplete`: is the 候补 order fulfilled (an unpaid order)?
    HbNoComplete,
    /// 候补: `afterNateOrder/cancelWaitingHOrder`, after a direct ticket was booked.
    HbCancel,
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
            Step::HbFaceCheck => "候补：人证核验检查",
            Step::HbSubmit => "候补：提交候补车次",
            Step::HbInit => "候补：读取候补信息",
            Step::HbPassengers => "候补：读取乘车人",
            Step::HbQueueNum => "候补：查询候补人数",
            Step::HbSuccessRate => "候补：查询成功率",
            Step::HbConfirm => "候补：提交候补订单",
            Step::HbQueue => "候补：排队等待",
            Step::HbWatch => "候补：等待兑现",
            Step::HbNoComplete => "候补：查询兑现订单",
            Step::HbCancel => "候补：取消候补订单",
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
                | Step::HbInit
                | Step::HbPassengers
                | Step::HbQueue
                | Step::HbWatch
                | Step::HbNoComplete
        )
    }
}
