//! The opening of a sale, on 12306's clock (ARCHITECTURE.md §1.1 "The opening"; PROTOCOL.md §1.1 #1, §3.5, §7).
//!
//! The machine learns when the task's trains open from the query answer — a row that is not on sale yet (the
//! `起售` button, or `IS_TIME_NOT_BUY` with `*` cells) carries its opening in field 55 (`YYYYMMDDHHMM`, Beijing
//! time) and in its button text (`14点30分起售`) — or, when 12306 refuses the date (`不在预售日期范围内`), from
//! the pre-sale window: a date opens `N − 1` days before it (`N` = login/conf `other_control`, 15 in
//! 2024–2026) at the station's daily sale clock, which any row's field 55 tells (a query of the newest date on
//! sale is sent for it when no row of the route was seen yet).
//!
//! While none of the task's trains is on sale the machine queries nothing: it waits (step `saleWait`,
//! `status().opensAt`), checks the booking session in the last [`SESSION_WATCH_MS`] when it was last seen
//! valid [`KEEPALIVE_MS`] ago, and from [`WARMUP_MS`] before the opening warms up: checkUser (renewed silently
//! if lapsed), then a few login/conf requests that refresh the query path and the window and read 12306's
//! clock (`clock.rs`). The first query is sent so that it reaches 12306 just after the opening — half a round
//! trip early, plus the clock's error bound so that it is never early on 12306's clock — and the queries then
//! go every [`BURST_GAP_MS`] for [`BURST_MS`], at most [`BURST_MAX_QUERIES`] (the pace rule's one exception,
//! once per opening, inside the request budget), then at the task's interval.
//!
//! **Several dates**: each travel date has its own plan ([`DatePlan`]): its opening, whether it waits for it, or
//! whether it is past. The dates on sale are queried in turn in the task's order (one query per interval overall,
//! the pace rule is the machine's); a date that waits for its opening (its rows not on sale yet, or outside the
//! pre-sale window) is not queried until then. The machine's single plan (`Sale::opens_at`…) is the earliest
//! opening among the dates, and the task waits only when every date waits. The burst of an opening queries only
//! the date that opens.

use serde::{Deserialize, Serialize};

use super::{Booking, Event, NeedsUser, Step, KEEPALIVE_MS};
use crate::outcome::{steps, NextStep, Outcome};
use crate::query::{parse_query, QueryAnswer};
use crate::server_time::{
    beijing_day, beijing_midnight_ms, beijing_minute_text, conf_times, date_days, day_date,
};
use crate::train::{Availability, CanWebBuy, Train};

/// The warm-up starts this long before the opening (host clock).
pub const WARMUP_MS: u64 = 60_000;
/// While waiting, the booking session is checked (when last seen valid [`KEEPALIVE_MS`] ago) only within this
/// time before the opening: earlier checks would cost requests for hours, and a lapsed session is renewed at
/// the warm-up anyway; this leaves time to log in again when the passport login is gone too.
pub const SESSION_WATCH_MS: u64 = 10 * 60_000;
/// How long the opening's faster pace lasts, from the first query.
pub const BURST_MS: u64 = 10_000;
/// Time between queries during the burst (send to send).
pub const BURST_GAP_MS: u64 = 500;
/// Queries the burst may send at most, the first included: with a whole order attempt (9 requests) they stay
/// inside [`super::REQUEST_BUDGET`].
pub const BURST_MAX_QUERIES: u32 = 20;
/// Clock probes (login/conf) a warm-up sends at most.
pub const MAX_CLOCK_PROBES: u32 = 8;
/// Clock probes a warm-up sends at least, so that one odd answer is outvoted.
const MIN_CLOCK_PROBES: u32 = 2;
/// The warm-up stops probing once the error bound is this small, or within 5 ms of half the shortest round trip
/// (what readings over that route can reach).
const CLOCK_GOAL_MS: u64 = 25;
/// Clock probes are at least this far apart.
const PROBE_GAP_MS: u64 = 100;
/// The first query is delayed by the clock's error bound (so that it is not early on 12306's clock), but by no
/// more than this: with a worse bound, arriving a little early costs one burst gap, arriving late costs more.
const MAX_GUARD_MS: u64 = 100;
/// Added to the guard.
const ARRIVAL_MARGIN_MS: u64 = 5;
/// The pre-sale window when login/conf has not said (15 days in 2024–2026, PROTOCOL.md §7).
pub const DEFAULT_PRESALE_DAYS: u32 = 15;
/// A date refused although the window should hold it is asked again this long after (login/conf first).
const WINDOW_RETRY_MS: u64 = 60_000;

/// What the machine knows about one travel date's sale.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct DatePlan {
    /// The travel date `YYYY-MM-DD`.
    pub(super) date: String,
    /// Its next opening on 12306's clock.
    pub(super) opens_at: Option<u64>,
    /// The opening's minute is known; else only its day.
    pub(super) exact: bool,
    /// Where `opens_at` comes from (`row`, `button`, `window`, `windowDay`).
    pub(super) source: String,
    /// The train of the opening, when a row told.
    pub(super) train: Option<String>,
    /// None of the task's trains is on sale on this date: it is not queried before its opening.
    pub(super) waiting: bool,
    /// The date is past: never queried again.
    pub(super) over: bool,
}

/// What the machine knows and plans about the task's sale opening (serialised with the machine).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct Sale {
    /// Each travel date's plan (the dates queried so far, or planned).
    pub(super) dates: Vec<DatePlan>,
    /// The date of the planned opening (`opens_at`).
    pub(super) date: Option<String>,
    /// The dates whose opening the burst is for (their opening is the burst's, or passed before it): the burst
    /// queries only them, in turn.
    pub(super) burst_dates: Vec<String>,
    /// The date 12306 refused as outside the pre-sale window, while its plan is being made.
    pub(super) window_date: Option<String>,
    /// A date to query next before the others (its opening day has come).
    pub(super) next_date: Option<String>,
    /// The next opening of the task's trains on 12306's clock.
    pub(super) opens_at: Option<u64>,
    /// The opening's minute is known; else only its day (the machine looks again at its midnight).
    pub(super) exact: bool,
    /// Where `opens_at` comes from (`row`, `button`, `window`, `windowDay`).
    pub(super) source: String,
    /// The train of the opening, when a row told.
    pub(super) train: Option<String>,
    /// None of the task's trains is on sale: nothing is queried before the opening.
    pub(super) waiting: bool,
    /// The station's daily sale clock (minutes after Beijing midnight), from the rows' field 55.
    pub(super) station_clock: Option<u16>,
    /// login/conf's pre-sale window for the task's purpose.
    pub(super) presale_days: Option<u32>,
    /// login/conf was read since the last refusal of the date.
    pub(super) conf_read: bool,
    /// A `不在预售日期范围内` waits for login/conf to be planned.
    pub(super) window_pending: bool,
    /// The query for the station clock was sent.
    pub(super) probed: bool,
    /// The opening whose warm-up is done.
    pub(super) warmed_for: Option<u64>,
    /// Clock probes of the current warm-up.
    pub(super) clock_probes: u32,
    /// A warm-up is under way (its clock probes are timed and counted).
    pub(super) warming: bool,
    /// The one reading taken when an opening is first planned was asked for (whatever it gave).
    pub(super) first_reading: bool,
    /// The opening whose burst started (a burst happens once per opening).
    pub(super) burst_for: Option<u64>,
    /// When that burst ends (host clock).
    pub(super) burst_until: Option<u64>,
    /// Queries that burst has sent.
    pub(super) burst_queries: u32,
}

/// True when a row says its train/date is not on sale yet: the `起售` button, or `IS_TIME_NOT_BUY` with `*` cells
/// (PROTOCOL.md §3.5 fields 1, 11, 20–33). The maintenance window's `IS_TIME_NOT_BUY` has another text.
fn not_yet(t: &Train) -> bool {
    !t.is_bookable()
        && (t.button_sale_time().is_some()
            || (t.can_web_buy == CanWebBuy::NotYet
                && t.seats
                    .iter()
                    .any(|c| c.availability == Availability::NotYetOnSale)))
}

/// When a row that is not on sale yet opens, on 12306's clock: its field 55 (the minute, with its date), else its
/// `起售` text read against 12306's present (`server_now`).
fn opening_of(t: &Train, server_now: u64) -> Option<(u64, &'static str)> {
    if !not_yet(t) {
        return None;
    }
    let row = t
        .sale_time
        .and_then(|s| u64::try_from(s.epoch_ms()).ok())
        .map(|ms| (ms, "row"));
    row.or_else(|| {
        let now = i64::try_from(server_now).unwrap_or(i64::MAX);
        t.button_sale_time()
            .and_then(|b| u64::try_from(b.epoch_ms(now)).ok())
            .map(|ms| (ms, "button"))
    })
}

/// Minutes after midnight of a row's field 55.
fn clock_of(t: &Train) -> Option<u16> {
    t.sale_time
        .map(|s| u16::from(s.hour) * 60 + u16::from(s.minute))
}

/// `ms` shifted by `offset`, saturating at the ends of u64.
fn shift(ms: u64, offset: i64) -> u64 {
    if offset >= 0 {
        ms.saturating_add(offset.unsigned_abs())
    } else {
        ms.saturating_sub(offset.unsigned_abs())
    }
}

impl Booking {
    /// 12306's clock minus the host's: the recent readings' estimate, else the last one (a wait of hours keeps
    /// what was measured when it began; the warm-up measures again), else 0 (the host's clock as it is).
    fn offset(&self, now: u64) -> i64 {
        self.clock
            .estimate(now)
            .or_else(|| self.clock.latest_estimate())
            .map_or(0, |e| e.offset_ms)
    }

    /// 12306's time at host time `now`.
    pub(super) fn server_now(&self, now: u64) -> u64 {
        shift(now, self.offset(now))
    }

    /// The host time of a 12306 time.
    fn local_of(&self, server_ms: u64, now: u64) -> u64 {
        shift(server_ms, -self.offset(now))
    }

    /// True while the opening's burst lets queries go at [`BURST_GAP_MS`].
    pub(super) fn in_burst(&self, now: u64) -> bool {
        self.sale.burst_until.is_some_and(|until| now < until)
            && self.sale.burst_queries < BURST_MAX_QUERIES
    }

    /// Reads what a query answer for `date` says about sale times: the station's sale clock, and the earliest
    /// opening among the task's trains that are not on sale yet; the date waits when none of them is on sale.
    /// True when the machine's plan changed (then [`Booking::announce_sale`] tells the user).
    pub(super) fn learn_sale(&mut self, trains: &[Train], date: &str, now: u64) -> bool {
        let server_now = self.server_now(now);
        // Without any reading of 12306's clock an opening that looks due may only look so (a host clock minutes
        // ahead): it is planned all the same, and the gate's first reading tells.
        let measured = self.clock.latest_estimate().is_some();
        let named = super::choose::named(trains, &self.task);
        let mut next: Option<(u64, &'static str, String)> = None;
        let mut on_sale = false;
        for t in &named {
            if let Some(c) = clock_of(t) {
                self.sale.station_clock = Some(self.sale.station_clock.map_or(c, |s| s.min(c)));
            }
            match opening_of(t, server_now) {
                Some((at, source)) => {
                    // An opening that is due but not shown yet (12306 a moment late, or our query a moment
                    // early) is neither waited for nor on sale: the query goes on at its pace.
                    let ahead = at > server_now || !measured;
                    if ahead && next.as_ref().is_none_or(|(n, ..)| at < *n) {
                        next = Some((at, source, t.code.clone()));
                    }
                }
                None => on_sale = true,
            }
        }
        self.sale.window_pending = false;
        let plan = self.plan_mut(date);
        match next {
            Some((at, source, train)) => {
                plan.opens_at = Some(at);
                plan.exact = true;
                plan.source = source.to_owned();
                plan.train = Some(train);
                plan.waiting = !on_sale;
            }
            None => {
                plan.opens_at = None;
                plan.waiting = false;
            }
        }
        self.replan()
    }

    /// The plan of `date`, made when missing. A machine saved before several dates existed has only the
    /// single plan: it becomes the task's date's.
    fn plan_mut(&mut self, date: &str) -> &mut DatePlan {
        if self.sale.dates.is_empty() && self.sale.opens_at.is_some() {
            self.sale.dates.push(DatePlan {
                date: self.task.date.clone(),
                opens_at: self.sale.opens_at,
                exact: self.sale.exact,
                source: self.sale.source.clone(),
                train: self.sale.train.clone(),
                waiting: self.sale.waiting,
                over: false,
            });
        }
        let at = match self.sale.dates.iter().position(|p| p.date == date) {
            Some(at) => at,
            None => {
                self.sale.dates.push(DatePlan {
                    date: date.to_owned(),
                    ..DatePlan::default()
                });
                self.sale.dates.len() - 1
            }
        };
        &mut self.sale.dates[at]
    }

    /// The plan of `date`, if any.
    pub(super) fn plan_of(&self, date: &str) -> Option<&DatePlan> {
        self.sale.dates.iter().find(|p| p.date == date)
    }

    /// Whether `date` may be queried now: not past, and not waiting for its opening.
    fn queryable(&self, date: &str) -> bool {
        self.plan_of(date).is_none_or(|p| !p.over && !p.waiting)
    }

    /// The machine's plan from the dates': the earliest opening among them (the first date in the task's order
    /// on a tie), waiting when no date may be queried. True when it changed.
    fn replan(&mut self) -> bool {
        let dates = self.task.travel_dates();
        let next = dates
            .iter()
            .filter_map(|d| self.plan_of(d))
            .filter(|p| !p.over)
            .filter_map(|p| p.opens_at.map(|at| (at, p)))
            .min_by_key(|(at, _)| *at)
            .map(|(_, p)| p.clone());
        let waiting = !dates.iter().any(|d| self.queryable(d));
        let Some(p) = next else {
            let changed = self.sale.opens_at.is_some() || self.sale.waiting;
            self.sale.opens_at = None;
            self.sale.date = None;
            self.sale.waiting = false;
            return changed;
        };
        let changed = self.sale.opens_at != p.opens_at
            || self.sale.waiting != waiting
            || self.sale.exact != p.exact
            || self.sale.date.as_deref() != Some(p.date.as_str());
        self.sale.opens_at = p.opens_at;
        self.sale.exact = p.exact;
        self.sale.source = p.source;
        self.sale.train = p.train;
        self.sale.date = Some(p.date);
        self.sale.waiting = waiting;
        changed
    }

    /// The travel date of the next query: during a burst the dates that open (in turn), a date whose opening
    /// day has come, else the next date after the last one queried (in the task's order, round) that may be
    /// queried.
    pub(super) fn pick_query_date(&mut self, now: u64) -> String {
        let dates = self.task.travel_dates();
        let start = self
            .query_date
            .as_ref()
            .and_then(|last| dates.iter().position(|d| d == last))
            .map_or(0, |i| i + 1);
        let round = |ok: &dyn Fn(&String) -> bool| {
            (0..dates.len())
                .map(|k| &dates[(start + k) % dates.len()])
                .find(|d| ok(d))
                .cloned()
        };
        if self.in_burst(now) {
            if let Some(d) = round(&|d| self.sale.burst_dates.contains(d)) {
                return d;
            }
        }
        if let Some(d) = self.sale.next_date.take().filter(|d| dates.contains(d)) {
            return d;
        }
        round(&|d| self.queryable(d))
            .or_else(|| dates.first().cloned())
            .unwrap_or_else(|| self.task.date.clone())
    }

    /// The dates waiting for their sale, with their openings (12306's clock, the host's), in the task's order.
    pub(super) fn waiting_dates(&self) -> Vec<(String, u64, u64)> {
        let offset = self.clock.latest_estimate().map_or(0, |e| e.offset_ms);
        self.task
            .travel_dates()
            .iter()
            .filter_map(|d| self.plan_of(d))
            .filter(|p| p.waiting && !p.over)
            .filter_map(|p| {
                p.opens_at
                    .map(|at| (p.date.clone(), at, shift(at, -offset)))
            })
            .collect()
    }

    /// Tells the user about the planned opening (event `saleWait`).
    pub(super) fn announce_sale(&mut self, now: u64) {
        let Some(at) = self.sale.opens_at else {
            return;
        };
        let when = beijing_minute_text(at);
        let date = self
            .sale
            .date
            .clone()
            .unwrap_or_else(|| self.task.date.clone());
        // With several dates the train is named with its date.
        let who = match (&self.sale.train, self.task.travel_dates().len() > 1) {
            (Some(train), true) => format!("{date} {train}"),
            (Some(train), false) => train.clone(),
            (None, _) => date.clone(),
        };
        let message = if !self.sale.exact {
            let day = when.split_once(' ').map_or(when.as_str(), |(d, _)| d);
            format!("{date} 的车票 {day} 起进入预售期，届时查询开售时刻")
        } else if self.sale.waiting {
            format!("{who} {when} 起售：开售前 1 分钟校准 12306 时钟，开售时立即查询")
        } else {
            format!("{who} {when} 起售：届时加快查询")
        };
        self.last_message = message.clone();
        self.events.push_back(Event::SaleWait {
            opens_at: at,
            opens_at_local: self.local_of(at, now),
            train: self.sale.train.clone(),
            source: self.sale.source.clone(),
            message,
        });
    }

    /// The query for `date` was refused with `不在预售日期范围内`: the date is planned from the pre-sale window
    /// (login/conf read first), never retried at the interval.
    pub(super) fn on_not_on_sale(&mut self, outcome: Outcome, date: String, now: u64) {
        self.note_problem(&outcome);
        self.sale.window_date = Some(date);
        if !self.sale.conf_read {
            self.sale.window_pending = true;
            self.step = Step::LoginConf;
            self.next_at = now;
            return;
        }
        self.plan_window(now);
    }

    /// What login/conf says about the window (its clock reading is taken in `handle`).
    pub(super) fn note_conf(&mut self, body: &str) {
        let times = conf_times(body);
        let days = if self.task.purpose == "0X00" {
            times.student_presale_days
        } else {
            times.presale_days
        };
        if days.is_some() {
            self.sale.presale_days = days;
        }
        self.sale.conf_read = true;
    }

    /// Plans a date 12306 refused: it opens `N − 1` days before it, at the station's sale clock (a query of the
    /// newest date on sale reads that clock when no row told it yet; failing that, the machine looks again at
    /// the opening day's midnight). A past date pauses the task; a date the window should already hold is asked
    /// again a minute later.
    pub(super) fn plan_window(&mut self, now: u64) {
        self.sale.window_pending = false;
        let today = beijing_day(self.server_now(now));
        let date = self
            .sale
            .window_date
            .clone()
            .unwrap_or_else(|| self.task.date.clone());
        let Some(day) = date_days(&date) else {
            return self.retry_window(now);
        };
        if day < today {
            // A past date is left out; the task pauses only when every date is past.
            self.plan_mut(&date).over = true;
            let dates = self.task.travel_dates();
            let all_over = dates
                .iter()
                .all(|d| self.plan_of(d).is_some_and(|p| p.over));
            if all_over {
                let message = format!("{} 已过，12306 不再发售该日车票", dates.join("、"));
                return self.pause(NeedsUser::Refused {
                    reason: "dateOver".into(),
                    message,
                });
            }
            let message = format!("{date} 已过，不再查询该日期");
            self.last_message = message.clone();
            self.events.push_back(Event::Problem {
                reason: "dateOver".into(),
                message,
            });
            self.replan();
            return self.query_or_wait(now);
        }
        let days = i64::from(
            self.sale
                .presale_days
                .unwrap_or(DEFAULT_PRESALE_DAYS)
                .max(1),
        );
        let opening_day = day - (days - 1);
        if opening_day <= today {
            return self.retry_window(now);
        }
        let (at, exact, source) = match self.sale.station_clock {
            Some(minutes) => (
                beijing_midnight_ms(opening_day) + u64::from(minutes) * 60_000,
                true,
                "window",
            ),
            None if !self.sale.probed => {
                self.step = Step::SaleProbe;
                self.next_at = now;
                return;
            }
            None => (beijing_midnight_ms(opening_day), false, "windowDay"),
        };
        let plan = self.plan_mut(&date);
        plan.opens_at = Some(at);
        plan.exact = exact;
        plan.source = source.to_owned();
        plan.train = None;
        plan.waiting = true;
        let planned = self.replan();
        if planned {
            self.announce_sale(now);
        }
        self.query_or_wait(now);
    }

    /// Refused although the window should hold the date: 12306 counts otherwise (a changed window): login/conf
    /// is read again before the next try, a minute later.
    fn retry_window(&mut self, now: u64) {
        self.sale.conf_read = false;
        self.step = Step::Query;
        self.next_at = now.saturating_add(WINDOW_RETRY_MS.max(self.task.interval()));
    }

    /// The date of the station-clock query: the newest date on sale.
    pub(super) fn probe_date(&self, now: u64) -> String {
        let days = i64::from(
            self.sale
                .presale_days
                .unwrap_or(DEFAULT_PRESALE_DAYS)
                .max(1),
        );
        day_date(beijing_day(self.server_now(now)) + days - 1)
    }

    /// The answer to the station-clock query (`None`: no usable answer): the clock of the task's trains, else
    /// of any train of the route; then the refused date is planned.
    pub(super) fn on_sale_probe(&mut self, body: Option<&str>, now: u64) {
        self.sale.probed = true;
        if let Some(Ok(QueryAnswer::Trains { trains, .. })) = body.map(parse_query) {
            let named = super::choose::named(&trains, &self.task);
            let clock = if named.is_empty() {
                trains.iter().filter_map(clock_of).min()
            } else {
                named.iter().filter_map(|t| clock_of(t)).min()
            };
            if clock.is_some() {
                self.sale.station_clock = clock;
            }
        }
        self.plan_window(now);
    }

    /// checkUser of the warm-up answered: a lost session is renewed (then checked again), anything else goes on
    /// to reading the passengers (unless read lately), then the clock probes.
    pub(super) fn on_warm_up(&mut self, body: &str, now: u64) {
        let outcome = steps::check_user(body);
        if outcome.next == NextStep::Login {
            return self.react(Step::WarmUp, outcome, now);
        }
        self.session_ok_at = now;
        if outcome.is_ok() {
            self.session_verified_at = Some(now);
        }
        self.sale.clock_probes = 0;
        self.sale.warming = true;
        let fresh = self
            .early_passengers
            .as_ref()
            .is_some_and(|(at, _)| now.saturating_sub(*at) <= super::PASSENGERS_REUSE_MS / 2);
        if !fresh {
            // Read now, the opening's order skips its getPassengerDTOs (ARCHITECTURE §1.1 "No wasted round
            // trip"); the clock probes follow its answer.
            self.step = Step::ReadPassengers;
            self.next_at = now;
            self.events.push_back(Event::Step {
                step: super::react::step_name(Step::ReadPassengers),
                message: Step::ReadPassengers.label().to_owned(),
            });
            return;
        }
        self.step = Step::ClockProbe;
        self.next_at = now;
        self.events.push_back(Event::Step {
            step: super::react::step_name(Step::ClockProbe),
            message: Step::ClockProbe.label().to_owned(),
        });
    }

    /// A clock probe (login/conf) answered (`None`: failed; it still counts). Its reading was taken in
    /// `handle`; here the window and the query path are refreshed, and the next probe is timed — or the warm-up
    /// ends, when the estimate is as good as the route allows, the probes are used up, or the opening is near.
    pub(super) fn on_clock_probe(&mut self, body: Option<&str>, now: u64) {
        if let Some(body) = body {
            self.note_conf(body);
            if let Some(path) = crate::query_path::from_login_conf(body) {
                self.query_path = Some(path);
            }
        }
        let open = self.sale.opens_at.filter(|_| self.sale.exact);
        let Some(open) = open.filter(|_| self.sale.warming) else {
            // The first reading of a plan (or a plan that changed meanwhile): nothing to time.
            self.sale.warming = false;
            return self.query_or_wait(now);
        };
        self.sale.clock_probes += 1;
        let estimate = self.clock.estimate(now);
        let floor = self.clock.min_rtt(now).map_or(0, |r| r / 2) + 5;
        let good = estimate.is_some_and(|e| e.error_ms <= floor.max(CLOCK_GOAL_MS));
        let probes = self.sale.clock_probes;
        let next = self
            .clock
            .next_probe_at(now, now.saturating_add(PROBE_GAP_MS));
        let first = self.first_query_at(open, now);
        let done = probes >= MAX_CLOCK_PROBES
            || (probes >= MIN_CLOCK_PROBES && (good || estimate.is_none()))
            || next.saturating_add(2 * PROBE_GAP_MS) >= first;
        if !done {
            self.step = Step::ClockProbe;
            self.next_at = next;
            return;
        }
        self.sale.warmed_for = Some(open);
        self.sale.warming = false;
        if let Some(e) = estimate {
            let ahead = if e.offset_ms >= 0 { "快" } else { "慢" };
            let message = format!(
                "12306 时钟比本机{ahead} {:.3} 秒（±{} 毫秒，{} 次读数）",
                e.offset_ms.unsigned_abs() as f64 / 1000.0,
                e.error_ms,
                e.readings
            );
            self.last_message = message.clone();
            self.events.push_back(Event::Clock {
                offset_ms: e.offset_ms,
                error_ms: e.error_ms,
                readings: e.readings,
                message,
            });
        }
        self.query_or_wait(now);
    }

    /// Back to the query, with the sale's say at once: a status read now shows the wait (`saleWait`, its
    /// `nextTryAt`) rather than a query that is about to be held back.
    pub(super) fn query_or_wait(&mut self, now: u64) {
        self.step = Step::Query;
        self.next_at = now;
        if !self.in_flight && self.order_id.is_none() {
            self.sale_gate(now);
        }
    }

    /// When the first query after `open` (12306's clock) should leave the host: so that it reaches 12306 just
    /// after the opening (half the shortest round trip early, the clock's error bound late).
    fn first_query_at(&self, open: u64, now: u64) -> u64 {
        let estimate = self.clock.estimate(now);
        let half_trip = self.clock.min_rtt(now).unwrap_or(0) / 2;
        let guard = estimate.map_or(0, |e| e.error_ms.min(MAX_GUARD_MS) + ARRIVAL_MARGIN_MS);
        self.local_of(open, now)
            .saturating_sub(half_trip)
            .saturating_add(guard)
    }

    /// The sale's say over a query that is due (step `query` or `saleWait`): wait for the opening, warm up,
    /// check the session, or let the query go (starting the burst at the opening). True when it changed the step
    /// or the time (the poll loop looks again); false when the query may go now.
    pub(super) fn sale_gate(&mut self, now: u64) -> bool {
        let Some(open) = self.sale.opens_at else {
            self.step = Step::Query;
            return false;
        };
        let open_local = self.local_of(open, now);
        if !self.sale.exact {
            if now < open_local {
                return self.sale_wait(open_local);
            }
            // The opening day has come: a plain query of that date tells the minute.
            if let Some(date) = self.sale.date.clone() {
                let plan = self.plan_mut(&date);
                plan.opens_at = None;
                plan.waiting = false;
                self.sale.next_date = Some(date);
            }
            self.replan();
            self.step = Step::Query;
            return false;
        }
        if self.sale.burst_for == Some(open) {
            self.step = Step::Query;
            return false;
        }
        if !self.sale.first_reading {
            // Nothing says yet how far the host's clock is from 12306's, and everything below is timed by it:
            // one login/conf first (a host clock minutes off would warm up after the opening, or take a
            // future opening for a past one).
            self.sale.first_reading = true;
            if self.clock.latest_estimate().is_none() {
                self.step = Step::ClockProbe;
                self.next_at = now;
                return true;
            }
        }
        let first = self.first_query_at(open, now);
        if now >= first {
            self.start_burst(open, now);
            self.step = Step::Query;
            return false;
        }
        let warmed = self.sale.warmed_for == Some(open);
        let warm_from = open_local.saturating_sub(WARMUP_MS);
        if !warmed && now >= warm_from {
            self.step = Step::WarmUp;
            self.next_at = now;
            self.events.push_back(Event::Step {
                step: super::react::step_name(Step::WarmUp),
                message: Step::WarmUp.label().to_owned(),
            });
            return true;
        }
        if warmed {
            return self.sale_wait(first);
        }
        if !self.sale.waiting {
            // Some of the task's trains are on sale: their queries go on at the interval until the warm-up.
            self.step = Step::Query;
            return false;
        }
        let watch_from = open_local.saturating_sub(SESSION_WATCH_MS);
        let check_due = self.session_ok_at.saturating_add(KEEPALIVE_MS);
        if now >= watch_from && now >= check_due {
            // The keep-alive answer goes back to the query, and so to this gate.
            self.step = Step::KeepAlive;
            self.next_at = now;
            return true;
        }
        self.sale_wait(warm_from.min(watch_from.max(check_due)))
    }

    fn sale_wait(&mut self, until: u64) -> bool {
        self.step = Step::SaleWait;
        self.next_at = until;
        true
    }

    /// The opening: the first query goes now (for the date that opens), then the burst's pace.
    fn start_burst(&mut self, open: u64, now: u64) {
        self.sale.burst_for = Some(open);
        self.sale.burst_until = Some(now.saturating_add(BURST_MS));
        self.sale.burst_queries = 0;
        // Every date that opens now (or whose opening passed unseen) is on sale from here on.
        let mut opening: Vec<String> = Vec::new();
        for plan in &mut self.sale.dates {
            if !plan.over && plan.opens_at.is_some_and(|at| at <= open) {
                plan.waiting = false;
                opening.push(plan.date.clone());
            }
        }
        self.sale.burst_dates = opening;
        self.sale.waiting = false;
        self.query_now = true;
        let message = format!(
            "开售：{} 秒内每 {:.1} 秒查询一次（最多 {BURST_MAX_QUERIES} 次），之后按设定的间隔",
            BURST_MS / 1000,
            BURST_GAP_MS as f64 / 1000.0
        );
        self.last_message = message.clone();
        self.events.push_back(Event::Burst {
            until_ms: now.saturating_add(BURST_MS),
            queries: BURST_MAX_QUERIES,
            gap_ms: BURST_GAP_MS,
            message,
        });
    }

    /// `(opensAt, opensAtLocal, clockOffsetMs, clockErrorMs, burstUntil, burstQueriesLeft)` for the status.
    #[allow(clippy::type_complexity)]
    pub(super) fn sale_status(
        &self,
    ) -> (
        Option<u64>,
        Option<u64>,
        Option<i64>,
        Option<u64>,
        Option<u64>,
        Option<u32>,
    ) {
        let estimate = self.clock.latest_estimate();
        let offset = estimate.map_or(0, |e| e.offset_ms);
        let burst_left = self
            .sale
            .burst_until
            .map(|_| BURST_MAX_QUERIES.saturating_sub(self.sale.burst_queries));
        (
            self.sale.opens_at,
            self.sale.opens_at.map(|at| shift(at, -offset)),
            estimate.map(|e| e.offset_ms),
            estimate.map(|e| e.error_ms),
            self.sale.burst_until,
            burst_left,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(dates: &[&str]) -> Booking {
        let task = serde_json::json!({"id":"t","date":dates[0],"dates":dates,"from":"AOH","to":"VNP",
            "trains":["G2"],"passengers":[{"name":"张三","idNo":"1"}],"queryPath":"leftTicket/queryG"});
        Booking::new(serde_json::from_value(task).expect("task"), 0)
    }

    #[test]
    fn dates_are_asked_in_turn_skipping_those_that_wait_or_are_past() {
        let mut m = machine(&["2026-12-01", "2026-12-02", "2026-12-03"]);
        let mut picks = Vec::new();
        for _ in 0..4 {
            let d = m.pick_query_date(0);
            m.query_date = Some(d.clone());
            picks.push(d);
        }
        assert_eq!(
            picks,
            ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-01"]
        );
        // 12-02 waits for its opening, 12-03 is past: only 12-01 is asked, and the task does not wait.
        let plan = m.plan_mut("2026-12-02");
        plan.opens_at = Some(5_000);
        plan.exact = true;
        plan.waiting = true;
        m.plan_mut("2026-12-03").over = true;
        assert!(m.replan());
        assert_eq!(
            (m.sale.opens_at, m.sale.date.as_deref(), m.sale.waiting),
            (Some(5_000), Some("2026-12-02"), false)
        );
        for _ in 0..3 {
            let d = m.pick_query_date(0);
            assert_eq!(d, "2026-12-01");
            m.query_date = Some(d);
        }
        assert_eq!(m.waiting_dates(), [("2026-12-02".to_owned(), 5_000, 5_000)]);
        // 12-01 waits too: every date waits, so the task does.
        let plan = m.plan_mut("2026-12-01");
        plan.opens_at = Some(9_000);
        plan.exact = true;
        plan.waiting = true;
        m.replan();
        assert!(m.sale.waiting);
        assert_eq!(m.sale.opens_at, Some(5_000), "the earliest opening");
        // Its opening's burst: 12-02 is on sale from then on and the burst asks it only.
        m.start_burst(5_000, 5_000);
        assert_eq!(m.sale.burst_dates, ["2026-12-02"]);
        assert_eq!(m.pick_query_date(5_000), "2026-12-02");
    }

    #[test]
    fn shifts_saturate() {
        assert_eq!(shift(10, -20), 0);
        assert_eq!(shift(u64::MAX - 1, 5), u64::MAX);
        assert_eq!(shift(1000, -250), 750);
    }
}
