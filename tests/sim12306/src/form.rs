//! URL and form encoding as the 12306 servlets apply it: one `application/x-www-form-urlencoded`
//! decoding of each value (`+` is a space), lenient about bad escapes (kept literally, never a panic).

/// Decodes one form component.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = b.get(i + 1).and_then(|c| (*c as char).to_digit(16));
                let lo = b.get(i + 2).and_then(|c| (*c as char).to_digit(16));
                match (hi, lo) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encodes like JS `encodeURIComponent`.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Encodes the way 12306 presents its base64 tokens (secretStr, leftTicketStr): only `/`, `+`, `=` and
/// newlines are escaped (Java `URLEncoder` on base64 text).
pub fn encode_token(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 32);
    for c in s.chars() {
        match c {
            '/' => out.push_str("%2F"),
            '+' => out.push_str("%2B"),
            '=' => out.push_str("%3D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// A parsed form or query string; keeps order and duplicates.
#[derive(Debug, Clone, Default)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    /// Parses `a=1&b=2` (a body or a query string), decoding each name and value once.
    pub fn parse(s: &str) -> Form {
        Form(
            s.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (decode(k), decode(v)),
                    None => (decode(p), String::new()),
                })
                .collect(),
        )
    }

    /// First value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// First value of `key` or "".
    pub fn s(&self, key: &str) -> &str {
        self.get(key).unwrap_or("")
    }

    /// The raw (undecoded) value of `key` in `raw`, for checks about how a client encoded it.
    pub fn raw<'a>(raw: &'a str, key: &str) -> Option<&'a str> {
        raw.split('&')
            .find_map(|p| p.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_lenient() {
        assert_eq!(decode("a%2Fb+c%zz%"), "a/b c%zz%");
        assert_eq!(decode("%E4%B8%8A%E6%B5%B7"), "上海");
        assert_eq!(encode("上 /"), "%E4%B8%8A%20%2F");
        assert_eq!(encode_token("a/b+c=\n"), "a%2Fb%2Bc%3D%0A");
    }

    #[test]
    fn form_parse() {
        let f = Form::parse("a=1&b=&c&a=2&%E5%90%8D=%E5%BC%A0");
        assert_eq!(f.get("a"), Some("1"));
        assert_eq!(f.get("b"), Some(""));
        assert_eq!(f.get("c"), Some(""));
        assert_eq!(f.get("名"), Some("张"));
        assert_eq!(f.get("x"), None);
        assert_eq!(Form::raw("x=%252F&y=1", "x"), Some("%252F"));
    }
}
