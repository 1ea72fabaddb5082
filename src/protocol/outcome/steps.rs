//! The JSON answers of the order steps → [`Outcome`] (PROTOCOL.md §5.1-§5.8, §5.10).
//!
//! Each function expects a body that already passed [`super::classify_http`]. `train` is the train code the
//! step is about, used when the answer calls for blacklisting it.

use serde_json::Value;

use super::json::{int, messages, object, text, truthy};
use super::{NextStep, Outcome, Reason};

fn garbage(what: &str) -> Outcome {
    Outcome::new(
        Reason::Garbage,
        NextStep::BackOff,
        format!("unexpected answer to {what}"),
    )
}

/// `status:false` with messages, or nothing usable.
fn failure(root: &Value, what: &str, train: &str) -> Outcome {
    let msg = messages(root);
    if msg.is_empty() {
        garbage(what)
    } else {
        Outcome::from_message(&msg, train)
    }
}

fn status_ok(root: &Value) -> bool {
    truthy(root.get("status"))
}

/// The `data` of a `status:true` answer (`Null` when the field is `null`); a body that is not an object, a
/// `status:false` or a missing `data` is the step's failure outcome. The order-page steps all start this way.
fn ok_data(body: &str, what: &str, train: &str) -> Result<Value, Outcome> {
    let mut root = object(body).ok_or_else(|| garbage(what))?;
    if !status_ok(&root) {
        return Err(failure(&root, what, train));
    }
    root.get_mut("data")
        .map(Value::take)
        .ok_or_else(|| garbage(what))
}

/// `login/checkUser`: `data.flag` true = the booking session is valid.
pub fn check_user(body: &str) -> Outcome {
    let Some(root) = object(body) else {
        return garbage("checkUser");
    };
    match root.pointer("/data/flag") {
        Some(flag) if truthy(Some(flag)) => Outcome::ok(),
        Some(_) => Outcome::new(
            Reason::SessionLost,
            NextStep::Login,
            "checkUser: flag false",
        ),
        None => failure(&root, "checkUser", ""),
    }
}

/// `login/conf`: whether the user is logged in (`data.is_login == "Y"`).
pub fn login_conf(body: &str) -> Result<bool, Outcome> {
    let root = object(body).ok_or_else(|| garbage("login/conf"))?;
    match root.pointer("/data/is_login") {
        Some(v) => Ok(truthy(Some(v))),
        None => Err(failure(&root, "login/conf", "")),
    }
}

/// A passport answer with a `result_code` other than 0: the user has to log in, told in 12306's words.
fn passport_refusal(root: &Value) -> Outcome {
    let msg = text(root.get("result_message"));
    let msg = if msg.is_empty() {
        "用户未登录".to_owned()
    } else {
        msg
    };
    Outcome::new(Reason::SessionLost, NextStep::Login, msg)
}

/// `passport/web/auth/uamtk` (PROTOCOL.md §1.1 #8): `result_code` 0 gives `newapptk`, the token that logs the
/// booking session in again; any other code (1 not logged in, 4 用户已在他处登录, 91–97 verification) needs the
/// user, with 12306's `result_message`.
pub fn uamtk(body: &str) -> Result<String, Outcome> {
    let root = object(body).ok_or_else(|| garbage("uamtk"))?;
    let code = int(root.get("result_code"));
    let token = text(root.get("newapptk"));
    match code {
        Some(0) if !token.is_empty() => Ok(token),
        Some(_) => Err(passport_refusal(&root)),
        None => Err(garbage("uamtk")),
    }
}

/// `otn/uamauthclient` (PROTOCOL.md §1.1 #9): `result_code` 0 = the booking session is logged in again.
pub fn uam_auth_client(body: &str) -> Outcome {
    let Some(root) = object(body) else {
        return garbage("uamauthclient");
    };
    match int(root.get("result_code")) {
        Some(0) => Outcome::ok(),
        Some(_) => passport_refusal(&root),
        None => garbage("uamauthclient"),
    }
}

/// `leftTicket/submitOrderRequest`: `status:true` is success whatever `data` says (it is an informational code).
pub fn submit_order(body: &str, train: &str) -> Outcome {
    let Some(root) = object(body) else {
        return garbage("submitOrderRequest");
    };
    if status_ok(&root) {
        Outcome::ok()
    } else {
        failure(&root, "submitOrderRequest", train)
    }
}

/// Failure fields the order-page steps share (`isRelogin`, `isNoActive`, `get608Msg`, `errMsg`).
fn data_failure(data: &Value, train: &str) -> Option<Outcome> {
    if truthy(data.get("isRelogin")) {
        return Some(Outcome::new(
            Reason::SessionLost,
            NextStep::Login,
            "isRelogin",
        ));
    }
    if truthy(data.get("isNoActive")) {
        return Some(Outcome::new(
            Reason::IdentityCheck,
            NextStep::Stop,
            text(data.get("errMsg")),
        ));
    }
    if !text(data.get("get608Msg")).is_empty() {
        return Some(Outcome::new(
            Reason::IdentityCheck,
            NextStep::Stop,
            text(data.get("get608Msg")),
        ));
    }
    let msg = text(data.get("errMsg"));
    (!msg.is_empty()).then(|| Outcome::from_message(&msg, train))
}

/// `confirmPassenger/checkOrderInfo`.
pub fn check_order_info(body: &str, train: &str) -> Outcome {
    let data = match ok_data(body, "checkOrderInfo", train) {
        Ok(data) => data,
        Err(outcome) => return outcome,
    };
    if truthy(data.get("submitStatus")) {
        if text(data.get("ifShowPassCode")) == "Y" {
            return Outcome::new(
                Reason::Captcha,
                NextStep::Stop,
                "12306 asks for a verification code",
            );
        }
        return Outcome::ok();
    }
    if truthy(data.get("checkSeatNum")) {
        let msg = text(data.get("errMsg"));
        let next = Reason::NotEnoughSeats.default_next(train);
        return Outcome::new(Reason::NotEnoughSeats, next, msg);
    }
    data_failure(&data, train).unwrap_or_else(|| garbage("checkOrderInfo"))
}

/// Remaining tickets in getQueueCount's `ticket`: `"8"`, `"545,144"` (seats, standing) or `"充足"` (plenty).
fn tickets_left(ticket: &str) -> Option<i64> {
    if ticket.contains("充足") {
        return Some(i64::MAX);
    }
    let mut sum = 0i64;
    for part in ticket.split(',') {
        sum = sum.saturating_add(part.trim().parse::<i64>().ok()?);
    }
    Some(sum)
}

/// `confirmPassenger/getQueueCount`: `op_2` (queue longer than tickets) or no tickets blacklist the train.
pub fn queue_count(body: &str, train: &str) -> Outcome {
    let data = match ok_data(body, "getQueueCount", train) {
        Ok(data) => data,
        Err(outcome) => return outcome,
    };
    if truthy(data.get("isRelogin")) {
        return Outcome::new(Reason::SessionLost, NextStep::Login, "isRelogin");
    }
    let ticket = text(data.get("ticket"));
    let summary = format!("余票 {ticket}，排队 {} 人", text(data.get("countT")));
    if truthy(data.get("op_2")) {
        let msg = "目前排队人数已经超过余票张数，请您选择其他席别或车次。";
        return Outcome::new(
            Reason::QueueExceedsTickets,
            Reason::QueueExceedsTickets.default_next(train),
            msg,
        );
    }
    match tickets_left(&ticket) {
        Some(n) if n <= 0 => Outcome::new(
            Reason::SoldOut,
            Reason::SoldOut.default_next(train),
            summary,
        ),
        Some(_) => Outcome::new(Reason::Ok, NextStep::Continue, summary),
        None => garbage("getQueueCount"),
    }
}

/// `confirmPassenger/confirmSingleForQueue`. A `Continue` means the order entered the queue. Every other
/// outcome here with a reason other than [`Reason::Garbage`] is a definite "not queued".
pub fn confirm(body: &str, train: &str) -> Outcome {
    let data = match ok_data(body, "confirmSingleForQueue", train) {
        Ok(data) => data,
        Err(outcome) => return outcome,
    };
    match data.get("submitStatus") {
        Some(v) if truthy(Some(v)) => Outcome::ok(),
        // Only an explicit `submitStatus:false` is a refusal; any other shape leaves the order's fate open.
        Some(_) => data_failure(&data, train)
            .unwrap_or_else(|| Outcome::new(Reason::QueueFailed, NextStep::Requery, "出票失败")),
        None => garbage("confirmSingleForQueue"),
    }
}

/// `confirmPassenger/resultOrderForDcQueue`: confirms the order id; failure text is kept for the user.
pub fn result_order(body: &str) -> Outcome {
    let Some(root) = object(body) else {
        return garbage("resultOrderForDcQueue");
    };
    if status_ok(&root) && truthy(root.pointer("/data/submitStatus")) {
        return Outcome::ok();
    }
    let msg = text(root.pointer("/data/errMsg"));
    if msg.is_empty() {
        failure(&root, "resultOrderForDcQueue", "")
    } else {
        Outcome::from_message(&msg, "")
    }
}

/// The integer `data` fields as a quick accessor for callers that need more than the outcome.
pub fn data_int(body: &str, field: &str) -> Option<i64> {
    object(body).and_then(|root| int(root.get("data").and_then(|d| d.get(field))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(data: &str) -> String {
        format!("{{\"validateMessagesShowId\":\"_validatorMessage\",\"status\":true,\"httpstatus\":200,\"data\":{data},\"messages\":[],\"validateMessages\":{{}}}}")
    }

    fn fail(msg: &str) -> String {
        format!("{{\"status\":false,\"httpstatus\":200,\"messages\":[\"{msg}\"],\"validateMessages\":{{}}}}")
    }

    fn bl(train: &str) -> NextStep {
        NextStep::Blacklist {
            train: train.into(),
            ms: super::super::BLACKLIST_MS,
        }
    }

    /// What one case of a table expects of the outcome.
    enum Want {
        Ok,
        Next(NextStep),
        Reason(Reason),
    }

    /// Runs `step` on each body (train `G1`) and checks the expectation, naming the body on failure.
    fn table(step: fn(&str, &str) -> Outcome, cases: &[(String, Want)]) {
        for (body, want) in cases {
            let got = step(body, "G1");
            match want {
                Want::Ok => assert!(got.is_ok(), "{body}: {got:?}"),
                Want::Next(next) => assert_eq!(&got.next, next, "{body}"),
                Want::Reason(reason) => assert_eq!(&got.reason, reason, "{body}"),
            }
        }
    }

    #[test]
    fn renewal_answers() {
        // PROTOCOL.md §1.1 #8-9 (CAP24 shapes).
        assert_eq!(
            uamtk(
                r#"{"apptk":null,"result_message":"验证通过","result_code":0,"newapptk":"NEW1"}"#
            ),
            Ok("NEW1".to_owned())
        );
        let Err(o) = uamtk(r#"{"result_message":"用户已在他处登录","result_code":4}"#)
        else {
            panic!("code 4 needs the user")
        };
        assert_eq!(
            (o.next, o.message.as_str()),
            (NextStep::Login, "用户已在他处登录")
        );
        assert!(matches!(
            uamtk("<html>"),
            Err(Outcome {
                reason: Reason::Garbage,
                ..
            })
        ));
        assert!(uam_auth_client(
            r#"{"result_code":0,"result_message":"验证通过","username":"张三"}"#
        )
        .is_ok());
        assert_eq!(
            uam_auth_client(r#"{"result_code":2,"result_message":"x"}"#).next,
            NextStep::Login
        );
    }

    #[test]
    fn check_user_table() {
        table(
            |body, _| check_user(body),
            &[
                (env(r#"{"flag":true}"#), Want::Ok),
                (env(r#"{"flag":false}"#), Want::Next(NextStep::Login)),
                ("nonsense".into(), Want::Reason(Reason::Garbage)),
                (fail("用户未登录"), Want::Next(NextStep::Login)),
            ],
        );
    }

    #[test]
    fn submit_table() {
        table(
            submit_order,
            &[
                (env(r#""220""#), Want::Ok),
                (env(r#""N""#), Want::Ok),
                (
                    fail("车票信息已过期，请重新查询最新车票信息"),
                    Want::Next(NextStep::Requery),
                ),
                (
                    fail(
                        r#"您还有未处理的订单，请您到<a href=\"../queryOrder/initNoComplete\">[未完成订单]</a>进行处理!"#,
                    ),
                    Want::Next(NextStep::UnfinishedOrder),
                ),
                (fail("该车次暂不办理业务"), Want::Next(bl("G1"))),
                (
                    fail("系统繁忙，请稍后重试！"),
                    Want::Next(NextStep::BackOff),
                ),
                (r#"{"status":false}"#.into(), Want::Reason(Reason::Garbage)),
            ],
        );
        let unknown = submit_order(&fail("奇怪的新消息"), "G1");
        assert_eq!(
            (unknown.reason, unknown.message.as_str()),
            (Reason::Unknown, "奇怪的新消息")
        );
    }

    #[test]
    fn check_order_info_table() {
        table(
            check_order_info,
            &[
                (
                    env(r#"{"canChooseSeats":"Y","submitStatus":true,"ifShowPassCodeTime":"1"}"#),
                    Want::Ok,
                ),
                (
                    env(r#"{"submitStatus":false,"isRelogin":true}"#),
                    Want::Next(NextStep::Login),
                ),
                (
                    env(
                        r#"{"submitStatus":false,"checkSeatNum":true,"errMsg":"您选择了1位乘车人，但本次列车一等座仅剩0张。"}"#,
                    ),
                    Want::Next(bl("G1")),
                ),
                (
                    env(r#"{"submitStatus":false,"isNoActive":true}"#),
                    Want::Next(NextStep::Stop),
                ),
                (
                    env(r#"{"submitStatus":false,"errMsg":"出票失败"}"#),
                    Want::Next(NextStep::Requery),
                ),
                (
                    env(r#"{"submitStatus":true,"ifShowPassCode":"Y"}"#),
                    Want::Reason(Reason::Captcha),
                ),
            ],
        );
    }

    #[test]
    fn queue_count_table() {
        table(
            queue_count,
            &[
                (
                    env(r#"{"count":"0","ticket":"8","op_2":"false","countT":"0","op_1":"false"}"#),
                    Want::Ok,
                ),
                (env(r#"{"ticket":"545,144","op_2":"false"}"#), Want::Ok),
                (env(r#"{"ticket":"充足","op_2":"false"}"#), Want::Ok),
                (env(r#"{"ticket":"8","op_2":"true"}"#), Want::Next(bl("G1"))),
                (
                    env(r#"{"ticket":"0","op_2":"false"}"#),
                    Want::Next(bl("G1")),
                ),
                (
                    env(r#"{"ticket":"0,0","op_2":"false"}"#),
                    Want::Reason(Reason::SoldOut),
                ),
                (env(r#"{"isRelogin":"Y"}"#), Want::Next(NextStep::Login)),
                (
                    fail("系统繁忙，请稍后重试！"),
                    Want::Next(NextStep::BackOff),
                ),
                (env(r#"{"ticket":"lots"}"#), Want::Reason(Reason::Garbage)),
            ],
        );
    }

    #[test]
    fn confirm_table() {
        table(
            confirm,
            &[
                (env(r#"{"isAsync":"1","submitStatus":true}"#), Want::Ok),
                (
                    env(r#"{"submitStatus":false,"errMsg":"余票不足"}"#),
                    Want::Next(bl("G1")),
                ),
                (
                    env(r#"{"submitStatus":false,"errMsg":"出票失败"}"#),
                    Want::Next(NextStep::Requery),
                ),
                (
                    env(r#"{"submitStatus":false}"#),
                    Want::Reason(Reason::QueueFailed),
                ),
                (r#"{"status":tr"#.into(), Want::Reason(Reason::Garbage)),
                // No submitStatus at all: the order's fate is unknown, not refused.
                (env(r#"{"isAsync":"1"}"#), Want::Reason(Reason::Garbage)),
            ],
        );
    }

    #[test]
    fn result_order_table() {
        table(
            |body, _| result_order(body),
            &[
                (env(r#"{"submitStatus":true}"#), Want::Ok),
                (
                    env(r#"{"submitStatus":false,"errMsg":"系统忙"}"#),
                    Want::Reason(Reason::Busy),
                ),
            ],
        );
        assert_eq!(data_int(&env(r#"{"waitTime":"5"}"#), "waitTime"), Some(5));
    }

    #[test]
    fn login_conf_table() {
        assert_eq!(
            login_conf(&env(r#"{"is_login":"Y","queryUrl":"leftTicket/queryG"}"#)),
            Ok(true)
        );
        assert_eq!(login_conf(&env(r#"{"is_login":"N"}"#)), Ok(false));
        assert!(login_conf("x").is_err());
    }
}
