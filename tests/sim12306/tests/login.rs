//! Login: QR code and password through the passport, the uamtk exchange and the /otn session.

mod common;

use common::*;

fn finish_uam_login(c: &mut Client) {
    let a = c.get("/otn/login/userLogin", None);
    assert_eq!(a.status, 302);
    assert_eq!(
        a.location.as_deref(),
        Some("/otn/passport?redirect=/otn/login/userLogin")
    );
    let a = c.get("/otn/passport?redirect=/otn/login/userLogin", None);
    assert!(a.body.contains("uampassport.checkLogin()") || a.body.contains("checkLogin"));
    let v = c
        .post(
            "/passport/web/auth/uamtk",
            "appid=otn",
            Some("https://kyfw.12306.cn/otn/passport?redirect=/otn/login/userLogin"),
        )
        .json();
    assert_eq!(v["result_code"], 0, "{v}");
    let tk = v["newapptk"].as_str().expect("newapptk").to_string();
    let a = c.post("/otn/uamauthclient", &format!("tk={tk}"), None);
    let v = a.json();
    assert_eq!(v["result_code"], 0);
    assert_eq!(v["username"], "张三");
    assert!(a
        .set_cookies
        .iter()
        .any(|s| s.starts_with("tk=") && s.contains("Path=/otn")));
    let a = c.get("/otn/login/userLogin", None);
    assert_eq!(a.status, 302);
    assert_eq!(a.location.as_deref(), Some("/otn/view/index.html"));
    assert!(a.set_cookies.iter().any(|s| s.starts_with("uKey=")));
    let v = c.post_json("/otn/login/conf", "");
    assert_eq!(v["data"]["is_login"], "Y");
    assert_eq!(v["data"]["name"], "张三");
    let v = c.check_user().json();
    assert_eq!(v["data"]["flag"], true);
}

#[test]
fn qr_login() {
    let sim = start();
    let mut c = Client::new(&sim);
    let a = c.get("/otn/resources/login.html", None);
    assert_eq!(a.status, 200);
    assert!(a
        .set_cookies
        .iter()
        .any(|s| s.starts_with("JSESSIONID=") && s.contains("Path=/otn")));
    let v = c.post_json("/otn/login/conf", "");
    assert_eq!(v["data"]["is_login"], "N");
    let v = c.post_json("/passport/web/auth/uamtk-static", "appid=otn");
    assert_eq!(v["result_code"], 1);
    let v = c.post_json("/passport/web/create-qr64", "appid=otn");
    assert_eq!(v["result_code"], "0");
    let uuid = v["uuid"].as_str().expect("uuid").to_string();
    let png = v["image"].as_str().expect("image");
    assert!(png.starts_with("iVBORw0KGgo"));
    let v = c.post_json("/passport/web/checkqr", &format!("uuid={uuid}&appid=otn"));
    assert_eq!(v["result_code"], "0");
    let (s, _) = c.ctl_post("/scan", "");
    assert_eq!(s, 200);
    let a = c.post(
        "/passport/web/checkqr",
        &format!("uuid={uuid}&appid=otn"),
        None,
    );
    let v = a.json();
    assert_eq!(v["result_code"], "2");
    assert!(v["uamtk"].is_string());
    assert!(a
        .set_cookies
        .iter()
        .any(|s| s.starts_with("uamtk=") && s.contains("Path=/passport")));
    finish_uam_login(&mut c);
    // Nothing left to scan.
    let (s, _) = c.ctl_post("/scan", "");
    assert_eq!(s, 404);
}

#[test]
fn expired_qr_code() {
    let sim = start();
    let mut c = Client::new(&sim);
    let v = c.post_json("/passport/web/create-qr64", "appid=otn");
    let uuid = v["uuid"].as_str().expect("uuid").to_string();
    c.ctl_post("/clock", r#"{"offset_ms":600000}"#);
    let v = c.post_json("/passport/web/checkqr", &format!("uuid={uuid}&appid=otn"));
    assert_eq!(v["result_code"], "3");
    let v = c.post_json("/passport/web/checkqr", "uuid=nope&appid=otn");
    assert_eq!(v["result_code"], "3");
}

#[test]
fn password_login() {
    let sim = start();
    let mut c = Client::new(&sim);
    let v = c.post_json("/passport/web/checkLoginVerify", "username=demo&appid=otn");
    assert_eq!(v["login_check_code"], "0");
    let v = c.post_json(
        "/passport/web/login",
        "username=demo&password=wrong&appid=otn",
    );
    assert_eq!(v["result_code"], 1);
    let v = c.post_json(
        "/passport/web/login",
        "username=nobody&password=demo1234&appid=otn",
    );
    assert_eq!(v["result_code"], 1);
    // The SM4 form ("@" + base64) is accepted without checking the ciphertext.
    let v = c.post_json("/passport/web/login", "sessionId=&sig=&if_check_slide_passcode_token=&scene=&checkMode=&randCode=&username=demo&password=%40YcN4qAtda7w9xD%2BIvGe4jA%3D%3D&appid=otn");
    assert_eq!(v["result_code"], 0);
    assert_eq!(v["result_message"], "登录成功");
    let v = c.post_json("/passport/web/auth/uamtk-static", "appid=otn");
    assert_eq!(v["result_code"], 0);
    finish_uam_login(&mut c);
    // Log out.
    let a = c.get("/otn/login/loginOut", None);
    assert_eq!(a.status, 302);
    let v = c.post_json("/otn/login/conf", "");
    assert_eq!(v["data"]["is_login"], "N");
}

#[test]
fn session_expires_by_scenario() {
    let sim = start_with(r#"{"session_expires_after_ms":200}"#);
    let mut c = logged_in(&sim);
    let v = c.check_user().json();
    assert_eq!(v["data"]["flag"], true);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let v = c.check_user().json();
    assert_eq!(v["data"]["flag"], false);
    let v = c.post_json("/otn/login/conf", "");
    assert_eq!(v["data"]["is_login"], "N");
    // The passport session survives: uamtk + uamauthclient log the /otn session in again, for good.
    let v = c.post_json("/passport/web/auth/uamtk", "appid=otn");
    let tk = v["newapptk"].as_str().expect("newapptk").to_string();
    assert_eq!(
        c.post_json("/otn/uamauthclient", &format!("tk={tk}"))["result_code"],
        0
    );
    for _ in 0..2 {
        let v = c.check_user().json();
        assert_eq!(v["data"]["flag"], true);
    }
}

#[test]
fn pages_and_legacy_endpoints() {
    let sim = start();
    let mut c = Client::new(&sim);
    for p in [
        "/otn/view/index.html",
        "/otn/resources/sim/sim.css",
        "/otn/resources/sim/sim.js",
        "/otn/queryOrder/initNoComplete",
    ] {
        assert_eq!(c.get(p, None).status, 200, "{p}");
    }
    let a = c.get(
        "/otn/resources/js/framework/station_name.js?station_version=1.9303",
        None,
    );
    assert!(a.body.starts_with("var station_names ='@"));
    assert!(a.body.contains("|上海虹桥|AOH|shanghaihongqiao|shhq|"));
    let v = c.get_json("/passport/captcha/captcha-image64?login_site=E&module=login&rand=sjrand");
    assert_eq!(v["result_code"], "0");
    let v = c.post_json(
        "/passport/captcha/captcha-check",
        "answer=1,2&rand=sjrand&login_site=E",
    );
    assert_eq!(v["result_code"], "4");
    let v = c.get_json("/otn/index12306/getLoginBanner");
    assert_eq!(v["status"], true);
    assert_eq!(c.get("/otn/nothing/here", None).status, 404);
}
