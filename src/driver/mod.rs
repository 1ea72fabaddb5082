//! The one driver of the booking machine: an async loop that runs a [`Booking`] to its end over a small
//! [`Host`] (send a request, sleep, save, report, the clock), as quinn drives quinn-proto. The machine decides
//! everything; the driver only moves answers and time between it and the host, and keeps the promises that need
//! a clock or storage in one place:
//!
//! * **write-ahead**: the machine is saved before every request goes out, so a host that dies at any point
//!   restores a machine that knows a confirm may have reached 12306; a save that fails stops the task, visibly
//!   ([`End::SaveFailed`]), before anything is sent;
//! * **the request deadline**: a request without an answer by the machine's deadline counts as timed out (the
//!   answer, if it comes later, is ignored by the machine);
//! * **Stop**: the host's stop flag is looked at before every step and while waiting or sending, and is always
//!   obeyed (the machine then says whether an order may exist).
//!
//! The pace of one task (the interval between queries, the request budget) lives in the machine itself, so it
//! survives restarts and holds for any host. The pace of the session, whatever number of tasks share it, is the
//! [`pacer::Pacer`] that [`run_paced`] consults before each request (the extension shares one between all its
//! tasks; [`run`] gives a task a pacer of its own, which never holds a task alone). The driver is runtime-free: it needs no executor features beyond polling
//! two futures, so it runs natively in the tests (blocking HTTP against sim12306, a simulated clock against the
//! stateful fake) and as wasm in the extension.

use std::cell::RefCell;

use crate::booking::{Action, Answer, Booking, Event, Finished, HttpResponse, Input, NeedsUser};

pub mod pacer;
#[cfg(target_arch = "wasm32")]
pub mod web;
use crate::request::HttpRequest;
use pacer::{Admit, Pacer, Traffic};

/// What the driver needs from the place it runs in.
#[allow(async_fn_in_trait)] // the driver is single-threaded by design (a service worker, a test)
pub trait Host {
    /// Performs one request; the answer, or what went wrong below HTTP. Gives up at `deadline_ms` (the host's
    /// clock) with an error, and may give up early when the task is stopped.
    async fn send(
        &mut self,
        request: &HttpRequest,
        deadline_ms: u64,
    ) -> Result<HttpResponse, String>;
    /// Like [`Host::send`], with the answer's HTTP `Date` header as received when the host can read it: a
    /// reading of 12306's clock before a sale opens (ARCHITECTURE.md §1.1 "The opening"). The driver calls this
    /// one; the default reads no header (the machine then sets the clock from login/conf's `now` alone).
    async fn send_dated(
        &mut self,
        request: &HttpRequest,
        deadline_ms: u64,
    ) -> Result<(HttpResponse, Option<String>), String> {
        self.send(request, deadline_ms).await.map(|r| (r, None))
    }
    /// Resolves at `at_ms` (the host's clock), or earlier when the task is stopped.
    async fn sleep_until(&mut self, at_ms: u64);
    /// Persists the machine (its JSON); an error means the task cannot be kept safe.
    async fn save(&mut self, machine: &str) -> Result<(), String>;
    /// Persists the machine without holding up the driver: the saves that no order depends on (before a request
    /// while no order may exist, after an answer). A host that can write in the background starts the write and
    /// returns at once, keeping its writes in order; a failed write must then fail the host's next save or
    /// `save_beside`, so that the task still stops before anything that needs it. The default waits, as
    /// [`Host::save`] does.
    async fn save_beside(&mut self, machine: &str) -> Result<(), String> {
        self.save(machine).await
    }
    /// Shows or logs a progress event.
    fn report(&mut self, event: &Event);
    /// The host's clock, ms since the epoch.
    fn now_ms(&self) -> u64;
    /// True once the user stopped the task.
    fn stop_requested(&self) -> bool;
}

/// The machine as the driver needs it: [`Booking`] itself, or a handle that lends it for each call (the wasm
/// bindings share one machine between the driver and JS, so no borrow may live across an `await`).
pub trait Machine {
    /// [`Booking::poll`].
    fn poll(&mut self, now_ms: u64) -> Action;
    /// [`Booking::handle`].
    fn handle(&mut self, input: Input, now_ms: u64);
    /// [`Booking::stop`].
    fn stop(&mut self, now_ms: u64);
    /// The machine's JSON, for the host to keep.
    fn to_json(&self) -> Result<String, String>;
    /// [`Booking::order_may_exist`]: a confirm may have reached 12306, so the write-ahead save must be in
    /// storage before the next request goes out.
    fn order_may_exist(&self) -> bool;
    /// [`Booking::traffic`]: what the request just polled is to the session's pacer.
    fn traffic(&self, now_ms: u64) -> Traffic;
}

impl Machine for Booking {
    fn poll(&mut self, now_ms: u64) -> Action {
        Booking::poll(self, now_ms)
    }

    fn handle(&mut self, input: Input, now_ms: u64) {
        Booking::handle(self, input, now_ms);
    }

    fn stop(&mut self, now_ms: u64) {
        Booking::stop(self, now_ms);
    }

    fn to_json(&self) -> Result<String, String> {
        serde_json::to_string(self).map_err(|e| e.to_string())
    }

    fn order_may_exist(&self) -> bool {
        Booking::order_may_exist(self)
    }

    fn traffic(&self, now_ms: u64) -> Traffic {
        Booking::traffic(self, now_ms)
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// The machine finished: placed, stopped (the user; whether an order may exist), or failed.
    Finished(Finished),
    /// The machine needs the user; feed [`Input::Resume`] and run again after they acted.
    NeedsUser(NeedsUser),
    /// The machine could not be saved before a request: nothing was sent, the task stopped.
    SaveFailed(String),
}

/// Runs `machine` until it finishes or needs the user, as the only task of its session.
pub async fn run<M: Machine, H: Host>(machine: &mut M, host: &mut H) -> End {
    run_paced(machine, host, &RefCell::new(Pacer::new())).await
}

/// Runs `machine` until it finishes or needs the user, with `pacer` shared by every task of the same 12306
/// session (ARCHITECTURE.md §1.1 rule 3): each request waits until the pacer admits it. The pacer is borrowed
/// only for each call, never across an `await`, so any number of runs may share it on one thread.
pub async fn run_paced<M: Machine, H: Host>(
    machine: &mut M,
    host: &mut H,
    pacer: &RefCell<Pacer>,
) -> End {
    loop {
        let now = host.now_ms();
        if host.stop_requested() {
            machine.stop(now);
        }
        match machine.poll(now) {
            Action::Notify { event } => host.report(&event),
            Action::Finished { result } => {
                // The final state is saved too (best effort: nothing more will be sent).
                if let Ok(json) = machine.to_json() {
                    let _ = host.save(&json).await;
                }
                return End::Finished(result);
            }
            Action::NeedsUser { reason } => {
                if let Ok(json) = machine.to_json() {
                    let _ = host.save(&json).await;
                }
                return End::NeedsUser(reason);
            }
            Action::WaitUntil { until_ms } => host.sleep_until(until_ms).await,
            Action::Send { request } => {
                // Write-ahead: from here the request may reach 12306. Only a machine that knows a confirm may
                // have gone out is waited for (the confirm itself sets that before it is sent, ARCHITECTURE.md
                // §1.1): a worker that dies before an earlier save landed restores an older machine that repeats
                // a query or a step before the confirm, which places nothing; every other wait is time lost
                // between "tickets seen" and the confirm.
                let saved = match machine.to_json() {
                    Ok(json) if machine.order_may_exist() => host.save(&json).await,
                    Ok(json) => host.save_beside(&json).await,
                    Err(e) => Err(e),
                };
                if let Err(e) = saved {
                    machine.stop(host.now_ms());
                    return End::SaveFailed(e);
                }
                // Stopped while the state was being written: nothing goes out after a stop.
                if host.stop_requested() {
                    continue;
                }
                // The session's pace over all its tasks. A page read sends nothing, so it is not paced. A task
                // alone is never held here (module docs of `pacer`), so one order's steps go on at once.
                if request.read.is_none() && !admitted(machine, host, pacer).await {
                    continue;
                }
                let deadline = host
                    .now_ms()
                    .saturating_add(crate::booking::REQUEST_TIMEOUT_MS);
                let id = request.id;
                let answer = host.send_dated(&request, deadline).await;
                let now = host.now_ms();
                match answer {
                    // The machine matches answers by id; the host's copy of the id is not trusted.
                    Ok((resp, date)) => machine.handle(
                        Input::Response(Answer {
                            response: HttpResponse {
                                request_id: id,
                                ..resp
                            },
                            date,
                        }),
                        now,
                    ),
                    Err(message) => machine.handle(
                        Input::TransportError {
                            request_id: id,
                            message,
                        },
                        now,
                    ),
                }
                // And after the answer, so that a restart keeps what it taught (an order id…). A failure here
                // shows at the next write-ahead save. Beside the next request: what the answer taught about an
                // order is kept by the write-ahead of the request after it, which waits while an order may
                // exist.
                if let Ok(json) = machine.to_json() {
                    let _ = host.save_beside(&json).await;
                }
            }
        }
    }
}

/// Waits until the session's pacer admits the request just polled (booking it as sent); false when the task
/// was stopped meanwhile (nothing goes out then: the machine, stopped at the loop's top, says what it knows).
async fn admitted<M: Machine, H: Host>(machine: &M, host: &mut H, pacer: &RefCell<Pacer>) -> bool {
    loop {
        let now = host.now_ms();
        let traffic = machine.traffic(now);
        let admit = pacer.borrow_mut().admit(traffic, now);
        match admit {
            Admit::Now => return true,
            Admit::At(at) => host.sleep_until(at).await,
        }
        if host.stop_requested() {
            return false;
        }
    }
}
