//! The URL parser is handed only the part of a workflow URL its verdict depends on (the scheme
//! and the authority, the user information cut to one letter, a long port's leading zeros
//! dropped): property tests that it judges that part as it judges the whole string, and that a
//! workflow URL's code is the one the whole string's parse gives.

use proptest::prelude::*;
use url::Url;

/// The pieces URL-like strings are built from: each list holds the shapes that move the
/// parser to another state, or that the cut must keep or drop.
const BLANKS: &[&str] = &["", " ", "\t", "\u{1}", "\n "];
const SCHEMES: &[&str] = &[
    "https", "HTTPS", "http", "s3", "file", "FILE", "wss", "ftp", "a+b",
];
const SEPARATORS: &[&str] = &[":", "://", ":/", ":\\\\", ":///", ":/\t/", "://\\", ":\\/"];
const USERS: &[&str] = &[
    "",
    "u@",
    "user:pass@",
    "a@b@",
    "@",
    ":@",
    "::@",
    "[@",
    "%40@",
    "a b@",
    "é@",
];
const HOSTS: &[&str] = &[
    "example.com",
    "8.8.8.8",
    "0x7f.1",
    "0000000000000127.1",
    "0X7F.1.",
    "4294967295",
    "256.1.1.1",
    "08",
    "0x",
    "[::1]",
    "[2001:db8::1]",
    "[::ffff:8.8.8.8]",
    "ex ample.com",
    "a_b~c.com",
    "xn--nxasmq6b.com",
    "é.com",
    "",
    "localhost",
    "EXAMPLE.com.",
    "1.2.3.4.5",
    "[::1",
    "a%41.com",
    "%41%5f.b%2E",
    "%38.8.8.%38",
    "a%2Fb",
    "%C3%A9.com",
    "xn--bcher-kva.example",
    "xn--wgv71a.xn--zca",
    "xn--11b2ezcw70k.in",
    "xn--ex-8tb.com",
    "xn--exa.com",
    "XN--zca.com",
    "C:",
    "a\\b",
    "a:b:c",
];
const PORTS: &[&str] = &[
    "",
    ":",
    ":443",
    ":0000000443",
    ":99999",
    ":0000000000",
    ":00000099999",
    ":x",
    ":44a",
    ":000000065536",
];
const RESTS: &[&str] = &[
    "", "/", "/a/../b", "?q", "#f", "\\x", "/ \u{1}", " ", "\t", "?é", "#/@:", "/a@b:c",
];

fn one_of(list: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(list)
}

/// A URL-like string (or nearly one), piece by piece, with a long path of dot segments now and
/// then, and a few arbitrary characters spliced in somewhere.
fn url_text() -> impl Strategy<Value = String> {
    let pieces = (
        one_of(BLANKS),
        one_of(SCHEMES),
        one_of(SEPARATORS),
        one_of(USERS),
        one_of(HOSTS),
        one_of(PORTS),
        one_of(RESTS),
        one_of(BLANKS),
    );
    let splice = (any::<prop::sample::Index>(), "[ -~\t\u{1}é]{0,3}");
    (pieces, 0..3usize, splice).prop_map(
        |((lead, scheme, separator, user, host, port, rest, trail), dots, (at, extra))| {
            let mut text = format!(
                "{lead}{scheme}{separator}{user}{host}{port}{rest}{}{trail}",
                "/..".repeat(dots * 20)
            );
            let at = at.index(text.len() + 1);
            if text.is_char_boundary(at) {
                text.insert_str(at, &extra);
            }
            text
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn the_parser_judges_the_part_as_it_judges_the_whole(text in url_text()) {
        let part = cmfy_validate::__judged_part(&text);
        match (Url::parse(&text), Url::parse(&part)) {
            (Ok(whole), Ok(cut)) => {
                prop_assert_eq!(whole.scheme(), cut.scheme(), "{:?} / {:?}", text, part);
                prop_assert_eq!(whole.host(), cut.host(), "{:?} / {:?}", text, part);
            }
            (Err(whole), Err(cut)) => prop_assert_eq!(whole, cut, "{:?} / {:?}", text, part),
            (whole, cut) => prop_assert!(false, "{:?}: {:?}, but {:?}: {:?}", text, whole, part, cut),
        }
    }

    #[test]
    fn a_workflow_url_gets_the_code_of_its_whole_parse(text in url_text()) {
        let body = serde_json::json!({"prompt": {"1": {"class_type": "A", "inputs": {"u": text}}}});
        let code = cmfy_validate::validate(body.to_string().as_bytes()).err().map(|e| e.code());
        if !cmfy_validate::is_url_like(&text) {
            prop_assert_eq!(code, None);
            return Ok(());
        }
        let expected = match Url::parse(&text) {
            Err(_) => Some("invalid_url"),
            Ok(url) if url.scheme() != "https" => Some("insecure_url"),
            // Which https hosts are private, or too long to be parsed, is tested elsewhere:
            // here only that the cut does not change the parser's answer.
            Ok(_) => return Ok(()),
        };
        // A host too long to be parsed is invalid_url whatever the parser would say.
        prop_assert!(code == expected || code == Some("invalid_url"), "{:?}: {:?}", text, code);
    }
}

#[test]
fn a_long_path_user_name_or_port_is_not_read_by_the_parser() {
    // The cut part is all the parser sees: its length does not grow with what follows the
    // authority, nor with the user information or a port's leading zeros.
    for tail in ["/..".repeat(5000), "?".to_owned() + &"é".repeat(5000)] {
        for head in [
            "https://8.8.8.8",
            "http://example.com",
            "s3://bucket",
            "file://",
        ] {
            let text = format!("{head}{tail}");
            assert!(
                cmfy_validate::__judged_part(&text).len() <= head.len() + 1,
                "{head}"
            );
        }
    }
    let user = format!("https://{}@8.8.8.8/", "a:".repeat(5000));
    assert_eq!(cmfy_validate::__judged_part(&user), "https://u@8.8.8.8/");
    let port = format!("https://8.8.8.8:{}443/", "0".repeat(5000));
    assert_eq!(cmfy_validate::__judged_part(&port), "https://8.8.8.8:443/");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn a_plain_authority_is_read_as_the_parser_reads_it(text in url_text()) {
        let Some((scheme, host, name)) = cmfy_validate::__plain_authority(&text) else {
            return Ok(());
        };
        let whole = Url::parse(&text);
        prop_assert!(whole.is_ok(), "{:?}: {:?}", text, whole);
        let whole = whole.map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(whole.scheme(), scheme, "{:?}", text);
        prop_assert_eq!(whole.host_str(), Some(host.as_str()), "{:?}", text);
        if let Some(name) = name {
            let again = url::Host::parse(&name).map(|host| host.to_string());
            prop_assert_eq!(again, Ok(name.to_ascii_lowercase()), "{:?}", text);
        }
    }
}

/// The code `validate` gives a body with `url` as a workflow input.
fn workflow_code(url: &str) -> Option<&'static str> {
    let body = serde_json::json!({"prompt": {"1": {"class_type": "A", "inputs": {"u": url}}}});
    cmfy_validate::validate(body.to_string().as_bytes())
        .err()
        .map(|e| e.code())
}

#[test]
fn hosts_past_the_bounds_are_refused_in_every_shape_the_parser_is_spared() {
    let label = "a".repeat(257);
    let many = "a.".repeat(600);
    for host in [
        format!("{label}.com"),
        format!("{many}com"),
        "0".repeat(300),
    ] {
        for url in [
            format!("https://{host}/"),
            format!("https://u:p@{host}:443/x"),
            format!("http://{host}./"),
            format!("s3://{host}/"),
            format!("https://{}/", host.replace('a', "%61")),
        ] {
            assert_eq!(workflow_code(&url), Some("invalid_url"), "{url}");
        }
    }
    // Within the bounds, the same shapes are judged by their scheme and host.
    let label = "a".repeat(256);
    assert_eq!(workflow_code(&format!("https://u@{label}.com:443/")), None);
    assert_eq!(
        workflow_code(&format!("http://{label}.com/")),
        Some("insecure_url")
    );
    assert_eq!(
        workflow_code(&format!("https://{}.1/", "0".repeat(250))),
        Some("insecure_url")
    );
}

/// Characters international labels are built from: letters that map to themselves, capitals
/// and compatibility forms that do not, marks in and out of order, joiners, right-to-left
/// letters, CJK and Hangul.
const LABEL_CHARS: &[char] = &[
    'a', 'b', '-', '1', 'é', 'ü', 'ß', 'ς', 'Ω', 'É', '\u{301}', '\u{323}', '\u{200D}', '\u{200C}',
    'क', '\u{94D}', 'ष', 'ا', 'ب', 'א', '日', '本', '한', '\u{1100}', '\u{1161}', 'ﬁ', '\u{a0}',
    'ｅ',
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// A host of punycode labels, as the parser writes any international label, is read as
    /// the parser reads it whenever it is read without it.
    #[test]
    fn punycode_labels_are_read_as_the_parser_reads_them(
        labels in proptest::collection::vec(proptest::collection::vec(proptest::sample::select(LABEL_CHARS), 1..12), 1..4),
    ) {
        let unicode: Vec<String> = labels.iter().map(|label| label.iter().collect()).collect();
        let Ok(url) = Url::parse(&format!("https://{}.com/", unicode.join("."))) else {
            return Ok(());
        };
        let Some(ascii) = url.host_str() else {
            return Ok(());
        };
        let upper = ascii.to_ascii_uppercase();
        for text in [format!("https://{ascii}/"), format!("http://u@{ascii}.:80/x"), format!("https://{upper}/")] {
            let Some((scheme, host, _)) = cmfy_validate::__plain_authority(&text) else {
                continue;
            };
            let whole = Url::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            prop_assert_eq!(whole.scheme(), scheme);
            prop_assert_eq!(whole.host_str(), Some(host.as_str()), "{}", text);
        }
        // Beside a label written in Unicode, right to left or not: the international fast path.
        for text in [format!("https://{upper}.é/"), format!("https://ب.{ascii}/"), format!("https://é.{ascii}/")] {
            let Some(host) = cmfy_validate::__fast_path_host(&text) else {
                continue;
            };
            let whole = Url::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            let host = host.to_ascii_lowercase();
            prop_assert_eq!(whole.host_str(), Some(host.as_str()), "{}", text);
        }
    }
}

#[test]
fn most_punycode_labels_of_mapped_characters_are_read_without_the_parser() {
    let mut taken = 0;
    let long = "é".repeat(120);
    let labels = [
        "bücher",
        "münchen",
        "日本",
        "ß",
        "ς",
        "한국",
        "क्\u{200D}ष",
        &long,
    ];
    for label in labels {
        let url = Url::parse(&format!("https://{label}.com/")).expect("a valid label");
        let ascii = url.host_str().expect("a host");
        let read = cmfy_validate::__plain_authority(&format!("https://{ascii}/"));
        if let Some((_, host, _)) = read {
            assert_eq!(host, ascii, "{label}");
            taken += 1;
        }
    }
    assert_eq!(taken, labels.len());
    // And what the parser refuses is not taken.
    for text in [
        "https://xn--ex-8tb.com/",
        "https://xn--a-wbb.com/",
        "https://xn--zz.com/",
    ] {
        assert!(Url::parse(text).is_err(), "{text}");
        assert_eq!(cmfy_validate::__plain_authority(text), None, "{text}");
    }
}
