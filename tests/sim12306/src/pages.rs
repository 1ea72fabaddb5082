//! Page templates (written in `../pages/`) embedded at build time and filled by plain `{{NAME}}`
//! replacement. Callers escape values that land inside JS string literals.

/// `/otn/leftTicket/init`, the query page.
pub const LEFT_TICKET_INIT: &str = include_str!("../pages/leftTicket_init.html");
/// `/otn/resources/login.html`.
pub const LOGIN: &str = include_str!("../pages/login.html");
/// `/otn/confirmPassenger/initDc`, the order page (template).
pub const INIT_DC: &str = include_str!("../pages/initDc.html");
/// The page a lost session lands on.
pub const PASSPORT_REDIRECT: &str = include_str!("../pages/passport_redirect.html");
/// `/otn/view/index.html`, the logged-in home page.
pub const VIEW_INDEX: &str = include_str!("../pages/view_index.html");
/// The busy/blocked error page on www.12306.cn.
pub const ERROR: &str = include_str!("../pages/error.html");
/// `/otn/payOrder/init`, where an unpaid order is paid.
pub const PAY_ORDER_INIT: &str = include_str!("../pages/payOrder_init.html");
/// `/otn/queryOrder/initNoComplete`, the unfinished-order page.
pub const INIT_NO_COMPLETE: &str = include_str!("../pages/initNoComplete.html");
/// www.12306.cn's home page.
pub const WWW_INDEX: &str = include_str!("../pages/www_index.html");
/// Shared style of the sim's pages.
pub const SIM_CSS: &str = include_str!("../pages/sim.css");
/// Shared script of the sim's pages.
pub const SIM_JS: &str = include_str!("../pages/sim.js");
/// The order page's risk script (template: `{{key}}`), see `risk`.
pub const UA_RDS: &str = include_str!("../pages/ua_rds.js");

/// Replaces each `{{name}}` by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

/// The 系统忙 page served for a GET of initDc and for `html` faults.
pub fn busy_page() -> String {
    ERROR.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            fill("a {{x}} {{y}} {{x}}", &[("x", "1"), ("y", "2")]),
            "a 1 2 1"
        );
        assert!(INIT_DC.contains("{{globalRepeatSubmitToken}}"));
        assert!(ERROR.contains("系统忙，请稍后重试"));
    }
}
