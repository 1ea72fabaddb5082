//! The driver's host in the browser (wasm32 only): the extension's background hands [`run_in_browser`] a JS
//! object, and the driver calls it for everything that is the browser's — the tab transport, storage, timers,
//! the log — while the service worker's own requests (the background transport, when no 12306 tab can take one)
//! go out from here with gloo-net.
//!
//! The host object is declared for TypeScript as `BookingHost` (below, in the generated `kyfw.d.ts`); every
//! value handed to it or read from it is one of the core's serde types, converted by [`to_js`] / [`from_js`].
//! Nothing here reads a JS object field by field.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::{Method as GlooMethod, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestCache, RequestCredentials, RequestRedirect};

use super::{Host, Machine};
use crate::booking::{Action, Booking, Event, Finished, HttpResponse, Input, NeedsUser};
use crate::request::{HttpRequest, Method};

/// Headers the browser owns; fetch would refuse or drop them (the declarativeNetRequest rule sets Origin and
/// Referer for the worker's own requests).
const FORBIDDEN: [&str; 6] = [
    "cookie",
    "origin",
    "referer",
    "host",
    "content-length",
    "connection",
];

/// What the worker answers to a navigation it cannot perform (shown in the task's log).
const NO_NAVIGATION: &str =
    "the order page must be opened by a 12306 tab (navigation): keep a kyfw.12306.cn page open";

/// One machine shared by the driver and the JS `Booking` object: each call borrows it briefly, never across an
/// `await`, so JS can read its status or stop it while the driver waits.
pub struct Shared(pub Rc<RefCell<Booking>>);

impl Machine for Shared {
    fn poll(&mut self, now_ms: u64) -> Action {
        self.0.borrow_mut().poll(now_ms)
    }

    fn handle(&mut self, input: Input, now_ms: u64) {
        self.0.borrow_mut().handle(input, now_ms);
    }

    fn stop(&mut self, now_ms: u64) {
        self.0.borrow_mut().stop(now_ms);
    }

    fn to_json(&self) -> Result<String, String> {
        serde_json::to_string(&*self.0.borrow()).map_err(|e| e.to_string())
    }

    fn order_may_exist(&self) -> bool {
        self.0.borrow().order_may_exist()
    }

    fn traffic(&self, now_ms: u64) -> super::pacer::Traffic {
        self.0.borrow().traffic(now_ms)
    }
}

/// The JS host object.
pub struct JsHost {
    host: JsValue,
}

/// How the core's values become JS values: plain objects (not `Map`s), `null` for `None`, numbers for u64 (all
/// values fit in 2^53) — what the declarations say and what JSON would give.
const TO_JS: serde_wasm_bindgen::Serializer = serde_wasm_bindgen::Serializer::json_compatible();

/// A core value as a JS value (see [`TO_JS`]).
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, String> {
    value.serialize(&TO_JS).map_err(|e| e.to_string())
}

/// A JS value as a core value: what the declarations describe, checked field by field by serde (`null` and
/// `undefined` both read as `None`).
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// 12306's answer to one request as a host saw it: the HTTP status, the URL after redirects and the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, tsify::Tsify)]
#[serde(rename_all = "camelCase")]
pub struct HttpAnswer {
    /// The HTTP status after redirects (302 for a redirect the host did not follow).
    pub status: u16,
    /// The URL after redirects (how a redirect to the login or error page is seen).
    #[serde(default)]
    pub final_url: String,
    /// The body as text.
    #[serde(default)]
    pub body: String,
    /// The answer's HTTP `Date` header as received, when the transport could read it: a reading of 12306's
    /// clock for the sale opening (ARCHITECTURE.md §1.1 "The opening"; PROTOCOL.md §7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub date: Option<String>,
}

/// What a transport gives back for one request: the answer, or what went wrong below HTTP (the network, a tab
/// that went away or never answered, a refused URL) — after which the request may have reached 12306.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, tsify::Tsify)]
#[serde(untagged)]
pub enum HostAnswer {
    /// Nothing usable came back.
    Failed {
        /// What the transport saw.
        error: String,
    },
    /// 12306 answered.
    Answered(HttpAnswer),
}

/// How `booking.run(host)` ends (the driver's [`super::End`] as JS sees it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, tsify::Tsify)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RunEnd {
    /// The task is over: an order, a stop, or an invalid task.
    Finished {
        /// How it ended.
        result: Finished,
    },
    /// The task waits for the user; `Input::Resume` after a restore goes on.
    NeedsUser {
        /// What the user has to do.
        reason: NeedsUser,
    },
    /// The machine could not be saved before a request, so nothing more was sent.
    SaveFailed {
        /// Why the host could not keep it.
        message: String,
    },
}

impl From<super::End> for RunEnd {
    fn from(end: super::End) -> RunEnd {
        match end {
            super::End::Finished(result) => RunEnd::Finished { result },
            super::End::NeedsUser(reason) => RunEnd::NeedsUser { reason },
            super::End::SaveFailed(message) => RunEnd::SaveFailed { message },
        }
    }
}

#[wasm_bindgen(typescript_custom_section)]
const BOOKING_HOST: &str = r#"
/** What the driver needs from the browser (`booking.run(host)`, src/driver/web.rs). */
export interface BookingHost {
  /** The tab transport: 12306's answer, what went wrong, or null when no tab can take the request (nothing was
   *  sent: the core then sends it from the worker itself, after `prepareBackground`). */
  send(request: HttpRequest, deadlineMs: number): Promise<HostAnswer | null>;
  /** Installs what the worker's own request needs (the Origin/Referer rule). */
  prepareBackground(request: HttpRequest): Promise<void>;
  /** Which transport took the last request. */
  via(kind: "tab" | "background"): void;
  /** Resolves at `ms` (epoch), or earlier when the task is stopped. */
  sleepUntil(ms: number): Promise<void>;
  /** Keeps the machine (`Booking.save()`'s JSON); rejects when it cannot, and the task then stops. With `wait`
   *  false (no order may exist yet, or after an answer) it only starts the write, in order after the earlier
   *  ones, and resolves at once; a write that failed rejects the next call instead. */
  save(machine: string, wait: boolean): Promise<void>;
  /** A progress event to show. */
  report(event: Event): void;
  /** The host's clock, ms since the epoch. */
  now(): number;
  /** True once the user stopped the task. */
  stopRequested(): boolean;
}
"#;

fn message_of(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "error".to_owned())
}

fn ms(value: f64) -> u64 {
    if value.is_finite() && value > 0.0 {
        value as u64
    } else {
        0
    }
}

impl JsHost {
    /// Wraps the JS host object.
    pub fn new(host: JsValue) -> JsHost {
        JsHost { host }
    }

    fn method(&self, name: &str) -> Option<js_sys::Function> {
        js_sys::Reflect::get(&self.host, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    }

    fn call(&self, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
        let f = self
            .method(name)
            .ok_or_else(|| format!("host.{name} missing"))?;
        let args: js_sys::Array = args.iter().collect();
        f.apply(&self.host, &args).map_err(|e| message_of(&e))
    }

    async fn await_call(&self, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
        let value = self.call(name, args)?;
        match value.dyn_into::<js_sys::Promise>() {
            Ok(promise) => JsFuture::from(promise).await.map_err(|e| message_of(&e)),
            Err(value) => Ok(value),
        }
    }
}

/// The worker's own request (the background transport): fetch with the browser's cookies for kyfw.12306.cn (the
/// host permission), redirects followed (a redirect shows as the final URL), no cache, aborted at `deadline_ms`.
/// The caller installs the Origin/Referer rule first (`prepareBackground`). With the answer's `Date` header
/// (readable here: the extension's host permission exempts the worker's request from CORS filtering).
pub async fn background_fetch(
    request: &HttpRequest,
    deadline_ms: u64,
) -> Result<(HttpResponse, Option<String>), String> {
    // A read of the order page's own values has no page here: answered empty (the confirm then goes without it).
    if request.read.is_some() {
        let empty = HttpResponse {
            request_id: request.id,
            status: 200,
            final_url: String::new(),
            body: String::new(),
        };
        return Ok((empty, None));
    }
    // The order page as a navigation needs a page that can navigate a frame; the worker's fetch is exactly what
    // 12306 refused. Not sent: the core waits that out (a transport error, not a refusal) and the next attempt
    // goes through a 12306 tab when one is open again.
    if request.navigate {
        return Err(NO_NAVIGATION.to_owned());
    }
    let method = match request.method {
        Method::Get => GlooMethod::GET,
        Method::Post => GlooMethod::POST,
    };
    let left = deadline_ms
        .saturating_sub(ms(js_sys::Date::now()))
        .clamp(1, u64::from(u32::MAX));
    let signal = AbortSignal::timeout_with_u32(left as u32);
    let mut builder = RequestBuilder::new(&request.url)
        .method(method)
        .credentials(RequestCredentials::Include)
        .redirect(RequestRedirect::Follow)
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&signal));
    for (name, value) in &request.headers {
        if !FORBIDDEN.contains(&name.to_ascii_lowercase().as_str()) {
            builder = builder.header(name, value);
        }
    }
    let sent = match &request.body {
        Some(body) if request.method == Method::Post => builder.body(body.clone()),
        _ => builder.build(),
    }
    .map_err(|e| e.to_string())?
    .send()
    .await
    .map_err(|e| e.to_string())?;
    let status = sent.status();
    let final_url = sent.url();
    let date = sent.headers().get("date");
    let body = sent.text().await.map_err(|e| e.to_string())?;
    let response = HttpResponse {
        request_id: request.id,
        status,
        final_url,
        body,
    };
    Ok((response, date))
}

impl Host for JsHost {
    async fn send(
        &mut self,
        request: &HttpRequest,
        deadline_ms: u64,
    ) -> Result<HttpResponse, String> {
        self.send_dated(request, deadline_ms).await.map(|(r, _)| r)
    }

    /// Both transports read the answer's `Date` header: the worker's own fetch here, the tab's fetch in
    /// `content/transport.js` (its `date`), so the opening is timed on 12306's clock whichever one carried it.
    async fn send_dated(
        &mut self,
        request: &HttpRequest,
        deadline_ms: u64,
    ) -> Result<(HttpResponse, Option<String>), String> {
        let js_request = to_js(request)?;
        let answer = self
            .await_call(
                "send",
                &[js_request.clone(), JsValue::from_f64(deadline_ms as f64)],
            )
            .await?;
        if answer.is_null() || answer.is_undefined() {
            let _ = self.call("via", &[JsValue::from_str("background")]);
            self.await_call("prepareBackground", &[js_request]).await?;
            return background_fetch(request, deadline_ms).await;
        }
        let _ = self.call("via", &[JsValue::from_str("tab")]);
        // An answer of another shape counts as a failed request: it may have gone out, which the machine
        // treats as an unknown outcome, never as "nothing happened".
        match from_js::<HostAnswer>(answer).map_err(|e| format!("unreadable answer: {e}"))? {
            HostAnswer::Failed { error } => Err(error),
            HostAnswer::Answered(answer) => Ok((
                HttpResponse {
                    request_id: request.id,
                    status: answer.status,
                    final_url: answer.final_url,
                    body: answer.body,
                },
                answer.date,
            )),
        }
    }

    async fn sleep_until(&mut self, at_ms: u64) {
        let _ = self
            .await_call("sleepUntil", &[JsValue::from_f64(at_ms as f64)])
            .await;
    }

    async fn save(&mut self, machine: &str) -> Result<(), String> {
        self.await_call("save", &[JsValue::from_str(machine), JsValue::TRUE])
            .await
            .map(|_| ())
    }

    async fn save_beside(&mut self, machine: &str) -> Result<(), String> {
        self.await_call("save", &[JsValue::from_str(machine), JsValue::FALSE])
            .await
            .map(|_| ())
    }

    fn report(&mut self, event: &Event) {
        if let Ok(event) = to_js(event) {
            let _ = self.call("report", &[event]);
        }
    }

    fn now_ms(&self) -> u64 {
        self.call("now", &[])
            .ok()
            .and_then(|v| v.as_f64())
            .map_or_else(|| ms(js_sys::Date::now()), ms)
    }

    fn stop_requested(&self) -> bool {
        self.call("stopRequested", &[])
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }
}

/// Runs the shared machine over the JS host until it finishes, needs the user, or cannot be saved.
pub async fn run_in_browser(
    machine: Rc<RefCell<Booking>>,
    host: JsValue,
) -> Result<JsValue, String> {
    let mut machine = Shared(machine);
    let mut host = JsHost::new(host);
    let pacer = SESSION_PACER.with(Rc::clone);
    let end = RunEnd::from(super::run_paced(&mut machine, &mut host, &pacer).await);
    to_js(&end)
}

thread_local! {
    /// The pacer of the user's one 12306 session, shared by every `Booking.run` of this wasm instance (the
    /// background worker's): the flood rules hold over all tasks together (ARCHITECTURE.md §1.1 rule 3).
    static SESSION_PACER: Rc<RefCell<super::pacer::Pacer>> = Rc::default();
}
