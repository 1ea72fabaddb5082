//! The failure kinds every parser shares: empty, HTML, truncated and oversized bodies are told apart.

use kyfw::error::{ParseError, ParseErrorKind, MAX_BODY_BYTES};
use kyfw::order_page::{parse_order_page, OrderPageError};
use kyfw::passengers::parse_passengers;
use kyfw::query::parse_query;
use kyfw::stations::StationBook;

fn kinds(body: &str) -> Vec<ParseErrorKind> {
    let order = match parse_order_page(body) {
        Err(OrderPageError::Parse(e)) => e.kind,
        other => panic!("order page: {other:?}"),
    };
    vec![
        parse_query(body).unwrap_err().kind,
        parse_passengers(body).unwrap_err().kind,
        StationBook::parse(body).unwrap_err().kind,
        order,
    ]
}

#[test]
fn empty_and_oversized_bodies() {
    assert!(kinds("").iter().all(|k| *k == ParseErrorKind::Empty));
    assert!(kinds(" \r\n\t").iter().all(|k| *k == ParseErrorKind::Empty));
    let huge = format!("{{\"data\":\"{}\"}}", "x".repeat(MAX_BODY_BYTES));
    assert!(kinds(&huge).iter().all(|k| *k == ParseErrorKind::TooLarge));
}

#[test]
fn html_instead_of_json() {
    let page = "\n  <!DOCTYPE html><html><head><title>登录</title></head><body></body></html>";
    assert_eq!(parse_query(page).unwrap_err().kind, ParseErrorKind::Html);
    assert_eq!(
        parse_passengers(page).unwrap_err().kind,
        ParseErrorKind::Html
    );
    assert_eq!(
        StationBook::parse(page).unwrap_err().kind,
        ParseErrorKind::Html
    );
}

#[test]
fn truncated_json() {
    let cut = r#"{"httpstatus":200,"data":{"result":["abc|"#;
    assert_eq!(
        parse_query(cut).unwrap_err().kind,
        ParseErrorKind::Truncated
    );
    assert_eq!(
        parse_passengers(cut).unwrap_err().kind,
        ParseErrorKind::Truncated
    );
    assert_eq!(
        parse_query("{\"a\":1}}").unwrap_err().kind,
        ParseErrorKind::Json
    );
}

#[test]
fn errors_display_and_serialise() {
    let e = ParseError::missing("data");
    assert_eq!(e.to_string(), "missing field: missing field `data`");
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(serde_json::from_str::<ParseError>(&json).unwrap(), e);
}
