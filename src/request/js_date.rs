//! The `Date.prototype.toString()` text the order page sends as getQueueCount's `train_date`, computed without a
//! clock or a time-zone database: the page runs in China (UTC+8, no daylight saving since 1991), so the offset is
//! fixed and a civil-from-days conversion is all that is needed.

const CHINA_OFFSET_SECS: i64 = 8 * 3600;
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Year, month (1-12), day of the proleptic Gregorian calendar for days since 1970-01-01
/// (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
