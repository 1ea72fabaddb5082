//! Helpers shared by the parser integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// A real sample from `../shared/12306/samples` (relative to the repo root), or `None` when that folder is
/// absent (tests then skip the sample checks and say so).
pub fn sample(name: &str) -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/12306/samples")
        .join(name);
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) => {
            eprintln!("skipping: sample {name} not present");
            None
        }
    }
}

/// A fixture of this repository.
pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// Non-comment, non-empty lines of a row file.
pub fn rows(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}
