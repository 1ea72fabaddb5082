//! Reading the answer of each step (after the HTTP-level checks).

use super::{choose, Booking, Event, NeedsUser, Step, TicketStrings, CHECK_USER_SKIPPED};
use crate::error::ParseErrorKind;
use crate::order_page::{parse_order_page, OrderPageError};
use crate::outcome::{self, steps, NextStep, NoComplete, Outcome, PendingOrder, Reason, WaitTime};
use crate::passenger_str::{old_passenger_str, passenger_ticket_str, Ticket};
use crate::passengers::parse_passengers;
use crate::query::{parse_query, QueryAnswer};
use crate::seat::TicketType;

/// Garbage answers from the queue in a row before asking the order list instead.
const MAX_QUEUE_GARBAGE: u32 = 5;
/// "Nothing open" answers in a row (a few seconds apart) before an uncertain order counts as not placed:
/// a just-queued order can take a moment to show up.
const NOTHING_SEEN_TO_CLEAR: u32 = 2;
/// An uncertain order that 12306 never showed is written off only when the order list has shown nothing for
/// this long after the confirm was sent (or after the order last looked alive): under load 12306 can take up to
/// a minute to show a confirmed order to its queue, its order list and submitOrderRequest's unfinished-order
/// check, and writing it off early would let the machine book a second one. 90 s covers a 60 s delay with room.
pub(super) const RESOLVE_WINDOW_MS: u64 = 90_000;
/// Unreadable order lists in a row (3 s apart) before the queue's order id is taken without the list's word: the
/// list is the only check against a queue that speaks of an earlier order, so it gets half a minute.
const MAX_LIST_RETRIES: u32 = 10;
/// How often the order list is asked inside that window.
const RESOLVE_POLL_MS: u64 = 3000;
/// The queue may stand still (no positive waitTime counting down) this long before the machine asks the order
/// list instead: 12306 can answer `-100` forever for an order it lost.
pub(super) const QUEUE_STALL_MS: u64 = 5 * 60_000;
/// Delay before asking the queue again after an unreadable answer.
const QUEUE_RETRY_MS: u64 = 3000;

/// The longest getPassengerDTOs answer kept from the warm-up (a list of 15 passengers is about 12 KB).
const MAX_EARLY_PASSENGERS_LEN: usize = 256 * 1024;

/// The longest page value taken for `encryptedData`: the real one is about 2 KB (PROTOCOL.md §5.8).
const MAX_RISK_DATA_LEN: usize = 8192;

/// A page's `json_ua` value as the confirm may carry it: trimmed, non-empty, printable ASCII, at most
/// [`MAX_RISK_DATA_LEN`] bytes; anything else is not the risk script's and is not sent.
fn risk_value(text: &str) -> Option<String> {
    let v = text.trim();
    let fits = !v.is_empty()
        && v.len() <= MAX_RISK_DATA_LEN
        && v.bytes().all(|b| (0x20..=0x7e).contains(&b));
    fits.then(|| v.to_owned())
}

fn garbage(what: impl Into<String>) -> Outcome {
    Outcome::new(Reason::Garbage, NextStep::BackOff, what)
}

impl Booking {
    pub(super) fn receive(&mut self, step: Step, body: &str, now_ms: u64) {
        match step {
            Step::LoginConf => self.on_login_conf(body, now_ms),
            Step::Query => self.on_query(body, now_ms),
            Step::CheckUser => {
                self.on_simple(step, steps::check_user(body), Step::SubmitOrder, now_ms)
            }
            Step::SubmitOrder => {
                let train = self.train_code();
                self.on_simple(
                    step,
                    steps::submit_order(body, &train),
                    Step::InitDc,
                    now_ms,
                )
            }
            Step::InitDc => self.on_order_page(body, now_ms),
            Step::Passengers => self.on_passengers(body, now_ms),
            Step::CheckOrder => {
                // What may be chosen (选座/选铺) for this order page's confirm.
                self.choice = Some(crate::seat_choice::choice_offer(body));
                let train = self.train_code();
                let outcome = steps::check_order_info(body, &train);
                if !outcome.is_ok() {
                    // Passengers read before the opening may be what 12306 refuses (出票失败 after a change in
                    // the account): the next attempt reads them on its order page.
                    self.early_passengers = None;
                    if self.book_fewer(&outcome, now_ms) {
                        return;
                    }
                }
                self.on_simple(step, outcome, Step::QueueCount, now_ms)
            }
            Step::QueueCount => {
                let train = self.train_code();
                let outcome = steps::queue_count(body, &train);
                if outcome.is_ok() {
                    self.last_message = outcome.message.clone();
                }
                // The flag never goes back, so with it set this attempt's order page came from a navigation: a
                // real page that ran 12306's risk script, whose value the host can read before the confirm.
                let next = if self.order_page_by_navigation {
                    Step::RiskData
                } else {
                    Step::Confirm
                };
                self.on_simple(step, outcome, next, now_ms)
            }
            // Answered in `handle` (no HTTP rules apply); kept here so that every step has its reader.
            Step::RiskData => self.on_risk_data(Some(body), now_ms),
            Step::Confirm => self.on_confirm(body, now_ms),
            Step::QueueWait => self.on_queue(body, now_ms),
            Step::ResultOrder => {
                // The order id came from the queue: the order exists whatever this says; keep its words, then
                // read the order list once for the pay deadline.
                let outcome = steps::result_order(body);
                if !outcome.is_ok() {
                    self.note_problem(&outcome);
                }
                self.advance(Step::NoComplete, now_ms);
            }
            Step::NoComplete => self.on_no_complete(body, now_ms),
            Step::KeepAlive => {
                let outcome = steps::check_user(body);
                if outcome.next == NextStep::Login {
                    return self.react(Step::KeepAlive, outcome, now_ms);
                }
                if outcome.is_ok() {
                    self.session_verified_at = Some(now_ms);
                }
                // Valid, or an answer that says nothing (busy…): either way not asked again before the next
                // period; the query goes on (the pace rule keeps its interval), or the wait for a sale.
                self.session_ok_at = now_ms;
                self.query_or_wait(now_ms);
            }
            Step::Uamtk => match steps::uamtk(body) {
                Ok(token) => {
                    self.newapptk = Some(token);
                    self.step = Step::UamAuthClient;
                    self.next_at = now_ms;
                }
                Err(outcome) => self.react(Step::Uamtk, outcome, now_ms),
            },
            Step::UamAuthClient => {
                let outcome = steps::uam_auth_client(body);
                if outcome.is_ok() {
                    self.renewed(now_ms);
                } else {
                    self.react(Step::UamAuthClient, outcome, now_ms);
                }
            }
            Step::SaleProbe => self.on_sale_probe(Some(body), now_ms),
            Step::WarmUp => self.on_warm_up(body, now_ms),
            Step::ClockProbe => self.on_clock_probe(Some(body), now_ms),
            Step::ReadPassengers => self.on_read_passengers(Some(body), now_ms),
            // Nothing is sent while waiting for a sale.
            Step::SaleWait => {}
            Step::HbFaceCheck
            | Step::HbSubmit
            | Step::HbInit
            | Step::HbPassengers
            | Step::HbQueueNum
            | Step::HbSuccessRate
            | Step::HbConfirm
            | Step::HbQueue
            | Step::HbWatch
            | Step::HbNoComplete
            | Step::HbCancel => self.receive_waitlist(step, body, now_ms),
        }
    }

    fn train_code(&self) -> String {
        self.chosen
            .as_ref()
            .map(|c| c.train_code.clone())
            .unwrap_or_default()
    }

    fn on_simple(&mut self, step: Step, outcome: Outcome, next: Step, now_ms: u64) {
        if outcome.is_ok() {
            self.advance(next, now_ms);
        } else {
            self.react(step, outcome, now_ms);
        }
    }

    fn on_login_conf(&mut self, body: &str, now_ms: u64) {
        match steps::login_conf(body) {
            Ok(true) => {
                let path = crate::query_path::from_login_conf(body);
                self.query_path =
                    Some(path.unwrap_or_else(|| super::FALLBACK_QUERY_PATH.to_owned()));
                self.note_conf(body);
                if self.sale.window_pending {
                    // Read for a date 12306 refused: now its window can be planned.
                    self.session_ok_at = now_ms;
                    return self.plan_window(now_ms);
                }
                self.advance(Step::Query, now_ms);
            }
            Ok(false) => self.react(
                Step::LoginConf,
                Outcome::new(Reason::SessionLost, NextStep::Login, "未登录"),
                now_ms,
            ),
            Err(outcome) => self.react(Step::LoginConf, outcome, now_ms),
        }
    }

    fn next_query_at(&mut self, now_ms: u64) -> u64 {
        if self.in_burst(now_ms) {
            // The opening's burst: the next query a burst gap after the last one was sent.
            return self
                .last_query_at
                .map_or(now_ms, |last| last.saturating_add(super::BURST_GAP_MS))
                .max(now_ms);
        }
        now_ms.saturating_add(self.rng.jitter(self.task.interval()))
    }

    fn on_query(&mut self, body: &str, now_ms: u64) {
        let answer = match parse_query(body) {
            Ok(a) => a,
            Err(e) => {
                let outcome = match e.kind {
                    ParseErrorKind::Html => outcome::http::classify_html(body),
                    _ => garbage(format!("query: {e}")),
                };
                return self.react(Step::Query, outcome, now_ms);
            }
        };
        match answer {
            QueryAnswer::Moved { c_url } => {
                self.query_path = Some(c_url.clone());
                self.events.push_back(Event::Step {
                    step: "query".into(),
                    message: format!("查询地址改为 {c_url}"),
                });
                // The new path is tried at once — once: a path that keeps moving is queried at the interval.
                self.query_now = !self.after_move;
                self.after_move = true;
                self.next_at = now_ms;
            }
            QueryAnswer::Failed { messages } => {
                self.after_move = false;
                let message = if messages.is_empty() {
                    "查询失败".to_owned()
                } else {
                    messages.join("；")
                };
                let mut outcome = Outcome::from_message(&message, "");
                if outcome.reason == Reason::NotOnSale {
                    // 不在预售日期范围内: scheduled for the date's opening, not retried.
                    let date = self
                        .query_date
                        .clone()
                        .unwrap_or_else(|| self.task.date.clone());
                    return self.on_not_on_sale(outcome, date, now_ms);
                }
                // A refused query is retried at the interval (查询失败, unknown texts): a background task keeps
                // trying until stopped. Session loss, overload and the rate limit's long pause keep their own
                // handling.
                if !matches!(
                    outcome.next,
                    NextStep::Login | NextStep::BackOff | NextStep::Stop
                ) && outcome.reason != Reason::RateLimited
                    || outcome.reason == Reason::Unknown
                {
                    outcome.next = NextStep::RetryAfter {
                        ms: self.rng.jitter(self.task.interval()),
                    };
                }
                self.react(Step::Query, outcome, now_ms);
            }
            QueryAnswer::Trains { trains, .. } => {
                self.after_move = false;
                self.query_errors = 0;
                self.failures = 0;
                self.blacklist.retain(|_, until| *until > now_ms);
                let blacklist = &self.blacklist;
                self.blacklist_reasons
                    .retain(|train, _| blacklist.contains_key(train));
                let attempt = self.queries;
                let date = self
                    .query_date
                    .clone()
                    .unwrap_or_else(|| self.task.date.clone());
                let sale_changed = self.learn_sale(&trains, &date, now_ms);
                if let Some((train, sold)) = super::choose::classes_never_sold(&trains, &self.task)
                {
                    // Waiting would never help: the classes asked for are not sold on the task's trains (a D
                    // train's sleepers are 二等卧/一等卧, not 硬卧/软卧).
                    let sold = if sold.is_empty() {
                        "无".to_owned()
                    } else {
                        sold.join("、")
                    };
                    let message =
                        format!("{train} 不发售所选的席别（该车次发售：{sold}），请重新选择席别");
                    return self.pause(NeedsUser::Refused {
                        reason: "classNotSold".into(),
                        message,
                    });
                }
                // 候补 only: a direct ticket is never booked.
                let chosen = if self.task.waitlist.policy == crate::task::WaitlistPolicy::Only {
                    None
                } else {
                    choose(
                        &trains,
                        &self.choosing_task(),
                        &date,
                        &self.blacklist,
                        now_ms,
                    )
                };
                if chosen.is_none() && self.try_waitlist(&trains, &date, now_ms) {
                    return;
                }
                let chosen = match chosen {
                    Some(c) => match self.waitlist_check_before_direct(c, now_ms) {
                        Some(c) => Some(c),
                        None => return,
                    },
                    None => None,
                };
                // The date is named in the log only when the task has several.
                let on = if self.task.travel_dates().len() > 1 {
                    format!("（{date}）")
                } else {
                    String::new()
                };
                match chosen {
                    Some(chosen) => {
                        if sale_changed {
                            // Another of the task's trains opens later: its burst is planned.
                            self.announce_sale(now_ms);
                        }
                        let seat = chosen.seats.first().map(|s| s.name_zh().to_owned());
                        let fewer = if (chosen.party as usize) < self.task.passengers.len() {
                            format!("，为前 {} 位乘车人", chosen.party)
                        } else {
                            String::new()
                        };
                        let message = format!(
                            "第 {attempt} 次查询{on}：{} 有票（{}），开始预订{fewer}",
                            chosen.train_code,
                            seat.clone().unwrap_or_default()
                        );
                        self.last_message = message.clone();
                        self.events.push_back(Event::Query {
                            found: Some(chosen.train_code.clone()),
                            seat,
                            trains: trains.len(),
                            attempt,
                            not_on_sale: false,
                            message,
                        });
                        self.chosen = Some(chosen);
                        self.fewer = None;
                        self.start_attempt(now_ms);
                    }
                    None => {
                        let message = if self.sale.waiting {
                            format!("第 {attempt} 次查询{on}：{} 趟车，尚未起售", trains.len())
                        } else {
                            format!(
                                "第 {attempt} 次查询{on}：{} 趟车，暂无合适的票",
                                trains.len()
                            )
                        };
                        self.last_message = message.clone();
                        self.events.push_back(Event::Query {
                            found: None,
                            seat: None,
                            trains: trains.len(),
                            attempt,
                            not_on_sale: self.sale.waiting,
                            message,
                        });
                        if sale_changed {
                            self.announce_sale(now_ms);
                        }
                        if self.sale.waiting {
                            // Waiting for an opening: the sale decides when the next request goes.
                            self.query_or_wait(now_ms);
                        } else {
                            self.next_at = self.next_query_at(now_ms);
                        }
                    }
                }
            }
        }
    }

    /// The host's answer to the `json_ua` read: kept for this page's confirm when it looks like the risk
    /// script's value (printable ASCII, not too long: it comes from a page, which may be anything), else the
    /// confirm goes without it. Never holds the attempt up.
    pub(super) fn on_risk_data(&mut self, value: Option<&str>, now_ms: u64) {
        self.page_encrypted_data = value.and_then(risk_value);
        let message = match &self.page_encrypted_data {
            Some(v) => format!("已读取订单页安全数据（{} 字符）", v.len()),
            None => "未读到订单页安全数据，按页面的做法不带它提交".to_owned(),
        };
        self.events.push_back(Event::Step {
            step: super::react::step_name(Step::RiskData),
            message,
        });
        self.advance(Step::Confirm, now_ms);
    }

    fn on_order_page(&mut self, body: &str, now_ms: u64) {
        match parse_order_page(body) {
            Ok(page) => {
                // A value read from an earlier page belongs to that page.
                self.page_encrypted_data = None;
                self.order = Some(page);
                // Passengers read by the warm-up stand in for this page's read (ARCHITECTURE §1.1 "No wasted
                // round trip"); the token of the steps that follow is this page's all the same.
                // Only a list that has every passenger of the attempt, verified: anything else is read again
                // (the account may have changed since), and the order page's own read says what is wrong.
                let early = self
                    .early_passengers
                    .as_ref()
                    .filter(|(at, _)| now_ms.saturating_sub(*at) <= super::PASSENGERS_REUSE_MS)
                    .and_then(|(_, body)| parse_passengers(body).ok())
                    .filter(|list| {
                        self.party().iter().all(|p| {
                            list.find(&p.name, &p.id_no)
                                .is_some_and(|found| found.is_verified())
                        })
                    });
                match early {
                    Some(list) => {
                        self.events.push_back(Event::Step {
                            step: super::react::step_name(Step::Passengers),
                            message: "使用起售前读取的乘车人，不再请求 getPassengerDTOs".to_owned(),
                        });
                        self.use_passengers(&list, now_ms);
                    }
                    None => {
                        self.early_passengers = None;
                        self.advance(Step::Passengers, now_ms)
                    }
                }
            }
            Err(OrderPageError::SessionLost) => self.react(
                Step::InitDc,
                Outcome::new(Reason::SessionLost, NextStep::Login, "订单页要求重新登录"),
                now_ms,
            ),
            Err(OrderPageError::SystemBusy { message }) => self.react(
                Step::InitDc,
                Outcome::new(Reason::Busy, NextStep::BackOff, message),
                now_ms,
            ),
            Err(OrderPageError::Parse(e)) => {
                self.react(Step::InitDc, garbage(format!("order page: {e}")), now_ms)
            }
        }
    }

    /// The order attempt begins with a train chosen: checkUser first, unless the booking session was verified
    /// within [`super::CHECK_USER_FRESH_MS`] (ARCHITECTURE §1.1 "No wasted round trip").
    pub(super) fn start_attempt(&mut self, now_ms: u64) {
        let fresh = self
            .session_verified_at
            .map(|at| now_ms.saturating_sub(at))
            .filter(|ago| *ago <= super::CHECK_USER_FRESH_MS);
        match fresh {
            Some(ago) => {
                // Its own code: a UI that says "检查登录…" here would claim a request that is not sent.
                self.events.push_back(Event::Step {
                    step: CHECK_USER_SKIPPED.into(),
                    message: format!("登录状态 {} 秒前已确认，跳过 checkUser", ago / 1000),
                });
                self.advance(Step::SubmitOrder, now_ms);
            }
            None => self.advance(Step::CheckUser, now_ms),
        }
    }

    /// 12306 says only M tickets are left (仅剩 M 张, PROTOCOL.md §6) and the task allows booking for fewer: the
    /// next attempt books the first M passengers, the train not left out; true when so. Nothing was ordered
    /// (checkOrderInfo, or a confirm refusal that means no order), so the next attempt is a new one.
    pub(super) fn book_fewer(&mut self, outcome: &Outcome, now_ms: u64) -> bool {
        if outcome.reason != Reason::NotEnoughSeats || !self.task.allow_fewer || self.in_flight {
            return false;
        }
        let party = self.party().len();
        let Some(left) = outcome::message::seats_left(&outcome.message) else {
            return false;
        };
        let m = left.left as usize;
        if m == 0 || m >= party {
            return false;
        }
        self.note_problem(outcome);
        let message = format!("仅剩 {m} 张：下次为前 {m} 位乘车人预订");
        self.last_message = message.clone();
        self.events.push_back(Event::Step {
            step: super::react::step_name(Step::Query),
            message,
        });
        self.fewer = u32::try_from(m).ok();
        self.goto_query(now_ms);
        true
    }

    /// getPassengerDTOs of the warm-up answered (`None`: failed): kept for the opening's order when readable;
    /// anything else is left to the order page's own read. The warm-up goes on to the clock probes.
    pub(super) fn on_read_passengers(&mut self, body: Option<&str>, now_ms: u64) {
        if let Some(body) = body {
            if parse_passengers(body).is_ok_and(|list| list.ex_msg.is_empty()) {
                self.session_verified_at = Some(now_ms);
                // At most what one order page's list weighs, so that the saved machine stays small.
                if body.len() <= MAX_EARLY_PASSENGERS_LEN {
                    self.early_passengers = Some((now_ms, body.to_owned()));
                }
            }
        }
        self.step = Step::ClockProbe;
        self.next_at = now_ms;
        self.events.push_back(Event::Step {
            step: super::react::step_name(Step::ClockProbe),
            message: Step::ClockProbe.label().to_owned(),
        });
    }

    fn on_passengers(&mut self, body: &str, now_ms: u64) {
        let list = match parse_passengers(body) {
            Ok(list) => list,
            Err(e) => {
                let outcome = match e.kind {
                    ParseErrorKind::Rejected => Outcome::from_message(&e.detail, ""),
                    ParseErrorKind::Html => outcome::http::classify_html(body),
                    _ => garbage(format!("passengers: {e}")),
                };
                return self.react(Step::Passengers, outcome, now_ms);
            }
        };
        self.use_passengers(&list, now_ms);
    }

    /// Matches the attempt's passengers in the account's list and builds the order's passenger strings, then on
    /// to checkOrderInfo; pauses when one is missing, not verified, or cannot take its ticket type.
    fn use_passengers(&mut self, list: &crate::passengers::PassengerList, now_ms: u64) {
        let Some(chosen) = self.chosen.as_ref() else {
            return self.react(
                Step::Passengers,
                garbage("internal: chosen train missing"),
                now_ms,
            );
        };
        let party = self.party();
        let mut tickets = Vec::with_capacity(party.len());
        for (i, p) in party.iter().enumerate() {
            let Some(found) = list.find(&p.name, &p.id_no) else {
                let message = if list.ex_msg.is_empty() {
                    format!("乘车人 {} 不在账号的常用联系人中", p.name)
                } else {
                    format!("乘车人 {} 未找到：{}", p.name, list.ex_msg)
                };
                return self.pause(NeedsUser::PassengerMissing {
                    name: p.name.clone(),
                    message,
                });
            };
            if !found.is_verified() {
                let message = format!("乘车人 {} 未通过核验，12306 不允许为其购票", p.name);
                return self.pause(NeedsUser::Refused {
                    reason: "passengerNotVerified".into(),
                    message,
                });
            }
            let (Some(seat), Some(ticket_type)) =
                (chosen.seats.get(i), TicketType::from_code(&p.ticket_type))
            else {
                return self.react(Step::Passengers, garbage("internal: seat plan"), now_ms);
            };
            if !ticket_type.fits_record(&found.passenger_type) {
                // 12306 would refuse it at checkOrderInfo every time: say so before trying.
                let message = format!(
                    "乘车人 {} 的常用联系人类型不能购买{}，请修改票种后再继续",
                    p.name,
                    ticket_type.name_zh()
                );
                return self.pause(NeedsUser::Refused {
                    reason: "ticketTypeNotAllowed".into(),
                    message,
                });
            }
            tickets.push(Ticket {
                passenger: found.clone(),
                seat: *seat,
                ticket_type,
            });
        }
        self.tickets = Some(TicketStrings {
            passenger_ticket_str: passenger_ticket_str(&chosen.train_code, &tickets),
            old_passenger_str: old_passenger_str(&tickets),
        });
        self.advance(Step::CheckOrder, now_ms);
    }

    fn on_confirm(&mut self, body: &str, now_ms: u64) {
        let train = self.train_code();
        let outcome = steps::confirm(body, &train);
        if outcome.is_ok() {
            self.advance(Step::QueueWait, now_ms);
        } else if outcome.reason.confirm_refusal_means_no_order() {
            // 12306 checked the tickets and said no: no order was made.
            self.in_flight = false;
            if self.book_fewer(&outcome, now_ms) {
                return;
            }
            self.react(Step::Confirm, outcome, now_ms);
        } else if matches!(
            outcome.next,
            NextStep::Login | NextStep::Stop | NextStep::UnfinishedOrder
        ) {
            // Login, a refusal for the user, or 您还有未处理的订单: handled as usual, with the order still "may
            // exist" (the login pause says so, a resume asks the order list first).
            self.react(Step::Confirm, outcome, now_ms);
        } else {
            // Busy, too fast, unknown texts, 车票信息已过期, 出票失败, 您的请求已在处理中…: the confirm may have been
            // processed before this answer (or a silent resend met the used token): the order may exist.
            self.note_problem(&outcome);
            self.uncertain_confirm(now_ms);
        }
    }

    fn on_queue(&mut self, body: &str, now_ms: u64) {
        let train = self.train_code();
        match outcome::classify_wait_time(body, &train) {
            WaitTime::Placed { order_id } if self.foreign_orders.contains(&order_id) => {
                // The queue speaks of an earlier order (someone else's, seen in the order list): not ours. Our
                // confirm's fate is still open: ask the order list.
                self.note_problem(&Outcome::new(
                    Reason::Unknown,
                    NextStep::UnfinishedOrder,
                    format!("排队结果是另一个订单 {order_id}，继续确认本次订单"),
                ));
                self.step = Step::NoComplete;
                self.next_at = now_ms.saturating_add(RESOLVE_POLL_MS);
            }
            WaitTime::Placed { order_id } => self.react(
                Step::QueueWait,
                Outcome::new(Reason::Ok, NextStep::OrderPlaced { order_id }, ""),
                now_ms,
            ),
            WaitTime::Waiting {
                after_ms,
                wait_time_s,
                wait_count,
            } => {
                self.step_retries = 0;
                // Queued: the order is alive, so the write-off window starts again. A countdown means 12306
                // shows the order (visible), while -100 and -1 without an id may be said of no order at all.
                self.resolve_since = Some(now_ms);
                self.nothing_seen = 0;
                if wait_time_s > 0 {
                    self.seen_alive = true;
                }
                if self.queue_stalled(wait_time_s, now_ms) {
                    self.queue_progress_at = None;
                    self.queue_last_wait_s = None;
                    let message = "排队 5 分钟没有进展，改为查询未完成订单".to_owned();
                    self.last_message = message.clone();
                    self.events.push_back(Event::Problem {
                        reason: "queueStalled".into(),
                        message,
                    });
                    self.step = Step::NoComplete;
                    self.next_at = now_ms;
                    return;
                }
                let message = if wait_time_s > 0 {
                    format!("排队中：约 {wait_time_s} 秒，前面 {wait_count} 人")
                } else {
                    "排队中，正在获取订单号".to_owned()
                };
                self.last_message = message.clone();
                self.events.push_back(Event::Queue {
                    wait_time_s,
                    wait_count,
                    message,
                });
                self.next_at = now_ms.saturating_add(after_ms);
            }
            WaitTime::Failed(outcome) => {
                // The queue says no order (-2, -3, -4). The order list must agree before the order is written
                // off: the queue may speak too early, or of another attempt. What the queue said is applied
                // then (a sold-out train is left out, a cancel limit pauses…).
                self.note_problem(&outcome);
                self.denied = Some(outcome);
                self.step = Step::NoComplete;
                self.step_retries = 0;
                self.next_at = now_ms;
            }
            WaitTime::CheckOrders(outcome) => {
                self.note_problem(&outcome);
                self.step = Step::NoComplete;
                self.step_retries = 0;
                self.next_at = now_ms;
            }
            WaitTime::SessionLost => self.react(
                Step::QueueWait,
                Outcome::new(Reason::SessionLost, NextStep::Login, "排队查询要求重新登录"),
                now_ms,
            ),
            WaitTime::Garbage => {
                self.step_retries += 1;
                self.last_message = "排队查询返回异常".to_owned();
                if self.step_retries >= MAX_QUEUE_GARBAGE {
                    self.step = Step::NoComplete;
                    self.step_retries = 0;
                }
                self.next_at = now_ms.saturating_add(QUEUE_RETRY_MS);
            }
        }
    }

    /// Records a queue answer and tells whether the queue has stood still for [`QUEUE_STALL_MS`]: progress is a
    /// positive waitTime lower than the last one (a countdown); `-100`, `-1` without an id and `0` are not.
    fn queue_stalled(&mut self, wait_time_s: i64, now_ms: u64) -> bool {
        let since = *self.queue_progress_at.get_or_insert(now_ms);
        if wait_time_s > 0 {
            let counting_down = self.queue_last_wait_s.is_none_or(|last| wait_time_s < last);
            self.queue_last_wait_s = Some(wait_time_s);
            if counting_down {
                self.queue_progress_at = Some(now_ms);
                return false;
            }
        }
        now_ms.saturating_sub(since) >= QUEUE_STALL_MS
    }

    fn is_ours(&self, o: &PendingOrder) -> bool {
        let names: Vec<String> = self.party().iter().map(|p| p.name.clone()).collect();
        // The chosen train's date; without one (a machine restored without its attempt), any of the task's.
        let date_fits = match self.chosen.as_ref().filter(|c| !c.date.is_empty()) {
            Some(c) => o.date == c.date,
            None => self.task.travel_dates().contains(&o.date),
        };
        // Ours: same date and passengers, on the chosen train or any train the task would take (an earlier run
        // of the same task may have booked another of its trains).
        let train_fits = self.task.trains.is_empty()
            || self
                .chosen
                .as_ref()
                .is_some_and(|c| c.train_code == o.train)
            || self
                .task
                .train_patterns()
                .iter()
                .any(|p| p.matches(&o.train));
        train_fits && date_fits && o.matches(&o.train, &o.date, &names)
    }

    /// The order list shows our order still on its way (queued, or unpaid without a number yet): the order
    /// exists as far as anyone can tell, was visible, and the queue (or the list) is asked again.
    fn order_alive(&mut self, order: &PendingOrder, now_ms: u64) {
        self.in_flight = true;
        self.seen_alive = true;
        self.denied = None;
        self.resolve_since = Some(now_ms);
        self.nothing_seen = 0;
        // Progress as far as the queue's stall bound goes.
        self.queue_progress_at = Some(now_ms);
        let wait = order.wait_time_s.unwrap_or(0);
        let message = format!("订单排队中：约 {wait} 秒");
        self.last_message = message.clone();
        self.events.push_back(Event::Queue {
            wait_time_s: wait,
            wait_count: 0,
            message,
        });
        self.step = if self.order.is_some() {
            Step::QueueWait
        } else {
            Step::NoComplete
        };
        self.next_at = now_ms.saturating_add(outcome::queue::poll_delay_ms(wait));
    }

    fn on_no_complete(&mut self, body: &str, now_ms: u64) {
        if let Some(id) = self.order_id.clone() {
            // The queue gave an order id; this read is for its details (pay deadline), and to catch a queue that
            // spoke of an earlier order of the account: the list then shows another order of ours, or lists
            // this id with other passengers. Without such a contradiction the queue's word stands, as on the page.
            let list = outcome::parse_no_complete(body);
            if let Err(outcome) = &list {
                if outcome.next == NextStep::Login {
                    // Renew the session (or ask the user), then read the list again.
                    return self.react(Step::NoComplete, outcome.clone(), now_ms);
                }
                // An unreadable list proves nothing either way: read it again a few times first.
                if self.step_retries < MAX_LIST_RETRIES {
                    self.step_retries += 1;
                    self.next_at = now_ms.saturating_add(RESOLVE_POLL_MS);
                    return;
                }
            }
            let (ours, named, alive) = match &list {
                Ok(NoComplete::Unpaid { orders }) => (
                    orders
                        .iter()
                        .find(|o| !o.order_id.is_empty() && self.is_ours(o))
                        .cloned(),
                    orders.iter().find(|o| o.order_id == id).cloned(),
                    None,
                ),
                Ok(NoComplete::Queued { order }) if self.is_ours(order) => {
                    (None, None, Some(order.clone()))
                }
                _ => (None, None, None),
            };
            let contradicted = alive.is_some()
                || ours.as_ref().is_some_and(|o| o.order_id != id)
                || named.as_ref().is_some_and(|o| !self.is_ours(o));
            // A readable list without the order: a just-finished order can take a moment to show; asked again,
            // and if it is still missing the queue's id stays unconfirmed (below).
            let missing = list.is_ok() && named.is_none() && ours.is_none() && alive.is_none();
            if missing && self.nothing_seen + 1 < NOTHING_SEEN_TO_CLEAR {
                self.nothing_seen += 1;
                self.next_at = now_ms.saturating_add(RESOLVE_POLL_MS);
                return;
            }
            if !contradicted && !missing {
                return self.finish_placed(named.as_ref(), String::new());
            }
            self.note_problem(&Outcome::new(
                Reason::Unknown,
                NextStep::UnfinishedOrder,
                if missing {
                    format!("排队结果 {id} 不在未完成订单中，继续确认本次订单")
                } else {
                    format!("排队结果 {id} 不是本次的订单，以未完成订单为准")
                },
            ));
            self.foreign_orders.push(id);
            self.order_id = None;
            self.in_flight = true;
            if let Some(ours) = ours {
                return self.finish_placed(Some(&ours), "在未完成订单中找到".to_owned());
            }
            if let Some(alive) = alive {
                return self.order_alive(&alive, now_ms);
            }
            self.step = Step::NoComplete;
            self.next_at = now_ms.saturating_add(RESOLVE_POLL_MS);
            return;
        }
        match outcome::parse_no_complete(body) {
            Ok(NoComplete::Unpaid { orders }) => {
                // Only an entry with an order number can be this task's result.
                let ours = orders
                    .iter()
                    .find(|o| !o.order_id.is_empty() && self.is_ours(o));
                if let Some(ours) = ours.cloned() {
                    self.finish_placed(Some(&ours), "在未完成订单中找到".to_owned());
                } else if let Some(alive) = orders.iter().find(|o| self.is_ours(o)).cloned() {
                    // Ours by train, date and passengers, but no number yet: alive, ask again.
                    self.order_alive(&alive, now_ms);
                } else {
                    for o in &orders {
                        if !o.order_id.is_empty() && !self.foreign_orders.contains(&o.order_id) {
                            self.foreign_orders.push(o.order_id.clone());
                        }
                    }
                    let message =
                        "有其他未完成的订单：请先在 12306 支付或取消，然后继续".to_owned();
                    self.pause(NeedsUser::UnfinishedOrder { orders, message });
                }
            }
            Ok(NoComplete::Queued { order }) => {
                if self.is_ours(&order) {
                    self.order_alive(&order, now_ms);
                } else {
                    let message = "有其他订单正在排队：请等它完成或取消，然后继续".to_owned();
                    self.pause(NeedsUser::UnfinishedOrder {
                        orders: vec![order],
                        message,
                    });
                }
            }
            Ok(NoComplete::Nothing) => {
                self.step_retries = 0;
                if self.in_flight {
                    self.nothing_seen += 1;
                    let since = *self.resolve_since.get_or_insert(now_ms);
                    // An order 12306 has shown (seen alive) and no longer lists is gone; one it never showed
                    // may still be on its way, so the window must cover the visibility delay.
                    let window_over =
                        self.seen_alive || now_ms.saturating_sub(since) >= RESOLVE_WINDOW_MS;
                    if self.nothing_seen < NOTHING_SEEN_TO_CLEAR || !window_over {
                        self.last_message = "正在确认订单是否已生成…".to_owned();
                        self.next_at = now_ms.saturating_add(RESOLVE_POLL_MS);
                        return;
                    }
                    self.in_flight = false;
                    self.seen_alive = false;
                    if let Some(denied) = self.denied.take() {
                        // The queue's own verdict, now that the order list agrees.
                        return self.react(Step::QueueWait, denied, now_ms);
                    }
                    self.note_problem(&Outcome::new(
                        Reason::QueueFailed,
                        NextStep::Requery,
                        "订单未生成，继续查询",
                    ));
                }
                let at = self.next_query_at(now_ms);
                self.goto_query(at);
            }
            Err(outcome) => self.react(Step::NoComplete, outcome, now_ms),
        }
    }
}
