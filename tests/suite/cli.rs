//! The command line, run as a user runs it.
#![cfg(feature = "cli")]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cmfy-validate"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI runs");
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(input).expect("write stdin");
    }
    child.wait_with_output().expect("the CLI ends")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn exit_codes_and_the_bundled_examples() {
    let ok = run(&["examples/requests/quickstart.json"], None);
    assert_eq!(
        (ok.status.code(), stdout(&ok)),
        (
            Some(0),
            "examples/requests/quickstart.json: ok\n".to_owned()
        )
    );
    let bad = run(&["examples/requests/invalid-insecure-url.json"], None);
    assert_eq!(bad.status.code(), Some(1));
    let text = stdout(&bad);
    assert!(
        text.contains("insecure_url: Only HTTPS URLs are allowed"),
        "{text}"
    );
    assert!(
        text.contains("host: 127.0.0.1") && text.contains("reason: private host"),
        "{text}"
    );
    let missing = run(&["no-such-file.json"], None);
    assert_eq!(missing.status.code(), Some(2));
    let zero = run(
        &["--max-nodes", "0", "examples/requests/quickstart.json"],
        None,
    );
    assert_eq!(zero.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&zero.stderr).contains("at least 1"));
}

#[test]
fn standard_input_when_it_is_not_a_terminal() {
    let piped = run(&[], Some(br#"{"prompt": {}}"#));
    assert_eq!(piped.status.code(), Some(1));
    assert!(stdout(&piped).starts_with("<stdin>: empty_workflow"));
    // `-` among the files is standard input too, read in its place.
    let dash = run(
        &["examples/requests/quickstart.json", "-"],
        Some(br#"{"prompt": {}}"#),
    );
    assert_eq!(dash.status.code(), Some(1));
    let text = stdout(&dash);
    let headings: Vec<&str> = text.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(
        headings,
        [
            "examples/requests/quickstart.json: ok",
            "<stdin>: empty_workflow: Workflow has no nodes"
        ],
        "{text}"
    );
}

#[test]
fn json_lines_name_their_file_and_unreadable_files_get_a_line() {
    let out = run(
        &[
            "--format",
            "json",
            "examples/requests/quickstart.json",
            "nope.json",
            "examples/requests/invalid-several-problems.json",
            "--all",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(
        lines[0],
        serde_json::json!({"file": "examples/requests/quickstart.json", "ok": true})
    );
    assert_eq!(lines[1]["file"], "nope.json");
    assert!(lines[1]["io_error"].as_str().is_some_and(|e| !e.is_empty()));
    for line in &lines[2..] {
        assert_eq!(
            line["file"],
            "examples/requests/invalid-several-problems.json"
        );
        assert!(line["error"]["code"].is_string());
    }
    assert_eq!(lines[2]["error"]["code"], "missing_class_type");
}

#[test]
fn the_catalogue_check_names_node_class_input_value_and_closest_names() {
    let out = run(
        &[
            "--object-info",
            "examples/catalogue/object_info.json",
            "--all",
            "examples/requests/invalid-catalogue-not-in-list.json",
            "examples/requests/invalid-catalogue-several.json",
            "examples/requests/catalogue-ok.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for expected in [
        "value_not_in_list: Value not in list",
        "node 3 (KSampler), input 'sampler_name'",
        "received: \"Euler\"",
        "did you mean 'euler'?",
        "missing_node_type: Node type not found",
        "did you mean 'VAEDecode'?",
        "type: MODEL where CLIP is expected",
        "examples/requests/catalogue-ok.json: ok",
        // All four options are listed, so nothing says the list goes on.
        "options (4): euler, euler_ancestral, heun, dpmpp_2m\n",
    ] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }
    let broken = run(
        &[
            "--object-info",
            "Cargo.toml",
            "examples/requests/quickstart.json",
        ],
        None,
    );
    assert_eq!(broken.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("not valid JSON"));
}

#[test]
fn a_long_list_of_options_is_cut_and_says_so() {
    let dir = std::env::temp_dir().join(format!("cmfy-cli-options-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let names: Vec<String> = (0..30).map(|i| format!("\"s{i:02}\"")).collect();
    let catalogue = dir.join("object_info.json");
    let snapshot = format!(
        r#"{{"Pick": {{"input": {{"required": {{"name": [[{}]]}}}}, "output": [], "output_node": true}}}}"#,
        names.join(", ")
    );
    std::fs::write(&catalogue, snapshot).expect("write");
    let request = dir.join("request.json");
    std::fs::write(
        &request,
        r#"{"prompt": {"1": {"class_type": "Pick", "inputs": {"name": "none"}}}}"#,
    )
    .expect("write");
    let out = run(
        &[
            "--object-info",
            &catalogue.to_string_lossy(),
            &request.to_string_lossy(),
        ],
        None,
    );
    let text = stdout(&out);
    let listed: Vec<String> = (0..20).map(|i| format!("s{i:02}")).collect();
    let line = format!("options (30): {}, …\n", listed.join(", "));
    assert!(text.contains(&line), "{line} in:\n{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hints_show_and_a_workflow_file_is_checked_as_the_prompt() {
    let dir = std::env::temp_dir().join(format!("cmfy-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let file = dir.join("workflow_api.json");
    std::fs::write(&file, "{\n  \"3\": {\"class_type\": \"KSampler\",\n        \"inputs\": {\"u\": \"http://x.example/m\"}}\n}\n").expect("write");
    let path = file.to_string_lossy().into_owned();
    let as_body = run(&[&path], None);
    assert!(stdout(&as_body).contains(
        r#"hint: the body looks like a workflow itself: send it as {"prompt": <workflow>}"#
    ));
    let as_prompt = run(&["--workflow", &path], None);
    let text = stdout(&as_prompt);
    assert!(text.contains("insecure_url"), "{text}");
    // Positions are the file's own, not the wrapped request's.
    assert!(text.contains("line 3, column 25"), "{text}");
    assert!(
        text.contains("  3 |         \"inputs\": {\"u\": \"http://x.example/m\"}}"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn excerpts_of_a_huge_one_line_body_stay_short() {
    let nodes: Vec<String> = (0..150)
        .map(|i| {
            format!(
                r#""{i}": {{"class_type": "A", "inputs": {{"u": "http://x.example/{}"}}}}"#,
                "p".repeat(20_000)
            )
        })
        .collect();
    let body = format!(r#"{{"prompt": {{{}}}}}"#, nodes.join(","));
    let out = run(&["--all", "--max-nodes", "1000"], Some(body.as_bytes()));
    let text = stdout(&out);
    let excerpts: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("  1 | "))
        .collect();
    assert_eq!(excerpts.len(), 100);
    assert!(
        excerpts
            .iter()
            .all(|line| line.chars().count() <= 6 + 2 + 121),
        "{:?}",
        excerpts.first()
    );
    // Columns are counted from the line's start, in characters.
    let second = body
        .match_indices("\"http")
        .nth(1)
        .map_or(0, |(at, _)| at + 1);
    assert!(
        text.contains(&format!("line 1, column {second}\n")),
        "column {second}"
    );
}

#[test]
fn urls_are_listed_and_sources_allowed() {
    let listed = run(
        &[
            "--list-urls",
            "--format",
            "json",
            "examples/requests/quickstart.json",
        ],
        None,
    );
    assert_eq!(listed.status.code(), Some(0));
    let line: serde_json::Value =
        serde_json::from_str(stdout(&listed).trim()).expect("one JSON line");
    assert_eq!(
        line["url"],
        "https://huggingface.co/org/repo/resolve/main/m.safetensors"
    );
    assert_eq!(
        (line["node_id"].as_str(), line["input"].as_str()),
        (Some("3"), Some("ckpt_name"))
    );
    assert_eq!(line["pointer"], "/prompt/3/inputs/ckpt_name");
    let human = run(&["--list-urls", "examples/requests/quickstart.json"], None);
    assert!(stdout(&human).contains(
        "(node 3 CheckpointLoaderSimple, input 'ckpt_name', /prompt/3/inputs/ckpt_name)"
    ));
    let allowed = run(
        &[
            "--allow-source",
            "huggingface.co/org/*",
            "examples/requests/quickstart.json",
        ],
        None,
    );
    assert_eq!(allowed.status.code(), Some(0));
    let refused = run(
        &[
            "--allow-source",
            "civitai.com/*",
            "--allow-source",
            "*.hf.co/*",
            "examples/requests/quickstart.json",
        ],
        None,
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(stdout(&refused).contains("reason: source not allowed"));
    let bad = run(
        &[
            "--allow-source",
            "a.*.b",
            "examples/requests/quickstart.json",
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
}
