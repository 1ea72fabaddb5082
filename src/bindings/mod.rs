//! WebAssembly bindings: the JS API of ARCHITECTURE.md §1.2 (built only for `wasm32`).
//!
//! Every value that crosses is one of the core's serde types, converted with serde-wasm-bindgen (plain objects,
//! `null` for `None`, numbers for u64) and declared for TypeScript from the Rust type itself (tsify): `./build.sh`
//! writes the declarations to `extension/wasm/kyfw.d.ts`, and the extension's JS is checked against them
//! (`tsc --checkJs`). The names below are the JS names.
//!
//! ```js
//! import init, { Booking, taskFromSpec, sameBooking, readLoginConf, readPassengers, seatClasses, checkInterval } from "./wasm/kyfw.js";
//! const task = taskFromSpec(spec, id);        // BookingTask, or throws why the panel's request cannot be booked
//! const b = new Booking(task, Date.now());      // throws on an invalid task
//! const end = await b.run(host);                // the core's driver over a BookingHost → RunEnd
//! const b2 = Booking.restore(b.save());         // the whole machine as a JSON string
//! b2.handle({ type: "resume" }, Date.now());    // Input; b.poll(now) → Action for hosts that drive it by hand
//! const s = b.status();                         // Status
//! ```
//! Every error is thrown as a JS `Error` with a message; nothing here panics on input.

use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::booking::{Booking, Input};
use crate::driver::web::{from_js, to_js, HostAnswer, HttpAnswer};
use crate::seat::{SeatClass, TableTrains, EMU_TRAIN_LETTERS};
use crate::task::{BookingTask, TaskError, TaskSpec};

/// JS numbers → ms; NaN, negatives and infinities become 0 rather than wrapping.
fn ms(now_ms: f64) -> u64 {
    if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        0
    }
}

/// A core value for JS, or the error JS sees.
fn out<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    to_js(value).map_err(|e| JsError::new(&e))
}

/// A JS value read as `what`, or an error naming it.
fn read<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    from_js(value).map_err(|e| JsError::new(&format!("{what}: {e}")))
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
    /// `new Booking(task, nowMs)`: a machine for a valid task (throws why the task is not).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "BookingTask")] task: JsValue,
        now_ms: f64,
    ) -> Result<JsBooking, JsError> {
        let task: BookingTask = read(task, "task")?;
        let inner = Booking::try_new(task, ms(now_ms)).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(JsBooking::wrap(inner))
    }

    /// `Booking.restore(saved)`: a machine saved with `save()`.
    pub fn restore(saved: &str) -> Result<JsBooking, JsError> {
        let inner: Booking =
            serde_json::from_str(saved).map_err(|e| JsError::new(&format!("saved state: {e}")))?;
        Ok(JsBooking::wrap(inner))
    }

    /// The next action.
    #[wasm_bindgen(unchecked_return_type = "Action")]
    pub fn poll(&mut self, now_ms: f64) -> Result<JsValue, JsError> {
        let action = self.machine()?.poll(ms(now_ms));
        out(&action)
    }

    /// Reports a response, transport error, timeout, resume or stop.
    pub fn handle(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Input")] input: JsValue,
        now_ms: f64,
    ) -> Result<(), JsError> {
        let input: Input = read(input, "input")?;
        self.machine()?.handle(input, ms(now_ms));
        Ok(())
    }

    /// Stops the task (always obeyed; the result says whether an order may exist).
    pub fn stop(&mut self, now_ms: f64) -> Result<(), JsError> {
        self.machine()?.stop(ms(now_ms));
        Ok(())
    }

    /// The whole machine as a JSON string, for `Booking.restore` (kept as text: the host stores it as it is).
    pub fn save(&self) -> Result<String, JsError> {
        serde_json::to_string(&*self.machine()?).map_err(|e| JsError::new(&e.to_string()))
    }

    /// A snapshot for the UI.
    #[wasm_bindgen(unchecked_return_type = "Status")]
    pub fn status(&self) -> Result<JsValue, JsError> {
        let status = self.machine()?.status();
        out(&status)
    }

    /// The task this machine runs.
    #[wasm_bindgen(unchecked_return_type = "BookingTask")]
    pub fn task(&self) -> Result<JsValue, JsError> {
        let machine = self.machine()?;
        out(machine.task())
    }

    /// The core's driver runs this machine to its end over the host (`crate::driver::web`); the machine
    /// stays usable from JS meanwhile (status, save, stop).
    #[wasm_bindgen(unchecked_return_type = "Promise<RunEnd>")]
    pub fn run(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BookingHost")] host: JsValue,
    ) -> js_sys::Promise {
        let machine = Rc::clone(&self.inner);
        wasm_bindgen_futures::future_to_promise(async move {
            crate::driver::web::run_in_browser(machine, host)
                .await
                .map_err(|e| JsError::new(&e).into())
        })
    }
}

/// `taskFromSpec(spec, id)`: the task the panel's start request asks for, with the host's id; throws why it
/// cannot be booked: an `Error` whose `message` is the core's text, `code` the reason (`TaskError`'s variant in
/// camelCase: `tooManyPassengers`, `ticketTypeNotAllowed`, …) and `detail` its value (a count, a code, a name;
/// `ticketType` too for `ticketTypeNotAllowed`), so that a UI words it in its own language.
#[wasm_bindgen(js_name = taskFromSpec, unchecked_return_type = "BookingTask")]
pub fn task_from_spec(
    #[wasm_bindgen(unchecked_param_type = "TaskSpec")] spec: JsValue,
    id: String,
) -> Result<JsValue, JsValue> {
    let spec: TaskSpec = read(spec, "spec")?;
    let task = BookingTask::from_spec(spec, id).map_err(|e| task_error(&e))?;
    Ok(out(&task)?)
}

/// A refused task as a JS `Error` with `code` and `detail` (see [`task_from_spec`]).
fn task_error(e: &TaskError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    let text = |s: &str| JsValue::from_str(s);
    let count = |n: usize| JsValue::from_f64(n as f64);
    let (code, detail) = match e {
        TaskError::NoPassengers => ("noPassengers", JsValue::NULL),
        TaskError::TooManyPassengers(n) => ("tooManyPassengers", count(*n)),
        TaskError::BadSeat(s) => ("badSeat", text(s)),
        TaskError::BadTicketType(s) => ("badTicketType", text(s)),
        TaskError::BadDate(s) => ("badDate", text(s)),
        TaskError::MissingStation => ("missingStation", JsValue::NULL),
        // The entry as typed: the reason is worded by the UI in its own language.
        TaskError::BadTrain(p) => ("badTrain", text(&p.source)),
        TaskError::BadStation(s) => ("badStation", text(s)),
        TaskError::BadPassenger => ("badPassenger", JsValue::NULL),
        TaskError::NoTrains => ("noTrains", JsValue::NULL),
        TaskError::TooManyTrains(n) => ("tooManyTrains", count(*n)),
        TaskError::TooManyDates(n) => ("tooManyDates", count(*n)),
        TaskError::BadTrainType(s) => ("badTrainType", text(s)),
        TaskError::BadTime(s) => ("badTime", text(s)),
        TaskError::BadWaitlistDeadline(m) => ("badWaitlistDeadline", count(*m as usize)),
        TaskError::BadTimeWindow { after, before } => {
            ("badTimeWindow", text(&format!("{after}–{before}")))
        }
        TaskError::TicketTypeNotAllowed {
            name, ticket_type, ..
        } => {
            let _ = js_sys::Reflect::set(&err, &text("ticketType"), &text(ticket_type));
            ("ticketTypeNotAllowed", text(name))
        }
    };
    let _ = js_sys::Reflect::set(&err, &text("code"), &text(code));
    let _ = js_sys::Reflect::set(&err, &text("detail"), &detail);
    err.into()
}

/// `sameBooking(a, b)`: whether two tasks book the same thing (`BookingTask::same_booking`).
#[wasm_bindgen(js_name = sameBooking)]
pub fn same_booking(
    #[wasm_bindgen(unchecked_param_type = "BookingTask")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BookingTask")] b: JsValue,
) -> Result<bool, JsError> {
    let a: BookingTask = read(a, "task")?;
    let b: BookingTask = read(b, "task")?;
    Ok(a.same_booking(&b))
}

/// `readLoginConf(answer)`: what a `login/conf` answer says about the session.
#[wasm_bindgen(js_name = readLoginConf, unchecked_return_type = "LoginState")]
pub fn read_login_conf(
    #[wasm_bindgen(unchecked_param_type = "HttpAnswer")] answer: JsValue,
) -> Result<JsValue, JsError> {
    let a: HttpAnswer = read(answer, "answer")?;
    out(&crate::account::login_state(
        a.status,
        &a.final_url,
        &a.body,
    ))
}

/// `readPassengers(answer)`: the passengers a getPassengerDTOs answer offers, or why there are none.
#[wasm_bindgen(js_name = readPassengers, unchecked_return_type = "PassengerChoices")]
pub fn read_passengers(
    #[wasm_bindgen(unchecked_param_type = "HttpAnswer")] answer: JsValue,
) -> Result<JsValue, JsError> {
    let a: HttpAnswer = read(answer, "answer")?;
    out(&crate::account::passenger_choices(
        a.status,
        &a.final_url,
        &a.body,
    ))
}

/// A seat class a user picks from, with where the official query table shows it.
#[derive(Debug, Clone, Serialize, tsify::Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct SeatClassInfo {
    /// The wire code (`M`), as a task's `seats` names it.
    pub code: String,
    /// The name the official page shows (`一等座`).
    pub name: String,
    /// The query table's cell id prefix for it (`ZY`), `null` when the table shows it in another class's column.
    pub column: Option<String>,
    /// Which trains' rows show it in that column.
    pub trains: TableTrains,
}

/// The seat classes a UI offers, in the official table's order, and how to tell the trains apart.
#[derive(Debug, Clone, Serialize, tsify::Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SeatClasses {
    /// Every class but 无座 (`acceptNoSeat`) and 其他.
    pub classes: Vec<SeatClassInfo>,
    /// The first letters of the train codes whose rows are [`TableTrains::Emu`]'s (`GDC`).
    pub emu_train_letters: String,
    /// The 候补 deadlines (截止兑现时间, minutes before departure) a task may choose, as 12306's page offers
    /// them ([`crate::task::waitlist::DEADLINE_CHOICES_MIN`]), so the panel offers exactly what the core accepts.
    pub waitlist_deadlines_min: Vec<u32>,
    /// The deadline chosen when the user picks none ([`crate::task::waitlist::DEFAULT_DEADLINE_MIN`]).
    pub waitlist_default_deadline_min: u32,
}

/// `seatClasses()`: the classes a UI lets the user choose from (`SeatClass::ALL` with codes and names).
#[wasm_bindgen(js_name = seatClasses, unchecked_return_type = "SeatClasses")]
pub fn seat_classes() -> Result<JsValue, JsError> {
    let classes = SeatClass::ALL
        .iter()
        .filter(|s| s.is_choosable())
        .map(|s| {
            let table = s.table_column();
            SeatClassInfo {
                code: s.code().to_owned(),
                name: s.name_zh().to_owned(),
                column: table.map(|t| t.column.to_owned()),
                trains: table.map_or(TableTrains::Any, |t| t.trains),
            }
        })
        .collect();
    out(&SeatClasses {
        classes,
        emu_train_letters: EMU_TRAIN_LETTERS.to_owned(),
        waitlist_deadlines_min: crate::task::waitlist::DEADLINE_CHOICES_MIN.to_vec(),
        waitlist_default_deadline_min: crate::task::waitlist::DEFAULT_DEADLINE_MIN,
    })
}

/// `checkInterval(text)`: a query interval as typed in seconds, accepted (`ms`) or refused with the reason
/// (`problem`) and the range the UI states at the field; the panel and the options page use this one rule.
#[wasm_bindgen(js_name = checkInterval, unchecked_return_type = "IntervalCheck")]
pub fn check_interval(text: &str) -> Result<JsValue, JsError> {
    out(&crate::task::interval::check_interval_s(text))
}

/// `backgroundFetch(request, deadlineMs)`: the service worker's own request (the background transport,
/// gloo-net), for requests made outside a task (the panel's login check and passenger list when no 12306 tab
/// can take them). Install the Origin/Referer rule first.
#[wasm_bindgen(js_name = backgroundFetch, unchecked_return_type = "Promise<HostAnswer>")]
pub fn background_fetch(
    #[wasm_bindgen(unchecked_param_type = "HttpRequest")] request: JsValue,
    deadline_ms: f64,
) -> js_sys::Promise {
    let request: Result<crate::request::HttpRequest, JsError> = read(request, "request");
    wasm_bindgen_futures::future_to_promise(async move {
        let answer = match request {
            Ok(request) => crate::driver::web::background_fetch(&request, ms(deadline_ms))
                .await
                .map_or_else(
                    |error| HostAnswer::Failed { error },
                    |(resp, date)| {
                        HostAnswer::Answered(HttpAnswer {
                            status: resp.status,
                            final_url: resp.final_url,
                            body: resp.body,
                            date,
                        })
                    },
                ),
            Err(_) => HostAnswer::Failed {
                error: "bad request".to_owned(),
            },
        };
        out(&answer).map_err(JsValue::from)
    })
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
