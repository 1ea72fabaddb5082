//! The request for the current step.

use super::{Booking, Step, FALLBACK_QUERY_PATH, KEEPALIVE_MS};
use crate::outcome::{NextStep, Outcome, Reason};
use crate::query::{query_url, QueryParams};
use crate::request::{self, Confirm, HttpRequest, QueueCount, SubmitOrder};

/// A step was reached without the data it needs (cannot happen through the normal flow; a restored state
/// could be inconsistent): start over from the query.
fn missing(what: &str) -> Outcome {
    Outcome::new(
        Reason::Garbage,
        NextStep::Requery,
        format!("internal: {what} missing"),
    )
}

impl Booking {
    pub(super) fn request_for_step(&mut self, now_ms: u64) -> Result<HttpRequest, Outcome> {
        match self.step {
            Step::LoginConf => Ok(request::login_conf()),
            Step::HbFaceCheck
            | Step::HbSubmit
            | Step::HbInit
            | Step::HbPassengers
            | Step::HbQueueNum
            | Step::HbSuccessRate
            | Step::HbConfirm
            | Step::HbQueue
            | Step::HbWatch
            | Step::HbNoComplete
            | Step::HbCancel => self.waitlist_request(now_ms),
            Step::Query if now_ms.saturating_sub(self.session_ok_at) >= KEEPALIVE_MS => {
                // Waiting for tickets: keep the booking session alive before it lapses (PROTOCOL.md §1.3).
                self.step = Step::KeepAlive;
                Ok(request::check_user())
            }
            Step::KeepAlive => Ok(request::check_user()),
            Step::Uamtk => Ok(request::passport_uamtk()),
            Step::UamAuthClient => {
                let tk = self
                    .newapptk
                    .as_deref()
                    .ok_or_else(|| missing("newapptk"))?;
                Ok(request::uam_auth_client(tk))
            }
            Step::Query => {
                let date = self.pick_query_date(now_ms);
                self.query_date = Some(date.clone());
                let path = self.query_path.as_deref().unwrap_or(FALLBACK_QUERY_PATH);
                let params = QueryParams {
                    date,
                    from: self.task.from.clone(),
                    to: self.task.to.clone(),
                    purpose: self.task.purpose.clone(),
                };
                self.queries += 1;
                Ok(request::left_ticket_query(&query_url(path, &params)))
            }
            Step::CheckUser => Ok(request::check_user()),
            Step::SubmitOrder => {
                // The rule, checked once more where it matters.
                if self.in_flight {
                    self.step = Step::NoComplete;
                    return Ok(request::query_my_order_no_complete());
                }
                let c = self
                    .chosen
                    .as_ref()
                    .ok_or_else(|| missing("chosen train"))?;
                let date = self.booking_date();
                let req = request::submit_order_request(&SubmitOrder {
                    secret_str: &c.secret_str,
                    train_date: &date,
                    back_train_date: &date,
                    purpose_codes: &self.task.purpose,
                    from_name: &self.task.from_name,
                    to_name: &self.task.to_name,
                    bed_level_info: &c.bed_level_info,
                    seat_discount_info: &c.seat_discount_info,
                })
                .map_err(|e| {
                    Outcome::new(
                        Reason::Garbage,
                        NextStep::Requery,
                        format!("secretStr: {e}"),
                    )
                })?;
                self.submits += 1;
                Ok(req)
            }
            Step::InitDc if self.order_page_by_navigation => Ok(request::init_dc_by_navigation()),
            Step::InitDc => Ok(request::init_dc()),
            Step::Passengers => {
                let page = self.order.as_ref().ok_or_else(|| missing("order page"))?;
                Ok(request::get_passenger_dtos(&page.token))
            }
            Step::CheckOrder => {
                let page = self.order.as_ref().ok_or_else(|| missing("order page"))?;
                let t = self.tickets.as_ref().ok_or_else(|| missing("passengers"))?;
                Ok(request::check_order_info(
                    &t.passenger_ticket_str,
                    &t.old_passenger_str,
                    &page.token,
                ))
            }
            Step::QueueCount => {
                let page = self.order.as_ref().ok_or_else(|| missing("order page"))?;
                let c = self
                    .chosen
                    .as_ref()
                    .ok_or_else(|| missing("chosen train"))?;
                let first = c.seats.first().ok_or_else(|| missing("seats"))?;
                let code = if page.station_train_code.is_empty() {
                    &c.train_code
                } else {
                    &page.station_train_code
                };
                let left = if page.yp_info_detail.is_empty() {
                    &page.left_ticket_str
                } else {
                    &page.yp_info_detail
                };
                Ok(request::get_queue_count(&QueueCount {
                    train_date_ms: page
                        .train_date_ms
                        .or_else(|| request::china_midnight_ms(&self.booking_date()))
                        .unwrap_or_default(),
                    train_no: if page.train_no.is_empty() {
                        &c.train_no
                    } else {
                        &page.train_no
                    },
                    station_train_code: code,
                    seat_type: first.submit_code(code),
                    from_telecode: if page.from_telecode.is_empty() {
                        &c.from_telecode
                    } else {
                        &page.from_telecode
                    },
                    to_telecode: if page.to_telecode.is_empty() {
                        &c.to_telecode
                    } else {
                        &page.to_telecode
                    },
                    left_ticket: left,
                    purpose_codes: &page.purpose_codes,
                    train_location: &page.train_location,
                    token: &page.token,
                }))
            }
            Step::RiskData => {
                let page = self.order.as_ref().ok_or_else(|| missing("order page"))?;
                Ok(request::read_json_ua(&page.token))
            }
            Step::Confirm => {
                let (choose_seats, seat_detail_type, is_jy) = self.seat_choice_fields();
                let page = self.order.as_ref().ok_or_else(|| missing("order page"))?;
                // What the official page sends: its risk script's value when the host read one from the page,
                // else the task's (a host that has its own), else empty (PROTOCOL.md §5.8).
                let encrypted_data = self
                    .page_encrypted_data
                    .as_deref()
                    .unwrap_or(&self.task.encrypted_data);
                let t = self.tickets.as_ref().ok_or_else(|| missing("passengers"))?;
                let req = request::confirm_single_for_queue(&Confirm {
                    passenger_ticket_str: &t.passenger_ticket_str,
                    old_passenger_str: &t.old_passenger_str,
                    purpose_codes: &page.purpose_codes,
                    key_check_is_change: &page.key_check_is_change,
                    left_ticket_str: &page.left_ticket_str,
                    train_location: &page.train_location,
                    choose_seats: &choose_seats,
                    seat_detail_type: &seat_detail_type,
                    is_jy,
                    encrypted_data,
                    token: &page.token,
                });
                // From the moment the confirm leaves, an order may exist.
                self.in_flight = true;
                self.nothing_seen = 0;
                self.resolve_since = Some(now_ms);
                self.queue_progress_at = None;
                self.queue_last_wait_s = None;
                self.seen_alive = false;
                self.denied = None;
                self.confirms += 1;
                Ok(req)
            }
            Step::QueueWait => {
                let page = self.order.as_ref().ok_or_else(|| missing("order page"));
                match page {
                    Ok(page) => Ok(request::query_order_wait_time(now_ms, &page.token)),
                    // Without the order page's token the queue cannot be asked: ask the order list instead.
                    Err(_) => {
                        self.step = Step::NoComplete;
                        Ok(request::query_my_order_no_complete())
                    }
                }
            }
            Step::ResultOrder => match (self.order.as_ref(), self.order_id.as_deref()) {
                (Some(page), Some(id)) => Ok(request::result_order_for_dc_queue(id, &page.token)),
                // The order id is what matters; without the page the confirmation call is skipped.
                (None, Some(_)) => {
                    self.finish_placed(None, String::new());
                    Err(Outcome::ok())
                }
                _ => Err(missing("order id")),
            },
            Step::NoComplete => Ok(request::query_my_order_no_complete()),
            Step::SaleProbe => {
                let path = self.query_path.as_deref().unwrap_or(FALLBACK_QUERY_PATH);
                let params = QueryParams {
                    date: self.probe_date(now_ms),
                    from: self.task.from.clone(),
                    to: self.task.to.clone(),
                    purpose: self.task.purpose.clone(),
                };
                Ok(request::left_ticket_query(&query_url(path, &params)))
            }
            Step::WarmUp => Ok(request::check_user()),
            Step::ReadPassengers => Ok(request::get_passenger_dtos_early()),
            Step::ClockProbe => Ok(request::login_conf()),
            // `sale_gate` turns a due wait into another step before any request is asked for; should one get
            // here, the query (and so the gate) decides again.
            Step::SaleWait => {
                self.step = Step::Query;
                Err(Outcome::ok())
            }
        }
    }
}

impl Booking {
    /// The confirm's `choose_seats`, `seatDetailType` and `is_jy` from the passengers' wishes, as far as
    /// checkOrderInfo and the order page allow them (PROTOCOL.md §5.6, §5.8); what the page sends without a
    /// choice otherwise (``, `000`, `N`).
    fn seat_choice_fields(&mut self) -> (String, String, &'static str) {
        use crate::seat_choice::{self, ChoiceOffer};
        let none = ChoiceOffer::none();
        let offer = self.choice.as_ref().unwrap_or(&none);
        let classes: Vec<crate::seat::SeatClass> = self
            .chosen
            .as_ref()
            .map(|c| c.seats.clone())
            .unwrap_or_default();
        let letters: Vec<_> = self
            .task
            .passengers
            .iter()
            .zip(&classes)
            .map(|(p, c)| (*c, p.seat_letter))
            .collect();
        let berths: Vec<_> = self
            .task
            .passengers
            .iter()
            .zip(&classes)
            .map(|(p, c)| (*c, p.berth))
            .collect();
        let (dw_flag, quiet) = self
            .order
            .as_ref()
            .map(|o| (o.page_dw_flag.clone(), o.quiet_carriage))
            .unwrap_or_default();
        if berths.iter().any(|(_, b)| b.is_some()) {
            if let Some(text) = offer.beds.refusal_text() {
                self.events.push_back(super::Event::Step {
                    step: super::react::step_name(Step::Confirm),
                    message: text.to_owned(),
                });
            }
        }
        (
            seat_choice::choose_seats(&letters, offer, &dw_flag),
            seat_choice::seat_detail_type(&berths, offer),
            seat_choice::is_jy(quiet, self.task.quiet_carriage, &classes),
        )
    }
}
