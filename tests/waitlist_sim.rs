//! 候补 (waitlist) and seat/berth choice end to end: the booking machine against sim12306 through the native
//! driver. Assertions are on the sim's order book and request log.

mod driver;

use std::time::Duration;

use driver::{date_in, Driver, End};
use kyfw::booking::{Booking, Event, Finished, NeedsUser};
use kyfw::task::BookingTask;
use serde_json::{json, Value};

const BUDGET: Duration = Duration::from_secs(60);

fn logged_in(scenario: Option<&str>) -> (sim12306::SimHandle, Driver, String) {
    let scenario = scenario.map(|s| sim12306::Scenario::parse(s).expect("scenario parses"));
    let sim = sim12306::start(sim12306::Config {
        scenario,
        ..sim12306::Config::default()
    })
    .expect("sim starts");
    let mut d = Driver::new(&sim);
    d.login();
    (sim, d, date_in(3))
}

fn task(v: Value) -> BookingTask {
    let mut t = json!({"id":"hb","from":"AOH","to":"VNP","fromName":"上海虹桥","toName":"北京南",
        "trains":["G2"],"seats":["O"],"passengers":[{"name":"张三","idNo":"1101***********012"}],
        "intervalMs":1000});
    if let (Some(o), Some(e)) = (t.as_object_mut(), v.as_object()) {
        for (k, v) in e {
            o.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(t).expect("task")
}

fn drive(d: &mut Driver, t: BookingTask) -> End {
    let mut m = Booking::new(t, driver::now_ms());
    d.drive(&mut m, BUDGET)
}

#[test]
fn sold_out_train_gets_a_waitlist_order_that_released_tickets_fulfil() {
    let (_sim, mut d, date) = logged_in(None);
    d.inventory(&date, "G2", "O", 0);
    d.control(
        "POST",
        "/release",
        &json!({"date":date,"train":"G2","seat":"O","count":1,"after_ms":3000}).to_string(),
    );
    let end = drive(
        &mut d,
        task(json!({"date":date,"waitlist":{"policy":"whenSoldOut","deadlineMin":120}})),
    );
    let End::Finished(Finished::OrderPlaced {
        order_id,
        train,
        pay_deadline,
        message,
        ..
    }) = &end
    else {
        panic!("expected the fulfilled order, got {end:?}");
    };
    assert_eq!(train, "G2");
    assert!(message.contains("候补"), "{message}");
    assert!(pay_deadline.is_some());
    let orders = d.orders();
    assert_eq!(orders.len(), 1, "{orders:?}");
    assert_eq!(orders[0]["kind"], "hb");
    assert_eq!(orders[0]["status"], "unpaid");
    assert_eq!(orders[0]["id"], order_id.as_str());
    assert!(orders[0]["waitlist"]["realize_limit_ms"].is_i64());
    assert_eq!(d.count("confirmHB"), 1);
    assert_eq!(d.count("confirmSingleForQueue"), 0);
    assert!(d.events.iter().any(|e| matches!(
        e,
        Event::WaitlistPlaced {
            deadline_min: 120,
            ..
        }
    )));
    // The 2026 field set went out (the sim refuses the old one with 参数不正确).
    let reqs = d.requests();
    let hb = reqs
        .iter()
        .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with("confirmHB")))
        .expect("confirmHB logged");
    let body = hb["body"].as_str().unwrap_or("");
    assert!(
        body.contains("realize_limit_time_diff=120") && body.contains("add_train_seat_type_code=")
    );
}

#[test]
fn a_face_check_refusal_pauses_with_12306s_reason() {
    let (_sim, mut d, date) = logged_in(Some(r#"{"face_check_code":"14"}"#));
    d.inventory(&date, "G2", "O", 0);
    let end = drive(
        &mut d,
        task(json!({"date":date,"waitlist":{"policy":"only"}})),
    );
    match end {
        End::NeedsUser(NeedsUser::Refused { reason, message }) => {
            assert_eq!(reason, "faceCheck");
            assert!(message.contains("人证一致性核验"), "{message}");
        }
        other => panic!("expected a pause, got {other:?}"),
    }
    assert!(d.orders().is_empty());
    assert_eq!(d.count("confirmHB"), 0);
}

#[test]
fn a_direct_ticket_cancels_the_standing_waitlist_order() {
    let (_sim, mut d, date) = logged_in(Some(r#"{"queue_ms":300}"#));
    d.inventory(&date, "G2", "O", 0);
    // The 候补 order takes two plans (G2 二等座, 一等座); 商务座 comes back: the task polls on and books it
    // directly, and the 候补 order is cancelled.
    d.inventory(&date, "G2", "M", 0);
    d.inventory(&date, "G2", "9", 0);
    d.control(
        "POST",
        "/release",
        &json!({"date":date,"train":"G2","seat":"9","count":1,"after_ms":3000}).to_string(),
    );
    let end = drive(
        &mut d,
        task(json!({"date":date,"seats":["O","M","9"],
            "waitlist":{"policy":"whenSoldOut","keepPolling":true}})),
    );
    let End::Finished(Finished::OrderPlaced { message, .. }) = &end else {
        panic!("expected an order, got {end:?}");
    };
    assert!(
        message.contains("已取消候补订单"),
        "{message} {:?} {:?}",
        d.orders(),
        d.events
    );
    let orders = d.orders();
    let hb: Vec<&Value> = orders.iter().filter(|o| o["kind"] == "hb").collect();
    let dc: Vec<&Value> = orders.iter().filter(|o| o["kind"] == "dc").collect();
    assert_eq!(hb.len(), 1, "{orders:?}");
    assert_eq!(hb[0]["status"], "cancelled");
    assert_eq!(dc.len(), 1);
    assert_eq!(dc[0]["status"], "unpaid");
}

#[test]
fn window_seats_and_a_lower_berth_are_the_seats_issued() {
    let (_sim, mut d, date) = logged_in(Some(r#"{"queue_ms":300}"#));
    d.inventory(&date, "G2", "O", 50);
    let end = drive(
        &mut d,
        task(json!({"date":date,"passengers":[
            {"name":"张三","idNo":"1101***********012","seatLetter":"A"},
            {"name":"李四","idNo":"1101***********027","seatLetter":"F"}]})),
    );
    assert!(
        matches!(end, End::Finished(Finished::OrderPlaced { .. })),
        "{end:?}"
    );
    let orders = d.orders();
    assert_eq!(orders[0]["choose_seats"], "1A1F");
    let seats: Vec<&str> = orders[0]["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| t["seat_no"].as_str().unwrap_or(""))
        .collect();
    assert!(
        seats[0].ends_with('A') && seats[1].ends_with('F'),
        "{seats:?}"
    );

    // A sleeper with a lower berth (T109 北京 → 上海, 硬卧).
    let (_sim, mut d, date) = logged_in(Some(r#"{"queue_ms":300}"#));
    let end = drive(
        &mut d,
        task(
            json!({"date":date,"from":"BJP","to":"SHH","fromName":"北京","toName":"上海","trains":["T109"],
            "seats":["3"],"passengers":[{"name":"张三","idNo":"1101***********012","berth":"Lower"}]}),
        ),
    );
    assert!(
        matches!(end, End::Finished(Finished::OrderPlaced { .. })),
        "{end:?}"
    );
    let orders = d.orders();
    assert_eq!(orders[0]["seat_detail"], "100");
    let seat = orders[0]["tickets"][0]["seat_no"].as_str().unwrap_or("");
    assert!(seat.ends_with("下铺"), "{seat}");
}
