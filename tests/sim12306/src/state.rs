//! The simulator's whole state, kept behind one mutex: sessions, tokens, inventory, orders, the
//! request log and the active scenario.

use std::collections::{HashMap, VecDeque};

use crate::clock::{Clock, Date};
use crate::inventory::{Inventory, STANDING};
use crate::records::Records;
use crate::rng::{self, Rng};
use crate::scenario::{normalise_query_path, Fault, RateLimitAnswer, Scenario};
use crate::secret::SecretInfo;
use crate::timetable::{self, TrainDef};

/// Pre-sale window in days (today + 14), `login/conf.other_control`.
pub const PRESALE_DAYS: i64 = 15;
/// How long an order stays queued by default.
pub const DEFAULT_QUEUE_MS: i64 = 4000;
/// How long an unpaid order may wait for payment by default (12306 gives about 10 minutes).
pub const DEFAULT_PAY_WINDOW_MS: i64 = 10 * 60 * 1000;
/// How long a secretStr stays valid by default.
pub const DEFAULT_SECRET_TTL_MS: i64 = 30 * 60 * 1000;
/// How many cancellations a day before booking is refused by default.
pub const DEFAULT_CANCEL_LIMIT: u32 = 3;
/// Most passengers one order may hold.
pub const MAX_PASSENGERS: usize = 9;

/// The train a session chose with submitOrderRequest.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub secret: SecretInfo,
    pub purpose: String,
}

/// One requested ticket (from passengerTicketStr).
#[derive(Debug, Clone, PartialEq)]
pub struct TicketReq {
    pub seat: char,
    pub ticket_type: String,
    pub name: String,
    pub id_type: String,
    pub id_no: String,
}

/// The order page context created by initDc; its token is good for one order attempt.
#[derive(Debug, Clone)]
pub struct OrderPage {
    pub token: String,
    pub key_check: String,
    pub left_ticket: String,
    pub chosen: Chosen,
    pub used: bool,
}

/// One browser session (JSESSIONID): who is logged in and where in the booking flow it is.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub id: String,
    pub account: Option<String>,
    pub chosen: Option<Chosen>,
    pub page: Option<OrderPage>,
    pub u_key: Option<String>,
    /// 候补 choices of afterNate/submitOrderRequest: (train token info, seat).
    pub hb: Vec<(SecretInfo, char)>,
    /// Sim-clock ms of the last request that used this session's login (or of the login itself): the
    /// scenario's `otn_idle_ms` counts from here.
    pub otn_active_ms: i64,
    /// Logged out by idleness and not logged in since (the passport renewal revives it).
    pub lapsed: bool,
}

/// A passport login: the account behind a `uamtk` cookie and when it was made.
#[derive(Debug, Clone)]
pub struct PassportLogin {
    pub account: String,
    pub issued_ms: i64,
}

/// Where an order stands.
#[derive(Debug, Clone, PartialEq)]
pub enum OrderStatus {
    Queued,
    Unpaid,
    Failed(String),
    Cancelled,
    Expired,
    /// A 候补 order waiting for tickets (待兑现).
    Waiting,
}

impl OrderStatus {
    /// The lower-case name `/orders` reports.
    pub fn name(&self) -> &'static str {
        match self {
            OrderStatus::Queued => "queued",
            OrderStatus::Unpaid => "unpaid",
            OrderStatus::Failed(_) => "failed",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Expired => "expired",
            OrderStatus::Waiting => "waiting",
        }
    }
}

/// One ticket of an order.
#[derive(Debug, Clone)]
pub struct OrderTicket {
    pub req: TicketReq,
    pub standing: bool,
    pub coach: String,
    pub seat_no: String,
    pub price_x10: u32,
}

impl OrderTicket {
    /// A requested ticket before the queue assigns its coach, seat and price.
    pub fn unassigned(req: TicketReq) -> OrderTicket {
        OrderTicket {
            req,
            standing: false,
            coach: String::new(),
            seat_no: String::new(),
            price_x10: 0,
        }
    }
}

/// One order, from the confirm on.
#[derive(Debug, Clone)]
pub struct Order {
    pub id: String,
    pub account: String,
    pub train: String,
    pub date: String,
    pub from: String,
    pub to: String,
    pub tickets: Vec<OrderTicket>,
    pub status: OrderStatus,
    pub created_ms: i64,
    pub ready_ms: i64,
    pub pay_deadline_ms: i64,
    pub request_id: i64,
    /// queryOrderWaitTime calls answered so far (the first one answers -100).
    pub polls: u32,
    /// 'dc' normal flow, 'hb' 候补.
    pub kind: &'static str,
    /// When set, the queue ends with this failure (e.g. the daily cancellation limit).
    pub forced_fail: Option<String>,
    /// The seat letters of confirmSingleForQueue's `choose_seats` (`(row in the picker, letter)` per passenger)
    /// and the berth counts of `seatDetailType` (下, 中, 上); honoured when the queue seats the order.
    pub choice: SeatChoice,
    /// What a 候补 order waits for (None for a direct order).
    pub hb: Option<HbOrder>,
}

/// Seats and berths asked for by a confirm (PROTOCOL §5.8 `choose_seats`, `seatDetailType`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeatChoice {
    pub seats: Vec<(u8, char)>,
    pub berths: [u8; 3],
}

/// One train × class of a 候补 order.
#[derive(Debug, Clone, PartialEq)]
pub struct HbPlan {
    pub train: String,
    pub date: String,
    pub from: String,
    pub to: String,
    pub seat: char,
}

/// The wishes of a 候补 order (confirmHB): its plans in order of preference, its deadline, and whether 无座 is
/// accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct HbOrder {
    pub plans: Vec<HbPlan>,
    /// 截止兑现时间 (sim clock ms): not fulfilled by then, the order ends (expired).
    pub realize_limit_ms: i64,
    pub accept_standing: bool,
    /// Whether the order was fulfilled (兑现), turning it into an unpaid order of `train`/`date`.
    pub fulfilled: bool,
}

impl Order {
    /// Queued or unpaid: it blocks another order of the same account.
    pub fn is_open(&self) -> bool {
        matches!(self.status, OrderStatus::Queued | OrderStatus::Unpaid)
    }
}

/// A QR code from create-qr64.
#[derive(Debug, Clone)]
pub struct Qr {
    pub uuid: String,
    pub created_ms: i64,
    /// Scanned in the app but not yet confirmed (checkqr "1").
    pub scanned: bool,
    pub confirmed_uamtk: Option<String>,
}

/// How long a login QR code stays valid.
pub const QR_LIFETIME_MS: i64 = 3 * 60 * 1000;

/// A fault added through `/fault` or a scenario, with how often it has fired.
#[derive(Debug, Clone)]
pub struct ActiveFault {
    pub fault: Fault,
    pub added_ms: i64,
    pub fired: u32,
}

/// Tickets scheduled to come back on sale.
#[derive(Debug, Clone)]
pub struct PendingRelease {
    pub date: String,
    pub train: String,
    pub seat: char,
    pub count: i64,
    pub at_ms: i64,
}

/// A sale opening of the scenario (`sale_opening`), with what its crowd has bought so far.
#[derive(Debug, Clone)]
pub struct Opening {
    /// The opening (sim clock, a whole minute).
    pub at_ms: i64,
    pub date: Date,
    pub trains: Vec<String>,
    /// Classes with their tickets at the opening.
    pub seats: Vec<(char, i64)>,
    pub crowd_per_s: f64,
    /// (train, class) → the crowd's purchases so far (each one a confirm at `at_ms + i / crowd_per_s`); `None`
    /// once the class was sold out to it.
    pub crowd: HashMap<(String, char), Option<i64>>,
}

/// Everything the sim knows; one per running sim, behind a mutex.
pub struct World {
    pub seed: u64,
    pub clock: Clock,
    pub rng: Rng,
    pub trains: Vec<TrainDef>,
    pub inventory: Inventory,
    pub scenario: Scenario,
    pub scenario_t0: i64,
    pub secret_epoch: u64,
    pub sessions: HashMap<String, Session>,
    pub counter: u64,
    /// Passport logins by `uamtk`.
    pub uamtks: HashMap<String, PassportLogin>,
    pub apptks: HashMap<String, String>,
    pub qrs: Vec<Qr>,
    pub orders: Vec<Order>,
    pub cancels: HashMap<(String, String), u32>,
    pub releases: Vec<PendingRelease>,
    pub faults: Vec<ActiveFault>,
    pub records: Records,
    pub query_times: VecDeque<i64>,
    pub blocked_until: i64,
    /// Whether the scenario's session expiry has happened (it happens once).
    pub expiry_fired: bool,
    /// The scenario's sale opening.
    pub opening: Option<Opening>,
}

impl World {
    /// A fresh world (no sessions, no orders) for `seed`.
    pub fn new(seed: u64) -> World {
        World {
            seed,
            clock: Clock::default(),
            rng: Rng::new(seed),
            trains: timetable::build(),
            inventory: Inventory::new(seed),
            scenario: Scenario::default(),
            scenario_t0: 0,
            secret_epoch: 0,
            sessions: HashMap::new(),
            counter: 0,
            uamtks: HashMap::new(),
            apptks: HashMap::new(),
            qrs: Vec::new(),
            orders: Vec::new(),
            cancels: HashMap::new(),
            releases: Vec::new(),
            faults: Vec::new(),
            records: Records::default(),
            query_times: VecDeque::new(),
            blocked_until: 0,
            expiry_fired: false,
            opening: None,
        }
    }

    /// Back to the initial state (keeps the clock offset, the seed and the request log's sequence).
    pub fn reset(&mut self) {
        let seed = self.seed;
        let clock = self.clock.clone();
        let epoch = self.secret_epoch + 1;
        let records = std::mem::take(&mut self.records);
        *self = World::new(seed);
        self.clock = clock;
        self.secret_epoch = epoch;
        self.records = records;
        self.records.clear();
    }

    /// Loads a scenario: resets the simulator state first, so a scenario always starts clean.
    pub fn load_scenario(&mut self, s: Scenario) {
        if let Some(seed) = s.seed {
            self.seed = seed;
        }
        self.reset();
        let now = self.clock.now_ms();
        self.scenario_t0 = now;
        for inv in &s.inventory {
            if let Some(seat) = seat_char(&inv.seat) {
                self.inventory.set(&inv.date, &inv.train, seat, inv.count);
            }
        }
        for r in &s.releases {
            if let Some(seat) = seat_char(&r.seat) {
                let at_ms = r
                    .at_ms
                    .unwrap_or(now.saturating_add(r.after_ms.unwrap_or(0)));
                self.releases.push(PendingRelease {
                    date: r.date.clone(),
                    train: r.train.clone(),
                    seat,
                    count: r.count,
                    at_ms,
                });
            }
        }
        if let Some(o) = &s.sale_opening {
            let at = o
                .at_ms
                .unwrap_or(now.saturating_add(o.after_ms.unwrap_or(0)));
            let at_ms =
                at.div_euclid(60_000) * 60_000 + if at.rem_euclid(60_000) > 0 { 60_000 } else { 0 };
            let date = o
                .date
                .as_deref()
                .and_then(Date::parse)
                .unwrap_or_else(|| Date::of_ms(at_ms).add_days(PRESALE_DAYS - 1));
            let mut seats: Vec<(char, i64)> = o
                .seats
                .iter()
                .filter_map(|(k, n)| Some((seat_char(k)?, *n)))
                .collect();
            seats.sort();
            let mut crowd = HashMap::new();
            for train in &o.trains {
                for (seat, n) in &seats {
                    self.inventory.set(&date.iso(), train, *seat, *n);
                    crowd.insert((train.clone(), *seat), Some(0));
                }
            }
            self.opening = Some(Opening {
                at_ms,
                date,
                trains: o.trains.clone(),
                seats,
                crowd_per_s: o.crowd_per_s,
                crowd,
            });
        }
        self.faults = s
            .faults
            .iter()
            .map(|f| ActiveFault {
                fault: f.clone(),
                added_ms: now,
                fired: 0,
            })
            .collect();
        self.scenario = s;
    }

    /// The next number of the world's running counter (ids, tokens).
    pub fn next_id(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// A fresh 32-hex token (globalRepeatSubmitToken, JSESSIONID material …).
    pub fn fresh_hex(&mut self, n: usize) -> String {
        let id = self.next_id();
        let r = self.rng.next_u64();
        rng::hex(self.seed, &["fresh", &id.to_string(), &r.to_string()], n)
    }

    /// The China-time date at `now`.
    pub fn today(&self, now: i64) -> Date {
        Date::of_ms(now)
    }

    /// The timetable entry of a train code.
    pub fn train(&self, code: &str) -> Option<&TrainDef> {
        self.trains.iter().find(|t| t.code == code)
    }

    /// The current query path, `leftTicket/queryX`.
    pub fn query_path(&self, now: i64) -> String {
        let mut path = self
            .scenario
            .query_path
            .clone()
            .unwrap_or_else(|| "queryG".into());
        let mut best: Option<i64> = None;
        for c in &self.scenario.query_path_changes {
            let at = c
                .at_ms
                .unwrap_or(self.scenario_t0.saturating_add(c.after_ms.unwrap_or(0)));
            if at <= now && best.is_none_or(|b| at >= b) {
                best = Some(at);
                path = c.path.clone();
            }
        }
        normalise_query_path(&path)
    }

    /// How long orders stay queued (scenario or default).
    pub fn queue_ms(&self) -> i64 {
        self.scenario.queue_ms.unwrap_or(DEFAULT_QUEUE_MS).max(0)
    }

    /// How long unpaid orders may wait (scenario or default).
    pub fn pay_window_ms(&self) -> i64 {
        self.scenario.pay_window_ms.unwrap_or(DEFAULT_PAY_WINDOW_MS)
    }

    /// How long a secretStr stays valid (scenario or default).
    pub fn secret_ttl_ms(&self) -> i64 {
        self.scenario.secret_ttl_ms.unwrap_or(DEFAULT_SECRET_TTL_MS)
    }

    /// Cancellations a day before booking is refused (scenario or default).
    pub fn cancel_limit(&self) -> u32 {
        self.scenario.cancel_limit.unwrap_or(DEFAULT_CANCEL_LIMIT)
    }

    /// Logged-in account of a session.
    pub fn account(&self, sid: &str) -> Option<String> {
        self.sessions.get(sid).and_then(|s| s.account.clone())
    }

    /// The session `sid`, created if new.
    pub fn session_mut(&mut self, sid: &str) -> &mut Session {
        self.sessions
            .entry(sid.to_string())
            .or_insert_with(|| Session {
                id: sid.to_string(),
                ..Session::default()
            })
    }

    /// Logs the session `sid` in for `account` at `now` (control API `/session`, uamauthclient); a lapsed
    /// session keeps its JSESSIONID.
    pub fn login_session(&mut self, sid: &str, account: &str, now: i64) {
        let s = self.session_mut(sid);
        s.account = Some(account.to_string());
        s.otn_active_ms = now;
        s.lapsed = false;
    }

    /// When the logged-in session `sid` lapses under the scenario's `otn_idle_ms` (None: not logged in, or
    /// no idle limit).
    pub fn otn_lapses_at(&self, sid: &str) -> Option<i64> {
        let idle = self.scenario.otn_idle_ms?;
        let s = self.sessions.get(sid)?;
        s.account.as_ref()?;
        Some(s.otn_active_ms.saturating_add(idle))
    }

    /// Logs the session out the way an idle `/otn` session ends: the login and the booking state (chosen
    /// train, order page) go, the JSESSIONID and the passport login stay. False when it was not logged in.
    pub fn lapse_session(&mut self, sid: &str) -> bool {
        match self.sessions.get_mut(sid) {
            Some(s) if s.account.is_some() => {
                s.account = None;
                s.chosen = None;
                s.page = None;
                s.lapsed = true;
                true
            }
            _ => false,
        }
    }

    /// Lapses the session `sid` if it has been idle for the scenario's `otn_idle_ms` by `now`.
    pub fn lapse_if_idle(&mut self, sid: &str, now: i64) {
        if self.otn_lapses_at(sid).is_some_and(|at| now >= at) {
            self.lapse_session(sid);
        }
    }

    /// Lapses every session idle for the scenario's `otn_idle_ms` by `now` (the control API's view).
    pub fn lapse_all_idle(&mut self, now: i64) {
        let due: Vec<String> = self
            .sessions
            .keys()
            .filter(|sid| self.otn_lapses_at(sid).is_some_and(|at| now >= at))
            .cloned()
            .collect();
        for sid in due {
            self.lapse_session(&sid);
        }
    }

    /// A request used the login of `sid` at `now`: its idle time starts again.
    pub fn touch_otn(&mut self, sid: &str, now: i64) {
        if let Some(s) = self.sessions.get_mut(sid) {
            if s.account.is_some() {
                s.otn_active_ms = now;
            }
        }
    }

    /// Makes a passport login for `account` at `now` and gives its `uamtk`.
    pub fn new_passport_login(&mut self, account: &str, now: i64) -> String {
        let tk = format!("{}h1h0", self.fresh_hex(34));
        self.uamtks.insert(
            tk.clone(),
            PassportLogin {
                account: account.to_string(),
                issued_ms: now,
            },
        );
        tk
    }

    /// When the passport login `uamtk` ends under the scenario's `passport_ttl_ms` (None: unlimited).
    pub fn passport_expires_at(&self, login: &PassportLogin) -> Option<i64> {
        self.scenario
            .passport_ttl_ms
            .map(|ttl| login.issued_ms.saturating_add(ttl))
    }

    /// The account of a passport login that is still valid at `now`.
    pub fn passport_account(&self, uamtk: &str, now: i64) -> Option<String> {
        let login = self.uamtks.get(uamtk)?;
        let alive = self.passport_expires_at(login).is_none_or(|end| now < end);
        alive.then(|| login.account.clone())
    }

    /// How long a new order stays out of 12306's own checks (scenario `order_visible_after_ms`, default 0).
    pub fn order_visible_after_ms(&self) -> i64 {
        self.scenario.order_visible_after_ms.unwrap_or(0).max(0)
    }

    /// Whether 12306's own checks (unfinished-order refusals, the order list, the queue) see `o` at `now`.
    pub fn is_visible(&self, o: &Order, now: i64) -> bool {
        now >= o.created_ms.saturating_add(self.order_visible_after_ms())
    }

    /// Open (queued or unpaid) order of an account that 12306's checks see at `now`.
    pub fn open_order(&self, account: &str, now: i64) -> Option<&Order> {
        self.orders
            .iter()
            .find(|o| o.account == account && o.is_open() && self.is_visible(o, now))
    }

    /// When the tickets of `train` on `date` go on sale, if the scenario's opening decides it.
    pub fn opening_of(&self, train: &str, date: Date) -> Option<i64> {
        let o = self.opening.as_ref()?;
        (o.date == date && o.trains.iter().any(|t| t == train)).then_some(o.at_ms)
    }

    /// The crowd of the opening buys every ticket it confirmed up to `until` (sim clock): a confirm at
    /// `at_ms + i·1000 / crowd_per_s` for i = 0, 1, … per (train, class), one ticket each, until the class is sold
    /// out.
    fn crowd_until(&mut self, until: i64) {
        let Some(o) = self.opening.as_mut() else {
            return;
        };
        if o.crowd_per_s <= 0.0 || until < o.at_ms {
            return;
        }
        let confirmed = ((until - o.at_ms) as f64 * o.crowd_per_s / 1000.0).floor() as i64 + 1;
        let date = o.date.iso();
        let mut buys: Vec<(String, char, i64)> = Vec::new();
        for ((train, seat), bought) in o.crowd.iter_mut() {
            if let Some(n) = bought {
                if confirmed > *n {
                    buys.push((train.clone(), *seat, confirmed - *n));
                    *n = confirmed;
                }
            }
        }
        for (train, seat, n) in buys {
            let Some(t) = self.train(&train).cloned() else {
                continue;
            };
            let left = self.inventory.left(&date, &t, seat).unwrap_or(0);
            self.inventory.add(&date, &t, seat, -n.min(left));
            if left <= n {
                if let Some(o) = self.opening.as_mut() {
                    o.crowd.insert((train, seat), None);
                }
            }
        }
    }

    /// Applies everything that happens with time: releases, queue results, payment deadlines, session expiry.
    pub fn tick(&mut self, now: i64) {
        if let Some(after) = self.scenario.session_expires_after_ms {
            if now >= self.scenario_t0.saturating_add(after) && !self.expiry_fired {
                self.expiry_fired = true;
                for s in self.sessions.values_mut() {
                    s.account = None;
                    s.chosen = None;
                    s.page = None;
                }
            }
        }
        let mut due = Vec::new();
        self.releases.retain(|r| {
            if r.at_ms <= now {
                due.push(r.clone());
                false
            } else {
                true
            }
        });
        for r in due {
            if let Some(t) = self.trains.iter().find(|t| t.code == r.train).cloned() {
                self.inventory.add(&r.date, &t, r.seat, r.count);
            }
        }
        // Orders and the opening crowd's purchases are seated in the order they were confirmed (the queue's
        // order), each once its queue time has passed.
        let mut due: Vec<usize> = (0..self.orders.len())
            .filter(|i| {
                self.orders[*i].status == OrderStatus::Queued && self.orders[*i].ready_ms <= now
            })
            .collect();
        due.sort_by_key(|i| self.orders[*i].created_ms);
        self.fulfil_waitlist(now);
        for i in due {
            self.crowd_until(self.orders[i].created_ms - 1);
            self.resolve_order(i, now);
        }
        self.crowd_until(now - self.queue_ms());
        for i in 0..self.orders.len() {
            if self.orders[i].status == OrderStatus::Unpaid && self.orders[i].pay_deadline_ms <= now
            {
                self.release_seats(i);
                self.orders[i].status = OrderStatus::Expired;
            }
        }
    }

    /// Takes the seats for a queued order, or fails it.
    fn resolve_order(&mut self, i: usize, now: i64) {
        if let Some(msg) = self.orders[i]
            .forced_fail
            .clone()
            .or_else(|| self.scenario.queue_fail_message.clone())
        {
            self.orders[i].status = OrderStatus::Failed(msg);
            return;
        }
        let (train, date) = (self.orders[i].train.clone(), self.orders[i].date.clone());
        if !self.take_tickets(i, &train, &date, None, true) {
            self.orders[i].status = OrderStatus::Failed("没有足够的票!".into());
            return;
        }
        self.orders[i].status = OrderStatus::Unpaid;
        self.orders[i].pay_deadline_ms = now.saturating_add(self.pay_window_ms());
    }

    /// Fulfils (兑现) the 候补 orders that tickets now allow, oldest first and before any direct order of
    /// the same moment (12306 serves its waitlist ahead of new buyers), and ends those past their deadline.
    fn fulfil_waitlist(&mut self, now: i64) {
        let mut due: Vec<usize> = (0..self.orders.len())
            .filter(|i| {
                self.orders[*i].status == OrderStatus::Waiting && self.orders[*i].ready_ms <= now
            })
            .collect();
        due.sort_by_key(|i| self.orders[*i].created_ms);
        for i in due {
            let Some(hb) = self.orders[i].hb.clone() else {
                continue;
            };
            if now >= hb.realize_limit_ms {
                self.orders[i].status = OrderStatus::Expired;
                continue;
            }
            for plan in &hb.plans {
                if self.take_tickets(
                    i,
                    &plan.train,
                    &plan.date,
                    Some(plan.seat),
                    hb.accept_standing,
                ) {
                    let pay_by = now.saturating_add(self.pay_window_ms());
                    let o = &mut self.orders[i];
                    o.train = plan.train.clone();
                    o.date = plan.date.clone();
                    o.from = plan.from.clone();
                    o.to = plan.to.clone();
                    o.status = OrderStatus::Unpaid;
                    o.pay_deadline_ms = pay_by;
                    if let Some(h) = o.hb.as_mut() {
                        h.fulfilled = true;
                    }
                    break;
                }
            }
        }
    }

    /// Takes every ticket of order `i` on `train`/`date` (all or nothing; `seat` replaces the tickets' class
    /// when given), with 无座 for the base class when `standing_ok`, and gives each its coach and seat, honouring
    /// the order's seat letters and berth counts. False (and nothing taken) when the tickets are not there.
    fn take_tickets(
        &mut self,
        i: usize,
        train: &str,
        date: &str,
        seat: Option<char>,
        standing_ok: bool,
    ) -> bool {
        let Some(t) = self.train(train).cloned() else {
            return false;
        };
        let order = self.orders[i].clone();
        let class_of = |tk: &OrderTicket| seat.unwrap_or(tk.req.seat);
        let mut need: Vec<(char, i64)> = Vec::new();
        for tk in &order.tickets {
            match need.iter_mut().find(|(c, _)| *c == class_of(tk)) {
                Some((_, n)) => *n += 1,
                None => need.push((class_of(tk), 1)),
            }
        }
        // Plan first (all or nothing), then take.
        let mut plan: Vec<(char, i64, i64)> = Vec::new(); // seat, seated, standing
        for (seat, n) in &need {
            let left = self.inventory.left(date, &t, *seat).unwrap_or(0);
            if left >= *n {
                plan.push((*seat, *n, 0));
            } else if standing_ok && *seat == t.base_class() && t.standing {
                let standing = self.inventory.left(date, &t, STANDING).unwrap_or(0);
                if left + standing >= *n {
                    plan.push((*seat, left, *n - left));
                } else {
                    return false;
                }
            } else {
                return false;
            }
        }
        for (seat, seated, standing) in &plan {
            self.inventory.add(date, &t, *seat, -seated);
            if *standing > 0 {
                self.inventory.add(date, &t, STANDING, -standing);
            }
        }
        let mut left_seated: HashMap<char, i64> = plan.iter().map(|(s, n, _)| (*s, *n)).collect();
        let h = rng::hash(self.seed, &["seats", &order.id]);
        let choice = order.choice.clone();
        let mut berths = BerthPlan::new(choice.berths);
        for (k, tk) in self.orders[i].tickets.iter_mut().enumerate() {
            if let Some(s) = seat {
                tk.req.seat = s;
            }
            let seated = left_seated.get_mut(&tk.req.seat).map(|n| {
                *n -= 1;
                *n >= 0
            });
            let coach = 1 + (h % 8) as usize;
            tk.coach = format!("{coach:02}");
            tk.price_x10 = t.class(tk.req.seat).map(|c| c.price_x10).unwrap_or(0);
            if seated != Some(true) {
                tk.seat_no = "无座".into();
                tk.standing = true;
                continue;
            }
            tk.standing = false;
            let base_row = 1 + ((h >> 8) % 15) as usize;
            if is_sleeper(tk.req.seat) {
                let berth = berths.next(tk.req.seat, k);
                tk.seat_no = format!("{:03}号{}", base_row * 4 + k, berth);
            } else if let Some((row, letter)) = choice.seats.get(k) {
                tk.seat_no = format!("{:02}{letter}", base_row + usize::from(*row) - 1);
            } else {
                let row = base_row + k / 5;
                let letter = ["A", "B", "C", "D", "F"].get(k % 5).copied().unwrap_or("A");
                tk.seat_no = format!("{row:02}{letter}");
            }
        }
        true
    }

    /// Gives back the seats of an unpaid order.
    pub fn release_seats(&mut self, i: usize) {
        let order = self.orders[i].clone();
        if order.status != OrderStatus::Unpaid {
            return;
        }
        if let Some(t) = self.train(&order.train).cloned() {
            for tk in &order.tickets {
                let seat = if tk.standing { STANDING } else { tk.req.seat };
                self.inventory.add(&order.date, &t, seat, 1);
            }
        }
    }

    /// Finds an active fault for `step`, consuming one use; the RNG is only drawn for probabilistic faults.
    pub fn take_fault(&mut self, step: &str, now: i64) -> Option<Fault> {
        for i in 0..self.faults.len() {
            let af = &self.faults[i];
            let f = &af.fault;
            if f.step != step && f.step != "*" {
                continue;
            }
            if f.times.is_some_and(|t| af.fired >= t) {
                continue;
            }
            if f.after_ms
                .is_some_and(|a| now < af.added_ms.saturating_add(a))
                || f.until_ms
                    .is_some_and(|u| now >= af.added_ms.saturating_add(u))
            {
                continue;
            }
            let p = f.probability;
            let fire = p >= 1.0 || (p > 0.0 && self.rng.unit() < p);
            if fire {
                self.faults[i].fired += 1;
                return Some(self.faults[i].fault.clone());
            }
        }
        None
    }

    /// Counts one ticket query against the rate limit; true when this request is (now) blocked. While blocked,
    /// the `error_page` answer blocks every `/otn` request, the `text` answer only the queries.
    pub fn rate_limited(&mut self, now: i64, is_query: bool) -> bool {
        if now < self.blocked_until {
            return is_query || self.rate_limit_answer() == RateLimitAnswer::ErrorPage;
        }
        let Some(rl) = self.scenario.rate_limit.clone() else {
            return false;
        };
        if !is_query {
            return false;
        }
        self.query_times.push_back(now);
        while self
            .query_times
            .front()
            .is_some_and(|t| *t <= now.saturating_sub(rl.window_ms))
        {
            self.query_times.pop_front();
        }
        if self.query_times.len() > rl.max_queries {
            self.blocked_until = now.saturating_add(rl.block_ms);
            self.query_times.clear();
            return true;
        }
        false
    }

    /// How the scenario's rate limit answers a blocked request.
    pub fn rate_limit_answer(&self) -> RateLimitAnswer {
        self.scenario
            .rate_limit
            .as_ref()
            .map_or(RateLimitAnswer::ErrorPage, |rl| rl.answer)
    }
}

/// Seat code from the control API / scenario: one of the class codes, or `W` for 无座.
pub fn seat_char(s: &str) -> Option<char> {
    let mut it = s.chars();
    let c = it.next()?;
    (it.next().is_none() && (c.is_ascii_alphanumeric())).then_some(c)
}

/// Sleeper classes: their tickets are berths (下铺/中铺/上铺), chosen by `seatDetailType`.
pub fn is_sleeper(code: char) -> bool {
    matches!(code, '3' | '4' | '5' | '6' | 'A' | 'F' | 'I' | 'J')
}

/// Whether a sleeper class has middle berths (硬卧-type compartments of six); the others have four.
pub fn has_middle_berth(code: char) -> bool {
    matches!(code, '3' | '5' | 'J')
}

/// Hands out berths: first the counts asked for (下, 中, 上), then by position in the compartment.
struct BerthPlan {
    left: [u8; 3],
}

impl BerthPlan {
    fn new(asked: [u8; 3]) -> BerthPlan {
        BerthPlan { left: asked }
    }

    fn next(&mut self, class: char, k: usize) -> &'static str {
        const NAMES: [&str; 3] = ["下铺", "中铺", "上铺"];
        if let Some(j) = (0..3).find(|j| self.left[*j] > 0) {
            self.left[j] -= 1;
            return NAMES[j];
        }
        if has_middle_berth(class) {
            NAMES[k % 3]
        } else {
            [NAMES[0], NAMES[2]][k % 2]
        }
    }
}
