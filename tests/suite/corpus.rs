//! Real workflows from `../shared/corpus`: API-format ones are accepted and round-trip, editor
//! (UI) exports are refused with `missing_class_type`.

use crate::common;

use cmfy_validate::validate;
use serde_json::Value;

fn name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn api_workflows_are_accepted_and_round_trip() {
    let Some(shared) = common::shared_dir("the API corpus") else {
        return;
    };
    let files = common::corpus_files(&shared, "api");
    assert!(!files.is_empty());
    for path in &files {
        let workflow = std::fs::read(path).expect("readable");
        let body = common::wrap_prompt(&workflow);
        let accepted = validate(&body).unwrap_or_else(|e| panic!("{}: {e}", name(path)));
        let original: Value = serde_json::from_slice(&workflow).expect("valid JSON");
        let written: Value =
            serde_json::from_str(&accepted.to_json()).expect("to_json writes JSON");
        assert_eq!(written, original, "{} does not round-trip", name(path));
        assert_eq!(
            accepted.len(),
            original.as_object().map_or(0, serde_json::Map::len)
        );
    }
}

#[test]
fn ui_exports_are_refused_with_missing_class_type() {
    let Some(shared) = common::shared_dir("the UI corpus") else {
        return;
    };
    let files = common::corpus_files(&shared, "ui");
    assert!(!files.is_empty());
    for path in files {
        let body = common::wrap_prompt(&std::fs::read(&path).expect("readable"));
        let error = validate(&body).expect_err(&name(&path));
        assert_eq!(error.code(), "missing_class_type", "{}", name(&path));
    }
}

#[test]
fn wrapped_and_invalid_files() {
    let Some(shared) = common::shared_dir("the wrapped corpus") else {
        return;
    };
    for path in common::corpus_files(&shared, "wrapped") {
        let body = std::fs::read(&path).expect("readable");
        let top: Value = serde_json::from_slice(&body).expect("valid JSON");
        // Salad's bodies are ours already; RunPod's put the workflow under input.workflow.
        let expected = if top.get("prompt").is_some() {
            "ok"
        } else {
            "missing_prompt"
        };
        assert_eq!(common::outcome(&body), expected, "{}", name(&path));
    }
    for path in common::corpus_files(&shared, "invalid") {
        let body = common::wrap_prompt(&std::fs::read(&path).expect("readable"));
        assert_eq!(
            common::outcome(&body),
            "missing_class_type",
            "{}",
            name(&path)
        );
    }
}

#[test]
fn a_bare_workflow_or_an_editor_export_as_the_body_gets_a_hint() {
    let Some(shared) = common::shared_dir("the corpus hints") else {
        return;
    };
    let hint = |body: &[u8]| {
        let error = validate(body).expect_err("no prompt");
        assert_eq!(error.code(), "missing_prompt");
        error.details()["hint"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let api = common::corpus_files(&shared, "api");
    for path in &api {
        let text = hint(&std::fs::read(path).expect("readable"));
        assert!(
            text.contains(r#"{"prompt": <workflow>}"#),
            "{}: {text}",
            name(path)
        );
    }
    let ui = common::corpus_files(&shared, "ui");
    for path in &ui {
        let text = hint(&std::fs::read(path).expect("readable"));
        assert!(text.contains("API format"), "{}: {text}", name(path));
        // Inside `prompt`, the code the table gives, with the same hint.
        let body = common::wrap_prompt(&std::fs::read(path).expect("readable"));
        let error = validate(&body).expect_err("an editor export");
        assert_eq!(error.code(), "missing_class_type");
        assert_eq!(error.details()["hint"].as_str(), Some(text.as_str()));
    }
    assert!(!api.is_empty() && !ui.is_empty());
}
