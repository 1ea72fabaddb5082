//! Where the query lives: the query page, login/conf, and pages that do not say.

#[path = "fixtures/support.rs"]
mod common;

use kyfw::query_path::{from_init_page, from_login_conf, is_save_query_log, is_valid};

#[test]
fn from_the_query_page() {
    let html = common::fixture("leftTicket_init.snippet.html");
    assert_eq!(from_init_page(&html).as_deref(), Some("leftTicket/queryG"));
    assert_eq!(is_save_query_log(&html), Some(false));
}

#[test]
fn pages_with_a_null_path_say_nothing() {
    for name in [
        "initDc.2024-04.html",
        "passport_redirect_when_session_invalid.2025-07.html",
    ] {
        let Some(html) = common::sample(name) else {
            return;
        };
        assert_eq!(from_init_page(&html), None, "{name}");
    }
}

#[test]
fn from_the_captured_login_conf() {
    let Some(pairs) = common::captured_pairs() else {
        return;
    };
    let conf = common::captured_pair(&pairs, "/login/conf");
    let body = conf["response"].to_string();
    assert_eq!(from_login_conf(&body).as_deref(), Some("leftTicket/queryG"));
    assert!(is_valid("leftTicket/queryU"));
    assert_eq!(
        from_login_conf(r#"{"data":{"queryUrl":"leftTicket/queryG?evil=1"}}"#),
        None
    );
}
