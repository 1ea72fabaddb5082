//! What goes in and out of the machine: [`Action`]s for the host, [`Input`]s from it.

use serde::{Deserialize, Serialize};

use super::event::{Event, Finished, NeedsUser};
use crate::request::HttpRequest;

/// The next thing the host must do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Action {
    /// Perform the request and hand the answer back with [`Input::Response`] (or a transport error).
    Send {
        /// The request, with the `id` to echo.
        request: HttpRequest,
    },
    /// Nothing to do before this time; poll again then (or earlier: polling early is harmless).
    #[serde(rename = "wait")]
    WaitUntil {
        #[serde(rename = "untilMs")]
        /// Time to poll again (ms since the epoch, the host's clock).
        until_ms: u64,
    },
    /// Show or log this, then poll again at once.
    Notify {
        /// What happened.
        event: Event,
    },
    /// The task is over; polling again returns the same.
    Finished {
        /// How it ended.
        result: Finished,
    },
    /// The task is paused until the user acts; then [`Input::Resume`] (or [`Input::Stop`]).
    NeedsUser {
        /// What the user has to do.
        reason: NeedsUser,
    },
}

/// One HTTP answer. `final_url` is the URL after redirects (how a redirect to the login page is seen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct HttpResponse {
    /// The `id` of the request answered (JS may call it `id` or `requestId`).
    #[serde(alias = "id")]
    pub request_id: u64,
    /// HTTP status after redirects (0 when the host could not see it).
    pub status: u16,
    #[serde(default)]
    /// The URL after redirects (how a redirect to the login or error page is seen).
    pub final_url: String,
    #[serde(default)]
    /// The body as text.
    pub body: String,
}

/// An answer as the machine takes it: the response, and the HTTP `Date` header the host read from it (JS:
/// `{type:"response", id, status, finalUrl, body, date}`, `date` optional). The date rides beside
/// [`HttpResponse`] rather than in it because hosts build `HttpResponse` as a struct literal (the browser host in
/// `src/driver/web.rs` too): with the header beside it, a host that cannot read it builds the same response as
/// before, and the machine sets 12306's clock from login/conf's `now` alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Answer {
    /// The response.
    #[serde(flatten)]
    pub response: HttpResponse,
    /// The response's `Date` header as received (`Sun, 06 Nov 1994 08:49:37 GMT`), when the host could read
    /// it: a reading of 12306's clock (ARCHITECTURE.md §1.1 "The opening").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl From<HttpResponse> for Answer {
    fn from(response: HttpResponse) -> Answer {
        Answer {
            response,
            date: None,
        }
    }
}

/// What the host reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Input {
    /// The answer to a [`Action::Send`].
    Response(Answer),
    /// The request failed below HTTP (network, CORS, abort).
    TransportError {
        #[serde(rename = "id", alias = "requestId")]
        /// The `id` of the request that failed.
        request_id: u64,
        #[serde(default)]
        /// What the host saw (for the log).
        message: String,
    },
    /// Time passed; same as polling (kept for hosts that drive the machine by timers).
    Timeout,
    /// The user dealt with what [`Action::NeedsUser`] asked (logged in, paid or cancelled the other order…).
    Resume,
    /// The user stopped the task. Always obeyed; the result says whether an order may exist.
    Stop,
    /// After a stop that left an order that may exist (`Finished::Stopped { orderMayExist: true }`): follow
    /// that order to its end without booking anything new — the queue and the order list only, as after a
    /// [`Input::Resume`], but where the machine would query again it finishes `Stopped` with no order instead.
    /// Ends as `OrderPlaced` when 12306 shows the order. Ignored by a machine in any other state.
    Settle,
}
