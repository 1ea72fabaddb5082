//! One row of the ticket query answer (`data.result[i]`): a `|`-separated string of 37 to 58+ fields.
//!
//! All positions live in [`row_index`]. Rows from older layouts simply lack the later fields, which then read as
//! empty/`None`; extra trailing fields from newer layouts are ignored (their count is kept in
//! [`Train::field_count`]).

pub mod availability;
pub mod features;
pub mod prices;
pub mod row_index;
pub mod sale_time;

pub use availability::{column_of, Availability, SeatCell};
pub use features::TrainFeatures;
pub use prices::{SeatDiscount, SeatPrice};
pub use sale_time::{ButtonSaleTime, SaleTime};

use crate::error::{prefix, ParseError, ParseErrorKind};
use crate::seat::SeatClass;
use availability::{classify, owns_column, yp_ex_codes, Houbu};
use row_index as ix;
use serde::{Deserialize, Serialize};

/// Longest row accepted; real rows are < 1.5 KB.
const MAX_ROW_BYTES: usize = 64 * 1024;

/// `canWebBuy` (row field 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CanWebBuy {
    /// `Y`: bookable on the web now.
    Yes,
    /// `N` (sold out / controlled) or any unknown value.
    No,
    /// `IS_TIME_NOT_BUY`: not on sale yet, or the maintenance window.
    NotYet,
}

/// A train as one query row describes it. Field names follow PROTOCOL.md §3.5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Train {
    /// Booking token exactly as received (still %-encoded); `None` when empty or `null` (not bookable).
    pub secret_str: Option<String>,
    /// Button text: `预订`, `14点30分起售`, `列车停运`, `列车运行图调整,暂停发售`… (the texts of a train off sale
    /// are classified by [`crate::outcome::classify_message`]).
    pub button_text: String,
    /// Internal train id (`55000G829420`).
    pub train_no: String,
    /// Public train code (`station_train_code`, `G8294`).
    pub code: String,
    /// Telecode of the train's origin.
    pub start_telecode: String,
    /// Telecode of the train's terminus.
    pub end_telecode: String,
    /// Telecode of the boarding station of this row.
    pub from_telecode: String,
    /// Telecode of the alighting station of this row.
    pub to_telecode: String,
    /// Departure `HH:MM`.
    pub depart: String,
    /// Arrival `HH:MM`.
    pub arrive: String,
    /// Duration `HH:MM` as received.
    pub duration: String,
    /// Duration in minutes, when `duration` is a valid `HH:MM`.
    pub duration_minutes: Option<u32>,
    /// `canWebBuy`.
    pub can_web_buy: CanWebBuy,
    /// `yp_info` as received (opaque, %-encoded).
    pub yp_info: String,
    /// `YYYYMMDD` the train leaves its origin.
    pub start_train_date: String,
    /// `train_seat_feature`.
    pub train_seat_feature: String,
    /// `location_code` (the order page's `train_location`).
    pub location_code: String,
    /// Stop number of the boarding station (`01`).
    pub from_station_no: String,
    /// Stop number of the alighting station.
    pub to_station_no: String,
    /// ID-card gate supported (`is_support_card == "1"`).
    pub is_support_card: bool,
    /// Controlled/limited sale (`controlled_train_flag == "1"`).
    pub controlled: bool,
    /// Every seat class the train offers, with its cell (classes with an empty/`--` cell are left out), in
    /// the order of [`SeatClass::ALL`] (the official table's: 商务座, 优选一等座, 一等座, 二等座, …).
    pub seats: Vec<SeatCell>,
    /// `yp_ex` as received (`<seat code><discount flag>` pairs).
    pub yp_ex: String,
    /// `seat_types` as received (codes sold on this train, for queryTicketPrice).
    pub seat_types: String,
    /// 积分兑换 allowed (`exchange_train_flag == "1"`).
    pub exchange: bool,
    /// 候补 (waitlist) allowed for this train (`houbu_train_flag == "1"`; false in 37-field rows).
    pub houbu: bool,
    /// Seat codes for which 候补 is currently refused.
    pub houbu_seat_limit: String,
    /// `yp_info_new` as received.
    pub yp_info_new: String,
    /// `yp_info_new` decoded.
    pub prices: Vec<SeatPrice>,
    /// `dw_flag` as received.
    pub dw_flag: String,
    /// `dw_flag` decoded.
    pub features: TrainFeatures,
    /// Minutes before departure when the ticket gate closes.
    pub stopcheck_minutes: Option<u32>,
    /// `country_flag`, e.g. `CHN,CHN`.
    pub country_flag: String,
    /// `bed_level_info` (echo it in `submitOrderRequest`).
    pub bed_level_info: String,
    /// `seat_discount_info` (echo it in `submitOrderRequest`).
    pub seat_discount_info: String,
    /// `sale_time` as received (`YYYYMMDDHHMM`).
    pub sale_time_raw: String,
    /// `sale_time` parsed.
    pub sale_time: Option<SaleTime>,
    /// Number of `|`-separated fields in the row (37, 47, 57, 58…).
    pub field_count: usize,
}

impl Train {
    /// What the row says about `seat` ([`Availability::NotOffered`] when the train lacks the class).
    pub fn availability(&self, seat: SeatClass) -> Availability {
        self.cell(seat)
            .map(|c| c.availability.clone())
            .unwrap_or(Availability::NotOffered)
    }

    /// The cell of `seat`, if the train offers it.
    pub fn cell(&self, seat: SeatClass) -> Option<&SeatCell> {
        self.seats.iter().find(|c| c.seat == seat)
    }

    /// True when `n_passengers` tickets of `seat` can be bought now (`有`, or a count ≥ n).
    pub fn has_tickets_for(&self, seat: SeatClass, n_passengers: u32) -> bool {
        self.availability(seat).has_at_least(n_passengers)
    }

    /// The first class of `preferences` (in order) with tickets for `n_passengers` right now, if any.
    pub fn best_seat(&self, preferences: &[SeatClass], n_passengers: u32) -> Option<SeatClass> {
        preferences
            .iter()
            .copied()
            .find(|s| self.has_tickets_for(*s, n_passengers))
    }

    /// True when the row can be submitted now: a secretStr, `canWebBuy == Y` and the `预订` button.
    pub fn is_bookable(&self) -> bool {
        self.secret_str.is_some()
            && self.can_web_buy == CanWebBuy::Yes
            && self.button_text == "预订"
    }

    /// The opening time named by a not-yet-on-sale button (`14点30分起售`, `MM月DD日HH点起售`).
    pub fn button_sale_time(&self) -> Option<ButtonSaleTime> {
        sale_time::parse_button_sale_time(&self.button_text)
    }

    /// Price in yuan × 10 of `seat` from `yp_info_new`, if listed.
    pub fn price_tenths(&self, seat: SeatClass) -> Option<u32> {
        self.prices
            .iter()
            .find(|p| p.seat == Some(seat))
            .map(|p| p.price_tenths)
    }

    /// `seat_discount_info` decoded into groups.
    pub fn seat_discounts(&self) -> Vec<SeatDiscount> {
        prices::decode_seat_discounts(&self.seat_discount_info)
    }
}

/// Parses one query row. Fails only when the row is not a train row at all (fewer than 37 fields, or no train
/// number / code / stations); every optional or newer field is tolerated.
pub fn parse_row(row: &str) -> Result<Train, ParseError> {
    if row.len() > MAX_ROW_BYTES {
        return Err(ParseError::new(
            ParseErrorKind::TooLarge,
            format!("row of {} bytes", row.len()),
        ));
    }
    let f: Vec<&str> = row.split('|').collect();
    if f.len() < ix::MIN_FIELDS {
        return Err(ParseError::shape(format!(
            "row has {} fields, need at least {}: {:?}",
            f.len(),
            ix::MIN_FIELDS,
            prefix(row, 60)
        )));
    }
    let get = |i: usize| f.get(i).copied().unwrap_or("").trim();
    let required = |i: usize, name: &str| {
        let v = get(i);
        if v.is_empty() {
            Err(ParseError::missing(name))
        } else {
            Ok(v.to_string())
        }
    };

    let secret = get(ix::SECRET_STR);
    let seat_types = get(ix::SEAT_TYPES).to_string();
    let yp_ex = get(ix::YP_EX).to_string();
    let houbu_seat_limit = get(ix::HOUBU_SEAT_LIMIT).to_string();
    let houbu = get(ix::HOUBU_TRAIN_FLAG) == "1";
    let sold_codes = format!("{seat_types}{}", yp_ex_codes(&yp_ex));
    let ctx = Houbu {
        allowed: houbu,
        seat_limit: &houbu_seat_limit,
    };
    let seats = SeatClass::ALL
        .iter()
        .filter_map(|&seat| {
            if !owns_column(seat, &sold_codes) {
                return None;
            }
            let column = column_of(seat);
            let raw = get(column);
            let availability = classify(raw, seat, ctx);
            (availability != Availability::NotOffered).then(|| SeatCell {
                seat,
                code: seat.code().to_owned(),
                label: seat.name_zh().to_owned(),
                column,
                raw: raw.to_string(),
                availability,
            })
        })
        .collect();
    let duration = get(ix::LISHI).to_string();
    let yp_info_new = get(ix::YP_INFO_NEW).to_string();
    let dw_flag = get(ix::DW_FLAG).to_string();
    let sale_time_raw = get(ix::SALE_TIME).to_string();

    Ok(Train {
        secret_str: (!secret.is_empty() && secret != "null").then(|| secret.to_string()),
        button_text: get(ix::BUTTON_TEXT).to_string(),
        train_no: required(ix::TRAIN_NO, "train_no")?,
        code: required(ix::STATION_TRAIN_CODE, "station_train_code")?,
        start_telecode: get(ix::START_TELECODE).to_string(),
        end_telecode: get(ix::END_TELECODE).to_string(),
        from_telecode: required(ix::FROM_TELECODE, "from_station_telecode")?,
        to_telecode: required(ix::TO_TELECODE, "to_station_telecode")?,
        depart: get(ix::START_TIME).to_string(),
        arrive: get(ix::ARRIVE_TIME).to_string(),
        duration_minutes: hhmm_minutes(&duration),
        duration,
        can_web_buy: match get(ix::CAN_WEB_BUY) {
            "Y" => CanWebBuy::Yes,
            "IS_TIME_NOT_BUY" => CanWebBuy::NotYet,
            _ => CanWebBuy::No,
        },
        yp_info: get(ix::YP_INFO).to_string(),
        start_train_date: get(ix::START_TRAIN_DATE).to_string(),
        train_seat_feature: get(ix::TRAIN_SEAT_FEATURE).to_string(),
        location_code: get(ix::LOCATION_CODE).to_string(),
        from_station_no: get(ix::FROM_STATION_NO).to_string(),
        to_station_no: get(ix::TO_STATION_NO).to_string(),
        is_support_card: get(ix::IS_SUPPORT_CARD) == "1",
        controlled: get(ix::CONTROLLED_TRAIN_FLAG) == "1",
        seats,
        yp_ex,
        seat_types,
        exchange: get(ix::EXCHANGE_TRAIN_FLAG) == "1",
        houbu,
        houbu_seat_limit,
        prices: prices::decode_yp_info_new(&yp_info_new),
        yp_info_new,
        features: features::decode_dw_flag(&dw_flag),
        dw_flag,
        stopcheck_minutes: get(ix::STOPCHECK_TIME).parse().ok(),
        country_flag: get(ix::COUNTRY_FLAG).to_string(),
        bed_level_info: get(ix::BED_LEVEL_INFO).to_string(),
        seat_discount_info: get(ix::SEAT_DISCOUNT_INFO).to_string(),
        sale_time: SaleTime::parse(&sale_time_raw),
        sale_time_raw,
        field_count: f.len(),
    })
}

/// `HH:MM` → minutes (`01:09` → 69); `None` when malformed.
fn hhmm_minutes(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    let all_digits =
        |x: &str| !x.is_empty() && x.len() <= 3 && x.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(h) || !all_digits(m) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60).then_some(h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(hhmm_minutes("01:09"), Some(69));
        assert_eq!(hhmm_minutes("99:59"), Some(99 * 60 + 59));
        assert_eq!(hhmm_minutes("1:70"), None);
        assert_eq!(hhmm_minutes(""), None);
        assert_eq!(hhmm_minutes("+1:00"), None);
    }

    fn row(cells: &[(usize, &str)]) -> String {
        let mut f = vec![""; 57];
        for (i, v) in [(2, "5l000G700100"), (3, "G7001"), (6, "NKH"), (7, "AOH")] {
            f[i] = v;
        }
        for &(i, v) in cells {
            f[i] = v;
        }
        f.join("|")
    }

    #[test]
    fn premium_first_class_has_its_own_column() {
        // PROTOCOL.md §3.5/§4.1: 优选一等座 (`D`) is counted in gg_num (20), 一等座 in zy_num (31).
        let t = parse_row(&row(&[(20, "2"), (31, "有"), (35, "DMO")])).unwrap();
        assert_eq!(
            t.availability(SeatClass::FirstPremium),
            Availability::Count(2)
        );
        let d = t.cell(SeatClass::FirstPremium).unwrap();
        assert_eq!(
            (d.column, d.code.as_str(), d.label.as_str()),
            (20, "D", "优选一等座")
        );
        assert_eq!(t.availability(SeatClass::First), Availability::Plenty);
        assert_eq!(
            t.best_seat(&[SeatClass::Business, SeatClass::FirstPremium], 3),
            None
        );
        assert_eq!(
            t.best_seat(&[SeatClass::FirstPremium, SeatClass::First], 3),
            Some(SeatClass::First)
        );
        // A `D` in seat_types with an empty field 20 does not make column 31 优选一等座 (the 2025 reading that
        // §4.1 says is contradicted).
        let t = parse_row(&row(&[(31, "5"), (35, "DO")])).unwrap();
        assert_eq!(t.availability(SeatClass::First), Availability::Count(5));
        assert_eq!(
            t.availability(SeatClass::FirstPremium),
            Availability::NotOffered
        );
        // Field 20 filled without `D` in seat_types: still 优选一等座 (the column is its own).
        let t = parse_row(&row(&[(20, "无"), (31, "有"), (35, "MO")])).unwrap();
        assert_eq!(
            t.availability(SeatClass::FirstPremium),
            Availability::SoldOut
        );
    }

    #[test]
    fn short_rows_are_rejected_with_shape() {
        assert_eq!(parse_row("a|b|c").unwrap_err().kind, ParseErrorKind::Shape);
        let empty_code = format!("x|预订|240000G1011F||VNP|AOH|VNP|AOH{}", "|".repeat(30));
        assert_eq!(
            parse_row(&empty_code).unwrap_err().kind,
            ParseErrorKind::Missing("station_train_code".into())
        );
    }
}
