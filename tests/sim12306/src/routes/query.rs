//! `GET /otn/leftTicket/query{X}`: the ticket query with 57-field rows (58 or more by scenario), in the 2026
//! layout (field 56 `Y`, 优选一等座 in field 20).

use super::Ctx;
use crate::clock::Date;
use crate::http::Resp;
use crate::inventory::STANDING;
use crate::json::{self, J};
use crate::secret::{self, SecretInfo};
use crate::state::{World, PRESALE_DAYS};
use crate::stations;
use crate::timetable::{self, TrainDef};

pub const NOT_IN_PRESALE: &str = "选择的日期不在预售日期范围内";

/// Row column of a seat class (PROTOCOL §3.5), `W` = 无座. 优选一等座 `D` has `gg_num` (20) to itself, next
/// to 一等座's `zy_num` (31) (PROTOCOL §3.5/§4.1, 2025–2026 sources).
pub fn cell_index(seat: char) -> Option<usize> {
    Some(match seat {
        'D' => 20,
        '6' | 'A' => 21,
        'H' => 22,
        '4' | 'I' => 23,
        '2' => 24,
        'P' => 25,
        STANDING => 26,
        '3' | 'J' => 28,
        '1' => 29,
        'O' | 'S' => 30,
        'M' => 31,
        '9' => 32,
        'F' => 33,
        _ => return None,
    })
}

/// The display cell of a count: `有` (≥ 20), the number, or `无`.
pub fn cell(count: i64) -> String {
    match count {
        c if c >= 20 => "有".into(),
        c if c > 0 => c.to_string(),
        _ => "无".into(),
    }
}

/// Whether a train/date is on sale at `now` (the newest date of the window opens at the train's sale time).
pub fn on_sale(t: &TrainDef, date: Date, now: i64) -> bool {
    let today = Date::of_ms(now);
    let opening_day = date.add_days(-(PRESALE_DAYS - 1));
    if opening_day < today {
        return true;
    }
    if opening_day > today {
        return false;
    }
    now >= today.midnight_ms() + t.sale_minutes() * 60_000
}

/// Whether a train has already left on `date` (such trains are not listed).
pub fn departed(t: &TrainDef, date: Date, now: i64) -> bool {
    now >= date.midnight_ms() + t.dep_min * 60_000
}

/// The button text of a row before its sale: `13点30分起售` for an opening today, `11月18日13点30分起售` for a later
/// day (PROTOCOL.md §3.5 field 1).
fn sale_text(opens: i64, now: i64) -> String {
    let day = Date::of_ms(opens);
    let m = (opens + crate::clock::CHINA_OFFSET_MS).rem_euclid(crate::clock::DAY_MS) / 60_000;
    let clock = if m % 60 == 0 {
        format!("{}点起售", m / 60)
    } else {
        format!("{}点{}分起售", m / 60, m % 60)
    };
    if day == Date::of_ms(now) {
        clock
    } else {
        format!("{:02}月{:02}日{clock}", day.m, day.d)
    }
}

/// `bed_level_info` for sleeper trains: per berth class and level, price in tenths.
fn bed_level_info(t: &TrainDef) -> String {
    let mut s = String::new();
    for cl in &t.classes {
        if matches!(cl.code, '3' | '4') {
            for (lvl, delta) in [('3', 0u32), ('1', 70), ('2', 30)] {
                if cl.code == '4' && lvl == '2' {
                    continue;
                }
                s.push_str(&format!("{}{}{:05}", cl.code, lvl, cl.price_x10 + delta));
            }
        }
    }
    s
}

/// Builds one `|`-joined row.
pub fn build_row(w: &World, t: &TrainDef, date: Date, now: i64, fields: usize) -> String {
    let iso = date.iso();
    // The scenario's opening decides for its trains and date; the daily sale clock for the rest.
    let opens = w.opening_of(&t.code, date).unwrap_or_else(|| {
        date.add_days(-(PRESALE_DAYS - 1)).midnight_ms() + t.sale_minutes() * 60_000
    });
    let selling = match w.opening_of(&t.code, date) {
        Some(at) => now >= at,
        None => on_sale(t, date, now),
    };
    let mut f: Vec<String> = vec![String::new(); fields.max(57)];
    let left = |seat: char| w.inventory.left(&iso, t, seat);
    let mut any_left = false;
    let mut any_sold_out = false;
    let mut yp_new = String::new();
    let mut yp_ex = String::new();
    for cl in &t.classes {
        let n = left(cl.code).unwrap_or(0);
        any_left |= n > 0;
        any_sold_out |= n == 0;
        if let Some(i) = cell_index(cl.code) {
            f[i] = if selling { cell(n) } else { "*".into() };
        }
        yp_new.push_str(&format!(
            "{}{:05}{:04}",
            cl.code,
            cl.price_x10,
            if selling { n.min(2999) } else { 0 }
        ));
        yp_ex.push_str(&format!("{}0", cl.code));
    }
    if t.standing {
        let n = left(STANDING).unwrap_or(0);
        any_left |= n > 0;
        f[26] = if selling { cell(n) } else { "*".into() };
        yp_new.push_str(&format!(
            "{}{:05}{:04}",
            t.base_class(),
            t.standing_price(),
            3000 + if selling { n.min(6999) } else { 0 }
        ));
        yp_ex.push_str("W0");
    }
    let info = SecretInfo {
        train: t.code.clone(),
        date: iso.clone(),
        from: t.from.into(),
        to: t.to.into(),
        issued_ms: now,
    };
    f[0] = if selling {
        secret::issue_encoded(w.seed, w.secret_epoch, &info)
    } else {
        String::new()
    };
    f[1] = if selling {
        "预订".into()
    } else {
        sale_text(opens, now)
    };
    f[2] = t.train_no.clone();
    f[3] = t.code.clone();
    f[4] = t.start.into();
    f[5] = t.end.into();
    f[6] = t.from.into();
    f[7] = t.to.into();
    f[8] = t.start_time();
    f[9] = t.arrive_time();
    f[10] = t.lishi();
    f[11] = if !selling {
        "IS_TIME_NOT_BUY".into()
    } else if any_left {
        "Y".into()
    } else {
        "N".into()
    };
    f[12] = secret::left_ticket_str(w.seed, &t.code, &iso, t.from, t.to);
    f[13] = date.compact();
    f[14] = "3".into();
    f[15] = t.location.into();
    f[16] = t.from_no.into();
    f[17] = t.to_no.into();
    f[18] = "1".into();
    f[19] = "0".into();
    f[34] = yp_ex;
    f[35] = t.seat_types();
    f[36] = "1".into();
    f[37] = if any_sold_out { "1".into() } else { "0".into() };
    f[39] = yp_new;
    f[40] = "0".into();
    f[45] = "1".into();
    f[46] = t.dw_flag.into();
    f[48] = "7".into();
    f[49] = "CHN,CHN".into();
    f[52] = "N#N#".into();
    f[53] = bed_level_info(t);
    f[54] = if t.code.starts_with('G') {
        "90091".into()
    } else {
        String::new()
    };
    f[55] = crate::clock::minute_str(opens);
    // `Y` in every row since 2025, whether the row has 57 fields (JACTIL 2026-06) or 58 (MIPHA25 2025-07).
    f[56] = "Y".into();
    f.join("|")
}

/// Trains listed for a query at `now` (departed trains of today are left out).
pub fn listed<'a>(w: &'a World, from: &str, to: &str, date: Date, now: i64) -> Vec<&'a TrainDef> {
    let mut v: Vec<&TrainDef> = w
        .trains
        .iter()
        .filter(|t| timetable::serves(t, from, to) && !departed(t, date, now))
        .collect();
    v.sort_by_key(|t| t.dep_min);
    v
}

/// Whether `date` is inside the pre-sale window at `now`.
pub fn in_window(date: Date, now: i64) -> bool {
    let today = Date::of_ms(now);
    date >= today && date <= today.add_days(PRESALE_DAYS - 1)
}

pub fn query(w: &mut World, c: &Ctx) -> Resp {
    let asked = c.req.path.trim_start_matches("/otn/");
    let current = w.query_path(c.now);
    if asked != current {
        if w.scenario.query_redirect {
            // 2025–2026: a 302 to the current name with the same query string, and a relative Location
            // (SKILL26, PROTOCOL §3.1), so it stays on whatever host the client used.
            let mut location = format!("/otn/{current}");
            if !c.req.query.is_empty() {
                location.push('?');
                location.push_str(&c.req.query);
            }
            return Resp::redirect(&location);
        }
        return Resp::json(&J::obj(vec![
            ("status", J::Bool(false)),
            ("c_url", J::s(current)),
            ("c_name", J::s("CLeftTicketUrl")),
        ]));
    }
    let q = c.req.query_form();
    let (Some(date), Some(from), Some(to)) = (
        q.get("leftTicketDTO.train_date").and_then(Date::parse),
        q.get("leftTicketDTO.from_station")
            .filter(|s| !s.is_empty()),
        q.get("leftTicketDTO.to_station").filter(|s| !s.is_empty()),
    ) else {
        return Resp::json(&json::fail("查询失败"));
    };
    if !in_window(date, c.now) {
        return Resp::json(&json::fail(NOT_IN_PRESALE));
    }
    let fields = w.scenario.row_fields.unwrap_or(57).max(57);
    let trains = listed(w, from, to, date, c.now);
    let mut map: Vec<(String, J)> = Vec::new();
    let mut add = |code: &str| {
        if stations::by_telecode(code).is_some() && !map.iter().any(|(k, _)| k == code) {
            map.push((code.to_string(), J::s(stations::name_of(code))));
        }
    };
    let rows: Vec<J> = trains
        .iter()
        .map(|t| {
            add(t.from);
            add(t.to);
            J::s(build_row(w, t, date, c.now, fields))
        })
        .collect();
    // Like 12306, the map also names every station of the two queried cities.
    for code in [from, to] {
        if let Some(city) = stations::by_telecode(code).map(|s| s.city_code) {
            for st in stations::STATIONS.iter().filter(|s| s.city_code == city) {
                add(st.telecode);
            }
        }
    }
    let body = J::obj(vec![
        ("httpstatus", J::Int(200)),
        (
            "data",
            J::obj(vec![
                ("result", J::Arr(rows)),
                ("flag", J::s("1")),
                ("level", J::s("0")),
                ("map", J::Obj(map)),
            ]),
        ),
        ("messages", J::s("")),
        ("status", J::Bool(true)),
    ]);
    Resp::json(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_shape() {
        let w = World::new(1);
        let t = w.train("G4").expect("G4").clone();
        let now = Date {
            y: 2030,
            m: 1,
            d: 1,
        }
        .midnight_ms()
            + 3_600_000;
        let date = Date {
            y: 2030,
            m: 1,
            d: 2,
        };
        let row = build_row(&w, &t, date, now, 57);
        let f: Vec<&str> = row.split('|').collect();
        assert_eq!(f.len(), 57);
        assert_eq!(f[56], "Y");
        assert_eq!(f[1], "预订");
        assert_eq!(f[3], "G4");
        assert_eq!(f[30], "无");
        assert_eq!(f[31], "5");
        assert_eq!(f[26], "有");
        assert_eq!(f[35], "9MOO");
        assert_eq!(f[34], "90M0O0W0");
        assert!(f[39].ends_with("O055303050"), "{}", f[39]);
        assert_eq!(build_row(&w, &t, date, now, 58).split('|').count(), 58);
        // Newest date before its sale time: `*` cells.
        let newest = Date {
            y: 2030,
            m: 1,
            d: 15,
        };
        let row = build_row(&w, &t, newest, now, 57);
        let f: Vec<&str> = row.split('|').collect();
        assert_eq!(f[11], "IS_TIME_NOT_BUY");
        assert_eq!(f[30], "*");
        assert_eq!(f[0], "");
        assert_eq!(f[1], "13点30分起售");
    }
}

#[cfg(test)]
mod perf {
    use super::*;
    use crate::http::{Req, Site};

    /// A query with 15 rows is answered well under a millisecond (generous bound for debug builds).
    #[test]
    fn query_is_fast() {
        let mut w = World::new(1);
        let now = crate::clock::wall_ms();
        let date = Date::of_ms(now).add_days(2).iso();
        let req = Req {
            method: "GET".into(),
            site: Site::Kyfw,
            named_host: false,
            host: "127.0.0.1".into(),
            path: "/otn/leftTicket/queryG".into(),
            query: format!("leftTicketDTO.train_date={date}&leftTicketDTO.from_station=AOH&leftTicketDTO.to_station=VNP&purpose_codes=ADULT"),
            headers: vec![],
            body: String::new(),
        };
        let n = 200;
        let t = std::time::Instant::now();
        for _ in 0..n {
            let r = crate::routes::handle(&mut w, &req, now);
            assert_eq!(r.status, 200);
        }
        let per = t.elapsed() / n;
        eprintln!("query handler: {per:?} per request");
        assert!(per < std::time::Duration::from_millis(5), "{per:?}");
    }
}
