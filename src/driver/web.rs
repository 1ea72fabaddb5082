//! The driver's host in the browser (wasm32 only): the extension's background hands [`run_in_browser`] a JS
//! object, and the driver calls it for everything that is the browser's — the tab transport, storage, timers,
//! the log — while the service worker's own requests (the background transport, when no 12306 tab can take one)
//! go out from here with gloo-net.
//!
//! The JS host object (ARCHITECTURE.md §1.2):
//! ```js
//! {
//!   send(request, deadlineMs) → Promise<{status, finalUrl, body} | {error} | null>,  // null: no tab, use the background
//!   prepareBackground(request) → Promise,   // installs the Origin/Referer rule for the worker's own request
//!   sleepUntil(ms) → Promise,               // resolves early when the task is stopped
//!   save(machineJson) → Promise,            // rejects when the state cannot be kept
//!   report(event),                          // a progress event (plain object)
//!   now() → number,                         // ms
//!   stopRequested() → boolean,
//!   via(kind),                              // "tab" | "background": which transport took the last request
//! }
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::{Method as GlooMethod, RequestBuilder};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestCache, RequestCredentials, RequestRedirect};

use super::{Host, Machine};
use crate::booking::{Action, Booking, Event, HttpResponse, Input};
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
}

/// The JS host object.
pub struct JsHost {
    host: JsValue,
}

pub(crate) fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or(JsValue::NULL)
}

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

    fn read_answer(value: &JsValue, id: u64) -> Result<HttpResponse, String> {
        let get = |k: &str| {
            js_sys::Reflect::get(value, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
        };
        if let Some(error) = get("error").as_string() {
            return Err(error);
        }
        let status = get("status").as_f64().map_or(0, |s| s as u16);
        Ok(HttpResponse {
            request_id: id,
            status,
            final_url: get("finalUrl").as_string().unwrap_or_default(),
            body: get("body").as_string().unwrap_or_default(),
        })
    }
}

/// The worker's own request (the background transport): fetch with the browser's cookies for kyfw.12306.cn (the
/// host permission), redirects followed (a redirect shows as the final URL), no cache, aborted at `deadline_ms`.
/// The caller installs the Origin/Referer rule first (`prepareBackground`).
pub async fn background_fetch(
    request: &HttpRequest,
    deadline_ms: u64,
) -> Result<HttpResponse, String> {
    // A read of the order page's own values has no page here: answered empty (the confirm then goes without it).
    if request.read.is_some() {
        return Ok(HttpResponse {
            request_id: request.id,
            status: 200,
            final_url: String::new(),
            body: String::new(),
        });
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
    let body = sent.text().await.map_err(|e| e.to_string())?;
    Ok(HttpResponse {
        request_id: request.id,
        status,
        final_url,
        body,
    })
}

impl Host for JsHost {
    async fn send(
        &mut self,
        request: &HttpRequest,
        deadline_ms: u64,
    ) -> Result<HttpResponse, String> {
        let answer = self
            .await_call(
                "send",
                &[to_js(request), JsValue::from_f64(deadline_ms as f64)],
            )
            .await?;
        if answer.is_null() || answer.is_undefined() {
            let _ = self.call("via", &[JsValue::from_str("background")]);
            self.await_call("prepareBackground", &[to_js(request)])
                .await?;
            return background_fetch(request, deadline_ms).await;
        }
        let _ = self.call("via", &[JsValue::from_str("tab")]);
        JsHost::read_answer(&answer, request.id)
    }

    async fn sleep_until(&mut self, at_ms: u64) {
        let _ = self
            .await_call("sleepUntil", &[JsValue::from_f64(at_ms as f64)])
            .await;
    }

    async fn save(&mut self, machine: &str) -> Result<(), String> {
        self.await_call("save", &[JsValue::from_str(machine)])
            .await
            .map(|_| ())
    }

    fn report(&mut self, event: &Event) {
        let _ = self.call("report", &[to_js(event)]);
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

/// Runs the shared machine over the JS host until it finishes, needs the user, or cannot be saved; resolves to
/// `{kind:"finished", result}` | `{kind:"needsUser", reason}` | `{kind:"saveFailed", message}`.
pub async fn run_in_browser(machine: Rc<RefCell<Booking>>, host: JsValue) -> JsValue {
    let mut machine = Shared(machine);
    let mut host = JsHost::new(host);
    let end = super::run(&mut machine, &mut host).await;
    let out = match end {
        super::End::Finished(result) => serde_json::json!({"kind": "finished", "result": result}),
        super::End::NeedsUser(reason) => serde_json::json!({"kind": "needsUser", "reason": reason}),
        super::End::SaveFailed(message) => {
            serde_json::json!({"kind": "saveFailed", "message": message})
        }
    };
    to_js(&out)
}
