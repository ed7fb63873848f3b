//! An accepted workflow as a caller reads it: its nodes from either end and their count, the
//! members it keeps as received, and what `Debug` shows.

use cmfy_validate::validate;

const BODY: &str = r#"{"prompt": {
    "a": {"class_type": "First", "inputs": {"n": 1}, "_meta": {"title": "one"}, "extra": [true]},
    "b": {"class_type": "Second", "inputs": {"from": ["a", 0]}},
    "c": {"class_type": "Third", "inputs": {}, "z": null, "y": "s"}
}}"#;

#[test]
fn nodes_come_in_order_from_either_end_and_know_how_many_are_left() {
    let workflow = validate(BODY.as_bytes()).expect("valid");
    let mut nodes = workflow.nodes();
    assert_eq!(nodes.size_hint(), (3, Some(3)));
    assert_eq!(nodes.len(), 3);
    assert_eq!(nodes.next().map(|n| n.id()), Some("a"));
    assert_eq!(nodes.size_hint(), (2, Some(2)));
    assert_eq!(nodes.next_back().map(|n| n.id()), Some("c"));
    assert_eq!(nodes.len(), 1);
    assert_eq!(nodes.next_back().map(|n| n.class_type()), Some("Second"));
    assert!(nodes.next_back().is_none() && nodes.next().is_none());
    assert_eq!(nodes.size_hint(), (0, Some(0)));
    let ids: Vec<&str> = workflow.nodes().rev().map(|n| n.id()).collect();
    assert_eq!(ids, ["c", "b", "a"]);
    assert_eq!(workflow.nodes().nth(1).map(|n| n.id()), Some("b"));
}

#[test]
fn members_beyond_the_known_ones_are_kept_as_received() {
    let workflow = validate(BODY.as_bytes()).expect("valid");
    let members = |id: &str| -> Vec<(String, String)> {
        workflow
            .node(id)
            .expect("the node")
            .other_members()
            .iter()
            .map(|(name, raw)| (name.to_string(), raw.json().to_owned()))
            .collect()
    };
    assert_eq!(members("a"), [("extra".to_owned(), "[true]".to_owned())]);
    assert!(members("b").is_empty());
    assert_eq!(
        members("c"),
        [
            ("z".to_owned(), "null".to_owned()),
            ("y".to_owned(), "\"s\"".to_owned())
        ]
    );
    let a = workflow.node("a").expect("a");
    assert_eq!(a.meta().map(|m| m.json()), Some(r#"{"title": "one"}"#));
    assert_eq!(a.title(), Some("one"));
}

#[test]
fn debug_shows_the_nodes_and_their_members() {
    let workflow = validate(BODY.as_bytes()).expect("valid");
    let shown = format!("{workflow:?}");
    for part in [
        "Workflow {",
        "nodes: [Node { id: \"a\", class_type: \"First\"",
        "other_members: [(\"extra\", [true])]",
        "webhook_url: None",
        "idempotency_key: None",
    ] {
        assert!(shown.contains(part), "{part} in {shown}");
    }
    let node = format!("{:?}", workflow.node("c").expect("c"));
    assert!(
        node.starts_with("Node { id: \"c\", class_type: \"Third\""),
        "{node}"
    );
    assert!(
        node.contains("other_members: [(\"z\", null), (\"y\", \"s\")]"),
        "{node}"
    );
}

#[test]
fn raw_json_displays_as_written() {
    let workflow = validate(BODY.as_bytes()).expect("valid");
    let meta = workflow
        .node("a")
        .and_then(|a| a.meta())
        .expect("a's _meta");
    assert_eq!(meta.to_string(), r#"{"title": "one"}"#);
    assert_eq!(format!("{meta:?}"), r#"{"title": "one"}"#);
}

#[test]
fn each_url_points_at_itself_after_nested_values() {
    let body = r#"{"prompt": {"1": {"class_type": "A", "inputs": {
        "a": {"x": "https://a.example/1", "y": [["https://a.example/2"]]},
        "b": ["https://b.example/3", {"z": "https://b.example/4"}],
        "c": "https://c.example/5"}}}}"#;
    let workflow = validate(body.as_bytes()).expect("valid");
    let found: Vec<(&str, &str, &str)> = workflow
        .urls()
        .map(|u| (u.input(), u.pointer(), u.url().as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("a", "/prompt/1/inputs/a/x", "https://a.example/1"),
            ("a", "/prompt/1/inputs/a/y/0/0", "https://a.example/2"),
            ("b", "/prompt/1/inputs/b/0", "https://b.example/3"),
            ("b", "/prompt/1/inputs/b/1/z", "https://b.example/4"),
            ("c", "/prompt/1/inputs/c", "https://c.example/5"),
        ]
    );
}
