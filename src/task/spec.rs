//! A UI's start request → a [`BookingTask`]: the trains (the one pressed on the query page, or a list of codes and
//! patterns), kinds of train, departure window and dates, with the panel's choices (passengers, ticket types, seat
//! classes, interval, least seats left, booking for fewer).
//!
//! The request comes from a content script, i.e. from a web page's process, so nothing in it is trusted: every
//! field is checked here, and what cannot be booked is refused with a [`TaskError`] the UI shows. What is only a
//! hint is tamed instead of refused: an interval outside the offered range is clamped, a query path that is not
//! one is dropped (the machine then reads it from `login/conf`), long station names are cut.

use serde::Deserialize;

use super::{
    BookingTask, PatternError, TaskError, TaskPassenger, DEFAULT_INTERVAL_MS, MAX_INTERVAL_MS,
    MAX_MIN_SEATS, MIN_INTERVAL_MS, PURPOSE_ADULT, PURPOSE_STUDENT,
};
use crate::query_path;
use crate::seat::TicketType;

/// Longest name or ID number of a passenger, in characters (12306's names are at most a few dozen).
pub const MAX_FIELD_CHARS: usize = 40;
/// Longest station name kept, in characters (the longest real one has 7).
const MAX_STATION_NAME_CHARS: usize = 20;

/// The start request of the query page's panel (ARCHITECTURE.md §3 `startTask`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct TaskSpec {
    /// The train pressed (`G2`); used when `trains` is empty.
    #[serde(default)]
    pub train: String,
    /// Trains in priority order: codes, patterns (`G1**`, `D%`) or `re:` regexes ([`crate::task::pattern`]).
    #[serde(default)]
    pub trains: Vec<String>,
    /// Kinds of train (`G C D Z T K`, `O` = other); empty = any.
    #[serde(default)]
    pub train_types: Vec<String>,
    /// Earliest departure `HH:MM` (China time, inclusive); null or empty = open.
    #[serde(default)]
    pub depart_after: Option<String>,
    /// Latest departure `HH:MM` (China time, inclusive); null or empty = open.
    #[serde(default)]
    pub depart_before: Option<String>,
    /// Travel date `YYYY-MM-DD`; used when `dates` is empty.
    #[serde(default)]
    pub date: String,
    /// Travel dates `YYYY-MM-DD` in priority order.
    #[serde(default)]
    pub dates: Vec<String>,
    /// Departure station telecode (`AOH`).
    pub from: String,
    /// Arrival station telecode.
    pub to: String,
    /// The departure station's name as the query form shows it.
    #[serde(default)]
    pub from_name: String,
    /// The arrival station's name.
    #[serde(default)]
    pub to_name: String,
    /// The page's query path (`leftTicket/queryG`), when the page told it.
    #[serde(default)]
    pub query_path: Option<String>,
    /// Seat class codes in the order of preference.
    #[serde(default)]
    pub seats: Vec<String>,
    /// Whether 无座 is acceptable.
    #[serde(default)]
    pub accept_no_seat: bool,
    /// Time between queries in ms (a JS number: anything is clamped to the offered range).
    #[serde(default)]
    pub interval_ms: Option<f64>,
    /// The least seats left in a class for it to be tried (a JS number, rounded and clamped to 1–20; null = the
    /// number of passengers).
    #[serde(default)]
    pub min_seats: Option<f64>,
    /// Book the first M passengers when 12306 says only M tickets are left.
    #[serde(default)]
    pub allow_fewer: bool,
    /// The travellers chosen.
    pub passengers: Vec<SpecPassenger>,
    /// The 候补 policy (absent: off).
    #[serde(default)]
    pub waitlist: Option<crate::task::Waitlist>,
    /// 静音车厢 wanted where offered.
    #[serde(default)]
    pub quiet_carriage: bool,
}

/// One traveller of a [`TaskSpec`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct SpecPassenger {
    /// The name as in the account's passenger list.
    pub name: String,
    /// The ID number as in the account's passenger list (masked).
    pub id_no: String,
    /// Ticket type code (`1`–`4`; default `1`).
    #[serde(default)]
    pub ticket_type: Option<String>,
    /// A seat class just for this traveller (`null` or empty: the task's).
    #[serde(default)]
    pub seat: Option<String>,
    /// The record's own type from getPassengerDTOs, when the UI has it (anything else is ignored).
    #[serde(default)]
    pub passenger_type: Option<String>,
    /// 选座: the seat letter wanted (`A`…`F`), if any.
    #[serde(default)]
    pub seat_letter: Option<crate::seat_choice::SeatLetter>,
    /// 选铺: the berth wanted, if any.
    #[serde(default)]
    pub berth: Option<crate::seat_choice::Berth>,
}

/// 1–8 capital letters and digits: every public train code (`G2`, `K1234`, `Y501`).
fn is_train_code(code: &str) -> bool {
    (1..=8).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Three capital letters: a station telecode (`AOH`).
fn is_telecode(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn fits(text: &str) -> bool {
    !text.is_empty() && text.chars().count() <= MAX_FIELD_CHARS
}

/// The interval in ms within the offered range; not a number (or 0) gives the default, as an empty field does.
fn interval(ms: Option<f64>) -> u64 {
    match ms {
        Some(ms) if ms.is_finite() && ms != 0.0 => {
            ms.clamp(MIN_INTERVAL_MS as f64, MAX_INTERVAL_MS as f64) as u64
        }
        _ => DEFAULT_INTERVAL_MS,
    }
}

/// The least seats as a whole number within 1–[`MAX_MIN_SEATS`]; not a number gives none (the default).
fn min_seats(n: Option<f64>) -> Option<u32> {
    n.filter(|n| n.is_finite())
        .map(|n| n.round().clamp(1.0, f64::from(MAX_MIN_SEATS)) as u32)
}

/// Each entry once, in the order first given.
fn dedup(entries: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(entries.len());
    for e in entries {
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

/// A departure bound: empty is none.
fn bound(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn passenger(p: SpecPassenger) -> Result<TaskPassenger, TaskError> {
    if !fits(&p.name) || !fits(&p.id_no) {
        return Err(TaskError::BadPassenger);
    }
    // Only a known record type means anything to the machine; anything else is as good as none.
    let passenger_type = p
        .passenger_type
        .filter(|t| TicketType::from_code(t).is_some())
        .unwrap_or_default();
    Ok(TaskPassenger {
        name: p.name,
        id_no: p.id_no,
        ticket_type: p
            .ticket_type
            .unwrap_or_else(|| TicketType::Adult.code().into()),
        seat: p.seat.filter(|s| !s.is_empty()),
        passenger_type,
        seat_letter: p.seat_letter,
        berth: p.berth,
    })
}

/// Why a pressed row's train is refused: the panel books the code of one row (patterns come from elsewhere).
const NOT_A_CODE: &str = "车次只能含 1–8 个大写字母和数字";

impl BookingTask {
    /// The task a [`TaskSpec`] asks for, with the host's `id`, or why it cannot be booked. The task books
    /// `trains` (else the train pressed, which must be a code) of the kinds and window given, on `dates` (else
    /// `date`); a task without trains and kinds is refused (it would take any train). A group of students alone
    /// queries and orders as students (`0X00`), a mixed group as adults, as the official page does. The result is
    /// [`BookingTask::validate`]d.
    pub fn from_spec(spec: TaskSpec, id: String) -> Result<BookingTask, TaskError> {
        let trains = if !spec.trains.is_empty() {
            let trains: Vec<String> = spec.trains.iter().map(|t| t.trim().to_owned()).collect();
            dedup(trains)
        } else if !spec.train.is_empty() {
            if !is_train_code(&spec.train) {
                return Err(TaskError::BadTrain(PatternError {
                    source: spec.train,
                    reason: NOT_A_CODE.to_owned(),
                }));
            }
            vec![spec.train]
        } else {
            Vec::new()
        };
        let train_types = dedup(
            spec.train_types
                .iter()
                .map(|t| t.trim().to_ascii_uppercase())
                .collect(),
        );
        if trains.is_empty() && train_types.is_empty() {
            return Err(TaskError::NoTrains);
        }
        let dates = if spec.dates.is_empty() {
            vec![spec.date]
        } else {
            dedup(spec.dates)
        };
        for station in [&spec.from, &spec.to] {
            if !is_telecode(station) {
                return Err(TaskError::BadStation(station.clone()));
            }
        }
        let passengers = spec
            .passengers
            .into_iter()
            .map(passenger)
            .collect::<Result<Vec<_>, _>>()?;
        let students = !passengers.is_empty()
            && passengers
                .iter()
                .all(|p| p.ticket_type == TicketType::Student.code());
        // A class ticked twice is one preference.
        let mut seats: Vec<String> = Vec::with_capacity(spec.seats.len());
        for seat in spec.seats {
            if !seats.contains(&seat) {
                seats.push(seat);
            }
        }
        let cut = |name: String| {
            name.chars()
                .take(MAX_STATION_NAME_CHARS)
                .collect::<String>()
        };
        let task = BookingTask {
            id,
            date: dates.first().cloned().unwrap_or_default(),
            dates,
            train_types,
            depart_after: bound(spec.depart_after),
            depart_before: bound(spec.depart_before),
            min_seats: min_seats(spec.min_seats),
            allow_fewer: spec.allow_fewer,
            from: spec.from,
            to: spec.to,
            from_name: cut(spec.from_name),
            to_name: cut(spec.to_name),
            trains,
            seats,
            accept_no_seat: spec.accept_no_seat,
            passengers,
            purpose: if students {
                PURPOSE_STUDENT
            } else {
                PURPOSE_ADULT
            }
            .into(),
            query_path: spec.query_path.filter(|path| query_path::is_valid(path)),
            interval_ms: interval(spec.interval_ms),
            encrypted_data: String::new(),
            waitlist: spec.waitlist.unwrap_or_default(),
            quiet_carriage: spec.quiet_carriage,
        };
        task.validate()?;
        Ok(task)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::TrainPattern;

    /// What the panel sends (ARCHITECTURE.md §3), as JSON.
    fn spec() -> TaskSpec {
        serde_json::from_str(
            r#"{ "train": "G2", "date": "2026-12-01", "from": "AOH", "to": "VNP",
                 "fromName": "上海虹桥", "toName": "北京南", "queryPath": "leftTicket/queryG",
                 "seats": ["O", "M", "O"], "acceptNoSeat": true, "intervalMs": 3000,
                 "passengers": [
                   { "name": "张三", "idNo": "1101***********012", "ticketType": "1", "seat": null, "passengerType": "1" },
                   { "name": "张小宝", "idNo": "1101***********099", "ticketType": "2", "seat": "O", "passengerType": "x" }
                 ] }"#,
        )
        .expect("the panel's request parses")
    }

    #[test]
    fn a_panel_request_becomes_the_task() {
        let task = BookingTask::from_spec(spec(), "t1".into()).expect("valid");
        let expected: BookingTask = serde_json::from_str(
            r#"{ "id": "t1", "date": "2026-12-01", "dates": ["2026-12-01"], "from": "AOH", "to": "VNP",
                 "fromName": "上海虹桥", "toName": "北京南",
                 "trains": ["G2"], "seats": ["O", "M"], "acceptNoSeat": true,
                 "passengers": [
                   { "name": "张三", "idNo": "1101***********012", "ticketType": "1", "seat": null, "passengerType": "1" },
                   { "name": "张小宝", "idNo": "1101***********099", "ticketType": "2", "seat": "O", "passengerType": "" }
                 ],
                 "purpose": "ADULT", "queryPath": "leftTicket/queryG", "intervalMs": 3000, "encryptedData": "" }"#,
        )
        .expect("expected task");
        assert_eq!(task, expected);
    }

    #[test]
    fn students_alone_query_as_students_and_hints_are_tamed() {
        let mut s = spec();
        s.passengers.truncate(1);
        s.passengers[0].ticket_type = Some("3".into());
        s.passengers[0].passenger_type = Some("3".into());
        s.interval_ms = Some(5.0);
        s.query_path = Some("../evil".into());
        s.from_name = "长".repeat(50);
        let task = BookingTask::from_spec(s.clone(), "t2".into()).expect("valid");
        assert_eq!(task.purpose, PURPOSE_STUDENT);
        assert_eq!(task.interval_ms, MIN_INTERVAL_MS);
        assert_eq!(task.query_path, None);
        assert_eq!(task.from_name.chars().count(), 20);
        // A student with an adult is a mixed group: adults' purpose.
        let mut mixed = spec();
        mixed.passengers[0].ticket_type = Some("3".into());
        mixed.passengers[0].passenger_type = None;
        assert_eq!(
            BookingTask::from_spec(mixed, "t".into()).map(|t| t.purpose),
            Ok(PURPOSE_ADULT.into())
        );
        for (given, kept) in [
            (Some(1e9), MAX_INTERVAL_MS),
            (Some(-5.0), MIN_INTERVAL_MS),
            (Some(f64::NAN), DEFAULT_INTERVAL_MS),
            (Some(0.0), DEFAULT_INTERVAL_MS),
            (None, DEFAULT_INTERVAL_MS),
            (Some(4500.7), 4500),
        ] {
            let mut s = spec();
            s.interval_ms = given;
            assert_eq!(
                BookingTask::from_spec(s, "t".into()).map(|t| t.interval_ms),
                Ok(kept),
                "{given:?}"
            );
        }
        // Without a ticket type a traveller is an adult.
        let mut s = spec();
        s.passengers[0].ticket_type = None;
        let task = BookingTask::from_spec(s, "t".into()).expect("valid");
        assert_eq!(task.passengers[0].ticket_type, "1");
    }

    #[test]
    fn several_trains_and_dates_kinds_window_and_seats() {
        let s: TaskSpec = serde_json::from_str(
            r#"{ "trains": ["G2", "G1**", "G2", "re:^D3\\d+$"], "trainTypes": ["g", "D", "G"],
                 "departAfter": "07:00", "departBefore": " ", "dates": ["2026-12-02", "2026-12-01", "2026-12-02"],
                 "from": "AOH", "to": "VNP", "minSeats": 3.4, "allowFewer": true,
                 "passengers": [ { "name": "张三", "idNo": "1101***********012" } ] }"#,
        )
        .expect("a list request parses");
        let task = BookingTask::from_spec(s.clone(), "t".into()).expect("valid");
        assert_eq!(task.trains, ["G2", "G1**", "re:^D3\\d+$"]);
        assert_eq!(task.train_types, ["G", "D"]);
        assert_eq!(task.date, "2026-12-02");
        assert_eq!(task.dates, ["2026-12-02", "2026-12-01"]);
        assert_eq!(task.travel_dates(), task.dates);
        assert_eq!(
            (task.depart_after.as_deref(), task.depart_before.as_deref()),
            (Some("07:00"), None)
        );
        assert_eq!((task.min_seats, task.min_seats()), (Some(3), 3));
        assert!(task.allow_fewer);
        // Kinds alone are a task (any G or D train of the window).
        let mut kinds = s.clone();
        kinds.trains.clear();
        let task = BookingTask::from_spec(kinds, "t".into()).expect("valid");
        assert!(task.trains.is_empty());
        for (given, kept) in [
            (Some(0.0), Some(1)),
            (Some(99.0), Some(MAX_MIN_SEATS)),
            (Some(f64::NAN), None),
            (None, None),
        ] {
            let mut s = s.clone();
            s.min_seats = given;
            assert_eq!(
                BookingTask::from_spec(s, "t".into()).map(|t| t.min_seats),
                Ok(kept),
                "{given:?}"
            );
        }
    }

    #[test]
    fn what_a_page_must_not_send_is_refused() {
        type Change = fn(&mut TaskSpec);
        let cases: Vec<(Change, TaskError)> = vec![
            (
                |s| s.train = "G2&x=1".into(),
                TaskError::BadTrain(PatternError {
                    source: "G2&x=1".into(),
                    reason: NOT_A_CODE.into(),
                }),
            ),
            (|s| s.train = String::new(), TaskError::NoTrains),
            (
                |s| s.trains = vec!["G1**".into(), "re:(".into()],
                TaskError::BadTrain(PatternError {
                    source: "re:(".into(),
                    reason: TrainPattern::parse("re:(").expect_err("bad").reason,
                }),
            ),
            (
                |s| s.trains = (0..31).map(|n| format!("G{n}")).collect(),
                TaskError::TooManyTrains(31),
            ),
            (
                |s| s.dates = vec!["2026-12-01".into(), "12/02".into()],
                TaskError::BadDate("12/02".into()),
            ),
            (
                |s| s.dates = (1..=16).map(|d| format!("2026-12-{d:02}")).collect(),
                TaskError::TooManyDates(16),
            ),
            (
                |s| s.train_types = vec!["G".into(), "X".into()],
                TaskError::BadTrainType("X".into()),
            ),
            (
                |s| s.depart_after = Some("7:30".into()),
                TaskError::BadTime("7:30".into()),
            ),
            (
                |s| s.depart_before = Some("24:00".into()),
                TaskError::BadTime("24:00".into()),
            ),
            (
                |s| {
                    s.depart_after = Some("18:00".into());
                    s.depart_before = Some("08:00".into());
                },
                TaskError::BadTimeWindow {
                    after: "18:00".into(),
                    before: "08:00".into(),
                },
            ),
            (
                |s| s.date = "2026-1-1".into(),
                TaskError::BadDate("2026-1-1".into()),
            ),
            (
                |s| s.from = "aoh".into(),
                TaskError::BadStation("aoh".into()),
            ),
            (
                |s| s.to = "VNPX".into(),
                TaskError::BadStation("VNPX".into()),
            ),
            (|s| s.passengers.clear(), TaskError::NoPassengers),
            (
                |s| {
                    let p = s.passengers[0].clone();
                    s.passengers = (0..10).map(|_| p.clone()).collect();
                },
                TaskError::TooManyPassengers(10),
            ),
            (
                |s| s.passengers[0].name = String::new(),
                TaskError::BadPassenger,
            ),
            (
                |s| s.passengers[0].id_no = "1".repeat(41),
                TaskError::BadPassenger,
            ),
            (
                |s| s.seats.push("bad".into()),
                TaskError::BadSeat("bad".into()),
            ),
            (
                |s| s.passengers[1].seat = Some("Z".into()),
                TaskError::BadSeat("Z".into()),
            ),
            (
                |s| s.passengers[0].ticket_type = Some("9".into()),
                TaskError::BadTicketType("9".into()),
            ),
            (
                |s| s.passengers[0].ticket_type = Some("3".into()),
                TaskError::TicketTypeNotAllowed {
                    name: "张三".into(),
                    ticket_type: "3".into(),
                    passenger_type: "1".into(),
                },
            ),
        ];
        for (change, error) in cases {
            let mut s = spec();
            change(&mut s);
            assert_eq!(
                BookingTask::from_spec(s.clone(), "t".into()),
                Err(error),
                "{s:?}"
            );
        }
        // Not the shape of a request at all.
        for bad in [
            r#"null"#,
            r#"{"train":"G2"}"#,
            r#"{"train":"G2","date":"2026-12-01","from":"AOH","to":"VNP","passengers":["张三"]}"#,
            r#"{"train":"G2","date":"2026-12-01","from":"AOH","to":"VNP","passengers":[],"seats":["O",7]}"#,
        ] {
            assert!(serde_json::from_str::<TaskSpec>(bad).is_err(), "{bad}");
        }
    }
}
