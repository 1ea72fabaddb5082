//! Query rows and answers: the real 2024/2025 samples and the hand-written fixtures of every layout.

#[path = "fixtures/support.rs"]
mod common;

use kyfw::error::ParseErrorKind;
use kyfw::query::{parse_query, QueryAnswer};
use kyfw::seat::SeatClass;
use kyfw::train::{parse_row, Availability, CanWebBuy, Train};

fn trains_of(
    answer: QueryAnswer,
) -> (
    Vec<Train>,
    std::collections::BTreeMap<String, String>,
    usize,
) {
    match answer {
        QueryAnswer::Trains {
            trains,
            map,
            skipped_rows,
        } => (trains, map, skipped_rows.len()),
        other => panic!("expected trains, got {other:?}"),
    }
}

#[test]
fn real_query_answer_2024() {
    let Some(body) = common::sample("leftTicket_queryG.2024-04.json") else {
        return;
    };
    let (trains, map, skipped) = trains_of(parse_query(&body).unwrap());
    assert_eq!(skipped, 0);
    assert_eq!(trains.len(), 2);
    assert_eq!(map.get("CZH").map(String::as_str), Some("常州"));
    assert_eq!(map.len(), 12);

    let d = &trains[0];
    assert_eq!(d.field_count, 57);
    assert_eq!(d.code, "D3010");
    assert_eq!(d.train_no, "5l000D301002");
    assert_eq!(
        (d.start_telecode.as_str(), d.end_telecode.as_str()),
        ("AOH", "HKN")
    );
    assert_eq!(
        (d.from_telecode.as_str(), d.to_telecode.as_str()),
        ("AOH", "CZH")
    );
    assert_eq!(
        (d.depart.as_str(), d.arrive.as_str(), d.duration_minutes),
        ("14:42", "15:44", Some(62))
    );
    assert_eq!(d.can_web_buy, CanWebBuy::Yes);
    assert!(d.is_bookable());
    let secret = d.secret_str.as_deref().unwrap();
    assert!(
        secret.starts_with("Oy1n3fY3") && secret.ends_with("%3D%3D"),
        "kept %-encoded as received"
    );
    assert_eq!(d.location_code, "H3");
    assert_eq!(
        (d.from_station_no.as_str(), d.to_station_no.as_str()),
        ("01", "04")
    );
    assert_eq!(d.start_train_date, "20240422");
    // Cells: 26 无座 `有`, 30 二等座 `3`, 31 一等座 `14` (they agree with yp_info_new below).
    assert_eq!(d.availability(SeatClass::Second), Availability::Count(3));
    assert_eq!(d.availability(SeatClass::First), Availability::Count(14));
    assert_eq!(d.availability(SeatClass::NoSeat), Availability::Plenty);
    assert_eq!(
        d.availability(SeatClass::Business),
        Availability::NotOffered
    );
    assert_eq!(
        d.availability(SeatClass::FirstPremium),
        Availability::NotOffered,
        "seat_types MOO has no D"
    );
    assert!(d.has_tickets_for(SeatClass::Second, 3));
    assert!(!d.has_tickets_for(SeatClass::Second, 4));
    assert!(d.has_tickets_for(SeatClass::NoSeat, 9));
    assert_eq!((d.yp_ex.as_str(), d.seat_types.as_str()), ("M0O0W0", "MOO"));
    assert!(d.exchange);
    assert!(!d.houbu);
    // yp_info_new agrees with the cells, including the 3000+ standing rule.
    assert_eq!(d.price_tenths(SeatClass::First), Some(980));
    assert_eq!(d.price_tenths(SeatClass::Second), Some(610));
    let standing = d
        .prices
        .iter()
        .find(|p| p.seat == Some(SeatClass::NoSeat))
        .unwrap();
    assert_eq!((standing.code.as_str(), standing.count), ("O", 76));
    assert_eq!(d.stopcheck_minutes, Some(7));
    assert_eq!(d.country_flag, "CHN,CHN");
    assert_eq!(d.seat_discount_info, "");
    assert_eq!(d.sale_time_raw, "202404081330");
    assert_eq!(
        d.sale_time.map(|t| (t.month, t.day, t.hour, t.minute)),
        Some((4, 8, 13, 30))
    );

    let g = &trains[1];
    assert_eq!(g.code, "G8294");
    assert_eq!(g.availability(SeatClass::Business), Availability::Count(13));
    assert_eq!(g.availability(SeatClass::First), Availability::Plenty);
    assert_eq!(g.availability(SeatClass::Second), Availability::Plenty);
    assert_eq!(g.seat_discount_info, "90091");
    assert_eq!(g.seat_discounts()[0].discount, "0091");
    assert_eq!(g.price_tenths(SeatClass::Business), Some(2890));
}

#[test]
fn real_rows_2025_58_fields() {
    let Some(text) = common::sample("leftTicket_rows.2025-07.58field.txt") else {
        return;
    };
    let rows = common::rows(&text);
    assert_eq!(rows.len(), 2);
    let z = parse_row(&rows[0]).unwrap();
    let k = parse_row(&rows[1]).unwrap();
    assert_eq!((z.field_count, k.field_count), (58, 58));
    assert_eq!((z.code.as_str(), k.code.as_str()), ("Z293", "K519"));
    assert_eq!(z.can_web_buy, CanWebBuy::No);
    assert!(!z.is_bookable());
    assert_eq!(k.can_web_buy, CanWebBuy::Yes);
    assert_eq!(
        (z.from_telecode.as_str(), z.to_telecode.as_str()),
        ("ZZF", "XAY")
    );
    assert_eq!(
        (z.start_telecode.as_str(), z.end_telecode.as_str()),
        ("WCN", "WAR")
    );
    assert_eq!(z.duration_minutes, Some(5 * 60 + 58));
    // Z293: houbu allowed, no limit → sold-out classes are waitlistable, 无座 is not.
    assert!(z.houbu);
    assert_eq!(
        z.availability(SeatClass::SoftSleeper),
        Availability::Waitlist
    );
    assert_eq!(
        z.availability(SeatClass::HardSleeper),
        Availability::Waitlist
    );
    assert_eq!(z.availability(SeatClass::HardSeat), Availability::Waitlist);
    assert_eq!(z.availability(SeatClass::SoftSeat), Availability::Waitlist);
    assert_eq!(z.availability(SeatClass::NoSeat), Availability::SoldOut);
    assert_eq!(z.features.berth_choice.as_deref(), Some("34"));
    assert!(!z.features.elderly_discount);
    assert!(z.bed_level_info.starts_with("330129"));
    assert_eq!(z.sale_time_raw, "202507201515");
    // K519: 硬座 11.
    assert_eq!(k.availability(SeatClass::HardSeat), Availability::Count(11));
    assert!(k.has_tickets_for(SeatClass::HardSeat, 11));
    assert!(!k.has_tickets_for(SeatClass::HardSeat, 12));
    let standing = k
        .prices
        .iter()
        .find(|p| p.seat == Some(SeatClass::NoSeat))
        .unwrap();
    assert_eq!(
        (
            standing.code.as_str(),
            standing.count,
            standing.price_tenths
        ),
        ("1", 0, 720)
    );
    assert_eq!(k.features.berth_choice.as_deref(), Some("43"));
}

fn fixture_rows() -> Vec<Train> {
    common::rows(&common::fixture("query_rows.txt"))
        .iter()
        .map(|r| parse_row(r).unwrap())
        .collect()
}

#[test]
fn fixture_layouts_37_to_60_fields() {
    let t = fixture_rows();
    let counts: Vec<usize> = t.iter().map(|t| t.field_count).collect();
    assert_eq!(counts, [37, 47, 57, 58, 60, 58]);

    // 37 fields: everything after index 36 is empty/None.
    let k = &t[0];
    assert_eq!(k.code, "K521");
    assert!(!k.houbu && k.houbu_seat_limit.is_empty() && k.prices.is_empty());
    assert_eq!(k.sale_time, None);
    assert_eq!(k.stopcheck_minutes, None);
    assert_eq!(
        k.availability(SeatClass::SoftSleeper),
        Availability::Count(2)
    );
    assert_eq!(
        k.availability(SeatClass::HardSleeper),
        Availability::Count(12)
    );
    assert_eq!(k.availability(SeatClass::HardSeat), Availability::Plenty);
    assert_eq!(k.availability(SeatClass::NoSeat), Availability::Plenty);
    assert_eq!(k.duration_minutes, Some(16 * 60 + 7));

    // 47 fields: houbu with a refused class.
    let t41 = &t[1];
    assert_eq!(t41.can_web_buy, CanWebBuy::No);
    assert_eq!(
        t41.availability(SeatClass::HardSleeper),
        Availability::SoldOut,
        "3 is in houbu_seat_limit"
    );
    assert_eq!(
        t41.availability(SeatClass::SoftSleeper),
        Availability::Waitlist
    );
    assert_eq!(t41.availability(SeatClass::NoSeat), Availability::SoldOut);
    assert_eq!(t41.availability(SeatClass::HardSeat), Availability::Plenty);
    assert_eq!(t41.prices.len(), 4);

    // 57 fields: features and the 3000 standing rule with zero standing tickets.
    let g = &t[2];
    assert_eq!(g.availability(SeatClass::Business), Availability::Count(2));
    assert_eq!(g.availability(SeatClass::Second), Availability::Count(5));
    assert!(g.features.smart_emu && g.features.fuxing && g.features.quiet_car);
    assert_eq!(g.stopcheck_minutes, Some(5));
    let standing = g
        .prices
        .iter()
        .find(|p| p.seat == Some(SeatClass::NoSeat))
        .unwrap();
    assert_eq!(standing.count, 0);
    assert_eq!(g.seat_discounts().len(), 4);

    // 58 fields: not on sale yet.
    let g101 = &t[3];
    assert_eq!(g101.secret_str, None);
    assert_eq!(g101.can_web_buy, CanWebBuy::NotYet);
    assert_eq!(
        g101.availability(SeatClass::Second),
        Availability::NotYetOnSale
    );
    let b = g101.button_sale_time().unwrap();
    assert_eq!(
        (b.month, b.day, b.hour, b.minute),
        (Some(12), Some(1), 14, 30)
    );
    assert!(g101.features.dynamic && g101.features.elderly_discount);

    // 60 fields: 二等座 waitlist, 无座 count. The row lists `D` in seat_types but leaves gg_num (20) empty, so by
    // PROTOCOL.md §3.5/§4.1 it has no 优选一等座 count, and column 31 is 一等座's.
    let d = &t[4];
    assert_eq!(d.field_count, 60);
    assert_eq!(d.availability(SeatClass::First), Availability::Count(3));
    assert_eq!(
        d.availability(SeatClass::FirstPremium),
        Availability::NotOffered
    );
    assert_eq!(d.availability(SeatClass::Second), Availability::Waitlist);
    assert_eq!(d.availability(SeatClass::NoSeat), Availability::Count(12));
    assert!(d.features.cozy_sleeper);
    let standing = d
        .prices
        .iter()
        .find(|p| p.seat == Some(SeatClass::NoSeat))
        .unwrap();
    assert_eq!(standing.count, 12);

    // Sold out, `null` secretStr.
    let g72 = &t[5];
    assert_eq!(g72.secret_str, None);
    assert!(!g72.is_bookable());
    for s in [
        SeatClass::Business,
        SeatClass::First,
        SeatClass::Second,
        SeatClass::NoSeat,
    ] {
        assert_eq!(g72.availability(s), Availability::SoldOut, "{s:?}");
        assert!(!g72.has_tickets_for(s, 1));
    }
}

#[test]
fn a_bad_row_is_skipped_not_fatal() {
    let rows = common::rows(&common::fixture("query_rows.txt"));
    let body = serde_json::json!({
        "httpstatus": 200, "status": true, "messages": "",
        "data": {"result": [rows[2], "garbage|row", 7, rows[3]], "flag": "1", "map": {"AOH": "上海虹桥"}}
    })
    .to_string();
    match parse_query(&body).unwrap() {
        QueryAnswer::Trains {
            trains,
            skipped_rows,
            ..
        } => {
            assert_eq!(trains.len(), 2);
            assert_eq!(
                skipped_rows.iter().map(|s| s.index).collect::<Vec<_>>(),
                [1, 2]
            );
            assert_eq!(skipped_rows[0].error.kind, ParseErrorKind::Shape);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn non_json_answers_have_their_own_kinds() {
    assert_eq!(parse_query("").unwrap_err().kind, ParseErrorKind::Empty);
    let Some(html) = common::sample("passport_redirect_when_session_invalid.2025-07.html") else {
        return;
    };
    assert_eq!(parse_query(&html).unwrap_err().kind, ParseErrorKind::Html);
    let Some(body) = common::sample("leftTicket_queryG.2024-04.json") else {
        return;
    };
    let cut = &body[..body.len() / 2];
    assert_eq!(
        parse_query(cut).unwrap_err().kind,
        ParseErrorKind::Truncated
    );
}

#[test]
fn empty_result_is_zero_trains() {
    let (trains, _, skipped) =
        trains_of(parse_query(r#"{"httpstatus":200,"data":{"result":[],"flag":"1","map":{}},"messages":"","status":true}"#).unwrap());
    assert!(trains.is_empty());
    assert_eq!(skipped, 0);
}

/// A 2026 row (57 fields, field 56 `Y` as in JACTIL's run log of 2026-06, PROTOCOL.md §3.5) of a train that sells
/// 优选一等座: 9 left in gg_num (field 20), as TRIP's raw G3 sample of 2026-09-18 shows; 一等座 有 in field 31.
/// Hand-written, the secretStr is not a real one.
const ROW_2026_PREMIUM: &str = "Xy9%2FAbCd%2BEf%3D%0AGh|预订|240000G3030F|G3|VNP|AOH|VNP|AOH|10:00|14:28|04:28|Y|YpInfo%2Bx|20261001|3|P2|01|05|1|0|9||||||||||有|有|3||90D0M0O0|9DMO|1|1||9174800003D112000009M093300021O055300021|0|||||1|0#1#0#0#z#0#z||5|CHN,CHN|||N#N#||90091D0090M0090O0090|202609171500|Y";

/// A train off sale for a timetable change (PROTOCOL.md §3.5 row field 1, TRIP/SKILL26 2026-09): no secretStr,
/// placeholder times 24:00/24:00/99:59, `IS_TIME_NOT_BUY`. Hand-written in the 2026 layout.
const ROW_2026_TIMETABLE_CHANGE: &str = "|列车运行图调整,暂停发售|24000G13100F|G131|VNP|AOH|VNP|AOH|24:00|24:00|99:59|IS_TIME_NOT_BUY||20261001|3|P2|01|05|1|0|||||||||||||||90M0O0|9MO|0|0|||||||||0#1#0#0#z#0#z|||CHN,CHN|||N#N#|||202609171500|Y";

#[test]
fn rows_of_2026_with_premium_first_class() {
    let g3 = parse_row(ROW_2026_PREMIUM).unwrap();
    assert_eq!(g3.field_count, 57);
    assert!(g3.is_bookable());
    // PROTOCOL.md §3.5/§4.1: 优选一等座 (D) in field 20, its own class next to 一等座 (M) in field 31.
    assert_eq!(
        g3.availability(SeatClass::FirstPremium),
        Availability::Count(9)
    );
    assert_eq!(g3.availability(SeatClass::First), Availability::Plenty);
    assert_eq!(g3.availability(SeatClass::Second), Availability::Plenty);
    assert_eq!(g3.availability(SeatClass::Business), Availability::Count(3));
    let d = g3.cell(SeatClass::FirstPremium).unwrap();
    assert_eq!(
        (d.column, d.code.as_str(), d.label.as_str(), d.raw.as_str()),
        (20, "D", "优选一等座", "9")
    );
    // The order of the official 2026 table (RAILASSIST26): 商务座, 优选一等座, 一等座, 二等座.
    let labels: Vec<&str> = g3.seats.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["商务座", "优选一等座", "一等座", "二等座"]);
    assert_eq!(g3.price_tenths(SeatClass::FirstPremium), Some(11200));
    assert!(g3.has_tickets_for(SeatClass::FirstPremium, 9));
    assert!(!g3.has_tickets_for(SeatClass::FirstPremium, 10));
    assert_eq!(
        g3.sale_time_raw, "202609171500",
        "field 55 stays the sale time"
    );
    // The same row with the 2025 trailing field (58) and without field 56 (2024) reads the same.
    let g3_58 = parse_row(&format!("{ROW_2026_PREMIUM}|")).unwrap();
    assert_eq!(g3_58.field_count, 58);
    let g3_57_empty =
        parse_row(&ROW_2026_PREMIUM.replace("|202609171500|Y", "|202609171500|")).unwrap();
    for t in [&g3_58, &g3_57_empty] {
        assert_eq!(t.seats, g3.seats);
        assert_eq!(t.sale_time, g3.sale_time);
    }
    // As JSON (what the extension reads through parseQuery) the cell names its code and label.
    let cell = serde_json::to_value(d).unwrap();
    assert_eq!(cell["code"], "D");
    assert_eq!(cell["label"], "优选一等座");
}

#[test]
fn a_train_off_sale_for_a_timetable_change() {
    let t = parse_row(ROW_2026_TIMETABLE_CHANGE).unwrap();
    assert_eq!(t.code, "G131");
    assert!(!t.is_bookable());
    assert_eq!(t.secret_str, None);
    assert_eq!(t.can_web_buy, CanWebBuy::NotYet);
    assert_eq!(t.button_sale_time(), None, "not an opening time");
    assert!(t.seats.is_empty());
    // PROTOCOL.md §6: the button text means "this train is not on sale".
    assert_eq!(
        kyfw::outcome::classify_message(&t.button_text),
        kyfw::outcome::Reason::TrainNotBookable
    );
}

#[test]
fn a_query_answered_by_the_rate_limit_text() {
    // PROTOCOL.md §6/§7: the 2026 answer to a query flood is this text alone, not JSON (RAILFAN 2026-09).
    let body = "网络可能存在问题，请您重试一下！";
    let QueryAnswer::Failed { messages } = parse_query(body).unwrap() else {
        panic!("a refusal, not an error");
    };
    assert_eq!(messages, [body]);
    assert_eq!(
        kyfw::outcome::classify_message(&messages[0]),
        kyfw::outcome::Reason::RateLimited
    );
    // The transport-level check the booking machine makes first says the same, with the long pause.
    let outcome = kyfw::outcome::classify_http(
        200,
        "https://kyfw.12306.cn/otn/leftTicket/queryG",
        body,
        false,
    )
    .expect("a failure");
    assert_eq!(outcome.reason, kyfw::outcome::Reason::RateLimited);
    assert_eq!(
        outcome.next,
        kyfw::outcome::NextStep::RetryAfter {
            ms: kyfw::outcome::http::RATE_LIMIT_PAUSE_MS
        }
    );
}

#[test]
fn a_moved_path_with_a_query_string() {
    // PROTOCOL.md §3.1: c_url names the new path; it may carry a query string (YUNYING keeps what is before `?`).
    let body = r#"{"status":false,"c_url":"leftTicket/queryI?leftTicketDTO.train_date=2026-10-01&leftTicketDTO.from_station=VNP&leftTicketDTO.to_station=AOH&purpose_codes=ADULT","c_name":"CLeftTicketUrl"}"#;
    assert_eq!(
        parse_query(body).unwrap(),
        QueryAnswer::Moved {
            c_url: "leftTicket/queryI".into()
        }
    );
}
