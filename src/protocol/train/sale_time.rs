//! Sale times of a row: field 55 (`YYYYMMDDHHMM`) and the not-yet-on-sale button text (`14点30分起售`,
//! `04月23日14点起售`). All times are Beijing time (UTC+8) as 12306 shows them.

use serde::{Deserialize, Serialize};

use crate::calendar::{civil_from_days, days_from_civil};

/// A validated Beijing-time minute, e.g. from `202404081330`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SaleTime {
    /// Year, e.g. 2024.
    pub year: u16,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31.
    pub day: u8,
    /// Hour 0–23.
    pub hour: u8,
    /// Minute 0–59.
    pub minute: u8,
}

impl SaleTime {
    /// Parses `YYYYMMDDHHMM` (exactly 12 ASCII digits, plausible ranges), else `None`.
    pub fn parse(s: &str) -> Option<SaleTime> {
        let s = s.trim();
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let num = |a: usize, b: usize| s.get(a..b).and_then(|x| x.parse::<u16>().ok());
        let t = SaleTime {
            year: num(0, 4)?,
            month: u8::try_from(num(4, 6)?).ok()?,
            day: u8::try_from(num(6, 8)?).ok()?,
            hour: u8::try_from(num(8, 10)?).ok()?,
            minute: u8::try_from(num(10, 12)?).ok()?,
        };
        let valid = (1..=12).contains(&t.month)
            && (1..=31).contains(&t.day)
            && t.hour < 24
            && t.minute < 60;
        valid.then_some(t)
    }

    /// Milliseconds since the Unix epoch of this Beijing-time minute (UTC+8, no DST in China).
    pub fn epoch_ms(&self) -> i64 {
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let minutes = days * 1440 + i64::from(self.hour) * 60 + i64::from(self.minute) - 8 * 60;
        minutes * 60_000
    }
}

/// The opening time announced by a button text such as `14点30分起售` or `04月23日14点起售`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ButtonSaleTime {
    /// Month when the text names a date (`MM月DD日…`), else the sale is today.
    pub month: Option<u8>,
    /// Day of month when the text names a date.
    pub day: Option<u8>,
    /// Hour 0–23.
    pub hour: u8,
    /// Minute (0 when the text has no `分`).
    pub minute: u8,
}

impl ButtonSaleTime {
    /// The opening instant as epoch milliseconds, given the current time `now_ms` (the text carries no year, and
    /// no date at all when the sale opens today). Without a date: today (Beijing) at HH:MM. With a date: that date
    /// in the year of `now`, or of the next year when it would lie more than 180 days in the past (December
    /// texts read in January). The result can be in the past when the sale has already opened.
    pub fn epoch_ms(&self, now_ms: i64) -> i64 {
        const DAY_MS: i64 = 86_400_000;
        const BEIJING_MS: i64 = 8 * 3_600_000;
        // Clamped to 1970..2286 so no arithmetic below can overflow, whatever the caller passes.
        let now_ms = now_ms.clamp(0, 10_000_000_000_000);
        let today = (now_ms + BEIJING_MS).div_euclid(DAY_MS);
        let at = |days: i64| {
            (days * 1440 + i64::from(self.hour) * 60 + i64::from(self.minute)) * 60_000 - BEIJING_MS
        };
        match (self.month, self.day) {
            (Some(m), Some(d)) => {
                let (year, _, _) = civil_from_days(today);
                let this_year = days_from_civil(year, i64::from(m), i64::from(d));
                if today - this_year > 180 {
                    at(days_from_civil(year + 1, i64::from(m), i64::from(d)))
                } else {
                    at(this_year)
                }
            }
            _ => at(today),
        }
    }
}

/// Parses `[MM月DD日]HH点[MM分]起售` (whitespace and leading zeros tolerated). `None` for other texts
/// (`预订`, `列车停运`, maintenance notices).
pub fn parse_button_sale_time(text: &str) -> Option<ButtonSaleTime> {
    let end = text.find("起售")?;
    let head = text.get(..end)?;
    let (mut month, mut day, mut hour, mut minute) = (None, None, None, None);
    let mut number: Option<u32> = None;
    for c in head.chars() {
        if let Some(d) = c.to_digit(10) {
            number = Some(number.unwrap_or(0).saturating_mul(10).saturating_add(d));
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        let slot = match c {
            '月' => &mut month,
            '日' => &mut day,
            '点' | '时' => &mut hour,
            '分' => &mut minute,
            _ => {
                number = None;
                continue;
            }
        };
        *slot = number.take();
    }
    let hour = u8::try_from(hour?).ok().filter(|h| *h < 24)?;
    let minute = u8::try_from(minute.unwrap_or(0)).ok().filter(|m| *m < 60)?;
    let month = match month {
        Some(m) => Some(u8::try_from(m).ok().filter(|m| (1..=12).contains(m))?),
        None => None,
    };
    let day = match day {
        Some(d) => Some(u8::try_from(d).ok().filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    Some(ButtonSaleTime {
        month,
        day,
        hour,
        minute,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_row_sale_time() {
        let t = SaleTime::parse("202404081330").unwrap();
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute),
            (2024, 4, 8, 13, 30)
        );
        // 2024-04-08 13:30 +08:00 = 05:30Z
        assert_eq!(t.epoch_ms(), 1_712_554_200_000);
        assert!(SaleTime::parse("20240408133").is_none());
        assert!(SaleTime::parse("202413081330").is_none());
        assert!(SaleTime::parse("２０２４０４０８１３３").is_none());
        assert!(SaleTime::parse("").is_none());
    }

    #[test]
    fn parses_button_texts() {
        let t = parse_button_sale_time("14点30分起售").unwrap();
        assert_eq!((t.month, t.day, t.hour, t.minute), (None, None, 14, 30));
        let t = parse_button_sale_time("04月23日14点起售").unwrap();
        assert_eq!(
            (t.month, t.day, t.hour, t.minute),
            (Some(4), Some(23), 14, 0)
        );
        let t = parse_button_sale_time("08月02日 09 点 起售").unwrap();
        assert_eq!((t.month, t.day, t.hour), (Some(8), Some(2), 9));
        // 2024-04-22 10:00 Beijing = 02:00Z.
        let now = 1_713_751_200_000;
        let today = parse_button_sale_time("14点30分起售").unwrap();
        assert_eq!(today.epoch_ms(now), now + 4 * 3_600_000 + 30 * 60_000);
        let dated = parse_button_sale_time("04月23日14点起售").unwrap();
        assert_eq!(dated.epoch_ms(now), now + 28 * 3_600_000);
        // A January text read in late December is next year's.
        let dec = SaleTime::parse("202612281000").unwrap().epoch_ms();
        let jan = parse_button_sale_time("01月02日10点起售").unwrap();
        assert_eq!(jan.epoch_ms(dec), dec + 5 * 86_400_000);
        assert!(parse_button_sale_time("预订").is_none());
        assert!(parse_button_sale_time("起售").is_none());
        assert!(parse_button_sale_time("99点起售").is_none());
        assert!(parse_button_sale_time("23:00-06:00系统维护时间").is_none());
    }
}
