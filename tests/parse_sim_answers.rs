//! The parsers agree with what sim12306 serves (its documented HTTP surface only): the station file, the query
//! page's path, login/conf, a query answer, and the busy/login pages. Keeps the simulator and the core from
//! drifting apart on wire formats.

use kyfw::query::{parse_query, query_url, QueryAnswer, QueryParams};
use kyfw::stations::{StationBook, StationFormat};
use kyfw::train::{Availability, CanWebBuy};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A plain HTTP/1.1 GET to the simulator's 12306 port; returns (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    request(port, "GET", path, "", None)
}

/// A plain HTTP/1.1 request with optional cookie header and form body (with its Referer path), as the page
/// would send it; returns (status, body).
fn request(
    port: u16,
    method: &str,
    path: &str,
    cookies: &str,
    form: Option<(&str, &str)>,
) -> (u16, String) {
    let (status, _, body) = exchange(port, method, path, cookies, form);
    (status, body)
}

/// [`request`] that also returns the `Location` header.
fn exchange(
    port: u16,
    method: &str,
    path: &str,
    cookies: &str,
    form: Option<(&str, &str)>,
) -> (u16, Option<String>, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to sim");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: kyfw.12306.cn\r\nX-Requested-With: XMLHttpRequest\r\nConnection: close\r\n"
    );
    if !cookies.is_empty() {
        req.push_str(&format!("Cookie: {cookies}\r\n"));
    }
    match form {
        Some((referer, body)) => req.push_str(&format!(
            "Referer: https://kyfw.12306.cn{referer}\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )),
        None => req.push_str("\r\n"),
    }
    s.write_all(req.as_bytes()).expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("HTTP answer");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status");
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let location = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("location")
            .then(|| value.trim().to_string())
    });
    (
        status,
        location,
        if chunked {
            dechunk(body)
        } else {
            body.to_string()
        },
    )
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        body = &rest[n + 2..];
    }
    out
}

#[test]
fn simulator_answers_parse() {
    let sim = sim12306::start(sim12306::Config::default()).expect("sim starts");
    let port = sim.http_port;

    let (_, js) = get(port, "/otn/resources/js/framework/station_name.js");
    let book = StationBook::parse(&js).expect("sim station file");
    assert_eq!(book.format(), StationFormat::Eleven);
    assert_eq!(
        book.by_telecode("AOH").map(|s| s.name.as_str()),
        Some("上海虹桥")
    );
    assert!(book.same_city("AOH").iter().any(|s| s.telecode == "SHH"));

    let (_, page) = get(port, "/otn/leftTicket/init?linktypeid=dc");
    let path =
        kyfw::query_path::from_init_page(&page).expect("CLeftTicketUrl on the sim's query page");

    let (_, conf) = get(port, "/otn/login/conf");
    assert_eq!(
        kyfw::query_path::from_login_conf(&conf).as_deref(),
        Some(path.as_str())
    );
    let conf: serde_json::Value = serde_json::from_str(&conf).unwrap();
    let now_ms = conf["data"]["now"].as_i64().expect("login/conf data.now");
    let tomorrow = kyfw::train::SaleTime::parse(&format!(
        "{}0000",
        sim12306::clock::Date::of_ms(now_ms + 86_400_000).compact()
    ))
    .unwrap();
    let date = format!(
        "{:04}-{:02}-{:02}",
        tomorrow.year, tomorrow.month, tomorrow.day
    );

    let params = QueryParams {
        date,
        from: "AOH".into(),
        to: "VNP".into(),
        purpose: "ADULT".into(),
    };
    let (status, body) = get(port, &query_url(&path, &params));
    assert_eq!(status, 200, "{body}");
    let QueryAnswer::Trains {
        trains,
        map,
        skipped_rows,
    } = parse_query(&body).expect("sim query answer")
    else {
        panic!("not trains: {body}")
    };
    assert!(skipped_rows.is_empty(), "{skipped_rows:?}");
    assert!(!trains.is_empty());
    for t in &trains {
        assert!(
            map.contains_key(&t.from_telecode) && map.contains_key(&t.to_telecode),
            "{t:?}"
        );
        assert!(t.field_count >= 57);
        assert!(!t.seats.is_empty(), "{}: no seat cell understood", t.code);
        for cell in &t.seats {
            assert!(
                !matches!(cell.availability, Availability::Unknown(_)),
                "{}: {cell:?}",
                t.code
            );
        }
        if t.can_web_buy == CanWebBuy::Yes {
            assert!(t.is_bookable(), "{}", t.code);
            assert!(!t.prices.is_empty(), "{}", t.code);
        }
    }

    // Logged in (control API), submit the first bookable train, then parse the order page and passengers.
    let (_, session) = request(
        sim.control_port,
        "POST",
        "/session",
        "",
        Some(("/", r#"{"account":"demo"}"#)),
    );
    let session: serde_json::Value = serde_json::from_str(&session).expect("session answer");
    let cookies = session["cookies"].as_str().expect("cookies").to_string();
    let t = trains
        .iter()
        .find(|t| t.is_bookable())
        .expect("a bookable train");
    let submit = format!(
        "secretStr={}&train_date={}&back_train_date={}&tour_flag=dc&purpose_codes=ADULT&query_from_station_name={}&query_to_station_name={}&bed_level_info={}&seat_discount_info={}&undefined",
        t.secret_str.as_deref().unwrap_or(""),
        params.date,
        params.date,
        encode(&map[&t.from_telecode]),
        encode(&map[&t.to_telecode]),
        encode(&t.bed_level_info),
        encode(&t.seat_discount_info),
    );
    let referer = "/otn/leftTicket/init?linktypeid=dc";
    let (_, answer) = request(
        port,
        "POST",
        "/otn/leftTicket/submitOrderRequest",
        &cookies,
        Some((referer, &submit)),
    );
    assert!(answer.contains("\"status\":true"), "{answer}");
    let (_, html) = request(
        port,
        "POST",
        "/otn/confirmPassenger/initDc",
        &cookies,
        Some((referer, "_json_att=")),
    );
    let page = kyfw::order_page::parse_order_page(&html).expect("sim order page");
    assert_eq!(page.token.len(), 32);
    assert_eq!(
        (page.train_no.as_str(), page.station_train_code.as_str()),
        (t.train_no.as_str(), t.code.as_str())
    );
    assert_eq!(
        (page.from_telecode.as_str(), page.to_telecode.as_str()),
        (t.from_telecode.as_str(), t.to_telecode.as_str())
    );
    assert!(page.train_date_ms.is_some() && page.limit_ticket_num.is_some());
    assert!(!page.key_check_is_change.is_empty() && !page.left_ticket_str.is_empty());

    let body = format!("_json_att=&REPEAT_SUBMIT_TOKEN={}", page.token);
    let (_, dtos) = request(
        port,
        "POST",
        "/otn/confirmPassenger/getPassengerDTOs",
        &cookies,
        Some(("/otn/confirmPassenger/initDc", &body)),
    );
    let list = kyfw::passengers::parse_passengers(&dtos).expect("sim passengers");
    let names: Vec<&str> = list.passengers.iter().map(|p| p.name.as_str()).collect();
    for n in ["张三", "李四", "王小五", "张小宝", "陈同学"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    let child = list.passengers.iter().find(|p| p.name == "张小宝").unwrap();
    assert_eq!(child.ticket_type(), Some(kyfw::seat::TicketType::Child));
    assert!(list.passengers.iter().all(|p| !p.all_enc_str.is_empty()));

    // A lost session gives the passport page for initDc.
    let (_, lost) = request(
        port,
        "POST",
        "/otn/confirmPassenger/initDc",
        "",
        Some((referer, "_json_att=")),
    );
    assert_eq!(
        kyfw::order_page::parse_order_page(&lost),
        Err(kyfw::order_page::OrderPageError::SessionLost)
    );
}

/// %-encodes a form value (everything but unreserved characters).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The 2025–2026 behaviours the simulator learnt, read by the core: 优选一等座 in row field 20, the bare
/// rate-limit text, and a stale query name answered by a redirect (PROTOCOL.md §3.1, §3.5, §6, §7).
#[test]
fn the_answers_of_2026_parse() {
    let scenario = sim12306::Scenario::parse(
        r#"{"query_path":"queryI","query_redirect":true,
            "rate_limit":{"max_queries":3,"window_ms":60000,"block_ms":60000,"answer":"text"}}"#,
    )
    .expect("scenario");
    let sim = sim12306::start(sim12306::Config {
        scenario: Some(scenario),
        ..Default::default()
    })
    .expect("sim starts");
    let port = sim.http_port;
    let (_, conf) = get(port, "/otn/login/conf");
    let conf: serde_json::Value = serde_json::from_str(&conf).unwrap();
    let now_ms = conf["data"]["now"].as_i64().expect("login/conf data.now");
    let d = sim12306::clock::Date::of_ms(now_ms + 86_400_000);
    let params = QueryParams {
        date: d.iso(),
        from: "VNP".into(),
        to: "AOH".into(),
        purpose: "ADULT".into(),
    };

    // A stale name: 302 to the current one (query 1 of 3).
    let (status, location, _) = exchange(
        port,
        "GET",
        &query_url("leftTicket/queryG", &params),
        "",
        None,
    );
    assert_eq!(status, 302);
    let location = location.expect("a Location");
    assert_eq!(
        kyfw::query_path::from_url(&location).as_deref(),
        Some("leftTicket/queryI")
    );
    assert_eq!(location, query_url("leftTicket/queryI", &params));

    // The current name (query 2): G3 sells 优选一等座, counted in field 20.
    let (_, body) = get(port, &location);
    let QueryAnswer::Trains { trains, .. } = parse_query(&body).expect("query answer") else {
        panic!("not trains: {body}")
    };
    let g3 = trains.iter().find(|t| t.code == "G3").expect("G3");
    assert_eq!(g3.field_count, 57);
    assert_eq!(
        g3.availability(kyfw::seat::SeatClass::FirstPremium),
        Availability::Count(9)
    );
    let cell = g3
        .cell(kyfw::seat::SeatClass::FirstPremium)
        .expect("a D cell");
    assert_eq!((cell.column, cell.label.as_str()), (20, "优选一等座"));
    assert!(g3.cell(kyfw::seat::SeatClass::First).is_some());

    // Queries 3 and 4: the fourth is over the limit and gets the bare text.
    get(port, &location);
    let (status, body) = get(port, &location);
    assert_eq!(status, 200);
    let outcome = kyfw::outcome::classify_http(status, &location, &body, false).expect("a failure");
    assert_eq!(outcome.reason, kyfw::outcome::Reason::RateLimited);
    assert_eq!(
        parse_query(&body).expect("an answer, not a parse error"),
        QueryAnswer::Failed {
            messages: vec!["网络可能存在问题，请您重试一下！".into()]
        }
    );
}
