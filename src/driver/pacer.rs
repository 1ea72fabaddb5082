//! The session's pacer: the flood rules of ARCHITECTURE.md §1.1 rule 3 for every task of one 12306 session
//! together. Each [`crate::booking::Booking`] paces itself (its interval, its budget, its opening burst), but
//! the user's one session may carry several tasks at once (in one tab and across tabs), and 12306 sees their
//! sum (PROTOCOL.md §7: its rate limits and the "busy" page are per session and per address, not per task).
//! One `Pacer` is shared by every driver of the session (`driver::run_paced`); before each request goes out
//! the driver asks [`Pacer::admit`], which either books the request as sent now or says when it may go.
//!
//! The rules, all times in ms on the host's clock:
//!
//! * **queries** (`leftTicket/query*`, the sale probe's too), whichever task sends them, start no earlier than
//!   [`SESSION_QUERY_GAP_MS`] (80 % of [`crate::task::MIN_INTERVAL_MS`]) after the session's previous query;
//! * **the opening burst** is the one exception, as for one task (`booking::sale`): a query of a task in its
//!   burst may follow the previous query after [`BURST_GAP_MS`], for [`BURST_MS`] from the first burst query
//!   of that opening and for at most [`BURST_MAX_QUERIES`] queries — counted for the session: a second task's
//!   burst for the same opening shares the first one's rather than adding its own;
//! * **the budget**: at most [`REQUEST_BUDGET`] requests in any [`REQUEST_BUDGET_WINDOW_MS`] across all tasks;
//!   queries outside a burst leave [`ORDER_RESERVE`] of it free, so that an order attempt found by one task is
//!   never held up by the others' queries; the steps of an order attempt (checkUser…getQueueCount), the burst's
//!   queries (sized with one order attempt for the whole budget) and the rare other requests (keep-alive,
//!   login/conf, the warm-up's clock readings) wait only for the full budget;
//! * **safety first**: a request of a task whose order may exist (the confirm, the queue, the order list:
//!   [`Traffic::OrderMayExist`]) is never held, even past the budget — losing sight of an order is worse than
//!   one request over the line, and there are only a few of them.
//!
//! A task alone is next to never held by the pacer: its machine already keeps a query gap of at least 80 % of
//! its interval (≥ [`SESSION_QUERY_GAP_MS`]), the same burst and the same budget, and its order steps are never
//! queries. It is held only where the session rule is stricter: a query the machine sends at once (after a
//! `c_url` move or a resume) waits for the session gap, and a query after order attempts that used more than
//! [`ORDER_RESERVE`] of the window waits for the reserve.
//!
//! Answers are not shared between tasks that query the same (date, from, to, purpose): each machine matches
//! its answers by request id and takes the query's time as the freshness of what it saw, so a shared answer
//! would need a cache with its own rules of age; with the gap above, N such tasks cost one query per 800 ms
//! in all, which is the bound whatever their number.

use std::collections::VecDeque;

use crate::booking::{
    BURST_GAP_MS, BURST_MAX_QUERIES, BURST_MS, MIN_QUERY_GAP_PERCENT, REQUEST_BUDGET,
    REQUEST_BUDGET_WINDOW_MS,
};
use crate::task::MIN_INTERVAL_MS;

/// The least gap between two queries of the session, whatever task sends them (ms): the single task's floor
/// ([`MIN_QUERY_GAP_PERCENT`] % of [`MIN_INTERVAL_MS`], 800 ms).
pub const SESSION_QUERY_GAP_MS: u64 = MIN_INTERVAL_MS * MIN_QUERY_GAP_PERCENT / 100;

/// The part of [`REQUEST_BUDGET`] that queries and other non-order requests leave free for order attempts:
/// the requests of one full attempt (checkUser, submitOrderRequest, initDc, getPassengerDTOs,
/// checkOrderInfo, getQueueCount, confirmSingleForQueue, queryOrderWaitTime, resultOrderForDcQueue).
pub const ORDER_RESERVE: usize = 9;

/// What kind of request a task is about to send, as the pacer tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Traffic {
    /// A ticket query (`leftTicket/query*`, or the sale probe's). `burst`: the opening (12306's time, ms) whose
    /// burst the task is in, if any.
    Query {
        /// The opening of the task's current burst.
        burst: Option<u64>,
    },
    /// A step of an order attempt before the confirm (checkUser, submitOrderRequest … getQueueCount).
    Order,
    /// A request of a task whose order may exist (the confirm itself, the queue, the order list): never held.
    OrderMayExist,
    /// Anything else: login/conf, the keep-alive, a session renewal, the warm-up's readings.
    Other,
}

/// The pacer's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// Send now: the request is booked as sent.
    Now,
    /// Not before this time (ms, host clock); ask again then.
    At(u64),
}

/// The opening burst the session is in (or was last in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Burst {
    /// The opening it is for (12306's time, ms): a task's burst for the same one shares it.
    opening: u64,
    /// The end of its window (host ms).
    until: u64,
    /// Queries sent in it so far.
    queries: u32,
}

/// The request rate of one 12306 session over all its tasks (module docs). Sans-IO: the caller gives the
/// time; nothing here sleeps.
#[derive(Debug, Clone, Default)]
pub struct Pacer {
    /// Send times (host ms) of the requests in the last window, oldest first.
    sends: VecDeque<u64>,
    /// When the session's last query went out.
    last_query: Option<u64>,
    /// The current or last opening burst.
    burst: Option<Burst>,
}

impl Pacer {
    /// A pacer that has seen nothing.
    pub fn new() -> Pacer {
        Pacer::default()
    }

    /// Admits a request of kind `traffic` at `now_ms` (booking it as sent), or says when it may go.
    pub fn admit(&mut self, traffic: Traffic, now_ms: u64) -> Admit {
        // The window is (now − 10 s, now]: a request leaves it 10 s after it went.
        if let Some(window_start) = now_ms.checked_sub(REQUEST_BUDGET_WINDOW_MS) {
            while self.sends.front().is_some_and(|&t| t <= window_start) {
                self.sends.pop_front();
            }
        }
        let earliest = match traffic {
            Traffic::OrderMayExist => now_ms,
            Traffic::Order => self.budget_free_at(REQUEST_BUDGET, now_ms),
            Traffic::Other => self.budget_free_at(REQUEST_BUDGET, now_ms),
            Traffic::Query { burst } => {
                let in_burst = self.burst_open(burst, now_ms);
                // The burst is sized for the whole budget with one order attempt (`booking::sale`); the
                // warm-up's clock readings just before it must not cut it short.
                let limit = if in_burst {
                    REQUEST_BUDGET
                } else {
                    REQUEST_BUDGET - ORDER_RESERVE
                };
                let budget = self.budget_free_at(limit, now_ms);
                let gap = if in_burst {
                    BURST_GAP_MS
                } else {
                    SESSION_QUERY_GAP_MS
                };
                let gap_at = self.last_query.map_or(0, |t| t.saturating_add(gap));
                budget.max(gap_at)
            }
        };
        if now_ms < earliest {
            return Admit::At(earliest);
        }
        self.sends.push_back(now_ms);
        if let Traffic::Query { burst } = traffic {
            if self.burst_open(burst, now_ms) {
                let opening = burst.unwrap_or(0);
                let b = match self.burst {
                    Some(b) if b.opening == opening => b,
                    _ => Burst {
                        opening,
                        until: now_ms.saturating_add(BURST_MS),
                        queries: 0,
                    },
                };
                self.burst = Some(Burst {
                    queries: b.queries + 1,
                    ..b
                });
            }
            self.last_query = Some(now_ms);
        }
        Admit::Now
    }

    /// True when a query of a task in the burst for `burst` may go at the burst's gap: its opening's session
    /// burst is open, or none was held for that opening yet (this query starts it).
    fn burst_open(&self, burst: Option<u64>, now_ms: u64) -> bool {
        let Some(opening) = burst else {
            return false;
        };
        match self.burst {
            Some(b) if b.opening == opening => now_ms < b.until && b.queries < BURST_MAX_QUERIES,
            _ => true,
        }
    }

    /// When the window has room for one more request while at most `limit` are allowed in it.
    fn budget_free_at(&self, limit: usize, now_ms: u64) -> u64 {
        if self.sends.len() < limit {
            return now_ms;
        }
        // The request that must leave the window for one more to fit.
        self.sends
            .get(self.sends.len() - limit)
            .map_or(now_ms, |t| t.saturating_add(REQUEST_BUDGET_WINDOW_MS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q: Traffic = Traffic::Query { burst: None };

    /// Sends `traffic` as soon as the pacer lets it, from `from`; the time it went.
    fn send_when_free(p: &mut Pacer, traffic: Traffic, from: u64) -> u64 {
        let mut now = from;
        loop {
            match p.admit(traffic, now) {
                Admit::Now => return now,
                Admit::At(at) => {
                    assert!(at > now, "a wait moves time on");
                    now = at;
                }
            }
        }
    }

    #[test]
    fn queries_of_all_tasks_keep_the_session_gap() {
        let mut p = Pacer::new();
        assert_eq!(p.admit(Q, 1_000), Admit::Now);
        // Three more tasks want to query at the same moment: each waits its turn.
        assert_eq!(p.admit(Q, 1_000), Admit::At(1_800));
        assert_eq!(p.admit(Q, 1_500), Admit::At(1_800));
        assert_eq!(p.admit(Q, 1_800), Admit::Now);
        assert_eq!(p.admit(Q, 1_800), Admit::At(2_600));
    }

    #[test]
    fn four_tasks_at_one_second_stay_within_the_bound() {
        // Four tasks each asking every 1 s (the tester's case: 39 queries in 10 s without the pacer).
        let mut p = Pacer::new();
        let mut next = [0u64, 10, 20, 30];
        let mut sent = Vec::new();
        while sent.len() < 200 {
            let (i, &at) = next.iter().enumerate().min_by_key(|(_, &t)| t).unwrap();
            let went = send_when_free(&mut p, Q, at);
            sent.push(went);
            next[i] = went + 1_000;
        }
        for (k, &t) in sent.iter().enumerate() {
            let in_window = sent[k..].iter().take_while(|&&u| u < t + 10_000).count();
            assert!(in_window <= 13, "{in_window} queries in 10 s from {t}");
        }
    }

    #[test]
    fn the_budget_holds_across_tasks_and_leaves_room_for_an_order() {
        let mut p = Pacer::new();
        // Other tasks' traffic fills the budget up to the reserve: ten keep-alives, then queries at the gap.
        for i in 0..10 {
            assert_eq!(p.admit(Traffic::Other, i), Admit::Now);
        }
        let queries = (REQUEST_BUDGET - ORDER_RESERVE - 10) as u64;
        for i in 0..queries {
            assert_eq!(p.admit(Q, 10 + i * SESSION_QUERY_GAP_MS), Admit::Now);
        }
        let now = 10 + queries * SESSION_QUERY_GAP_MS;
        // The next query waits for the first request to leave the window, not only for the gap.
        assert_eq!(p.admit(Q, now), Admit::At(10_000));
        // An order attempt still goes at once, up to the full budget.
        for i in 0..ORDER_RESERVE as u64 {
            assert_eq!(p.admit(Traffic::Order, now + i), Admit::Now);
        }
        assert_eq!(p.admit(Traffic::Order, now + 100), Admit::At(10_000));
        assert_eq!(p.admit(Traffic::Other, now + 100), Admit::At(10_000));
        // A task whose order may exist is never held.
        assert_eq!(p.admit(Traffic::OrderMayExist, now + 100), Admit::Now);
        // It counts all the same (31 in the window), and the window moves on.
        assert_eq!(p.admit(Traffic::Order, 10_000), Admit::At(10_001));
        assert_eq!(p.admit(Traffic::Order, 10_001), Admit::Now);
    }

    #[test]
    fn order_steps_never_wait_for_the_query_gap() {
        let mut p = Pacer::new();
        assert_eq!(p.admit(Q, 0), Admit::Now);
        for t in [1, 2, 3, 4, 5, 6] {
            assert_eq!(p.admit(Traffic::Order, t), Admit::Now);
        }
        assert_eq!(p.admit(Traffic::OrderMayExist, 7), Admit::Now);
    }

    #[test]
    fn one_burst_per_opening_shared_by_its_tasks() {
        let opening = 50_000;
        let b = Traffic::Query {
            burst: Some(opening),
        };
        let mut p = Pacer::new();
        // Two tasks in the burst of the same opening, both asking all the time.
        let mut sent = Vec::new();
        let mut now = 60_000;
        while now < 80_000 {
            let went = send_when_free(&mut p, b, now);
            sent.push(went);
            now = went;
        }
        let burst: Vec<u64> = sent
            .windows(2)
            .filter(|w| w[1] - w[0] < SESSION_QUERY_GAP_MS)
            .map(|w| w[1])
            .collect();
        // 20 burst queries (the first one opens the burst), 500 ms apart, then the session gap.
        assert_eq!(burst.len() + 1, BURST_MAX_QUERIES as usize);
        assert!(sent.windows(2).all(|w| w[1] - w[0] >= BURST_GAP_MS));
        assert!(sent[20..]
            .windows(2)
            .all(|w| w[1] - w[0] >= SESSION_QUERY_GAP_MS));
        // A later opening gets its own burst.
        let next = Traffic::Query {
            burst: Some(opening + 3_600_000),
        };
        let t = send_when_free(&mut p, next, 200_000);
        assert_eq!(p.admit(next, t + BURST_GAP_MS), Admit::Now);
    }

    #[test]
    fn a_burst_query_without_a_burst_task_is_held_to_the_gap() {
        let mut p = Pacer::new();
        let b = Traffic::Query { burst: Some(1) };
        assert_eq!(p.admit(b, 0), Admit::Now);
        // A task that is not in the burst keeps the session gap even during it.
        assert_eq!(p.admit(Q, 500), Admit::At(800));
    }
}
