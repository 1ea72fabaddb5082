//! 12306's clock as the host sees it: the offset (12306 − host, ms) estimated from readings of answers.
//!
//! **The method.** A request sent at host time `t0` and answered at `t1` was stamped by the server at some moment
//! in between. An answer that carries the server's time `S` in ms (login/conf's `now`) therefore says
//! `offset ∈ [S − t1, S − t0]`; one that carries only the HTTP `Date` header says the server's time was somewhere
//! in the second `[D, D + 999]`, so `offset ∈ [D − t1, D + 999 − t0]`. Every reading is such an interval; the
//! estimate is the intersection of the recent ones — its middle is the offset, its half-width the error bound.
//! A `Date` reading alone is a second wide, but a reading whose stamp falls just after the server's second
//! ticks over cuts the interval's lower end, one just before cuts its upper end: the warm-up sends its light
//! requests so that each one's stamp lands in the middle of the interval where the tick can be
//! ([`ServerClock::next_probe_at`]), which halves the uncertainty each time down to about one round trip. The
//! middle of an interval whose ends come from the round trip assumes the way in and the way out take equally
//! long; a query sent the same way meets the same asymmetry, so it cancels out in the opening's timing.
//!
//! Readings older than [`READING_TTL_MS`] are dropped (host clocks drift and are stepped by NTP), and when the
//! readings do not agree (an empty intersection: a clock stepped, an answer served from a cache) the newest ones
//! that agree win.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// Readings older than this do not count.
pub const READING_TTL_MS: u64 = 10 * 60_000;
/// Readings kept.
const MAX_READINGS: usize = 16;

/// One reading: the offset lies in `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reading {
    lo: i64,
    hi: i64,
    /// Host time of the answer.
    at: u64,
    /// The request's round trip (ms).
    rtt: u64,
}

/// The offset estimate: 12306's time ≈ host time + `offset_ms`, within ± `error_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    /// 12306 − host (ms).
    pub offset_ms: i64,
    /// Half-width of the interval the offset certainly lies in.
    pub error_ms: u64,
    /// Readings that went into it.
    pub readings: usize,
}

/// The readings of 12306's clock, serialised with the machine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ServerClock {
    readings: VecDeque<Reading>,
}

fn ms(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl ServerClock {
    fn push(&mut self, lo: i64, hi: i64, sent: u64, received: u64) {
        if sent > received || lo > hi {
            return;
        }
        self.readings.push_back(Reading {
            lo,
            hi,
            at: received,
            rtt: received - sent,
        });
        while self.readings.len() > MAX_READINGS {
            self.readings.pop_front();
        }
    }

    /// An answer to a request sent at `sent` and answered at `received` (host times) carried the HTTP date
    /// `date_ms` (a whole second).
    pub(super) fn add_date(&mut self, date_ms: u64, sent: u64, received: u64) {
        let d = ms(date_ms);
        self.push(d - ms(received), d + 999 - ms(sent), sent, received);
    }

    /// An answer carried the server's time in ms (login/conf `now`).
    pub(super) fn add_exact(&mut self, server_ms: u64, sent: u64, received: u64) {
        let s = ms(server_ms);
        self.push(s - ms(received), s - ms(sent), sent, received);
    }

    fn recent(&self, now: u64) -> impl Iterator<Item = &Reading> {
        self.readings
            .iter()
            .rev()
            .filter(move |r| r.at.saturating_add(READING_TTL_MS) >= now && r.at <= now)
    }

    /// The intersection of the newest readings that agree, and how many went into it.
    fn bounds(&self, now: u64) -> Option<(i64, i64, usize)> {
        let mut out: Option<(i64, i64, usize)> = None;
        for r in self.recent(now) {
            out = match out {
                None => Some((r.lo, r.hi, 1)),
                Some((lo, hi, n)) => {
                    let (lo2, hi2) = (lo.max(r.lo), hi.min(r.hi));
                    if lo2 > hi2 {
                        break;
                    }
                    Some((lo2, hi2, n + 1))
                }
            };
        }
        out
    }

    /// The current estimate, if any reading is recent.
    pub(super) fn estimate(&self, now: u64) -> Option<Estimate> {
        let (lo, hi, readings) = self.bounds(now)?;
        Some(Estimate {
            offset_ms: lo + (hi - lo) / 2,
            error_ms: u64::try_from((hi - lo + 1) / 2).unwrap_or(0),
            readings,
        })
    }

    /// The estimate as of the newest reading (for a status, which has no clock of its own).
    pub(super) fn latest_estimate(&self) -> Option<Estimate> {
        self.estimate(self.readings.back()?.at)
    }

    /// The shortest recent round trip: what a light request to 12306 takes.
    pub(super) fn min_rtt(&self, now: u64) -> Option<u64> {
        self.recent(now).map(|r| r.rtt).min()
    }

    /// When to send the next light request so that the server stamps it in the middle of the interval where its
    /// next second can tick over (the bisection of the module docs): not before `earliest`.
    pub(super) fn next_probe_at(&self, now: u64, earliest: u64) -> u64 {
        let Some((lo, hi, _)) = self.bounds(now) else {
            return earliest;
        };
        let mid = lo + (hi - lo) / 2;
        let half_trip = ms(self.min_rtt(now).unwrap_or(0) / 2);
        // Server second k·1000 happens at host time k·1000 − offset; the stamp comes about half a round trip
        // after the send.
        let send_for = |k: i64| k * 1000 - mid - half_trip;
        let earliest_i = ms(earliest);
        let mut k = (earliest_i + mid + half_trip).div_euclid(1000);
        while send_for(k) < earliest_i {
            k += 1;
        }
        u64::try_from(send_for(k)).unwrap_or(earliest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server `offset` ms ahead of the host, `one_way` ms away, stamping on arrival: readings by bisection.
    fn calibrate(offset: i64, one_way: u64, with_now: bool, probes: usize) -> Estimate {
        let mut c = ServerClock::default();
        let mut t = 1_000_000_000_000u64;
        for _ in 0..probes {
            let send = c.next_probe_at(t, t);
            let stamp = ms(send + one_way) + offset;
            let received = send + 2 * one_way;
            if with_now {
                c.add_exact(stamp as u64, send, received);
            } else {
                c.add_date((stamp as u64) / 1000 * 1000, send, received);
            }
            t = received + 100;
        }
        c.estimate(t).expect("readings")
    }

    #[test]
    fn exact_readings_are_a_round_trip_wide() {
        let e = calibrate(-7_345, 30, true, 2);
        assert_eq!(e.offset_ms, -7_345);
        assert!(e.error_ms <= 31, "{e:?}");
    }

    #[test]
    fn date_readings_bisect_down_to_about_a_round_trip() {
        for offset in [-7_345, -2_001, 0, 999, 4_321, 12_500] {
            let e = calibrate(offset, 30, false, 8);
            assert!((e.offset_ms - offset).abs() <= 40, "{offset}: {e:?}");
            assert!(e.error_ms <= 45, "{offset}: {e:?}");
        }
        // One Date reading alone says little.
        assert!(calibrate(1234, 30, false, 1).error_ms > 500);
    }

    #[test]
    fn disagreeing_and_old_readings() {
        let mut c = ServerClock::default();
        c.add_exact(10_000, 1_000, 1_060); // offset 8940..9000
        c.add_exact(12_000, 3_000, 3_050); // 8950..9000
        let e = c.estimate(3_100).unwrap();
        assert_eq!((e.offset_ms, e.readings), (8_975, 2));
        // The host clock was stepped: the newest reading wins over the ones it contradicts.
        c.add_exact(14_000, 4_000, 4_040); // 9960..10000
        let e = c.estimate(4_100).unwrap();
        assert_eq!((e.offset_ms, e.readings), (9_980, 1));
        assert!(c.estimate(4_041 + READING_TTL_MS + 1).is_none());
        assert_eq!(c.min_rtt(4_100), Some(40));
    }
}
