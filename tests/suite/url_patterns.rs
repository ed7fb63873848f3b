//! Approved model sources: patterns parsed and matched against URLs written many ways, the
//! allowlist through `validate_with`, `Workflow::urls` against an independent scan of the
//! real workflows, and the credentials lookup's precedence.

use crate::common;

use cmfy_validate::{Policy, UrlPattern, UrlPatterns, validate, validate_with};
use proptest::prelude::*;
use url::Url;

#[track_caller]
fn pattern(text: &str) -> UrlPattern {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[track_caller]
fn url(text: &str) -> Url {
    Url::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn patterns_parse_to_their_normal_form() {
    for (text, normal) in [
        ("huggingface.co/*", "huggingface.co/*"),
        ("HuggingFace.CO/*", "huggingface.co/*"),
        ("https://huggingface.co/*", "huggingface.co/*"),
        ("huggingface.co", "huggingface.co"),
        ("huggingface.co.", "huggingface.co"),
        ("hf.co..", "hf.co"),
        ("*.hf.co/*", "*.hf.co/*"),
        ("*.HF.CO.", "*.hf.co"),
        ("civitai.com/api/download/*", "civitai.com/api/download/*"),
        (
            "civitai.com/api/./download/../download/*",
            "civitai.com/api/download/*",
        ),
        (
            "my-models.s3.us-east-1.amazonaws.com/*",
            "my-models.s3.us-east-1.amazonaws.com/*",
        ),
        ("bücher.example/*", "xn--bcher-kva.example/*"),
        ("*.ｂüｃher.example", "*.xn--bcher-kva.example"),
        ("example.com:8443/a", "example.com/a"),
        ("10.0.0.1/*", "10.0.0.1/*"),
        ("0x0a.1/*", "10.0.0.1/*"),
        ("[2001:DB8::1]:443/m", "[2001:db8::1]/m"),
        ("example.com/a b", "example.com/a%20b"),
        ("example.com/", "example.com/"),
        ("  example.com/x  ", "example.com/x"),
    ] {
        let parsed = pattern(text);
        assert_eq!(parsed.to_string(), normal, "{text}");
        assert_eq!(pattern(normal), parsed, "{normal} parses back");
    }
    for bad in [
        "",
        "*",
        "*.",
        "*.*.co",
        "a.*.co",
        "*hf.co",
        "hf*.co",
        "http://hf.co/*",
        "ftp://hf.co",
        "hf.co?x=1",
        "hf.co/#f",
        "user@hf.co",
        "exa mple.com",
        "hf.co/*/x",
        "hf.co/a*b*",
        "*.10.0.0.1",
        "[::1",
        "/path/only",
        "https://",
        "a%2A.example",
        "*.a%2Ab.example",
    ] {
        assert!(
            bad.parse::<UrlPattern>().is_err(),
            "{bad:?} should not parse"
        );
    }
    let error = "ftp://hf.co".parse::<UrlPattern>().unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("invalid URL pattern 'ftp://hf.co': "),
        "{error}"
    );
}

#[test]
fn matching_judges_the_parsed_url() {
    let hf = pattern("huggingface.co/*");
    let under = pattern("*.hf.co/*");
    let civitai = pattern("civitai.com/api/download/*");
    let exact = pattern("example.com/models/a.safetensors");
    let ip = pattern("10.0.0.1/*");
    let rows: &[(&UrlPattern, &str, bool)] = &[
        (
            &hf,
            "https://huggingface.co/org/m/resolve/main/a.safetensors",
            true,
        ),
        (&hf, "https://HUGGINGFACE.CO/x", true),
        (&hf, "https://huggingface.co./x", true),
        (
            &hf,
            "https://huggingface.co:8443/x?download=true#frag",
            true,
        ),
        (&hf, "https://user:pass@huggingface.co/x", true),
        (&hf, "https://ｈｕｇｇｉｎｇｆａｃｅ.co/x", true),
        (&hf, "https://huggingface.co", true),
        (&hf, "http://huggingface.co/x", true),
        (&hf, "https://huggingface.co.evil.example/x", false),
        (&hf, "https://cdn.huggingface.co/x", false),
        (&hf, "https://huggingfacexco/x", false),
        (&under, "https://cdn-lfs.hf.co/repos/x", true),
        (&under, "https://a.b.hf.co/x", true),
        (&under, "https://hf.co/x", false),
        (&under, "https://xhf.co/x", false),
        (&under, "https://cdn.hf.co.evil.example/x", false),
        (
            &civitai,
            "https://civitai.com/api/download/models/1?type=Model",
            true,
        ),
        (
            &civitai,
            "https://civitai.com/api/x/../download/models/1",
            true,
        ),
        (&civitai, "https://civitai.com/api/download", false),
        (&civitai, "https://civitai.com/api/downloads/1", false),
        (&civitai, "https://civitai.com/api/download/../../x", false),
        (&civitai, "https://civitai.com/%61pi/download/1", false),
        (&exact, "https://example.com/models/a.safetensors", true),
        (&exact, "https://example.com/models/./a.safetensors", true),
        (&exact, "https://example.com/models/a.safetensors/", false),
        (&exact, "https://example.com/models/A.safetensors", false),
        (&ip, "https://10.0.0.1/x", true),
        (&ip, "https://0x0a.0.0.1/x", true),
        (&ip, "https://167772161/x", true),
        (&ip, "https://10.0.0.1./x", true),
        (&ip, "https://[::ffff:10.0.0.1]/x", false),
        (&ip, "https://10.0.0.2/x", false),
    ];
    for (pattern, text, expected) in rows {
        assert_eq!(pattern.matches(&url(text)), *expected, "{pattern} ~ {text}");
    }
    assert!(!hf.matches(&url("file:///etc/passwd")));
    assert!(
        hf.matches(&url("s3://huggingface.co/x")),
        "the scheme is not compared"
    );
}

fn request(url: &str) -> String {
    let literal = serde_json::Value::String(url.to_owned());
    format!(
        r#"{{"prompt": {{"1": {{"class_type": "CheckpointLoaderSimple", "inputs": {{"ckpt_name": {literal}}}}}}}, "webhook_url": "https://hooks.example.com/x"}}"#
    )
}

fn reason(body: &str, policy: &Policy) -> String {
    match validate_with(body.as_bytes(), policy) {
        Ok(_) => "ok".to_owned(),
        Err(e) => format!(
            "{} {}",
            e.code(),
            e.details()
                .get("reason")
                .and_then(|r| r.as_str())
                .unwrap_or("")
        ),
    }
}

#[test]
fn the_allowlist_in_every_spelling_after_the_privacy_rules() {
    let policy =
        Policy::default().with_model_sources([pattern("huggingface.co/*"), pattern("*.hf.co/*")]);
    for (text, expected) in [
        (
            "https://huggingface.co/org/m/resolve/main/a.safetensors",
            "ok",
        ),
        ("https://HuggingFace.co./org/m", "ok"),
        ("https://%68uggingface.co/org/m", "ok"),
        ("  https://huggingface.co/m  ", "ok"),
        ("https://cdn-lfs.hf.co/x", "ok"),
        ("https://hf.co/x", "insecure_url source not allowed"),
        (
            "https://civitai.com/api/download/1",
            "insecure_url source not allowed",
        ),
        (
            "https://huggingface.co.evil.example/x",
            "insecure_url source not allowed",
        ),
        ("https://127.0.0.1/x", "insecure_url private host"),
        (
            "https://localhost/huggingface.co/x",
            "insecure_url private host",
        ),
        (
            "http://huggingface.co/x",
            "insecure_url scheme 'http' is not https",
        ),
        (
            "https://exa mple.com/",
            "invalid_url invalid international domain name",
        ),
    ] {
        let got = reason(&request(text), &policy);
        assert!(got.starts_with(expected), "{text}: {got}");
    }
    // The webhook is not affected; with no list, nothing changes.
    assert_eq!(reason(&request("https://huggingface.co/x"), &policy), "ok");
    assert_eq!(
        reason(&request("https://civitai.com/x"), &Policy::default()),
        "ok"
    );
    // An empty list allows nothing.
    let none = Policy::default().with_model_sources([]);
    assert_eq!(
        reason(&request("https://huggingface.co/x"), &none),
        "insecure_url source not allowed"
    );
}

#[test]
fn credentials_go_to_the_most_specific_pattern() {
    let mut tokens = UrlPatterns::new();
    tokens.insert(pattern("*.hf.co"), "wild");
    tokens.insert(pattern("*.cdn.hf.co/*"), "wild-cdn");
    tokens.insert(pattern("x.cdn.hf.co"), "exact");
    tokens.insert(pattern("huggingface.co"), "host");
    tokens.insert(pattern("huggingface.co/*"), "any-path");
    tokens.insert(pattern("huggingface.co/org/*"), "org");
    tokens.insert(pattern("huggingface.co/org/m"), "exact-path");
    tokens.insert(pattern("huggingface.co/org/m*"), "prefix-same-length");
    tokens.insert(pattern("huggingface.co/*"), "later-duplicate");
    for (text, expected) in [
        ("https://a.hf.co/x", Some("wild")),
        ("https://a.cdn.hf.co/x", Some("wild-cdn")),
        ("https://x.cdn.hf.co/x", Some("exact")),
        ("https://huggingface.co/", Some("any-path")),
        ("https://huggingface.co/other", Some("any-path")),
        ("https://huggingface.co/org/x", Some("org")),
        ("https://huggingface.co/org/m", Some("exact-path")),
        ("https://huggingface.co/org/mm", Some("prefix-same-length")),
        ("https://civitai.com/", None),
    ] {
        assert_eq!(tokens.get(&url(text)).copied(), expected, "{text}");
    }
    assert_eq!(tokens.len(), 9);
}

/// An independent count of the URL-like strings in a workflow: every string anywhere in a
/// node's inputs, judged by the contract's rule written out plainly.
fn count_urls(workflow: &serde_json::Value) -> usize {
    fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(members) => members.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    fn url_like(text: &str) -> bool {
        let removed: String = text
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        let trimmed = removed.trim_start_matches(|c: char| c <= ' ');
        let Some((scheme, rest)) = trimmed.split_once(':') else {
            return false;
        };
        let valid = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        valid
            && (["http", "https", "ftp", "file", "ws", "wss"]
                .contains(&scheme.to_ascii_lowercase().as_str())
                || rest.starts_with("//"))
    }
    let mut all = Vec::new();
    for node in workflow.as_object().into_iter().flat_map(|o| o.values()) {
        if let Some(inputs) = node.get("inputs") {
            strings(inputs, &mut all);
        }
    }
    all.iter().filter(|s| url_like(s)).count()
}

#[test]
fn urls_of_every_corpus_workflow_match_an_independent_scan() {
    let Some(shared) = common::shared_dir("the URL corpus") else {
        return;
    };
    let mut total = 0;
    for path in common::corpus_files(&shared, "api") {
        let file = std::fs::read(&path).expect("readable");
        let body = common::wrap_prompt(&file);
        let workflow = validate(&body).expect("the corpus is valid");
        let original: serde_json::Value = serde_json::from_slice(&file).expect("JSON");
        let found: Vec<_> = workflow.urls().collect();
        assert_eq!(found.len(), count_urls(&original), "{}", path.display());
        for model_url in &found {
            let node = original.get(model_url.node_id()).expect("the node");
            assert_eq!(node["class_type"], model_url.class_type());
            assert!(model_url.pointer().starts_with(&format!(
                "/prompt/{}/inputs/",
                model_url.node_id().replace('~', "~0").replace('/', "~1")
            )));
            assert_eq!(model_url.url().scheme(), "https");
        }
        total += found.len();
    }
    assert!(total > 0, "the corpus has model URLs");
}

proptest! {
    /// `matches` agrees with an oracle over the parsed URL: host equal (or under the suffix),
    /// path equal (or starting with the prefix).
    #[test]
    fn matches_agrees_with_a_simple_oracle(
        host in prop::sample::select(vec!["hf.co", "cdn.hf.co", "a.b.hf.co", "huggingface.co", "xhf.co", "hf.com"]),
        pattern_host in prop::sample::select(vec!["hf.co", "*.hf.co", "huggingface.co", "*.b.hf.co"]),
        path in "(/[a-c]{0,2}){0,3}",
        pattern_path in prop::option::of("(/[a-c]{0,2}){0,2}\\*?"),
        upper in any::<bool>(),
        dot in any::<bool>(),
    ) {
        let written = format!("https://{}{}{}", if upper { host.to_uppercase() } else { host.to_owned() }, if dot { "." } else { "" }, path);
        let url = Url::parse(&written).expect("a URL");
        let text = format!("{pattern_host}{}", pattern_path.clone().unwrap_or_default());
        let Ok(pattern) = text.parse::<UrlPattern>() else { return Ok(()) };
        let name = url.host_str().unwrap_or_default().trim_end_matches('.');
        let host_ok = match pattern_host.strip_prefix("*.") {
            Some(suffix) => name.ends_with(&format!(".{suffix}")),
            None => name == pattern_host,
        };
        let path_ok = match pattern_path.as_deref() {
            None | Some("") => true,
            Some(p) => match p.strip_suffix('*') {
                Some("") => true,
                Some(prefix) => url.path().starts_with(Url::parse(&format!("https://x{prefix}")).expect("a URL").path()),
                None => url.path() == Url::parse(&format!("https://x{p}")).expect("a URL").path(),
            },
        };
        prop_assert_eq!(pattern.matches(&url), host_ok && path_ok, "{} ~ {}", text, written);
    }
}

#[test]
fn a_wildcard_takes_whole_labels_and_a_pattern_text_only_one_scheme() {
    let under = pattern("*.hf.co");
    for (text, expected) in [
        ("https://ab.hf.co/x", true),
        ("https://abhf.co/x", false),
        ("https://a-hf.co/x", false),
        ("https://.hf.co/x", false),
    ] {
        assert_eq!(under.matches(&url(text)), expected, "{text}");
    }
    // "://" after a path's first slash is path, not a scheme.
    let nested = pattern("example.com/go/https://x");
    assert!(nested.matches(&url("https://example.com/go/https://x")));
    assert!(!nested.matches(&url("https://x/")));
    // What follows the last colon is a port only if it is digits.
    for bad in ["example.com:abc", "example.com:8a/x", "hf.co:-1"] {
        assert!(
            bad.parse::<UrlPattern>().is_err(),
            "{bad:?} should not parse"
        );
    }
    assert_eq!(pattern("example.com:8443/x").to_string(), "example.com/x");
}

#[test]
fn a_pattern_table_lists_what_was_added_in_order() {
    let mut tokens = UrlPatterns::new();
    assert!(tokens.is_empty());
    assert_eq!(tokens.iter().count(), 0);
    tokens.insert(pattern("hf.co/*"), 1);
    tokens.insert(pattern("*.hf.co"), 2);
    assert!(!tokens.is_empty());
    assert_eq!(tokens.len(), 2);
    let listed: Vec<(String, i32)> = tokens.iter().map(|(p, v)| (p.to_string(), *v)).collect();
    assert_eq!(
        listed,
        [("hf.co/*".to_owned(), 1), ("*.hf.co".to_owned(), 2)]
    );
    let collected: UrlPatterns<i32> = tokens.iter().map(|(p, v)| (p.clone(), *v)).collect();
    assert_eq!(collected, tokens);
}
