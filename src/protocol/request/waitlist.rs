//! The requests of the 候补 (waitlist, `afterNate`) flow as the official pages send them in 2026 (PROTOCOL.md
//! §5.13): the face check and the choice of trains from the query page, then the 候补 page
//! (`lineUp_toPay.html`): its data, the success estimate, the queue sizes, `confirmHB` with the 2026 field set,
//! its queue; and the waitlist order page (`lineUp_order.html`): the 待兑现 list and cancellation.

use super::{xhr_post, Endpoint, HttpRequest, REFERER_QUERY_PAGE};
use crate::form;

/// The Referer of the 候补 page (passengerInitApi … queryQueue; CAP24).
pub const REFERER_HB_PAGE: &str = "https://kyfw.12306.cn/otn/view/lineUp_toPay.html";
/// The Referer of the waitlist order list (`lineUp_order.html`, TRIP 2026-09).
pub const REFERER_HB_ORDERS: &str = "https://kyfw.12306.cn/otn/view/lineUp_order.html";

/// One train × class of a 候补 order: the query row's secretStr exactly as received (still %-encoded) and the
/// class's submit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HbPlan<'a> {
    /// Row field 0 as received.
    pub secret_str: &'a str,
    /// Seat class code (`O`, `M`, …; never 无座).
    pub seat_code: &'a str,
}

/// `secretList`: `<secretStr>#<seat>|` per plan, the secretStr still %-encoded (so it is encoded again on the
/// wire: `%252B…%23O%7C`, CAP24).
pub fn secret_list(plans: &[HbPlan<'_>]) -> String {
    plans
        .iter()
        .map(|p| format!("{}#{}|", p.secret_str, p.seat_code))
        .collect()
}

/// `POST /otn/afterNate/chechFace` `secretList=…` from the query page.
pub fn chech_face(plans: &[HbPlan<'_>]) -> HttpRequest {
    let body = form::encode(&[("secretList", &secret_list(plans)), ("_json_att", "")]);
    xhr_post(Endpoint::HbChechFace.path(), body, REFERER_QUERY_PAGE)
}

/// `POST /otn/afterNate/submitOrderRequest` `secretList=…` from the query page.
pub fn submit_order_request(plans: &[HbPlan<'_>]) -> HttpRequest {
    let body = form::encode(&[("secretList", &secret_list(plans)), ("_json_att", "")]);
    xhr_post(
        Endpoint::HbSubmitOrderRequest.path(),
        body,
        REFERER_QUERY_PAGE,
    )
}

/// `POST /otn/afterNate/passengerInitApi` (empty form).
pub fn passenger_init() -> HttpRequest {
    xhr_post(
        Endpoint::HbPassengerInit.path(),
        "_json_att=".into(),
        REFERER_HB_PAGE,
    )
}

/// `POST /otn/confirmPassenger/getPassengerDTOs` from the 候补 page, without a token (CAP24: the page asks it for
/// the passengers' `allEncStr`, PROTOCOL.md §5.4).
pub fn get_passenger_dtos() -> HttpRequest {
    xhr_post(
        Endpoint::GetPassengerDtos.path(),
        "_json_att=".into(),
        REFERER_HB_PAGE,
    )
}

/// `POST /otn/afterNate/querySuccessRate`: `plans=<secretStr>,<seat>#…&realize_limit_time_diff=&add_train_flag=N
/// &passenger_num=0` (CAP24).
pub fn query_success_rate(plans: &[HbPlan<'_>]) -> HttpRequest {
    let list: String = plans
        .iter()
        .map(|p| format!("{},{}#", p.secret_str, p.seat_code))
        .collect();
    let body = form::encode(&[
        ("plans", &list),
        ("realize_limit_time_diff", ""),
        ("add_train_flag", "N"),
        ("passenger_num", "0"),
    ]);
    xhr_post(Endpoint::HbQuerySuccessRate.path(), body, REFERER_HB_PAGE)
}

/// `POST /otn/afterNate/getQueueNum` (empty form).
pub fn get_queue_num() -> HttpRequest {
    xhr_post(
        Endpoint::HbGetQueueNum.path(),
        "_json_att=".into(),
        REFERER_HB_PAGE,
    )
}

/// One passenger of a 候补 order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HbPassenger<'a> {
    /// Ticket type code (`1` adult, …).
    pub ticket_type: &'a str,
    /// Name as in getPassengerDTOs.
    pub name: &'a str,
    /// ID type code.
    pub id_type: &'a str,
    /// ID number as in getPassengerDTOs (masked is fine).
    pub id_no: &'a str,
    /// `allEncStr`.
    pub all_enc_str: &'a str,
    /// getPassengerDTOs `isOldThan60 == "Y"`.
    pub older_than_60: bool,
}

/// Sleeper class codes: with one of them among the plans an older passenger's 6th field is `1` (GOGO, quoting the
/// official `main_v11024.js`, PROTOCOL.md §5.13).
const SLEEPER_CODES: &str = "3F46AIJ";

/// `passengerInfo`: `<type>#<name>#<idType>#<idNo>#<allEncStr>#<0|1>;` per passenger, the 6th field `1` iff
/// the passenger is older than 60 and a plan is a sleeper class (PROTOCOL.md §5.13).
pub fn passenger_info(passengers: &[HbPassenger<'_>], plans: &[HbPlan<'_>]) -> String {
    let sleeper = plans
        .iter()
        .any(|p| p.seat_code.len() == 1 && SLEEPER_CODES.contains(p.seat_code));
    passengers
        .iter()
        .map(|p| {
            let lower = u8::from(p.older_than_60 && sleeper);
            format!(
                "{}#{}#{}#{}#{}#{lower};",
                p.ticket_type, p.name, p.id_type, p.id_no, p.all_enc_str
            )
        })
        .collect()
}

/// Inputs of confirmHB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HbConfirm<'a> {
    /// The passengers.
    pub passengers: &'a [HbPassenger<'a>],
    /// The plans chosen with submitOrderRequest (for the sleeper rule of `passengerInfo`; they travel in the
    /// session, so `plans` and `hbTrain` stay empty as on the 2024/2026 pages for plans from the query page).
    pub plans: &'a [HbPlan<'a>],
    /// 截止兑现时间 as `realize_limit_time_diff`: minutes before departure, one of passengerInitApi's
    /// `jzdhDiffSelect`.
    pub realize_limit_minutes: u32,
    /// `if_receive_wseat`: accept 无座.
    pub accept_no_seat: bool,
    /// The order page's risk value when the host has one; the page sends `""` when its script did not run.
    pub encrypted_data: &'a str,
}

/// `POST /otn/afterNate/confirmHB` with the 2026 field set in the page's order (CAP24's body, which already had
/// it; KYFW26, TRIP): `passengerInfo, jzParam, hbTrain, lkParam, sessionId, sig, scene, encryptedData,
/// if_receive_wseat, realize_limit_time_diff, plans, tmp_train_date, tmp_train_time, add_train_flag,
/// add_train_seat_type_code`. The 2023 set without the last six got 参数不正确 (JOHNSHA 2026-03).
pub fn confirm_hb(c: &HbConfirm<'_>) -> HttpRequest {
    let info = passenger_info(c.passengers, c.plans);
    let diff = c.realize_limit_minutes.to_string();
    let body = form::encode(&[
        ("passengerInfo", info.as_str()),
        ("jzParam", ""),
        ("hbTrain", ""),
        ("lkParam", ""),
        ("sessionId", ""),
        ("sig", ""),
        ("scene", "nc_login"),
        ("encryptedData", c.encrypted_data),
        ("if_receive_wseat", if c.accept_no_seat { "Y" } else { "N" }),
        ("realize_limit_time_diff", diff.as_str()),
        ("plans", ""),
        ("tmp_train_date", ""),
        ("tmp_train_time", ""),
        ("add_train_flag", "N"),
        ("add_train_seat_type_code", ""),
    ]);
    xhr_post(Endpoint::HbConfirm.path(), body, REFERER_HB_PAGE)
}

/// `POST /otn/afterNate/queryQueue` (empty form), polled until the 候补 order exists.
pub fn query_queue() -> HttpRequest {
    xhr_post(
        Endpoint::HbQueryQueue.path(),
        "_json_att=".into(),
        REFERER_HB_PAGE,
    )
}

/// `POST /otn/afterNateOrder/queryUnHonourHOrder`: the 候补 orders waiting to be fulfilled (first page).
pub fn query_unhonour() -> HttpRequest {
    let body = form::encode(&[("page_no", "0"), ("_json_att", "")]);
    xhr_post(Endpoint::HbQueryUnHonour.path(), body, REFERER_HB_ORDERS)
}

/// `POST /otn/afterNateOrder/cancelWaitingHOrder` `reserve_no=…`.
pub fn cancel_waiting(reserve_no: &str) -> HttpRequest {
    let body = form::encode(&[("reserve_no", reserve_no), ("_json_att", "")]);
    xhr_post(Endpoint::HbCancelWaiting.path(), body, REFERER_HB_ORDERS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(r: &HttpRequest) -> &str {
        r.body.as_deref().unwrap_or("")
    }

    #[test]
    fn secret_list_is_encoded_once_more_on_the_wire() {
        let plans = [HbPlan {
            secret_str: "ab%2Bc%3D",
            seat_code: "O",
        }];
        let r = chech_face(&plans);
        assert_eq!(body(&r), "secretList=ab%252Bc%253D%23O%7C&_json_att=");
        assert!(r.url.ends_with("/otn/afterNate/chechFace"));
        assert_eq!(r.referer, REFERER_QUERY_PAGE);
    }

    #[test]
    fn confirm_hb_sends_the_2026_field_set_in_order() {
        let plans = [HbPlan {
            secret_str: "x",
            seat_code: "3",
        }];
        let ps = [
            HbPassenger {
                ticket_type: "1",
                name: "张三",
                id_type: "1",
                id_no: "1101***********012",
                all_enc_str: "ab",
                older_than_60: true,
            },
            HbPassenger {
                ticket_type: "1",
                name: "李四",
                id_type: "1",
                id_no: "1101***********027",
                all_enc_str: "cd",
                older_than_60: false,
            },
        ];
        let r = confirm_hb(&HbConfirm {
            passengers: &ps,
            plans: &plans,
            realize_limit_minutes: 360,
            accept_no_seat: true,
            encrypted_data: "",
        });
        let names: Vec<&str> = body(&r)
            .split('&')
            .map(|kv| kv.split('=').next().unwrap_or(""))
            .collect();
        assert_eq!(
            names,
            [
                "passengerInfo",
                "jzParam",
                "hbTrain",
                "lkParam",
                "sessionId",
                "sig",
                "scene",
                "encryptedData",
                "if_receive_wseat",
                "realize_limit_time_diff",
                "plans",
                "tmp_train_date",
                "tmp_train_time",
                "add_train_flag",
                "add_train_seat_type_code"
            ]
        );
        assert!(body(&r).contains("if_receive_wseat=Y&realize_limit_time_diff=360&plans=&"));
        assert_eq!(
            passenger_info(&ps, &plans),
            "1#张三#1#1101***********012#ab#1;1#李四#1#1101***********027#cd#0;"
        );
        let seat = [HbPlan {
            secret_str: "x",
            seat_code: "O",
        }];
        assert!(passenger_info(&ps, &seat).starts_with("1#张三#1#1101***********012#ab#0;"));
    }
}
