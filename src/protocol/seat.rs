//! Seat classes and ticket types: the codes 12306 puts on the wire (PROTOCOL.md §4.1, §4.2).

use serde::{Deserialize, Serialize};

/// A seat class as the query table shows it. `NoSeat` (无座) has no code of its own on the wire:
/// it is submitted under the train's base class (see [`SeatClass::submit_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SeatClass {
    /// 商务座 `9`
    Business,
    /// 特等座 `P`
    Special,
    /// 优选一等座 `D`
    FirstPremium,
    /// 一等座 `M`
    First,
    /// 二等座 `O`
    Second,
    /// 二等包座 `S`
    SecondBox,
    /// 高级软卧 `6`
    SuperiorSoftSleeper,
    /// 高级动卧 `A`
    SuperiorEmuSleeper,
    /// 软卧 `4`
    SoftSleeper,
    /// 一等卧 `I`
    FirstSleeper,
    /// 动卧 `F`
    EmuSleeper,
    /// 硬卧 `3`
    HardSleeper,
    /// 二等卧 `J`
    SecondSleeper,
    /// 软座 `2`
    SoftSeat,
    /// 硬座 `1`
    HardSeat,
    /// 无座 (display code `W`; never submitted as such)
    NoSeat,
    /// 其他 `H`
    Other,
}

impl SeatClass {
    /// Every class, in the order of the official web table (business first, 无座/其他 last).
    pub const ALL: [SeatClass; 17] = [
        SeatClass::Business,
        SeatClass::Special,
        SeatClass::FirstPremium,
        SeatClass::First,
        SeatClass::Second,
        SeatClass::SecondBox,
        SeatClass::SuperiorSoftSleeper,
        SeatClass::SuperiorEmuSleeper,
        SeatClass::SoftSleeper,
        SeatClass::FirstSleeper,
        SeatClass::EmuSleeper,
        SeatClass::HardSleeper,
        SeatClass::SecondSleeper,
        SeatClass::SoftSeat,
        SeatClass::HardSeat,
        SeatClass::NoSeat,
        SeatClass::Other,
    ];

    /// The one-character code 12306 uses (`W` for 无座, which only appears in display data).
    pub fn code(self) -> &'static str {
        match self {
            SeatClass::Business => "9",
            SeatClass::Special => "P",
            SeatClass::FirstPremium => "D",
            SeatClass::First => "M",
            SeatClass::Second => "O",
            SeatClass::SecondBox => "S",
            SeatClass::SuperiorSoftSleeper => "6",
            SeatClass::SuperiorEmuSleeper => "A",
            SeatClass::SoftSleeper => "4",
            SeatClass::FirstSleeper => "I",
            SeatClass::EmuSleeper => "F",
            SeatClass::HardSleeper => "3",
            SeatClass::SecondSleeper => "J",
            SeatClass::SoftSeat => "2",
            SeatClass::HardSeat => "1",
            SeatClass::NoSeat => "W",
            SeatClass::Other => "H",
        }
    }

    /// The class of a wire code (`M` → 一等座); `W`/`WZ` → 无座; `None` for codes not modelled here.
    pub fn from_code(code: &str) -> Option<SeatClass> {
        SeatClass::ALL
            .iter()
            .copied()
            .find(|s| s.code() == code)
            .or(match code {
                "WZ" => Some(SeatClass::NoSeat),
                _ => None,
            })
    }

    /// The Chinese name as the official page shows it (`一等座`).
    pub fn name_zh(self) -> &'static str {
        match self {
            SeatClass::Business => "商务座",
            SeatClass::Special => "特等座",
            SeatClass::FirstPremium => "优选一等座",
            SeatClass::First => "一等座",
            SeatClass::Second => "二等座",
            SeatClass::SecondBox => "二等包座",
            SeatClass::SuperiorSoftSleeper => "高级软卧",
            SeatClass::SuperiorEmuSleeper => "高级动卧",
            SeatClass::SoftSleeper => "软卧",
            SeatClass::FirstSleeper => "一等卧",
            SeatClass::EmuSleeper => "动卧",
            SeatClass::HardSleeper => "硬卧",
            SeatClass::SecondSleeper => "二等卧",
            SeatClass::SoftSeat => "软座",
            SeatClass::HardSeat => "硬座",
            SeatClass::NoSeat => "无座",
            SeatClass::Other => "其他",
        }
    }

    /// The code submitted in `passengerTicketStr` and `getQueueCount.seatType`.
    /// 无座 goes under the base class of the train: 二等座 on G/D/C trains, 硬座 elsewhere.
    pub fn submit_code(self, train_code: &str) -> &'static str {
        match self {
            SeatClass::NoSeat => {
                if is_emu_train(train_code) {
                    "O"
                } else {
                    "1"
                }
            }
            other => other.code(),
        }
    }

    /// Whether a user picks this class from a list: every class but 无座 (a yes/no of its own, the task's
    /// `acceptNoSeat`, never a class to prefer) and 其他 (nothing 12306 lets one book).
    pub fn is_choosable(self) -> bool {
        !matches!(self, SeatClass::NoSeat | SeatClass::Other)
    }

    /// Where the official query page's table shows this class's count, judged from the train code alone (the
    /// table's cells carry no seat codes): `None` for 二等包座, which shares 二等座's column on the few trains
    /// that sell it. The machine itself reads the query's JSON, where the train's seat codes tell shared
    /// columns apart (`train::column_of`); this is for a UI that reads the page (the panel's "classes the shown
    /// trains sell").
    pub fn table_column(self) -> Option<TableColumn> {
        let (column, trains) = match self {
            SeatClass::Business => ("SWZ", TableTrains::Any),
            SeatClass::Special => ("TZ", TableTrains::Any),
            SeatClass::FirstPremium => ("GG", TableTrains::Any),
            SeatClass::First => ("ZY", TableTrains::Any),
            SeatClass::Second => ("ZE", TableTrains::Any),
            SeatClass::SecondBox => return None,
            // The sleeper columns are shared: 动车/高铁 sell 高级动卧/一等卧/二等卧 where other trains sell
            // 高级软卧/软卧/硬卧 (PROTOCOL.md §4.1).
            SeatClass::SuperiorSoftSleeper => ("GR", TableTrains::Conventional),
            SeatClass::SuperiorEmuSleeper => ("GR", TableTrains::Emu),
            SeatClass::SoftSleeper => ("RW", TableTrains::Conventional),
            SeatClass::FirstSleeper => ("RW", TableTrains::Emu),
            SeatClass::EmuSleeper => ("SRRB", TableTrains::Any),
            SeatClass::HardSleeper => ("YW", TableTrains::Conventional),
            SeatClass::SecondSleeper => ("YW", TableTrains::Emu),
            SeatClass::SoftSeat => ("RZ", TableTrains::Any),
            SeatClass::HardSeat => ("YZ", TableTrains::Any),
            SeatClass::NoSeat => ("WZ", TableTrains::Any),
            SeatClass::Other => ("QT", TableTrains::Any),
        };
        Some(TableColumn { column, trains })
    }
}

/// The first letters of 动车/高铁/城际 train codes (G…, D…, C…): the trains with EMU seat classes.
pub const EMU_TRAIN_LETTERS: &str = "GDC";

/// True for a 动车/高铁/城际 train code (`G2`, `D3101`, `C1002`; see [`EMU_TRAIN_LETTERS`]).
pub fn is_emu_train(train_code: &str) -> bool {
    train_code
        .chars()
        .next()
        .is_some_and(|c| EMU_TRAIN_LETTERS.contains(c.to_ascii_uppercase()))
}

/// Which trains' rows show a class in its query-table column (see [`SeatClass::table_column`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum TableTrains {
    /// Every train that sells the class.
    Any,
    /// 动车/高铁/城际 trains only ([`is_emu_train`]).
    Emu,
    /// Every other train.
    Conventional,
}

/// A class's column in the official query table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableColumn {
    /// The id prefix of the column's cells (`ZY` in `ZY_240000G10104`), as the page and sim12306 name them.
    pub column: &'static str,
    /// Which trains show this class there.
    pub trains: TableTrains,
}

/// Ticket type (third field of `passengerTicketStr`); passenger types use the same numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TicketType {
    /// 成人票 `1`
    Adult,
    /// 儿童票 `2`
    Child,
    /// 学生票 `3`
    Student,
    /// 残军票 `4`
    DisabledMilitary,
}

impl TicketType {
    /// The wire code (`1`–`4`).
    pub fn code(self) -> &'static str {
        match self {
            TicketType::Adult => "1",
            TicketType::Child => "2",
            TicketType::Student => "3",
            TicketType::DisabledMilitary => "4",
        }
    }

    /// The Chinese name as the order page shows it (`学生票`).
    pub fn name_zh(self) -> &'static str {
        match self {
            TicketType::Adult => "成人票",
            TicketType::Child => "儿童票",
            TicketType::Student => "学生票",
            TicketType::DisabledMilitary => "残军票",
        }
    }

    /// Whether a passenger record of `passenger_type` (getPassengerDTOs `passenger_type`: `1` adult, `2` child,
    /// `3` student, `4` disabled military) may take this ticket type. Adult and child tickets go on any record (a
    /// child without a record rides on an adult's, the page's 添加儿童票); a student ticket needs a student
    /// record and a 残军 ticket a 残军 record, or 12306 refuses the order (sim: 学生票乘车人必须为学生). An unknown
    /// record type is not judged here.
    pub fn fits_record(self, passenger_type: &str) -> bool {
        match (self, passenger_type.trim()) {
            (TicketType::Student, t) => t == "3" || !matches!(t, "1" | "2" | "4"),
            (TicketType::DisabledMilitary, t) => t == "4" || !matches!(t, "1" | "2" | "3"),
            _ => true,
        }
    }

    /// The ticket type of a wire code; `None` for unknown codes.
    pub fn from_code(code: &str) -> Option<TicketType> {
        match code {
            "1" => Some(TicketType::Adult),
            "2" => Some(TicketType::Child),
            "3" => Some(TicketType::Student),
            "4" => Some(TicketType::DisabledMilitary),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in SeatClass::ALL {
            assert_eq!(SeatClass::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn shared_table_columns_are_told_apart_by_the_train() {
        // Every column a UI reads shows one choosable class per kind of train.
        for trains in [TableTrains::Emu, TableTrains::Conventional] {
            let mut columns: Vec<&str> = SeatClass::ALL
                .iter()
                .filter(|s| s.is_choosable())
                .filter_map(|s| s.table_column())
                .filter(|c| c.trains == trains || c.trains == TableTrains::Any)
                .map(|c| c.column)
                .collect();
            let all = columns.len();
            columns.sort_unstable();
            columns.dedup();
            assert_eq!(columns.len(), all, "{trains:?}: {columns:?}");
        }
        let rw = |s: SeatClass| s.table_column().map(|c| (c.column, c.trains));
        assert_eq!(rw(SeatClass::FirstSleeper), Some(("RW", TableTrains::Emu)));
        assert_eq!(
            rw(SeatClass::SoftSleeper),
            Some(("RW", TableTrains::Conventional))
        );
        assert_eq!(SeatClass::SecondBox.table_column(), None);
        assert!(!SeatClass::NoSeat.is_choosable() && !SeatClass::Other.is_choosable());
        assert!(is_emu_train("G2") && is_emu_train("d3101") && is_emu_train("C1002"));
        assert!(!is_emu_train("K1511") && !is_emu_train("Z1") && !is_emu_train(""));
    }

    #[test]
    fn no_seat_is_submitted_under_the_base_class() {
        assert_eq!(SeatClass::NoSeat.submit_code("G7784"), "O");
        assert_eq!(SeatClass::NoSeat.submit_code("D3101"), "O");
        assert_eq!(SeatClass::NoSeat.submit_code("K1511"), "1");
        assert_eq!(SeatClass::First.submit_code("G1"), "M");
    }
}
