//! Plain request/response values handed between the hyper plumbing and the route handlers, so the
//! handlers stay synchronous functions over the world state.

use crate::form::Form;
use crate::json::J;

/// Which 12306 host a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    Kyfw,
    Www,
}

/// One request to the 12306 hosts.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub site: Site,
    /// Whether the Host header names a real 12306 host (then redirects are absolute `https://…`).
    pub named_host: bool,
    pub host: String,
    pub path: String,
    pub query: String,
    /// Lower-cased names.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Req {
    /// The first header of this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A cookie value from the `Cookie` header(s).
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "cookie")
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    /// The body as a form.
    pub fn form(&self) -> Form {
        Form::parse(&self.body)
    }

    /// The query string as a form.
    pub fn query_form(&self) -> Form {
        Form::parse(&self.query)
    }

    /// Body form for POST, query string for GET: some endpoints accept both.
    pub fn params(&self) -> Form {
        let mut f = self.query_form();
        f.0.extend(self.form().0);
        f
    }

    /// Path of the Referer header (host ignored so tests on 127.0.0.1 behave like the real hosts).
    pub fn referer_path(&self) -> Option<String> {
        let r = self.header("referer")?;
        let after_scheme = r.split_once("://").map(|(_, rest)| rest).unwrap_or(r);
        let path_start = after_scheme.find('/')?;
        Some(after_scheme.get(path_start..)?.to_string())
    }

    /// True for POST.
    pub fn is_post(&self) -> bool {
        self.method.eq_ignore_ascii_case("POST")
    }
}

/// What to answer (or how to misbehave).
#[derive(Debug, Clone, Default)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Close the connection without answering (after the request was processed).
    pub drop_conn: bool,
    /// Wait this long before answering.
    pub delay_ms: u64,
}

impl Resp {
    /// An answer with this status, content type and body.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Resp {
        Resp {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
            ..Resp::default()
        }
    }

    /// A 200 JSON answer, with the content type 12306 sends.
    pub fn json(j: &J) -> Resp {
        Resp::new(200, "application/json;charset=UTF-8", j.to_json())
    }

    /// A 200 HTML page.
    pub fn html(body: impl Into<String>) -> Resp {
        Resp::new(200, "text/html;charset=utf-8", body.into())
    }

    /// A plain-text answer.
    pub fn text(status: u16, body: impl Into<String>) -> Resp {
        Resp::new(status, "text/plain;charset=utf-8", body.into())
    }

    /// A 302 to `location`.
    pub fn redirect(location: &str) -> Resp {
        let mut r = Resp::new(302, "text/html;charset=utf-8", Vec::new());
        r.headers.push(("location".into(), location.into()));
        r
    }

    /// A 404.
    pub fn not_found() -> Resp {
        Resp::new(
            404,
            "text/html;charset=utf-8",
            "<html><body><h1>404 Not Found</h1></body></html>",
        )
    }

    /// Adds a `Set-Cookie` for `name` on `path`.
    pub fn set_cookie(&mut self, name: &str, value: &str, path: &str) {
        self.headers
            .push(("set-cookie".into(), format!("{name}={value}; Path={path}")));
    }

    /// The body as text (lossy), for logs and tests.
    pub fn body_str(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_referer() {
        let r = Req {
            method: "GET".into(),
            site: Site::Kyfw,
            named_host: false,
            host: "127.0.0.1".into(),
            path: "/".into(),
            query: String::new(),
            headers: vec![
                ("cookie".into(), "a=1; JSESSIONID=xyz".into()),
                (
                    "referer".into(),
                    "https://kyfw.12306.cn/otn/leftTicket/init?linktypeid=dc".into(),
                ),
            ],
            body: String::new(),
        };
        assert_eq!(r.cookie("JSESSIONID"), Some("xyz"));
        assert_eq!(r.cookie("b"), None);
        assert_eq!(
            r.referer_path().as_deref(),
            Some("/otn/leftTicket/init?linktypeid=dc")
        );
    }
}
