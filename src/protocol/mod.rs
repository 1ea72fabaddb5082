//! The 12306 wire protocol: what each request looks like and what each answer means, as pure functions over
//! text. Nothing here keeps state or knows about the booking flow; the facts come from the protocol reference
//! (`../shared/12306/PROTOCOL.md`, cited per item as "PROTOCOL.md §n") and the captures beside it.
//!
//! Parsers ([`stations`], [`query`], [`train`], [`passengers`], [`order_page`], [`query_path`]) return typed values
//! or a typed [`error::ParseError`] and never panic; [`request`] builds every request of the flow as a
//! description the host performs; [`outcome`] turns every answer into a [`outcome::Outcome`] with a next step;
//! [`account`] reads the two answers a UI needs before any task (logged in? which passengers?).

pub mod account;
pub(crate) mod calendar;
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
pub mod seat_choice;
pub mod server_time;
pub mod stations;
pub mod text;
pub mod train;
