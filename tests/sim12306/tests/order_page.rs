//! Entering the order page as the official page does: `init_dc_navigation_only` (initDc answers only browser
//! navigations, PROTOCOL §5.3, PY-ISS #535/#536 2026-03).

mod common;

use common::*;
use sim12306::routes::ERROR_PAGE;

/// The headers of `fetch()` from a page script (PROTOCOL §5.3: an in-tab fetch sends these).
const FETCH: &[(&str, &str)] = &[
    ("Sec-Fetch-Mode", "cors"),
    ("Sec-Fetch-Dest", "empty"),
    ("Sec-Fetch-Site", "same-origin"),
];
/// The headers of the official page's form navigation (MIPHA25 2025-09 sends these).
const NAVIGATION: &[(&str, &str)] = &[
    ("Sec-Fetch-Mode", "navigate"),
    ("Sec-Fetch-Dest", "document"),
    ("Sec-Fetch-Site", "same-origin"),
    ("Sec-Fetch-User", "?1"),
    ("Upgrade-Insecure-Requests", "1"),
];
/// A form POST into a frame of the 12306 tab.
const FRAME_NAVIGATION: &[(&str, &str)] = &[
    ("Sec-Fetch-Mode", "navigate"),
    ("Sec-Fetch-Dest", "iframe"),
    ("Sec-Fetch-Site", "same-origin"),
];
const INIT_DC: &str = "/otn/confirmPassenger/initDc";

/// Logged in, G2 chosen by submitOrderRequest; gives the client.
fn chosen(sim: &sim12306::SimHandle) -> Client {
    let mut c = logged_in(sim);
    let date = date_in(3);
    let row = find_row(&mut c, &date, "AOH", "VNP", "G2");
    let v = c.submit(&row, &date).json();
    assert_eq!(v["status"], true, "{v}");
    c
}

fn init_dc(c: &mut Client, headers: &[(&str, &str)]) -> Answer {
    c.post_with(INIT_DC, "_json_att=", Some(QUERY_REFERER), headers)
}

fn is_order_page(a: &Answer) -> bool {
    a.status == 200 && a.body.contains("var ticketInfoForPassengerForm=")
}

#[test]
fn navigation_only_order_page_refuses_fetches_with_the_error_page() {
    let sim = start_with(r#"{"init_dc_navigation_only":true}"#);
    let mut c = chosen(&sim);
    let a = init_dc(&mut c, FETCH);
    assert_eq!(a.status, 302, "{}", a.body);
    assert_eq!(a.location.as_deref(), Some(ERROR_PAGE));
    // The refusal keeps the chosen train: a real navigation right after gets the page.
    let a = init_dc(&mut c, NAVIGATION);
    assert!(is_order_page(&a), "{}", a.body);
    let a = c.post_with(
        "/otn/confirmPassenger/initDc?N",
        "_json_att=",
        None,
        FRAME_NAVIGATION,
    );
    assert!(is_order_page(&a), "a frame navigation to initDc?N");
    // A navigation that is not a document or frame (a <script>, an <img>) is not one.
    let a = init_dc(
        &mut c,
        &[("Sec-Fetch-Mode", "navigate"), ("Sec-Fetch-Dest", "empty")],
    );
    assert_eq!(a.status, 302);
    let a = init_dc(
        &mut c,
        &[
            ("Sec-Fetch-Mode", "no-cors"),
            ("Sec-Fetch-Dest", "document"),
        ],
    );
    assert_eq!(a.status, 302);
    // Without any Sec-Fetch header (a native client) it passes unless strict.
    let a = init_dc(&mut c, &[]);
    assert!(is_order_page(&a));
}

#[test]
fn strict_navigation_only_refuses_clients_without_sec_fetch_headers() {
    let sim = start_with(r#"{"init_dc_navigation_only":"strict"}"#);
    let mut c = chosen(&sim);
    let a = init_dc(&mut c, &[]);
    assert_eq!(a.location.as_deref(), Some(ERROR_PAGE));
    let a = init_dc(&mut c, FETCH);
    assert_eq!(a.location.as_deref(), Some(ERROR_PAGE));
    let a = init_dc(&mut c, NAVIGATION);
    assert!(is_order_page(&a));
}

#[test]
fn by_default_a_fetch_gets_the_order_page() {
    let sim = start();
    let mut c = chosen(&sim);
    assert!(is_order_page(&init_dc(&mut c, FETCH)));
}
