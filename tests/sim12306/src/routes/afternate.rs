//! The 候补 (waitlist) path (PROTOCOL §5.13, with the 2026 changes): the face check, the chosen trains, the
//! 2026 confirmHB field set, the queue, the 待兑现 list, cancellation. A confirmed 候补 order waits in the order
//! book (`waiting`) until released tickets fulfil it (see `World::tick`): it then becomes an unpaid order with
//! a payment deadline, or it ends at its 截止兑现时间. Which of this is 12306's and which ours: the README.

use super::order::{check_secret, STALE};
use super::Ctx;
use crate::clock::{datetime_str, Date};
use crate::form;
use crate::http::Resp;
use crate::json::{self, J};
use crate::passengers;
use crate::rng;
use crate::state::{
    HbOrder, HbPlan, Order, OrderStatus, OrderTicket, SeatChoice, TicketReq, World,
};
use crate::stations;
use crate::tickets::seat_name;

/// Parses `secretList` (`<%-encoded secretStr>#<seat>|…`, already form-decoded once).
fn parse_secret_list(
    w: &World,
    list: &str,
    now: i64,
) -> Option<Vec<(crate::secret::SecretInfo, char)>> {
    let mut out = Vec::new();
    for item in list.split('|').filter(|s| !s.is_empty()) {
        let (tok, seat) = item.rsplit_once('#')?;
        let info = check_secret(w, &form::decode(tok), now)?;
        let mut it = seat.chars();
        let seat = it.next()?;
        if it.next().is_some() {
            return None;
        }
        out.push((info, seat));
    }
    (!out.is_empty()).then_some(out)
}

/// The account's face-check code (scenario `face_check_code`, default `12`).
fn face_code(w: &World) -> String {
    w.scenario
        .face_check_code
        .clone()
        .unwrap_or_else(|| "12".into())
}

/// Whether a face-check code lets the account submit 候补: `02`/`12` (ICCFISH treats them as no error).
fn face_passed(code: &str) -> bool {
    matches!(code, "02" | "12")
}

/// `POST /otn/afterNate/chechFace`.
pub fn chech_face(w: &mut World, c: &Ctx) -> Resp {
    if c.account(w).is_none() {
        return Resp::json(&json::ok(J::obj(vec![("login_flag", J::Bool(false))])));
    }
    if parse_secret_list(w, c.req.form().s("secretList"), c.now).is_none() {
        return Resp::json(&json::fail(STALE));
    }
    let code = face_code(w);
    Resp::json(&json::ok(J::obj(vec![
        ("login_flag", J::Bool(true)),
        ("is_show_qrcode", J::Bool(true)),
        ("face_flag", J::Bool(face_passed(&code))),
        ("face_check_code", J::s(code)),
    ])))
}

/// `POST /otn/afterNate/submitOrderRequest`.
pub fn submit(w: &mut World, c: &Ctx) -> Resp {
    if let Err(r) = c.require_login(w) {
        return r;
    }
    let code = face_code(w);
    if !face_passed(&code) {
        return Resp::json(&json::ok(J::obj(vec![
            ("flag", J::Bool(false)),
            ("faceCheck", J::s(code)),
        ])));
    }
    let Some(list) = parse_secret_list(w, c.req.form().s("secretList"), c.now) else {
        return Resp::json(&json::fail(STALE));
    };
    let sold = list.iter().all(|(info, seat)| {
        *seat != 'W'
            && w.train(&info.train)
                .is_some_and(|t| t.class(*seat).is_some())
    });
    if !sold {
        return Resp::json(&json::fail(BAD_PLAN));
    }
    if list.len() > MAX_PLANS {
        return Resp::json(&json::fail(TOO_MANY_PLANS));
    }
    w.session_mut(&c.sid).hb = list;
    Resp::json(&json::ok(J::obj(vec![("flag", J::Bool(true))])))
}

fn seat_items(codes: &[char]) -> J {
    J::Arr(
        codes
            .iter()
            .map(|c| {
                J::obj(vec![
                    ("id", J::s(c.to_string())),
                    ("value", J::s(seat_name(*c))),
                ])
            })
            .collect(),
    )
}

/// `POST /otn/afterNate/passengerInitApi`.
pub fn passenger_init(w: &mut World, c: &Ctx) -> Resp {
    if let Err(r) = c.require_login(w) {
        return r;
    }
    let hb = w
        .sessions
        .get(&c.sid)
        .map(|s| s.hb.clone())
        .unwrap_or_default();
    let mut trains = Vec::new();
    let mut last_date = Date::of_ms(c.now);
    for (info, seat) in &hb {
        let Some(t) = w.train(&info.train) else {
            continue;
        };
        let Some(date) = Date::parse(&info.date) else {
            continue;
        };
        last_date = last_date.max(date);
        let price = t.class(*seat).map(|c| c.price_x10).unwrap_or(0);
        let city = |code: &str| {
            stations::by_telecode(code)
                .map(|s| s.city_code)
                .unwrap_or("")
        };
        trains.push(J::obj(vec![
            ("start_city_code", J::s(city(t.from))),
            ("houbu_train_flag", J::s("1")),
            ("isForegin", J::s("0")),
            ("lishi", J::s(t.lishi())),
            ("location_code", J::s(t.location)),
            ("from_station_no", J::s(t.from_no)),
            ("control_day", J::s("14")),
            ("day_difference", J::s("0")),
            ("sale_time", J::s(t.sale_time)),
            ("to_station_name", J::s(stations::name_of(t.to))),
            ("station_train_code", J::s(&t.code)),
            ("country_flag", J::s("CHN,CHN")),
            ("local_arrive_time", J::s("")),
            ("to_station_no", J::s(t.to_no)),
            ("seat_type_name", J::s(seat_name(*seat))),
            ("end_city_code", J::s(city(t.end))),
            ("train_no", J::s(&t.train_no)),
            ("local_start_time", J::s("")),
            ("from_station_telecode", J::s(t.from)),
            ("yp_info", J::s(format!("{}{:05}0000", seat, price))),
            ("to_station_telecode", J::s(t.to)),
            ("seat_type_code", J::s(seat.to_string())),
            ("from_station_name", J::s(stations::name_of(t.from))),
            (
                "train_date_str",
                J::s(format!("{}年{}月{}日", date.y, date.m, date.d)),
            ),
            ("start_train_date", J::s(date.compact())),
            ("start_station_telecode", J::s(t.start)),
            ("arrive_time", J::s(t.arrive_time())),
            ("train_date", J::s(date.iso())),
            ("end_station_telecode", J::s(t.end)),
            ("start_time", J::s(t.start_time())),
        ]));
    }
    let _ = last_date;
    let latest = match first_departure_ms(w, &hb) {
        Some(dep) => {
            let end = datetime_str(dep - LATEST_BEFORE_DEPARTURE_MS);
            (end[..10].to_string(), end[11..16].to_string())
        }
        None => (Date::of_ms(c.now).iso(), "23:59".to_string()),
    };
    let all: Vec<char> = "1234569OMPAFIJ".chars().collect();
    Resp::json(&json::ok(J::obj(vec![
        ("limitTranStr", J::Arr(vec![])),
        ("canChooseWseat", J::s("N")),
        ("jzdhDateE", J::s(latest.0)),
        ("jzdhHourE", J::s(latest.1)),
        ("hbTrainList", J::Arr(trains)),
        (
            "jzdhDiffSelect",
            J::strs(&["20", "60", "120", "180", "360", "720", "1440"]),
        ),
        (
            "limitSeatType",
            J::Obj(vec![
                ("3".into(), seat_items(&['1', '3', 'O'])),
                ("2".into(), seat_items(&all)),
                ("1".into(), seat_items(&all)),
                ("4".into(), seat_items(&all)),
            ]),
        ),
        ("hb_passenger_max_num", J::Int(9)),
        ("result_code", J::s("0")),
        (
            "checkcode",
            J::s(
                w.scenario
                    .hb_checkcode
                    .clone()
                    .unwrap_or_else(|| "100".into()),
            ),
        ),
        ("jzdhDateS", J::s(Date::of_ms(c.now).iso())),
        ("jzdhHourS", J::s("15:01")),
        ("isLimitTran", J::s("N")),
        ("if_check_slide_passcode", J::s("0")),
    ])))
}

/// `POST /otn/afterNate/querySuccessRate`.
pub fn success_rate(w: &mut World, c: &Ctx) -> Resp {
    if let Err(r) = c.require_login(w) {
        return r;
    }
    Resp::json(&json::ok(J::obj(vec![("result", J::s("55"))])))
}

/// `POST /otn/afterNate/getQueueNum`.
pub fn queue_num(w: &mut World, c: &Ctx) -> Resp {
    if let Err(r) = c.require_login(w) {
        return r;
    }
    let hb = w
        .sessions
        .get(&c.sid)
        .map(|s| s.hb.clone())
        .unwrap_or_default();
    let items: Vec<J> = hb
        .iter()
        .filter_map(|(info, seat)| {
            let t = w.train(&info.train)?;
            Some(J::obj(vec![
                ("queue_info", J::s("候补人数较少")),
                ("station_train_code", J::s(&t.code)),
                ("train_date", J::s(info.date.replace('-', ""))),
                ("seat_type_code", J::s(seat.to_string())),
                ("train_no", J::s(&t.train_no)),
                ("queue_level", J::s("1")),
            ]))
        })
        .collect();
    Resp::json(&json::ok(J::obj(vec![
        ("flag", J::Bool(true)),
        ("queueNum", J::Arr(items)),
    ])))
}

/// Most train × class plans in one 候补 order (ICCFISH `BackupCart.CanAdd`, 2023: ≤ 4).
const MAX_PLANS: usize = 4;
/// Refusal: more plans than a 候补 order takes (our wording).
pub const TOO_MANY_PLANS: &str = "候补车次及席别数量超过限制";
/// Refusal: a class that cannot be waitlisted, 无座 among them (our wording).
pub const BAD_PLAN: &str = "该席别不能提交候补";
/// confirmHB without the 2026 fields (JOHNSHA 2026-03-31: `参数不正确…`).
pub const BAD_PARAMS: &str = "参数不正确";
/// confirmHB while the account has a 候补 order waiting (our wording; 12306's text is not captured).
pub const HB_EXISTS: &str = "您有待兑现的候补订单，请处理后再提交";
/// confirmHB when passengerInitApi said `checkcode:"94"` (our wording).
pub const NEEDS_APP_CHECK: &str = "请先在铁路12306 App完成人证核验";
/// confirmHB with a 截止兑现时间 already past (our wording).
pub const DEADLINE_PAST: &str = "截止兑现时间已过，请重新选择";
/// The latest 截止兑现时间 passengerInitApi offers: this long before the first departure (ours; TRIP: the page offers
/// 候补 only for departures more than 20 minutes away).
const LATEST_BEFORE_DEPARTURE_MS: i64 = 20 * 60_000;
/// `jzdhDiffSelect`: the `realize_limit_time_diff` values the page offers (minutes before departure).
const DIFF_SELECT: [&str; 7] = ["20", "60", "120", "180", "360", "720", "1440"];
/// The fields of the 2026 confirmHB (PROTOCOL §5.13, KYFW26 / TRIP); the 2023 set lacks the last eight.
const CONFIRM_HB_FIELDS: [&str; 15] = [
    "passengerInfo",
    "jzParam",
    "hbTrain",
    "lkParam",
    "sessionId",
    "sig",
    "scene",
    "encryptedData",
    "if_receive_wseat",
    "realize_limit_time_diff",
    "plans",
    "tmp_train_date",
    "tmp_train_time",
    "add_train_flag",
    "add_train_seat_type_code",
];

/// Departure (sim clock ms) of the earliest of the plans.
fn first_departure_ms(w: &World, hb: &[(crate::secret::SecretInfo, char)]) -> Option<i64> {
    hb.iter()
        .filter_map(|(info, _)| {
            let t = w.train(&info.train)?;
            Some(Date::parse(&info.date)?.midnight_ms() + t.dep_min * 60_000)
        })
        .min()
}

fn hb_fail(msg: &str) -> Resp {
    Resp::json(&json::ok(J::obj(vec![
        ("flag", J::Bool(false)),
        ("msg", J::s(msg)),
    ])))
}

/// The 截止兑现时间 of a confirmHB: `jzParam` (`YYYY-MM-DD#HH#MM`, China time) and/or `realize_limit_time_diff`
/// (minutes before the first departure, one of `jzdhDiffSelect`); the earlier wins. None: neither is usable.
fn realize_limit(form: &crate::form::Form, first_dep: i64) -> Option<i64> {
    let mut best: Option<i64> = None;
    let jz = form.s("jzParam");
    if !jz.is_empty() {
        let mut it = jz.split('#');
        let d = Date::parse(it.next()?)?;
        let h: i64 = it.next()?.parse().ok()?;
        let m: i64 = it.next()?.parse().ok()?;
        if !(0..24).contains(&h) || !(0..60).contains(&m) {
            return None;
        }
        best = Some(d.midnight_ms() + (h * 60 + m) * 60_000);
    }
    let diff = form.s("realize_limit_time_diff");
    if !diff.is_empty() {
        if !DIFF_SELECT.contains(&diff) {
            return None;
        }
        let mins: i64 = diff.parse().ok()?;
        let at = first_dep - mins * 60_000;
        best = Some(best.map_or(at, |b| b.min(at)));
    }
    best
}

/// `POST /otn/afterNate/confirmHB` (2026 field set): `passengerInfo=<type>#<name>#<idType>#<idNo>#<allEncStr>#<0|1>;…`
/// plus the deadline, 无座 acceptance and extra `plans` (`<secretStr>,<seat>#…`).
pub fn confirm_hb(w: &mut World, c: &Ctx) -> Resp {
    let account = match c.require_login(w) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let f = c.req.form();
    if CONFIRM_HB_FIELDS.iter().any(|k| f.get(k).is_none()) {
        return Resp::json(&json::fail(BAD_PARAMS));
    }
    let code = face_code(w);
    if !face_passed(&code) {
        return Resp::json(&json::ok(J::obj(vec![
            ("flag", J::Bool(false)),
            ("faceCheck", J::s(code)),
        ])));
    }
    if w.scenario.hb_checkcode.as_deref() == Some("94") {
        return hb_fail(NEEDS_APP_CHECK);
    }
    let mut hb = w
        .sessions
        .get(&c.sid)
        .map(|s| s.hb.clone())
        .unwrap_or_default();
    for item in f.s("plans").split('#').filter(|s| !s.is_empty()) {
        let Some((tok, seat)) = item.rsplit_once(',') else {
            return Resp::json(&json::fail(BAD_PARAMS));
        };
        let Some(info) = check_secret(w, &form::decode(tok), c.now) else {
            return Resp::json(&json::fail(STALE));
        };
        let mut it = seat.chars();
        match (it.next(), it.next()) {
            (Some(s), None) if w.train(&info.train).is_some_and(|t| t.class(s).is_some()) => {
                hb.push((info, s))
            }
            _ => return Resp::json(&json::fail(BAD_PARAMS)),
        }
    }
    if hb.is_empty() {
        return hb_fail("请重新选择候补车次");
    }
    if hb.len() > MAX_PLANS {
        return hb_fail(TOO_MANY_PLANS);
    }
    let Some(first_dep) = first_departure_ms(w, &hb) else {
        return hb_fail("请重新选择候补车次");
    };
    let Some(limit) = realize_limit(&f, first_dep) else {
        return Resp::json(&json::fail(BAD_PARAMS));
    };
    if limit <= c.now || limit > first_dep - LATEST_BEFORE_DEPARTURE_MS {
        return hb_fail(DEADLINE_PAST);
    }
    let accept_standing = match f.s("if_receive_wseat") {
        "Y" => true,
        "N" | "" => false,
        _ => return Resp::json(&json::fail(BAD_PARAMS)),
    };
    let mut list = Vec::new();
    for p in f.s("passengerInfo").split(';').filter(|s| !s.is_empty()) {
        let parts: Vec<&str> = p.split('#').collect();
        let known = (parts.len() == 5 || (parts.len() == 6 && matches!(parts[5], "0" | "1")))
            && passengers::by_name(parts[1])
                .is_some_and(|k| k.id_no == parts[3] && k.all_enc_str() == parts[4]);
        if !known {
            return hb_fail("乘车人信息有误");
        }
        list.push(TicketReq {
            seat: hb[0].1,
            ticket_type: parts[0].to_string(),
            name: parts[1].to_string(),
            id_type: parts[2].to_string(),
            id_no: parts[3].to_string(),
        });
    }
    if list.is_empty() {
        return hb_fail("请选择乘车人");
    }
    if list.len() > crate::state::MAX_PASSENGERS {
        return hb_fail("最多只能选择9位乘车人");
    }
    let waiting = w.orders.iter().any(|o| {
        o.account == account && o.status == OrderStatus::Waiting && w.is_visible(o, c.now)
    });
    if waiting {
        return hb_fail(HB_EXISTS);
    }
    if w.open_order(&account, c.now).is_some() {
        return hb_fail(super::order::UNFINISHED);
    }
    let n = w.next_id();
    let h = rng::hash(w.seed, &["hb", &n.to_string()]);
    let id = format!("EH{:016}", h % 10_000_000_000_000_000);
    let trace = format!("C1_Y_{}", h >> 2);
    let plans: Vec<HbPlan> = hb
        .iter()
        .map(|(info, seat)| HbPlan {
            train: info.train.clone(),
            date: info.date.clone(),
            from: info.from.clone(),
            to: info.to.clone(),
            seat: *seat,
        })
        .collect();
    let first = plans[0].clone();
    let queue_ms = w.scenario.hb_queue_ms.unwrap_or(0).max(0);
    w.orders.push(Order {
        id,
        account,
        train: first.train.clone(),
        date: first.date.clone(),
        from: first.from.clone(),
        to: first.to.clone(),
        tickets: list.into_iter().map(OrderTicket::unassigned).collect(),
        status: OrderStatus::Waiting,
        created_ms: c.now,
        ready_ms: c.now.saturating_add(queue_ms),
        pay_deadline_ms: 0,
        request_id: (h >> 3) as i64,
        polls: 0,
        kind: "hb",
        forced_fail: None,
        choice: SeatChoice::default(),
        hb: Some(HbOrder {
            plans,
            realize_limit_ms: limit,
            accept_standing,
            fulfilled: false,
        }),
    });
    // The chosen trains are used up: a second confirmHB (a silent resend) must choose again.
    w.session_mut(&c.sid).hb.clear();
    Resp::json(&json::ok(J::obj(vec![
        ("flag", J::Bool(true)),
        ("trace_id", J::s(trace)),
        ("isAsync", J::Bool(true)),
    ])))
}

/// `POST /otn/afterNate/queryQueue`: the account's newest 候补 order that 12306's checks see: `status` 0 while
/// it is queued (`waitTime` s), 1 with its `reserve_no` once it is a 候补 order (HYFSY `QueryQueueHandler`).
pub fn query_queue(w: &mut World, c: &Ctx) -> Resp {
    let account = match c.require_login(w) {
        Ok(a) => a,
        Err(r) => return r,
    };
    match w
        .orders
        .iter()
        .rev()
        .find(|o| o.account == account && o.kind == "hb" && w.is_visible(o, c.now))
    {
        Some(o) if c.now < o.ready_ms => Resp::json(&json::ok(J::obj(vec![
            ("flag", J::Bool(true)),
            ("status", J::Int(0)),
            ("waitTime", J::Int((o.ready_ms - c.now + 999) / 1000)),
            ("isAsync", J::Bool(true)),
        ]))),
        Some(o) => Resp::json(&json::ok(J::obj(vec![
            ("flag", J::Bool(true)),
            ("reserve_no", J::s(&o.id)),
            ("status", J::Int(1)),
            ("isAsync", J::Bool(true)),
        ]))),
        None => Resp::json(&json::ok(J::obj(vec![
            ("flag", J::Bool(false)),
            ("status", J::Int(-1)),
            ("msg", J::s("没有候补订单")),
        ]))),
    }
}

/// One 候补 order as the waitlist lists show it (2026 field names, PROTOCOL §5.13: KYFW26, TRIP).
fn hb_json(w: &World, o: &Order) -> J {
    let Some(hb) = &o.hb else {
        return J::Null;
    };
    let needs: Vec<J> = hb
        .plans
        .iter()
        .map(|p| {
            let t = w.train(&p.train);
            J::obj(vec![
                ("board_train_code", J::s(&p.train)),
                (
                    "train_no",
                    J::s(t.map(|t| t.train_no.clone()).unwrap_or_default()),
                ),
                ("train_date", J::s(p.date.replace('-', ""))),
                (
                    "start_time",
                    J::s(
                        t.map(|t| t.start_time().replace(':', ""))
                            .unwrap_or_default(),
                    ),
                ),
                ("from_station_name", J::s(stations::name_of(&p.from))),
                ("to_station_name", J::s(stations::name_of(&p.to))),
                ("seat_type_code", J::s(p.seat.to_string())),
                ("seat_type_name", J::s(seat_name(p.seat))),
            ])
        })
        .collect();
    let passengers: Vec<J> = o
        .tickets
        .iter()
        .map(|tk| {
            J::obj(vec![
                ("passenger_name", J::s(&tk.req.name)),
                ("passenger_id_type_code", J::s(&tk.req.id_type)),
                ("passenger_id_no", J::s(&tk.req.id_no)),
                ("ticket_type", J::s(&tk.req.ticket_type)),
            ])
        })
        .collect();
    let (status, name) = match (&o.status, hb.fulfilled) {
        (OrderStatus::Waiting, _) => ("1", "待兑现"),
        (_, true) => ("3", "已兑现"),
        (OrderStatus::Cancelled, _) => ("4", "已取消"),
        _ => ("5", "已过期"),
    };
    J::obj(vec![
        ("reserve_no", J::s(&o.id)),
        ("reserve_time", J::s(datetime_str(o.created_ms))),
        (
            "realize_limit_time",
            J::s(datetime_str(hb.realize_limit_ms)),
        ),
        ("status", J::s(status)),
        ("status_name", J::s(name)),
        (
            "if_receive_wseat",
            J::s(if hb.accept_standing { "Y" } else { "N" }),
        ),
        ("needs", J::Arr(needs)),
        ("passengers", J::Arr(passengers)),
    ])
}

fn hb_list(w: &World, c: &Ctx, account: &str, waiting: bool) -> Resp {
    let list: Vec<J> = w
        .orders
        .iter()
        .filter(|o| {
            o.account == account
                && o.kind == "hb"
                && w.is_visible(o, c.now)
                && c.now >= o.ready_ms
                && (o.status == OrderStatus::Waiting) == waiting
        })
        .map(|o| hb_json(w, o))
        .collect();
    Resp::json(&json::ok(J::obj(vec![
        ("list", J::Arr(list)),
        ("total_page", J::Int(1)),
    ])))
}

/// `POST /otn/afterNateOrder/queryUnHonourHOrder`: the 候补 orders waiting to be fulfilled (待兑现).
pub fn query_unhonour(w: &mut World, c: &Ctx) -> Resp {
    match c.require_login(w) {
        Ok(a) => hb_list(w, c, &a, true),
        Err(r) => r,
    }
}

/// `POST /otn/afterNateOrder/queryProcessedHOrder`: the 候补 orders that ended (fulfilled, cancelled, expired).
pub fn query_processed(w: &mut World, c: &Ctx) -> Resp {
    match c.require_login(w) {
        Ok(a) => hb_list(w, c, &a, false),
        Err(r) => r,
    }
}

/// `POST /otn/afterNateOrder/cancelWaitingHOrder` `reserve_no=…`: cancels a 候补 order still waiting.
pub fn cancel_waiting(w: &mut World, c: &Ctx) -> Resp {
    let account = match c.require_login(w) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let id = c.req.form().s("reserve_no").to_string();
    match w
        .orders
        .iter_mut()
        .find(|o| o.account == account && o.id == id && o.status == OrderStatus::Waiting)
    {
        Some(o) => {
            o.status = OrderStatus::Cancelled;
            Resp::json(&json::ok(J::obj(vec![("flag", J::Bool(true))])))
        }
        None => hb_fail("候补订单不存在或已处理"),
    }
}
