//! Every 400 code, the precedence between them, and the details and pointers they carry.

use cmfy_validate::{ErrorCode, Policy, ValidationError, validate, validate_all, validate_with};
use serde_json::json;

#[track_caller]
fn error(body: &str) -> ValidationError {
    match validate(body.as_bytes()) {
        Ok(_) => panic!("accepted: {}", head(body)),
        Err(error) => error,
    }
}

/// The pointer of every problem `validate_all` lists, in its order.
#[track_caller]
fn all_pointers(body: &str) -> Vec<String> {
    match validate_all(body.as_bytes(), &Policy::default()) {
        Ok(_) => panic!("accepted: {}", head(body)),
        Err(all) => all.iter().map(|e| e.pointer().to_owned()).collect(),
    }
}

#[track_caller]
fn assert_code(body: &str, code: &str) {
    assert_eq!(error(body).code(), code, "{}", head(body));
}

/// A prompt of `n` minimal valid nodes, then `extra` (a node fragment or nothing).
fn nodes(n: usize, extra: &str) -> String {
    let mut prompt: Vec<String> = (1..=n)
        .map(|i| format!(r#""{i}": {{"class_type": "A", "inputs": {{}}}}"#))
        .collect();
    if !extra.is_empty() {
        prompt.push(extra.to_owned());
    }
    format!("{{{}}}", prompt.join(", "))
}

/// The start of a body, for failure messages.
fn head(body: &str) -> &str {
    body.get(..120).unwrap_or(body)
}

const OK_NODE: &str = r#""1": {"class_type": "A", "inputs": {}}"#;

#[test]
fn every_validation_code() {
    assert_code("{\"prompt\": {", "invalid_json");
    assert_code("[]", "missing_prompt");
    assert_code(r#"{"prompt": true}"#, "invalid_prompt_type");
    assert_code(r#"{"prompt": {}}"#, "empty_workflow");
    assert_code(
        &format!(r#"{{"prompt": {}}}"#, nodes(501, "")),
        "too_many_nodes",
    );
    assert_code(
        r#"{"prompt": {"1": {"class_type": " \t\u00a0 ", "inputs": {}}}}"#,
        "missing_class_type",
    );
    assert_code(
        r#"{"prompt": {"1": {"class_type": "A", "inputs": "x"}}}"#,
        "missing_inputs",
    );
    assert_code(
        r#"{"prompt": {"1": {"class_type": "A", "inputs": {"u": "https://[::1"}}}}"#,
        "invalid_url",
    );
    assert_code(
        r#"{"prompt": {"1": {"class_type": "A", "inputs": {"u": "ws://x.example"}}}}"#,
        "insecure_url",
    );
    assert_code(
        &format!(r#"{{"prompt": {{{OK_NODE}}}, "webhook_url": "ftp://x.example/"}}"#),
        "webhook_must_be_https",
    );
    assert_code(
        &format!(r#"{{"prompt": {{{OK_NODE}}}, "webhook_url": "https://intranet/"}}"#),
        "webhook_private_host",
    );
}

#[test]
fn adjacent_codes_the_higher_wins() {
    // Each body has the problems of two neighbouring rows; rows 2 to 5 all judge the one
    // `prompt` value, so of those only one can be present at a time.
    let cases = [
        (r#"{"a": 1, "a": 2}"#.to_owned(), "invalid_json"),
        (r#"[{"prompt": "x"}]"#.to_owned(), "missing_prompt"),
        (format!(r#"{{"prompt": {{"x": 5, {}}}"#, &nodes(500, "")[1..]), "too_many_nodes"),
        (r#"{"prompt": {"1": {"inputs": []}}}"#.to_owned(), "missing_class_type"),
        (r#"{"prompt": {"1": {"class_type": "A"}}, "webhook_url": "::"}"#.to_owned(), "missing_inputs"),
        (
            r#"{"prompt": {"1": {"class_type": "A", "inputs": {"a": "http://x.example", "b": "https://a b"}}}}"#.to_owned(),
            "invalid_url",
        ),
        (
            r#"{"webhook_url": "http://x.example", "prompt": {"1": {"class_type": "A", "inputs": {"a": "http://x.example"}}}}"#
                .to_owned(),
            "insecure_url",
        ),
        (format!(r#"{{"prompt": {{{OK_NODE}}}, "webhook_url": "http://10.0.0.1/"}}"#), "webhook_must_be_https"),
    ];
    for (body, code) in cases {
        assert_code(&body, code);
        let all = validate_all(body.as_bytes(), &Policy::default()).unwrap_err();
        // A syntax error hides everything after it; a top-level array has no prompt to judge; a
        // webhook that is not https has no host judged (the contract judges hosts of https only).
        if !["invalid_json", "missing_prompt", "webhook_must_be_https"].contains(&code) {
            assert!(all.len() >= 2, "both problems are listed: {}", head(&body));
        }
        assert_eq!(all[0].code(), code);
    }
}

#[test]
fn among_equals_the_first_in_the_body_wins_and_workflow_before_webhook() {
    let body = r#"{"webhook_url": "nope", "prompt": {
        "2": {"class_type": "A", "inputs": {"x": {"deep": ["ok", "https://a b"]}, "y": "https://c d"}},
        "1": {"class_type": "A", "inputs": {"z": "https://e f"}}}}"#;
    let error = error(body);
    assert_eq!(error.code(), "invalid_url");
    assert_eq!(error.pointer(), "/prompt/2/inputs/x/deep/1");
    assert_eq!(
        all_pointers(body),
        [
            "/prompt/2/inputs/x/deep/1",
            "/prompt/2/inputs/y",
            "/prompt/1/inputs/z",
            "/webhook_url"
        ]
    );
}

#[test]
fn every_problem_in_one_input_points_at_its_own_place() {
    // The first problem in an input finds its path by reading the value again; the ones after
    // it use the path kept from there on, through closed arrays and escaped keys.
    let body = r#"{"prompt": {"1": {"class_type": "A", "inputs": {"x": [[["ok", {"k": "v"}]],
        {"k": ["https://a b", {"b\u0063": "http://x"}], "n": [1, [2]]}, "ftp://y"],
        "y": "https://c d"}}}}"#;
    assert_eq!(
        all_pointers(body),
        [
            "/prompt/1/inputs/x/1/k/0",
            "/prompt/1/inputs/y",
            "/prompt/1/inputs/x/1/k/1/bc",
            "/prompt/1/inputs/x/2",
        ]
    );
}

#[test]
fn details_per_code() {
    let details = |body: &str| serde_json::Value::Object(error(body).details().clone());
    assert_eq!(
        details("{\n  \"prompt\": tru\n}"),
        json!({"pointer": "", "line": 2, "column": 13, "reason": "expected a JSON value"})
    );
    assert_eq!(details("5"), json!({"pointer": "", "found": "number"}));
    assert_eq!(details("{}"), json!({"pointer": "", "found": "nothing"}));
    assert_eq!(
        details(r#"{"prompt": null}"#),
        json!({"pointer": "/prompt", "found": "null"})
    );
    assert_eq!(
        details(r#"{"prompt": [1]}"#),
        json!({"pointer": "/prompt", "found": "array"})
    );
    assert_eq!(details(r#"{"prompt": {}}"#), json!({"pointer": "/prompt"}));
    // Hosts the URL parser takes that are no host once their trailing dots go.
    let url_reason = |host: &str| {
        let body = format!(
            r#"{{"prompt": {{"1": {{"class_type": "A", "inputs": {{"u": "https://{host}/m"}}}}}}}}"#
        );
        (error(&body).code(), details(&body)["reason"].clone())
    };
    assert_eq!(
        url_reason(".."),
        (
            "invalid_url",
            json!("host is empty once its trailing dots are removed")
        )
    );
    assert_eq!(
        url_reason("1.2.3.4.5.."),
        (
            "invalid_url",
            json!("host without its trailing dots is invalid: invalid IPv4 address")
        )
    );
    assert_eq!(
        details(&format!(r#"{{"prompt": {}}}"#, nodes(612, ""))),
        json!({"pointer": "/prompt", "node_count": 612, "max_nodes": 500})
    );
    assert_eq!(
        details(r#"{"prompt": {"a/b": 1}}"#),
        json!({"pointer": "/prompt/a~1b", "node_id": "a/b"})
    );
    assert_eq!(
        details(r#"{"prompt": {"n": {"class_type": 7, "inputs": {}}}}"#),
        json!({"pointer": "/prompt/n/class_type", "node_id": "n"})
    );
    assert_eq!(
        details(r#"{"prompt": {"n": {"class_type": "A"}}}"#),
        json!({"pointer": "/prompt/n", "node_id": "n"})
    );
    assert_eq!(
        details(r#"{"prompt": {"n": {"class_type": "A", "inputs": {"img": ["x", "https://"]}}}}"#),
        json!({"pointer": "/prompt/n/inputs/img/1", "node_id": "n", "input": "img", "reason": "empty host"})
    );
    assert_eq!(
        details(
            r#"{"prompt": {"n": {"class_type": "A", "inputs": {"img": "https://10.1.1.1/x"}}}}"#
        ),
        json!({"pointer": "/prompt/n/inputs/img", "node_id": "n", "input": "img", "reason": "private host", "host": "10.1.1.1"})
    );
    assert_eq!(
        details(&format!(
            r#"{{"prompt": {{{OK_NODE}}}, "webhook_url": []}}"#
        )),
        json!({"pointer": "/webhook_url", "field": "webhook_url", "reason": "webhook_url must be a string, not array"})
    );
    assert_eq!(
        details(&format!(
            r#"{{"prompt": {{{OK_NODE}}}, "webhook_url": "https://[0:0::ffff:a00:1]/"}}"#
        )),
        json!({"pointer": "/webhook_url", "field": "webhook_url", "reason": "private host", "host": "[::ffff:a00:1]"})
    );
}

#[test]
fn messages_are_exact_and_too_many_nodes_names_the_limit() {
    assert_eq!(
        error(r#"{"prompt": {}}"#).message(),
        "Workflow has no nodes"
    );
    let body = format!(r#"{{"prompt": {}}}"#, nodes(3, ""));
    let error = validate_with(body.as_bytes(), &Policy::default().with_max_nodes(2)).unwrap_err();
    assert_eq!(error.message(), "Workflow exceeds 2 nodes");
    assert_eq!(error.details()["max_nodes"], 2);
    for code in ErrorCode::VALIDATION {
        assert_eq!(code.status(), 400);
        assert!(!code.is_retryable());
    }
}

#[test]
fn details_never_echo_more_than_200_characters() {
    let id = "é".repeat(1000);
    let error = error(&format!(r#"{{"prompt": {{"{id}": 1}}}}"#));
    for (key, value) in error.details() {
        let text = value.as_str().unwrap_or_default();
        assert!(
            text.chars().count() <= 200,
            "{key} echoes {} characters",
            text.chars().count()
        );
    }
    assert_eq!(
        error.pointer(),
        format!("/prompt/{id}"),
        "the pointer accessor stays exact"
    );
}

#[test]
fn a_wrong_member_points_at_itself_and_an_absent_one_at_its_node() {
    for (body, code, pointer, at) in [
        (
            r#"{"prompt": {"1": {"class_type": "A", "inputs": 5}}}"#,
            "missing_inputs",
            "/prompt/1/inputs",
            "5",
        ),
        (
            r#"{"prompt": {"1": {"class_type": "A"}}}"#,
            "missing_inputs",
            "/prompt/1",
            "{\"class_type\"",
        ),
        (
            r#"{"prompt": {"1": {"class_type": 7, "inputs": {}}}}"#,
            "missing_class_type",
            "/prompt/1/class_type",
            "7",
        ),
        (
            r#"{"prompt": {"1": {"inputs": {}}}}"#,
            "missing_class_type",
            "/prompt/1",
            "{\"inputs\"",
        ),
    ] {
        let error = error(body);
        assert_eq!((error.code(), error.pointer()), (code, pointer), "{body}");
        assert_eq!(
            body.get(error.offset()..error.offset() + at.len()),
            Some(at),
            "{body}"
        );
    }
}

#[test]
fn pointers_use_unescaped_keys() {
    let error = error(
        r#"{"prompt": {"\u0031~": {"class_type": "A", "inputs": {"a\/b": "http://x.example"}}}}"#,
    );
    assert_eq!(error.pointer(), "/prompt/1~0/inputs/a~1b");
    // The input's name is read again from the body for the report, and unescaped there too.
    assert_eq!(error.details()["input"], "a/b");
    assert_eq!(error.details()["node_id"], "1~");
}

#[test]
fn the_first_error_of_validate_all_is_the_one_validate_returns() {
    let bodies = [
        r#"{"prompt": {"1": {"inputs": {"u": "http://x"}}, "2": {"class_type": "A", "inputs": null}}}"#,
        r#"{"prompt": {"1": {"class_type": "A", "inputs": {"u": "https://10.0.0.1", "v": "https://x y"}}}}"#,
        r#"{"webhook_url": 1, "prompt": {"1": {"class_type": "A", "inputs": {"u": "ftp://x"}}}}"#,
    ];
    for body in bodies {
        let all = validate_all(body.as_bytes(), &Policy::default()).unwrap_err();
        assert_eq!(all[0], error(body), "{body}");
    }
}

#[test]
fn validate_all_is_capped() {
    let inputs: Vec<String> = (0..500)
        .map(|i| format!(r#""i{i}": "http://x.example/{i}""#))
        .collect();
    let body = format!(
        r#"{{"prompt": {{"1": {{"class_type": "A", "inputs": {{{}}}}}}}}}"#,
        inputs.join(",")
    );
    let all = validate_all(body.as_bytes(), &Policy::default()).unwrap_err();
    assert_eq!(all.len(), cmfy_validate::MAX_REPORTED_ERRORS);
    assert_eq!(all[0].pointer(), "/prompt/1/inputs/i0");
    assert_eq!(all[99].pointer(), "/prompt/1/inputs/i99");
}

/// A prompt whose first 64 nodes are tiny and whose other `big` nodes carry 3,000 bytes each:
/// from its start it looks like thousands of nodes. `fault` replaces the last big node.
fn deceptive_prompt(big: usize, fault: &str) -> String {
    let small = (1..=64).map(|i| format!(r#""{i}": {{"class_type": "A", "inputs": {{}}}}"#));
    let text = "a".repeat(3000);
    let large = (65..64 + big)
        .map(|i| format!(r#""{i}": {{"class_type": "B", "inputs": {{"text": "{text}"}}}}"#));
    let prompt: Vec<String> = small.chain(large).chain([fault.to_owned()]).collect();
    format!(r#"{{"prompt": {{{}}}}}"#, prompt.join(", "))
}

#[test]
fn a_prompt_that_looks_too_large_is_still_judged_whole() {
    // Early nodes can suggest far more nodes than the body holds; the verdict must be the one
    // a full read gives, including problems in the last node.
    let missing = deceptive_prompt(300, r#""last": {"class_type": "C"}"#);
    assert_eq!(
        error_pointer(&missing),
        ("missing_inputs", "/prompt/last".into())
    );
    let insecure = deceptive_prompt(
        300,
        r#""last": {"class_type": "C", "inputs": {"u": "http://x"}}"#,
    );
    assert_eq!(
        error_pointer(&insecure),
        ("insecure_url", "/prompt/last/inputs/u".into())
    );
    let fine = deceptive_prompt(436, r#""last": {"class_type": "C", "inputs": {}}"#);
    assert_eq!(validate(fine.as_bytes()).map(|w| w.len()), Ok(500));
    // One more node, and the limit is what is reported, with the exact count.
    let over = deceptive_prompt(437, r#""last": {"class_type": "C", "inputs": {}}"#);
    assert_eq!(error(&over).details()["node_count"], 501);
}

#[test]
fn a_prompt_far_over_the_limit_is_counted_exactly_and_still_checked() {
    // Look-alike nodes make the count past the limit certain early; the rest is still read.
    let body = format!(r#"{{"prompt": {}}}"#, nodes(2000, ""));
    let error = error(&body);
    assert_eq!(
        (error.code(), error.details()["node_count"].clone()),
        ("too_many_nodes", json!(2000))
    );
    for fault in [
        r#""1985": {}"#,
        r#""x": [1e400]"#,
        r#""x": {"a": 1, "a": 2}"#,
        // A node's usual members, checked by name past the estimate: twice is a duplicate,
        // however the second is written.
        r#""x": {"class_type": "A", "inputs": {}, "\u0069nputs": {}}"#,
        r#""x": {"_meta": {}, "class_type": "A", "_meta": {}}"#,
        r#""x": {"c\u006cass_type": "A", "class_type": "A"}"#,
        r#""x": {"inputs": {"a": 1, "\u0061": 2}}"#,
    ] {
        let body = format!(r#"{{"prompt": {}}}"#, nodes(1990, fault));
        assert_code(&body, "invalid_json");
    }
    // Each once is not.
    let once = r#""x": {"\u0063lass_type": "A", "inputs": {}, "_meta": {}, "other": 1}"#;
    let body = format!(r#"{{"prompt": {}}}"#, nodes(1990, once));
    assert_code(&body, "too_many_nodes");
}

#[track_caller]
fn error_pointer(body: &str) -> (&'static str, String) {
    let error = error(body);
    (error.code(), error.pointer().to_owned())
}

#[test]
fn nodes_past_the_limit_are_counted_not_judged() {
    // Node 501 has no class_type, but the limit is what is reported, and validate_all does not
    // read nodes it will not build.
    let body = format!(
        r#"{{"prompt": {}}}"#,
        nodes(500, r#""x": {"inputs": {"u": "http://x"}}"#)
    );
    let all = validate_all(body.as_bytes(), &Policy::default()).unwrap_err();
    let codes: Vec<&str> = all.iter().map(ValidationError::code).collect();
    assert_eq!(codes, ["too_many_nodes"]);
    // A duplicate id past the limit is still invalid JSON.
    let body = format!(r#"{{"prompt": {}}}"#, nodes(600, r#""550": {}"#));
    assert_code(&body, "invalid_json");
}

#[test]
fn what_is_and_is_not_examined_for_urls() {
    let ok = |inputs: &str| {
        let body = format!(
            r#"{{"prompt": {{"1": {{"class_type": "http://x", "inputs": {inputs}, "_meta": {{"u": "http://x"}}}}}}}}"#
        );
        validate(body.as_bytes()).map(|_| ()).map_err(|e| e.code())
    };
    assert_eq!(ok(r#"{"http://key": "v"}"#), Ok(()));
    assert_eq!(ok(r#"{"a": "a photo of http://x"}"#), Ok(()));
    assert_eq!(
        ok(r#"{"a": [[{"b": [" \t http://x"]}]]}"#),
        Err("insecure_url")
    );
    assert_eq!(ok(r#"{"a": "\u0068ttp:\/\/x"}"#), Err("insecure_url"));
    assert_eq!(ok(r#"{"a": "h\ttp://x"}"#), Err("insecure_url"));
    assert_eq!(
        ok(r#"{"a": "\u0000https://127.0.0.1"}"#),
        Err("insecure_url")
    );
    assert_eq!(ok(r#"{"a": ["http://x", 0]}"#), Err("insecure_url"));
    assert_eq!(ok(r#"{"a": "C:\\models\\x"}"#), Ok(()));
    let node_id_url = r#"{"prompt": {"http://x": {"class_type": "A", "inputs": {}}}}"#;
    assert!(validate(node_id_url.as_bytes()).is_ok());
}

#[test]
fn policy_knobs() {
    let body = r#"{"prompt": {"1": {"class_type": "A", "inputs": {"u": "https://192.168.1.1/m"}}}, "webhook_url": "https://localhost/h"}"#;
    assert_code(body, "insecure_url");
    let lenient = Policy::default().with_workflow_url_host_check(false);
    assert_eq!(
        validate_with(body.as_bytes(), &lenient).unwrap_err().code(),
        "webhook_private_host"
    );
    let dev = lenient.clone().with_private_webhooks(true);
    assert!(validate_with(body.as_bytes(), &dev).is_ok());
    let allowed = Policy::default()
        .with_allowed_network("192.168.1.0/24".parse().unwrap())
        .with_private_webhooks(true);
    assert!(validate_with(body.as_bytes(), &allowed).is_ok());
    let blocked = allowed.with_blocked_network("192.168.1.1/32".parse().unwrap());
    assert_eq!(
        validate_with(body.as_bytes(), &blocked).unwrap_err().code(),
        "insecure_url"
    );
    // IPv4-mapped (and NAT64) addresses meet the networks as the IPv4 address they carry,
    // whether the network blocks a public range or allows a private one.
    let mapped = |ip: &str| ip.parse::<std::net::IpAddr>().unwrap();
    let public_blocked = Policy::default().with_blocked_network("8.8.8.0/24".parse().unwrap());
    assert!(!public_blocked.is_public_ip(mapped("8.8.8.8")));
    assert!(!public_blocked.is_public_ip(mapped("::ffff:8.8.8.8")));
    assert!(!public_blocked.is_public_ip(mapped("64:ff9b::808:808")));
    assert!(public_blocked.is_public_ip(mapped("::ffff:8.8.4.4")));
    let private_allowed = Policy::default().with_allowed_network("10.0.0.0/8".parse().unwrap());
    assert!(private_allowed.is_public_ip(mapped("::ffff:10.1.2.3")));
    assert!(private_allowed.is_public_ip(mapped("10.1.2.3")));
    assert!(!private_allowed.is_public_ip(mapped("::ffff:192.168.0.1")));
    let suffix = Policy::default().with_blocked_name_suffix(".Models.Example.");
    let body = r#"{"prompt": {"1": {"class_type": "A", "inputs": {"u": "https://cdn.models.example./m"}}}}"#;
    assert_eq!(
        validate_with(body.as_bytes(), &suffix).unwrap_err().code(),
        "insecure_url"
    );
    assert!(validate(body.as_bytes()).is_ok());
    // No policy accepts invalid JSON.
    let lenient = Policy::default()
        .with_workflow_url_host_check(false)
        .with_private_webhooks(true)
        .with_max_nodes(usize::MAX);
    assert_eq!(
        validate_with(b"{\"prompt\": {},}", &lenient)
            .unwrap_err()
            .code(),
        "invalid_json"
    );
}

#[test]
fn hints_for_the_commonest_mistakes_add_details_and_never_change_the_code() {
    let hint = |body: &str| {
        let error = cmfy_validate::validate(body.as_bytes()).expect_err(body);
        (
            error.code(),
            error
                .details()
                .get("hint")
                .and_then(|h| h.as_str())
                .map(|h| h.to_owned()),
        )
    };
    let wrap = Some(
        r#"the body looks like a workflow itself: send it as {"prompt": <workflow>}"#.to_owned(),
    );
    let export = Some("this is a workflow as the editor saves it: export it in API format (Workflow > Export (API) in ComfyUI) and send that as the prompt".to_owned());
    assert_eq!(
        hint(r#"{"3": {"class_type": "KSampler", "inputs": {}}}"#),
        ("missing_prompt", wrap.clone())
    );
    assert_eq!(
        hint(r#" {"3": {"class_type": "K"}, "4": {"inputs": 1}}"#),
        ("missing_prompt", wrap)
    );
    assert_eq!(
        hint(r#"{"nodes": [{"id": 1}], "links": [], "last_node_id": 1}"#),
        ("missing_prompt", export.clone())
    );
    // Inside prompt: the table's code, with the hint on every problem in the prompt.
    let body = r#"{"prompt": {"nodes": [], "links": [], "version": 0.4}, "webhook_url": "http://x.example"}"#;
    assert_eq!(hint(body), ("missing_class_type", export.clone()));
    let all = cmfy_validate::validate_all(body.as_bytes(), &cmfy_validate::Policy::default())
        .expect_err("invalid");
    let hints: Vec<Option<&str>> = all
        .iter()
        .map(|e| e.details().get("hint").and_then(|h| h.as_str()))
        .collect();
    assert_eq!(
        hints,
        [
            export.as_deref(),
            export.as_deref(),
            export.as_deref(),
            None
        ]
    );
    // The names as written or escaped, before or after the node limit (whose nodes are only
    // counted), found while the prompt is read.
    let filler = |from: usize, to: usize| {
        (from..to)
            .map(|i| format!(r#""n{i}": {{"class_type": "A", "inputs": {{}}}}"#))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for body in [
        r#"{"prompt": {"n\u006fdes": [], "links": []}}"#.to_owned(),
        format!(
            r#"{{"prompt": {{{}, "nodes": [], "links": [1]}}}}"#,
            filler(0, 600)
        ),
        format!(
            r#"{{"prompt": {{"nodes": [], {}, "links": []}}}}"#,
            filler(0, 2000)
        ),
    ] {
        assert_eq!(hint(&body).1, export, "{}", &body[..60]);
    }
    // Both must be arrays, and members of the prompt itself.
    for body in [
        r#"{"prompt": {"nodes": {}, "links": []}}"#,
        r#"{"prompt": {"nodes": [], "links": "[]"}}"#,
        r#"{"prompt": {"nodes": [], "x": {"links": []}}}"#,
        r#"{"prompt": {"nodes": []}, "links": []}"#,
    ] {
        assert_eq!(hint(body).1, None, "{body}");
    }
    // No hint where none applies.
    for body in [
        r#"{}"#,
        r#"{"promt": {}}"#,
        r#"{"3": {"inputs": {}}}"#,
        r#"{"3": {"class_type": "A"}, "n": 1}"#,
        "[1]",
        r#"{"prompt": {"1": 2}}"#,
        "{,",
    ] {
        assert_eq!(hint(body).1, None, "{body}");
    }
}

#[test]
fn validate_all_judges_every_node_within_the_limit_of_a_prompt_far_over_it() {
    // Counting early (the estimate) is only for validate: validate_all still reads the nodes it
    // builds, the first 500, so a problem in node 100 of 2,000 is reported with the count.
    let prompt = nodes(2000, "").replacen(
        r#""100": {"class_type": "A", "inputs": {}}"#,
        r#""100": {"class_type": "A", "inputs": {"u": "http://example.com/a.png"}}"#,
        1,
    );
    let body = format!(r#"{{"prompt": {prompt}}}"#);
    let all = validate_all(body.as_bytes(), &Policy::default()).unwrap_err();
    let found: Vec<(&str, &str)> = all.iter().map(|e| (e.code(), e.pointer())).collect();
    assert_eq!(
        found,
        [
            ("too_many_nodes", "/prompt"),
            ("insecure_url", "/prompt/100/inputs/u")
        ]
    );
    assert_eq!(error(&body).code(), "too_many_nodes");
}
