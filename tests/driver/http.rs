//! A deliberately tiny HTTP/1.1 client (one request per connection, `Connection: close`) and a cookie jar:
//! enough for the sim, no dependency.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// One raw answer.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    /// The `Date` header (12306's clock, second resolution).
    pub date: Option<String>,
    pub body: String,
}

/// Name → value, like a tab's cookie store for one site (paths and expiry ignored: the sim does not need them).
#[derive(Debug, Default, Clone)]
pub struct Jar {
    cookies: BTreeMap<String, String>,
}

impl Jar {
    /// `a=1; b=2` (a Cookie header).
    pub fn add_header(&mut self, header: &str) {
        for part in header.split(';') {
            if let Some((k, v)) = part.trim().split_once('=') {
                self.cookies
                    .insert(k.trim().to_owned(), v.trim().to_owned());
            }
        }
    }

    /// One Set-Cookie value; an expired or emptied cookie is removed.
    pub fn set_cookie(&mut self, line: &str) {
        let first = line.split(';').next().unwrap_or("");
        let Some((k, v)) = first.split_once('=') else {
            return;
        };
        let lower = line.to_ascii_lowercase();
        if v.trim().is_empty()
            || lower.contains("max-age=0")
            || lower.contains("expires=thu, 01 jan 1970")
        {
            self.cookies.remove(k.trim());
        } else {
            self.cookies
                .insert(k.trim().to_owned(), v.trim().to_owned());
        }
    }

    pub fn header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = find(body, b"\r\n") {
        let size = std::str::from_utf8(&body[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        let end = (start + size).min(body.len());
        out.extend_from_slice(&body[start..end]);
        body = body.get(end + 2..).unwrap_or(&[]);
    }
    out
}

/// Sends one request to 127.0.0.1:`port` with `Host: host`.
pub fn send(
    port: u16,
    method: &str,
    host: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Raw, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(|e| e.to_string())?;
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nAccept: */*\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if method != "GET" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())
        .and_then(|()| s.write_all(body.as_bytes()))
        .map_err(|e| format!("write: {e}"))?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).map_err(|e| format!("read: {e}"))?;
    let split = find(&buf, b"\r\n\r\n")
        .ok_or_else(|| format!("no complete answer ({} bytes)", buf.len()))?;
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or("bad status line")?;
    let mut location = None;
    let mut date = None;
    let mut set_cookies = Vec::new();
    let mut chunked = false;
    for line in lines {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        match k.trim().to_ascii_lowercase().as_str() {
            "location" => location = Some(v.trim().to_owned()),
            "date" => date = Some(v.trim().to_owned()),
            "set-cookie" => set_cookies.push(v.trim().to_owned()),
            "transfer-encoding" if v.to_ascii_lowercase().contains("chunked") => chunked = true,
            _ => {}
        }
    }
    let raw_body = &buf[split + 4..];
    let body = if chunked {
        dechunk(raw_body)
    } else {
        raw_body.to_vec()
    };
    Ok(Raw {
        status,
        location,
        set_cookies,
        date,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}
