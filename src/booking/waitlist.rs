//! 候补 (waitlist) in the machine (PROTOCOL.md §5.13; the task's policy: [`crate::task::Waitlist`]).
//!
//! When a query finds none of the task's classes but 12306 offers 候补 for them (and the policy allows it), the
//! machine runs the waitlist flow: face check → `afterNate/submitOrderRequest` → `passengerInitApi` → the
//! passengers (`allEncStr`) → `getQueueNum` / `querySuccessRate` (shown) → `confirmHB` → `queryQueue` until the
//! 候补 order exists. Then it watches the order in the 待兑现 list (`queryUnHonourHOrder`) until it is gone: an
//! unpaid order for one of its trains in the unfinished-order list is its fulfilment (the task is done: the user
//! pays it like any order); nothing there over the resolve window means it ended (cancelled, expired, or already
//! paid).
//!
//! **The same exactly-once rule as direct orders**: from the moment `confirmHB` is sent until its outcome is
//! known the 候补 order "may exist" (`hb.in_flight`): no second `confirmHB` is sent, and every way back to the
//! query goes through the 待兑现 list first (`Booking::goto_query`); an uncertain answer is settled by the list
//! (an order waiting for one of the task's trains is adopted) or written off after the resolve window. A
//! standing 候补 order is never submitted again. When a direct ticket is booked while it stands (the policy's
//! `keepPolling`), the 候补 order is cancelled before the task reports its order, so that the task never holds
//! two (PROTOCOL.md does not say what 12306 does with a waiting 候补 order then; cancelling is ours).

use serde::{Deserialize, Serialize};

use super::{Booking, Event, Finished, NeedsUser, Step};
use crate::outcome::waitlist::{self as hb, FaceCheck, HbQueue};
use crate::outcome::{parse_no_complete, NextStep, NoComplete, Outcome, PendingOrder, Reason};
use crate::passengers::parse_passengers;
use crate::request::waitlist::{self as hbreq, HbConfirm, HbPassenger, HbPlan};
use crate::request::HttpRequest;
use crate::seat::SeatClass;
use crate::task::WaitlistPolicy;
use crate::train::{Availability, Train};

/// How often a standing 候补 order is looked up in the 待兑现 list.
pub const WATCH_MS: u64 = 60_000;
/// The first look after the 候补 order was placed: soon, to see it listed (and tickets released at once).
pub const FIRST_WATCH_MS: u64 = 5_000;
/// An uncertain `confirmHB`, or a standing order gone from the list, is settled after this long without a trace:
/// the direct flow's window for 12306's delay in showing new orders, plus that delay once more — a 候补 order
/// fulfilled before it was shown leaves the 待兑现 list at once while its unpaid order is shown only after the
/// delay (up to a minute in sim12306's and the fake's model).
pub const RESOLVE_WINDOW_MS: u64 = super::receive::RESOLVE_WINDOW_MS + 60_000;
/// Between two looks while settling.
const RESOLVE_POLL_MS: u64 = 5_000;
/// Train × class plans of one 候补 order: at most two per date (ICCFISH `BackupCart`, PROTOCOL.md §5.13).
const MAX_PLANS: usize = 2;
/// 候补 attempts in a row that end without an order pause the task.
const MAX_FAILED_ATTEMPTS: u32 = 3;
/// `queryQueue` answers that say nothing usable before the list is asked instead.
const MAX_QUEUE_RETRIES: u32 = 3;

/// One train × class of the 候补 order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PlanState {
    train_code: String,
    /// The travel date of the query that offered it (`YYYY-MM-DD`; empty in machines saved before several dates:
    /// the task's first date).
    #[serde(default)]
    date: String,
    secret_str: String,
    seat: String,
}

/// A passenger of the 候补 order, from getPassengerDTOs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HbPassengerState {
    ticket_type: String,
    name: String,
    id_type: String,
    id_no: String,
    all_enc_str: String,
    older_than_60: bool,
}

/// The machine's 候补 state (serialised with it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct HbState {
    plans: Vec<PlanState>,
    passengers: Vec<HbPassengerState>,
    deadline_min: u32,
    /// A `confirmHB` may have reached 12306 and its outcome is unknown.
    pub(super) in_flight: bool,
    /// Start of the resolve window of an uncertain `confirmHB`.
    since: Option<u64>,
    /// The standing 候补 order.
    pub(super) reserve_no: Option<String>,
    /// It was fulfilled (the task's order is its unpaid order).
    pub(super) fulfilled: bool,
    /// When the standing order is looked up next.
    watch_at: u64,
    /// A direct ticket was found while the 候补 order stands: the attempt (the machine's `chosen`) goes on once the
    /// list shows the 候补 order still waiting, i.e. not fulfilled by those tickets.
    #[serde(default)]
    direct_pending: bool,
    /// Since when the standing order is missing from the 待兑现 list.
    missing_since: Option<u64>,
    /// Another 候补 order (not for the task's trains) was seen in the list while settling.
    other_seen: bool,
    /// 候补 attempts in a row that ended without an order.
    failed_attempts: u32,
    /// `queryQueue` answers in a row without a result.
    queue_retries: u32,
    /// A direct order to report once the standing 候补 order is cancelled.
    finish_after_cancel: Option<Finished>,
}

impl HbState {
    /// Whatever happened while the task stood, the lists get the whole window again (as for direct orders).
    pub(super) fn resumed(&mut self, now_ms: u64) {
        if self.in_flight {
            self.since = Some(now_ms);
        }
        if self.missing_since.is_some() {
            self.missing_since = Some(now_ms);
        }
    }

    /// A 候补 order may exist or waits: the task must not forget it.
    pub(super) fn may_exist(&self) -> bool {
        self.in_flight || (self.reserve_no.is_some() && !self.fulfilled)
    }

    /// What the status shows.
    pub(super) fn status(&self) -> Option<super::status::WaitlistStatus> {
        if self.plans.is_empty() && self.reserve_no.is_none() {
            return None;
        }
        Some(super::status::WaitlistStatus {
            reserve_no: self.reserve_no.clone(),
            may_exist: self.in_flight,
            fulfilled: self.fulfilled,
            plans: self
                .plans
                .iter()
                .map(|p| format!("{} {}", p.train_code, seat_name(&p.seat)))
                .collect(),
            deadline_min: self.deadline_min,
        })
    }
}

fn seat_name(code: &str) -> &'static str {
    SeatClass::from_code(code).map_or("", SeatClass::name_zh)
}

impl Booking {
    /// After a query without a direct ticket: starts the 候补 flow when the policy allows it and 12306 offers 候补
    /// for the task's trains and classes. True when it started (or the task paused).
    pub(super) fn try_waitlist(&mut self, trains: &[Train], date: &str, now_ms: u64) -> bool {
        if !self.task.waitlist.enabled()
            || self.hb.may_exist()
            || self.hb.fulfilled
            || self.sale.waiting
        {
            return false;
        }
        if self.hb.failed_attempts >= MAX_FAILED_ATTEMPTS {
            self.hb.failed_attempts = 0;
            self.pause(NeedsUser::Refused {
                reason: "waitlistRefused".into(),
                message: format!(
                    "候补订单连续 {MAX_FAILED_ATTEMPTS} 次未能提交：{}。请检查后再继续",
                    self.last_message
                ),
            });
            return true;
        }
        let plans = self.waitlist_plans(trains, date, now_ms);
        if plans.is_empty() {
            return false;
        }
        let names: Vec<String> = plans
            .iter()
            .map(|p| format!("{} {}", p.train_code, seat_name(&p.seat)))
            .collect();
        let message = format!("{} 已售完，提交候补", names.join("、"));
        self.last_message = message.clone();
        self.events.push_back(Event::Step {
            step: super::react::step_name(Step::HbFaceCheck),
            message,
        });
        self.hb.plans = plans;
        self.hb.passengers.clear();
        self.hb.queue_retries = 0;
        self.hb.deadline_min = self.task.waitlist.deadline_min;
        self.chosen = None;
        self.advance(Step::HbFaceCheck, now_ms);
        true
    }

    /// The task's trains × classes that 12306 offers 候补 for, in the task's order (at most [`MAX_PLANS`]).
    fn waitlist_plans(&self, trains: &[Train], date: &str, now_ms: u64) -> Vec<PlanState> {
        // One class for everyone (passengerInfo carries none per passenger): every passenger's own class when
        // they all share one, else the task's classes; never 无座.
        let own: Vec<Option<SeatClass>> = self
            .task
            .passengers
            .iter()
            .map(|p| p.seat.as_deref().and_then(SeatClass::from_code))
            .collect();
        let classes: Vec<SeatClass> = match own.first() {
            Some(Some(first)) if own.iter().all(|s| *s == Some(*first)) => vec![*first],
            _ => self.task.seat_priority(),
        };
        let mut out = Vec::new();
        for t in super::choose::named(trains, &self.task) {
            // A sold-out train says `canWebBuy:N` but keeps its secretStr and 预订 button: 候补 is submitted with
            // them (PROTOCOL.md §3.5, §5.13).
            let usable = t.secret_str.is_some()
                && t.can_web_buy != crate::train::CanWebBuy::NotYet
                && t.button_text == "预订"
                && self
                    .blacklist
                    .get(&t.code)
                    .is_none_or(|until| *until <= now_ms);
            let Some(secret) = t.secret_str.clone().filter(|_| usable) else {
                continue;
            };
            for class in classes.iter().filter(|c| **c != SeatClass::NoSeat) {
                if out.len() < MAX_PLANS && t.availability(*class) == Availability::Waitlist {
                    out.push(PlanState {
                        train_code: t.code.clone(),
                        date: date.to_owned(),
                        secret_str: secret.clone(),
                        seat: class.code().to_owned(),
                    });
                }
            }
        }
        out
    }

    fn plans(&self) -> Vec<HbPlan<'_>> {
        self.hb
            .plans
            .iter()
            .map(|p| HbPlan {
                secret_str: &p.secret_str,
                seat_code: &p.seat,
            })
            .collect()
    }

    /// The request of a 候补 step.
    pub(super) fn waitlist_request(&mut self, now_ms: u64) -> Result<HttpRequest, Outcome> {
        let missing = |what: &str| {
            Outcome::new(
                Reason::Garbage,
                NextStep::Requery,
                format!("internal: {what} missing"),
            )
        };
        match self.step {
            Step::HbFaceCheck => Ok(hbreq::chech_face(&self.plans())),
            Step::HbSubmit => {
                self.submits += 1;
                Ok(hbreq::submit_order_request(&self.plans()))
            }
            Step::HbInit => Ok(hbreq::passenger_init()),
            Step::HbPassengers => Ok(hbreq::get_passenger_dtos()),
            Step::HbQueueNum => Ok(hbreq::get_queue_num()),
            Step::HbSuccessRate => Ok(hbreq::query_success_rate(&self.plans())),
            Step::HbConfirm => {
                // The rule, checked once more where it matters: never a second 候补 order.
                if self.hb.may_exist() {
                    self.step = Step::HbWatch;
                    return Ok(hbreq::query_unhonour());
                }
                if self.hb.passengers.is_empty() || self.hb.plans.is_empty() {
                    return Err(missing("候补 passengers"));
                }
                let passengers: Vec<HbPassenger<'_>> = self
                    .hb
                    .passengers
                    .iter()
                    .map(|p| HbPassenger {
                        ticket_type: &p.ticket_type,
                        name: &p.name,
                        id_type: &p.id_type,
                        id_no: &p.id_no,
                        all_enc_str: &p.all_enc_str,
                        older_than_60: p.older_than_60,
                    })
                    .collect();
                let plans = self.plans();
                let req = hbreq::confirm_hb(&HbConfirm {
                    passengers: &passengers,
                    plans: &plans,
                    realize_limit_minutes: self.hb.deadline_min,
                    accept_no_seat: self.task.accept_no_seat,
                    encrypted_data: &self.task.encrypted_data,
                });
                // From the moment confirmHB leaves, a 候补 order may exist.
                self.hb.in_flight = true;
                self.hb.since = Some(now_ms);
                self.hb.other_seen = false;
                self.confirms += 1;
                Ok(req)
            }
            Step::HbQueue => Ok(hbreq::query_queue()),
            Step::HbWatch => Ok(hbreq::query_unhonour()),
            Step::HbNoComplete => Ok(crate::request::query_my_order_no_complete()),
            Step::HbCancel => match self.hb.reserve_no.as_deref() {
                Some(r) => Ok(hbreq::cancel_waiting(r)),
                None => {
                    self.cancel_done(None);
                    Err(Outcome::ok())
                }
            },
            _ => Err(missing("候补 step")),
        }
    }

    /// An answer of a 候补 step.
    pub(super) fn receive_waitlist(&mut self, step: Step, body: &str, now_ms: u64) {
        match step {
            Step::HbFaceCheck => match hb::chech_face(body) {
                Ok(FaceCheck::Passed) => self.advance(Step::HbSubmit, now_ms),
                Ok(FaceCheck::Refused { message, .. }) => self.pause(NeedsUser::Refused {
                    reason: "faceCheck".into(),
                    message: format!("12306 不受理候补：{message}"),
                }),
                Err(o) => self.react(step, o, now_ms),
            },
            Step::HbSubmit => {
                let train = self
                    .hb
                    .plans
                    .first()
                    .map(|p| p.train_code.clone())
                    .unwrap_or_default();
                let o = hb::submit(body, &train);
                if o.is_ok() {
                    self.advance(Step::HbInit, now_ms);
                } else {
                    self.attempt_failed();
                    self.react(step, o, now_ms);
                }
            }
            Step::HbInit => self.on_hb_init(body, now_ms),
            Step::HbPassengers => self.on_hb_passengers(body, now_ms),
            Step::HbQueueNum => {
                let lines = hb::queue_num(body);
                if !lines.is_empty() {
                    let text: Vec<String> = lines
                        .iter()
                        .map(|q| {
                            format!("{} {}：{}", q.train_code, seat_name(&q.seat_code), q.info)
                        })
                        .collect();
                    self.events.push_back(Event::Step {
                        step: super::react::step_name(step),
                        message: format!("候补排队：{}", text.join("；")),
                    });
                }
                self.advance(Step::HbSuccessRate, now_ms);
            }
            Step::HbSuccessRate => {
                if let Some(rate) = hb::success_rate(body) {
                    let message = format!("候补成功率约 {rate}%");
                    self.last_message = message.clone();
                    self.events.push_back(Event::Step {
                        step: super::react::step_name(step),
                        message,
                    });
                }
                self.advance(Step::HbConfirm, now_ms);
            }
            Step::HbConfirm => self.on_hb_confirm(body, now_ms),
            Step::HbQueue => self.on_hb_queue(body, now_ms),
            Step::HbWatch => self.on_hb_watch(body, now_ms),
            Step::HbNoComplete => self.on_hb_no_complete(body, now_ms),
            Step::HbCancel => {
                let o = hb::cancel_waiting(body);
                self.cancel_done(Some(o));
            }
            _ => {}
        }
    }

    /// `getQueueNum` and `querySuccessRate` only inform: when they fail the flow goes on without them. True when
    /// `step` is one of them (and the failure is not a lost session).
    pub(super) fn skip_informational(
        &mut self,
        step: Step,
        outcome: &Outcome,
        now_ms: u64,
    ) -> bool {
        let next = match step {
            Step::HbQueueNum => Step::HbSuccessRate,
            Step::HbSuccessRate => Step::HbConfirm,
            _ => return false,
        };
        if outcome.next == NextStep::Login {
            return false;
        }
        self.advance(next, now_ms);
        true
    }

    fn attempt_failed(&mut self) {
        self.hb.failed_attempts = self.hb.failed_attempts.saturating_add(1);
    }

    fn on_hb_init(&mut self, body: &str, now_ms: u64) {
        let init = match hb::passenger_init(body) {
            Ok(i) => i,
            Err(o) => return self.react(Step::HbInit, o, now_ms),
        };
        if init.slide_required {
            return self.pause(NeedsUser::Captcha {
                message: "候补页面要求滑块验证：请在 12306 页面上手动提交候补".into(),
            });
        }
        if init.needs_app_check {
            return self.pause(NeedsUser::Refused {
                reason: "faceCheck".into(),
                message: "12306 要求先在铁路12306 App 完成人证核验，才能提交候补".into(),
            });
        }
        // The deadline the user chose, or the nearest one the page offers.
        let want = self.task.waitlist.deadline_min;
        let offered = &init.deadline_choices_min;
        if !offered.is_empty() && !offered.contains(&want) {
            if let Some(near) = offered.iter().min_by_key(|m| m.abs_diff(want)) {
                self.hb.deadline_min = *near;
            }
        }
        let mut message = format!("截止兑现时间：开车前 {} 分钟", self.hb.deadline_min);
        if !init.latest_deadline.is_empty() {
            message.push_str(&format!("（最晚 {}）", init.latest_deadline));
        }
        self.events.push_back(Event::Step {
            step: super::react::step_name(Step::HbInit),
            message,
        });
        self.advance(Step::HbPassengers, now_ms);
    }

    fn on_hb_passengers(&mut self, body: &str, now_ms: u64) {
        let list = match parse_passengers(body) {
            Ok(l) => l,
            Err(e) => {
                let o = match e.kind {
                    crate::error::ParseErrorKind::Rejected => Outcome::from_message(&e.detail, ""),
                    _ => Outcome::new(
                        Reason::Garbage,
                        NextStep::BackOff,
                        format!("passengers: {e}"),
                    ),
                };
                return self.react(Step::HbPassengers, o, now_ms);
            }
        };
        let mut out = Vec::with_capacity(self.task.passengers.len());
        for p in &self.task.passengers {
            let Some(found) = list.find(&p.name, &p.id_no) else {
                return self.pause(NeedsUser::PassengerMissing {
                    name: p.name.clone(),
                    message: format!("乘车人 {} 不在账号的常用联系人中", p.name),
                });
            };
            out.push(HbPassengerState {
                ticket_type: p.ticket_type.clone(),
                name: found.name.clone(),
                id_type: found.id_type.clone(),
                id_no: found.id_no.clone(),
                all_enc_str: found.all_enc_str.clone(),
                older_than_60: found.is_old_than_60 == "Y",
            });
        }
        self.hb.passengers = out;
        self.advance(Step::HbQueueNum, now_ms);
    }

    fn on_hb_confirm(&mut self, body: &str, now_ms: u64) {
        let o = hb::confirm(body);
        if o.is_ok() {
            self.hb.queue_retries = 0;
            return self.advance(Step::HbQueue, now_ms);
        }
        if o.next == NextStep::Login {
            return self.react(Step::HbConfirm, o, now_ms);
        }
        let definite = o.reason.confirm_refusal_means_no_order()
            || matches!(o.reason, Reason::BadRequest | Reason::Captcha);
        if definite {
            // 12306 checked the request and said no: no 候补 order.
            self.hb.in_flight = false;
            self.hb.since = None;
            self.attempt_failed();
            return self.react(Step::HbConfirm, o, now_ms);
        }
        // Busy, unknown texts, "a 候补 order waits" …: it may exist.
        self.note_problem(&o);
        self.hb_uncertain(now_ms);
    }

    /// A `confirmHB` without a definite answer: settle it through the 待兑现 list.
    pub(super) fn hb_uncertain(&mut self, now_ms: u64) {
        self.hb.in_flight = true;
        self.hb.since.get_or_insert(now_ms);
        self.step = Step::HbWatch;
        self.step_retries = 0;
        self.next_at = now_ms.saturating_add(1000);
    }

    fn on_hb_queue(&mut self, body: &str, now_ms: u64) {
        match hb::query_queue(body) {
            HbQueue::Placed { reserve_no } => self.hb_placed(reserve_no, now_ms),
            HbQueue::Waiting { wait_s } => {
                self.hb.queue_retries = 0;
                let s = wait_s.unwrap_or(1).clamp(1, 10) as u64;
                let message = format!("候补订单排队中：约 {s} 秒");
                self.last_message = message.clone();
                self.events.push_back(Event::Queue {
                    wait_time_s: s as i64,
                    wait_count: 0,
                    message,
                });
                self.next_at = now_ms.saturating_add(s * 1000);
            }
            HbQueue::Failed { message } => {
                // As the direct queue's "no order": the list must agree first.
                self.note_problem(&Outcome::new(
                    Reason::QueueFailed,
                    NextStep::Requery,
                    message,
                ));
                self.hb_uncertain(now_ms);
            }
            HbQueue::Unclear(o) if o.next == NextStep::Login => {
                self.react(Step::HbQueue, o, now_ms)
            }
            HbQueue::Unclear(o) => {
                self.note_problem(&o);
                self.hb.queue_retries += 1;
                if self.hb.queue_retries >= MAX_QUEUE_RETRIES {
                    self.hb_uncertain(now_ms);
                } else {
                    self.next_at = now_ms.saturating_add(2000);
                }
            }
        }
    }

    /// The 候补 order exists.
    fn hb_placed(&mut self, reserve_no: String, now_ms: u64) {
        self.hb.reserve_no = Some(reserve_no.clone());
        self.hb.in_flight = false;
        self.hb.since = None;
        self.hb.missing_since = None;
        self.hb.failed_attempts = 0;
        self.hb.watch_at = now_ms.saturating_add(FIRST_WATCH_MS);
        let then = if self.task.waitlist.keep_polling
            && self.task.waitlist.policy != WaitlistPolicy::Only
        {
            "，继续查询直接购票的机会"
        } else {
            "，等待兑现"
        };
        let message = format!(
            "候补订单已提交：{reserve_no}（截止兑现时间：开车前 {} 分钟）{then}",
            self.hb.deadline_min
        );
        self.last_message = message.clone();
        self.events.push_back(Event::WaitlistPlaced {
            reserve_no,
            deadline_min: self.hb.deadline_min,
            message,
        });
        self.goto_query(now_ms);
    }

    /// Where `goto_query` goes instead of the query while a 候补 order may exist or stands (None: the query).
    pub(super) fn waitlist_instead_of_query(&self, at_ms: u64) -> Option<u64> {
        if self.hb.in_flight {
            return Some(at_ms);
        }
        let stands = self.hb.reserve_no.is_some() && !self.hb.fulfilled;
        let polls =
            self.task.waitlist.keep_polling && self.task.waitlist.policy != WaitlistPolicy::Only;
        (stands && !polls).then(|| at_ms.max(self.hb.watch_at))
    }

    /// When a standing (not yet fulfilled) 候补 order is next looked at, whatever the task's polling: a task the
    /// user stopped follows it on ([`super::Input::Settle`]); `None` when no 候补 order stands.
    pub(super) fn waitlist_standing_watch(&self, at_ms: u64) -> Option<u64> {
        let stands = self.hb.reserve_no.is_some() && !self.hb.fulfilled;
        stands.then(|| at_ms.max(self.hb.watch_at))
    }

    /// A direct ticket (`chosen`) was found while a 候补 order stands: the order is looked up first — tickets
    /// coming back go to the waitlist first (PROTOCOL.md §5.13), so they may be its fulfilment, and a direct order
    /// on top of it would be a second order. The attempt goes on from the look when the order still waits. True
    /// when the look was started.
    pub(super) fn waitlist_check_before_direct(
        &mut self,
        chosen: super::Chosen,
        now_ms: u64,
    ) -> Option<super::Chosen> {
        let stands = self.hb.reserve_no.is_some() && !self.hb.fulfilled;
        if !stands {
            return Some(chosen);
        }
        self.chosen = Some(chosen);
        self.hb.direct_pending = true;
        self.step = Step::HbWatch;
        self.step_retries = 0;
        self.next_at = now_ms;
        None
    }

    /// True when the standing order is due for a look (the query loop passes here).
    pub(super) fn waitlist_watch_due(&self, now_ms: u64) -> bool {
        self.hb.reserve_no.is_some() && !self.hb.fulfilled && now_ms >= self.hb.watch_at
    }

    fn on_hb_watch(&mut self, body: &str, now_ms: u64) {
        let list = match hb::unhonour_orders(body) {
            Ok(l) => l,
            Err(o) => return self.react(Step::HbWatch, o, now_ms),
        };
        self.session_ok_at = now_ms;
        if let Some(r) = self.hb.reserve_no.clone() {
            if list.iter().any(|o| o.reserve_no == r) {
                self.hb.missing_since = None;
                if std::mem::take(&mut self.hb.direct_pending) && self.chosen.is_some() {
                    // Still waiting after the tickets were seen: they are not its fulfilment.
                    self.last_message = format!("候补订单 {r} 仍在等待兑现，直接预订");
                    return self.start_attempt(now_ms);
                }
                self.hb.watch_at = now_ms.saturating_add(WATCH_MS);
                self.last_message = format!("候补订单 {r} 等待兑现");
                return self.goto_query(now_ms);
            }
            self.hb.missing_since.get_or_insert(now_ms);
            if std::mem::take(&mut self.hb.direct_pending) {
                self.chosen = None;
            }
            self.step = Step::HbNoComplete;
            self.next_at = now_ms;
            return;
        }
        if self.hb.in_flight {
            let ours = list.iter().find(|o| {
                self.hb
                    .plans
                    .iter()
                    .any(|p| o.waits_for(&p.train_code, self.plan_date(p)))
            });
            if let Some(o) = ours {
                let r = o.reserve_no.clone();
                return self.hb_placed(r, now_ms);
            }
            if !list.is_empty() {
                self.hb.other_seen = true;
            }
            // Fulfilled at once? The unfinished orders tell; then the window.
            self.step = Step::HbNoComplete;
            self.next_at = now_ms;
            return;
        }
        self.goto_query(now_ms);
    }

    fn on_hb_no_complete(&mut self, body: &str, now_ms: u64) {
        let orders = match parse_no_complete(body) {
            Ok(NoComplete::Unpaid { orders }) => orders,
            Ok(_) => Vec::new(),
            Err(o) => return self.react(Step::HbNoComplete, o, now_ms),
        };
        if let Some(o) = orders.iter().find(|o| self.is_fulfilment(o)) {
            let o = o.clone();
            let r = self.hb.reserve_no.clone().unwrap_or_default();
            self.hb.fulfilled = true;
            self.hb.in_flight = false;
            let note = if r.is_empty() {
                "候补订单已兑现".to_owned()
            } else {
                format!("候补订单 {r} 已兑现")
            };
            return self.finish_placed(Some(&o), note);
        }
        let since = self.hb.missing_since.or(self.hb.since).unwrap_or(now_ms);
        if now_ms.saturating_sub(since) < RESOLVE_WINDOW_MS {
            self.step = Step::HbWatch;
            self.next_at = now_ms.saturating_add(RESOLVE_POLL_MS);
            return;
        }
        if let Some(r) = self.hb.reserve_no.clone() {
            // Gone from the list without an unpaid order: paid already on 12306, cancelled, or expired.
            let message = format!(
                "候补订单 {r} 已不在待兑现列表中，也没有待支付的兑现订单（可能已兑现并支付、已被取消或已过期），请到 12306 查看"
            );
            self.last_message = message.clone();
            self.finished = Some(Finished::Stopped {
                order_may_exist: false,
                message,
            });
            return;
        }
        // An uncertain confirmHB left no trace over the window: no 候补 order.
        self.hb.in_flight = false;
        self.hb.since = None;
        self.attempt_failed();
        if self.hb.other_seen {
            self.hb.other_seen = false;
            return self.pause(NeedsUser::Refused {
                reason: "waitlistExists".into(),
                message:
                    "账号已有其他待兑现的候补订单，12306 不再受理新的候补；请到 12306 处理后再继续"
                        .into(),
            });
        }
        let delay = self.rng.jitter(self.task.interval());
        self.goto_query(now_ms.saturating_add(delay));
    }

    /// An unpaid order is the 候补 order's fulfilment: one of its trains, the task's date and passengers.
    fn is_fulfilment(&self, o: &PendingOrder) -> bool {
        let names: Vec<String> = self
            .task
            .passengers
            .iter()
            .map(|p| p.name.clone())
            .collect();
        self.hb
            .plans
            .iter()
            .any(|p| o.matches(&p.train_code, self.plan_date(p), &names))
    }

    /// A plan's travel date (the task's first date for a plan saved before several dates).
    fn plan_date<'a>(&'a self, p: &'a PlanState) -> &'a str {
        if p.date.is_empty() {
            &self.task.date
        } else {
            &p.date
        }
    }

    /// A direct order is being reported: a standing 候补 order is cancelled first (module docs).
    pub(super) fn waitlist_after_direct_order(&mut self, from: Option<&PendingOrder>) {
        let Some(_) = self.hb.reserve_no.as_ref().filter(|_| !self.hb.fulfilled) else {
            return;
        };
        // Without a direct attempt of its own (no chosen train), an unpaid order for one of the 候补 order's trains
        // that the direct flow meets is the 候补 order's fulfilment.
        if self.chosen.is_none() && from.is_some_and(|o| self.is_fulfilment(o)) {
            self.hb.fulfilled = true;
            return;
        }
        self.hb.finish_after_cancel = self.finished.take();
        self.step = Step::HbCancel;
        self.step_retries = 0;
        self.next_at = 0;
    }

    /// The cancellation of the standing 候补 order ended (`None`: it could not be sent): the direct order is
    /// reported, with what happened to the 候补 order.
    pub(super) fn cancel_done(&mut self, outcome: Option<Outcome>) {
        let r = self.hb.reserve_no.take().unwrap_or_default();
        let note = match outcome {
            Some(o) if o.is_ok() => format!("已取消候补订单 {r}"),
            Some(o) => format!("候补订单 {r} 取消失败（{}），请到 12306 取消", o.message),
            None => format!("候补订单 {r} 未能取消，请到 12306 取消"),
        };
        self.hb.missing_since = None;
        let mut done = self.hb.finish_after_cancel.take();
        if let Some(Finished::OrderPlaced { message, .. }) = done.as_mut() {
            message.push_str(&format!("；{note}"));
            self.last_message = message.clone();
        }
        self.events.push_back(Event::Step {
            step: super::react::step_name(Step::HbCancel),
            message: note,
        });
        self.finished = done.or(self.finished.take());
    }
}
