//! `invalid_json` exactly where the contract says: RFC 8259 and the extra rules that keep two
//! parsers from ever reading one body differently.

use cmfy_validate::validate;

const NODE: &str = r#""1": {"class_type": "A", "inputs": {"x": VALUE}}"#;

/// A valid body with `value` as the literal of input `x`.
fn with_value(value: &str) -> String {
    format!("{{\"prompt\": {{{}}}}}", NODE.replace("VALUE", value))
}

#[track_caller]
fn code(body: &[u8]) -> &'static str {
    validate(body).map_or_else(|e| e.code(), |_| "ok")
}

#[test]
fn literals_that_are_valid() {
    for value in [
        "0",
        "-0",
        "1e-400",
        "-1.5E+10",
        "1.7976931348623157e308",
        "[]",
        "{}",
        "null",
        "true",
        "\"\\ud83d\\ude00\"",
        "\"\\u0000\"",
        "\"é\u{10FFFF}\"",
        "[[[[{}]]]]",
        "0.000000000000000000000000000001",
    ] {
        assert_eq!(code(with_value(value).as_bytes()), "ok", "{value}");
    }
    let huge_but_finite = format!("0.{}1", "0".repeat(10_000));
    assert_eq!(code(with_value(&huge_but_finite).as_bytes()), "ok");
}

#[test]
fn literals_that_are_not() {
    for value in [
        "1e400",
        "-1e309",
        "1.8e308",
        "NaN",
        "-Infinity",
        "01",
        "1.",
        ".1",
        "+1",
        "0x10",
        "'a'",
        "\"\\ud800\"",
        "\"\\udc00\\ud800\"",
        "\"\\u12\"",
        "\"\\a\"",
        "\"\t\"",
        "[1,]",
        "{\"a\":1,}",
        "{\"a\":1,\"\\u0061\":2}",
        "tRue",
        "nul",
        "[1 2]",
        "{1: 2}",
        "/* c */ 1",
        "1 // c",
    ] {
        assert_eq!(
            code(with_value(value).as_bytes()),
            "invalid_json",
            "{value}"
        );
    }
    let too_big = "9".repeat(400);
    assert_eq!(code(with_value(&too_big).as_bytes()), "invalid_json");
}

#[test]
fn bodies_that_are_not_one_json_text() {
    let ok = with_value("1");
    for body in [
        String::new(),
        " \n\t".to_owned(),
        format!("{ok} {ok}"),
        format!("{ok}x"),
        format!("\u{feff}{ok}"),
    ] {
        assert_eq!(code(body.as_bytes()), "invalid_json", "{body:?}");
    }
    assert_eq!(code(format!(" \r\n\t{ok} \r\n\t").as_bytes()), "ok");
    let mut bad_utf8 = ok.clone().into_bytes();
    bad_utf8.extend_from_slice(b" \xff");
    assert_eq!(code(&bad_utf8), "invalid_json");
    // Invalid UTF-8 inside a skipped, unknown top-level field is still invalid.
    assert_eq!(
        code(b"{\"x\": \"\xc3\x28\", \"prompt\": {}}"),
        "invalid_json"
    );
    // Overlong encodings and encoded surrogates are not UTF-8.
    assert_eq!(
        code(b"{\"x\": \"\xc0\xaf\", \"prompt\": {}}"),
        "invalid_json"
    );
    assert_eq!(
        code(b"{\"x\": \"\xed\xa0\x80\", \"prompt\": {}}"),
        "invalid_json"
    );
}

#[test]
fn duplicate_keys_anywhere_compared_unescaped() {
    for body in [
        r#"{"prompt": {"1": {"class_type": "A", "inputs": {}}}, "\u0070rompt": {}}"#,
        r#"{"prompt": {"1": {"class_type": "A", "inputs": {}}, "\u0031": {"class_type": "A", "inputs": {}}}}"#,
        r#"{"prompt": {"1": {"class_type": "A", "class_type": "B", "inputs": {}}}}"#,
        r#"{"prompt": {"1": {"class_type": "A", "inputs": {}, "_meta": {"t": 1, "t": 2}}}}"#,
        r#"{"x": {"y": [{"z": 1, "z": 1}]}, "prompt": {"1": {"class_type": "A", "inputs": {}}}}"#,
        r#"{"prompt": {"1": {"class_type": "A", "inputs": {"a\/b": 1, "a/b": 2}}}}"#,
    ] {
        assert_eq!(code(body.as_bytes()), "invalid_json", "{body}");
    }
    // Every member name the reader knows, twice: as written, and escaped on either side.
    let escape_first = |name: &str| format!(r"\u{:04x}{}", name.as_bytes()[0], &name[1..]);
    let prompt = r#"{"1": {"class_type": "A", "inputs": {}}}"#;
    for (name, value) in [
        ("prompt", prompt),
        ("webhook_url", r#""https://example.com/hook""#),
        ("idempotency_key", r#""k""#),
    ] {
        let escaped = escape_first(name);
        for (a, b) in [
            (name, name),
            (name, escaped.as_str()),
            (escaped.as_str(), name),
        ] {
            let twice = format!(r#""{a}": {value}, "{b}": {value}"#);
            let body = if name == "prompt" {
                format!("{{{twice}}}")
            } else {
                format!(r#"{{"prompt": {prompt}, {twice}}}"#)
            };
            assert_eq!(code(body.as_bytes()), "invalid_json", "{body}");
        }
    }
    for (name, value) in [("class_type", r#""B""#), ("inputs", "{}"), ("_meta", "{}")] {
        let escaped = escape_first(name);
        for (a, b) in [
            (name, name),
            (name, escaped.as_str()),
            (escaped.as_str(), name),
        ] {
            let rest = [r#""class_type": "A""#, r#""inputs": {}"#]
                .into_iter()
                .filter(|member| !member.contains(name))
                .collect::<Vec<_>>()
                .join(", ");
            let node = format!(r#"{rest}, "{a}": {value}, "{b}": {value}"#);
            let body = format!(r#"{{"prompt": {{"1": {{{node}}}}}}}"#);
            assert_eq!(code(body.as_bytes()), "invalid_json", "{body}");
            // Once is fine, however written.
            let once = format!(r#"{{"prompt": {{"1": {{"{b}": {value}, "x": 1}}}}}}"#);
            assert_ne!(code(once.as_bytes()), "invalid_json", "{once}");
        }
    }
    let many: Vec<String> = (0..10_000).map(|i| format!("\"k{i}\": {i}")).collect();
    let body = format!(
        r#"{{"extra": {{{}, "k9999": 0}}, "prompt": {{}}}}"#,
        many.join(",")
    );
    assert_eq!(code(body.as_bytes()), "invalid_json");
}

#[test]
fn nesting_is_limited_to_128_levels() {
    // The body, prompt, node and inputs objects are four levels; the value adds the rest.
    let nested =
        |levels: usize| with_value(&format!("{}{}", "[".repeat(levels), "]".repeat(levels)));
    assert_eq!(code(nested(124).as_bytes()), "ok");
    assert_eq!(code(nested(125).as_bytes()), "invalid_json");
    assert_eq!(
        code(format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000)).as_bytes()),
        "invalid_json"
    );
    let objects = format!("{}{}", r#"{"a":"#.repeat(200_000), "}".repeat(200_000));
    assert_eq!(code(objects.as_bytes()), "invalid_json");
}

#[test]
fn escaped_field_names_are_the_fields() {
    let body = r#"{"\u0070rompt": {"1": {"class_\u0074ype": "A", "\u0069nputs": {"u": "https://example.com"}}},
                   "webhook\u005furl": "http://x.example"}"#;
    assert_eq!(code(body.as_bytes()), "webhook_must_be_https");
}

#[test]
fn a_lora_stacks_duplicate_is_found_wherever_it_is() {
    // A node of 198 inputs, as LoRA stacks have (keys alike in length and ends): a second
    // `lora_wt_<n>` after the `at`-th input, before the object leaves the linear scan, while
    // it is checked by its filter, and at the end; escaped or not. Where the second one's
    // opening quote is is where the error is.
    let mut keys = vec!["input_mode".to_owned(), "lora_count".to_owned()];
    for i in 1..=49 {
        for stem in ["lora_name", "lora_wt", "model_str", "clip_str"] {
            keys.push(format!("{stem}_{i}"));
        }
    }
    let members = |keys: &[String]| {
        let members: Vec<String> = keys.iter().map(|k| format!(r#""{k}": 1"#)).collect();
        members.join(", ")
    };
    let body = |inputs: &str| {
        format!(
            r#"{{"prompt": {{"1": {{"class_type": "LoRA Stacker", "inputs": {{{inputs}}}}}}}}}"#
        )
    };
    assert_eq!(code(body(&members(&keys)).as_bytes()), "ok");
    for at in [1, 10, 23, 24, 25, 30, 60, 120, 197, 198] {
        for escaped in [false, true] {
            let target = &keys[at / 2];
            let again = if escaped {
                format!(r"\u{:04x}{}", target.as_bytes()[0], &target[1..])
            } else {
                target.clone()
            };
            let (before, after) = keys.split_at(at);
            let inputs = format!(
                "{}, \"{again}\": 2{}{}",
                members(before),
                if after.is_empty() { "" } else { ", " },
                members(after)
            );
            let text = body(&inputs);
            let error = validate(text.as_bytes()).expect_err("a duplicate input");
            assert_eq!(error.code(), "invalid_json", "{at} {escaped}");
            let quote = text
                .find(&format!("\"{again}\": 2"))
                .expect("the second key");
            assert_eq!(error.offset(), quote, "{at} {escaped}");
        }
    }
}
