//! The initDc page: `ticketInfoForPassengerForm`, `orderRequestDTO` and the init_* lists, in the
//! single-quoted literal form of the real page.

use crate::clock::{Date, CHINA_OFFSET_MS};
use crate::inventory::STANDING;
use crate::json::J;
use crate::state::{OrderPage, World};
use crate::stations;
use crate::tickets::seat_name;
use crate::timetable::TrainDef;

/// `{'end_station_name':null,'end_time':null,'id':…,'start_station_name':null,'start_time':null,'value':…}`.
pub fn code_item(id: &str, value: &str) -> J {
    J::obj(vec![
        ("end_station_name", J::Null),
        ("end_time", J::Null),
        ("id", J::s(id)),
        ("start_station_name", J::Null),
        ("start_time", J::Null),
        ("value", J::s(value)),
    ])
}

pub fn seat_types(t: &TrainDef) -> J {
    J::Arr(
        t.classes
            .iter()
            .map(|c| code_item(&c.code.to_string(), seat_name(c.code)))
            .collect(),
    )
}

pub fn ticket_types() -> J {
    J::Arr(vec![
        code_item("1", "成人票"),
        code_item("2", "儿童票"),
        code_item("3", "学生票"),
        code_item("4", "残军票"),
    ])
}

pub fn card_types() -> J {
    J::Arr(vec![
        code_item("1", "中国居民身份证"),
        code_item("C", "港澳居民来往内地通行证"),
        code_item("G", "台湾居民来往大陆通行证"),
        code_item("B", "护照"),
        code_item("H", "外国人永久居留身份证"),
    ])
}

/// Ticket type → allowed seat classes (students: the base class only).
pub fn ticket_seat_code_map(t: &TrainDef) -> J {
    let base = t.base_class();
    let student = J::Arr(vec![code_item(&base.to_string(), seat_name(base))]);
    J::Obj(vec![
        ("3".into(), student),
        ("2".into(), seat_types(t)),
        ("1".into(), seat_types(t)),
        ("4".into(), seat_types(t)),
    ])
}

/// A Java `Date` as serialised into the page (`{'date':25,'day':4,…,'time':…,'year':124}`).
pub fn java_date(ms: i64) -> J {
    let local = ms + CHINA_OFFSET_MS;
    let d = Date::of_ms(ms);
    let secs = local.rem_euclid(86_400_000) / 1000;
    J::obj(vec![
        ("date", J::Int(i64::from(d.d))),
        ("day", J::Int(i64::from(d.weekday()))),
        ("hours", J::Int(secs / 3600)),
        ("minutes", J::Int(secs / 60 % 60)),
        ("month", J::Int(i64::from(d.m) - 1)),
        ("seconds", J::Int(secs % 60)),
        ("time", J::Int(ms)),
        ("timezoneOffset", J::Int(-480)),
        ("year", J::Int(i64::from(d.y) - 1900)),
    ])
}

fn price(p: u32) -> String {
    format!("{}.{}", p / 10, p % 10)
}

pub fn order_request_dto(t: &TrainDef, date: Date) -> J {
    let n = J::Null;
    J::obj(vec![
        ("adult_num", J::Int(0)),
        ("append_list_per_ticket", n.clone()),
        ("appendix_list_sequence", n.clone()),
        ("appidToken", n.clone()),
        ("apply_order_no", n.clone()),
        ("bed_level_order_num", n.clone()),
        ("bureau_code", n.clone()),
        ("cancel_flag", n.clone()),
        ("card_num", n.clone()),
        ("channel", n.clone()),
        ("child_num", J::Int(0)),
        ("choose_seat", n.clone()),
        ("country_flag", J::s("CHN,CHN")),
        ("disability_num", J::Int(0)),
        ("dw_flag", J::s(t.dw_flag.replace('#', ","))),
        (
            "end_time",
            java_date(((t.dep_min + t.dur_min) % 1440) * 60_000 - CHINA_OFFSET_MS),
        ),
        ("exchange_train_flag", J::s("1")),
        ("from_station_name", J::s(stations::name_of(t.from))),
        ("from_station_telecode", J::s(t.from)),
        ("get_ticket_pass", n.clone()),
        ("id_mode", J::s("Y")),
        ("isShowPassCode", n.clone()),
        ("leftTicketGenTime", n.clone()),
        ("orderBatchNo", n.clone()),
        ("orderId", n.clone()),
        ("order_date", n.clone()),
        ("passengerFlag", n.clone()),
        ("realleftTicket", n.clone()),
        ("reqIpAddress", n.clone()),
        ("reqTimeLeftStr", n.clone()),
        ("reserve_flag", J::s("A")),
        ("saleTimeSecond", J::Int(951_486)),
        ("seat_detail_type_code", n.clone()),
        ("seat_type_code", n.clone()),
        ("sequence_no", n.clone()),
        (
            "start_time",
            java_date(t.dep_min * 60_000 - CHINA_OFFSET_MS),
        ),
        ("start_time_str", n.clone()),
        ("station_train_code", J::s(&t.code)),
        ("student_num", J::Int(0)),
        ("ticket_num", J::Int(0)),
        ("ticket_type_order_num", n.clone()),
        ("to_station_name", J::s(stations::name_of(t.to))),
        ("to_station_telecode", J::s(t.to)),
        ("tour_flag", J::s("dc")),
        ("trainCodeText", n.clone()),
        ("train_date", java_date(date.midnight_ms())),
        ("train_date_str", n.clone()),
        ("train_location", n.clone()),
        ("train_no", J::s(&t.train_no)),
        ("train_order", n.clone()),
        ("trms_train_flag", n.clone()),
        ("varStr", n),
    ])
}

/// `ticketInfoForPassengerForm` for an order page.
pub fn ticket_info(w: &World, t: &TrainDef, date: Date, page: &OrderPage) -> J {
    let iso = date.iso();
    let mut left_details = Vec::new();
    let mut yp_detail = String::new();
    if t.standing {
        let n = w.inventory.left(&iso, t, STANDING).unwrap_or(0);
        left_details.push(format!(
            "无座( ¥{}元){}",
            price(t.standing_price()),
            left_text(n)
        ));
    }
    for cl in &t.classes {
        let n = w.inventory.left(&iso, t, cl.code).unwrap_or(0);
        left_details.push(format!(
            "{}( ¥{}元){}",
            seat_name(cl.code),
            price(cl.price_x10),
            left_text(n)
        ));
        yp_detail.push_str(&format!("{}{:05}{:04}", cl.code, cl.price_x10, n.min(2999)));
    }
    let purpose = if page.chosen.purpose == "0X00" {
        "0X00"
    } else {
        "00"
    };
    let num = |seat: char| -> J {
        J::s(match w.inventory.left(&iso, t, seat) {
            Some(n) => n.to_string(),
            None => "-1".into(),
        })
    };
    let pr = |seat: char| -> J {
        J::s(match t.class(seat) {
            Some(c) => format!("{:05}", c.price_x10),
            None => "0".into(),
        })
    };
    let detail = J::obj(vec![
        ("GG_num", num('D')),
        ("GG_price", pr('D')),
        ("RW_num", num('4')),
        ("RW_price", pr('4')),
        ("SWZ_num", num('9')),
        ("SWZ_price", pr('9')),
        ("TZ_num", num('P')),
        ("TZ_price", pr('P')),
        (
            "WZ_num",
            if t.standing {
                num(STANDING)
            } else {
                J::s("-1")
            },
        ),
        (
            "WZ_price",
            J::s(if t.standing {
                format!("{:05}", t.standing_price())
            } else {
                "0".into()
            }),
        ),
        ("WZ_seat_type_code", J::s(t.base_class().to_string())),
        ("YW_num", num('3')),
        ("YW_price", pr('3')),
        ("YZ_num", num('1')),
        ("YZ_price", pr('1')),
        ("ZE_num", num('O')),
        ("ZE_price", pr('O')),
        ("ZY_num", num('M')),
        ("ZY_price", pr('M')),
        ("arrive_time", J::s(t.arrive_time().replace(':', ""))),
        ("from_station_name", J::s(stations::name_of(t.from))),
        ("from_station_telecode", J::s(t.from)),
        ("lishi", J::s(t.lishi())),
        ("start_time", J::s(t.start_time().replace(':', ""))),
        ("station_train_code", J::s(&t.code)),
        ("to_station_name", J::s(stations::name_of(t.to))),
        ("to_station_telecode", J::s(t.to)),
        ("train_no", J::s(&t.train_no)),
        ("ypInfoDetail", J::s(&yp_detail)),
    ]);
    let request = J::obj(vec![
        ("arrive_time", J::s(t.arrive_time())),
        ("bed_level_info", J::s("")),
        ("bigger20", J::s("Y")),
        ("country_flag", J::s("CHN,CHN")),
        ("dw_flag", J::s(t.dw_flag.replace('#', ","))),
        ("exchange_train_flag", J::s("1")),
        ("from_station", J::s(t.from)),
        ("from_station_name", J::s(stations::name_of(t.from))),
        ("from_station_no", J::s(t.from_no)),
        ("lishi", J::s(t.lishi())),
        ("purpose_codes", J::s(purpose)),
        ("saleTimeSecond", J::Int(951_486)),
        ("seat_discount_info", J::s("")),
        ("seat_types", J::s(t.seat_types())),
        ("start_time", J::s(t.start_time())),
        ("station_train_code", J::s(&t.code)),
        ("to_station", J::s(t.to)),
        ("to_station_name", J::s(stations::name_of(t.to))),
        ("to_station_no", J::s(t.to_no)),
        ("train_date", J::s(date.compact())),
        ("train_no", J::s(&t.train_no)),
        ("ypInfoDetail", J::s(&page.left_ticket)),
    ]);
    J::obj(vec![
        ("cardTypes", card_types()),
        ("isAsync", J::s("1")),
        ("key_check_isChange", J::s(&page.key_check)),
        ("leftDetails", J::strs(&left_details)),
        ("leftTicketStr", J::s(&page.left_ticket)),
        (
            "limitBuySeatTicketDTO",
            J::obj(vec![
                ("seat_type_codes", seat_types(t)),
                ("ticket_seat_codeMap", ticket_seat_code_map(t)),
                ("ticket_type_codes", ticket_types()),
            ]),
        ),
        ("maxTicketNum", J::s("9")),
        ("orderRequestDTO", order_request_dto(t, date)),
        ("purpose_codes", J::s(purpose)),
        ("queryLeftNewDetailDTO", detail),
        ("queryLeftTicketRequestDTO", request),
        ("tour_flag", J::s("dc")),
        ("train_location", J::s(t.location)),
    ])
}

fn left_text(n: i64) -> String {
    match n {
        n if n >= 20 => "有票".into(),
        n if n > 0 => format!("{n}张票"),
        _ => "无票".into(),
    }
}
