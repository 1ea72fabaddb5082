//! The ticket query: rows, the moved-path answer, the pre-sale window, sale times, releases.

mod common;

use common::*;

/// The cells of a row at `idx`, to compare several seat classes in one assertion.
fn cells<const N: usize>(row: &[String], idx: [usize; N]) -> [&str; N] {
    idx.map(|i| row.get(i).map_or("<missing>", String::as_str))
}

#[test]
fn rows_have_the_captured_shape() {
    let sim = start();
    let mut c = Client::new(&sim);
    let date = date_in(2);
    let a = c.get(
        &query_url("leftTicket/queryG", &date, "AOH", "VNP"),
        Some(QUERY_REFERER),
    );
    let v = a.json();
    assert!(
        a.body
            .starts_with(r#"{"httpstatus":200,"data":{"result":["#),
        "{}",
        &a.body[..80]
    );
    assert_eq!(v["status"], true);
    assert_eq!(v["messages"], "");
    assert_eq!(v["data"]["flag"], "1");
    assert_eq!(v["data"]["map"]["AOH"], "上海虹桥");
    let rows = v["data"]["result"].as_array().expect("rows");
    assert!(rows.len() >= 15, "{}", rows.len());
    for r in rows {
        let f: Vec<&str> = r.as_str().expect("row").split('|').collect();
        assert_eq!(f.len(), 57);
        assert!(f[0].contains("%2F") || f[0].contains("%2B") || f[0].contains("%0A"));
        assert_eq!(f[6], "AOH");
        assert_eq!(f[7], "VNP");
        assert_eq!(f[13], date.replace('-', ""));
        assert_eq!(f[39].len() % 10, 0);
        assert_eq!(f[55].len(), 12);
    }
    let g2 = find_row(&mut c, &date, "AOH", "VNP", "G2");
    assert_eq!(cells(&g2, [30, 31, 32, 26]), ["有", "有", "有", ""]);
    let g4 = find_row(&mut c, &date, "AOH", "VNP", "G4");
    assert_eq!(cells(&g4, [30, 31, 32, 26]), ["无", "5", "无", "有"]);
    assert_eq!(g4[37], "1");
    // Other routes.
    let t109 = find_row(&mut c, &date, "BJP", "SHH", "T109");
    assert_eq!(cells(&t109, [23, 28, 29, 26]), ["有", "有", "有", "有"]);
    let g1 = find_row(&mut c, &date, "VNP", "AOH", "G1");
    assert_eq!(g1[11], "Y");
    let g7784 = find_row(&mut c, &date, "SHH", "CZH", "G7784");
    assert_eq!(g7784[2], "55000G778410");
    assert_eq!(g7784[15], "H1");
    // City-wide: 上海 → 北京 finds the 上海虹桥 → 北京南 trains.
    find_row(&mut c, &date, "SHH", "BJP", "G2");
    // Inventory counts set exactly.
    c.ctl_post(
        "/inventory",
        &format!(r#"{{"date":"{date}","train":"G2","seat":"O","count":7}}"#),
    );
    assert_eq!(find_row(&mut c, &date, "AOH", "VNP", "G2")[30], "7");
    c.ctl_post(
        "/inventory",
        &format!(r#"{{"date":"{date}","train":"G2","seat":"O","count":0}}"#),
    );
    assert_eq!(find_row(&mut c, &date, "AOH", "VNP", "G2")[30], "无");
    let (s, _) = c.ctl_post(
        "/inventory",
        &format!(r#"{{"date":"{date}","train":"G2","seat":"W","count":3}}"#),
    );
    assert_eq!(s, 400, "G2 sells no standing tickets");
}

#[test]
fn moved_path_and_window() {
    let sim = start_with(
        r#"{"query_path":"queryZ","query_path_changes":[{"after_ms":300,"path":"queryA"}]}"#,
    );
    let mut c = Client::new(&sim);
    let date = date_in(1);
    let v = c.get_json(&query_url("leftTicket/queryG", &date, "AOH", "VNP"));
    assert_eq!(
        v,
        serde_json::json!({"status":false,"c_url":"leftTicket/queryZ","c_name":"CLeftTicketUrl"})
    );
    let v = c.get_json(&query_url("leftTicket/queryZ", &date, "AOH", "VNP"));
    assert_eq!(v["status"], true);
    let a = c.get("/otn/leftTicket/init?linktypeid=dc", None);
    assert!(a.body.contains("var CLeftTicketUrl = 'leftTicket/queryZ';"));
    let v = c.post_json("/otn/login/conf", "");
    assert_eq!(v["data"]["queryUrl"], "leftTicket/queryZ");
    std::thread::sleep(std::time::Duration::from_millis(350));
    let v = c.get_json(&query_url("leftTicket/queryZ", &date, "AOH", "VNP"));
    assert_eq!(v["c_url"], "leftTicket/queryA");
    // Outside the 15-day window.
    let v = c.get_json(&query_url("leftTicket/queryA", &date_in(15), "AOH", "VNP"));
    assert_eq!(v["status"], false);
    assert!(v["messages"][0]
        .as_str()
        .unwrap_or("")
        .contains("不在预售日期范围内"));
    let v = c.get_json(&query_url("leftTicket/queryA", &date_in(-1), "AOH", "VNP"));
    assert_eq!(v["status"], false);
    let v = c.get_json(&query_url("leftTicket/queryA", &date_in(14), "AOH", "VNP"));
    assert_eq!(v["status"], true);
    let a = c.get("/otn/leftTicket/log?leftTicketDTO.train_date=x", None);
    assert_eq!(a.json()["status"], true);
}

#[test]
fn fifty_eight_and_extra_fields() {
    let sim = start_with(r#"{"row_fields":58}"#);
    let mut c = Client::new(&sim);
    let row = find_row(&mut c, &date_in(2), "AOH", "VNP", "G2");
    assert_eq!(row.len(), 58);
    assert_eq!(row[56], "Y");
    c.ctl_post("/scenario", r#"{"row_fields":63}"#);
    let row = find_row(&mut c, &date_in(2), "AOH", "VNP", "G2");
    assert_eq!(row.len(), 63);
}

#[test]
fn newest_date_opens_at_the_sale_time() {
    let sim = start();
    let mut c = Client::new(&sim);
    // Put the sim clock at 10:00 China time today: the newest date (today + 14) is not on sale yet
    // for G2 (sale time 13:30).
    let today = sim12306::clock::Date::parse(&date_in(0)).expect("today");
    let ten = today.midnight_ms() + 10 * 3_600_000;
    c.ctl_post("/clock", &format!(r#"{{"now_ms":{ten}}}"#));
    let newest = today.add_days(14).iso();
    let g2 = find_row(&mut c, &newest, "AOH", "VNP", "G2");
    assert_eq!(g2[11], "IS_TIME_NOT_BUY");
    assert_eq!(g2[1], "13点30分起售");
    assert_eq!(g2[30], "*");
    assert_eq!(g2[0], "");
    assert_eq!(g2[55], format!("{}1330", today.compact()));
    c.ctl_post(
        "/clock",
        &format!(r#"{{"now_ms":{}}}"#, ten + 4 * 3_600_000),
    );
    let g2 = find_row(&mut c, &newest, "AOH", "VNP", "G2");
    assert_eq!(g2[11], "Y");
    assert_eq!(g2[1], "预订");
    // Departed trains of today are not listed (clock at 10:00: G2 09:00 gone, G4 10:00 gone, G6 11:00 listed).
    c.ctl_post("/clock", &format!(r#"{{"now_ms":{}}}"#, ten + 1));
    let v = c.get_json(&query_url("leftTicket/queryG", &today.iso(), "AOH", "VNP"));
    let codes: Vec<String> = v["data"]["result"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            r.as_str()
                .unwrap_or("")
                .split('|')
                .nth(3)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert!(
        !codes.contains(&"G2".to_string()) && codes.contains(&"G6".to_string()),
        "{codes:?}"
    );
}

#[test]
fn releases_appear_later() {
    let sim = start();
    let mut c = Client::new(&sim);
    let date = date_in(3);
    c.ctl_post(
        "/inventory",
        &format!(r#"{{"date":"{date}","train":"G10","seat":"O","count":0}}"#),
    );
    let (s, _) = c.ctl_post(
        "/release",
        &format!(r#"{{"date":"{date}","train":"G10","seat":"O","count":4,"after_ms":200}}"#),
    );
    assert_eq!(s, 200);
    assert_eq!(find_row(&mut c, &date, "AOH", "VNP", "G10")[30], "无");
    std::thread::sleep(std::time::Duration::from_millis(250));
    assert_eq!(find_row(&mut c, &date, "AOH", "VNP", "G10")[30], "4");
}

#[test]
fn deterministic_under_seed() {
    let a = sim12306::start(sim12306::Config {
        seed: 7,
        ..Default::default()
    })
    .expect("sim");
    let b = sim12306::start(sim12306::Config {
        seed: 7,
        ..Default::default()
    })
    .expect("sim");
    let date = date_in(4);
    let rows = |s: &sim12306::SimHandle| -> Vec<String> {
        let mut c = Client::new(s);
        let v = c.get_json(&query_url("leftTicket/queryG", &date, "AOH", "VNP"));
        v["data"]["result"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| {
                r.as_str()
                    .unwrap_or("")
                    .split('|')
                    .skip(2)
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect()
    };
    assert_eq!(rows(&a), rows(&b));
}

#[test]
fn premium_first_class_in_field_20() {
    let sim = start();
    let mut c = Client::new(&sim);
    let date = date_in(3);
    // PROTOCOL §3.5/§4.1: 优选一等座 (D) is counted in gg_num (20), 一等座 in zy_num (31); G3 sells both, with
    // the 9 left that TRIP's raw G3 sample of 2026-09-18 showed.
    let g3 = find_row(&mut c, &date, "VNP", "AOH", "G3");
    assert_eq!(g3.len(), 57);
    assert_eq!(g3[56], "Y", "2026 rows: 57 fields, field 56 Y");
    assert_eq!(g3[20], "9");
    assert_eq!(g3[35], "9DMOO");
    assert!(g3[34].contains("D0"), "{}", g3[34]);
    assert!(g3[39].contains("D112000009"), "{}", g3[39]);
    assert_ne!(g3[31], "", "一等座 keeps its own column");
    c.ctl_post(
        "/inventory",
        &format!(r#"{{"date":"{date}","train":"G3","seat":"D","count":0}}"#),
    );
    let g3 = find_row(&mut c, &date, "VNP", "AOH", "G3");
    assert_eq!(g3[20], "无");
    // Trains without it leave field 20 empty.
    let g1 = find_row(&mut c, &date, "VNP", "AOH", "G1");
    assert_eq!(g1[20], "");
}

#[test]
fn a_stale_name_redirected() {
    let sim = start_with(r#"{"query_path":"queryI","query_redirect":true}"#);
    let mut c = Client::new(&sim);
    let date = date_in(1);
    let stale = query_url("leftTicket/queryG", &date, "AOH", "VNP");
    // PROTOCOL §3.1 (RAILFAN, SKILL26 2026-09): a 302 to the current name with the same query string, with a
    // relative Location.
    let a = c.get(&stale, Some(QUERY_REFERER));
    assert_eq!(a.status, 302);
    let current = query_url("leftTicket/queryI", &date, "AOH", "VNP");
    assert_eq!(a.location.as_deref(), Some(current.as_str()));
    let v = c.get_json(&current);
    assert_eq!(v["status"], true);
    assert!(!v["data"]["result"].as_array().expect("rows").is_empty());
    // Without the key the same query is answered by the c_url JSON.
    c.ctl_post("/scenario", r#"{"query_path":"queryI"}"#);
    let v = c.get_json(&stale);
    assert_eq!(v["c_url"], "leftTicket/queryI");
}

#[test]
fn rate_limit_answered_by_the_2026_text() {
    let sim = start_with(
        r#"{"rate_limit":{"max_queries":2,"window_ms":10000,"block_ms":300,"answer":"text"}}"#,
    );
    let mut c = Client::new(&sim);
    let url = query_url("leftTicket/queryG", &date_in(2), "AOH", "VNP");
    for _ in 0..2 {
        assert_eq!(c.get(&url, None).status, 200);
    }
    // PROTOCOL §6/§7 (RAILFAN 2026-09): the whole body is the text, not JSON.
    let a = c.get(&url, None);
    assert_eq!(
        (a.status, a.body.as_str()),
        (200, "网络可能存在问题，请您重试一下！")
    );
    assert!(serde_json::from_str::<serde_json::Value>(&a.body).is_err());
    assert_eq!(
        c.post_json("/otn/login/conf", "")["status"],
        true,
        "only the queries are throttled"
    );
    std::thread::sleep(std::time::Duration::from_millis(350));
    assert_eq!(c.get(&url, None).json()["status"], true);
}
