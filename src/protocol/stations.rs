//! The station dictionary `station_name.js` (PROTOCOL.md §2.2): name ↔ telecode, pinyin, city.
//!
//! Two record formats exist, both `@`-prefixed and `|`-separated:
//! * 11 fields (≈2022 →): `key|name|telecode|pinyin|initials|seq|city_code|city_name|country_code|country_name|local_name`
//! * 6 fields (≤ 2021, and trimmed copies): `key|name|telecode|pinyin|initials|seq`. These carry **no city**, so
//!   [`Station::city_code`] is `None` and [`StationBook::same_city`] can only return the station itself.
//!
//! The input may be the whole script (`var station_names ='@…';`) or just the quoted data (`@…`).

use crate::error::{check_body, looks_like_html, ParseError, ParseErrorKind};
use crate::js_literal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

/// One station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Station {
    /// Field 0: the old autocomplete key (not unique, e.g. `bjb`).
    pub key: String,
    /// Station name (`北京南`). A few "virtual" stations contain spaces (`海  口东`); they are distinct stations.
    pub name: String,
    /// Telecode (电报码), the value every API takes (`VNP`).
    pub telecode: String,
    /// Full pinyin (`beijingnan`).
    pub pinyin: String,
    /// Pinyin initials (`bjn`).
    pub initials: String,
    /// Sequence number (field 5), when numeric.
    pub seq: Option<u32>,
    /// 4-digit city code (11-field format only).
    pub city_code: Option<String>,
    /// City name (`北京`; 11-field format only).
    pub city_name: Option<String>,
    /// Country code for foreign stations (`lao`), else `None`.
    pub country_code: Option<String>,
    /// Country name (`老挝`), else `None`.
    pub country_name: Option<String>,
    /// English/local name (`vientiane`), else `None`.
    pub local_name: Option<String>,
}

/// Which record format(s) a dictionary used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StationFormat {
    /// Every record had 11 (or more) fields.
    Eleven,
    /// Every record had 6 to 10 fields (no city).
    Six,
    /// Both kinds occurred.
    Mixed,
}

/// A parsed dictionary with lookup indices.
#[derive(Debug, Clone)]
pub struct StationBook {
    stations: Vec<Station>,
    by_telecode: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    format: StationFormat,
    skipped: usize,
}

/// Fewest fields of a usable record (name and telecode are fields 1 and 2; pinyin/initials follow).
const MIN_FIELDS: usize = 5;

impl StationBook {
    /// Parses `station_name.js` (with or without the `var station_names ='…';` wrapper). Malformed records are
    /// skipped and counted ([`StationBook::skipped`]); a text with no usable record is an error.
    pub fn parse(js: &str) -> Result<StationBook, ParseError> {
        let text = check_body(js)?;
        if looks_like_html(text) {
            return Err(ParseError::new(
                ParseErrorKind::Html,
                "HTML instead of station_name.js",
            ));
        }
        let owned;
        let data: &str = match js_literal::find_var(text, "station_names") {
            Some(Ok(Value::String(s))) => {
                owned = s;
                &owned
            }
            Some(Ok(_)) => return Err(ParseError::shape("station_names is not a string")),
            Some(Err(e)) => return Err(e),
            None => {
                text.trim_matches(|c: char| c == '\'' || c == '"' || c == ';' || c.is_whitespace())
            }
        };
        let mut book = StationBook {
            stations: Vec::new(),
            by_telecode: HashMap::new(),
            by_name: HashMap::new(),
            format: StationFormat::Eleven,
            skipped: 0,
        };
        let (mut eleven, mut six) = (0usize, 0usize);
        for record in data.split('@').map(str::trim).filter(|r| !r.is_empty()) {
            match station_of(record) {
                Some(st) => {
                    if st.city_code.is_some() || record.split('|').count() >= 11 {
                        eleven += 1;
                    } else {
                        six += 1;
                    }
                    let i = book.stations.len();
                    // Old files repeat a few records; the first one wins in the indices.
                    book.by_telecode.entry(st.telecode.clone()).or_insert(i);
                    book.by_name.entry(st.name.clone()).or_insert(i);
                    book.stations.push(st);
                }
                None => book.skipped += 1,
            }
        }
        if book.stations.is_empty() {
            return Err(ParseError::shape("no station record found"));
        }
        book.format = match (eleven, six) {
            (_, 0) => StationFormat::Eleven,
            (0, _) => StationFormat::Six,
            _ => StationFormat::Mixed,
        };
        Ok(book)
    }

    /// All stations in file order.
    pub fn stations(&self) -> &[Station] {
        &self.stations
    }

    /// Number of stations.
    pub fn len(&self) -> usize {
        self.stations.len()
    }

    /// True when there is no station (never, for a parsed book).
    pub fn is_empty(&self) -> bool {
        self.stations.is_empty()
    }

    /// The record format found.
    pub fn format(&self) -> StationFormat {
        self.format
    }

    /// Records that could not be used (fewer than 5 fields, or no name/telecode).
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The station with this exact name; if none, the one whose name equals it ignoring spaces
    /// (so `海口东` finds a real station, not a spaced "virtual" one, when both exist).
    pub fn by_name(&self, name: &str) -> Option<&Station> {
        let name = name.trim();
        if let Some(&i) = self.by_name.get(name) {
            return self.stations.get(i);
        }
        let squeezed: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        self.stations.iter().find(|s| {
            s.name
                .chars()
                .filter(|c| !c.is_whitespace())
                .eq(squeezed.chars())
        })
    }

    /// The station with this telecode (case-insensitive).
    pub fn by_telecode(&self, telecode: &str) -> Option<&Station> {
        let code = telecode.trim().to_ascii_uppercase();
        self.by_telecode
            .get(&code)
            .and_then(|&i| self.stations.get(i))
    }

    /// Stations with this full pinyin (case-insensitive; several stations can share one).
    pub fn by_pinyin(&self, pinyin: &str) -> Vec<&Station> {
        let p = pinyin.trim().to_ascii_lowercase();
        self.stations.iter().filter(|s| s.pinyin == p).collect()
    }

    /// Stations with these pinyin initials (case-insensitive; often several).
    pub fn by_initials(&self, initials: &str) -> Vec<&Station> {
        let p = initials.trim().to_ascii_lowercase();
        self.stations.iter().filter(|s| s.initials == p).collect()
    }

    /// Autocomplete: stations whose name, pinyin, initials or telecode starts with `prefix` (case-insensitive).
    /// Exact matches come first, then name matches, then the rest, each in file order. Empty prefix → nothing.
    pub fn search(&self, prefix: &str) -> Vec<&Station> {
        let p = prefix.trim().to_lowercase();
        if p.is_empty() {
            return Vec::new();
        }
        let mut ranked: Vec<(u8, usize, &Station)> = self
            .stations
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let code = s.telecode.to_ascii_lowercase();
                let rank = if s.name == p || s.pinyin == p || s.initials == p || code == p {
                    0
                } else if s.name.starts_with(&p) {
                    1
                } else if s.pinyin.starts_with(&p)
                    || s.initials.starts_with(&p)
                    || code.starts_with(&p)
                {
                    2
                } else {
                    return None;
                };
                Some((rank, i, s))
            })
            .collect();
        ranked.sort_by_key(|(rank, i, _)| (*rank, *i));
        ranked.into_iter().map(|(_, _, s)| s).collect()
    }

    /// Stations of the same city (同城) as `telecode`, itself included, in file order. With the 6-field format
    /// there is no city data, so this is just the station itself. Empty for an unknown telecode.
    pub fn same_city(&self, telecode: &str) -> Vec<&Station> {
        let Some(st) = self.by_telecode(telecode) else {
            return Vec::new();
        };
        match &st.city_code {
            Some(city) => self
                .stations
                .iter()
                .filter(|s| s.city_code.as_ref() == Some(city))
                .collect(),
            None => vec![st],
        }
    }
}

/// One record, or `None` when unusable.
fn station_of(record: &str) -> Option<Station> {
    let f: Vec<&str> = record.split('|').map(str::trim_end).collect();
    if f.len() < MIN_FIELDS {
        return None;
    }
    let get = |i: usize| f.get(i).copied().unwrap_or("");
    let opt = |i: usize| {
        Some(get(i).trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let name = get(1).trim();
    let telecode = get(2).trim();
    if name.is_empty() || telecode.is_empty() {
        return None;
    }
    Some(Station {
        key: get(0).trim().to_string(),
        // Keep inner spaces: they distinguish the "virtual" stations.
        name: name.to_string(),
        telecode: telecode.to_ascii_uppercase(),
        pinyin: get(3).trim().to_ascii_lowercase(),
        initials: get(4).trim().to_ascii_lowercase(),
        seq: get(5).trim().parse().ok(),
        city_code: opt(6),
        city_name: opt(7),
        country_code: opt(8),
        country_name: opt(9),
        local_name: opt(10),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ELEVEN: &str = "var station_names ='@bjb|北京北|VAP|beijingbei|bjb|0|0357|北京|||@bjn|北京南|VNP|beijingnan|bjn|3|0357|北京|||@wxi|万象|YTM|wanxiang|wx|25|9206|万象|lao|老挝|vientiane@hkd|海  口东|KEQ|haikoudong|hkd|9|2|海口|||';";

    #[test]
    fn eleven_fields() {
        let b = StationBook::parse(ELEVEN).unwrap();
        assert_eq!(
            (b.len(), b.format(), b.skipped()),
            (4, StationFormat::Eleven, 0)
        );
        let vnp = b.by_telecode("vnp").unwrap();
        assert_eq!(
            (vnp.name.as_str(), vnp.city_name.as_deref()),
            ("北京南", Some("北京"))
        );
        assert_eq!(b.by_name("北京北").unwrap().telecode, "VAP");
        assert_eq!(b.by_name("海口东").unwrap().telecode, "KEQ");
        let wx = b.by_pinyin("wanxiang");
        assert_eq!(wx[0].country_name.as_deref(), Some("老挝"));
        assert_eq!(wx[0].local_name.as_deref(), Some("vientiane"));
        assert_eq!(b.same_city("VNP").len(), 2);
        assert_eq!(b.search("bj").len(), 2);
        assert_eq!(b.search("北京南")[0].telecode, "VNP");
        assert!(b.search(" ").is_empty());
    }

    #[test]
    fn six_fields_without_wrapper_and_errors() {
        let b = StationBook::parse(
            "@bjb|北京北|VAP|beijingbei|bjb|0@x|y@bjd|北京东|BOP|beijingdong|bjd|1",
        )
        .unwrap();
        assert_eq!(
            (b.len(), b.format(), b.skipped()),
            (2, StationFormat::Six, 1)
        );
        assert_eq!(b.same_city("BOP").len(), 1);
        assert!(b.by_telecode("VAP").unwrap().city_code.is_none());
        assert_eq!(
            StationBook::parse("").unwrap_err().kind,
            ParseErrorKind::Empty
        );
        assert_eq!(
            StationBook::parse("<html></html>").unwrap_err().kind,
            ParseErrorKind::Html
        );
        assert_eq!(
            StationBook::parse("var station_names ='@bjb|北")
                .unwrap_err()
                .kind,
            ParseErrorKind::Truncated
        );
        assert_eq!(
            StationBook::parse("@@@").unwrap_err().kind,
            ParseErrorKind::Shape
        );
    }
}
