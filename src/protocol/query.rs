//! The ticket query: building its URL and parsing its answer (PROTOCOL.md §3.3–§3.4).

use crate::error::{parse_json_body, ParseError};
use crate::query_path;
use crate::train::{parse_row, Train};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// What to query. Station values are telecodes (`SHH`), not names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryParams {
    /// Travel date `YYYY-MM-DD`.
    pub date: String,
    /// Boarding station telecode.
    pub from: String,
    /// Alighting station telecode.
    pub to: String,
    /// `purpose_codes`: `ADULT`, or `0X00` for student tickets.
    pub purpose: String,
}

/// The path and query string of a ticket query, e.g.
/// `/otn/leftTicket/queryG?leftTicketDTO.train_date=2024-04-22&leftTicketDTO.from_station=SHH&leftTicketDTO.to_station=CZH&purpose_codes=ADULT`.
///
/// `path` is the current query path (`leftTicket/queryG`, see [`crate::query_path`]); a leading `/` or `/otn/`
/// is tolerated. Values are %-encoded (they are plain ASCII in practice, so normally unchanged).
pub fn query_url(path: &str, params: &QueryParams) -> String {
    let path = path.trim().trim_start_matches('/');
    let path = path.strip_prefix("otn/").unwrap_or(path);
    format!(
        "/otn/{path}?leftTicketDTO.train_date={}&leftTicketDTO.from_station={}&leftTicketDTO.to_station={}&purpose_codes={}",
        encode(&params.date),
        encode(&params.from),
        encode(&params.to),
        encode(&params.purpose)
    )
}

/// %-encodes everything except RFC 3986 unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A row of `data.result` that could not be parsed; the other rows are still returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRow {
    /// Position in `data.result`.
    pub index: usize,
    /// Why it was skipped.
    pub error: ParseError,
}

/// The meaning of a query answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueryAnswer {
    /// The trains found (possibly none).
    Trains {
        /// Parsed rows in server order.
        trains: Vec<Train>,
        /// `data.map`: telecode → station name for every telecode in the rows.
        map: BTreeMap<String, String>,
        /// Rows that did not parse (reported, not fatal).
        skipped_rows: Vec<SkippedRow>,
    },
    /// The query path moved (`{"status":false,"c_url":"leftTicket/query",…}`): query again at `c_url`.
    /// The value is the path alone, read with [`query_path::from_c_url`] (a query string the server appended is
    /// dropped) and checked with [`query_path::is_valid`].
    Moved {
        /// The new query path, e.g. `leftTicket/query`.
        c_url: String,
    },
    /// The server refused or failed the query (`status:false`, or no result), with its messages verbatim
    /// (e.g. `…不在预售日期范围内`, `查询失败`, `非法请求`, or the bare rate-limit text).
    Failed {
        /// The messages (may be empty).
        messages: Vec<String>,
    },
}

/// Parses a ticket query answer. HTML (login page), empty and truncated bodies are errors of their own kind;
/// a JSON answer always yields a [`QueryAnswer`] unless its shape is unrecognisable. The one non-JSON answer
/// that is not an error is 12306's bare rate-limit text (`网络可能存在问题，请您重试一下！`, PROTOCOL.md §6/§7):
/// it comes back as [`QueryAnswer::Failed`] with that text as the message, which
/// [`crate::outcome::classify_message`] reads as [`crate::outcome::Reason::RateLimited`].
pub fn parse_query(body: &str) -> Result<QueryAnswer, ParseError> {
    if let Some(text) = crate::outcome::http::rate_limit_text(body) {
        return Ok(QueryAnswer::Failed {
            messages: vec![text.to_owned()],
        });
    }
    let v = parse_json_body(body)?;
    let Value::Object(obj) = &v else {
        return Err(ParseError::shape("query answer is not a JSON object"));
    };
    if let Some(c_url) = obj.get("c_url").and_then(Value::as_str) {
        let Some(path) = query_path::from_c_url(c_url) else {
            return Err(ParseError::shape(format!(
                "unexpected c_url {:?}",
                crate::error::prefix(c_url.trim(), 80)
            )));
        };
        return Ok(QueryAnswer::Moved { c_url: path });
    }
    let messages = messages_of(obj.get("messages"));
    // An absent status counts as success when rows are present (older answers); only an explicit false fails.
    let status_ok = obj.get("status").and_then(Value::as_bool) != Some(false);
    let result = obj
        .get("data")
        .and_then(|d| d.get("result"))
        .and_then(Value::as_array);
    let (true, Some(result)) = (status_ok, result) else {
        return Ok(QueryAnswer::Failed { messages });
    };
    let map = obj
        .get("data")
        .and_then(|d| d.get("map"))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let mut trains = Vec::with_capacity(result.len());
    let mut skipped_rows = Vec::new();
    for (index, row) in result.iter().enumerate() {
        let parsed = match row.as_str() {
            Some(s) => parse_row(s),
            None => Err(ParseError::shape("row is not a string")),
        };
        match parsed {
            Ok(t) => trains.push(t),
            Err(error) => skipped_rows.push(SkippedRow { index, error }),
        }
    }
    Ok(QueryAnswer::Trains {
        trains,
        map,
        skipped_rows,
    })
}

/// `messages` is an array of strings in most answers but a plain string (`""`) in query answers.
pub(crate) fn messages_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|m| match m {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_url() {
        let p = QueryParams {
            date: "2024-04-22".into(),
            from: "SHH".into(),
            to: "CZH".into(),
            purpose: "0X00".into(),
        };
        assert_eq!(
            query_url("leftTicket/queryG", &p),
            "/otn/leftTicket/queryG?leftTicketDTO.train_date=2024-04-22&leftTicketDTO.from_station=SHH&leftTicketDTO.to_station=CZH&purpose_codes=0X00"
        );
        assert!(query_url("/otn/leftTicket/query", &p).starts_with("/otn/leftTicket/query?"));
    }

    #[test]
    fn moved_and_failed() {
        assert_eq!(
            parse_query(r#"{"status":false,"c_url":"leftTicket/query","c_name":"CLeftTicketUrl"}"#)
                .unwrap(),
            QueryAnswer::Moved {
                c_url: "leftTicket/query".into()
            }
        );
        assert!(parse_query(r#"{"status":false,"c_url":"../evil"}"#).is_err());
        // PROTOCOL.md §3.1: a c_url may carry a query string (YUNYING keeps the part before `?`).
        assert_eq!(
            parse_query(r#"{"status":false,"c_url":"leftTicket/queryG?leftTicketDTO.train_date=2026-10-01","c_name":"CLeftTicketUrl"}"#)
                .unwrap(),
            QueryAnswer::Moved {
                c_url: "leftTicket/queryG".into()
            }
        );
        assert!(
            parse_query(r#"{"status":false,"c_url":"http://evil/leftTicket/queryG?x"}"#).is_err()
        );
        assert_eq!(
            parse_query(r#"{"status":false,"messages":["查询失败"]}"#).unwrap(),
            QueryAnswer::Failed {
                messages: vec!["查询失败".into()]
            }
        );
        assert!(matches!(
            parse_query(r#"{"data":{"result":[]}}"#).unwrap(),
            QueryAnswer::Trains { .. }
        ));
        assert_eq!(
            parse_query(r#"{"status":false,"data":{"result":[]}}"#).unwrap(),
            QueryAnswer::Failed { messages: vec![] }
        );
        assert_eq!(
            parse_query(r#"{"status":true,"messages":["非法请求"],"data":{}}"#).unwrap(),
            QueryAnswer::Failed {
                messages: vec!["非法请求".into()]
            }
        );
    }

    #[test]
    fn the_bare_rate_limit_text_is_an_answer() {
        // PROTOCOL.md §6/§7: in 2026 a query flood gets this text alone instead of JSON.
        assert_eq!(
            parse_query("网络可能存在问题，请您重试一下！\n").unwrap(),
            QueryAnswer::Failed {
                messages: vec!["网络可能存在问题，请您重试一下！".into()]
            }
        );
        assert!(
            parse_query("something else").is_err(),
            "other text stays an error"
        );
    }
}
