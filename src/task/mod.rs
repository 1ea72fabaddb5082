//! What the user wants booked: the JSON the extension stores and hands to the booking machine
//! (ARCHITECTURE.md §1.1), how a UI's choices become one ([`spec`]), and when two tasks are the same booking.

pub mod interval;
pub mod pattern;

use serde::{Deserialize, Serialize};

use crate::seat::{SeatClass, TicketType};
pub use pattern::{PatternError, TrainPattern};

pub mod spec;
pub use spec::{SpecPassenger, TaskSpec};

pub mod waitlist;
pub use waitlist::{Waitlist, WaitlistPolicy};

use crate::seat_choice::{Berth, SeatLetter};

/// The page refreshes its query every 5 s; 3 s is the default here, and nothing below 1 s is accepted
/// (PROTOCOL.md §7: "5 分钟不大于 80 次").
pub const DEFAULT_INTERVAL_MS: u64 = 3000;
/// The shortest query interval a task may ask for (see [`DEFAULT_INTERVAL_MS`]).
pub const MIN_INTERVAL_MS: u64 = 1000;
/// The longest query interval a UI offers (a minute: tickets returned by others go within minutes).
pub const MAX_INTERVAL_MS: u64 = 60_000;

/// `purpose_codes` of an ordinary query and order.
pub const PURPOSE_ADULT: &str = "ADULT";
/// `purpose_codes` of a query and order for student tickets (PROTOCOL.md §4.4).
pub const PURPOSE_STUDENT: &str = "0X00";

fn default_purpose() -> String {
    PURPOSE_ADULT.into()
}

fn default_interval() -> u64 {
    DEFAULT_INTERVAL_MS
}

fn default_ticket_type() -> String {
    "1".into()
}

/// One traveller, identified as in the account's passenger list (name + ID number, masked or not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct TaskPassenger {
    /// The name exactly as in the account's passenger list.
    pub name: String,
    /// As shown by 12306 (`1101***********012`) or in full; `*` matches any character.
    #[serde(default)]
    pub id_no: String,
    /// Ticket type code: `1` adult, `2` child, `3` student, `4` disabled military.
    #[serde(default = "default_ticket_type")]
    pub ticket_type: String,
    /// A seat class code just for this passenger (overrides the task's `seats`).
    #[serde(default)]
    pub seat: Option<String>,
    /// The type of the passenger's record in the account (getPassengerDTOs `passenger_type`: `1` adult, `2`
    /// child, `3` student, `4` disabled military) when the host knows it; empty when not. With it, a ticket
    /// type the record cannot take is refused when the task is created.
    #[serde(default)]
    pub passenger_type: String,
    /// 选座: the seat letter wanted (window A/F, aisle C/D, B), sent when checkOrderInfo allows choosing seats of
    /// the class booked and the class has the letter (PROTOCOL.md §5.8).
    #[serde(default)]
    pub seat_letter: Option<SeatLetter>,
    /// 选铺: the berth wanted on a sleeper, sent as a count in `seatDetailType` when checkOrderInfo allows it.
    #[serde(default)]
    pub berth: Option<Berth>,
}

/// A booking task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct BookingTask {
    /// The host's id for the task (kept, never interpreted).
    pub id: String,
    /// Travel date `YYYY-MM-DD`: the first of [`BookingTask::dates`], the only one when `dates` is empty (tasks
    /// saved before several dates existed).
    pub date: String,
    /// Travel dates `YYYY-MM-DD` in priority order (the first is `date`); empty = `[date]`. See
    /// [`BookingTask::travel_dates`].
    #[serde(default)]
    pub dates: Vec<String>,
    /// Departure station telecode (`AOH`).
    pub from: String,
    /// Arrival station telecode.
    pub to: String,
    /// Chinese station names, as the query form shows them (sent in submitOrderRequest).
    #[serde(default)]
    pub from_name: String,
    /// Arrival station name, like `from_name`.
    #[serde(default)]
    pub to_name: String,
    /// Trains in priority order: codes (`G2`), patterns (`G1**`, `D%`) or regexes (`re:…`), see
    /// [`pattern`]; empty = any train, in the server's order.
    #[serde(default)]
    pub trains: Vec<String>,
    /// Seat class codes in priority order (`W` = 无座).
    #[serde(default)]
    pub seats: Vec<String>,
    /// Whether a 无座 (standing) ticket is acceptable when no seat class of the task is left.
    #[serde(default)]
    pub accept_no_seat: bool,
    /// Kinds of train by the code's first letter: `G C D Z T K`, and `O` for every other (`L`, `Y`, `S`, codes
    /// of digits…); empty = any kind. A train must be of one of them and match `trains` (when given).
    #[serde(default)]
    pub train_types: Vec<String>,
    /// Earliest departure from the boarding station, `HH:MM` China time, inclusive (the row's `start_time`,
    /// PROTOCOL.md §3.5 field 8); `None` = open.
    #[serde(default)]
    pub depart_after: Option<String>,
    /// Latest departure, `HH:MM` China time, inclusive; `None` = open.
    #[serde(default)]
    pub depart_before: Option<String>,
    /// The least seats left in a class for it to be tried (`有` counts as enough); `None` = the number of
    /// passengers. See [`BookingTask::min_seats`].
    #[serde(default)]
    pub min_seats: Option<u32>,
    /// Opt-in: when 12306 answers that only M tickets (fewer than the passengers) are left, the next attempt
    /// books for the first M passengers in the task's order (one order per task all the same).
    #[serde(default)]
    pub allow_fewer: bool,
    /// Everyone to book for; all of them need tickets on the same train.
    pub passengers: Vec<TaskPassenger>,
    /// `ADULT` or `0X00` (student).
    #[serde(default = "default_purpose")]
    pub purpose: String,
    /// The query path if known (`leftTicket/queryG`); otherwise login/conf tells.
    #[serde(default)]
    pub query_path: Option<String>,
    /// Time between queries (±20 % jitter), at least [`MIN_INTERVAL_MS`].
    #[serde(default = "default_interval")]
    pub interval_ms: u64,
    /// What confirmSingleForQueue sends as `encryptedData` (PROTOCOL.md §5.8). The order page's risk SDK
    /// (`ua_rds.js`) produces this blob; HTTP clients sent it empty with success in 2024/early 2025, but 12306
    /// changed the confirm during the 2025 National-Day rush, so a host that can run the page's generator may
    /// need to pass its value here. Empty (the default) sends the empty value, as before.
    #[serde(default)]
    pub encrypted_data: String,
    /// The 候补 policy (off by default).
    #[serde(default)]
    pub waitlist: Waitlist,
    /// 静音车厢: ask for the quiet carriage where the order page offers it (二等座 only, PROTOCOL.md §5.8).
    #[serde(default)]
    pub quiet_carriage: bool,
}

/// Why a task cannot run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskError {
    /// `passengers` is empty.
    NoPassengers,
    /// More passengers than one order may hold ([`MAX_PASSENGERS`]).
    TooManyPassengers(usize),
    /// A seat class code that is not one of [`crate::seat::SeatClass`]'s.
    BadSeat(String),
    /// A ticket type code that is not one of [`crate::seat::TicketType`]'s.
    BadTicketType(String),
    /// `date` is not `YYYY-MM-DD`.
    BadDate(String),
    /// `from` or `to` is empty.
    MissingStation,
    /// A `trains` entry that is neither a code, a pattern nor a valid `re:` expression.
    BadTrain(PatternError),
    /// A station telecode that is not three capital letters (`AOH`).
    BadStation(String),
    /// A passenger without a name or an ID number, or with one longer than [`spec::MAX_FIELD_CHARS`].
    BadPassenger,
    /// Neither a train nor a kind of train: the task would take any train.
    NoTrains,
    /// More `trains` entries than [`MAX_TRAINS`].
    TooManyTrains(usize),
    /// More travel dates than [`MAX_DATES`].
    TooManyDates(usize),
    /// A `trainTypes` entry that is not one of `G C D Z T K O`.
    BadTrainType(String),
    /// A departure bound that is not `HH:MM` (00:00–23:59).
    BadTime(String),
    /// `departAfter` is later than `departBefore`: no train can leave in between.
    BadTimeWindow {
        /// `departAfter`.
        after: String,
        /// `departBefore`.
        before: String,
    },
    /// A 候补 deadline that is not one of [`waitlist::DEADLINE_CHOICES_MIN`].
    BadWaitlistDeadline(u32),
    /// A passenger's record cannot take the ticket type asked for (a student ticket on an adult's record).
    TicketTypeNotAllowed {
        /// The passenger's name.
        name: String,
        /// The ticket type code asked for.
        ticket_type: String,
        /// The record's passenger type code.
        passenger_type: String,
    },
}

impl std::fmt::Display for TaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TaskError::NoPassengers => write!(f, "the task has no passengers"),
            TaskError::TooManyPassengers(n) => {
                write!(f, "{n} passengers; 12306 takes at most 9 per order")
            }
            TaskError::BadSeat(s) => write!(f, "unknown seat class code {s:?}"),
            TaskError::BadTicketType(s) => write!(f, "unknown ticket type {s:?}"),
            TaskError::BadDate(s) => write!(f, "date {s:?} is not YYYY-MM-DD"),
            TaskError::MissingStation => write!(f, "from/to station telecodes are required"),
            TaskError::BadTrain(e) => write!(f, "{e}"),
            TaskError::BadStation(s) => write!(f, "bad station telecode {s:?}"),
            TaskError::BadPassenger => write!(f, "a passenger needs a name and an ID number"),
            TaskError::NoTrains => write!(f, "name at least one train or one kind of train"),
            TaskError::BadWaitlistDeadline(m) => {
                write!(
                    f,
                    "候补 deadline {m} min before departure is not one 12306 offers"
                )
            }
            TaskError::TooManyTrains(n) => {
                write!(f, "{n} trains; a task takes at most {MAX_TRAINS}")
            }
            TaskError::TooManyDates(n) => {
                write!(f, "{n} dates; a task takes at most {MAX_DATES}")
            }
            TaskError::BadTrainType(s) => write!(
                f,
                "unknown kind of train {s:?}: one of {}",
                TRAIN_TYPES.join(" ")
            ),
            TaskError::BadTime(s) => write!(f, "departure time {s:?} is not HH:MM"),
            TaskError::BadTimeWindow { after, before } => write!(
                f,
                "departure window {after}–{before} is empty: the earliest time is after the latest"
            ),
            TaskError::TicketTypeNotAllowed {
                name,
                ticket_type,
                passenger_type,
            } => {
                // Said in the UI's main language: the panel shows it as the reason the task was not started.
                let ticket =
                    TicketType::from_code(ticket_type).map_or("该票种", |t| t.name_zh());
                write!(
                    f,
                    "{name} 的常用联系人类型（{passenger_type}）不能购买{ticket}：学生票需要学生身份，残军票需要残军身份"
                )
            }
        }
    }
}

impl std::error::Error for TaskError {}

/// 12306's per-order limit (`init_limit_ticket_num`, 2024).
pub const MAX_PASSENGERS: usize = 9;
/// Most travel dates a task takes: the pre-sale window's 15 days (PROTOCOL.md §7).
pub const MAX_DATES: usize = 15;
/// Most `trains` entries a task takes (each is queried in every answer; the panel offers a few).
pub const MAX_TRAINS: usize = 30;
/// The kinds of train a task may name (`trainTypes`): the first letter of the code, `O` for the rest.
pub const TRAIN_TYPES: [&str; 7] = ["G", "C", "D", "Z", "T", "K", "O"];
/// The highest count 12306 prints in a seat cell; above it the cell says `有` (PROTOCOL.md §3.5).
pub const MAX_MIN_SEATS: u32 = 20;

/// The kind of a train code (one of [`TRAIN_TYPES`]): its first letter when that is one of `G C D Z T K`,
/// else `O`.
pub fn train_type(code: &str) -> &'static str {
    match code.trim().as_bytes().first().map(u8::to_ascii_uppercase) {
        Some(b'G') => "G",
        Some(b'C') => "C",
        Some(b'D') => "D",
        Some(b'Z') => "Z",
        Some(b'T') => "T",
        Some(b'K') => "K",
        _ => "O",
    }
}

/// Minutes after midnight of an `HH:MM` time (00:00–23:59), or `None`.
pub fn minutes_of(hhmm: &str) -> Option<u16> {
    let b = hhmm.as_bytes();
    if b.len() != 5 || b[2] != b':' || ![0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit()) {
        return None;
    }
    let digit = |i: usize| u16::from(b[i] - b'0');
    let (h, m) = (digit(0) * 10 + digit(1), digit(3) * 10 + digit(4));
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

impl BookingTask {
    /// Checks everything the machine relies on, so that a bad task fails at creation, not mid-booking.
    pub fn validate(&self) -> Result<(), TaskError> {
        if !self.waitlist.deadline_ok() {
            return Err(TaskError::BadWaitlistDeadline(self.waitlist.deadline_min));
        }
        if self.passengers.is_empty() {
            return Err(TaskError::NoPassengers);
        }
        if self.passengers.len() > MAX_PASSENGERS {
            return Err(TaskError::TooManyPassengers(self.passengers.len()));
        }
        if !is_date(&self.date) {
            return Err(TaskError::BadDate(self.date.clone()));
        }
        if let Some(bad) = self.dates.iter().find(|d| !is_date(d)) {
            return Err(TaskError::BadDate(bad.clone()));
        }
        if self.dates.len() > MAX_DATES {
            return Err(TaskError::TooManyDates(self.dates.len()));
        }
        if self.trains.len() > MAX_TRAINS {
            return Err(TaskError::TooManyTrains(self.trains.len()));
        }
        if let Some(bad) = self
            .train_types
            .iter()
            .find(|t| !TRAIN_TYPES.contains(&t.as_str()))
        {
            return Err(TaskError::BadTrainType(bad.clone()));
        }
        let mut window = [None, None];
        for (slot, bound) in window
            .iter_mut()
            .zip([&self.depart_after, &self.depart_before])
        {
            if let Some(text) = bound {
                *slot = Some(minutes_of(text).ok_or_else(|| TaskError::BadTime(text.clone()))?);
            }
        }
        if let [Some(after), Some(before)] = window {
            if after > before {
                return Err(TaskError::BadTimeWindow {
                    after: self.depart_after.clone().unwrap_or_default(),
                    before: self.depart_before.clone().unwrap_or_default(),
                });
            }
        }
        if self.from.is_empty() || self.to.is_empty() {
            return Err(TaskError::MissingStation);
        }
        pattern::compile(&self.trains).map_err(TaskError::BadTrain)?;
        for code in self
            .seats
            .iter()
            .chain(self.passengers.iter().filter_map(|p| p.seat.as_ref()))
        {
            if SeatClass::from_code(code).is_none() {
                return Err(TaskError::BadSeat(code.clone()));
            }
        }
        for p in &self.passengers {
            let Some(ticket_type) = TicketType::from_code(&p.ticket_type) else {
                return Err(TaskError::BadTicketType(p.ticket_type.clone()));
            };
            if !ticket_type.fits_record(&p.passenger_type) {
                return Err(TaskError::TicketTypeNotAllowed {
                    name: p.name.clone(),
                    ticket_type: p.ticket_type.clone(),
                    passenger_type: p.passenger_type.clone(),
                });
            }
        }
        Ok(())
    }

    /// The task's seat classes in priority order; 无座 only when accepted (and then last unless listed).
    pub fn seat_priority(&self) -> Vec<SeatClass> {
        let mut out: Vec<SeatClass> = self
            .seats
            .iter()
            .filter_map(|c| SeatClass::from_code(c))
            .collect();
        if self.accept_no_seat {
            if !out.contains(&SeatClass::NoSeat) {
                out.push(SeatClass::NoSeat);
            }
        } else {
            out.retain(|s| *s != SeatClass::NoSeat);
        }
        out
    }

    /// The task's train entries, compiled (an invalid one, which [`BookingTask::validate`] refuses, matches
    /// nothing).
    pub fn train_patterns(&self) -> Vec<TrainPattern> {
        self.trains
            .iter()
            .filter_map(|e| TrainPattern::parse(e).ok())
            .collect()
    }

    /// The travel dates in priority order: `dates`, or `[date]` when it is empty.
    pub fn travel_dates(&self) -> Vec<String> {
        if self.dates.is_empty() {
            vec![self.date.clone()]
        } else {
            self.dates.clone()
        }
    }

    /// The least seats left in a class for it to be tried: `minSeats` (at least 1, at most
    /// [`MAX_MIN_SEATS`], which only `有` meets), else the number of passengers.
    pub fn min_seats(&self) -> u32 {
        let passengers = u32::try_from(self.passengers.len()).unwrap_or(u32::MAX);
        self.min_seats
            .map_or(passengers, |n| n.clamp(1, MAX_MIN_SEATS))
    }

    /// Whether a train of code `code` leaving at `depart` (`HH:MM`) is of the task's kinds and inside its
    /// departure window. A row whose time cannot be read is kept only when the task has no window.
    pub fn fits_train(&self, code: &str, depart: &str) -> bool {
        let kind_ok =
            self.train_types.is_empty() || self.train_types.iter().any(|t| t == train_type(code));
        if !kind_ok {
            return false;
        }
        if self.depart_after.is_none() && self.depart_before.is_none() {
            return true;
        }
        let Some(at) = minutes_of(depart) else {
            return false;
        };
        let after = self.depart_after.as_deref().and_then(minutes_of);
        let before = self.depart_before.as_deref().and_then(minutes_of);
        after.is_none_or(|a| at >= a) && before.is_none_or(|b| at <= b)
    }

    /// Query interval with the floor applied.
    pub fn interval(&self) -> u64 {
        self.interval_ms.max(MIN_INTERVAL_MS)
    }

    /// Whether `other` books the same thing: the same journey (dates in order, stations), the same trains in the same
    /// order and the same travellers (name and ID number, in any order) — seats, interval and the rest may
    /// differ. A host runs one task per booking, so that pressing it again, or in a second tab, never makes a
    /// second order.
    pub fn same_booking(&self, other: &BookingTask) -> bool {
        fn travellers(t: &BookingTask) -> Vec<(&str, &str)> {
            let mut who: Vec<(&str, &str)> = t
                .passengers
                .iter()
                .map(|p| (p.name.as_str(), p.id_no.as_str()))
                .collect();
            who.sort_unstable();
            who
        }
        self.travel_dates() == other.travel_dates()
            && self.from == other.from
            && self.to == other.to
            && self.trains == other.trains
            && self.train_types == other.train_types
            && travellers(self) == travellers(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task() -> BookingTask {
        serde_json::from_str(
            r#"{ "id": "t1", "date": "2026-12-01", "from": "AOH", "to": "VNP", "fromName": "上海虹桥", "toName": "北京南",
              "trains": ["G2", "G4"], "seats": ["O", "M"], "acceptNoSeat": false,
              "passengers": [ { "name": "张三", "idNo": "1101***********012", "ticketType": "1", "seat": null } ],
              "purpose": "ADULT", "queryPath": null, "intervalMs": 3000 }"#,
        )
        .expect("the documented example parses")
    }

    #[test]
    fn documented_json_parses_and_validates() {
        let t = task();
        assert_eq!(t.validate(), Ok(()));
        assert_eq!(t.seat_priority(), vec![SeatClass::Second, SeatClass::First]);
        let back: BookingTask =
            serde_json::from_str(&serde_json::to_string(&t).expect("ser")).expect("de");
        assert_eq!(back, t);
    }

    #[test]
    fn defaults() {
        let t: BookingTask = serde_json::from_str(
            r#"{"id":"x","date":"2026-12-01","from":"A","to":"B","passengers":[{"name":"张三"}]}"#,
        )
        .expect("minimal task");
        assert_eq!(
            (
                t.purpose.as_str(),
                t.interval_ms,
                t.passengers[0].ticket_type.as_str()
            ),
            ("ADULT", 3000, "1")
        );
    }

    #[test]
    fn no_seat_only_when_accepted() {
        let mut t = task();
        t.seats = vec!["W".into(), "O".into()];
        assert_eq!(t.seat_priority(), vec![SeatClass::Second]);
        t.accept_no_seat = true;
        assert_eq!(
            t.seat_priority(),
            vec![SeatClass::NoSeat, SeatClass::Second]
        );
        t.seats = vec!["O".into()];
        assert_eq!(
            t.seat_priority(),
            vec![SeatClass::Second, SeatClass::NoSeat]
        );
    }

    #[test]
    fn validation() {
        let mut t = task();
        t.seats = vec!["Z".into()];
        assert_eq!(t.validate(), Err(TaskError::BadSeat("Z".into())));
        let mut t = task();
        t.passengers.clear();
        assert_eq!(t.validate(), Err(TaskError::NoPassengers));
        let mut t = task();
        t.date = "2026-1-01".into();
        assert!(matches!(t.validate(), Err(TaskError::BadDate(_))));
        let mut t = task();
        t.passengers[0].ticket_type = "9".into();
        assert!(matches!(t.validate(), Err(TaskError::BadTicketType(_))));
    }

    #[test]
    fn kinds_and_departure_window() {
        assert_eq!(
            ["G2", "C5", "d3", "Z1", "T8", "K1179", "L5", "Y501", "S1", "1461", ""].map(train_type),
            ["G", "C", "D", "Z", "T", "K", "O", "O", "O", "O", "O"]
        );
        assert_eq!(minutes_of("07:05"), Some(425));
        for bad in ["7:05", "24:00", "12:60", "12-00", "12:0a", ""] {
            assert_eq!(minutes_of(bad), None, "{bad}");
        }
        let mut t = task();
        assert!(t.fits_train("K1", "--:--"), "no window, any time");
        t.train_types = vec!["G".into(), "O".into()];
        t.depart_after = Some("07:00".into());
        t.depart_before = Some("09:30".into());
        assert_eq!(t.validate(), Ok(()));
        assert!(t.fits_train("G2", "07:00") && t.fits_train("Y501", "09:30"));
        assert!(!t.fits_train("D2", "08:00"), "kind");
        assert!(!t.fits_train("G2", "06:59") && !t.fits_train("G2", "09:31"));
        assert!(
            !t.fits_train("G2", "24:00"),
            "an unreadable time is outside a window"
        );
    }

    #[test]
    fn dates_and_min_seats() {
        let mut t = task();
        assert_eq!(t.travel_dates(), ["2026-12-01"]);
        assert_eq!(t.min_seats(), 1);
        t.passengers.push(t.passengers[0].clone());
        assert_eq!(t.min_seats(), 2, "default: every passenger");
        t.min_seats = Some(0);
        assert_eq!(t.min_seats(), 1);
        t.min_seats = Some(50);
        assert_eq!(t.min_seats(), MAX_MIN_SEATS);
        t.dates = vec!["2026-12-02".into(), "2026-12-1".into()];
        assert_eq!(t.validate(), Err(TaskError::BadDate("2026-12-1".into())));
        t.dates.truncate(1);
        assert_eq!(t.travel_dates(), ["2026-12-02"]);
        let mut other = t.clone();
        other.dates = vec!["2026-12-02".into(), "2026-12-03".into()];
        assert!(!t.same_booking(&other), "other dates");
        let mut other = t.clone();
        other.train_types = vec!["G".into()];
        assert!(!t.same_booking(&other), "other kinds");
    }

    #[test]
    fn a_student_ticket_needs_a_student_record() {
        let mut t = task();
        t.passengers[0].ticket_type = "3".into();
        // Record type unknown: not judged at creation (the machine checks it against getPassengerDTOs).
        assert_eq!(t.validate(), Ok(()));
        t.passengers[0].passenger_type = "1".into();
        assert!(matches!(
            t.validate(),
            Err(TaskError::TicketTypeNotAllowed { .. })
        ));
        t.passengers[0].passenger_type = "3".into();
        assert_eq!(t.validate(), Ok(()));
        // An adult or child ticket fits any record.
        t.passengers[0].ticket_type = "2".into();
        t.passengers[0].passenger_type = "1".into();
        assert_eq!(t.validate(), Ok(()));
    }

    #[test]
    fn the_same_passenger_as_adult_and_child_is_valid() {
        // A child without their own record rides on an adult's record: the page's 添加儿童票.
        let mut t = task();
        let mut child = t.passengers[0].clone();
        child.ticket_type = "2".into();
        t.passengers.push(child);
        assert_eq!(t.validate(), Ok(()));
    }

    #[test]
    fn the_same_booking_is_the_same_journey_trains_and_travellers() {
        let a = task();
        let mut b = task();
        b.id = "t2".into();
        b.seats = vec!["M".into()];
        b.interval_ms = 10_000;
        b.accept_no_seat = true;
        assert!(a.same_booking(&b), "seats, interval and id do not matter");
        let mut two = task();
        let mut li = two.passengers[0].clone();
        li.name = "李四".into();
        two.passengers.push(li.clone());
        let mut swapped = two.clone();
        swapped.passengers.reverse();
        assert!(two.same_booking(&swapped), "travellers in any order");
        for change in [
            |t: &mut BookingTask| t.date = "2026-12-02".into(),
            |t: &mut BookingTask| t.from = "SHH".into(),
            |t: &mut BookingTask| t.to = "BJP".into(),
            |t: &mut BookingTask| t.trains.reverse(),
            |t: &mut BookingTask| t.passengers[0].id_no = "1101***********013".into(),
            |t: &mut BookingTask| t.passengers.truncate(1),
        ] {
            let mut other = two.clone();
            change(&mut other);
            assert!(!two.same_booking(&other), "{other:?}");
        }
    }

    #[test]
    fn encrypted_data_is_optional_and_camel_case() {
        assert_eq!(task().encrypted_data, "");
        let mut v = serde_json::to_value(task()).expect("ser");
        v["encryptedData"] = serde_json::json!("blob");
        let t: BookingTask = serde_json::from_value(v).expect("de");
        assert_eq!(t.encrypted_data, "blob");
    }
}
