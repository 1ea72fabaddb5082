//! Dispatch of requests to the 12306 hosts: time effects, rate limiting, faults, the session cookie,
//! then the endpoint handler.

mod afternate;
mod auto;
mod login;
mod order;
mod order_page;
mod pages;
pub mod passport;
mod query;
mod queue;

use std::cell::Cell;

use crate::http::{Req, Resp, Site};
use crate::json::{self, J};
use crate::pages as tpl;
use crate::scenario::RateLimitAnswer;
use crate::state::World;

/// 12306's busy message.
pub const BUSY: &str = "系统繁忙，请稍后重试！";
/// The whole body of a rate-limited query in 2026 (PROTOCOL §6/§7).
pub const RATE_LIMIT_TEXT: &str = "网络可能存在问题，请您重试一下！";
/// confirmSingleForQueue's refusal of a missing or wrong `encryptedData` (scenario
/// `confirm_needs_encrypted_data`). No capture shows 12306 refusing it: the text is ours, chosen to differ from
/// every known answer so that a client can tell it apart from a busy or stale one.
pub const ENCRYPTED_DATA_REFUSED: &str = "系统检测到您的浏览器环境异常，请刷新页面后重试！";
/// Where a blocked or busy request is redirected (on www.12306.cn).
pub const ERROR_PAGE: &str = "/mormhweb/logFiles/error.html";
/// Where a request without a session is redirected.
pub const PASSPORT_REDIRECT: &str = "/otn/passport?redirect=/otn/login/userLogin";
/// Sessions kept before anonymous ones are forgotten.
pub const MAX_SESSIONS: usize = 20_000;

/// Per-request context for handlers.
pub struct Ctx<'a> {
    pub req: &'a Req,
    pub now: i64,
    /// JSESSIONID of the request (created when missing).
    pub sid: String,
    /// Whether the handler used the session's login (asked for the account and got it): such a request
    /// restarts the session's idle time (`otn_idle_ms`), a query or `login/conf` does not.
    pub login_used: Cell<bool>,
}

impl Ctx<'_> {
    /// Absolute URL on a real 12306 host when the client used one, else a path on this server.
    pub fn url(&self, site: Site, path: &str) -> String {
        if self.req.named_host {
            let host = if site == Site::Www {
                "www.12306.cn"
            } else {
                "kyfw.12306.cn"
            };
            format!("https://{host}{path}")
        } else {
            path.to_string()
        }
    }

    /// A 302 to the error page.
    pub fn to_error_page(&self) -> Resp {
        Resp::redirect(&self.url(Site::Www, ERROR_PAGE))
    }

    /// A 302 to the passport (login) redirect.
    pub fn to_passport(&self) -> Resp {
        Resp::redirect(&self.url(Site::Kyfw, PASSPORT_REDIRECT))
    }

    /// The logged-in account of the request's session; asking for it counts as using the login.
    pub fn account(&self, w: &World) -> Option<String> {
        let account = w.account(&self.sid);
        if account.is_some() {
            self.login_used.set(true);
        }
        account
    }

    /// The logged-in account, or the 302 to the passport page the real server sends.
    pub fn require_login(&self, w: &World) -> Result<String, Resp> {
        self.account(w).ok_or_else(|| self.to_passport())
    }

    /// The Referer check of the order endpoints: a missing or foreign Referer ⇒ 302 to error.html.
    pub fn require_referer(&self, needle: &str) -> Result<(), Resp> {
        match self.req.referer_path() {
            Some(p) if p.starts_with(needle) => Ok(()),
            _ => Err(self.to_error_page()),
        }
    }
}

/// The step name used by faults and per-step latency: last path segment, `query` for ticket queries.
pub fn step_name(path: &str) -> String {
    if path.starts_with("/otn/leftTicket/query") {
        return "query".into();
    }
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string()
}

/// Steps whose refusals are `data.submitStatus:false` rather than `status:false`.
fn submit_status_step(step: &str) -> bool {
    matches!(
        step,
        "checkOrderInfo"
            | "confirmSingleForQueue"
            | "confirmSingleForQueueAsys"
            | "autoSubmitOrderRequest"
            | "resultOrderForDcQueue"
    )
}

/// The failure answer of a `busy` or `processed_busy` fault: the step's own shape (the 系统忙 page for the
/// order page), unless the fault names one (`submitStatus` or `messages`).
fn busy_answer(step: &str, message: &str, shape: Option<&str>) -> Resp {
    match shape {
        Some("submitStatus") => return Resp::json(&json::submit_fail(message)),
        Some("messages") => return Resp::json(&json::fail(message)),
        _ => {}
    }
    if step == "initDc" || step.ends_with(".html") || step == "init" {
        return Resp::html(tpl::busy_page());
    }
    if submit_status_step(step) {
        return Resp::json(&json::submit_fail(message));
    }
    Resp::json(&json::fail(message))
}

/// Handles one request to the 12306 hosts.
pub fn handle(w: &mut World, req: &Req, now: i64) -> Resp {
    w.tick(now);
    let step = step_name(&req.path);
    let mut ctx = Ctx {
        req,
        now,
        sid: String::new(),
        login_used: Cell::new(false),
    };
    let mut set_cookies: Vec<(String, String, String)> = Vec::new();
    if req.site == Site::Kyfw && req.path.starts_with("/otn") {
        match req
            .cookie("JSESSIONID")
            .filter(|id| w.sessions.contains_key(*id))
        {
            Some(id) => ctx.sid = id.to_string(),
            None => {
                // Cookie-less clients create a session per request; forget anonymous ones past a bound.
                if w.sessions.len() >= MAX_SESSIONS {
                    w.sessions.retain(|_, s| s.account.is_some() || s.lapsed);
                }
                let id = w.fresh_hex(32).to_uppercase();
                w.session_mut(&id);
                set_cookies.push(("JSESSIONID".into(), id.clone(), "/otn".into()));
                if req.cookie("route").is_none() {
                    set_cookies.push(("route".into(), w.fresh_hex(32), "/".into()));
                }
                if req.cookie("BIGipServerotn").is_none() {
                    set_cookies.push((
                        "BIGipServerotn".into(),
                        "1072693770.64545.0000".into(),
                        "/".into(),
                    ));
                }
                ctx.sid = id;
            }
        }
        // Idleness is judged when the session is next used, before the request sees it.
        w.lapse_if_idle(&ctx.sid, now);
    }
    if req.site == Site::Kyfw
        && req.path.starts_with("/passport")
        && req.cookie("BIGipServerpassport").is_none()
    {
        set_cookies.push((
            "BIGipServerpassport".into(),
            "887619850.50215.0000".into(),
            "/".into(),
        ));
    }

    let mut resp = if req.site == Site::Kyfw
        && req.path.starts_with("/otn/")
        && w.rate_limited(now, step == "query")
    {
        match w.rate_limit_answer() {
            RateLimitAnswer::ErrorPage => ctx.to_error_page(),
            // The text's content type is not known from any source: plain text is our choice.
            RateLimitAnswer::Text => Resp::text(200, RATE_LIMIT_TEXT),
        }
    } else {
        match w.take_fault(&step, now) {
            Some(f) => match f.kind.as_str() {
                "busy" => busy_answer(
                    &step,
                    f.message.as_deref().unwrap_or(BUSY),
                    f.shape.as_deref(),
                ),
                // 12306 acted on the request (a confirm queues its order) and still answered with a failure.
                "processed_busy" => {
                    let _processed = route(w, &ctx);
                    busy_answer(
                        &step,
                        f.message.as_deref().unwrap_or(BUSY),
                        f.shape.as_deref(),
                    )
                }
                "html" => Resp::html(tpl::busy_page()),
                "error_page" => ctx.to_error_page(),
                "login" => ctx.to_passport(),
                "status" => Resp::text(f.status.unwrap_or(502), ""),
                "empty" => Resp::new(200, "application/json;charset=UTF-8", Vec::new()),
                "reset" => Resp {
                    drop_conn: true,
                    ..Resp::default()
                },
                "drop" => {
                    let mut r = route(w, &ctx);
                    r.drop_conn = true;
                    r
                }
                _ => {
                    let mut r = route(w, &ctx);
                    r.delay_ms += f.latency_ms.unwrap_or(0);
                    r
                }
            },
            None => route(w, &ctx),
        }
    };
    if ctx.login_used.get() {
        w.touch_otn(&ctx.sid, now);
    }
    for (k, v, p) in set_cookies {
        resp.set_cookie(&k, &v, &p);
    }
    resp.delay_ms += w.scenario.latency_ms.unwrap_or(0)
        + w.scenario.step_latency_ms.get(&step).copied().unwrap_or(0);
    resp
}

fn route(w: &mut World, c: &Ctx) -> Resp {
    let path = c.req.path.as_str();
    if c.req.site == Site::Www {
        return match path {
            "/index/otn/login/conf" => login::conf(w, c),
            ERROR_PAGE => Resp::html(tpl::ERROR),
            "/" | "/index" | "/index/" | "/index/index.html" => Resp::html(tpl::WWW_INDEX),
            _ => Resp::not_found(),
        };
    }
    match path {
        ERROR_PAGE => Resp::html(tpl::ERROR),
        "/otn/login/conf" => login::conf(w, c),
        "/otn/login/checkUser" => login::check_user(w, c),
        "/otn/login/userLogin" => login::user_login(w, c),
        "/otn/login/loginOut" => login::login_out(w, c),
        "/otn/passport" => Resp::html(tpl::PASSPORT_REDIRECT),
        "/otn/uamauthclient" => login::uamauthclient(w, c),
        "/otn/index/initMy12306Api" => login::init_my_12306(w, c),
        "/otn/modifyUser/initQueryUserInfoApi" => login::query_user_info(w, c),
        "/otn/index12306/getLoginBanner" => login::login_banner(),
        "/otn/resources/login.html" | "/otn/login/init" => Resp::html(tpl::LOGIN),
        "/otn/view/index.html" | "/otn/index/initMy12306" => Resp::html(tpl::VIEW_INDEX),
        "/otn/resources/sim/sim.css" => Resp::new(200, "text/css;charset=utf-8", tpl::SIM_CSS),
        "/otn/resources/sim/sim.js" => {
            Resp::new(200, "application/javascript;charset=utf-8", tpl::SIM_JS)
        }
        crate::risk::UA_RDS_PATH => crate::risk::ua_rds(w, c),
        "/otn/resources/js/framework/station_name.js" => Resp::new(
            200,
            "application/javascript;charset=utf-8",
            crate::stations::station_name_js(),
        ),
        "/otn/leftTicket/init" => pages::left_ticket_init(w, c),
        "/otn/leftTicket/log" => Resp::json(&json::envelope(true, None, &[])),
        "/otn/leftTicket/submitOrderRequest" => order::submit_order_request(w, c),
        "/otn/confirmPassenger/initDc" => order::init_dc(w, c),
        "/otn/confirmPassenger/getPassengerDTOs" => order::get_passenger_dtos(w, c),
        "/otn/passengers/query" => order::passengers_query(w, c),
        "/otn/confirmPassenger/checkOrderInfo" => order::check_order_info(w, c),
        "/otn/confirmPassenger/getQueueCount" => order::get_queue_count(w, c),
        "/otn/confirmPassenger/confirmSingleForQueue" => order::confirm_single_for_queue(w, c),
        "/otn/confirmPassenger/queryOrderWaitTime" => queue::query_order_wait_time(w, c),
        "/otn/confirmPassenger/resultOrderForDcQueue" => queue::result_order(w, c),
        "/otn/confirmPassenger/autoSubmitOrderRequest" => auto::auto_submit(w, c),
        "/otn/confirmPassenger/getQueueCountAsync" => auto::queue_count_async(w, c),
        "/otn/confirmPassenger/confirmSingleForQueueAsys" => auto::confirm_async(w, c),
        "/otn/basedata/log" => Resp::json(&json::ok(J::Bool(true))),
        "/otn/payOrder/init" => queue::pay_order_init(w, c),
        "/otn/queryOrder/initNoComplete" => Resp::html(tpl::INIT_NO_COMPLETE),
        // The 2026 order list (PROTOCOL.md §5.11), where 12306's own links send the user to pay: the sim shows
        // its unfinished orders there (the real page is a script bundle with tabs; README: assumed).
        "/otn/view/train_order.html" => Resp::html(tpl::INIT_NO_COMPLETE),
        "/otn/queryOrder/queryMyOrderNoComplete" => queue::query_no_complete(w, c),
        "/otn/queryOrder/cancelNoCompleteMyOrder" => queue::cancel_no_complete(w, c),
        "/otn/queryOrder/cancelQueueNoCompleteMyOrder" => queue::cancel_queue(w, c),
        "/otn/afterNate/chechFace" => afternate::chech_face(w, c),
        "/otn/afterNate/submitOrderRequest" => afternate::submit(w, c),
        "/otn/afterNate/passengerInitApi" => afternate::passenger_init(w, c),
        "/otn/afterNate/querySuccessRate" => afternate::success_rate(w, c),
        "/otn/afterNate/getQueueNum" => afternate::queue_num(w, c),
        "/otn/afterNate/confirmHB" => afternate::confirm_hb(w, c),
        "/otn/afterNate/queryQueue" => afternate::query_queue(w, c),
        "/otn/afterNateOrder/queryUnHonourHOrder" => afternate::query_unhonour(w, c),
        "/otn/afterNateOrder/queryProcessedHOrder" => afternate::query_processed(w, c),
        "/otn/afterNateOrder/cancelWaitingHOrder" => afternate::cancel_waiting(w, c),
        "/passport/web/create-qr64" => passport::create_qr(w, c),
        "/passport/web/checkqr" => passport::check_qr(w, c),
        "/passport/web/auth/uamtk-static" => passport::uamtk_static(w, c),
        "/passport/web/auth/uamtk" => passport::uamtk(w, c),
        "/passport/web/checkLoginVerify" => passport::check_login_verify(c),
        "/passport/web/getMessageCode" => passport::message_code(c),
        "/passport/web/login" => passport::login(w, c),
        "/passport/captcha/captcha-image64" => passport::captcha_image(),
        "/passport/captcha/captcha-check" => passport::captcha_check(),
        p if p.starts_with("/otn/leftTicket/query") => query::query(w, c),
        _ => Resp::not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_names() {
        assert_eq!(step_name("/otn/leftTicket/queryZ"), "query");
        assert_eq!(step_name("/otn/confirmPassenger/initDc"), "initDc");
        assert_eq!(step_name("/otn/login/conf"), "conf");
    }
}
