//! `sim12306` binary: starts the simulator and prints the chosen ports as one JSON line.

use std::process::ExitCode;

const HELP: &str = "sim12306 — a stateful stand-in for kyfw.12306.cn / www.12306.cn, for tests

USAGE:
    sim12306 [--https-port N] [--http-port N] [--control-port N] [--bind ADDR]
             [--scenario FILE] [--seed N] [--cert-out FILE]

OPTIONS:
    --https-port N     HTTPS port for the 12306 hosts (self-signed certificate for kyfw.12306.cn,
                       www.12306.cn, localhost, 127.0.0.1); 0 = pick a free port (default 0)
    --http-port N      plain-HTTP port for the same hosts (route by Host header; any other Host is
                       treated as kyfw.12306.cn); 0 = free port (default 0)
    --control-port N   control API port (plain HTTP, JSON); 0 = free port (default 0)
    --bind ADDR        address to listen on (default 127.0.0.1)
    --scenario FILE    load a scenario JSON file at start (same format as POST /scenario)
    --seed N           seed of every generated value (default 12306)
    --cert-out FILE    write the certificate (PEM) to FILE
    -h, --help         print this help

On start it prints one line on stdout: {\"https\":P,\"http\":P,\"control\":P}

CONTROL API (http://127.0.0.1:<control>):
    GET  /health                 {ok, now_ms, seed, query_path}
    GET  /requests[?since=SEQ&path=SUBSTR]   every request to the 12306 hosts
    GET  /orders                 the order book
    GET  /cert                   the certificate (PEM)
    POST /reset                  back to the initial state
    POST /scenario               load a scenario (JSON body; resets first)
    POST /inventory              {date, train, seat, count}   seat: 9 M O P 1 3 4 … or W (无座)
    POST /release                {date, train, seat, count, after_ms | at_ms}
    POST /fault                  {step, kind, probability, times, after_ms, until_ms, latency_ms, status, message}
    POST /fault/clear            remove all faults
    POST /scan                   scan + confirm the newest QR code as the demo account
    POST /session                {\"account\":\"demo\"} -> {cookies, jsessionid}
    POST /clock                  {\"offset_ms\":N} or {\"now_ms\":N}

See tests/sim12306/README.md for the fixed trains, passengers, scenario format and examples.
";

fn main() -> ExitCode {
    let mut cfg = sim12306::Config::default();
    let mut cert_out: Option<String> = None;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        if flag == "-h" || flag == "--help" {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        let Some(value) = args.get(i + 1) else {
            eprintln!("sim12306: {flag} needs a value (see --help)");
            return ExitCode::from(2);
        };
        let port = || {
            value
                .parse::<u16>()
                .map_err(|_| format!("{flag}: not a port: {value}"))
        };
        let r: Result<(), String> = match flag {
            "--https-port" => port().map(|p| cfg.https_port = p),
            "--http-port" => port().map(|p| cfg.http_port = p),
            "--control-port" => port().map(|p| cfg.control_port = p),
            "--bind" => {
                cfg.bind = value.clone();
                Ok(())
            }
            "--seed" => value
                .parse()
                .map(|s| cfg.seed = s)
                .map_err(|_| format!("--seed: not a number: {value}")),
            "--scenario" => std::fs::read_to_string(value)
                .map_err(|e| format!("--scenario {value}: {e}"))
                .and_then(|t| sim12306::Scenario::parse(&t))
                .map(|s| cfg.scenario = Some(s)),
            "--cert-out" => {
                cert_out = Some(value.clone());
                Ok(())
            }
            other => Err(format!("unknown option {other} (see --help)")),
        };
        if let Err(e) = r {
            eprintln!("sim12306: {e}");
            return ExitCode::from(2);
        }
        i += 2;
    }
    let handle = match sim12306::start(cfg) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("sim12306: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = cert_out {
        if let Err(e) = std::fs::write(&path, &handle.cert_pem) {
            eprintln!("sim12306: --cert-out {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    println!(
        "{{\"https\":{},\"http\":{},\"control\":{}}}",
        handle.https_port, handle.http_port, handle.control_port
    );
    // Serve until killed.
    loop {
        std::thread::park();
    }
}
