//! The sans-IO booking state machine (ARCHITECTURE.md §1.1), modelled on quinn-proto / rustls' unbuffered API:
//! the host asks [`Booking::poll`] what to do, performs it, and reports back with [`Booking::handle`]. The
//! machine never does I/O and never reads a clock: `now_ms` comes in with every call. The whole machine
//! serialises (serde), so a host can persist it after every step and resume after a restart.
//!
//! **The rule**: once `confirmSingleForQueue` may have reached 12306 (sent, and not answered with a definite
//! failure), the machine sends no `submitOrderRequest` until the outcome is known through `queryOrderWaitTime`
//! or `queryMyOrderNoComplete`. It is enforced in one place: the only way to the query (and so to a new
//! submit) is `Booking::goto_query`, which goes to `queryMyOrderNoComplete` instead while `in_flight` is set.
//! `in_flight` is cleared only by a confirm refusal known to mean "no order" ([`Reason::confirm_refusal_means_no_order`]),
//! or once the queue gave no order and the order list has shown nothing over a window that covers 12306's
//! visibility delay (`receive::RESOLVE_WINDOW_MS`); a stopped machine keeps it, so resuming it checks the order
//! list first.
//!
//! **Pace**, enforced once in [`Booking::poll`] whatever path led there: a query never starts earlier than
//! [`MIN_QUERY_GAP_PERCENT`] % of the task's interval after the previous one (a `c_url` move is followed at once,
//! once; a user's resume too), and no more than [`REQUEST_BUDGET`] requests go out in any
//! [`REQUEST_BUDGET_WINDOW_MS`]. The steps of one order attempt still follow each other at once. The one
//! exception to the query gap is the opening of a sale (`sale.rs`): for [`BURST_MS`] from the first query after
//! the opening, queries may go every [`BURST_GAP_MS`], at most [`BURST_MAX_QUERIES`] of them, once per opening.
//! These hold per task; the same rules over all tasks of one 12306 session are the driver's session pacer
//! (`driver::pacer`), which reads what each request is from [`Booking::traffic`].
//!
//! **The opening** (`sale.rs`, `clock.rs`): a task whose trains are not on sale yet queries nothing until a
//! minute before the opening, then measures 12306's clock and sends its first query to arrive just after it.

mod choose;
mod clock;
mod event;
mod io;
mod react;
mod receive;
mod rng;
mod sale;
mod send;
mod status;
mod step;
mod waitlist;

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

pub use choose::{choose, Chosen};
pub use event::{Event, Finished, NeedsUser, CHECK_USER_SKIPPED};
pub use io::{Action, Answer, HttpResponse, Input};
pub use sale::{
    BURST_GAP_MS, BURST_MAX_QUERIES, BURST_MS, DEFAULT_PRESALE_DAYS, MAX_CLOCK_PROBES,
    SESSION_WATCH_MS, WARMUP_MS,
};
pub use status::{Cooldown, DateStatus, State, Status, WaitlistStatus};
pub use step::Step;

use crate::order_page::OrderPage;
use crate::outcome::{classify_http, NextStep, Outcome, Reason};
use crate::task::{BookingTask, TaskError};
use rng::Rng;

/// How long a request may take before it counts as a transport timeout.
pub const REQUEST_TIMEOUT_MS: u64 = 15_000;
/// The query path to use when neither the task nor login/conf gives one (the server redirects via `c_url`).
pub const FALLBACK_QUERY_PATH: &str = "leftTicket/query";
/// A query never starts earlier than this share (%) of the task's interval after the previous one: the
/// interval's jitter goes down to 80 %, and no path back to the query (stale ticket info, 出票失败, a written-off
/// order, a refused query…) may go faster.
pub const MIN_QUERY_GAP_PERCENT: u64 = 80;
/// At most this many requests in any [`REQUEST_BUDGET_WINDOW_MS`], whatever loop the machine is in. A full
/// order attempt is 9 requests; the extension's own probes (login/conf after a redirect) fit in the rest of the
/// 40 per 10 s that the project promises never to exceed.
pub const REQUEST_BUDGET: usize = 30;
/// The window of [`REQUEST_BUDGET`] (ms).
pub const REQUEST_BUDGET_WINDOW_MS: u64 = 10_000;
/// The same refusal at the same step this many order attempts in a row pauses the task for the user.
pub const MAX_SAME_REFUSALS: u32 = 3;
/// While waiting for tickets the booking session is checked (`checkUser`) when it was last seen valid this long
/// ago: 12306's `/otn` session lapses after about 10 idle minutes while the passport login lives on, and a 2026
/// client checks every 3 minutes (PROTOCOL.md §1.3). A little under that, so that the jitter of the queries
/// around it never stretches it past 3 minutes.
pub const KEEPALIVE_MS: u64 = 170_000;
/// A session lost again this soon after a silent renewal is not renewed again: the user is asked.
pub const RENEW_AGAIN_AFTER_MS: u64 = 60_000;
/// An order attempt skips `checkUser` when the booking session was verified this recently (a checkUser that
/// said `flag:true` — the keep-alive's, the warm-up's —, an order step that answered, a renewal). py12306, which
/// booked on the real site, never calls checkUser before submitOrderRequest and checks its session only every
/// 120 s (PROTOCOL.md §1.3); the official page calls it right before each submit (§1.1 #12, §5.1). 90 s covers
/// the warm-up's checkUser a minute before an opening plus the opening's burst, stays under py12306's 120 s, and
/// far under the ~10 min after which an idle booking session lapses (§1.3). A session lost all the same costs
/// one attempt: submitOrderRequest then meets the passport, the renewal runs, and the query starts over — no
/// order can come of a submit without a session.
pub const CHECK_USER_FRESH_MS: u64 = 90_000;
/// Passengers read by the warm-up (getPassengerDTOs without the order page's token, PROTOCOL.md §5.4) stand in
/// for the order page's own read this long; a refusal at checkOrderInfo drops them (ICCFISH reloads its
/// passengers after 出票失败, §6).
pub const PASSENGERS_REUSE_MS: u64 = 10 * 60_000;

/// One refusal that repeats across order attempts: the step, 12306's text and how often in a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Repeated {
    step: Step,
    message: String,
    count: u32,
}

/// The request the machine waits an answer for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Awaiting {
    id: u64,
    step: Step,
    deadline: u64,
    /// When the request was handed out (host clock): with the answer's time, the window a reading of 12306's
    /// clock comes from.
    #[serde(default)]
    sent_at: u64,
}

/// The strings the order-page steps send, built once from the matched passengers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TicketStrings {
    passenger_ticket_str: String,
    old_passenger_str: String,
}

/// The booking machine. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Booking {
    task: BookingTask,
    step: Step,
    query_path: Option<String>,
    /// Nothing is sent before this time.
    next_at: u64,
    awaiting: Option<Awaiting>,
    next_id: u64,
    rng: Rng,
    events: VecDeque<Event>,
    paused: Option<NeedsUser>,
    finished: Option<Finished>,
    chosen: Option<Chosen>,
    order: Option<OrderPage>,
    tickets: Option<TicketStrings>,
    order_id: Option<String>,
    /// A confirm may have reached 12306 and its outcome is unknown.
    in_flight: bool,
    /// The user stopped the task and it only follows the order that may exist ([`Input::Settle`]): nothing
    /// new is booked; where the machine would query again it finishes instead.
    #[serde(default)]
    settling: bool,
    /// train code → blacklisted until (ms).
    blacklist: BTreeMap<String, u64>,
    /// train code → why it is blacklisted (the outcome's reason name: `soldOut`, `notEnoughSeats`, …), for the
    /// UI's cooldown line. Machines saved before it load with none.
    #[serde(default)]
    blacklist_reasons: BTreeMap<String, String>,
    queries: u64,
    submits: u64,
    confirms: u64,
    /// Consecutive failures, for the back-off.
    failures: u32,
    /// Retries of the current step in place.
    step_retries: u32,
    /// Consecutive "nothing open" answers while resolving an order that may exist.
    nothing_seen: u32,
    /// Start of the window an uncertain order must stay unseen for before it is written off: when the confirm
    /// was sent, moved on whenever the order shows signs of life (queued). `None` in machines saved before this
    /// existed: the window then starts at the next check.
    #[serde(default)]
    resolve_since: Option<u64>,
    /// When queue waiting started or last made progress (a positive waitTime lower than the one before).
    #[serde(default)]
    queue_progress_at: Option<u64>,
    /// The last positive waitTime (s), to tell a countdown from a queue that stands still.
    #[serde(default)]
    queue_last_wait_s: Option<i64>,
    /// The uncertain order has been seen alive by 12306 (a countdown in the queue, queued in the order list): it
    /// was visible then, so the order list's "nothing" is about a visible order and needs no visibility window.
    #[serde(default)]
    seen_alive: bool,
    /// What the queue said when it denied the order (`-2`, `-3`, `-4`): applied once the order list agrees.
    #[serde(default)]
    denied: Option<Outcome>,
    /// Order ids known to be someone else's (seen in the order list as not ours): a queue report about one of
    /// them is about an earlier order, never this task's result.
    #[serde(default)]
    foreign_orders: Vec<String>,
    /// When the last query was sent.
    #[serde(default)]
    last_query_at: Option<u64>,
    /// The next query may go at once (a `c_url` move just told the new path; the user resumed).
    #[serde(default)]
    query_now: bool,
    /// The last query answer was a `c_url` move: a second move in a row waits for the interval.
    #[serde(default)]
    after_move: bool,
    /// Send times of the last [`REQUEST_BUDGET`] requests, oldest first.
    #[serde(default)]
    recent_sends: VecDeque<u64>,
    /// A refusal repeating across order attempts (cleared when an attempt gets past its step).
    #[serde(default)]
    repeated: Option<Repeated>,
    /// When the booking session was last seen valid (an order step answered, checkUser said `flag:true`).
    #[serde(default)]
    session_ok_at: u64,
    /// A silent renewal of the booking session is under way; where to go on afterwards.
    #[serde(default)]
    renew_then: Option<Step>,
    /// The passport's new app token, between `uamtk` and `uamauthclient`.
    #[serde(default)]
    newapptk: Option<String>,
    /// When the last silent renewal succeeded.
    #[serde(default)]
    renewed_at: Option<u64>,
    /// Query answers in a row that were the error page or HTML: after a few the query path is read again.
    #[serde(default)]
    query_errors: u32,
    /// 12306 sent a fetched order page to its error page (`OrderPageRefused`): from then on this task asks the
    /// host to load initDc as a navigation, as the official page enters it (PROTOCOL.md §5.3). It is never
    /// cleared: a refusal keyed on the kind of client would meet every later fetch too.
    #[serde(default)]
    order_page_by_navigation: bool,
    /// The order page's `json_ua` value (its risk script's), read by the host from the page it loaded by
    /// navigation, for this page's confirm (`encryptedData`); `None` when not read or unusable.
    #[serde(default)]
    page_encrypted_data: Option<String>,
    /// The sale opening of the task's trains and the plan around it (`sale.rs`).
    #[serde(default)]
    sale: sale::Sale,
    /// The travel date of the last query sent (the answer is read for it).
    #[serde(default)]
    query_date: Option<String>,
    /// 12306 said only this many tickets are left (仅剩 M 张) and the task allows booking for fewer: the next
    /// train chosen is booked for the first M passengers.
    #[serde(default)]
    fewer: Option<u32>,
    /// When the booking session was last verified (see [`CHECK_USER_FRESH_MS`]); unlike `session_ok_at` never
    /// just assumed.
    #[serde(default)]
    session_verified_at: Option<u64>,
    /// The warm-up's getPassengerDTOs answer (the body as received, read again when used: the saved machine
    /// then needs no serde code of its own for the list), and when (see [`PASSENGERS_REUSE_MS`]).
    #[serde(default)]
    early_passengers: Option<(u64, String)>,
    /// Readings of 12306's clock (`clock.rs`).
    #[serde(default)]
    clock: clock::ServerClock,
    /// The 候补 order's state (`waitlist.rs`).
    #[serde(default)]
    hb: waitlist::HbState,
    /// What checkOrderInfo allowed choosing (选座/选铺) for the current order page.
    #[serde(default)]
    choice: Option<crate::seat_choice::ChoiceOffer>,
    last_message: String,
}

impl Booking {
    /// A machine for `task`, starting now. An invalid task gives a machine that is already
    /// [`Finished::Failed`]; use [`Booking::try_new`] to get the error instead.
    pub fn new(task: BookingTask, now_ms: u64) -> Booking {
        match task.validate() {
            Ok(()) => Booking::start(task, now_ms),
            Err(e) => {
                let mut m = Booking::start(task, now_ms);
                m.finished = Some(Finished::Failed {
                    reason: "invalidTask".into(),
                    message: e.to_string(),
                });
                m
            }
        }
    }

    /// Like [`Booking::new`], but refuses an invalid task.
    pub fn try_new(task: BookingTask, now_ms: u64) -> Result<Booking, TaskError> {
        task.validate()?;
        Ok(Booking::start(task, now_ms))
    }

    fn start(task: BookingTask, now_ms: u64) -> Booking {
        let query_path = task
            .query_path
            .clone()
            .filter(|p| crate::query_path::is_valid(p));
        let step = if query_path.is_some() {
            Step::Query
        } else {
            Step::LoginConf
        };
        Booking {
            rng: Rng::seeded(&task.id, now_ms),
            task,
            step,
            query_path,
            next_at: now_ms,
            awaiting: None,
            next_id: 1,
            events: VecDeque::new(),
            paused: None,
            finished: None,
            chosen: None,
            order: None,
            tickets: None,
            order_id: None,
            in_flight: false,
            settling: false,
            blacklist: BTreeMap::new(),
            blacklist_reasons: BTreeMap::new(),
            queries: 0,
            submits: 0,
            confirms: 0,
            failures: 0,
            step_retries: 0,
            nothing_seen: 0,
            resolve_since: None,
            queue_progress_at: None,
            queue_last_wait_s: None,
            seen_alive: false,
            denied: None,
            foreign_orders: Vec::new(),
            last_query_at: None,
            query_now: false,
            after_move: false,
            recent_sends: VecDeque::new(),
            repeated: None,
            // The user has just logged in to create the task.
            session_ok_at: now_ms,
            renew_then: None,
            newapptk: None,
            renewed_at: None,
            query_errors: 0,
            order_page_by_navigation: false,
            page_encrypted_data: None,
            sale: sale::Sale::default(),
            query_date: None,
            fewer: None,
            session_verified_at: None,
            early_passengers: None,
            clock: clock::ServerClock::default(),
            hb: waitlist::HbState::default(),
            choice: None,
            last_message: String::new(),
        }
    }

    /// The task this machine books (as validated at creation).
    pub fn task(&self) -> &BookingTask {
        &self.task
    }

    /// What the host should do now.
    pub fn poll(&mut self, now_ms: u64) -> Action {
        // Each pass either returns or changes the state (an event is queued, or `next_at`/`awaiting` moves),
        // so this ends; the bound is a guard against a logic error turning into a hang.
        for _ in 0..64 {
            if let Some(event) = self.events.pop_front() {
                return Action::Notify { event };
            }
            if let Some(result) = &self.finished {
                return Action::Finished {
                    result: result.clone(),
                };
            }
            if let Some(reason) = &self.paused {
                return Action::NeedsUser {
                    reason: reason.clone(),
                };
            }
            if let Some(aw) = &self.awaiting {
                if now_ms < aw.deadline {
                    return Action::WaitUntil {
                        until_ms: aw.deadline,
                    };
                }
                let step = aw.step;
                self.awaiting = None;
                self.on_transport_failure(step, "timeout: no answer", now_ms);
                continue;
            }
            if now_ms < self.next_at {
                return Action::WaitUntil {
                    until_ms: self.next_at,
                };
            }
            // A standing 候补 order is looked up now and then between queries.
            if self.step == Step::Query && self.waitlist_watch_due(now_ms) {
                self.step = Step::HbWatch;
            }
            // A query that is due asks the sale first: before an opening it waits, warms up or checks the
            // session instead (every path back to the query passes here).
            if matches!(self.step, Step::Query | Step::SaleWait)
                && !self.in_flight
                && self.order_id.is_none()
                && self.sale_gate(now_ms)
            {
                continue;
            }
            if let Some(at) = self.paced_until(now_ms) {
                self.next_at = at;
                continue;
            }
            match self.request_for_step(now_ms) {
                Ok(mut request) => {
                    request.id = self.next_id;
                    self.next_id += 1;
                    // A page read sends nothing to 12306: it does not count against the pace.
                    if request.read.is_none() {
                        self.note_sent(now_ms);
                    }
                    self.awaiting = Some(Awaiting {
                        id: request.id,
                        step: self.step,
                        deadline: now_ms.saturating_add(REQUEST_TIMEOUT_MS),
                        sent_at: now_ms,
                    });
                    return Action::Send { request };
                }
                Err(outcome) => {
                    let step = self.step;
                    self.react(step, outcome, now_ms);
                }
            }
        }
        Action::WaitUntil {
            until_ms: now_ms.saturating_add(1000),
        }
    }

    /// When the request due now must wait for the pace rules (module docs), the time it may go.
    fn paced_until(&self, now_ms: u64) -> Option<u64> {
        if self.recent_sends.len() >= REQUEST_BUDGET {
            let free_at = self
                .recent_sends
                .front()
                .map_or(0, |t| t.saturating_add(REQUEST_BUDGET_WINDOW_MS));
            if now_ms < free_at {
                return Some(free_at);
            }
        }
        if matches!(self.step, Step::Query | Step::SaleProbe) && !self.query_now {
            if let Some(last) = self.last_query_at {
                let gap = if self.in_burst(now_ms) {
                    BURST_GAP_MS
                } else {
                    self.task.interval().saturating_mul(MIN_QUERY_GAP_PERCENT) / 100
                };
                let earliest = last.saturating_add(gap);
                if now_ms < earliest {
                    return Some(earliest);
                }
            }
        }
        None
    }

    /// The query was redirected to another `leftTicket/query*` name (the 2025–2026 answer to a stale name,
    /// PROTOCOL.md §3.1): that is the current path from now on.
    fn adopt_redirected_path(&mut self, final_url: &str) {
        let Some(path) = crate::query_path::from_url(final_url) else {
            return;
        };
        if self.query_path.as_deref() != Some(path.as_str()) {
            self.events.push_back(Event::Step {
                step: "query".into(),
                message: format!("查询地址改为 {path}"),
            });
            self.query_path = Some(path);
        }
    }

    /// Books a request going out now against the pace rules.
    fn note_sent(&mut self, now_ms: u64) {
        self.recent_sends.push_back(now_ms);
        while self.recent_sends.len() > REQUEST_BUDGET {
            self.recent_sends.pop_front();
        }
        if matches!(self.step, Step::Query | Step::SaleProbe) {
            if self.step == Step::Query && self.in_burst(now_ms) {
                self.sale.burst_queries += 1;
            }
            self.last_query_at = Some(now_ms);
            self.query_now = false;
        }
    }

    /// Takes the readings of 12306's clock an answer carries: its `Date` header, and login/conf's `now`. Not from
    /// queries: their GETs may come from a CDN's cache (PROTOCOL.md §7), with the time the answer was made.
    fn read_clock(
        &mut self,
        step: Step,
        resp: &HttpResponse,
        date: Option<&str>,
        sent_at: u64,
        now_ms: u64,
    ) {
        if matches!(step, Step::Query | Step::SaleProbe | Step::RiskData) {
            return;
        }
        if let Some(date_ms) = date.and_then(crate::server_time::parse_http_date) {
            self.clock.add_date(date_ms, sent_at, now_ms);
        }
        if matches!(step, Step::LoginConf | Step::ClockProbe) && resp.status == 200 {
            if let Some(server_ms) = crate::server_time::conf_times(&resp.body).now_ms {
                self.clock.add_exact(server_ms, sent_at, now_ms);
            }
        }
    }

    /// Feeds what happened back into the machine.
    pub fn handle(&mut self, input: Input, now_ms: u64) {
        if input == Input::Resume {
            // The one input a finished machine still takes (a stopped or failed task restarted).
            self.settling = false;
            return self.resume(now_ms);
        }
        if input == Input::Settle {
            return self.settle(now_ms);
        }
        if self.finished.is_some() {
            return;
        }
        match input {
            Input::Response(Answer {
                response: resp,
                date,
            }) => {
                let Some(aw) = self.awaiting.as_ref().filter(|aw| aw.id == resp.request_id) else {
                    return; // stale or duplicate answer: the machine has moved on
                };
                let (step, sent_at) = (aw.step, aw.sent_at);
                self.awaiting = None;
                self.read_clock(step, &resp, date.as_deref(), sent_at, now_ms);
                if step == Step::RiskData {
                    // The host's answer about its own page, not 12306's: none of the HTTP rules apply.
                    let value = (resp.status == 200).then_some(resp.body.as_str());
                    return self.on_risk_data(value, now_ms);
                }
                if step == Step::Query {
                    self.adopt_redirected_path(&resp.final_url);
                }
                match classify_http(
                    resp.status,
                    &resp.final_url,
                    &resp.body,
                    step == Step::InitDc,
                ) {
                    // Right after a successful submitOrderRequest the order page landing on the error page is
                    // 12306 refusing this client the page, not load (PROTOCOL.md §5.3, py12306 #535/#536).
                    Some(_)
                        if step == Step::InitDc
                            && crate::outcome::http::is_error_url(&resp.final_url) =>
                    {
                        if !self.order_page_by_navigation {
                            return self.switch_to_navigation(now_ms);
                        }
                        let refused = Outcome::new(
                            Reason::OrderPageRefused,
                            NextStep::BackOff,
                            "订单页（initDc，以页面导航打开）被转到 12306 的错误页",
                        );
                        self.on_http_failure(step, refused, now_ms)
                    }
                    // The sale's light requests: a failed one is only a missing reading or clock.
                    Some(_) if step == Step::ClockProbe => self.on_clock_probe(None, now_ms),
                    Some(_) if step == Step::SaleProbe => self.on_sale_probe(None, now_ms),
                    Some(_) if step == Step::ReadPassengers => {
                        self.on_read_passengers(None, now_ms)
                    }
                    Some(outcome) => self.on_http_failure(step, outcome, now_ms),
                    None => self.receive(step, &resp.body, now_ms),
                }
            }
            Input::TransportError {
                request_id,
                message,
            } => {
                if let Some(aw) = self.awaiting.as_ref().filter(|aw| aw.id == request_id) {
                    let step = aw.step;
                    self.awaiting = None;
                    self.on_transport_failure(step, &format!("transport error: {message}"), now_ms);
                }
            }
            Input::Timeout | Input::Resume | Input::Settle => {}
            Input::Stop => {
                self.settling = false;
                // An order id known but not yet reported (stopped during resultOrderForDcQueue) is an order too.
                let order_may_exist =
                    self.in_flight || self.order_id.is_some() || self.hb.may_exist();
                self.awaiting = None;
                self.paused = None;
                let message =
                    if let Some(r) = self.hb.reserve_no.as_ref().filter(|_| self.hb.may_exist()) {
                        format!("已停止；候补订单 {r} 仍在等待兑现，请到 12306 候补订单中查看")
                    } else if order_may_exist {
                        "已停止；订单可能已提交，请到 12306 未完成订单中查看".to_owned()
                    } else {
                        "已停止".to_owned()
                    };
                self.finished = Some(Finished::Stopped {
                    order_may_exist,
                    message,
                });
            }
        }
    }

    /// `Input::Resume`: goes on after `NeedsUser`, or restarts a machine that finished as Stopped or Failed
    /// (ARCHITECTURE.md §1.1). A running machine, an invalid task and a placed order are left as they are (the
    /// placed order is reported again by the next poll). When an order may exist (a confirm's outcome is
    /// unknown, or an order id is known) the machine asks the order list first, in flight kept; otherwise it
    /// queries again at once.
    fn resume(&mut self, now_ms: u64) {
        match &self.finished {
            Some(Finished::OrderPlaced { .. }) => return,
            Some(Finished::Failed { .. }) if self.task.validate().is_err() => return,
            Some(_) => {}
            None if self.paused.is_none() => return,
            None => {}
        }
        self.finished = None;
        self.paused = None;
        self.awaiting = None;
        self.failures = 0;
        self.step_retries = 0;
        self.nothing_seen = 0;
        self.repeated = None;
        // The user asked to go on: the first query goes at once (the budget still holds).
        self.query_now = true;
        if self.hb.may_exist() && !self.in_flight && self.order_id.is_none() {
            // The 候补 order (standing, or not settled) is looked up first.
            self.hb.resumed(now_ms);
            self.step = Step::HbWatch;
            self.next_at = now_ms;
            return;
        }
        if self.in_flight || self.order_id.is_some() {
            // Whatever happened while the task stood, the order list gets the whole window again.
            self.resolve_since = Some(now_ms);
            self.step = Step::NoComplete;
            self.next_at = now_ms;
            self.events.push_back(Event::Step {
                step: react::step_name(Step::NoComplete),
                message: "继续：先查询未完成订单，确认之前提交的订单".to_owned(),
            });
        } else {
            self.goto_query(now_ms);
        }
    }

    /// `Input::Settle`: a machine stopped with an order that may exist follows it (queue, order list) without
    /// booking anything new; see [`Input::Settle`].
    fn settle(&mut self, now_ms: u64) {
        let may_exist = matches!(
            self.finished,
            Some(Finished::Stopped {
                order_may_exist: true,
                ..
            })
        );
        if !may_exist || !(self.in_flight || self.order_id.is_some() || self.hb.may_exist()) {
            return;
        }
        self.resume(now_ms);
        self.settling = true;
    }

    /// The end of a settling machine whose order was written off (the order list and the queue agree that
    /// 12306 made none): stopped, as the user asked, and nothing to look for.
    pub(super) fn settled_without_order(&mut self) {
        self.settling = false;
        self.finished = Some(Finished::Stopped {
            order_may_exist: false,
            message: "已停止；12306 没有生成订单".to_owned(),
        });
    }

    /// Shorthand for `handle(Input::Stop, now_ms)`.
    pub fn stop(&mut self, now_ms: u64) {
        self.handle(Input::Stop, now_ms);
    }

    /// A snapshot for the UI.
    pub fn status(&self) -> Status {
        let state = if self.finished.is_some() {
            State::Finished
        } else if self.paused.is_some() {
            State::NeedsUser
        } else if self.awaiting.is_some() {
            State::Running
        } else {
            State::Waiting
        };
        let (
            opens_at,
            opens_at_local,
            clock_offset_ms,
            clock_error_ms,
            burst_until,
            burst_queries_left,
        ) = self.sale_status();
        Status {
            state,
            step: self.step,
            step_label: self.step.label().to_owned(),
            attempts: self.queries,
            submits: self.submits,
            confirms: self.confirms,
            last_message: self.last_message.clone(),
            next_try_at: (state == State::Waiting).then_some(self.next_at),
            train: self.chosen.as_ref().map(|c| c.train_code.clone()),
            date: self.current_date(),
            dates: self
                .waiting_dates()
                .into_iter()
                .map(|(date, opens_at, opens_at_local)| DateStatus {
                    date,
                    opens_at,
                    opens_at_local,
                })
                .collect(),
            order_id: self.order_id.clone(),
            order_may_exist: self.in_flight || self.hb.in_flight,
            settling: self.settling,
            waitlist: self.hb.status(),
            blacklist: self
                .blacklist
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            cooldowns: self
                .blacklist
                .iter()
                .map(|(train, until)| Cooldown {
                    train: train.clone(),
                    until: *until,
                    reason: self
                        .blacklist_reasons
                        .get(train)
                        .cloned()
                        .unwrap_or_default(),
                })
                .collect(),
            opens_at,
            opens_at_local,
            clock_offset_ms,
            clock_error_ms,
            burst_until,
            burst_queries_left,
        }
    }

    /// The travel date queried or booked now: the chosen train's, else the last query's, else the first the
    /// next query would take; `None` while every date waits for its sale.
    fn current_date(&self) -> Option<String> {
        if let Some(c) = self.chosen.as_ref().filter(|c| !c.date.is_empty()) {
            return Some(c.date.clone());
        }
        if self.sale.waiting {
            return None;
        }
        self.query_date
            .clone()
            .or_else(|| self.task.travel_dates().into_iter().next())
    }

    /// The travel date of the chosen train (the task's first date for a machine saved before several dates).
    fn booking_date(&self) -> String {
        self.chosen
            .as_ref()
            .map(|c| c.date.clone())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| self.task.date.clone())
    }

    /// The passengers of this attempt: the first `party` of the task's (all when the chosen train says 0).
    fn party(&self) -> &[crate::task::TaskPassenger] {
        let all = &self.task.passengers;
        let n = self
            .chosen
            .as_ref()
            .map_or(0, |c| c.party as usize)
            .min(all.len());
        if n == 0 {
            all
        } else {
            &all[..n]
        }
    }

    /// The task as the next choice sees it: with `allowFewer` after a 仅剩 M 张, only its first M passengers.
    fn choosing_task(&self) -> std::borrow::Cow<'_, BookingTask> {
        match self.fewer {
            Some(m) if (m as usize) < self.task.passengers.len() && m > 0 => {
                let mut t = self.task.clone();
                t.passengers.truncate(m as usize);
                std::borrow::Cow::Owned(t)
            }
            _ => std::borrow::Cow::Borrowed(&self.task),
        }
    }

    /// True while a confirm may have reached 12306 without a known outcome, or a 候补 order may exist or waits
    /// (its fulfilment would be an order).
    pub fn order_may_exist(&self) -> bool {
        self.in_flight || self.hb.may_exist()
    }

    /// What the request of the last [`Action::Send`] is to the session's pacer (`driver::pacer`), which keeps
    /// the flood rules across all tasks of one session: a query (with the opening whose burst it is in), a
    /// step of an order attempt, a request of a task whose order may exist (never held), or other traffic.
    pub fn traffic(&self, now_ms: u64) -> crate::driver::pacer::Traffic {
        use crate::driver::pacer::Traffic;
        if self.in_flight {
            return Traffic::OrderMayExist;
        }
        match self.step {
            // The query just booked counts already (`note_sent`), hence `<=`: the burst's last query is in it.
            Step::Query => Traffic::Query {
                burst: self.sale.burst_for.filter(|_| {
                    self.sale.burst_until.is_some_and(|until| now_ms < until)
                        && self.sale.burst_queries <= BURST_MAX_QUERIES
                }),
            },
            Step::SaleProbe => Traffic::Query { burst: None },
            Step::CheckUser
            | Step::SubmitOrder
            | Step::InitDc
            | Step::Passengers
            | Step::CheckOrder
            | Step::QueueCount
            | Step::RiskData
            | Step::Confirm
            | Step::QueueWait
            | Step::ResultOrder
            | Step::NoComplete => Traffic::Order,
            Step::LoginConf
            | Step::KeepAlive
            | Step::Uamtk
            | Step::UamAuthClient
            | Step::SaleWait
            | Step::WarmUp
            | Step::ClockProbe
            | Step::ReadPassengers => Traffic::Other,
            // 候补 (waitlist.rs): its submission is an order attempt; its confirm, its queue and the cancel of a
            // 候补 order after a direct booking concern an order that may exist (a cancel held back could let
            // both be fulfilled).
            Step::HbFaceCheck
            | Step::HbSubmit
            | Step::HbInit
            | Step::HbPassengers
            | Step::HbQueueNum
            | Step::HbSuccessRate => Traffic::Order,
            Step::HbConfirm | Step::HbQueue | Step::HbCancel => Traffic::OrderMayExist,
            // The standing 候补 order's look-ups (every minute or so): nothing is lost by holding one a moment.
            Step::HbWatch | Step::HbNoComplete => Traffic::Other,
        }
    }

    /// An HTTP-level failure (redirect, status, empty or HTML body). For the confirm it does not tell whether
    /// 12306 took the order, so the order counts as in flight.
    fn on_http_failure(&mut self, step: Step, outcome: Outcome, now_ms: u64) {
        if step == Step::Confirm && outcome.next != NextStep::Login {
            self.note_problem(&outcome);
            self.uncertain_confirm(now_ms);
            return;
        }
        if step == Step::HbConfirm && outcome.next != NextStep::Login {
            self.note_problem(&outcome);
            self.hb_uncertain(now_ms);
            return;
        }
        if step == Step::HbCancel {
            return self.cancel_done(Some(outcome));
        }
        if self.skip_informational(step, &outcome, now_ms) {
            return;
        }
        self.react(step, outcome, now_ms);
    }

    /// No answer at all (network error, timeout).
    fn on_transport_failure(&mut self, step: Step, message: &str, now_ms: u64) {
        let outcome = Outcome::new(Reason::Garbage, NextStep::BackOff, message);
        match step {
            Step::Confirm => {
                self.note_problem(&outcome);
                self.uncertain_confirm(now_ms);
            }
            Step::HbConfirm => {
                self.note_problem(&outcome);
                self.hb_uncertain(now_ms);
            }
            Step::HbCancel => self.cancel_done(None),
            Step::HbQueueNum | Step::HbSuccessRate => {
                self.skip_informational(step, &outcome, now_ms);
            }
            // The host could not read its page: the confirm goes without the value, as the page's own does
            // when its risk script has not run.
            Step::RiskData => self.on_risk_data(None, now_ms),
            Step::ClockProbe => self.on_clock_probe(None, now_ms),
            Step::SaleProbe => self.on_sale_probe(None, now_ms),
            Step::ReadPassengers => self.on_read_passengers(None, now_ms),
            _ => self.react(step, outcome, now_ms),
        }
    }

    /// The fetched order page was sent to the error page: 12306 refuses this kind of client the page
    /// (PROTOCOL.md §5.3). From now on the host loads it as a navigation, the first time at once, in the same
    /// attempt: a refusal in front of the application should leave the train chosen by submitOrderRequest in the
    /// session (an assumption; were it forgotten, the page would be the passport page, which the silent renewal
    /// and a new attempt handle), and a second submit would cost time while the tickets go. This first refusal
    /// does not count towards the repeated-refusal pause; refused navigations do (with their own text).
    fn switch_to_navigation(&mut self, now_ms: u64) {
        self.order_page_by_navigation = true;
        self.note_problem(&Outcome::new(
            Reason::OrderPageRefused,
            NextStep::BackOff,
            "订单页（initDc）被转到 12306 的错误页，改为以页面导航打开",
        ));
        self.step = Step::InitDc;
        self.step_retries = 0;
        self.next_at = now_ms;
    }
}
