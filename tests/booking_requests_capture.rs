//! The request builders against the real 2024 browser capture: where the inputs are the captured ones, the bodies
//! must be byte-for-byte the captured bodies. Skips cleanly when the shared samples are not present.

#[path = "fixtures/support.rs"]
mod common;

use kyfw::form;
use kyfw::request::{self, Confirm, QueueCount, SubmitOrder};
use serde_json::Value;

fn captured(pairs: &[Value], url_suffix: &str) -> String {
    common::captured_pair(pairs, url_suffix)["request_body"]
        .as_str()
        .unwrap_or_else(|| panic!("no captured body of {url_suffix}"))
        .to_owned()
}

/// Decoded value of one field of a captured body.
fn field(body: &str, key: &str) -> String {
    form::decode(body)
        .expect("captured body decodes")
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no {key}"))
}

#[test]
fn submit_order_request_matches_capture() {
    let Some(p) = common::captured_pairs() else {
        return;
    };
    let wire = captured(&p, "/leftTicket/submitOrderRequest");
    // The row value is the %-encoded secretStr: exactly what the capture carries.
    let secret_row_value = wire
        .strip_prefix("secretStr=")
        .and_then(|s| s.split('&').next())
        .expect("secretStr first");
    let req = request::submit_order_request(&SubmitOrder {
        secret_str: secret_row_value,
        train_date: "2024-04-22",
        back_train_date: "2024-04-22",
        purpose_codes: "ADULT",
        from_name: "上海",
        to_name: "常州",
        bed_level_info: "",
        seat_discount_info: "90091",
    })
    .expect("builds");
    assert_eq!(req.body.as_deref(), Some(wire.as_str()));
    assert_eq!(
        req.referer,
        "https://kyfw.12306.cn/otn/leftTicket/init?linktypeid=dc"
    );
}

#[test]
fn order_page_bodies_match_capture() {
    let Some(p) = common::captured_pairs() else {
        return;
    };
    let token = "98480ec31d8d4b4276175a0038fe10d0";

    assert_eq!(
        request::check_user().body,
        Some(captured(&p, "/login/checkUser"))
    );
    assert_eq!(
        request::basedata_log(token).body,
        Some(captured(&p, "/basedata/log"))
    );
    assert_eq!(
        request::result_order_for_dc_queue("EH12506279", token).body,
        Some(captured(&p, "/confirmPassenger/resultOrderForDcQueue"))
    );

    let check = captured(&p, "/confirmPassenger/checkOrderInfo");
    let pts = field(&check, "passengerTicketStr");
    let ops = field(&check, "oldPassengerStr");
    assert_eq!(
        request::check_order_info(&pts, &ops, token).body,
        Some(check)
    );

    let queue = captured(&p, "/confirmPassenger/getQueueCount");
    let left = field(&queue, "leftTicket");
    assert!(
        left.contains("%2B"),
        "the logical value is the page's %-encoded string"
    );
    let req = request::get_queue_count(&QueueCount {
        train_date_ms: 1_713_974_400_000,
        train_no: "55000G778410",
        station_train_code: "G7784",
        seat_type: "M",
        from_telecode: "SHH",
        to_telecode: "CZH",
        left_ticket: &left,
        purpose_codes: "00",
        train_location: "H1",
        token,
    });
    assert_eq!(req.body, Some(queue));

    let confirm = captured(&p, "/confirmPassenger/confirmSingleForQueue");
    let req = request::confirm_single_for_queue(&Confirm {
        passenger_ticket_str: &pts,
        old_passenger_str: &ops,
        purpose_codes: "00",
        key_check_is_change: &field(&confirm, "key_check_isChange"),
        left_ticket_str: &field(&confirm, "leftTicketStr"),
        train_location: "H1",
        choose_seats: "",
        seat_detail_type: "000",
        is_jy: "N",
        encrypted_data: &field(&confirm, "encryptedData"),
        token,
    });
    // The capture stops inside the 2 KB encryptedData blob, so the captured body is a prefix of the full one.
    let body = req.body.unwrap_or_default();
    assert!(body.starts_with(&confirm), "{body}");
    assert!(body.ends_with("&whatsSelect=1&roomType=00&dwAll=N&_json_att=&REPEAT_SUBMIT_TOKEN=98480ec31d8d4b4276175a0038fe10d0"));
}
