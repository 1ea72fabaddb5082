#![warn(missing_docs)]

//! `kyfw`: the sans-IO core of a booking helper for 12306.cn.
//!
//! Everything here is pure: parsers take text and return typed values or typed errors, request builders return
//! descriptions of HTTP requests, and the booking machine takes responses and `now` and returns actions. The
//! browser extension runs the same code as WebAssembly (see `bindings`), and the tests run it natively against
//! sim12306. See `docs/ARCHITECTURE.md` for how the parts fit; the 12306 facts come from the protocol
//! reference `../shared/12306/PROTOCOL.md`.
//!
//! Layers, each using only the ones above it:
//! * [`protocol`] — the wire: parsers, request builders, outcomes (re-exported at the crate root:
//!   `kyfw::request`, `kyfw::outcome`, …);
//! * [`task`] — what the user wants booked, and its validation;
//! * [`booking`] — the sans-IO state machine (`poll(now)` → action, `handle(input, now)`);
//! * [`driver`] — the one async loop that runs the machine over a small host interface (natively in the tests,
//!   as wasm in the extension);
//! * `bindings` — the wasm-bindgen exports (wasm32 only).

#[cfg(target_arch = "wasm32")]
pub mod bindings;
pub mod booking;
pub mod driver;
pub mod protocol;
pub mod task;

pub(crate) use protocol::calendar;
pub use protocol::{
    account, error, form, js_literal, order_page, outcome, passenger_str, passengers, query,
    query_path, request, seat, seat_choice, server_time, stations, text, train,
};
