//! `/otn` login/session endpoints: login/conf, checkUser, userLogin, uamauthclient, loginOut, my12306, the
//! account's personal data.

use super::Ctx;
use crate::clock::now_str;
use crate::http::{Resp, Site};
use crate::json::{self, J};
use crate::passengers::{ACCOUNT, PASSENGERS, REAL_NAME};
use crate::state::{World, PRESALE_DAYS};

/// `POST /otn/login/conf`: key order as captured (it differs between logged-in and logged-out answers).
pub fn conf(w: &mut World, c: &Ctx) -> Resp {
    let now = c.now;
    let query_url = w.query_path(now);
    let student = J::strs(&[
        "2020-04-01",
        "2020-11-30",
        "2020-12-01",
        "2020-12-31",
        "2021-01-01",
        "2025-09-30",
    ]);
    // login/conf answers without a login and, like the queries, does not keep the booking session alive
    // (our assumption), so it reads the account without using it.
    let data = match w.account(&c.sid) {
        Some(_) => J::obj(vec![
            ("is_open_updateHBTime", J::s("Y")),
            ("isstudentDate", J::Bool(false)),
            ("is_message_passCode", J::s("N")),
            ("born_date", J::s("1990-06-01")),
            ("is_phone_check", J::s("N")),
            ("ei_email", J::s("de******mo@x.test")),
            ("studentDate", student),
            ("is_uam_login", J::s("Y")),
            ("is_login_passCode", J::s("Y")),
            ("user_name", J::s(ACCOUNT)),
            ("is_sweep_login", J::s("Y")),
            ("queryUrl", J::s(query_url)),
            ("nowStr", J::s(now_str(now))),
            ("psr_qr_code_result", J::s("N")),
            ("now", J::Int(now)),
            ("name", J::s(REAL_NAME)),
            ("login_url", J::s("resources/login.html")),
            ("stu_control", J::Int(PRESALE_DAYS)),
            ("is_login", J::s("Y")),
            ("is_olympicLogin", J::s("N")),
            ("other_control", J::Int(PRESALE_DAYS)),
        ]),
        None => J::obj(vec![
            ("is_open_updateHBTime", J::s("Y")),
            ("isstudentDate", J::Bool(false)),
            ("is_message_passCode", J::s("N")),
            ("is_phone_check", J::s("N")),
            ("studentDate", student),
            ("is_uam_login", J::s("Y")),
            ("is_login_passCode", J::s("Y")),
            ("is_sweep_login", J::s("Y")),
            ("nowStr", J::s(now_str(now))),
            ("queryUrl", J::s(query_url)),
            ("psr_qr_code_result", J::s("N")),
            ("now", J::Int(now)),
            ("login_url", J::s("resources/login.html")),
            ("stu_control", J::Int(PRESALE_DAYS)),
            ("is_login", J::s("N")),
            ("is_olympicLogin", J::s("N")),
            ("other_control", J::Int(PRESALE_DAYS)),
        ]),
    };
    Resp::json(&json::ok(data))
}

/// `POST /otn/login/checkUser`: `data.flag` is the booking-session check; Referer must be the query page.
pub fn check_user(w: &mut World, c: &Ctx) -> Resp {
    if let Err(r) = c.require_referer("/otn/leftTicket/init") {
        return r;
    }
    let flag = c.account(w).is_some();
    Resp::json(&json::ok(J::obj(vec![("flag", J::Bool(flag))])))
}

/// `GET /otn/login/userLogin`: 302 to the passport page, or, once logged in, to the index with `uKey`.
pub fn user_login(w: &mut World, c: &Ctx) -> Resp {
    if c.account(w).is_some() {
        let key = w.fresh_hex(40);
        w.session_mut(&c.sid).u_key = Some(key.clone());
        let mut r = Resp::redirect(&c.url(Site::Kyfw, "/otn/view/index.html"));
        r.set_cookie("uKey", &key, "/");
        r
    } else {
        c.to_passport()
    }
}

/// `POST /otn/uamauthclient tk=<newapptk>`: logs the /otn session in and sets `tk` (Path=/otn).
pub fn uamauthclient(w: &mut World, c: &Ctx) -> Resp {
    let tk = c.req.params().s("tk").to_string();
    match w.apptks.get(&tk).cloned() {
        Some(account) => {
            w.login_session(&c.sid, &account, c.now);
            let body = J::obj(vec![
                ("result_code", J::Int(0)),
                ("result_message", J::s("验证通过")),
                ("username", J::s(REAL_NAME)),
                ("apptk", J::s(&tk)),
            ]);
            let mut r = Resp::json(&body);
            r.set_cookie("tk", &tk, "/otn");
            r
        }
        None => Resp::json(&J::obj(vec![
            ("result_code", J::Int(2)),
            ("result_message", J::s("用户未登录")),
        ])),
    }
}

/// `GET /otn/login/loginOut`: ends the session and goes back to the index page. A logout the user asked for ends
/// the passport login of the account too (our assumption: the real page's logout also leaves the passport, so a
/// helper cannot silently log back in after the user logged out), unlike a booking session that merely lapsed.
pub fn login_out(w: &mut World, c: &Ctx) -> Resp {
    let s = w.session_mut(&c.sid);
    let account = s.account.take();
    s.chosen = None;
    s.page = None;
    if let Some(account) = account {
        w.uamtks.retain(|_, login| login.account != account);
    }
    Resp::redirect(&c.url(Site::Kyfw, "/otn/view/index.html"))
}

/// `POST /otn/index/initMy12306Api`.
pub fn init_my_12306(w: &mut World, c: &Ctx) -> Resp {
    if c.account(w).is_none() {
        return c.to_passport();
    }
    Resp::json(&json::ok(J::obj(vec![
        ("notify_way", J::s("7")),
        ("qr_code_url", J::s("Y")),
        ("if_show_ali_qr_code", J::Bool(true)),
        ("isSuperUser", J::s("N")),
        ("_email", J::s("de******mo@x.test")),
        ("user_status", J::s("1")),
        ("_is_needModifyPassword", J::Null),
        ("needEdit", J::Bool(false)),
        ("member_status", J::s("")),
        ("control_code", J::Null),
        ("id_type_code", J::s("1")),
        ("user_name", J::s(REAL_NAME)),
        ("member_level", J::s("*")),
        ("isCanRegistMember", J::Bool(true)),
        ("user_regard", J::s("先生,您好！")),
        ("resetMemberPwd", J::s("N")),
        ("_is_active", J::s("N")),
    ])))
}

/// `GET /otn/index12306/getLoginBanner`.
pub fn login_banner() -> Resp {
    Resp::json(&json::ok(J::strs(&[
        "/otn/resources/images/login_banner.jpg",
    ])))
}

/// `GET` (or `POST`) `/otn/modifyUser/initQueryUserInfoApi`: the account's personal data (PROTOCOL §1.1 #14).
/// No capture shows this answer: the shape is assumed from the clients that read it — py12306 takes
/// `data.userDTO.loginUserDTO` and its `name`; a 2019 client reads the other keys used here. The values are the
/// demo account's. Not logged in: the 302 to the passport page of every `/otn` data endpoint.
pub fn query_user_info(w: &mut World, c: &Ctx) -> Resp {
    if c.account(w).is_none() {
        return c.to_passport();
    }
    let holder = PASSENGERS.iter().find(|p| p.is_self());
    let id_no = holder.map_or("", |p| p.id_no);
    let mobile = holder.map_or("", |p| p.mobile);
    let sex = holder.map_or("M", |p| p.sex);
    let born = holder.map_or("", |p| p.born);
    let login_user = J::obj(vec![
        ("user_name", J::s(ACCOUNT)),
        ("name", J::s(REAL_NAME)),
        ("id_type_code", J::s("1")),
        ("id_type_name", J::s("中国居民身份证")),
        ("id_no", J::s(id_no)),
        ("member_id", J::s("")),
        ("member_level", J::s("")),
    ]);
    let user = J::obj(vec![
        ("loginUserDTO", login_user),
        ("user_id", J::s("100000000000001")),
        ("sex_code", J::s(sex)),
        ("born_date", J::s(format!("{born} 00:00:00"))),
        ("country_code", J::s("CN")),
        ("mobile_no", J::s(mobile)),
        ("email", J::s("de******mo@x.test")),
        ("address", J::s("")),
        ("is_active", J::s("Y")),
        ("is_valid", J::s("Y")),
        ("user_status", J::s("1")),
        ("needModifyEmail", J::s("N")),
        ("flag_member", J::s("0")),
    ]);
    Resp::json(&json::ok(J::obj(vec![
        ("userDTO", user),
        ("userTypeName", J::s("成人")),
        ("bornDateString", J::s(born)),
        ("country_name", J::s("中国CHINA")),
        ("isMobileCheck", J::s("Y")),
        ("picFlag", J::s("N")),
        ("canUpload", J::s("N")),
        ("userPassword", J::s("")),
    ])))
}
