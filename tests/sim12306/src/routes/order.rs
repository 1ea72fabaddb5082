//! The normal booking flow: submitOrderRequest → initDc → getPassengerDTOs → checkOrderInfo →
//! getQueueCount → confirmSingleForQueue.

use super::order_page::{
    card_types, order_request_dto, seat_types, ticket_info, ticket_seat_code_map, ticket_types,
};
use super::{Ctx, BUSY, ENCRYPTED_DATA_REFUSED};
use crate::clock::{parse_js_date, Date};
use crate::form::Form;
use crate::http::{Req, Resp};
use crate::inventory::STANDING;
use crate::json::{self, js_string_escape, J};
use crate::pages::{fill, INIT_DC, PASSPORT_REDIRECT};
use crate::passengers;
use crate::risk;
use crate::rng;
use crate::scenario::NavigationOnly;
use crate::secret;
use crate::state::{
    is_sleeper, Chosen, Order, OrderPage, OrderStatus, OrderTicket, SeatChoice, TicketReq, World,
};
use crate::tickets::{self, seat_name};
use crate::timetable::TrainDef;

pub const STALE: &str = "车票信息已过期，请重新查询最新车票信息";
pub const UNFINISHED: &str =
    "您还有未处理的订单，请您到<a href=\"../queryOrder/initNoComplete\">[未完成订单]</a>进行处理!";
pub const CANCEL_LIMIT: &str =
    "对不起，由于您取消次数过多，今日将不能继续受理您的订票请求。1月1日您可继续使用订票功能。";
pub const INIT_DC_REFERER: &str = "/otn/confirmPassenger/initDc";

/// Checks a submitted (once form-decoded) secretStr: still-encoded values (double encoding) and
/// unknown or old tokens are refused like a stale one.
pub fn check_secret(w: &World, decoded: &str, now: i64) -> Option<secret::SecretInfo> {
    let upper = decoded.to_ascii_uppercase();
    if ["%2F", "%2B", "%3D", "%0A"]
        .iter()
        .any(|e| upper.contains(e))
    {
        return None;
    }
    let info = secret::check(w.seed, w.secret_epoch, decoded)?;
    (now - info.issued_ms <= w.secret_ttl_ms() && now >= info.issued_ms - 60_000).then_some(info)
}

/// What both submits (`submitOrderRequest` and the auto-submit) check first: the page they come from, a
/// logged-in session and a secretStr of ours that has not expired. Gives the account, the form and what
/// the secretStr names.
pub(super) fn submit_ctx(
    w: &World,
    c: &Ctx,
    referer: &str,
) -> Result<(String, Form, secret::SecretInfo), Resp> {
    c.require_referer(referer)?;
    let account = c.require_login(w)?;
    let f = c.req.form();
    let info =
        check_secret(w, f.s("secretStr"), c.now).ok_or_else(|| Resp::json(&json::fail(STALE)))?;
    Ok((account, f, info))
}

/// `POST /otn/leftTicket/submitOrderRequest`.
pub fn submit_order_request(w: &mut World, c: &Ctx) -> Resp {
    let (account, f, info) = match submit_ctx(w, c, "/otn/leftTicket/init") {
        Ok(v) => v,
        Err(r) => return r,
    };
    if f.get("train_date").is_some_and(|d| d != info.date) {
        return Resp::json(&json::fail(STALE));
    }
    let Some(t) = w.train(&info.train).cloned() else {
        return Resp::json(&json::fail(STALE));
    };
    if w.open_order(&account, c.now).is_some() {
        return Resp::json(&json::fail(UNFINISHED));
    }
    let Some(date) = Date::parse(&info.date) else {
        return Resp::json(&json::fail(STALE));
    };
    let purpose = if f.s("purpose_codes") == "0X00" {
        "0X00"
    } else {
        "ADULT"
    };
    let s = w.session_mut(&c.sid);
    s.chosen = Some(Chosen {
        secret: info,
        purpose: purpose.into(),
    });
    s.page = None;
    // Informational code: "N" normally; near departure a 2xx code ("…进站约需 20 分钟…").
    let minutes_left = (date.midnight_ms() + t.dep_min * 60_000 - c.now) / 60_000;
    let code = if minutes_left < 180 { "220" } else { "N" };
    Resp::json(&json::ok(J::s(code)))
}

/// Whether `req` looks like the browser navigation by which the official page enters the order page
/// (`Sec-Fetch-Mode: navigate`, `Sec-Fetch-Dest: document` or `iframe`; PROTOCOL §5.3). A request without any
/// `Sec-Fetch-*` header (a native client) passes unless `mode` is strict: the real site's rule is not known.
fn looks_like_navigation(req: &Req, mode: NavigationOnly) -> bool {
    let fetch_mode = req.header("sec-fetch-mode");
    let dest = req.header("sec-fetch-dest");
    if !req.headers.iter().any(|(k, _)| k.starts_with("sec-fetch-")) {
        return mode != NavigationOnly::Strict;
    }
    fetch_mode.is_some_and(|m| m.eq_ignore_ascii_case("navigate"))
        && dest
            .is_some_and(|d| d.eq_ignore_ascii_case("document") || d.eq_ignore_ascii_case("iframe"))
}

/// `POST /otn/confirmPassenger/initDc`: the order page with a fresh one-time token.
pub fn init_dc(w: &mut World, c: &Ctx) -> Resp {
    if !c.req.is_post() {
        return Resp::html(crate::pages::busy_page());
    }
    // Judged before the session, as a filter in front of the application would (our assumption).
    let mode = w.scenario.init_dc_navigation_only;
    if mode != NavigationOnly::Off && !looks_like_navigation(c.req, mode) {
        return c.to_error_page();
    }
    let chosen = match (
        c.account(w),
        w.sessions.get(&c.sid).and_then(|s| s.chosen.clone()),
    ) {
        (Some(_), Some(ch)) => ch,
        _ => return Resp::html(PASSPORT_REDIRECT),
    };
    let (Some(t), Some(date)) = (
        w.train(&chosen.secret.train).cloned(),
        Date::parse(&chosen.secret.date),
    ) else {
        return Resp::html(PASSPORT_REDIRECT);
    };
    let token = w.fresh_hex(32);
    let page = OrderPage {
        key_check: secret::key_check(w.seed, &token, &t.code, &chosen.secret.date),
        left_ticket: secret::left_ticket_str(w.seed, &t.code, &chosen.secret.date, t.from, t.to),
        token: token.clone(),
        chosen,
        used: false,
    };
    let info = ticket_info(w, &t, date, &page).to_js_literal();
    w.session_mut(&c.sid).page = Some(page);
    let html = fill(
        INIT_DC,
        &[
            ("globalRepeatSubmitToken", &js_string_escape(&token)),
            ("ticketInfoForPassengerForm", &info),
            (
                "orderRequestDTO",
                &order_request_dto(&t, date).to_js_literal(),
            ),
            ("init_limit_ticket_num", "9"),
            ("ua_rds_t", &risk::hour_stamp(c.now)),
            ("dw_flag", &js_string_escape(&t.dw_flag.replace('#', ","))),
            ("init_seatTypes", &seat_types(&t).to_js_literal()),
            ("defaultTicketTypes", &ticket_types().to_js_literal()),
            ("init_cardTypes", &card_types().to_js_literal()),
            (
                "ticket_seat_codeMap",
                &ticket_seat_code_map(&t).to_js_literal(),
            ),
        ],
    );
    Resp::html(html)
}

/// `POST /otn/confirmPassenger/getPassengerDTOs`.
pub fn get_passenger_dtos(w: &mut World, c: &Ctx) -> Resp {
    if c.req
        .form()
        .get("REPEAT_SUBMIT_TOKEN")
        .is_some_and(|t| !t.is_empty())
    {
        if let Err(r) = c.require_referer(INIT_DC_REFERER) {
            return r;
        }
    }
    if let Err(r) = c.require_login(w) {
        return r;
    }
    Resp::json(&json::ok(passengers::dtos_data()))
}

/// `POST /otn/passengers/query` (the contacts page list).
pub fn passengers_query(w: &mut World, c: &Ctx) -> Resp {
    if let Err(r) = c.require_login(w) {
        return r;
    }
    Resp::json(&json::ok(J::obj(vec![
        (
            "datas",
            J::Arr(
                passengers::PASSENGERS
                    .iter()
                    .map(|p| p.to_json(true))
                    .collect(),
            ),
        ),
        ("flag", J::Bool(true)),
        ("pageTotal", J::Int(1)),
    ])))
}

/// The order-page context of a request: Referer, login and a valid unused token.
fn page_ctx(w: &World, c: &Ctx, form: &Form) -> Result<(String, OrderPage, TrainDef), Resp> {
    c.require_referer(INIT_DC_REFERER)?;
    let account = c.require_login(w)?;
    let token = form.s("REPEAT_SUBMIT_TOKEN");
    let page = w
        .sessions
        .get(&c.sid)
        .and_then(|s| s.page.clone())
        .filter(|p| p.token == token && !p.used)
        .ok_or_else(|| Resp::json(&json::fail(STALE)))?;
    let t = w
        .train(&page.chosen.secret.train)
        .cloned()
        .ok_or_else(|| Resp::json(&json::fail(STALE)))?;
    Ok((account, page, t))
}

/// Seats that can serve `n` requests of class `seat`: the class itself, plus 无座 for the base class.
fn available(w: &World, t: &TrainDef, date: &str, seat: char) -> (i64, i64) {
    let seated = w.inventory.left(date, t, seat).unwrap_or(0);
    let standing = if seat == t.base_class() {
        w.inventory.left(date, t, STANDING).unwrap_or(0)
    } else {
        0
    };
    (seated, standing)
}

/// Tickets already queued for this train/date/class (they go before a new order).
fn queued(w: &World, t: &TrainDef, date: &str, seat: char) -> i64 {
    w.orders
        .iter()
        .filter(|o| o.status == OrderStatus::Queued && o.train == t.code && o.date == date)
        .map(|o| o.tickets.iter().filter(|tk| tk.req.seat == seat).count() as i64)
        .sum()
}

/// `POST /otn/confirmPassenger/checkOrderInfo`.
pub fn check_order_info(w: &mut World, c: &Ctx) -> Resp {
    let form = c.req.form();
    let (_, page, t) = match page_ctx(w, c, &form) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let list = match tickets::parse(form.s("passengerTicketStr"), form.s("oldPassengerStr"), &t) {
        Ok(l) => l,
        Err(msg) => return Resp::json(&json::submit_fail(&msg)),
    };
    let date = page.chosen.secret.date.clone();
    let mut seats: Vec<char> = list.iter().map(|r| r.seat).collect();
    seats.dedup();
    for seat in seats {
        let n = list.iter().filter(|r| r.seat == seat).count() as i64;
        let (seated, standing) = available(w, &t, &date, seat);
        let left = seated + standing;
        if left < n {
            let msg = format!(
                "您选择了{}位乘车人，但本次列车{}仅剩{}张。",
                list.len(),
                seat_name(seat),
                left
            );
            return Resp::json(&json::ok(J::obj(vec![
                ("checkSeatNum", J::Bool(true)),
                ("errMsg", J::s(msg)),
                ("submitStatus", J::Bool(false)),
            ])));
        }
    }
    let choose = choosable_seats(&t);
    let beds = can_choose_beds(w, &list);
    let mid = if beds == "Y" && list.iter().any(|r| crate::state::has_middle_berth(r.seat)) {
        "Y"
    } else {
        "N"
    };
    Resp::json(&json::ok(J::obj(vec![
        ("canChooseBeds", J::s(beds)),
        (
            "canChooseSeats",
            J::s(if choose.is_empty() { "N" } else { "Y" }),
        ),
        ("choose_Seats", J::s(choose)),
        ("isCanChooseMid", J::s(mid)),
        ("ifShowPassCodeTime", J::s("1")),
        ("submitStatus", J::Bool(true)),
        ("smokeStr", J::s("")),
    ])))
}

/// The seat classes whose seats the order page lets one pick (business, first, second, premium first), as
/// the `choose_Seats` of checkOrderInfo and its auto-submit twin.
pub(super) fn choosable_seats(t: &TrainDef) -> String {
    t.classes
        .iter()
        .map(|c| c.code)
        .filter(|c| matches!(c, '9' | 'M' | 'O' | 'P' | 'D'))
        .collect()
}

/// checkOrderInfo's `canChooseBeds` for these tickets: `N` without a sleeper; `5` for more than five
/// passengers and `Z` when the scenario says the account lacks 人证核验 (PROTOCOL §5.6, TUAN 2026-09: `Z` ⇒ 选铺
/// needs the app's identity check or 常旅客会员, `5` ⇒ no online 选铺 beyond five); `Y` otherwise.
fn can_choose_beds(w: &World, list: &[TicketReq]) -> &'static str {
    if !list.iter().any(|r| is_sleeper(r.seat)) {
        "N"
    } else if list.len() > 5 {
        "5"
    } else if w.scenario.choose_beds_needs_face_check {
        "Z"
    } else {
        "Y"
    }
}

/// Refusal: a `choose_seats` or `seatDetailType` the page would not send (our wording).
pub const BAD_CHOICE: &str = "选座或选铺信息有误";

/// The seat letters a class offers (PROTOCOL §5.8): 二等 `ABCDF`, 一等 / 优选一等 `ACDF`, 特等 `ACF`, 商务 `ACF` or
/// only `AF` in a 1+1 layout (`dw_flag` part 3 `S`).
pub fn seat_letters(t: &TrainDef, class: char) -> &'static str {
    match class {
        'O' => "ABCDF",
        'M' | 'D' => "ACDF",
        'P' => "ACF",
        '9' if t.dw_flag.split('#').nth(3) == Some("S") => "AF",
        '9' => "ACF",
        _ => "",
    }
}

/// Reads `choose_seats` (`<row 1|2><letter>` per passenger, in passenger order) and `seatDetailType` (three
/// digits: 下/中/上 berths wanted). Letters must be the class's, one pick per passenger at most, row 2 only with
/// more than one passenger; berth counts must not exceed the sleeper tickets. Missing or empty fields: any.
fn seat_choice(form: &Form, list: &[TicketReq], t: &TrainDef) -> Result<SeatChoice, &'static str> {
    let mut choice = SeatChoice::default();
    let cs: Vec<char> = form.s("choose_seats").chars().collect();
    if !cs.len().is_multiple_of(2) || cs.len() / 2 > list.len() {
        return Err(BAD_CHOICE);
    }
    for (k, pair) in cs.chunks(2).enumerate() {
        let (row, letter) = (pair[0], pair[1]);
        let class = list.get(k).map(|r| r.seat).unwrap_or('O');
        let row_ok = row == '1' || (row == '2' && list.len() > 1);
        if !row_ok || !seat_letters(t, class).contains(letter) {
            return Err(BAD_CHOICE);
        }
        choice.seats.push((if row == '2' { 2 } else { 1 }, letter));
    }
    let sd = form.s("seatDetailType");
    if !sd.is_empty() {
        let digits: Vec<u8> = sd
            .chars()
            .map(|c| c.to_digit(10).map(|d| d as u8))
            .collect::<Option<_>>()
            .ok_or(BAD_CHOICE)?;
        let [lower, middle, upper] = digits[..] else {
            return Err(BAD_CHOICE);
        };
        let sleepers = list.iter().filter(|r| is_sleeper(r.seat)).count();
        if usize::from(lower) + usize::from(middle) + usize::from(upper) > sleepers {
            return Err(BAD_CHOICE);
        }
        choice.berths = [lower, middle, upper];
    }
    Ok(choice)
}

/// The getQueueCount answer for a train/date/class.
pub fn queue_count_answer(w: &World, t: &TrainDef, date: &str, seat: char) -> J {
    let (seated, standing) = available(w, t, date, seat);
    let ahead = queued(w, t, date, seat);
    let ticket = if seat == t.base_class() && t.standing {
        format!("{seated},{standing}")
    } else {
        seated.to_string()
    };
    J::obj(vec![
        ("count", J::s(ahead.to_string())),
        ("ticket", J::s(ticket)),
        (
            "op_2",
            J::s(if ahead > seated + standing {
                "true"
            } else {
                "false"
            }),
        ),
        ("countT", J::s("0")),
        ("op_1", J::s(if ahead > 0 { "true" } else { "false" })),
    ])
}

/// Common checks of getQueueCount(Async): date string, train, class.
pub fn queue_params_ok(form: &Form, t: &TrainDef, date: &str) -> Option<char> {
    let d = parse_js_date(form.s("train_date"))?;
    if d.iso() != date || form.s("train_no") != t.train_no || form.s("stationTrainCode") != t.code {
        return None;
    }
    let mut it = form.s("seatType").chars();
    let seat = it.next()?;
    (it.next().is_none() && t.class(seat).is_some()).then_some(seat)
}

/// `POST /otn/confirmPassenger/getQueueCount`.
pub fn get_queue_count(w: &mut World, c: &Ctx) -> Resp {
    let form = c.req.form();
    let (_, page, t) = match page_ctx(w, c, &form) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let date = page.chosen.secret.date.clone();
    let Some(seat) = queue_params_ok(&form, &t, &date) else {
        return Resp::json(&json::fail(BUSY));
    };
    if form.s("leftTicket") != page.left_ticket {
        return Resp::json(&json::fail(BUSY));
    }
    Resp::json(&json::ok(queue_count_answer(w, &t, &date, seat)))
}

/// Creates a queued order (the queue resolves it later, see `World::tick`).
pub fn create_order(
    w: &mut World,
    account: &str,
    chosen: &Chosen,
    list: Vec<TicketReq>,
    choice: SeatChoice,
    now: i64,
) -> String {
    let n = w.next_id();
    let id = format!(
        "E{:09}",
        rng::hash(w.seed, &["order", &n.to_string()]) % 1_000_000_000
    );
    let request_id = (rng::hash(w.seed, &["request", &id]) >> 2) as i64;
    let limit = w.cancel_limit();
    let today = Date::of_ms(now).iso();
    let forced_fail = (w
        .cancels
        .get(&(account.to_string(), today))
        .copied()
        .unwrap_or(0)
        >= limit)
        .then(|| CANCEL_LIMIT.to_string());
    let order = Order {
        id: id.clone(),
        account: account.to_string(),
        train: chosen.secret.train.clone(),
        date: chosen.secret.date.clone(),
        from: chosen.secret.from.clone(),
        to: chosen.secret.to.clone(),
        tickets: list.into_iter().map(OrderTicket::unassigned).collect(),
        status: OrderStatus::Queued,
        created_ms: now,
        ready_ms: now.saturating_add(w.queue_ms()),
        pay_deadline_ms: 0,
        request_id,
        polls: 0,
        kind: "dc",
        forced_fail,
        choice,
        hb: None,
    };
    w.orders.push(order);
    id
}

/// What both confirms (`confirmSingleForQueue` and the auto-submit `…Asys`) do once their context is
/// checked: the page's keys must match, the passengers parse, no unpaid order may exist; then the page is
/// used up and the order enters the queue. `Err` is the refusal to send.
pub(super) fn queue_order(
    w: &mut World,
    c: &Ctx,
    form: &Form,
    account: &str,
    page: &OrderPage,
    t: &TrainDef,
) -> Result<(), Resp> {
    if form.s("key_check_isChange") != page.key_check || form.s("leftTicketStr") != page.left_ticket
    {
        return Err(Resp::json(&json::submit_fail(BUSY)));
    }
    let list = tickets::parse(form.s("passengerTicketStr"), form.s("oldPassengerStr"), t)
        .map_err(|msg| Resp::json(&json::submit_fail(&msg)))?;
    let choice = seat_choice(form, &list, t).map_err(|msg| Resp::json(&json::submit_fail(msg)))?;
    if w.open_order(account, c.now).is_some() {
        return Err(Resp::json(&json::submit_fail(UNFINISHED)));
    }
    if let Some(p) = w.session_mut(&c.sid).page.as_mut() {
        p.used = true;
    }
    create_order(w, account, &page.chosen, list, choice, c.now);
    Ok(())
}

/// `POST /otn/confirmPassenger/confirmSingleForQueue`.
pub fn confirm_single_for_queue(w: &mut World, c: &Ctx) -> Resp {
    let form = c.req.form();
    let (account, page, t) = match page_ctx(w, c, &form) {
        Ok(v) => v,
        Err(r) => return r,
    };
    // Checked before the shared checks; both refusals are the same answer, so the order is not observable.
    if form.get("train_location").is_some_and(|l| l != t.location) {
        return Resp::json(&json::submit_fail(BUSY));
    }
    // The order page stays usable: nothing was queued, a second confirm with the script's value may follow.
    if w.scenario.confirm_needs_encrypted_data
        && form.s("encryptedData") != risk::token(w.seed, &page.token)
    {
        return Resp::json(&json::submit_fail(ENCRYPTED_DATA_REFUSED));
    }
    if let Err(refusal) = queue_order(w, c, &form, &account, &page, &t) {
        return refusal;
    }
    Resp::json(&json::ok(J::obj(vec![
        ("isAsync", J::s("1")),
        ("submitStatus", J::Bool(true)),
    ])))
}
