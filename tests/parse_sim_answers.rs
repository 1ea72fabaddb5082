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
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to sim");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let req = format!("GET {path} HTTP/1.1\r\nHost: kyfw.12306.cn\r\nX-Requested-With: XMLHttpRequest\r\nConnection: close\r\n\r\n");
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
    (
        status,
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
    let tomorrow =
        kyfw::train::SaleTime::parse(&format!("{}0000", beijing_date(now_ms + 86_400_000)))
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
}

/// `YYYYMMDD` of the Beijing date of an epoch-ms instant.
fn beijing_date(ms: i64) -> String {
    let days = (ms + 8 * 3_600_000).div_euclid(86_400_000);
    // Civil-from-days (H. Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}{m:02}{d:02}")
}
