//! The table of international characters that the URL fast path maps itself
//! (`src/urls/international/table.rs`), made again from the Unicode data the `url` crate's IDNA
//! runs on (ICU4X's UTS #46 mapper and character properties) and held to the file, then every
//! character in it held to the URL parser.
//!
//! To write the table again (after an update of `icu_normalizer` or `icu_properties`):
//! `CMFY_WRITE_IDNA_TABLE=1 cargo test --all-features international_table`.

use std::collections::HashSet;
use std::fmt::Write;

use icu_normalizer::properties::{
    CanonicalCombiningClassMapBorrowed, CanonicalDecompositionBorrowed, Decomposed,
};
use icu_normalizer::uts46::Uts46MapperBorrowed;
use icu_properties::CodePointMapData;
use icu_properties::props::{BidiClass, GeneralCategory};

const TABLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/src/urls/international/table.rs"
);

/// What the table says of one character.
#[derive(Clone, Debug, PartialEq)]
enum Rule {
    Outside,
    Same,
    Shift(i64),
    Pairs,
    Text(String),
}

/// The Unicode facts the table is made from.
struct Data {
    mapper: Uts46MapperBorrowed<'static>,
    combining: CanonicalCombiningClassMapBorrowed<'static>,
    category: icu_properties::CodePointMapDataBorrowed<'static, GeneralCategory>,
    bidi: icu_properties::CodePointMapDataBorrowed<'static, BidiClass>,
    /// Every character that is the second of a canonical decomposition in two: those a
    /// composition can join to the character before them.
    seconds: HashSet<char>,
}

impl Data {
    fn new() -> Self {
        let decomposition = CanonicalDecompositionBorrowed::new();
        let seconds = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter_map(|c| match decomposition.decompose(c) {
                Decomposed::Expansion(_, second) => Some(second),
                _ => None,
            })
            .collect();
        Data {
            mapper: Uts46MapperBorrowed::new(),
            combining: CanonicalCombiningClassMapBorrowed::new(),
            category: CodePointMapData::<GeneralCategory>::new(),
            bidi: CodePointMapData::<BidiClass>::new(),
            seconds,
        }
    }

    /// UTS #46's mapping of `c`, normalized (U+FFFD for a disallowed character).
    fn mapped(&self, c: char) -> String {
        self.mapper.map_normalize(std::iter::once(c)).collect()
    }

    /// Whether a character of a mapping can stand next to any other such character with no
    /// effect on either: no composition, reordering or validity rule looks at its neighbours.
    fn stands_alone(&self, c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        }
        self.mapped(c) == c.to_string()
            && self.combining.get_u8(c) == 0
            && !matches!(
                self.category.get(c),
                GeneralCategory::NonspacingMark
                    | GeneralCategory::SpacingMark
                    | GeneralCategory::EnclosingMark
            )
            && !matches!(
                self.bidi.get(c),
                BidiClass::RightToLeft | BidiClass::ArabicLetter | BidiClass::ArabicNumber
            )
            && !matches!(c, '\u{200C}' | '\u{200D}')
            && !self.seconds.contains(&c)
    }

    fn rule(&self, c: char) -> Rule {
        let mapped = self.mapped(c);
        // A disallowed character maps to U+FFFD, which maps to itself.
        if mapped.is_empty()
            || mapped.contains('\u{FFFD}')
            || !mapped.chars().all(|m| self.stands_alone(m))
        {
            return Rule::Outside;
        }
        let mut chars = mapped.chars();
        match (chars.next(), chars.next()) {
            (Some(m), None) if m == c => Rule::Same,
            (Some(m), None) => Rule::Shift(i64::from(u32::from(m)) - i64::from(u32::from(c))),
            _ => Rule::Text(mapped),
        }
    }
}

/// The table's entries: runs of characters under one rule, from U+0080 to the last character.
fn entries(data: &Data) -> Vec<(u32, Rule)> {
    let mut entries: Vec<(u32, Rule)> = Vec::new();
    for code in 0x80..=0x10FFFF {
        let rule = char::from_u32(code).map_or(Rule::Outside, |c| data.rule(c));
        if let Some((first, last)) = entries.last_mut() {
            let extends = match (&*last, &rule) {
                (Rule::Pairs, _) => {
                    let even = (code - *first) % 2 == 0;
                    rule == if even { Rule::Shift(1) } else { Rule::Same }
                }
                (Rule::Shift(1), Rule::Same) if *first + 1 == code => {
                    *last = Rule::Pairs;
                    true
                }
                (Rule::Text(_), _) => false,
                (last, rule) => last == rule,
            };
            if extends {
                continue;
            }
        }
        entries.push((code, rule));
    }
    entries
}

/// The table's source text.
fn render(entries: &[(u32, Rule)]) -> String {
    let mut texts = String::new();
    let mut rows = String::new();
    for (i, (first, rule)) in entries.iter().enumerate() {
        let rule = match rule {
            Rule::Outside => "Outside".to_owned(),
            Rule::Same => "Same".to_owned(),
            Rule::Shift(by) => format!("Shift({by})"),
            Rule::Pairs => "Pairs".to_owned(),
            Rule::Text(text) => {
                let start = texts.len();
                texts.push_str(text);
                format!("Text({start}, {})", text.len())
            }
        };
        let sep = if i % 4 == 0 { "\n   " } else { "" };
        let _ = write!(rows, "{sep} ({first:#x}, {rule}),");
    }
    let chunks: Vec<String> = texts
        .chars()
        .collect::<Vec<_>>()
        .chunks(32)
        .map(|chunk| format!("    {:?},", chunk.iter().collect::<String>()))
        .collect();
    format!(
        "//! Generated by `tests/suite/international_table.rs` from ICU4X's UTS #46 data: do not edit.\n\
         //! Written again by `CMFY_WRITE_IDNA_TABLE=1 cargo test --all-features international_table`.\n\
         \n\
         use super::mapping::Rule::{{self, Outside, Pairs, Same, Shift, Text}};\n\
         \n\
         /// The first character of each run of characters under one rule, and the rule, in order.\n\
         #[rustfmt::skip]\n\
         pub(super) static ENTRIES: [(u32, Rule); {}] = [{rows}\n];\n\
         \n\
         /// The mappings of more than one character, one after the other.\n\
         #[rustfmt::skip]\n\
         pub(super) static TEXTS: &str = concat!(\n{}\n);\n",
        entries.len(),
        chunks.join("\n"),
    )
}

#[test]
fn the_table_is_the_one_the_unicode_data_gives() {
    let data = Data::new();
    let entries = entries(&data);
    // A label of at most 256 bytes as written maps to at most 768 characters, under the 1,000
    // past which IDNA refuses a label: no mapping gives more than 3 characters a byte.
    for (first, rule) in &entries {
        if let (Rule::Text(text), Some(c)) = (rule, char::from_u32(*first)) {
            assert!(
                text.chars().count() <= 3 * c.len_utf8(),
                "{c:?} maps to {text:?}"
            );
        }
    }
    let expected = render(&entries);
    let written = std::fs::read_to_string(TABLE).unwrap_or_default();
    if expected != written {
        if std::env::var_os("CMFY_WRITE_IDNA_TABLE").is_some() {
            std::fs::write(TABLE, &expected).expect("the table is written");
        } else {
            panic!(
                "{TABLE} is not what the Unicode data gives; write it again with \
                 CMFY_WRITE_IDNA_TABLE=1 cargo test --all-features international_table"
            );
        }
    }
}

/// Every character the table takes, in a label of its own and twice inside one, is taken and
/// gives the host the URL parser gives; every character it leaves out is left to the parser.
#[test]
fn every_character_of_the_table_gives_the_parser_s_host() {
    let data = Data::new();
    let mut taken = 0;
    for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
        let in_table = data.rule(c) != Rule::Outside;
        for text in [
            format!("https://{c}.example/m"),
            format!("https://a{c}{c}b.Example"),
        ] {
            let fast = cmfy_validate::__fast_path_host(&text);
            if !in_table {
                assert_eq!(fast, None, "{c:?} is outside the table but was taken");
                continue;
            }
            let parsed = url::Url::parse(&text).ok();
            let parsed = parsed.as_ref().and_then(url::Url::host_str);
            assert_eq!(fast.as_deref(), parsed, "{text:?}");
            taken += 1;
        }
    }
    assert!(taken > 250_000, "only {taken} hosts taken");
}

/// Pieces of international hosts: ASCII of both cases, characters of the table (mapped to
/// themselves, shifted, in pairs, to text, to ASCII) and characters it leaves to the parser
/// (marks, joiners, right-to-left letters, full stops, a percent sign, the fullwidth letters of
/// `xn--`).
fn host_piece() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        4 => "[a-zA-Z0-9-]{1,3}",
        4 => "[äöüßéÄÖÜÉŁłĀāΣσςАяЁ日本語한국ひカ]{1,4}",
        2 => "[ᾈᾯﬃ㎏①ＡＸｎ－ǅ𝐀ẞİ]{1,2}",
        1 => "[\u{301}\u{200D}\u{200C}אب\u{3002}\u{FF0E}%\u{AD}\u{1161}]",
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Whenever the fast path takes a string, the URL parser accepts it as https with the host
    /// the fast path gives (which keeps the case of a host of plain ASCII).
    #[test]
    fn the_fast_path_agrees_with_the_parser_on_international_hosts(
        labels in proptest::collection::vec(proptest::collection::vec(host_piece(), 1..4), 1..5),
        tail in "(|/|/m\\?q|#f|:443/|\\.)",
    ) {
        let host: Vec<String> = labels.iter().map(|pieces| pieces.concat()).collect();
        let text = format!("https://{}{tail}", host.join("."));
        if let Some(fast) = cmfy_validate::__fast_path_host(&text) {
            let fast = fast.to_ascii_lowercase();
            let url = url::Url::parse(&text);
            proptest::prop_assert!(url.is_ok(), "{text:?} taken, parser says {url:?}");
            let url = url.ok();
            proptest::prop_assert_eq!(url.as_ref().map(url::Url::scheme), Some("https"));
            proptest::prop_assert_eq!(
                url.as_ref().and_then(url::Url::host_str),
                Some(fast.as_str()),
                "{:?}", text
            );
        }
    }
}
