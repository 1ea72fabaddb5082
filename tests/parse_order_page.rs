//! The initDc order page: the real 2018 and 2024 pages, the passport page of a lost session, and fixtures.

#[path = "fixtures/support.rs"]
mod common;

use kyfw::error::ParseErrorKind;
use kyfw::order_page::{parse_order_page, OrderPageError};

#[test]
fn real_page_2024() {
    let Some(html) = common::sample("initDc.2024-04.html") else {
        return;
    };
    let p = parse_order_page(&html).unwrap();
    assert_eq!(p.token, "98480ec31d8d4b4276175a0038fe10d0");
    assert_eq!(
        p.key_check_is_change,
        "FF448467A608DCDA07997B887EFE9D111DFFB14A77B1D0E638C41B18"
    );
    assert_eq!(
        p.left_ticket_str,
        "zcugJ6OsM3a%2BmIhDrsVIQCxnd5ylruo6Kwc%2FZcIVG1o8mIf2Y1cN85MydYV72hoiEPCux%2BeZZYI%3D"
    );
    assert_eq!(p.yp_info_detail, p.left_ticket_str);
    assert_eq!(p.train_location, "H1");
    assert_eq!(p.purpose_codes, "00");
    assert_eq!(p.tour_flag, "dc");
    assert_eq!(p.max_ticket_num, Some(9));
    assert!(p.is_async);
    assert_eq!(p.left_details.len(), 5);
    assert_eq!(p.left_details[0], "无座( ¥60.0元 6.6折)无票");
    assert_eq!(p.seat_type_codes, ["M", "O", "P"]);
    assert_eq!(p.ticket_seat_codes.get("3").unwrap(), &["O"]);
    assert_eq!(p.ticket_seat_codes.get("1").unwrap(), &["M", "O", "P"]);
    assert_eq!(p.ticket_seat_codes.len(), 4);
    assert_eq!(
        (p.train_no.as_str(), p.station_train_code.as_str()),
        ("55000G778410", "G7784")
    );
    assert_eq!(
        (p.from_telecode.as_str(), p.to_telecode.as_str()),
        ("SHH", "CZH")
    );
    assert_eq!(
        (p.from_station_name.as_str(), p.to_station_name.as_str()),
        ("上海", "常州")
    );
    assert_eq!(
        (p.from_station_no.as_str(), p.to_station_no.as_str()),
        ("01", "05")
    );
    assert_eq!(p.train_date, "20240425");
    assert_eq!(
        (p.start_time.as_str(), p.arrive_time.as_str()),
        ("06:24", "07:37")
    );
    assert_eq!(p.seat_types, "9MOPO");
    assert_eq!(p.dw_flag, "0,0,0,0,z,0,z");
    assert_eq!(p.train_date_ms, Some(1_713_974_400_000));
    assert_eq!(p.limit_ticket_num, Some(9));
    assert!(!p.slide_required);
    assert_eq!(p.wait_time_interval_ms, Some(3000));
    assert!(!p.is_dw);
}

#[test]
fn real_page_2018() {
    let Some(html) = common::sample("initDc.2018-03.html") else {
        return;
    };
    let p = parse_order_page(&html).unwrap();
    assert_eq!(p.token, "af61a18a02979dcbb333a2c724f79fb1");
    assert_eq!(p.station_train_code, "G1235");
    assert_eq!(
        (p.from_telecode.as_str(), p.to_telecode.as_str()),
        ("UUH", "AOH")
    );
    assert_eq!(p.train_location, "T1");
    assert_eq!(p.train_date, "20180307");
    assert_eq!(
        p.yp_info_detail,
        "10s9gGaefQu9b96TH2oOXIzVQPwoHzXiPvpZuC38n2owkh2c"
    );
    assert_eq!(p.limit_ticket_num, Some(5));
    assert!(p.train_date_ms.is_some());
    assert!(!p.key_check_is_change.is_empty() && !p.left_ticket_str.is_empty());
}

/// The samples also hold a 2018 form as JSON (from another order of the same day): the tokenizer must give the
/// same schema (every key, nested too) and the same constant values.
#[test]
fn tokenizer_agrees_with_the_json_copy_2018() {
    let (Some(html), Some(json)) = (
        common::sample("initDc.2018-03.html"),
        common::sample("ticketInfoForPassengerForm.2018-03.json"),
    ) else {
        return;
    };
    let from_page = kyfw::js_literal::find_var(&html, "ticketInfoForPassengerForm")
        .unwrap()
        .unwrap();
    let from_json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&from_page), keys(&from_json));
    for nested in [
        "queryLeftTicketRequestDTO",
        "limitBuySeatTicketDTO",
        "orderRequestDTO",
    ] {
        assert_eq!(
            keys(&from_page[nested]),
            keys(&from_json[nested]),
            "{nested}"
        );
    }
    for key in ["tour_flag", "purpose_codes", "isAsync", "maxTicketNum"] {
        assert_eq!(from_page.get(key), from_json.get(key), "{key}");
    }
    assert_eq!(
        from_page["cardTypes"], from_json["cardTypes"],
        "decoded \\u escapes agree"
    );
}

#[test]
fn passport_page_means_session_lost() {
    let Some(html) = common::sample("passport_redirect_when_session_invalid.2025-07.html") else {
        return;
    };
    assert_eq!(parse_order_page(&html), Err(OrderPageError::SessionLost));
}

#[test]
fn error_page_means_system_busy() {
    let html = common::fixture("error_busy.html");
    assert_eq!(
        parse_order_page(&html),
        Err(OrderPageError::SystemBusy {
            message: "系统忙，请稍后重试".into()
        })
    );
}

#[test]
fn escapes_inside_values_do_not_confuse_the_parser() {
    let p = parse_order_page(&common::fixture("order_page.escapes.html")).unwrap();
    assert_eq!(p.token, "0123456789abcdef0123456789abcdef");
    assert_eq!(
        p.left_details,
        [
            "二等座( ¥53.5元)有票",
            "it's; var orderRequestDTO={ \\ \"x\""
        ]
    );
    assert!(!p.is_async);
    assert_eq!(p.purpose_codes, "0X00");
    assert_eq!(p.max_ticket_num, Some(5));
    assert_eq!(p.seat_type_codes, ["O", "M"]);
    assert_eq!(p.station_train_code, "G7001");
    assert_eq!(p.to_station_name, "上海虹桥");
    assert_eq!(
        p.train_date_ms,
        Some(1_796_054_400_000),
        "from the page's own orderRequestDTO variable"
    );
    assert!(p.slide_required);
}

#[test]
fn damaged_pages_are_parse_errors() {
    let html = common::fixture("order_page.escapes.html");
    let cut = html.find("'tour_flag'").unwrap();
    match parse_order_page(&html[..cut]) {
        Err(OrderPageError::Parse(e)) => assert_eq!(e.kind, ParseErrorKind::Truncated),
        other => panic!("{other:?}"),
    }
    let no_key = html.replace("'key_check_isChange'", "'other_key'");
    match parse_order_page(&no_key) {
        Err(OrderPageError::Parse(e)) => {
            assert_eq!(e.kind, ParseErrorKind::Missing("key_check_isChange".into()))
        }
        other => panic!("{other:?}"),
    }
    match parse_order_page("{\"status\":false}") {
        Err(OrderPageError::Parse(e)) => assert_eq!(
            e.kind,
            ParseErrorKind::Missing("globalRepeatSubmitToken".into())
        ),
        other => panic!("{other:?}"),
    }
}
