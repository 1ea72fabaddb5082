//! WebAssembly bindings: the JS API of ARCHITECTURE.md §1.2 (built only for `wasm32`).
//!
//! ```js
//! import init, { Booking, parsePassengers, parseQuery, parseStations, version } from "./wasm/kyfw.js";
//! const b = new Booking(taskJsonOrObject, Date.now());     // throws on an invalid task
//! const b2 = Booking.restore(savedString);                   // throws on a bad state
//! for (;;) {
//!   const a = b.poll(Date.now());
//!   // a.type: "send"      → a.request = {id, method:"GET"|"POST", url, body:string|null, referer, headers:[[k,v],…],
//!   //                                    followRedirects, navigate, read}   (read: answer from the page, send nothing)
//!   //         "wait"      → a.untilMs
//!   //         "notify"    → a.event = {kind:"query"|"step"|"queue"|"problem"|"orderPlaced"|"needsUser", message, …}
//!   //         "finished"  → a.result = {kind:"orderPlaced"|"stopped"|"failed", message, …}
//!   //         "needsUser" → a.reason = {kind:"login"|"unfinishedOrder"|"passengerMissing"|"captcha"|"refused", message, …}
//! }
//! b.handle({type:"response", id, status, finalUrl, body}, Date.now());
//! b.handle({type:"transportError", id, message}, Date.now());
//! b.handle({type:"timeout"}, now); b.handle({type:"resume"}, now); b.handle({type:"stop"}, now);
//! const end = await b.run(host);          // or: the core's driver runs it over a JS host (driver::web)
//! const saved = b.save();                  // JSON string of the whole machine
//! const s = b.status();                    // {state, step, stepLabel, attempts, submits, confirms, lastMessage,
//!                                          //  nextTryAt, train, orderId, orderMayExist, blacklist}
//! ```
//! Every error is thrown as a JS `Error` with a message; nothing here panics on input.

use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::booking::{Booking, Input};
use crate::task::BookingTask;

/// Plain JS objects (not `Map`s), `null` for `None`, numbers for u64 (all values fit in 2^53).
///
/// Goes through JSON text and `JSON.parse` rather than a direct serde→JS serializer: every type then has one
/// `Serialize` instantiation (serde_json's, which `save()` needs anyway) instead of two, which keeps the wasm
/// much smaller; the objects JS sees are the same.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text)
        .map_err(|_| JsError::new("JSON.parse failed on the core's own output"))
}

/// Accepts either a JSON string or a JS object (an object is read through `JSON.stringify`, for the same size
/// reason as [`to_js`]).
fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    let text = match value.as_string() {
        Some(text) => text,
        // `JSON.stringify` throws on cycles and BigInts and yields `undefined` for `undefined` and functions.
        None => js_sys::JSON::stringify(&value)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| JsError::new(&format!("{what}: not a JSON value")))?,
    };
    serde_json::from_str(&text).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// JS numbers → ms; NaN, negatives and infinities become 0 rather than wrapping.
fn ms(now_ms: f64) -> u64 {
    if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        0
    }
}

/// The booking machine, as a JS class `Booking`. Shared with a running driver (`run`): each call borrows it
/// briefly, so JS can read its status or stop it while the driver waits.
#[wasm_bindgen(js_name = Booking)]
pub struct JsBooking {
    inner: Rc<RefCell<Booking>>,
}

impl JsBooking {
    fn wrap(booking: Booking) -> JsBooking {
        JsBooking {
            inner: Rc::new(RefCell::new(booking)),
        }
    }

    /// The machine, unless the driver is inside a call on it right now (it never is while JS runs, since no
    /// borrow lives across an `await`; the error is a guard, not a path).
    fn machine(&self) -> Result<std::cell::RefMut<'_, Booking>, JsError> {
        self.inner
            .try_borrow_mut()
            .map_err(|_| JsError::new("the booking machine is busy"))
    }
}

#[wasm_bindgen(js_class = Booking)]
impl JsBooking {
    /// `new Booking(task, nowMs)`: `task` is the BookingTask as a JSON string or an object.
    #[wasm_bindgen(constructor)]
    pub fn new(task: JsValue, now_ms: f64) -> Result<JsBooking, JsError> {
        let task: BookingTask = from_js(task, "task")?;
        let inner = Booking::try_new(task, ms(now_ms)).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(JsBooking::wrap(inner))
    }

    /// `Booking.restore(savedJson)`: a machine saved with `save()`.
    pub fn restore(state_json: &str) -> Result<JsBooking, JsError> {
        let inner: Booking = serde_json::from_str(state_json)
            .map_err(|e| JsError::new(&format!("saved state: {e}")))?;
        Ok(JsBooking::wrap(inner))
    }

    /// The next action as a plain object.
    pub fn poll(&mut self, now_ms: f64) -> Result<JsValue, JsError> {
        let action = self.machine()?.poll(ms(now_ms));
        to_js(&action)
    }

    /// Reports a response, transport error, timeout, resume or stop (an object or a JSON string).
    pub fn handle(&mut self, input: JsValue, now_ms: f64) -> Result<(), JsError> {
        let input: Input = from_js(input, "input")?;
        self.machine()?.handle(input, ms(now_ms));
        Ok(())
    }

    /// Stops the task (always obeyed; the result says whether an order may exist).
    pub fn stop(&mut self, now_ms: f64) -> Result<(), JsError> {
        self.machine()?.stop(ms(now_ms));
        Ok(())
    }

    /// The whole machine as a JSON string, for `Booking.restore`.
    pub fn save(&self) -> Result<String, JsError> {
        serde_json::to_string(&*self.machine()?).map_err(|e| JsError::new(&e.to_string()))
    }

    /// A snapshot for the UI.
    pub fn status(&self) -> Result<JsValue, JsError> {
        let status = self.machine()?.status();
        to_js(&status)
    }

    /// The task this machine runs, as an object.
    pub fn task(&self) -> Result<JsValue, JsError> {
        let task = self.machine()?.task().clone();
        to_js(&task)
    }

    /// `booking.run(host) → Promise<end>`: the core's driver runs this machine to its end over the JS host
    /// (`crate::driver::web`): `{kind:"finished", result}` | `{kind:"needsUser", reason}` |
    /// `{kind:"saveFailed", message}`. The machine stays usable from JS meanwhile (status, save, stop).
    pub fn run(&self, host: JsValue) -> js_sys::Promise {
        let machine = Rc::clone(&self.inner);
        wasm_bindgen_futures::future_to_promise(async move {
            Ok(crate::driver::web::run_in_browser(machine, host).await)
        })
    }
}

/// getPassengerDTOs answer → `{passengers:[…], djPassengers, exMsg, isExist, twoIsOpenClick, otherIsOpenClick}`.
#[wasm_bindgen(js_name = parsePassengers)]
pub fn parse_passengers(json: &str) -> Result<JsValue, JsError> {
    let list =
        crate::passengers::parse_passengers(json).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&list)
}

/// Query answer → `{Trains:{trains, map, skipped_rows}}` | `{Moved:{c_url}}` | `{Failed:{messages}}`.
#[wasm_bindgen(js_name = parseQuery)]
pub fn parse_query(json: &str) -> Result<JsValue, JsError> {
    let answer = crate::query::parse_query(json).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&answer)
}

/// `station_name.js` text → array of stations `{key, name, telecode, pinyin, initials, …}`.
#[wasm_bindgen(js_name = parseStations)]
pub fn parse_stations(js: &str) -> Result<JsValue, JsError> {
    let book = crate::stations::StationBook::parse(js).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&book.stations())
}

/// `backgroundFetch(request, deadlineMs) → Promise<{status, finalUrl, body} | {error}>`: the service worker's own
/// request (the background transport, gloo-net), for requests made outside a task (the panel's login check and
/// passenger list when no 12306 tab can take them). Install the Origin/Referer rule first.
#[wasm_bindgen(js_name = backgroundFetch)]
pub fn background_fetch(request: JsValue, deadline_ms: f64) -> js_sys::Promise {
    let request: Result<crate::request::HttpRequest, JsError> = from_js(request, "request");
    wasm_bindgen_futures::future_to_promise(async move {
        let answer = match request {
            Ok(request) => crate::driver::web::background_fetch(&request, ms(deadline_ms)).await,
            Err(_) => Err("bad request".to_owned()),
        };
        Ok(match answer {
            Ok(resp) => crate::driver::web::to_js(
                &serde_json::json!({"status": resp.status, "finalUrl": resp.final_url, "body": resp.body}),
            ),
            Err(error) => crate::driver::web::to_js(&serde_json::json!({ "error": error })),
        })
    })
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
