//! The order page's risk script (12306's `ua_rds.js`, PROTOCOL §5.3/§5.8) and the `encryptedData` it yields.
//!
//! Facts: the real order page declares `var json_ua;`, loads `ua_rds.js?t=<yyyyMMddHH>` asynchronously, and
//! sends `window.json_ua.toString()` (or `""` when that throws) as the confirm's `encryptedData`; the script
//! is refused to non-browser fetches with HTTP 200 and a JSON body `resultStatus` 43007. The sim's own: the
//! script is served on the kyfw host at the real path (the real one is on `mobile.12306.cn`, which the sim
//! does not serve), it is refused to any request whose `Sec-Fetch-Dest` is not `script`, and its value is a
//! keyed digest of the order page's `globalRepeatSubmitToken` (`pages/ua_rds.js` computes the same as
//! [`token`]), so each order page, and so each session, has its own value.

use crate::clock::{Date, CHINA_OFFSET_MS, DAY_MS};
use crate::http::Resp;
use crate::json::J;
use crate::pages::{fill, UA_RDS};
use crate::rng;
use crate::routes::Ctx;
use crate::state::World;

/// Where the sim serves the risk script: the real path, on the kyfw host.
pub const UA_RDS_PATH: &str = "/otsmobile/antcaptcha/ua_rds.js";

/// What the real gateway answers a fetch of the script that is not a browser's (PROTOCOL §5.8).
pub const REFUSED_STATUS: i64 = 43007;

/// The key the script's digest uses: fixed for a seed, unknown to clients that do not run the script.
pub fn key(seed: u64) -> String {
    rng::hex(seed, &["ua_rds"], 32)
}

/// 32-bit FNV-1a of `text`'s bytes (the script works on char codes, the same for the ASCII it digests).
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The `json_ua.toString()` value the script gives on the order page whose token is `page_token`: 64 hex.
pub fn token(seed: u64, page_token: &str) -> String {
    let key = key(seed);
    (0..8)
        .map(|round| format!("{:08x}", fnv1a(&format!("{round}:{key}:{page_token}"))))
        .collect()
}

/// The script's cache-buster as the real page writes it: the China-time hour `yyyyMMddHH` of `now`.
pub fn hour_stamp(now: i64) -> String {
    let d = Date::of_ms(now);
    let hour = (now + CHINA_OFFSET_MS).rem_euclid(DAY_MS) / 3_600_000;
    format!("{}{hour:02}", d.compact())
}

/// `GET /otsmobile/antcaptcha/ua_rds.js?t=…`: the script for a browser's script load, else the refusal.
pub fn ua_rds(w: &mut World, c: &Ctx) -> Resp {
    let is_script_load = c
        .req
        .header("sec-fetch-dest")
        .is_some_and(|d| d.eq_ignore_ascii_case("script"));
    if !is_script_load {
        // Only `resultStatus` is known of the real body.
        return Resp::json(&J::obj(vec![("resultStatus", J::Int(REFUSED_STATUS))]));
    }
    Resp::new(
        200,
        "application/javascript;charset=utf-8",
        fill(UA_RDS, &[("key", &key(w.seed))]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_per_page_and_per_seed() {
        // FNV-1a reference values.
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        let t = token(1, "98480ec31d8d4b4276175a0038fe10d0");
        assert_eq!(t.len(), 64);
        assert!(t.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(t, token(1, "98480ec31d8d4b4276175a0038fe10d0"));
        assert_ne!(t, token(1, "98480ec31d8d4b4276175a0038fe10d1"));
        assert_ne!(t, token(2, "98480ec31d8d4b4276175a0038fe10d0"));
    }

    #[test]
    fn hour_stamp_is_china_time() {
        // 2024-04-22 06:30 UTC = 14:30 in China (INITDC24's t=2024042214).
        assert_eq!(hour_stamp(1_713_767_400_000), "2024042214");
    }
}
