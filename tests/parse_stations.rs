//! Station dictionaries: every record of the three real files (counts as PROTOCOL.md §10 states).

#[path = "fixtures/support.rs"]
mod common;

use kyfw::stations::{StationBook, StationFormat};

fn check_every_record(book: &StationBook) {
    for s in book.stations() {
        assert_eq!(s.telecode.len(), 3, "{s:?}");
        assert!(s.telecode.bytes().all(|b| b.is_ascii_uppercase()), "{s:?}");
        assert!(
            !s.name.is_empty() && !s.pinyin.is_empty() && !s.initials.is_empty(),
            "{s:?}"
        );
        // Every station is found again through each index (duplicates resolve to an equal record).
        assert_eq!(book.by_telecode(&s.telecode).unwrap().name, s.name);
        assert_eq!(book.by_name(&s.name).unwrap().telecode, s.telecode);
        assert!(book
            .by_pinyin(&s.pinyin)
            .iter()
            .any(|x| x.telecode == s.telecode));
        assert!(book
            .by_initials(&s.initials)
            .iter()
            .any(|x| x.telecode == s.telecode));
        assert!(book
            .same_city(&s.telecode)
            .iter()
            .any(|x| x.telecode == s.telecode));
    }
}

#[test]
fn current_11_field_file_2026() {
    let Some(js) = common::sample("station_name.2026-04.js") else {
        return;
    };
    let book = StationBook::parse(&js).unwrap();
    assert_eq!(
        (book.len(), book.skipped(), book.format()),
        (3364, 0, StationFormat::Eleven)
    );
    check_every_record(&book);
    assert!(book
        .stations()
        .iter()
        .all(|s| s.city_code.as_ref().is_some_and(|c| c.len() == 4)));
    let laos: Vec<_> = book
        .stations()
        .iter()
        .filter(|s| s.country_code.as_deref() == Some("lao"))
        .collect();
    assert_eq!(laos.len(), 6);
    let bj = book.same_city("VNP");
    let names: Vec<&str> = bj.iter().map(|s| s.name.as_str()).collect();
    for n in [
        "北京北",
        "北京东",
        "北京",
        "北京南",
        "北京西",
        "北京大兴",
        "北京朝阳",
    ] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    assert_eq!(book.by_name("上海虹桥").unwrap().telecode, "AOH");
    assert_eq!(book.search("shanghai")[0].name, "上海");
    assert_eq!(
        book.search("上海").first().map(|s| s.telecode.as_str()),
        Some("SHH")
    );
}

#[test]
fn old_6_field_file_2021() {
    let Some(js) = common::sample("station_name.2021-01.6field.txt") else {
        return;
    };
    let book = StationBook::parse(&js).unwrap();
    assert_eq!(
        (book.len(), book.skipped(), book.format()),
        (3113, 0, StationFormat::Six)
    );
    check_every_record(&book);
    assert_eq!(
        book.same_city("VNP").len(),
        1,
        "no city data in the 6-field format"
    );
}

#[test]
fn trimmed_6_field_list_2024_without_wrapper() {
    let Some(text) = common::sample("stations.2024-04.6field.txt") else {
        return;
    };
    let book = StationBook::parse(&text).unwrap();
    assert_eq!(
        (book.len(), book.skipped(), book.format()),
        (3319, 0, StationFormat::Six)
    );
    check_every_record(&book);
}
