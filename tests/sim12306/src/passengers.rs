//! The demo account and its passengers, in the getPassengerDTOs shape of the 2024 capture.

use crate::json::J;
use crate::rng;

/// The demo account's login name.
pub const ACCOUNT: &str = "demo";
/// The demo account's password.
pub const PASSWORD: &str = "demo1234";
/// The demo account holder (also passenger 0).
pub const REAL_NAME: &str = "张三";

/// One stored passenger of the demo account.
#[derive(Debug, Clone)]
pub struct Passenger {
    pub name: &'static str,
    pub sex: &'static str,
    pub born: &'static str,
    pub id_no: &'static str,
    /// `1` adult, `2` child, `3` student, `4` disabled soldier.
    pub passenger_type: &'static str,
    pub mobile: &'static str,
    pub first_letter: &'static str,
    pub index: usize,
}

impl Passenger {
    /// The server-side identity token (hex, 160 chars as in the capture), fixed per passenger.
    pub fn all_enc_str(&self) -> String {
        rng::hex(12306, &["allEncStr", self.name, self.id_no], 160)
    }

    /// The passenger type as 12306 names it (成人, 儿童, 学生, 残疾军人).
    pub fn type_name(&self) -> &'static str {
        match self.passenger_type {
            "2" => "儿童",
            "3" => "学生",
            "4" => "残疾军人",
            _ => "成人",
        }
    }

    /// True for the account holder.
    pub fn is_self(&self) -> bool {
        self.index == 0
    }

    /// The getPassengerDTOs / passengers-query JSON object.
    pub fn to_json(&self, with_user_self: bool) -> J {
        let adult = self.passenger_type != "2";
        let mut v: Vec<(&str, J)> = vec![
            ("passenger_name", J::s(self.name)),
            ("sex_code", J::s(self.sex)),
            ("sex_name", J::s(if self.sex == "F" { "女" } else { "男" })),
            ("born_date", J::s(format!("{} 00:00:00", self.born))),
            ("country_code", J::s("CN")),
            ("passenger_id_type_code", J::s("1")),
            ("passenger_id_type_name", J::s("中国居民身份证")),
            ("passenger_id_no", J::s(self.id_no)),
            ("passenger_type", J::s(self.passenger_type)),
            ("passenger_type_name", J::s(self.type_name())),
            ("mobile_no", J::s(self.mobile)),
            ("phone_no", J::s("")),
            ("email", J::s("")),
            ("address", J::s("")),
            ("postalcode", J::s("")),
            ("first_letter", J::s(self.first_letter)),
            ("recordCount", J::s(PASSENGERS.len().to_string())),
        ];
        if with_user_self {
            v.push(("isUserSelf", J::s(if self.is_self() { "Y" } else { "N" })));
        }
        v.push(("total_times", J::s("99")));
        if with_user_self {
            v.push(("delete_time", J::s("2024/01/01")));
        } else {
            v.push(("index_id", J::s(self.index.to_string())));
        }
        v.extend([
            ("allEncStr", J::s(self.all_enc_str())),
            ("isAdult", J::s(if adult { "Y" } else { "N" })),
            ("isYongThan10", J::s(if adult { "N" } else { "Y" })),
            ("isYongThan14", J::s(if adult { "N" } else { "Y" })),
            ("isOldThan60", J::s("N")),
            ("if_receive", J::s("Y")),
            ("is_active", J::s("N")),
            ("last_time", J::s("20240101120000")),
            ("mobile_code", J::s("86")),
            ("gat_born_date", J::s(self.born.replace('-', ""))),
            ("gat_valid_date_start", J::s("")),
            ("gat_valid_date_end", J::s("")),
            ("gat_version", J::s("")),
        ]);
        J::obj(v)
    }
}

/// The demo account's passenger list, holder first.
pub const PASSENGERS: &[Passenger] = &[
    Passenger {
        name: "张三",
        sex: "M",
        born: "1990-06-01",
        id_no: "1101***********012",
        passenger_type: "1",
        mobile: "139****0001",
        first_letter: "ZS",
        index: 0,
    },
    Passenger {
        name: "李四",
        sex: "M",
        born: "1975-08-08",
        id_no: "1101***********027",
        passenger_type: "1",
        mobile: "139****0002",
        first_letter: "LS",
        index: 1,
    },
    Passenger {
        name: "王小五",
        sex: "M",
        born: "2002-03-03",
        id_no: "1101***********031",
        passenger_type: "1",
        mobile: "139****0003",
        first_letter: "WXW",
        index: 2,
    },
    Passenger {
        name: "张小宝",
        sex: "F",
        born: "2018-09-09",
        id_no: "1101***********045",
        passenger_type: "2",
        mobile: "",
        first_letter: "ZXB",
        index: 3,
    },
    Passenger {
        name: "陈同学",
        sex: "F",
        born: "2005-05-05",
        id_no: "3201***********056",
        passenger_type: "3",
        mobile: "139****0005",
        first_letter: "CTX",
        index: 4,
    },
];

/// The passenger with exactly this name.
pub fn by_name(name: &str) -> Option<&'static Passenger> {
    PASSENGERS.iter().find(|p| p.name == name)
}

/// getPassengerDTOs `data`.
pub fn dtos_data() -> J {
    J::obj(vec![
        ("notify_for_gat", J::s("")),
        ("isExist", J::Bool(true)),
        ("exMsg", J::s("")),
        ("two_isOpenClick", J::strs(&["93", "95", "97", "99"])),
        (
            "other_isOpenClick",
            J::strs(&["91", "93", "98", "99", "95", "97"]),
        ),
        (
            "normal_passengers",
            J::Arr(PASSENGERS.iter().map(|p| p.to_json(false)).collect()),
        ),
        ("dj_passengers", J::Arr(vec![])),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enc_str_is_stable_hex() {
        let p = by_name("李四").expect("李四");
        assert_eq!(p.all_enc_str(), p.all_enc_str());
        assert_eq!(p.all_enc_str().len(), 160);
        assert!(p.all_enc_str().bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(p.all_enc_str(), PASSENGERS[0].all_enc_str());
    }
}
