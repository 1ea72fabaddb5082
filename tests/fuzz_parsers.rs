//! Property tests: no parser panics, whatever the input. Each parser gets arbitrary strings and mutations of
//! real inputs (truncated, spliced, extra `|`, HTML or quotes inserted). The number of cases follows
//! `PROPTEST_CASES` (proptest's default config reads it), so CI can bound the run time.

#[path = "fixtures/support.rs"]
mod common;

use kyfw::seat::SeatClass;
use kyfw::stations::StationBook;
use kyfw::train::Train;
use proptest::prelude::*;
use proptest::sample::Index;

/// Real or realistic inputs to mutate: the fixtures always, the shared samples when present.
fn bases() -> Vec<String> {
    let rows = common::rows(&common::fixture("query_rows.txt"));
    let query = serde_json::json!({"httpstatus":200,"status":true,"messages":"","data":{"result":rows,"flag":"1","map":{"AOH":"上海虹桥"}}});
    let mut out = vec![
        query.to_string(),
        rows.join("\n"),
        common::fixture("order_page.escapes.html"),
        common::fixture("error_busy.html"),
        common::fixture("leftTicket_init.snippet.html"),
        "var station_names ='@bjb|北京北|VAP|beijingbei|bjb|0|0357|北京|||@bjn|北京南|VNP|beijingnan|bjn|3|0357|北京|||';".into(),
        r#"{"status":true,"data":{"two_isOpenClick":["99"],"normal_passengers":[{"passenger_name":"甲","passenger_id_type_code":"1","total_times":"99"}]}}"#.into(),
        // 候补 answers (PROTOCOL.md §5.13) and checkOrderInfo's choice fields (§5.6).
        r#"{"status":true,"data":{"login_flag":true,"is_show_qrcode":true,"face_check_code":"14","face_flag":false}}"#.into(),
        r#"{"status":true,"data":{"jzdhDateE":"2024-05-01","jzdhHourE":"05:41","hbTrainList":[{"train_no":"55000G778410","station_train_code":"G7784","seat_type_code":"O"}],"jzdhDiffSelect":["20","60"],"hb_passenger_max_num":9,"if_check_slide_passcode":"0","checkcode":"94"}}"#.into(),
        r#"{"status":true,"data":{"flag":true,"queueNum":[{"station_train_code":"G2","seat_type_code":"O","queue_info":"候补人数较少","queue_level":"1"}]}}"#.into(),
        r#"{"status":true,"data":{"flag":true,"reserve_no":"EH9071000300612700","status":1,"isAsync":true}}"#.into(),
        r#"{"status":true,"data":{"list":[{"reserve_no":"EH1","needs":[{"board_train_code":"G2","train_date":"20261201","seat_type_code":"O"}],"passengers":[{"passenger_name":"张三"}]}],"total_page":1}}"#.into(),
        r#"{"status":false,"messages":["参数不正确"]}"#.into(),
        r#"{"status":true,"data":{"canChooseBeds":"Z","canChooseSeats":"Y","choose_Seats":"MOP","isCanChooseMid":"N","submitStatus":true}}"#.into(),
    ];
    for name in [
        "leftTicket_queryG.2024-04.json",
        "leftTicket_rows.2025-07.58field.txt",
        "getPassengerDTOs.2024-04.json",
        "initDc.2024-04.html",
        "passport_redirect_when_session_invalid.2025-07.html",
    ] {
        out.extend(common::sample(name));
    }
    out
}

/// A byte position in `s` moved down to a char boundary.
fn boundary(s: &str, idx: &Index) -> usize {
    let mut p = idx.index(s.len() + 1);
    while p > 0 && !s.is_char_boundary(p) {
        p -= 1;
    }
    p
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(Index),
    Splice(Index, Index),
    Insert(Index, &'static str),
    Duplicate(Index, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let inserts = prop::sample::select(vec![
        "|",
        "||||",
        "'",
        "\"",
        "\\",
        "\\u",
        "\\uD83D",
        "{",
        "}",
        "[",
        "@",
        "@x|y",
        "<html>",
        "<!DOCTYPE html>",
        "var ticketInfoForPassengerForm=",
        "无",
        "有",
        "*",
        "3000",
        "\u{feff}",
        "\0",
        "%",
        ";",
    ]);
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Splice(a, b)),
        (any::<Index>(), inserts).prop_map(|(a, s)| Mutation::Insert(a, s)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
    ]
}

fn apply(s: &str, ms: &[Mutation]) -> String {
    let mut s = s.to_string();
    for m in ms {
        s = match m {
            Mutation::Truncate(i) => s[..boundary(&s, i)].to_string(),
            Mutation::Splice(a, b) => {
                let (x, y) = (boundary(&s, a), boundary(&s, b));
                let (lo, hi) = (x.min(y), x.max(y));
                format!("{}{}", &s[..lo], &s[hi..])
            }
            Mutation::Insert(a, ins) => {
                let p = boundary(&s, a);
                format!("{}{}{}", &s[..p], ins, &s[p..])
            }
            Mutation::Duplicate(a, b) => {
                let (x, y) = (boundary(&s, a), boundary(&s, b));
                let (lo, hi) = (x.min(y), x.max(y));
                format!("{}{}", &s[..hi], &s[lo..])
            }
        };
    }
    s
}

/// Runs every parser on `input` and touches the results, so that lazily computed helpers run too.
fn run_all(input: &str) {
    if let Ok(kyfw::query::QueryAnswer::Trains { trains, .. }) = kyfw::query::parse_query(input) {
        trains.iter().for_each(exercise_train);
    }
    for line in input.lines() {
        if let Ok(t) = kyfw::train::parse_row(line) {
            exercise_train(&t);
        }
    }
    let _ = kyfw::train::parse_row(input);
    if let Ok(list) = kyfw::passengers::parse_passengers(input) {
        for p in &list.passengers {
            let _ = (list.is_verified(p), p.ticket_type(), p.id_matches(input));
        }
    }
    let _ = kyfw::order_page::parse_order_page(input);
    if let Ok(book) = StationBook::parse(input) {
        let _ = (
            book.search(input),
            book.by_name(input),
            book.same_city(input),
        );
        if let Some(s) = book.stations().first() {
            let _ = (
                book.search(&s.pinyin),
                book.same_city(&s.telecode),
                book.by_initials(&s.initials),
            );
        }
    }
    let _ = kyfw::query_path::from_init_page(input);
    let _ = kyfw::query_path::is_save_query_log(input);
    let _ = kyfw::query_path::from_login_conf(input);
    let _ = kyfw::js_literal::parse_value(input);
    run_waitlist(input);
}

/// The 候补 readers and the seat/berth choice.
fn run_waitlist(input: &str) {
    use kyfw::outcome::waitlist as hb;
    use kyfw::seat_choice::{self, Berth, SeatLetter};
    let _ = (hb::chech_face(input), hb::submit(input, "G2"));
    let _ = (hb::passenger_init(input), hb::success_rate(input));
    let _ = (
        hb::queue_num(input),
        hb::confirm(input),
        hb::query_queue(input),
    );
    if let Ok(list) = hb::unhonour_orders(input) {
        for o in &list {
            let _ = o.waits_for(input, input);
        }
    }
    let _ = (hb::cancel_waiting(input), hb::face_check_text(input));
    let offer = seat_choice::choice_offer(input);
    let _ = offer.beds.refusal_text();
    for seat in SeatClass::ALL {
        let _ = seat_choice::seat_letters(seat, input);
        let _ = seat_choice::choose_seats(
            &[
                (seat, Some(SeatLetter::A)),
                (seat, Some(SeatLetter::A)),
                (seat, Some(SeatLetter::F)),
            ],
            &offer,
            input,
        );
        let _ = seat_choice::seat_detail_type(
            &[(seat, Some(Berth::Lower)), (seat, Some(Berth::Middle))],
            &offer,
        );
    }
}

fn exercise_train(t: &Train) {
    for seat in SeatClass::ALL {
        let _ = (
            t.availability(seat),
            t.has_tickets_for(seat, 3),
            t.price_tenths(seat),
        );
    }
    let _ = (
        t.button_sale_time().map(|b| {
            (
                b.epoch_ms(i64::MIN),
                b.epoch_ms(i64::MAX),
                b.epoch_ms(1_713_751_200_000),
            )
        }),
        t.seat_discounts(),
        t.is_bookable(),
        t.sale_time.map(|s| s.epoch_ms()),
    );
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        run_all(&s);
    }

    #[test]
    fn row_like_strings_never_panic(fields in prop::collection::vec("[^|]{0,12}", 0..70)) {
        let row = fields.join("|");
        if let Ok(t) = kyfw::train::parse_row(&row) {
            exercise_train(&t);
        }
    }

    #[test]
    fn js_like_strings_never_panic(s in r#"[{}\[\]'",:\\u0-9a-fA-Fnul ]{0,200}"#) {
        let _ = kyfw::js_literal::parse_value(&s);
        let _ = kyfw::order_page::parse_order_page(&format!("var globalRepeatSubmitToken = 'x'; var ticketInfoForPassengerForm={s};"));
    }

    #[test]
    fn mutated_real_inputs_never_panic(which in any::<Index>(), ms in prop::collection::vec(mutation(), 1..4)) {
        let bases = bases();
        let base = which.get(&bases);
        run_all(&apply(base, &ms));
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!(
        "var globalRepeatSubmitToken = 'x'; var ticketInfoForPassengerForm={};",
        "[".repeat(100_000)
    );
    assert!(kyfw::order_page::parse_order_page(&deep).is_err());
    assert!(kyfw::js_literal::parse_value(&"{'a':".repeat(10_000)).is_err());
}
