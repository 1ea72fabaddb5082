//! hyper plumbing: three listeners (HTTPS and plain HTTP for the 12306 hosts, plain HTTP for control)
//! on one tokio runtime; each request locks the world once, briefly.

use std::convert::Infallible;
use std::io;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use crate::control;
use crate::http::{Req, Resp, Site};
use crate::records::Record;
use crate::routes;
use crate::state::World;

/// Largest request body accepted (12306 bodies are a few KB).
pub const MAX_BODY: usize = 1 << 20;

/// What every connection handler shares: the world and the certificate to hand out.
pub struct Shared {
    pub world: Mutex<World>,
    pub cert_pem: String,
}

type Out = Response<Full<Bytes>>;

fn plain(status: u16, ctype: &str, body: impl Into<Bytes>) -> Out {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = hyper::header::HeaderValue::from_str(ctype) {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

fn to_response(resp: Resp) -> Out {
    let mut r = Response::new(Full::new(Bytes::from(resp.body)));
    *r.status_mut() = hyper::StatusCode::from_u16(resp.status).unwrap_or(hyper::StatusCode::OK);
    for (k, v) in resp.headers {
        if let (Ok(k), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(k.as_bytes()),
            hyper::header::HeaderValue::from_str(&v),
        ) {
            r.headers_mut().append(k, v);
        }
    }
    r
}

async fn read_body(req: Request<Incoming>) -> (hyper::http::request::Parts, Result<String, ()>) {
    let (parts, body) = req.into_parts();
    let bytes = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map(|c| c.to_bytes());
    (
        parts,
        bytes
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|_| ()),
    )
}

/// One request to the 12306 hosts.
async fn serve_12306(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Out, io::Error> {
    let (parts, body) = read_body(req).await;
    let Ok(body) = body else {
        return Ok(plain(413, "text/plain", "request body too large"));
    };
    let host_header = parts
        .headers
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let hostname = host_header
        .rsplit_once(':')
        .map(|(h, _)| h)
        .unwrap_or(&host_header)
        .to_ascii_lowercase();
    let site = if hostname == "www.12306.cn" {
        Site::Www
    } else {
        Site::Kyfw
    };
    let named_host = hostname == "www.12306.cn" || hostname == "kyfw.12306.cn";
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let r = Req {
        method: parts.method.as_str().to_string(),
        site,
        named_host,
        host: host_header.clone(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers,
        body,
    };
    let resp = {
        let mut w = match shared.world.lock() {
            Ok(w) => w,
            Err(poisoned) => poisoned.into_inner(),
        };
        let now = w.clock.now_ms();
        let seq = w.records.push(Record {
            seq: 0,
            t_ms: now,
            method: r.method.clone(),
            host: host_header,
            path: r.path.clone(),
            query: r.query.clone(),
            headers: r.headers.clone(),
            body: r.body.clone(),
            status: 0,
        });
        let mut resp = routes::handle(&mut w, &r, now);
        w.records
            .set_status(seq, if resp.drop_conn { 0 } else { resp.status });
        // The Date header follows the sim clock (hyper would write the wall clock's): clients read 12306's time
        // from it, so a `POST /clock` offset must show there too.
        resp.headers
            .push(("date".into(), crate::clock::http_date(now)));
        resp
    };
    if resp.delay_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(resp.delay_ms)).await;
    }
    if resp.drop_conn {
        // An error from the service makes hyper close the connection without an answer.
        return Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "fault: connection dropped",
        ));
    }
    Ok(to_response(resp))
}

async fn serve_control(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Out, Infallible> {
    let (parts, body) = read_body(req).await;
    let Ok(body) = body else {
        return Ok(plain(413, "text/plain", "request body too large"));
    };
    let ans = {
        let mut w = match shared.world.lock() {
            Ok(w) => w,
            Err(poisoned) => poisoned.into_inner(),
        };
        control::handle(
            &mut w,
            &shared.cert_pem,
            parts.method.as_str(),
            parts.uri.path(),
            parts.uri.query().unwrap_or(""),
            &body,
        )
    };
    Ok(plain(ans.status, ans.content_type, ans.body))
}

/// Which listener a connection came in on.
#[derive(Clone, Copy)]
pub enum Kind {
    Https,
    Http,
    Control,
}

/// Accepts connections until `stop` changes.
pub async fn run_listener(
    listener: TcpListener,
    kind: Kind,
    shared: Arc<Shared>,
    tls: Option<TlsAcceptor>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.changed() => return,
        };
        let Ok((stream, _)) = accepted else { continue };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let tls = tls.clone();
        let mut stop_conn = stop.clone();
        tokio::spawn(async move {
            match kind {
                Kind::Control => {
                    let svc = service_fn(move |req| serve_control(shared.clone(), req));
                    let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), svc);
                    tokio::select! { _ = conn => {}, _ = stop_conn.changed() => {} }
                }
                Kind::Http => {
                    let svc = service_fn(move |req| serve_12306(shared.clone(), req));
                    let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), svc);
                    tokio::select! { _ = conn => {}, _ = stop_conn.changed() => {} }
                }
                Kind::Https => {
                    let Some(acceptor) = tls else { return };
                    let Ok(Ok(tls_stream)) = tokio::time::timeout(
                        std::time::Duration::from_secs(10),
                        acceptor.accept(stream),
                    )
                    .await
                    else {
                        return;
                    };
                    let svc = service_fn(move |req| serve_12306(shared.clone(), req));
                    let conn =
                        http1::Builder::new().serve_connection(TokioIo::new(tls_stream), svc);
                    tokio::select! { _ = conn => {}, _ = stop_conn.changed() => {} }
                }
            }
        });
    }
}
