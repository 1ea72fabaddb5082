//! Where the ticket query lives: the path changes over time (`leftTicket/queryZ`, `queryA`, `queryG`, `queryU`…)
//! and is announced by the query page and by `login/conf` (PROTOCOL.md §3.1).

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
