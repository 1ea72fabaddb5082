//! `application/x-www-form-urlencoded` the way the 12306 pages produce it.
//!
//! The official pages build bodies with jQuery's `$.param`, which is `encodeURIComponent` per key and value with
//! `%20` then turned into `+`. So the characters kept as-is are the `encodeURIComponent` set
//! `A-Z a-z 0-9 - _ . ! ~ * ' ( )` (the 2024 capture shows `*` in masked ID numbers and `(`/`)` in the
//! getQueueCount date string left unescaped), every other byte of the UTF-8 form is `%XX` with upper-case hex, and
//! a space is `+`.

use std::fmt;

/// Why a form string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// A `%` not followed by two hex digits, at this byte offset.
    BadEscape(usize),
    /// The decoded bytes are not UTF-8.
    NotUtf8,
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::BadEscape(at) => write!(f, "bad %-escape at byte {at}"),
            FormError::NotUtf8 => write!(f, "decoded form value is not UTF-8"),
        }
    }
}

impl std::error::Error for FormError {}

/// True for the bytes `encodeURIComponent` leaves alone.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
        )
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// One key or value, encoded like jQuery's `$.param` does (space as `+`).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for &b in s.as_bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// A whole body from `(key, value)` pairs, in the given order.
pub fn encode(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&encode_component(k));
        out.push('=');
        out.push_str(&encode_component(v));
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes one component: `+` is a space, `%XX` a byte; the result must be UTF-8.
pub fn decode_component(s: &str) -> Result<String, FormError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_val);
                let lo = bytes.get(i + 2).copied().and_then(hex_val);
                match (hi, lo) {
                    (Some(h), Some(l)) => out.push(h << 4 | l),
                    _ => return Err(FormError::BadEscape(i)),
                }
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| FormError::NotUtf8)
}

/// Decodes a %-encoded value such as a query row's `secretStr`. Unlike form decoding, a bare `+` stays `+`:
/// these values are base64, where `+` is data, not a space.
pub fn percent_decode(s: &str) -> Result<String, FormError> {
    decode_component(&s.replace('+', "%2B"))
}

/// Splits a body into decoded `(key, value)` pairs, in order. A part without `=` gives an empty value
/// (the submitOrderRequest body ends in a bare `&undefined`).
pub fn decode(body: &str) -> Result<Vec<(String, String)>, FormError> {
    if body.is_empty() {
        return Ok(Vec::new());
    }
    body.split('&')
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            Ok((decode_component(k)?, decode_component(v)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_encode_uri_component_set() {
        assert_eq!(encode_component("Az09-_.!~*'()"), "Az09-_.!~*'()");
    }

    #[test]
    fn escapes_reserved_and_non_ascii_upper_case() {
        assert_eq!(
            encode_component("a,b/c+d=e&f:g"),
            "a%2Cb%2Fc%2Bd%3De%26f%3Ag"
        );
        assert_eq!(encode_component("张"), "%E5%BC%A0");
        assert_eq!(encode_component("\n"), "%0A");
    }

    #[test]
    fn space_is_plus() {
        assert_eq!(
            encode_component("Thu Apr 25 2024 00:00:00 GMT+0800 (中国标准时间)"),
            "Thu+Apr+25+2024+00%3A00%3A00+GMT%2B0800+(%E4%B8%AD%E5%9B%BD%E6%A0%87%E5%87%86%E6%97%B6%E9%97%B4)"
        );
    }

    #[test]
    fn encodes_pairs_in_order() {
        assert_eq!(
            encode(&[("_json_att", ""), ("REPEAT_SUBMIT_TOKEN", "ab")]),
            "_json_att=&REPEAT_SUBMIT_TOKEN=ab"
        );
    }

    #[test]
    fn decode_round_trips() {
        let s = "M,0,1,张小三,1,1101***********012 x+y%z";
        assert_eq!(decode_component(&encode_component(s)).as_deref(), Ok(s));
    }

    #[test]
    fn decode_rejects_bad_input_without_panicking() {
        assert_eq!(decode_component("%"), Err(FormError::BadEscape(0)));
        assert_eq!(decode_component("ab%2"), Err(FormError::BadEscape(2)));
        assert_eq!(decode_component("%zz"), Err(FormError::BadEscape(0)));
        assert_eq!(decode_component("%FF"), Err(FormError::NotUtf8));
    }

    #[test]
    fn decode_splits_bare_keys() {
        let pairs = decode("a=1&undefined").unwrap_or_default();
        assert_eq!(
            pairs,
            vec![
                ("a".into(), "1".into()),
                ("undefined".into(), String::new())
            ]
        );
        assert_eq!(decode(""), Ok(vec![]));
    }

    #[test]
    fn percent_decode_keeps_plus() {
        assert_eq!(percent_decode("a%2Fb+c").as_deref(), Ok("a/b+c"));
    }
}
