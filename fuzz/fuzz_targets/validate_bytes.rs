//! Arbitrary bytes: no panic; validate, validate_with and validate_all agree; an accepted
//! workflow writes back a prompt that re-validates and equals the original as JSON; and on
//! bodies shallow enough for it, the oracle agrees on the code.
#![no_main]

use cmfy_validate::{Policy, validate, validate_all, validate_with};
use cmfy_validate_fuzz::oracle;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let policy = Policy::default();
    let first = validate_with(data, &policy);
    let all = validate_all(data, &policy);
    match (&first, &all) {
        (Err(error), Err(errors)) => assert_eq!(errors.first(), Some(error)),
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        _ => panic!("validate_with and validate_all disagree"),
    }
    assert_eq!(validate(data).err(), first.as_ref().err().cloned());

    let lenient = Policy::default().with_workflow_url_host_check(false).with_private_webhooks(true).with_max_nodes(10);
    let _ = validate_all(data, &lenient);

    // The oracle recurses; keep it to bodies that cannot nest deeply.
    if data.iter().filter(|&&b| b == b'[' || b == b'{').count() < 200 {
        let expected = oracle::expected_code(data);
        assert_eq!(first.as_ref().map_or_else(|e| e.code(), |_| "ok"), expected);
    }

    if let Ok(workflow) = first {
        let prompt = workflow.to_json();
        let again = format!("{{\"prompt\": {prompt}}}");
        let rewritten = validate(again.as_bytes()).expect("a written workflow validates");
        assert_eq!(rewritten.to_json(), prompt);
        let original = oracle::strict_json(data).expect("accepted bodies are JSON");
        let written: serde_json::Value = serde_json::from_str(&prompt).expect("to_json writes JSON");
        assert_eq!(original.get("prompt"), Some(&written));
    }
});
