//! Where the ticket query lives: the path changes over time (`leftTicket/queryZ`, `queryA`, `queryG`, `queryU`…)
//! and is announced by the query page and by `login/conf`; a query at a stale name is answered by a `c_url`
//! JSON or, since 2025, by a redirect to the current name (PROTOCOL.md §3.1).

use crate::js_literal;
use serde_json::Value;

/// Longest accepted path; real ones are ~20 characters.
const MAX_PATH_LEN: usize = 64;

/// True for `leftTicket/query` followed by letters, digits, `_` or `-` only (no slashes, dots or query string),
/// so a value taken from a page or answer can safely be put into a URL.
pub fn is_valid(path: &str) -> bool {
    path.len() <= MAX_PATH_LEN
        && path.strip_prefix("leftTicket/query").is_some_and(|rest| {
            rest.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
}

/// Reads the `c_url` of a moved-path answer (`{"status":false,"c_url":"leftTicket/queryG","c_name":…}`,
/// PROTOCOL.md §3.1): the path before any `?…` query string (YUNYING keeps that part, and the official page
/// puts `c_url` where the path goes), without a leading `/` or `/otn/`. `None` unless that is a valid query
/// path.
pub fn from_c_url(c_url: &str) -> Option<String> {
    let path = c_url.trim();
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let path = path.trim_start_matches('/');
    let path = path.strip_prefix("otn/").unwrap_or(path);
    is_valid(path).then(|| path.to_string())
}

/// The query path of the URL a query ended on after following redirects (`https://kyfw.12306.cn/otn/leftTicket/
/// queryG?leftTicketDTO…` or `/otn/leftTicket/queryG?…`): in 2025–2026 a stale name is answered by a 302 to the
/// current one with the same query string (PROTOCOL.md §3.1). `None` when the URL is anything else (the error
/// page, the passport page, another site's path) — those keep their own meaning (§0). The host is not checked:
/// the transport only follows redirects on the page's own origin.
pub fn from_url(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = match url.split_once("://") {
        Some((_, after_scheme)) => &after_scheme[after_scheme.find('/')?..],
        None => url,
    };
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let path = path.strip_prefix("/otn/")?;
    is_valid(path).then(|| path.to_string())
}

/// Reads `var CLeftTicketUrl = 'leftTicket/queryX';` from the query page (`/otn/leftTicket/init`).
/// `None` when absent, `null` (as on other pages), or not a valid query path.
pub fn from_init_page(html: &str) -> Option<String> {
    string_var(html, "CLeftTicketUrl").filter(|p| is_valid(p))
}

/// Reads `var isSaveQueryLog = 'Y'|'N';` from the query page: whether the page sends `leftTicket/log` before
/// each query. `None` when absent.
pub fn is_save_query_log(html: &str) -> Option<bool> {
    string_var(html, "isSaveQueryLog").map(|v| v == "Y")
}

/// Reads `data.queryUrl` from a `login/conf` answer. `None` when absent, not JSON, or not a valid query path.
pub fn from_login_conf(json: &str) -> Option<String> {
    let v = crate::error::parse_json_body(json).ok()?;
    let path = v.get("data")?.get("queryUrl")?.as_str()?.trim();
    is_valid(path).then(|| path.to_string())
}

fn string_var(html: &str, name: &str) -> Option<String> {
    let src = js_literal::find_var_source(html, name)?;
    match js_literal::parse_value(src).ok()?.0 {
        Value::String(s) => Some(s.trim().to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation() {
        for ok in [
            "leftTicket/query",
            "leftTicket/queryG",
            "leftTicket/queryU",
            "leftTicket/query_x-1",
        ] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in [
            "",
            "leftTicket/queryG?x=1",
            "leftTicket/query/../x",
            "otn/leftTicket/queryG",
            "leftTicket/queryé",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn c_url_values() {
        // PROTOCOL.md §3.1: `c_url` is the new path; YUNYING (2025) keeps the part before a `?`.
        for (c_url, want) in [
            ("leftTicket/query", Some("leftTicket/query")),
            (" leftTicket/queryG ", Some("leftTicket/queryG")),
            (
                "leftTicket/queryG?leftTicketDTO.train_date=2026-10-01&purpose_codes=ADULT",
                Some("leftTicket/queryG"),
            ),
            ("/otn/leftTicket/queryI?x=1", Some("leftTicket/queryI")),
            ("", None),
            ("?x=1", None),
            ("../evil?leftTicket/queryG", None),
            ("https://evil.example/leftTicket/queryG", None),
            ("leftTicket/queryG/../../x?y", None),
        ] {
            assert_eq!(from_c_url(c_url).as_deref(), want, "{c_url:?}");
        }
    }

    #[test]
    fn redirect_targets() {
        // PROTOCOL.md §3.1: a stale name is answered by a 302 to the current one, same query string (RAILFAN,
        // SKILL26 with a relative Location, 2026-09).
        for (url, want) in [
            (
                "https://kyfw.12306.cn/otn/leftTicket/queryG?leftTicketDTO.train_date=2026-10-01",
                Some("leftTicket/queryG"),
            ),
            (
                "http://127.0.0.1:8080/otn/leftTicket/queryI",
                Some("leftTicket/queryI"),
            ),
            ("/otn/leftTicket/queryZ?a=b#c", Some("leftTicket/queryZ")),
            ("https://www.12306.cn/mormhweb/logFiles/error.html", None),
            (
                "https://kyfw.12306.cn/otn/passport?redirect=/otn/leftTicket/queryG",
                None,
            ),
            ("https://kyfw.12306.cn/otn/leftTicket/init", None),
            ("https://kyfw.12306.cn", None),
            ("leftTicket/queryG", None),
        ] {
            assert_eq!(from_url(url).as_deref(), want, "{url:?}");
        }
    }

    #[test]
    fn reads_pages_and_conf() {
        let page =
            "<script> var CLeftTicketUrl = 'leftTicket/queryZ';\n var isSaveQueryLog='Y';</script>";
        assert_eq!(from_init_page(page).as_deref(), Some("leftTicket/queryZ"));
        assert_eq!(is_save_query_log(page), Some(true));
        assert_eq!(from_init_page("var CLeftTicketUrl = null;"), None);
        assert_eq!(from_init_page("var CLeftTicketUrl = 'http://evil/';"), None);
        assert_eq!(
            from_login_conf(
                r#"{"status":true,"data":{"queryUrl":"leftTicket/queryG","is_login":"N"}}"#
            )
            .as_deref(),
            Some("leftTicket/queryG")
        );
        assert_eq!(from_login_conf("<html>"), None);
    }
}
