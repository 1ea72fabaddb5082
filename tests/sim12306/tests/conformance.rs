//! Conformance with the real captures: when `../shared/12306/samples` exists (relative to the
//! workspace root), replay the captured flow requests of `capture.2024.pairs.json` against the sim —
//! captured bodies verbatim, with only the server-issued values (tokens, secretStr, passengers,
//! account) replaced by ours — and check every answer has the captured shape: same keys, same JSON
//! types. Also rows (field count), getPassengerDTOs, the queue sequence, the unfinished-order cache
//! answer and the initDc page variables. Skips cleanly when the samples are absent.

mod common;

use std::path::PathBuf;

use common::*;
use serde_json::Value;

fn samples() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/12306/samples");
    p.join("capture.2024.pairs.json").exists().then_some(p)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Differences in keys and types between a captured value and ours (arrays: first elements).
/// A captured `null` matches anything (e.g. `orderId` null while queued).
fn shape_diff(captured: &Value, ours: &Value, path: &str, out: &mut Vec<String>) {
    if captured.is_null() {
        return;
    }
    if kind(captured) != kind(ours) {
        out.push(format!(
            "{path}: captured {} ours {}",
            kind(captured),
            kind(ours)
        ));
        return;
    }
    match (captured, ours) {
        // `data.map` is keyed by telecodes: only the value types are compared.
        (Value::Object(a), Value::Object(b)) if path.ends_with(".map") => {
            if let (Some(x), Some(y)) = (a.values().next(), b.values().next()) {
                shape_diff(x, y, &format!("{path}.*"), out);
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                match b.get(k) {
                    Some(w) => shape_diff(v, w, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}: missing")),
                }
            }
            for k in b.keys() {
                if !a.contains_key(k) {
                    out.push(format!("{path}.{k}: extra"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if let (Some(x), Some(y)) = (a.first(), b.first()) {
                shape_diff(x, y, &format!("{path}[0]"), out);
            }
        }
        _ => {}
    }
}

fn assert_shape(step: &str, captured: &Value, ours: &Value) {
    let mut diff = Vec::new();
    shape_diff(captured, ours, step, &mut diff);
    assert!(
        diff.is_empty(),
        "{step}: shape differs from the capture:\n{}\nours: {ours}",
        diff.join("\n")
    );
}

/// The captured body with some parameters replaced (values given already encoded), in captured order;
/// overrides absent from the body (the capture truncates long bodies) are appended.
fn rebody(captured: &str, overrides: &[(&str, String)]) -> String {
    let present: Vec<&str> = captured
        .split('&')
        .map(|kv| kv.split_once('=').map(|(k, _)| k).unwrap_or(kv))
        .collect();
    let extra: Vec<String> = overrides
        .iter()
        .filter(|(k, _)| !present.contains(k))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let body = captured
        .split('&')
        .map(|kv| {
            let key = kv.split_once('=').map(|(k, _)| k).unwrap_or(kv);
            match overrides.iter().find(|(k, _)| *k == key) {
                Some((k, v)) => format!("{k}={v}"),
                None => kv.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("&");
    if extra.is_empty() {
        body
    } else {
        format!("{body}&{}", extra.join("&"))
    }
}

struct Pair {
    path: String,
    body: String,
    response: Value,
}

fn pairs(dir: &std::path::Path) -> Vec<Pair> {
    let text = std::fs::read_to_string(dir.join("capture.2024.pairs.json")).expect("pairs");
    let v: Value = serde_json::from_str(&text).expect("pairs JSON");
    v.as_array()
        .expect("array")
        .iter()
        .map(|p| {
            let url = p["url"].as_str().unwrap_or("");
            let path = url
                .split_once("12306.cn")
                .map(|(_, p)| p)
                .unwrap_or(url)
                .to_string();
            Pair {
                path,
                body: p["request_body"].as_str().unwrap_or("").to_string(),
                response: p["response"].clone(),
            }
        })
        .collect()
}

fn find<'a>(ps: &'a [Pair], path: &str, nth: usize) -> &'a Pair {
    ps.iter()
        .filter(|p| p.path == path)
        .nth(nth)
        .unwrap_or_else(|| panic!("no captured {path} #{nth}"))
}

#[test]
fn replay_captured_flow() {
    let Some(dir) = samples() else {
        eprintln!("samples not found; skipping conformance replay");
        return;
    };
    let ps = pairs(&dir);
    let sim = start_with(r#"{"queue_ms":1200}"#);
    let mut c = Client::new(&sim);
    c.get("/otn/resources/login.html", None);

    // Login (SMS capture; the sim's demo account and password).
    let p = find(&ps, "/otn/login/conf", 0);
    assert_shape(
        "conf(logged out)",
        &p.response,
        &c.post_json(&p.path, &p.body),
    );
    let p = find(&ps, "/passport/web/auth/uamtk-static", 0);
    assert_shape("uamtk-static", &p.response, &c.post_json(&p.path, &p.body));
    let p = find(&ps, "/passport/web/checkLoginVerify", 0);
    let body = rebody(&p.body, &[("username", "demo".into())]);
    assert_shape(
        "checkLoginVerify",
        &p.response,
        &c.post_json(&p.path, &body),
    );
    let p = find(&ps, "/passport/web/getMessageCode", 0);
    assert_shape(
        "getMessageCode",
        &p.response,
        &c.post(
            &p.path,
            &rebody(&p.body, &[("username", "demo".into())]),
            None,
        )
        .json(),
    );
    let p = find(&ps, "/passport/web/login", 0);
    let ours = c
        .post(
            &p.path,
            &rebody(&p.body, &[("username", "demo".into())]),
            None,
        )
        .json();
    assert_shape("login", &p.response, &ours);
    let p = find(&ps, "/passport/web/auth/uamtk", 0);
    let ours = c.post_json(&p.path, &p.body);
    assert_shape("uamtk", &p.response, &ours);
    let tk = ours["newapptk"].as_str().expect("newapptk").to_string();
    let p = find(&ps, "/otn/uamauthclient", 0);
    assert_shape(
        "uamauthclient",
        &p.response,
        &c.post_json(&p.path, &rebody(&p.body, &[("tk", tk)])),
    );
    let p = find(&ps, "/otn/login/conf", 1);
    assert_shape(
        "conf(logged in)",
        &p.response,
        &c.post_json(&p.path, &p.body),
    );
    let p = find(&ps, "/otn/index/initMy12306Api", 0);
    assert_shape(
        "initMy12306Api",
        &p.response,
        &c.post_json(&p.path, &p.body),
    );

    // Booking (the capture booked G7784 上海 → 常州 for three passengers in M, O and P).
    let date = date_in(3);
    let row = find_row(&mut c, &date, "SHH", "CZH", "G7784");
    let p = find(&ps, "/otn/login/checkUser", 0);
    assert_shape(
        "checkUser",
        &p.response,
        &c.post(&p.path, &p.body, Some(QUERY_REFERER)).json(),
    );
    let p = find(&ps, "/otn/leftTicket/submitOrderRequest", 0);
    let body = rebody(
        &p.body,
        &[
            ("secretStr", row[0].clone()),
            ("train_date", date.clone()),
            ("back_train_date", date.clone()),
            ("seat_discount_info", row[54].clone()),
        ],
    );
    assert_shape(
        "submitOrderRequest",
        &p.response,
        &c.post(&p.path, &body, Some(QUERY_REFERER)).json(),
    );
    let a = c.post(
        "/otn/confirmPassenger/initDc",
        "_json_att=",
        Some(QUERY_REFERER),
    );
    let page = parse_page(&a.body);
    let (pts, old) = passenger_strs(&[(0, "M", "1"), (1, "O", "1"), (2, "P", "1")]);
    let tok = page.token.clone();
    let p = find(&ps, "/otn/confirmPassenger/checkOrderInfo", 0);
    let body = rebody(
        &p.body,
        &[
            ("passengerTicketStr", enc(&pts)),
            ("oldPassengerStr", enc(&old)),
            ("REPEAT_SUBMIT_TOKEN", tok.clone()),
        ],
    );
    assert_shape(
        "checkOrderInfo",
        &p.response,
        &c.post(&p.path, &body, Some(ORDER_REFERER)).json(),
    );
    let p = find(&ps, "/otn/confirmPassenger/getQueueCount", 0);
    let body = rebody(
        &p.body,
        &[
            (
                "train_date",
                enc(&js_date(page.train_date_ms)).replace("%20", "+"),
            ),
            ("train_no", page.train_no.clone()),
            ("leftTicket", enc(&page.left_ticket)),
            ("REPEAT_SUBMIT_TOKEN", tok.clone()),
        ],
    );
    assert_shape(
        "getQueueCount",
        &p.response,
        &c.post(&p.path, &body, Some(ORDER_REFERER)).json(),
    );
    let p = find(&ps, "/otn/confirmPassenger/confirmSingleForQueue", 0);
    let body = rebody(
        &p.body,
        &[
            ("passengerTicketStr", enc(&pts)),
            ("oldPassengerStr", enc(&old)),
            ("key_check_isChange", page.key_check.clone()),
            ("leftTicketStr", enc(&page.left_ticket)),
            ("REPEAT_SUBMIT_TOKEN", tok.clone()),
        ],
    );
    assert_shape(
        "confirmSingleForQueue",
        &p.response,
        &c.post(&p.path, &body, Some(ORDER_REFERER)).json(),
    );
    let p = find(&ps, "/otn/basedata/log", 0);
    let body = rebody(&p.body, &[("REPEAT_SUBMIT_TOKEN", tok.clone())]);
    assert_shape(
        "basedata/log",
        &p.response,
        &c.post(&p.path, &body, Some(ORDER_REFERER)).json(),
    );

    // The queue, against the captured -100 → 4 → -1 sequence; the cache answer while queued.
    let seq: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("queryOrderWaitTime.2024-04.sequence.json"))
            .expect("seq"),
    )
    .expect("seq JSON");
    let first = c.get(&wait_time_path(&page), Some(ORDER_REFERER)).json();
    assert_shape("queryOrderWaitTime(-100)", &seq[0]["response"], &first);
    assert_eq!(first["data"]["waitTime"], -100);
    let second = c.get(&wait_time_path(&page), Some(ORDER_REFERER)).json();
    assert!(
        second["data"]["waitTime"].as_i64().unwrap_or(0) > 0,
        "{second}"
    );
    assert_shape("queryOrderWaitTime(>0)", &seq[1]["response"], &second);
    let cache: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("queryMyOrderNoComplete.in-queue.2018-02.json"))
            .expect("cache"),
    )
    .expect("cache JSON");
    let ours = c.no_complete().json();
    assert_shape("queryMyOrderNoComplete(cache)", &cache, &ours);
    let seen = poll_queue(&mut c, &page);
    let last = seen.last().expect("final");
    assert_shape("queryOrderWaitTime(-1)", &seq[2]["response"]["data"], last);
    let order_id = last["orderId"].as_str().expect("orderId").to_string();
    let p = find(&ps, "/otn/confirmPassenger/resultOrderForDcQueue", 0);
    let body = rebody(
        &p.body,
        &[
            ("orderSequence_no", order_id.clone()),
            ("REPEAT_SUBMIT_TOKEN", tok),
        ],
    );
    assert_shape(
        "resultOrderForDcQueue",
        &p.response,
        &c.post(&p.path, &body, Some(ORDER_REFERER)).json(),
    );
    let pay = c.post("/otn/payOrder/init", "_json_att=", Some(ORDER_REFERER));
    assert!(pay.body.contains(&order_id));
    let v = c.post_json(
        "/otn/queryOrder/cancelNoCompleteMyOrder",
        &format!("sequence_no={order_id}&cancel_flag=cancel_order&_json_att="),
    );
    assert_eq!(v["data"]["existError"], "N");

    // 候补 (the capture's secretList: %-encoded secretStr + "#O|", encoded again on the wire).
    let row = find_row(&mut c, &date, "SHH", "CZH", "G7784");
    let secret_list = enc(&format!("{}#O|", row[0]));
    let p = find(&ps, "/otn/afterNate/chechFace", 0);
    let body = rebody(&p.body, &[("secretList", secret_list.clone())]);
    assert_shape(
        "chechFace",
        &p.response,
        &c.post(&p.path, &body, Some(QUERY_REFERER)).json(),
    );
    let p = find(&ps, "/otn/afterNate/submitOrderRequest", 0);
    let body = rebody(&p.body, &[("secretList", secret_list)]);
    assert_shape(
        "afterNate/submitOrderRequest",
        &p.response,
        &c.post(&p.path, &body, Some(QUERY_REFERER)).json(),
    );
    for path in [
        "/otn/afterNate/passengerInitApi",
        "/otn/afterNate/querySuccessRate",
        "/otn/afterNate/getQueueNum",
    ] {
        let p = find(&ps, path, 0);
        assert_shape(path, &p.response, &c.post_json(&p.path, &p.body));
    }
    let pass: Vec<String> = [0usize, 1]
        .iter()
        .map(|i| {
            let p = &sim12306::passengers::PASSENGERS[*i];
            format!("1#{}#1#{}#{}#0;", p.name, p.id_no, p.all_enc_str())
        })
        .collect();
    let p = find(&ps, "/otn/afterNate/confirmHB", 0);
    let body = rebody(&p.body, &[("passengerInfo", enc(&pass.concat()))]);
    assert_shape("confirmHB", &p.response, &c.post_json(&p.path, &body));
    let p = find(&ps, "/otn/afterNate/queryQueue", 0);
    assert_shape("queryQueue", &p.response, &c.post_json(&p.path, &p.body));

    // Contacts.
    let p = find(&ps, "/otn/passengers/query", 0);
    assert_shape(
        "passengers/query",
        &p.response,
        &c.post_json(&p.path, &p.body),
    );

    // QR login in a fresh session.
    let mut q = Client::new(&sim);
    let p = find(&ps, "/passport/web/create-qr64", 0);
    let ours = q.post_json(&p.path, &p.body);
    assert_shape("create-qr64", &p.response, &ours);
    let uuid = ours["uuid"].as_str().expect("uuid").to_string();
    let p = find(&ps, "/passport/web/checkqr", 0);
    let body = rebody(&p.body, &[("uuid", uuid.clone())]);
    assert_shape("checkqr(0)", &p.response, &q.post_json(&p.path, &body));
    q.ctl_post("/scan", "");
    let p = find(&ps, "/passport/web/checkqr", 2);
    assert_shape("checkqr(2)", &p.response, &q.post_json(&p.path, &body));
}

#[test]
fn samples_rows_passengers_and_order_page() {
    let Some(dir) = samples() else {
        eprintln!("samples not found; skipping");
        return;
    };
    let sim = start();
    let mut c = logged_in(&sim);
    // Query answer envelope and row width.
    let real: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("leftTicket_queryG.2024-04.json")).expect("query"),
    )
    .expect("JSON");
    let date = date_in(2);
    let ours = c
        .get(
            &query_url("leftTicket/queryG", &date, "SHH", "CZH"),
            Some(QUERY_REFERER),
        )
        .json();
    assert_shape("queryG", &real, &ours);
    let real_width = real["data"]["result"][0]
        .as_str()
        .expect("row")
        .split('|')
        .count();
    let our_width = ours["data"]["result"][0]
        .as_str()
        .expect("row")
        .split('|')
        .count();
    assert_eq!(real_width, our_width);
    // getPassengerDTOs.
    let real: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("getPassengerDTOs.2024-04.json")).expect("dtos"),
    )
    .expect("JSON");
    let ours = c.post_json("/otn/confirmPassenger/getPassengerDTOs", "_json_att=");
    assert_shape("getPassengerDTOs", &real, &ours);
    // initDc: the page variables of the real page exist in ours, and the two objects have the same keys.
    let real_html = std::fs::read_to_string(dir.join("initDc.2024-04.html")).expect("initDc");
    let (_, page) = open_order_page(&mut c, &date, "SHH", "CZH", "G7784");
    for var in [
        "globalRepeatSubmitToken",
        "ticketInfoForPassengerForm",
        "orderRequestDTO",
        "init_limit_ticket_num",
        "init_seatTypes",
        "defaultTicketTypes",
        "init_cardTypes",
        "ticket_seat_codeMap",
        "dw_flag",
        "queryOrderWaitTimeInterval",
        "if_check_slide_passcode",
    ] {
        assert!(
            real_html.contains(&format!("var {var}")),
            "sample lacks {var}"
        );
        assert!(
            page.html.contains(&format!("var {var}")),
            "our page lacks {var}"
        );
    }
    let literal = |html: &str, var: &str| -> Value {
        let start = html.find(&format!("var {var}=")).expect("var") + var.len() + 5;
        let end = html[start..].find(";\n").expect("end") + start;
        serde_json::from_str(&html[start..end].replace('\'', "\""))
            .expect("literal parses as JSON after quote swap")
    };
    let (real_info, our_info) = (
        literal(&real_html, "ticketInfoForPassengerForm"),
        literal(&page.html, "ticketInfoForPassengerForm"),
    );
    let keys = |v: &Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(keys(&real_info), keys(&our_info));
    assert_eq!(
        keys(&real_info["orderRequestDTO"]),
        keys(&our_info["orderRequestDTO"])
    );
    let (real_dto, our_dto) = (
        literal(&real_html, "orderRequestDTO"),
        literal(&page.html, "orderRequestDTO"),
    );
    assert_shape("orderRequestDTO", &real_dto, &our_dto);
    for k in keys(&our_info["queryLeftTicketRequestDTO"]) {
        assert!(
            real_info["queryLeftTicketRequestDTO"].get(&k).is_some(),
            "queryLeftTicketRequestDTO.{k} is not in the real page"
        );
    }
}
