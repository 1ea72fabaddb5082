//! The `Date.prototype.toString()` text the order page sends as getQueueCount's `train_date`, computed without a
//! clock or a time-zone database: the page runs in China (UTC+8, no daylight saving since 1991), so the offset is
//! fixed and a civil-from-days conversion is all that is needed.

use crate::calendar::{civil_from_days, days_from_civil};

const CHINA_OFFSET_SECS: i64 = 8 * 3600;
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Midnight in China of a `YYYY-MM-DD` date as epoch ms: what `orderRequestDTO.train_date.time` holds, for when
/// the page does not give it.
pub fn china_midnight_ms(date: &str) -> Option<i64> {
    let mut parts = date.split('-').map(|p| p.parse::<i64>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    // Four-digit years only, as `Date` writes them; it also keeps the arithmetic far from overflow.
    if !(0..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400_000 - CHINA_OFFSET_SECS * 1000)
}

/// `new Date(ms).toString()` in a browser set to China Standard Time, e.g.
/// `Thu Apr 25 2024 00:00:00 GMT+0800 (中国标准时间)`.
pub fn js_date_string(epoch_ms: i64) -> String {
    let secs = epoch_ms.div_euclid(1000) + CHINA_OFFSET_SECS;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = WEEKDAYS
        .get(usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0))
        .copied()
        .unwrap_or("Sun");
    let month_name = MONTHS
        .get(usize::try_from(month - 1).unwrap_or(0))
        .copied()
        .unwrap_or("Jan");
    format!(
        "{weekday} {month_name} {day:02} {year:04} {:02}:{:02}:{:02} GMT+0800 (中国标准时间)",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_train_date() {
        // orderRequestDTO.train_date.time of the 2024 capture (2024-04-25 00:00 in China).
        assert_eq!(
            js_date_string(1_713_974_400_000),
            "Thu Apr 25 2024 00:00:00 GMT+0800 (中国标准时间)"
        );
    }

    #[test]
    fn midnight_of_a_date() {
        assert_eq!(china_midnight_ms("2024-04-25"), Some(1_713_974_400_000));
        assert_eq!(china_midnight_ms("2026-12-01"), Some(1_796_054_400_000));
        assert_eq!(china_midnight_ms("2024-13-01"), None);
        assert_eq!(china_midnight_ms("2024-04"), None);
        assert_eq!(china_midnight_ms("x-y-z"), None);
        assert_eq!(china_midnight_ms("99999999999999999-01-01"), None);
    }

    #[test]
    fn edges() {
        assert_eq!(
            js_date_string(0),
            "Thu Jan 01 1970 08:00:00 GMT+0800 (中国标准时间)"
        );
        // 2024-02-29 00:00 +08 = 2024-02-28T16:00Z
        assert_eq!(
            js_date_string(1_709_136_000_000),
            "Thu Feb 29 2024 00:00:00 GMT+0800 (中国标准时间)"
        );
        // 2026-12-31 23:59:59 +08
        assert_eq!(
            js_date_string(1_798_732_799_000),
            "Thu Dec 31 2026 23:59:59 GMT+0800 (中国标准时间)"
        );
        // negative times do not panic
        assert!(js_date_string(-86_400_000_000).starts_with("Fri Apr 07 1967 08:00:00"));
        let _ = js_date_string(i64::MIN / 2);
    }
}
