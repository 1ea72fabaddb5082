//! The booking machine end to end against sim12306 (started in-process), driven by the native driver in
//! `tests/driver`: real HTTP, cookies, redirects, the wall clock. Assertions are on the sim's own records
//! (`/orders`, `/requests`).

mod driver;

use std::time::Duration;

use driver::{date_in, Driver, End};
use kyfw::booking::{Booking, Event, Finished, NeedsUser};
use kyfw::task::BookingTask;
use serde_json::Value;

const BUDGET: Duration = Duration::from_secs(60);

fn sim(scenario: Option<&str>) -> sim12306::SimHandle {
    let scenario = scenario.map(|s| sim12306::Scenario::parse(s).expect("scenario parses"));
    sim12306::start(sim12306::Config {
        scenario,
        ..sim12306::Config::default()
    })
    .expect("sim starts")
}

fn task(date: &str, train: &str, seats: &[&str], passengers: Value, extra: Value) -> BookingTask {
    let mut t = serde_json::json!({"id":"sim","date":date,"from":"AOH","to":"VNP","fromName":"上海虹桥","toName":"北京南",
        "trains":[train],"seats":seats,"acceptNoSeat":false,"passengers":passengers,"purpose":"ADULT",
        "queryPath":null,"intervalMs":1000});
    if let (Some(o), Some(e)) = (t.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            o.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(t).expect("task")
}

/// A fresh sim (with `scenario`), a driver logged in as the demo account, and a travel date `days` ahead.
fn logged_in(scenario: Option<&str>, days: i64) -> (sim12306::SimHandle, Driver, String) {
    let sim = sim(scenario);
    let mut d = Driver::new(&sim);
    d.login();
    (sim, d, date_in(days))
}

/// The usual task: 张三 on `train` in second class.
fn zhang_on(date: &str, train: &str) -> BookingTask {
    task(date, train, &["O"], zhang(), serde_json::json!({}))
}

/// Books the usual task on G2 (10 second-class seats in stock) and checks that exactly one order came of it.
fn book_g2(d: &mut Driver, date: &str) -> End {
    d.inventory(date, "G2", "O", 10);
    book_placed(d, zhang_on(date, "G2"))
}

/// Books `t` and checks that it ended with exactly one order at the sim.
fn book_placed(d: &mut Driver, t: BookingTask) -> End {
    let (end, orders) = book(d, t);
    placed(&end);
    the_order(&orders);
    end
}

/// Books `people` on G2 in second class (unless a passenger says otherwise) and returns the single order's
/// tickets, sorted.
fn book_g2_tickets(d: &mut Driver, date: &str, people: Value) -> Vec<Ticket> {
    let (end, orders) = book(d, task(date, "G2", &["O"], people, serde_json::json!({})));
    placed(&end);
    let (_, mut tickets) = the_order(&orders);
    tickets.sort();
    tickets
}

/// One ticket of a sim order: (name, seat, ticket_type, standing).
type Ticket = (String, String, String, bool);

fn zhang() -> Value {
    serde_json::json!([{"name":"张三","idNo":"1101***********012"}])
}

/// Books and returns the finished result, the driver and the sim's orders.
fn book(d: &mut Driver, t: BookingTask) -> (End, Vec<Value>) {
    let mut m = Booking::new(t, driver::now_ms());
    let end = d.drive(&mut m, BUDGET);
    (end, d.orders())
}

fn placed(end: &End) -> (&str, &str) {
    match end {
        End::Finished(Finished::OrderPlaced {
            order_id, train, ..
        }) => (order_id, train),
        other => panic!("expected an order, got {other:?}"),
    }
}

/// The single order's (train, [(name, seat, ticket_type, standing)]).
fn the_order(orders: &[Value]) -> (String, Vec<Ticket>) {
    let live: Vec<&Value> = orders.iter().filter(|o| o["status"] != "failed").collect();
    assert_eq!(live.len(), 1, "exactly one order: {orders:?}");
    let o = live[0];
    let tickets = o["tickets"]
        .as_array()
        .map(|ts| {
            ts.iter()
                .map(|t| {
                    (
                        t["name"].as_str().unwrap_or("").to_owned(),
                        t["seat"].as_str().unwrap_or("").to_owned(),
                        t["ticket_type"].as_str().unwrap_or("").to_owned(),
                        t["standing"].as_bool().unwrap_or(false),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (o["train"].as_str().unwrap_or("").to_owned(), tickets)
}

fn recorded<'a>(reqs: &'a [Value], last_segment: &str) -> Vec<&'a Value> {
    reqs.iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .is_some_and(|p| p.ends_with(last_segment))
        })
        .collect()
}

#[test]
fn one_passenger() {
    let (_sim, mut d, date) = logged_in(None, 3);
    d.inventory(&date, "G2", "O", 10);
    let (end, orders) = book(&mut d, zhang_on(&date, "G2"));
    let (order_id, train) = placed(&end);
    assert_eq!(train, "G2");
    let End::Finished(Finished::OrderPlaced { pay_deadline, .. }) = &end else {
        unreachable!()
    };
    assert!(
        pay_deadline.is_some(),
        "the pay deadline is read from the order list"
    );
    let (otrain, tickets) = the_order(&orders);
    assert_eq!(otrain, "G2");
    assert_eq!(
        tickets,
        vec![("张三".into(), "O".into(), "1".into(), false)]
    );
    assert_eq!(
        orders
            .iter()
            .find(|o| o["status"] != "failed")
            .and_then(|o| o["id"].as_str()),
        Some(order_id)
    );

    let reqs = d.requests();
    let submit = recorded(&reqs, "/leftTicket/submitOrderRequest");
    assert_eq!(submit.len(), 1);
    let body = submit[0]["body"].as_str().unwrap_or("");
    assert!(
        body.starts_with("secretStr=") && !body.contains("%25"),
        "secretStr single-encoded: {body}"
    );
    assert!(body.ends_with("&undefined"));
    assert_eq!(
        submit[0]["headers"]["referer"],
        "https://kyfw.12306.cn/otn/leftTicket/init?linktypeid=dc"
    );
    assert_eq!(submit[0]["headers"]["x-requested-with"], "XMLHttpRequest");
    for r in recorded(&reqs, "/confirmPassenger/confirmSingleForQueue")
        .into_iter()
        .chain(recorded(&reqs, "/confirmPassenger/getQueueCount"))
        .chain(recorded(&reqs, "/confirmPassenger/checkOrderInfo"))
    {
        assert_eq!(
            r["headers"]["referer"],
            "https://kyfw.12306.cn/otn/confirmPassenger/initDc"
        );
    }
    let queue = recorded(&reqs, "/leftTicket/queryG");
    assert!(!queue.is_empty(), "the query path came from login/conf");
    assert_eq!(queue[0]["headers"]["if-modified-since"], "0");
}

#[test]
fn three_passengers_with_mixed_classes() {
    let (_sim, mut d, date) = logged_in(None, 4);
    d.inventory(&date, "G2", "M", 5);
    d.inventory(&date, "G2", "O", 5);
    let people = serde_json::json!([
        {"name":"张三","idNo":"1101***********012","seat":"M"},
        {"name":"李四","idNo":"1101***********027"},
        {"name":"王小五","idNo":"1101***********031"}]);
    assert_eq!(
        book_g2_tickets(&mut d, &date, people),
        vec![
            ("张三".into(), "M".into(), "1".into(), false),
            ("李四".into(), "O".into(), "1".into(), false),
            ("王小五".into(), "O".into(), "1".into(), false)
        ]
    );
}

#[test]
fn child_ticket() {
    let (_sim, mut d, date) = logged_in(None, 3);
    d.inventory(&date, "G2", "O", 10);
    let people = serde_json::json!([
        {"name":"张三","idNo":"1101***********012"},
        {"name":"张小宝","idNo":"1101***********045","ticketType":"2"}]);
    assert_eq!(
        book_g2_tickets(&mut d, &date, people),
        vec![
            ("张三".into(), "O".into(), "1".into(), false),
            ("张小宝".into(), "O".into(), "2".into(), false)
        ]
    );
}

#[test]
fn child_ticket_on_an_adults_record() {
    let (_sim, mut d, date) = logged_in(None, 3);
    d.inventory(&date, "G2", "O", 10);
    let people = serde_json::json!([
        {"name":"张三","idNo":"1101***********012"},
        {"name":"张三","idNo":"1101***********012","ticketType":"2"}]);
    assert_eq!(
        book_g2_tickets(&mut d, &date, people),
        vec![
            ("张三".into(), "O".into(), "1".into(), false),
            ("张三".into(), "O".into(), "2".into(), false)
        ]
    );
}

#[test]
fn standing_only_when_accepted() {
    let (_sim, mut d, date) = logged_in(None, 3);
    for seat in ["9", "M", "O"] {
        // Not every class exists on every train; the sim refuses unknown ones, which is fine here.
        let _ = driver::http::send(
            d.control_port,
            "POST",
            "127.0.0.1",
            "/inventory",
            &[],
            &serde_json::json!({"date":date,"train":"G4","seat":seat,"count":0}).to_string(),
        );
    }
    d.inventory(&date, "G4", "W", 5);
    let (end, orders) = book(
        &mut d,
        task(
            &date,
            "G4",
            &["O"],
            zhang(),
            serde_json::json!({"acceptNoSeat": true}),
        ),
    );
    placed(&end);
    let (train, tickets) = the_order(&orders);
    assert_eq!(train, "G4");
    assert_eq!(tickets.len(), 1);
    assert!(tickets[0].3, "a standing ticket: {tickets:?}");
}

#[test]
fn queue_counts_down() {
    let (_sim, mut d, date) = logged_in(Some(r#"{"queue_ms": 7000, "wait_count": 12}"#), 3);
    book_g2(&mut d, &date);
    assert!(
        d.count("queryOrderWaitTime") >= 3,
        "polled {} times",
        d.count("queryOrderWaitTime")
    );
    assert!(d
        .events
        .iter()
        .any(|e| matches!(e, Event::Queue { wait_time_s, .. } if *wait_time_s > 0)));
}

#[test]
fn sold_out_keeps_querying_until_released() {
    let (_sim, mut d, date) = logged_in(None, 3);
    d.inventory(&date, "G2", "O", 0);
    d.control(
        "POST",
        "/release",
        &serde_json::json!({"date":date,"train":"G2","seat":"O","count":3,"after_ms":3500})
            .to_string(),
    );
    book_placed(&mut d, zhang_on(&date, "G2"));
    assert!(d.count("query") >= 3, "kept querying: {}", d.count("query"));
    assert_eq!(d.count("submitOrderRequest"), 1);
    assert!(d
        .events
        .iter()
        .any(|e| matches!(e, Event::Query { found: None, .. })));
}

#[test]
fn stale_ticket_info_requeries() {
    // The first checkUser is slow enough for the secretStr to expire; the retry is fast.
    let (_sim, mut d, date) = logged_in(
        Some(
            r#"{"secret_ttl_ms": 700, "faults": [{"step":"checkUser","kind":"latency","latency_ms":1200,"times":1}]}"#,
        ),
        3,
    );
    book_g2(&mut d, &date);
    assert_eq!(d.count("submitOrderRequest"), 2);
    assert!(d.events.iter().any(
        |e| matches!(e, Event::Problem { message, .. } if message.contains("车票信息已过期"))
    ));
}

#[test]
fn unfinished_order_exists() {
    let (_sim, mut d, date) = logged_in(None, 3);
    d.inventory(&date, "G2", "O", 10);
    d.inventory(&date, "G4", "O", 10);
    let (end, _) = book(&mut d, zhang_on(&date, "G2"));
    let (first_id, _) = placed(&end);
    let first_id = first_id.to_owned();

    // Someone else's task (another train) is blocked by the unpaid order.
    let (end, orders) = book(&mut d, zhang_on(&date, "G4"));
    match end {
        End::NeedsUser(NeedsUser::UnfinishedOrder {
            orders: pending, ..
        }) => {
            assert_eq!(pending[0].order_id, first_id);
        }
        other => panic!("expected UnfinishedOrder, got {other:?}"),
    }
    the_order(&orders);

    // The same task again recognises its own order instead of booking twice.
    let (end, orders) = book(&mut d, zhang_on(&date, "G2"));
    let (id, _) = placed(&end);
    assert_eq!(id, first_id);
    the_order(&orders);
}

#[test]
fn session_lost() {
    let (_sim, mut d, date) = logged_in(
        Some(r#"{"faults": [{"step":"checkUser","kind":"login"}]}"#),
        3,
    );
    d.inventory(&date, "G2", "O", 10);
    let (end, orders) = book(&mut d, zhang_on(&date, "G2"));
    assert!(
        matches!(
            end,
            End::NeedsUser(NeedsUser::Login {
                order_may_exist: false,
                ..
            })
        ),
        "{end:?}"
    );
    assert!(orders.is_empty());
    assert_eq!(d.count("submitOrderRequest"), 0);
}

#[test]
fn busy_then_success() {
    let (_sim, mut d, date) = logged_in(
        Some(
            r#"{"faults": [{"step":"getQueueCount","kind":"busy","times":1},{"step":"submitOrderRequest","kind":"busy","times":1}]}"#,
        ),
        3,
    );
    book_g2(&mut d, &date);
    assert_eq!(d.count("submitOrderRequest"), 2);
    assert!(d.events.iter().any(|e| matches!(e, Event::Problem { message, .. } if message.contains("繁忙") || message.contains("忙"))));
}

#[test]
fn confirm_dropped_is_resolved_without_a_second_order() {
    // The sim processes the confirm and then drops the connection: the machine must find the order, not rebook.
    let (_sim, mut d, date) = logged_in(
        Some(r#"{"faults": [{"step":"confirmSingleForQueue","kind":"drop","times":1}]}"#),
        3,
    );
    book_g2(&mut d, &date);
    assert_eq!(d.count("submitOrderRequest"), 1);
    assert_eq!(d.count("confirmSingleForQueue"), 1);
}

/// PROTOCOL.md §5.3 (py12306 #535/#536, 2026-03): 12306 sends a fetched initDc to its error page. With the
/// headers a browser tab sends, the sim's strict navigation-only order page refuses the fetch; the machine
/// then asks for a navigation (the driver sends it with navigation headers, as the tab's hidden frame would),
/// gets the page in the same attempt, and books once.
#[test]
fn a_fetched_order_page_is_refused_and_the_navigation_books() {
    let (_sim, mut d, date) = logged_in(Some(r#"{"init_dc_navigation_only":"strict"}"#), 3);
    d.browser_headers = true;
    book_g2(&mut d, &date);
    let reqs = d.requests();
    let pages = recorded(&reqs, "/confirmPassenger/initDc");
    let mode = |r: &Value| {
        r["headers"]["sec-fetch-mode"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert_eq!(
        (mode(pages[0]).as_str(), pages[0]["status"].as_i64()),
        ("cors", Some(302))
    );
    assert_eq!(
        (mode(pages[1]).as_str(), pages[1]["status"].as_i64()),
        ("navigate", Some(200))
    );
    // One attempt: the navigation went right after the refusal, with the train still chosen.
    assert_eq!(recorded(&reqs, "/leftTicket/submitOrderRequest").len(), 1);
    assert!(
        d.sent.iter().any(|r| r.read.is_some()),
        "the page's json_ua was asked for"
    );
}

#[test]
fn a_task_created_before_a_sale_opens_books_with_its_first_query_at_the_opening() {
    // 20 s before G2's tickets open (a whole minute of the sim clock, which is off from this host's by up to a
    // minute); 10 seats, and a crowd that confirms 20 a second from the opening on.
    let sim = sim(None);
    let mut d = Driver::new(&sim);
    let opening = serde_json::json!({"trains":["G2"],"seats":{"O":10},"crowd_per_s":20});
    let (t, date) = d.stage_opening(20_000, opening, serde_json::json!({}));
    let (end, orders) = book(&mut d, zhang_on(&date, "G2"));
    placed(&end);
    the_order(&orders);
    let reqs = d.requests();
    let at = |r: &&Value| r["t_ms"].as_i64().unwrap_or(0);
    let queries: Vec<i64> = recorded(&reqs, "/leftTicket/queryG")
        .iter()
        .map(at)
        .collect();
    assert_eq!(
        queries.iter().filter(|q| **q < t).count(),
        1,
        "one query before the opening (it told the opening): {queries:?} vs {t}"
    );
    let first = queries
        .iter()
        .find(|q| **q >= t)
        .copied()
        .unwrap_or(i64::MAX);
    assert!(
        first - t <= 200,
        "the first query after the opening reached the sim {} ms after it",
        first - t
    );
    // Nothing but the warm-up between: checkUser, the passengers, login/conf.
    let between: Vec<&str> = reqs
        .iter()
        .filter(|r| at(r) > queries[0] && at(r) < first)
        .filter_map(|r| r["path"].as_str())
        .collect();
    assert!(
        between.iter().all(|p| p.ends_with("/login/conf")
            || p.ends_with("/login/checkUser")
            || p.ends_with("/getPassengerDTOs")),
        "{between:?}"
    );
    assert_eq!(
        between
            .iter()
            .filter(|p| p.ends_with("/getPassengerDTOs"))
            .count(),
        1,
        "the passengers are read in the warm-up"
    );
    // No wasted round trip after the opening: the warm-up's checkUser and passengers stand (the sim, like
    // 12306 for py12306, takes submitOrderRequest without a checkUser just before it).
    let after: Vec<&str> = reqs
        .iter()
        .filter(|r| at(r) >= first)
        .filter_map(|r| r["path"].as_str())
        .collect();
    assert!(
        !after
            .iter()
            .any(|p| p.ends_with("/login/checkUser") || p.ends_with("/getPassengerDTOs")),
        "{after:?}"
    );
    for kind in ["saleWait", "clock", "burst"] {
        assert!(
            d.events
                .iter()
                .any(|e| serde_json::to_value(e).is_ok_and(|v| v["kind"] == kind)),
            "{kind}"
        );
    }
}
