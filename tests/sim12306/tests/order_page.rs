//! Entering the order page and confirming from it as the official page does: `init_dc_navigation_only`
//! (initDc answers only browser navigations, PROTOCOL §5.3, PY-ISS #535/#536 2026-03), the risk script
//! `ua_rds.js` that sets `window.json_ua` (INITDC24 lines 72–76), and `confirm_needs_encrypted_data` (the
//! confirm's `encryptedData`, PROTOCOL §5.8).

mod common;

use std::process::Command;

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

#[test]
fn the_order_page_loads_the_risk_script_and_sends_its_value() {
    let sim = start();
    let mut c = chosen(&sim);
    let page = init_dc(&mut c, NAVIGATION).body;
    // As INITDC24: `var json_ua;`, then the script, async, with an hourly `t`.
    let decl = page.find("var json_ua;").expect("json_ua declared");
    let src = "/otsmobile/antcaptcha/ua_rds.js?t=";
    let at = page.find(src).expect("the risk script") + src.len();
    assert!(decl < at);
    let t: String = page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert_eq!(t.len(), 10, "t=yyyyMMddHH: {t}");
    assert!(page[..at]
        .rsplit("<script")
        .next()
        .is_some_and(|tag| tag.contains("async")));
    // The confirm reads json_ua.toString(), "" when it throws (passengerInfo_js, PROTOCOL §5.8).
    assert!(page.contains("x = window.json_ua.toString();"));
    assert!(page.contains("['encryptedData', encryptedData()]"));
    assert!(!page.contains("['encryptedData', '']"));
}

#[test]
fn the_risk_script_is_only_for_a_browsers_script_load() {
    let sim = start();
    let mut c = Client::new(&sim);
    let path = "/otsmobile/antcaptcha/ua_rds.js?t=2026092014";
    // Any other fetch: HTTP 200 and a JSON body resultStatus 43007 (PROTOCOL §5.8, TRIP/RAILFAN 2026-09).
    for headers in [&[][..], FETCH] {
        let a = c.get_with(path, headers);
        assert_eq!(a.status, 200);
        assert_eq!(a.json()["resultStatus"], 43007);
    }
    let a = c.get_with(
        path,
        &[("Sec-Fetch-Dest", "script"), ("Sec-Fetch-Mode", "no-cors")],
    );
    assert_eq!(a.status, 200);
    assert!(a.body.contains("window.json_ua"), "{}", a.body);
    assert!(!a.body.contains("{{"), "filled");
}

/// Runs the served script in node the way the page does (a global `globalRepeatSubmitToken`, then
/// `json_ua.toString()`). None when node is not installed.
fn run_script(script: &str, page_token: &str) -> Option<String> {
    let runner = r#"
const vm = require('vm');
const ctx = { globalRepeatSubmitToken: process.argv[process.argv.length - 1] };
ctx.window = ctx;
vm.createContext(ctx);
vm.runInContext(require('fs').readFileSync(0, 'utf8'), ctx);
process.stdout.write(String(ctx.json_ua.toString()));
"#;
    let mut child = Command::new("node")
        .args(["-e", runner, page_token])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("script written");
    let out = child.wait_with_output().expect("node ran");
    assert!(out.status.success(), "node failed");
    Some(String::from_utf8(out.stdout).expect("utf-8"))
}

#[test]
fn the_script_gives_the_value_the_sim_expects() {
    let sim = start();
    let mut c = Client::new(&sim);
    let seed = c.ctl_get("/health")["seed"].as_u64().expect("seed");
    let script = c
        .get_with(
            "/otsmobile/antcaptcha/ua_rds.js?t=1",
            &[("Sec-Fetch-Dest", "script")],
        )
        .body;
    let token = "98480ec31d8d4b4276175a0038fe10d0";
    let Some(value) = run_script(&script, token) else {
        eprintln!("node is not installed: the script's digest is not compared with the sim's");
        return;
    };
    assert_eq!(value, sim12306::risk::token(seed, token));
    assert_ne!(
        run_script(&script, "0000").as_deref(),
        Some(value.as_str()),
        "another page, another value"
    );
}

#[test]
fn confirm_needs_the_scripts_value_of_its_own_order_page() {
    let sim = start_with(r#"{"confirm_needs_encrypted_data":true,"queue_ms":300}"#);
    let seed = sim12306_seed(&sim);
    let date = date_in(3);
    let mut c = logged_in(&sim);
    let (_, page) = open_order_page(&mut c, &date, "AOH", "VNP", "G2");
    // Another session's order page, and so another value.
    let mut other = logged_in(&sim);
    let (_, other_page) = open_order_page(&mut other, &date, "VNP", "AOH", "G1");
    let (pts, old) = passenger_strs(&[(0, "O", "1")]);
    assert_eq!(
        c.check_order_info(&page, &pts, &old).json()["data"]["submitStatus"],
        true
    );
    assert_eq!(
        c.queue_count(&page, "G2", "O", "AOH", "VNP").json()["status"],
        true
    );

    let confirm = |c: &mut Client, value: &str| {
        c.post(
            "/otn/confirmPassenger/confirmSingleForQueue",
            &confirm_body_with(&page, &pts, &old, value),
            Some(ORDER_REFERER),
        )
        .json()
    };
    let other_value = sim12306::risk::token(seed, &other_page.token);
    for value in ["", "x", other_value.as_str()] {
        let v = confirm(&mut c, value);
        assert_eq!(v["status"], true, "{v}");
        assert_eq!(v["data"]["submitStatus"], false, "{v}");
        assert_eq!(
            v["data"]["errMsg"],
            sim12306::routes::ENCRYPTED_DATA_REFUSED
        );
    }
    assert_eq!(c.ctl_get("/orders").as_array().map(Vec::len), Some(0));
    // The page stays good: the right value queues the order.
    let v = confirm(&mut c, &sim12306::risk::token(seed, &page.token));
    assert_eq!(v["data"]["submitStatus"], true, "{v}");
    assert_eq!(
        poll_queue(&mut c, &page).last().expect("answers")["waitTime"],
        -1
    );
}

#[test]
fn by_default_an_empty_encrypted_data_is_accepted() {
    // PROTOCOL §5.8: empty or absent was still accepted in September 2026 (TUAN, PWBOT).
    let sim = start();
    let mut c = logged_in(&sim);
    let (_, page) = open_order_page(&mut c, &date_in(3), "AOH", "VNP", "G2");
    let (pts, old) = passenger_strs(&[(0, "O", "1")]);
    let v = c.confirm(&page, &pts, &old).json();
    assert_eq!(v["data"]["submitStatus"], true, "{v}");
}

fn sim12306_seed(sim: &sim12306::SimHandle) -> u64 {
    Client::new(sim).ctl_get("/health")["seed"]
        .as_u64()
        .expect("seed")
}
