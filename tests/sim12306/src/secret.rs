//! Opaque tokens that look like 12306's: `secretStr` (MIME base64 with `/`, `+`, `=` and line breaks,
//! %-encoded in the query rows) and `leftTicketStr`. A secretStr carries its own binding (train, date,
//! stations, issue time) obfuscated with the seed, so the server can check it without storing it.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::form;
use crate::rng;

/// What a secretStr was issued for.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretInfo {
    pub train: String,
    pub date: String,
    pub from: String,
    pub to: String,
    pub issued_ms: i64,
}

const SECRET_LEN: usize = 257;
const MARK_AT: usize = 240;
const MARK: [u8; 3] = [0xFB, 0xFF, 0xFF];

/// Bytes 0..4 hold a clear nonce so every token looks different from its first character on.
const NONCE: usize = 4;

fn keystream(seed: u64, epoch: u64, nonce: &[u8], n: usize) -> Vec<u8> {
    let hex: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
    rng::bytes(seed, &["secret-ks", &epoch.to_string(), &hex], n)
}

fn mac(seed: u64, epoch: u64, payload: &str) -> String {
    rng::hex(seed, &["secret-mac", &epoch.to_string(), payload], 12)
}

/// Base64 with a line break every 76 characters (Java MIME encoder style, as 12306 emits).
fn mime_b64(bytes: &[u8]) -> String {
    let flat = STANDARD.encode(bytes);
    let mut out = String::with_capacity(flat.len() + flat.len() / 76 + 1);
    for (i, ch) in flat.chars().enumerate() {
        if i > 0 && i % 76 == 0 {
            out.push('\n');
        }
        out.push(ch);
    }
    out
}

/// Issues a secretStr (decoded form: base64 text with newlines).
pub fn issue(seed: u64, epoch: u64, info: &SecretInfo) -> String {
    let body = format!(
        "{}|{}|{}|{}|{}",
        info.train, info.date, info.from, info.to, info.issued_ms
    );
    let payload = format!("{body}|{}", mac(seed, epoch, &body));
    let mut bytes = rng::bytes(seed, &["secret-pad", &payload], SECRET_LEN);
    let len = payload.len().min(MARK_AT - NONCE - 1);
    let ks = keystream(seed, epoch, &bytes[..NONCE], len + 1);
    bytes[NONCE] = (len as u8) ^ ks[0];
    for (i, b) in payload.bytes().enumerate().take(len) {
        bytes[NONCE + 1 + i] = b ^ ks[i + 1];
    }
    bytes[MARK_AT..MARK_AT + 3].copy_from_slice(&MARK);
    mime_b64(&bytes)
}

/// The %-encoded form that appears in row field 0.
pub fn issue_encoded(seed: u64, epoch: u64, info: &SecretInfo) -> String {
    form::encode_token(&issue(seed, epoch, info))
}

/// Checks a decoded secretStr; `None` when it is not one of ours (or from another epoch/seed).
pub fn check(seed: u64, epoch: u64, decoded: &str) -> Option<SecretInfo> {
    let flat: String = decoded
        .chars()
        .filter(|c| *c != '\n' && *c != '\r')
        .collect();
    let bytes = STANDARD.decode(flat.as_bytes()).ok()?;
    if bytes.len() != SECRET_LEN {
        return None;
    }
    let nonce = bytes.get(..NONCE)?;
    let first = keystream(seed, epoch, nonce, 1);
    let len = usize::from(*bytes.get(NONCE)? ^ *first.first()?);
    let ks = keystream(seed, epoch, nonce, len + 1);
    let raw: Vec<u8> = bytes
        .get(NONCE + 1..NONCE + 1 + len)?
        .iter()
        .zip(ks.iter().skip(1))
        .map(|(b, k)| b ^ k)
        .collect();
    let payload = String::from_utf8(raw).ok()?;
    let (body, tag) = payload.rsplit_once('|')?;
    if tag != mac(seed, epoch, body) {
        return None;
    }
    let mut it = body.split('|');
    let info = SecretInfo {
        train: it.next()?.to_string(),
        date: it.next()?.to_string(),
        from: it.next()?.to_string(),
        to: it.next()?.to_string(),
        issued_ms: it.next()?.parse().ok()?,
    };
    Some(info)
}

/// leftTicketStr / yp_info for a train, date and stations, %-encoded as the page and rows show it.
pub fn left_ticket_str(seed: u64, train: &str, date: &str, from: &str, to: &str) -> String {
    let mut bytes = rng::bytes(seed, &["leftTicket", train, date, from, to], 56);
    bytes[6..9].copy_from_slice(&MARK);
    form::encode_token(&STANDARD.encode(bytes))
}

/// `key_check_isChange`: 56 upper-case hex chars bound to the order page.
pub fn key_check(seed: u64, token: &str, train: &str, date: &str) -> String {
    rng::hex(seed, &["key_check", token, train, date], 56).to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> SecretInfo {
        SecretInfo {
            train: "G2".into(),
            date: "2030-01-02".into(),
            from: "AOH".into(),
            to: "VNP".into(),
            issued_ms: 1234,
        }
    }

    #[test]
    fn roundtrip_and_shape() {
        let s = issue(9, 0, &info());
        assert!(s.contains('\n') && s.contains('/') && s.contains('+') && s.ends_with('='));
        assert_eq!(check(9, 0, &s), Some(info()));
        assert_eq!(check(9, 1, &s), None, "another epoch");
        assert_eq!(check(8, 0, &s), None, "another seed");
        let enc = issue_encoded(9, 0, &info());
        assert!(
            enc.contains("%2F")
                && enc.contains("%2B")
                && enc.contains("%3D")
                && enc.contains("%0A")
        );
        assert_eq!(check(9, 0, &form::decode(&enc)), Some(info()));
        assert_eq!(check(9, 0, "garbage"), None);
        let other = issue(
            9,
            0,
            &SecretInfo {
                train: "G4".into(),
                ..info()
            },
        );
        assert_ne!(other.get(..6), s.get(..6), "tokens differ from the start");
        assert_eq!(check(9, 0, ""), None);
    }

    #[test]
    fn left_ticket_shape() {
        let l = left_ticket_str(1, "G2", "2030-01-02", "AOH", "VNP");
        assert!(
            l.contains("%2F") && l.contains("%2B") && l.ends_with("%3D"),
            "{l}"
        );
        assert_eq!(key_check(1, "t", "G2", "d").len(), 56);
    }
}
