//! The fixed timetable: the same trains run every day. Routes, codes and classes are documented in the
//! README so tests can rely on them.

use crate::clock::hhmm_minutes;
use crate::stations;

/// A seat class sold on a train: code (`9`, `D`, `M`, `O`, `P`, `1`, `3`, `4`) and price in tenths of a yuan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Class {
    pub code: char,
    pub price_x10: u32,
}

/// One train as it appears between the sim's boarding and alighting station.
#[derive(Debug, Clone)]
pub struct TrainDef {
    pub code: String,
    pub train_no: String,
    pub start: &'static str,
    pub end: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub from_no: &'static str,
    pub to_no: &'static str,
    /// Departure, minutes after midnight (China time).
    pub dep_min: i64,
    pub dur_min: i64,
    pub location: &'static str,
    pub classes: Vec<Class>,
    /// Whether 无座 (standing) tickets are sold; they share the base class code.
    pub standing: bool,
    /// Daily opening clock time `HHMM` for the newest date of the pre-sale window.
    pub sale_time: &'static str,
    pub dw_flag: &'static str,
}

impl TrainDef {
    /// The class standing tickets are submitted as: `O` on G/D/C trains, `1` (硬座) otherwise.
    pub fn base_class(&self) -> char {
        if self.is_high_speed() {
            'O'
        } else {
            '1'
        }
    }

    /// G, D and C trains.
    pub fn is_high_speed(&self) -> bool {
        matches!(self.code.chars().next(), Some('G' | 'D' | 'C'))
    }

    /// The seat class of this code, if the train has it.
    pub fn class(&self, code: char) -> Option<Class> {
        self.classes.iter().copied().find(|c| c.code == code)
    }

    /// Departure time `HH:MM` at the boarding station.
    pub fn start_time(&self) -> String {
        fmt_hm(self.dep_min)
    }

    /// Arrival time `HH:MM` (wrapping past midnight).
    pub fn arrive_time(&self) -> String {
        fmt_hm((self.dep_min + self.dur_min) % (24 * 60))
    }

    /// Travel time `HH:MM` (历时).
    pub fn lishi(&self) -> String {
        fmt_hm(self.dur_min)
    }

    /// Sale opening time in minutes after midnight.
    pub fn sale_minutes(&self) -> i64 {
        hhmm_minutes(self.sale_time).unwrap_or(0)
    }

    /// `seat_types` (row field 35): the classes, plus the base class again when 无座 is sold.
    pub fn seat_types(&self) -> String {
        let mut s: String = self.classes.iter().map(|c| c.code).collect();
        if self.standing {
            s.push(self.base_class());
        }
        s
    }

    /// Price of a standing ticket: that of the base class.
    pub fn standing_price(&self) -> u32 {
        self.class(self.base_class())
            .map(|c| c.price_x10)
            .unwrap_or(0)
    }
}

/// `HH:MM` of a minute count.
pub fn fmt_hm(min: i64) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

/// A 12-character internal train number: bureau prefix, zero padding, code, suffix.
fn train_no(prefix: &str, code: &str, suffix: &str) -> String {
    let pad = 12usize.saturating_sub(prefix.len() + code.len() + suffix.len());
    format!("{prefix}{}{code}{suffix}", "0".repeat(pad))
}

fn c(code: char, price_x10: u32) -> Class {
    Class { code, price_x10 }
}

struct Spec {
    code: &'static str,
    dep: &'static str,
    dur: i64,
    standing: bool,
}

fn spec(code: &'static str, dep: &'static str, dur: i64, standing: bool) -> Spec {
    Spec {
        code,
        dep,
        dur,
        standing,
    }
}

/// All trains of the simulator.
pub fn build() -> Vec<TrainDef> {
    let mut out = Vec::new();
    // 上海虹桥 → 北京南: G trains with 商务座 / 一等座 / 二等座.
    let aoh_vnp = [
        spec("G2", "09:00", 268, false),
        spec("G4", "10:00", 268, true),
        spec("G6", "11:00", 275, true),
        spec("G8", "12:00", 290, true),
        spec("G10", "13:00", 281, false),
        spec("G12", "14:00", 288, false),
        spec("G14", "15:00", 275, false),
        spec("G16", "16:00", 290, true),
        spec("G18", "17:00", 268, false),
        spec("G20", "18:00", 285, false),
        spec("G22", "07:00", 330, true),
        spec("G24", "07:30", 342, false),
        spec("G26", "08:00", 335, false),
        spec("G28", "19:00", 325, true),
        spec("G30", "19:30", 355, false),
    ];
    for s in aoh_vnp {
        out.push(TrainDef {
            code: s.code.into(),
            train_no: train_no("5l", s.code, "0F"),
            start: "AOH",
            end: "VNP",
            from: "AOH",
            to: "VNP",
            from_no: "01",
            to_no: "05",
            dep_min: hhmm_minutes(s.dep).unwrap_or(0),
            dur_min: s.dur,
            location: "H2",
            classes: vec![c('9', 17480), c('M', 9330), c('O', 5530)],
            standing: s.standing,
            sale_time: "1330",
            dw_flag: "0#1#0#0#z#0#z",
        });
    }
    // 北京南 → 上海虹桥.
    let vnp_aoh = [
        spec("G1", "09:00", 264, false),
        spec("G3", "10:00", 268, true),
        spec("G5", "11:00", 275, false),
        spec("G7", "12:00", 290, true),
        spec("G9", "13:00", 281, false),
        spec("G11", "14:00", 288, false),
        spec("G13", "15:00", 275, true),
        spec("G15", "16:00", 290, false),
        spec("G17", "17:00", 268, false),
        spec("G19", "18:00", 285, true),
    ];
    for s in vnp_aoh {
        // G3 also sells 优选一等座, as the real G3 did in a raw sample of 2026-09-18 (TRIP, PROTOCOL §3.5).
        let classes = if s.code == "G3" {
            vec![c('9', 17480), c('D', 11200), c('M', 9330), c('O', 5530)]
        } else {
            vec![c('9', 17480), c('M', 9330), c('O', 5530)]
        };
        out.push(TrainDef {
            code: s.code.into(),
            train_no: train_no("24", s.code, "0F"),
            start: "VNP",
            end: "AOH",
            from: "VNP",
            to: "AOH",
            from_no: "01",
            to_no: "05",
            dep_min: hhmm_minutes(s.dep).unwrap_or(0),
            dur_min: s.dur,
            location: "P2",
            classes,
            standing: s.standing,
            sale_time: "1500",
            dw_flag: "0#1#0#0#z#0#z",
        });
    }
    // 上海 → 常州: G7784 exactly as in the 2024 capture, plus several D/G trains.
    out.push(TrainDef {
        code: "G7784".into(),
        train_no: "55000G778410".into(),
        start: "SHH",
        end: "CZH",
        from: "SHH",
        to: "CZH",
        from_no: "01",
        to_no: "05",
        dep_min: hhmm_minutes("06:24").unwrap_or(0),
        dur_min: 73,
        location: "H1",
        classes: vec![c('9', 2400), c('M', 960), c('O', 600), c('P', 1080)],
        standing: true,
        sale_time: "1430",
        dw_flag: "0#0#0#0#z#0#z",
    });
    let shh_czh = [
        spec("G7002", "07:00", 62, false),
        spec("D3006", "08:05", 78, true),
        spec("G7010", "09:10", 60, false),
        spec("D5432", "10:20", 85, true),
        spec("G7026", "12:15", 66, true),
        spec("D2282", "14:40", 92, true),
        spec("G7590", "17:30", 64, false),
    ];
    for s in shh_czh {
        let g = s.code.starts_with('G');
        out.push(TrainDef {
            code: s.code.into(),
            train_no: train_no("55", s.code, "10"),
            start: "SHH",
            end: "CZH",
            from: "SHH",
            to: "CZH",
            from_no: "01",
            to_no: if g { "04" } else { "06" },
            dep_min: hhmm_minutes(s.dep).unwrap_or(0),
            dur_min: s.dur,
            location: "H1",
            classes: if g {
                vec![c('9', 2890), c('M', 1450), c('O', 910)]
            } else {
                vec![c('M', 980), c('O', 610)]
            },
            standing: s.standing,
            sale_time: "1430",
            dw_flag: "0#0#0#0#z#0#z",
        });
    }
    // 北京 → 上海: overnight T/Z/K trains with 软卧 / 硬卧 / 硬座 and 无座.
    let bjp_shh = [
        spec("T109", "20:05", 911, true),
        spec("T131", "18:14", 1002, true),
        spec("Z281", "19:23", 958, true),
        spec("K1179", "12:30", 1356, true),
    ];
    for s in bjp_shh {
        out.push(TrainDef {
            code: s.code.into(),
            train_no: train_no("24", s.code, "0J"),
            start: "BJP",
            end: "SHH",
            from: "BJP",
            to: "SHH",
            from_no: "01",
            to_no: "12",
            dep_min: hhmm_minutes(s.dep).unwrap_or(0),
            dur_min: s.dur,
            location: "P3",
            classes: vec![c('4', 4760), c('3', 3040), c('1', 1780)],
            standing: s.standing,
            sale_time: "1500",
            dw_flag: "0#0#0#0#z#0#34#z",
        });
    }
    out
}

/// Whether a train serves a query between `from` and `to`: like 12306, a query between two stations
/// returns the trains between their cities.
pub fn serves(t: &TrainDef, from: &str, to: &str) -> bool {
    let city = |code: &str| stations::by_telecode(code).map(|s| s.city_code);
    let (Some(qf), Some(qt)) = (city(from), city(to)) else {
        return false;
    };
    city(t.from) == Some(qf) && city(t.to) == Some(qt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_trains() {
        let all = build();
        let g7784 = all.iter().find(|t| t.code == "G7784").expect("G7784");
        assert_eq!(g7784.train_no, "55000G778410");
        assert_eq!(g7784.seat_types(), "9MOPO");
        for t in &all {
            assert_eq!(t.train_no.len(), 12, "{}", t.train_no);
        }
        let aoh_vnp = all.iter().filter(|t| serves(t, "AOH", "VNP")).count();
        assert!(aoh_vnp >= 15);
        // A query between city stations also finds them (上海 → 北京南 finds 上海虹桥 trains).
        assert!(all
            .iter()
            .any(|t| serves(t, "SHH", "VNP") && t.code == "G2"));
        let g3 = all.iter().find(|t| t.code == "G3").expect("G3");
        assert_eq!(g3.seat_types(), "9DMOO");
        let t109 = all.iter().find(|t| t.code == "T109").expect("T109");
        assert_eq!(t109.base_class(), '1');
        assert_eq!(t109.arrive_time(), "11:16");
    }
}
