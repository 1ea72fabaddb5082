//! The station dictionary: a hand-written subset of real stations (facts: name, telecode, pinyin,
//! initials, city code and name), served as `station_name.js` in the current 11-field format.

/// One station record.
#[derive(Debug, Clone, Copy)]
pub struct Station {
    pub key: &'static str,
    pub name: &'static str,
    pub telecode: &'static str,
    pub pinyin: &'static str,
    pub initials: &'static str,
    pub seq: u32,
    pub city_code: &'static str,
    pub city_name: &'static str,
}

macro_rules! st {
    ($k:expr, $n:expr, $t:expr, $p:expr, $i:expr, $s:expr, $cc:expr, $cn:expr) => {
        Station {
            key: $k,
            name: $n,
            telecode: $t,
            pinyin: $p,
            initials: $i,
            seq: $s,
            city_code: $cc,
            city_name: $cn,
        }
    };
}

/// One station a line (key, name, telecode, pinyin, initials, seq, city code, city name): a table reads
/// better than rustfmt's one-argument-a-line layout.
#[rustfmt::skip]
pub const STATIONS: &[Station] = &[
    st!("bjb", "北京北", "VAP", "beijingbei", "bjb", 0, "0357", "北京"),
    st!("bji", "北京", "BJP", "beijing", "bj", 2, "0357", "北京"),
    st!("bjn", "北京南", "VNP", "beijingnan", "bjn", 3, "0357", "北京"),
    st!("bjx", "北京西", "BXP", "beijingxi", "bjx", 5, "0357", "北京"),
    st!("sha", "上海", "SHH", "shanghai", "sh", 17, "0712", "上海"),
    st!("shn", "上海南", "SNH", "shanghainan", "shn", 18, "0712", "上海"),
    st!("shq", "上海虹桥", "AOH", "shanghaihongqiao", "shhq", 19, "0712", "上海"),
    st!("shx", "上海西", "SXH", "shanghaixi", "shx", 20, "0712", "上海"),
    st!("tji", "天津", "TJP", "tianjin", "tj", 22, "0359", "天津"),
    st!("tjn", "天津南", "TIP", "tianjinnan", "tjn", 23, "0359", "天津"),
    st!("tjx", "天津西", "TXP", "tianjinxi", "tjx", 24, "0359", "天津"),
    st!("gzn", "广州南", "IZQ", "guangzhounan", "gzn", 64, "1502", "广州"),
    st!("hfn", "合肥南", "ENH", "hefeinan", "hfn", 75, "0809", "合肥"),
    st!("hzd", "杭州东", "HGH", "hangzhoudong", "hzd", 84, "0904", "杭州"),
    st!("hzh", "杭州", "HZH", "hangzhou", "hz", 85, "0904", "杭州"),
    st!("jna", "济南", "JNK", "jinan", "jn", 87, "0602", "济南"),
    st!("jnx", "济南西", "JGK", "jinanxi", "jnx", 90, "0602", "济南"),
    st!("nji", "南京", "NJH", "nanjing", "nj", 113, "0705", "南京"),
    st!("njn", "南京南", "NKH", "nanjingnan", "njn", 114, "0705", "南京"),
    st!("wha", "武汉", "WHN", "wuhan", "wh", 140, "1314", "武汉"),
    st!("xab", "西安北", "EAY", "xianbei", "xab", 147, "2003", "西安"),
    st!("xan", "西安", "XAY", "xian", "xa", 148, "2003", "西安"),
    st!("zzd", "郑州东", "ZAF", "zhengzhoudong", "zzd", 162, "1222", "郑州"),
    st!("zzh", "郑州", "ZZF", "zhengzhou", "zz", 164, "1222", "郑州"),
    st!("bbn", "蚌埠南", "BMH", "bengbunan", "bbn", 198, "0807", "蚌埠"),
    st!("bjt", "北京丰台", "FTP", "beijingfengtai", "bjft", 221, "0357", "北京"),
    st!("czb", "常州北", "ESH", "changzhoubei", "czb", 322, "0708", "常州"),
    st!("czh", "常州", "CZH", "changzhou", "cz", 330, "0708", "常州"),
    st!("czx", "沧州西", "CBP", "cangzhouxi", "czx", 336, "0334", "沧州"),
    st!("dya", "丹阳", "DYH", "danyang", "dy", 402, "0706", "镇江"),
    st!("dzd", "德州东", "DIP", "dezhoudong", "dzd", 411, "0601", "德州"),
    st!("ksh", "昆山", "KSH", "kunshan", "ks", 743, "0710", "苏州"),
    st!("ksn", "昆山南", "KNH", "kunshannan", "ksn", 745, "0710", "苏州"),
    st!("lfa", "廊坊", "LJP", "langfang", "lf", 780, "0358", "廊坊"),
    st!("nbo", "宁波", "NGH", "ningbo", "nb", 936, "0910", "宁波"),
    st!("qfd", "曲阜东", "QAK", "qufudong", "qfd", 1040, "0620", "济宁"),
    st!("szb", "深圳北", "IOQ", "shenzhenbei", "szb", 1194, "1505", "深圳"),
    st!("szb", "苏州北", "OHH", "suzhoubei", "szb", 1195, "0710", "苏州"),
    st!("szd", "宿州东", "SRH", "suzhoudong", "szd", 1199, "0806", "宿州"),
    st!("szh", "苏州", "SZH", "suzhou", "sz", 1206, "0710", "苏州"),
    st!("tan", "泰安", "TMK", "taian", "ta", 1214, "0616", "泰安"),
    st!("tzd", "滕州东", "TEK", "tengzhoudong", "tzd", 1273, "0628", "枣庄"),
    st!("wxd", "无锡东", "WGH", "wuxidong", "wxd", 1323, "0709", "无锡"),
    st!("wxi", "无锡", "WXH", "wuxi", "wx", 1324, "0709", "无锡"),
    st!("xzd", "徐州东", "UUH", "xuzhoudong", "xzd", 1440, "0701", "徐州"),
    st!("xzh", "徐州", "XCH", "xuzhou", "xz", 1444, "0701", "徐州"),
    st!("zji", "镇江", "ZJH", "zhenjiang", "zj", 1595, "0706", "镇江"),
    st!("qsy", "戚墅堰", "QYH", "qishuyan", "qsy", 2638, "0708", "常州"),
    st!("wji", "武进", "WJU", "wujin", "wj", 3387, "0708", "常州"),
];

/// The station with this telecode.
pub fn by_telecode(code: &str) -> Option<&'static Station> {
    STATIONS.iter().find(|s| s.telecode == code)
}

/// The station name for a telecode, or the telecode itself when unknown.
pub fn name_of(code: &str) -> &str {
    by_telecode(code).map(|s| s.name).unwrap_or(code)
}

/// The station whose name is exactly `name`.
pub fn by_name(name: &str) -> Option<&'static Station> {
    STATIONS.iter().find(|s| s.name == name)
}

/// Body of `/otn/resources/js/framework/station_name.js`.
pub fn station_name_js() -> String {
    let mut s = String::from("var station_names ='");
    for st in STATIONS {
        s.push_str(&format!(
            "@{}|{}|{}|{}|{}|{}|{}|{}|||",
            st.key,
            st.name,
            st.telecode,
            st.pinyin,
            st.initials,
            st.seq,
            st.city_code,
            st.city_name
        ));
    }
    s.push_str("';");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eleven_fields_and_unique_codes() {
        let js = station_name_js();
        let body = js
            .trim_start_matches("var station_names ='")
            .trim_end_matches("';");
        let recs: Vec<&str> = body.split('@').skip(1).collect();
        assert_eq!(recs.len(), STATIONS.len());
        assert!(recs.len() >= 40);
        for r in &recs {
            assert_eq!(r.split('|').count(), 11, "{r}");
        }
        let mut codes: Vec<&str> = STATIONS.iter().map(|s| s.telecode).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), STATIONS.len());
        assert_eq!(name_of("AOH"), "上海虹桥");
    }
}
