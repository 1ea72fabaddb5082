//! A tiny ordered JSON value: 12306 answers are compared key-by-key with real captures, so the key order
//! of every object must be the one we write, which `serde_json::Value` (sorted map) cannot keep.

use std::fmt::Write;

/// An ordered JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    /// Builds an object from `(key, value)` pairs, keeping their order.
    pub fn obj<K: Into<String>>(pairs: Vec<(K, J)>) -> J {
        J::Obj(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A string value.
    pub fn s(v: impl Into<String>) -> J {
        J::Str(v.into())
    }

    /// An array of strings.
    pub fn strs<S: AsRef<str>>(items: &[S]) -> J {
        J::Arr(items.iter().map(|s| J::s(s.as_ref())).collect())
    }

    /// Serialises compactly, as the real server does.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, Style::Json);
        out
    }

    /// The single-quoted JS object literal the order page uses (`{'key':'\u4E0A\u6D77',…}`): keys and
    /// strings in single quotes, every non-ASCII character as an upper-case `\uXXXX` escape.
    pub fn to_js_literal(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, Style::JsLiteral);
        out
    }

    fn write(&self, out: &mut String, style: Style) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Int(i) => {
                let _ = write!(out, "{i}");
            }
            J::Float(f) => {
                let _ = write!(out, "{f}");
            }
            J::Str(s) => style.write_str(out, s),
            J::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out, style);
                }
                out.push(']');
            }
            J::Obj(pairs) => {
                out.push('{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    style.write_str(out, k);
                    out.push(':');
                    v.write(out, style);
                }
                out.push('}');
            }
        }
    }
}

/// The two notations the sim writes values in; they differ only in how strings (and keys) are quoted.
#[derive(Debug, Clone, Copy)]
enum Style {
    Json,
    JsLiteral,
}

impl Style {
    fn write_str(self, out: &mut String, s: &str) {
        match self {
            Style::Json => write_str(out, s),
            Style::JsLiteral => write_js_str(out, s),
        }
    }
}

fn write_str(out: &mut String, s: &str) {
    // serde_json's string escaping is exact JSON; reuse it instead of hand-rolling.
    match serde_json::to_string(s) {
        Ok(q) => out.push_str(&q),
        Err(_) => out.push_str("\"\""),
    }
}

/// The standard `/otn` envelope: `{"validateMessagesShowId":…,"status":…,"httpstatus":200,"data":…,"messages":[…],"validateMessages":{}}`.
pub fn envelope(status: bool, data: Option<J>, messages: &[&str]) -> J {
    let mut pairs: Vec<(String, J)> = vec![
        ("validateMessagesShowId".into(), J::s("_validatorMessage")),
        ("status".into(), J::Bool(status)),
        ("httpstatus".into(), J::Int(200)),
    ];
    if let Some(d) = data {
        pairs.push(("data".into(), d));
    }
    pairs.push(("messages".into(), J::strs(messages)));
    pairs.push(("validateMessages".into(), J::Obj(vec![])));
    J::Obj(pairs)
}

/// A successful envelope carrying `data`.
pub fn ok(data: J) -> J {
    envelope(true, Some(data), &[])
}

/// A failed envelope with one message (no `data`, as in the captures of failures).
pub fn fail(message: &str) -> J {
    envelope(false, None, &[message])
}

/// `status:true` + `data:{submitStatus:false, errMsg}`: how the order-page steps report a refusal.
pub fn submit_fail(err: &str) -> J {
    ok(J::obj(vec![
        ("errMsg", J::s(err)),
        ("submitStatus", J::Bool(false)),
    ]))
}

fn write_js_str(out: &mut String, s: &str) {
    out.push('\'');
    for ch in s.chars() {
        match ch {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            c if c.is_ascii() && !c.is_ascii_control() && c != '<' => out.push(c),
            c => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{:04X}", u);
                }
            }
        }
    }
    out.push('\'');
}

/// Escapes text for a single-quoted JS string literal in a page (`'…'`): backslash, quotes, line
/// breaks and `<` (so `</script>` cannot end the script block).
pub fn js_string_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '<' => out.push_str("\\u003C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_literal_form() {
        let j = J::obj(vec![
            ("a", J::s("上海'")),
            ("n", J::Null),
            ("t", J::Obj(vec![("time".into(), J::Int(5))])),
        ]);
        assert_eq!(
            j.to_js_literal(),
            "{'a':'\\u4E0A\\u6D77\\'','n':null,'t':{'time':5}}"
        );
        assert_eq!(js_string_escape("a'b\\c</"), "a\\'b\\\\c\\u003C/");
    }

    #[test]
    fn keeps_key_order_and_escapes() {
        let j = J::obj(vec![
            ("z", J::Int(1)),
            ("a", J::s("引\"号")),
            ("n", J::Null),
        ]);
        assert_eq!(j.to_json(), r#"{"z":1,"a":"引\"号","n":null}"#);
    }

    #[test]
    fn envelope_shape() {
        let j = fail("x").to_json();
        assert!(j.starts_with(r#"{"validateMessagesShowId":"_validatorMessage","status":false,"httpstatus":200,"messages":["x"]"#));
    }
}
