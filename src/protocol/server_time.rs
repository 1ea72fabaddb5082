//! What 12306's answers say about its clock and its pre-sale window: the HTTP `Date` header of any answer (RFC
//! 9110 §5.6.7, one-second resolution), and login/conf's `now` (server time in ms), `other_control` and
//! `stu_control` (the pre-sale window in days, 15 in 2024–2026; PROTOCOL.md §1.1 #1, §7). Also the Beijing-time
//! day arithmetic the sale schedule needs (China is UTC+8 all year). Pure functions: no clock here.

use crate::calendar::{civil_from_days, days_from_civil};

/// One day in ms.
pub const DAY_MS: u64 = 86_400_000;
/// Beijing time is UTC+8, with no daylight saving.
pub const BEIJING_OFFSET_MS: u64 = 8 * 3_600_000;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// Parses an HTTP date into ms since the epoch: the IMF-fixdate every current server sends (`Sun, 06 Nov 1994
/// 08:49:37 GMT`), and the two obsolete forms a recipient must still read (RFC 850 `Sunday, 06-Nov-94 08:49:37
/// GMT`, asctime `Sun Nov  6 08:49:37 1994`). The weekday is not checked. `None` for anything else.
pub fn parse_http_date(text: &str) -> Option<u64> {
    let (mut day, mut month, mut year, mut time) = (None, None, None, None);
    for token in text
        .split(|c: char| c.is_ascii_whitespace() || c == ',' || c == '-')
        .filter(|t| !t.is_empty())
    {
        if token.contains(':') {
            time = Some(token);
        } else if let Some(i) = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(token)) {
            month = Some(i as i64 + 1);
        } else if token.bytes().all(|b| b.is_ascii_digit()) {
            let n: i64 = token.parse().ok()?;
            match token.len() {
                1 | 2 if day.is_none() => day = Some(n),
                // RFC 850's two-digit year, pivoted at 1970 (nothing here predates the epoch).
                2 => year = Some(if n >= 70 { 1900 + n } else { 2000 + n }),
                4 => year = Some(n),
                _ => return None,
            }
        } else if !token.eq_ignore_ascii_case("GMT") && !token.chars().all(char::is_alphabetic) {
            return None;
        }
    }
    let (day, month, year) = (day?, month?, year?);
    let mut hms = time?.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    let valid = (1970..=9999).contains(&year)
        && (1..=31).contains(&day)
        && h < 24
        && m < 60
        && s <= 60
        && civil_from_days(days_from_civil(year, month, day)) == (year, month, day);
    if !valid {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s;
    u64::try_from(secs).ok().map(|s| s * 1000)
}

/// The IMF-fixdate of `ms` (the second it falls in), as a server writes its `Date` header.
pub fn format_http_date(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    let rest = secs % 86_400;
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[days.rem_euclid(7) as usize],
        d,
        MONTHS[(m - 1) as usize],
        y,
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// What login/conf says about 12306's clock and its pre-sale window (PROTOCOL.md §1.1 #1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConfTimes {
    /// `data.now`: the server's time in ms when it answered (`1713766098347` in CAP24).
    pub now_ms: Option<u64>,
    /// `data.other_control`: days in the pre-sale window for adult tickets (15 in 2024–2026).
    pub presale_days: Option<u32>,
    /// `data.stu_control`: the same for student tickets.
    pub student_presale_days: Option<u32>,
}

/// Reads [`ConfTimes`] from a login/conf answer; absent or malformed fields are `None`. Numbers may come as
/// JSON numbers or strings.
pub fn conf_times(body: &str) -> ConfTimes {
    let Ok(root) = crate::error::parse_json_body(body) else {
        return ConfTimes::default();
    };
    let number = |key: &str| -> Option<u64> {
        match root.pointer(&format!("/data/{key}"))? {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let days = |key: &str| {
        number(key)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| (1..=120).contains(n))
    };
    ConfTimes {
        // Before 2001 or after 2286 is not a clock reading.
        now_ms: number("now").filter(|n| (1_000_000_000_000..10_000_000_000_000).contains(n)),
        presale_days: days("other_control"),
        student_presale_days: days("stu_control"),
    }
}

/// The Beijing calendar day (days since 1970-01-01) of an instant.
pub fn beijing_day(ms: u64) -> i64 {
    (ms.saturating_add(BEIJING_OFFSET_MS) / DAY_MS) as i64
}

/// The instant of Beijing midnight starting `day` (days since 1970-01-01); 0 for days before 1970-01-02.
pub fn beijing_midnight_ms(day: i64) -> u64 {
    u64::try_from(day)
        .unwrap_or(0)
        .saturating_mul(DAY_MS)
        .saturating_sub(BEIJING_OFFSET_MS)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, if it is one.
pub fn date_days(date: &str) -> Option<i64> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = date.get(0..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    let d: i64 = date.get(8..10)?.parse().ok()?;
    let days = days_from_civil(y, m, d);
    (civil_from_days(days) == (y, m, d)).then_some(days)
}

/// `YYYY-MM-DD` of a day count.
pub fn day_date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `MM月DD日 HH:MM` in Beijing time, as the sale texts of the UI say it.
pub fn beijing_minute_text(ms: u64) -> String {
    let local = ms.saturating_add(BEIJING_OFFSET_MS);
    let (_, m, d) = civil_from_days((local / DAY_MS) as i64);
    let minute = local % DAY_MS / 60_000;
    format!("{m:02}月{d:02}日 {:02}:{:02}", minute / 60, minute % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        // RFC 9110 §5.6.7's example in its three forms.
        let t = 784_111_777_000;
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(t));
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(t));
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(t));
        assert_eq!(format_http_date(t + 999), "Sun, 06 Nov 1994 08:49:37 GMT");
        // MIPHA25's initDc capture is dated 2025-07-25.
        let d = parse_http_date("Fri, 25 Jul 2025 09:15:02 GMT").unwrap();
        assert_eq!(format_http_date(d), "Fri, 25 Jul 2025 09:15:02 GMT");
        for bad in [
            "",
            "yesterday",
            "Sun, 31 Feb 2025 08:00:00 GMT",
            "Sun, 06 Nov 1994 25:00:00 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
        for ms in [0u64, 1_713_766_098_347, 4_102_444_800_000] {
            assert_eq!(
                parse_http_date(&format_http_date(ms)),
                Some(ms / 1000 * 1000)
            );
        }
    }

    #[test]
    fn conf_from_the_2024_capture() {
        // CAP24's login/conf (PROTOCOL.md §1.1 #1): now, nowStr, other_control, stu_control.
        let body = r#"{"validateMessagesShowId":"_validatorMessage","status":true,"httpstatus":200,
            "data":{"is_login":"Y","queryUrl":"leftTicket/queryG","nowStr":"20240422140818","now":1713766098347,
            "stu_control":15,"other_control":15},"messages":[],"validateMessages":{}}"#;
        assert_eq!(
            conf_times(body),
            ConfTimes {
                now_ms: Some(1_713_766_098_347),
                presale_days: Some(15),
                student_presale_days: Some(15),
            }
        );
        let strings = r#"{"status":true,"data":{"now":"1713766098347","other_control":"30"}}"#;
        assert_eq!(conf_times(strings).presale_days, Some(30));
        assert_eq!(conf_times(r#"{"data":{"now":12}}"#).now_ms, None);
        assert_eq!(conf_times("<html>"), ConfTimes::default());
    }

    #[test]
    fn beijing_days() {
        // 2024-04-22 14:08:18 Beijing.
        let now = 1_713_766_098_347;
        assert_eq!(day_date(beijing_day(now)), "2024-04-22");
        assert_eq!(date_days("2024-04-22"), Some(beijing_day(now)));
        assert_eq!(beijing_minute_text(now), "04月22日 14:08");
        // 23:30 UTC is already the next day in Beijing.
        let late = beijing_midnight_ms(beijing_day(now) + 1) - 1;
        assert_eq!(beijing_minute_text(late), "04月22日 23:59");
        assert_eq!(date_days("2024-02-30"), None);
        assert_eq!(date_days("2024-4-22"), None);
    }
}
