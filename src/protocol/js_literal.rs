//! A small tokenizer/parser for JavaScript object literals as 12306 embeds them in HTML pages
//! (`var ticketInfoForPassengerForm={'key':'value',…};`).
//!
//! These literals are "pseudo-JSON": single-quoted strings, `\uXXXX` escapes, `null`, sometimes bare keys.
//! Replacing every `'` by `"` (what most clients do) breaks as soon as a value contains a quote or an escaped
//! quote, so this module parses the literal properly into a [`serde_json::Value`]. It never panics: nesting depth
//! is bounded and every index access is checked.

use crate::error::{ParseError, ParseErrorKind};
use serde_json::{Map, Number, Value};

/// Deepest nesting accepted; real literals nest 4 levels, and a bound keeps recursion from exhausting the stack.
const MAX_DEPTH: usize = 64;

/// Parses one JavaScript literal value at the start of `src` (leading whitespace and comments are skipped).
/// Returns the value and the number of bytes consumed, so the caller can continue after it (e.g. to a `;`).
pub fn parse_value(src: &str) -> Result<(Value, usize), ParseError> {
    let mut p = Parser {
        src,
        bytes: src.as_bytes(),
        pos: 0,
    };
    let v = p.value(0)?;
    Ok((v, p.pos))
}

/// Finds `var NAME = <literal>` in a page and parses the literal. `None` when the variable is absent.
///
/// The search requires `var` + whitespace + the exact name + optional whitespace + `=`, so keys of the same name
/// inside other literals (`'ticket_seat_codeMap':…`) are not mistaken for the variable. When the text
/// `var NAME =` also occurs inside a string or comment before the real declaration, that occurrence does not
/// parse and the next one is tried; if none parses, the first error is returned.
pub fn find_var(page: &str, name: &str) -> Option<Result<Value, ParseError>> {
    let mut first_err = None;
    for src in var_sources(page, name) {
        match parse_value(src) {
            Ok((v, _)) => return Some(Ok(v)),
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    first_err.map(Err)
}

/// The source text right after the first `var NAME =` (not yet parsed), or `None` when absent.
pub fn find_var_source<'a>(page: &'a str, name: &str) -> Option<&'a str> {
    var_sources(page, name).next()
}

/// Every place where `var NAME =` occurs, as the text right after the `=`.
pub fn var_sources<'a, 'n>(page: &'a str, name: &'n str) -> impl Iterator<Item = &'a str> + 'n
where
    'a: 'n,
{
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(found) = page.get(from..).and_then(|s| s.find("var")) {
            let at = from + found;
            from = at + 3;
            // `var` must start a token (not `myvar`).
            if at > 0
                && page
                    .as_bytes()
                    .get(at - 1)
                    .is_some_and(|b| is_ident_byte(*b))
            {
                continue;
            }
            let after_var = page.get(at + 3..)?;
            let trimmed = after_var.trim_start();
            if trimmed.len() == after_var.len() {
                continue; // `varx`, not `var x`
            }
            let Some(after_name) = trimmed.strip_prefix(name) else {
                continue;
            };
            if after_name
                .as_bytes()
                .first()
                .is_some_and(|b| is_ident_byte(*b))
            {
                continue; // a longer name with the same prefix
            }
            let Some(value_src) = after_name.trim_start().strip_prefix('=') else {
                continue;
            };
            return Some(value_src);
        }
        None
    })
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, kind: ParseErrorKind, what: &str) -> ParseError {
        ParseError::new(kind, format!("JS literal: {what} at byte {}", self.pos))
    }

    fn eof(&self) -> ParseError {
        self.err(ParseErrorKind::Truncated, "unexpected end")
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace and `//` / `/* */` comments.
    fn skip_ws(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) => self.pos += 1,
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    while let Some(b) = self.peek() {
                        if b == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    self.pos += 2;
                    loop {
                        match self.peek() {
                            None => return,
                            Some(b'*') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                                self.pos += 2;
                                break;
                            }
                            Some(_) => self.pos += 1,
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.err(ParseErrorKind::Shape, "nesting too deep"));
        }
        self.skip_ws();
        match self.peek() {
            None => Err(self.eof()),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(q @ (b'\'' | b'"')) => self.string(q).map(Value::String),
            Some(b'-' | b'+' | b'.' | b'0'..=b'9') => self.number(),
            Some(b) if is_ident_byte(b) => {
                let word = self.ident();
                match word {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    // `undefined`, `NaN` and `Infinity` have no JSON form; null is the closest meaning.
                    "null" | "undefined" | "NaN" | "Infinity" => Ok(Value::Null),
                    _ => Err(self.err(ParseErrorKind::Json, "unexpected identifier")),
                }
            }
            Some(_) => Err(self.err(ParseErrorKind::Json, "unexpected character")),
        }
    }

    fn ident(&mut self) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(is_ident_byte) {
            self.pos += 1;
        }
        self.src.get(start..self.pos).unwrap_or("")
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.pos += 1; // `{`
        let mut map = Map::new();
        loop {
            self.skip_ws();
            let key = match self.peek() {
                None => return Err(self.eof()),
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                Some(q @ (b'\'' | b'"')) => self.string(q)?,
                Some(b) if is_ident_byte(b) => self.ident().to_string(),
                Some(_) => return Err(self.err(ParseErrorKind::Json, "expected a key")),
            };
            self.skip_ws();
            match self.peek() {
                None => return Err(self.eof()),
                Some(b':') => self.pos += 1,
                Some(_) => return Err(self.err(ParseErrorKind::Json, "expected `:`")),
            }
            let v = self.value(depth + 1)?;
            map.insert(key, v);
            self.skip_ws();
            match self.peek() {
                None => return Err(self.eof()),
                Some(b',') => self.pos += 1, // a trailing comma before `}` is accepted by the loop
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                Some(_) => return Err(self.err(ParseErrorKind::Json, "expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.pos += 1; // `[`
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Err(self.eof()),
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                Some(_) => {}
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                None => return Err(self.eof()),
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                Some(_) => return Err(self.err(ParseErrorKind::Json, "expected `,` or `]`")),
            }
        }
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'))
        {
            self.pos += 1;
        }
        let text = self.src.get(start..self.pos).unwrap_or("");
        let text = text.strip_prefix('+').unwrap_or(text);
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        match text.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Ok(Value::Number(n)),
            None => Err(self.err(ParseErrorKind::Json, "bad number")),
        }
    }

    /// Parses a quoted string starting at the opening quote `q`, decoding JavaScript escapes.
    fn string(&mut self, q: u8) -> Result<String, ParseError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            // Copy the run of ordinary bytes in one go; it ends at an ASCII byte, so the slice is on char boundaries.
            let start = self.pos;
            while self.peek().is_some_and(|b| b != q && b != b'\\') {
                self.pos += 1;
            }
            out.push_str(self.src.get(start..self.pos).unwrap_or(""));
            match self.peek() {
                None => return Err(self.eof()),
                Some(b) if b == q => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(_) => {
                    self.pos += 1; // backslash
                    self.escape(&mut out)?;
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let Some(b) = self.peek() else {
            return Err(self.eof());
        };
        match b {
            b'n' => out.push('\n'),
            b't' => out.push('\t'),
            b'r' => out.push('\r'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'v' => out.push('\u{b}'),
            b'0' => out.push('\0'),
            b'\n' => {} // line continuation
            b'x' => {
                self.pos += 1;
                let code = self.hex(2)?;
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                return Ok(());
            }
            b'u' => {
                self.pos += 1;
                let unit = self.hex(4)?;
                let ch = if (0xD800..0xDC00).contains(&unit) {
                    self.low_surrogate(unit)
                } else {
                    char::from_u32(unit)
                };
                out.push(ch.unwrap_or('\u{fffd}'));
                return Ok(());
            }
            _ => {
                // Any other escaped character stands for itself (`\'`, `\"`, `\\`, `\/`, and non-ASCII).
                let rest = self.src.get(self.pos..).unwrap_or("");
                if let Some(c) = rest.chars().next() {
                    out.push(c);
                    self.pos += c.len_utf8();
                    return Ok(());
                }
                return Err(self.eof());
            }
        }
        self.pos += 1;
        Ok(())
    }

    /// After a high surrogate, consumes `\uDC00..DFFF` if present and combines the pair.
    fn low_surrogate(&mut self, high: u32) -> Option<char> {
        if self.bytes.get(self.pos) == Some(&b'\\') && self.bytes.get(self.pos + 1) == Some(&b'u') {
            let save = self.pos;
            self.pos += 2;
            if let Ok(low) = self.hex(4) {
                if (0xDC00..0xE000).contains(&low) {
                    return char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00));
                }
            }
            self.pos = save;
        }
        None
    }

    fn hex(&mut self, n: usize) -> Result<u32, ParseError> {
        let digits = self
            .src
            .get(self.pos..self.pos + n)
            .ok_or_else(|| self.eof())?;
        let v = u32::from_str_radix(digits, 16)
            .map_err(|_| self.err(ParseErrorKind::Json, "bad hex escape"))?;
        self.pos += n;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn single_quoted_object_with_escapes() {
        let src = r#"{'a':'x\'y','b':"q\"r",c:[1,-2.5,null,true,undefined,],'d':'\u4E0A\u6D77','e':{'f':'a\\b'}};"#;
        let (v, used) = parse_value(src).unwrap();
        assert_eq!(
            v,
            json!({"a":"x'y","b":"q\"r","c":[1,-2.5,null,true,null],"d":"上海","e":{"f":"a\\b"}})
        );
        assert_eq!(src.get(used..), Some(";"));
    }

    #[test]
    fn surrogate_pairs_and_bad_input() {
        assert_eq!(parse_value(r"'\uD83D\uDE84'").unwrap().0, json!("🚄"));
        assert_eq!(
            parse_value("{'a':'b").unwrap_err().kind,
            ParseErrorKind::Truncated
        );
        assert_eq!(
            parse_value("{'a' 'b'}").unwrap_err().kind,
            ParseErrorKind::Json
        );
        assert_eq!(
            parse_value(&"[".repeat(1000)).unwrap_err().kind,
            ParseErrorKind::Shape
        );
        assert_eq!(
            parse_value(r"'\u12'").unwrap_err().kind,
            ParseErrorKind::Truncated
        );
    }

    #[test]
    fn finds_variables_by_exact_name() {
        let page = "var ab = 1; var myvar a = 2; var a2='x'; var a ={'k':'v'};";
        assert_eq!(find_var(page, "a").unwrap().unwrap(), json!({"k":"v"}));
        assert_eq!(find_var(page, "a2").unwrap().unwrap(), json!("x"));
        assert!(find_var(page, "zz").is_none());
    }
}
