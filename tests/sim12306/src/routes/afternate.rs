//! The 候补 (waitlist) path with the captured shapes; the logic is simplified: a confirmed 候补
//! order is recorded and reported as queued successfully.

use super::order::{check_secret, STALE};
use super::Ctx;
use crate::clock::Date;
use crate::form;
use crate::http::Resp;
use crate::json::{self, J};
use crate::passengers;
use crate::rng;
use crate::state::{Order, OrderStatus, OrderTicket, TicketReq, World};
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

/// `POST /otn/afterNate/chechFace`.
pub fn chech_face(w: &mut World, c: &Ctx) -> Resp {
    if c.account(w).is_none() {
        return Resp::json(&json::ok(J::obj(vec![("login_flag", J::Bool(false))])));
    }
    if parse_secret_list(w, c.req.form().s("secretList"), c.now).is_none() {
        return Resp::json(&json::fail(STALE));
    }
    Resp::json(&json::ok(J::obj(vec![
        ("login_flag", J::Bool(true)),
        ("is_show_qrcode", J::Bool(true)),
        ("face_check_code", J::s("12")),
        ("face_flag", J::Bool(true)),
    ])))
}

/// `POST /otn/afterNate/submitOrderRequest`.
pub fn submit(w: &mut World, c: &Ctx) -> Resp {
    if let Err(r) = c.require_login(w) {
        return r;
    }
    let Some(list) = parse_secret_list(w, c.req.form().s("secretList"), c.now) else {
        return Resp::json(&json::fail(STALE));
    };
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
    let all: Vec<char> = "1234569OMPAFIJ".chars().collect();
    Resp::json(&json::ok(J::obj(vec![
        ("limitTranStr", J::Arr(vec![])),
        ("canChooseWseat", J::s("N")),
        ("jzdhDateE", J::s(last_date.iso())),
        ("jzdhHourE", J::s("05:41")),
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
        ("checkcode", J::s("100")),
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

/// `POST /otn/afterNate/confirmHB`: `passengerInfo=<type>#<name>#<idType>#<idNo>#<allEncStr>#<0|1>;…`.
pub fn confirm_hb(w: &mut World, c: &Ctx) -> Resp {
    let account = match c.require_login(w) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let hb = w
        .sessions
        .get(&c.sid)
        .map(|s| s.hb.clone())
        .unwrap_or_default();
    let Some((info, seat)) = hb.first().cloned() else {
        return Resp::json(&json::ok(J::obj(vec![
            ("flag", J::Bool(false)),
            ("msg", J::s("请重新选择候补车次")),
        ])));
    };
    let f = c.req.form();
    let mut list = Vec::new();
    for p in f.s("passengerInfo").split(';').filter(|s| !s.is_empty()) {
        let parts: Vec<&str> = p.split('#').collect();
        let known = parts.len() >= 5
            && passengers::by_name(parts[1])
                .is_some_and(|k| k.id_no == parts[3] && k.all_enc_str() == parts[4]);
        if !known {
            return Resp::json(&json::ok(J::obj(vec![
                ("flag", J::Bool(false)),
                ("msg", J::s("乘车人信息有误")),
            ])));
        }
        list.push(TicketReq {
            seat,
            ticket_type: parts[0].to_string(),
            name: parts[1].to_string(),
            id_type: parts[2].to_string(),
            id_no: parts[3].to_string(),
        });
    }
    if list.is_empty() {
        return Resp::json(&json::ok(J::obj(vec![
            ("flag", J::Bool(false)),
            ("msg", J::s("请选择乘车人")),
        ])));
    }
    let n = w.next_id();
    let h = rng::hash(w.seed, &["hb", &n.to_string()]);
    let id = format!("EH{:016}", h % 10_000_000_000_000_000);
    let trace = format!("C1_Y_{}", h >> 2);
    w.orders.push(Order {
        id,
        account,
        train: info.train.clone(),
        date: info.date.clone(),
        from: info.from.clone(),
        to: info.to.clone(),
        tickets: list.into_iter().map(OrderTicket::unassigned).collect(),
        status: OrderStatus::Unpaid,
        created_ms: c.now,
        ready_ms: c.now,
        pay_deadline_ms: c.now.saturating_add(w.pay_window_ms()),
        request_id: (h >> 3) as i64,
        polls: 0,
        kind: "hb",
        forced_fail: None,
    });
    Resp::json(&json::ok(J::obj(vec![
        ("flag", J::Bool(true)),
        ("trace_id", J::s(trace)),
        ("isAsync", J::Bool(true)),
    ])))
}

/// `POST /otn/afterNate/queryQueue`.
pub fn query_queue(w: &mut World, c: &Ctx) -> Resp {
    let account = match c.require_login(w) {
        Ok(a) => a,
        Err(r) => return r,
    };
    match w
        .orders
        .iter()
        .rev()
        .find(|o| o.account == account && o.kind == "hb")
    {
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
