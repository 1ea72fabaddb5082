//! The opening-sale benchmark (`./build.sh bench`; a bench binary, not a timed test): the core through its
//! native driver (`tests/driver`, plain HTTP, the wall clock) against sim12306 with 30 ms added to every answer
//! (`latency_ms`) and a sale that opens 20 s after the task is made (`sale_opening`, sim clock off from the
//! host's). For each run it prints, from the sim's request log: when the first query after the opening reached
//! the sim, the time from the opening to the confirm reaching it, the requests the chain waited for on the way
//! (from that first query up to the confirm, which only has to arrive), and the protocol minimum for them
//! (requests × 30 ms). It also names the order steps the chain did without (ARCHITECTURE §1.1 "No wasted round
//! trip": checkUser when the warm-up verified the session, getPassengerDTOs read in the warm-up) and what the
//! chain of the official page's steps (checkUser before submitOrderRequest, the passengers read on the order
//! page) would wait for: the saving. `SALE_RUNS` sets the number of runs (3).

#[path = "../tests/driver/mod.rs"]
mod driver;

use std::time::Duration;

use kyfw::booking::{Booking, Finished};
use kyfw::task::BookingTask;
use serde_json::Value;

const LATENCY_MS: i64 = 30;

fn task(date: &str) -> BookingTask {
    serde_json::from_value(serde_json::json!({"id":"bench","date":date,"from":"AOH","to":"VNP",
        "fromName":"上海虹桥","toName":"北京南","trains":["G2"],"seats":["O"],
        "passengers":[{"name":"张三","idNo":"1101***********012"}],"queryPath":null,"intervalMs":3000}))
    .expect("task")
}

/// The order steps the official page sends between the query and the confirm that the chain may skip.
const SKIPPABLE: [&str; 2] = ["/login/checkUser", "/confirmPassenger/getPassengerDTOs"];

/// One run: (first query after the opening − T, confirm − T, requests waited for, steps skipped, placed).
fn run() -> (i64, i64, usize, Vec<&'static str>, bool) {
    let sim = sim12306::start(sim12306::Config::default()).expect("sim starts");
    let mut d = driver::Driver::new(&sim);
    let opening = serde_json::json!({"trains":["G2"],"seats":{"O":10},"crowd_per_s":20});
    let (t, date) = d.stage_opening(
        20_000,
        opening,
        serde_json::json!({ "latency_ms": LATENCY_MS }),
    );
    let mut m = Booking::new(task(&date), driver::now_ms());
    let end = d.drive(&mut m, Duration::from_secs(90));
    let placed = matches!(end, driver::End::Finished(Finished::OrderPlaced { .. }));
    let reqs = d.requests();
    let at = |r: &Value| r["t_ms"].as_i64().unwrap_or(0);
    let path = |r: &Value| r["path"].as_str().unwrap_or("").to_owned();
    let first = reqs
        .iter()
        .find(|r| path(r).contains("/leftTicket/query") && at(r) >= t)
        .map(at)
        .unwrap_or(i64::MAX);
    let confirm = reqs
        .iter()
        .find(|r| path(r).ends_with("/confirmSingleForQueue"))
        .map(at)
        .unwrap_or(i64::MAX);
    let chain: Vec<String> = reqs
        .iter()
        .filter(|r| at(r) >= first && at(r) < confirm)
        .map(path)
        .collect();
    let skipped = SKIPPABLE
        .into_iter()
        .filter(|s| !chain.iter().any(|p| p.ends_with(s)))
        .map(|s| s.rsplit('/').next().unwrap_or(s))
        .collect();
    sim.stop();
    (first - t, confirm - t, chain.len(), skipped, placed)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that does not name this bench skips it.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !args.is_empty() && !args.iter().any(|a| "sale_opening".contains(a.as_str())) {
        return;
    }
    let runs: usize = std::env::var("SALE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    println!("opening sale, native driver, {LATENCY_MS} ms per request (sim12306 latency_ms):");
    println!(
        "run  first query  opening→confirm  requests  protocol minimum  booked  skipped after the opening"
    );
    let mut totals = Vec::new();
    for i in 1..=runs {
        let (first, confirm, requests, skipped, placed) = run();
        let minimum = requests as i64 * LATENCY_MS;
        println!(
            "{i:>3}  {first:>8} ms  {confirm:>12} ms  {requests:>8}  {minimum:>13} ms  {:>6}  {}",
            if placed { "yes" } else { "no" },
            skipped.join(", ")
        );
        totals.push((confirm, requests, skipped.len()));
    }
    totals.sort();
    if let Some((confirm, requests, skipped)) = totals.get(totals.len() / 2) {
        let full = requests + skipped;
        println!(
            "median: opening→confirm {confirm} ms for {requests} requests (minimum {} ms); with the official \
             page's checkUser and getPassengerDTOs the chain waits for {full} (minimum {} ms): {skipped} round \
             trips, {} ms, saved",
            *requests as i64 * LATENCY_MS,
            full as i64 * LATENCY_MS,
            *skipped as i64 * LATENCY_MS
        );
    }
}
