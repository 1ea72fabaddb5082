//! The account as a UI shows it before any task runs: logged in or not (`POST /otn/login/conf`, PROTOCOL.md
//! §1.1 #1) and the passengers to choose from (`getPassengerDTOs`, §5.4). Both answers are read through the same
//! transport rules as the booking flow's ([`crate::outcome::classify_http`]: a redirect to the passport page, or
//! the login page instead of data, means logged out).

use serde::Serialize;

use crate::booking::DEFAULT_PRESALE_DAYS;
use crate::outcome::{classify_http, steps, NextStep};
use crate::passengers::parse_passengers;
use crate::query_path;
use crate::server_time::{beijing_day, conf_times, day_date};

/// What `login/conf` says about the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct LoginState {
    /// Logged in (`data.is_login`), logged out (that, or a redirect to the login page), or `None` when the
    /// answer does not say (busy, an error page, not JSON).
    pub logged_in: Option<bool>,
    /// The account holder's name (`data.name`), empty when not given.
    pub name: String,
    /// The query path the page would use (`data.queryUrl`), when it is a valid one.
    pub query_path: Option<String>,
    /// 12306's date today (`YYYY-MM-DD`, Beijing, from `data.now`): the earliest travel date a UI offers.
    pub today: Option<String>,
    /// The newest travel date whose sale opens by today (`today` + `other_control` − 1, 15 days when absent;
    /// PROTOCOL.md §7): a later date is outside the pre-sale window, and a task for it is scheduled for its
    /// opening ([`crate::booking`]'s sale plan), which a UI says.
    pub last_on_sale: Option<String>,
    /// The latest travel date a UI offers: [`LATER_DAYS`] after `last_on_sale` (a task waits that long at most
    /// for a sale that is not in the window yet).
    pub latest_date: Option<String>,
}

/// How many days past the pre-sale window a UI lets the user pick a date (its task is scheduled, not polled).
pub const LATER_DAYS: i64 = 30;

/// Reads a `login/conf` answer: HTTP status, the URL after redirects, the body.
pub fn login_state(status: u16, final_url: &str, body: &str) -> LoginState {
    let logged_in = match classify_http(status, final_url, body, false) {
        Some(outcome) => (outcome.next == NextStep::Login).then_some(false),
        None => steps::login_conf(body).ok(),
    };
    let name = crate::error::parse_json_body(body)
        .ok()
        .and_then(|v| {
            v.pointer("/data/name")
                .and_then(|n| n.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let times = conf_times(body);
    let today = times.now_ms.map(beijing_day);
    let window = i64::from(times.presale_days.unwrap_or(DEFAULT_PRESALE_DAYS));
    LoginState {
        logged_in,
        name,
        query_path: query_path::from_login_conf(body),
        today: today.map(day_date),
        last_on_sale: today.map(|d| day_date(d + window - 1)),
        latest_date: today.map(|d| day_date(d + window - 1 + LATER_DAYS)),
    }
}

/// A passenger of the account as a UI offers them: what a task names them by, and their record's type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PassengerChoice {
    /// The name as 12306 lists it.
    pub name: String,
    /// The ID number as 12306 lists it (masked).
    pub id_no: String,
    /// The ID type code (`1` = 居民身份证).
    pub id_type: String,
    /// The record's type (`1` adult, `2` child, `3` student, `4` disabled military): the ticket types it takes.
    pub passenger_type: String,
}

/// What a getPassengerDTOs answer gives a UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PassengerChoices {
    /// The passengers, in 12306's order (those without a name left out).
    Passengers {
        /// The passengers.
        passengers: Vec<PassengerChoice>,
    },
    /// The session is gone: log in first.
    LoginRequired,
    /// Anything else (busy, refused, unreadable), with what to show.
    Failed {
        /// 12306's text, or what was wrong with the answer.
        message: String,
    },
}

/// Reads a getPassengerDTOs answer: HTTP status, the URL after redirects, the body.
pub fn passenger_choices(status: u16, final_url: &str, body: &str) -> PassengerChoices {
    if let Some(outcome) = classify_http(status, final_url, body, false) {
        return if outcome.next == NextStep::Login {
            PassengerChoices::LoginRequired
        } else {
            PassengerChoices::Failed {
                message: outcome.message,
            }
        };
    }
    match parse_passengers(body) {
        Ok(list) => PassengerChoices::Passengers {
            passengers: list
                .passengers
                .into_iter()
                .filter(|p| !p.name.is_empty())
                .map(|p| PassengerChoice {
                    name: p.name,
                    id_no: p.id_no,
                    id_type: p.id_type,
                    passenger_type: p.passenger_type,
                })
                .collect(),
        },
        Err(err) => PassengerChoices::Failed {
            message: err.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONF_URL: &str = "https://kyfw.12306.cn/otn/login/conf";
    const PASSPORT: &str = "https://kyfw.12306.cn/otn/passport?redirect=/otn/login/userLogin";
    const ERROR_PAGE: &str = "https://www.12306.cn/mormhweb/logFiles/error.html";

    #[test]
    fn login_conf_says_logged_in_out_or_nothing() {
        let state = login_state(
            200,
            CONF_URL,
            r#"{"status":true,"data":{"is_login":"Y","name":"张三","queryUrl":"leftTicket/queryG"}}"#,
        );
        assert_eq!(
            state,
            LoginState {
                logged_in: Some(true),
                name: "张三".into(),
                query_path: Some("leftTicket/queryG".into()),
                today: None,
                last_on_sale: None,
                latest_date: None,
            }
        );
        let out = login_state(200, CONF_URL, r#"{"status":true,"data":{"is_login":"N"}}"#);
        assert_eq!((out.logged_in, out.name.as_str()), (Some(false), ""));
        assert_eq!(login_state(302, PASSPORT, "").logged_in, Some(false));
        // The login page instead of data is logged out too.
        let page = r#"<html><script>var globalRepeatSubmitToken = null;</script></html>"#;
        assert_eq!(login_state(200, CONF_URL, page).logged_in, Some(false));
        for (status, url, body) in [
            (302, ERROR_PAGE, ""),
            (200, CONF_URL, "not json"),
            (200, CONF_URL, r#"{"status":true,"data":{}}"#),
            (503, CONF_URL, ""),
        ] {
            assert_eq!(
                login_state(status, url, body).logged_in,
                None,
                "{url} {body}"
            );
        }
        assert_eq!(
            login_state(
                200,
                CONF_URL,
                r#"{"data":{"is_login":"Y","queryUrl":"../x"}}"#
            )
            .query_path,
            None
        );
    }

    #[test]
    fn login_conf_gives_the_dates_a_ui_offers() {
        // CAP24's `now` (2024-04-22 14:08 Beijing) and window (PROTOCOL.md §1.1 #1).
        let body =
            r#"{"status":true,"data":{"is_login":"Y","now":1713766098347,"other_control":15}}"#;
        let state = login_state(200, CONF_URL, body);
        assert_eq!(state.today.as_deref(), Some("2024-04-22"));
        assert_eq!(state.last_on_sale.as_deref(), Some("2024-05-06"));
        assert_eq!(state.latest_date.as_deref(), Some("2024-06-05"));
        // Just before Beijing midnight (15:59:59 UTC) it is still that day; a window of 30 as a string.
        let late = r#"{"data":{"now":"1713801599000","other_control":"30"}}"#;
        let state = login_state(200, CONF_URL, late);
        assert_eq!(state.today.as_deref(), Some("2024-04-22"));
        assert_eq!(state.last_on_sale.as_deref(), Some("2024-05-21"));
        // Without `now` nothing is said; without `other_control` the window is 15 days.
        let none = login_state(200, CONF_URL, r#"{"data":{"is_login":"Y"}}"#);
        assert_eq!(
            (none.today, none.last_on_sale, none.latest_date),
            (None, None, None)
        );
        let default = login_state(200, CONF_URL, r#"{"data":{"now":1713766098347}}"#);
        assert_eq!(default.last_on_sale.as_deref(), Some("2024-05-06"));
    }

    #[test]
    fn passengers_as_a_ui_offers_them() {
        let body = r#"{"status":true,"data":{"normal_passengers":[
            {"passenger_name":"张三","passenger_id_no":"1101***********012","passenger_id_type_code":"1","passenger_type":"1"},
            {"passenger_name":"","passenger_id_no":"x"},
            {"passenger_name":"陈同学","passenger_id_no":"3301***********018","passenger_id_type_code":"1","passenger_type":"3"}
        ]}}"#;
        let PassengerChoices::Passengers { passengers } = passenger_choices(200, CONF_URL, body)
        else {
            panic!("a list");
        };
        assert_eq!(
            passengers,
            vec![
                PassengerChoice {
                    name: "张三".into(),
                    id_no: "1101***********012".into(),
                    id_type: "1".into(),
                    passenger_type: "1".into()
                },
                PassengerChoice {
                    name: "陈同学".into(),
                    id_no: "3301***********018".into(),
                    id_type: "1".into(),
                    passenger_type: "3".into()
                },
            ]
        );
        assert_eq!(
            passenger_choices(302, PASSPORT, ""),
            PassengerChoices::LoginRequired
        );
        assert!(matches!(
            passenger_choices(200, CONF_URL, r#"{"status":false,"messages":["系统忙"]}"#),
            PassengerChoices::Failed { message } if message.contains("系统忙")
        ));
        assert!(matches!(
            passenger_choices(302, ERROR_PAGE, ""),
            PassengerChoices::Failed { .. }
        ));
    }
}
