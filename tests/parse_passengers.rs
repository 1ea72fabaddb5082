//! getPassengerDTOs and the two passenger strings, checked byte for byte against the real 2024 capture.

#[path = "fixtures/support.rs"]
mod common;

use kyfw::error::ParseErrorKind;
use kyfw::passenger_str::{old_passenger_str, passenger_ticket_str, Ticket};
use kyfw::passengers::parse_passengers;
use kyfw::seat::{SeatClass, TicketType};

#[test]
fn real_passenger_list_2024() {
    let Some(body) = common::sample("getPassengerDTOs.2024-04.json") else {
        return;
    };
    let list = parse_passengers(&body).unwrap();
    assert_eq!(list.passengers.len(), 5);
    assert_eq!(list.ex_msg, "");
    assert!(list.is_exist);
    assert_eq!(list.two_is_open_click, ["93", "95", "97", "99"]);
    assert_eq!(list.other_is_open_click.len(), 6);
    let p = &list.passengers[0];
    assert_eq!(p.name, "张小三");
    assert_eq!(
        (p.id_type.as_str(), p.id_no.as_str()),
        ("1", "1101***********012")
    );
    assert_eq!(
        (p.passenger_type.as_str(), p.ticket_type()),
        ("1", Some(TicketType::Adult))
    );
    assert_eq!(p.mobile_no, "139****0001");
    assert_eq!(p.total_times, "99");
    assert_eq!(p.index_id, "0");
    assert!(p.all_enc_str.len() >= 128 && p.all_enc_str.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(p.first_letter, "ZXS");
    assert_eq!(p.gat_born_date, "19990601");
    assert!(p.is_verified());
    assert!(list
        .passengers
        .iter()
        .all(|p| list.is_verified(p) == p.is_verified()));
    assert!(list.find("李四", "110101197508081027").is_some());
    assert!(list.find("李四", "110101197508081028").is_none());
}

/// Builds both strings from the sample passengers with the capture's seat choices (M, O, P on G7784) and
/// compares them with the real checkOrderInfo request body.
#[test]
fn strings_match_the_captured_check_order_info() {
    let (Some(body), Some(pairs)) = (
        common::sample("getPassengerDTOs.2024-04.json"),
        common::captured_pairs(),
    ) else {
        return;
    };
    let list = parse_passengers(&body).unwrap();
    let request = common::captured_pair(&pairs, "/checkOrderInfo")["request_body"]
        .as_str()
        .unwrap();
    let field = |name: &str| {
        request
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .map(percent_decode)
            .unwrap()
    };
    let seats = [SeatClass::First, SeatClass::Second, SeatClass::Special];
    let tickets: Vec<Ticket> = list.passengers[..3]
        .iter()
        .zip(seats)
        .map(|(p, seat)| Ticket {
            passenger: p.clone(),
            seat,
            ticket_type: TicketType::Adult,
        })
        .collect();
    assert_eq!(
        passenger_ticket_str("G7784", &tickets),
        field("passengerTicketStr")
    );
    assert_eq!(old_passenger_str(&tickets), field("oldPassengerStr"));
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn html_and_empty_bodies() {
    assert_eq!(
        parse_passengers("").unwrap_err().kind,
        ParseErrorKind::Empty
    );
    assert_eq!(
        parse_passengers("<html><body>登录</body></html>")
            .unwrap_err()
            .kind,
        ParseErrorKind::Html
    );
    assert_eq!(
        parse_passengers(r#"{"status":true,"data":{"normal_passengers":[{"passenger_name":"#)
            .unwrap_err()
            .kind,
        ParseErrorKind::Truncated
    );
    assert_eq!(
        parse_passengers(r#"{"status":true,"data":{"normal_passengers":[1]}}"#)
            .unwrap_err()
            .kind,
        ParseErrorKind::Shape
    );
}

#[test]
fn unverified_and_other_id_types() {
    let body = r#"{"status":true,"data":{"exMsg":"","two_isOpenClick":["93","95","97","99"],"other_isOpenClick":["91"],
      "normal_passengers":[
        {"passenger_name":"甲","passenger_id_type_code":"1","total_times":"98","passenger_type":"2"},
        {"passenger_name":"乙","passenger_id_type_code":"B","total_times":"91","passenger_type":3},
        {"passenger_name":"丙","passenger_id_type_code":"B","total_times":"99"}]}}"#;
    let list = parse_passengers(body).unwrap();
    let v: Vec<bool> = list.passengers.iter().map(|p| p.is_verified()).collect();
    assert_eq!(v, [false, true, false]);
    assert_eq!(list.passengers[0].ticket_type(), Some(TicketType::Child));
    assert_eq!(
        list.passengers[1].passenger_type, "3",
        "numbers are read as text"
    );
}
