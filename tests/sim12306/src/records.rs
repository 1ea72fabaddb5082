//! The request log served by the control API's `GET /requests`.

use crate::json::J;

/// At most this many requests are kept (oldest dropped) so long runs do not grow without bound.
pub const MAX_RECORDS: usize = 100_000;

/// One request to the 12306 hosts as `/requests` reports it.
#[derive(Debug, Clone)]
pub struct Record {
    pub seq: u64,
    pub t_ms: i64,
    pub method: String,
    pub host: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub status: u16,
}

/// Every request seen, oldest first, capped at [`MAX_RECORDS`].
#[derive(Debug, Default)]
pub struct Records {
    next_seq: u64,
    items: std::collections::VecDeque<Record>,
}

impl Records {
    /// Appends a record, giving it the next sequence number (returned).
    pub fn push(&mut self, mut r: Record) -> u64 {
        self.next_seq += 1;
        r.seq = self.next_seq;
        if self.items.len() >= MAX_RECORDS {
            self.items.pop_front();
        }
        self.items.push_back(r);
        self.next_seq
    }

    /// Sets the answer status of a record once it is known.
    pub fn set_status(&mut self, seq: u64, status: u16) {
        if let Some(r) = self.items.iter_mut().rev().find(|r| r.seq == seq) {
            r.status = status;
        }
    }

    /// Forgets every record (sequence numbers keep growing).
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// Records with `seq > since`, optionally only those whose path contains `path`.
    pub fn to_json(&self, since: u64, path: Option<&str>) -> J {
        J::Arr(
            self.items
                .iter()
                .filter(|r| r.seq > since && path.is_none_or(|p| r.path.contains(p)))
                .map(|r| {
                    J::obj(vec![
                        ("seq", J::Int(r.seq as i64)),
                        ("t_ms", J::Int(r.t_ms)),
                        ("method", J::s(&r.method)),
                        ("host", J::s(&r.host)),
                        ("path", J::s(&r.path)),
                        ("query", J::s(&r.query)),
                        (
                            "headers",
                            J::Obj(
                                r.headers
                                    .iter()
                                    .map(|(k, v)| (k.clone(), J::s(v)))
                                    .collect(),
                            ),
                        ),
                        ("body", J::s(&r.body)),
                        ("status", J::Int(i64::from(r.status))),
                    ])
                })
                .collect(),
        )
    }
}
