//! Every HTTP request of the booking flow, as a description the host performs (sans-IO).
//!
//! Bodies, field order, Referers and the extra headers follow the real 2024 browser capture (PROTOCOL.md §3, §5;
//! `samples/capture.2024.full-web-flow.md`). The builders take plain strings so that they do not depend on how the
//! caller got them (query row, order page, passenger list); the booking machine wires them together.

mod js_date;
pub mod waitlist;

use serde::{Deserialize, Serialize};

use crate::form::{self, FormError};

pub use js_date::{china_midnight_ms, js_date_string};

/// Scheme and host of every request.
pub const ORIGIN: &str = "https://kyfw.12306.cn";
/// The Referer of the query page (query, log, checkUser, submitOrderRequest, initDc).
pub const REFERER_QUERY_PAGE: &str = "https://kyfw.12306.cn/otn/leftTicket/init?linktypeid=dc";
/// The Referer of every call made from the order page.
pub const REFERER_ORDER_PAGE: &str = "https://kyfw.12306.cn/otn/confirmPassenger/initDc";
/// The Referer of the passport page that renews the booking session (PROTOCOL.md §1.1 #8-9).
pub const REFERER_PASSPORT: &str =
    "https://kyfw.12306.cn/otn/passport?redirect=/otn/login/userLogin";
/// The Referer of the unfinished-order page.
pub const REFERER_NO_COMPLETE: &str = "https://kyfw.12306.cn/otn/view/train_order.html";

const FORM_CT: &str = "application/x-www-form-urlencoded; charset=UTF-8";

/// The HTTP method; serialised `"GET"`/`"POST"` as `fetch` wants it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// No body.
    Get,
    /// A form-encoded body.
    Post,
}

/// Which endpoint a request goes to; the machine uses it to pick the parser for the answer. One variant per
/// endpoint, named after its path under `/otn/` (see [`Endpoint::path`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Endpoint {
    /// `login/conf`: login state and the query path.
    LoginConf,
    /// `leftTicket/log`, sent before a query when the page says so.
    QueryLog,
    /// `leftTicket/queryX`: the ticket query.
    Query,
    /// `login/checkUser`: is the booking session valid?
    CheckUser,
    /// `leftTicket/submitOrderRequest`: start an order for a row.
    SubmitOrderRequest,
    /// `confirmPassenger/initDc`: the order page.
    InitDc,
    /// `confirmPassenger/getPassengerDTOs`: the account's passengers.
    GetPassengerDtos,
    /// `confirmPassenger/checkOrderInfo`.
    CheckOrderInfo,
    /// `confirmPassenger/getQueueCount`.
    GetQueueCount,
    /// `confirmPassenger/confirmSingleForQueue`: the order goes into 12306's queue.
    ConfirmSingleForQueue,
    /// `confirmPassenger/queryOrderWaitTime`: the queue.
    QueryOrderWaitTime,
    /// `confirmPassenger/resultOrderForDcQueue`: confirms the order number.
    ResultOrderForDcQueue,
    /// `basedata/log`, the page's log call after a confirm.
    BasedataLog,
    /// `queryOrder/queryMyOrderNoComplete`: the unfinished orders.
    QueryMyOrderNoComplete,
    /// `queryOrder/cancelNoCompleteMyOrder`: cancel an unpaid order.
    CancelNoCompleteMyOrder,
    /// `uamauthclient`: log the booking session in with a passport app token.
    UamAuthClient,
    /// `afterNate/chechFace`: may this account submit 候补 (face check)?
    HbChechFace,
    /// `afterNate/submitOrderRequest`: choose the 候补 trains × classes.
    HbSubmitOrderRequest,
    /// `afterNate/passengerInitApi`: the 候补 page's data (deadlines, trains, limits).
    HbPassengerInit,
    /// `afterNate/querySuccessRate`: the 候补 success estimate.
    HbQuerySuccessRate,
    /// `afterNate/getQueueNum`: how many wait for each 候补 train × class.
    HbGetQueueNum,
    /// `afterNate/confirmHB`: the 候补 order is submitted.
    HbConfirm,
    /// `afterNate/queryQueue`: the 候补 order's queue.
    HbQueryQueue,
    /// `afterNateOrder/queryUnHonourHOrder`: the 候补 orders waiting to be fulfilled.
    HbQueryUnHonour,
    /// `afterNateOrder/cancelWaitingHOrder`: cancel a waiting 候补 order.
    HbCancelWaiting,
}

impl Endpoint {
    /// The path under `/otn/` (the query's path is dynamic: `leftTicket/queryX`, see `query_path`).
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::LoginConf => "login/conf",
            Endpoint::QueryLog => "leftTicket/log",
            Endpoint::Query => "leftTicket/query",
            Endpoint::CheckUser => "login/checkUser",
            Endpoint::SubmitOrderRequest => "leftTicket/submitOrderRequest",
            Endpoint::InitDc => "confirmPassenger/initDc",
            Endpoint::GetPassengerDtos => "confirmPassenger/getPassengerDTOs",
            Endpoint::CheckOrderInfo => "confirmPassenger/checkOrderInfo",
            Endpoint::GetQueueCount => "confirmPassenger/getQueueCount",
            Endpoint::ConfirmSingleForQueue => "confirmPassenger/confirmSingleForQueue",
            Endpoint::QueryOrderWaitTime => "confirmPassenger/queryOrderWaitTime",
            Endpoint::ResultOrderForDcQueue => "confirmPassenger/resultOrderForDcQueue",
            Endpoint::BasedataLog => "basedata/log",
            Endpoint::QueryMyOrderNoComplete => "queryOrder/queryMyOrderNoComplete",
            Endpoint::CancelNoCompleteMyOrder => "queryOrder/cancelNoCompleteMyOrder",
            Endpoint::UamAuthClient => "uamauthclient",
            Endpoint::HbChechFace => "afterNate/chechFace",
            Endpoint::HbSubmitOrderRequest => "afterNate/submitOrderRequest",
            Endpoint::HbPassengerInit => "afterNate/passengerInitApi",
            Endpoint::HbQuerySuccessRate => "afterNate/querySuccessRate",
            Endpoint::HbGetQueueNum => "afterNate/getQueueNum",
            Endpoint::HbConfirm => "afterNate/confirmHB",
            Endpoint::HbQueryQueue => "afterNate/queryQueue",
            Endpoint::HbQueryUnHonour => "afterNateOrder/queryUnHonourHOrder",
            Endpoint::HbCancelWaiting => "afterNateOrder/cancelWaitingHOrder",
        }
    }
}

/// One request for the host to perform. `id` is set by the booking machine (0 from the builders); the host
/// echoes it in the answer so that late answers to earlier requests can be told apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct HttpRequest {
    /// Which request this is (see above).
    pub id: u64,
    /// GET or POST, as the page sends it.
    pub method: Method,
    /// Absolute, `https://kyfw.12306.cn/otn/…` (with the query string for GETs).
    pub url: String,
    /// Exactly the bytes to send (already form-encoded); `None` for GETs and empty POSTs.
    pub body: Option<String>,
    /// The page the request must appear to come from (12306 checks it on the order steps).
    pub referer: String,
    /// Extra headers in order (Content-Type, X-Requested-With, …); cookies and Origin are the host's business.
    pub headers: Vec<(String, String)>,
    /// Follow same-origin redirects and report the final URL (the query only: since 2025 a stale query name is
    /// answered by a 302 to the current one, PROTOCOL.md §3.1). Otherwise a redirect is not followed, since it
    /// says "logged out" or "busy" (§0) and following it could repeat a request that changes state.
    #[serde(default, rename = "followRedirects")]
    pub follow_redirects: bool,
    /// Load the URL as a browser navigation (a form POST of `body` into a frame of the 12306 tab), not a
    /// `fetch`: since 2026-03 12306 sends non-browser clients of the order page to its error page (PROTOCOL.md
    /// §5.3), while a navigation gets it. The answer is the loaded document (its final URL and HTML). A host
    /// that cannot navigate sends it as a plain request (it is then the same as without this flag).
    #[serde(default)]
    pub navigate: bool,
    /// Not a request at all: the host reads a value from the order page it loaded by navigation and answers
    /// with the value as the body (`""` when it has none). Nothing may be sent to 12306 for it.
    #[serde(default)]
    pub read: Option<PageRead>,
}

/// A value of the order page's own JS world that the host reads for the machine ([`HttpRequest::read`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PageRead {
    /// Which value.
    pub value: PageValue,
    /// The order page's `globalRepeatSubmitToken`: which loaded page to read (a tab may hold several).
    pub token: String,
}

/// The page values the machine can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum PageValue {
    /// `window.json_ua.toString()`, left by 12306's risk script `ua_rds.js`; the official page sends it as the
    /// confirm's `encryptedData` (PROTOCOL.md §5.8, §9.1). Only a real page runs that script.
    #[serde(rename = "json_ua")]
    JsonUa,
}

fn otn(path: &str) -> String {
    format!("{ORIGIN}/otn/{path}")
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A POST from the page's jQuery: form body plus the XHR headers.
fn xhr_post(path: &str, body: String, referer: &str) -> HttpRequest {
    HttpRequest {
        id: 0,
        method: Method::Post,
        url: otn(path),
        body: Some(body),
        referer: referer.to_owned(),
        headers: headers(&[
            ("Content-Type", FORM_CT),
            ("X-Requested-With", "XMLHttpRequest"),
        ]),
        follow_redirects: false,
        navigate: false,
        read: None,
    }
}

/// The query page marks its query and checkUser calls as never cacheable (the CDN in front of 12306 caches).
fn no_cache(mut req: HttpRequest) -> HttpRequest {
    req.headers.push(("If-Modified-Since".into(), "0".into()));
    req.headers
        .push(("Cache-Control".into(), "no-cache".into()));
    req
}

/// `POST /otn/login/conf`, empty body: login state (`is_login`) and the current query path (`queryUrl`).
pub fn login_conf() -> HttpRequest {
    HttpRequest {
        id: 0,
        method: Method::Post,
        url: otn(Endpoint::LoginConf.path()),
        body: None,
        referer: REFERER_QUERY_PAGE.into(),
        headers: headers(&[("X-Requested-With", "XMLHttpRequest")]),
        follow_redirects: false,
        navigate: false,
        read: None,
    }
}

/// The part after `?` of a query URL as built by `query::query_url` (which may hand back `path?query`).
fn query_string_of(path_and_query: &str) -> &str {
    path_and_query
        .split_once('?')
        .map_or(path_and_query, |(_, q)| q)
}

/// `GET /otn/leftTicket/log?<same parameters as the query>`, sent before a query when the page says so.
pub fn query_log(path_and_query: &str) -> HttpRequest {
    no_cache(HttpRequest {
        id: 0,
        method: Method::Get,
        url: format!(
            "{}?{}",
            otn(Endpoint::QueryLog.path()),
            query_string_of(path_and_query)
        ),
        body: None,
        referer: REFERER_QUERY_PAGE.into(),
        headers: headers(&[("X-Requested-With", "XMLHttpRequest")]),
        follow_redirects: false,
        navigate: false,
        read: None,
    })
}

/// `GET /otn/leftTicket/queryX?…`; `path_and_query` is relative to `/otn/` (e.g. from `query::query_url`).
pub fn left_ticket_query(path_and_query: &str) -> HttpRequest {
    no_cache(HttpRequest {
        id: 0,
        method: Method::Get,
        url: otn(path_and_query
            .trim_start_matches('/')
            .trim_start_matches("otn/")),
        body: None,
        referer: REFERER_QUERY_PAGE.into(),
        headers: headers(&[("X-Requested-With", "XMLHttpRequest")]),
        follow_redirects: true,
        navigate: false,
        read: None,
    })
}

/// `POST /otn/login/checkUser`: is the booking session still valid (`data.flag`)?
pub fn check_user() -> HttpRequest {
    no_cache(xhr_post(
        Endpoint::CheckUser.path(),
        "_json_att=".into(),
        REFERER_QUERY_PAGE,
    ))
}

/// `POST /passport/web/auth/uamtk` `appid=otn`: from a valid passport session (the `uamtk` cookie), a new app token
/// for the booking session (`newapptk`), as the official passport page does before `uamauthclient` (PROTOCOL.md
/// §1.1 #8, §1.3).
pub fn passport_uamtk() -> HttpRequest {
    let mut req = xhr_post("", "appid=otn".into(), REFERER_PASSPORT);
    req.url = format!("{ORIGIN}/passport/web/auth/uamtk");
    req
}

/// `POST /otn/uamauthclient` `tk=<newapptk>`: logs the booking session (`JSESSIONID` + `tk`) in again
/// (PROTOCOL.md §1.1 #9).
pub fn uam_auth_client(newapptk: &str) -> HttpRequest {
    xhr_post(
        Endpoint::UamAuthClient.path(),
        form::encode(&[("tk", newapptk)]),
        REFERER_PASSPORT,
    )
}

/// Inputs of submitOrderRequest, straight from the chosen query row and the task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitOrder<'a> {
    /// Row field 0 exactly as received: %-encoded once.
    pub secret_str: &'a str,
    /// Travel date `YYYY-MM-DD`.
    pub train_date: &'a str,
    /// The page sends the travel date again for one-way trips.
    pub back_train_date: &'a str,
    /// `ADULT` or `0X00` (student).
    pub purpose_codes: &'a str,
    /// The Chinese station names typed in the query form.
    pub from_name: &'a str,
    /// Arrival station name as the query form shows it.
    pub to_name: &'a str,
    /// Row fields 53 and 54 (may be empty).
    pub bed_level_info: &'a str,
    /// Row field sent back as is.
    pub seat_discount_info: &'a str,
}

/// Station names go raw into the body, as the page concatenates them; only the few ASCII characters that would
/// break the form structure are escaped (none occur in real names).
fn raw_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("%26"),
            '=' => out.push_str("%3D"),
            '+' => out.push_str("%2B"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            ' ' => out.push('+'),
            c => out.push(c),
        }
    }
    out
}

/// `POST /otn/leftTicket/submitOrderRequest`. The page concatenates the body by hand, so field order, the raw
/// Chinese station names and the trailing `&undefined` are reproduced. `secretStr` is decoded once and
/// re-encoded once, so the wire carries it single-encoded whatever the escaping style of the row
/// (never `%252F`, which the server rejects).
pub fn submit_order_request(o: &SubmitOrder<'_>) -> Result<HttpRequest, FormError> {
    let secret = form::percent_decode(o.secret_str)?;
    let body = format!(
        "secretStr={}&train_date={}&back_train_date={}&tour_flag=dc&purpose_codes={}&query_from_station_name={}\
         &query_to_station_name={}&bed_level_info={}&seat_discount_info={}&undefined",
        form::encode_component(&secret),
        raw_text(o.train_date),
        raw_text(o.back_train_date),
        raw_text(o.purpose_codes),
        raw_text(o.from_name),
        raw_text(o.to_name),
        form::encode_component(o.bed_level_info),
        form::encode_component(o.seat_discount_info),
    );
    Ok(xhr_post(
        Endpoint::SubmitOrderRequest.path(),
        body,
        REFERER_QUERY_PAGE,
    ))
}

/// `POST /otn/confirmPassenger/initDc` → the order page HTML. The page does this as a form navigation, hence
/// the bare Content-Type and no `X-Requested-With`.
pub fn init_dc() -> HttpRequest {
    HttpRequest {
        id: 0,
        method: Method::Post,
        url: otn(Endpoint::InitDc.path()),
        body: Some("_json_att=".into()),
        referer: REFERER_QUERY_PAGE.into(),
        headers: headers(&[("Content-Type", "application/x-www-form-urlencoded")]),
        follow_redirects: false,
        navigate: false,
        read: None,
    }
}

/// initDc as the official page enters it: a form navigation (`_json_att=`) that the host performs in the 12306
/// tab (see [`HttpRequest::navigate`]). The fallback after 12306 sent a fetched initDc to its error page.
pub fn init_dc_by_navigation() -> HttpRequest {
    HttpRequest {
        navigate: true,
        ..init_dc()
    }
}

/// Asks the host for the order page's `json_ua` value (see [`HttpRequest::read`]); `token` names the page. The
/// URL is the page the value lives on; nothing is sent there.
pub fn read_json_ua(token: &str) -> HttpRequest {
    HttpRequest {
        id: 0,
        method: Method::Get,
        url: REFERER_ORDER_PAGE.into(),
        body: None,
        referer: REFERER_ORDER_PAGE.into(),
        headers: Vec::new(),
        follow_redirects: false,
        navigate: false,
        read: Some(PageRead {
            value: PageValue::JsonUa,
            token: token.to_owned(),
        }),
    }
}

/// `POST /otn/confirmPassenger/getPassengerDTOs` from the order page.
pub fn get_passenger_dtos(token: &str) -> HttpRequest {
    let body = form::encode(&[("_json_att", ""), ("REPEAT_SUBMIT_TOKEN", token)]);
    xhr_post(Endpoint::GetPassengerDtos.path(), body, REFERER_ORDER_PAGE)
}

/// `POST /otn/confirmPassenger/getPassengerDTOs` without the order page's token, from the query page: as other
/// pages call it (CAP24 from `lineUp_toPay.html`; TS and FEIX18 send only `_json_att`, PROTOCOL.md §5.4), to read
/// the passengers before an opening.
pub fn get_passenger_dtos_early() -> HttpRequest {
    xhr_post(
        Endpoint::GetPassengerDtos.path(),
        "_json_att=".into(),
        REFERER_QUERY_PAGE,
    )
}

/// `POST /otn/confirmPassenger/checkOrderInfo` (2024 field order; slider fields empty).
pub fn check_order_info(
    passenger_ticket_str: &str,
    old_passenger_str: &str,
    token: &str,
) -> HttpRequest {
    let body = form::encode(&[
        ("cancel_flag", "2"),
        ("bed_level_order_num", "000000000000000000000000000000"),
        ("passengerTicketStr", passenger_ticket_str),
        ("oldPassengerStr", old_passenger_str),
        ("tour_flag", "dc"),
        ("whatsSelect", "1"),
        ("sessionId", ""),
        ("sig", ""),
        ("scene", "nc_login"),
        ("_json_att", ""),
        ("REPEAT_SUBMIT_TOKEN", token),
    ]);
    xhr_post(Endpoint::CheckOrderInfo.path(), body, REFERER_ORDER_PAGE)
}

/// Inputs of getQueueCount, from the order page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueCount<'a> {
    /// `orderRequestDTO.train_date.time` (ms since the epoch).
    pub train_date_ms: i64,
    /// 12306's internal train number.
    pub train_no: &'a str,
    /// Train code (`G2`).
    pub station_train_code: &'a str,
    /// Submit code of the first passenger's seat.
    pub seat_type: &'a str,
    /// Boarding station telecode.
    pub from_telecode: &'a str,
    /// Alighting station telecode.
    pub to_telecode: &'a str,
    /// `ypInfoDetail`/`leftTicketStr` as it appears in the page (already %-encoded; encoded again here).
    pub left_ticket: &'a str,
    /// The page's `purpose_codes` (`00`/`0X00`).
    pub purpose_codes: &'a str,
    /// `train_location` from the order page.
    pub train_location: &'a str,
    /// The order page's `globalRepeatSubmitToken` (REPEAT_SUBMIT_TOKEN).
    pub token: &'a str,
}

/// `POST /otn/confirmPassenger/getQueueCount`.
pub fn get_queue_count(q: &QueueCount<'_>) -> HttpRequest {
    let date = js_date_string(q.train_date_ms);
    let body = form::encode(&[
        ("train_date", &date),
        ("train_no", q.train_no),
        ("stationTrainCode", q.station_train_code),
        ("seatType", q.seat_type),
        ("fromStationTelecode", q.from_telecode),
        ("toStationTelecode", q.to_telecode),
        ("leftTicket", q.left_ticket),
        ("purpose_codes", q.purpose_codes),
        ("train_location", q.train_location),
        ("_json_att", ""),
        ("REPEAT_SUBMIT_TOKEN", q.token),
    ]);
    xhr_post(Endpoint::GetQueueCount.path(), body, REFERER_ORDER_PAGE)
}

/// Inputs of confirmSingleForQueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm<'a> {
    /// `passengerTicketStr` (PROTOCOL.md §5.5).
    pub passenger_ticket_str: &'a str,
    /// `oldPassengerStr` (PROTOCOL.md §5.5).
    pub old_passenger_str: &'a str,
    /// `purpose_codes` from the order page (`00` adult).
    pub purpose_codes: &'a str,
    /// `key_check_isChange` from the order page.
    pub key_check_is_change: &'a str,
    /// `leftTicketStr` as in the page (already %-encoded; encoded again on the wire, as the page does).
    pub left_ticket_str: &'a str,
    /// `train_location` from the order page.
    pub train_location: &'a str,
    /// 选座, e.g. `1A1F`; empty = random ([`crate::protocol::seat_choice::choose_seats`]).
    pub choose_seats: &'a str,
    /// 选铺: `seatDetailType`, three digits 下/中/上 (`000` = any;
    /// [`crate::protocol::seat_choice::seat_detail_type`]).
    pub seat_detail_type: &'a str,
    /// 静音车厢: `is_jy`, `Y`/`N` ([`crate::protocol::seat_choice::is_jy`]).
    pub is_jy: &'a str,
    /// Output of the page's risk SDK when the host has it; empty is accepted by many clients.
    pub encrypted_data: &'a str,
    /// The order page's `globalRepeatSubmitToken` (REPEAT_SUBMIT_TOKEN).
    pub token: &'a str,
}

/// `POST /otn/confirmPassenger/confirmSingleForQueue` (2024 field order).
pub fn confirm_single_for_queue(c: &Confirm<'_>) -> HttpRequest {
    let body = form::encode(&[
        ("passengerTicketStr", c.passenger_ticket_str),
        ("oldPassengerStr", c.old_passenger_str),
        ("purpose_codes", c.purpose_codes),
        ("key_check_isChange", c.key_check_is_change),
        ("leftTicketStr", c.left_ticket_str),
        ("train_location", c.train_location),
        ("choose_seats", c.choose_seats),
        ("seatDetailType", c.seat_detail_type),
        ("is_jy", c.is_jy),
        ("is_cj", "Y"),
        ("encryptedData", c.encrypted_data),
        ("whatsSelect", "1"),
        ("roomType", "00"),
        ("dwAll", "N"),
        ("_json_att", ""),
        ("REPEAT_SUBMIT_TOKEN", c.token),
    ]);
    xhr_post(
        Endpoint::ConfirmSingleForQueue.path(),
        body,
        REFERER_ORDER_PAGE,
    )
}

/// `GET /otn/confirmPassenger/queryOrderWaitTime?random=<now_ms>&…`; `random` defeats caches.
pub fn query_order_wait_time(now_ms: u64, token: &str) -> HttpRequest {
    HttpRequest {
        id: 0,
        method: Method::Get,
        url: format!(
            "{}?random={now_ms}&tourFlag=dc&_json_att=&REPEAT_SUBMIT_TOKEN={}",
            otn(Endpoint::QueryOrderWaitTime.path()),
            form::encode_component(token)
        ),
        body: None,
        referer: REFERER_ORDER_PAGE.into(),
        headers: headers(&[("X-Requested-With", "XMLHttpRequest")]),
        follow_redirects: false,
        navigate: false,
        read: None,
    }
}

/// `POST /otn/confirmPassenger/resultOrderForDcQueue` with the order id from the queue.
pub fn result_order_for_dc_queue(order_id: &str, token: &str) -> HttpRequest {
    let body = form::encode(&[
        ("orderSequence_no", order_id),
        ("_json_att", ""),
        ("REPEAT_SUBMIT_TOKEN", token),
    ]);
    xhr_post(
        Endpoint::ResultOrderForDcQueue.path(),
        body,
        REFERER_ORDER_PAGE,
    )
}

/// `POST /otn/basedata/log` the page sends after a confirm (optional bookkeeping).
pub fn basedata_log(token: &str) -> HttpRequest {
    let body = form::encode(&[
        ("type", "dc"),
        ("_json_att", ""),
        ("REPEAT_SUBMIT_TOKEN", token),
    ]);
    xhr_post(Endpoint::BasedataLog.path(), body, REFERER_ORDER_PAGE)
}

/// `POST /otn/queryOrder/queryMyOrderNoComplete`: unpaid (`orderDBList`) or queued (`orderCacheDTO`) orders.
pub fn query_my_order_no_complete() -> HttpRequest {
    xhr_post(
        Endpoint::QueryMyOrderNoComplete.path(),
        "_json_att=".into(),
        REFERER_NO_COMPLETE,
    )
}

/// `POST /otn/queryOrder/cancelNoCompleteMyOrder` for an unpaid order (counts against 3 cancellations a day).
pub fn cancel_no_complete_my_order(sequence_no: &str) -> HttpRequest {
    let body = form::encode(&[
        ("sequence_no", sequence_no),
        ("cancel_flag", "cancel_order"),
        ("_json_att", ""),
    ]);
    xhr_post(
        Endpoint::CancelNoCompleteMyOrder.path(),
        body,
        REFERER_NO_COMPLETE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header<'a>(r: &'a HttpRequest, name: &str) -> Option<&'a str> {
        r.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn query_and_check_user_are_uncacheable_xhr() {
        for r in [
            left_ticket_query("leftTicket/queryG?a=1"),
            check_user(),
            query_log("leftTicket/queryG?a=1"),
        ] {
            assert_eq!(header(&r, "If-Modified-Since"), Some("0"));
            assert_eq!(header(&r, "Cache-Control"), Some("no-cache"));
            assert_eq!(header(&r, "X-Requested-With"), Some("XMLHttpRequest"));
            assert_eq!(r.referer, REFERER_QUERY_PAGE);
        }
        assert_eq!(
            left_ticket_query("leftTicket/queryG?a=1").url,
            "https://kyfw.12306.cn/otn/leftTicket/queryG?a=1"
        );
        assert_eq!(
            query_log("leftTicket/queryG?a=1").url,
            "https://kyfw.12306.cn/otn/leftTicket/log?a=1"
        );
    }

    #[test]
    fn init_dc_is_a_form_navigation() {
        let r = init_dc();
        assert_eq!(header(&r, "X-Requested-With"), None);
        assert_eq!(
            header(&r, "Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(r.body.as_deref(), Some("_json_att="));
    }

    #[test]
    fn the_navigation_fallback_and_the_page_read_serialise_for_the_host() {
        let nav = init_dc_by_navigation();
        assert!(nav.navigate && nav.read.is_none());
        assert_eq!(nav.url, init_dc().url);
        assert_eq!(nav.body, init_dc().body);
        let v = serde_json::to_value(&nav).unwrap_or_default();
        assert_eq!(v["navigate"], true);
        assert_eq!(v["read"], serde_json::Value::Null);
        assert_eq!(
            serde_json::to_value(init_dc()).unwrap_or_default()["navigate"],
            false
        );

        let read = read_json_ua("98480ec31d8d4b4276175a0038fe10d0");
        assert!(!read.navigate && read.body.is_none());
        let v = serde_json::to_value(&read).unwrap_or_default();
        assert_eq!(v["read"]["value"], "json_ua");
        assert_eq!(v["read"]["token"], "98480ec31d8d4b4276175a0038fe10d0");

        // A request saved before these fields existed reads as a plain request.
        let old = r#"{"id":3,"method":"POST","url":"https://kyfw.12306.cn/otn/confirmPassenger/initDc","body":"_json_att=","referer":"","headers":[]}"#;
        let back: HttpRequest = serde_json::from_str(old).unwrap_or_else(|_| check_user());
        assert!(!back.navigate && back.read.is_none() && back.url.ends_with("initDc"));
    }

    #[test]
    fn submit_never_double_encodes() {
        let o = SubmitOrder {
            secret_str: "ab%2Fc%2B%0Ad%3D",
            train_date: "2024-04-22",
            back_train_date: "2024-04-22",
            purpose_codes: "ADULT",
            from_name: "上海",
            to_name: "常州",
            bed_level_info: "",
            seat_discount_info: "90091",
        };
        let body = submit_order_request(&o)
            .map(|r| r.body.unwrap_or_default())
            .unwrap_or_default();
        assert!(
            body.starts_with("secretStr=ab%2Fc%2B%0Ad%3D&train_date=2024-04-22&"),
            "{body}"
        );
        assert!(!body.contains("%25"));
        assert!(body.ends_with("&query_from_station_name=上海&query_to_station_name=常州&bed_level_info=&seat_discount_info=90091&undefined"));
        // A row value with a literal `/` (unescaped) comes out encoded once as well.
        let raw = SubmitOrder {
            secret_str: "ab/c",
            ..o.clone()
        };
        let body = submit_order_request(&raw)
            .map(|r| r.body.unwrap_or_default())
            .unwrap_or_default();
        assert!(body.starts_with("secretStr=ab%2Fc&"));
        assert!(submit_order_request(&SubmitOrder {
            secret_str: "%zz",
            ..o
        })
        .is_err());
    }

    #[test]
    fn wait_time_url() {
        let r = query_order_wait_time(1713768752217, "98480ec31d8d4b4276175a0038fe10d0");
        assert_eq!(
            r.url,
            "https://kyfw.12306.cn/otn/confirmPassenger/queryOrderWaitTime?random=1713768752217&tourFlag=dc&_json_att=&REPEAT_SUBMIT_TOKEN=98480ec31d8d4b4276175a0038fe10d0"
        );
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.referer, REFERER_ORDER_PAGE);
    }

    #[test]
    fn serialises_for_the_host() {
        let v = serde_json::to_value(check_user()).unwrap_or_default();
        assert_eq!(v["method"], "POST");
        assert_eq!(v["headers"][0][0], "Content-Type");
    }
}
