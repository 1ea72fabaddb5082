//! The query interval as a user types it (seconds, in the panel and on the options page): accepted, or refused
//! with the reason the UI shows at the field. One rule for every UI; the machine clamps whatever reaches it
//! anyway ([`super::spec`]), so this is about telling the user, not about safety.

use serde::Serialize;

use super::{DEFAULT_INTERVAL_MS, MAX_INTERVAL_MS, MIN_INTERVAL_MS};

/// What a typed interval is: the ms to use, or why not, with the range to say in the message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct IntervalCheck {
    /// The interval in ms when accepted.
    pub ms: Option<u64>,
    /// Why it is refused: `empty`, `notANumber`, `tooShort` or `tooLong`; `None` when accepted.
    pub problem: Option<String>,
    /// The shortest interval accepted (s).
    pub min_s: f64,
    /// The longest interval accepted (s).
    pub max_s: f64,
    /// The interval of a task whose field was never set (s).
    pub default_s: f64,
}

/// Checks an interval typed in seconds (the field's text; decimals allowed).
pub fn check_interval_s(text: &str) -> IntervalCheck {
    let secs = |ms: u64| ms as f64 / 1000.0;
    let refuse = |problem: &str| IntervalCheck {
        ms: None,
        problem: Some(problem.to_owned()),
        min_s: secs(MIN_INTERVAL_MS),
        max_s: secs(MAX_INTERVAL_MS),
        default_s: secs(DEFAULT_INTERVAL_MS),
    };
    let text = text.trim();
    if text.is_empty() {
        return refuse("empty");
    }
    let Ok(s) = text.parse::<f64>() else {
        return refuse("notANumber");
    };
    if !s.is_finite() {
        return refuse("notANumber");
    }
    let ms = (s * 1000.0).round();
    if ms < MIN_INTERVAL_MS as f64 {
        return refuse("tooShort");
    }
    if ms > MAX_INTERVAL_MS as f64 {
        return refuse("tooLong");
    }
    IntervalCheck {
        ms: Some(ms as u64),
        problem: None,
        ..refuse("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_intervals_are_accepted_or_refused_with_a_reason() {
        assert_eq!(check_interval_s("3").ms, Some(3000));
        assert_eq!(check_interval_s(" 1.5 ").ms, Some(1500));
        assert_eq!(check_interval_s("60").ms, Some(60_000));
        for (text, problem) in [
            ("", "empty"),
            ("abc", "notANumber"),
            ("NaN", "notANumber"),
            ("inf", "notANumber"),
            ("0", "tooShort"),
            ("0.5", "tooShort"),
            ("-3", "tooShort"),
            ("61", "tooLong"),
        ] {
            let check = check_interval_s(text);
            assert_eq!(check.ms, None, "{text}");
            assert_eq!(check.problem.as_deref(), Some(problem), "{text}");
            assert_eq!((check.min_s, check.max_s), (1.0, 60.0));
        }
    }
}
