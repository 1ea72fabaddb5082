//! `kyfw`: the sans-IO core of a booking helper for 12306.cn.
//!
//! Everything here is pure: parsers take text and return typed values or typed errors, request builders return
//! descriptions of HTTP requests, and the booking machine takes responses and `now` and returns actions. The
//! browser extension runs the same code as WebAssembly (see `wasm`), and the tests run it natively against
//! sim12306. See `docs/ARCHITECTURE.md` for how the parts fit.

pub mod booking;
mod calendar;
pub mod error;
pub mod form;
pub mod js_literal;
pub mod order_page;
pub mod outcome;
pub mod passenger_str;
pub mod passengers;
pub mod query;
pub mod query_path;
pub mod request;
pub mod seat;
pub mod stations;
pub mod task;
pub mod train;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
