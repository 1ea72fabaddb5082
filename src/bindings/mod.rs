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
//! const saved = b.save();                  // JSON string of the whole machine
//! const s = b.status();                    // {state, step, stepLabel, attempts, submits, confirms, lastMessage,
//!                                          //  nextTryAt, train, orderId, orderMayExist, blacklist}
//! ```
//! Every error is thrown as a JS `Error` with a message; nothing here panics on input.

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

/// The booking machine, as a JS class `Booking`.
#[wasm_bindgen(js_name = Booking)]
pub struct JsBooking {
    inner: Booking,
}

#[wasm_bindgen(js_class = Booking)]
impl JsBooking {
    /// `new Booking(task, nowMs)`: `task` is the BookingTask as a JSON string or an object.
    #[wasm_bindgen(constructor)]
    pub fn new(task: JsValue, now_ms: f64) -> Result<JsBooking, JsError> {
        let task: BookingTask = from_js(task, "task")?;
        let inner = Booking::try_new(task, ms(now_ms)).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(JsBooking { inner })
    }

    /// `Booking.restore(savedJson)`: a machine saved with `save()`.
    pub fn restore(state_json: &str) -> Result<JsBooking, JsError> {
        let inner: Booking = serde_json::from_str(state_json)
            .map_err(|e| JsError::new(&format!("saved state: {e}")))?;
        Ok(JsBooking { inner })
    }

    /// The next action as a plain object.
    pub fn poll(&mut self, now_ms: f64) -> Result<JsValue, JsError> {
        to_js(&self.inner.poll(ms(now_ms)))
    }

    /// Reports a response, transport error, timeout, resume or stop (an object or a JSON string).
    pub fn handle(&mut self, input: JsValue, now_ms: f64) -> Result<(), JsError> {
        let input: Input = from_js(input, "input")?;
        self.inner.handle(input, ms(now_ms));
        Ok(())
    }

    /// Stops the task (always obeyed; the result says whether an order may exist).
    pub fn stop(&mut self, now_ms: f64) {
        self.inner.stop(ms(now_ms));
    }

    /// The whole machine as a JSON string, for `Booking.restore`.
    pub fn save(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.inner).map_err(|e| JsError::new(&e.to_string()))
    }

    /// A snapshot for the UI.
    pub fn status(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.status())
    }

    /// The task this machine runs, as an object.
    pub fn task(&self) -> Result<JsValue, JsError> {
        to_js(self.inner.task())
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

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
