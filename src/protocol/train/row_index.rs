//! The one table of query-row field positions (PROTOCOL.md §3.5). Every other module names fields through these
//! constants, so a future shift of the row layout is fixed here only.
//!
//! Field count by era: 37 (2018) → 47 (2022) → 57 (2024) → 58 (2025-07, field 56 `Y`, 57 empty) → 57 again with
//! field 56 `Y` (2026-06). Positions ≥ 37 are absent in old rows; fields past [`SALE_TIME`] carry nothing read.

/// `secretStr`: %-encoded booking token (empty or `null` when not bookable).
pub const SECRET_STR: usize = 0;
/// `buttonTextInfo`: `预订`, `14点30分起售`, `列车停运`…
pub const BUTTON_TEXT: usize = 1;
/// `train_no`: internal train id, e.g. `55000G829420`.
pub const TRAIN_NO: usize = 2;
/// `station_train_code`: public train code, e.g. `G8294`.
pub const STATION_TRAIN_CODE: usize = 3;
/// Telecode of the train's origin.
pub const START_TELECODE: usize = 4;
/// Telecode of the train's terminus.
pub const END_TELECODE: usize = 5;
/// Telecode of this row's boarding station.
pub const FROM_TELECODE: usize = 6;
/// Telecode of this row's alighting station.
pub const TO_TELECODE: usize = 7;
/// Departure `HH:MM`.
pub const START_TIME: usize = 8;
/// Arrival `HH:MM`.
pub const ARRIVE_TIME: usize = 9;
/// Duration `HH:MM` (`lishi`).
pub const LISHI: usize = 10;
/// `canWebBuy`: `Y`, `N`, `IS_TIME_NOT_BUY`.
pub const CAN_WEB_BUY: usize = 11;
/// `yp_info`: opaque %-encoded left-ticket string.
pub const YP_INFO: usize = 12;
/// `start_train_date` `YYYYMMDD` (the day the train leaves its origin).
pub const START_TRAIN_DATE: usize = 13;
/// `train_seat_feature`.
pub const TRAIN_SEAT_FEATURE: usize = 14;
/// `location_code` (`train_location` on the order page).
pub const LOCATION_CODE: usize = 15;
/// Stop number of the boarding station.
pub const FROM_STATION_NO: usize = 16;
/// Stop number of the alighting station.
pub const TO_STATION_NO: usize = 17;
/// `is_support_card` `1`/`0`.
pub const IS_SUPPORT_CARD: usize = 18;
/// `controlled_train_flag` `1`/`0`.
pub const CONTROLLED_TRAIN_FLAG: usize = 19;
/// `gg_num`: 优选一等座 (`D`, 2025+); empty on trains without it (PROTOCOL.md §3.5).
pub const GG_NUM: usize = 20;
/// `gr_num`: 高级软卧 / 高级动卧.
pub const GR_NUM: usize = 21;
/// `qt_num`: 其他.
pub const QT_NUM: usize = 22;
/// `rw_num`: 软卧 / 一等卧.
pub const RW_NUM: usize = 23;
/// `rz_num`: 软座.
pub const RZ_NUM: usize = 24;
/// `tz_num`: 特等座.
pub const TZ_NUM: usize = 25;
/// `wz_num`: 无座.
pub const WZ_NUM: usize = 26;
/// `yb_num` (rare).
pub const YB_NUM: usize = 27;
/// `yw_num`: 硬卧 / 二等卧.
pub const YW_NUM: usize = 28;
/// `yz_num`: 硬座.
pub const YZ_NUM: usize = 29;
/// `ze_num`: 二等座 / 二等包座.
pub const ZE_NUM: usize = 30;
/// `zy_num`: 一等座 (优选一等座 has [`GG_NUM`]).
pub const ZY_NUM: usize = 31;
/// `swz_num`: 商务座.
pub const SWZ_NUM: usize = 32;
/// `srrb_num`: 动卧.
pub const SRRB_NUM: usize = 33;
/// `yp_ex`: pairs `<seat code><discount flag>`.
pub const YP_EX: usize = 34;
/// `seat_types`: seat codes sold on this train.
pub const SEAT_TYPES: usize = 35;
/// `exchange_train_flag` (积分兑换) `1`/`0`.
pub const EXCHANGE_TRAIN_FLAG: usize = 36;
/// `houbu_train_flag`: `1` = 候补 allowed.
pub const HOUBU_TRAIN_FLAG: usize = 37;
/// `houbu_seat_limit`: seat codes for which 候补 is currently refused.
pub const HOUBU_SEAT_LIMIT: usize = 38;
/// `yp_info_new`: 10-char groups seat/price/count.
pub const YP_INFO_NEW: usize = 39;
/// `dw_flag`: `#`-separated feature flags.
pub const DW_FLAG: usize = 46;
/// `stopcheckTime`: minutes before departure when the gate closes.
pub const STOPCHECK_TIME: usize = 48;
/// `country_flag`, e.g. `CHN,CHN`.
pub const COUNTRY_FLAG: usize = 49;
/// `local_arrive_time` (cross-border trains).
pub const LOCAL_ARRIVE_TIME: usize = 50;
/// `local_start_time` (cross-border trains).
pub const LOCAL_START_TIME: usize = 51;
/// `bed_level_info`: echoed in `submitOrderRequest`.
pub const BED_LEVEL_INFO: usize = 53;
/// `seat_discount_info`: echoed in `submitOrderRequest`.
pub const SEAT_DISCOUNT_INFO: usize = 54;
/// `sale_time` `YYYYMMDDHHMM`.
pub const SALE_TIME: usize = 55;

/// Fewest fields a row may have: the 2018 layout (indices 0..=36).
pub const MIN_FIELDS: usize = 37;
