//! `queryOrder/queryMyOrderNoComplete` (PROTOCOL.md §5.11): is there an unpaid or queued order, and is it ours?

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json::{int, object, text};
use super::{NextStep, Outcome, Reason};

/// One order 12306 still considers open.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PendingOrder {
    /// Order number (`sequence_no`); empty while the order is only queued.
    pub order_id: String,
    /// Train code, e.g. `G7784`.
    pub train: String,
    /// Travel date `YYYY-MM-DD`.
    pub date: String,
    /// Passenger names on the order.
    pub passengers: Vec<String>,
    /// `pay_limit_time` when 12306 gives one.
    pub pay_deadline: Option<String>,
    /// Seconds left in the queue for a queued order.
    pub wait_time_s: Option<i64>,
}

impl PendingOrder {
    /// Same train, same date and the same set of passenger names as the task: then this is our own earlier
    /// attempt that went through. A set, not a list: a child ticket on an adult's record repeats the adult's
    /// name in the task, and the order may list that name once or once per ticket.
    pub fn matches(&self, train: &str, date: &str, passengers: &[String]) -> bool {
        let mine: std::collections::BTreeSet<&str> =
            passengers.iter().map(String::as_str).collect();
        let theirs: std::collections::BTreeSet<&str> =
            self.passengers.iter().map(String::as_str).collect();
        self.train == train && self.date == date && mine == theirs
    }
}

/// What queryMyOrderNoComplete says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum NoComplete {
    /// Nothing open (`data: null`).
    Nothing,
    /// Unpaid orders (`to_page:"db"`, `orderDBList`).
    Unpaid {
        /// The unpaid orders.
        orders: Vec<PendingOrder>,
    },
    /// Still queued (`to_page:"cache"`, `orderCacheDTO`).
    Queued {
        /// The queued order (no order number yet).
        order: PendingOrder,
    },
}

fn date_part(s: &str) -> String {
    s.chars().take(10).collect()
}

fn non_empty(values: impl IntoIterator<Item = String>) -> Vec<String> {
    values.into_iter().filter(|s| !s.is_empty()).collect()
}

fn db_order(o: &Value) -> PendingOrder {
    let tickets: &[Value] = o
        .get("tickets")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let first = tickets.first();
    let mut train = text(o.get("train_code_page"));
    if train.is_empty() {
        train = text(first.and_then(|t| t.pointer("/stationTrainDTO/station_train_code")));
    }
    let mut date = date_part(&text(o.get("start_train_date_page")));
    if date.is_empty() {
        date = date_part(&text(first.and_then(|t| {
            t.get("train_date")
                .or_else(|| t.get("start_train_date_page"))
        })));
    }
    let mut passengers = non_empty(
        tickets
            .iter()
            .map(|t| text(t.pointer("/passengerDTO/passenger_name"))),
    );
    if passengers.is_empty() {
        let names = o.get("array_passser_name_page").and_then(Value::as_array);
        passengers = non_empty(names.into_iter().flatten().map(|n| text(Some(n))));
    }
    let deadline = text(
        first
            .and_then(|t| t.get("pay_limit_time"))
            .or_else(|| o.get("pay_limit_time")),
    );
    PendingOrder {
        order_id: text(o.get("sequence_no")),
        train,
        date,
        passengers,
        pay_deadline: (!deadline.is_empty()).then_some(deadline),
        wait_time_s: None,
    }
}

fn cache_order(c: &Value) -> PendingOrder {
    let tickets = c.get("tickets").and_then(Value::as_array);
    PendingOrder {
        order_id: text(c.get("orderId")),
        train: text(c.get("stationTrainCode")),
        date: date_part(&text(c.get("trainDate"))),
        passengers: non_empty(
            tickets
                .into_iter()
                .flatten()
                .map(|t| text(t.get("passengerName"))),
        ),
        pay_deadline: None,
        wait_time_s: int(c.get("waitTime")),
    }
}

/// Reads the answer (after the HTTP checks).
pub fn parse_no_complete(body: &str) -> Result<NoComplete, Outcome> {
    let garbage = || {
        Outcome::new(
            Reason::Garbage,
            NextStep::BackOff,
            "unexpected answer to queryMyOrderNoComplete",
        )
    };
    let root = object(body).ok_or_else(garbage)?;
    if !super::json::truthy(root.get("status")) {
        let msg = super::json::messages(&root);
        return Err(if msg.is_empty() {
            garbage()
        } else {
            Outcome::from_message(&msg, "")
        });
    }
    let Some(data) = root.get("data").filter(|d| d.is_object()) else {
        // `data: null` is how 12306 says there is nothing open.
        return Ok(NoComplete::Nothing);
    };
    if let Some(list) = data.get("orderDBList").and_then(Value::as_array) {
        if !list.is_empty() {
            return Ok(NoComplete::Unpaid {
                orders: list.iter().map(db_order).collect(),
            });
        }
    }
    if let Some(cache) = data.get("orderCacheDTO").filter(|c| c.is_object()) {
        return Ok(NoComplete::Queued {
            order: cache_order(cache),
        });
    }
    // "Nothing open" clears an order that may exist, so only the known shapes count as nothing: an empty object
    // or one that carries the order-list keys; anything else is an answer we do not understand.
    let known = ["orderDBList", "orderCacheDTO", "to_page"];
    let is_empty = data.as_object().is_none_or(|o| o.is_empty());
    if is_empty || known.iter().any(|k| data.get(k).is_some()) {
        Ok(NoComplete::Nothing)
    } else {
        Err(garbage())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_sample() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/12306/samples/queryMyOrderNoComplete.in-queue.2018-02.json"
        );
        let Ok(body) = std::fs::read_to_string(path) else {
            return;
        };
        let Ok(NoComplete::Queued { order }) = parse_no_complete(&body) else {
            panic!("queued")
        };
        assert_eq!(order.train, "G1821");
        assert_eq!(order.date, "2018-03-02");
        assert_eq!(order.passengers, vec!["张三".to_owned()]);
        assert_eq!(order.wait_time_s, Some(634));
        assert!(order.matches("G1821", "2018-03-02", &["张三".into()]));
        assert!(!order.matches("G1821", "2018-03-02", &["张三".into(), "李四".into()]));
        assert!(
            order.matches("G1821", "2018-03-02", &["张三".into(), "张三".into()]),
            "an adult and a child ticket on the adult's record"
        );
    }

    #[test]
    fn unpaid_and_nothing() {
        let body = r#"{"status":true,"data":{"orderDBList":[{"sequence_no":"EH12506279","train_code_page":"G7784",
            "start_train_date_page":"2024-04-25 07:58","array_passser_name_page":["张小三","李四"],
            "tickets":[{"pay_limit_time":"2024-04-22 15:02:46","passengerDTO":{"passenger_name":"张小三"}},
                       {"passengerDTO":{"passenger_name":"李四"}}]}],"to_page":"db"},"messages":[]}"#;
        let Ok(NoComplete::Unpaid { orders }) = parse_no_complete(body) else {
            panic!("unpaid")
        };
        assert_eq!(orders[0].order_id, "EH12506279");
        assert_eq!(
            orders[0].pay_deadline.as_deref(),
            Some("2024-04-22 15:02:46")
        );
        assert!(orders[0].matches("G7784", "2024-04-25", &["李四".into(), "张小三".into()]));
        assert_eq!(
            parse_no_complete(r#"{"status":true,"data":null,"messages":[]}"#),
            Ok(NoComplete::Nothing)
        );
        assert_eq!(
            parse_no_complete(r#"{"status":true,"data":{"to_page":"db","orderDBList":[]}}"#),
            Ok(NoComplete::Nothing)
        );
        assert!(parse_no_complete("[]").is_err());
        assert_eq!(
            parse_no_complete(r#"{"status":true,"data":{}}"#),
            Ok(NoComplete::Nothing)
        );
        assert!(parse_no_complete(r#"{"status":true,"data":{"waitTime":-100}}"#).is_err());
        assert_eq!(
            parse_no_complete(r#"{"status":false,"messages":["用户未登录"]}"#).map_err(|o| o.next),
            Err(NextStep::Login)
        );
    }

    #[test]
    fn passengers_match_as_a_set() {
        let order = PendingOrder {
            order_id: "E1".into(),
            train: "G2".into(),
            date: "2026-12-01".into(),
            passengers: vec!["张三".into(), "张三".into()],
            pay_deadline: None,
            wait_time_s: None,
        };
        assert!(order.matches("G2", "2026-12-01", &["张三".into(), "张三".into()]));
        assert!(order.matches("G2", "2026-12-01", &["张三".into()]));
        assert!(!order.matches("G2", "2026-12-01", &["张三".into(), "李四".into()]));
        assert!(!order.matches("G4", "2026-12-01", &["张三".into()]));
    }
}
