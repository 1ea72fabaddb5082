//! 12306's human-readable messages → [`Reason`] (PROTOCOL.md §6). Matching is by substring, most specific first,
//! because the server wraps the same text in HTML links and punctuation that changes between versions.
//!
//! Besides the JSON messages of each step this also reads the texts a query row puts in its button field
//! (`buttonTextInfo`, row field 1) when the train cannot be booked, e.g. `列车运行图调整,暂停发售`.

use super::Reason;

/// Substring → reason, checked in order.
const TABLE: &[(&str, Reason)] = &[
    ("车票信息已过期", Reason::StaleTicket),
    ("未处理的订单", Reason::UnfinishedOrder),
    ("未完成订单", Reason::UnfinishedOrder),
    // A 候补 order already waits (confirmHB; the wording is sim12306's, 12306's text is not captured): an order
    // exists.
    ("待兑现", Reason::UnfinishedOrder),
    ("排队人数已经超过余票", Reason::QueueExceedsTickets),
    ("排队人数现已超过余票", Reason::QueueExceedsTickets),
    ("没有足够的票", Reason::SoldOut),
    ("余票不足", Reason::SoldOut),
    ("实时余票无票", Reason::SoldOut),
    ("非法的席别", Reason::SoldOut),
    ("仅剩", Reason::NotEnoughSeats),
    ("暂不办理业务", Reason::TrainNotBookable),
    // Row field 1 of a train off sale: a timetable change (TRIP/SKILL26 2026-09, PROTOCOL.md §3.5, §6) or a
    // cancelled train.
    ("运行图调整", Reason::TrainNotBookable),
    ("暂停发售", Reason::TrainNotBookable),
    ("停运", Reason::TrainNotBookable),
    // 候补 refused for a class because too many already wait for it (houbu_seat_limit, TRIP 2026-09).
    ("候补需求提交人数较多", Reason::QueueExceedsTickets),
    ("用户未登录", Reason::SessionLost),
    // uamtk result_code 4 (JACTIL 2026-06, PROTOCOL.md §1.1 #8).
    ("他处登录", Reason::SessionLost),
    ("请重新登录", Reason::SessionLost),
    ("被踢", Reason::SessionLost),
    ("取消次数过多", Reason::CancelLimit),
    ("行程冲突", Reason::TripConflict),
    ("已购买", Reason::TripConflict),
    ("已订", Reason::TripConflict),
    ("证件信息", Reason::IdentityCheck),
    ("人证一致性核验", Reason::IdentityCheck),
    ("身份信息", Reason::IdentityCheck),
    ("验证码", Reason::Captcha),
    ("randCodeError", Reason::Captcha),
    ("滑块", Reason::Captcha),
    ("参数不正确", Reason::BadRequest),
    ("不在预售日期", Reason::NotOnSale),
    ("预售期", Reason::NotOnSale),
    ("操作频率过快", Reason::TooFast),
    ("当前提交订单用户过多", Reason::Busy),
    ("系统繁忙", Reason::Busy),
    ("系统忙", Reason::Busy),
    ("网络繁忙", Reason::Busy),
    ("网络忙", Reason::Busy),
    // The 2026 rate-limit answer to a query flood (RAILFAN 2026-09, YUNYING; PROTOCOL.md §6, §7).
    ("网络可能存在问题", Reason::RateLimited),
    ("非法请求", Reason::Suspected),
    ("第三方", Reason::Suspected),
    ("出票失败", Reason::IssueFailed),
    ("订单已撤销", Reason::OrderCancelled),
    ("距开车时间很近", Reason::Notice),
    ("进站约需", Reason::Notice),
    ("发车前", Reason::Notice),
];

/// What 您选择了N位乘车人，但本次列车X仅剩M张 says (checkOrderInfo with `checkSeatNum`, PROTOCOL.md §6): how many
/// passengers were asked for, the class, and how many seats are left — what booking fewer passengers needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatsLeft {
    /// Passengers in the request (N).
    pub asked: u32,
    /// The class as 12306 names it (X), e.g. `一等座`.
    pub class: String,
    /// Seats left (M).
    pub left: u32,
}

/// Reads the numbers of a 仅剩M张 refusal; `None` for any other text.
pub fn seats_left(message: &str) -> Option<SeatsLeft> {
    // Built once per call: the refusal is rare, and a static would need a lazy cell for little gain.
    let re = regex::Regex::new("选择了([0-9]+)位乘车人[^仅]*?本次列车(.*?)仅剩([0-9]+)张").ok()?;
    let caps = re.captures(message)?;
    Some(SeatsLeft {
        asked: caps.get(1)?.as_str().parse().ok()?,
        class: caps
            .get(2)?
            .as_str()
            .trim_matches(['，', ',', ' '])
            .to_owned(),
        left: caps.get(3)?.as_str().parse().ok()?,
    })
}

/// The reason a message stands for; [`Reason::Unknown`] when nothing matches (the caller keeps the text).
pub fn classify_message(message: &str) -> Reason {
    TABLE
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map_or(Reason::Unknown, |(_, reason)| reason.clone())
}

#[cfg(test)]
mod tests {
    use super::super::NextStep;
    use super::*;

    #[test]
    fn seats_left_numbers() {
        // PROTOCOL.md §6 (checkOrderInfo, checkSeatNum:true).
        assert_eq!(
            seats_left(
                "很抱歉，无法提交您的订单! 原因：您选择了3位乘车人，但本次列车一等座仅剩2张。"
            ),
            Some(SeatsLeft {
                asked: 3,
                class: "一等座".into(),
                left: 2
            })
        );
        assert_eq!(
            seats_left("您选择了1位乘车人，但本次列车二等座仅剩0张"),
            Some(SeatsLeft {
                asked: 1,
                class: "二等座".into(),
                left: 0
            })
        );
        assert_eq!(seats_left("余票不足"), None);
        assert_eq!(seats_left("仅剩张"), None);
    }

    /// The texts PROTOCOL.md marks as 2025–2026, each with the reason and the step it leads to.
    #[test]
    fn texts_of_2025_and_2026() {
        let cases: &[(&str, Reason, NextStep)] = &[
            // §6/§7: the bare answer to a query flood (RAILFAN 2026-09, YUNYING 2025) means "too fast": a long
            // pause, not the ordinary back-off.
            (
                "网络可能存在问题，请您重试一下！",
                Reason::RateLimited,
                NextStep::RetryAfter {
                    ms: super::super::http::RATE_LIMIT_PAUSE_MS,
                },
            ),
            // §3.5 row field 1, §6: a train off sale for a timetable change (TRIP 2026-09, SKILL26): this train is
            // not bookable now, the others are.
            (
                "列车运行图调整,暂停发售",
                Reason::TrainNotBookable,
                NextStep::Blacklist {
                    train: "G3".into(),
                    ms: super::super::BLACKLIST_MS,
                },
            ),
            // §5.13/§6: confirmHB with the 2023 field set (JOHNSHA 2026-03-31); repeating cannot help.
            ("参数不正确", Reason::BadRequest, NextStep::Stop),
            ("参数不正确！", Reason::BadRequest, NextStep::Stop),
            // §1.1 #8: uamtk result_code 4 (JACTIL 2026-06).
            ("用户已在他处登录", Reason::SessionLost, NextStep::Login),
            // §3.5 houbu_seat_limit (TRIP 2026-09-29).
            (
                "当前席别候补需求提交人数较多，请选择其他席别或车次",
                Reason::QueueExceedsTickets,
                NextStep::Blacklist {
                    train: "G3".into(),
                    ms: super::super::BLACKLIST_MS,
                },
            ),
            // §6: 系统繁忙 from the confirm in the 2025 rush (MIPHA25 issue #5) stays plain overload.
            ("系统繁忙，请稍后重试！", Reason::Busy, NextStep::BackOff),
        ];
        for (msg, reason, next) in cases {
            let got = super::super::Outcome::from_message(msg, "G3");
            assert_eq!((&got.reason, &got.next), (reason, next), "{msg}");
            assert_eq!(got.message, *msg, "kept verbatim");
        }
    }

    #[test]
    fn every_documented_message() {
        let cases: &[(&str, Reason)] = &[
            ("车票信息已过期，请重新查询最新车票信息", Reason::StaleTicket),
            (
                "您还有未处理的订单，请您到<a href=\"../queryOrder/initNoComplete\">[未完成订单]</a>进行处理!",
                Reason::UnfinishedOrder,
            ),
            ("该车次暂不办理业务", Reason::TrainNotBookable),
            ("非法请求", Reason::Suspected),
            ("目前排队人数已经超过余票张数，请您选择其他席别或车次。", Reason::QueueExceedsTickets),
            ("排队人数现已超过余票数，请您选择其他席别或车次", Reason::QueueExceedsTickets),
            ("没有足够的票!", Reason::SoldOut),
            ("余票不足", Reason::SoldOut),
            ("非法的席别", Reason::SoldOut),
            ("实时余票无票", Reason::SoldOut),
            (
                "很抱歉，无法提交您的订单! 原因：您选择了1位乘车人，但本次列车一等座仅剩0张。",
                Reason::NotEnoughSeats,
            ),
            ("很抱歉！当前提交订单用户过多，请您稍后重试。", Reason::Busy),
            ("系统忙，请稍后重试", Reason::Busy),
            ("系统繁忙，请稍后重试！", Reason::Busy),
            ("网络繁忙", Reason::Busy),
            ("您的操作频率过快，请稍后再试", Reason::TooFast),
            ("用户未登录", Reason::SessionLost),
            ("网络可能存在问题，请您重试一下！", Reason::RateLimited),
            ("网络忙，请稍后再试。", Reason::Busy),
            ("出票失败", Reason::IssueFailed),
            (
                "对不起，由于您取消次数过多，今日将不能继续受理您的订票请求。",
                Reason::CancelLimit,
            ),
            ("本次购票行程冲突", Reason::TripConflict),
            ("证件信息正在审核中", Reason::IdentityCheck),
            ("通过人证一致性核验的用户及激活的“铁路畅行”会员可以提交候补需求", Reason::IdentityCheck),
            ("2024-05-20不在预售日期范围内", Reason::NotOnSale),
            ("您选择的列车距开车时间很近了，请确保有足够的时间抵达车站", Reason::Notice),
            ("验证码输入错误", Reason::Captcha),
            ("订单已撤销", Reason::OrderCancelled),
            (
                "您的请求已在处理中，请在未完成订单中查询订单状态！",
                Reason::UnfinishedOrder,
            ),
            ("火星人来了", Reason::Unknown),
            ("", Reason::Unknown),
        ];
        for (msg, want) in cases {
            assert_eq!(&classify_message(msg), want, "{msg}");
        }
    }
}
