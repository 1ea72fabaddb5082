//! Parser benchmarks: a 150-train query answer (built from the fixture rows) and a whole station file
//! (the real one from `../shared/12306/samples` when present, else a generated 3,400-record file).
//! Run with `cargo bench -p kyfw --bench parse`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A query answer with `n` rows cycling through the fixture rows (train codes made unique).
fn query_answer(n: usize) -> String {
    let text = std::fs::read_to_string(root().join("tests/fixtures/query_rows.txt"))
        .expect("fixture rows");
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let result: Vec<String> = (0..n)
        .map(|i| {
            let mut fields: Vec<String> = rows[i % rows.len()]
                .split('|')
                .map(str::to_string)
                .collect();
            fields[3] = format!("G{}", 1000 + i);
            fields.join("|")
        })
        .collect();
    serde_json::json!({"httpstatus":200,"status":true,"messages":"","data":{"result":result,"flag":"1","map":{}}})
        .to_string()
}

fn station_file() -> String {
    let real = root().join("../shared/12306/samples/station_name.2026-04.js");
    std::fs::read_to_string(real).unwrap_or_else(|_| {
        let records: String = (0..3400)
            .map(|i| {
                format!(
                    "@k{i}|站{i}|{}|zhan{i}|z{i}|{i}|{:04}|城{}|||",
                    telecode(i),
                    i / 4,
                    i / 4
                )
            })
            .collect();
        format!("var station_names ='{records}';")
    })
}

fn telecode(i: usize) -> String {
    let l = |n: usize| char::from(b'A' + (n % 26) as u8);
    [l(i / 676), l(i / 26), l(i)].iter().collect()
}

fn benches(c: &mut Criterion) {
    let answer = query_answer(150);
    c.bench_function("parse_query 150 rows", |b| {
        b.iter(|| kyfw::query::parse_query(black_box(&answer)))
    });
    let stations = station_file();
    c.bench_function("StationBook::parse whole file", |b| {
        b.iter(|| kyfw::stations::StationBook::parse(black_box(&stations)))
    });
    let book = kyfw::stations::StationBook::parse(&stations).expect("station file parses");
    c.bench_function("StationBook::search 2 letters", |b| {
        b.iter(|| book.search(black_box("sh")).len())
    });
}

criterion_group!(parse, benches);
criterion_main!(parse);
