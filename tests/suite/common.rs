//! Helpers shared by the integration tests: finding `../shared`, decoding cases.

#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared` beside the crate (or where `CMFY_SHARED_DIR` points), or `None` when it is
/// absent, so tests that need it skip cleanly on a checkout without it. The skip is written
/// straight to the process's standard error, not through `eprintln!`, which the test harness
/// captures and hides for a passing test. With `CMFY_REQUIRE_SHARED=1` (as CI sets it) an absent
/// `../shared` fails the test instead.
pub fn shared_dir(what: &str) -> Option<PathBuf> {
    use std::io::Write;
    let dir = crate::fixtures::shared_path();
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CMFY_REQUIRE_SHARED").is_some_and(|v| v == "1") {
        panic!("{what}: ../shared is absent and CMFY_REQUIRE_SHARED=1");
    }
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {what}: ../shared is absent (see the README)"
    );
    None
}

/// One line of `conformance/cases.jsonl`.
pub struct Case {
    pub name: String,
    pub expect: String,
    pub body: Vec<u8>,
}

fn from_hex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex body"))
        .collect()
}

/// Every case of the shared conformance file.
pub fn conformance_cases(shared: &std::path::Path) -> Vec<Case> {
    let text =
        std::fs::read_to_string(shared.join("conformance/cases.jsonl")).expect("cases.jsonl");
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let case: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let body = match (case["body"].as_str(), case["body_hex"].as_str()) {
                (Some(text), _) => text.as_bytes().to_vec(),
                (None, Some(hex)) => from_hex(hex),
                _ => panic!("case without body: {line}"),
            };
            Case {
                name: case["name"].as_str().unwrap_or("?").to_owned(),
                expect: case["expect"].as_str().expect("expect").to_owned(),
                body,
            }
        })
        .collect()
}

/// The code `validate` gives, or `"ok"`.
pub fn outcome(body: &[u8]) -> String {
    match cmfy_validate::validate(body) {
        Ok(_) => "ok".to_owned(),
        Err(error) => error.code().to_owned(),
    }
}

/// The JSON files of a corpus folder, sorted by name.
pub fn corpus_files(shared: &std::path::Path, folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("corpus").join(folder))
        .expect("corpus folder")
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// `{"prompt": <workflow>}` around a workflow file's bytes.
pub fn wrap_prompt(workflow: &[u8]) -> Vec<u8> {
    let mut body = b"{\"prompt\": ".to_vec();
    body.extend_from_slice(workflow);
    body.push(b'}');
    body
}
