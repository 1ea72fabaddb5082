//! `dw_flag` (row field 46): `#`-separated feature flags of a train (PROTOCOL.md §3.5, JOOOOOK25/ICCFISH).

use serde::{Deserialize, Serialize};

/// Features decoded from `dw_flag`, e.g. `0#1#0#0#z#0#34#z`. Unknown positions are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainFeatures {
    /// Part 0 = `5`: 智能动车组 (smart EMU).
    pub smart_emu: bool,
    /// Part 1 = `1`: 复兴号.
    pub fuxing: bool,
    /// Part 2 starts with `Q`: 静音车厢 (quiet car).
    pub quiet_car: bool,
    /// Part 2 starts with `R`: 温馨动卧.
    pub cozy_sleeper: bool,
    /// Part 5 = `D`: 动感号.
    pub dynamic: bool,
    /// Part 6 ≠ `z`: berths can be chosen (支持选铺); the value lists the options, e.g. `34`.
    pub berth_choice: Option<String>,
    /// Part 7 present and ≠ `z`: 老年优惠 (elderly discount).
    pub elderly_discount: bool,
}

/// Decodes a `dw_flag` string; empty input gives all-false. Rows separate the parts with `#`, the order page's
/// copy (`var dw_flag = '0,0,0,0,z,0,z'`) with `,`; both are accepted.
pub fn decode_dw_flag(s: &str) -> TrainFeatures {
    let parts: Vec<&str> = s.split(['#', ',']).collect();
    let at = |i: usize| parts.get(i).copied().unwrap_or("");
    let set = |v: &str| !v.is_empty() && v != "z";
    TrainFeatures {
        smart_emu: at(0) == "5",
        fuxing: at(1) == "1",
        quiet_car: at(2).starts_with('Q'),
        cozy_sleeper: at(2).starts_with('R'),
        dynamic: at(5) == "D",
        berth_choice: set(at(6)).then(|| at(6).to_string()),
        elderly_discount: set(at(7)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_flags() {
        assert_eq!(decode_dw_flag("0#0#0#0#z#0#z"), TrainFeatures::default());
        let f = decode_dw_flag("5#1#Q0#0#z#D#34#1");
        assert!(f.smart_emu && f.fuxing && f.quiet_car && f.dynamic && f.elderly_discount);
        assert_eq!(f.berth_choice.as_deref(), Some("34"));
        assert_eq!(decode_dw_flag(""), TrainFeatures::default());
        assert_eq!(
            decode_dw_flag("0,1,0,0,z,0,z"),
            TrainFeatures {
                fuxing: true,
                ..Default::default()
            }
        );
    }
}
