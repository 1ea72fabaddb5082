//! Several tasks on one 12306 session (ARCHITECTURE.md §1.1 rule 3): four machines, each through the core's
//! driver, share one [`Pacer`] and one stateful fake account (`fixtures/order_book`) on a simulated clock. The
//! route is sold out at a 1 s interval; tickets appear later. Checked on the fake's own request log:
//!
//! * the session's queries in any 10 s stay within what the session gap allows (13 at 800 ms), and all its
//!   requests within [`REQUEST_BUDGET`];
//! * when tickets appear, one task books, and its order steps go one after the other without waiting for the
//!   other tasks' queries;
//! * the same four tasks each with a pacer of its own (`driver::run`, what the extension did before) flood:
//!   the check would catch it.

#[path = "fixtures/order_book/mod.rs"]
mod order_book;

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use kyfw::booking::{Booking, Event, Finished, HttpResponse, REQUEST_BUDGET};
use kyfw::driver::pacer::{Pacer, SESSION_QUERY_GAP_MS};
use kyfw::driver::{self, End, Host};
use kyfw::request::HttpRequest;
use order_book::answers::task;
use order_book::faults::Fault;
use order_book::{endpoint, OrderBook, Reply, Setup};

/// Network latency of the fake, each way (ms).
const LATENCY_MS: u64 = 30;
/// When the seats appear (simulated ms).
const TICKETS_AT_MS: u64 = 60_000;
/// Tasks sharing the session.
const TASKS: usize = 4;

/// The simulated world: the clock, the fake account, and who sent what when.
struct World {
    now: u64,
    book: OrderBook,
    /// The times the pending sleeps wait for.
    wakeups: Vec<u64>,
    /// (time, endpoint, task) of every request that reached the fake.
    log: Vec<(u64, String, usize)>,
    /// Set once a task placed its order: the others are stopped by the user.
    stop: bool,
}

/// Resolves once the world's clock reaches `at`.
struct Sleep {
    world: Rc<RefCell<World>>,
    at: u64,
}

impl Future for Sleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        let mut w = self.world.borrow_mut();
        if w.now >= self.at {
            Poll::Ready(())
        } else {
            w.wakeups.push(self.at);
            Poll::Pending
        }
    }
}

/// One task's host: its requests go to the shared fake account.
struct TaskHost {
    world: Rc<RefCell<World>>,
    task: usize,
}

impl TaskHost {
    fn sleep(&self, at: u64) -> Sleep {
        Sleep {
            world: Rc::clone(&self.world),
            at,
        }
    }
}

impl Host for TaskHost {
    async fn send(
        &mut self,
        request: &HttpRequest,
        deadline_ms: u64,
    ) -> Result<HttpResponse, String> {
        self.send_dated(request, deadline_ms).await.map(|(r, _)| r)
    }

    async fn send_dated(
        &mut self,
        request: &HttpRequest,
        _deadline_ms: u64,
    ) -> Result<(HttpResponse, Option<String>), String> {
        if request.read.is_some() {
            let resp = HttpResponse {
                request_id: request.id,
                status: 200,
                final_url: request.url.clone(),
                body: "ua-of-the-page".into(),
            };
            return Ok((resp, None));
        }
        let now = self.now_ms();
        self.sleep(now + LATENCY_MS).await;
        let (reply, date) = {
            let mut w = self.world.borrow_mut();
            let now = w.now;
            w.log.push((now, endpoint(&request.url), self.task));
            (
                w.book.answer(request, Fault::Fine, now),
                w.book.date_header(now),
            )
        };
        let now = self.now_ms();
        self.sleep(now + LATENCY_MS).await;
        match reply {
            Reply::Http(status, final_url, body) => Ok((
                HttpResponse {
                    request_id: request.id,
                    status,
                    final_url,
                    body,
                },
                Some(date),
            )),
            Reply::Transport | Reply::Silence => Err("no answer".into()),
        }
    }

    async fn sleep_until(&mut self, at_ms: u64) {
        self.sleep(at_ms).await;
    }

    async fn save(&mut self, _machine: &str) -> Result<(), String> {
        Ok(())
    }

    fn report(&mut self, _event: &Event) {}

    fn now_ms(&self) -> u64 {
        self.world.borrow().now
    }

    fn stop_requested(&self) -> bool {
        self.world.borrow().stop
    }
}

/// How the four tasks ran.
struct Ran {
    log: Vec<(u64, String, usize)>,
    /// The orders the fake account holds at the end.
    orders: usize,
    ends: Vec<End>,
}

/// Runs the four tasks to their ends on the simulated clock; `shared` gives them one pacer, else each its own.
fn run_four(shared: bool) -> Ran {
    let seats = [("G2".to_owned(), 0), ("G4".to_owned(), 0)].into();
    let world = Rc::new(RefCell::new(World {
        now: 0,
        book: OrderBook::new(Setup {
            seats,
            ..Setup::default()
        }),
        wakeups: Vec::new(),
        log: Vec::new(),
        stop: false,
    }));
    let pacer = Rc::new(RefCell::new(Pacer::new()));
    let mut runs: Vec<Pin<Box<dyn Future<Output = End>>>> = Vec::new();
    for i in 0..TASKS {
        let mut host = TaskHost {
            world: Rc::clone(&world),
            task: i,
        };
        let pacer = Rc::clone(&pacer);
        // The tasks start a little apart, as a user starts them one by one.
        let start = i as u64 * 70;
        runs.push(Box::pin(async move {
            host.sleep(start).await;
            let t = task(serde_json::json!({"intervalMs": 1000, "id": format!("t{i}")}));
            let mut m = Booking::new(t, start);
            if shared {
                driver::run_paced(&mut m, &mut host, &pacer).await
            } else {
                driver::run(&mut m, &mut host).await
            }
        }));
    }
    let mut ends: Vec<Option<End>> = (0..TASKS).map(|_| None).collect();
    let mut cx = Context::from_waker(Waker::noop());
    while ends.iter().any(Option::is_none) {
        for (i, run) in runs.iter_mut().enumerate() {
            if ends[i].is_none() {
                if let Poll::Ready(end) = run.as_mut().poll(&mut cx) {
                    if matches!(end, End::Finished(Finished::OrderPlaced { .. })) {
                        world.borrow_mut().stop = true;
                    }
                    ends[i] = Some(end);
                }
            }
        }
        let mut w = world.borrow_mut();
        if ends.iter().all(Option::is_some) {
            break;
        }
        let next = w
            .wakeups
            .drain(..)
            .min()
            .expect("a pending task waits for a time");
        w.now = w.now.max(next);
        if w.now >= TICKETS_AT_MS && w.book.seats["G2"] == 0 && !w.stop {
            w.book.seats.insert("G2".to_owned(), 1);
        }
        // Without the pacer nobody books in this test's time: the user stops them all.
        if w.now > 10 * TICKETS_AT_MS {
            w.stop = true;
        }
    }
    let log = world.borrow().log.clone();
    let orders = world.borrow().book.orders_of_ours().len();
    Ran {
        log,
        orders,
        ends: ends.into_iter().flatten().collect(),
    }
}

/// The most requests matching `pick` in any 10 s of the log.
fn most_in_10s(log: &[(u64, String, usize)], pick: impl Fn(&str) -> bool) -> usize {
    let times: Vec<u64> = log
        .iter()
        .filter(|(_, ep, _)| pick(ep))
        .map(|(t, _, _)| *t)
        .collect();
    (0..times.len())
        .map(|k| {
            times[k..]
                .iter()
                .take_while(|&&u| u < times[k] + 10_000)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn four_tasks_on_one_session_keep_the_session_bound_and_one_books_fast() {
    let ran = run_four(true);
    let queries = most_in_10s(&ran.log, |ep| ep == "query");
    let bound = (10_000 / SESSION_QUERY_GAP_MS + 1) as usize;
    assert!(
        queries <= bound,
        "{queries} queries in 10 s (bound {bound})"
    );
    let all = most_in_10s(&ran.log, |_| true);
    assert!(all <= REQUEST_BUDGET, "{all} requests in 10 s");
    // And before the tickets came it was not idle: the session kept querying at its pace.
    let before: Vec<u64> = ran
        .log
        .iter()
        .filter(|(t, ep, _)| ep == "query" && *t < TICKETS_AT_MS)
        .map(|(t, _, _)| *t)
        .collect();
    assert!(
        before.len() >= 60,
        "{} queries in the first minute",
        before.len()
    );
    assert!(before
        .windows(2)
        .all(|w| w[1] - w[0] >= SESSION_QUERY_GAP_MS));

    println!(
        "shared pacer: busiest 10 s {queries} queries / {all} requests; {} queries in the first minute",
        before.len()
    );
    // One task booked, and fast.
    let placed: Vec<usize> = ran
        .ends
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, End::Finished(Finished::OrderPlaced { .. })))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(placed.len(), 1, "one task books: {:?}", ran.ends);
    assert_eq!(ran.orders, 1, "one order in the book");
    let booker = placed[0];
    let steps: Vec<(u64, &str)> = ran
        .log
        .iter()
        .filter(|(t, _, task)| *task == booker && *t >= TICKETS_AT_MS)
        .map(|(t, ep, _)| (*t, ep.as_str()))
        .collect();
    let submit = steps
        .iter()
        .find(|(_, ep)| *ep == "submitOrderRequest")
        .expect("a submit");
    let confirm = steps
        .iter()
        .find(|(_, ep)| *ep == "confirmSingleForQueue")
        .expect("a confirm");
    assert!(
        submit.0 < TICKETS_AT_MS + 2 * 1000,
        "the submit went {} ms after the tickets came",
        submit.0 - TICKETS_AT_MS
    );
    println!(
        "tickets at {TICKETS_AT_MS} ms, submit at {} ms, confirm at {} ms",
        submit.0, confirm.0
    );
    // submit … confirm is six requests, each a round trip: no pacer wait in between.
    assert!(
        confirm.0 - submit.0 <= 6 * 2 * LATENCY_MS + 50,
        "submit at {} ms, confirm at {} ms",
        submit.0,
        confirm.0
    );
}

#[test]
fn without_a_shared_pacer_four_tasks_flood() {
    let ran = run_four(false);
    let queries = most_in_10s(&ran.log, |ep| ep == "query");
    println!("a pacer per task: busiest 10 s {queries} queries");
    assert!(queries > 30, "{queries} queries in 10 s");
}
