//! Test helpers: a tiny cookie-keeping HTTP client over the plain-HTTP port, control API calls, and
//! the booking flow steps as the official pages perform them.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde_json::Value;
use sim12306::{Config, SimHandle};

pub const QUERY_REFERER: &str = "https://kyfw.12306.cn/otn/leftTicket/init?linktypeid=dc";
pub const ORDER_REFERER: &str = "https://kyfw.12306.cn/otn/confirmPassenger/initDc";

pub fn start() -> SimHandle {
    sim12306::start(Config::default()).expect("sim starts")
}

/// Starts with a scenario (JSON text).
pub fn start_with(scenario: &str) -> SimHandle {
    let s = sim12306::Scenario::parse(scenario).expect("scenario parses");
    sim12306::start(Config {
        scenario: Some(s),
        ..Config::default()
    })
    .expect("sim starts")
}

/// One answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    /// The `Date` header.
    pub date: Option<String>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub struct Client {
    agent: ureq::Agent,
    pub base: String,
    pub control: String,
    pub cookies: BTreeMap<String, String>,
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .build()
        .into()
}

impl Client {
    pub fn new(sim: &SimHandle) -> Client {
        Client {
            agent: agent(),
            base: sim.http_base(),
            control: sim.control_base(),
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn finish(
        &mut self,
        r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Answer, ureq::Error> {
        let resp = r?;
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let date = resp
            .headers()
            .get("date")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let set_cookies: Vec<String> = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect();
        for sc in &set_cookies {
            if let Some((k, v)) = sc.split(';').next().and_then(|kv| kv.split_once('=')) {
                self.cookies
                    .insert(k.trim().to_string(), v.trim().to_string());
            }
        }
        let body = resp.into_body().read_to_string()?;
        Ok(Answer {
            status,
            body,
            location,
            set_cookies,
            date,
        })
    }

    /// The session's cookies and the page's Referer, as the browser adds them to every request.
    fn with_session<B>(
        &self,
        mut req: ureq::RequestBuilder<B>,
        referer: Option<&str>,
    ) -> ureq::RequestBuilder<B> {
        if !self.cookies.is_empty() {
            req = req.header("Cookie", &self.cookie_header());
        }
        if let Some(r) = referer {
            req = req.header("Referer", r);
        }
        req
    }

    pub fn try_get(&mut self, path: &str, referer: Option<&str>) -> Result<Answer, ureq::Error> {
        let req = self.agent.get(&format!("{}{}", self.base, path));
        let r = self.with_session(req, referer).call();
        self.finish(r)
    }

    pub fn get(&mut self, path: &str, referer: Option<&str>) -> Answer {
        self.try_get(path, referer).expect("GET works")
    }

    pub fn try_post(
        &mut self,
        path: &str,
        body: &str,
        referer: Option<&str>,
    ) -> Result<Answer, ureq::Error> {
        let req = self
            .agent
            .post(&format!("{}{}", self.base, path))
            .header(
                "Content-Type",
                "application/x-www-form-urlencoded; charset=UTF-8",
            )
            .header("X-Requested-With", "XMLHttpRequest");
        let r = self.with_session(req, referer).send(body);
        self.finish(r)
    }

    pub fn post(&mut self, path: &str, body: &str, referer: Option<&str>) -> Answer {
        self.try_post(path, body, referer).expect("POST works")
    }

    /// POST with extra headers (e.g. the `Sec-Fetch-*` a browser adds), no `X-Requested-With`.
    pub fn post_with(
        &mut self,
        path: &str,
        body: &str,
        referer: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut req = self
            .agent
            .post(&format!("{}{}", self.base, path))
            .header("Content-Type", "application/x-www-form-urlencoded");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = self.with_session(req, referer).send(body);
        self.finish(r).expect("POST works")
    }

    /// GET with extra headers.
    pub fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut req = self.agent.get(&format!("{}{}", self.base, path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = self.with_session(req, None).call();
        self.finish(r).expect("GET works")
    }

    /// GET without a Referer, answer parsed as JSON.
    pub fn get_json(&mut self, path: &str) -> Value {
        self.get(path, None).json()
    }

    /// POST without a Referer, answer parsed as JSON.
    pub fn post_json(&mut self, path: &str, body: &str) -> Value {
        self.post(path, body, None).json()
    }

    /// Control API GET.
    pub fn ctl_get(&self, path: &str) -> Value {
        let mut r = self
            .agent
            .get(&format!("{}{}", self.control, path))
            .call()
            .expect("control GET");
        serde_json::from_str(&r.body_mut().read_to_string().expect("body")).expect("control JSON")
    }

    /// Control API POST; returns (status, JSON).
    pub fn ctl_post(&self, path: &str, body: &str) -> (u16, Value) {
        let mut r = self
            .agent
            .post(&format!("{}{}", self.control, path))
            .send(body)
            .expect("control POST");
        let status = r.status().as_u16();
        (
            status,
            serde_json::from_str(&r.body_mut().read_to_string().expect("body"))
                .expect("control JSON"),
        )
    }

    /// login/checkUser, from the query page.
    pub fn check_user(&mut self) -> Answer {
        self.post("/otn/login/checkUser", "_json_att=", Some(QUERY_REFERER))
    }

    /// submitOrderRequest for a query row, from the query page.
    pub fn submit(&mut self, row: &[String], date: &str) -> Answer {
        let body = submit_body(row, date);
        self.post(
            "/otn/leftTicket/submitOrderRequest",
            &body,
            Some(QUERY_REFERER),
        )
    }

    /// checkOrderInfo from the order page.
    pub fn check_order_info(&mut self, page: &Page, pts: &str, old: &str) -> Answer {
        let body = check_body(page, pts, old);
        self.post(
            "/otn/confirmPassenger/checkOrderInfo",
            &body,
            Some(ORDER_REFERER),
        )
    }

    /// getQueueCount from the order page.
    pub fn queue_count(
        &mut self,
        page: &Page,
        train: &str,
        seat: &str,
        from: &str,
        to: &str,
    ) -> Answer {
        let body = queue_count_body(page, train, seat, from, to);
        self.post(
            "/otn/confirmPassenger/getQueueCount",
            &body,
            Some(ORDER_REFERER),
        )
    }

    /// confirmSingleForQueue from the order page.
    pub fn confirm(&mut self, page: &Page, pts: &str, old: &str) -> Answer {
        let body = confirm_body(page, pts, old);
        self.post(
            "/otn/confirmPassenger/confirmSingleForQueue",
            &body,
            Some(ORDER_REFERER),
        )
    }

    /// queryMyOrderNoComplete (the unpaid-order list).
    pub fn no_complete(&mut self) -> Answer {
        self.post("/otn/queryOrder/queryMyOrderNoComplete", "_json_att=", None)
    }

    /// Logs in through the control API's ready-made session.
    pub fn login(&mut self) {
        let (_, v) = self.ctl_post("/session", r#"{"account":"demo"}"#);
        let cookies = v["cookies"].as_str().expect("cookies");
        for kv in cookies.split("; ") {
            if let Some((k, v)) = kv.split_once('=') {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
    }
}

/// A client of `sim` already logged in as the demo account.
pub fn logged_in(sim: &SimHandle) -> Client {
    let mut c = Client::new(sim);
    c.login();
    c
}

/// Travel date `days` from today, China time.
pub fn date_in(days: i64) -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64;
    sim12306::clock::Date::of_ms(ms).add_days(days).iso()
}

pub fn query_url(path: &str, date: &str, from: &str, to: &str) -> String {
    format!(
        "/otn/{path}?leftTicketDTO.train_date={date}&leftTicketDTO.from_station={from}&leftTicketDTO.to_station={to}&purpose_codes=ADULT"
    )
}

/// Queries and returns the row fields of `train`.
pub fn find_row(c: &mut Client, date: &str, from: &str, to: &str, train: &str) -> Vec<String> {
    let a = c.get(
        &query_url("leftTicket/queryG", date, from, to),
        Some(QUERY_REFERER),
    );
    let v = a.json();
    let rows = v["data"]["result"].as_array().expect("rows");
    rows.iter()
        .filter_map(|r| r.as_str())
        .map(|r| r.split('|').map(str::to_string).collect::<Vec<_>>())
        .find(|f| f.get(3).map(String::as_str) == Some(train))
        .unwrap_or_else(|| panic!("train {train} not in the answer: {}", a.body))
}

/// The submitOrderRequest body as the official page builds it (row[0] concatenated as received).
pub fn submit_body(row: &[String], date: &str) -> String {
    format!(
        "secretStr={}&train_date={date}&back_train_date={date}&tour_flag=dc&purpose_codes=ADULT&query_from_station_name={}&query_to_station_name={}&bed_level_info={}&seat_discount_info={}&undefined",
        row[0],
        enc("上海"),
        enc("北京"),
        row[53],
        row[54]
    )
}

pub fn enc(s: &str) -> String {
    sim12306::form::encode(s)
}

/// Values read from the initDc page.
#[derive(Debug, Clone)]
pub struct Page {
    pub token: String,
    pub key_check: String,
    pub left_ticket: String,
    pub train_location: String,
    pub train_no: String,
    pub train_date_ms: i64,
    pub html: String,
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

pub fn parse_page(html: &str) -> Page {
    let token = between(html, "var globalRepeatSubmitToken = '", "'")
        .expect("token")
        .to_string();
    let info = between(html, "var ticketInfoForPassengerForm=", ";\n")
        .expect("ticketInfoForPassengerForm");
    let key_check = between(info, "'key_check_isChange':'", "'")
        .expect("key_check")
        .to_string();
    let left_ticket = between(info, "'leftTicketStr':'", "'")
        .expect("leftTicketStr")
        .to_string();
    let train_location = between(info, "'train_location':'", "'")
        .expect("train_location")
        .to_string();
    let dto = between(html, "var orderRequestDTO=", ";\n").expect("orderRequestDTO");
    let train_no = between(dto, "'train_no':'", "'")
        .expect("train_no")
        .to_string();
    let td = between(dto, "'train_date':{", "}").expect("train_date");
    let train_date_ms = between(td, "'time':", ",")
        .expect("time")
        .parse()
        .expect("ms");
    Page {
        token,
        key_check,
        left_ticket,
        train_location,
        train_no,
        train_date_ms,
        html: html.to_string(),
    }
}

/// passengerTicketStr and oldPassengerStr for demo passengers (by index) and seat codes.
pub fn passenger_strs(picks: &[(usize, &str, &str)]) -> (String, String) {
    let mut pts = Vec::new();
    let mut old = String::new();
    for (i, seat, tt) in picks {
        let p = &sim12306::passengers::PASSENGERS[*i];
        pts.push(format!(
            "{seat},0,{tt},{},1,{},{},N,{}",
            p.name,
            p.id_no,
            p.mobile,
            p.all_enc_str()
        ));
        old.push_str(&format!("{},1,{},{}_", p.name, p.id_no, p.passenger_type));
    }
    (pts.join("_"), old)
}

/// Logs in, queries, submits and opens the order page for `train`.
pub fn open_order_page(
    c: &mut Client,
    date: &str,
    from: &str,
    to: &str,
    train: &str,
) -> (Vec<String>, Page) {
    let row = find_row(c, date, from, to, train);
    let a = c.check_user();
    assert_eq!(a.json()["data"]["flag"], true, "{}", a.body);
    let a = c.submit(&row, date);
    assert_eq!(a.json()["status"], true, "{}", a.body);
    let a = c.post(
        "/otn/confirmPassenger/initDc",
        "_json_att=",
        Some(QUERY_REFERER),
    );
    assert_eq!(a.status, 200);
    let page = parse_page(&a.body);
    (row, page)
}

pub fn js_date(ms: i64) -> String {
    sim12306::clock::Date::of_ms(ms).js_string()
}

/// checkOrderInfo body.
pub fn check_body(page: &Page, pts: &str, old: &str) -> String {
    format!(
        "cancel_flag=2&bed_level_order_num=000000000000000000000000000000&passengerTicketStr={}&oldPassengerStr={}&tour_flag=dc&whatsSelect=1&sessionId=&sig=&scene=nc_login&_json_att=&REPEAT_SUBMIT_TOKEN={}",
        enc(pts),
        enc(old),
        page.token
    )
}

pub fn queue_count_body(page: &Page, train: &str, seat: &str, from: &str, to: &str) -> String {
    format!(
        "train_date={}&train_no={}&stationTrainCode={train}&seatType={seat}&fromStationTelecode={from}&toStationTelecode={to}&leftTicket={}&purpose_codes=00&train_location={}&_json_att=&REPEAT_SUBMIT_TOKEN={}",
        enc(&js_date(page.train_date_ms)),
        page.train_no,
        enc(&page.left_ticket),
        page.train_location,
        page.token
    )
}

pub fn confirm_body(page: &Page, pts: &str, old: &str) -> String {
    confirm_body_with(page, pts, old, "")
}

/// The confirm body with `encryptedData` (what the page's `json_ua.toString()` gave, or empty).
pub fn confirm_body_with(page: &Page, pts: &str, old: &str, encrypted_data: &str) -> String {
    format!(
        "passengerTicketStr={}&oldPassengerStr={}&purpose_codes=00&key_check_isChange={}&leftTicketStr={}&train_location={}&choose_seats=&seatDetailType=000&is_jy=N&is_cj=Y&encryptedData={}&whatsSelect=1&roomType=00&dwAll=N&_json_att=&REPEAT_SUBMIT_TOKEN={}",
        enc(pts),
        enc(old),
        page.key_check,
        enc(&page.left_ticket),
        page.train_location,
        enc(encrypted_data),
        page.token
    )
}

pub fn wait_time_path(page: &Page) -> String {
    format!("/otn/confirmPassenger/queryOrderWaitTime?random=1&tourFlag=dc&_json_att=&REPEAT_SUBMIT_TOKEN={}", page.token)
}

/// Polls queryOrderWaitTime until a final answer (-1/-2/-3/-4); returns every data object seen.
pub fn poll_queue(c: &mut Client, page: &Page) -> Vec<Value> {
    let mut seen = Vec::new();
    for _ in 0..200 {
        let v = c.get(&wait_time_path(page), Some(ORDER_REFERER)).json();
        let d = v["data"].clone();
        let wt = d["waitTime"].as_i64().expect("waitTime");
        seen.push(d);
        if wt != -100 && wt <= 0 {
            return seen;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("queue never finished: {seen:?}");
}
