//! `kyfw`: the sans-IO core of a booking helper for 12306.cn.
//!
//! Everything here is pure: parsers take text and return typed values or typed errors, request builders return
//! descriptions of HTTP requests, and the booking machine takes responses and `now` and returns actions. The
//! browser extension runs the same code as WebAssembly (see `wasm`), and the tests run it natively against
//! sim12306. See `docs/ARCHITECTURE.md` for how the parts fit.

pub mod error;
pub mod form;
pub mod js_literal;
pub mod query;
pub mod query_path;
pub mod request;
pub mod seat;
pub mod train;
pub mod outcome;
pub mod passengers;
pub mod passenger_str;
pub mod order_page;
pub mod stations;
pub mod booking;
pub mod task;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
