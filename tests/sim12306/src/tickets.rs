//! Parsing and checking `passengerTicketStr` / `oldPassengerStr` against the demo account's passengers.

use crate::passengers;
use crate::state::{TicketReq, MAX_PASSENGERS};
use crate::timetable::TrainDef;

/// Refusal: a passenger field does not match the account's list.
pub const BAD_PASSENGER: &str = "非法的乘车人信息";
/// Refusal: the passenger data is stale (12306 says 出票失败).
pub const STALE_PASSENGER: &str = "出票失败";
/// Refusal: a seat class the train does not have.
pub const BAD_SEAT: &str = "非法的席别";
/// Refusal: an unknown ticket type.
pub const BAD_TICKET_TYPE: &str = "非法的票种";
/// Refusal: more than nine tickets.
pub const TOO_MANY: &str = "最多只能购买9张车票";
/// Refusal: a student ticket for a non-student.
pub const STUDENT_ONLY: &str = "学生票乘车人必须为学生";

/// Seat class names as shown to users.
pub fn seat_name(code: char) -> &'static str {
    match code {
        '9' => "商务座",
        'P' => "特等座",
        'M' => "一等座",
        'D' => "优选一等座",
        'O' => "二等座",
        '1' => "硬座",
        '2' => "软座",
        '3' => "硬卧",
        '4' => "软卧",
        '5' => "包厢硬卧",
        '6' => "高级软卧",
        '7' => "一等软座",
        '8' => "二等软座",
        'A' => "高级动卧",
        'F' => "动卧",
        'H' => "一人软包",
        'I' => "一等卧",
        'J' => "二等卧",
        'S' => "二等包座",
        'W' => "无座",
        _ => "其他",
    }
}

/// The ticket type as 12306 names it (成人票, 儿童票, …).
pub fn ticket_type_name(t: &str) -> &'static str {
    match t {
        "2" => "儿童票",
        "3" => "学生票",
        "4" => "残军票",
        _ => "成人票",
    }
}

/// Parses and validates the passenger strings for train `t`; the error is the `errMsg` to answer.
pub fn parse(pts: &str, old: &str, t: &TrainDef) -> Result<Vec<TicketReq>, String> {
    if pts.trim().is_empty() {
        return Err(BAD_PASSENGER.into());
    }
    // Every entry ends with `_`; a child ticket on another passenger's record is written `_ ` by the page
    // (getOldPassengers for an addChildPassengerInfo entry), so the string may end with `_ ` too.
    if !old.is_empty() && !old.ends_with('_') && !old.ends_with("_ ") {
        return Err(BAD_PASSENGER.into());
    }
    let mut out = Vec::new();
    for one in pts.split('_') {
        let f: Vec<&str> = one.split(',').collect();
        if f.len() != 9 || f[1] != "0" {
            return Err(BAD_PASSENGER.into());
        }
        let mut seat_chars = f[0].chars();
        let (Some(seat), None) = (seat_chars.next(), seat_chars.next()) else {
            return Err(BAD_SEAT.into());
        };
        if t.class(seat).is_none() {
            return Err(BAD_SEAT.into());
        }
        if !matches!(f[2], "1" | "2" | "3" | "4") {
            return Err(BAD_TICKET_TYPE.into());
        }
        let Some(p) = passengers::by_name(f[3]) else {
            return Err(STALE_PASSENGER.into());
        };
        if f[4] != "1" || f[5] != p.id_no || f[8] != p.all_enc_str() {
            return Err(STALE_PASSENGER.into());
        }
        if f[2] == "3" && p.passenger_type != "3" {
            return Err(STUDENT_ONLY.into());
        }
        out.push(TicketReq {
            seat,
            ticket_type: f[2].to_string(),
            name: f[3].to_string(),
            id_type: f[4].to_string(),
            id_no: f[5].to_string(),
        });
    }
    if out.len() > MAX_PASSENGERS {
        return Err(TOO_MANY.into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passengers::PASSENGERS;
    use crate::timetable;

    fn pts(seat: &str, idx: usize, tt: &str) -> String {
        let p = &PASSENGERS[idx];
        format!(
            "{seat},0,{tt},{},1,{},{},N,{}",
            p.name,
            p.id_no,
            p.mobile,
            p.all_enc_str()
        )
    }

    #[test]
    fn accepts_and_rejects() {
        let all = timetable::build();
        let g2 = all.iter().find(|t| t.code == "G2").expect("G2");
        let ok = format!("{}_{}", pts("O", 0, "1"), pts("M", 1, "1"));
        let v = parse(
            &ok,
            "张三,1,1101***********012,1_李四,1,1101***********027,1_",
            g2,
        )
        .expect("valid");
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].seat, 'M');
        assert_eq!(parse(&pts("1", 0, "1"), "", g2), Err(BAD_SEAT.into()));
        assert_eq!(parse(&pts("W", 0, "1"), "", g2), Err(BAD_SEAT.into()));
        assert_eq!(parse(&pts("O", 0, "3"), "", g2), Err(STUDENT_ONLY.into()));
        assert!(parse(&pts("O", 4, "3"), "", g2).is_ok());
        assert_eq!(parse("O,0,1,张三", "", g2), Err(BAD_PASSENGER.into()));
        let child_on_adult = format!("{}_{}", pts("O", 0, "1"), pts("O", 0, "2"));
        assert!(parse(&child_on_adult, "张三,1,1101***********012,1__ ", g2).is_ok());
        assert_eq!(
            parse(&pts("O", 0, "1"), "张三,1,x,1", g2),
            Err(BAD_PASSENGER.into())
        );
        let wrong_enc = pts("O", 0, "1").replace(&PASSENGERS[0].all_enc_str(), "abc");
        assert_eq!(parse(&wrong_enc, "", g2), Err(STALE_PASSENGER.into()));
        let ten = vec![pts("O", 0, "1"); 10].join("_");
        assert_eq!(parse(&ten, "", g2), Err(TOO_MANY.into()));
        assert_eq!(parse("", "", g2), Err(BAD_PASSENGER.into()));
    }
}
