//! sim12306: a stateful stand-in for kyfw.12306.cn (and www.12306.cn) for tests.
//!
//! `start(Config)` runs an HTTPS and a plain-HTTP server for the 12306 hosts plus a control API, on
//! their own tokio runtime thread, so synchronous tests can use it. It keeps its own wire knowledge and
//! does not depend on the `kyfw` core crate. See README.md for the fixed data and the control API.

pub mod clock;
pub mod control;
pub mod form;
pub mod http;
pub mod inventory;
pub mod json;
pub mod pages;
pub mod passengers;
pub mod qr;
pub mod records;
pub mod risk;
pub mod rng;
pub mod routes;
pub mod scenario;
pub mod secret;
pub mod server;
pub mod state;
pub mod stations;
pub mod tickets;
pub mod timetable;
pub mod tls;

use std::net::{SocketAddr, TcpListener as StdListener};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tokio::sync::watch;

pub use scenario::Scenario;

/// How to start the simulator. Port 0 picks a free port.
#[derive(Debug, Clone)]
pub struct Config {
    pub https_port: u16,
    pub http_port: u16,
    pub control_port: u16,
    /// Address to listen on (default 127.0.0.1).
    pub bind: String,
    pub seed: u64,
    pub scenario: Option<Scenario>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            https_port: 0,
            http_port: 0,
            control_port: 0,
            bind: "127.0.0.1".into(),
            seed: 12306,
            scenario: None,
        }
    }
}

/// A running simulator; stops when dropped.
pub struct SimHandle {
    pub https_port: u16,
    pub http_port: u16,
    pub control_port: u16,
    /// The self-signed certificate (PEM) served on the HTTPS port.
    pub cert_pem: String,
    /// The same certificate, DER.
    pub cert_der: Vec<u8>,
    stop: Option<watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl SimHandle {
    /// `http://127.0.0.1:<http_port>` — the plain-HTTP 12306 server.
    pub fn http_base(&self) -> String {
        format!("http://127.0.0.1:{}", self.http_port)
    }

    /// `http://127.0.0.1:<control_port>`.
    pub fn control_base(&self) -> String {
        format!("http://127.0.0.1:{}", self.control_port)
    }

    /// Stops the servers and waits for their thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(true);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Why the simulator could not start.
#[derive(Debug)]
pub enum StartError {
    Bind(u16, std::io::Error),
    Tls(String),
    Runtime(std::io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Bind(p, e) => write!(f, "cannot listen on port {p}: {e}"),
            StartError::Tls(e) => write!(f, "TLS setup failed: {e}"),
            StartError::Runtime(e) => write!(f, "cannot start the runtime: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

fn bind(addr: &str, port: u16) -> Result<StdListener, StartError> {
    let sa: SocketAddr = format!("{addr}:{port}").parse().map_err(|_| {
        StartError::Bind(
            port,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "bad bind address"),
        )
    })?;
    let l = StdListener::bind(sa).map_err(|e| StartError::Bind(port, e))?;
    l.set_nonblocking(true)
        .map_err(|e| StartError::Bind(port, e))?;
    Ok(l)
}

/// Starts the simulator on its own thread; returns once all three ports listen.
pub fn start(config: Config) -> Result<SimHandle, StartError> {
    let tls = tls::make().map_err(StartError::Tls)?;
    let https = bind(&config.bind, config.https_port)?;
    let http = bind(&config.bind, config.http_port)?;
    let control = bind(&config.bind, config.control_port)?;
    let port = |l: &StdListener| l.local_addr().map(|a| a.port()).unwrap_or(0);
    let (https_port, http_port, control_port) = (port(&https), port(&http), port(&control));
    let mut world = state::World::new(config.seed);
    if let Some(s) = config.scenario {
        world.load_scenario(s);
    }
    let shared = Arc::new(server::Shared {
        world: Mutex::new(world),
        cert_pem: tls.cert_pem.clone(),
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(StartError::Runtime)?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let acceptor = tokio_rustls::TlsAcceptor::from(tls.config.clone());
    let thread = std::thread::Builder::new()
        .name("sim12306".into())
        .spawn(move || {
            runtime.block_on(async move {
                let mut tasks = Vec::new();
                for (l, kind) in [
                    (https, server::Kind::Https),
                    (http, server::Kind::Http),
                    (control, server::Kind::Control),
                ] {
                    let Ok(listener) = tokio::net::TcpListener::from_std(l) else {
                        continue;
                    };
                    let acc = matches!(kind, server::Kind::Https).then(|| acceptor.clone());
                    tasks.push(tokio::spawn(server::run_listener(
                        listener,
                        kind,
                        shared.clone(),
                        acc,
                        stop_rx.clone(),
                    )));
                }
                for t in tasks {
                    let _ = t.await;
                }
            });
        })
        .map_err(StartError::Runtime)?;
    Ok(SimHandle {
        https_port,
        http_port,
        control_port,
        cert_pem: tls.cert_pem,
        cert_der: tls.cert_der,
        stop: Some(stop_tx),
        thread: Some(thread),
    })
}
