//! Seat cells of a query row: which column holds which class, and what a cell value means.

use super::row_index as ix;
use crate::seat::SeatClass;
use serde::{Deserialize, Serialize};

/// What a row says about one seat class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Availability {
    /// `有`: plenty (≥ 20), no exact count given.
    Plenty,
    /// An exact number of seats left (`1`–`19`).
    Count(u32),
    /// `无`: sold out, and 候补 (waitlist) is not possible for this class.
    SoldOut,
    /// Sold out, but 候补 is accepted for this class (train flag 1, class not refused, not 无座/其他).
    /// The raw API says `无`; the official page shows `候补` in this case.
    Waitlist,
    /// `*`: not on sale yet.
    NotYetOnSale,
    /// Empty or `--`: this train does not have the class.
    NotOffered,
    /// Any other cell text, kept verbatim (new markers such as `预约`).
    Unknown(String),
}

impl Availability {
    /// True when at least `n` tickets can be bought right now (`有`, or a count ≥ `n`).
    pub fn has_at_least(&self, n: u32) -> bool {
        match self {
            Availability::Plenty => true,
            Availability::Count(c) => *c >= n,
            _ => false,
        }
    }
}

/// One seat class of a train with its raw cell and its meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeatCell {
    /// The class.
    pub seat: SeatClass,
    /// Its wire code (`D`), as a task's `seats` names it; repeated here because `seat` serialises as the Rust
    /// name (`FirstPremium`) and the extension reads these cells as JSON.
    #[serde(default)]
    pub code: String,
    /// Its name as the official query table heads the column (`优选一等座`).
    #[serde(default)]
    pub label: String,
    /// The row index the value came from.
    pub column: usize,
    /// The cell text as received.
    pub raw: String,
    /// Its meaning.
    pub availability: Availability,
}

/// The row column that holds the count of `seat` (PROTOCOL.md §3.5/§4.1). Some columns are shared by two
/// classes (二等座/二等包座, 软卧/一等卧, 硬卧/二等卧, 高级软卧/高级动卧); which one a train has is decided from its
/// `seat_types`/`yp_ex` codes (see [`owns_column`]). 优选一等座 has a column of its own, `gg_num` (20), next to
/// 一等座's `zy_num` (31): §3.5 and §4.1 name four independent 2025–2026 sources for that, against one that put it
/// in 31.
pub fn column_of(seat: SeatClass) -> usize {
    match seat {
        SeatClass::Business => ix::SWZ_NUM,
        SeatClass::Special => ix::TZ_NUM,
        SeatClass::FirstPremium => ix::GG_NUM,
        SeatClass::First => ix::ZY_NUM,
        SeatClass::Second | SeatClass::SecondBox => ix::ZE_NUM,
        SeatClass::SuperiorSoftSleeper | SeatClass::SuperiorEmuSleeper => ix::GR_NUM,
        SeatClass::SoftSleeper | SeatClass::FirstSleeper => ix::RW_NUM,
        SeatClass::EmuSleeper => ix::SRRB_NUM,
        SeatClass::HardSleeper | SeatClass::SecondSleeper => ix::YW_NUM,
        SeatClass::SoftSeat => ix::RZ_NUM,
        SeatClass::HardSeat => ix::YZ_NUM,
        SeatClass::NoSeat => ix::WZ_NUM,
        SeatClass::Other => ix::QT_NUM,
    }
}

/// Classes sharing `column`, the usual one first.
fn column_candidates(column: usize) -> &'static [SeatClass] {
    match column {
        ix::ZE_NUM => &[SeatClass::Second, SeatClass::SecondBox],
        ix::GR_NUM => &[
            SeatClass::SuperiorSoftSleeper,
            SeatClass::SuperiorEmuSleeper,
        ],
        ix::RW_NUM => &[SeatClass::SoftSleeper, SeatClass::FirstSleeper],
        ix::YW_NUM => &[SeatClass::HardSleeper, SeatClass::SecondSleeper],
        _ => &[],
    }
}

/// Whether `seat` owns its column on a train selling `codes` (its `seat_types` + `yp_ex` seat codes).
/// For a shared column the classes listed in `codes` own it; when none is listed, the usual class does.
pub fn owns_column(seat: SeatClass, codes: &str) -> bool {
    let candidates = column_candidates(column_of(seat));
    if candidates.is_empty() {
        return true;
    }
    let listed = |s: &SeatClass| codes.contains(s.code());
    if candidates.iter().any(listed) {
        listed(&seat)
    } else {
        candidates.first() == Some(&seat)
    }
}

/// 候补 context of a row: the train flag and the refused classes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Houbu<'a> {
    pub allowed: bool,
    pub seat_limit: &'a str,
}

/// Interprets one cell for `seat`.
pub(crate) fn classify(raw: &str, seat: SeatClass, houbu: Houbu<'_>) -> Availability {
    let sold_out = || {
        let waitlistable = houbu.allowed
            && !matches!(seat, SeatClass::NoSeat | SeatClass::Other)
            && !houbu.seat_limit.contains(seat.code());
        if waitlistable {
            Availability::Waitlist
        } else {
            Availability::SoldOut
        }
    };
    match raw.trim() {
        "" | "--" => Availability::NotOffered,
        "有" => Availability::Plenty,
        "无" | "候补" => sold_out(),
        "*" => Availability::NotYetOnSale,
        other => match other.parse::<u32>() {
            Ok(0) => sold_out(),
            Ok(n) => Availability::Count(n),
            Err(_) => Availability::Unknown(other.to_string()),
        },
    }
}

/// Seat codes found in a `yp_ex` string: its even positions (`90M0O0W0` → `9MOW`).
pub(crate) fn yp_ex_codes(yp_ex: &str) -> String {
    yp_ex.chars().step_by(2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_HOUBU: Houbu<'static> = Houbu {
        allowed: false,
        seat_limit: "",
    };

    #[test]
    fn cell_values() {
        let cases = [
            ("有", Availability::Plenty),
            ("13", Availability::Count(13)),
            ("无", Availability::SoldOut),
            ("*", Availability::NotYetOnSale),
            ("", Availability::NotOffered),
            ("--", Availability::NotOffered),
            ("预约", Availability::Unknown("预约".into())),
        ];
        for (cell, want) in cases {
            assert_eq!(
                classify(cell, SeatClass::Second, NO_HOUBU),
                want,
                "{cell:?}"
            );
        }
    }

    #[test]
    fn waitlist_rules() {
        let h = Houbu {
            allowed: true,
            seat_limit: "JOI",
        };
        assert_eq!(classify("无", SeatClass::First, h), Availability::Waitlist);
        assert_eq!(
            classify("无", SeatClass::Second, h),
            Availability::SoldOut,
            "O is refused"
        );
        assert_eq!(
            classify("无", SeatClass::NoSeat, h),
            Availability::SoldOut,
            "无座 is never waitlisted"
        );
        assert_eq!(classify("无", SeatClass::Other, h), Availability::SoldOut);
    }

    #[test]
    fn shared_columns() {
        // 一等座 and 优选一等座 have a column each, whatever the train lists (PROTOCOL.md §4.1).
        assert!(owns_column(SeatClass::First, "9MOO"));
        assert!(owns_column(SeatClass::First, "9DO"));
        assert!(owns_column(SeatClass::FirstPremium, "9MOO"));
        assert_eq!(column_of(SeatClass::FirstPremium), 20);
        assert_eq!(column_of(SeatClass::First), 31);
        assert!(owns_column(SeatClass::SecondSleeper, "JO"));
        assert!(!owns_column(SeatClass::HardSleeper, "JO"));
        assert!(owns_column(SeatClass::HardSleeper, ""));
        assert!(owns_column(SeatClass::Business, ""));
    }
}
