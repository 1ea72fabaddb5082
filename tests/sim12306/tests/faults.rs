//! Scenarios and faults: busy answers, HTML instead of JSON, dropped connections, latency, rate
//! limiting, slow queues, cancellation limit, payment deadline.

mod common;

use std::time::{Duration, Instant};

use common::*;
use sim12306::SimHandle;

#[test]
fn busy_once_then_normal() {
    let sim = start();
    let mut c = logged_in(&sim);
    let (s, _) = c.ctl_post(
        "/fault",
        r#"{"step":"submitOrderRequest","kind":"busy","times":1}"#,
    );
    assert_eq!(s, 200);
    let date = date_in(2);
    let row = find_row(&mut c, &date, "AOH", "VNP", "G2");
    let v = c.submit(&row, &date).json();
    assert_eq!(v["status"], false);
    assert_eq!(v["messages"][0], "系统繁忙，请稍后重试！");
    let v = c.submit(&row, &date).json();
    assert_eq!(v["status"], true);
}

#[test]
fn probabilistic_faults_are_deterministic_under_the_seed() {
    let pattern = || -> Vec<bool> {
        let sim = start_with(r#"{"faults":[{"step":"conf","kind":"busy","probability":0.5}]}"#);
        let mut c = Client::new(&sim);
        (0..40)
            .map(|_| c.post_json("/otn/login/conf", "")["status"] == true)
            .collect()
    };
    let a = pattern();
    assert_eq!(a, pattern());
    assert!(a.iter().any(|x| *x) && a.iter().any(|x| !*x), "{a:?}");
}

#[test]
fn html_error_page_status_and_empty() {
    let sim = start();
    let mut c = Client::new(&sim);
    c.ctl_post("/fault", r#"{"step":"query","kind":"html","times":1}"#);
    c.ctl_post(
        "/fault",
        r#"{"step":"conf","kind":"status","status":502,"times":1}"#,
    );
    c.ctl_post("/fault", r#"{"step":"checkUser","kind":"empty","times":1}"#);
    c.ctl_post(
        "/fault",
        r#"{"step":"initMy12306Api","kind":"error_page","times":1}"#,
    );
    c.ctl_post(
        "/fault",
        r#"{"step":"getPassengerDTOs","kind":"login","times":1}"#,
    );
    let date = date_in(2);
    let a = c.get(&query_url("leftTicket/queryG", &date, "AOH", "VNP"), None);
    assert_eq!(a.status, 200);
    assert!(a.body.contains("系统忙，请稍后重试"));
    assert_eq!(c.post("/otn/login/conf", "", None).status, 502);
    let a = c.check_user();
    assert_eq!((a.status, a.body.as_str()), (200, ""));
    let a = c.post("/otn/index/initMy12306Api", "", None);
    assert_eq!(a.location.as_deref(), Some("/mormhweb/logFiles/error.html"));
    let a = c.post("/otn/confirmPassenger/getPassengerDTOs", "_json_att=", None);
    assert_eq!(
        a.location.as_deref(),
        Some("/otn/passport?redirect=/otn/login/userLogin")
    );
    let (s, _) = c.ctl_post("/fault", r#"{"step":"x","kind":"weird"}"#);
    assert_eq!(s, 400);
    let (s, _) = c.ctl_post("/fault/clear", "");
    assert_eq!(s, 200);
}

#[test]
fn dropped_connection_after_confirm_still_creates_the_order() {
    let sim = start_with(
        r#"{"queue_ms":200,"faults":[{"step":"confirmSingleForQueue","kind":"drop","times":1}]}"#,
    );
    let mut c = logged_in(&sim);
    let date = date_in(3);
    let (_, page) = open_order_page(&mut c, &date, "AOH", "VNP", "G6");
    let (pts, old) = passenger_strs(&[(0, "O", "1")]);
    let v = c.check_order_info(&page, &pts, &old).json();
    assert_eq!(v["data"]["submitStatus"], true);
    let r = c.try_post(
        "/otn/confirmPassenger/confirmSingleForQueue",
        &confirm_body(&page, &pts, &old),
        Some(ORDER_REFERER),
    );
    assert!(r.is_err(), "the client sees a reset: {r:?}");
    // The order exists: queued now, then unpaid.
    let v = c.no_complete().json();
    assert_eq!(v["data"]["to_page"], "cache", "{v}");
    let seen = poll_queue(&mut c, &page);
    assert_eq!(
        seen.last().map(|d| d["waitTime"].clone()),
        Some(serde_json::json!(-1))
    );
    let requests = c.ctl_get("/requests?path=confirmSingleForQueue");
    assert_eq!(requests[0]["status"], 0, "recorded as dropped");
}

#[test]
fn reset_before_processing() {
    let sim = start_with(r#"{"faults":[{"step":"conf","kind":"reset","times":1}]}"#);
    let mut c = Client::new(&sim);
    assert!(c.try_post("/otn/login/conf", "", None).is_err());
    assert_eq!(c.post("/otn/login/conf", "", None).status, 200);
}

#[test]
fn latency() {
    let sim = start_with(r#"{"step_latency_ms":{"conf":150}}"#);
    let mut c = Client::new(&sim);
    let t = Instant::now();
    c.post("/otn/login/conf", "", None);
    assert!(t.elapsed() >= Duration::from_millis(150));
    c.ctl_post(
        "/fault",
        r#"{"step":"checkUser","kind":"latency","latency_ms":120,"times":1}"#,
    );
    let t = Instant::now();
    c.check_user();
    assert!(t.elapsed() >= Duration::from_millis(120));
}

#[test]
fn rate_limit_blocks_for_a_while() {
    let sim = start_with(r#"{"rate_limit":{"max_queries":3,"window_ms":10000,"block_ms":300}}"#);
    let mut c = Client::new(&sim);
    let url = query_url("leftTicket/queryG", &date_in(2), "AOH", "VNP");
    for _ in 0..3 {
        assert_eq!(c.get(&url, None).status, 200);
    }
    let a = c.get(&url, None);
    assert_eq!(a.status, 302);
    assert_eq!(a.location.as_deref(), Some("/mormhweb/logFiles/error.html"));
    assert_eq!(
        c.post("/otn/login/conf", "", None).status,
        302,
        "everything under /otn is blocked"
    );
    std::thread::sleep(Duration::from_millis(350));
    assert_eq!(c.get(&url, None).status, 200);
}

#[test]
fn slow_queue_counts_down_with_wait_count() {
    let sim = start_with(r#"{"queue_ms":2500,"wait_count":123}"#);
    let mut c = logged_in(&sim);
    let date = date_in(3);
    let (_, page) = open_order_page(&mut c, &date, "AOH", "VNP", "G6");
    let (pts, old) = passenger_strs(&[(0, "O", "1")]);
    c.check_order_info(&page, &pts, &old);
    c.confirm(&page, &pts, &old);
    let first = c.get(&wait_time_path(&page), Some(ORDER_REFERER)).json();
    assert_eq!(first["data"]["waitTime"], -100);
    let second = c.get(&wait_time_path(&page), Some(ORDER_REFERER)).json();
    let wt = second["data"]["waitTime"].as_i64().expect("waitTime");
    assert!((1..=3).contains(&wt), "{second}");
    assert_eq!(second["data"]["waitCount"], 123);
    let v = c.no_complete().json();
    assert_eq!(v["data"]["orderCacheDTO"]["waitCount"], 123);
    let seen = poll_queue(&mut c, &page);
    assert_eq!(
        seen.last().map(|d| d["waitTime"].clone()),
        Some(serde_json::json!(-1))
    );
}

#[test]
fn forced_queue_failure() {
    let sim = start_with(
        r#"{"queue_ms":0,"queue_fail_message":"很抱歉！当前提交订单用户过多，请您稍后重试。"}"#,
    );
    let mut c = logged_in(&sim);
    let (_, page) = open_order_page(&mut c, &date_in(3), "AOH", "VNP", "G6");
    let (pts, old) = passenger_strs(&[(0, "O", "1")]);
    c.confirm(&page, &pts, &old);
    let seen = poll_queue(&mut c, &page);
    let last = seen.last().expect("answers");
    assert_eq!(last["waitTime"], -2);
    assert_eq!(last["msg"], "很抱歉！当前提交订单用户过多，请您稍后重试。");
}

fn place(c: &mut Client, train: &str) -> String {
    let (_, page) = open_order_page(c, &date_in(3), "AOH", "VNP", train);
    let (pts, old) = passenger_strs(&[(1, "O", "1")]);
    let v = c.confirm(&page, &pts, &old).json();
    assert_eq!(v["data"]["submitStatus"], true, "{v}");
    let seen = poll_queue(c, &page);
    let last = seen.last().expect("answers").clone();
    last["orderId"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| last["msg"].as_str().unwrap_or("").to_string())
}

#[test]
fn cancellation_limit() {
    let sim = start_with(r#"{"queue_ms":0}"#);
    let mut c = logged_in(&sim);
    for _ in 0..3 {
        let id = place(&mut c, "G6");
        assert!(id.starts_with('E'), "{id}");
        let v = c.post_json(
            "/otn/queryOrder/cancelNoCompleteMyOrder",
            &format!("sequence_no={id}&cancel_flag=cancel_order&_json_att="),
        );
        assert_eq!(v["data"]["existError"], "N");
    }
    let msg = place(&mut c, "G6");
    assert!(
        msg.starts_with("对不起，由于您取消次数过多，今日将不能继续受理您的订票请求。"),
        "{msg}"
    );
}

#[test]
fn unpaid_order_expires_and_seats_come_back() {
    let sim = start_with(r#"{"queue_ms":0,"pay_window_ms":200}"#);
    let mut c = logged_in(&sim);
    let date = date_in(3);
    c.ctl_post(
        "/inventory",
        &format!(r#"{{"date":"{date}","train":"G6","seat":"O","count":5}}"#),
    );
    let id = place(&mut c, "G6");
    assert!(id.starts_with('E'));
    assert_eq!(find_row(&mut c, &date, "AOH", "VNP", "G6")[30], "4");
    std::thread::sleep(Duration::from_millis(250));
    assert_eq!(find_row(&mut c, &date, "AOH", "VNP", "G6")[30], "5");
    assert_eq!(c.ctl_get("/orders")[0]["status"], "expired");
}

#[test]
fn reset_and_bad_scenarios() {
    let sim = start();
    let c = Client::new(&sim);
    let (s, v) = c.ctl_post("/scenario", r#"{"unknown_key":1}"#);
    assert_eq!(s, 400, "{v}");
    let (s, _) = c.ctl_post("/scenario", "not json");
    assert_eq!(s, 400);
    let (s, _) = c.ctl_post("/reset", "");
    assert_eq!(s, 200);
    let (s, _) = c.ctl_post(
        "/inventory",
        r#"{"date":"2030-01-01","train":"NOPE","seat":"O","count":1}"#,
    );
    assert_eq!(s, 400);
    let h = c.ctl_get("/health");
    assert_eq!(h["ok"], true);
}

/// Confirms G6 for 张三 under `scenario` and returns the confirm's answer (JSON) with the page it used.
fn confirm_under(scenario: &str) -> (SimHandle, Client, Page, serde_json::Value) {
    let sim = start_with(scenario);
    let mut c = logged_in(&sim);
    let (_, page) = open_order_page(&mut c, &date_in(3), "AOH", "VNP", "G6");
    let (pts, old) = passenger_strs(&[(0, "O", "1")]);
    let v = c.confirm(&page, &pts, &old).json();
    (sim, c, page, v)
}

#[test]
fn processed_busy_confirm_queues_the_order_and_answers_busy() {
    let (_sim, mut c, page, v) = confirm_under(
        r#"{"queue_ms":200,"faults":[{"step":"confirmSingleForQueue","kind":"processed_busy","times":1}]}"#,
    );
    assert_eq!(v["status"], true, "{v}");
    assert_eq!(v["data"]["submitStatus"], false, "{v}");
    assert_eq!(v["data"]["errMsg"], "系统繁忙，请稍后重试！");
    // Processed all the same: the order is queued, the order list and the queue know it.
    let orders = c.ctl_get("/orders");
    assert_eq!(orders.as_array().map(Vec::len), Some(1), "{orders}");
    assert_eq!(orders[0]["status"], "queued");
    assert_eq!(c.no_complete().json()["data"]["to_page"], "cache");
    let seen = poll_queue(&mut c, &page);
    let last = seen.last().expect("answers");
    assert_eq!(last["waitTime"], -1);
    assert_eq!(last["orderId"], orders[0]["id"]);
}

#[test]
fn processed_busy_plays_any_text_in_either_shape() {
    const IN_PROCESS: &str = "您的请求已在处理中，请在未完成订单中查询订单状态！";
    let (_sim, c, _, v) = confirm_under(&format!(
        r#"{{"faults":[{{"step":"confirmSingleForQueue","kind":"processed_busy","shape":"messages","message":"{IN_PROCESS}"}}]}}"#
    ));
    assert_eq!(v["status"], false, "{v}");
    assert_eq!(v["messages"][0], IN_PROCESS);
    assert!(v.get("data").is_none_or(|d| d.is_null()), "{v}");
    assert_eq!(c.ctl_get("/orders").as_array().map(Vec::len), Some(1));

    let (_sim, c, _, v) = confirm_under(
        r#"{"faults":[{"step":"confirmSingleForQueue","kind":"processed_busy","message":"车票信息已过期，请重新查询最新车票信息"}]}"#,
    );
    assert_eq!(v["data"]["submitStatus"], false, "{v}");
    assert_eq!(
        v["data"]["errMsg"],
        "车票信息已过期，请重新查询最新车票信息"
    );
    assert_eq!(c.ctl_get("/orders").as_array().map(Vec::len), Some(1));

    // A step that answers `status:false` by default can be made to answer with `submitStatus:false`.
    let sim = start_with(
        r#"{"faults":[{"step":"submitOrderRequest","kind":"processed_busy","shape":"submitStatus"}]}"#,
    );
    let mut c = logged_in(&sim);
    let date = date_in(3);
    let row = find_row(&mut c, &date, "AOH", "VNP", "G6");
    let v = c.submit(&row, &date).json();
    assert_eq!(v["data"]["submitStatus"], false, "{v}");
}

#[test]
fn a_new_order_is_invisible_to_the_checks_until_order_visible_after_ms() {
    let sim = start_with(r#"{"queue_ms":0,"order_visible_after_ms":1500}"#);
    let mut c = logged_in(&sim);
    let date = date_in(3);
    let (_, page) = open_order_page(&mut c, &date, "AOH", "VNP", "G6");
    let (pts, old) = passenger_strs(&[(0, "O", "1")]);
    let v = c.confirm(&page, &pts, &old).json();
    assert_eq!(v["data"]["submitStatus"], true, "{v}");
    let created = Instant::now();
    // Queued and at once seated (queue_ms 0), yet 12306's own checks do not see it yet.
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(c.ctl_get("/orders")[0]["status"], "unpaid");
    for _ in 0..3 {
        let q = c.get(&wait_time_path(&page), Some(ORDER_REFERER)).json();
        assert_eq!(q["data"]["waitTime"], -100, "{q}");
        assert!(q["data"]["orderId"].is_null(), "{q}");
    }
    let v = c.no_complete().json();
    assert!(
        v["data"].is_null() || v.get("data").is_none(),
        "nothing listed: {v}"
    );
    let row = find_row(&mut c, &date, "AOH", "VNP", "G8");
    let v = c.submit(&row, &date).json();
    assert_eq!(v["status"], true, "no unfinished-order refusal yet: {v}");
    assert!(
        created.elapsed() < Duration::from_millis(1500),
        "checked inside the delay"
    );

    std::thread::sleep(Duration::from_millis(1600).saturating_sub(created.elapsed()));
    assert_eq!(c.no_complete().json()["data"]["to_page"], "db");
    let seen = poll_queue(&mut c, &page);
    assert_eq!(
        seen.last().map(|d| d["waitTime"].clone()),
        Some(serde_json::json!(-1))
    );
    let row = find_row(&mut c, &date, "AOH", "VNP", "G8");
    let v = c.submit(&row, &date).json();
    assert_eq!(v["status"], false, "{v}");
    assert!(
        v["messages"][0]
            .as_str()
            .is_some_and(|m| m.contains("未处理的订单")),
        "{v}"
    );
}
