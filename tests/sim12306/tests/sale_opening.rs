//! The rehearsal stage: the `Date` header on the sim clock, and a scenario's sale opening — rows not on sale
//! before it (PROTOCOL.md §3.5 fields 1, 11, 20–33, 55), tickets from it, and a crowd that buys them in the
//! queue's order.

mod common;

use common::*;
use sim12306::clock::{http_date, minute_str, Date};

/// Puts the sim clock `before_ms` before the next whole minute at least a minute away and returns that
/// minute (sim clock).
fn clock_before_a_minute(c: &Client, before_ms: i64) -> i64 {
    let now = c.ctl_get("/health")["now_ms"].as_i64().expect("now");
    let t = (now / 60_000 + 2) * 60_000;
    set_clock(c, t - before_ms);
    t
}

fn set_clock(c: &Client, now_ms: i64) {
    let (status, _) = c.ctl_post("/clock", &format!(r#"{{"now_ms":{now_ms}}}"#));
    assert_eq!(status, 200);
}

fn parse_date(d: &str) -> i64 {
    // `Mon, 22 Apr 2024 06:08:18 GMT` back to ms.
    let parts: Vec<&str> = d.split([' ', ':']).collect();
    let day: u32 = parts[1].parse().expect("day");
    let month = sim12306::clock::MONTHS
        .iter()
        .position(|m| *m == parts[2])
        .expect("month") as u32
        + 1;
    let year: i32 = parts[3].parse().expect("year");
    let (h, m, s): (i64, i64, i64) = (
        parts[4].parse().expect("h"),
        parts[5].parse().expect("m"),
        parts[6].parse().expect("s"),
    );
    let days = Date {
        y: year,
        m: month,
        d: day,
    }
    .days();
    (days * 86_400 + h * 3600 + m * 60 + s) * 1000
}

#[test]
fn the_date_header_follows_the_sim_clock() {
    let sim = start();
    let mut c = Client::new(&sim);
    let a = c.post("/otn/login/conf", "", None);
    let date = a.date.clone().expect("a Date header");
    let now = a.json()["data"]["now"].as_i64().expect("now");
    // The same second as login/conf's `now` (both from the sim clock when the request was handled).
    assert_eq!(parse_date(&date), now / 1000 * 1000, "{date} vs {now}");
    assert_eq!(date, http_date(now));
    // Moved an hour and a half ahead: the Date moves with it.
    let (_, v) = c.ctl_post("/clock", r#"{"offset_ms":5400000}"#);
    assert_eq!(v["offset_ms"], 5_400_000);
    let a = c.get(
        &query_url("leftTicket/queryG", &date_in(2), "AOH", "VNP"),
        Some(QUERY_REFERER),
    );
    let moved = parse_date(a.date.as_deref().expect("Date"));
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64;
    assert!(
        (moved - (wall + 5_400_000)).abs() < 2_000,
        "{moved} vs {}",
        wall + 5_400_000
    );
    // Every answer carries it, redirects and refusals too.
    let a = c.post("/otn/login/checkUser", "_json_att=", Some(QUERY_REFERER));
    assert!(a.date.is_some());
}

#[test]
fn rows_are_not_on_sale_before_the_opening_and_have_tickets_from_it() {
    let sim = start();
    let mut c = Client::new(&sim);
    let t = clock_before_a_minute(&c, 30_000);
    let (status, v) = c.ctl_post(
        "/scenario",
        &format!(
            r#"{{"sale_opening":{{"at_ms":{t},"trains":["G2","G4"],"seats":{{"O":20,"M":5}}}}}}"#
        ),
    );
    assert_eq!(status, 200, "{v}");
    let date = Date::of_ms(t).add_days(14).iso();
    let health = c.ctl_get("/health");
    assert_eq!(health["sale_opening"]["at_ms"], t);
    assert_eq!(health["sale_opening"]["date"], date.as_str());
    for train in ["G2", "G4"] {
        let row = find_row(&mut c, &date, "AOH", "VNP", train);
        let m = (t + 8 * 3_600_000).rem_euclid(86_400_000) / 60_000;
        let text = if m % 60 == 0 {
            format!("{}点起售", m / 60)
        } else {
            format!("{}点{}分起售", m / 60, m % 60)
        };
        assert_eq!(
            (
                row[0].as_str(),
                row[1].as_str(),
                row[11].as_str(),
                row[30].as_str(),
                row[31].as_str()
            ),
            ("", text.as_str(), "IS_TIME_NOT_BUY", "*", "*"),
            "{train}"
        );
        assert_eq!(row[55], minute_str(t));
    }
    set_clock(&c, t + 10);
    let g2 = find_row(&mut c, &date, "AOH", "VNP", "G2");
    assert_eq!(
        (
            g2[1].as_str(),
            g2[11].as_str(),
            g2[30].as_str(),
            g2[31].as_str()
        ),
        ("预订", "Y", "有", "5")
    );
    assert!(!g2[0].is_empty(), "a secretStr");
    // A train outside the opening keeps the daily rule.
    let g6 = find_row(&mut c, &date, "AOH", "VNP", "G6");
    assert_ne!(g6[55], minute_str(t));
    // `after_ms` is rounded up to the minute, like the opening itself.
    assert!(sim12306::Scenario::parse(
        r#"{"sale_opening":{"after_ms":1000,"at_ms":5,"trains":["G2"]}}"#
    )
    .is_err());
    assert!(
        sim12306::Scenario::parse(r#"{"sale_opening":{"after_ms":1000,"trains":[]}}"#).is_err()
    );
}

/// Books 张三 on G2 second class with the clock at `at` (sim clock): the order's fate once the queue is done.
fn book_at(c: &mut Client, date: &str, at: i64) -> String {
    set_clock(c, at);
    let (_, page) = open_order_page(c, date, "AOH", "VNP", "G2");
    let (pts, old) = passenger_strs(&[(0, "O", "1")]);
    let a = c.check_order_info(&page, &pts, &old);
    assert_eq!(a.json()["data"]["submitStatus"], true, "{}", a.body);
    let a = c.confirm(&page, &pts, &old);
    assert_eq!(a.json()["data"]["submitStatus"], true, "{}", a.body);
    // The queue is done 4 s later (sim clock).
    set_clock(c, at + 4_500);
    let seen = poll_queue(c, &page);
    let last = seen.last().expect("queue answers");
    match last["waitTime"].as_i64() {
        Some(-1) => "placed".into(),
        _ => last["msg"].as_str().unwrap_or("?").to_owned(),
    }
}

#[test]
fn the_crowd_buys_in_the_queues_order_so_a_slow_client_misses_out() {
    let sim = start();
    let mut c = Client::new(&sim);
    let t = clock_before_a_minute(&c, 10_000);
    let scenario = format!(
        r#"{{"sale_opening":{{"at_ms":{t},"trains":["G2"],"seats":{{"O":10}},"crowd_per_s":5}}}}"#
    );
    c.ctl_post("/scenario", &scenario);
    let date = Date::of_ms(t).add_days(14).iso();
    // The crowd's confirms at T, T+200 ms, … are seated 4 s after each (the queue time).
    set_clock(&c, t + 1_000);
    assert_eq!(find_row(&mut c, &date, "AOH", "VNP", "G2")[30], "10");
    set_clock(&c, t + 5_000);
    assert_eq!(find_row(&mut c, &date, "AOH", "VNP", "G2")[30], "4");
    set_clock(&c, t + 10_000);
    assert_eq!(find_row(&mut c, &date, "AOH", "VNP", "G2")[30], "无");

    // A client that confirms 300 ms after the opening gets its ticket (two crowd confirms before it) …
    let again = |c: &mut Client| {
        set_clock(c, t - 10_000);
        c.ctl_post("/scenario", &scenario);
        c.login();
    };
    again(&mut c);
    assert_eq!(book_at(&mut c, &date, t + 300), "placed");
    // … one that confirms 3 s after it is behind 16 crowd confirms for 10 tickets.
    again(&mut c);
    assert_eq!(book_at(&mut c, &date, t + 3_000), "没有足够的票!");
}
