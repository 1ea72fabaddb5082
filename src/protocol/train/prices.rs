//! `yp_info_new` (row field 39): plain prices and counts per seat class.
//!
//! Repeating 10-character groups `S PPPPP CCCC`: seat code, price in yuan × 10 (5 digits), count (4 digits).
//! A count ≥ 3000 marks 无座 (standing) sold under the same code, with `count − 3000` tickets
//! (PROTOCOL.md §3.5; same rule as the official page's decoder of the old `yp_info`).

use crate::seat::SeatClass;
use serde::{Deserialize, Serialize};

/// Count offset that marks a standing (无座) group.
const NO_SEAT_OFFSET: u32 = 3000;
const GROUP_LEN: usize = 10;

/// One decoded price group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeatPrice {
    /// The class; `NoSeat` for groups with count ≥ 3000; `None` for codes this crate does not model
    /// (rare classes such as `5` 包厢硬卧).
    pub seat: Option<SeatClass>,
    /// The seat code as received (for 无座 the base class code, e.g. `O`).
    pub code: String,
    /// Price in yuan × 10 (`00610` → 610 = ¥61.0).
    pub price_tenths: u32,
    /// Tickets left (already reduced by 3000 for 无座).
    pub count: u32,
}

impl SeatPrice {
    /// Price in yuan as a display string, e.g. `61.0`.
    pub fn price_yuan(&self) -> String {
        format!("{}.{}", self.price_tenths / 10, self.price_tenths % 10)
    }
}

/// Decodes a `yp_info_new` string. Malformed groups are skipped (the string is informational; the booking flow
/// never depends on it), a trailing partial group is ignored.
pub fn decode_yp_info_new(s: &str) -> Vec<SeatPrice> {
    let chars: Vec<char> = s.chars().collect();
    chars
        .chunks(GROUP_LEN)
        .filter(|g| g.len() == GROUP_LEN)
        .filter_map(|g| {
            let code: String = g.first()?.to_string();
            let price: String = g.get(1..6)?.iter().collect();
            let count: String = g.get(6..10)?.iter().collect();
            if !price.bytes().all(|b| b.is_ascii_digit())
                || !count.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            let price_tenths = price.parse().ok()?;
            let raw_count: u32 = count.parse().ok()?;
            let (seat, count) = if raw_count >= NO_SEAT_OFFSET {
                (Some(SeatClass::NoSeat), raw_count - NO_SEAT_OFFSET)
            } else {
                (SeatClass::from_code(&code), raw_count)
            };
            Some(SeatPrice {
                seat,
                code,
                price_tenths,
                count,
            })
        })
        .collect()
}

/// One group of `seat_discount_info` (row field 54): seat code + 4-digit discount code (`90091`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeatDiscount {
    /// Seat code as received (`W` = 无座).
    pub code: String,
    /// The 4-digit discount code (e.g. `0091`, `0067` ≈ 6.7折).
    pub discount: String,
}

/// Decodes `seat_discount_info` into 5-character groups; a trailing partial group is ignored.
pub fn decode_seat_discounts(s: &str) -> Vec<SeatDiscount> {
    let chars: Vec<char> = s.chars().collect();
    chars
        .chunks(5)
        .filter(|g| g.len() == 5)
        .filter_map(|g| {
            Some(SeatDiscount {
                code: g.first()?.to_string(),
                discount: g.get(1..)?.iter().collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_prices_and_the_standing_rule() {
        let p = decode_yp_info_new("M009800014O006100003O006103076");
        assert_eq!(p.len(), 3);
        assert_eq!(
            p[0],
            SeatPrice {
                seat: Some(SeatClass::First),
                code: "M".into(),
                price_tenths: 980,
                count: 14
            }
        );
        assert_eq!(p[1].seat, Some(SeatClass::Second));
        assert_eq!(p[1].count, 3);
        assert_eq!(p[2].seat, Some(SeatClass::NoSeat));
        assert_eq!(p[2].code, "O");
        assert_eq!(p[2].count, 76);
        assert_eq!(p[2].price_yuan(), "61.0");
    }

    #[test]
    fn tolerates_garbage() {
        assert!(decode_yp_info_new("").is_empty());
        assert!(decode_yp_info_new("M00980001").is_empty());
        assert_eq!(decode_yp_info_new("MxxxxxxxxxO006100003").len(), 1);
        assert_eq!(decode_yp_info_new("无无无无无无无无无无").len(), 0);
        assert_eq!(decode_seat_discounts("90091M006")[0].discount, "0091");
    }
}
