//! Scenarios: a JSON document (file given with `--scenario`, or the body of `POST /scenario`) that sets
//! the simulator's behaviour. Times are `after_ms` (relative to when the scenario was loaded) or `at_ms`
//! (absolute sim-clock epoch ms). Format and a worked example are in the README.

use std::collections::HashMap;

use serde::Deserialize;

/// The whole scenario; every field is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Current ticket-query path name (default `queryG`), e.g. `"queryZ"` or `"leftTicket/queryZ"`.
    pub query_path: Option<String>,
    /// Later renames of the query path.
    pub query_path_changes: Vec<PathChange>,
    /// How a query at a stale name is answered: `false` (default) the `c_url` JSON, `true` a 302 to the current
    /// name with the same query string (the 2025–2026 behaviour, PROTOCOL §3.1).
    pub query_redirect: bool,
    /// Fields per query row: 57 (default), 58 (2025 rows), or more ("extra fields", appended empty).
    pub row_fields: Option<usize>,
    /// How long an order stays in the queue (default 4000 ms).
    pub queue_ms: Option<i64>,
    /// `waitCount` shown while queued (default 0).
    pub wait_count: Option<i64>,
    /// Make every queued order fail with this message (`waitTime:-2`, e.g. "没有足够的票!").
    pub queue_fail_message: Option<String>,
    /// How long a new order stays invisible to 12306's own checks (default 0): the unfinished-order
    /// checks of the submits and confirms, `queryMyOrderNoComplete` and `queryOrderWaitTime` (`-100`) see it
    /// only this long after it was created, as under load. Our assumption: no capture shows the delay.
    pub order_visible_after_ms: Option<i64>,
    /// Lifetime of a secretStr (default 30 min).
    pub secret_ttl_ms: Option<i64>,
    /// Time to pay an order (default 10 min).
    pub pay_window_ms: Option<i64>,
    /// Daily cancellation limit (default 3).
    pub cancel_limit: Option<u32>,
    /// Exact inventory counts set when the scenario loads.
    pub inventory: Vec<InventorySet>,
    /// Tickets that appear later.
    pub releases: Vec<Release>,
    pub faults: Vec<Fault>,
    pub rate_limit: Option<RateLimit>,
    /// Every logged-in session is logged out at this time (relative to load).
    pub session_expires_after_ms: Option<i64>,
    /// How long the `/otn` booking session (the JSESSIONID's login) lives without a request that uses the
    /// login; unlimited when absent. 12306 in 2026: about 600 000 (PROTOCOL §1.3). A lapsed session is
    /// logged out while the passport login stays valid, so `uamtk` → `uamauthclient` revives it.
    pub otn_idle_ms: Option<i64>,
    /// How long a passport login (the `uamtk` cookie) stays valid after it was made; unlimited when absent.
    pub passport_ttl_ms: Option<i64>,
    /// Whether `POST initDc` answers only requests that look like a browser navigation (PROTOCOL §5.3,
    /// the 2026-03 reports): `false` (default), `true` (requests without any `Sec-Fetch-*` header still
    /// pass) or `"strict"` (they are refused too).
    pub init_dc_navigation_only: NavigationOnly,
    /// Whether confirmSingleForQueue refuses an empty or wrong `encryptedData` (the value the order page's
    /// risk script gives, PROTOCOL §5.8).
    pub confirm_needs_encrypted_data: bool,
    /// checkOrderInfo answers `canChooseBeds:"Z"` for sleeper tickets (选铺 needs 人证核验, PROTOCOL §5.6).
    pub choose_beds_needs_face_check: bool,
    /// The 候补 face check's `face_check_code` (default `"12"`, passed): `"14"` (not face-verified), `"11"` (ID
    /// under review), `"13"` (ID check failed) … make chechFace and afterNate/submitOrderRequest refuse
    /// (PROTOCOL §5.13).
    pub face_check_code: Option<String>,
    /// afterNate/passengerInitApi's `checkcode` (default `"100"`); `"94"` ⇒ an extra 人证 check in the app is
    /// required and confirmHB refuses (PROTOCOL §5.13, 2026).
    pub hb_checkcode: Option<String>,
    /// How long a confirmed 候补 order stays in afterNate/queryQueue's queue (`status:0`) before it is a 待兑现
    /// order (default 0: CAP24's queryQueue answered `status:1` in the second of the confirm).
    pub hb_queue_ms: Option<i64>,
    /// Added to every answer.
    pub latency_ms: Option<u64>,
    /// Added to the answers of one step (same step names as faults).
    pub step_latency_ms: HashMap<String, u64>,
    /// Replaces the seed (re-derives the default inventory).
    pub seed: Option<u64>,
    /// A sale that opens during the scenario (README "Rehearsing a sale opening").
    pub sale_opening: Option<SaleOpening>,
}

/// Trains whose tickets for one date go on sale at a given moment, and a crowd that buys them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaleOpening {
    /// The opening, absolute sim-clock ms; rounded up to a whole minute (12306 opens on the minute, and row
    /// field 55 and the `起售` text have minute resolution).
    #[serde(default)]
    pub at_ms: Option<i64>,
    /// The opening, relative to the scenario's load (rounded up the same way).
    #[serde(default)]
    pub after_ms: Option<i64>,
    /// The travel date (`YYYY-MM-DD`); by default the newest date of the window on the opening's day.
    #[serde(default)]
    pub date: Option<String>,
    /// The trains that open then.
    pub trains: Vec<String>,
    /// Tickets per seat class (`{"O":20,"M":5}`, `W` = 无座) on each of those trains at the opening.
    #[serde(default)]
    pub seats: HashMap<String, i64>,
    /// Tickets per second the crowd buys of each (train, class) from the opening on, seated in the queue's order
    /// with everyone else's orders (0: no crowd).
    #[serde(default)]
    pub crowd_per_s: f64,
}

/// The query path changes to `path` at `at_ms` or `after_ms` after the scenario loads.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathChange {
    #[serde(default)]
    pub after_ms: Option<i64>,
    #[serde(default)]
    pub at_ms: Option<i64>,
    pub path: String,
}

/// An explicit ticket count for a (date, train, seat class).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventorySet {
    pub date: String,
    pub train: String,
    pub seat: String,
    pub count: i64,
}

/// Tickets that come back on sale later (`at_ms`, or `after_ms` after the scenario loads).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub date: String,
    pub train: String,
    pub seat: String,
    pub count: i64,
    #[serde(default)]
    pub after_ms: Option<i64>,
    #[serde(default)]
    pub at_ms: Option<i64>,
}

/// A misbehaviour at one step.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Step name: the last path segment (`submitOrderRequest`, `initDc`, `checkOrderInfo`,
    /// `getQueueCount`, `confirmSingleForQueue`, `queryOrderWaitTime`, `checkUser`, `conf`, …),
    /// `query` for any `leftTicket/query*`, or `*` for every step.
    pub step: String,
    /// `busy` (系统繁忙 in the step's failure shape), `processed_busy` (process, then answer like `busy`),
    /// `html` (the error page with status 200 where JSON was expected), `error_page` (302 to error.html),
    /// `login` (302 to the passport page), `drop` (process, then close the connection without answering),
    /// `reset` (close without processing), `status` (answer `status` with an empty body), `empty` (empty
    /// 200 body), `latency` (`latency_ms`).
    pub kind: String,
    #[serde(default = "one")]
    pub probability: f64,
    /// How many times it may fire (unlimited when absent).
    #[serde(default)]
    pub times: Option<u32>,
    /// Active window, relative to when the fault was added (or the scenario loaded).
    #[serde(default)]
    pub after_ms: Option<i64>,
    #[serde(default)]
    pub until_ms: Option<i64>,
    #[serde(default)]
    pub latency_ms: Option<u64>,
    #[serde(default)]
    pub status: Option<u16>,
    /// Replaces the default message of `busy` and `processed_busy`.
    #[serde(default)]
    pub message: Option<String>,
    /// The failure shape of `busy` and `processed_busy`: `submitStatus` (`data.submitStatus:false, errMsg`)
    /// or `messages` (`status:false, messages`); by default the step's own (see the README).
    #[serde(default)]
    pub shape: Option<String>,
}

fn one() -> f64 {
    1.0
}

/// More than `max_queries` queries within `window_ms` ⇒ blocked for `block_ms`, answered as `answer` says.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    pub max_queries: usize,
    pub window_ms: i64,
    pub block_ms: i64,
    #[serde(default)]
    pub answer: RateLimitAnswer,
}

/// How a blocked client is answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateLimitAnswer {
    /// Every `/otn` request 302s to error.html (busy/blocked, PROTOCOL §0).
    #[default]
    ErrorPage,
    /// Queries get the bare text `网络可能存在问题，请您重试一下！` with status 200, not JSON (2026, PROTOCOL
    /// §6/§7); other requests pass.
    Text,
}

/// Which requests `POST initDc` answers with the order page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "NavigationOnlyKey")]
pub enum NavigationOnly {
    /// Every request (the default).
    #[default]
    Off,
    /// Browser navigations (`Sec-Fetch-Mode: navigate`, `Sec-Fetch-Dest: document` or `iframe`) and requests
    /// without any `Sec-Fetch-*` header, so native test clients keep working.
    Browser,
    /// Browser navigations only.
    Strict,
}

/// The scenario's spelling of [`NavigationOnly`]: a boolean or `"strict"`.
#[derive(Deserialize)]
#[serde(untagged)]
enum NavigationOnlyKey {
    Flag(bool),
    Word(String),
}

impl TryFrom<NavigationOnlyKey> for NavigationOnly {
    type Error = String;

    fn try_from(k: NavigationOnlyKey) -> Result<NavigationOnly, String> {
        match k {
            NavigationOnlyKey::Flag(false) => Ok(NavigationOnly::Off),
            NavigationOnlyKey::Flag(true) => Ok(NavigationOnly::Browser),
            NavigationOnlyKey::Word(w) if w == "strict" => Ok(NavigationOnly::Strict),
            NavigationOnlyKey::Word(w) => Err(format!(
                "init_dc_navigation_only is true, false or \"strict\", not {w:?}"
            )),
        }
    }
}

/// The fault kinds `/fault` and scenarios accept.
pub const FAULT_KINDS: &[&str] = &[
    "busy",
    "processed_busy",
    "html",
    "error_page",
    "login",
    "drop",
    "reset",
    "status",
    "empty",
    "latency",
];

/// The failure shapes a `busy` or `processed_busy` fault may force.
pub const FAULT_SHAPES: &[&str] = &["submitStatus", "messages"];

impl Fault {
    /// Rejects unknown kinds and probabilities outside 0..1.
    pub fn validate(&self) -> Result<(), String> {
        if !FAULT_KINDS.contains(&self.kind.as_str()) {
            return Err(format!(
                "unknown fault kind {:?}; known: {}",
                self.kind,
                FAULT_KINDS.join(", ")
            ));
        }
        if !(0.0..=1.0).contains(&self.probability) {
            return Err("probability must be within 0..1".into());
        }
        if let Some(shape) = self.shape.as_deref() {
            if !FAULT_SHAPES.contains(&shape) {
                return Err(format!(
                    "unknown fault shape {shape:?}; known: {}",
                    FAULT_SHAPES.join(", ")
                ));
            }
        }
        Ok(())
    }
}

impl Scenario {
    /// Parses and validates a scenario (the file and `POST /scenario` share this).
    pub fn parse(text: &str) -> Result<Scenario, String> {
        let s: Scenario = serde_json::from_str(text).map_err(|e| format!("bad scenario: {e}"))?;
        for f in &s.faults {
            f.validate()?;
        }
        if let Some(o) = &s.sale_opening {
            if o.at_ms.is_some() == o.after_ms.is_some() {
                return Err("sale_opening needs one of at_ms and after_ms".into());
            }
            if o.trains.is_empty() {
                return Err("sale_opening names no trains".into());
            }
            if !(o.crowd_per_s.is_finite() && o.crowd_per_s >= 0.0) {
                return Err("sale_opening.crowd_per_s must be a number ≥ 0".into());
            }
        }
        Ok(s)
    }
}

/// Normalises a query path name to `leftTicket/queryX`.
pub fn normalise_query_path(p: &str) -> String {
    let p = p.trim().trim_start_matches('/').trim_start_matches("otn/");
    if p.starts_with("leftTicket/") {
        p.to_string()
    } else {
        format!("leftTicket/{p}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_example_and_rejects_unknown() {
        let s = Scenario::parse(
            r#"{"query_path":"queryZ","faults":[{"step":"submitOrderRequest","kind":"busy","probability":0.5}],
                "rate_limit":{"max_queries":3,"window_ms":1000,"block_ms":5000}}"#,
        )
        .expect("parses");
        assert_eq!(s.faults.len(), 1);
        assert_eq!(
            s.rate_limit.map(|r| r.answer),
            Some(RateLimitAnswer::ErrorPage)
        );
        let s = Scenario::parse(
            r#"{"query_redirect":true,"rate_limit":{"max_queries":3,"window_ms":1000,"block_ms":5000,"answer":"text"}}"#,
        )
        .expect("parses");
        assert!(s.query_redirect);
        assert_eq!(s.rate_limit.map(|r| r.answer), Some(RateLimitAnswer::Text));
        assert!(Scenario::parse(
            r#"{"rate_limit":{"max_queries":3,"window_ms":1,"block_ms":1,"answer":"x"}}"#
        )
        .is_err());
        assert!(Scenario::parse(r#"{"nope":1}"#).is_err());
        let s = Scenario::parse(
            r#"{"otn_idle_ms":600000,"passport_ttl_ms":7200000,"init_dc_navigation_only":true,
                "confirm_needs_encrypted_data":true}"#,
        )
        .expect("parses");
        assert_eq!(
            (s.otn_idle_ms, s.passport_ttl_ms),
            (Some(600_000), Some(7_200_000))
        );
        assert_eq!(s.init_dc_navigation_only, NavigationOnly::Browser);
        assert!(s.confirm_needs_encrypted_data);
        let nav = |v: &str| {
            Scenario::parse(&format!(r#"{{"init_dc_navigation_only":{v}}}"#))
                .map(|s| s.init_dc_navigation_only)
        };
        assert_eq!(nav(r#""strict""#), Ok(NavigationOnly::Strict));
        assert_eq!(nav("false"), Ok(NavigationOnly::Off));
        assert_eq!(
            Scenario::default().init_dc_navigation_only,
            NavigationOnly::Off
        );
        assert!(nav(r#""loose""#).is_err());
        assert!(nav("1").is_err());
        assert!(Scenario::parse(r#"{"faults":[{"step":"x","kind":"weird"}]}"#).is_err());
        assert!(Scenario::parse(
            r#"{"faults":[{"step":"x","kind":"processed_busy","shape":"messages"}]}"#
        )
        .is_ok());
        assert!(
            Scenario::parse(r#"{"faults":[{"step":"x","kind":"busy","shape":"html"}]}"#).is_err()
        );
        assert_eq!(normalise_query_path("queryZ"), "leftTicket/queryZ");
        assert_eq!(
            normalise_query_path("/otn/leftTicket/queryA"),
            "leftTicket/queryA"
        );
    }
}
