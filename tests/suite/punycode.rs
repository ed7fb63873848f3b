//! The punycode decoder of the URL fast path against the `idna` crate's, which the URL parser
//! uses: the same label or the same refusal for any string, the characters it inserted found
//! alike by its scan that does not put them in order, and the hosts of every shape of label the
//! fast path takes (a run of one character, characters inserted before the ASCII ones, in
//! reverse order, a mark) read as the parser reads them.

use proptest::prelude::*;
use url::Url;

/// The label `encoded` decodes to, as `idna` decodes it, after checking this crate's scan and
/// decoding agree with each other.
fn decoded(encoded: &str) -> Result<Option<Vec<char>>, TestCaseError> {
    let (decoded, scanned) = cmfy_validate::__punycode_decode(encoded.as_bytes());
    let expected = idna::punycode::decode(encoded);
    prop_assert_eq!(
        decoded.as_ref().map(|(label, _)| label),
        expected.as_ref(),
        "{:?}",
        encoded
    );
    // The scan finds the same characters, and the label's first.
    prop_assert_eq!(
        decoded
            .as_ref()
            .map(|(label, inserted)| (inserted, label.first().copied())),
        scanned.as_ref().map(|(inserted, first)| (inserted, *first)),
        "{:?}",
        encoded
    );
    if let Some((label, inserted)) = &decoded {
        // Every character that is not ASCII, each once, smallest first.
        let mut distinct: Vec<char> = label.iter().copied().filter(|c| !c.is_ascii()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        prop_assert_eq!(inserted, &distinct, "{:?}", encoded);
    }
    Ok(expected)
}

/// Characters of every length of UTF-8 and of the blocks the fast path tells apart, marks and
/// jamo among them, and ASCII.
const CHARS: &[char] = &[
    'a',
    'z',
    '0',
    '-',
    'é',
    'è',
    'ê',
    'ß',
    'σ',
    'ж',
    'क',
    '\u{94D}',
    '\u{301}',
    '\u{300}',
    'ا',
    'א',
    '日',
    '本',
    '語',
    '한',
    '\u{1100}',
    '\u{1161}',
    '\u{20000}',
    '\u{10FFFF}',
    '\u{80}',
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Any string of punycode digits, delimiters and a few bytes that are none decodes as
    /// `idna` decodes it, or is refused as `idna` refuses it.
    #[test]
    fn any_string_decodes_as_idna_decodes_it(
        encoded in "[a-z0-9A-Z-]{0,40}|[a-z0-9]{0,300}|[a-c9-]{0,12}[a-z0-9_.é]{0,4}",
    ) {
        decoded(&encoded)?;
    }

    /// The punycode of any label, long ones included, decodes back to it.
    #[test]
    fn every_label_encoded_decodes_back(
        label in proptest::collection::vec(proptest::sample::select(CHARS), 0..250),
        runs in proptest::collection::vec(1usize..40, 0..6),
    ) {
        // Runs of one character are the commonest numbers: one digit each.
        let mut label = label;
        for (at, run) in runs.into_iter().enumerate() {
            let c = CHARS[at * 7 % CHARS.len()];
            label.extend(std::iter::repeat_n(c, run));
        }
        let text: String = label.iter().collect();
        let Some(encoded) = idna::punycode::encode_str(&text) else {
            return Ok(());
        };
        prop_assert_eq!(decoded(&encoded)?, Some(label), "{:?}", encoded);
    }
}

/// Labels of the shapes that cost a decoder most: inserted at the front of the label (so each
/// insertion moves what stands after it), in the reverse of their code points, interleaved with
/// ASCII, in runs, and numbers of many digits.
fn hostile_labels() -> Vec<String> {
    let cjk = |from: u32, count: u32| -> String {
        (0..count)
            .filter_map(|k| char::from_u32(from + k))
            .collect()
    };
    vec![
        "é".repeat(120),
        "éè".repeat(60),
        "éèê".repeat(40),
        format!("{}{}", "é".repeat(120), "a".repeat(120)),
        format!("{}{}", "é".repeat(60), "a".repeat(180)),
        "aé".repeat(100),
        cjk(0x4E00, 100),
        cjk(0x4E00, 100).chars().rev().collect(),
        format!("{}\u{301}", "é".repeat(119)),
        format!("{}\u{301}", "e".repeat(150)),
        format!("a{}", cjk(0x20000, 40)),
        // Accents after letters they do not compose with, a different letter each time.
        (0xE8..0xEC)
            .chain(0x101..0x130)
            .filter_map(char::from_u32)
            .filter(|c| !"êĉĝĥĵ".contains(*c) && c.is_lowercase())
            .flat_map(|c| [c, '\u{301}'])
            .collect(),
        // Right to left: Arabic letters.
        cjk(0x628, 20).repeat(3),
    ]
}

#[test]
fn hostile_labels_decode_as_idna_decodes_them() {
    for label in hostile_labels() {
        let encoded = idna::punycode::encode_str(&label).expect("a label of a few hundred bytes");
        let chars: Vec<char> = label.chars().collect();
        assert_eq!(decoded(&encoded).ok(), Some(Some(chars)), "{encoded}");
    }
}

/// Every hostile label the parser takes in a host is read without the parser, as the parser
/// reads it: the shapes a body can repeat cost the fast path, not the parser's decoding.
#[test]
fn hosts_of_hostile_labels_are_read_without_the_parser() {
    for label in hostile_labels() {
        let url = Url::parse(&format!("https://h.{label}/")).expect("a valid host");
        let ascii = url.host_str().expect("a host");
        // As the parser writes it, in capitals, and beside a label written in Unicode.
        for text in [
            format!("https://{ascii}/"),
            format!("https://{}/", ascii.to_ascii_uppercase()),
        ] {
            let read = cmfy_validate::__plain_authority(&text);
            let host = read.map(|(_, host, _)| host);
            assert_eq!(host.as_deref(), Some(ascii), "{label}");
        }
        let text = format!("https://{ascii}.é/");
        let beside = cmfy_validate::__fast_path_host(&text);
        let expected = Url::parse(&text).expect("a valid host");
        assert_eq!(beside.as_deref(), expected.host_str(), "{label}");
    }
}

/// Letters and the marks that may compose with them: ASCII letters and digits, precomposed
/// letters (which decompose into a letter and a mark of one class or another, some into a
/// letter that decomposes again), letters that compose with nothing, and joining marks of
/// four classes.
const LETTERS_AND_MARKS: &[char] = &[
    'a', 'e', 'z', '7', 'é', 'è', 'ê', 'ā', 'ą', 'ọ', 'ð', 'ł', 'œ', 'ж', '日', 'ἄ', 'ǖ', 'ệ', 'ὠ',
    '\u{301}', '\u{300}', '\u{308}', '\u{323}', '\u{327}', '\u{31B}', '\u{345}',
];

/// Where the marks of [`LETTERS_AND_MARKS`] start.
const FIRST_MARK: usize = 19;
const _: () = assert!(LETTERS_AND_MARKS[FIRST_MARK] == '\u{301}', "the first mark");

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// A label of letters and marks written in punycode as it is, in NFC or not (a mark after
    /// a letter it composes with, marks out of order, a mark first), is read without the
    /// parser only as the parser reads it: the same host, or none.
    #[test]
    fn punycode_of_letters_and_marks_is_read_as_the_parser_reads_it(
        label in proptest::collection::vec(proptest::sample::select(LETTERS_AND_MARKS), 1..40),
        mark in proptest::sample::select(&LETTERS_AND_MARKS[FIRST_MARK..]),
        every in 1usize..4,
    ) {
        // And the label with one mark after every few of its letters, the commonest shape.
        let marked: String = label
            .iter()
            .enumerate()
            .flat_map(|(at, &c)| [Some(c), (at % every == 0).then_some(mark)])
            .flatten()
            .collect();
        for text in [label.iter().collect(), marked] {
            let Some(encoded) = idna::punycode::encode_str(&text) else {
                continue;
            };
            let url = format!("https://h.xn--{encoded}/");
            let Some((_, host, _)) = cmfy_validate::__plain_authority(&url) else {
                continue;
            };
            let parsed = Url::parse(&url).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
            prop_assert_eq!(parsed.host_str(), Some(host.as_str()), "{:?}", text);
        }
    }
}

/// Labels of one mark after letters it keeps beside, each letter different, are read without
/// the parser; the same with one letter the mark composes with, anywhere, are left to it.
#[test]
fn one_mark_after_different_letters_is_read_without_the_parser() {
    let letters: Vec<char> = "àáãäèéëìíîðñòóöùúûýþÿāąćċčďđėęěğġģħĩīįıķĺļľłńņňŋőœŕŗřśşšţťŧūůűųŵŷźżž"
        .chars()
        .collect();
    let accented =
        |label: &[char]| -> String { label.iter().flat_map(|&c| [c, '\u{301}']).collect() };
    let mut with_a = letters.clone();
    with_a.insert(letters.len() / 2, 'a');
    for (label, taken) in [
        (accented(&letters), true),
        (
            format!("{}{}", "ọ".repeat(5), accented(&letters[..9])),
            true,
        ),
        (accented(&with_a), false),
        // A letter the mark would compose with, never before it: the label in order decides.
        (format!("a{}", accented(&letters[..9])), true),
        (format!("\u{301}{}", accented(&letters)), false),
        (format!("{}\u{301}\u{301}", accented(&letters[..9])), true),
    ] {
        let encoded = idna::punycode::encode_str(&label).expect("a short label");
        let url = format!("https://h.xn--{encoded}/");
        let read = cmfy_validate::__plain_authority(&url).map(|(_, host, _)| host);
        let parsed = Url::parse(&url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned));
        assert_eq!(read.is_some(), taken, "{label:?}");
        if taken {
            assert_eq!(read, parsed, "{label:?}");
        } else {
            // The parser changes the label or refuses it.
            assert_ne!(parsed.as_deref(), Some(&url[8..url.len() - 1]), "{label:?}");
        }
    }
}
