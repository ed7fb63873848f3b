//! The catalogue check, code by code, against the repo's own small catalogue
//! (`examples/catalogue/object_info.json`) and the real snapshots of `../shared/catalogue`.

use crate::common;

use std::sync::Arc;

use cmfy_validate::{
    Policy, ValidationError,
    catalogue::{Catalogue, CheckOptions, SnapshotLimits},
    validate_all, validate_with,
};
use serde_json::json;

fn catalogue() -> Catalogue {
    let snapshot = include_bytes!("../../examples/catalogue/object_info.json");
    Catalogue::from_object_info(snapshot).expect("the repo's catalogue loads")
}

fn policy() -> Policy {
    Policy::default().with_catalogue(Arc::new(catalogue()))
}

/// A request of these nodes (`"id": {node}` members, written in order).
fn body(nodes: &str) -> String {
    format!(r#"{{"prompt": {{{nodes}}}}}"#)
}

/// The code `validate_with` gives under the repo catalogue, or "ok".
fn code(nodes: &str) -> String {
    outcome(&body(nodes), &policy())
}

fn outcome(body: &str, policy: &Policy) -> String {
    match validate_with(body.as_bytes(), policy) {
        Ok(_) => "ok".to_owned(),
        Err(error) => error.code().to_owned(),
    }
}

fn error(nodes: &str) -> ValidationError {
    validate_with(body(nodes).as_bytes(), &policy()).expect_err(nodes)
}

fn all(nodes: &str) -> Vec<(String, String)> {
    validate_all(body(nodes).as_bytes(), &policy())
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| (e.code().to_owned(), e.pointer().to_owned()))
        .collect()
}

/// A policy with the catalogue of `snapshot`, checked under `options`.
fn policy_of(snapshot: &[u8], options: CheckOptions) -> Policy {
    let catalogue = Catalogue::from_object_info(snapshot)
        .expect("loads")
        .with_options(options);
    Policy::default().with_catalogue(Arc::new(catalogue))
}

/// The outcome of `value` for the one input `x` of an output class declared by `spec`.
fn one_input(spec: &str, value: &str) -> String {
    let snapshot =
        format!(r#"{{"C": {{"input": {{"required": {{"x": {spec}}}}}, "output_node": true}}}}"#);
    outcome(
        &body(&format!(
            r#""1": {{"class_type": "C", "inputs": {{"x": {value}}}}}"#
        )),
        &policy_of(snapshot.as_bytes(), CheckOptions::default()),
    )
}

/// A node that runs: saved, through a preview of any type.
const SAVE: &str = r#""99": {"class_type": "PreviewAny", "inputs": {"source": ["1", 0]}}"#;

/// `class` with these inputs, as node 1, saved.
fn one(class: &str, inputs: &str) -> String {
    format!(r#""1": {{"class_type": "{class}", "inputs": {{{inputs}}}}}, {SAVE}"#)
}

const SD15: &str = r#"
    "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd15.safetensors"}},
    "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cat", "clip": ["4", 1]}},
    "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry", "clip": ["4", 1]}},
    "3": {"class_type": "KSampler", "inputs": {"model": ["4", 0], "seed": 5, "steps": 20, "cfg": 7.5,
          "sampler_name": "euler", "scheduler": "karras", "positive": ["6", 0], "negative": ["7", 0],
          "latent_image": ["5", 0], "denoise": 1}},
    "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
    "9": {"class_type": "SaveImage", "inputs": {"images": ["8", 0], "filename_prefix": "ComfyUI"}}"#;

fn sd15(from: &str, to: &str) -> String {
    assert!(SD15.contains(from), "{from}");
    SD15.replacen(from, to, 1)
}

#[test]
fn a_graph_that_fits_passes_and_every_code_has_its_case() {
    assert_eq!(code(SD15), "ok");
    let rows = [
        (sd15("VAEDecode", "VAEDecoder"), "missing_node_type"),
        (
            sd15(r#""SaveImage""#, r#""VAEDecode""#),
            "prompt_no_outputs",
        ),
        (
            sd15(r#"["8", 0], "filename"#, r#"["80", 0], "filename"#),
            "dangling_link",
        ),
        (
            sd15(r#""vae": ["4", 2]"#, r#""vae": ["4", 3]"#),
            "bad_linked_input",
        ),
        (
            sd15(r#""vae": ["4", 2]"#, r#""vae": [4, 2]"#),
            "bad_linked_input",
        ),
        (
            sd15(r#""model": ["4", 0]"#, r#""model": ["3", 0]"#),
            "dependency_cycle",
        ),
        (
            sd15(r#""batch_size": 1"#, r#""batch": 1"#),
            "required_input_missing",
        ),
        (
            sd15(r#""clip": ["4", 1]"#, r#""clip": ["4", 0]"#),
            "return_type_mismatch",
        ),
        (
            sd15(r#""steps": 20"#, r#""steps": 20.5"#),
            "invalid_input_type",
        ),
        (
            sd15(r#""steps": 20"#, r#""steps": 0"#),
            "value_smaller_than_min",
        ),
        (
            sd15(r#""steps": 20"#, r#""steps": 10001"#),
            "value_bigger_than_max",
        ),
        (sd15(r#""euler""#, r#""Euler""#), "value_not_in_list"),
    ];
    for (nodes, expected) in &rows {
        assert_eq!(code(nodes), *expected, "{nodes}");
    }
    // The request contract comes first: a fault of both layers gives the request's code.
    let both = sd15("VAEDecode", "VAEDecoder").replacen("a cat", "http://x.example/a", 1);
    assert_eq!(code(&both), "insecure_url");
}

#[test]
fn of_two_adjacent_codes_the_higher_wins() {
    let faults = [
        ("missing_node_type", sd15("VAEDecode", "VAEDecoder")),
        ("prompt_no_outputs", String::new()),
        (
            "dangling_link",
            sd15(
                r#""filename_prefix": "ComfyUI""#,
                r#""filename_prefix": "ComfyUI", "x": ["30", 0]"#,
            ),
        ),
        (
            "bad_linked_input",
            sd15(
                r#""text": "a cat", "clip": ["4", 1]"#,
                r#""text": "a cat", "clip": ["4", 9]"#,
            ),
        ),
        (
            "dependency_cycle",
            sd15(r#""model": ["4", 0]"#, r#""model": ["3", 0]"#),
        ),
        (
            "required_input_missing",
            sd15(r#", "filename_prefix": "ComfyUI""#, ""),
        ),
        (
            "return_type_mismatch",
            sd15(r#""negative": ["7", 0]"#, r#""negative": ["5", 0]"#),
        ),
        (
            "invalid_input_type",
            sd15(r#""cfg": 7.5"#, r#""cfg": "high""#),
        ),
        (
            "value_smaller_than_min",
            sd15(r#""width": 512"#, r#""width": 8"#),
        ),
        (
            "value_bigger_than_max",
            sd15(r#""denoise": 1"#, r#""denoise": 2"#),
        ),
        ("value_not_in_list", sd15(r#""karras""#, r#""Karras""#)),
    ];
    for pair in faults.windows(2) {
        let [(higher, first), (lower, second)] = pair else {
            continue;
        };
        // Apply both faults to one graph (the no-outputs fault drops the output node).
        let mut nodes = if first.is_empty() {
            SD15.to_owned()
        } else {
            first.clone()
        };
        for (from, to) in changes(second) {
            nodes = nodes.replacen(&from, &to, 1);
        }
        if *higher == "prompt_no_outputs" || *lower == "prompt_no_outputs" {
            nodes = nodes.replacen(r#""SaveImage""#, r#""VAEDecode""#, 1);
        }
        assert_eq!(code(&nodes), *higher, "{higher} over {lower}");
        let codes: Vec<String> = all(&nodes).into_iter().map(|(c, _)| c).collect();
        assert_eq!(codes.first().map(String::as_str), Some(*higher));
        if *higher != "prompt_no_outputs" {
            assert!(
                codes.iter().any(|c| c == lower),
                "{lower} also listed: {codes:?}"
            );
        }
    }
}

/// The lines where `changed` differs from SD15, as (from, to) replacements.
fn changes(changed: &str) -> Vec<(String, String)> {
    SD15.lines()
        .zip(changed.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect()
}

#[test]
fn among_equals_the_first_in_the_body_wins() {
    let nodes =
        sd15(r#""steps": 20"#, r#""steps": 0"#).replacen(r#""width": 512"#, r#""width": 1"#, 1);
    let error = error(&nodes);
    assert_eq!(error.pointer(), "/prompt/5/inputs/width");
    // Within a node: inputs in body order, then missing required inputs in catalogue order.
    let nodes = one("KSampler", r#""steps": "x", "seed": "y""#);
    let listed = all(&nodes);
    let expected: Vec<(String, String)> = [
        ("required_input_missing", "/prompt/1/inputs"),
        ("required_input_missing", "/prompt/1/inputs"),
    ]
    .iter()
    .map(|(c, p)| ((*c).to_owned(), (*p).to_owned()))
    .collect();
    assert_eq!(listed.get(..2), Some(expected.as_slice()));
    let problems = validate_all(body(&nodes).as_bytes(), &policy()).unwrap_err();
    let missing: Vec<&str> = problems
        .iter()
        .filter(|p| p.code() == "required_input_missing")
        .filter_map(|p| p.details()["input"].as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "model",
            "cfg",
            "sampler_name",
            "scheduler",
            "positive",
            "negative",
            "latent_image",
            "denoise"
        ]
    );
    let typed: Vec<&str> = problems
        .iter()
        .filter(|p| p.code() == "invalid_input_type")
        .filter_map(|p| p.details()["input"].as_str())
        .collect();
    assert_eq!(typed, ["steps", "seed"]);
}

#[test]
fn details_name_the_node_the_input_and_what_was_received() {
    let e = error(&sd15(r#""euler""#, r#""Euler""#));
    let d = e.details();
    assert_eq!(e.message(), "Value not in list");
    assert_eq!(d["node_id"], "3");
    assert_eq!(d["class_type"], "KSampler");
    assert_eq!(d["input"], "sampler_name");
    assert_eq!(d["pointer"], "/prompt/3/inputs/sampler_name");
    assert_eq!(d["received_value"], "Euler");
    assert_eq!(d["option_count"], 4);
    assert_eq!(
        d["options"],
        json!(["euler", "euler_ancestral", "heun", "dpmpp_2m"])
    );
    assert_eq!(d["suggestions"][0], "euler");
    let e = error(&sd15(r#""vae": ["4", 2]"#, r#""vae": ["4", 3]"#));
    assert_eq!(
        (
            &e.details()["source_node_id"],
            &e.details()["output_index"],
            &e.details()["output_count"]
        ),
        (&json!("4"), &json!(3), &json!(3))
    );
    let e = error(&sd15(r#""clip": ["4", 1]"#, r#""clip": ["4", 0]"#));
    assert_eq!(
        (&e.details()["received_type"], &e.details()["input_type"]),
        (&json!("MODEL"), &json!("CLIP"))
    );
    let e = error(&sd15(r#""steps": 20"#, r#""steps": 10001"#));
    assert_eq!(
        (&e.details()["received_value"], &e.details()["max"]),
        (&json!(10001), &json!(10000))
    );
    let e = error(&sd15(r#""cfg": 7.5"#, r#""cfg": [1]"#));
    assert_eq!(e.code(), "bad_linked_input");
    let e = error(&sd15(r#""cfg": 7.5"#, r#""cfg": true"#));
    assert_eq!(
        (&e.details()["received_type"], &e.details()["input_type"]),
        (&json!("boolean"), &json!("FLOAT"))
    );
    assert_eq!(e.details()["received_value"], json!(true));
    let e = error(&sd15(r#""cfg": 7.5"#, r#""cfg": {"a": 1}"#));
    assert_eq!(
        (e.code(), &e.details()["received_type"]),
        ("invalid_input_type", &json!("object"))
    );
    let e = error(&sd15(r#""cfg": 7.5"#, r#""cfg": null"#));
    assert_eq!(
        (e.code(), &e.details()["received_value"]),
        ("invalid_input_type", &json!(null))
    );
    let e = error(&sd15(r#""vae": ["4", 2]"#, r#""vae": ["44", 2]"#));
    assert_eq!(
        (
            e.code(),
            &e.details()["source_node_id"],
            &e.details()["output_index"]
        ),
        ("dangling_link", &json!("44"), &json!(2))
    );
    let e = error(&one("DynamicSize", r#""preset": "medium""#));
    assert_eq!(
        (
            e.code(),
            &e.details()["option_count"],
            &e.details()["options"],
            &e.details()["suggestions"]
        ),
        (
            "value_not_in_list",
            &json!(2),
            &json!(["small", "large"]),
            &json!([])
        )
    );
    let e = error(&sd15("VAEDecode", "VAEDecod"));
    assert_eq!(
        (e.pointer(), &e.details()["suggestions"]),
        ("/prompt/8/class_type", &json!(["VAEDecode"]))
    );
    let e = error(&sd15(r#""batch_size": 1"#, r#""batch": 1"#));
    assert_eq!(
        (
            e.pointer(),
            &e.details()["input"],
            &e.details()["input_type"]
        ),
        ("/prompt/5/inputs", &json!("batch_size"), &json!("INT"))
    );
    let e = error(&sd15(r#""SaveImage""#, r#""VAEDecode""#));
    assert_eq!(
        (e.pointer(), e.message()),
        ("/prompt", "Prompt has no outputs")
    );
    let long = "x".repeat(1000);
    let e = error(&sd15(r#""euler""#, &format!("\"{long}\"")));
    assert_eq!(
        e.details()["received_value"]
            .as_str()
            .map(|s| s.chars().count()),
        Some(200)
    );
}

#[test]
fn literals_row_by_row() {
    // (input type, value, expected)
    let rows: &[(&str, &str, &str)] = &[
        ("EmptyLatentImage width", "64", "ok"),
        ("EmptyLatentImage width", "64.0", "ok"),
        ("EmptyLatentImage width", "2e1", "ok"),
        ("EmptyLatentImage width", r#""42""#, "ok"),
        ("EmptyLatentImage width", r#""+42""#, "ok"),
        ("EmptyLatentImage width", "20.5", "invalid_input_type"),
        ("EmptyLatentImage width", "true", "invalid_input_type"),
        ("EmptyLatentImage width", "null", "invalid_input_type"),
        ("EmptyLatentImage width", r#"" 42""#, "invalid_input_type"),
        ("EmptyLatentImage width", r#""1e3""#, "invalid_input_type"),
        ("EmptyLatentImage width", r#""1_000""#, "invalid_input_type"),
        ("EmptyLatentImage width", "{}", "invalid_input_type"),
        ("EmptyLatentImage width", r#"{"__value__": 64}"#, "ok"),
        (
            "EmptyLatentImage width",
            r#"{"__value__": [64]}"#,
            "invalid_input_type",
        ),
        ("EmptyLatentImage width", r#""8""#, "value_smaller_than_min"),
        ("EmptyLatentImage width", "16", "ok"),
        ("EmptyLatentImage width", "15.0", "value_smaller_than_min"),
        ("EmptyLatentImage width", "16384", "ok"),
        ("EmptyLatentImage width", "16385", "value_bigger_than_max"),
        ("KSampler cfg", "7", "ok"),
        ("KSampler cfg", r#""7.5""#, "ok"),
        ("KSampler cfg", r#"".5""#, "ok"),
        ("KSampler cfg", r#""1e1""#, "ok"),
        ("KSampler cfg", r#""1e3""#, "value_bigger_than_max"),
        ("KSampler cfg", r#""nan""#, "invalid_input_type"),
        ("KSampler cfg", r#""inf""#, "invalid_input_type"),
        ("KSampler cfg", r#""1e400""#, "invalid_input_type"),
        ("KSampler cfg", r#""7,5""#, "invalid_input_type"),
        ("KSampler cfg", "false", "invalid_input_type"),
        ("KSampler cfg", "-0.0", "ok"),
        ("KSampler cfg", "-0.001", "value_smaller_than_min"),
        ("CLIPTextEncode text", r#""a cat""#, "ok"),
        ("CLIPTextEncode text", "5", "ok"),
        ("CLIPTextEncode text", "5.5", "ok"),
        ("CLIPTextEncode text", "true", "invalid_input_type"),
        ("CLIPTextEncode text", "null", "invalid_input_type"),
        ("CLIPTextEncode text", r#"{"a": 1}"#, "invalid_input_type"),
        ("CLIPTextEncode text", r#"{"__value__": "x"}"#, "ok"),
        ("ImageAdjust flip", "true", "ok"),
        ("ImageAdjust flip", r#""false""#, "invalid_input_type"),
        ("ImageAdjust flip", "1", "invalid_input_type"),
        ("ImageAdjust pixels", r#""an image""#, "invalid_input_type"),
        ("ImageAdjust pixels", "1", "invalid_input_type"),
        ("ImageAdjust webcam", r#""data""#, "ok"),
        ("ImageAdjust mask", r#""data""#, "ok"),
        ("MatchAny value", "3", "ok"),
    ];
    for (target, value, expected) in rows {
        let (class, input) = target.split_once(' ').unwrap_or_default();
        let nodes = match class {
            "ImageAdjust" => {
                one(class, &format!(r#""pixels": ["2", 0], "{input}": {value}"#)).replacen(
                    r#""pixels": ["2", 0], "pixels""#,
                    r#""pixels""#,
                    1,
                ) + r#", "2": {"class_type": "LoadImage", "inputs": {"image": "example.png"}}"#
            }
            _ => {
                let filled = filled(class, input, value);
                one(class, &filled)
            }
        };
        assert_eq!(code(&nodes), *expected, "{target} = {value}: {nodes}");
    }
}

/// Every required input of `class` given a fitting value, `input` given `value`.
fn filled(class: &str, input: &str, value: &str) -> String {
    let defaults: &[(&str, &[(&str, &str)])] = &[
        (
            "EmptyLatentImage",
            &[("width", "512"), ("height", "512"), ("batch_size", "1")],
        ),
        (
            "KSampler",
            &[
                ("model", r#"["2", 0]"#),
                ("seed", "1"),
                ("steps", "20"),
                ("cfg", "7"),
                ("sampler_name", r#""euler""#),
                ("scheduler", r#""normal""#),
                ("positive", r#"["3", 0]"#),
                ("negative", r#"["3", 0]"#),
                ("latent_image", r#"["4", 0]"#),
                ("denoise", "1"),
            ],
        ),
        (
            "CLIPTextEncode",
            &[("text", r#""t""#), ("clip", r#"["2", 1]"#)],
        ),
        ("MatchAny", &[("value", "1")]),
        ("PreviewAny", &[("source", "1")]),
    ];
    let members = defaults
        .iter()
        .find(|(c, _)| *c == class)
        .map(|(_, m)| *m)
        .unwrap_or_default();
    let mut out: Vec<String> = members
        .iter()
        .map(|(name, default)| {
            format!(
                r#""{name}": {}"#,
                if *name == input { value } else { default }
            )
        })
        .collect();
    if class == "KSampler" || class == "CLIPTextEncode" {
        out.push("\"_\": 0".to_owned());
        let helpers = r#"}}, "2": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd15.safetensors"}}, "3": {"class_type": "CLIPTextEncode", "inputs": {"text": "t", "clip": ["2", 1]}}, "4": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1"#;
        out.push(format!("\"__\": 0{helpers}"));
    }
    out.join(", ")
}

#[test]
fn inputs_are_found_by_name_in_any_order_with_undeclared_ones_anywhere() {
    // Each input is looked for first where the last one found ended, then by name: in the
    // declared order or not, before, between or after undeclared ones, each is found.
    let snapshot =
        br#"{"C": {"input": {"required": {"a": ["INT", {"max": 5}], "b": ["INT", {"max": 5}]}},
                               "output_node": true}}"#;
    let policy = policy_of(snapshot, CheckOptions::default());
    let run = |inputs: &str| {
        let body = body(&format!(
            r#""1": {{"class_type": "C", "inputs": {{{inputs}}}}}"#
        ));
        match validate_with(body.as_bytes(), &policy) {
            Ok(_) => "ok".to_owned(),
            Err(error) => format!("{} at {}", error.code(), error.pointer()),
        }
    };
    for fits in [
        r#""a": 1, "b": 2"#,
        r#""b": 2, "a": 1"#,
        r#""a": 1, "b": 2, "extra": 9"#,
        r#""extra": 9, "b": 2, "a": 1"#,
        r#""a": 1, "extra": 9, "b": 2, "more": 9"#,
    ] {
        assert_eq!(run(fits), "ok", "{fits}");
    }
    let too_big = "value_bigger_than_max at /prompt/1/inputs";
    assert_eq!(run(r#""a": 1, "b": 9, "extra": 0"#), format!("{too_big}/b"));
    assert_eq!(run(r#""b": 1, "a": 9"#), format!("{too_big}/a"));
    assert_eq!(run(r#""b": 1, "extra": 0, "a": 9"#), format!("{too_big}/a"));
    assert_eq!(
        run(r#""a": 1, "extra": 0"#),
        "required_input_missing at /prompt/1/inputs"
    );
}

#[test]
fn combos_both_forms_and_every_skip_rule() {
    let adjust = |input: &str, value: &str| {
        format!(
            r#""1": {{"class_type": "ImageAdjust", "inputs": {{"pixels": ["2", 0], "{input}": {value}}}}}, {SAVE}, "2": {{"class_type": "LoadImage", "inputs": {{"image": "example.png"}}}}"#
        )
    };
    let rows: &[(&str, &str, &str)] = &[
        ("tags", r#""sharp""#, "ok"),
        ("tags", r#""Sharp""#, "value_not_in_list"),
        ("tags", r#"{"__value__": ["sharp", "warm"]}"#, "ok"),
        (
            "tags",
            r#"{"__value__": ["sharp", "cold"]}"#,
            "value_not_in_list",
        ),
        ("tags", r#"{"__value__": []}"#, "ok"),
        ("tags", r#"["sharp", "warm"]"#, "bad_linked_input"),
        ("tags", "5", "value_not_in_list"),
        ("tags", "null", "ok"),
        ("tags", r#""https://example.com/lut.cube""#, "ok"),
        ("tags", r#""s3://bucket/lut.cube""#, "insecure_url"),
        ("tags", r#""data:image/png;base64,AA""#, "value_not_in_list"),
        ("lut", r#""anything""#, "ok"),
        ("palette", r#""anything""#, "ok"),
        ("sizes", "64", "ok"),
        ("sizes", "64.0", "ok"),
        ("sizes", "256.5", "ok"),
        ("sizes", r#""64""#, "value_not_in_list"),
        ("sizes", "true", "value_not_in_list"),
        ("sizes", r#"{"__value__": [64]}"#, "value_not_in_list"),
    ];
    for (input, value, expected) in rows {
        assert_eq!(code(&adjust(input, value)), *expected, "{input} = {value}");
    }
    // An upload input, and an input exempt by default, take any value.
    assert_eq!(
        code(&one("LoadImage", r#""image": "my_upload.png""#).replacen(
            "\"source\": [\"1\", 0]",
            "\"source\": [\"1\", 1]",
            1
        )),
        "ok"
    );
    let exempt = Catalogue::from_object_info(
        br#"{"LoadImage": {"input": {"required": {"image": [["a.png"]]}}, "output": ["IMAGE"]},
        "Out": {"input": {"required": {"x": ["*"]}}, "output_node": true}}"#,
    )
    .expect("loads");
    let nodes = r#""1": {"class_type": "LoadImage", "inputs": {"image": "b.png"}}, "2": {"class_type": "Out", "inputs": {"x": ["1", 0]}}"#;
    let exempt = Arc::new(exempt);
    assert_eq!(
        outcome(
            &body(nodes),
            &Policy::default().with_catalogue(exempt.clone())
        ),
        "ok"
    );
    let strict = Arc::new(
        Catalogue::from_object_info(
            br#"{"LoadImage": {"input": {"required": {"image": [["a.png"]]}}, "output": ["IMAGE"]},
            "Out": {"input": {"required": {"x": ["*"]}}, "output_node": true}}"#,
        )
        .expect("loads")
        .with_options(CheckOptions::default().clear_combo_exempt()),
    );
    assert_eq!(
        outcome(&body(nodes), &Policy::default().with_catalogue(strict)),
        "value_not_in_list"
    );
    // An empty option list refuses every value.
    let empty = Arc::new(
        Catalogue::from_object_info(
            br#"{"A": {"input": {"required": {"c": [[]]}}, "output_node": true}}"#,
        )
        .expect("loads"),
    );
    assert_eq!(
        outcome(
            &body(r#""1": {"class_type": "A", "inputs": {"c": ""}}"#),
            &Policy::default().with_catalogue(empty)
        ),
        "value_not_in_list"
    );
}

#[test]
fn min_and_max_are_compared_exactly_at_the_boundaries() {
    let snapshot = br#"{"Seed": {"input": {"required": {
        "int_max": ["INT", {"min": 0, "max": 18446744073709551615}],
        "float_max": ["INT", {"min": 0, "max": 1.8446744073709552e+19}]}}, "output_node": true}}"#;
    let policy = Policy::default().with_catalogue(Arc::new(
        Catalogue::from_object_info(snapshot).expect("loads"),
    ));
    let seed = |int: &str, float: &str| {
        outcome(
            &body(&format!(
                r#""1": {{"class_type": "Seed", "inputs": {{"int_max": {int}, "float_max": {float}}}}}"#
            )),
            &policy,
        )
    };
    assert_eq!(seed("18446744073709551615", "18446744073709551615"), "ok");
    assert_eq!(seed("18446744073709551615", "18446744073709551616"), "ok");
    assert_eq!(seed("18446744073709551616", "0"), "value_bigger_than_max");
    assert_eq!(seed("0", "18446744073709551617"), "value_bigger_than_max");
    assert_eq!(seed("0", "1.8446744073709552e+19"), "ok");
    assert_eq!(seed("1.8446744073709552e+19", "0"), "value_bigger_than_max");
    assert_eq!(seed(r#""18446744073709551615""#, "0"), "ok");
    assert_eq!(
        seed(r#""18446744073709551616""#, "0"),
        "value_bigger_than_max"
    );
    assert_eq!(seed("-1", "0"), "value_smaller_than_min");
    assert_eq!(seed("0", "-0"), "ok");
    // A value of 39 digits, past the short path, is still read as the integer it is:
    // i128::MAX is below the double 2^127, as Python compares them, though it rounds to it.
    let wide = |x: &str| one_input(r#"["INT", {"min": 1.7014118346046923e38}]"#, x);
    assert_eq!(
        wide("170141183460469231731687303715884105727"),
        "value_smaller_than_min"
    );
    assert_eq!(wide("170141183460469231731687303715884105728"), "ok");
    // A bound is read as Python reads it, correctly rounded: this integer is the double
    // 2.1e44, one unit in the last place below 2.1000000000000003e44 (a best-effort float
    // reader, serde_json's default, makes it the latter).
    let big = |x: &str| {
        one_input(
            r#"["FLOAT", {"max": 210000000000000000000000002049638230412172384}]"#,
            x,
        )
    };
    assert_eq!(big("2.1e44"), "ok");
    assert_eq!(big("210000000000000000000000002049638230412172384"), "ok");
    assert_eq!(big("2.1000000000000003e44"), "value_bigger_than_max");
}

#[test]
fn links_into_sockets_by_type() {
    let rows: &[(&str, &str)] = &[
        // ImageAdjust.pixels is IMAGE,MASK: an IMAGE and a MASK both fit.
        (
            r#""2": {"class_type": "LoadImage", "inputs": {"image": "example.png"}}, "1": {"class_type": "ImageAdjust", "inputs": {"pixels": ["2", 1]}}"#,
            "ok",
        ),
        (
            r#""2": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}}, "1": {"class_type": "ImageAdjust", "inputs": {"pixels": ["2", 0]}}"#,
            "return_type_mismatch",
        ),
        // A * output fits anything, and anything fits a * input.
        (
            r#""2": {"class_type": "MatchAny", "inputs": {"value": 1}}, "1": {"class_type": "ImageAdjust", "inputs": {"pixels": ["2", 0]}}"#,
            "ok",
        ),
        // A combo output fits a combo input, not a STRING one.
        (
            r#""2": {"class_type": "ListOutput", "inputs": {}}, "1": {"class_type": "ImageAdjust", "inputs": {"pixels": ["3", 0], "tags": ["2", 0]}}, "3": {"class_type": "LoadImage", "inputs": {"image": "example.png"}}"#,
            "ok",
        ),
        (
            r#""2": {"class_type": "ListOutput", "inputs": {}}, "1": {"class_type": "CLIPTextEncode", "inputs": {"text": ["2", 0], "clip": ["4", 1]}}, "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd15.safetensors"}}"#,
            "return_type_mismatch",
        ),
        (
            r#""2": {"class_type": "ListOutput", "inputs": {}}, "1": {"class_type": "CLIPTextEncode", "inputs": {"text": ["2", 1], "clip": ["4", 1]}}, "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd15.safetensors"}}"#,
            "ok",
        ),
        // An opaque source fits anything, at any index.
        (
            r#""2": {"class_type": "OpaqueNode", "inputs": {"x": 1}}, "1": {"class_type": "ImageAdjust", "inputs": {"pixels": ["2", 4000000000]}}"#,
            "ok",
        ),
        // A primitive output into a primitive input of the same type.
        (
            r#""2": {"class_type": "ListOutput", "inputs": {}}, "1": {"class_type": "CLIPTextEncode", "inputs": {"text": ["2", 2], "clip": ["4", 1]}}, "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd15.safetensors"}}"#,
            "bad_linked_input",
        ),
    ];
    for (nodes, expected) in rows {
        let nodes = format!(
            r#"{nodes}, "99": {{"class_type": "PreviewAny", "inputs": {{"source": ["1", 0]}}}}"#
        );
        assert_eq!(code(&nodes), *expected, "{nodes}");
    }
    let wild = Catalogue::from_object_info(
        br#"{"A": {"input": {}, "output": ["ANY_TYPE"]},
        "B": {"input": {"required": {"x": ["LATENT"]}}, "output_node": true}}"#,
    )
    .expect("loads");
    let nodes = r#""1": {"class_type": "A", "inputs": {}}, "2": {"class_type": "B", "inputs": {"x": ["1", 0]}}"#;
    assert_eq!(
        outcome(
            &body(nodes),
            &Policy::default().with_catalogue(Arc::new(wild))
        ),
        "return_type_mismatch"
    );
    let wild = Catalogue::from_object_info(
        br#"{"A": {"input": {}, "output": ["ANY_TYPE"]},
        "B": {"input": {"required": {"x": ["LATENT"]}}, "output_node": true}}"#,
    )
    .expect("loads")
    .with_options(CheckOptions::default().wildcard_type("ANY_TYPE"));
    assert_eq!(
        outcome(
            &body(nodes),
            &Policy::default().with_catalogue(Arc::new(wild))
        ),
        "ok"
    );
}

#[test]
fn dynamic_combos_check_the_chosen_option_under_dotted_names() {
    let dynamic = |inputs: &str| one("DynamicSize", inputs);
    let rows: &[(&str, &str)] = &[
        (r#""preset": "small", "preset.width": 512"#, "ok"),
        (
            r#""preset": "small", "preset.width": 2048"#,
            "value_bigger_than_max",
        ),
        (r#""preset": "small""#, "required_input_missing"),
        (
            r#""preset": "large", "preset.width": 2048, "preset.detail": "coarse""#,
            "ok",
        ),
        (
            r#""preset": "large", "preset.width": 2048, "preset.detail": "fine", "preset.detail.passes": 3"#,
            "ok",
        ),
        (
            r#""preset": "large", "preset.width": 2048, "preset.detail": "fine", "preset.detail.passes": 30"#,
            "value_bigger_than_max",
        ),
        (
            r#""preset": "large", "preset.width": 2048, "preset.detail": "fine""#,
            "required_input_missing",
        ),
        (
            r#""preset": "large", "preset.width": 2048, "preset.detail": "Fine""#,
            "value_not_in_list",
        ),
        // Options not chosen are undeclared; so is all of it with no valid key.
        (
            r#""preset": "small", "preset.width": 512, "preset.detail": 5"#,
            "ok",
        ),
        (
            r#""preset": "medium", "preset.width": "junk""#,
            "value_not_in_list",
        ),
        (r#""preset": 5"#, "value_not_in_list"),
        (r#""preset": "https://example.com/x""#, "value_not_in_list"),
        (
            r#""preset": {"__value__": "small"}, "preset.width": 100"#,
            "ok",
        ),
        // A link into a dynamic combo is not type-checked, and its dotted names are undeclared.
        (r#""preset": ["2", 0], "preset.width": "junk""#, "ok"),
    ];
    for (inputs, expected) in rows {
        let mut nodes = dynamic(inputs);
        if inputs.contains(r#"["2", 0]"#) {
            nodes.push_str(r#", "2": {"class_type": "ListOutput", "inputs": {}}"#);
        }
        assert_eq!(code(&nodes), *expected, "{inputs}");
    }
    let problems =
        validate_all(body(&dynamic(r#""preset": "small""#)).as_bytes(), &policy()).unwrap_err();
    assert_eq!(problems[0].details()["input"], "preset.width");
    let problems = validate_all(
        body(&dynamic(r#""preset": "small", "preset.width": 2048"#)).as_bytes(),
        &policy(),
    )
    .unwrap_err();
    assert_eq!(problems[0].pointer(), "/prompt/1/inputs/preset.width");
    // Autogrow and other dynamic types are undeclared: anything goes.
    assert_eq!(
        code(&one(
            "MatchAny",
            r#""value": 1, "more": "junk", "more.x": 5"#
        )),
        "ok"
    );
}

#[test]
fn only_nodes_that_run_are_checked_and_unknown_classes_always() {
    // An unreachable node with bad inputs passes; an unreachable node of an unknown class does not.
    let unreachable =
        format!(r#"{SD15}, "50": {{"class_type": "KSampler", "inputs": {{"steps": "many"}}}}"#);
    assert_eq!(code(&unreachable), "ok");
    let unknown = format!(r#"{SD15}, "50": {{"class_type": "NotInstalled", "inputs": {{}}}}"#);
    assert_eq!(code(&unknown), "missing_node_type");
    // A dangling link in an undeclared input of a node that runs is refused.
    assert_eq!(
        code(&sd15(
            r#""filename_prefix": "ComfyUI""#,
            r#""filename_prefix": "ComfyUI", "extra": ["404", 0]"#
        )),
        "dangling_link"
    );
    // ... but not in a node that does not run.
    let idle = format!(
        r#"{SD15}, "51": {{"class_type": "VAEDecode", "inputs": {{"samples": ["404", 0]}}}}"#
    );
    assert_eq!(code(&idle), "ok");
    // Links through undeclared inputs still make nodes run.
    let through =
        format!(r#"{SD15}, "52": {{"class_type": "VAEDecode", "inputs": {{"samples": 1}}}}"#)
            .replacen(
                r#""filename_prefix": "ComfyUI""#,
                r#""filename_prefix": "ComfyUI", "extra": ["52", 0]"#,
                1,
            );
    // (Node 52 runs through an undeclared input: its missing `vae` is reported.)
    assert_eq!(code(&through), "required_input_missing");
    // Opaque classes: their inputs are not judged, their links still count.
    assert_eq!(
        code(&one("OpaqueNode", r#""anything": "goes", "n": -1"#)),
        "ok"
    );
    assert_eq!(
        code(&one("OpaqueNode", r#""x": ["404", 0]"#)),
        "dangling_link"
    );
    // A hidden input is undeclared.
    assert_eq!(
        code(&sd15(
            r#""filename_prefix": "ComfyUI""#,
            r#""filename_prefix": "ComfyUI", "prompt": 5"#
        )),
        "ok"
    );
    // null in an optional input counts as absent; in a required one it is a wrong value.
    assert_eq!(code(&one("ImageAdjust", r#""pixels": ["2", 0], "strength": null"#).replace("}}, \"99\"", "}}, \"2\": {\"class_type\": \"LoadImage\", \"inputs\": {\"image\": \"example.png\"}}, \"99\"")), "ok");
    assert_eq!(
        code(&sd15(r#""steps": 20"#, r#""steps": null"#)),
        "invalid_input_type"
    );
}

#[test]
fn cycles_are_found_and_named_from_their_first_node() {
    let self_link = one("ImageAdjust", r#""pixels": ["1", 0]"#);
    let e = error(&self_link);
    assert_eq!((e.code(), e.pointer()), ("dependency_cycle", "/prompt/1"));
    assert_eq!(e.details()["cycle"], json!(["1"]));
    let ring = r#""1": {"class_type": "ImageAdjust", "inputs": {"pixels": ["2", 0]}},
                  "2": {"class_type": "ImageAdjust", "inputs": {"pixels": ["3", 0]}},
                  "3": {"class_type": "ImageAdjust", "inputs": {"pixels": ["1", 0]}},
                  "99": {"class_type": "PreviewAny", "inputs": {"source": ["2", 0]}}"#;
    let e = error(ring);
    assert_eq!(
        (e.pointer(), &e.details()["cycle"]),
        ("/prompt/1", &json!(["1", "2", "3"]))
    );
    let e = error(&sd15(r#""model": ["4", 0]"#, r#""model": ["3", 0]"#));
    assert_eq!(e.details()["cycle"], json!(["3"]));
}

#[test]
fn a_chain_of_100000_nodes_is_checked_without_deep_recursion() {
    let n = 100_000;
    let mut nodes =
        String::from(r#""0": {"class_type": "LoadImage", "inputs": {"image": "example.png"}}"#);
    for i in 1..n {
        nodes.push_str(&format!(
            r#", "{i}": {{"class_type": "ImageAdjust", "inputs": {{"pixels": ["{}", 0]}}}}"#,
            i - 1
        ));
    }
    nodes.push_str(&format!(
        r#", "out": {{"class_type": "PreviewAny", "inputs": {{"source": ["{}", 0]}}}}"#,
        n - 1
    ));
    let policy = policy().with_max_nodes(n + 1);
    let body = body(&nodes);
    let checked = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || outcome(&body, &policy))
        .expect("a thread")
        .join()
        .expect("no overflow");
    assert_eq!(checked, "ok");
    let ring = nodes.replacen(
        r#""0": {"class_type": "LoadImage", "inputs": {"image": "example.png"}}"#,
        &format!(
            r#""0": {{"class_type": "ImageAdjust", "inputs": {{"pixels": ["{}", 0]}}}}"#,
            n - 1
        ),
        1,
    );
    let e = validate_with(body_of(&ring).as_bytes(), &policy_big(n + 1)).unwrap_err();
    assert_eq!(e.code(), "dependency_cycle");
    assert_eq!(e.details()["cycle"].as_array().map(Vec::len), Some(50));
}

fn body_of(nodes: &str) -> String {
    body(nodes)
}

fn policy_big(nodes: usize) -> Policy {
    policy().with_max_nodes(nodes)
}

#[test]
fn validate_all_lists_both_layers_in_order_and_check_agrees() {
    let nodes = sd15(r#""euler""#, r#""Euler""#).replacen(r#""steps": 20"#, r#""steps": 0"#, 1);
    let problems = validate_all(body(&nodes).as_bytes(), &policy()).unwrap_err();
    let codes: Vec<&str> = problems.iter().map(|p| p.code()).collect();
    assert_eq!(codes, ["value_smaller_than_min", "value_not_in_list"]);
    let text = body(&nodes);
    let workflow = cmfy_validate::validate(text.as_bytes()).expect("the request is valid");
    let catalogue = catalogue();
    assert_eq!(catalogue.check(&workflow).err().as_ref(), problems.first());
    assert_eq!(catalogue.check_all(&workflow).err(), Some(problems));
}

#[test]
fn node_errors_speak_comfyui() {
    let nodes = sd15(r#""euler""#, r#""Euler""#);
    let text = body(&nodes);
    let workflow = cmfy_validate::validate(text.as_bytes()).expect("valid");
    let catalogue = catalogue();
    let problems = catalogue.check_all(&workflow).unwrap_err();
    let map = catalogue.node_errors(&workflow, &problems);
    let entry = &map["3"];
    assert_eq!(entry["class_type"], "KSampler");
    assert_eq!(entry["dependent_outputs"], json!(["9"]));
    let error = &entry["errors"][0];
    assert_eq!(error["type"], "value_not_in_list");
    assert_eq!(error["message"], "Value not in list");
    assert_eq!(error["details"], "sampler_name");
    assert_eq!(error["extra_info"]["received_value"], "Euler");
}

#[test]
fn the_shared_snapshots_load_and_judge_their_own_graphs() {
    let Some(shared) = common::shared_dir("the shared catalogue snapshots") else {
        return;
    };
    let load = |name: &str| {
        let bytes = std::fs::read(shared.join("catalogue").join(name)).expect("readable");
        Catalogue::from_object_info(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let sd15 = load("sd15_object_info.json");
    assert_eq!(sd15.len(), 6);
    let ksampler = sd15.class("KSampler").expect("KSampler");
    let seed = ksampler
        .inputs()
        .find(|i| i.name() == "seed")
        .expect("seed");
    assert_eq!(seed.max(), Some(json!(18446744073709551615u64)));
    assert!(sd15.class("SaveImage").is_some_and(|c| c.is_output_node()));
    let policy = Policy::default().with_catalogue(Arc::new(sd15));
    let graph = SD15.replace("sd15.safetensors", "v1-5-pruned-emaonly-fp16.safetensors");
    assert_eq!(outcome(&body(&graph), &policy), "ok");
    assert_eq!(
        outcome(&body(&graph.replace(r#""euler""#, r#""euler_a""#)), &policy),
        "value_not_in_list"
    );
    assert_eq!(
        outcome(
            &body(&graph.replace(r#""seed": 5"#, r#""seed": 18446744073709551616"#)),
            &policy
        ),
        "value_bigger_than_max"
    );

    let partner = load("partner_nodes_object_info.json");
    assert_eq!(partner.len(), 5);
    let kling = partner.class("KlingImage2VideoNode").expect("Kling");
    assert!(
        kling.inputs().all(|i| !i.name().contains("comfy_org")),
        "hidden inputs are undeclared"
    );
    let seedream = load("object_info_bytedance_seedream_v2.json");
    let model = seedream
        .class("ByteDanceSeedreamNodeV2")
        .and_then(|c| c.inputs().find(|i| i.name() == "model"))
        .expect("the dynamic combo");
    assert_eq!(model.type_name(), "COMFY_DYNAMICCOMBO_V3");
    assert!(
        model
            .option_inputs("seedream 5.0 pro")
            .any(|i| i.name() == "size_preset")
    );
    assert!(
        model
            .option_inputs("seedream 5.0 pro")
            .all(|i| i.name() != "images"),
        "autogrow is undeclared"
    );
}

#[test]
fn malformed_snapshots_are_errors_or_opaque_never_panics() {
    for bad in [
        &b""[..],
        b"nope",
        b"[1]",
        b"\"s\"",
        b"7",
        b"null",
        b"{\"A\": ",
        b"{\"A\": {}} x",
    ] {
        assert!(
            Catalogue::from_object_info(bad).is_err(),
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
    let odd = br#"{
        "Num": 5, "Str": "x", "List": [1], "Null": null, "NoInput": {"output": ["X"]},
        "BadInput": {"input": [1], "output_node": true},
        "Shapes": {"input": {"required": {
            "bare": "INT", "empty": [], "three": ["INT", {}, 1], "num": [5], "obj": [{}],
            "optsnum": ["INT", 5], "mixed": [["a", {}]], "nested": [[["a"]]],
            "combo_bad": ["COMBO", {"options": "abc"}], "dyn_bad": ["COMFY_DYNAMICCOMBO_V3", {"options": [1]}],
            "minmax": ["INT", {"min": "0", "max": [1]}], "ok": ["INT"]},
            "optional": "not an object", "hidden": 5},
            "input_order": {"required": "nope"}, "output": "IMAGE", "output_node": "true"}}"#;
    let catalogue = Catalogue::from_object_info(odd).expect("odd shapes are read, not refused");
    for name in ["Num", "Str", "List", "Null", "NoInput", "BadInput"] {
        assert!(
            catalogue.class(name).is_some_and(|c| c.is_opaque()),
            "{name}"
        );
    }
    assert!(
        catalogue
            .class("BadInput")
            .is_some_and(|c| c.is_output_node())
    );
    let shapes = catalogue.class("Shapes").expect("Shapes");
    assert!(!shapes.is_opaque() && !shapes.is_output_node());
    let declared: Vec<&str> = shapes.inputs().map(|i| i.name()).collect();
    assert_eq!(declared, ["minmax", "ok"]);
    assert_eq!(shapes.inputs().next().and_then(|i| i.min()), None);
    assert_eq!(shapes.outputs().count(), 0);
}

#[test]
fn limits_are_errors_with_clear_messages() {
    use cmfy_validate::catalogue::{CatalogueErrorKind as Kind, SnapshotLimits};
    let snapshot = br#"{"A": {"input": {"required": {"a": ["INT"], "b": ["INT"]}, "hidden": {"h": "X"}}}, "B": {"input": {"required": {"c": [["x", "y", "z"]]}}}}"#;
    let try_load = |limits: SnapshotLimits| {
        Catalogue::from_object_info_with(snapshot, &limits).map(|c| c.len())
    };
    assert_eq!(try_load(SnapshotLimits::default()), Ok(2));
    let error = try_load(SnapshotLimits::default().max_bytes(10)).unwrap_err();
    assert_eq!(error.kind(), Kind::TooLarge);
    // Each limit is the most allowed: at it the snapshot loads, one below it does not.
    assert_eq!(
        try_load(SnapshotLimits::default().max_bytes(snapshot.len())),
        Ok(2)
    );
    let error = try_load(SnapshotLimits::default().max_bytes(snapshot.len() - 1)).unwrap_err();
    assert_eq!(error.kind(), Kind::TooLarge);
    assert_eq!(try_load(SnapshotLimits::default().max_classes(2)), Ok(2));
    assert_eq!(
        try_load(SnapshotLimits::default().max_options_per_combo(3)),
        Ok(2)
    );
    let error = try_load(SnapshotLimits::default().max_classes(1)).unwrap_err();
    assert_eq!(
        (error.kind(), error.to_string()),
        (
            Kind::TooManyClasses,
            "object_info has more than 1 classes".to_owned()
        )
    );
    let error = try_load(SnapshotLimits::default().max_inputs_per_class(2)).unwrap_err();
    assert_eq!(
        (error.kind(), error.to_string()),
        (
            Kind::TooManyInputs,
            "class 'A' of object_info has more than 2 inputs".to_owned()
        )
    );
    assert!(try_load(SnapshotLimits::default().max_inputs_per_class(3)).is_ok());
    let error = try_load(SnapshotLimits::default().max_options_per_combo(2)).unwrap_err();
    assert_eq!(
        (error.kind(), error.to_string()),
        (
            Kind::TooManyOptions,
            "input 'c' of class 'B' of object_info has more than 2 options".to_owned()
        )
    );
}

#[test]
fn aliases_literal_types_and_their_clearing() {
    let snapshot = br#"{"Save": {"input": {"required": {"images": ["IMAGE"]}}, "output_node": true},
                         "Cam": {"input": {"required": {"shot": ["WEBCAM"]}}, "output_node": true}}"#;
    let with = |options: CheckOptions| policy_of(snapshot, options);
    let aliased = body(r#""1": {"class_type": "SaveWs", "inputs": {"anything": 1}}"#);
    assert_eq!(
        outcome(&aliased, &with(CheckOptions::default())),
        "missing_node_type"
    );
    assert_eq!(
        outcome(
            &aliased,
            &with(CheckOptions::default().alias("SaveWs", "Save"))
        ),
        "ok"
    );
    assert_eq!(
        outcome(
            &aliased,
            &with(
                CheckOptions::default()
                    .alias("SaveWs", "Save")
                    .clear_aliases()
            )
        ),
        "missing_node_type"
    );
    let cam = body(r#""1": {"class_type": "Cam", "inputs": {"shot": "data"}}"#);
    assert_eq!(outcome(&cam, &with(CheckOptions::default())), "ok");
    assert_eq!(
        outcome(&cam, &with(CheckOptions::default().clear_literal_types())),
        "invalid_input_type"
    );
    let img = body(r#""1": {"class_type": "Save", "inputs": {"images": "data"}}"#);
    assert_eq!(
        outcome(&img, &with(CheckOptions::default().literal_type("IMAGE"))),
        "ok"
    );
    // Clearing one list leaves the others as they were.
    let no_literals = CheckOptions::default().clear_literal_types();
    assert_eq!(
        no_literals.clone().alias("A", "B").clear_aliases(),
        no_literals
    );
    assert_eq!(
        no_literals
            .clone()
            .wildcard_type("W")
            .clear_wildcard_types(),
        no_literals
    );
    assert_ne!(no_literals.clone().combo_exempt("K", "c"), no_literals);
    // An exemption names one input of one class.
    let combo =
        br#"{"K": {"input": {"required": {"c": [["a"]], "d": [["a"]]}}, "output_node": true},
                     "L": {"input": {"required": {"c": [["a"]]}}, "output_node": true}}"#;
    let judged =
        |options: CheckOptions, nodes: &str| outcome(&body(nodes), &policy_of(combo, options));
    let k = r#""1": {"class_type": "K", "inputs": {"c": "z", "d": "a"}}"#;
    let l = r#""1": {"class_type": "L", "inputs": {"c": "z"}}"#;
    let exempt = || CheckOptions::default().combo_exempt("K", "c");
    assert_eq!(judged(CheckOptions::default(), k), "value_not_in_list");
    assert_eq!(judged(exempt(), k), "ok");
    assert_eq!(
        judged(exempt(), &k.replace(r#""d": "a""#, r#""d": "z""#)),
        "value_not_in_list"
    );
    assert_eq!(judged(exempt(), l), "value_not_in_list");
    assert_eq!(
        judged(CheckOptions::default().combo_exempt("L", "d"), l),
        "value_not_in_list"
    );
}

#[test]
fn snapshot_limits_read_back_what_was_set() {
    let defaults = SnapshotLimits::default();
    assert_eq!(
        (
            defaults.bytes(),
            defaults.classes(),
            defaults.inputs_per_class(),
            defaults.options_per_combo()
        ),
        (256 << 20, 20_000, 1_024, 100_000)
    );
    let set = SnapshotLimits::default()
        .max_bytes(5)
        .max_classes(6)
        .max_inputs_per_class(7)
        .max_options_per_combo(8);
    assert_eq!(
        (
            set.bytes(),
            set.classes(),
            set.inputs_per_class(),
            set.options_per_combo()
        ),
        (5, 6, 7, 8)
    );
}

#[test]
fn the_bundled_examples_give_their_codes() {
    let policy = policy();
    for (file, expected) in [
        ("catalogue-ok.json", "ok"),
        ("invalid-catalogue-not-in-list.json", "value_not_in_list"),
        ("invalid-catalogue-several.json", "missing_node_type"),
    ] {
        let body = std::fs::read(format!(
            "{}/examples/requests/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect(file);
        assert_eq!(
            outcome(&String::from_utf8(body).expect("utf-8"), &policy),
            expected,
            "{file}"
        );
    }
}

#[test]
fn link_types_fit_by_the_contract_rules() {
    // Source output type, sink input type, and whether the link fits.
    let rows: &[(&str, &str, bool)] = &[
        ("LATENT", "LATENT", true),
        ("IMAGE", "LATENT", false),
        // `*` or a `COMFY_MATCHTYPE…` type on either side alone.
        ("*", "LATENT", true),
        ("LATENT", "*", true),
        ("COMFY_MATCHTYPE_V3", "LATENT", true),
        ("LATENT", "COMFY_MATCHTYPE_V3", true),
        ("COMFY_MATCH", "LATENT", false),
        // Unions split on commas, trimmed: a shared type, or `*` in either set.
        ("IMAGE, MASK", "MASK", true),
        ("MASK", "LATENT ,MASK", true),
        ("IMAGE,MASK", "LATENT", false),
        ("IMAGE,*", "LATENT", true),
        ("LATENT", "MODEL, *", true),
    ];
    for (output, input, fits) in rows {
        let snapshot = json!({
            "Src": {"input": {}, "output": [output]},
            "Dst": {"input": {"required": {"x": [input]}}, "output_node": true},
        })
        .to_string();
        let policy = policy_of(snapshot.as_bytes(), CheckOptions::default());
        let nodes = r#""1": {"class_type": "Src", "inputs": {}}, "2": {"class_type": "Dst", "inputs": {"x": ["1", 0]}}"#;
        let expected = if *fits { "ok" } else { "return_type_mismatch" };
        assert_eq!(
            outcome(&body(nodes), &policy),
            expected,
            "{output} into {input}"
        );
    }
}

#[test]
fn a_catalogue_reports_its_size_and_options_and_a_policy_compares_by_catalogue() {
    let empty = Catalogue::from_object_info(b"{}").expect("loads");
    assert!(empty.is_empty());
    assert_eq!(empty.len(), 0);
    let repo = catalogue();
    assert!(!repo.is_empty());
    assert_eq!(repo.options(), &CheckOptions::default());
    let options = CheckOptions::default().alias("Mine", "SaveImage");
    let aliased = catalogue().with_options(options.clone());
    assert_eq!(aliased.options(), &options);
    assert_ne!(aliased.options(), &CheckOptions::default());
    // Policies are equal when they share one catalogue, not when two are alike.
    let shared = Arc::new(catalogue());
    let one = Policy::default().with_catalogue(shared.clone());
    assert_eq!(one, Policy::default().with_catalogue(shared));
    assert_ne!(one, Policy::default().with_catalogue(Arc::new(catalogue())));
    assert_ne!(one, Policy::default());
    let debug = format!("{one:?}");
    assert!(
        debug.contains(&format!("Catalogue({} classes)", repo.len())),
        "{debug}"
    );
}

#[test]
fn catalogue_errors_point_into_the_body() {
    let at = |nodes: &str, code: &str| {
        let text = body(nodes);
        let error = validate_with(text.as_bytes(), &policy()).expect_err(nodes);
        assert_eq!(error.code(), code, "{nodes}");
        (text.clone(), error.offset())
    };
    // An unknown class: at its name.
    let (text, offset) = at(&one("NoSuchNode", r#""x": 1"#), "missing_node_type");
    assert_eq!(offset, text.find("NoSuchNode").expect("in the body"));
    // A value out of its list: at the value.
    let (text, offset) = at(
        &one("CheckpointLoaderSimple", r#""ckpt_name": "nope.ckpt""#),
        "value_not_in_list",
    );
    assert_eq!(
        text.get(offset..offset + 11),
        Some("\"nope.ckpt\""),
        "{text}"
    );
    // A required input missing: at the node's inputs.
    let (text, offset) = at(
        &one("EmptyLatentImage", r#""width": 512"#),
        "required_input_missing",
    );
    assert_eq!(
        text.get(offset..offset + 14),
        Some(r#"{"width": 512}"#),
        "{text}"
    );
}

#[test]
fn a_class_shows_its_inputs_as_read() {
    let snapshot = br#"{
        "K": {"input": {
            "required": {"steps": ["INT", {"min": 1, "max": 100, "default": 20}], "cfg": ["FLOAT", {"min": -0.5}], "image": ["IMAGE"]},
            "optional": {"mode": [["a", "b"], {"default": null}], "tags": ["COMBO", {"options": ["x"], "multiselect": true}]}},
            "output": ["LATENT", ["p", "q"], ["p", 1], 5, null], "output_node": true},
        "Broken": {"input": 5}
    }"#;
    let catalogue = Catalogue::from_object_info(snapshot).expect("loads");
    let k = catalogue.class("K").expect("K");
    assert!(k.is_output_node() && !k.is_opaque());
    assert_eq!(
        k.outputs().collect::<Vec<_>>(),
        ["LATENT", "COMBO", "*", "*", "*"]
    );
    let rows: Vec<_> = k
        .inputs()
        .map(|i| {
            (
                i.name(),
                i.type_name(),
                i.is_required(),
                i.min(),
                i.max(),
                i.has_default(),
                i.is_multiselect(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "steps",
                "INT",
                true,
                Some(json!(1)),
                Some(json!(100)),
                true,
                false
            ),
            ("cfg", "FLOAT", true, Some(json!(-0.5)), None, false, false),
            ("image", "IMAGE", true, None, None, false, false),
            ("mode", "COMBO", false, None, None, false, false),
            ("tags", "COMBO", false, None, None, false, true),
        ]
    );
    // A dynamic combo: its keys are its options, each with inputs of its own.
    let repo = self::catalogue();
    let preset = repo
        .class("DynamicSize")
        .and_then(|c| c.inputs().find(|i| i.name() == "preset"))
        .expect("the dynamic combo");
    assert_eq!(preset.options(), Some(vec![json!("small"), json!("large")]));
    assert!(!preset.is_multiselect());
    let names = |key: &str| {
        preset
            .option_inputs(key)
            .map(|i| i.name())
            .collect::<Vec<_>>()
    };
    assert_eq!(names("small"), ["width"]);
    assert_eq!(names("large"), ["width", "detail"]);
    assert!(names("medium").is_empty());
    let broken = catalogue.class("Broken").expect("an opaque class exists");
    assert!(broken.is_opaque() && !broken.is_output_node());
    assert_eq!(broken.inputs().count(), 0);
}

#[test]
fn node_ids_of_any_length_are_told_apart() {
    // Short decimal ids go through a table, the rest through a map: ids of 9, 10, 20 and 23
    // digits, and one with a leading zero, all find their own node.
    let ids = [
        "7",
        "07",
        "123456789",
        "1234567890",
        "12345678901234567890",
        "99999999999999999999999",
    ];
    let graph = |target: &dyn Fn(&str) -> String| {
        let mut nodes: Vec<String> = ids
            .iter()
            .map(|id| {
                format!(
                    r#""{id}": {{"class_type": "CheckpointLoaderSimple", "inputs": {{"ckpt_name": "sd15.safetensors"}}}}"#
                )
            })
            .collect();
        nodes.extend(ids.iter().map(|id| {
            let source = target(id);
            format!(
                r#""p{id}": {{"class_type": "PreviewAny", "inputs": {{"source": ["{source}", 0]}}}}"#
            )
        }));
        nodes.join(", ")
    };
    assert_eq!(code(&graph(&|id| id.to_owned())), "ok");
    // A link to an id that is only like one of them dangles.
    for (like, wrong) in [
        ("7", "007"),
        ("123456789", "0123456789"),
        ("1234567890", "1234567891"),
    ] {
        let nodes = graph(&|id| {
            if id == like {
                wrong.to_owned()
            } else {
                id.to_owned()
            }
        });
        assert_eq!(code(&nodes), "dangling_link", "{wrong}");
    }
}

#[test]
fn missing_required_inputs_come_in_the_input_order() {
    let snapshot = br#"{"K": {"input": {"required": {"a": ["INT"], "b": ["INT"], "c": ["INT"]}},
        "input_order": {"required": ["c", "a"]}, "output_node": true}}"#;
    let policy = policy_of(snapshot, CheckOptions::default());
    let errors = validate_all(
        body(r#""1": {"class_type": "K", "inputs": {}}"#).as_bytes(),
        &policy,
    )
    .expect_err("three inputs missing");
    let missing: Vec<&str> = errors
        .iter()
        .map(|e| e.details()["input"].as_str().unwrap_or_default())
        .collect();
    // The order's names first, then the required names it leaves out, in key order.
    assert_eq!(missing, ["c", "a", "b"]);
}

#[test]
fn a_combo_is_skipped_for_remote_and_upload_flags_only_when_set() {
    // The options object of a combo input, and whether a value outside the list passes.
    let rows: &[(&str, bool)] = &[
        (r#"{}"#, false),
        (r#"{"remote": {"route": "/x"}}"#, true),
        (r#"{"remote": null}"#, false),
        (r#"{"remote": false}"#, false),
        (r#"{"remote_combo": true}"#, true),
        (r#"{"remote_combo": false}"#, false),
        (r#"{"image_upload": true}"#, true),
        (r#"{"image_upload": false}"#, false),
        (r#"{"image_upload": 1}"#, false),
        (r#"{"model_file_upload": true}"#, true),
        (r#"{"upload": true}"#, false),
    ];
    for (options, skipped) in rows {
        let expected = if *skipped { "ok" } else { "value_not_in_list" };
        let spec = format!(r#"[["a"], {options}]"#);
        assert_eq!(one_input(&spec, r#""z""#), expected, "{options}");
    }
}

#[test]
fn match_type_inputs_are_declared_and_other_dynamic_types_are_not() {
    let snapshot = br#"{"K": {"input": {"required": {"m": ["COMFY_MATCHTYPE_V3"], "g": ["COMFY_AUTOGROW_V3"]}}, "output_node": true}}"#;
    let catalogue = Catalogue::from_object_info(snapshot).expect("loads");
    let names: Vec<(&str, &str)> = catalogue
        .class("K")
        .expect("K")
        .inputs()
        .map(|i| (i.name(), i.type_name()))
        .collect();
    assert_eq!(names, [("m", "COMFY_MATCHTYPE_V3")]);
    let policy = Policy::default().with_catalogue(Arc::new(catalogue));
    assert_eq!(
        outcome(&body(r#""1": {"class_type": "K", "inputs": {}}"#), &policy),
        "required_input_missing"
    );
    assert_eq!(
        outcome(
            &body(r#""1": {"class_type": "K", "inputs": {"m": 1}}"#),
            &policy
        ),
        "ok"
    );
}

/// Each thread keeps a check's buffers for the next check: no answer may depend on what the
/// thread checked before. Every body is judged first on a thread of its own, then all of them
/// in turn on one thread, twice, in both orders (a large one among them, whose buffers are
/// not kept).
#[test]
fn a_check_does_not_depend_on_the_checks_before_it() {
    let ring = r#""1": {"class_type": "ImageAdjust", "inputs": {"pixels": ["2", 0]}},
                  "2": {"class_type": "ImageAdjust", "inputs": {"pixels": ["1", 0]}},
                  "99": {"class_type": "PreviewAny", "inputs": {"source": ["2", 0]}}"#;
    let mut large =
        String::from(r#""0": {"class_type": "LoadImage", "inputs": {"image": "example.png"}}"#);
    for i in 1..5_000 {
        large.push_str(&format!(
            r#", "{i}": {{"class_type": "ImageAdjust", "inputs": {{"pixels": ["{}", 0]}}}}"#,
            i - 1
        ));
    }
    large.push_str(r#", "out": {"class_type": "PreviewAny", "inputs": {"source": ["4999", 0]}}"#);
    let bodies = [
        body(ring),
        body(&sd15(r#""model": ["4", 0]"#, r#""model": ["3", 0]"#)),
        body(&sd15("", "")),
        body_of(&large),
        body(&one("SaveImage", r#""images": ["7", 0]"#)),
        body(&one("KSampler", r#""seed": 5"#)),
    ];
    let policy = policy().with_max_nodes(10_000);
    let answer = |body: &str| match validate_all(body.as_bytes(), &policy) {
        Ok(_) => vec!["ok".to_owned()],
        Err(problems) => problems
            .iter()
            .map(|p| format!("{} {} {:?}", p.code(), p.pointer(), p.details()))
            .collect(),
    };
    let alone: Vec<Vec<String>> = bodies
        .iter()
        .map(|body| std::thread::scope(|s| s.spawn(|| answer(body)).join().expect("checked")))
        .collect();
    assert!(alone.iter().any(|a| a != &["ok"]) && alone.iter().any(|a| a == &["ok"]));
    for _ in 0..2 {
        for (body, expected) in bodies.iter().zip(&alone) {
            assert_eq!(&answer(body), expected);
        }
        for (body, expected) in bodies.iter().zip(&alone).rev() {
            assert_eq!(&answer(body), expected);
        }
    }
}

#[test]
fn a_longer_body_buys_more_suggestions_and_a_short_one_counts_as_4_kib() {
    // A thousand look-alike classes: each mistyped name has hundreds of candidates near it,
    // so suggestions spend the body's budget fast.
    let classes: Vec<String> = (0..200)
        .map(|i| format!(r#""LookAlike{i:04}": {{"input": {{}}, "output_node": true}}"#))
        .collect();
    let policy = policy_of(
        format!("{{{}}}", classes.join(", ")).as_bytes(),
        CheckOptions::default(),
    );
    let nodes: Vec<String> = (0..60)
        .map(|i| format!(r#""{i}": {{"class_type": "LookAlikf{i:04}", "inputs": {{}}}}"#))
        .collect();
    // The body's length, and the number of its problems that came with suggestions, for the
    // nodes padded with spaces.
    let suggested = |padding: usize| {
        let text = format!(
            r#"{{"prompt": {{{}}}{}}}"#,
            nodes.join(", "),
            " ".repeat(padding)
        );
        let problems = validate_all(text.as_bytes(), &policy).expect_err("unknown classes");
        let unknown: Vec<_> = problems
            .iter()
            .filter(|p| p.code() == "missing_node_type")
            .collect();
        assert_eq!(unknown.len(), 60);
        let with = unknown
            .iter()
            .filter(|p| p.details()["suggestions"] != json!([]))
            .count();
        (text.len(), with)
    };
    // Just over 4 KiB: the budget runs out part way.
    let (len, at_4_kib) = suggested(1_000);
    assert!(len > 4096 && 0 < at_4_kib && at_4_kib < 60, "{at_4_kib}");
    // Spaces are bytes read: the budget grows with them, and never shrinks.
    let mut last = at_4_kib;
    for padding in [8_000, 32_000, 128_000] {
        let (_, now) = suggested(padding);
        assert!(now >= last, "{padding}: {now} < {last}");
        last = now;
    }
    assert!(last > at_4_kib + 5, "{last}");
    // A body under 4 KiB is allowed what one of 4 KiB of the same make would be.
    let (len, short) = suggested(0);
    assert!(len < 4096 && short >= at_4_kib, "{short}");
}
