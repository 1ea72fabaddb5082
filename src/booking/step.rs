//! The steps of the flow, in order (PROTOCOL.md §1 #1, §3, §5).

use serde::{Deserialize, Serialize};

/// One step of the booking flow; the machine is always at exactly one. Ordered as the flow goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    /// `confirmSingleForQueue`: from here on an order may exist.
    Confirm,
    /// `queryOrderWaitTime` polling.
    QueueWait,
    /// `resultOrderForDcQueue`.
    ResultOrder,
    /// `queryMyOrderNoComplete`: resolve an order that may exist.
    NoComplete,
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
            Step::Confirm => "确认订单",
            Step::QueueWait => "排队等待",
            Step::ResultOrder => "获取订单结果",
            Step::NoComplete => "查询未完成订单",
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
        )
    }
}
