//! Tickets left per train, date and class. Defaults are derived from the seed (a few trains are fixed,
//! see the README); `/inventory`, `/release` and scenarios override them; orders take from them.

use std::collections::HashMap;

use crate::rng;
use crate::timetable::TrainDef;

/// Seat key used for standing (无座) tickets.
pub const STANDING: char = 'W';

/// Tickets left per (date, train, seat class): explicit counts from the control API or a scenario, else a
/// seeded default.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    seed: u64,
    counts: HashMap<(String, String, char), i64>,
}

impl Inventory {
    /// An inventory whose defaults follow `seed`.
    pub fn new(seed: u64) -> Inventory {
        Inventory {
            seed,
            counts: HashMap::new(),
        }
    }

    /// Tickets left; `None` when the class is not sold on this train.
    pub fn left(&self, date: &str, t: &TrainDef, seat: char) -> Option<i64> {
        let sold = if seat == STANDING {
            t.standing
        } else {
            t.class(seat).is_some()
        };
        if !sold {
            return None;
        }
        let key = (date.to_string(), t.code.clone(), seat);
        Some(
            self.counts
                .get(&key)
                .copied()
                .unwrap_or_else(|| self.default_count(date, t, seat)),
        )
    }

    /// Sets the count (negative counts become zero).
    pub fn set(&mut self, date: &str, train: &str, seat: char, count: i64) {
        self.counts
            .insert((date.to_string(), train.to_string(), seat), count.max(0));
    }

    /// Adds (or with a negative `delta` removes) tickets, never below zero.
    pub fn add(&mut self, date: &str, t: &TrainDef, seat: char, delta: i64) {
        let now = self.left(date, t, seat).unwrap_or(0);
        self.set(date, &t.code, seat, now.saturating_add(delta));
    }

    fn default_count(&self, date: &str, t: &TrainDef, seat: char) -> i64 {
        if let Some(n) = fixed_count(&t.code, seat) {
            return n;
        }
        let h = rng::hash(self.seed, &["inv", date, &t.code, &seat.to_string()]);
        match h % 10 {
            0 => 0,
            1 | 2 => 1 + (h >> 8) as i64 % 19,
            _ => 20 + (h >> 8) as i64 % 500,
        }
    }
}

/// Counts that do not depend on the seed, so that tests and docs can name them.
fn fixed_count(train: &str, seat: char) -> Option<i64> {
    let n = match (train, seat) {
        ("G2", '9') => 20,
        ("G2", 'M') => 100,
        ("G2", 'O') => 500,
        ("G4", '9') => 0,
        ("G4", 'M') => 5,
        ("G4", 'O') => 0,
        ("G4", STANDING) => 50,
        ("G6", _) => 300,
        ("G1", _) => 300,
        ("G3", 'D') => 9,
        ("G7784", '9') => 0,
        ("G7784", 'M') => 8,
        ("G7784", 'O') => 443,
        ("G7784", 'P') => 6,
        ("G7784", STANDING) => 0,
        ("T109", '4') => 30,
        ("T109", '3') => 200,
        ("T109", '1') => 300,
        ("T109", STANDING) => 100,
        _ => return None,
    };
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timetable;

    #[test]
    fn defaults_overrides_and_standing() {
        let all = timetable::build();
        let g4 = all.iter().find(|t| t.code == "G4").expect("G4");
        let g2 = all.iter().find(|t| t.code == "G2").expect("G2");
        let mut inv = Inventory::new(1);
        assert_eq!(inv.left("2030-01-01", g4, 'O'), Some(0));
        assert_eq!(inv.left("2030-01-01", g4, STANDING), Some(50));
        assert_eq!(inv.left("2030-01-01", g2, STANDING), None);
        assert_eq!(inv.left("2030-01-01", g2, '1'), None);
        inv.set("2030-01-01", "G4", 'O', 3);
        inv.add("2030-01-01", g4, 'O', -5);
        assert_eq!(inv.left("2030-01-01", g4, 'O'), Some(0));
        assert_eq!(inv.left("2030-01-02", g4, 'O'), Some(0));
    }
}
