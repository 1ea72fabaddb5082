//! The booking machine against a scripted fake server: every branch, with the in-flight rule and the serde
//! round-trip checked at every step (`fixtures/machine/run.rs`). The random fault schedules against a fake
//! with an order book are in `booking_invariants.rs`.

#[path = "fixtures/machine/mod.rs"]
mod machine;

use kyfw::booking::{
    Action, Answer, Booking, Event, Finished, HttpResponse, Input, NeedsUser, State,
};
use kyfw::request::Method;
use machine::*;

// ---------------------------------------------------------------------------------------------------------
// Branches

#[test]
fn books_one_passenger_on_the_first_train_that_fits() {
    let mut server = Server::new(vec![row("G4", "有", "有", ""), row("G2", "有", "5", "")]);
    let r = run(task(serde_json::json!({})), &mut server);
    let Finished::OrderPlaced {
        order_id,
        train,
        seats,
        passengers,
        ..
    } = placed(&r)
    else {
        unreachable!()
    };
    assert_eq!(
        (order_id.as_str(), train.as_str()),
        ("E123456789", "G2"),
        "G2 is first in the task's priority"
    );
    assert_eq!(seats, &vec!["二等座".to_owned()]);
    assert_eq!(passengers, &vec!["张三".to_owned()]);
    assert_eq!(
        server.endpoints(),
        vec![
            "query",
            "checkUser",
            "submitOrderRequest",
            "initDc",
            "getPassengerDTOs",
            "checkOrderInfo",
            "getQueueCount",
            "confirmSingleForQueue",
            "queryOrderWaitTime",
            "resultOrderForDcQueue",
            "queryMyOrderNoComplete"
        ]
    );
    let submit = sent_to(&r, "submitOrderRequest")[0];
    let body = submit.body.clone().unwrap_or_default();
    assert!(
        body.starts_with(
            "secretStr=SEC%2FG2%2Bx%3D%3D&train_date=2026-12-01&back_train_date=2026-12-01"
        ),
        "{body}"
    );
    assert!(body.contains("&query_from_station_name=上海虹桥&query_to_station_name=北京南&"));
    assert!(body.ends_with("&seat_discount_info=90091&undefined"));
    assert_eq!(
        submit.referer,
        "https://kyfw.12306.cn/otn/leftTicket/init?linktypeid=dc"
    );
    let confirm = sent_to(&r, "confirmSingleForQueue")[0];
    assert_eq!(
        body_field(confirm, "passengerTicketStr").as_deref(),
        Some("O,0,1,张三,1,1101***********012,139****0001,N,enc1")
    );
    assert_eq!(
        body_field(confirm, "REPEAT_SUBMIT_TOKEN").as_deref(),
        Some(TOKEN)
    );
    assert_eq!(
        body_field(confirm, "leftTicketStr").as_deref(),
        Some("LEFT%2BTG2")
    );
    assert_eq!(
        confirm.referer,
        "https://kyfw.12306.cn/otn/confirmPassenger/initDc"
    );
    let qc = sent_to(&r, "getQueueCount")[0];
    assert_eq!(
        body_field(qc, "train_date").as_deref(),
        Some("Tue Dec 01 2026 00:00:00 GMT+0800 (中国标准时间)")
    );
    assert_eq!(body_field(qc, "seatType").as_deref(), Some("O"));
    let wait = sent_to(&r, "queryOrderWaitTime")[0];
    assert_eq!(wait.method, Method::Get);
    assert!(r
        .events
        .iter()
        .any(|e| matches!(e, Event::OrderPlaced { .. })));
    assert_eq!(r.machine.status().state, State::Finished);
}

#[test]
fn starts_with_login_conf_when_the_path_is_unknown() {
    let mut server = Server::new(vec![row("G2", "有", "有", "")]);
    let r = run(task(serde_json::json!({"queryPath": null})), &mut server);
    placed(&r);
    assert_eq!(
        server.endpoints()[..2],
        ["conf".to_owned(), "query".to_owned()]
    );
    assert!(sent_to(&r, "query")[0]
        .url
        .contains("/otn/leftTicket/queryG?leftTicketDTO.train_date=2026-12-01"));
}

#[test]
fn not_logged_in_at_conf_needs_login() {
    let mut server = Server::new(vec![]).then(
        "conf",
        vec![Reply::Ok(env(serde_json::json!({"is_login":"N"})))],
    );
    let r = run(task(serde_json::json!({"queryPath": null})), &mut server);
    assert!(matches!(
        r.end,
        End::NeedsUser(NeedsUser::Login {
            order_may_exist: false,
            ..
        })
    ));
}

#[test]
fn sold_out_keeps_querying_at_the_interval_then_books() {
    let sold = query_answer(&[row("G2", "无", "无", "无")]);
    let mut server = Server::new(vec![row("G2", "3", "", "")]).then(
        "query",
        vec![
            Reply::Ok(sold.clone()),
            Reply::Ok(sold.clone()),
            Reply::Ok(sold),
        ],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    let queries: Vec<u64> = r
        .sent
        .iter()
        .filter(|(_, q)| endpoint(q) == "query")
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(queries.len(), 4);
    for pair in queries.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            (2400..=3700).contains(&gap),
            "query gap {gap} ms is the interval ±20%"
        );
    }
    assert_eq!(
        r.events
            .iter()
            .filter(|e| matches!(e, Event::Query { found: None, .. }))
            .count(),
        3,
        "each empty query is reported"
    );
}

#[test]
fn not_enough_seats_for_all_passengers_is_not_a_match() {
    let t = task(serde_json::json!({"passengers":[
        {"name":"张三","idNo":"1101***********012"},{"name":"李四","idNo":"1101***********027"}]}));
    let mut server = Server::new(vec![row("G2", "2", "", "")]).then(
        "query",
        vec![Reply::Ok(query_answer(&[row("G2", "1", "", "")]))],
    );
    let r = run(t, &mut server);
    placed(&r);
    assert_eq!(server.count("query"), 2);
}

#[test]
fn three_passengers_with_mixed_classes_and_a_child() {
    let t = task(serde_json::json!({"passengers":[
        {"name":"张三","idNo":"1101***********012","seat":"M"},
        {"name":"李四","idNo":"1101***********027"},
        {"name":"张小宝","idNo":"1101***********055","ticketType":"2"}]}));
    let mut server = Server::new(vec![row("G2", "有", "1", "")]);
    let r = run(t, &mut server);
    let Finished::OrderPlaced { seats, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(
        seats,
        &vec![
            "一等座".to_owned(),
            "二等座".to_owned(),
            "二等座".to_owned()
        ]
    );
    let confirm = sent_to(&r, "confirmSingleForQueue")[0];
    assert_eq!(
        body_field(confirm, "passengerTicketStr").as_deref(),
        Some(
            "M,0,1,张三,1,1101***********012,139****0001,N,enc1_O,0,1,李四,1,1101***********027,139****0001,N,enc2_\
             O,0,2,张小宝,1,1101***********055,139****0001,N,enc3"
        )
    );
    assert_eq!(
        body_field(sent_to(&r, "getQueueCount")[0], "seatType").as_deref(),
        Some("M")
    );
}

#[test]
fn no_seat_only_when_accepted() {
    let standing = vec![row("G2", "无", "无", "有")];
    let mut server = Server::new(standing.clone());
    let r = run_with(
        Booking::new(task(serde_json::json!({})), 0),
        &mut server,
        0,
        40,
    );
    assert!(matches!(r.end, End::Steps));
    assert_eq!(
        server.count("submitOrderRequest"),
        0,
        "无座 is not taken unless accepted"
    );

    let mut server = Server::new(standing);
    let r = run(task(serde_json::json!({"acceptNoSeat": true})), &mut server);
    let Finished::OrderPlaced { seats, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(seats, &vec!["无座".to_owned()]);
    let confirm = sent_to(&r, "confirmSingleForQueue")[0];
    assert!(
        body_field(confirm, "passengerTicketStr")
            .unwrap_or_default()
            .starts_with("O,0,1,张三"),
        "无座 goes as 二等座 on a G train"
    );
}

#[test]
fn moved_query_path_is_followed() {
    let moved =
        serde_json::json!({"status":false,"c_url":"leftTicket/queryZ","c_name":"CLeftTicketUrl"})
            .to_string();
    let mut server =
        Server::new(vec![row("G2", "有", "", "")]).then("query", vec![Reply::Ok(moved)]);
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    let q = sent_to(&r, "query");
    assert!(q[0].url.contains("/leftTicket/queryG?"));
    assert!(q[1].url.contains("/leftTicket/queryZ?"));
}

#[test]
fn stale_ticket_info_requeries() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then(
        "submitOrderRequest",
        vec![Reply::Ok(fail("车票信息已过期，请重新查询最新车票信息"))],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    assert_eq!(server.count("query"), 2);
    assert_eq!(server.count("submitOrderRequest"), 2);
}

#[test]
fn session_lost_at_check_user_needs_login_and_resumes() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then(
        "checkUser",
        vec![Reply::Ok(env(serde_json::json!({"flag":false})))],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    assert!(matches!(
        r.end,
        End::NeedsUser(NeedsUser::Login {
            order_may_exist: false,
            ..
        })
    ));
    let mut m = r.machine;
    m.handle(Input::Resume, 2_000_000);
    let r = run_with(m, &mut server, 2_000_000, 500);
    placed(&r);
}

#[test]
fn redirect_to_passport_is_session_lost() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then(
        "query",
        vec![Reply::Redirect(
            "https://kyfw.12306.cn/otn/passport?redirect=/otn/login/userLogin",
        )],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    assert!(matches!(r.end, End::NeedsUser(NeedsUser::Login { .. })));
}

#[test]
fn busy_order_steps_retry_in_place_with_back_off() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then(
        "getQueueCount",
        vec![
            Reply::Ok(fail("系统繁忙，请稍后重试！")),
            Reply::Status(503, String::new()),
        ],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    assert_eq!(server.count("getQueueCount"), 3);
    assert_eq!(
        server.count("submitOrderRequest"),
        1,
        "the order page is reused"
    );
    let times: Vec<u64> = r
        .sent
        .iter()
        .filter(|(_, q)| endpoint(q) == "getQueueCount")
        .map(|(t, _)| *t)
        .collect();
    assert!(
        times[1] - times[0] >= 2400 && times[2] - times[1] >= 4800,
        "back-off grows: {times:?}"
    );
    assert!(problems(&r).any(|(_, message)| message.contains("系统繁忙")));
}

#[test]
fn busy_submit_backs_off_and_queries_again() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then(
        "submitOrderRequest",
        vec![Reply::Ok(fail("系统繁忙，请稍后重试！"))],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    assert_eq!(server.count("query"), 2);
}

#[test]
fn queue_longer_than_tickets_blacklists_the_train() {
    let mut server = Server::new(vec![row("G2", "有", "", ""), row("G4", "有", "", "")]).then(
        "getQueueCount",
        vec![Reply::Ok(env(
            serde_json::json!({"count":"0","ticket":"8","op_2":"true","countT":"20"}),
        ))],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    let Finished::OrderPlaced { train, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(train, "G4");
    assert!(r.machine.status().blacklist.iter().any(|(t, _)| t == "G2"));
}

#[test]
fn queue_countdown_polls_as_the_page_does() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then(
        "queryOrderWaitTime",
        vec![
            Reply::Ok(queue(-100, None)),
            Reply::Ok(queue(30, None)),
            Reply::Ok(queue(4, None)),
            Reply::Ok(queue(-1, None)),
        ],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    let times: Vec<u64> = r
        .sent
        .iter()
        .filter(|(_, q)| endpoint(q) == "queryOrderWaitTime")
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(times.len(), 5);
    let gaps: Vec<u64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(
        gaps,
        vec![3050, 20_050, 2050, 3050],
        "-100 → 3 s, 30 s → 20 s, 4 s → 2 s, -1 without id → 3 s (PROTOCOL.md §5.9: after W, min(W/1.5, 60) s)"
    );
    assert_eq!(
        r.events
            .iter()
            .filter(|e| matches!(e, Event::Queue { .. }))
            .count(),
        4
    );
    for q in sent_to(&r, "queryOrderWaitTime") {
        assert!(
            q.url.contains("random=")
                && q.url
                    .contains("&tourFlag=dc&_json_att=&REPEAT_SUBMIT_TOKEN=")
        );
    }
}

#[test]
fn queue_failure_is_definite_and_requeries() {
    let mut server = Server::new(vec![row("G2", "有", "", ""), row("G4", "有", "", "")]).then(
        "queryOrderWaitTime",
        vec![Reply::Ok(env(serde_json::json!({"queryOrderWaitTimeStatus":true,"waitTime":-2,"msg":"没有足够的票!"})))],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    let Finished::OrderPlaced { train, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(train, "G4", "G2 was blacklisted");
    assert_eq!(server.count("confirmSingleForQueue"), 2);
}

#[test]
fn confirm_transport_error_never_resubmits() {
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("confirmSingleForQueue", vec![Reply::Transport]);
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    assert_eq!(server.count("submitOrderRequest"), 1);
    assert_eq!(server.count("confirmSingleForQueue"), 1);
}

#[test]
fn confirm_timeout_then_queue_garbage_resolves_through_the_order_list() {
    let unpaid = env(
        serde_json::json!({"to_page":"db","orderDBList":[{"sequence_no":"E999","train_code_page":"G2",
        "start_train_date_page":"2026-12-01 07:00","array_passser_name_page":["张三"],
        "tickets":[{"pay_limit_time":"2026-11-20 10:30:00","passengerDTO":{"passenger_name":"张三"}}]}]}),
    );
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("confirmSingleForQueue", vec![Reply::Silence])
        .then("queryOrderWaitTime", vec![Reply::Ok("garbage".into()); 5])
        .then("queryMyOrderNoComplete", vec![Reply::Ok(unpaid)]);
    let r = run(task(serde_json::json!({})), &mut server);
    let Finished::OrderPlaced {
        order_id,
        pay_deadline,
        ..
    } = placed(&r)
    else {
        unreachable!()
    };
    assert_eq!(order_id, "E999");
    assert_eq!(pay_deadline.as_deref(), Some("2026-11-20 10:30:00"));
    assert_eq!(server.count("submitOrderRequest"), 1);
    let confirm_at = r
        .sent
        .iter()
        .find(|(_, q)| endpoint(q) == "confirmSingleForQueue")
        .map(|(t, _)| *t)
        .unwrap_or(0);
    let first_poll = r
        .sent
        .iter()
        .find(|(_, q)| endpoint(q) == "queryOrderWaitTime")
        .map(|(t, _)| *t)
        .unwrap_or(0);
    assert!(
        first_poll >= confirm_at + 15_000,
        "the confirm's 15 s deadline passed first"
    );
}

#[test]
fn uncertain_confirm_with_nothing_found_twice_goes_back_to_querying() {
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then(
            "confirmSingleForQueue",
            vec![Reply::Status(502, String::new())],
        )
        .then("queryOrderWaitTime", vec![Reply::Ok(queue(-4, None))]);
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    assert_eq!(
        server.count("submitOrderRequest"),
        2,
        "after -4 (nothing queued) a new attempt is allowed"
    );
}

#[test]
fn unfinished_order_of_ours_is_reported_as_placed() {
    let mut server = blocked_by_unpaid("您还有未处理的订单，请您到<a href=\"../queryOrder/initNoComplete\">[未完成订单]</a>进行处理!", unpaid_order("E777", "G2", "2026-12-01 07:00", "张三"));
    let r = run(task(serde_json::json!({})), &mut server);
    let Finished::OrderPlaced { order_id, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(order_id, "E777");
    assert_eq!(server.count("initDc"), 0);
}

#[test]
fn unfinished_order_of_someone_else_needs_the_user() {
    let mut server = blocked_by_unpaid(
        UNFINISHED,
        unpaid_order("E555", "K1", "2026-12-05 07:00", "王五"),
    );
    let r = run(task(serde_json::json!({})), &mut server);
    let End::NeedsUser(NeedsUser::UnfinishedOrder { orders, .. }) = &r.end else {
        panic!("{:?}", r.end)
    };
    assert_eq!(orders[0].order_id, "E555");
}

#[test]
fn missing_passenger_needs_the_user() {
    let t = task(serde_json::json!({"passengers":[{"name":"赵六","idNo":"1101***********099"}]}));
    let mut server = Server::new(vec![row("G2", "有", "", "")]);
    let r = run(t, &mut server);
    assert!(
        matches!(&r.end, End::NeedsUser(NeedsUser::PassengerMissing { name, .. }) if name == "赵六")
    );
    assert_eq!(server.count("checkOrderInfo"), 0);
}

#[test]
fn order_page_busy_and_login_pages() {
    let busy =
        "<html><body><div class=\"tit error\" id=\"ERROR\">系统忙，请稍后重试</div></body></html>"
            .to_owned();
    let mut server =
        Server::new(vec![row("G2", "有", "", "")]).then("initDc", vec![Reply::Ok(busy)]);
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    assert_eq!(server.count("submitOrderRequest"), 2);

    let login = "<html><script>var globalRepeatSubmitToken = null; uampassport.checkLogin();</script></html>".to_owned();
    let mut server =
        Server::new(vec![row("G2", "有", "", "")]).then("initDc", vec![Reply::Ok(login)]);
    let r = run(task(serde_json::json!({})), &mut server);
    assert!(matches!(r.end, End::NeedsUser(NeedsUser::Login { .. })));
}

#[test]
fn refusals_pause_with_the_message() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then(
        "confirmSingleForQueue",
        vec![Reply::Ok(env(
            serde_json::json!({"submitStatus":false,"errMsg":"本次购票行程冲突"}),
        ))],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    assert!(
        matches!(&r.end, End::NeedsUser(NeedsUser::Refused { message, .. }) if message.contains("行程冲突"))
    );
    assert!(
        !r.machine.order_may_exist(),
        "a definite refusal means no order"
    );
}

#[test]
fn unknown_messages_are_surfaced_verbatim() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then(
        "submitOrderRequest",
        vec![Reply::Ok(fail("一条从未见过的消息"))],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    assert!(problems(&r)
        .any(|(reason, message)| reason == "unknown" && message == "一条从未见过的消息"));
}

#[test]
fn stop_is_obeyed_and_says_an_order_may_exist() {
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("confirmSingleForQueue", vec![Reply::Silence]);
    let mut m = Booking::new(task(serde_json::json!({})), 0);
    let mut now = 0;
    loop {
        match m.poll(now) {
            Action::Send { request } => {
                let ep = endpoint(&request);
                if ep == "confirmSingleForQueue" {
                    break;
                }
                if let Reply::Ok(body) = server.reply(&request) {
                    m.handle(
                        Input::Response(Answer::from(HttpResponse {
                            request_id: request.id,
                            status: 200,
                            final_url: request.url,
                            body,
                        })),
                        now,
                    );
                }
            }
            Action::WaitUntil { until_ms } => now = until_ms,
            Action::Notify { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(m.status().order_may_exist);
    m.stop(now);
    assert!(matches!(
        m.poll(now),
        Action::Finished {
            result: Finished::Stopped {
                order_may_exist: true,
                ..
            }
        }
    ));
    // Answers after the stop change nothing.
    m.handle(
        Input::Response(Answer::from(HttpResponse {
            request_id: 1,
            status: 200,
            final_url: String::new(),
            body: String::new(),
        })),
        now,
    );
    assert!(matches!(m.poll(now), Action::Finished { .. }));
}

#[test]
fn stale_and_duplicate_answers_are_ignored() {
    let mut m = Booking::new(task(serde_json::json!({})), 0);
    let Action::Send { request } = m.poll(0) else {
        panic!("sends the query")
    };
    let before = serde_json::to_string(&m).unwrap_or_default();
    m.handle(
        Input::Response(Answer::from(HttpResponse {
            request_id: request.id + 7,
            status: 200,
            final_url: String::new(),
            body: "x".into(),
        })),
        10,
    );
    m.handle(
        Input::TransportError {
            request_id: request.id + 7,
            message: String::new(),
        },
        10,
    );
    assert_eq!(serde_json::to_string(&m).unwrap_or_default(), before);
    assert!(
        matches!(m.poll(20), Action::WaitUntil { until_ms: 15_000 }),
        "still awaiting with the 15 s deadline"
    );
}

#[test]
fn invalid_task_finishes_failed() {
    let m = Booking::new(task(serde_json::json!({"passengers": []})), 0);
    let mut m = m;
    assert!(matches!(
        m.poll(0),
        Action::Finished {
            result: Finished::Failed { .. }
        }
    ));
    assert!(Booking::try_new(task(serde_json::json!({"date": "tomorrow"})), 0).is_err());
}

#[test]
fn action_and_input_json_shapes_for_the_host() {
    let mut m = Booking::new(task(serde_json::json!({})), 0);
    let a = serde_json::to_value(m.poll(0)).unwrap_or_default();
    assert_eq!(a["type"], "send");
    assert_eq!(a["request"]["method"], "GET");
    assert!(a["request"]["url"]
        .as_str()
        .unwrap_or("")
        .starts_with("https://kyfw.12306.cn/otn/leftTicket/queryG?"));
    let w = serde_json::to_value(m.poll(1)).unwrap_or_default();
    assert_eq!(w, serde_json::json!({"type":"wait","untilMs":15000}));
    let input: Input = serde_json::from_value(
        serde_json::json!({"type":"response","requestId":1,"status":200,"finalUrl":"u","body":"b"}),
    )
    .expect("response input");
    assert!(matches!(
        input,
        Input::Response(Answer {
            response: HttpResponse { request_id: 1, .. },
            ..
        })
    ));
    let input: Input =
        serde_json::from_value(serde_json::json!({"type":"transportError","id":1,"message":"x"}))
            .expect("transport input");
    assert!(matches!(input, Input::TransportError { request_id: 1, .. }));
    let status = serde_json::to_value(m.status()).unwrap_or_default();
    assert_eq!(status["state"], "running");
    assert_eq!(status["step"], "query");
}

#[test]
fn unverified_passenger_is_refused_before_any_order_call() {
    let mut p = passenger("张三", "1101***********012", "1", "enc1");
    p["total_times"] = serde_json::json!("11");
    let answer = env(
        serde_json::json!({"isExist":true,"exMsg":"","two_isOpenClick":["93","95","97","99"],
        "other_isOpenClick":["91","93","98","99","95","97"],"normal_passengers":[p]}),
    );
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("getPassengerDTOs", vec![Reply::Ok(answer)]);
    let r = run(task(serde_json::json!({})), &mut server);
    assert!(
        matches!(&r.end, End::NeedsUser(NeedsUser::Refused { reason, .. }) if reason == "passengerNotVerified")
    );
    assert_eq!(server.count("checkOrderInfo"), 0);
}

#[test]
fn queue_count_uses_the_task_date_when_the_page_has_none() {
    let page = order_page("G2").replace(
        "var orderRequestDTO={'train_date':{'time':1796054400000}};",
        "",
    );
    let mut server =
        Server::new(vec![row("G2", "有", "", "")]).then("initDc", vec![Reply::Ok(page)]);
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    assert_eq!(
        body_field(sent_to(&r, "getQueueCount")[0], "train_date").as_deref(),
        Some("Tue Dec 01 2026 00:00:00 GMT+0800 (中国标准时间)")
    );
}

#[test]
fn unfinished_order_on_another_train_of_the_task_is_ours_too() {
    let mut server = blocked_by_unpaid(
        UNFINISHED,
        unpaid_order("E888", "G4", "2026-12-01 09:00", "张三"),
    );
    let r = run(task(serde_json::json!({})), &mut server);
    let Finished::OrderPlaced {
        order_id, train, ..
    } = placed(&r)
    else {
        unreachable!()
    };
    assert_eq!((order_id.as_str(), train.as_str()), ("E888", "G4"));
}

#[test]
fn encrypted_data_from_the_task_goes_into_the_confirm() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]);
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    assert_eq!(
        body_field(sent_to(&r, "confirmSingleForQueue")[0], "encryptedData").as_deref(),
        Some(""),
        "empty by default"
    );
    let mut server = Server::new(vec![row("G2", "有", "", "")]);
    let r = run(
        task(serde_json::json!({"encryptedData": "risk+blob=="})),
        &mut server,
    );
    placed(&r);
    assert_eq!(
        body_field(sent_to(&r, "confirmSingleForQueue")[0], "encryptedData").as_deref(),
        Some("risk+blob==")
    );
}

#[test]
fn child_ticket_on_an_adults_record() {
    let t = task(serde_json::json!({"passengers":[
        {"name":"张三","idNo":"1101***********012"},
        {"name":"张三","idNo":"1101***********012","ticketType":"2"}]}));
    let mut server = Server::new(vec![row("G2", "有", "", "")]);
    let r = run(t, &mut server);
    placed(&r);
    let confirm = sent_to(&r, "confirmSingleForQueue")[0];
    assert_eq!(
        body_field(confirm, "passengerTicketStr").as_deref(),
        Some(
            "O,0,1,张三,1,1101***********012,139****0001,N,enc1_O,0,2,张三,1,1101***********012,139****0001,N,enc1"
        )
    );
    assert_eq!(
        body_field(confirm, "oldPassengerStr").as_deref(),
        Some("张三,1,1101***********012,1__ ")
    );
}

// ---------------------------------------------------------------------------------------------------------
// Resume after a stop, the queue's stall bound, and the write-off window of an uncertain confirm

fn unpaid_list(order_id: &str) -> String {
    env(
        serde_json::json!({"to_page":"db","orderDBList":[unpaid_order(order_id, "G2", "2026-12-01 07:00", "张三")]}),
    )
}

#[test]
fn stopped_mid_queue_resumes_with_the_order_list_and_never_books_twice() {
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("queryOrderWaitTime", vec![Reply::Ok(queue(-100, None)); 3])
        .then(
            "queryMyOrderNoComplete",
            vec![Reply::Ok(unpaid_list("E321"))],
        );
    let (mut m, now) = stopped_after(&mut server, "queryOrderWaitTime");
    assert_stopped(&mut m, now, true);
    let before = server.log.len();
    let m = restore_and_resume(&m, now + 60_000);
    assert_eq!(m.status().state, State::Waiting, "running again");
    assert!(m.order_may_exist(), "in flight kept");
    let r = run_with(m, &mut server, now + 60_000, 500);
    let Finished::OrderPlaced { order_id, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(order_id, "E321");
    assert_eq!(server.endpoints()[before], "queryMyOrderNoComplete");
    assert_eq!(server.count("submitOrderRequest"), 1);
    assert_eq!(server.count("confirmSingleForQueue"), 1);
}

#[test]
fn stopped_with_nothing_found_after_resume_waits_out_the_window_then_queries() {
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("queryOrderWaitTime", vec![Reply::Ok(queue(-100, None))]);
    let (m, now) = stopped_after(&mut server, "queryOrderWaitTime");
    let before = server.log.len();
    let r = run_with(restore_and_resume(&m, now), &mut server, now, 500);
    placed(&r);
    let after: Vec<String> = server.endpoints()[before..].to_vec();
    assert_eq!(after[0], "queryMyOrderNoComplete");
    let first_query = r
        .sent
        .iter()
        .find(|(_, q)| endpoint(q) == "query")
        .map(|(t, _)| *t)
        .expect("queries again");
    assert!(
        first_query >= now + 60_000,
        "the order was seen queued just before the stop: a minute of nothing before booking again"
    );
    assert_eq!(server.count("submitOrderRequest"), 2);
}

#[test]
fn stopped_before_any_confirm_resumes_by_querying() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]);
    let (mut m, now) = stopped_after(&mut server, "getQueueCount");
    assert_stopped(&mut m, now, false);
    let before = server.log.len();
    let r = run_with(restore_and_resume(&m, now), &mut server, now, 500);
    placed(&r);
    assert_eq!(server.endpoints()[before], "query");
    assert_eq!(server.count("submitOrderRequest"), 2);
    assert_eq!(server.count("confirmSingleForQueue"), 1);
}

#[test]
fn resume_after_a_placed_order_reports_it_again() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]);
    let r = run(task(serde_json::json!({})), &mut server);
    let first = placed(&r).clone();
    let mut m = restore_and_resume(&r.machine, 5_000_000);
    assert_eq!(
        m.poll(5_000_000),
        Action::Finished { result: first },
        "no request, same result"
    );
}

#[test]
fn resume_of_an_invalid_task_stays_failed() {
    let mut m = Booking::new(task(serde_json::json!({"passengers": []})), 0);
    m.handle(Input::Resume, 1);
    assert!(matches!(
        m.poll(1),
        Action::Finished {
            result: Finished::Failed { .. }
        }
    ));
}

#[test]
fn resume_while_running_changes_nothing() {
    let mut m = Booking::new(task(serde_json::json!({})), 0);
    let Action::Send { .. } = m.poll(0) else {
        panic!("sends the query")
    };
    let before = m.clone();
    m.handle(Input::Resume, 10);
    assert_eq!(m, before);
}

#[test]
fn stop_after_the_order_id_still_says_an_order_exists() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]);
    let (mut m, now) = stopped_after(&mut server, "queryOrderWaitTime");
    assert_stopped(&mut m, now, true);
    let r = run_with(restore_and_resume(&m, now), &mut server, now, 100);
    let Finished::OrderPlaced { order_id, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(order_id, "E123456789");
    assert_eq!(server.count("submitOrderRequest"), 1);
}

fn time_of(run: &Run, ep: &str) -> Vec<u64> {
    run.sent
        .iter()
        .filter(|(_, q)| endpoint(q) == ep)
        .map(|(t, _)| *t)
        .collect()
}

#[test]
fn a_queue_that_stands_still_for_5_minutes_goes_to_the_order_list() {
    for (label, answer) in [
        ("-100", queue(-100, None)),
        ("-1 without an order id", queue(-1, None)),
        ("0", queue(0, None)),
        ("30 s that never counts down", queue(30, None)),
    ] {
        let mut server = Server::new(vec![row("G2", "有", "", "")])
            .then("queryOrderWaitTime", vec![Reply::Ok(answer); 200])
            .then(
                "queryMyOrderNoComplete",
                vec![Reply::Ok(unpaid_list("E654"))],
            );
        let r = run(task(serde_json::json!({})), &mut server);
        let Finished::OrderPlaced { order_id, .. } = placed(&r) else {
            unreachable!()
        };
        assert_eq!(order_id, "E654", "{label}");
        let first_wait = time_of(&r, "queryOrderWaitTime")[0];
        let last_wait = *time_of(&r, "queryOrderWaitTime").last().unwrap_or(&0);
        let list = time_of(&r, "queryMyOrderNoComplete")[0];
        assert!(
            last_wait - first_wait >= 300_000 && last_wait - first_wait < 300_000 + 11_000,
            "{label}: gave up on the queue after 5 minutes ({} ms)",
            last_wait - first_wait
        );
        assert!(list >= last_wait, "{label}");
        assert!(
            problems(&r).any(|(reason, _)| reason == "queueStalled"),
            "{label}: the user is told"
        );
        assert_eq!(server.count("submitOrderRequest"), 1, "{label}");
    }
}

#[test]
fn a_long_queue_that_counts_down_is_not_a_stall() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then(
        "queryOrderWaitTime",
        vec![
            Reply::Ok(queue(400, None)),
            Reply::Ok(queue(100, None)),
            Reply::Ok(queue(-100, None)),
        ],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    let waits = time_of(&r, "queryOrderWaitTime");
    assert_eq!(waits.len(), 4);
    let gaps: Vec<u64> = waits.windows(2).map(|w| w[1] - w[0]).collect();
    // A 400 s and a 100 s estimate are each asked about again after a minute (the page's cap), not near their end.
    assert_eq!(gaps, vec![60_050, 60_050, 3050], "{waits:?}");
    assert_eq!(
        server.count("queryMyOrderNoComplete"),
        1,
        "only for the pay deadline"
    );
    assert!(!problems(&r).any(|(reason, _)| reason == "queueStalled"));
}

#[test]
fn an_order_that_shows_up_30_s_after_a_dropped_confirm_is_found() {
    let nothing = env(serde_json::Value::Null);
    let mut script = vec![Reply::Ok(nothing); 8];
    script.push(Reply::Ok(unpaid_list("E246")));
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("confirmSingleForQueue", vec![Reply::Transport])
        .then("queryOrderWaitTime", vec![Reply::Ok("garbage".into()); 5])
        .then("queryMyOrderNoComplete", script);
    let r = run(task(serde_json::json!({})), &mut server);
    let Finished::OrderPlaced { order_id, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(order_id, "E246");
    let confirm = time_of(&r, "confirmSingleForQueue")[0];
    let lists = time_of(&r, "queryMyOrderNoComplete");
    assert_eq!(lists.len(), 9);
    assert!(
        lists[8] - confirm >= 30_000,
        "found {} ms after the confirm",
        lists[8] - confirm
    );
    assert!(
        lists.windows(2).all(|w| w[1] - w[0] <= 5_000),
        "asked every few seconds: {lists:?}"
    );
    assert_eq!(server.count("submitOrderRequest"), 1);
    assert_eq!(server.count("confirmSingleForQueue"), 1);
}

#[test]
fn an_uncertain_confirm_is_written_off_only_after_a_minute_of_nothing() {
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("confirmSingleForQueue", vec![Reply::Transport])
        .then("queryOrderWaitTime", vec![Reply::Ok("garbage".into()); 5]);
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    let confirm = time_of(&r, "confirmSingleForQueue")[0];
    let submits = time_of(&r, "submitOrderRequest");
    assert_eq!(
        submits.len(),
        2,
        "booked again once the order was written off"
    );
    assert!(
        submits[1] - confirm >= 60_000,
        "second submit {} ms after the confirm",
        submits[1] - confirm
    );
    assert!(problems(&r).any(|(_, message)| message == "订单未生成，继续查询"));
}

#[test]
fn machines_saved_before_the_resolve_fields_still_restore() {
    let m = Booking::new(task(serde_json::json!({})), 0);
    let mut v = serde_json::to_value(&m).expect("ser");
    for key in ["resolveSince", "queueProgressAt", "queueLastWaitS"] {
        assert!(
            v.as_object_mut().and_then(|o| o.remove(key)).is_some(),
            "{key} is saved"
        );
    }
    let back: Booking = serde_json::from_value(v).expect("an older save restores");
    assert_eq!(back, m);
}

// ---------------------------------------------------------------------------------------------------------
// Faults from public reports of 12306 clients (the kinds behind ../shared/cases), with fixtures of our own.

/// fancymax/12306ForMac#212: a queue estimate of 22 451 s was waited out almost whole. The official timer asks
/// again after min(floor(W/1.5), 60) s (PROTOCOL.md §5.9), so a huge estimate is asked about after a minute.
#[test]
fn a_huge_queue_estimate_is_asked_about_again_after_a_minute() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then(
        "queryOrderWaitTime",
        vec![
            Reply::Ok(queue(22_451, None)),
            Reply::Ok(queue(-1, Some("E77"))),
        ],
    );
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    let waits = time_of(&r, "queryOrderWaitTime");
    assert_eq!(waits.len(), 2);
    assert_eq!(
        waits[1] - waits[0],
        60_050,
        "60 s plus the fake's 50 ms answer"
    );
}

/// py12306#183: the confirm answered 您的请求已在处理中，请在未完成订单中查询订单状态！ — the order is on its way.
/// It stays "may exist" and is resolved through the queue and the order list (PROTOCOL.md §6), which shows it
/// after a while; nothing is submitted again meanwhile.
#[test]
fn a_confirm_already_in_process_is_resolved_through_the_order_list() {
    let in_process = env(
        serde_json::json!({"submitStatus":false,"errMsg":"您的请求已在处理中，请在未完成订单中查询订单状态！"}),
    );
    let nothing = env(serde_json::Value::Null);
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("confirmSingleForQueue", vec![Reply::Ok(in_process)])
        .then("queryOrderWaitTime", vec![Reply::Ok(queue(-100, None)); 3])
        .then("queryOrderWaitTime", vec![Reply::Ok(queue(-4, None))])
        .then(
            "queryMyOrderNoComplete",
            vec![
                Reply::Ok(nothing.clone()),
                Reply::Ok(nothing),
                Reply::Ok(unpaid_list("E900000123")),
            ],
        );
    let r = run(task(serde_json::json!({})), &mut server);
    let Finished::OrderPlaced { order_id, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(order_id, "E900000123");
    assert_eq!(
        server.count("submitOrderRequest"),
        1,
        "never submitted again"
    );
    assert_eq!(server.count("confirmSingleForQueue"), 1);
}

/// A busy or unknown answer to the confirm, and 车票信息已过期 (what a silently resent confirm meets after its
/// first copy used the token, PROTOCOL.md §5.8), leave the order "may exist"; a ticket refusal does not.
#[test]
fn only_ticket_refusals_at_the_confirm_mean_no_order() {
    let answers = [
        (
            env(serde_json::json!({"submitStatus":false,"errMsg":"系统繁忙，请稍后重试！"})),
            true,
        ),
        (fail("系统繁忙，请稍后重试！"), true),
        (
            env(serde_json::json!({"submitStatus":false,"errMsg":"一段新的说法"})),
            true,
        ),
        (fail("车票信息已过期，请重新查询最新车票信息"), true),
        (
            env(serde_json::json!({"submitStatus":false,"errMsg":"出票失败"})),
            true,
        ),
        (
            env(serde_json::json!({"submitStatus":false,"errMsg":"余票不足"})),
            false,
        ),
        (
            env(
                serde_json::json!({"submitStatus":false,"errMsg":"排队人数现已超过余票数，请您选择其他席别或车次"}),
            ),
            false,
        ),
    ];
    for (answer, may_exist) in answers {
        let mut server = Server::new(vec![row("G2", "有", "", "")])
            .then("confirmSingleForQueue", vec![Reply::Ok(answer.clone())]);
        let mut m = Booking::new(task(serde_json::json!({})), 0);
        drive_until_answered(&mut m, &mut server, 0, "confirmSingleForQueue");
        assert_eq!(m.order_may_exist(), may_exist, "{answer}");
    }
}

/// py12306#535/#536 (2026-03): the order page lands on the error page every time after a successful
/// submitOrderRequest. The first refusal switches the task to loading the page by navigation, at once; when the
/// navigated page is refused too, attempts wait longer each time (a successful query does not reset that), and
/// after three refused navigations the task pauses and says that 12306 refuses the order page.
#[test]
fn an_order_page_that_always_fails_backs_off_then_asks_the_user() {
    let error_page = Reply::Redirect("https://www.12306.cn/mormhweb/logFiles/error.html");
    let mut server =
        Server::new(vec![row("G2", "有", "", "")]).then("initDc", vec![error_page; 10]);
    let r = run(task(serde_json::json!({})), &mut server);
    let End::NeedsUser(NeedsUser::Refused { reason, message }) = &r.end else {
        panic!("{:?}", r.end)
    };
    assert_eq!(reason, "repeatedRefusal");
    assert!(
        message.contains("打开订单页") && message.contains("错误页") && message.contains("导航"),
        "{message}"
    );
    let pages = sent_to(&r, "initDc");
    let navigated: Vec<bool> = pages.iter().map(|p| p.navigate).collect();
    assert_eq!(navigated, [false, true, true, true]);
    let pages = time_of(&r, "initDc");
    let queries = time_of(&r, "query");
    // The first navigation follows the refused fetch at once, in the same attempt.
    assert!(!queries.iter().any(|q| *q > pages[0] && *q < pages[1]));
    assert_eq!(server.count("submitOrderRequest"), 3);
    // Then query → submit → initDc each time; the waits before the next query grow.
    let gaps: Vec<u64> = pages[1..]
        .iter()
        .map(|p| queries.iter().find(|q| *q > p).map_or(0, |q| q - p))
        .take(2)
        .collect();
    assert!(gaps[1] > gaps[0], "growing back-off: {gaps:?}");
    assert_eq!(server.count("confirmSingleForQueue"), 0);
    assert_eq!(server.count("json_ua"), 0, "no page, nothing to read");
}

/// PROTOCOL.md §5.3: once a fetched initDc was sent to the error page, the next initDc asks the host for a
/// navigation; a navigation that gets the page books, and the host is asked for the page's `json_ua` between
/// getQueueCount and the confirm, which carries it as `encryptedData` (§5.8).
#[test]
fn a_refused_order_page_is_loaded_by_navigation_and_its_json_ua_goes_into_the_confirm() {
    let error_page = Reply::Redirect("https://www.12306.cn/mormhweb/logFiles/error.html");
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("initDc", vec![error_page])
        .then(
            "json_ua",
            vec![Reply::Ok("  ua:2KB+token/of=the_page  ".into())],
        );
    let r = run(
        task(serde_json::json!({"encryptedData": "from-the-task"})),
        &mut server,
    );
    placed(&r);
    let pages = sent_to(&r, "initDc");
    assert_eq!(pages.len(), 2);
    assert!(!pages[0].navigate && pages[1].navigate);
    assert_eq!(pages[1].body.as_deref(), Some("_json_att="));
    assert_eq!(pages[1].method, Method::Post);
    assert_eq!(
        server.endpoints(),
        vec![
            "query",
            "checkUser",
            "submitOrderRequest",
            "initDc",
            "initDc",
            "getPassengerDTOs",
            "checkOrderInfo",
            "getQueueCount",
            "json_ua",
            "confirmSingleForQueue",
            "queryOrderWaitTime",
            "resultOrderForDcQueue",
            "queryMyOrderNoComplete"
        ]
    );
    let read = sent_to(&r, "json_ua")[0];
    let v = serde_json::to_value(read).unwrap_or_default();
    assert_eq!(v["read"]["value"], "json_ua");
    assert_eq!(
        v["read"]["token"], "0123456789abcdef0123456789abcdef",
        "names the page"
    );
    assert_eq!(
        body_field(sent_to(&r, "confirmSingleForQueue")[0], "encryptedData").as_deref(),
        Some("ua:2KB+token/of=the_page")
    );
    assert!(problems(&r).any(|(reason, _)| reason == "orderPageRefused"));
    // Every later attempt of the task navigates too (saved in the machine).
    let saved = serde_json::to_value(&r.machine).unwrap_or_default();
    assert_eq!(saved["orderPageByNavigation"], true);
}

/// The read is the host's business and never holds the attempt: no answer, an error, or a value that cannot be
/// the risk script's (not printable ASCII, too long) — the confirm goes with the task's value, else empty.
#[test]
fn an_unusable_json_ua_falls_back_to_the_task_then_empty() {
    let error_page = Reply::Redirect("https://www.12306.cn/mormhweb/logFiles/error.html");
    let cases = [
        (Reply::Silence, "from-the-task", "from-the-task"),
        (Reply::Transport, "", ""),
        (Reply::Status(404, "x".into()), "", ""),
        (
            Reply::Ok("<html>风控</html>".into()),
            "from-the-task",
            "from-the-task",
        ),
        (Reply::Ok("a\u{7}b".into()), "", ""),
        (Reply::Ok("A".repeat(9000)), "", ""),
        (Reply::Ok(String::new()), "from-the-task", "from-the-task"),
    ];
    for (reply, from_task, expected) in cases {
        let label = format!("{reply:?}").chars().take(40).collect::<String>();
        let mut server = Server::new(vec![row("G2", "有", "", "")])
            .then("initDc", vec![error_page.clone()])
            .then("json_ua", vec![reply]);
        let r = run(
            task(serde_json::json!({"encryptedData": from_task})),
            &mut server,
        );
        placed(&r);
        assert_eq!(server.count("json_ua"), 1, "{label}");
        assert_eq!(
            body_field(sent_to(&r, "confirmSingleForQueue")[0], "encryptedData").as_deref(),
            Some(expected),
            "{label}"
        );
    }
}

/// A page read sends nothing to 12306, so it does not count against the request budget, and an order page
/// that was fetched (the default) is never read.
#[test]
fn a_fetched_order_page_is_not_read() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]);
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    assert_eq!(server.count("json_ua"), 0);
    assert!(sent_to(&r, "initDc")
        .iter()
        .all(|p| !p.navigate && p.read.is_none()));
}

/// Every way back to the query keeps the interval: 车票信息已过期 at submitOrderRequest, again and again, never
/// makes the task query faster than the interval (the flood sim12306's stale scenario showed: 25 requests a
/// second at a 3 s interval), and it pauses after three identical refusals.
#[test]
fn stale_ticket_answers_never_speed_up_the_queries() {
    let stale = Reply::Ok(fail("车票信息已过期，请重新查询最新车票信息"));
    let mut server =
        Server::new(vec![row("G2", "有", "", "")]).then("submitOrderRequest", vec![stale; 50]);
    let r = run(task(serde_json::json!({"intervalMs": 3000})), &mut server);
    assert!(
        matches!(&r.end, End::NeedsUser(NeedsUser::Refused { .. })),
        "{:?}",
        r.end
    );
    let queries = time_of(&r, "query");
    assert!(
        queries.windows(2).all(|w| w[1] - w[0] >= 2400),
        "{queries:?}"
    );
    assert_eq!(server.count("submitOrderRequest"), 3);
}

/// A student ticket for a passenger whose record is not a student's: refused before any order call, with the
/// reason (the task did not say the record type, so only getPassengerDTOs tells).
#[test]
fn a_student_ticket_on_an_adult_record_is_refused_before_checking_the_order() {
    let mut server = Server::new(vec![row("G2", "有", "", "")]);
    let t = task(
        serde_json::json!({"passengers":[{"name":"张三","idNo":"1101***********012","ticketType":"3"}]}),
    );
    let r = run(t, &mut server);
    let End::NeedsUser(NeedsUser::Refused { reason, message }) = &r.end else {
        panic!("{:?}", r.end)
    };
    assert_eq!(reason, "ticketTypeNotAllowed");
    assert!(message.contains("学生票"), "{message}");
    assert_eq!(server.count("checkOrderInfo"), 0);
    // Said at creation when the task carries the record's type.
    let t = task(
        serde_json::json!({"passengers":[{"name":"张三","ticketType":"3","passengerType":"1"}]}),
    );
    assert!(Booking::try_new(t, 0).is_err());
}

/// A queue that speaks of an earlier order of the account (another order number while the order list shows
/// ours) does not make that order this task's result.
#[test]
fn a_queue_report_about_another_order_is_not_the_result() {
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then(
            "queryOrderWaitTime",
            vec![Reply::Ok(queue(-1, Some("E000000000")))],
        )
        .then(
            "queryMyOrderNoComplete",
            vec![Reply::Ok(unpaid_list("E246"))],
        );
    let r = run(task(serde_json::json!({})), &mut server);
    let Finished::OrderPlaced { order_id, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(order_id, "E246");
}

/// An unpaid entry of ours without an order number is alive, not a result: the list is asked again.
#[test]
fn an_unnumbered_order_list_entry_is_never_the_result() {
    let unnumbered = env(serde_json::json!({"to_page":"db","orderDBList":[
        unpaid_order("", "G2", "2026-12-01 09:00", "张三")]}));
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("confirmSingleForQueue", vec![Reply::Transport])
        .then("queryOrderWaitTime", vec![Reply::Ok("garbage".into()); 5])
        .then(
            "queryMyOrderNoComplete",
            vec![Reply::Ok(unnumbered), Reply::Ok(unpaid_list("E300"))],
        );
    let r = run(task(serde_json::json!({})), &mut server);
    let Finished::OrderPlaced { order_id, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(order_id, "E300");
}

// ---------------------------------------------------------------------------------------------------------
// The real site of 2025–2026: a booking session shorter than the login, a query path that moves by redirect.

/// While a sold-out train is watched, the booking session is checked before it can lapse (about 10 idle
/// minutes in 2026, PROTOCOL.md §1.3): checkUser at most every 3 minutes, and not more often than that.
#[test]
fn waiting_keeps_the_booking_session_alive_every_three_minutes() {
    let sold_out = Reply::Ok(query_answer(&[row("G2", "无", "", "")]));
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then("query", vec![sold_out; 200]);
    let r = run(task(serde_json::json!({"intervalMs": 5000})), &mut server);
    placed(&r);
    let checks = time_of(&r, "checkUser");
    let waiting: Vec<u64> = checks[..checks.len() - 1].to_vec(); // the last one is the order attempt's
    assert!(waiting.len() >= 4, "{checks:?}");
    let gaps: Vec<u64> = std::iter::once(waiting[0] - 1_000_000)
        .chain(waiting.windows(2).map(|w| w[1] - w[0]))
        .collect();
    assert!(
        gaps.iter().all(|g| (170_000..=180_000).contains(g)),
        "{gaps:?}"
    );
}

/// checkUser says `flag:false` when the tickets come, but the passport login is alive: the booking session is
/// renewed silently (uamtk → uamauthclient, PROTOCOL.md §1.1 #8-9, §1.3) and the order goes through without the
/// user.
#[test]
fn a_lapsed_booking_session_is_renewed_silently() {
    let lapsed = Reply::Ok(env(serde_json::json!({"flag":false})));
    let renew = Reply::Ok(
        serde_json::json!({"apptk":null,"result_message":"验证通过","result_code":0,"newapptk":"TK1"})
            .to_string(),
    );
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("checkUser", vec![lapsed])
        .then("uamtk", vec![renew]);
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    let order: Vec<String> = server.endpoints();
    let at = order.iter().position(|e| e == "uamtk").expect("renewed");
    assert_eq!(
        &order[at - 1..at + 4],
        [
            "checkUser",
            "uamtk",
            "uamauthclient",
            "checkUser",
            "submitOrderRequest"
        ]
    );
    assert_eq!(
        body_field(sent_to(&r, "uamauthclient")[0], "tk").as_deref(),
        Some("TK1")
    );
    assert_eq!(server.count("submitOrderRequest"), 1);
}

/// The passport login is gone too (uamtk `result_code` 1, or 4 用户已在他处登录): now the user must log in, and
/// 12306's words are shown.
#[test]
fn a_renewal_that_fails_asks_the_user_to_log_in() {
    let gone = Reply::Ok(
        serde_json::json!({"result_message":"用户已在他处登录","result_code":4}).to_string(),
    );
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then(
            "checkUser",
            vec![Reply::Ok(env(serde_json::json!({"flag":false})))],
        )
        .then("uamtk", vec![gone]);
    let r = run(task(serde_json::json!({})), &mut server);
    assert!(
        matches!(r.end, End::NeedsUser(NeedsUser::Login { .. })),
        "{:?}",
        r.end
    );
    assert!(problems(&r).any(|(_, m)| m == "用户已在他处登录"));
    assert_eq!(server.count("uamauthclient"), 0);
    assert_eq!(server.count("submitOrderRequest"), 0);
}

/// 2025–2026: a stale query name is answered by a 302 to the current one (PROTOCOL.md §3.1). The host follows
/// it for the query (`followRedirects`) and the machine adopts the final path.
#[test]
fn a_query_redirected_to_another_name_adopts_it() {
    let mut m = Booking::new(task(serde_json::json!({})), 0);
    let Action::Send { request } = m.poll(0) else {
        panic!("query first")
    };
    assert!(request.follow_redirects, "the query follows redirects");
    m.handle(
        Input::Response(Answer::from(HttpResponse {
            request_id: request.id,
            status: 200,
            final_url:
                "https://kyfw.12306.cn/otn/leftTicket/queryI?leftTicketDTO.train_date=2026-12-01"
                    .into(),
            body: query_answer(&[row("G2", "无", "", "")]),
        })),
        50,
    );
    let next = loop {
        match m.poll(10_000) {
            Action::Send { request } => break request,
            Action::Notify { .. } => {}
            other => panic!("{other:?}"),
        }
    };
    assert!(next.url.contains("/otn/leftTicket/queryI?"), "{}", next.url);
}

/// Error pages to the query twice in a row: the path is read again from login/conf (its `queryUrl`) before
/// backing off further, instead of backing off forever on a name that no longer exists.
#[test]
fn query_error_pages_make_the_machine_read_the_path_again() {
    let error = Reply::Redirect("https://www.12306.cn/mormhweb/logFiles/error.html");
    let mut server = Server::new(vec![row("G2", "有", "", "")])
        .then("query", vec![error.clone(), error])
        .then(
            "conf",
            vec![Reply::Ok(env(
                serde_json::json!({"is_login":"Y","queryUrl":"leftTicket/queryA"}),
            ))],
        );
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    assert_eq!(
        &server.endpoints()[..4],
        ["query", "query", "conf", "query"]
    );
    assert!(sent_to(&r, "query")[2].url.contains("/leftTicket/queryA?"));
}

/// The 2026 answer to a query flood is the bare text 网络可能存在问题，请您重试一下！ (PROTOCOL.md §6, §7): the task
/// slows down for a long pause instead of retrying at its interval.
#[test]
fn the_rate_limit_text_pauses_the_queries() {
    let limited = Reply::Ok("网络可能存在问题，请您重试一下！".into());
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then("query", vec![limited]);
    let r = run(task(serde_json::json!({})), &mut server);
    placed(&r);
    let queries = time_of(&r, "query");
    assert!(queries[1] - queries[0] >= 50_000, "{queries:?}");
}

/// 12306's texts reach the user and the saved machine as text: tags removed, ID and mobile numbers masked, at
/// most 300 characters — so a huge answer cannot bloat the stored task either.
#[test]
fn texts_from_12306_are_stripped_masked_and_capped() {
    let html = "请到<a href=\"../queryOrder/initNoComplete\">[未完成订单]</a>处理，证件 110101199001011234，手机 13912345678";
    let huge = format!("系统繁忙{}", "忙".repeat(300_000));
    let mut server = Server::new(vec![row("G2", "有", "", "")]).then(
        "submitOrderRequest",
        vec![Reply::Ok(fail(html)), Reply::Ok(fail(&huge))],
    );
    let mut m = Booking::new(task(serde_json::json!({})), 0);
    let now = drive_until_answered(&mut m, &mut server, 0, "submitOrderRequest");
    let said = m.status().last_message;
    assert!(
        !said.contains('<') && said.contains("[未完成订单]"),
        "{said}"
    );
    assert!(
        said.contains("1101***********234") && said.contains("139****5678"),
        "{said}"
    );
    drive_until_answered(&mut m, &mut server, now + 60_000, "submitOrderRequest");
    assert!(m.status().last_message.chars().count() <= 300);
    let saved = serde_json::to_string(&m).expect("saves");
    assert!(saved.len() < 20_000, "{} bytes", saved.len());
    assert!(!saved.contains("110101199001011234") && !saved.contains("13912345678"));
}

/// Some D trains sell 二等卧/一等卧 (`J`/`I`) in the sleeper columns (PROTOCOL.md §4.1): a task asking for
/// 硬卧/软卧 on such a train would wait forever. It says so at once, naming what the train does sell.
#[test]
fn classes_the_train_never_sells_are_said_at_once() {
    let mut fields: Vec<String> = row("D3006", "", "", "")
        .split('|')
        .map(str::to_owned)
        .collect();
    fields[23] = "5".into(); // the 软卧/一等卧 column
    fields[28] = "有".into(); // the 硬卧/二等卧 column
    fields[34] = "I0J0".into();
    fields[35] = "IJ".into();
    let mut server = Server::new(vec![fields.join("|")]);
    let t = task(serde_json::json!({"trains":["D3006"],"seats":["3","4"]}));
    let r = run(t, &mut server);
    let End::NeedsUser(NeedsUser::Refused { reason, message }) = &r.end else {
        panic!("{:?}", r.end)
    };
    assert_eq!(reason, "classNotSold");
    assert!(
        message.contains("D3006") && message.contains("二等卧") && message.contains("一等卧"),
        "{message}"
    );
    assert_eq!(server.count("query"), 1, "said at the first answer");
    // The same train with the classes it sells books.
    let mut server = Server::new(vec![fields.join("|")]);
    let r = run(
        task(serde_json::json!({"trains":["D3006"],"seats":["J"]})),
        &mut server,
    );
    placed(&r);
}

/// Trains named by pattern (`D%` any D train, `G1**` G100–G199) or a regex, in the task's priority order: the
/// first entry's trains first, each in the server's order.
#[test]
fn trains_named_by_pattern_are_booked_in_priority_order() {
    let rows = vec![
        row("G4", "有", "", ""),
        row("G101", "有", "", ""),
        row("D3006", "有", "", ""),
    ];
    let pick = |trains: serde_json::Value| {
        let mut server = Server::new(rows.clone());
        let r = run(task(serde_json::json!({ "trains": trains })), &mut server);
        let Finished::OrderPlaced { train, .. } = placed(&r) else {
            unreachable!()
        };
        train.clone()
    };
    assert_eq!(pick(serde_json::json!(["D%", "G1**"])), "D3006");
    assert_eq!(pick(serde_json::json!(["G1**", "D%"])), "G101");
    assert_eq!(pick(serde_json::json!(["re:^G[0-9]$"])), "G4");
    // A bad entry is refused when the task is created, with the reason.
    let err =
        Booking::try_new(task(serde_json::json!({"trains": ["re:("]})), 0).expect_err("bad regex");
    assert!(err.to_string().contains("无法识别"), "{err}");
}

// ---------------------------------------------------------------------------------------------------------
// Several trains and dates, kinds, departure window, least seats, booking for fewer, no wasted round trip

/// Three trains over two dates: the task asks the dates in turn (one query per interval overall) and books
/// the first available by date, then train, then class.
#[test]
fn three_trains_over_two_dates_book_the_first_available_in_priority_order() {
    let extra = serde_json::json!({"trains":["G2","G4","G6"],"dates":["2026-12-01","2026-12-02"],
        "date":"2026-12-01","seats":["O","M"]});
    let sold_out = vec![
        row("G2", "无", "无", ""),
        row("G4", "无", "无", ""),
        row("G6", "无", "无", ""),
    ];
    // The first date sold out; on the second G6 has both classes, G4 only 一等座: G4 (train order) in 一等座.
    let mut server = Server::new(vec![]).on("2026-12-01", sold_out.clone()).on(
        "2026-12-02",
        vec![
            row("G6", "有", "有", ""),
            row("G4", "无", "3", ""),
            row("G2", "无", "无", ""),
        ],
    );
    let r = run(task(extra.clone()), &mut server);
    let Finished::OrderPlaced {
        train, date, seats, ..
    } = placed(&r)
    else {
        unreachable!()
    };
    assert_eq!(
        (train.as_str(), date.as_str(), seats[0].as_str()),
        ("G4", "2026-12-02", "一等座")
    );
    let queries = sent_to(&r, "query");
    assert!(queries[0].url.contains("train_date=2026-12-01"));
    assert!(queries[1].url.contains("train_date=2026-12-02"));
    let submit = sent_to(&r, "submitOrderRequest")[0];
    assert_eq!(
        body_field(submit, "train_date").as_deref(),
        Some("2026-12-02")
    );
    // The second date's query waited the interval after the first's (80 % at least, the jitter's floor).
    let at: Vec<u64> = r
        .sent
        .iter()
        .filter(|(_, q)| endpoint(q) == "query")
        .map(|(t, _)| *t)
        .collect();
    assert!(at[1] - at[0] >= 2400, "{at:?}");

    // Tickets on both dates: the first date wins, on its first train with tickets (G6: G2 and G4 have none).
    let mut server = Server::new(vec![])
        .on(
            "2026-12-01",
            vec![row("G2", "无", "无", ""), row("G6", "无", "有", "")],
        )
        .on("2026-12-02", vec![row("G2", "有", "有", "")]);
    let r = run(task(extra), &mut server);
    let Finished::OrderPlaced { train, date, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!((train.as_str(), date.as_str()), ("G6", "2026-12-01"));
    assert_eq!(sent_to(&r, "query").len(), 1);
}

/// Two dates sold out: they are asked in turn, the pace rule holding across them.
#[test]
fn sold_out_dates_are_asked_in_turn_at_the_interval() {
    let extra =
        serde_json::json!({"dates":["2026-12-01","2026-12-02","2026-12-03"],"intervalMs":2000});
    let mut server = Server::new(vec![row("G2", "无", "无", "")]);
    let r = run_with(Booking::new(task(extra), 0), &mut server, 0, 80);
    let queries: Vec<(u64, String)> = r
        .sent
        .iter()
        .filter(|(_, q)| endpoint(q) == "query")
        .map(|(t, q)| {
            (
                *t,
                q.url.split("train_date=").nth(1).unwrap_or("")[..10].to_owned(),
            )
        })
        .collect();
    assert!(queries.len() >= 6, "{queries:?}");
    for (i, (_, date)) in queries.iter().enumerate() {
        assert_eq!(
            date,
            ["2026-12-01", "2026-12-02", "2026-12-03"][i % 3]
                .to_owned()
                .as_str()
        );
    }
    for pair in queries.windows(2) {
        assert!(pair[1].0 - pair[0].0 >= 1600, "{queries:?}");
    }
    assert_eq!(
        r.machine.status().date.as_deref(),
        Some(queries[queries.len() - 1].1.as_str())
    );
}

/// A second date refused as outside the pre-sale window is planned for its opening, shown in the status, and
/// never queried again; the first date goes on at the interval.
#[test]
fn a_date_outside_the_window_is_scheduled_and_the_others_go_on() {
    let extra = serde_json::json!({"dates":["2026-12-01","2026-12-20"]});
    let refused = Reply::Ok(fail("2026-12-20不在预售日期范围内"));
    let mut server = Server::new(vec![row("G2", "无", "无", "")]).then(
        "query",
        vec![
            Reply::Ok(query_answer(&[row("G2", "无", "无", "")])),
            refused,
        ],
    );
    let r = run_with(
        Booking::new(task(extra), 1_000_000),
        &mut server,
        1_000_000,
        60,
    );
    let dates: Vec<&str> = sent_to(&r, "query")
        .iter()
        .map(|q| &q.url.split("train_date=").nth(1).unwrap_or("")[..10])
        .collect();
    assert_eq!(
        dates.iter().filter(|d| **d == "2026-12-20").count(),
        1,
        "{dates:?}"
    );
    assert!(
        dates.iter().filter(|d| **d == "2026-12-01").count() >= 5,
        "{dates:?}"
    );
    let status = r.machine.status();
    assert_eq!(status.dates.len(), 1, "{status:?}");
    assert_eq!(status.dates[0].date, "2026-12-20");
    // 15-day window: 2026-12-06 13:30 Beijing (the rows' field 55 tells the station's clock).
    let opens = kyfw::train::SaleTime::parse("202612061330")
        .map(|t| t.epoch_ms() as u64)
        .expect("opening");
    assert_eq!(status.dates[0].opens_at, opens);
    assert_eq!(status.opens_at, Some(opens));
    assert!(
        r.events.iter().any(|e| matches!(e, Event::SaleWait { .. })),
        "the opening is announced"
    );
}

/// Trains named by kind and departure window: the first row of the kinds asked for inside the window.
#[test]
fn kinds_and_the_departure_window_filter_the_rows() {
    let extra = serde_json::json!({"trains":[],"trainTypes":["D"],"departAfter":"08:00","departBefore":"10:00"});
    let mut server = Server::new(vec![
        row_at("G2", "08:30", "有", "有"),
        row_at("D3", "07:00", "有", "有"),
        row_at("D5", "09:00", "有", "有"),
        row_at("D7", "10:01", "有", "有"),
    ]);
    let r = run(task(extra), &mut server);
    let Finished::OrderPlaced { train, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(train, "D5");
    // Named trains are filtered too: G2 is outside the window, so G4.
    let extra = serde_json::json!({"trains":["G2","G4"],"departAfter":"09:00"});
    let mut server = Server::new(vec![
        row_at("G2", "08:59", "有", "有"),
        row_at("G4", "09:00", "有", "有"),
    ]);
    let r = run(task(extra), &mut server);
    let Finished::OrderPlaced { train, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(train, "G4");
}

/// A class with fewer seats left than `minSeats` is not tried; `有` is always enough.
#[test]
fn min_seats_skips_a_class_with_too_few_left() {
    let rows = vec![row("G2", "3", "有", "")];
    let mut server = Server::new(rows.clone());
    let r = run(task(serde_json::json!({"minSeats":5})), &mut server);
    let Finished::OrderPlaced { seats, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(seats, &vec!["一等座".to_owned()], "二等座 has only 3");
    let mut server = Server::new(rows);
    let r = run(task(serde_json::json!({"minSeats":3})), &mut server);
    let Finished::OrderPlaced { seats, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(seats, &vec!["二等座".to_owned()]);
    // By default two passengers need two seats: one left is not tried.
    let two = serde_json::json!({"passengers":[
        {"name":"张三","idNo":"1101***********012"},{"name":"李四","idNo":"1101***********027"}]});
    let mut server = Server::new(vec![row("G2", "1", "无", "")]);
    let r = run_with(Booking::new(task(two), 0), &mut server, 0, 30);
    assert!(sent_to(&r, "submitOrderRequest").is_empty());
}

/// 仅剩 M 张 with `allowFewer`: the next attempt books the first M passengers, once; without it the train is
/// left out for a while, as before.
#[test]
fn allow_fewer_books_the_first_m_passengers_after_only_m_are_left() {
    let two = |allow: bool| {
        serde_json::json!({"allowFewer": allow, "passengers":[
        {"name":"张三","idNo":"1101***********012"},{"name":"李四","idNo":"1101***********027"}]})
    };
    let only_one = Reply::Ok(env(
        serde_json::json!({"submitStatus":false,"checkSeatNum":true,
        "errMsg":"您选择了2位乘车人，但本次列车二等座仅剩1张。"}),
    ));
    let mut server =
        Server::new(vec![row("G2", "有", "无", "")]).then("checkOrderInfo", vec![only_one.clone()]);
    let r = run(task(two(true)), &mut server);
    let Finished::OrderPlaced { passengers, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(passengers, &vec!["张三".to_owned()]);
    let checks = sent_to(&r, "checkOrderInfo");
    assert_eq!(checks.len(), 2);
    assert_eq!(
        body_field(checks[1], "passengerTicketStr")
            .unwrap_or_default()
            .matches("1101*")
            .count(),
        1,
        "one passenger on the second attempt"
    );
    assert_eq!(sent_to(&r, "confirmSingleForQueue").len(), 1, "one order");
    assert_eq!(
        body_field(sent_to(&r, "submitOrderRequest")[1], "secretStr").as_deref(),
        Some("SEC/G2+x=="),
        "the same train, not left out"
    );

    // Not allowed: G2 is left out, G4 is booked for both.
    let mut server = Server::new(vec![row("G2", "有", "无", ""), row("G4", "有", "无", "")])
        .then("checkOrderInfo", vec![only_one]);
    let r = run(task(two(false)), &mut server);
    let Finished::OrderPlaced {
        train, passengers, ..
    } = placed(&r)
    else {
        unreachable!()
    };
    assert_eq!((train.as_str(), passengers.len()), ("G4", 2));
}

/// checkUser is skipped when the booking session was verified moments ago (here: by the order steps of an
/// attempt refused a moment before), and sent when not.
#[test]
fn check_user_is_skipped_when_the_session_was_verified_moments_ago() {
    let queue_full = Reply::Ok(env(
        serde_json::json!({"count":"0","ticket":"8","op_2":"true","countT":"0","op_1":"false"}),
    ));
    let mut server = Server::new(vec![row("G2", "有", "无", ""), row("G4", "有", "无", "")])
        .then("getQueueCount", vec![queue_full]);
    let r = run(task(serde_json::json!({})), &mut server);
    let Finished::OrderPlaced { train, .. } = placed(&r) else {
        unreachable!()
    };
    assert_eq!(train, "G4");
    assert_eq!(sent_to(&r, "submitOrderRequest").len(), 2);
    assert_eq!(
        sent_to(&r, "checkUser").len(),
        1,
        "the second attempt, seconds after the first one's order steps, skips it"
    );
    assert!(r
        .events
        .iter()
        .any(|e| matches!(e, Event::Step { message, .. } if message.contains("跳过 checkUser"))));
    // The first attempt of a task checks: nothing verified the session yet.
    assert_eq!(endpoint(&r.sent[1].1), "checkUser");
}
