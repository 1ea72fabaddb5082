//! A small native host for the booking machine: performs its requests over plain HTTP against sim12306 (with
//! `Host: kyfw.12306.cn`), keeps cookies like a browser tab, follows redirects like `fetch` (so the machine sees
//! the final URL), passes each answer's `Date` header on (the machine reads 12306's clock from it), and drives
//! `poll`/`handle` with the wall clock. Also wraps the sim's control API.
#![allow(dead_code)]

#[path = "../fixtures/endpoint.rs"]
mod endpoint_name;
pub mod http;

pub use endpoint_name::endpoint;

#[path = "../fixtures/block_on.rs"]
mod block_on_fixture;
pub use block_on_fixture::block_on;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kyfw::booking::{Booking, Event, Finished, HttpResponse, NeedsUser};
use kyfw::driver::{self, Host};
use kyfw::request::{HttpRequest, Method};
use serde_json::Value;

use http::{Jar, Raw};

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Travel date `days` from today, on the sim's calendar.
pub fn date_in(days: i64) -> String {
    sim12306::clock::Date::of_ms(now_ms() as i64)
        .add_days(days)
        .iso()
}

/// How a drive ended.
#[derive(Debug)]
pub enum End {
    Finished(Finished),
    NeedsUser(NeedsUser),
    /// The wall-clock budget ran out.
    TimedOut,
}

pub struct Driver {
    pub http_port: u16,
    pub control_port: u16,
    pub jar: Jar,
    pub events: Vec<Event>,
    pub sent: Vec<HttpRequest>,
    /// Send the `Sec-Fetch-*` headers a browser tab would: `cors`/`empty` for the page's fetches, `navigate`/
    /// `iframe` for a request the machine wants navigated (the tab transport's hidden frame). Off: no such
    /// headers at all, as a native client.
    pub browser_headers: bool,
}

impl Driver {
    pub fn new(sim: &sim12306::SimHandle) -> Driver {
        Driver {
            http_port: sim.http_port,
            control_port: sim.control_port,
            jar: Jar::default(),
            events: Vec::new(),
            sent: Vec::new(),
            browser_headers: false,
        }
    }

    // ---- control API -----------------------------------------------------------------------------------

    pub fn control(&self, method: &str, path: &str, body: &str) -> Value {
        let raw = http::send(
            self.control_port,
            method,
            "127.0.0.1",
            path,
            &[("Content-Type", "application/json")],
            body,
        )
        .unwrap_or_else(|e| panic!("control {path}: {e}"));
        assert!(
            raw.status < 300,
            "control {path} → {}: {}",
            raw.status,
            raw.body
        );
        serde_json::from_str(&raw.body).unwrap_or(Value::Null)
    }

    /// Logs the demo account in via the control API and keeps its cookies.
    pub fn login(&mut self) {
        let v = self.control("POST", "/session", r#"{"account":"demo"}"#);
        let cookies = v["cookies"].as_str().unwrap_or_default().to_owned();
        self.jar = Jar::default();
        self.jar.add_header(&cookies);
    }

    pub fn inventory(&self, date: &str, train: &str, seat: &str, count: i64) {
        self.control(
            "POST",
            "/inventory",
            &serde_json::json!({"date":date,"train":train,"seat":seat,"count":count}).to_string(),
        );
    }

    /// Stages a sale opening (sim12306's `sale_opening`): the sim clock is put `lead_ms` before a whole minute T
    /// — so 12306's clock is off from the host's by up to a minute, as the machine must find out — then the
    /// scenario is loaded (`extra`'s keys beside `sale_opening`, which is `opening` with `at_ms` T) and the demo
    /// account logged in. Returns T (sim clock) and the travel date (the newest of the window).
    pub fn stage_opening(&mut self, lead_ms: i64, opening: Value, extra: Value) -> (i64, String) {
        let now = self.control("GET", "/health", "")["now_ms"]
            .as_i64()
            .expect("the sim's clock");
        let t = (now + lead_ms) / 60_000 * 60_000 + 60_000;
        self.control(
            "POST",
            "/clock",
            &serde_json::json!({ "now_ms": t - lead_ms }).to_string(),
        );
        let mut opening = opening;
        opening["at_ms"] = t.into();
        let mut scenario = extra;
        scenario["sale_opening"] = opening;
        self.control("POST", "/scenario", &scenario.to_string());
        self.login();
        let date = sim12306::clock::Date::of_ms(t).add_days(14).iso();
        (t, date)
    }

    pub fn orders(&self) -> Vec<Value> {
        self.control("GET", "/orders", "")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn requests(&self) -> Vec<Value> {
        self.control("GET", "/requests", "")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    // ---- transport ---------------------------------------------------------------------------------------

    /// Performs one request like the page's `fetch` would: cookies, Origin, Referer, redirects followed. A
    /// request to be navigated goes the same way (with navigation headers when `browser_headers` is on); a page
    /// read is answered empty without sending anything (this client has no page to read).
    pub fn perform(&mut self, req: &HttpRequest) -> Result<HttpResponse, String> {
        self.perform_dated(req).map(|(resp, _)| resp)
    }

    /// [`Driver::perform`], with the final answer's `Date` header.
    pub fn perform_dated(
        &mut self,
        req: &HttpRequest,
    ) -> Result<(HttpResponse, Option<String>), String> {
        if req.read.is_some() {
            let resp = HttpResponse {
                request_id: req.id,
                status: 200,
                final_url: req.url.clone(),
                body: String::new(),
            };
            return Ok((resp, None));
        }
        let (sec_mode, sec_dest) = if req.navigate {
            ("navigate", "iframe")
        } else {
            ("cors", "empty")
        };
        let mut url = req.url.clone();
        let mut method = req.method;
        let mut body = req.body.clone().unwrap_or_default();
        for _ in 0..5 {
            let (host, path) = split_url(&url);
            let cookie = self.jar.header();
            let mut headers: Vec<(&str, &str)> = req
                .headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            if method == Method::Get {
                headers.retain(|(k, _)| !k.eq_ignore_ascii_case("Content-Type"));
            }
            headers.push(("Referer", &req.referer));
            headers.push(("Origin", "https://kyfw.12306.cn"));
            headers.push((
                "User-Agent",
                "Mozilla/5.0 (X11; Linux x86_64) kyfw-native-driver",
            ));
            if !cookie.is_empty() {
                headers.push(("Cookie", &cookie));
            }
            if self.browser_headers {
                headers.push(("Sec-Fetch-Mode", sec_mode));
                headers.push(("Sec-Fetch-Dest", sec_dest));
                headers.push(("Sec-Fetch-Site", "same-origin"));
            }
            let m = if method == Method::Get { "GET" } else { "POST" };
            let raw: Raw = http::send(self.http_port, m, &host, &path, &headers, &body)?;
            for c in &raw.set_cookies {
                self.jar.set_cookie(c);
            }
            match (raw.status, raw.location.as_deref()) {
                (301 | 302 | 303 | 307, Some(loc)) => {
                    url = absolute(&url, loc);
                    method = Method::Get;
                    body.clear();
                }
                _ => {
                    let resp = HttpResponse {
                        request_id: req.id,
                        status: raw.status,
                        final_url: url,
                        body: raw.body,
                    };
                    return Ok((resp, raw.date));
                }
            }
        }
        Err("too many redirects".into())
    }

    /// Runs the machine until it finishes, needs the user, or `budget` passes — through the core's one driver
    /// (`kyfw::driver::run`), with this client as its host.
    pub fn drive(&mut self, m: &mut Booking, budget: Duration) -> End {
        let mut host = NativeHost {
            client: self,
            start: Instant::now(),
            budget,
        };
        match block_on(kyfw::driver::run(m, &mut host)) {
            _ if host.start.elapsed() >= budget => End::TimedOut,
            driver::End::Finished(f) => End::Finished(f),
            driver::End::NeedsUser(n) => End::NeedsUser(n),
            driver::End::SaveFailed(e) => panic!("saving never fails here: {e}"),
        }
    }

    /// How many requests the machine sent to an endpoint (last path segment; `query` for leftTicket/query*).
    pub fn count(&self, ep: &str) -> usize {
        self.sent.iter().filter(|r| endpoint(&r.url) == ep).count()
    }
}

/// `https://host/path?q` → (host, /path?q).
fn split_url(url: &str) -> (String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.find('/') {
        Some(i) => (rest[..i].to_owned(), rest[i..].to_owned()),
        None => (rest.to_owned(), "/".to_owned()),
    }
}

fn absolute(base: &str, loc: &str) -> String {
    if loc.contains("://") {
        loc.to_owned()
    } else {
        let (host, _) = split_url(base);
        format!("https://{host}{loc}")
    }
}

/// The native host of the driver: blocking HTTP against sim12306 (`Driver::perform`), the wall clock, and a
/// save that checks what the extension relies on — the machine's JSON restores to the same machine.
struct NativeHost<'a> {
    client: &'a mut Driver,
    start: Instant,
    budget: Duration,
}

impl Host for NativeHost<'_> {
    async fn send(
        &mut self,
        request: &HttpRequest,
        _deadline_ms: u64,
    ) -> Result<HttpResponse, String> {
        self.client.sent.push(request.clone());
        self.client.perform(request)
    }

    async fn send_dated(
        &mut self,
        request: &HttpRequest,
        _deadline_ms: u64,
    ) -> Result<(HttpResponse, Option<String>), String> {
        self.client.sent.push(request.clone());
        self.client.perform_dated(request)
    }

    async fn sleep_until(&mut self, at_ms: u64) {
        let wait = at_ms.saturating_sub(now_ms()).min(500);
        std::thread::sleep(Duration::from_millis(wait.max(5)));
    }

    async fn save(&mut self, machine: &str) -> Result<(), String> {
        let back: Booking = serde_json::from_str(machine).map_err(|e| e.to_string())?;
        assert_eq!(
            serde_json::to_string(&back).ok().as_deref(),
            Some(machine),
            "the machine restores"
        );
        Ok(())
    }

    fn report(&mut self, event: &Event) {
        self.client.events.push(event.clone());
    }

    fn now_ms(&self) -> u64 {
        now_ms()
    }

    fn stop_requested(&self) -> bool {
        self.start.elapsed() >= self.budget
    }
}
