//! `queryOrderWaitTime` answers (PROTOCOL.md §5.9) → what the queue says and when to ask again.

use serde::{Deserialize, Serialize};

use super::json::{int, object, text, truthy};
use super::{NextStep, Outcome, Reason};

/// The page polls every `queryOrderWaitTimeInterval` (3000 ms) when the queue gives no estimate.
pub const DEFAULT_POLL_MS: u64 = 3000;

/// What one queue answer means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum WaitTime {
    /// `waitTime -1` with an `orderId`: the order exists.
    Placed {
        /// 12306's order number.
        order_id: String,
    },
    /// Still queued (`waitTime > 0`, `-100`, or `-1` without an id yet): ask again after `after_ms`.
    Waiting {
        /// When to ask again (ms from now).
        after_ms: u64,
        /// 12306's `waitTime` (s, or a negative code).
        wait_time_s: i64,
        /// People ahead (`waitCount`).
        wait_count: i64,
    },
    /// A definite "no order" (`-2` with a reason, `-3` cancelled, `-4` queue cancelled).
    Failed(Outcome),
    /// Another negative code: the official page sends the user to the unfinished orders; so does the machine.
    CheckOrders(Outcome),
    /// `queryOrderWaitTimeStatus:false` (or a login answer): the session is gone, the order state is unknown.
    SessionLost,
    /// Unreadable answer: the order state is unknown, poll again.
    Garbage,
}

/// Delay before the next poll for a positive `waitTime` (seconds), as the official page's `OrderQueueWaitTime`
/// timer does (PROTOCOL.md §5.9; `samples/official_passengerInfo.2018.js` lines 4245-4256): after an answer W it
/// asks again when its countdown from W reaches `W − d`, with `d = min(floor(W / 1.5), 60)`, that is about `d`
/// seconds later — never more than a minute, and never less than its 1 s tick.
pub fn poll_delay_ms(wait_time_s: i64) -> u64 {
    if wait_time_s <= 0 {
        return DEFAULT_POLL_MS;
    }
    let wait_s = u64::try_from(wait_time_s).unwrap_or(0);
    let d = (wait_s.saturating_mul(2) / 3).min(60);
    d.max(1).saturating_mul(1000)
}

/// Reads one queryOrderWaitTime body (after the HTTP checks); `train` is for blacklisting on "no tickets".
pub fn classify_wait_time(body: &str, train: &str) -> WaitTime {
    let Some(root) = object(body) else {
        return WaitTime::Garbage;
    };
    let Some(data) = root.get("data").filter(|d| d.is_object()) else {
        let msg = super::json::messages(&root);
        if !msg.is_empty() && super::classify_message(&msg) == Reason::SessionLost {
            return WaitTime::SessionLost;
        }
        return WaitTime::Garbage;
    };
    if data.get("queryOrderWaitTimeStatus").is_some()
        && !truthy(data.get("queryOrderWaitTimeStatus"))
    {
        return WaitTime::SessionLost;
    }
    let Some(wait_time) = int(data.get("waitTime")) else {
        return WaitTime::Garbage;
    };
    let wait_count = int(data.get("waitCount")).unwrap_or(0);
    let order_id = text(data.get("orderId"));
    let msg = text(data.get("msg"));
    match wait_time {
        -1 if !order_id.is_empty() => WaitTime::Placed { order_id },
        -1 | -100 | 0 => WaitTime::Waiting {
            after_ms: DEFAULT_POLL_MS,
            wait_time_s: wait_time,
            wait_count,
        },
        t if t > 0 => WaitTime::Waiting {
            after_ms: poll_delay_ms(t),
            wait_time_s: t,
            wait_count,
        },
        -2 => {
            if msg.is_empty() {
                WaitTime::Failed(Outcome::new(
                    Reason::QueueFailed,
                    NextStep::Requery,
                    "排队失败",
                ))
            } else {
                let mut outcome = Outcome::from_message(&msg, train);
                if outcome.reason == Reason::Unknown {
                    // A -2 is a definite failure even when the text is new: re-query, and show the text.
                    outcome.next = NextStep::Requery;
                }
                WaitTime::Failed(outcome)
            }
        }
        -3 => WaitTime::Failed(Outcome::new(
            Reason::OrderCancelled,
            NextStep::Stop,
            "订单已撤销",
        )),
        -4 => WaitTime::Failed(Outcome::new(
            Reason::QueueFailed,
            NextStep::Requery,
            "排队已取消",
        )),
        other => WaitTime::CheckOrders(Outcome::new(
            Reason::Unknown,
            NextStep::UnfinishedOrder,
            format!("queue code {other} {msg}").trim().to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(data: &str) -> String {
        format!("{{\"status\":true,\"httpstatus\":200,\"data\":{data},\"messages\":[]}}")
    }

    #[test]
    fn delay_follows_the_page() {
        // PROTOCOL.md §5.9: W=4 → 2 s, W=30 → 20 s, W ≥ 90 → 60 s, W=1 → the next 1 s tick.
        assert_eq!(poll_delay_ms(4), 2000);
        assert_eq!(poll_delay_ms(1), 1000);
        assert_eq!(poll_delay_ms(30), 20_000);
        assert_eq!(poll_delay_ms(90), 60_000);
        // A 600 s estimate is asked about again after a minute, not after 540 s.
        assert_eq!(poll_delay_ms(600), 60_000);
        assert_eq!(poll_delay_ms(22451), 60_000);
        assert_eq!(poll_delay_ms(-100), DEFAULT_POLL_MS);
        assert_eq!(poll_delay_ms(i64::MAX), 60_000);
    }

    #[test]
    fn captured_sequence() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/12306/samples/queryOrderWaitTime.2024-04.sequence.json"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            return;
        };
        let seq: serde_json::Value = serde_json::from_str(&text).expect("sample is JSON");
        let got: Vec<WaitTime> = seq
            .as_array()
            .expect("array")
            .iter()
            .map(|e| classify_wait_time(&e["response"].to_string(), "G7784"))
            .collect();
        assert!(matches!(
            got[0],
            WaitTime::Waiting {
                wait_time_s: -100,
                ..
            }
        ));
        assert!(matches!(
            got[1],
            WaitTime::Waiting {
                wait_time_s: 4,
                after_ms: 2000,
                ..
            }
        ));
        assert_eq!(
            got[2],
            WaitTime::Placed {
                order_id: "EH12506279".into()
            }
        );
    }

    #[test]
    fn every_code() {
        assert_eq!(
            classify_wait_time(
                &q("{\"queryOrderWaitTimeStatus\":true,\"waitTime\":-1,\"orderId\":\"E1\"}"),
                "G1"
            ),
            WaitTime::Placed {
                order_id: "E1".into()
            }
        );
        assert!(matches!(
            classify_wait_time(
                &q("{\"queryOrderWaitTimeStatus\":true,\"waitTime\":-1,\"orderId\":null}"),
                "G1"
            ),
            WaitTime::Waiting { .. }
        ));
        assert_eq!(
            classify_wait_time(&q("{\"queryOrderWaitTimeStatus\":false}"), "G1"),
            WaitTime::SessionLost
        );
        let WaitTime::Failed(o) = classify_wait_time(
            &q("{\"queryOrderWaitTimeStatus\":true,\"waitTime\":-2,\"msg\":\"没有足够的票!\"}"),
            "G1",
        ) else {
            panic!("-2 fails")
        };
        assert_eq!(
            o.next,
            NextStep::Blacklist {
                train: "G1".into(),
                ms: super::super::BLACKLIST_MS
            }
        );
        let WaitTime::Failed(o) = classify_wait_time(
            &q("{\"queryOrderWaitTimeStatus\":true,\"waitTime\":-2,\"msg\":\"新的说法\"}"),
            "G1",
        ) else {
            panic!("-2 fails")
        };
        assert_eq!(
            (o.reason, o.next, o.message.as_str()),
            (Reason::Unknown, NextStep::Requery, "新的说法")
        );
        let WaitTime::Failed(o) = classify_wait_time(
            &q("{\"queryOrderWaitTimeStatus\":true,\"waitTime\":-2,\"msg\":\"对不起，由于您取消次数过多，今日将不能继续受理您的订票请求。\"}"),
            "G1",
        ) else {
            panic!("-2 fails")
        };
        assert_eq!(o.next, NextStep::Stop);
        assert!(matches!(
            classify_wait_time(&q("{\"waitTime\":-3}"), "G1"),
            WaitTime::Failed(Outcome {
                reason: Reason::OrderCancelled,
                ..
            })
        ));
        assert!(matches!(
            classify_wait_time(&q("{\"waitTime\":-4}"), "G1"),
            WaitTime::Failed(Outcome {
                next: NextStep::Requery,
                ..
            })
        ));
        assert!(matches!(
            classify_wait_time(&q("{\"waitTime\":-7}"), "G1"),
            WaitTime::CheckOrders(_)
        ));
        assert_eq!(classify_wait_time("<html>", "G1"), WaitTime::Garbage);
        assert_eq!(
            classify_wait_time(&q("{\"count\":0}"), "G1"),
            WaitTime::Garbage
        );
        assert_eq!(
            classify_wait_time("{\"status\":false,\"messages\":[\"用户未登录\"]}", "G1"),
            WaitTime::SessionLost
        );
    }
}
