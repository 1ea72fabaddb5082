//! After confirmSingleForQueue: the queue (queryOrderWaitTime), the result, the pay page and the
//! unfinished-order endpoints.

use super::order::{CANCEL_LIMIT, INIT_DC_REFERER};
use super::Ctx;
use crate::clock::{datetime_str, Date};
use crate::http::Resp;
use crate::json::{self, js_string_escape, J};
use crate::pages::{fill, INIT_NO_COMPLETE, PAY_ORDER_INIT};
use crate::state::{Order, OrderStatus, World};
use crate::stations;
use crate::tickets::{seat_name, ticket_type_name};

fn latest_order_index(w: &World, account: &str, kind: &str) -> Option<usize> {
    w.orders
        .iter()
        .rposition(|o| o.account == account && o.kind == kind)
}

/// `GET /otn/confirmPassenger/queryOrderWaitTime`: -100 first, then a count-down, then -1 (orderId)
/// or -2 (msg); -3 when cancelled, -4 when nothing is queued. An order 12306 does not see yet
/// (`order_visible_after_ms`) answers -100, however often it is asked.
pub fn query_order_wait_time(w: &mut World, c: &Ctx) -> Resp {
    let account = match c.require_login(w) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let wait_count = w.scenario.wait_count.unwrap_or(0);
    let latest = latest_order_index(w, &account, "dc");
    let (wait, request_id, order_id, msg, count) = match latest {
        None => (-4, 0, None, None, 0),
        Some(i) if !w.is_visible(&w.orders[i], c.now) => {
            (-100, w.orders[i].request_id, None, None, 0)
        }
        Some(i) => {
            let o = &mut w.orders[i];
            o.polls += 1;
            let first = o.polls == 1;
            match &o.status {
                _ if first
                    && matches!(
                        o.status,
                        OrderStatus::Queued | OrderStatus::Unpaid | OrderStatus::Failed(_)
                    ) =>
                {
                    (-100, o.request_id, None, None, 0)
                }
                OrderStatus::Queued => (
                    ((o.ready_ms - c.now) + 999).max(1000) / 1000,
                    o.request_id,
                    None,
                    None,
                    wait_count,
                ),
                OrderStatus::Unpaid => (-1, o.request_id, Some(o.id.clone()), None, 0),
                OrderStatus::Failed(m) => (-2, o.request_id, None, Some(m.clone()), 0),
                // Only 候补 orders wait; this list holds direct orders.
                OrderStatus::Cancelled | OrderStatus::Expired | OrderStatus::Waiting => {
                    (-3, o.request_id, None, Some("订单已撤销".to_string()), 0)
                }
            }
        }
    };
    let mut data = vec![
        ("queryOrderWaitTimeStatus", J::Bool(true)),
        ("count", J::Int(0)),
        ("waitTime", J::Int(wait)),
        ("requestId", J::Int(request_id)),
        ("waitCount", J::Int(count)),
        ("tourFlag", J::s("dc")),
        ("orderId", order_id.map(J::s).unwrap_or(J::Null)),
    ];
    if let Some(m) = msg {
        data.push(("msg", J::s(m)));
        data.push(("errorcode", J::s("0")));
    }
    Resp::json(&json::ok(J::obj(data)))
}

/// `POST /otn/confirmPassenger/resultOrderForDcQueue`.
pub fn result_order(w: &mut World, c: &Ctx) -> Resp {
    if let Err(r) = c.require_referer(INIT_DC_REFERER) {
        return r;
    }
    let account = match c.require_login(w) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let id = c.req.form().s("orderSequence_no").to_string();
    let ok = w
        .orders
        .iter()
        .any(|o| o.account == account && o.id == id && o.status == OrderStatus::Unpaid);
    if ok {
        Resp::json(&json::ok(J::obj(vec![("submitStatus", J::Bool(true))])))
    } else {
        Resp::json(&json::submit_fail("订单不存在"))
    }
}

fn price(p: u32) -> String {
    format!("{}.{}", p / 10, p % 10)
}

/// One order in the orderDBList / parOrderDTOJson shape.
pub fn order_json(w: &World, o: &Order) -> J {
    let t = w.train(&o.train);
    let start = t.map(|t| t.start_time()).unwrap_or_default();
    let arrive = t.map(|t| t.arrive_time()).unwrap_or_default();
    let total: u32 = o.tickets.iter().map(|tk| tk.price_x10).sum();
    let tickets: Vec<J> = o
        .tickets
        .iter()
        .enumerate()
        .map(|(i, tk)| {
            let seat = if tk.standing { 'W' } else { tk.req.seat };
            J::obj(vec![
                (
                    "stationTrainDTO",
                    J::obj(vec![
                        ("station_train_code", J::s(&o.train)),
                        ("from_station_telecode", J::s(&o.from)),
                        ("from_station_name", J::s(stations::name_of(&o.from))),
                        ("start_time", J::s(&start)),
                        ("to_station_telecode", J::s(&o.to)),
                        ("to_station_name", J::s(stations::name_of(&o.to))),
                        ("arrive_time", J::s(&arrive)),
                    ]),
                ),
                (
                    "passengerDTO",
                    J::obj(vec![
                        ("passenger_name", J::s(&tk.req.name)),
                        ("passenger_id_type_code", J::s(&tk.req.id_type)),
                        ("passenger_id_type_name", J::s("中国居民身份证")),
                        ("passenger_id_no", J::s(&tk.req.id_no)),
                        ("total_times", J::s("99")),
                    ]),
                ),
                ("ticket_no", J::s(format!("{}{}{:03}", o.id, 1, i + 1))),
                ("sequence_no", J::s(&o.id)),
                ("batch_no", J::s("1")),
                ("train_date", J::s(format!("{} 00:00:00", o.date))),
                ("coach_no", J::s(&tk.coach)),
                ("coach_name", J::s(&tk.coach)),
                ("seat_no", J::s(&tk.seat_no)),
                (
                    "seat_name",
                    J::s(if tk.standing {
                        "无座".to_string()
                    } else {
                        format!("{}号", tk.seat_no)
                    }),
                ),
                ("seat_type_code", J::s(tk.req.seat.to_string())),
                ("seat_type_name", J::s(seat_name(seat))),
                ("ticket_type_code", J::s(&tk.req.ticket_type)),
                (
                    "ticket_type_name",
                    J::s(ticket_type_name(&tk.req.ticket_type)),
                ),
                ("reserve_time", J::s(datetime_str(o.created_ms))),
                ("lose_time", J::s(datetime_str(o.pay_deadline_ms))),
                ("pay_limit_time", J::s(datetime_str(o.pay_deadline_ms))),
                ("ticket_price", J::Int(i64::from(tk.price_x10) * 10)),
                ("str_ticket_price_page", J::s(price(tk.price_x10))),
                ("ticket_status_code", J::s("i")),
                ("ticket_status_name", J::s("待支付")),
            ])
        })
        .collect();
    let names: Vec<&str> = o.tickets.iter().map(|tk| tk.req.name.as_str()).collect();
    J::obj(vec![
        ("sequence_no", J::s(&o.id)),
        ("order_date", J::s(datetime_str(o.created_ms))),
        ("ticket_totalnum", J::Int(o.tickets.len() as i64)),
        ("ticket_price_all", J::Float(f64::from(total) * 10.0)),
        ("cancel_flag", J::s("Y")),
        ("resign_flag", J::s("4")),
        ("return_flag", J::s("N")),
        ("print_eticket_flag", J::s("N")),
        ("pay_flag", J::s("Y")),
        ("pay_resign_flag", J::s("N")),
        ("confirm_flag", J::s("N")),
        ("tickets", J::Arr(tickets)),
        ("reserve_flag_query", J::s("p")),
        ("if_show_resigning_info", J::s("N")),
        ("recordCount", J::s("1")),
        ("isNeedSendMailAndMsg", J::s("N")),
        ("array_passser_name_page", J::strs(&names)),
        (
            "from_station_name_page",
            J::strs(&[stations::name_of(&o.from)]),
        ),
        ("to_station_name_page", J::strs(&[stations::name_of(&o.to)])),
        (
            "start_train_date_page",
            J::s(format!("{} {}", o.date, start)),
        ),
        ("start_time_page", J::s(&start)),
        ("arrive_time_page", J::s(&arrive)),
        ("train_code_page", J::s(&o.train)),
        ("ticket_total_price_page", J::s(price(total))),
        ("come_go_traveller_order_page", J::s("N")),
        ("canOffLinePay", J::s("N")),
        ("if_deliver", J::s("N")),
        ("insure_query_no", J::s("")),
    ])
}

/// `POST /otn/payOrder/init`: "席位已锁定，请在…前支付".
pub fn pay_order_init(w: &mut World, c: &Ctx) -> Resp {
    let account = match c.require_login(w) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let Some(o) = w
        .orders
        .iter()
        .rev()
        .find(|o| o.account == account && o.status == OrderStatus::Unpaid)
    else {
        return Resp::html(INIT_NO_COMPLETE);
    };
    let dto = J::obj(vec![("orders", J::Arr(vec![order_json(w, o)]))]).to_json();
    Resp::html(fill(
        PAY_ORDER_INIT,
        &[
            ("parOrderDTOJson", &js_string_escape(&dto)),
            ("pay_deadline", &datetime_str(o.pay_deadline_ms)),
            ("order_id", &o.id),
        ],
    ))
}

fn cache_dto(w: &World, o: &Order, now: i64) -> J {
    let t = w.train(&o.train);
    let start = t.map(|t| t.start_time()).unwrap_or_default();
    let tickets: Vec<J> = o
        .tickets
        .iter()
        .map(|tk| {
            J::obj(vec![
                ("seatTypeName", J::s(seat_name(tk.req.seat))),
                ("seatTypeCode", J::s(tk.req.seat.to_string())),
                (
                    "ticketTypeName",
                    J::s(ticket_type_name(&tk.req.ticket_type)),
                ),
                ("passengerName", J::s(&tk.req.name)),
                ("passengerIdTypeName", J::s("中国居民身份证")),
            ])
        })
        .collect();
    J::obj(vec![
        ("requestId", J::Int(o.request_id)),
        ("userId", J::Int(100_000_000_000)),
        ("number", J::Int(0)),
        ("tourFlag", J::s("dc")),
        ("requestTime", J::s(datetime_str(o.created_ms))),
        ("queueOffset", J::Int(17_080_740_164)),
        ("queueName", J::s("74_ORDER_X1_1")),
        ("trainDate", J::s(format!("{} 00:00:00", o.date))),
        ("startTime", J::s(format!("1970-01-01 {start}:00"))),
        ("stationTrainCode", J::s(&o.train)),
        ("fromStationCode", J::s(&o.from)),
        ("fromStationName", J::s(stations::name_of(&o.from))),
        ("toStationCode", J::s(&o.to)),
        ("toStationName", J::s(stations::name_of(&o.to))),
        ("status", J::Int(1)),
        ("modifyTime", J::s(datetime_str(o.created_ms))),
        ("tickets", J::Arr(tickets)),
        ("waitTime", J::Int(((o.ready_ms - now) / 1000).max(0))),
        ("waitCount", J::Int(w.scenario.wait_count.unwrap_or(0))),
        ("ticketCount", J::Int(o.tickets.len() as i64)),
        ("startTimeString", J::s(format!("{} {start}", o.date))),
        ("array_passser_name_page", J::Arr(vec![J::Null])),
    ])
}

/// `POST /otn/queryOrder/queryMyOrderNoComplete`: `orderDBList`+`db` (unpaid), `orderCacheDTO`+`cache`
/// (queued), or an envelope without data when there is nothing (an order not visible yet is nothing).
pub fn query_no_complete(w: &mut World, c: &Ctx) -> Resp {
    let account = match c.require_login(w) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let open: Vec<&Order> = w
        .orders
        .iter()
        .filter(|o| o.account == account && o.is_open() && w.is_visible(o, c.now))
        .collect();
    if let Some(o) = open.iter().find(|o| o.status == OrderStatus::Unpaid) {
        return Resp::json(&json::ok(J::obj(vec![
            ("orderDBList", J::Arr(vec![order_json(w, o)])),
            ("to_page", J::s("db")),
        ])));
    }
    if let Some(o) = open.iter().find(|o| o.status == OrderStatus::Queued) {
        return Resp::json(&json::ok(J::obj(vec![
            ("orderCacheDTO", cache_dto(w, o, c.now)),
            ("to_page", J::s("cache")),
        ])));
    }
    Resp::json(&json::envelope(true, None, &[]))
}

/// `POST /otn/queryOrder/cancelNoCompleteMyOrder sequence_no=&cancel_flag=cancel_order`.
pub fn cancel_no_complete(w: &mut World, c: &Ctx) -> Resp {
    let account = match c.require_login(w) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let f = c.req.form();
    let id = f.s("sequence_no");
    let Some(i) = w
        .orders
        .iter()
        .position(|o| o.account == account && o.id == id && o.status == OrderStatus::Unpaid)
    else {
        return Resp::json(&json::ok(J::obj(vec![
            ("existError", J::s("Y")),
            ("errorMsg", J::s("订单不存在")),
        ])));
    };
    w.release_seats(i);
    w.orders[i].status = OrderStatus::Cancelled;
    let key = (account, Date::of_ms(c.now).iso());
    let n = w.cancels.entry(key).or_insert(0);
    *n += 1;
    let mut data = vec![("existError", J::s("N"))];
    if *n >= w.cancel_limit() {
        data.push(("errorMsg", J::s(CANCEL_LIMIT)));
    }
    Resp::json(&json::ok(J::obj(data)))
}

/// `POST /otn/queryOrder/cancelQueueNoCompleteMyOrder tourFlag=dc`.
pub fn cancel_queue(w: &mut World, c: &Ctx) -> Resp {
    let account = match c.require_login(w) {
        Ok(a) => a,
        Err(r) => return r,
    };
    match w
        .orders
        .iter_mut()
        .find(|o| o.account == account && o.status == OrderStatus::Queued)
    {
        Some(o) => {
            o.status = OrderStatus::Cancelled;
            Resp::json(&json::ok(J::obj(vec![("existError", J::s("N"))])))
        }
        None => Resp::json(&json::ok(J::obj(vec![
            ("existError", J::s("Y")),
            ("errorMsg", J::s("没有排队中的订单")),
        ]))),
    }
}
