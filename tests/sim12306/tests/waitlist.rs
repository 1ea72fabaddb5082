//! 候补 (waitlist) orders as 12306 models them in 2026 (PROTOCOL §5.13): the face check, the 2026 confirmHB
//! field set, the queue, the 待兑现 list, fulfilment by released tickets, the deadline, cancellation; and the
//! seat letters and berth counts of a direct confirm honoured in the tickets issued.

mod common;

use common::*;
use serde_json::Value;

const LATER: &str = "https://kyfw.12306.cn/otn/view/lineUp_toPay.html";

fn secret_list(rows: &[(&[String], &str)]) -> String {
    enc(&rows
        .iter()
        .map(|(row, seat)| format!("{}#{seat}|", row[0]))
        .collect::<String>())
}

fn passenger_info(idx: &[usize]) -> String {
    enc(&idx
        .iter()
        .map(|i| {
            let p = &sim12306::passengers::PASSENGERS[*i];
            format!("1#{}#1#{}#{}#0;", p.name, p.id_no, p.all_enc_str())
        })
        .collect::<String>())
}

/// The 2026 confirmHB body (every field the page sends), with a deadline `diff` minutes before departure.
fn confirm_hb_body(idx: &[usize], diff: &str, wseat: &str) -> String {
    format!(
        "passengerInfo={}&jzParam=&hbTrain=&lkParam=&sessionId=&sig=&scene=nc_login&encryptedData=&if_receive_wseat={wseat}&realize_limit_time_diff={diff}&plans=&tmp_train_date=&tmp_train_time=&add_train_flag=N&add_train_seat_type_code=&_json_att=",
        passenger_info(idx)
    )
}

/// Face check, submit, passengerInitApi for the (row, seat) plans; the submit's answer.
fn choose(c: &mut Client, plans: &[(&[String], &str)]) -> Value {
    let list = secret_list(plans);
    let v = c
        .post(
            "/otn/afterNate/chechFace",
            &format!("secretList={list}&_json_att="),
            Some(QUERY_REFERER),
        )
        .json();
    if v["data"]["face_flag"] != true {
        return v;
    }
    let v = c
        .post(
            "/otn/afterNate/submitOrderRequest",
            &format!("secretList={list}&_json_att="),
            Some(QUERY_REFERER),
        )
        .json();
    c.post("/otn/afterNate/passengerInitApi", "", Some(LATER));
    v
}

fn orders(c: &Client) -> Vec<Value> {
    c.ctl_get("/orders").as_array().cloned().unwrap_or_default()
}

fn sold_out(c: &Client, date: &str, train: &str, seat: &str) {
    let (s, _) = c.ctl_post(
        "/inventory",
        &format!(r#"{{"date":"{date}","train":"{train}","seat":"{seat}","count":0}}"#),
    );
    assert_eq!(s, 200);
}

#[test]
fn waitlist_order_is_fulfilled_by_released_tickets() {
    let sim = start();
    let mut c = logged_in(&sim);
    let date = date_in(3);
    sold_out(&c, &date, "G2", "O");
    let row = find_row(&mut c, &date, "AOH", "VNP", "G2");
    let v = choose(&mut c, &[(&row, "O")]);
    assert_eq!(v["data"]["flag"], true, "{v}");
    let v = c.post_json(
        "/otn/afterNate/confirmHB",
        &confirm_hb_body(&[0, 1], "360", "N"),
    );
    assert_eq!(v["data"]["flag"], true, "{v}");
    let v = c.post_json("/otn/afterNate/queryQueue", "");
    assert_eq!(v["data"]["status"], 1, "{v}");
    let reserve_no = v["data"]["reserve_no"]
        .as_str()
        .expect("reserve_no")
        .to_string();
    let v = c.post_json(
        "/otn/afterNateOrder/queryUnHonourHOrder",
        "page_no=0&_json_att=",
    );
    let list = v["data"]["list"].as_array().expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["reserve_no"], reserve_no.as_str());
    assert_eq!(list[0]["needs"][0]["board_train_code"], "G2");
    assert_eq!(list[0]["needs"][0]["seat_type_code"], "O");
    let o = orders(&c);
    assert_eq!(o[0]["kind"], "hb");
    assert_eq!(o[0]["status"], "waiting");
    // Not an unfinished order: the direct flow still books.
    assert!(c.no_complete().json()["data"].is_null());

    // Only one 候补 order waits at a time.
    let v = choose(&mut c, &[(&row, "O")]);
    assert_eq!(v["data"]["flag"], true, "{v}");
    let v = c.post_json(
        "/otn/afterNate/confirmHB",
        &confirm_hb_body(&[0], "360", "N"),
    );
    assert_eq!(v["data"]["flag"], false, "{v}");
    assert_eq!(orders(&c).len(), 1);

    // Released tickets fulfil it: an unpaid order with a payment deadline, listed as unfinished.
    let (s, _) = c.ctl_post(
        "/release",
        &format!(r#"{{"date":"{date}","train":"G2","seat":"O","count":2,"after_ms":0}}"#),
    );
    assert_eq!(s, 200);
    let a = c.no_complete();
    let v = a.json();
    assert_eq!(v["data"]["to_page"], "db", "{}", a.body);
    let o = orders(&c);
    assert_eq!(o[0]["status"], "unpaid");
    assert_eq!(o[0]["waitlist"]["fulfilled"], true);
    assert!(o[0]["pay_deadline_ms"].as_i64().unwrap_or(0) > 0);
    assert_eq!(o[0]["tickets"].as_array().map(Vec::len), Some(2));
    let v = c.post_json("/otn/afterNateOrder/queryUnHonourHOrder", "");
    assert_eq!(v["data"]["list"].as_array().map(Vec::len), Some(0));
    let v = c.post_json("/otn/afterNateOrder/queryProcessedHOrder", "");
    assert_eq!(v["data"]["list"][0]["status_name"], "已兑现");
}

#[test]
fn the_second_plan_fulfils_when_the_first_stays_sold_out() {
    let sim = start();
    let mut c = logged_in(&sim);
    let date = date_in(4);
    sold_out(&c, &date, "G2", "O");
    sold_out(&c, &date, "G4", "M");
    let g2 = find_row(&mut c, &date, "AOH", "VNP", "G2");
    let g4 = find_row(&mut c, &date, "AOH", "VNP", "G4");
    assert_eq!(
        choose(&mut c, &[(&g2, "O"), (&g4, "M")])["data"]["flag"],
        true
    );
    let v = c.post_json("/otn/afterNate/getQueueNum", "");
    assert_eq!(v["data"]["queueNum"].as_array().map(Vec::len), Some(2));
    let v = c.post_json(
        "/otn/afterNate/confirmHB",
        &confirm_hb_body(&[0], "120", "N"),
    );
    assert_eq!(v["data"]["flag"], true, "{v}");
    c.ctl_post(
        "/release",
        &format!(r#"{{"date":"{date}","train":"G4","seat":"M","count":1,"after_ms":0}}"#),
    );
    c.no_complete();
    let o = orders(&c);
    assert_eq!(o[0]["status"], "unpaid");
    assert_eq!(o[0]["train"], "G4");
    assert_eq!(o[0]["tickets"][0]["seat"], "M");
}

#[test]
fn old_field_set_and_face_check_refusals() {
    let sim = start();
    let mut c = logged_in(&sim);
    let date = date_in(3);
    let row = find_row(&mut c, &date, "AOH", "VNP", "G2");
    assert_eq!(choose(&mut c, &[(&row, "O")])["data"]["flag"], true);
    // The 2023 set (no plans … add_train_seat_type_code) is refused (JOHNSHA 2026-03-31).
    let old = format!(
        "passengerInfo={}&jzParam=&hbTrain=&lkParam=&sessionId=&sig=&scene=nc_login&encryptedData=&_json_att=",
        passenger_info(&[0])
    );
    let v = c.post_json("/otn/afterNate/confirmHB", &old);
    assert_eq!(v["status"], false);
    assert_eq!(v["messages"][0], "参数不正确");
    // A deadline not offered, or none at all.
    let v = c.post_json("/otn/afterNate/confirmHB", &confirm_hb_body(&[0], "7", "N"));
    assert_eq!(v["messages"][0], "参数不正确");
    let v = c.post_json("/otn/afterNate/confirmHB", &confirm_hb_body(&[0], "", "N"));
    assert_eq!(v["messages"][0], "参数不正确");
    assert!(orders(&c).is_empty());

    let sim = start_with(r#"{"face_check_code":"14"}"#);
    let mut c = logged_in(&sim);
    let row = find_row(&mut c, &date, "AOH", "VNP", "G2");
    let v = c
        .post(
            "/otn/afterNate/chechFace",
            &format!("secretList={}&_json_att=", secret_list(&[(&row, "O")])),
            Some(QUERY_REFERER),
        )
        .json();
    assert_eq!(v["data"]["face_flag"], false);
    assert_eq!(v["data"]["face_check_code"], "14");
    let v = c.post_json(
        "/otn/afterNate/submitOrderRequest",
        &format!("secretList={}&_json_att=", secret_list(&[(&row, "O")])),
    );
    assert_eq!(v["data"]["flag"], false);
    assert_eq!(v["data"]["faceCheck"], "14");
}

#[test]
fn queue_cancel_and_deadline() {
    let sim = start_with(r#"{"hb_queue_ms":2000}"#);
    let mut c = logged_in(&sim);
    let date = date_in(2);
    sold_out(&c, &date, "G2", "O");
    let row = find_row(&mut c, &date, "AOH", "VNP", "G2");
    choose(&mut c, &[(&row, "O")]);
    let v = c.post_json(
        "/otn/afterNate/confirmHB",
        &confirm_hb_body(&[0], "1440", "Y"),
    );
    assert_eq!(v["data"]["flag"], true, "{v}");
    // A resend of the same confirm meets the used choice.
    let v = c.post_json(
        "/otn/afterNate/confirmHB",
        &confirm_hb_body(&[0], "1440", "Y"),
    );
    assert_eq!(v["data"]["flag"], false, "{v}");
    let v = c.post_json("/otn/afterNate/queryQueue", "");
    assert_eq!(v["data"]["status"], 0, "{v}");
    assert!(v["data"]["waitTime"].as_i64().unwrap_or(0) > 0);
    c.ctl_post("/clock", r#"{"offset_ms":3000}"#);
    let v = c.post_json("/otn/afterNate/queryQueue", "");
    assert_eq!(v["data"]["status"], 1, "{v}");
    let id = v["data"]["reserve_no"].as_str().expect("id").to_string();
    let v = c.post_json(
        "/otn/afterNateOrder/cancelWaitingHOrder",
        &format!("reserve_no={id}&_json_att="),
    );
    assert_eq!(v["data"]["flag"], true);
    assert_eq!(orders(&c)[0]["status"], "cancelled");
    let v = c.post_json(
        "/otn/afterNateOrder/cancelWaitingHOrder",
        &format!("reserve_no={id}&_json_att="),
    );
    assert_eq!(v["data"]["flag"], false);

    // A new one ends at its 截止兑现时间 (one day before departure) unfulfilled.
    let row = find_row(&mut c, &date, "AOH", "VNP", "G2");
    choose(&mut c, &[(&row, "O")]);
    let v = c.post_json(
        "/otn/afterNate/confirmHB",
        &confirm_hb_body(&[0], "20", "Y"),
    );
    assert_eq!(v["data"]["flag"], true, "{v}");
    let limit = orders(&c)[1]["waitlist"]["realize_limit_ms"]
        .as_i64()
        .expect("limit");
    c.ctl_post("/clock", &format!(r#"{{"now_ms":{}}}"#, limit + 1000));
    c.ctl_post(
        "/release",
        &format!(r#"{{"date":"{date}","train":"G2","seat":"O","count":5,"after_ms":0}}"#),
    );
    c.ctl_get("/health");
    let o = orders(&c);
    assert_eq!(o[1]["status"], "expired", "{o:?}");
}

#[test]
fn chosen_seats_and_berths_are_the_seats_issued() {
    let sim = start_with(r#"{"queue_ms":200}"#);
    let mut c = logged_in(&sim);
    let date = date_in(3);
    let (_, page) = open_order_page(&mut c, &date, "AOH", "VNP", "G2");
    let (pts, old) = passenger_strs(&[(0, "O", "1"), (1, "O", "1")]);
    let v = c.check_order_info(&page, &pts, &old).json();
    assert_eq!(v["data"]["canChooseSeats"], "Y");
    assert!(v["data"]["choose_Seats"]
        .as_str()
        .unwrap_or("")
        .contains('O'));
    assert_eq!(v["data"]["canChooseBeds"], "N");
    let body = confirm_body(&page, &pts, &old).replace("choose_seats=&", "choose_seats=1A1F&");
    let v = c
        .post(
            "/otn/confirmPassenger/confirmSingleForQueue",
            &body,
            Some(ORDER_REFERER),
        )
        .json();
    assert_eq!(v["data"]["submitStatus"], true, "{v}");
    poll_queue(&mut c, &page);
    let o = orders(&c);
    assert_eq!(o[0]["choose_seats"], "1A1F");
    let seats: Vec<String> = o[0]["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| t["seat_no"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        seats[0].ends_with('A') && seats[1].ends_with('F'),
        "{seats:?}"
    );

    // A sleeper: one lower berth asked for.
    let v = c.post_json(
        "/otn/queryOrder/cancelNoCompleteMyOrder",
        &format!(
            "sequence_no={}&cancel_flag=cancel_order&_json_att=",
            o[0]["id"].as_str().unwrap_or("")
        ),
    );
    assert_eq!(v["data"]["existError"], "N");
    let (_, page) = open_order_page(&mut c, &date, "BJP", "SHH", "T109");
    let (pts, old) = passenger_strs(&[(0, "3", "1"), (1, "3", "1")]);
    let v = c.check_order_info(&page, &pts, &old).json();
    assert_eq!(v["data"]["canChooseBeds"], "Y");
    assert_eq!(v["data"]["isCanChooseMid"], "Y");
    let body = confirm_body(&page, &pts, &old).replace("seatDetailType=000", "seatDetailType=001");
    let body = body.replace("seatDetailType=001", "seatDetailType=100");
    let v = c
        .post(
            "/otn/confirmPassenger/confirmSingleForQueue",
            &body,
            Some(ORDER_REFERER),
        )
        .json();
    assert_eq!(v["data"]["submitStatus"], true, "{v}");
    poll_queue(&mut c, &page);
    let o = orders(&c);
    assert_eq!(o[1]["seat_detail"], "100");
    assert!(
        o[1]["tickets"][0]["seat_no"]
            .as_str()
            .unwrap_or("")
            .ends_with("下铺"),
        "{o:?}"
    );

    // A letter the class does not have is refused, nothing queued.
    c.post_json(
        "/otn/queryOrder/cancelNoCompleteMyOrder",
        &format!(
            "sequence_no={}&cancel_flag=cancel_order&_json_att=",
            o[1]["id"].as_str().unwrap_or("")
        ),
    );
    let (_, page) = open_order_page(&mut c, &date, "AOH", "VNP", "G2");
    let (pts, old) = passenger_strs(&[(0, "M", "1")]);
    let body = confirm_body(&page, &pts, &old).replace("choose_seats=&", "choose_seats=1B&");
    let v = c
        .post(
            "/otn/confirmPassenger/confirmSingleForQueue",
            &body,
            Some(ORDER_REFERER),
        )
        .json();
    assert_eq!(v["data"]["submitStatus"], false, "{v}");
    assert_eq!(orders(&c).len(), 2);
}

#[test]
fn beds_need_face_check_or_at_most_five() {
    let sim = start_with(r#"{"choose_beds_needs_face_check":true}"#);
    let mut c = logged_in(&sim);
    let date = date_in(3);
    let (_, page) = open_order_page(&mut c, &date, "BJP", "SHH", "T109");
    let (pts, old) = passenger_strs(&[(0, "4", "1")]);
    let v = c.check_order_info(&page, &pts, &old).json();
    assert_eq!(v["data"]["canChooseBeds"], "Z");
}
