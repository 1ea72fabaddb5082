//! How long the simulator takes to answer a ticket query (15 rows) and an order-page request, handler
//! only (no sockets): it must stay well under a millisecond.

use criterion::{criterion_group, criterion_main, Criterion};
use sim12306::clock::{wall_ms, Date};
use sim12306::http::{Req, Site};
use sim12306::routes;
use sim12306::state::World;

fn req(path: &str, query: String) -> Req {
    Req {
        method: "GET".into(),
        site: Site::Kyfw,
        named_host: false,
        host: "127.0.0.1".into(),
        path: path.into(),
        query,
        headers: vec![],
        body: String::new(),
    }
}

fn bench(c: &mut Criterion) {
    let mut w = World::new(1);
    let now = wall_ms();
    let date = Date::of_ms(now).add_days(2).iso();
    let q = req(
        "/otn/leftTicket/queryG",
        format!("leftTicketDTO.train_date={date}&leftTicketDTO.from_station=AOH&leftTicketDTO.to_station=VNP&purpose_codes=ADULT"),
    );
    c.bench_function("query AOH→VNP (15 rows)", |b| {
        b.iter(|| routes::handle(&mut w, &q, now))
    });
    let conf = Req {
        method: "POST".into(),
        ..req("/otn/login/conf", String::new())
    };
    c.bench_function("login/conf", |b| {
        b.iter(|| routes::handle(&mut w, &conf, now))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
