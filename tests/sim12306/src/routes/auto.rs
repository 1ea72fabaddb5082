//! The legacy fast path: autoSubmitOrderRequest → getQueueCountAsync → confirmSingleForQueueAsys
//! (no initDc, no REPEAT_SUBMIT_TOKEN; then queryOrderWaitTime as usual).

use super::order::{queue_count_answer, queue_params_ok, STALE, UNFINISHED};
use super::{Ctx, BUSY};
use crate::http::Resp;
use crate::json::{self, J};
use crate::secret;
use crate::state::{Chosen, OrderPage, World};
use crate::tickets;
use crate::timetable::TrainDef;

const REFERER: &str = "/otn/leftTicket/init";

/// `POST /otn/confirmPassenger/autoSubmitOrderRequest`.
pub fn auto_submit(w: &mut World, c: &Ctx) -> Resp {
    let (account, f, info) = match super::order::submit_ctx(w, c, REFERER) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(t) = w.train(&info.train).cloned() else {
        return Resp::json(&json::fail(STALE));
    };
    if w.open_order(&account, c.now).is_some() {
        return Resp::json(&json::fail(UNFINISHED));
    }
    if let Err(msg) = tickets::parse(f.s("passengerTicketStr"), f.s("oldPassengerStr"), &t) {
        return Resp::json(&json::submit_fail(&msg));
    }
    let page = OrderPage {
        token: String::new(),
        key_check: secret::key_check(w.seed, "auto", &t.code, &info.date),
        left_ticket: secret::left_ticket_str(w.seed, &t.code, &info.date, t.from, t.to),
        chosen: Chosen {
            secret: info,
            purpose: "ADULT".into(),
        },
        used: false,
    };
    let result = format!("{}#{}#{}#1", t.location, page.key_check, page.left_ticket);
    let s = w.session_mut(&c.sid);
    s.chosen = Some(page.chosen.clone());
    s.page = Some(page);
    let choose = super::order::choosable_seats(&t);
    Resp::json(&json::ok(J::obj(vec![
        ("result", J::s(result)),
        ("submitStatus", J::Bool(true)),
        ("ifShowPassCode", J::s("N")),
        ("ifShowPassCodeTime", J::s("1")),
        (
            "canChooseSeats",
            J::s(if choose.is_empty() { "N" } else { "Y" }),
        ),
        ("choose_Seats", J::s(choose)),
        ("canChooseBeds", J::s("N")),
        ("isCanChooseMid", J::s("N")),
        ("smokeStr", J::s("")),
    ])))
}

fn auto_ctx(w: &World, c: &Ctx) -> Result<(String, OrderPage, TrainDef), Resp> {
    c.require_referer(REFERER)?;
    let account = c.require_login(w)?;
    let page = w
        .sessions
        .get(&c.sid)
        .and_then(|s| s.page.clone())
        .filter(|p| p.token.is_empty() && !p.used)
        .ok_or_else(|| Resp::json(&json::fail(STALE)))?;
    let t = w
        .train(&page.chosen.secret.train)
        .cloned()
        .ok_or_else(|| Resp::json(&json::fail(STALE)))?;
    Ok((account, page, t))
}

/// `POST /otn/confirmPassenger/getQueueCountAsync` (`leftTicket` = row field 12).
pub fn queue_count_async(w: &mut World, c: &Ctx) -> Resp {
    let (_, page, t) = match auto_ctx(w, c) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let f = c.req.form();
    let date = page.chosen.secret.date.clone();
    match queue_params_ok(&f, &t, &date) {
        Some(seat) if f.s("leftTicket") == page.left_ticket => {
            Resp::json(&json::ok(queue_count_answer(w, &t, &date, seat)))
        }
        _ => Resp::json(&json::fail(BUSY)),
    }
}

/// `POST /otn/confirmPassenger/confirmSingleForQueueAsys`.
pub fn confirm_async(w: &mut World, c: &Ctx) -> Resp {
    let (account, page, t) = match auto_ctx(w, c) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Err(refusal) = super::order::queue_order(w, c, &c.req.form(), &account, &page, &t) {
        return refusal;
    }
    Resp::json(&json::ok(J::obj(vec![("submitStatus", J::Bool(true))])))
}
