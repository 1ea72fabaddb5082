//! The answers of the 候补 (waitlist) flow → typed values and [`Outcome`]s (PROTOCOL.md §5.13, 2026 changes).
//!
//! Each reader expects a body that already passed [`super::classify_http`]. Texts from 12306 are kept (masked and
//! capped by [`Outcome::new`] / [`crate::text::for_user`]); unknown shapes are [`Reason::Garbage`], never a panic.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json::{int, messages, object, text, truthy};
use super::{NextStep, Outcome, Reason};
use crate::text::for_user;

fn garbage(what: &str) -> Outcome {
    Outcome::new(
        Reason::Garbage,
        NextStep::BackOff,
        format!("unexpected answer to {what}"),
    )
}

/// `status:true` → its `data` object; otherwise the failure (`messages`, e.g. 参数不正确) or garbage.
fn data_of(body: &str, what: &str) -> Result<Value, Outcome> {
    let mut root = object(body).ok_or_else(|| garbage(what))?;
    if !truthy(root.get("status")) {
        let msg = messages(&root);
        return Err(if msg.is_empty() {
            garbage(what)
        } else {
            Outcome::from_message(&msg, "")
        });
    }
    match root.get_mut("data").map(Value::take) {
        Some(d @ Value::Object(_)) => Ok(d),
        _ => Err(garbage(what)),
    }
}

/// What 12306 shows for a face-check code (`face_check_code` of chechFace, `faceCheck` of the submits), in its
/// words where sources quote them (TS `inter/ChechFace.py`, ICCFISH `GetFaceCheckMsg`, PROTOCOL.md §5.13).
pub fn face_check_text(code: &str) -> String {
    match code {
        "01" | "11" => "证件信息正在审核中，请您耐心等待，审核通过后可继续完成候补操作。".into(),
        "03" | "13" => "证件信息审核失败，请检查所填写的身份信息内容与原证件是否一致。".into(),
        "04" | "14" => "通过人证一致性核验的用户及激活的“铁路畅行”会员可以提交候补需求，请您按照操作说明在铁路12306 App上完成人证核验。".into(),
        other => format!("人证核验未通过（face_check_code {}）", for_user(other)),
    }
}

/// The face check before a 候补 submit (`afterNate/chechFace`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FaceCheck {
    /// `face_flag:true` (codes `02`/`12`): the account may submit 候补.
    Passed,
    /// `face_flag:false`: the user must act (identity under review, not face-verified, …).
    Refused {
        /// `face_check_code`.
        code: String,
        /// What 12306 shows for it ([`face_check_text`]).
        message: String,
    },
}

/// `afterNate/chechFace` → the face check, or the failure outcome (`login_flag:false` = logged out).
pub fn chech_face(body: &str) -> Result<FaceCheck, Outcome> {
    let data = data_of(body, "chechFace")?;
    if data.get("login_flag").is_some() && !truthy(data.get("login_flag")) {
        return Err(Outcome::new(
            Reason::SessionLost,
            NextStep::Login,
            "chechFace: login_flag false",
        ));
    }
    let code: String = text(data.get("face_check_code")).chars().take(8).collect();
    if truthy(data.get("face_flag")) {
        return Ok(FaceCheck::Passed);
    }
    if data.get("face_flag").is_none() {
        return Err(garbage("chechFace"));
    }
    Ok(FaceCheck::Refused {
        message: face_check_text(&code),
        code,
    })
}

/// The face-check refusal as an outcome: the task pauses with 12306's reason.
pub fn face_refusal(code: &str) -> Outcome {
    Outcome::new(Reason::IdentityCheck, NextStep::Stop, face_check_text(code))
}

/// `afterNate/submitOrderRequest`: `data.flag:true` is success; `flag:false` with `faceCheck` is a face-check
/// refusal; messages are classified.
pub fn submit(body: &str, train: &str) -> Outcome {
    let data = match data_of(body, "afterNate/submitOrderRequest") {
        Ok(d) => d,
        Err(o) => return o,
    };
    if truthy(data.get("flag")) {
        return Outcome::ok();
    }
    let face = text(data.get("faceCheck"));
    if !face.is_empty() {
        return face_refusal(&face);
    }
    let msg = text(data.get("msg"));
    if msg.is_empty() {
        garbage("afterNate/submitOrderRequest")
    } else {
        Outcome::from_message(&msg, train)
    }
}

/// A train × class of the 候补 page (`hbTrainList[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HbTrain {
    /// `station_train_code`.
    pub train_code: String,
    /// `train_no`.
    pub train_no: String,
    /// `seat_type_code`.
    pub seat_code: String,
    /// `train_date` (`YYYY-MM-DD`).
    pub train_date: String,
    /// `start_time` (`HH:MM`).
    pub start_time: String,
}

/// The 候补 page's data (`afterNate/passengerInitApi`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HbInit {
    /// The trains × classes chosen.
    pub trains: Vec<HbTrain>,
    /// `jzdhDiffSelect`: the deadlines offered, minutes before departure.
    pub deadline_choices_min: Vec<u32>,
    /// `jzdhDateE` + `jzdhHourE`: the latest 截止兑现时间 (`YYYY-MM-DD HH:MM`, China time), when given.
    pub latest_deadline: String,
    /// `hb_passenger_max_num`.
    pub max_passengers: Option<u32>,
    /// `canChooseWseat == "Y"`: 无座 can be accepted.
    pub can_accept_no_seat: bool,
    /// `if_check_slide_passcode == "1"`: the slider is demanded (only a person can pass it).
    pub slide_required: bool,
    /// `checkcode == "94"`: an extra 人证 check in the 12306 App is required first (TRIP, 2026).
    pub needs_app_check: bool,
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().map(|x| text(Some(x))).collect())
        .unwrap_or_default()
}

/// `afterNate/passengerInitApi` → the page data, or the failure outcome.
pub fn passenger_init(body: &str) -> Result<HbInit, Outcome> {
    let data = data_of(body, "passengerInitApi")?;
    let trains = data
        .get("hbTrainList")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .take(16)
                .map(|t| HbTrain {
                    train_code: text(t.get("station_train_code")),
                    train_no: text(t.get("train_no")),
                    seat_code: text(t.get("seat_type_code")),
                    train_date: text(t.get("train_date")),
                    start_time: text(t.get("start_time")),
                })
                .collect()
        })
        .unwrap_or_default();
    let date = text(data.get("jzdhDateE"));
    let hour = text(data.get("jzdhHourE"));
    Ok(HbInit {
        trains,
        deadline_choices_min: strings(data.get("jzdhDiffSelect"))
            .iter()
            .filter_map(|s| s.trim().parse().ok())
            .collect(),
        latest_deadline: if date.is_empty() {
            String::new()
        } else {
            for_user(&format!("{date} {hour}"))
        },
        max_passengers: int(data.get("hb_passenger_max_num")).and_then(|n| u32::try_from(n).ok()),
        can_accept_no_seat: text(data.get("canChooseWseat")) == "Y",
        slide_required: text(data.get("if_check_slide_passcode")) == "1",
        needs_app_check: text(data.get("checkcode")) == "94",
    })
}

/// `afterNate/querySuccessRate` → the success estimate in percent (`data.result`), when it is one.
pub fn success_rate(body: &str) -> Option<u32> {
    let data = data_of(body, "querySuccessRate").ok()?;
    int(data.get("result"))
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n <= 100)
}

/// One line of `afterNate/getQueueNum`: how many wait for a train × class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HbQueueNum {
    /// `station_train_code`.
    pub train_code: String,
    /// `seat_type_code`.
    pub seat_code: String,
    /// `queue_info`, e.g. 候补人数较少.
    pub info: String,
    /// `queue_level`.
    pub level: String,
}

/// `afterNate/getQueueNum` → the queue lines (empty when the answer has none).
pub fn queue_num(body: &str) -> Vec<HbQueueNum> {
    let Ok(data) = data_of(body, "getQueueNum") else {
        return Vec::new();
    };
    data.get("queueNum")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .take(16)
                .map(|q| HbQueueNum {
                    train_code: for_user(&text(q.get("station_train_code"))),
                    seat_code: for_user(&text(q.get("seat_type_code"))),
                    info: for_user(&text(q.get("queue_info"))),
                    level: for_user(&text(q.get("queue_level"))),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `afterNate/confirmHB`. `Continue` = 12306 took the 候补 order into its queue. A `flag:false` with a message
/// or a face code is a refusal; `status:false` (参数不正确 for an outdated field set) too. Whether a refusal
/// means "no order" is the caller's rule, as for the direct confirm ([`Reason::confirm_refusal_means_no_order`]).
pub fn confirm(body: &str) -> Outcome {
    let data = match data_of(body, "confirmHB") {
        Ok(d) => d,
        Err(o) => return o,
    };
    match data.get("flag") {
        Some(f) if truthy(Some(f)) => Outcome::ok(),
        Some(_) => {
            let face = text(data.get("faceCheck"));
            if !face.is_empty() {
                return face_refusal(&face);
            }
            let msg = text(data.get("msg"));
            if msg.is_empty() {
                Outcome::new(Reason::QueueFailed, NextStep::Requery, "候补订单提交失败")
            } else {
                Outcome::from_message(&msg, "")
            }
        }
        None => garbage("confirmHB"),
    }
}

/// What `afterNate/queryQueue` says about the 候补 order just confirmed (HYFSY `QueryQueueHandler`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum HbQueue {
    /// `status:1`: the 候补 order exists.
    Placed {
        /// `reserve_no`.
        reserve_no: String,
    },
    /// Still queueing (`status` other than 1 / -1).
    Waiting {
        /// `waitTime` (s), when given.
        wait_s: Option<i64>,
    },
    /// `status:-1` (or `flag:false`): no 候补 order from this confirm — as far as this answer knows.
    Failed {
        /// 12306's text.
        message: String,
    },
    /// Transport trouble, logged out, or an unreadable answer.
    Unclear(Outcome),
}

/// `afterNate/queryQueue` → [`HbQueue`].
pub fn query_queue(body: &str) -> HbQueue {
    let data = match data_of(body, "queryQueue") {
        Ok(d) => d,
        Err(o) => return HbQueue::Unclear(o),
    };
    let status = int(data.get("status"));
    let reserve_no: String = text(data.get("reserve_no")).chars().take(40).collect();
    match status {
        Some(1) if !reserve_no.is_empty() => HbQueue::Placed {
            reserve_no: for_user(&reserve_no),
        },
        Some(1) => HbQueue::Unclear(garbage("queryQueue")),
        Some(-1) => HbQueue::Failed {
            message: for_user(&text(data.get("msg"))),
        },
        Some(_) if truthy(data.get("flag")) => HbQueue::Waiting {
            wait_s: int(data.get("waitTime")),
        },
        _ if data.get("flag").is_some() && !truthy(data.get("flag")) => HbQueue::Failed {
            message: for_user(&text(data.get("msg"))),
        },
        _ => HbQueue::Unclear(garbage("queryQueue")),
    }
}

/// A train × class a 候补 order waits for (`needs[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HbNeed {
    /// `board_train_code`.
    pub train_code: String,
    /// `train_date` (as sent: `YYYYMMDD` or `YYYY-MM-DD`).
    pub train_date: String,
    /// `seat_type_code`.
    pub seat_code: String,
}

/// A 候补 order of the list (`queryUnHonourHOrder`; 2026 fields: KYFW26, TRIP).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaitlistOrder {
    /// `reserve_no`.
    pub reserve_no: String,
    /// `reserve_time`.
    pub reserve_time: String,
    /// `realize_limit_time`: 截止兑现时间.
    pub realize_limit_time: String,
    /// What it waits for.
    pub needs: Vec<HbNeed>,
    /// Passenger names.
    pub passengers: Vec<String>,
}

impl WaitlistOrder {
    /// Whether this order waits for `train_code` on `date` (`YYYY-MM-DD`), for one of the plans of a task.
    pub fn waits_for(&self, train_code: &str, date: &str) -> bool {
        let compact = date.replace('-', "");
        self.needs.iter().any(|n| {
            n.train_code == train_code && (n.train_date == date || n.train_date == compact)
        })
    }
}

/// `afterNateOrder/queryUnHonourHOrder` → the waiting 候补 orders (`data.list`), or the failure outcome.
pub fn unhonour_orders(body: &str) -> Result<Vec<WaitlistOrder>, Outcome> {
    let data = data_of(body, "queryUnHonourHOrder")?;
    let Some(list) = data.get("list").and_then(Value::as_array) else {
        return match data.get("list") {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(_) => Err(garbage("queryUnHonourHOrder")),
        };
    };
    Ok(list
        .iter()
        .take(32)
        .filter_map(|o| {
            let reserve_no = for_user(&text(o.get("reserve_no")));
            (!reserve_no.is_empty()).then(|| WaitlistOrder {
                reserve_no,
                reserve_time: for_user(&text(o.get("reserve_time"))),
                realize_limit_time: for_user(&text(o.get("realize_limit_time"))),
                needs: o
                    .get("needs")
                    .and_then(Value::as_array)
                    .map(|n| {
                        n.iter()
                            .take(8)
                            .map(|n| HbNeed {
                                train_code: for_user(&text(n.get("board_train_code"))),
                                train_date: for_user(&text(n.get("train_date"))),
                                seat_code: for_user(&text(n.get("seat_type_code"))),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                passengers: o
                    .get("passengers")
                    .and_then(Value::as_array)
                    .map(|p| {
                        p.iter()
                            .take(9)
                            .map(|p| for_user(&text(p.get("passenger_name"))))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect())
}

/// `afterNateOrder/cancelWaitingHOrder`: `data.flag:true` = cancelled.
pub fn cancel_waiting(body: &str) -> Outcome {
    match data_of(body, "cancelWaitingHOrder") {
        Ok(d) if truthy(d.get("flag")) => Outcome::ok(),
        Ok(d) => {
            let msg = text(d.get("msg"));
            if msg.is_empty() {
                garbage("cancelWaitingHOrder")
            } else {
                Outcome::from_message(&msg, "")
            }
        }
        Err(o) => o,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(data: &str) -> String {
        format!("{{\"validateMessagesShowId\":\"_validatorMessage\",\"status\":true,\"httpstatus\":200,\"data\":{data},\"messages\":[],\"validateMessages\":{{}}}}")
    }

    #[test]
    fn face_check_codes() {
        let ok = env(
            r#"{"login_flag":true,"is_show_qrcode":true,"face_check_code":"12","face_flag":true}"#,
        );
        assert_eq!(chech_face(&ok), Ok(FaceCheck::Passed));
        let no = env(r#"{"login_flag":true,"face_check_code":"14","face_flag":false}"#);
        match chech_face(&no) {
            Ok(FaceCheck::Refused { code, message }) => {
                assert_eq!(code, "14");
                assert!(message.contains("人证一致性核验"));
            }
            other => panic!("{other:?}"),
        }
        let out = env(r#"{"login_flag":false,"face_flag":false}"#);
        assert_eq!(
            chech_face(&out).map_err(|o| o.reason),
            Err(Reason::SessionLost)
        );
        let sub = env(r#"{"flag":false,"faceCheck":"11"}"#);
        let o = submit(&sub, "G2");
        assert_eq!((o.reason, o.next), (Reason::IdentityCheck, NextStep::Stop));
        assert!(submit(&env(r#"{"flag":true}"#), "G2").is_ok());
    }

    #[test]
    fn passenger_init_of_the_capture() {
        let body = env(
            r#"{"jzdhDateS":"2024-04-22","jzdhHourS":"15:01","jzdhDateE":"2024-05-01","jzdhHourE":"05:41","hbTrainList":[{"train_no":"55000G778410","station_train_code":"G7784","seat_type_code":"O","train_date":"2024-04-25","start_time":"06:24"}],"jzdhDiffSelect":["20","60","120","180","360","720","1440"],"canChooseWseat":"N","hb_passenger_max_num":9,"isLimitTran":"N","if_check_slide_passcode":"0","checkcode":"100","result_code":"0"}"#,
        );
        let i = passenger_init(&body).expect("init");
        assert_eq!(i.trains[0].train_code, "G7784");
        assert_eq!(i.deadline_choices_min, [20, 60, 120, 180, 360, 720, 1440]);
        assert_eq!(i.latest_deadline, "2024-05-01 05:41");
        assert_eq!(i.max_passengers, Some(9));
        assert!(!i.slide_required && !i.needs_app_check && !i.can_accept_no_seat);
    }

    #[test]
    fn confirm_and_queue() {
        assert!(confirm(&env(r#"{"flag":true,"trace_id":"C1_Y_1","isAsync":true}"#)).is_ok());
        let bad = r#"{"status":false,"messages":["参数不正确"]}"#;
        assert_eq!(confirm(bad).reason, Reason::BadRequest);
        assert_eq!(
            confirm(&env(r#"{"flag":false,"faceCheck":"14"}"#)).reason,
            Reason::IdentityCheck
        );
        assert_eq!(confirm("<html>").reason, Reason::Garbage);
        assert_eq!(
            query_queue(&env(
                r#"{"flag":true,"reserve_no":"EH9071000300612700","status":1,"isAsync":true}"#
            )),
            HbQueue::Placed {
                reserve_no: "EH9071000300612700".into()
            }
        );
        assert_eq!(
            query_queue(&env(r#"{"flag":true,"status":0,"waitTime":3}"#)),
            HbQueue::Waiting { wait_s: Some(3) }
        );
        assert_eq!(
            query_queue(&env(r#"{"flag":false,"status":-1,"msg":"没有候补订单"}"#)),
            HbQueue::Failed {
                message: "没有候补订单".into()
            }
        );
        assert!(matches!(query_queue("x"), HbQueue::Unclear(_)));
    }

    #[test]
    fn lists_and_cancel() {
        let body = env(
            r#"{"list":[{"reserve_no":"EH1","reserve_time":"2026-11-29 10:00:00","realize_limit_time":"2026-12-01 03:00:00","needs":[{"board_train_code":"G2","train_date":"20261201","seat_type_code":"O"}],"passengers":[{"passenger_name":"张三"}]}],"total_page":1}"#,
        );
        let l = unhonour_orders(&body).expect("list");
        assert_eq!(l.len(), 1);
        assert!(l[0].waits_for("G2", "2026-12-01"));
        assert!(!l[0].waits_for("G4", "2026-12-01"));
        assert_eq!(
            unhonour_orders(&env(r#"{"list":[],"total_page":0}"#)),
            Ok(vec![])
        );
        assert!(cancel_waiting(&env(r#"{"flag":true}"#)).is_ok());
        assert_eq!(success_rate(&env(r#"{"result":"55"}"#)), Some(55));
        assert_eq!(queue_num(&env(r#"{"flag":true,"queueNum":[{"station_train_code":"G2","seat_type_code":"O","queue_info":"候补人数较少","queue_level":"1"}]}"#))[0].info, "候补人数较少");
    }
}
