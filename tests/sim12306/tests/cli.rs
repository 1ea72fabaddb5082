//! The `sim12306` binary: help, the port line on stdout, a scenario file, bad flags.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_sim12306");

#[test]
fn help_documents_the_flags() {
    let out = Command::new(BIN).arg("--help").output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--https-port",
        "--http-port",
        "--control-port",
        "--scenario",
        "--seed",
        "POST /scenario",
        "POST /session",
    ] {
        assert!(text.contains(flag), "help lacks {flag}");
    }
}

#[test]
fn bad_flags_exit_2() {
    for args in [
        vec!["--nope", "1"],
        vec!["--http-port", "x"],
        vec!["--seed"],
    ] {
        let out = Command::new(BIN).args(&args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let out = Command::new(BIN)
        .args(["--scenario", "/nonexistent/scenario.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn prints_ports_and_serves_with_a_scenario() {
    let dir = std::env::temp_dir().join(format!("sim12306-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let scenario = dir.join("scenario.json");
    std::fs::write(&scenario, r#"{"query_path":"queryX"}"#).expect("write");
    let cert = dir.join("cert.pem");
    let mut child = Command::new(BIN)
        .args(["--http-port", "0", "--seed", "5", "--scenario"])
        .arg(&scenario)
        .arg("--cert-out")
        .arg(&cert)
        .stdout(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout).read_line(&mut line).expect("line");
    let ports: serde_json::Value = serde_json::from_str(line.trim()).expect("JSON line");
    let http = ports["http"].as_u64().expect("http");
    assert!(ports["https"].as_u64().is_some() && ports["control"].as_u64().is_some());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .post(&format!("http://127.0.0.1:{http}/otn/login/conf"))
        .send("")
        .expect("conf");
    let body = r.body_mut().read_to_string().expect("body");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        body.contains("\"queryUrl\":\"leftTicket/queryX\""),
        "{body}"
    );
    assert!(std::fs::read_to_string(&cert)
        .unwrap_or_default()
        .contains("BEGIN CERTIFICATE"));
    let _ = std::fs::remove_dir_all(&dir);
}
