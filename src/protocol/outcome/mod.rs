//! Every answer of the flow → a typed outcome with what to do next (PROTOCOL.md §5, §6, §7).
//!
//! Three layers: [`http`] looks at the transport (status, redirects, HTML instead of JSON), [`message`] maps the
//! human-readable messages 12306 returns to a [`Reason`], and [`steps`] / [`queue`] / [`no_complete`] read the
//! JSON of each endpoint. Messages nobody recognises are kept verbatim ([`Reason::Unknown`]) so that the user
//! sees them.

pub mod http;
pub mod message;
pub mod no_complete;
pub mod queue;
pub mod steps;
pub mod waitlist;

mod json;

use serde::{Deserialize, Serialize};

pub use http::classify_http;
pub use message::classify_message;
pub use no_complete::{parse_no_complete, NoComplete, PendingOrder};
pub use queue::{classify_wait_time, WaitTime};

/// How long a train stays out of the running after "no tickets" / "queue longer than tickets" (TS: 5 min).
pub const BLACKLIST_MS: u64 = 5 * 60 * 1000;

/// What the booking machine should do after an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum NextStep {
    /// The step succeeded; go on.
    Continue,
    /// Try the same step again after this many ms (queue polling, transient hiccups).
    RetryAfter {
        /// Delay (ms).
        ms: u64,
    },
    /// Overload or blocking: wait with growing back-off, then go back to querying.
    BackOff,
    /// The ticket data is stale or the train no longer fits: query again.
    Requery,
    /// Leave this train out for a while and query again.
    Blacklist {
        /// Train code.
        train: String,
        /// For how long (ms).
        ms: u64,
    },
    /// Nothing automatic helps: stop and show the message to the user.
    Stop,
    /// The session is gone: the user has to log in again.
    Login,
    /// An order exists or may exist: resolve it through queryMyOrderNoComplete before anything else.
    UnfinishedOrder,
    /// The order is placed.
    OrderPlaced {
        /// 12306's order number.
        order_id: String,
    },
}

/// Why an answer ended up where it did. Serialised with the original message next to it in [`Outcome`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Reason {
    /// The answer is a success.
    Ok,
    /// 车票信息已过期: the secretStr is stale.
    StaleTicket,
    /// 您还有未处理的订单.
    UnfinishedOrder,
    /// No tickets left (余票不足, 没有足够的票, 实时余票无票, ticket count 0).
    SoldOut,
    /// 目前排队人数已经超过余票张数 (`op_2`).
    QueueExceedsTickets,
    /// 您选择了N位乘车人，但本次列车X仅剩M张 (`checkSeatNum`).
    NotEnoughSeats,
    /// 该车次暂不办理业务.
    TrainNotBookable,
    /// 系统繁忙, 当前提交订单用户过多, 网络繁忙, … or a busy redirect.
    Busy,
    /// 您的操作频率过快 or HTTP 503.
    TooFast,
    /// 网络可能存在问题，请您重试一下！: 12306 throttles this client after a query flood (in 2026 the whole answer
    /// is that text, PROTOCOL.md §6/§7). Needs a longer pause than [`Reason::TooFast`].
    RateLimited,
    /// 非法请求 / 第三方: the server suspects a bot.
    Suspected,
    /// 用户未登录, `isRelogin`, `queryOrderWaitTimeStatus:false`, checkUser flag false, redirect to passport.
    SessionLost,
    /// 不在预售日期范围内.
    NotOnSale,
    /// 取消次数过多: no more bookings today.
    CancelLimit,
    /// 行程冲突 / 已购买: a passenger already has a ticket for this trip.
    TripConflict,
    /// Identity check pending or failed (证件信息…, 人证一致性核验, `isNoActive`, 608 dialog).
    IdentityCheck,
    /// 验证码 / slider demanded.
    Captcha,
    /// 参数不正确: 12306 says the request's fields are wrong (an outdated field set, PROTOCOL.md §5.13, §6);
    /// sending it again cannot help.
    BadRequest,
    /// 出票失败: generic failure, usually stale passenger or ticket data.
    IssueFailed,
    /// 订单已撤销 (queue `-3`).
    OrderCancelled,
    /// Queue cancelled / nothing queued (`-4`, or a failure without a message).
    QueueFailed,
    /// Informational warning (close to departure, …); not an error.
    Notice,
    /// HTTP 403: IP blocked.
    IpBlocked,
    /// HTTP 405 and other odd statuses.
    HttpStatus(u16),
    /// 5xx.
    ServerError(u16),
    /// 200 with nothing in it.
    EmptyBody,
    /// HTML where JSON was expected (error or login page).
    Html,
    /// The order page (initDc) landed on the error page right after a successful submitOrderRequest: 12306
    /// refuses to show this client the order page (PROTOCOL.md §5.3; py12306 #535/#536, 2026-03), which
    /// retrying the same way does not fix.
    OrderPageRefused,
    /// JSON of an unexpected shape, or not JSON at all.
    Garbage,
    /// A message nobody recognised; it is in [`Outcome::message`] verbatim.
    Unknown,
}

/// The classification of one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// What the answer means.
    pub reason: Reason,
    /// What the machine should do about it.
    pub next: NextStep,
    /// The server's message (or a short description of a transport-level failure), as text fit to show: tags
    /// removed, personal numbers masked, at most 300 characters ([`super::text::for_user`]).
    pub message: String,
}

impl Outcome {
    /// Success: go on with the next step.
    pub fn ok() -> Outcome {
        Outcome {
            reason: Reason::Ok,
            next: NextStep::Continue,
            message: String::new(),
        }
    }

    /// An outcome with an explicit next step (when the reason's default does not fit).
    pub fn new(reason: Reason, next: NextStep, message: impl Into<String>) -> Outcome {
        Outcome {
            reason,
            next,
            message: super::text::for_user(&message.into()),
        }
    }

    /// An outcome from a server message, with the train to blacklist if the message calls for it.
    pub fn from_message(message: &str, train: &str) -> Outcome {
        let reason = classify_message(message);
        let next = reason.default_next(train);
        Outcome {
            reason,
            next,
            message: super::text::for_user(message),
        }
    }

    /// True when the flow simply continues.
    pub fn is_ok(&self) -> bool {
        self.next == NextStep::Continue
    }
}

impl Reason {
    /// True when this refusal, as the answer to `confirmSingleForQueue`, means that no order was made.
    ///
    /// Only answers about tickets, the train and the passengers' eligibility qualify (余票不足, 排队人数现已超过余票数,
    /// 行程冲突, 取消次数过多, identity checks): 12306 checked the request and said no. Anything else —
    /// busy, too fast, unknown texts, HTML, 车票信息已过期 (what a silently resent confirm meets after its first
    /// copy used the token, PROTOCOL.md §5.8), 出票失败, 您的请求已在处理中 (§6) — may come after 12306 took the
    /// order, so the order may exist until the queue and the order list settle it.
    pub fn confirm_refusal_means_no_order(&self) -> bool {
        matches!(
            self,
            Reason::SoldOut
                | Reason::QueueExceedsTickets
                | Reason::NotEnoughSeats
                | Reason::TrainNotBookable
                | Reason::NotOnSale
                | Reason::TripConflict
                | Reason::CancelLimit
                | Reason::IdentityCheck
        )
    }

    /// True for refusals that say something about this booking (a text 12306 means, an order page that will
    /// not open), as opposed to overload and transport trouble (busy, too fast, 5xx, unreadable answers,
    /// blocking). The same refusal at the same step, attempt after attempt, pauses the task: retrying cannot
    /// fix it and the user should see it. Overload is only waited out.
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            Reason::Ok
                | Reason::Notice
                | Reason::Busy
                | Reason::TooFast
                | Reason::IpBlocked
                | Reason::ServerError(_)
                | Reason::EmptyBody
                | Reason::Garbage
        )
    }

    /// What to do by default for this reason; `train` is the train the answer is about (may be empty).
    pub fn default_next(&self, train: &str) -> NextStep {
        let blacklist = || NextStep::Blacklist {
            train: train.to_owned(),
            ms: BLACKLIST_MS,
        };
        match self {
            Reason::Ok | Reason::Notice => NextStep::Continue,
            Reason::StaleTicket | Reason::NotOnSale | Reason::IssueFailed | Reason::QueueFailed => {
                NextStep::Requery
            }
            Reason::UnfinishedOrder => NextStep::UnfinishedOrder,
            Reason::SoldOut
            | Reason::QueueExceedsTickets
            | Reason::NotEnoughSeats
            | Reason::TrainNotBookable => {
                if train.is_empty() {
                    NextStep::Requery
                } else {
                    blacklist()
                }
            }
            Reason::Busy
            | Reason::TooFast
            | Reason::Suspected
            | Reason::IpBlocked
            | Reason::HttpStatus(_)
            | Reason::ServerError(_)
            | Reason::EmptyBody
            | Reason::Html
            | Reason::OrderPageRefused
            | Reason::Garbage
            | Reason::Unknown => NextStep::BackOff,
            Reason::RateLimited => NextStep::RetryAfter {
                ms: http::RATE_LIMIT_PAUSE_MS,
            },
            Reason::SessionLost => NextStep::Login,
            Reason::BadRequest
            | Reason::CancelLimit
            | Reason::TripConflict
            | Reason::IdentityCheck
            | Reason::Captcha
            | Reason::OrderCancelled => NextStep::Stop,
        }
    }
}
