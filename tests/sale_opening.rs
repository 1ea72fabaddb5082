//! The timed start on 12306's clock (ARCHITECTURE.md §1.1 "The opening"), through the core's driver against a
//! scripted 12306 with a clock of its own: the host's clock is off by seconds, every request takes 30 ms each
//! way, answers carry an HTTP `Date` (and login/conf its `now`, PROTOCOL.md §1.1 #1), and the task's trains
//! open at 2026-11-17 13:30 Beijing time — rows with `*` cells, the `13点30分起售` button and field 55
//! `202611171330` before it, tickets from it (PROTOCOL.md §3.5, §7). The order steps answer as the scripted
//! fake of `booking_machine.rs` does.

#[path = "fixtures/machine/mod.rs"]
#[allow(unused_imports)]
mod machine;

#[path = "fixtures/block_on.rs"]
mod block_on_fixture;
use block_on_fixture::block_on;
use kyfw::booking::{
    Answer, Booking, Event, Finished, HttpResponse, Input, Step, BURST_GAP_MS, BURST_MAX_QUERIES,
    BURST_MS, WARMUP_MS,
};
use kyfw::driver::{self, End, Host};
use kyfw::request::HttpRequest;
use kyfw::server_time::format_http_date;
use kyfw::train::SaleTime;
use machine::*;

/// One way, each request.
const LATENCY_MS: u64 = 30;
/// 2026-11-17 13:30 Beijing: the sale of 2026-12-01 (15-day window).
fn opening() -> u64 {
    SaleTime::parse("202611171330")
        .map(|t| t.epoch_ms() as u64)
        .expect("opening")
}

/// What 12306 says about the clock.
#[derive(Clone, Copy, PartialEq)]
enum Clock {
    /// login/conf's `now` and the `Date` header.
    NowAndDate,
    /// Only the `Date` header (a login/conf without `now`).
    DateOnly,
}

/// One request as 12306 saw it.
struct Seen {
    /// 12306's time when it arrived.
    at: u64,
    /// Host time when it was sent.
    sent: u64,
    endpoint: String,
    url: String,
}

/// The driver's host: a simulated host clock `skew` ms behind 12306's, the scripted server, and 12306's view
/// of each request.
struct Stage {
    server: Server,
    clock: Clock,
    /// 12306's clock minus the host's.
    skew: i64,
    host_now: u64,
    /// Tickets appear at this time (12306's clock).
    opens: u64,
    /// Whether the trains have tickets once open.
    tickets: bool,
    /// Dates are refused (`不在预售日期范围内`) until their window day (15 days ahead).
    window: bool,
    /// G2 is on sale (sold out) all along; only G4 opens.
    mixed: bool,
    seen: Vec<Seen>,
    events: Vec<Event>,
    /// The host stops the task at this host time.
    stop_at: u64,
    /// The machine's status whenever the driver slept (host time, status).
    statuses: Vec<(u64, kyfw::booking::Status)>,
}

impl Stage {
    fn new(clock: Clock, skew: i64) -> Stage {
        Stage {
            server: Server::new(vec![]),
            clock,
            skew,
            host_now: 0,
            opens: opening(),
            tickets: true,
            window: false,
            mixed: false,
            seen: Vec::new(),
            events: Vec::new(),
            stop_at: u64::MAX,
            statuses: Vec::new(),
        }
    }

    fn server_time(&self, host: u64) -> u64 {
        (host as i64 + self.skew) as u64
    }

    fn host_time(&self, server: u64) -> u64 {
        (server as i64 - self.skew) as u64
    }

    fn query_answer(&self, url: &str, at: u64) -> String {
        let date = url
            .split("train_date=")
            .nth(1)
            .and_then(|s| s.get(..10))
            .unwrap_or("");
        let beijing_day = |ms: u64| kyfw::server_time::beijing_day(ms);
        if self.window {
            let day = kyfw::server_time::date_days(date).unwrap_or(0);
            if day > beijing_day(at) + 14 {
                return fail(&format!("{date}不在预售日期范围内"));
            }
        }
        if date != "2026-12-01" {
            // Another date already on sale (the station-clock query): its rows tell the daily clock, 13:30.
            let sold =
                |code: &str| row(code, "无", "无", "").replace("202611171330", "202611101330");
            return query_answer(&[sold("G2"), sold("G4")]);
        }
        if at < self.opens {
            let not_yet = |code| not_yet_row(code, "202611171330", "13点30分起售");
            if self.mixed {
                return query_answer(&[row("G2", "无", "无", ""), not_yet("G4")]);
            }
            return query_answer(&[not_yet("G2"), not_yet("G4")]);
        }
        if self.mixed {
            return query_answer(&[row("G2", "无", "无", ""), row("G4", "有", "有", "")]);
        }
        let cell = if self.tickets { "有" } else { "无" };
        query_answer(&[row("G2", cell, cell, ""), row("G4", cell, cell, "")])
    }

    /// Queries that reached 12306 for the task's date (not the station-clock query), with their arrival.
    fn queries(&self) -> Vec<&Seen> {
        self.seen
            .iter()
            .filter(|s| s.endpoint == "query" && s.url.contains("train_date=2026-12-01"))
            .collect()
    }
}

impl Host for Stage {
    async fn send(&mut self, request: &HttpRequest, deadline: u64) -> Result<HttpResponse, String> {
        self.send_dated(request, deadline).await.map(|(r, _)| r)
    }

    async fn send_dated(
        &mut self,
        request: &HttpRequest,
        _deadline: u64,
    ) -> Result<(HttpResponse, Option<String>), String> {
        let sent = self.host_now;
        let at = self.server_time(sent + LATENCY_MS);
        let ep = endpoint(request);
        self.seen.push(Seen {
            at,
            sent,
            endpoint: ep.clone(),
            url: request.url.clone(),
        });
        let body = match ep.as_str() {
            "query" => self.query_answer(&request.url, at),
            "conf" => {
                let mut data = serde_json::json!({"is_login":"Y","queryUrl":"leftTicket/queryG",
                    "other_control":15,"stu_control":15});
                if self.clock == Clock::NowAndDate {
                    data["now"] = serde_json::json!(at);
                }
                env(data)
            }
            _ => match self.server.reply(request) {
                Reply::Ok(body) => body,
                other => panic!("only Ok replies are scripted here: {other:?}"),
            },
        };
        self.host_now = sent + 2 * LATENCY_MS;
        let date = Some(format_http_date(at));
        let resp = HttpResponse {
            request_id: request.id,
            status: 200,
            final_url: request.url.clone(),
            body,
        };
        Ok((resp, date))
    }

    async fn sleep_until(&mut self, at_ms: u64) {
        self.host_now = self.host_now.max(at_ms);
    }

    async fn save(&mut self, machine: &str) -> Result<(), String> {
        let m: Booking = serde_json::from_str(machine).map_err(|e| e.to_string())?;
        self.statuses.push((self.host_now, m.status()));
        Ok(())
    }

    fn report(&mut self, event: &Event) {
        self.events.push(event.clone());
    }

    fn now_ms(&self) -> u64 {
        self.host_now
    }

    fn stop_requested(&self) -> bool {
        self.host_now >= self.stop_at
    }
}

/// A task created `before_ms` before the opening (12306's clock), run to its end.
fn run(stage: &mut Stage, before_ms: u64, extra: serde_json::Value) -> (End, Booking) {
    stage.host_now = stage.host_time(stage.opens - before_ms);
    let mut m = Booking::new(task(extra), stage.host_now);
    let end = block_on(driver::run(&mut m, stage));
    (end, m)
}

fn placed(end: &End) {
    assert!(
        matches!(end, End::Finished(Finished::OrderPlaced { .. })),
        "{end:?}"
    );
}

#[test]
fn a_task_three_minutes_before_the_opening_sends_no_query_until_its_warm_up() {
    let mut stage = Stage::new(Clock::NowAndDate, 7_345);
    let (end, _) = run(&mut stage, 180_000, serde_json::json!({}));
    placed(&end);
    let t = stage.opens;
    // The first query tells the opening, and one login/conf at once how far the host's clock is off; then
    // nothing until the warm-up, a minute before the opening on 12306's clock.
    assert_eq!(stage.seen[0].endpoint, "query");
    assert_eq!(
        stage.seen[1].endpoint, "conf",
        "a first reading of the clock"
    );
    assert!(stage.seen[1].at < stage.seen[0].at + 100);
    let warm_up = &stage.seen[2];
    assert_eq!(warm_up.endpoint, "checkUser", "the warm-up");
    let before = t - warm_up.at;
    assert!(
        (WARMUP_MS - 100..WARMUP_MS + 100).contains(&before),
        "warm-up {before} ms before the opening"
    );
    let queries = stage.queries();
    assert_eq!(queries.len(), 2, "one query before the opening, one at it");
    let at = queries[1].at;
    assert!(
        (t..=t + 50).contains(&at),
        "the first query after the opening reached 12306 {} ms after it",
        at as i64 - t as i64
    );
    // Every request between the first reading and the query is the warm-up's: checkUser, the passengers
    // (getPassengerDTOs without a token), login/conf probes.
    let between: Vec<&str> = stage
        .seen
        .iter()
        .filter(|s| s.at >= warm_up.at && s.at < at)
        .map(|s| s.endpoint.as_str())
        .collect();
    assert_eq!(between[..2], ["checkUser", "getPassengerDTOs"]);
    assert!(between[2..].iter().all(|e| *e == "conf"), "{between:?}");
    assert!((2..=8).contains(&(between.len() - 2)), "{between:?}");
    // After the opening the order goes without checkUser and getPassengerDTOs (ARCHITECTURE §1.1 "No wasted
    // round trip"): query, submitOrderRequest, initDc, checkOrderInfo, getQueueCount, confirm.
    let after: Vec<&str> = stage
        .seen
        .iter()
        .filter(|s| s.at >= at)
        .map(|s| s.endpoint.as_str())
        .take(6)
        .collect();
    assert_eq!(
        after,
        [
            "query",
            "submitOrderRequest",
            "initDc",
            "checkOrderInfo",
            "getQueueCount",
            "confirmSingleForQueue"
        ]
    );
    // What the UI shows: the opening, a countdown target on the host's clock, the clock's offset.
    let Some(Event::SaleWait {
        opens_at,
        opens_at_local,
        source,
        train,
        ..
    }) = stage
        .events
        .iter()
        .find(|e| matches!(e, Event::SaleWait { .. }))
    else {
        panic!("no saleWait event: {:?}", stage.events)
    };
    assert_eq!(*opens_at, t);
    assert_eq!(source, "row");
    assert_eq!(train.as_deref(), Some("G2"));
    // Before the warm-up the host's clock was not measured: the countdown runs on its own clock.
    assert_eq!(*opens_at_local, t);
    let Some(Event::Clock {
        offset_ms,
        error_ms,
        ..
    }) = stage
        .events
        .iter()
        .find(|e| matches!(e, Event::Clock { .. }))
    else {
        panic!("no clock event")
    };
    assert!((offset_ms - 7_345).abs() <= 30, "{offset_ms}");
    assert!(*error_ms <= 31, "{error_ms}");
    let waiting = stage
        .statuses
        .iter()
        .find(|(_, s)| s.step == Step::SaleWait && s.clock_offset_ms.is_some())
        .map(|(_, s)| s.clone())
        .expect("a status while waiting, after the warm-up");
    assert_eq!(waiting.opens_at, Some(t));
    assert!(waiting
        .opens_at_local
        .is_some_and(|l| (l as i64 - stage.host_time(t) as i64).abs() <= 30));
    assert!(stage
        .events
        .iter()
        .any(|e| matches!(e, Event::Burst { .. })));
}

#[test]
fn the_first_query_reaches_12306_at_the_opening_whatever_the_host_clock_says() {
    // From 4 minutes ahead to 3 minutes behind, with and without login/conf's `now`.
    for clock in [Clock::NowAndDate, Clock::DateOnly] {
        for skew in [
            -240_000, -9_999, -4_321, -1, 0, 999, 1_234, 5_500, 12_050, 185_000,
        ] {
            let mut stage = Stage::new(clock, skew);
            let (end, _) = run(&mut stage, 150_000, serde_json::json!({}));
            placed(&end);
            let t = stage.opens;
            let at = stage.queries()[1].at;
            let label = if clock == Clock::DateOnly {
                "Date only"
            } else {
                "now + Date"
            };
            assert!(
                (t..=t + 50).contains(&at),
                "{label}, host {skew} ms off: the first query reached 12306 {} ms after the opening",
                at as i64 - t as i64
            );
        }
    }
}

#[test]
fn the_burst_is_bounded_and_falls_back_to_the_interval() {
    let mut stage = Stage::new(Clock::NowAndDate, -2_500);
    stage.tickets = false;
    stage.stop_at = stage.host_time(stage.opens + 60_000);
    let (end, m) = run(&mut stage, 90_000, serde_json::json!({"intervalMs": 3000}));
    assert!(matches!(end, End::Finished(Finished::Stopped { .. })));
    let t = stage.opens;
    let after: Vec<u64> = stage
        .queries()
        .iter()
        .filter(|s| s.at >= t)
        .map(|s| s.sent)
        .collect();
    let gaps: Vec<u64> = after.windows(2).map(|w| w[1] - w[0]).collect();
    let burst = gaps.iter().take_while(|g| **g < 2400).count() + 1;
    assert_eq!(burst as u32, BURST_MAX_QUERIES, "{gaps:?}");
    assert!(
        gaps[..burst - 1].iter().all(|g| *g >= BURST_GAP_MS),
        "{gaps:?}"
    );
    assert!(
        after[burst - 1] - after[0] < BURST_MS,
        "the burst lasts at most {BURST_MS} ms"
    );
    // Then the task's interval (±20 %), never faster than 80 % of it.
    assert!(gaps[burst - 1..].iter().all(|g| *g >= 2400), "{gaps:?}");
    // The budget: never more than 30 requests in any 10 s.
    for (i, s) in stage.seen.iter().enumerate() {
        let within = stage.seen[i..]
            .iter()
            .take_while(|o| o.sent < s.sent + 10_000)
            .count();
        assert!(within <= 30, "{within} requests in 10 s from {}", s.sent);
    }
    let status = m.status();
    assert_eq!(status.burst_queries_left, Some(0));
    assert!(stage
        .statuses
        .iter()
        .any(|(_, s)| s.burst_queries_left == Some(10)));
}

#[test]
fn a_date_outside_the_window_is_scheduled_for_its_opening_not_polled() {
    let mut stage = Stage::new(Clock::NowAndDate, 1_500);
    stage.window = true;
    // A week before the date's window opens.
    let (end, _) = run(
        &mut stage,
        7 * 86_400_000 + 3 * 3_600_000,
        serde_json::json!({}),
    );
    placed(&end);
    let t = stage.opens;
    let eps: Vec<(&str, u64)> = stage
        .seen
        .iter()
        .map(|s| (s.endpoint.as_str(), s.at))
        .collect();
    // Refused; login/conf for the window and 12306's day; the newest date on sale for the station's clock.
    assert_eq!(eps[0].0, "query");
    assert_eq!(eps[1].0, "conf");
    assert_eq!(eps[2].0, "query");
    assert!(
        stage.seen[2].url.contains("train_date=2026-11-24"),
        "the newest date on sale: {}",
        stage.seen[2].url
    );
    // Then nothing until the last ten minutes: session checks every 170 s, the warm-up (checkUser, login/conf
    // probes), the opening.
    let quiet_until = t - kyfw::booking::SESSION_WATCH_MS;
    let early: Vec<&(&str, u64)> = eps[3..]
        .iter()
        .filter(|(_, at)| *at < quiet_until)
        .collect();
    assert!(early.is_empty(), "requests during the wait: {early:?}");
    let before: Vec<&str> = eps[3..]
        .iter()
        .filter(|(_, at)| *at < t)
        .map(|(e, _)| *e)
        .collect();
    let checks = before.iter().take_while(|e| **e == "checkUser").count();
    assert!((2..=5).contains(&checks), "{before:?}");
    assert_eq!(before[checks], "getPassengerDTOs", "{before:?}");
    assert!(
        before[checks + 1..].iter().all(|e| *e == "conf"),
        "{before:?}"
    );
    let warm_up = eps[3 + checks - 1].1;
    assert!(t - warm_up < WARMUP_MS + 1000, "{}", t - warm_up);
    let at = stage.queries().iter().find(|s| s.at >= t).map(|s| s.at);
    assert!(at.is_some_and(|a| a <= t + 50), "{at:?}");
    let Some(Event::SaleWait {
        opens_at, source, ..
    }) = stage
        .events
        .iter()
        .find(|e| matches!(e, Event::SaleWait { .. }))
    else {
        panic!("no saleWait event")
    };
    assert_eq!((*opens_at, source.as_str()), (t, "window"));
}

#[test]
fn without_the_stations_clock_the_opening_day_is_looked_at() {
    // The newest date's query answers nothing usable: the machine looks at the opening day's midnight, and
    // the rows then tell the minute.
    let mut stage = Stage::new(Clock::NowAndDate, 0);
    stage.window = true;
    stage.server = Server::new(vec![]);
    let (end, _) = {
        stage.host_now = stage.host_time(stage.opens - 2 * 86_400_000);
        let mut m = Booking::new(task(serde_json::json!({})), stage.host_now);
        // The station-clock query fails (a busy text), the rest as usual.
        let mut probe_failed = false;
        let mut guard = 0;
        let end = loop {
            guard += 1;
            assert!(guard < 10_000);
            match m.poll(stage.host_now) {
                kyfw::booking::Action::Send { request } => {
                    let is_probe = request.url.contains("train_date=2026-11-");
                    let (resp, date) = block_on(stage.send_dated(&request, 0)).expect("answer");
                    let resp = if is_probe && !probe_failed {
                        probe_failed = true;
                        HttpResponse {
                            body: fail("查询失败"),
                            ..resp
                        }
                    } else {
                        resp
                    };
                    m.handle(
                        Input::Response(Answer {
                            response: resp,
                            date,
                        }),
                        stage.host_now,
                    );
                }
                kyfw::booking::Action::WaitUntil { until_ms } => {
                    stage.host_now = stage.host_now.max(until_ms)
                }
                kyfw::booking::Action::Notify { event } => stage.events.push(event),
                kyfw::booking::Action::Finished { result } => break End::Finished(result),
                kyfw::booking::Action::NeedsUser { reason } => break End::NeedsUser(reason),
            }
        };
        (end, m)
    };
    placed(&end);
    let sources: Vec<&str> = stage
        .events
        .iter()
        .filter_map(|e| match e {
            Event::SaleWait { source, .. } => Some(source.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(sources, ["windowDay", "row"]);
    // The look at the opening day: the first query on 11-17 (Beijing), just after its midnight.
    let midnight = kyfw::server_time::beijing_midnight_ms(
        kyfw::server_time::date_days("2026-11-17").expect("day"),
    );
    let look = stage
        .queries()
        .iter()
        .map(|s| s.at)
        .find(|at| *at >= midnight)
        .expect("a look");
    assert!(look < midnight + 1000, "{}", look - midnight);
    let at = stage
        .queries()
        .iter()
        .find(|s| s.at >= stage.opens)
        .map(|s| s.at);
    assert!(at.is_some_and(|a| a <= stage.opens + 50), "{at:?}");
}

#[test]
fn the_json_the_extension_sees() {
    let input: Input =
        serde_json::from_value(serde_json::json!({"type":"response","id":3,"status":200,
        "finalUrl":"u","body":"b","date":"Tue, 17 Nov 2026 05:29:00 GMT"}))
        .expect("a response with its Date");
    let Input::Response(Answer { response, date }) = input else {
        panic!("a response")
    };
    assert_eq!(
        (response.request_id, date.as_deref()),
        (3, Some("Tue, 17 Nov 2026 05:29:00 GMT"))
    );
    let mut stage = Stage::new(Clock::NowAndDate, 2_000);
    let (_, _) = run(&mut stage, 120_000, serde_json::json!({}));
    let event = stage
        .events
        .iter()
        .find(|e| matches!(e, Event::SaleWait { .. }))
        .expect("saleWait");
    let v = serde_json::to_value(event).expect("json");
    assert_eq!(v["kind"], "saleWait");
    assert_eq!(v["opensAt"], opening());
    assert!(v["opensAtLocal"].is_u64() && v["source"] == "row" && v["train"] == "G2");
    let waiting = stage
        .statuses
        .iter()
        .find(|(_, s)| s.step == Step::SaleWait)
        .map(|(_, s)| serde_json::to_value(s).expect("json"))
        .expect("a status while waiting");
    assert_eq!(waiting["step"], "saleWait");
    assert_eq!(waiting["stepLabel"], "等待起售");
    assert_eq!(waiting["opensAt"], opening());
    for key in [
        "opensAtLocal",
        "clockOffsetMs",
        "clockErrorMs",
        "burstUntil",
        "burstQueriesLeft",
    ] {
        assert!(waiting.get(key).is_some(), "{key} in {waiting}");
    }
    for kind in ["clock", "burst"] {
        assert!(
            stage
                .events
                .iter()
                .any(|e| serde_json::to_value(e).is_ok_and(|v| v["kind"] == kind)),
            "{kind}"
        );
    }
}

#[test]
fn a_session_lapsed_at_the_warm_up_is_renewed_and_the_opening_kept() {
    let mut stage = Stage::new(Clock::NowAndDate, -3_300);
    let renewed = serde_json::json!({"apptk":null,"result_message":"验证通过","result_code":0,"newapptk":"NEW"});
    stage.server = Server::new(vec![])
        .then(
            "checkUser",
            vec![Reply::Ok(env(serde_json::json!({"flag":false})))],
        )
        .then("uamtk", vec![Reply::Ok(renewed.to_string())]);
    let (end, _) = run(&mut stage, 100_000, serde_json::json!({}));
    placed(&end);
    let t = stage.opens;
    let warm_up: Vec<&str> = stage
        .seen
        .iter()
        .filter(|s| s.at > t - WARMUP_MS - 1000 && s.at < t)
        .map(|s| s.endpoint.as_str())
        .collect();
    assert_eq!(
        warm_up[..4],
        ["checkUser", "uamtk", "uamauthclient", "checkUser"],
        "{warm_up:?}"
    );
    let at = stage.queries().iter().find(|s| s.at >= t).map(|s| s.at);
    assert!(at.is_some_and(|a| a <= t + 50), "{at:?}");
}

#[test]
fn trains_already_on_sale_keep_being_queried_until_the_warm_up_of_another_ones_opening() {
    // G2 is on sale and sold out; G4 opens at T: the task queries at its interval, warms up, and books G4 at T.
    let mut stage = Stage::new(Clock::NowAndDate, 2_200);
    stage.mixed = true;
    let (end, _) = run(&mut stage, 150_000, serde_json::json!({"intervalMs": 3000}));
    let End::Finished(Finished::OrderPlaced { train, .. }) = &end else {
        panic!("{end:?}")
    };
    assert_eq!(train, "G4");
    let t = stage.opens;
    let before: Vec<u64> = stage
        .queries()
        .iter()
        .filter(|s| s.at < t)
        .map(|s| s.at)
        .collect();
    // Every 3 s (±20 %) until the warm-up; none in the warm-up's minute.
    assert!(before.len() > 20, "{}", before.len());
    let gaps: Vec<u64> = before.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().all(|g| *g >= 2400), "{gaps:?}");
    assert!(before.last().is_some_and(|l| *l < t - WARMUP_MS + 3000));
    let at = stage.queries().iter().find(|s| s.at >= t).map(|s| s.at);
    assert!(at.is_some_and(|a| a <= t + 50), "{at:?}");
}

#[test]
fn two_dates_one_on_sale_one_opening_query_in_turn_and_the_opening_date_books_at_its_opening() {
    // 2026-11-30 is on sale and sold out; 2026-12-01 opens at T (the priority date). The task, made 2.5 minutes
    // before, queries only 11-30 (at its interval) until the warm-up, shows 12-01's countdown, and at T the
    // burst queries 12-01 only and books it — three trains named, the first available (G2) taken.
    let mut stage = Stage::new(Clock::NowAndDate, 2_200);
    let extra = serde_json::json!({"intervalMs": 3000, "trains": ["G2", "G4", "G6"],
        "dates": ["2026-12-01", "2026-11-30"]});
    let (end, _) = run(&mut stage, 150_000, extra);
    let End::Finished(Finished::OrderPlaced { train, date, .. }) = &end else {
        panic!("{end:?}")
    };
    assert_eq!((train.as_str(), date.as_str()), ("G2", "2026-12-01"));
    let t = stage.opens;
    let date_of = |s: &Seen| s.url.split("train_date=").nth(1).unwrap_or("")[..10].to_owned();
    let queries: Vec<(u64, String)> = stage
        .seen
        .iter()
        .filter(|s| s.endpoint == "query")
        .map(|s| (s.at, date_of(s)))
        .collect();
    // The first query of each date, then only the date on sale until the warm-up.
    assert_eq!(queries[0].1, "2026-12-01");
    assert_eq!(queries[1].1, "2026-11-30");
    let waiting: Vec<&(u64, String)> = queries[2..].iter().filter(|(at, _)| *at < t).collect();
    assert!(waiting.len() > 15, "{}", waiting.len());
    assert!(
        waiting.iter().all(|(_, d)| d == "2026-11-30"),
        "{waiting:?}"
    );
    let gaps: Vec<u64> = queries
        .windows(2)
        .filter(|w| w[1].0 < t)
        .map(|w| w[1].0 - w[0].0)
        .collect();
    assert!(
        gaps.iter().all(|g| *g >= 2400),
        "one query per interval overall: {gaps:?}"
    );
    let first = queries.iter().find(|(at, _)| *at >= t).cloned();
    assert!(
        first
            .as_ref()
            .is_some_and(|(at, d)| *at <= t + 50 && d == "2026-12-01"),
        "{first:?}"
    );
    // The countdown of the waiting date while the other is queried.
    assert!(
        stage.statuses.iter().any(|(_, s)| {
            s.date.as_deref() == Some("2026-11-30")
                && s.dates.len() == 1
                && s.dates[0].date == "2026-12-01"
                && s.dates[0].opens_at == t
        }),
        "a status querying 11-30 with 12-01's countdown"
    );
}

#[test]
fn a_warm_up_list_without_a_passenger_is_read_again_on_the_order_page() {
    // The warm-up's getPassengerDTOs lacks 张三 (the account changed, or 12306 answered short): the order page
    // reads the list again instead of pausing on the early one, and books.
    let mut stage = Stage::new(Clock::NowAndDate, 1_000);
    let short = env(
        serde_json::json!({"isExist":true,"exMsg":"","two_isOpenClick":["93","95","97","99"],
        "other_isOpenClick":["91","93","98","99","95","97"],
        "normal_passengers":[passenger("李四", "1101***********027", "1", "enc2")]}),
    );
    stage.server = Server::new(vec![]).then("getPassengerDTOs", vec![Reply::Ok(short)]);
    let (end, _) = run(&mut stage, 100_000, serde_json::json!({}));
    placed(&end);
    let t = stage.opens;
    let reads: Vec<bool> = stage
        .seen
        .iter()
        .filter(|s| s.endpoint == "getPassengerDTOs")
        .map(|s| s.at >= t)
        .collect();
    assert_eq!(
        reads,
        [false, true],
        "one in the warm-up, one on the order page"
    );
}
