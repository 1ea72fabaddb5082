//! The control API (plain HTTP, JSON) for tests: health, request log, orders, reset, scenario,
//! inventory, releases, faults, QR scan, ready-made sessions and the clock.

use serde::Deserialize;

use crate::form::Form;
use crate::json::J;
use crate::passengers::ACCOUNT;
use crate::routes::passport;
use crate::scenario::{Fault, Scenario};
use crate::state::{seat_char, ActiveFault, PendingRelease, World};

/// A control answer: HTTP status and JSON body.
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub content_type: &'static str,
}

fn ok(j: J) -> Answer {
    Answer {
        status: 200,
        body: j.to_json(),
        content_type: "application/json;charset=UTF-8",
    }
}

fn err(status: u16, msg: &str) -> Answer {
    Answer {
        status,
        body: J::obj(vec![("error", J::s(msg))]).to_json(),
        content_type: "application/json;charset=UTF-8",
    }
}

fn done() -> Answer {
    ok(J::obj(vec![("ok", J::Bool(true))]))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InventoryBody {
    date: String,
    train: String,
    seat: String,
    count: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReleaseBody {
    date: String,
    train: String,
    seat: String,
    count: i64,
    #[serde(default)]
    after_ms: Option<i64>,
    #[serde(default)]
    at_ms: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct SessionBody {
    account: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct ScanBody {
    confirm: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct ClockBody {
    offset_ms: Option<i64>,
    now_ms: Option<i64>,
}

fn parse<T: for<'de> Deserialize<'de>>(body: &str) -> Result<T, Answer> {
    let text = if body.trim().is_empty() { "{}" } else { body };
    serde_json::from_str(text).map_err(|e| err(400, &format!("bad JSON body: {e}")))
}

fn check_train_seat(w: &World, train: &str, seat: &str) -> Result<char, Answer> {
    let t = w
        .train(train)
        .ok_or_else(|| err(400, &format!("unknown train {train}")))?;
    let c = seat_char(seat).ok_or_else(|| err(400, &format!("bad seat {seat:?}")))?;
    let sold = if c == 'W' {
        t.standing
    } else {
        t.class(c).is_some()
    };
    if !sold {
        return Err(err(400, &format!("seat {seat} is not sold on {train}")));
    }
    Ok(c)
}

fn orders_json(w: &World) -> J {
    J::Arr(
        w.orders
            .iter()
            .map(|o| {
                let msg = match &o.status {
                    crate::state::OrderStatus::Failed(m) => J::s(m),
                    _ => J::Null,
                };
                J::obj(vec![
                    ("id", J::s(&o.id)),
                    ("kind", J::s(o.kind)),
                    ("account", J::s(&o.account)),
                    ("status", J::s(o.status.name())),
                    ("message", msg),
                    ("train", J::s(&o.train)),
                    ("date", J::s(&o.date)),
                    ("from", J::s(&o.from)),
                    ("to", J::s(&o.to)),
                    ("created_ms", J::Int(o.created_ms)),
                    ("pay_deadline_ms", J::Int(o.pay_deadline_ms)),
                    (
                        "tickets",
                        J::Arr(
                            o.tickets
                                .iter()
                                .map(|t| {
                                    J::obj(vec![
                                        ("name", J::s(&t.req.name)),
                                        ("id_no", J::s(&t.req.id_no)),
                                        ("ticket_type", J::s(&t.req.ticket_type)),
                                        ("seat", J::s(t.req.seat.to_string())),
                                        ("standing", J::Bool(t.standing)),
                                        ("coach", J::s(&t.coach)),
                                        ("seat_no", J::s(&t.seat_no)),
                                    ])
                                })
                                .collect(),
                        ),
                    ),
                ])
            })
            .collect(),
    )
}

/// Handles one control request.
pub fn handle(
    w: &mut World,
    cert_pem: &str,
    method: &str,
    path: &str,
    query: &str,
    body: &str,
) -> Answer {
    let now = w.clock.now_ms();
    w.tick(now);
    match (method, path) {
        ("GET", "/health") => ok(J::obj(vec![
            ("ok", J::Bool(true)),
            ("now_ms", J::Int(now)),
            ("seed", J::Int(w.seed as i64)),
            ("query_path", J::s(w.query_path(now))),
        ])),
        ("GET", "/requests") => {
            let q = Form::parse(query);
            let since = q.get("since").and_then(|s| s.parse().ok()).unwrap_or(0);
            ok(w.records.to_json(since, q.get("path")))
        }
        ("GET", "/orders") => ok(orders_json(w)),
        ("GET", "/cert") => Answer {
            status: 200,
            body: cert_pem.to_string(),
            content_type: "application/x-pem-file",
        },
        ("POST", "/reset") => {
            w.reset();
            done()
        }
        ("POST", "/scenario") => {
            match Scenario::parse(if body.trim().is_empty() { "{}" } else { body }) {
                Ok(s) => {
                    w.load_scenario(s);
                    done()
                }
                Err(e) => err(400, &e),
            }
        }
        ("POST", "/inventory") => {
            let b: InventoryBody = match parse(body) {
                Ok(b) => b,
                Err(a) => return a,
            };
            match check_train_seat(w, &b.train, &b.seat) {
                Ok(seat) => {
                    w.inventory.set(&b.date, &b.train, seat, b.count);
                    done()
                }
                Err(a) => a,
            }
        }
        ("POST", "/release") => {
            let b: ReleaseBody = match parse(body) {
                Ok(b) => b,
                Err(a) => return a,
            };
            match check_train_seat(w, &b.train, &b.seat) {
                Ok(seat) => {
                    let at_ms = b
                        .at_ms
                        .unwrap_or(now.saturating_add(b.after_ms.unwrap_or(0)));
                    w.releases.push(PendingRelease {
                        date: b.date,
                        train: b.train,
                        seat,
                        count: b.count,
                        at_ms,
                    });
                    ok(J::obj(vec![
                        ("ok", J::Bool(true)),
                        ("at_ms", J::Int(at_ms)),
                    ]))
                }
                Err(a) => a,
            }
        }
        ("POST", "/fault") => {
            let f: Fault = match parse(body) {
                Ok(f) => f,
                Err(a) => return a,
            };
            if let Err(e) = f.validate() {
                return err(400, &e);
            }
            w.faults.push(ActiveFault {
                fault: f,
                added_ms: now,
                fired: 0,
            });
            done()
        }
        ("POST", "/fault/clear") => {
            w.faults.clear();
            done()
        }
        ("POST", "/scan") => {
            let b: ScanBody = match parse(body) {
                Ok(b) => b,
                Err(a) => return a,
            };
            match passport::scan_newest(w, b.confirm.unwrap_or(true)) {
                Some(uuid) => ok(J::obj(vec![("ok", J::Bool(true)), ("uuid", J::s(uuid))])),
                None => err(404, "no QR code waiting to be scanned"),
            }
        }
        ("POST", "/session") => {
            let b: SessionBody = match parse(body) {
                Ok(b) => b,
                Err(a) => return a,
            };
            let account = b.account.unwrap_or_else(|| ACCOUNT.to_string());
            if account != ACCOUNT {
                return err(400, "only the demo account exists");
            }
            let sid = w.fresh_hex(32).to_uppercase();
            w.login_session(&sid, &account);
            let uamtk = passport::new_uamtk(w, &account);
            let tk = w.fresh_hex(38);
            let cookies = format!(
                "JSESSIONID={sid}; tk={tk}; route={}; BIGipServerotn=1072693770.64545.0000; BIGipServerpassport=887619850.50215.0000; uamtk={uamtk}",
                w.fresh_hex(32)
            );
            ok(J::obj(vec![
                ("cookies", J::s(cookies)),
                ("jsessionid", J::s(sid)),
            ]))
        }
        ("POST", "/clock") => {
            let b: ClockBody = match parse(body) {
                Ok(b) => b,
                Err(a) => return a,
            };
            if let Some(o) = b.offset_ms {
                w.clock.offset_ms = o;
            } else if let Some(n) = b.now_ms {
                w.clock.offset_ms = n - crate::clock::wall_ms();
            }
            let now = w.clock.now_ms();
            ok(J::obj(vec![
                ("ok", J::Bool(true)),
                ("offset_ms", J::Int(w.clock.offset_ms)),
                ("now_ms", J::Int(now)),
            ]))
        }
        _ => err(404, "unknown control endpoint"),
    }
}
