//! The booking session shorter than the login (PROTOCOL §1.3): with `otn_idle_ms` the `/otn` session lapses
//! after that long without a request that uses the login, while the passport login (`uamtk`) stays; the
//! official passport page's chain `uamtk` → `uamauthclient` revives the same JSESSIONID. `passport_ttl_ms`
//! ends the passport login too; the control API shows and forces both.

mod common;

use common::*;

/// 10 minutes, the 2026 idle lifetime of the booking session (PROTOCOL §1.3, RAILASSIST26 2026-09-22).
const IDLE_MS: i64 = 600_000;

/// Sets the sim clock `ms` ahead of the wall clock.
fn clock_at(c: &Client, ms: i64) {
    let (s, _) = c.ctl_post("/clock", &format!(r#"{{"offset_ms":{ms}}}"#));
    assert_eq!(s, 200);
}

fn flag(c: &mut Client) -> serde_json::Value {
    c.check_user().json()["data"]["flag"].clone()
}

fn is_login(c: &mut Client) -> serde_json::Value {
    c.post_json("/otn/login/conf", "")["data"]["is_login"].clone()
}

/// The renewal the official passport page runs (PROTOCOL §1.1 #8–#9): `uamtk` with the passport cookie, then
/// `uamauthclient` with its `newapptk`. Gives the two answers.
fn renew(c: &mut Client) -> (serde_json::Value, Option<serde_json::Value>) {
    let referer = "https://kyfw.12306.cn/otn/passport?redirect=/otn/login/userLogin";
    let tk = c
        .post("/passport/web/auth/uamtk", "appid=otn", Some(referer))
        .json();
    if tk["result_code"] != 0 {
        return (tk, None);
    }
    let body = format!("tk={}", tk["newapptk"].as_str().expect("newapptk"));
    let auth = c.post("/otn/uamauthclient", &body, Some(referer)).json();
    (tk, Some(auth))
}

fn sessions(c: &Client) -> serde_json::Value {
    c.ctl_get("/sessions")
}

fn otn_entry(c: &Client, jsessionid: &str) -> serde_json::Value {
    sessions(c)["otn"]
        .as_array()
        .expect("otn list")
        .iter()
        .find(|s| s["jsessionid"] == jsessionid)
        .cloned()
        .unwrap_or_else(|| panic!("{jsessionid} not listed: {}", sessions(c)))
}

#[test]
fn idle_booking_session_lapses_and_the_passport_chain_revives_it() {
    let sim = start_with(r#"{"otn_idle_ms":600000}"#);
    let mut c = logged_in(&sim);
    let sid = c.cookies["JSESSIONID"].clone();
    let date = date_in(3);
    // A chosen train and an order page from before the lapse.
    let (_, old_page) = open_order_page(&mut c, &date, "AOH", "VNP", "G2");
    let entry = otn_entry(&c, &sid);
    assert_eq!(entry["logged_in"], true);
    assert_eq!(
        entry["lapses_at_ms"].as_i64(),
        entry["last_active_ms"].as_i64().map(|t| t + IDLE_MS)
    );

    // 15 minutes pass without a request.
    clock_at(&c, 15 * 60_000);
    assert_eq!(flag(&mut c), false, "checkUser after 15 idle minutes");
    assert_eq!(is_login(&mut c), "N");
    // Queries do not need the login (PROTOCOL §1.3: "查看余票不需要登录").
    let row = find_row(&mut c, &date, "AOH", "VNP", "G2");
    // Order endpoints answer as when logged out: the 302 to the passport page.
    let a = c.submit(&row, &date);
    assert_eq!(a.status, 302);
    assert_eq!(
        a.location.as_deref(),
        Some("/otn/passport?redirect=/otn/login/userLogin")
    );
    let a = c.post(
        "/otn/confirmPassenger/initDc",
        "_json_att=",
        Some(QUERY_REFERER),
    );
    assert!(a.body.contains("var globalRepeatSubmitToken = null;"));
    let entry = otn_entry(&c, &sid);
    assert_eq!(
        (&entry["logged_in"], &entry["lapsed"]),
        (&false.into(), &true.into())
    );
    // The passport login is still there.
    let v = c.post_json("/passport/web/auth/uamtk-static", "appid=otn");
    assert_eq!(v["result_code"], 0);

    let (tk, auth) = renew(&mut c);
    assert_eq!(tk["result_code"], 0, "{tk}");
    let auth = auth.expect("uamauthclient ran");
    assert_eq!(auth["result_code"], 0, "{auth}");
    assert_eq!(c.cookies["JSESSIONID"], sid, "the same JSESSIONID");
    assert_eq!(flag(&mut c), true);
    assert_eq!(is_login(&mut c), "Y");
    let entry = otn_entry(&c, &sid);
    assert_eq!(
        (&entry["logged_in"], &entry["lapsed"]),
        (&true.into(), &false.into())
    );

    // The order page of before the lapse went with it; a new one books.
    let (pts, old) = passenger_strs(&[(0, "O", "1")]);
    let v = c.check_order_info(&old_page, &pts, &old).json();
    assert_eq!(v["messages"][0], "车票信息已过期，请重新查询最新车票信息");
    let (_, page) = open_order_page(&mut c, &date, "AOH", "VNP", "G2");
    let v = c.check_order_info(&page, &pts, &old).json();
    assert_eq!(v["data"]["submitStatus"], true, "{v}");
    let v = c.confirm(&page, &pts, &old).json();
    assert_eq!(v["data"]["submitStatus"], true, "{v}");
}

#[test]
fn requests_that_use_the_login_keep_it_alive_queries_and_conf_do_not() {
    let sim = start_with(r#"{"otn_idle_ms":600000}"#);
    let mut c = logged_in(&sim);
    let date = date_in(3);
    // checkUser every 9 minutes keeps it for half an hour.
    for minute in [9, 18, 27] {
        clock_at(&c, minute * 60_000);
        assert_eq!(flag(&mut c), true, "checkUser at minute {minute}");
    }
    // Then only queries and login/conf for 9 minutes, then 2 more: 11 minutes since the last checkUser.
    clock_at(&c, 36 * 60_000);
    find_row(&mut c, &date, "AOH", "VNP", "G2");
    assert_eq!(is_login(&mut c), "Y", "still within 10 minutes");
    c.get("/otn/leftTicket/init?linktypeid=dc", None);
    clock_at(&c, 38 * 60_000);
    assert_eq!(flag(&mut c), false, "queries did not keep it");

    // Other requests that use the login count too: the unfinished-order list every 9 minutes.
    let (_, _) = renew(&mut c);
    assert_eq!(flag(&mut c), true);
    for minute in [47, 56, 65] {
        clock_at(&c, minute * 60_000);
        let v = c.no_complete().json();
        assert_eq!(
            v["status"], true,
            "queryMyOrderNoComplete at minute {minute}: {v}"
        );
    }
    clock_at(&c, 74 * 60_000);
    assert_eq!(flag(&mut c), true);
}

#[test]
fn an_ended_passport_login_cannot_renew() {
    let sim = start_with(r#"{"otn_idle_ms":600000,"passport_ttl_ms":3600000}"#);
    let mut c = logged_in(&sim);
    let entry = &sessions(&c)["passport"][0];
    assert_eq!(
        entry["expires_at_ms"].as_i64(),
        entry["issued_ms"].as_i64().map(|t| t + 3_600_000)
    );
    // Within the passport's hour the renewal works after a lapse.
    clock_at(&c, 20 * 60_000);
    assert_eq!(flag(&mut c), false);
    let (_, auth) = renew(&mut c);
    assert_eq!(auth.expect("renewed")["result_code"], 0);
    assert_eq!(flag(&mut c), true);
    // After it, the passport answers 用户未登录 (PROTOCOL §1.1 #2/#8) and the user must log in.
    clock_at(&c, 61 * 60_000);
    let v = c.post_json("/passport/web/auth/uamtk-static", "appid=otn");
    assert_eq!(
        (v["result_code"].as_i64(), v["result_message"].as_str()),
        (Some(1), Some("用户未登录"))
    );
    let (tk, auth) = renew(&mut c);
    assert_eq!(tk["result_code"], 1);
    assert_eq!(tk["result_message"], "用户未登录");
    assert!(auth.is_none());
    // The /otn session itself was used 41 minutes ago: lapsed too.
    assert_eq!(flag(&mut c), false);
    assert_eq!(sessions(&c)["passport"][0]["valid"], false);
}

#[test]
fn without_the_keys_nothing_lapses() {
    let sim = start();
    let mut c = logged_in(&sim);
    clock_at(&c, 5 * 3_600_000);
    assert_eq!(flag(&mut c), true);
    let v = c.post_json("/passport/web/auth/uamtk-static", "appid=otn");
    assert_eq!(v["result_code"], 0);
    let entry = otn_entry(&c, &c.cookies["JSESSIONID"].clone());
    assert_eq!(entry["lapses_at_ms"], serde_json::Value::Null);
    assert_eq!(
        sessions(&c)["passport"][0]["expires_at_ms"],
        serde_json::Value::Null
    );
}

#[test]
fn control_api_forces_the_lapse_and_the_end_of_the_passport_login() {
    let sim = start();
    let mut c = logged_in(&sim);
    let mut other = logged_in(&sim);
    let sid = c.cookies["JSESSIONID"].clone();
    let (s, v) = c.ctl_post("/session/lapse", &format!(r#"{{"jsessionid":"{sid}"}}"#));
    assert_eq!(s, 200);
    assert_eq!(v["lapsed"], serde_json::json!([sid]));
    assert_eq!(v["passport_ended"], 0);
    assert_eq!(flag(&mut c), false);
    assert_eq!(flag(&mut other), true, "only the one named");
    let (_, auth) = renew(&mut c);
    assert_eq!(auth.expect("renewed")["result_code"], 0);
    assert_eq!(flag(&mut c), true);

    // Without a body: every logged-in session; with passport: the renewal fails as well.
    let (s, v) = c.ctl_post("/session/lapse", r#"{"passport":true}"#);
    assert_eq!(s, 200);
    assert_eq!(v["lapsed"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["passport_ended"], 2);
    assert_eq!(flag(&mut other), false);
    let (tk, _) = renew(&mut c);
    assert_eq!(tk["result_code"], 1);

    let (s, _) = c.ctl_post("/session/lapse", r#"{"jsessionid":"NOPE"}"#);
    assert_eq!(s, 404);
    let (s, _) = c.ctl_post("/session/lapse", r#"{"jsession":"x"}"#);
    assert_eq!(s, 400);
}
