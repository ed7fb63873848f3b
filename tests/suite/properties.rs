//! Property tests over generated workflows: valid ones are accepted and round-trip; one
//! injected fault gives exactly its code, two give the higher; whitespace and key escaping
//! never change the outcome.

use cmfy_validate::{Policy, validate, validate_all, validate_with};
use proptest::prelude::*;

/// A JSON value with members in order (duplicates allowed, for fault injection).
#[derive(Clone, Debug)]
enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

/// How to write JSON: which white space, and which characters of strings and keys to escape.
#[derive(Clone, Copy, Debug)]
struct Style {
    space: usize,
    escape_every: usize,
}

const PLAIN: Style = Style {
    space: 1,
    escape_every: 0,
};

fn write_str(s: &str, style: Style, out: &mut String) {
    out.push('"');
    for (i, c) in s.chars().enumerate() {
        let escape = style.escape_every > 0 && i % style.escape_every == 0;
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || (escape && (c as u32) < 0x10000) => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl J {
    fn write(&self, style: Style, out: &mut String) {
        let ws = ["", " ", "\n  ", "\t", " \r\n "][style.space % 5];
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => write_str(s, style, out),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i > 0 { "," } else { "" });
                    out.push_str(ws);
                    item.write(style, out);
                }
                out.push_str(ws);
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    out.push_str(if i > 0 { "," } else { "" });
                    out.push_str(ws);
                    write_str(k, style, out);
                    out.push_str(ws);
                    out.push(':');
                    out.push_str(ws);
                    v.write(style, out);
                }
                out.push_str(ws);
                out.push('}');
            }
        }
    }

    fn render(&self, style: Style) -> String {
        let mut out = String::new();
        self.write(style, &mut out);
        out
    }

    fn to_value(&self) -> serde_json::Value {
        serde_json::from_str(&self.render(PLAIN)).expect("generated JSON")
    }

    fn members(&mut self) -> Option<&mut Vec<(String, J)>> {
        if let J::Obj(members) = self {
            Some(members)
        } else {
            None
        }
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut J> {
        self.members()?
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Objects with at least one member, in the tree below and including this value.
    fn object_count(&self) -> usize {
        match self {
            J::Obj(members) => {
                usize::from(!members.is_empty())
                    + members.iter().map(|(_, v)| v.object_count()).sum::<usize>()
            }
            J::Arr(items) => items.iter().map(J::object_count).sum(),
            _ => 0,
        }
    }

    /// Repeats the first key of the `n`-th such object (depth first); returns whether it did.
    fn duplicate_key(&mut self, n: &mut usize) -> bool {
        match self {
            J::Obj(members) if !members.is_empty() => {
                if *n == 0 {
                    let key = members[0].0.clone();
                    members.push((key, J::Null));
                    return true;
                }
                *n -= 1;
                members.iter_mut().any(|(_, v)| v.duplicate_key(n))
            }
            J::Arr(items) => items.iter_mut().any(|v| v.duplicate_key(n)),
            _ => false,
        }
    }
}

// ---- generators ----

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z ,.()]{0,40}",
        Just("masterpiece, best quality, a cat\non a mat".to_owned()),
        Just("café \u{1F600} \"quoted\" back\\slash".to_owned()),
        Just("sd_xl_base_1.0.safetensors".to_owned()),
        Just("C:\\models\\a.ckpt".to_owned()),
        Just("https://huggingface.co/org/repo/resolve/main/m.safetensors".to_owned()),
        Just("a photo of http://example.com".to_owned()),
        Just("data:image/png;base64,iVBORw0KGgo=".to_owned()),
    ]
}

fn literal() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(|n| J::Num(n.to_string())),
        (any::<i32>(), 0u32..1000, -300i32..290)
            .prop_map(|(m, f, e)| J::Num(format!("{m}.{f}e{e}"))),
        text().prop_map(J::Str),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(J::Arr),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..4).prop_map(|members| J::Obj(
                members
                    .into_iter()
                    .enumerate()
                    .map(|(i, (k, v))| (format!("{k}{i}"), v))
                    .collect()
            )),
        ]
    })
}

/// One node's template: class type, inputs (literals, or links by an index into earlier nodes).
type NodeTemplate = (
    String,
    Vec<(String, Result<J, (usize, u8)>)>,
    Option<String>,
);

fn node_template() -> impl Strategy<Value = NodeTemplate> {
    let input =
        prop_oneof![3 => literal().prop_map(Ok), 1 => (any::<usize>(), 0u8..4).prop_map(Err)];
    (
        prop_oneof![
            Just("KSampler".to_owned()),
            Just("CLIPTextEncode".to_owned()),
            "[A-Z][a-zA-Z]{2,20}",
            Just("Reroute (rgthree)".to_owned())
        ],
        prop::collection::vec(("[a-z_]{1,12}", input), 0..6),
        prop::option::of("[A-Za-z ]{1,20}"),
    )
}

/// A valid `prompt` of `nodes` nodes.
fn workflow(nodes: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = J> {
    prop::collection::vec(node_template(), nodes).prop_map(|templates| {
        let ids: Vec<String> = (0..templates.len())
            .map(|i| match i % 3 {
                0 => format!("{}", i + 1),
                1 => format!("{}:{}", i + 1, i % 7),
                _ => format!("{}_{}", i + 1, i * 3),
            })
            .collect();
        let nodes = templates
            .into_iter()
            .enumerate()
            .map(|(i, (class, inputs, title))| {
                let inputs = inputs
                    .into_iter()
                    .enumerate()
                    .map(|(k, (name, value))| {
                        let value = value.unwrap_or_else(|(to, output)| match i {
                            0 => J::Num(output.to_string()),
                            _ => J::Arr(vec![
                                J::Str(ids[to % i].clone()),
                                J::Num(output.to_string()),
                            ]),
                        });
                        (format!("{name}{k}"), value)
                    })
                    .collect();
                let mut node = vec![
                    ("class_type".to_owned(), J::Str(class)),
                    ("inputs".to_owned(), J::Obj(inputs)),
                ];
                if let Some(title) = title {
                    node.push((
                        "_meta".to_owned(),
                        J::Obj(vec![("title".to_owned(), J::Str(title))]),
                    ));
                }
                (ids[i].clone(), J::Obj(node))
            });
        J::Obj(nodes.collect())
    })
}

fn request(prompt: J) -> J {
    J::Obj(vec![
        ("prompt".to_owned(), prompt),
        ("idempotency_key".to_owned(), J::Str("k-1".to_owned())),
    ])
}

fn style() -> impl Strategy<Value = Style> {
    (0usize..5, 0usize..4).prop_map(|(space, escape_every)| Style {
        space,
        escape_every,
    })
}

fn code(body: &str) -> &'static str {
    validate(body.as_bytes()).map_or_else(|e| e.code(), |_| "ok")
}

// ---- faults ----

#[derive(Clone, Copy, Debug)]
enum Fault {
    DropClassType,
    NullInputs,
    HttpUrl,
    PrivateWebhook,
    DuplicateKey,
}

const FAULTS: [Fault; 5] = [
    Fault::DropClassType,
    Fault::NullInputs,
    Fault::HttpUrl,
    Fault::PrivateWebhook,
    Fault::DuplicateKey,
];

const PRIVATE_WEBHOOKS: &[&str] = &[
    "https://127.0.0.1/h",
    "https://2130706433/h",
    "https://0x7f.1/h",
    "https://0177.0.0.1/h",
    "https://127.1/h",
    "https://１２７.０.０.１/h",
    "https://127。0。0。1/h",
    "https://%31%32%37.0.0.1/h",
    "https://localhost./h",
    "https://a@169.254.169.254/h",
    "https://[::1]/h",
    "https://[::ffff:10.0.0.1]/h",
    "https://[64:ff9b::c0a8:1]/h",
    "https://[fd00::1]/h",
    "https://intranet/h",
    "https://db.internal/h",
    "https:\\\\10.1.2.3\\h",
    "https://192.168.1.1../h",
];

impl Fault {
    fn code(self) -> &'static str {
        match self {
            Fault::DropClassType => "missing_class_type",
            Fault::NullInputs => "missing_inputs",
            Fault::HttpUrl => "insecure_url",
            Fault::PrivateWebhook => "webhook_private_host",
            Fault::DuplicateKey => "invalid_json",
        }
    }

    /// Injects the fault into the request; `pick` chooses where.
    fn apply(self, request: &mut J, pick: usize) {
        fn node(request: &mut J, pick: usize) -> Option<&mut J> {
            let nodes = request.get_mut("prompt")?.members()?;
            let len = nodes.len();
            nodes.get_mut(pick % len.max(1)).map(|(_, v)| v)
        }
        match self {
            Fault::DropClassType => {
                if let Some(members) = node(request, pick).and_then(J::members) {
                    members.retain(|(k, _)| k != "class_type");
                }
            }
            Fault::NullInputs => {
                if let Some(inputs) = node(request, pick).and_then(|n| n.get_mut("inputs")) {
                    *inputs = J::Null;
                }
            }
            Fault::HttpUrl => {
                let mut value = J::Str("http://example.com/x.png".to_owned());
                for level in 0..pick % 4 {
                    value = if (pick >> level) & 1 == 0 {
                        J::Arr(vec![J::Null, value])
                    } else {
                        J::Obj(vec![("k".to_owned(), value)])
                    };
                }
                if let Some(inputs) = node(request, pick)
                    .and_then(|n| n.get_mut("inputs"))
                    .and_then(J::members)
                {
                    // A name the generator never makes ('-'), unique per injection.
                    let (at, name) = (
                        pick % (inputs.len() + 1),
                        format!("fault-url-{}", inputs.len()),
                    );
                    inputs.insert(at, (name, value));
                }
            }
            Fault::PrivateWebhook => {
                if let Some(members) = request.members() {
                    members.retain(|(k, _)| k != "webhook_url");
                    members.push((
                        "webhook_url".to_owned(),
                        J::Str(PRIVATE_WEBHOOKS[pick % PRIVATE_WEBHOOKS.len()].to_owned()),
                    ));
                }
            }
            Fault::DuplicateKey => {
                let mut n = pick % request.object_count().max(1);
                request.duplicate_key(&mut n);
            }
        }
    }
}

fn rank(code: &str) -> usize {
    cmfy_validate::ErrorCode::VALIDATION
        .iter()
        .position(|c| c.as_str() == code)
        .unwrap_or(usize::MAX)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn generated_workflows_are_accepted_and_round_trip(prompt in workflow(1..=40), style in style()) {
        let body = request(prompt.clone()).render(style);
        let accepted = validate(body.as_bytes());
        prop_assert!(accepted.is_ok(), "{:?}", accepted.err());
        let accepted = accepted.unwrap();
        let written: serde_json::Value = serde_json::from_str(&accepted.to_json()).expect("JSON");
        prop_assert_eq!(Some(accepted.len()), written.as_object().map(serde_json::Map::len));
        prop_assert!(!accepted.is_empty());
        prop_assert_eq!(written, prompt.to_value());
        prop_assert_eq!(accepted.idempotency_key(), Some("k-1"));
    }

    #[test]
    fn one_fault_gives_exactly_its_code(prompt in workflow(1..=30), fault in 0usize..5, pick in any::<usize>()) {
        let mut body = request(prompt);
        FAULTS[fault].apply(&mut body, pick);
        prop_assert_eq!(code(&body.render(PLAIN)), FAULTS[fault].code());
    }

    #[test]
    fn two_faults_give_the_higher_code(
        prompt in workflow(1..=30), first in 0usize..5, second in 0usize..5, picks in any::<(usize, usize)>()
    ) {
        let mut body = request(prompt);
        // The duplicate goes in last, so that the other fault cannot remove it again (dropping
        // class_type would also drop a duplicated class_type).
        let mut faults = [(FAULTS[first], picks.0), (FAULTS[second], picks.1)];
        faults.sort_by_key(|(fault, _)| matches!(fault, Fault::DuplicateKey));
        for (fault, pick) in faults {
            fault.apply(&mut body, pick);
        }
        let expected = [FAULTS[first].code(), FAULTS[second].code()].into_iter().min_by_key(|c| rank(c)).unwrap_or("ok");
        prop_assert_eq!(code(&body.render(PLAIN)), expected);
    }

    #[test]
    fn whitespace_and_escaping_never_matter(prompt in workflow(1..=20), fault in 0usize..6, pick in any::<usize>(), a in style(), b in style()) {
        let mut body = request(prompt);
        if let Some(fault) = FAULTS.get(fault) {
            fault.apply(&mut body, pick);
        }
        let (one, other) = (body.render(a), body.render(b));
        // Literals are kept as written, so the written prompts are compared as JSON.
        let result = |text: &str| {
            validate(text.as_bytes())
                .map(|w| serde_json::from_str::<serde_json::Value>(&w.to_json()).ok())
                .map_err(|e| (e.code(), e.pointer().to_owned()))
        };
        prop_assert_eq!(result(&one), result(&other));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn up_to_500_nodes_are_accepted_and_one_more_is_too_many(prompt in workflow(1..=500)) {
        let body = request(prompt.clone()).render(PLAIN);
        prop_assert!(validate(body.as_bytes()).is_ok());
        let mut grown = prompt;
        if let Some(nodes) = grown.members() {
            let len = nodes.len();
            for i in len..=500 {
                nodes.push((format!("extra{i}"), J::Obj(vec![("class_type".into(), J::Str("A".into())), ("inputs".into(), J::Obj(vec![]))])));
            }
        }
        prop_assert_eq!(code(&request(grown).render(PLAIN)), "too_many_nodes");
    }

    #[test]
    fn a_lower_limit_is_honoured(prompt in workflow(2..=60)) {
        let body = request(prompt.clone()).render(PLAIN);
        let len = prompt.clone().members().map_or(0, |m| m.len());
        let error = validate_with(body.as_bytes(), &Policy::default().with_max_nodes(len - 1)).unwrap_err();
        prop_assert_eq!(error.code(), "too_many_nodes");
        prop_assert_eq!(error.message(), format!("Workflow exceeds {} nodes", len - 1));
        prop_assert!(validate_with(body.as_bytes(), &Policy::default().with_max_nodes(len)).is_ok());
    }
}

/// A prompt of `nodes` nodes whose first `small` nodes carry `small_pad` bytes of text and the
/// rest `large_pad`, so that its first nodes misjudge its size either way; with a fault at one
/// node (0 none, 1 no class_type, 2 an http URL, 3 a duplicate id).
fn uneven_prompt(
    nodes: usize,
    small: usize,
    pads: (usize, usize),
    fault: usize,
    at: usize,
) -> String {
    let members: Vec<String> = (1..=nodes)
        .map(|i| {
            let pad = "a".repeat(if i <= small { pads.0 } else { pads.1 });
            let id = if fault == 3 && i == at && i > 1 {
                "1".to_owned()
            } else {
                i.to_string()
            };
            match fault {
                1 if i == at => format!(r#""{id}": {{"inputs": {{"p": "{pad}"}}}}"#),
                2 if i == at => format!(
                    r#""{id}": {{"class_type": "A", "inputs": {{"p": "{pad}", "u": "http://x"}}}}"#
                ),
                _ => format!(r#""{id}": {{"class_type": "A", "inputs": {{"p": "{pad}"}}}}"#),
            }
        })
        .collect();
    format!(r#"{{"prompt": {{{}}}}}"#, members.join(", "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// `validate` may count the nodes of a prompt that looks too large instead of judging them;
    /// `validate_all` never does. Their answers must agree whatever the nodes' sizes.
    #[test]
    fn counting_early_never_changes_the_answer(
        nodes in 33usize..=700,
        small in 0usize..=200,
        pads in (0usize..=40, 0usize..=3000),
        fault in 0usize..4,
        at in any::<usize>(),
    ) {
        let at = 1 + at % nodes;
        let body = uneven_prompt(nodes, small, pads, fault, at);
        let first = validate(body.as_bytes()).map(|w| w.len()).map_err(|e| (e.code(), e.pointer().to_owned()));
        let all = validate_all(body.as_bytes(), &Policy::default())
            .map(|w| w.len())
            .map_err(|errors| (errors[0].code(), errors[0].pointer().to_owned()));
        prop_assert_eq!(&first, &all);
        let expected = match (fault, nodes > 500) {
            (3, _) if at > 1 => "invalid_json",
            (_, true) => "too_many_nodes",
            (1, false) => "missing_class_type",
            (2, false) => "insecure_url",
            _ => "ok",
        };
        prop_assert_eq!(first.map_or_else(|(code, _)| code, |_| "ok"), expected);
    }
}

proptest! {
    /// The body's UTF-8 is judged as the standard library judges it, at the same byte: a prompt
    /// of several scripts, cut anywhere by stray bytes, in bodies on both sides of the 64 bytes
    /// where the check goes from one byte at a time to 32.
    #[test]
    fn utf8_is_judged_as_the_standard_library_judges_it(
        text in "[a-z é日本😀]{0,120}",
        stray in proptest::collection::vec(any::<u8>(), 0..3),
        at in any::<usize>(),
    ) {
        let mut value = text.into_bytes();
        let at = at % (value.len() + 1);
        value.splice(at..at, stray);
        let body = [
            &br#"{"prompt": {"1": {"class_type": "A", "inputs": {"text": ""#[..],
            &value,
            br#""}}}}"#,
        ]
        .concat();
        let error = validate(&body).err();
        let reason = error.as_ref().map(|e| e.details()["reason"].clone());
        match std::str::from_utf8(&body) {
            Err(e) => {
                prop_assert_eq!(error.as_ref().map(|e| e.code()), Some("invalid_json"));
                prop_assert_eq!(error.as_ref().map(|e| e.offset()), Some(e.valid_up_to()));
                prop_assert_eq!(reason, Some(serde_json::json!("invalid UTF-8")));
            }
            Ok(_) => prop_assert_ne!(reason, Some(serde_json::json!("invalid UTF-8"))),
        }
    }
}
