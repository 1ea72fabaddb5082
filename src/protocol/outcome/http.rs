//! Transport-level answers (PROTOCOL.md §0 redirect semantics, §7 HTTP signals): looked at before any JSON.

use super::{NextStep, Outcome, Reason};

/// How long to leave 12306 alone after it said "too fast" with its rate-limit text, in ms. No source gives the
/// block's length (PROTOCOL.md §7 found no 2025–2026 thresholds), so this is the longest wait the ordinary
/// back-off ever reaches, taken at once: asking again sooner would only prolong the block.
pub const RATE_LIMIT_PAUSE_MS: u64 = 60_000;

/// The words of 12306's rate-limit answer (`网络可能存在问题，请您重试一下！`, PROTOCOL.md §6, §7).
const RATE_LIMIT_WORDS: &str = "网络可能存在问题";

/// Longest body taken for the bare rate-limit text; the real one is 16 characters (48 bytes).
const MAX_RATE_LIMIT_BODY: usize = 512;

/// The text of a rate-limit answer, when `body` is one: in 2026 a query flood is answered with the bare text
/// `网络可能存在问题，请您重试一下！` instead of JSON (PROTOCOL.md §0, §6, §7). Only a short body that is neither
/// JSON nor HTML counts; the same words inside a JSON message are read by [`super::classify_message`].
pub fn rate_limit_text(body: &str) -> Option<&str> {
    let text = body.trim_start_matches('\u{feff}').trim();
    let plain = !text.starts_with(['{', '[', '<', '"']);
    (plain && text.len() <= MAX_RATE_LIMIT_BODY && text.contains(RATE_LIMIT_WORDS)).then_some(text)
}

/// True when the URL is one of the login pages 12306 redirects to when the session is gone.
pub fn is_login_url(url: &str) -> bool {
    url.contains("/otn/passport")
        || url.contains("/otn/login/init")
        || url.contains("/otn/resources/login.html")
}

/// True when the URL is the busy/blocked error page.
pub fn is_error_url(url: &str) -> bool {
    url.contains("error.html") || url.contains("/otn/login/error")
}

/// True when the body is an HTML page rather than JSON.
pub fn looks_like_html(body: &str) -> bool {
    let head = body.trim_start_matches('\u{feff}').trim_start();
    head.starts_with('<')
}

/// Classifies an HTML body where JSON or the order page was expected.
pub fn classify_html(body: &str) -> Outcome {
    if body.contains("globalRepeatSubmitToken = null")
        || body.contains("uampassport")
        || body.contains("/otn/passport?redirect")
        || body.contains("用户未登录")
    {
        Outcome::new(
            Reason::SessionLost,
            NextStep::Login,
            "login page instead of data",
        )
    } else if body.contains("系统忙") || body.contains("系统繁忙") || body.contains("网络繁忙")
    {
        Outcome::new(Reason::Busy, NextStep::BackOff, "系统忙，请稍后重试")
    } else {
        Outcome::new(Reason::Html, NextStep::BackOff, "HTML page instead of data")
    }
}

/// The transport-level verdict: `Some(outcome)` when the answer is a failure whatever the endpoint,
/// `None` when the body should be read by the endpoint's own classifier. `expect_html` is set for initDc,
/// whose answer is a page.
pub fn classify_http(
    status: u16,
    final_url: &str,
    body: &str,
    expect_html: bool,
) -> Option<Outcome> {
    if is_login_url(final_url) {
        return Some(Outcome::new(
            Reason::SessionLost,
            NextStep::Login,
            "redirected to the login page",
        ));
    }
    if is_error_url(final_url) {
        // A machine note in English; the extension shows it in the user's language by looking up this exact
        // text (CORE_NOTES in extension/background/tasks/runner.js), so a change here must be made there too.
        return Some(Outcome::new(
            Reason::Busy,
            NextStep::BackOff,
            "redirected to the error page",
        ));
    }
    if let Some(text) = rate_limit_text(body) {
        // The throttle's own words outweigh whatever status carried them.
        return Some(Outcome::new(
            Reason::RateLimited,
            Reason::RateLimited.default_next(""),
            text,
        ));
    }
    match status {
        200..=299 => {}
        302 | 301 | 303 | 307 => {
            return Some(Outcome::new(
                Reason::HttpStatus(status),
                NextStep::BackOff,
                "unfollowed redirect",
            ))
        }
        403 => {
            return Some(Outcome::new(
                Reason::IpBlocked,
                NextStep::BackOff,
                "HTTP 403: access refused",
            ))
        }
        503 => {
            return Some(Outcome::new(
                Reason::TooFast,
                NextStep::BackOff,
                "HTTP 503: too many requests",
            ))
        }
        500..=599 => {
            return Some(Outcome::new(
                Reason::ServerError(status),
                NextStep::BackOff,
                format!("HTTP {status}"),
            ))
        }
        _ => {
            return Some(Outcome::new(
                Reason::HttpStatus(status),
                NextStep::BackOff,
                format!("HTTP {status}"),
            ))
        }
    }
    if body.trim().is_empty() {
        return Some(Outcome::new(
            Reason::EmptyBody,
            NextStep::BackOff,
            "empty answer",
        ));
    }
    if !expect_html && looks_like_html(body) {
        return Some(classify_html(body));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK_URL: &str = "https://kyfw.12306.cn/otn/login/checkUser";

    #[test]
    fn http_table() {
        let cases: &[(u16, &str, &str, Reason, NextStep)] = &[
            (
                200,
                "https://kyfw.12306.cn/otn/passport?redirect=/otn/login/userLogin",
                "<html>",
                Reason::SessionLost,
                NextStep::Login,
            ),
            (
                200,
                "https://www.12306.cn/mormhweb/logFiles/error.html",
                "<html>",
                Reason::Busy,
                NextStep::BackOff,
            ),
            (403, OK_URL, "", Reason::IpBlocked, NextStep::BackOff),
            (405, OK_URL, "", Reason::HttpStatus(405), NextStep::BackOff),
            (503, OK_URL, "", Reason::TooFast, NextStep::BackOff),
            (502, OK_URL, "", Reason::ServerError(502), NextStep::BackOff),
            (302, OK_URL, "", Reason::HttpStatus(302), NextStep::BackOff),
            (200, OK_URL, "  ", Reason::EmptyBody, NextStep::BackOff),
            (
                200,
                OK_URL,
                "<!DOCTYPE html><p>hi</p>",
                Reason::Html,
                NextStep::BackOff,
            ),
            (
                200,
                OK_URL,
                "<html><script>var globalRepeatSubmitToken = null;</script>",
                Reason::SessionLost,
                NextStep::Login,
            ),
            (
                200,
                OK_URL,
                "<html><div class=\"tit error\" id=\"ERROR\">系统忙，请稍后重试</div>",
                Reason::Busy,
                NextStep::BackOff,
            ),
            // PROTOCOL.md §6/§7: the 2026 plain-text answer to a query flood is "too fast", with a long pause.
            (
                200,
                OK_URL,
                "网络可能存在问题，请您重试一下！",
                Reason::RateLimited,
                NextStep::RetryAfter {
                    ms: RATE_LIMIT_PAUSE_MS,
                },
            ),
        ];
        for (status, url, body, reason, next) in cases {
            let got = classify_http(*status, url, body, false).expect("a failure");
            assert_eq!(
                (&got.reason, &got.next),
                (reason, next),
                "{status} {url} {body}"
            );
        }
    }

    #[test]
    fn the_bare_rate_limit_text() {
        // PROTOCOL.md §6/§7: the 2026 answer to a query flood is this text alone, not JSON.
        let body = "网络可能存在问题，请您重试一下！";
        assert_eq!(rate_limit_text(body), Some(body));
        assert_eq!(rate_limit_text(&format!("\u{feff} {body}\r\n")), Some(body));
        assert_eq!(
            rate_limit_text(r#"{"status":false,"messages":["网络可能存在问题，请您重试一下！"]}"#),
            None,
            "a JSON message is classify_message's"
        );
        assert_eq!(rate_limit_text("<html>网络可能存在问题</html>"), None);
        assert_eq!(rate_limit_text("系统忙，请稍后重试"), None);
        assert_eq!(rate_limit_text(""), None);
        assert_eq!(rate_limit_text(&format!("{body}{}", "x".repeat(600))), None);
    }

    #[test]
    fn good_answers_pass_through() {
        assert_eq!(classify_http(200, OK_URL, "{\"status\":true}", false), None);
        assert_eq!(
            classify_http(200, OK_URL, "<html>order page</html>", true),
            None
        );
    }
}
