//! 选座 / 选铺: which seat letters and berths the order page lets one choose, and how the confirm carries the
//! choice (PROTOCOL.md §5.6 `canChooseSeats` / `choose_Seats` / `canChooseBeds`, §5.8 `choose_seats`,
//! `seatDetailType`, `is_jy`; §5.3 the order page's `dw_flag` and `is_jy`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::seat::SeatClass;

/// A seat letter in the seat picker: A and F are at the window, C and D at the aisle (B the middle of three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum SeatLetter {
    /// A (window).
    A,
    /// B (middle, 二等座 only).
    B,
    /// C (aisle).
    C,
    /// D (aisle).
    D,
    /// F (window).
    F,
}

impl SeatLetter {
    /// The letter as sent.
    pub fn as_char(self) -> char {
        match self {
            SeatLetter::A => 'A',
            SeatLetter::B => 'B',
            SeatLetter::C => 'C',
            SeatLetter::D => 'D',
            SeatLetter::F => 'F',
        }
    }

    /// Whether it is a window seat.
    pub fn is_window(self) -> bool {
        matches!(self, SeatLetter::A | SeatLetter::F)
    }
}

/// A berth (选铺): 下铺, 中铺, 上铺.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Berth {
    /// 下铺.
    Lower,
    /// 中铺 (硬卧-type compartments only, and only when checkOrderInfo's `isCanChooseMid` is `Y`).
    Middle,
    /// 上铺.
    Upper,
}

/// checkOrderInfo's `canChooseBeds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BedChoice {
    /// `Y`: berths can be chosen.
    Offered,
    /// `N` (or absent): not for this order.
    NotOffered,
    /// `Z` (2026, TUAN): 选铺 needs the 12306 App's 人证核验 or 常旅客会员 — not possible for this account now.
    NeedsIdentityCheck,
    /// `5` (2026, TUAN): no online 选铺 for more than five passengers.
    TooManyPassengers,
    /// Any other value, kept as sent: treated as not offered.
    Unknown {
        /// The value.
        value: String,
    },
}

impl BedChoice {
    fn of(v: &str) -> BedChoice {
        match v {
            "Y" => BedChoice::Offered,
            "N" | "" => BedChoice::NotOffered,
            "Z" => BedChoice::NeedsIdentityCheck,
            "5" => BedChoice::TooManyPassengers,
            other => BedChoice::Unknown {
                value: other.chars().take(20).collect(),
            },
        }
    }

    /// Why berths cannot be chosen, in words for the user (`None` when they can, or simply are not offered).
    pub fn refusal_text(&self) -> Option<&'static str> {
        match self {
            BedChoice::NeedsIdentityCheck => {
                Some("12306：选铺需先在铁路12306 App完成人证核验或成为常旅客会员，本次未选铺")
            }
            BedChoice::TooManyPassengers => Some("12306：超过5位乘车人不能在线选铺，本次未选铺"),
            _ => None,
        }
    }
}

/// What checkOrderInfo says may be chosen for this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChoiceOffer {
    /// `canChooseSeats == "Y"`.
    pub seats: bool,
    /// `choose_Seats`: the class codes whose seats can be chosen (e.g. `MOP`).
    pub seat_classes: String,
    /// `canChooseBeds`.
    pub beds: BedChoice,
    /// `isCanChooseMid == "Y"`: 中铺 can be asked for.
    pub middle_berth: bool,
}

impl ChoiceOffer {
    /// Nothing can be chosen (what a missing or failed answer means).
    pub fn none() -> ChoiceOffer {
        ChoiceOffer {
            seats: false,
            seat_classes: String::new(),
            beds: BedChoice::NotOffered,
            middle_berth: false,
        }
    }

    /// Whether seats of `class` can be chosen.
    pub fn seats_for(&self, class: SeatClass) -> bool {
        self.seats && self.seat_classes.contains(class.code())
    }
}

/// Reads the choice fields of a successful checkOrderInfo answer; anything else gives [`ChoiceOffer::none`].
pub fn choice_offer(body: &str) -> ChoiceOffer {
    let Ok(root) = serde_json::from_str::<Value>(body) else {
        return ChoiceOffer::none();
    };
    let Some(data) = root.get("data").filter(|d| d.is_object()) else {
        return ChoiceOffer::none();
    };
    let s = |k: &str| data.get(k).and_then(Value::as_str).unwrap_or("").trim();
    ChoiceOffer {
        seats: s("canChooseSeats") == "Y",
        seat_classes: s("choose_Seats")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(20)
            .collect(),
        beds: BedChoice::of(s("canChooseBeds")),
        middle_berth: s("isCanChooseMid") == "Y",
    }
}

/// The seat letters the picker offers for `class` (PROTOCOL.md §5.8: 二等 `ABCDF`, 一等 / 优选一等 `ACDF`, 特等
/// `ACF`; 商务座 `AF` when the order page's `dw_flag` part 3 is `S` (a 1+1 layout), else `ACF`); empty for the
/// classes without a picker.
pub fn seat_letters(class: SeatClass, dw_flag: &str) -> &'static [SeatLetter] {
    use SeatLetter::*;
    match class {
        SeatClass::Second => &[A, B, C, D, F],
        SeatClass::First | SeatClass::FirstPremium => &[A, C, D, F],
        SeatClass::Special => &[A, C, F],
        SeatClass::Business if dw_flag.split(',').nth(3).map(str::trim) == Some("S") => &[A, F],
        SeatClass::Business => &[A, C, F],
        _ => &[],
    }
}

/// Whether `class` is a sleeper (its tickets are berths).
pub fn is_sleeper(class: SeatClass) -> bool {
    matches!(
        class,
        SeatClass::SuperiorSoftSleeper
            | SeatClass::SuperiorEmuSleeper
            | SeatClass::SoftSleeper
            | SeatClass::FirstSleeper
            | SeatClass::EmuSleeper
            | SeatClass::HardSleeper
            | SeatClass::SecondSleeper
    )
}

/// The confirm's `choose_seats`: `<row><letter>` for each passenger who wants a letter, in passenger order, the
/// way the page's picker writes it (ICCFISH `BuildSeatInfo`): row 1, or row 2 when that letter of row 1 is
/// already taken and there is more than one passenger (a single passenger may only pick row 1). Letters the
/// class does not offer, classes checkOrderInfo did not allow, and a third passenger on the same letter are
/// left out (random). `passengers` = (class, wanted letter) per passenger.
pub fn choose_seats(
    passengers: &[(SeatClass, Option<SeatLetter>)],
    offer: &ChoiceOffer,
    dw_flag: &str,
) -> String {
    let mut out = String::new();
    let mut taken: Vec<(u8, SeatLetter)> = Vec::new();
    for (class, letter) in passengers {
        let Some(letter) = letter else { continue };
        if !offer.seats_for(*class) || !seat_letters(*class, dw_flag).contains(letter) {
            continue;
        }
        let row = if !taken.contains(&(1, *letter)) {
            1
        } else if passengers.len() > 1 && !taken.contains(&(2, *letter)) {
            2
        } else {
            continue;
        };
        taken.push((row, *letter));
        out.push(char::from(b'0' + row));
        out.push(letter.as_char());
    }
    out
}

/// The confirm's `seatDetailType`: how many 下/中/上 berths are wanted (three digits; `000` = any), counted over
/// the sleeper passengers who asked for one, when checkOrderInfo offered 选铺 (`canChooseBeds == "Y"`); 中铺 only
/// with `isCanChooseMid`. What the page sends otherwise: `000`.
pub fn seat_detail_type(passengers: &[(SeatClass, Option<Berth>)], offer: &ChoiceOffer) -> String {
    if offer.beds != BedChoice::Offered {
        return "000".into();
    }
    let mut n = [0u8; 3];
    for (class, berth) in passengers {
        let slot = match berth {
            Some(_) if !is_sleeper(*class) => continue,
            Some(Berth::Lower) => 0,
            Some(Berth::Middle) if offer.middle_berth => 1,
            Some(Berth::Upper) => 2,
            _ => continue,
        };
        n[slot] = n[slot].saturating_add(1).min(9);
    }
    n.iter().map(|d| char::from(b'0' + d)).collect()
}

/// The confirm's `is_jy` (静音车厢): `Y` only when the order page declares `is_jy = 'Y'`, the user wants it and
/// every ticket is 二等座 (TUAN: offered for `O` only); else `N`, the page's initial value.
pub fn is_jy(page_offers: bool, wanted: bool, classes: &[SeatClass]) -> &'static str {
    let second_only = !classes.is_empty() && classes.iter().all(|c| *c == SeatClass::Second);
    if page_offers && wanted && second_only {
        "Y"
    } else {
        "N"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(body: &str) -> ChoiceOffer {
        choice_offer(body)
    }

    #[test]
    fn reads_the_2024_capture_and_the_2026_values() {
        let o = offer(
            r#"{"status":true,"data":{"canChooseBeds":"N","canChooseSeats":"Y","choose_Seats":"MOP","isCanChooseMid":"N","ifShowPassCodeTime":"1","submitStatus":true,"smokeStr":""}}"#,
        );
        assert!(o.seats_for(SeatClass::First) && o.seats_for(SeatClass::Second));
        assert!(!o.seats_for(SeatClass::Business));
        assert_eq!(o.beds, BedChoice::NotOffered);
        let z = offer(r#"{"data":{"canChooseBeds":"Z"}}"#);
        assert_eq!(z.beds, BedChoice::NeedsIdentityCheck);
        assert!(z.beds.refusal_text().is_some());
        assert_eq!(
            offer(r#"{"data":{"canChooseBeds":"5"}}"#).beds,
            BedChoice::TooManyPassengers
        );
        assert_eq!(
            offer(r#"{"data":{"canChooseBeds":"Q"}}"#).beds,
            BedChoice::Unknown { value: "Q".into() }
        );
        assert_eq!(offer("not json"), ChoiceOffer::none());
    }

    #[test]
    fn letters_per_class_and_layout() {
        assert_eq!(seat_letters(SeatClass::Second, "").len(), 5);
        assert_eq!(
            seat_letters(SeatClass::Business, "0,0,0,S,z"),
            &[SeatLetter::A, SeatLetter::F]
        );
        assert_eq!(seat_letters(SeatClass::Business, "0,0,0,0,z,0,z").len(), 3);
        assert!(seat_letters(SeatClass::HardSleeper, "").is_empty());
    }

    #[test]
    fn choose_seats_as_the_picker_writes_it() {
        let o = offer(r#"{"data":{"canChooseSeats":"Y","choose_Seats":"9MO"}}"#);
        let two = [
            (SeatClass::Second, Some(SeatLetter::A)),
            (SeatClass::Second, Some(SeatLetter::F)),
        ];
        assert_eq!(choose_seats(&two, &o, ""), "1A1F");
        let same = [
            (SeatClass::Second, Some(SeatLetter::A)),
            (SeatClass::Second, Some(SeatLetter::A)),
        ];
        assert_eq!(choose_seats(&same, &o, ""), "1A2A");
        // B is not an 一等座 letter; a class not in choose_Seats gets nothing.
        let odd = [
            (SeatClass::First, Some(SeatLetter::B)),
            (SeatClass::Special, Some(SeatLetter::A)),
            (SeatClass::Business, Some(SeatLetter::C)),
        ];
        assert_eq!(choose_seats(&odd, &o, "0,0,0,S"), "");
        assert_eq!(choose_seats(&odd[2..], &o, "0,0,0,0"), "1C");
        let no = offer(r#"{"data":{"canChooseSeats":"N","choose_Seats":"MO"}}"#);
        assert_eq!(choose_seats(&two, &no, ""), "");
        let one = [(SeatClass::Second, Some(SeatLetter::D))];
        assert_eq!(choose_seats(&one, &o, ""), "1D");
    }

    #[test]
    fn berth_counts() {
        let y = offer(r#"{"data":{"canChooseBeds":"Y","isCanChooseMid":"N"}}"#);
        let p = [
            (SeatClass::HardSleeper, Some(Berth::Lower)),
            (SeatClass::HardSleeper, Some(Berth::Middle)),
            (SeatClass::HardSleeper, Some(Berth::Upper)),
            (SeatClass::Second, Some(Berth::Lower)),
        ];
        assert_eq!(seat_detail_type(&p, &y), "101");
        let mid = offer(r#"{"data":{"canChooseBeds":"Y","isCanChooseMid":"Y"}}"#);
        assert_eq!(seat_detail_type(&p, &mid), "111");
        let z = offer(r#"{"data":{"canChooseBeds":"Z"}}"#);
        assert_eq!(seat_detail_type(&p, &z), "000");
    }

    #[test]
    fn quiet_carriage_only_where_offered() {
        assert_eq!(is_jy(true, true, &[SeatClass::Second]), "Y");
        assert_eq!(is_jy(false, true, &[SeatClass::Second]), "N");
        assert_eq!(
            is_jy(true, true, &[SeatClass::Second, SeatClass::First]),
            "N"
        );
        assert_eq!(is_jy(true, false, &[SeatClass::Second]), "N");
    }
}
