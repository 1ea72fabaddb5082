//! The normal booking flow end to end, with the refusals the real server gives.

mod common;

use common::*;

const FAST_QUEUE: &str = r#"{"queue_ms":300}"#;

fn book(
    c: &mut Client,
    train: &str,
    picks: &[(usize, &str, &str)],
    from: &str,
    to: &str,
) -> (Page, Vec<serde_json::Value>) {
    let date = date_in(3);
    let (_, page) = open_order_page(c, &date, from, to, train);
    let (pts, old) = passenger_strs(picks);
    let a = c.post(
        "/otn/confirmPassenger/getPassengerDTOs",
        &format!("_json_att=&REPEAT_SUBMIT_TOKEN={}", page.token),
        Some(ORDER_REFERER),
    );
    assert_eq!(
        a.json()["data"]["normal_passengers"]
            .as_array()
            .map(Vec::len),
        Some(5)
    );
    let a = c.check_order_info(&page, &pts, &old);
    assert_eq!(a.json()["data"]["submitStatus"], true, "{}", a.body);
    let seat = picks[0].1;
    let a = c.queue_count(&page, train, seat, from, to);
    assert_eq!(a.json()["status"], true, "{}", a.body);
    let a = c.confirm(&page, &pts, &old);
    let v = a.json();
    assert_eq!(v["data"]["submitStatus"], true, "{}", a.body);
    assert_eq!(v["data"]["isAsync"], "1");
    let seen = poll_queue(c, &page);
    (page, seen)
}

#[test]
fn full_flow_places_an_unpaid_order() {
    let sim = start_with(FAST_QUEUE);
    let mut c = logged_in(&sim);
    let (page, seen) = book(&mut c, "G2", &[(0, "O", "1"), (1, "M", "1")], "AOH", "VNP");
    assert_eq!(seen[0]["waitTime"], -100, "first answer is -100");
    let last = seen.last().expect("answers");
    assert_eq!(last["waitTime"], -1);
    let order_id = last["orderId"].as_str().expect("orderId").to_string();
    assert!(
        order_id.starts_with('E') && order_id.len() == 10,
        "{order_id}"
    );

    let a = c.post(
        "/otn/confirmPassenger/resultOrderForDcQueue",
        &format!(
            "orderSequence_no={order_id}&_json_att=&REPEAT_SUBMIT_TOKEN={}",
            page.token
        ),
        Some(ORDER_REFERER),
    );
    assert_eq!(a.json()["data"]["submitStatus"], true);
    let a = c.post(
        "/otn/basedata/log",
        &format!("type=dc&_json_att=&REPEAT_SUBMIT_TOKEN={}", page.token),
        Some(ORDER_REFERER),
    );
    assert_eq!(a.json()["data"], true);
    let a = c.post(
        "/otn/payOrder/init?random=1",
        "_json_att=",
        Some(ORDER_REFERER),
    );
    assert!(
        a.body.contains(&order_id) && a.body.contains("var parOrderDTOJson = '"),
        "{}",
        a.body
    );

    // The order book and the unfinished-order endpoint agree.
    let orders = c.ctl_get("/orders");
    assert_eq!(orders[0]["status"], "unpaid");
    assert_eq!(orders[0]["tickets"].as_array().map(Vec::len), Some(2));
    let v = c.no_complete().json();
    assert_eq!(v["data"]["to_page"], "db");
    assert_eq!(
        v["data"]["orderDBList"][0]["sequence_no"],
        order_id.as_str()
    );

    // A second order is refused while this one is unpaid.
    let date = date_in(3);
    let row = find_row(&mut c, &date, "AOH", "VNP", "G6");
    let v = c.submit(&row, &date).json();
    assert_eq!(v["status"], false);
    assert!(
        v["messages"][0]
            .as_str()
            .unwrap_or("")
            .starts_with("您还有未处理的订单"),
        "{v}"
    );

    // Cancel, then booking works again and the seats came back.
    let v = c.post_json(
        "/otn/queryOrder/cancelNoCompleteMyOrder",
        &format!("sequence_no={order_id}&cancel_flag=cancel_order&_json_att="),
    );
    assert_eq!(v["data"]["existError"], "N");
    let v = c.no_complete().json();
    assert!(v.get("data").is_none(), "{v}");
}

#[test]
fn one_time_token_and_stale_secret() {
    let sim = start_with(FAST_QUEUE);
    let mut c = logged_in(&sim);
    let (page, _) = book(&mut c, "G6", &[(0, "O", "1")], "AOH", "VNP");
    // Reusing the token of a used order page fails.
    let (pts, old) = passenger_strs(&[(0, "O", "1")]);
    let v = c.check_order_info(&page, &pts, &old).json();
    assert_eq!(v["status"], false);
    assert_eq!(v["messages"][0], "车票信息已过期，请重新查询最新车票信息");
    // An unknown token too.
    let mut bad = page.clone();
    bad.token = "0123456789abcdef0123456789abcdef".into();
    let v = c.check_order_info(&bad, &pts, &old).json();
    assert_eq!(v["status"], false);
}

#[test]
fn double_encoded_or_unknown_secret_is_stale() {
    let sim = start();
    let mut c = logged_in(&sim);
    let date = date_in(2);
    let row = find_row(&mut c, &date, "AOH", "VNP", "G2");
    let double = row[0].replace('%', "%25");
    let mut r2 = row.clone();
    r2[0] = double;
    let v = c.submit(&r2, &date).json();
    assert_eq!(v["messages"][0], "车票信息已过期，请重新查询最新车票信息");
    r2[0] = "abc".into();
    let v = c.submit(&r2, &date).json();
    assert_eq!(v["status"], false);
    // Decoded once by the client and encoded once by its form encoder: accepted.
    let decoded = sim12306::form::decode(&row[0]);
    let mut r3 = row.clone();
    r3[0] = enc(&decoded);
    let v = c.submit(&r3, &date).json();
    assert_eq!(v["status"], true, "{v}");
    assert_eq!(v["data"], "N");
}

#[test]
fn standing_ticket_when_only_standing_is_left() {
    let sim = start_with(FAST_QUEUE);
    let mut c = logged_in(&sim);
    // G4: 二等座 sold out, 无座 50.
    let date = date_in(3);
    let (_, page) = open_order_page(&mut c, &date, "AOH", "VNP", "G4");
    let a = c.queue_count(&page, "G4", "O", "AOH", "VNP");
    assert_eq!(a.json()["data"]["ticket"], "0,50", "{}", a.body);
    let (pts, old) = passenger_strs(&[(0, "O", "1")]);
    let v = c.check_order_info(&page, &pts, &old).json();
    assert_eq!(v["data"]["submitStatus"], true, "{v}");
    let v = c.confirm(&page, &pts, &old).json();
    assert_eq!(v["data"]["submitStatus"], true);
    let seen = poll_queue(&mut c, &page);
    assert_eq!(
        seen.last().map(|d| d["waitTime"].clone()),
        Some(serde_json::json!(-1))
    );
    let orders = c.ctl_get("/orders");
    assert_eq!(orders[0]["tickets"][0]["standing"], true);
    assert_eq!(orders[0]["tickets"][0]["seat_no"], "无座");
}

#[test]
fn not_enough_seats_and_bad_passengers() {
    let sim = start();
    let mut c = logged_in(&sim);
    let date = date_in(4);
    let (_, page) = open_order_page(&mut c, &date, "AOH", "VNP", "G4");
    // G4 一等座 has 5 left; 商务座 none.
    let (pts, old) = passenger_strs(&[(0, "9", "1"), (1, "9", "1")]);
    let v = c.check_order_info(&page, &pts, &old).json();
    assert_eq!(v["data"]["submitStatus"], false);
    assert_eq!(v["data"]["checkSeatNum"], true);
    assert_eq!(
        v["data"]["errMsg"],
        "您选择了2位乘车人，但本次列车商务座仅剩0张。"
    );
    let (pts, old) = passenger_strs(&[(0, "M", "1")]);
    let wrong = pts.replace(&sim12306::passengers::PASSENGERS[0].all_enc_str(), "00ff");
    let v = c.check_order_info(&page, &wrong, &old).json();
    assert_eq!(v["data"]["submitStatus"], false);
    assert_eq!(v["data"]["errMsg"], "出票失败");
    let (pts, old) = passenger_strs(&[(0, "1", "1")]);
    let v = c.check_order_info(&page, &pts, &old).json();
    assert_eq!(v["data"]["errMsg"], "非法的席别");
    // Exact counts set through the control API.
    let (s, _) = c.ctl_post(
        "/inventory",
        &format!(r#"{{"date":"{date}","train":"G4","seat":"M","count":1}}"#),
    );
    assert_eq!(s, 200);
    let (pts, old) = passenger_strs(&[(0, "M", "1"), (1, "M", "1")]);
    let v = c.check_order_info(&page, &pts, &old).json();
    assert_eq!(
        v["data"]["errMsg"],
        "您选择了2位乘车人，但本次列车一等座仅剩1张。"
    );
}

#[test]
fn queue_fails_when_tickets_are_gone() {
    let sim = start_with(FAST_QUEUE);
    let mut c = logged_in(&sim);
    let date = date_in(3);
    let (_, page) = open_order_page(&mut c, &date, "SHH", "CZH", "G7784");
    let (pts, old) = passenger_strs(&[(0, "M", "1")]);
    let v = c.check_order_info(&page, &pts, &old).json();
    assert_eq!(v["data"]["submitStatus"], true);
    let v = c.confirm(&page, &pts, &old).json();
    assert_eq!(v["data"]["submitStatus"], true);
    // Someone else takes the last seats while we are queued.
    c.ctl_post(
        "/inventory",
        &format!(r#"{{"date":"{date}","train":"G7784","seat":"M","count":0}}"#),
    );
    let seen = poll_queue(&mut c, &page);
    let last = seen.last().expect("answers");
    assert_eq!(last["waitTime"], -2);
    assert_eq!(last["msg"], "没有足够的票!");
}

#[test]
fn session_and_referer_checks() {
    let sim = start();
    let mut c = Client::new(&sim);
    // Logged out: checkUser false, order endpoints 302 to the passport page.
    let v = c.check_user().json();
    assert_eq!(v["data"]["flag"], false);
    let date = date_in(2);
    let row = find_row(&mut c, &date, "AOH", "VNP", "G2");
    let a = c.submit(&row, &date);
    assert_eq!(a.status, 302);
    assert_eq!(
        a.location.as_deref(),
        Some("/otn/passport?redirect=/otn/login/userLogin")
    );
    let a = c.post("/otn/confirmPassenger/initDc", "_json_att=", None);
    assert!(a.body.contains("var globalRepeatSubmitToken = null;"));
    // Logged in, wrong Referer: 302 to error.html.
    c.login();
    let a = c.post(
        "/otn/leftTicket/submitOrderRequest",
        &submit_body(&row, &date),
        None,
    );
    assert_eq!(a.status, 302);
    assert_eq!(a.location.as_deref(), Some("/mormhweb/logFiles/error.html"));
    let a = c.post(
        "/otn/login/checkUser",
        "_json_att=",
        Some("https://kyfw.12306.cn/otn/view/index.html"),
    );
    assert_eq!(a.status, 302);
    // initDc: GET is the 系统忙 page; POST without a chosen train is the passport page.
    let a = c.get("/otn/confirmPassenger/initDc", None);
    assert!(a.body.contains("系统忙，请稍后重试"));
    let a = c.post("/otn/confirmPassenger/initDc", "_json_att=", None);
    assert!(a.body.contains("var globalRepeatSubmitToken = null;"));
    let a = c.get("/mormhweb/logFiles/error.html", None);
    assert_eq!(a.status, 200);
}

#[test]
fn order_page_variables() {
    let sim = start();
    let mut c = logged_in(&sim);
    let date = date_in(5);
    let (_, page) = open_order_page(&mut c, &date, "SHH", "CZH", "G7784");
    assert_eq!(page.token.len(), 32);
    assert_eq!(page.key_check.len(), 56);
    assert!(page.key_check.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(page.left_ticket.contains('%'));
    assert_eq!(page.train_location, "H1");
    assert_eq!(page.train_no, "55000G778410");
    let d = sim12306::clock::Date::parse(&date).expect("date");
    assert_eq!(page.train_date_ms, d.midnight_ms());
    for var in [
        "var init_limit_ticket_num='9';",
        "var init_seatTypes=[",
        "var ticket_seat_codeMap={",
        "'purpose_codes':'00'",
        "'tour_flag':'dc'",
        "'maxTicketNum':'9'",
        "'ypInfoDetail':'",
    ] {
        assert!(page.html.contains(var), "missing {var}");
    }
    // Each initDc gives a new token.
    let a = c.post(
        "/otn/confirmPassenger/initDc",
        "_json_att=",
        Some(QUERY_REFERER),
    );
    assert_ne!(parse_page(&a.body).token, page.token);
}
