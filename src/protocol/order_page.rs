//! The order page returned by `POST /otn/confirmPassenger/initDc` (PROTOCOL.md §5.3): the repeat-submit token
//! and the train/ticket data the rest of the booking flow echoes back.
//!
//! The data sits in script variables written as single-quoted JavaScript literals
//! (`var ticketInfoForPassengerForm={'key_check_isChange':'…',…};`); they are parsed with [`crate::js_literal`],
//! a real tokenizer, so quotes and escapes inside values cannot corrupt the result.

use crate::error::{check_body, ParseError, ParseErrorKind};
use crate::js_literal::{find_var, find_var_source, parse_value};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// Everything the booking flow needs from the order page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderPage {
    /// `globalRepeatSubmitToken` (`REPEAT_SUBMIT_TOKEN` of every later order-page call).
    pub token: String,
    /// `ticketInfoForPassengerForm.key_check_isChange`.
    pub key_check_is_change: String,
    /// `leftTicketStr` (%-encoded; send as the logical value, it gets encoded again on the wire).
    pub left_ticket_str: String,
    /// `train_location` (e.g. `H1`).
    pub train_location: String,
    /// `purpose_codes` of the order page (`00` adult, `0X00` student).
    pub purpose_codes: String,
    /// `tour_flag` (`dc` single trip).
    pub tour_flag: String,
    /// `maxTicketNum`.
    pub max_ticket_num: Option<u32>,
    /// `isAsync == "1"`: queue mode (getQueueCount + confirmSingleForQueue).
    pub is_async: bool,
    /// `leftDetails`, e.g. `一等座( ¥96.0元 6.7折)8张票`.
    pub left_details: Vec<String>,
    /// `limitBuySeatTicketDTO.seat_type_codes`: seat codes this order may use.
    pub seat_type_codes: Vec<String>,
    /// `limitBuySeatTicketDTO.ticket_seat_codeMap`: ticket type code → seat codes allowed for it.
    pub ticket_seat_codes: BTreeMap<String, Vec<String>>,
    /// `queryLeftTicketRequestDTO.train_no`.
    pub train_no: String,
    /// `queryLeftTicketRequestDTO.station_train_code`.
    pub station_train_code: String,
    /// `queryLeftTicketRequestDTO.from_station` (telecode).
    pub from_telecode: String,
    /// `queryLeftTicketRequestDTO.to_station` (telecode).
    pub to_telecode: String,
    /// `queryLeftTicketRequestDTO.from_station_name`.
    pub from_station_name: String,
    /// `queryLeftTicketRequestDTO.to_station_name`.
    pub to_station_name: String,
    /// `queryLeftTicketRequestDTO.from_station_no`.
    pub from_station_no: String,
    /// `queryLeftTicketRequestDTO.to_station_no`.
    pub to_station_no: String,
    /// `queryLeftTicketRequestDTO.train_date` (`YYYYMMDD`).
    pub train_date: String,
    /// `queryLeftTicketRequestDTO.start_time` (`HH:MM`).
    pub start_time: String,
    /// `queryLeftTicketRequestDTO.arrive_time` (`HH:MM`).
    pub arrive_time: String,
    /// `queryLeftTicketRequestDTO.seat_types`.
    pub seat_types: String,
    /// `queryLeftTicketRequestDTO.ypInfoDetail` (the `leftTicket` of getQueueCount).
    pub yp_info_detail: String,
    /// `queryLeftTicketRequestDTO.bed_level_info`.
    pub bed_level_info: String,
    /// `queryLeftTicketRequestDTO.dw_flag`.
    pub dw_flag: String,
    /// `orderRequestDTO.train_date.time`: travel date as epoch milliseconds (midnight Beijing time); the
    /// getQueueCount `train_date` string is made from it.
    pub train_date_ms: Option<i64>,
    /// `init_limit_ticket_num`: most passengers per order (9 in 2024, 5 in 2018).
    pub limit_ticket_num: Option<u32>,
    /// `if_check_slide_passcode == "1"`: the page demands the slider before checkOrderInfo.
    pub slide_required: bool,
    /// `queryOrderWaitTimeInterval` (ms between queue polls the page itself uses; `3000` in 2024).
    pub wait_time_interval_ms: Option<u32>,
    /// `isDw == "Y"`: a 动卧 (EMU sleeper) order page with compartment choices.
    pub is_dw: bool,
    /// `var is_jy = 'Y'`: the page offers the 静音车厢 (quiet carriage) box (PROTOCOL.md §5.8; `'N'` in the 2024 and
    /// 2025 pages).
    #[serde(default)]
    pub quiet_carriage: bool,
    /// The page's `var dw_flag` (`0,0,0,0,z,0,z`; part 3 `S` = a 1+1 商务座 layout, PROTOCOL.md §5.3, §5.8), or
    /// `queryLeftTicketRequestDTO.dw_flag` when the variable is missing.
    #[serde(default)]
    pub page_dw_flag: String,
}

/// Why the order page could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderPageError {
    /// The booking session is gone: the passport page (`globalRepeatSubmitToken = null`) came back instead.
    SessionLost,
    /// The 12306 error page (`<div … id="ERROR">系统忙，请稍后重试</div>`); `message` is its text.
    SystemBusy {
        /// The error text shown by the page.
        message: String,
    },
    /// Anything else: not an order page, or its data is malformed.
    Parse(ParseError),
}

impl fmt::Display for OrderPageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrderPageError::SessionLost => {
                f.write_str("session lost (login page instead of the order page)")
            }
            OrderPageError::SystemBusy { message } => write!(f, "system busy: {message}"),
            OrderPageError::Parse(e) => write!(f, "order page: {e}"),
        }
    }
}

impl std::error::Error for OrderPageError {}

impl From<ParseError> for OrderPageError {
    fn from(e: ParseError) -> Self {
        OrderPageError::Parse(e)
    }
}

/// Parses the initDc HTML.
pub fn parse_order_page(html: &str) -> Result<OrderPage, OrderPageError> {
    let page = check_body(html)?;
    let token = match find_var(page, "globalRepeatSubmitToken") {
        Some(Ok(Value::String(t))) if !t.trim().is_empty() => Some(t.trim().to_string()),
        Some(Ok(Value::Null)) => None,
        Some(Ok(_)) => {
            return Err(ParseError::shape("globalRepeatSubmitToken is not a string").into())
        }
        Some(Err(e)) => return Err(e.into()),
        None => None,
    };
    let form = find_var(page, "ticketInfoForPassengerForm");
    if form.is_none() {
        if let Some(message) = error_div(page) {
            return Err(OrderPageError::SystemBusy { message });
        }
    }
    let Some(token) = token else {
        // A page with a null token (or no token and no order data) is the login page the server sends instead.
        if form.is_none()
            && (find_var_source(page, "globalRepeatSubmitToken").is_some()
                || page.contains("passport"))
        {
            return Err(OrderPageError::SessionLost);
        }
        return Err(ParseError::missing("globalRepeatSubmitToken").into());
    };
    let form = match form {
        Some(Ok(Value::Object(o))) => Value::Object(o),
        Some(Ok(_)) => {
            return Err(ParseError::shape("ticketInfoForPassengerForm is not an object").into())
        }
        Some(Err(e)) => return Err(e.into()),
        None => return Err(ParseError::missing("ticketInfoForPassengerForm").into()),
    };
    let req = form
        .get("queryLeftTicketRequestDTO")
        .unwrap_or(&Value::Null);
    let limit = form.get("limitBuySeatTicketDTO").unwrap_or(&Value::Null);
    let order_dto = match find_var(page, "orderRequestDTO") {
        Some(Ok(v @ Value::Object(_))) => v,
        _ => form.get("orderRequestDTO").cloned().unwrap_or(Value::Null),
    };

    let out = OrderPage {
        token,
        key_check_is_change: required(&form, "key_check_isChange")?,
        left_ticket_str: required(&form, "leftTicketStr")?,
        train_location: text(&form, "train_location"),
        purpose_codes: text(&form, "purpose_codes"),
        tour_flag: text(&form, "tour_flag"),
        max_ticket_num: text(&form, "maxTicketNum").trim().parse().ok(),
        is_async: text(&form, "isAsync") == "1",
        left_details: strings(form.get("leftDetails")),
        seat_type_codes: ids(limit.get("seat_type_codes")),
        ticket_seat_codes: limit
            .get("ticket_seat_codeMap")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), ids(Some(v)))).collect())
            .unwrap_or_default(),
        train_no: required_in(req, "train_no")?,
        station_train_code: required_in(req, "station_train_code")?,
        from_telecode: required_in(req, "from_station")?,
        to_telecode: required_in(req, "to_station")?,
        from_station_name: text(req, "from_station_name"),
        to_station_name: text(req, "to_station_name"),
        from_station_no: text(req, "from_station_no"),
        to_station_no: text(req, "to_station_no"),
        train_date: text(req, "train_date"),
        start_time: text(req, "start_time"),
        arrive_time: text(req, "arrive_time"),
        seat_types: text(req, "seat_types"),
        yp_info_detail: text(req, "ypInfoDetail"),
        bed_level_info: text(req, "bed_level_info"),
        dw_flag: text(req, "dw_flag"),
        train_date_ms: order_dto
            .get("train_date")
            .and_then(|d| d.get("time"))
            .and_then(Value::as_i64),
        limit_ticket_num: string_var(page, "init_limit_ticket_num")
            .and_then(|s| s.trim().parse().ok()),
        slide_required: string_var(page, "if_check_slide_passcode").as_deref() == Some("1"),
        wait_time_interval_ms: string_var(page, "queryOrderWaitTimeInterval")
            .and_then(|s| s.trim().parse().ok()),
        is_dw: string_var(page, "isDw").as_deref() == Some("Y"),
        quiet_carriage: string_var(page, "is_jy").as_deref() == Some("Y"),
        page_dw_flag: string_var(page, "dw_flag").unwrap_or_else(|| text(req, "dw_flag")),
    };
    Ok(out)
}

/// The text of the error page's `id="ERROR"` element, when present.
fn error_div(page: &str) -> Option<String> {
    let at = page
        .find("id=\"ERROR\"")
        .or_else(|| page.find("id='ERROR'"))?;
    let rest = page.get(at..)?;
    let start = rest.find('>')? + 1;
    let inner = rest.get(start..)?;
    let end = inner.find('<').unwrap_or(inner.len());
    let msg = inner.get(..end)?.trim();
    Some(if msg.is_empty() {
        "系统忙，请稍后重试".to_string()
    } else {
        msg.to_string()
    })
}

fn string_var(page: &str, name: &str) -> Option<String> {
    let src = find_var_source(page, name)?;
    match parse_value(src).ok()?.0 {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn text(o: &Value, key: &str) -> String {
    match o.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn required(form: &Value, key: &str) -> Result<String, ParseError> {
    let v = text(form, key);
    if v.is_empty() {
        return Err(ParseError::missing(key));
    }
    Ok(v)
}

fn required_in(req: &Value, key: &str) -> Result<String, ParseError> {
    let v = text(req, key);
    if v.is_empty() {
        return Err(ParseError::new(
            ParseErrorKind::Missing(format!("queryLeftTicketRequestDTO.{key}")),
            format!("missing field `queryLeftTicketRequestDTO.{key}`"),
        ));
    }
    Ok(v)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The `id`s of a list of `{'id':'M','value':'一等座',…}` entries.
fn ids(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get("id")?.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_page_and_null_token() {
        let busy = r#"<html><body><div class="tit error" id="ERROR">系统忙，请稍后重试</div></body></html>"#;
        assert_eq!(
            parse_order_page(busy),
            Err(OrderPageError::SystemBusy {
                message: "系统忙，请稍后重试".into()
            })
        );
        let lost = "<html><script>var globalRepeatSubmitToken = null;</script></html>";
        assert_eq!(parse_order_page(lost), Err(OrderPageError::SessionLost));
        let e = parse_order_page("").unwrap_err();
        assert!(matches!(
            e,
            OrderPageError::Parse(ParseError {
                kind: ParseErrorKind::Empty,
                ..
            })
        ));
        let e = parse_order_page("<html>nothing</html>").unwrap_err();
        assert!(matches!(
            e,
            OrderPageError::Parse(ParseError {
                kind: ParseErrorKind::Missing(_),
                ..
            })
        ));
    }
}
