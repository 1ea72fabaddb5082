//! Typed parse errors shared by every parser of the crate.
//!
//! Answers from 12306 fail in a few recurring ways: an empty 200 body (server overload), an HTML page where JSON
//! was expected (login redirect, error page), a body cut off mid-way (dropped connection), or a body far larger
//! than any real answer. Each gets its own [`ParseErrorKind`] so the caller can react differently (retry, re-login,
//! give up) without matching on message text.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Largest body any parser accepts. Real answers are far smaller (the full station file is ~170 KB, an order
/// page ~115 KB, a 150-train query ~200 KB); anything beyond this is not a 12306 answer we understand.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Why a body could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParseErrorKind {
    /// The body was empty or whitespace only (12306 answers an overloaded request with an empty 200).
    Empty,
    /// The body is an HTML page where JSON or script was expected (session lost, error page, block page).
    Html,
    /// The body is not valid JSON (syntax error).
    Json,
    /// The body ended in the middle of a value (connection dropped, capture cut).
    Truncated,
    /// The JSON is valid but does not have the expected structure, or a value is malformed.
    Shape,
    /// The body is larger than [`MAX_BODY_BYTES`].
    TooLarge,
    /// A required field is absent; the payload names it.
    Missing(String),
    /// The server answered `status:false`; the detail holds its messages verbatim (e.g. `用户未登录`).
    Rejected,
}

/// A parse failure: what kind, plus a short human-readable detail (never the whole body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseError {
    /// Machine-readable category.
    pub kind: ParseErrorKind,
    /// Human-readable detail for logs (bounded length).
    pub detail: String,
}

impl ParseError {
    /// Builds an error of `kind` with a detail message.
    pub fn new(kind: ParseErrorKind, detail: impl Into<String>) -> Self {
        ParseError {
            kind,
            detail: detail.into(),
        }
    }

    /// Shorthand for [`ParseErrorKind::Shape`].
    pub fn shape(detail: impl Into<String>) -> Self {
        ParseError::new(ParseErrorKind::Shape, detail)
    }

    /// Shorthand for [`ParseErrorKind::Missing`] naming `field`.
    pub fn missing(field: &str) -> Self {
        ParseError::new(
            ParseErrorKind::Missing(field.to_string()),
            format!("missing field `{field}`"),
        )
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.kind {
            ParseErrorKind::Empty => "empty body",
            ParseErrorKind::Html => "HTML instead of data",
            ParseErrorKind::Json => "invalid JSON",
            ParseErrorKind::Truncated => "truncated body",
            ParseErrorKind::Shape => "unexpected shape",
            ParseErrorKind::TooLarge => "body too large",
            ParseErrorKind::Missing(_) => "missing field",
            ParseErrorKind::Rejected => "rejected by the server",
        };
        write!(f, "{kind}: {}", self.detail)
    }
}

impl std::error::Error for ParseError {}

/// Checks the preconditions every body must meet: not oversized, not empty. Returns the trimmed body.
pub(crate) fn check_body(body: &str) -> Result<&str, ParseError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(ParseError::new(
            ParseErrorKind::TooLarge,
            format!("{} bytes (limit {MAX_BODY_BYTES})", body.len()),
        ));
    }
    // A UTF-8 BOM is invisible in logs and would otherwise turn a valid body into a syntax error.
    let trimmed = body.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(ParseError::new(ParseErrorKind::Empty, "empty body"));
    }
    Ok(trimmed)
}

/// True when the text (already trimmed) is markup rather than JSON or script: neither can start with `<`, while
/// every HTML answer of 12306 (login page, error page, block page, XML declaration) does.
pub(crate) fn looks_like_html(trimmed: &str) -> bool {
    trimmed.starts_with('<')
}

/// Parses a JSON body into a `serde_json::Value`, mapping each failure to its kind.
pub(crate) fn parse_json_body(body: &str) -> Result<serde_json::Value, ParseError> {
    let trimmed = check_body(body)?;
    if looks_like_html(trimmed) {
        return Err(ParseError::new(
            ParseErrorKind::Html,
            format!("starts with {:?}", prefix(trimmed, 40)),
        ));
    }
    serde_json::from_str(trimmed).map_err(|e| {
        let kind = if e.is_eof() {
            ParseErrorKind::Truncated
        } else {
            ParseErrorKind::Json
        };
        ParseError::new(kind, e.to_string())
    })
}

/// The first `n` characters of `s`, for error details (never slices inside a UTF-8 sequence).
pub(crate) fn prefix(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_distinct() {
        assert_eq!(parse_json_body("").unwrap_err().kind, ParseErrorKind::Empty);
        assert_eq!(
            parse_json_body("  \n").unwrap_err().kind,
            ParseErrorKind::Empty
        );
        assert_eq!(
            parse_json_body("<!DOCTYPE html><html>").unwrap_err().kind,
            ParseErrorKind::Html
        );
        assert_eq!(
            parse_json_body("{\"a\":[1,").unwrap_err().kind,
            ParseErrorKind::Truncated
        );
        assert_eq!(
            parse_json_body("{\"a\":]").unwrap_err().kind,
            ParseErrorKind::Json
        );
        let big = " ".repeat(MAX_BODY_BYTES + 1);
        assert_eq!(
            parse_json_body(&big).unwrap_err().kind,
            ParseErrorKind::TooLarge
        );
        assert!(parse_json_body("\u{feff}{}").is_ok());
    }
}
