//! The two passenger strings of `checkOrderInfo` / `confirmSingleForQueue` (PROTOCOL.md §5.5), built exactly like
//! the official order page:
//!
//! ```text
//! passengerTicketStr = seat,0,ticket_type,name,id_type,id_no,phone,N,allEncStr  joined by "_"
//! oldPassengerStr    = name,id_type,id_no,passenger_type_ + …                   (trailing "_")
//! ```
//!
//! Values are put in verbatim (masked IDs included; the server identifies passengers by `allEncStr`). They are
//! not escaped: the format has no escaping, and real names/IDs never contain `,` or `_`. Form-encoding of the
//! whole string is the request builder's job.

use crate::passengers::Passenger;
use crate::seat::{SeatClass, TicketType};
use serde::{Deserialize, Serialize};

/// One ticket to buy: who, which class, which ticket type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    /// The stored passenger (from getPassengerDTOs).
    pub passenger: Passenger,
    /// The class; [`SeatClass::NoSeat`] is submitted under the train's base class.
    pub seat: SeatClass,
    /// The ticket type (e.g. [`TicketType::Child`] for a child riding on an adult's record).
    pub ticket_type: TicketType,
}

/// `passengerTicketStr` for `train_code` (used to submit 无座 under `O` or `1`).
pub fn passenger_ticket_str(train_code: &str, tickets: &[Ticket]) -> String {
    tickets
        .iter()
        .map(|t| {
            let p = &t.passenger;
            // 2nd field is always 0; 8th `N` = don't save as a new contact (official page, CAP24).
            format!(
                "{},0,{},{},{},{},{},N,{}",
                t.seat.submit_code(train_code),
                t.ticket_type.code(),
                p.name,
                p.id_type,
                p.id_no,
                p.phone_for_ticket(),
                p.all_enc_str
            )
        })
        .collect::<Vec<_>>()
        .join("_")
}

/// `oldPassengerStr`: every ticket contributes its stored passenger's own data and `passenger_type`
/// followed by `_` (so the string ends with `_`), as the official page does for stored contacts — except a
/// child ticket riding on another ticket's record. The page's `addChildPassengerInfo` adds such a ticket as a
/// new entry (`sdAdd_…`) that is not a stored contact, and `getOldPassengers` writes `_ ` (underscore, space)
/// for it instead of repeating the record; sending the record twice would not be what 12306 expects.
pub fn old_passenger_str(tickets: &[Ticket]) -> String {
    tickets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if rides_on_another_ticket(tickets, i) {
                return "_ ".to_owned();
            }
            let p = &t.passenger;
            format!("{},{},{},{}_", p.name, p.id_type, p.id_no, p.passenger_type)
        })
        .collect()
}

/// The same stored record: what the page keys its contacts by.
fn same_record(a: &Passenger, b: &Passenger) -> bool {
    a.name == b.name
        && a.id_type == b.id_type
        && a.id_no == b.id_no
        && a.all_enc_str == b.all_enc_str
}

/// Whether ticket `i` is a child ticket added on a record that another ticket already carries. The record's
/// "owner" is its first non-child ticket, or its first ticket when all of them are child tickets (a child with
/// their own stored record keeps their entry); every other child ticket on that record rides on it.
fn rides_on_another_ticket(tickets: &[Ticket], i: usize) -> bool {
    let Some(t) = tickets.get(i) else {
        return false;
    };
    if t.ticket_type != TicketType::Child {
        return false;
    }
    let mut same = tickets
        .iter()
        .enumerate()
        .filter(|(_, o)| same_record(&o.passenger, &t.passenger));
    let owner = same
        .clone()
        .find(|(_, o)| o.ticket_type != TicketType::Child)
        .or_else(|| same.next())
        .map(|(j, _)| j);
    owner != Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, passenger_type: &str) -> Passenger {
        Passenger {
            name: name.into(),
            id_type: "1".into(),
            id_no: "1101***********012".into(),
            passenger_type: passenger_type.into(),
            mobile_no: String::new(),
            phone_no: "010-1".into(),
            all_enc_str: "ab".into(),
            ..Default::default()
        }
    }

    #[test]
    fn no_seat_child_and_phone_fallback() {
        let tickets = [
            Ticket {
                passenger: p("甲", "1"),
                seat: SeatClass::NoSeat,
                ticket_type: TicketType::Adult,
            },
            Ticket {
                passenger: p("甲", "1"),
                seat: SeatClass::HardSeat,
                ticket_type: TicketType::Child,
            },
        ];
        assert_eq!(
            passenger_ticket_str("K1511", &tickets),
            "1,0,1,甲,1,1101***********012,010-1,N,ab_1,0,2,甲,1,1101***********012,010-1,N,ab"
        );
        assert!(passenger_ticket_str("G1", &tickets).starts_with("O,0,1,"));
        assert_eq!(
            old_passenger_str(&tickets),
            "甲,1,1101***********012,1__ ",
            "the child ticket on 甲's record is written `_ `, as the page's addChildPassengerInfo entries are"
        );
        assert_eq!(old_passenger_str(&[]), "");
        assert_eq!(passenger_ticket_str("G1", &[]), "");
    }

    fn ticket(passenger: Passenger, ticket_type: TicketType) -> Ticket {
        Ticket {
            passenger,
            seat: SeatClass::Second,
            ticket_type,
        }
    }

    #[test]
    fn child_on_an_adult_record_in_any_position() {
        let adult = p("甲", "1");
        let mut other = p("乙", "1");
        other.id_no = "1101***********027".into();
        other.all_enc_str = "cd".into();
        // The child ticket listed before the adult's own ticket still rides on it.
        let tickets = [
            ticket(adult.clone(), TicketType::Child),
            ticket(other.clone(), TicketType::Adult),
            ticket(adult.clone(), TicketType::Adult),
        ];
        assert_eq!(
            old_passenger_str(&tickets),
            "_ 乙,1,1101***********027,1_甲,1,1101***********012,1_"
        );
        // Two children on one adult.
        let tickets = [
            ticket(adult.clone(), TicketType::Adult),
            ticket(adult.clone(), TicketType::Child),
            ticket(adult, TicketType::Child),
        ];
        assert_eq!(
            old_passenger_str(&tickets),
            "甲,1,1101***********012,1__ _ "
        );
    }

    #[test]
    fn child_with_their_own_record_is_unchanged() {
        let mut child = p("小宝", "2");
        child.id_no = "1101***********055".into();
        let tickets = [
            ticket(p("甲", "1"), TicketType::Adult),
            ticket(child, TicketType::Child),
        ];
        assert_eq!(
            old_passenger_str(&tickets),
            "甲,1,1101***********012,1_小宝,1,1101***********055,2_"
        );
    }
}
