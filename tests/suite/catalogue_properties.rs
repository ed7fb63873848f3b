//! Random catalogues and random graphs over them: the check agrees with an oracle written here
//! from the contract, slowly and plainly (recursion, `serde_json::Value`, no shared code).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use cmfy_validate::{Policy, catalogue::Catalogue, validate_all, validate_with};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A declared input of a generated class.
#[derive(Clone, Debug)]
enum Spec {
    Int { min: i64, max: i64 },
    Float { min: f64, max: f64 },
    Str,
    Bool,
    Combo(Vec<String>),
    Socket(&'static str),
}

#[derive(Clone, Debug)]
struct Class {
    inputs: Vec<(String, bool, Spec)>,
    outputs: Vec<&'static str>,
    output_node: bool,
}

const SOCKETS: &[&str] = &["MODEL", "IMAGE", "LATENT", "*", "IMAGE,MASK", "MASK"];

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        (-5i64..5, 0i64..10).prop_map(|(min, span)| Spec::Int {
            min,
            max: min + span
        }),
        (-2.0f64..2.0).prop_map(|min| Spec::Float {
            min,
            max: min + 1.5
        }),
        Just(Spec::Str),
        Just(Spec::Bool),
        prop::collection::vec("[ab]{1,2}", 0..3).prop_map(Spec::Combo),
        prop::sample::select(SOCKETS).prop_map(Spec::Socket),
    ]
}

fn class() -> impl Strategy<Value = Class> {
    (
        prop::collection::vec(("[xyz]", any::<bool>(), spec()), 0..4),
        prop::collection::vec(prop::sample::select(SOCKETS), 0..3),
        prop::bool::weighted(0.6),
    )
        .prop_map(|(inputs, outputs, output_node)| {
            let mut seen = BTreeSet::new();
            let inputs = inputs
                .into_iter()
                .filter(|(n, _, _)| seen.insert(n.clone()))
                .collect();
            Class {
                inputs,
                outputs,
                output_node,
            }
        })
}

fn snapshot(classes: &[Class]) -> String {
    let entries: Vec<String> = classes
        .iter()
        .enumerate()
        .map(|(i, class)| {
            let (mut required, mut optional) = (Vec::new(), Vec::new());
            for (name, is_required, spec) in &class.inputs {
                let text = match spec {
                    Spec::Int { min, max } => json!(["INT", {"min": min, "max": max}]),
                    Spec::Float { min, max } => json!(["FLOAT", {"min": min, "max": max}]),
                    Spec::Str => json!(["STRING"]),
                    Spec::Bool => json!(["BOOLEAN", {}]),
                    Spec::Combo(options) => json!([options]),
                    Spec::Socket(t) => json!([t]),
                };
                let member = format!("{}: {text}", json!(name));
                if *is_required { required.push(member) } else { optional.push(member) }
            }
            format!(
                r#""C{i}": {{"input": {{"required": {{{}}}, "optional": {{{}}}}}, "output": {}, "output_node": {}}}"#,
                required.join(", "),
                optional.join(", "),
                json!(class.outputs),
                class.output_node
            )
        })
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// A node: its class index (past the catalogue: unknown) and its inputs as JSON texts.
#[derive(Clone, Debug)]
struct Node {
    class: usize,
    inputs: Vec<(String, Value)>,
}

fn value(nodes: usize) -> impl Strategy<Value = Value> {
    prop_oneof![
        (0..nodes + 1, 0u64..3).prop_map(|(id, out)| json!([id.to_string(), out])),
        (-6i64..12).prop_map(Value::from),
        (-3.0f64..3.0).prop_map(|f| json!((f * 4.0).round() / 4.0)),
        "[ab]{1,2}".prop_map(Value::from),
        Just(json!("7")),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
        Just(json!([1, 2])),
        Just(json!({"__value__": "a"})),
    ]
}

fn graph(classes: usize) -> impl Strategy<Value = Vec<Node>> {
    (1usize..6).prop_flat_map(move |n| {
        prop::collection::vec(
            (
                prop_oneof![19 => 0..classes, 1 => Just(classes)],
                prop::collection::vec(("[xyzw]", value(n)), 0..4),
            ),
            n..=n,
        )
        .prop_map(|nodes| {
            nodes
                .into_iter()
                .map(|(class, inputs)| {
                    let mut seen = BTreeSet::new();
                    let inputs = inputs
                        .into_iter()
                        .filter(|(k, _)| seen.insert(k.clone()))
                        .collect();
                    Node { class, inputs }
                })
                .collect()
        })
    })
}

fn request(nodes: &[Node]) -> String {
    let members: Vec<String> = nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let inputs: Vec<String> = node
                .inputs
                .iter()
                .map(|(k, v)| format!("{}: {v}", json!(k)))
                .collect();
            format!(
                r#""{i}": {{"class_type": "C{}", "inputs": {{{}}}}}"#,
                node.class,
                inputs.join(", ")
            )
        })
        .collect();
    format!(r#"{{"prompt": {{{}}}}}"#, members.join(", "))
}

const ORDER: &[&str] = &[
    "missing_node_type",
    "prompt_no_outputs",
    "dangling_link",
    "bad_linked_input",
    "dependency_cycle",
    "required_input_missing",
    "return_type_mismatch",
    "invalid_input_type",
    "value_smaller_than_min",
    "value_bigger_than_max",
    "value_not_in_list",
];

fn link(value: &Value) -> Option<(usize, u64)> {
    let [Value::String(id), Value::Number(out)] = value.as_array()?.as_slice() else {
        return None;
    };
    Some((id.parse().ok()?, out.as_u64()?))
}

fn type_fits(out: &str, input: &str) -> bool {
    let set = |t: &str| {
        t.split(',')
            .map(|s| s.trim().to_owned())
            .collect::<BTreeSet<_>>()
    };
    out == input || out == "*" || input == "*" || !set(out).is_disjoint(&set(input))
}

/// The code the contract gives, or "ok".
fn oracle(classes: &[Class], nodes: &[Node]) -> &'static str {
    let class_of = |node: &Node| classes.get(node.class);
    if nodes.iter().any(|n| class_of(n).is_none()) {
        return "missing_node_type";
    }
    let mut reachable: BTreeSet<usize> = (0..nodes.len())
        .filter(|&i| class_of(&nodes[i]).is_some_and(|c| c.output_node))
        .collect();
    if reachable.is_empty() {
        return "prompt_no_outputs";
    }
    let edges = |i: usize| -> Vec<usize> {
        nodes[i]
            .inputs
            .iter()
            .filter_map(|(_, v)| link(v))
            .map(|(t, _)| t)
            .filter(|&t| t < nodes.len())
            .collect()
    };
    loop {
        let more: BTreeSet<usize> = reachable.iter().flat_map(|&i| edges(i)).collect();
        if more.is_subset(&reachable) {
            break;
        }
        reachable.extend(more);
    }
    fn reaches(
        edges: &dyn Fn(usize) -> Vec<usize>,
        from: usize,
        to: usize,
        seen: &mut BTreeSet<usize>,
    ) -> bool {
        edges(from)
            .into_iter()
            .any(|next| next == to || (seen.insert(next) && reaches(edges, next, to, seen)))
    }
    let mut found: Vec<&'static str> = Vec::new();
    for &i in &reachable {
        let node = &nodes[i];
        let class = class_of(node).expect("known");
        if reaches(&edges, i, i, &mut BTreeSet::new()) {
            found.push("dependency_cycle");
        }
        let given: BTreeMap<&str, &Value> =
            node.inputs.iter().map(|(k, v)| (k.as_str(), v)).collect();
        for (name, value) in &node.inputs {
            if let Some((target, _)) = link(value)
                && target >= nodes.len()
            {
                found.push("dangling_link");
                continue;
            }
            let Some((_, required, spec)) = class.inputs.iter().find(|(n, _, _)| n == name) else {
                continue;
            };
            if !required && value.is_null() {
                continue;
            }
            if let Some((target, out)) = link(value) {
                let source = class_of(&nodes[target]).expect("known");
                let Some(out_type) = source.outputs.get(out as usize) else {
                    found.push("bad_linked_input");
                    continue;
                };
                let input_type = match spec {
                    Spec::Int { .. } => "INT",
                    Spec::Float { .. } => "FLOAT",
                    Spec::Str => "STRING",
                    Spec::Bool => "BOOLEAN",
                    Spec::Combo(_) => "COMBO",
                    Spec::Socket(t) => t,
                };
                if !type_fits(out_type, input_type) {
                    found.push("return_type_mismatch");
                }
                continue;
            }
            if value.is_array() {
                found.push("bad_linked_input");
                continue;
            }
            let value = value.get("__value__").unwrap_or(value);
            let number = match (spec, value) {
                (Spec::Int { .. }, Value::Number(n))
                    if n.as_f64().is_some_and(|f| f.fract() == 0.0) =>
                {
                    n.as_f64()
                }
                (Spec::Int { .. }, Value::String(s))
                    if !s.is_empty()
                        && s.trim_start_matches(['+', '-'])
                            .chars()
                            .all(|c| c.is_ascii_digit())
                        && s.trim_start_matches(['+', '-']).len() + 1 >= s.len() =>
                {
                    s.parse::<f64>().ok()
                }
                (Spec::Float { .. }, Value::Number(n)) => n.as_f64(),
                (Spec::Float { .. }, Value::String(s)) => s
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite() && !s.contains(['i', 'n', 'N', 'I'])),
                _ => None,
            };
            let verdict = match spec {
                Spec::Int { min, max } => match number {
                    None => Some("invalid_input_type"),
                    Some(n) if n < *min as f64 => Some("value_smaller_than_min"),
                    Some(n) if n > *max as f64 => Some("value_bigger_than_max"),
                    Some(_) => None,
                },
                Spec::Float { min, max } => match number {
                    None => Some("invalid_input_type"),
                    Some(n) if n < *min => Some("value_smaller_than_min"),
                    Some(n) if n > *max => Some("value_bigger_than_max"),
                    Some(_) => None,
                },
                Spec::Str => {
                    (!(value.is_string() || value.is_number())).then_some("invalid_input_type")
                }
                Spec::Bool => (!value.is_boolean()).then_some("invalid_input_type"),
                Spec::Combo(options) => (!value
                    .as_str()
                    .is_some_and(|s| options.iter().any(|o| o == s)))
                .then_some("value_not_in_list"),
                Spec::Socket(t) => (*t != "*").then_some("invalid_input_type"),
            };
            found.extend(verdict);
        }
        for (name, required, _) in &class.inputs {
            if *required && !given.contains_key(name.as_str()) {
                found.push("required_input_missing");
            }
        }
    }
    found
        .into_iter()
        .min_by_key(|code| ORDER.iter().position(|c| c == code))
        .unwrap_or("ok")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn the_check_agrees_with_the_oracle(
        (classes, nodes) in prop::collection::vec(class(), 1..5).prop_flat_map(|classes| {
            let n = classes.len();
            (Just(classes), graph(n))
        })
    ) {
        let snapshot = snapshot(&classes);
        let catalogue = Catalogue::from_object_info(snapshot.as_bytes()).expect("a generated snapshot loads");
        let policy = Policy::default().with_catalogue(Arc::new(catalogue));
        let body = request(&nodes);
        let got = validate_with(body.as_bytes(), &policy).map_or_else(|e| e.code().to_owned(), |_| "ok".to_owned());
        prop_assert_eq!(got.as_str(), oracle(&classes, &nodes), "{}\n{}", snapshot, body);
        let all = validate_all(body.as_bytes(), &policy).err().unwrap_or_default();
        prop_assert_eq!(all.first().map(|e| e.code()).unwrap_or("ok"), got.as_str());
    }
}
