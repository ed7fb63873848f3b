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
    CanonicalCombiningClassMapBorrowed, CanonicalCompositionBorrowed,
    CanonicalDecompositionBorrowed, Decomposed,
};
use icu_normalizer::uts46::Uts46MapperBorrowed;
use icu_properties::CodePointMapData;
use icu_properties::props::{BidiClass, GeneralCategory, JoiningType};

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
    /// A mark that maps to itself, of this combining class; `true` if it is the second half of
    /// a canonical composition, so may compose with the character before it.
    Mark(u8, bool),
    /// A Hangul vowel or final consonant that maps to itself: composed with what is before it
    /// by Hangul's own arithmetic.
    Jamo,
}

/// The Unicode facts the table is made from.
struct Data {
    mapper: Uts46MapperBorrowed<'static>,
    combining: CanonicalCombiningClassMapBorrowed<'static>,
    category: icu_properties::CodePointMapDataBorrowed<'static, GeneralCategory>,
    bidi: icu_properties::CodePointMapDataBorrowed<'static, BidiClass>,
    joining: icu_properties::CodePointMapDataBorrowed<'static, JoiningType>,
    /// Every character that is the second of a canonical decomposition in two: those a
    /// composition can join to the character before them.
    seconds: HashSet<char>,
    /// Every canonical decomposition in two: the composite, then its halves.
    pairs: Vec<(char, char, char)>,
    decomposition: CanonicalDecompositionBorrowed<'static>,
}

impl Data {
    fn new() -> Self {
        let decomposition = CanonicalDecompositionBorrowed::new();
        let pairs: Vec<(char, char, char)> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter_map(|c| match decomposition.decompose(c) {
                Decomposed::Expansion(first, second) => Some((c, first, second)),
                _ => None,
            })
            .collect();
        Data {
            mapper: Uts46MapperBorrowed::new(),
            combining: CanonicalCombiningClassMapBorrowed::new(),
            category: CodePointMapData::<GeneralCategory>::new(),
            bidi: CodePointMapData::<BidiClass>::new(),
            joining: CodePointMapData::<JoiningType>::new(),
            seconds: pairs.iter().map(|&(_, _, second)| second).collect(),
            pairs,
            decomposition,
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
            && !self.is_mark(c)
            && !matches!(c, '\u{200C}' | '\u{200D}')
            && !self.seconds.contains(&c)
    }

    fn is_mark(&self, c: char) -> bool {
        matches!(
            self.category.get(c),
            GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark
        )
    }

    fn is_right_to_left(&self, c: char) -> bool {
        matches!(
            self.bidi.get(c),
            BidiClass::RightToLeft | BidiClass::ArabicLetter | BidiClass::ArabicNumber
        )
    }

    /// The name of `c`'s bidi class in the table: the classes the bidi rule tells apart, and
    /// `Other` for the rest, which it refuses everywhere.
    fn bidi_name(&self, c: char) -> &'static str {
        match self.bidi.get(c) {
            BidiClass::LeftToRight => "LeftToRight",
            BidiClass::RightToLeft => "RightToLeft",
            BidiClass::ArabicLetter => "ArabicLetter",
            BidiClass::ArabicNumber => "ArabicNumber",
            BidiClass::EuropeanNumber => "EuropeanNumber",
            BidiClass::EuropeanSeparator => "EuropeanSeparator",
            BidiClass::CommonSeparator => "CommonSeparator",
            BidiClass::EuropeanTerminator => "EuropeanTerminator",
            BidiClass::OtherNeutral => "OtherNeutral",
            BidiClass::BoundaryNeutral => "BoundaryNeutral",
            BidiClass::NonspacingMark => "NonspacingMark",
            _ => "Other",
        }
    }

    /// A mark taken by the table: valid in UTS #46 (it maps to itself) and without a canonical
    /// decomposition. Its neighbours decide whether NFC leaves it be.
    fn is_table_mark(&self, c: char) -> bool {
        self.is_mark(c)
            && self.mapped(c) == c.to_string()
            && self.decomposition.decompose(c) == Decomposed::Default
    }

    /// Whether `c` has a canonical decomposition: a mark after it could be reordered into it.
    fn decomposes(&self, c: char) -> bool {
        self.decomposition.decompose(c) != Decomposed::Default
    }

    /// The compositions NFC makes of a character and a mark of the table, as (first, mark,
    /// composite), in order: the canonical decompositions in two that are not excluded from
    /// composition.
    fn compositions(&self) -> Vec<(char, char, char)> {
        let composition = CanonicalCompositionBorrowed::new();
        let mut compositions: Vec<(char, char, char)> = self
            .pairs
            .iter()
            .filter(|&&(c, first, second)| {
                matches!(self.rule(second), Rule::Mark(..))
                    && composition.compose(first, second) == Some(c)
            })
            .map(|&(c, first, second)| (first, second, c))
            .collect();
        compositions.sort_unstable();
        compositions
    }

    fn rule(&self, c: char) -> Rule {
        if self.is_table_mark(c) {
            return Rule::Mark(self.combining.get_u8(c), self.seconds.contains(&c));
        }
        let jamo = ('\u{1161}'..='\u{1175}').contains(&c) || ('\u{11A8}'..='\u{11C2}').contains(&c);
        if jamo && self.mapped(c) == c.to_string() {
            return Rule::Jamo;
        }
        let mapped = self.mapped(c);
        // A disallowed character maps to U+FFFD, which maps to itself. The fast path knows a
        // host may be right to left by the blocks its characters are in as written: a character
        // outside them that maps to a right-to-left one (the Hebrew letter symbols) is left out.
        if mapped.is_empty()
            || mapped.contains('\u{FFFD}')
            || !mapped.chars().all(|m| self.stands_alone(m))
            || (!in_right_to_left_block(c) && mapped.chars().any(|m| self.is_right_to_left(m)))
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

/// Whether `c` is in one of the blocks of right-to-left scripts the fast path tests a host's
/// characters against (`bidi::in_right_to_left_block`).
fn in_right_to_left_block(c: char) -> bool {
    matches!(
        u32::from(c),
        0x590..=0x8FF | 0xFB1D..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF
    )
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

/// The runs of characters of one bidi class, by their first character, over the characters the
/// table takes (a character it leaves out joins the run before it: it is never looked up).
fn bidi_runs(data: &Data) -> Vec<(u32, &'static str)> {
    let mut runs: Vec<(u32, &'static str)> = Vec::new();
    for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
        if data.rule(c) == Rule::Outside {
            continue;
        }
        let name = data.bidi_name(c);
        if runs.last().is_none_or(|&(_, last)| last != name) {
            runs.push((u32::from(c), name));
        }
    }
    runs
}

/// The runs of characters of one joining type, by their first character, over the characters
/// the table takes, as IDNA's CONTEXTJ rule tells them apart (join causing and non-joining are
/// both `Other`: the rule names neither).
fn joining_runs(data: &Data) -> Vec<(u32, &'static str)> {
    let mut runs: Vec<(u32, &'static str)> = Vec::new();
    for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
        if data.rule(c) == Rule::Outside {
            continue;
        }
        let name = match data.joining.get(c) {
            JoiningType::DualJoining => "Dual",
            JoiningType::LeftJoining => "Left",
            JoiningType::RightJoining => "Right",
            JoiningType::Transparent => "Transparent",
            _ => "Other",
        };
        if runs.last().is_none_or(|&(_, last)| last != name) {
            runs.push((u32::from(c), name));
        }
    }
    runs
}

/// The table's source text.
fn render(
    entries: &[(u32, Rule)],
    compositions: &[(char, char, char)],
    bidi: &[(u32, &str)],
    joining: &[(u32, &str)],
) -> String {
    let mut texts = String::new();
    let mut rows = String::new();
    for (i, (first, rule)) in entries.iter().enumerate() {
        let rule = match rule {
            Rule::Outside => "Outside".to_owned(),
            Rule::Same => "Same".to_owned(),
            Rule::Shift(by) => format!("Shift({by})"),
            Rule::Pairs => "Pairs".to_owned(),
            Rule::Mark(class, false) => format!("Mark({class})"),
            Rule::Mark(class, true) => format!("JoiningMark({class})"),
            Rule::Jamo => "Jamo".to_owned(),
            Rule::Text(text) => {
                let start = texts.len();
                texts.push_str(text);
                format!("Text({start}, {})", text.len())
            }
        };
        let sep = if i % 4 == 0 { "\n   " } else { "" };
        let _ = write!(rows, "{sep} ({first:#x}, {rule}),");
    }
    let mut pairs = String::new();
    for (i, &(first, mark, composite)) in compositions.iter().enumerate() {
        let sep = if i % 3 == 0 { "\n   " } else { "" };
        let (first, mark, composite) = (u32::from(first), u32::from(mark), u32::from(composite));
        let _ = write!(pairs, "{sep} ({first:#x}, {mark:#x}, {composite:#x}),");
    }
    let mut by_composite: Vec<(char, char, char)> = compositions
        .iter()
        .map(|&(first, mark, composite)| (composite, first, mark))
        .collect();
    by_composite.sort_unstable();
    let mut decompositions = String::new();
    for (i, &(composite, first, mark)) in by_composite.iter().enumerate() {
        let sep = if i % 3 == 0 { "\n   " } else { "" };
        let (composite, first, mark) = (u32::from(composite), u32::from(first), u32::from(mark));
        let _ = write!(
            decompositions,
            "{sep} ({composite:#x}, {first:#x}, {mark:#x}),"
        );
    }
    let mut classes = String::new();
    for (i, (first, name)) in bidi.iter().enumerate() {
        let sep = if i % 4 == 0 { "\n   " } else { "" };
        let _ = write!(classes, "{sep} ({first:#x}, {name}),");
    }
    let mut joining_rows = String::new();
    for (i, (first, name)) in joining.iter().enumerate() {
        let sep = if i % 4 == 0 { "\n   " } else { "" };
        let _ = write!(joining_rows, "{sep} ({first:#x}, {name}),");
    }
    let chunks: Vec<String> = texts
        .chars()
        .collect::<Vec<_>>()
        .chunks(32)
        .map(|chunk| format!("    {:?},", chunk.iter().collect::<String>()))
        .collect();
    let mut names: Vec<&str> = bidi.iter().map(|&(_, name)| name).collect();
    names.sort_unstable();
    names.dedup();
    let names = format!("self, {}", names.join(", "));
    format!(
        "//! Generated by `tests/suite/international_table.rs` from ICU4X's UTS #46 data: do not edit.\n\
         //! Written again by `CMFY_WRITE_IDNA_TABLE=1 cargo test --all-features international_table`.\n\
         \n\
         #[rustfmt::skip]\n\
         use super::bidi::Bidi::{{{}}};\n\
         use super::joiners::Joining::{{self, Dual, Left, Other, Right, Transparent}};\n\
         use super::mapping::Rule::{{self, Jamo, JoiningMark, Mark, Outside, Pairs, Same, Shift, Text}};\n\
         \n\
         /// The first character of each run of characters under one rule, and the rule, in order.\n\
         #[rustfmt::skip]\n\
         pub(super) static ENTRIES: [(u32, Rule); {}] = [{rows}\n];\n\
         \n\
         /// The mappings of more than one character, one after the other.\n\
         #[rustfmt::skip]\n\
         pub(super) static TEXTS: &str = concat!(\n{}\n);\n\
         \n\
         /// What NFC composes a character and a mark of the table into: (character, mark,\n\
         /// composite), in order.\n\
         #[rustfmt::skip]\n\
         pub(super) static COMPOSITIONS: [(u32, u32, u32); {}] = [{}\n];\n\
         \n\
         /// The same, as (composite, character, mark), in order: what each composite decomposes\n\
         /// into.\n\
         #[rustfmt::skip]\n\
         pub(super) static DECOMPOSITIONS: [(u32, u32, u32); {}] = [{}\n];\n\
         \n\
         /// The bidi class of the characters the table takes, in runs by their first character.\n\
         #[rustfmt::skip]\n\
         pub(super) static BIDI: [(u32, Bidi); {}] = [{}\n];\n\
         \n\
         /// The joining type of the characters the table takes, in runs by their first character.\n\
         #[rustfmt::skip]\n\
         pub(super) static JOINING: [(u32, Joining); {}] = [{}\n];\n",
        names,
        entries.len(),
        chunks.join("\n"),
        compositions.len(),
        pairs,
        by_composite.len(),
        decompositions,
        bidi.len(),
        classes,
        joining.len(),
        joining_rows,
    )
}

/// The host the URL parser gives `text`, if it takes it.
fn parser_host(text: &str) -> Option<String> {
    url::Url::parse(text)
        .ok()
        .and_then(|url| url.host_str().map(str::to_owned))
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
    let expected = render(
        &entries,
        &data.compositions(),
        &bidi_runs(&data),
        &joining_runs(&data),
    );
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
/// Marks are taken after an ideograph, which nothing composes with, and never at a label's
/// start.
#[test]
fn every_character_of_the_table_gives_the_parser_s_host() {
    let data = Data::new();
    let mut taken = 0;
    for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
        let rule = data.rule(c);
        // The last host has a right-to-left label, so the bidi rule applies to all of its
        // labels: each character is held to it in a label of its own direction.
        let texts = match rule {
            Rule::Mark(_, false) => [
                format!("https://\u{65E5}{c}.example/m"),
                format!("https://a\u{65E5}{c}{c}b.Example"),
                format!("https://\u{65E5}{c}.\u{5D0}\u{5D1}{c}/"),
            ],
            // A mark that can join the character before it is taken only after one of class 0.
            Rule::Mark(_, true) => [
                format!("https://\u{65E5}{c}.example/m"),
                format!("https://a\u{65E5}{c}b\u{65E5}{c}.Example"),
                format!("https://\u{65E5}{c}.\u{5D0}\u{5D1}{c}/"),
            ],
            _ if data.is_right_to_left(c) => [
                format!("https://{c}.example/m"),
                format!("https://a{c}{c}b.Example"),
                format!("https://\u{5D0}{c}{c}.a/"),
            ],
            _ => [
                format!("https://{c}.example/m"),
                format!("https://a{c}{c}b.Example"),
                format!("https://a{c}{c}b.\u{5D0}/"),
            ],
        };
        for text in texts {
            let fast = cmfy_validate::__fast_path_host(&text);
            if rule == Rule::Outside {
                assert_eq!(fast, None, "{c:?} is outside the table but was taken");
                continue;
            }
            assert_eq!(fast.as_deref(), parser_host(&text).as_deref(), "{text:?}");
            taken += 1;
        }
        if let Rule::Mark(..) = rule {
            let first = format!("https://{c}x.example/m");
            assert_eq!(cmfy_validate::__fast_path_host(&first), None, "{first:?}");
            assert!(url::Url::parse(&first).is_err(), "{first:?}");
        }
    }
    assert!(taken > 400_000, "only {taken} hosts taken");
}

/// Hangul written in conjoining jamo is composed as NFC composes it: every initial consonant
/// with every vowel, every syllable without a final consonant with every final, and a final
/// after a syllable that has one (nothing to compose), each as the parser gives it.
#[test]
fn hangul_jamo_are_composed_as_nfc_composes_them() {
    let initials = ('\u{1100}'..='\u{1112}').chain(['\u{1113}', 'a']);
    let vowels: Vec<char> = ('\u{1161}'..='\u{1175}').collect();
    let finals: Vec<char> = ('\u{11A8}'..='\u{11C2}').collect();
    let mut texts = Vec::new();
    for l in initials {
        for &v in &vowels {
            texts.push(format!("https://x{l}{v}.example/"));
            texts.push(format!("https://{l}{v}{}.example/", finals[0]));
        }
    }
    for syllable in ('\u{AC00}'..='\u{D7A3}').step_by(7) {
        for &t in &finals {
            texts.push(format!("https://{syllable}{t}.example/"));
        }
    }
    for text in &texts {
        let fast = cmfy_validate::__fast_path_host(text);
        assert!(fast.is_some(), "{text:?} not taken");
        assert_eq!(fast.as_deref(), parser_host(text).as_deref(), "{text:?}");
    }
    assert!(texts.len() > 40_000, "only {} hosts", texts.len());
}

/// Either joiner after every virama (a mark of class 9) of the table is taken, and gives the
/// parser's host; after any other mark it is left to the parser.
#[test]
fn joiners_after_a_virama_give_the_parser_s_host() {
    let data = Data::new();
    let mut taken = 0;
    for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
        let Rule::Mark(class, _) = data.rule(c) else {
            continue;
        };
        for joiner in ['\u{200C}', '\u{200D}'] {
            let text = format!("https://\u{65E5}{c}{joiner}x.example/");
            let fast = cmfy_validate::__fast_path_host(&text);
            if class != 9 {
                assert_eq!(fast, None, "{text:?}");
                continue;
            }
            assert!(fast.is_some(), "{text:?} not taken");
            assert_eq!(fast.as_deref(), parser_host(&text).as_deref(), "{text:?}");
            taken += 1;
        }
    }
    assert!(taken > 100, "only {taken} viramas and joiners");
}

/// Every character a mapped label can hold that has a canonical decomposition with a mark of the
/// table (Hangul syllables aside, which hold none) decomposes into a character and that mark,
/// which compose back into it: NFC of a whole label decomposes by the table's compositions.
#[test]
fn kept_characters_decompose_by_the_table_s_compositions() {
    let data = Data::new();
    let composites: HashSet<char> = data
        .compositions()
        .iter()
        .map(|&(_, _, composite)| composite)
        .collect();
    let hangul = '\u{AC00}'..='\u{D7A3}';
    let mut checked = 0;
    for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
        let kept = data.mapped(c) == c.to_string() && data.rule(c) != Rule::Outside;
        if kept
            && data.decomposes(c)
            && !hangul.contains(&c)
            && !matches!(data.rule(c), Rule::Mark(..))
        {
            if composites.contains(&c) {
                checked += 1;
                continue;
            }
            // Or it decomposes into two characters of class 0 that are not marks of the table
            // (Kirat Rai's vowels): no mark can be reordered into it, so it is kept whole.
            let Decomposed::Expansion(first, second) = data.decomposition.decompose(c) else {
                panic!("{c:?} decomposes");
            };
            for part in [first, second] {
                assert_eq!(data.combining.get_u8(part), 0, "{c:?}");
                assert!(!matches!(data.rule(part), Rule::Mark(..)), "{c:?}");
            }
        }
    }
    assert!(checked > 450, "only {checked} characters");
}

/// The fast path knows a host may be right to left by its characters as written, in the blocks
/// of right-to-left scripts: every character the table takes that is right to left, or maps
/// to one, is in one of them.
#[test]
fn right_to_left_characters_of_the_table_are_in_the_blocks_looked_up() {
    let data = Data::new();
    let mut found = 0;
    for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
        let mapped = data.mapped(c);
        if data.rule(c) != Rule::Outside && mapped.chars().any(|m| data.is_right_to_left(m)) {
            assert!(in_right_to_left_block(c), "{c:?}");
            found += 1;
        }
    }
    assert!(found > 1_000, "only {found} right-to-left characters");
}

/// Where the fast path takes a mark after a character that decomposes, or a precomposed one, or
/// another mark, NFC leaves the two as the fast path does: every such pair, for one mark of
/// each class (a mark that joins nothing is seen by NFC through its class alone) and every mark
/// that can join the character before it.
#[test]
fn marks_after_any_character_give_the_parser_s_host() {
    let data = Data::new();
    let all = || (0x80..=0x10FFFF).filter_map(char::from_u32);
    let marks: Vec<char> = all()
        .filter(|&c| matches!(data.rule(c), Rule::Mark(..)))
        .collect();
    let mut rules: Vec<Rule> = Vec::new();
    let mut checked_marks = Vec::new();
    for &m in &marks {
        let rule = data.rule(m);
        if matches!(rule, Rule::Mark(_, true)) || !rules.contains(&rule) {
            rules.push(rule);
            checked_marks.push(m);
        }
    }
    // The characters a mark can follow in a mapped label: ASCII letters, the table's
    // characters that decompose (one Hangul syllable of each kind), and marks.
    let hangul = '\u{AC00}'..='\u{D7A3}';
    let before: Vec<char> = ('a'..='z')
        .chain(
            all().filter(|&c| data.decomposes(c) && data.stands_alone(c) && !hangul.contains(&c)),
        )
        .chain(marks.iter().copied())
        .chain(['\u{AC00}', '\u{AC01}', '\u{D7A3}'])
        .collect();
    let mut taken = 0;
    for &b in &before {
        for &m in &checked_marks {
            let text = format!("https://x\u{65E5}{b}{m}/");
            let Some(fast) = cmfy_validate::__fast_path_host(&text) else {
                continue;
            };
            assert_eq!(Some(&*fast), parser_host(&text).as_deref(), "{text:?}");
            taken += 1;
        }
    }
    assert!(taken > 100_000, "only {taken} pairs taken");
}

/// Two marks after every character that decomposes, in orders NFC keeps and orders it changes,
/// one of class 0 among them: each host taken gives the parser's host.
#[test]
fn two_marks_after_a_precomposed_character_give_the_parser_s_host() {
    let data = Data::new();
    let pairs = [
        ('\u{323}', '\u{301}'),
        ('\u{301}', '\u{323}'),
        ('\u{327}', '\u{300}'),
        ('\u{1B35}', '\u{301}'),
        ('\u{301}', '\u{1B35}'),
        ('\u{345}', '\u{313}'),
        ('\u{305}', '\u{301}'),
        ('\u{316}', '\u{301}'),
    ];
    let mut taken = 0;
    for b in (0x80..=0x10FFFF).filter_map(char::from_u32) {
        if !data.decomposes(b) || data.rule(b) == Rule::Outside {
            continue;
        }
        for (first, second) in pairs {
            let text = format!("https://x{b}{first}{second}.example/");
            let Some(fast) = cmfy_validate::__fast_path_host(&text) else {
                continue;
            };
            assert_eq!(
                Some(fast.to_ascii_lowercase()),
                parser_host(&text),
                "{text:?}"
            );
            taken += 1;
        }
    }
    assert!(taken > 5_000, "only {taken} hosts taken");
}

/// Every character of the table written fully decomposed (NFD) gives the parser's host when
/// the fast path takes it, and the fast path takes every one that decomposes into a character
/// without a decomposition and marks of the table: NFC composes it back, one mark at a time.
#[test]
fn decomposed_characters_are_composed_as_nfc_composes_them() {
    use icu_normalizer::DecomposingNormalizerBorrowed;
    let data = Data::new();
    let nfd = DecomposingNormalizerBorrowed::new_nfd();
    let mut composed = 0;
    for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
        if !data.decomposes(c) || data.rule(c) == Rule::Outside {
            continue;
        }
        let decomposed = nfd.normalize(&c.to_string()).into_owned();
        // After a letter of its direction: a label of both fails the bidi rule.
        let before = if data.is_right_to_left(c) {
            '\u{5D0}'
        } else {
            'x'
        };
        let text = format!("https://{before}{decomposed}.example/");
        let fast = cmfy_validate::__fast_path_host(&text);
        let mut chars = decomposed.chars();
        let plain = chars.next().is_some_and(|first| {
            let name = first.is_ascii_alphanumeric() || first == '-';
            (name || data.rule(first) != Rule::Outside) && !data.decomposes(first)
        }) && chars.all(|m| matches!(data.rule(m), Rule::Mark(..)));
        if plain && data.mapped(c) == c.to_string() {
            assert!(fast.is_some(), "{text:?} not taken");
        }
        if let Some(fast) = fast {
            // A character whose decomposition is ASCII gives a host of ASCII, its case kept.
            let fast = fast.to_ascii_lowercase();
            assert_eq!(Some(&*fast), parser_host(&text).as_deref(), "{text:?}");
            composed += 1;
        }
    }
    assert!(composed > 1_500, "only {composed} characters composed");
}

/// Pieces of international hosts: ASCII of both cases, characters of the table (mapped to
/// themselves, shifted, in pairs, to text, to ASCII), marks, right-to-left letters, digits and
/// marks, characters it leaves to the parser (joiners, full stops, a percent sign, the
/// fullwidth letters of `xn--`), and percent-encoded bytes.
fn host_piece() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        4 => "[a-zA-Z0-9-]{1,3}",
        4 => "[äöüßéÄÖÜÉŁłĀāΣσςАяЁ日本語한국ひカかकनகกஒ]{1,4}",
        1 => "[\u{1100}\u{1112}\u{AC00}\u{AC01}][\u{1161}\u{1175}\u{11A8}\u{11C2}]{1,2}",
        2 => "[ᾈᾯﬃ㎏①ＡＸｎ－ǅ𝐀ẞİ]{1,2}",
        2 => "[\u{301}\u{302}\u{308}\u{303}\u{305}\u{316}\u{323}\u{327}\u{3099}\u{93F}\u{94D}\u{93C}\u{E48}\u{E38}\u{BBE}\u{BC6}]{1,3}",
        3 => "[אבשابتمل\u{661}\u{662}\u{6F1}\u{64B}\u{653}\u{654}\u{5B7}\u{FE91}\u{FB2E}\u{FDF2}]{1,4}",
        1 => "[\u{200D}\u{200C}\u{3002}\u{FF0E}%\u{AD}\u{1161}]",
        1 => "[\u{915}\u{B95}]?[\u{94D}\u{BCD}\u{D4D}\u{93C}][\u{200C}\u{200D}]",
        2 => "(%[0-9a-fA-F]{2}|%C3%A9|%C3%89|%E6%97%A5|%2E|%41|%E0%A4%BF)",
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
        let fast = cmfy_validate::__fast_path_host(&text);
        // The host judged without encoding: the same one, its encoded labels cut to `xn--`.
        let cut = fast.as_deref().map(|fast| {
            let labels: Vec<&str> = fast
                .split('.')
                .map(|label| if label.starts_with("xn--") { "xn--" } else { label })
                .collect();
            labels.join(".")
        });
        proptest::prop_assert_eq!(
            cmfy_validate::__fast_path_host_cut(&text).map(std::borrow::Cow::into_owned),
            cut
        );
        if let Some(fast) = fast {
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

/// Every composition of a character the table keeps as it is and a mark of the table gives a
/// character the table keeps as it is (valid): the fast path's check of a composite refuses only
/// composites of a mark of class 0, which the table may leave out. And every character the table
/// keeps decomposes into one it keeps.
#[test]
fn compositions_of_kept_characters_are_kept() {
    let data = Data::new();
    let mut checked = 0;
    for (first, mark, composite) in data.compositions() {
        let kept = first.is_ascii_lowercase()
            || (data.mapped(first) == first.to_string() && data.stands_alone(first));
        if kept {
            assert_eq!(
                data.mapped(composite),
                composite.to_string(),
                "{first:?} {mark:?}"
            );
            assert_ne!(data.rule(composite), Rule::Outside, "{first:?} {mark:?}");
            checked += 1;
        }
        // And the other way: what a character the table keeps decomposes into is kept, so NFC
        // of a label made of kept characters and marks judges only what it composes.
        let composite_kept = data.mapped(composite) == composite.to_string()
            && data.rule(composite) != Rule::Outside;
        if composite_kept && !matches!(data.rule(composite), Rule::Mark(..)) {
            let first_kept = first.is_ascii_lowercase()
                || (data.mapped(first) == first.to_string() && data.rule(first) != Rule::Outside);
            // `≮`, `≠` and `≯` decompose into ASCII signs and a mark of class 1: put first in
            // canonical order, it always composes back.
            let recomposed = first.is_ascii() && data.combining.get_u8(mark) == 1;
            assert!(
                first_kept || recomposed,
                "{composite:?} decomposes into {first:?}"
            );
        }
    }
    assert!(checked > 450, "only {checked} compositions");
}
