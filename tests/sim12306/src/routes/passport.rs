//! `/passport/*` (UAM): password and QR login, uamtk exchange, legacy captcha endpoints. `result_code`
//! is a number or a string exactly where the capture has one or the other.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::Ctx;
use crate::http::Resp;
use crate::json::J;
use crate::passengers::{ACCOUNT, PASSWORD};
use crate::qr;
use crate::state::{Qr, World, QR_LIFETIME_MS};

/// A valid 1×1 PNG, standing in for the legacy captcha image.
pub const PNG_B64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/// A new uamtk for `account` (the passport login token, cookie Path=/passport), made at `now`.
pub fn new_uamtk(w: &mut World, account: &str, now: i64) -> String {
    w.new_passport_login(account, now)
}

fn with_uamtk_cookie(body: &J, tk: &str) -> Resp {
    let mut r = Resp::json(body);
    r.set_cookie("uamtk", tk, "/passport");
    r
}

/// `POST /passport/web/create-qr64`: a new uuid and the base64 PNG of a QR code of its app URL
/// (PROTOCOL §1.1 #10).
pub fn create_qr(w: &mut World, c: &Ctx) -> Resp {
    let uuid = format!("{}_{}", w.fresh_hex(40), w.fresh_hex(24));
    let image = match qr::png_of(&qr::login_url(&uuid)) {
        Ok(png) => STANDARD.encode(png),
        // Cannot happen for a uuid; the answer shape of a real failure is unknown, this one is ours.
        Err(e) => {
            return Resp::json(&J::obj(vec![
                ("result_message", J::s(format!("生成二维码失败：{e}"))),
                ("result_code", J::s("1")),
            ]))
        }
    };
    w.qrs.push(Qr {
        uuid: uuid.clone(),
        created_ms: c.now,
        scanned: false,
        confirmed_uamtk: None,
    });
    Resp::json(&J::obj(vec![
        ("image", J::s(image)),
        ("result_message", J::s("生成二维码成功")),
        ("uuid", J::s(uuid)),
        ("result_code", J::s("0")),
    ]))
}

/// `POST /passport/web/checkqr`: "0" until `/scan`, then "2" with uamtk; "3" once expired or unknown.
pub fn check_qr(w: &mut World, c: &Ctx) -> Resp {
    let uuid = c.req.params().s("uuid").to_string();
    let Some(qr) = w.qrs.iter().find(|q| q.uuid == uuid).cloned() else {
        return Resp::json(&J::obj(vec![
            ("result_message", J::s("二维码已过期")),
            ("result_code", J::s("3")),
        ]));
    };
    if let Some(tk) = qr.confirmed_uamtk {
        let body = J::obj(vec![
            ("result_message", J::s("扫码登录成功")),
            ("uamtk", J::s(&tk)),
            ("result_code", J::s("2")),
        ]);
        return with_uamtk_cookie(&body, &tk);
    }
    if c.now - qr.created_ms > QR_LIFETIME_MS {
        return Resp::json(&J::obj(vec![
            ("result_message", J::s("二维码已过期")),
            ("result_code", J::s("3")),
        ]));
    }
    let code = if qr.scanned { "1" } else { "0" };
    Resp::json(&J::obj(vec![
        ("result_message", J::s("二维码状态查询成功")),
        ("result_code", J::s(code)),
    ]))
}

/// Control API `/scan`: the demo account scans the newest unconfirmed QR code and, unless `confirm`
/// is false (then checkqr answers "1" until a later scan), confirms the login.
pub fn scan_newest(w: &mut World, confirm: bool, now: i64) -> Option<String> {
    let idx = w.qrs.iter().rposition(|q| q.confirmed_uamtk.is_none())?;
    let tk = confirm.then(|| new_uamtk(w, ACCOUNT, now));
    let qr = w.qrs.get_mut(idx)?;
    qr.scanned = true;
    qr.confirmed_uamtk = tk;
    Some(qr.uuid.clone())
}

fn not_logged_in() -> Resp {
    Resp::json(&J::obj(vec![
        ("result_message", J::s("用户未登录")),
        ("result_code", J::Int(1)),
    ]))
}

/// The account of the request's passport login (the `uamtk` cookie), if it is still valid.
fn passport_login(w: &World, c: &Ctx) -> Option<String> {
    c.req
        .cookie("uamtk")
        .and_then(|t| w.passport_account(t, c.now))
}

/// `POST /passport/web/auth/uamtk-static`: is the passport session valid?
pub fn uamtk_static(w: &mut World, c: &Ctx) -> Resp {
    match passport_login(w, c) {
        Some(_) => Resp::json(&J::obj(vec![
            ("result_message", J::s("验证通过")),
            ("result_code", J::Int(0)),
            ("apptk", J::Null),
        ])),
        None => not_logged_in(),
    }
}

/// `POST /passport/web/auth/uamtk`: exchanges the uamtk cookie for an app token, which `uamauthclient`
/// turns into a logged-in `/otn` session (the login, and the renewal of a lapsed booking session).
pub fn uamtk(w: &mut World, c: &Ctx) -> Resp {
    let Some(account) = passport_login(w, c) else {
        return not_logged_in();
    };
    let tk = format!("{}h1h0", w.fresh_hex(34));
    w.apptks.insert(tk.clone(), account);
    Resp::json(&J::obj(vec![
        ("apptk", J::Null),
        ("result_message", J::s("验证通过")),
        ("result_code", J::Int(0)),
        ("newapptk", J::s(tk)),
    ]))
}

/// `POST /passport/web/checkLoginVerify`: "0" = no extra verification for the demo account.
pub fn check_login_verify(_c: &Ctx) -> Resp {
    Resp::json(&J::obj(vec![
        ("result_message", J::s("")),
        ("login_check_code", J::s("0")),
        ("result_code", J::Int(0)),
    ]))
}

/// `POST /passport/web/getMessageCode`.
pub fn message_code(_c: &Ctx) -> Resp {
    Resp::json(&J::obj(vec![
        ("result_message", J::s("获取手机验证码成功！")),
        ("result_code", J::Int(0)),
    ]))
}

/// `POST /passport/web/login`: user `demo` with `demo1234`, sent plainly or as `@…` (the SM4
/// ciphertext is not checked: any `@`-prefixed value is accepted).
pub fn login(w: &mut World, c: &Ctx) -> Resp {
    let f = c.req.params();
    let user = f.s("username");
    let pw = f.s("password");
    if user != ACCOUNT {
        return Resp::json(&J::obj(vec![
            ("result_message", J::s("登录名不存在。")),
            ("result_code", J::Int(1)),
        ]));
    }
    if pw != PASSWORD && !(pw.starts_with('@') && pw.len() > 1) {
        return Resp::json(&J::obj(vec![
            (
                "result_message",
                J::s("密码输入错误。如果输错次数超过4次，用户将被锁定。"),
            ),
            ("result_code", J::Int(1)),
        ]));
    }
    let tk = new_uamtk(w, ACCOUNT, c.now);
    let body = J::obj(vec![
        ("result_message", J::s("登录成功")),
        ("uamtk", J::s(&tk)),
        ("result_code", J::Int(0)),
    ]);
    with_uamtk_cookie(&body, &tk)
}

/// Legacy `captcha-image64`.
pub fn captcha_image() -> Resp {
    Resp::json(&J::obj(vec![
        ("image", J::s(PNG_B64)),
        ("result_message", J::s("生成验证码成功")),
        ("result_code", J::s("0")),
    ]))
}

/// Legacy `captcha-check`: always passes ("4").
pub fn captcha_check() -> Resp {
    Resp::json(&J::obj(vec![
        ("result_message", J::s("验证码校验成功")),
        ("result_code", J::s("4")),
    ]))
}
