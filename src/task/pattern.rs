//! Which trains a task names: by code (`G2`), by pattern (`G1**`: `*` is any one letter or digit, `%` any run of
//! them, so `G1**` is G100–G199 and `D%` every D train), or by a regular expression for power users (`re:^G1\d{2}$`,
//! as 订票助手.NET offers). Codes are compared without case, as 12306 prints them in upper case.

use regex::Regex;

/// One entry of a task's `trains`, compiled.
#[derive(Debug, Clone)]
pub struct TrainPattern {
    /// The entry as the user wrote it.
    pub source: String,
    matcher: Matcher,
}

#[derive(Debug, Clone)]
enum Matcher {
    Code(String),
    Regex(Regex),
}

/// Why a train entry cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// The entry.
    pub source: String,
    /// What is wrong with it.
    pub reason: String,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "车次 {:?} 无法识别：{}", self.source, self.reason)
    }
}

/// A pattern longer than this is refused (a train code has at most 8 characters; a regex has room to spare).
const MAX_PATTERN_LEN: usize = 80;

impl TrainPattern {
    /// Compiles one entry of `BookingTask::trains`.
    pub fn parse(entry: &str) -> Result<TrainPattern, PatternError> {
        let source = entry.trim().to_owned();
        let error = |reason: &str| PatternError {
            source: source.clone(),
            reason: reason.to_owned(),
        };
        if source.is_empty() {
            return Err(error("空的车次"));
        }
        if source.len() > MAX_PATTERN_LEN {
            return Err(error("太长"));
        }
        let matcher = if let Some(re) = source.strip_prefix("re:") {
            // Anchored as a whole-code match, and matched against the code in upper case (as 12306 prints it):
            // no `(?i)`, which needs regex's `unicode-case` tables, left out of the wasm (README "Size").
            let re = Regex::new(&format!("^(?:{re})$")).map_err(|e| error(&e.to_string()))?;
            Matcher::Regex(re)
        } else if source.contains(['*', '%']) {
            if !source
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '%')
            {
                return Err(error("只能含字母、数字、* 和 %"));
            }
            // Upper case here and in `matches`, rather than `(?i)` (see above).
            let mut re = String::from("^");
            for c in source.chars() {
                match c {
                    '*' => re.push_str("[0-9A-Z]"),
                    '%' => re.push_str("[0-9A-Z]*"),
                    c => re.push(c.to_ascii_uppercase()),
                }
            }
            re.push('$');
            Matcher::Regex(Regex::new(&re).map_err(|e| error(&e.to_string()))?)
        } else {
            if !source.chars().all(|c| c.is_ascii_alphanumeric()) || source.len() > 8 {
                return Err(error("车次只能含字母和数字"));
            }
            Matcher::Code(source.to_ascii_uppercase())
        };
        Ok(TrainPattern { source, matcher })
    }

    /// Whether the train `code` (as the query prints it) is one this entry names.
    pub fn matches(&self, code: &str) -> bool {
        let code = code.trim();
        match &self.matcher {
            Matcher::Code(c) => code.eq_ignore_ascii_case(c),
            Matcher::Regex(re) => re.is_match(&code.to_ascii_uppercase()),
        }
    }
}

/// Compiles every entry; the first bad one is the error.
pub fn compile(entries: &[String]) -> Result<Vec<TrainPattern>, PatternError> {
    entries.iter().map(|e| TrainPattern::parse(e)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, code: &str) -> bool {
        TrainPattern::parse(pattern).expect("valid").matches(code)
    }

    #[test]
    fn codes_wildcards_and_regexes() {
        let cases = [
            ("G2", "G2", true),
            ("g2", "G2", true),
            ("g1**", "G101", true),
            ("d%", "D3006", true),
            ("re:^G1\\d{2}$", "G101", true),
            ("re:^G1\\d{2}$", "g101", true),
            ("G2", "G22", false),
            ("G1**", "G101", true),
            ("G1**", "G1", false),
            ("G1**", "G1234", false),
            ("D%", "D3006", true),
            ("D%", "G3006", false),
            ("%", "K1179", true),
            ("re:^(G|D)1[0-9]{2}$", "D123", true),
            ("re:^(G|D)1[0-9]{2}$", "G2", false),
            ("re:G|D", "G", true),
            ("re:G|D", "GD", false),
        ];
        for (pattern, code, want) in cases {
            assert_eq!(m(pattern, code), want, "{pattern} ~ {code}");
        }
    }

    #[test]
    fn bad_entries_are_refused_with_a_reason() {
        for bad in ["", "G-1", "re:(", "G1*?", &"G".repeat(100), "G123456789"] {
            let err = TrainPattern::parse(bad).expect_err(bad);
            assert!(err.to_string().contains("无法识别"), "{err}");
        }
    }
}
