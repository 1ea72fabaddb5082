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
struct LapseBody {
    /// Only this session (every logged-in one when absent).
    jsessionid: Option<String>,
    /// Also end every passport login, so that the renewal fails too.
    passport: bool,
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

/// A 候补 order's wishes: its plans, 截止兑现时间, 无座 accepted, fulfilled (null for a direct order).
fn hb_json(o: &crate::state::Order) -> J {
    let Some(hb) = &o.hb else {
        return J::Null;
    };
    J::obj(vec![
        (
            "plans",
            J::Arr(
                hb.plans
                    .iter()
                    .map(|p| {
                        J::obj(vec![
                            ("train", J::s(&p.train)),
                            ("date", J::s(&p.date)),
                            ("seat", J::s(p.seat.to_string())),
                        ])
                    })
                    .collect(),
            ),
        ),
        ("realize_limit_ms", J::Int(hb.realize_limit_ms)),
        ("accept_standing", J::Bool(hb.accept_standing)),
        ("fulfilled", J::Bool(hb.fulfilled)),
    ])
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
                        "choose_seats",
                        J::s(
                            o.choice
                                .seats
                                .iter()
                                .map(|(r, l)| format!("{r}{l}"))
                                .collect::<String>(),
                        ),
                    ),
                    (
                        "seat_detail",
                        J::s(
                            o.choice
                                .berths
                                .iter()
                                .map(|b| b.to_string())
                                .collect::<String>(),
                        ),
                    ),
                    ("waitlist", hb_json(o)),
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

/// `GET /sessions`: the `/otn` sessions that are or were logged in, and the passport logins.
fn sessions_json(w: &World, now: i64) -> J {
    let mut otn: Vec<&crate::state::Session> = w
        .sessions
        .values()
        .filter(|s| s.account.is_some() || s.lapsed)
        .collect();
    otn.sort_by(|a, b| a.id.cmp(&b.id));
    let opt = |v: Option<i64>| v.map_or(J::Null, J::Int);
    let otn = otn
        .into_iter()
        .map(|s| {
            J::obj(vec![
                ("jsessionid", J::s(&s.id)),
                ("account", s.account.as_ref().map_or(J::Null, J::s)),
                ("logged_in", J::Bool(s.account.is_some())),
                ("lapsed", J::Bool(s.lapsed)),
                ("last_active_ms", J::Int(s.otn_active_ms)),
                ("lapses_at_ms", opt(w.otn_lapses_at(&s.id))),
            ])
        })
        .collect();
    let mut passport: Vec<(&String, &crate::state::PassportLogin)> = w.uamtks.iter().collect();
    passport.sort_by(|a, b| a.0.cmp(b.0));
    let passport = passport
        .into_iter()
        .map(|(tk, login)| {
            J::obj(vec![
                ("uamtk", J::s(tk)),
                ("account", J::s(&login.account)),
                ("issued_ms", J::Int(login.issued_ms)),
                ("expires_at_ms", opt(w.passport_expires_at(login))),
                ("valid", J::Bool(w.passport_account(tk, now).is_some())),
            ])
        })
        .collect();
    J::obj(vec![
        ("now_ms", J::Int(now)),
        ("otn", J::Arr(otn)),
        ("passport", J::Arr(passport)),
    ])
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
            (
                "sale_opening",
                match &w.opening {
                    Some(o) => J::obj(vec![
                        ("at_ms", J::Int(o.at_ms)),
                        ("date", J::s(o.date.iso())),
                        ("trains", J::Arr(o.trains.iter().map(J::s).collect())),
                    ]),
                    None => J::Null,
                },
            ),
        ])),
        ("GET", "/requests") => {
            let q = Form::parse(query);
            let since = q.get("since").and_then(|s| s.parse().ok()).unwrap_or(0);
            ok(w.records.to_json(since, q.get("path")))
        }
        ("GET", "/orders") => ok(orders_json(w)),
        ("GET", "/sessions") => {
            w.lapse_all_idle(now);
            ok(sessions_json(w, now))
        }
        ("POST", "/session/lapse") => {
            let b: LapseBody = match parse(body) {
                Ok(b) => b,
                Err(a) => return a,
            };
            let mut ids: Vec<String> = match b.jsessionid {
                Some(id) if !w.sessions.contains_key(&id) => {
                    return err(404, "no such session");
                }
                Some(id) => vec![id],
                None => w
                    .sessions
                    .values()
                    .filter(|s| s.account.is_some())
                    .map(|s| s.id.clone())
                    .collect(),
            };
            ids.sort();
            ids.retain(|id| w.lapse_session(id));
            let ended = if b.passport {
                let n = w.uamtks.len();
                w.uamtks.clear();
                w.apptks.clear();
                n
            } else {
                0
            };
            ok(J::obj(vec![
                ("ok", J::Bool(true)),
                ("lapsed", J::Arr(ids.into_iter().map(J::s).collect())),
                ("passport_ended", J::Int(ended as i64)),
            ]))
        }
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
            match passport::scan_newest(w, b.confirm.unwrap_or(true), now) {
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
            w.login_session(&sid, &account, now);
            let uamtk = passport::new_uamtk(w, &account, now);
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
