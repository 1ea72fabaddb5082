//! The account's passengers: `POST /otn/confirmPassenger/getPassengerDTOs` (PROTOCOL.md §5.4).

use crate::error::{parse_json_body, ParseError, ParseErrorKind};
use crate::query::messages_of;
use crate::seat::TicketType;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `total_times` values that enable an ID-card (type `1`) passenger when the answer has no list (2024 values).
const DEFAULT_TWO_OPEN_CLICK: [&str; 4] = ["93", "95", "97", "99"];
/// Same for other ID types.
const DEFAULT_OTHER_OPEN_CLICK: [&str; 6] = ["91", "93", "98", "99", "95", "97"];

/// One stored passenger (a contact of the account), with every field 12306 sends. Values are kept exactly as
/// received (IDs and phone numbers are masked by the server, which is fine: it identifies the passenger by
/// `all_enc_str`). Absent fields are empty strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Passenger {
    /// `passenger_name`.
    pub name: String,
    /// `sex_code` (`M`/`F`).
    pub sex_code: String,
    /// `sex_name`.
    pub sex_name: String,
    /// `born_date` (`1999-06-01 00:00:00`).
    pub born_date: String,
    /// `country_code` (`CN`).
    pub country_code: String,
    /// `passenger_id_type_code` (`1` = 居民身份证, `C`, `G`, `B`, `H`).
    pub id_type: String,
    /// `passenger_id_type_name`.
    pub id_type_name: String,
    /// `passenger_id_no` (masked, e.g. `1101***********012`).
    pub id_no: String,
    /// `passenger_type` (`1` adult, `2` child, `3` student, `4` disabled military).
    pub passenger_type: String,
    /// `passenger_type_name`.
    pub passenger_type_name: String,
    /// `mobile_no` (masked or plain).
    pub mobile_no: String,
    /// `phone_no`.
    pub phone_no: String,
    /// `email`.
    pub email: String,
    /// `address`.
    pub address: String,
    /// `postalcode`.
    pub postalcode: String,
    /// `first_letter` (pinyin initials of the name).
    pub first_letter: String,
    /// `recordCount`.
    pub record_count: String,
    /// `total_times`: the verification status (`99` = verified).
    pub total_times: String,
    /// `index_id` (`0`, `1`, …).
    pub index_id: String,
    /// `allEncStr`: server-encrypted identity, required in `passengerTicketStr` since ≈2019.
    pub all_enc_str: String,
    /// `isAdult` (`Y`/`N`).
    pub is_adult: String,
    /// `isYongThan10`.
    pub is_young_than_10: String,
    /// `isYongThan14`.
    pub is_young_than_14: String,
    /// `isOldThan60`.
    pub is_old_than_60: String,
    /// `if_receive`.
    pub if_receive: String,
    /// `is_active`.
    pub is_active: String,
    /// `last_time`.
    pub last_time: String,
    /// `mobile_code` (`86`).
    pub mobile_code: String,
    /// `gat_born_date`.
    pub gat_born_date: String,
    /// `gat_valid_date_start`.
    pub gat_valid_date_start: String,
    /// `gat_valid_date_end`.
    pub gat_valid_date_end: String,
    /// `gat_version`.
    pub gat_version: String,
    /// `code` (2018 answers).
    pub code: String,
    /// `passenger_flag` (2018 answers).
    pub passenger_flag: String,
    /// `isUserSelf` (`passengers/query` answers).
    pub is_user_self: String,
    /// Whether the official page would let this passenger be chosen: `total_times` is in the open-click list for
    /// the passenger's ID type. Computed by [`parse_passengers`]; see [`Passenger::is_verified`].
    pub verified: bool,
}

impl Passenger {
    /// True when 12306 lets this passenger buy tickets (identity verified): `total_times` was found in
    /// `two_isOpenClick` (ID type `1`) or `other_isOpenClick` (other types) of the answer it came from.
    pub fn is_verified(&self) -> bool {
        self.verified
    }

    /// The passenger's own type as a ticket type (`None` for unknown codes).
    pub fn ticket_type(&self) -> Option<TicketType> {
        TicketType::from_code(self.passenger_type.trim())
    }

    /// The phone value the official page puts into `passengerTicketStr` (mobile, else landline, else empty).
    pub fn phone_for_ticket(&self) -> &str {
        if self.mobile_no.is_empty() {
            &self.phone_no
        } else {
            &self.mobile_no
        }
    }

    /// True when `id_no` denotes this passenger's ID: equal, or equal where neither has a mask `*`
    /// (so a task holding `110101199001011234` matches the server's `1101***********234`).
    pub fn id_matches(&self, id_no: &str) -> bool {
        masked_eq(&self.id_no, id_no)
    }
}

fn masked_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    a.chars().count() == b.chars().count()
        && a.chars()
            .zip(b.chars())
            .all(|(x, y)| x == '*' || y == '*' || x.eq_ignore_ascii_case(&y))
}

/// The answer of getPassengerDTOs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PassengerList {
    /// `normal_passengers`.
    pub passengers: Vec<Passenger>,
    /// `dj_passengers` (2018 answers; usually empty).
    pub dj_passengers: Vec<Passenger>,
    /// `exMsg`: non-empty ⇒ the server reports a problem with the list (show it).
    pub ex_msg: String,
    /// `isExist`.
    pub is_exist: bool,
    /// `two_isOpenClick`: `total_times` values that enable passengers with ID type `1`.
    pub two_is_open_click: Vec<String>,
    /// `other_isOpenClick`: the same for other ID types.
    pub other_is_open_click: Vec<String>,
}

impl PassengerList {
    /// Whether `p` is enabled according to this list's open-click lists (2024 defaults when they are absent).
    pub fn is_verified(&self, p: &Passenger) -> bool {
        let total = p.total_times.trim();
        let (list, default): (&[String], &[&str]) = if p.id_type.trim() == "1" {
            (&self.two_is_open_click, &DEFAULT_TWO_OPEN_CLICK)
        } else {
            (&self.other_is_open_click, &DEFAULT_OTHER_OPEN_CLICK)
        };
        if list.is_empty() {
            default.contains(&total)
        } else {
            list.iter().any(|v| v == total)
        }
    }

    /// The passenger with this name and ID number (masked comparison, see [`Passenger::id_matches`]).
    pub fn find(&self, name: &str, id_no: &str) -> Option<&Passenger> {
        self.passengers
            .iter()
            .find(|p| p.name == name.trim() && p.id_matches(id_no))
    }

    /// The passengers with this name (names are not unique, IDs are).
    pub fn by_name<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Passenger> + 'a {
        self.passengers
            .iter()
            .filter(move |p| p.name == name.trim())
    }
}

/// Parses a getPassengerDTOs answer. `status:false` (e.g. `用户未登录`) gives [`ParseErrorKind::Rejected`] with
/// the server's messages as detail; an HTML body (session lost) gives [`ParseErrorKind::Html`].
pub fn parse_passengers(body: &str) -> Result<PassengerList, ParseError> {
    let v = parse_json_body(body)?;
    let obj = v
        .as_object()
        .ok_or_else(|| ParseError::shape("answer is not a JSON object"))?;
    if obj.get("status").and_then(Value::as_bool) == Some(false) {
        let messages = messages_of(obj.get("messages"));
        return Err(ParseError::new(
            ParseErrorKind::Rejected,
            messages.join("; "),
        ));
    }
    let data = obj
        .get("data")
        .and_then(Value::as_object)
        .ok_or_else(|| ParseError::missing("data"))?;
    let normal = data
        .get("normal_passengers")
        .ok_or_else(|| ParseError::missing("normal_passengers"))?;
    let mut list = PassengerList {
        passengers: passengers_of(normal)?,
        dj_passengers: data
            .get("dj_passengers")
            .map(passengers_of)
            .transpose()?
            .unwrap_or_default(),
        ex_msg: text(data, "exMsg"),
        is_exist: data.get("isExist").and_then(Value::as_bool).unwrap_or(true),
        two_is_open_click: strings(data.get("two_isOpenClick")),
        other_is_open_click: strings(data.get("other_isOpenClick")),
    };
    let verified: Vec<bool> = list
        .passengers
        .iter()
        .map(|p| list.is_verified(p))
        .collect();
    for (p, v) in list.passengers.iter_mut().zip(verified) {
        p.verified = v;
    }
    let verified: Vec<bool> = list
        .dj_passengers
        .iter()
        .map(|p| list.is_verified(p))
        .collect();
    for (p, v) in list.dj_passengers.iter_mut().zip(verified) {
        p.verified = v;
    }
    Ok(list)
}

/// Parses an array of passenger objects (also the `data.datas` of `passengers/query`). `null` reads as empty.
pub fn passengers_of(v: &Value) -> Result<Vec<Passenger>, ParseError> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                item.as_object()
                    .map(passenger_of)
                    .ok_or_else(|| ParseError::shape(format!("passenger {i} is not an object")))
            })
            .collect(),
        _ => Err(ParseError::shape("passenger list is not an array")),
    }
}

fn passenger_of(o: &Map<String, Value>) -> Passenger {
    let t = |k: &str| text(o, k);
    Passenger {
        name: t("passenger_name"),
        sex_code: t("sex_code"),
        sex_name: t("sex_name"),
        born_date: t("born_date"),
        country_code: t("country_code"),
        id_type: t("passenger_id_type_code"),
        id_type_name: t("passenger_id_type_name"),
        id_no: t("passenger_id_no"),
        passenger_type: t("passenger_type"),
        passenger_type_name: t("passenger_type_name"),
        mobile_no: t("mobile_no"),
        phone_no: t("phone_no"),
        email: t("email"),
        address: t("address"),
        postalcode: t("postalcode"),
        first_letter: t("first_letter"),
        record_count: t("recordCount"),
        total_times: t("total_times"),
        index_id: t("index_id"),
        all_enc_str: t("allEncStr"),
        is_adult: t("isAdult"),
        is_young_than_10: t("isYongThan10"),
        is_young_than_14: t("isYongThan14"),
        is_old_than_60: t("isOldThan60"),
        if_receive: t("if_receive"),
        is_active: t("is_active"),
        last_time: t("last_time"),
        mobile_code: t("mobile_code"),
        gat_born_date: t("gat_born_date"),
        gat_valid_date_start: t("gat_valid_date_start"),
        gat_valid_date_end: t("gat_valid_date_end"),
        gat_version: t("gat_version"),
        code: t("code"),
        passenger_flag: t("passenger_flag"),
        is_user_self: t("isUserSelf"),
        verified: false,
    }
}

/// A field as text: strings verbatim, numbers/booleans printed, null/absent/other empty.
fn text(o: &Map<String, Value>, key: &str) -> String {
    match o.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| match x {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_ids_match() {
        let p = Passenger {
            id_no: "1101***********012".into(),
            ..Default::default()
        };
        assert!(p.id_matches("110101199001011012"));
        assert!(p.id_matches("1101***********012"));
        assert!(!p.id_matches("110101199001011013"));
        assert!(!p.id_matches("1101"));
    }

    #[test]
    fn rejected_and_missing() {
        let e = parse_passengers(r#"{"status":false,"messages":["用户未登录"]}"#).unwrap_err();
        assert_eq!(
            (e.kind, e.detail.as_str()),
            (ParseErrorKind::Rejected, "用户未登录")
        );
        let e = parse_passengers(r#"{"status":true,"data":{}}"#).unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::Missing("normal_passengers".into()));
        let ok =
            parse_passengers(r#"{"status":true,"data":{"normal_passengers":null,"exMsg":"x"}}"#)
                .unwrap();
        assert!(ok.passengers.is_empty());
        assert_eq!(ok.ex_msg, "x");
    }
}
