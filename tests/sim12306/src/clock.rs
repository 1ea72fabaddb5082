//! Time: the simulator clock is the wall clock plus an offset settable through the control API, and
//! every date or sale time is China time (UTC+8, no DST), as on 12306.

use std::time::{SystemTime, UNIX_EPOCH};

/// China is UTC+8 all year (no daylight saving since 1991).
pub const CHINA_OFFSET_MS: i64 = 8 * 3600 * 1000;
/// One day in ms.
pub const DAY_MS: i64 = 86_400_000;

/// Milliseconds since the epoch of the real wall clock.
pub fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

impl Date {
    /// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm).
    pub fn days(self) -> i64 {
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `z` days after 1970-01-01 (inverse of [`Date::days`]).
    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Date {
            y: (y + i64::from(m <= 2)) as i32,
            m,
            d,
        }
    }

    /// Parses `YYYY-MM-DD` (also `YYYYMMDD`), rejecting impossible dates.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let (y, m, d) = if s.len() == 10
            && s.as_bytes().get(4) == Some(&b'-')
            && s.as_bytes().get(7) == Some(&b'-')
        {
            (s.get(0..4)?, s.get(5..7)?, s.get(8..10)?)
        } else if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            (s.get(0..4)?, s.get(4..6)?, s.get(6..8)?)
        } else {
            return None;
        };
        let date = Date {
            y: y.parse().ok()?,
            m: m.parse().ok()?,
            d: d.parse().ok()?,
        };
        (date.m >= 1 && date.m <= 12 && date.d >= 1 && Date::from_days(date.days()) == date)
            .then_some(date)
    }

    /// The China-time date of an instant.
    pub fn of_ms(ms: i64) -> Date {
        Date::from_days((ms + CHINA_OFFSET_MS).div_euclid(DAY_MS))
    }

    /// Epoch ms of China-time midnight of this date (what `train_date.time` holds in initDc).
    pub fn midnight_ms(self) -> i64 {
        self.days() * DAY_MS - CHINA_OFFSET_MS
    }

    /// The date `n` days later (earlier for negative `n`).
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }

    /// 0 = Sunday … 6 = Saturday.
    pub fn weekday(self) -> u32 {
        (self.days() + 4).rem_euclid(7) as u32
    }

    /// `YYYY-MM-DD`, as the query and the forms carry it.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }

    /// `YYYYMMDD`, as query rows carry it.
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.y, self.m, self.d)
    }

    /// `Thu Apr 25 2024 00:00:00 GMT+0800 (中国标准时间)`, what the page's `new Date(..).toString()` gives.
    pub fn js_string(self) -> String {
        format!(
            "{} {} {:02} {} 00:00:00 GMT+0800 (中国标准时间)",
            WEEKDAYS.get(self.weekday() as usize).unwrap_or(&"Sun"),
            MONTHS
                .get((self.m as usize).wrapping_sub(1))
                .unwrap_or(&"Jan"),
            self.d,
            self.y
        )
    }
}

/// JS `Date.prototype.toString()` weekday names, Sunday first.
pub const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
/// JS month abbreviations, January first.
pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Parses the date out of the JS date strings clients send as getQueueCount `train_date`:
/// `Thu Apr 25 2024 00:00:00 GMT+0800 (中国标准时间)`, `(China Standard Time)`, `(CST)`,
/// RFC 1123 `Thu, 25 Apr 2024 00:00:00 GMT`, IE `Fri Feb 10 00:00:00 UTC+0800 2017`, and plain ISO dates.
pub fn parse_js_date(s: &str) -> Option<Date> {
    if let Some(d) = Date::parse(s) {
        return Some(d);
    }
    let mut month = None;
    let mut day = None;
    let mut year = None;
    for tok in s.split(|c: char| c.is_whitespace() || c == ',') {
        if tok.is_empty() || tok.contains(':') {
            continue;
        }
        if let Some(i) = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(tok)) {
            month = Some(i as u32 + 1);
        } else if tok.bytes().all(|b| b.is_ascii_digit()) {
            match tok.len() {
                1 | 2 if day.is_none() => day = tok.parse().ok(),
                4 if year.is_none() => year = tok.parse().ok(),
                _ => {}
            }
        }
    }
    let date = Date {
        y: year?,
        m: month?,
        d: day?,
    };
    (date.d >= 1 && Date::from_days(date.days()) == date).then_some(date)
}

/// Minutes since China-time midnight of an `HH:MM` or `HHMM` string.
pub fn hhmm_minutes(s: &str) -> Option<i64> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() != 4 {
        return None;
    }
    let h: i64 = digits.get(0..2)?.parse().ok()?;
    let m: i64 = digits.get(2..4)?.parse().ok()?;
    (h < 48 && m < 60).then_some(h * 60 + m)
}

/// The simulator clock.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    pub offset_ms: i64,
}

impl Clock {
    /// The current time in epoch ms (shifted by the clock's offset).
    pub fn now_ms(&self) -> i64 {
        wall_ms() + self.offset_ms
    }
}

/// `YYYYMMDDHHMMSS` in China time (login/conf `nowStr`).
pub fn now_str(ms: i64) -> String {
    let d = Date::of_ms(ms);
    let secs = (ms + CHINA_OFFSET_MS).rem_euclid(DAY_MS) / 1000;
    format!(
        "{}{:02}{:02}{:02}",
        d.compact(),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The HTTP `Date` of an instant (IMF-fixdate, RFC 9110 §5.6.7), e.g. `Mon, 22 Apr 2024 06:08:18 GMT`: what
/// every answer of the 12306 hosts carries, from the sim clock.
pub fn http_date(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let day = Date::from_days(secs.div_euclid(86_400));
    let rest = secs.rem_euclid(86_400);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS.get(day.weekday() as usize).unwrap_or(&"Sun"),
        day.d,
        MONTHS
            .get((day.m as usize).wrapping_sub(1))
            .unwrap_or(&"Jan"),
        day.y,
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// `YYYYMMDDHHMM` in China time (query row field 55).
pub fn minute_str(ms: i64) -> String {
    let d = Date::of_ms(ms);
    let mins = (ms + CHINA_OFFSET_MS).rem_euclid(DAY_MS) / 60_000;
    format!("{}{:02}{:02}", d.compact(), mins / 60, mins % 60)
}

/// `YYYY-MM-DD HH:MM:SS` in China time.
pub fn datetime_str(ms: i64) -> String {
    let d = Date::of_ms(ms);
    let secs = (ms + CHINA_OFFSET_MS).rem_euclid(DAY_MS) / 1000;
    format!(
        "{} {:02}:{:02}:{:02}",
        d.iso(),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_roundtrip() {
        let d = Date {
            y: 2024,
            m: 4,
            d: 25,
        };
        assert_eq!(Date::from_days(d.days()), d);
        assert_eq!(d.midnight_ms(), 1_713_974_400_000);
        assert_eq!(
            d.js_string(),
            "Thu Apr 25 2024 00:00:00 GMT+0800 (中国标准时间)"
        );
        assert_eq!(Date::parse("2024-02-30"), None);
        assert_eq!(Date::parse("20240425"), Some(d));
    }

    #[test]
    fn js_date_variants() {
        let d = Some(Date {
            y: 2024,
            m: 4,
            d: 25,
        });
        assert_eq!(
            parse_js_date("Thu Apr 25 2024 00:00:00 GMT+0800 (中国标准时间)"),
            d
        );
        assert_eq!(
            parse_js_date("Thu Apr 25 2024 00:00:00 GMT+0800 (China Standard Time)"),
            d
        );
        assert_eq!(parse_js_date("Thu Apr 25 2024 00:00:00 GMT+0800 (CST)"), d);
        assert_eq!(parse_js_date("Thu, 25 Apr 2024 00:00:00 GMT"), d);
        assert_eq!(parse_js_date("Thu Apr 25 00:00:00 UTC+0800 2024"), d);
        assert_eq!(parse_js_date("garbage"), None);
        assert_eq!(parse_js_date("Thu Feb 31 2024"), None);
    }

    #[test]
    fn now_strings() {
        assert_eq!(now_str(1_713_766_098_347), "20240422140818");
        assert_eq!(minute_str(1_713_766_098_347), "202404221408");
        // RFC 9110's example date.
        assert_eq!(http_date(784_111_777_999), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            http_date(1_713_766_098_347),
            "Mon, 22 Apr 2024 06:08:18 GMT"
        );
    }
}
