//! HTML pages that need values filled in.

use super::Ctx;
use crate::http::Resp;
use crate::json::js_string_escape;
use crate::pages::{fill, LEFT_TICKET_INIT};
use crate::state::World;

pub const STATION_VERSION: &str = "1.9303";

/// `GET /otn/leftTicket/init`: the query page with `CLeftTicketUrl` and `isSaveQueryLog`.
pub fn left_ticket_init(w: &mut World, c: &Ctx) -> Resp {
    let path = js_string_escape(&w.query_path(c.now));
    Resp::html(fill(
        LEFT_TICKET_INIT,
        &[
            ("CLeftTicketUrl", &path),
            ("isSaveQueryLog", "Y"),
            ("station_version", STATION_VERSION),
        ],
    ))
}
