//! Turning an [`Outcome`] into the next state: retries, back-off, blacklisting, pausing, finishing.

use super::{
    Booking, Event, Finished, NeedsUser, Repeated, Step, MAX_SAME_REFUSALS, RENEW_AGAIN_AFTER_MS,
};
use crate::outcome::{NextStep, Outcome, PendingOrder, Reason};

/// Back-off never waits longer than this.
const MAX_BACKOFF_MS: u64 = 60_000;
/// Order-page steps are retried in place this many times before starting over from the query.
const MAX_STEP_RETRIES: u32 = 3;
/// Delay before asking the queue after an uncertain confirm.
const UNCERTAIN_CONFIRM_DELAY_MS: u64 = 1000;

impl Booking {
    /// Applies an outcome of `step`.
    pub(super) fn react(&mut self, step: Step, outcome: Outcome, now_ms: u64) {
        if outcome.next != NextStep::Continue {
            self.note_problem(&outcome);
        }
        // With an order id from the queue, resultOrderForDcQueue's refusal changes nothing: the order list (read
        // next in any case) confirms the order and gives its details. A lost session is renewed first.
        if step == Step::ResultOrder
            && self.order_id.is_some()
            && !matches!(outcome.next, NextStep::BackOff | NextStep::Login)
        {
            self.step = Step::NoComplete;
            self.step_retries = 0;
            self.next_at = now_ms;
            return;
        }
        let repeats = self.count_repeat(step, &outcome);
        if repeats >= MAX_SAME_REFUSALS && outcome.reason.is_refusal() {
            let message = format!(
                "12306 连续 {repeats} 次在「{}」这一步拒绝：{}。请检查后再继续",
                step.label(),
                outcome.message
            );
            return self.pause(NeedsUser::Refused {
                reason: "repeatedRefusal".into(),
                message,
            });
        }
        match outcome.next {
            NextStep::Continue => {}
            NextStep::RetryAfter { ms } => {
                self.step = step;
                self.next_at = now_ms.saturating_add(ms);
            }
            NextStep::BackOff => {
                self.failures = self.failures.saturating_add(1).max(repeats);
                let delay = self.backoff_delay();
                if step.retries_in_place() && self.step_retries < MAX_STEP_RETRIES {
                    self.step_retries += 1;
                    self.step = step;
                    self.next_at = now_ms.saturating_add(delay);
                } else if matches!(step, Step::Uamtk | Step::UamAuthClient) {
                    // The renewal itself keeps failing: the user has to log in.
                    let failed =
                        Outcome::new(Reason::SessionLost, NextStep::Login, outcome.message);
                    self.react(step, failed, now_ms);
                } else {
                    self.goto_query(now_ms.saturating_add(delay));
                    if step == Step::Query && self.query_path_suspect(&outcome) {
                        // The path may have moved without a c_url (error pages for a stale name): read it again
                        // from login/conf before backing off further (PROTOCOL.md §3.1).
                        self.step = Step::LoginConf;
                    }
                }
            }
            // Stale ticket data, 出票失败…: query again at once (the pace rule keeps the interval) — unless the
            // same refusal keeps coming back, which then waits longer each time.
            NextStep::Requery if repeats >= 2 => {
                self.failures = self.failures.max(repeats);
                let delay = self.backoff_delay();
                self.goto_query(now_ms.saturating_add(delay));
            }
            NextStep::Requery => self.goto_query(now_ms),
            NextStep::Blacklist { train, ms } => {
                if !train.is_empty() {
                    self.blacklist_reasons
                        .insert(train.clone(), reason_name(&outcome.reason));
                    self.blacklist.insert(train, now_ms.saturating_add(ms));
                }
                let delay = self.rng.jitter(self.task.interval());
                self.goto_query(now_ms.saturating_add(delay));
            }
            NextStep::Stop => {
                let reason = match outcome.reason {
                    Reason::Captcha => NeedsUser::Captcha {
                        message: outcome.message,
                    },
                    other => NeedsUser::Refused {
                        reason: reason_name(&other),
                        message: outcome.message,
                    },
                };
                self.pause(reason);
            }
            NextStep::Login if self.may_renew(step, now_ms) => self.start_renewal(step, now_ms),
            NextStep::Login => {
                self.renew_then = None;
                self.newapptk = None;
                let order_may_exist = self.in_flight || self.hb.may_exist();
                let message = if order_may_exist {
                    "登录已失效，订单可能已提交：请重新登录后继续，将先查询未完成订单".to_owned()
                } else {
                    "登录已失效，请重新登录后继续".to_owned()
                };
                self.pause(NeedsUser::Login {
                    order_may_exist,
                    message,
                });
            }
            NextStep::UnfinishedOrder => {
                self.step = Step::NoComplete;
                self.step_retries = 0;
                self.next_at = now_ms;
            }
            NextStep::OrderPlaced { order_id } => {
                self.order_id = Some(order_id);
                // The order list is read next to confirm the id: its "nothing" answers are counted afresh.
                self.nothing_seen = 0;
                self.in_flight = false;
                self.step = Step::ResultOrder;
                self.step_retries = 0;
                self.next_at = now_ms;
            }
        }
    }

    /// Counts query answers that were the error page or HTML; true on the second in a row.
    fn query_path_suspect(&mut self, outcome: &Outcome) -> bool {
        if !matches!(
            outcome.reason,
            Reason::Busy | Reason::Html | Reason::HttpStatus(_) | Reason::OrderPageRefused
        ) {
            return false;
        }
        self.query_errors = self.query_errors.saturating_add(1);
        if self.query_errors >= 2 {
            self.query_errors = 0;
            return !self.in_flight;
        }
        false
    }

    /// The booking session is lost: renew it silently first (PROTOCOL.md §1.3), unless that is what failed or
    /// it was renewed moments ago.
    fn may_renew(&self, step: Step, now_ms: u64) -> bool {
        !matches!(step, Step::Uamtk | Step::UamAuthClient)
            && self
                .renewed_at
                .is_none_or(|t| now_ms.saturating_sub(t) >= RENEW_AGAIN_AFTER_MS)
    }

    /// Starts `uamtk` → `uamauthclient`; afterwards the machine goes on where it makes sense (`renew_then`).
    fn start_renewal(&mut self, step: Step, now_ms: u64) {
        let then = if self.in_flight || self.order_id.is_some() {
            Step::NoComplete
        } else if self.hb.in_flight {
            Step::HbWatch
        } else if matches!(step, Step::CheckUser | Step::KeepAlive | Step::WarmUp) {
            // Nothing was submitted yet: the chosen train (or the wait, or the warm-up) goes on after the renewal.
            match step {
                Step::KeepAlive => Step::Query,
                Step::WarmUp => Step::WarmUp,
                _ => Step::CheckUser,
            }
        } else {
            // Mid-attempt the order page's state is lost with the session: start over from the query.
            Step::Query
        };
        self.renew_then = Some(then);
        self.newapptk = None;
        self.step = Step::Uamtk;
        self.step_retries = 0;
        self.next_at = now_ms;
        self.events.push_back(Event::Step {
            step: step_name(Step::Uamtk),
            message: "订票登录已过期，正在自动续期".to_owned(),
        });
    }

    /// The renewal worked: the booking session is logged in again.
    pub(super) fn renewed(&mut self, now_ms: u64) {
        self.session_ok_at = now_ms;
        self.session_verified_at = Some(now_ms);
        self.renewed_at = Some(now_ms);
        self.newapptk = None;
        self.events.push_back(Event::Step {
            step: step_name(Step::UamAuthClient),
            message: "登录已自动续期".to_owned(),
        });
        match self.renew_then.take() {
            Some(Step::Query) | None => self.goto_query(now_ms),
            Some(then) => {
                self.step = then;
                self.step_retries = 0;
                self.next_at = now_ms;
            }
        }
    }

    /// Counts a refusal that ends an order attempt (or retries its step) against the same refusal before it;
    /// returns how many times in a row it came (0 for anything else).
    fn count_repeat(&mut self, step: Step, outcome: &Outcome) -> u32 {
        let counts = step.in_order_attempt()
            && matches!(outcome.next, NextStep::BackOff | NextStep::Requery);
        if !counts {
            return 0;
        }
        match &mut self.repeated {
            Some(r) if r.step == step && r.message == outcome.message => {
                r.count = r.count.saturating_add(1);
                r.count
            }
            _ => {
                self.repeated = Some(Repeated {
                    step,
                    message: outcome.message.clone(),
                    count: 1,
                });
                1
            }
        }
    }

    /// Goes on with `next` at once after a success.
    pub(super) fn advance(&mut self, next: Step, now_ms: u64) {
        // Every order step that answered shows the booking session alive.
        self.session_ok_at = now_ms;
        if self.step.in_order_attempt() {
            self.session_verified_at = Some(now_ms);
        }
        // An attempt that got past the step that kept refusing ends the streak.
        if self.repeated.as_ref().is_some_and(|r| next > r.step) {
            self.repeated = None;
        }
        self.step = next;
        self.step_retries = 0;
        self.failures = 0;
        self.next_at = now_ms;
        self.events.push_back(Event::Step {
            step: step_name(next),
            message: next.label().to_owned(),
        });
    }

    /// Back to querying at `at_ms` — or, while an order may exist, to resolving it first. This is the only way
    /// back to the query, and so to another submitOrderRequest.
    pub(super) fn goto_query(&mut self, at_ms: u64) {
        self.step_retries = 0;
        self.next_at = at_ms;
        if self.order_id.is_some() {
            // Never book twice: an order id means the order exists. It is reported once the order list has
            // been read (for its details, and to catch a queue that spoke of an earlier order).
            self.step = Step::NoComplete;
            return;
        }
        if self.in_flight {
            self.step = Step::NoComplete;
            return;
        }
        // A 候补 order that may exist is settled first; a standing one is watched unless the task also polls.
        if let Some(at) = self.waitlist_instead_of_query(at_ms) {
            self.step = Step::HbWatch;
            self.next_at = at;
            return;
        }
        if self.settling {
            // Stopped by the user: nothing new is booked. A 候补 order that stands is followed on (a task that
            // also polls would otherwise query here); anything else is settled without an order.
            if let Some(at) = self.waitlist_standing_watch(at_ms) {
                self.step = Step::HbWatch;
                self.next_at = at;
                return;
            }
            return self.settled_without_order();
        }
        self.chosen = None;
        self.order = None;
        self.tickets = None;
        self.page_encrypted_data = None;
        self.step = if self.query_path.is_some() {
            Step::Query
        } else {
            Step::LoginConf
        };
    }

    /// A confirm without a definite answer: the order may exist; ask the queue.
    pub(super) fn uncertain_confirm(&mut self, now_ms: u64) {
        self.in_flight = true;
        self.step = Step::QueueWait;
        self.step_retries = 0;
        self.next_at = now_ms.saturating_add(UNCERTAIN_CONFIRM_DELAY_MS);
    }

    pub(super) fn pause(&mut self, mut reason: NeedsUser) {
        // Some pauses quote 12306 (a passenger list's exMsg…): shown and stored as text, masked and capped.
        reason.set_message(crate::text::for_user(reason.message()));
        self.last_message = reason.message().to_owned();
        self.events.push_back(Event::NeedsUser {
            message: reason.message().to_owned(),
        });
        self.paused = Some(reason);
    }

    pub(super) fn note_problem(&mut self, outcome: &Outcome) {
        self.last_message = outcome.message.clone();
        self.events.push_back(Event::Problem {
            reason: reason_name(&outcome.reason),
            message: outcome.message.clone(),
        });
    }

    /// `interval × 2^(failures−1)`, at most a minute, ±20 %.
    fn backoff_delay(&mut self) -> u64 {
        let exp = self.failures.saturating_sub(1).min(10);
        let base = self
            .task
            .interval()
            .saturating_mul(1 << exp)
            .min(MAX_BACKOFF_MS);
        self.rng.jitter(base)
    }

    /// The task is done: an order exists. `from` is the order list entry when it came from there.
    pub(super) fn finish_placed(&mut self, from: Option<&PendingOrder>, note: String) {
        let order_id = from
            .map(|o| o.order_id.clone())
            .or_else(|| self.order_id.clone())
            .unwrap_or_default();
        let train = from
            .map(|o| o.train.clone())
            .or_else(|| self.chosen.as_ref().map(|c| c.train_code.clone()))
            .unwrap_or_default();
        let seats = self
            .chosen
            .as_ref()
            .map(|c| c.seats.iter().map(|s| s.name_zh().to_owned()).collect())
            .unwrap_or_default();
        let passengers = self.party().iter().map(|p| p.name.clone()).collect();
        let pay_deadline = from.and_then(|o| o.pay_deadline.clone());
        let mut message = format!("订票成功：{train} 订单号 {order_id}，请尽快到 12306 支付");
        if !note.is_empty() {
            message.push_str(&format!("（{note}）"));
        }
        self.in_flight = false;
        self.order_id = Some(order_id.clone());
        self.last_message = message.clone();
        self.events.push_back(Event::OrderPlaced {
            order_id: order_id.clone(),
            train: train.clone(),
            pay_deadline: pay_deadline.clone(),
            message: message.clone(),
        });
        self.finished = Some(Finished::OrderPlaced {
            order_id,
            train,
            date: from
                .map(|o| o.date.clone())
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| self.booking_date()),
            seats,
            passengers,
            pay_deadline,
            message,
        });
        self.waitlist_after_direct_order(from);
    }
}

/// The camelCase name the JS side sees (same as serde's).
fn to_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(m)) => m.keys().next().cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

pub(super) fn reason_name(r: &Reason) -> String {
    to_name(r)
}

pub(super) fn step_name(s: Step) -> String {
    to_name(&s)
}
