//! Picking a train and seat classes from a query answer, by the task's priorities.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::seat::SeatClass;
use crate::task::BookingTask;
use crate::train::{Availability, Train};

/// What the machine goes on with after a query: the row data submitOrderRequest and later steps need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Chosen {
    /// Train code as shown (`G2`).
    pub train_code: String,
    /// 12306's internal train number (row field 2).
    pub train_no: String,
    /// Row field 0 as received (%-encoded).
    pub secret_str: String,
    /// Boarding station telecode of the row.
    pub from_telecode: String,
    /// Alighting station telecode of the row.
    pub to_telecode: String,
    /// Row field sent back as submitOrderRequest's `bed_level_info`.
    pub bed_level_info: String,
    /// Row field sent back as submitOrderRequest's `seat_discount_info`.
    pub seat_discount_info: String,
    /// One seat class per passenger booked, in the task's order.
    pub seats: Vec<SeatClass>,
    /// The travel date of the query answer the train was chosen from (`YYYY-MM-DD`); empty in machines saved
    /// before several dates existed (the task's `date` then).
    #[serde(default)]
    pub date: String,
    /// How many of the task's passengers (the first ones, in its order) this attempt books: all of them unless
    /// 12306 said only fewer tickets are left and the task allows booking for fewer (`allowFewer`). 0 in
    /// machines saved before: all.
    #[serde(default)]
    pub party: u32,
}

/// Seat classes per passenger on this train, or `None` when it cannot carry all of them. A class is tried only
/// with enough left for the passengers who would take it, and at least the task's `minSeats` when it has one
/// (`有` is always enough): without one, a class taken by some passengers (a per-passenger class) needs only
/// theirs — the number of passengers when all share it, as [`BookingTask::min_seats`] says.
fn plan(train: &Train, task: &BookingTask) -> Option<Vec<SeatClass>> {
    let least = task.min_seats.map_or(0, |_| task.min_seats());
    let fixed: Vec<Option<SeatClass>> = task
        .passengers
        .iter()
        .map(|p| p.seat.as_deref().and_then(SeatClass::from_code))
        .collect();
    let flexible = fixed.iter().filter(|s| s.is_none()).count();
    let fits = |seats: &[SeatClass]| {
        let mut need: BTreeMap<&str, (SeatClass, u32)> = BTreeMap::new();
        for s in seats {
            need.entry(s.code()).or_insert((*s, 0)).1 += 1;
        }
        need.values()
            .all(|(s, n)| train.has_tickets_for(*s, (*n).max(least)))
    };
    let with = |flex: Option<SeatClass>| -> Option<Vec<SeatClass>> {
        fixed
            .iter()
            .map(|s| s.or(flex))
            .collect::<Option<Vec<SeatClass>>>()
    };
    if flexible == 0 {
        return with(None).filter(|seats| fits(seats));
    }
    task.seat_priority()
        .into_iter()
        .find_map(|s| with(Some(s)).filter(|seats| fits(seats)))
}

/// The best (train, seats) of one query answer (for `date`) by the task's priorities: trains in the task's order
/// (or the server's when the task names none), of the task's kinds and departure window, skipping unbookable
/// rows and blacklisted trains; within a train, the first seat class in the task's order that has tickets for
/// every passenger (and at least `minSeats`). `task` holds the passengers this attempt books (all, or the first
/// M with `allowFewer`), and so `party` is their number. Across dates the machine asks the dates in turn and
/// books from the answer in hand, so the date comes first, then the train, then the class.
pub fn choose(
    trains: &[Train],
    task: &BookingTask,
    date: &str,
    blacklist: &BTreeMap<String, u64>,
    now_ms: u64,
) -> Option<Chosen> {
    let usable =
        |t: &&Train| t.is_bookable() && blacklist.get(&t.code).is_none_or(|until| *until <= now_ms);
    let ordered: Vec<&Train> = named(trains, task).into_iter().filter(usable).collect();
    ordered.into_iter().find_map(|t| {
        let seats = plan(t, task)?;
        Some(Chosen {
            train_code: t.code.clone(),
            train_no: t.train_no.clone(),
            secret_str: t.secret_str.clone()?,
            from_telecode: t.from_telecode.clone(),
            to_telecode: t.to_telecode.clone(),
            bed_level_info: t.bed_level_info.clone(),
            seat_discount_info: t.seat_discount_info.clone(),
            seats,
            date: date.to_owned(),
            party: u32::try_from(task.passengers.len()).unwrap_or(u32::MAX),
        })
    })
}

/// The trains of the answer the task names, in the task's priority order (each entry's matches in the server's
/// order, a train once); every train in the server's order when the task names none. Only trains of the task's
/// kinds whose departure (`start_time`, row field 8) is inside its window.
pub fn named<'a>(trains: &'a [Train], task: &BookingTask) -> Vec<&'a Train> {
    let fits = |t: &&Train| task.fits_train(&t.code, &t.depart);
    if task.trains.is_empty() {
        return trains.iter().filter(fits).collect();
    }
    let mut out: Vec<&Train> = Vec::new();
    for pattern in task.train_patterns() {
        for t in trains
            .iter()
            .filter(|t| pattern.matches(&t.code))
            .filter(fits)
        {
            if !out.iter().any(|o| std::ptr::eq(*o, t)) {
                out.push(t);
            }
        }
    }
    out
}

/// When every train the task names that the answer lists sells none of what the task asks for (a passenger's
/// own class, or any of the task's classes), the first such train's code with the classes it does sell
/// (Chinese names): waiting cannot help, the user has to choose again. `None` when the task names no trains,
/// when none of them is in the answer, or when one of them can sell what is asked.
pub fn classes_never_sold(trains: &[Train], task: &BookingTask) -> Option<(String, Vec<String>)> {
    if task.trains.is_empty() {
        return None;
    }
    let wanted = task.seat_priority();
    let named = named(trains, task);
    let sells = |t: &Train, s: SeatClass| !matches!(t.availability(s), Availability::NotOffered);
    let can_serve = |t: &Train| {
        task.passengers
            .iter()
            .all(|p| match p.seat.as_deref().and_then(SeatClass::from_code) {
                Some(own) => sells(t, own),
                None => wanted.iter().any(|s| sells(t, *s)),
            })
    };
    if named.is_empty() || named.iter().any(|t| can_serve(t)) {
        return None;
    }
    let first = named[0];
    let sold = SeatClass::ALL
        .into_iter()
        .filter(|s| *s != SeatClass::Other && sells(first, *s))
        .map(|s| s.name_zh().to_owned())
        .collect();
    Some((first.code.clone(), sold))
}
