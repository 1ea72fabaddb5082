//! Malformed requests get 12306-style errors and never crash the simulator; the auto-submit path.

mod common;

use common::*;

const ENDPOINTS: &[&str] = &[
    "/otn/login/conf",
    "/otn/login/checkUser",
    "/otn/leftTicket/submitOrderRequest",
    "/otn/confirmPassenger/initDc",
    "/otn/confirmPassenger/getPassengerDTOs",
    "/otn/confirmPassenger/checkOrderInfo",
    "/otn/confirmPassenger/getQueueCount",
    "/otn/confirmPassenger/confirmSingleForQueue",
    "/otn/confirmPassenger/queryOrderWaitTime",
    "/otn/confirmPassenger/resultOrderForDcQueue",
    "/otn/confirmPassenger/autoSubmitOrderRequest",
    "/otn/confirmPassenger/getQueueCountAsync",
    "/otn/confirmPassenger/confirmSingleForQueueAsys",
    "/otn/queryOrder/queryMyOrderNoComplete",
    "/otn/queryOrder/cancelNoCompleteMyOrder",
    "/otn/queryOrder/cancelQueueNoCompleteMyOrder",
    "/otn/payOrder/init",
    "/otn/uamauthclient",
    "/otn/afterNate/chechFace",
    "/otn/afterNate/submitOrderRequest",
    "/otn/afterNate/passengerInitApi",
    "/otn/afterNate/getQueueNum",
    "/otn/afterNate/confirmHB",
    "/otn/afterNate/queryQueue",
    "/otn/leftTicket/queryG",
    "/passport/web/login",
    "/passport/web/checkqr",
    "/passport/web/auth/uamtk",
];

const BODIES: &[&str] = &[
    "",
    "&&&==&",
    "secretStr=%&train_date=2024-13-45&passengerTicketStr=%E4%&REPEAT_SUBMIT_TOKEN=",
    "passengerTicketStr=O,0,1,张三&oldPassengerStr=x&key_check_isChange=&leftTicketStr=%25%25",
    "train_date=Thu+Foo+99+2024&seatType=OO&train_no=&leftTicket=&secretList=%23%7C%7C%23O",
    "passengerInfo=1%23%23%23%3B%3B&uuid=%00%FF&tk=%ZZ&username=demo&password=@",
];

#[test]
fn garbage_never_crashes() {
    let sim = start();
    let mut logged_out = Client::new(&sim);
    let mut logged_in = logged_in(&sim);
    for c in [&mut logged_out, &mut logged_in] {
        for ep in ENDPOINTS {
            for body in BODIES {
                for referer in [None, Some(QUERY_REFERER), Some(ORDER_REFERER)] {
                    let a = c.post(ep, body, referer);
                    assert!(
                        matches!(a.status, 200 | 302 | 404),
                        "{ep} {body:?}: {}",
                        a.status
                    );
                    if a.status == 200 && a.body.starts_with('{') {
                        let _ = a.json();
                    }
                }
                let a = c.get(&format!("{ep}?{body}"), Some(QUERY_REFERER));
                assert!(
                    matches!(a.status, 200 | 302 | 404),
                    "GET {ep}: {}",
                    a.status
                );
            }
        }
    }
    // Still alive and consistent.
    assert_eq!(logged_in.ctl_get("/health")["ok"], true);
    assert!(logged_in
        .ctl_get("/orders")
        .as_array()
        .is_some_and(|o| o.is_empty()));
    // Query without parameters: 查询失败.
    let v = logged_out.get_json("/otn/leftTicket/queryG");
    assert_eq!(v["status"], false);
    assert_eq!(v["messages"][0], "查询失败");
    // Control API with bad JSON.
    let (s, _) = logged_out.ctl_post("/inventory", "{");
    assert_eq!(s, 400);
    let (s, _) = logged_out.ctl_post("/release", r#"{"date":"x"}"#);
    assert_eq!(s, 400);
}

#[test]
fn requests_are_recorded_with_headers_and_body() {
    let sim = start();
    let mut c = logged_in(&sim);
    c.check_user();
    let reqs = c.ctl_get("/requests");
    let r = reqs
        .as_array()
        .and_then(|a| a.last())
        .expect("recorded")
        .clone();
    assert_eq!(r["method"], "POST");
    assert_eq!(r["path"], "/otn/login/checkUser");
    assert_eq!(r["body"], "_json_att=");
    assert_eq!(r["headers"]["referer"], QUERY_REFERER);
    assert!(r["headers"]["cookie"]
        .as_str()
        .unwrap_or("")
        .contains("JSESSIONID="));
    assert_eq!(r["headers"]["x-requested-with"], "XMLHttpRequest");
    let seq = r["seq"].as_i64().expect("seq");
    assert!(c
        .ctl_get(&format!("/requests?since={seq}"))
        .as_array()
        .is_some_and(|a| a.is_empty()));
}

#[test]
fn auto_submit_path() {
    let sim = start_with(r#"{"queue_ms":100}"#);
    let mut c = logged_in(&sim);
    let date = date_in(3);
    let row = find_row(&mut c, &date, "AOH", "VNP", "G6");
    let (pts, old) = passenger_strs(&[(0, "O", "1")]);
    let body = format!(
        "secretStr={}&train_date={date}&tour_flag=dc&purpose_codes=ADULT&query_from_station_name={}&query_to_station_name={}&cancel_flag=2&bed_level_order_num=000000000000000000000000000000&passengerTicketStr={}&oldPassengerStr={}",
        row[0],
        enc("上海虹桥"),
        enc("北京南"),
        enc(&pts),
        enc(&old)
    );
    let v = c
        .post(
            "/otn/confirmPassenger/autoSubmitOrderRequest",
            &body,
            Some(QUERY_REFERER),
        )
        .json();
    assert_eq!(v["data"]["submitStatus"], true, "{v}");
    let result = v["data"]["result"].as_str().expect("result").to_string();
    let parts: Vec<&str> = result.split('#').collect();
    assert_eq!(parts.len(), 4);
    assert_eq!(parts[2], row[12], "leftTicketStr is the row's yp_info");
    let d = sim12306::clock::Date::parse(&date).expect("date");
    let qc = format!(
        "train_date={}&train_no={}&stationTrainCode=G6&seatType=O&fromStationTelecode=AOH&toStationTelecode=VNP&leftTicket={}&purpose_codes=ADULT&_json_att=",
        enc(&d.js_string()),
        row[2],
        enc(&row[12])
    );
    let v = c
        .post(
            "/otn/confirmPassenger/getQueueCountAsync",
            &qc,
            Some(QUERY_REFERER),
        )
        .json();
    assert_eq!(v["status"], true, "{v}");
    assert!(v["data"]["ticket"].is_string());
    let confirm = format!(
        "passengerTicketStr={}&oldPassengerStr={}&randCode=&purpose_codes=ADULT&key_check_isChange={}&leftTicketStr={}&train_location={}&choose_seats=&seatDetailType=000&_json_att=",
        enc(&pts),
        enc(&old),
        parts[1],
        enc(parts[2]),
        parts[0]
    );
    let v = c
        .post(
            "/otn/confirmPassenger/confirmSingleForQueueAsys",
            &confirm,
            Some(QUERY_REFERER),
        )
        .json();
    assert_eq!(v["data"]["submitStatus"], true, "{v}");
    let page = Page {
        token: String::new(),
        key_check: String::new(),
        left_ticket: String::new(),
        train_location: String::new(),
        train_no: String::new(),
        train_date_ms: 0,
        html: String::new(),
    };
    let seen = poll_queue(&mut c, &page);
    assert_eq!(
        seen.last().map(|d| d["waitTime"].clone()),
        Some(serde_json::json!(-1))
    );
    // Replaying the confirm is refused (one attempt per submit).
    let v = c
        .post(
            "/otn/confirmPassenger/confirmSingleForQueueAsys",
            &confirm,
            Some(QUERY_REFERER),
        )
        .json();
    assert_eq!(v["status"], false);
}

/// One HTTP/1.1 request over TLS to the HTTPS port, trusting the sim's certificate, SNI `kyfw.12306.cn`.
fn https_request(sim: &sim12306::SimHandle, host: &str, raw: &str) -> String {
    use std::io::{Read, Write};
    use std::sync::Arc;
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(
            sim.cert_der.clone(),
        ))
        .expect("cert");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_string()).expect("name");
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name).expect("client");
    let mut sock = std::net::TcpStream::connect(("127.0.0.1", sim.https_port)).expect("connect");
    let mut tls = rustls::Stream::new(&mut conn, &mut sock);
    tls.write_all(raw.as_bytes()).expect("write");
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn https_serves_both_hosts() {
    let sim = start();
    assert!(sim.cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let conf = https_request(
        &sim,
        "kyfw.12306.cn",
        "POST /otn/login/conf HTTP/1.1\r\nHost: kyfw.12306.cn\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(conf.starts_with("HTTP/1.1 200"), "{conf}");
    assert!(conf.contains("\"queryUrl\":\"leftTicket/queryG\""));
    assert!(conf
        .to_ascii_lowercase()
        .contains("set-cookie: jsessionid="));
    let www = https_request(
        &sim,
        "www.12306.cn",
        "GET /index/ HTTP/1.1\r\nHost: www.12306.cn\r\nConnection: close\r\n\r\n",
    );
    assert!(www.starts_with("HTTP/1.1 200"), "{www}");
    // On the real host names, redirects are absolute.
    let r = https_request(
        &sim,
        "kyfw.12306.cn",
        "GET /otn/login/userLogin HTTP/1.1\r\nHost: kyfw.12306.cn\r\nConnection: close\r\n\r\n",
    );
    assert!(
        r.contains("location: https://kyfw.12306.cn/otn/passport?redirect=/otn/login/userLogin"),
        "{r}"
    );
}
