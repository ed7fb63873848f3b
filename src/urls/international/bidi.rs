//! IDNA's bidi rule (RFC 5893, section 2), which UTS #46 checks, as the URL standard asks, on
//! every label of a host that has a right-to-left character once mapped.
//!
//! Such a host is rare and the rule looks at every character of every label, so it is checked
//! only once a host is known to need it: a host without a right-to-left character pays a range
//! test on each of its characters that are not ASCII.

use super::blocks::{TwoBlocks, in_runs, values};
use super::table::BIDI;

/// The bidi classes the rule tells apart; every other class is `Other`, which it refuses
/// everywhere. (`Other` is the last: the classes before it are the ones the rule names.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Bidi {
    LeftToRight,
    RightToLeft,
    ArabicLetter,
    ArabicNumber,
    EuropeanNumber,
    EuropeanSeparator,
    CommonSeparator,
    EuropeanTerminator,
    OtherNeutral,
    BoundaryNeutral,
    NonspacingMark,
    Other,
}

use Bidi::{
    ArabicLetter, ArabicNumber, EuropeanNumber, EuropeanSeparator, LeftToRight, NonspacingMark,
    RightToLeft,
};

impl Bidi {
    /// The class's bit in a set of classes.
    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// The classes of a set, as one word.
const fn set(classes: &[Bidi]) -> u16 {
    let mut bits = 0;
    let mut at = 0;
    while at < classes.len() {
        bits |= classes[at].bit();
        at += 1;
    }
    bits
}

/// The classes that make a host one the rule applies to.
const RIGHT_TO_LEFT: u16 = set(&[RightToLeft, ArabicLetter, ArabicNumber]);
/// What a label may start with: left to right, or right to left.
const FIRST: u16 = set(&[LeftToRight, RightToLeft, ArabicLetter]);
/// Every class the rule allows somewhere: all but `Other`.
const NAMED: u16 = Bidi::Other.bit() - 1;
/// What may follow the first character of a left-to-right label: any named class that is not
/// right to left...
const LTR_REST: u16 = NAMED & !RIGHT_TO_LEFT;
/// ... and what its last character that is not a nonspacing mark may be.
const LTR_LAST: u16 = set(&[LeftToRight, EuropeanNumber]);
/// The same for a right-to-left label: any named class that is not left to right.
const RTL_REST: u16 = NAMED & !LeftToRight.bit();
/// ... and its last character that is not a nonspacing mark.
const RTL_LAST: u16 = set(&[RightToLeft, ArabicLetter, EuropeanNumber, ArabicNumber]);
/// A right-to-left label may have European digits or Arabic ones, not both.
const BOTH_NUMBERS: u16 = set(&[EuropeanNumber, ArabicNumber]);

/// The first two blocks of right-to-left scripts (Hebrew to Arabic Extended, and the
/// presentation forms): the classes of their characters are read from [`IN_BLOCKS`] in one
/// step, not searched for, as the bidi rule looks up every character of a right-to-left label.
const BLOCKS: TwoBlocks = TwoBlocks {
    first: 0x590..0x900,
    second: 0xFB1D..0xFF00,
};

/// The class of each character of the first two blocks, one after the other, as [`BIDI`] gives
/// it.
static IN_BLOCKS: [Bidi; BLOCKS.len()] = values(&BLOCKS, &BIDI, Bidi::Other);

/// The bidi class of `c`, a character of a mapped label: ASCII (a lower-case letter, a digit or
/// `-`) or a character the table takes.
fn class_of(c: char) -> Bidi {
    let code = u32::from(c);
    if let Some(class) = BLOCKS.value_of(&IN_BLOCKS, code) {
        return class;
    }
    match c {
        'a'..='z' => LeftToRight,
        '0'..='9' => EuropeanNumber,
        '-' => EuropeanSeparator,
        c if c.is_ascii() => Bidi::Other,
        // The joiners, which the table leaves out: a label takes one where IDNA allows it.
        '\u{200C}' | '\u{200D}' => Bidi::BoundaryNeutral,
        _ => {
            let run = in_runs(&BIDI, code);
            debug_assert!(run.is_some(), "the table's classes start at U+0080");
            run.map_or(Bidi::Other, |(class, _)| class)
        }
    }
}

/// Whether `c` is in a block of right-to-left scripts. The generated table's test holds every
/// character the table takes that is right to left (of class R, AL or AN), or maps to one, to
/// these blocks. Tested on every character of a host that is not ASCII: the commonest scripts
/// (Latin, Greek and Cyrillic below the first block; Indic, CJK and Hangul between the first
/// two) are told apart in two or three comparisons.
pub(super) fn in_right_to_left_block(c: char) -> bool {
    match u32::from(c) {
        0..0x590 => false,
        0x590..0x900 => true,
        0x900..0xFB1D => false,
        0xFB1D..0xFF00 => true,
        code => (0x10800..0x11000).contains(&code) || (0x1E800..0x1F000).contains(&code),
    }
}

/// The blocks [`in_right_to_left_block`] tells apart, as ranges of code points.
const RIGHT_TO_LEFT_BLOCKS: [(u32, u32); 4] = [
    (0x590, 0x900),
    (0xFB1D, 0xFF00),
    (0x10800, 0x11000),
    (0x1E800, 0x1F000),
];

/// Whether any code point of `first..end` is in one of those blocks.
pub(super) fn in_right_to_left_blocks(first: u32, end: u32) -> bool {
    RIGHT_TO_LEFT_BLOCKS
        .iter()
        .any(|&(from, to)| first < to && from < end)
}

/// What the bidi rule needs to know of a host, seen as its characters are read and its labels
/// mapped. Labels are noted from the first that has a character in a block of right-to-left
/// scripts: the labels before it are mapped again only if the host turns out to be right to
/// left.
#[derive(Debug, Default)]
pub(super) struct HostBidi {
    /// Whether a character read so far is in a block of right-to-left scripts.
    in_block: bool,
    /// Where the first label noted starts in the host; `None` before one is.
    from: Option<usize>,
    /// The labels noted.
    labels: LabelsBidi,
}

impl HostBidi {
    /// Sees `c`, a character of the host that is not ASCII.
    #[inline(always)]
    pub(super) fn see(&mut self, c: char) {
        self.in_block |= in_right_to_left_block(c);
    }

    /// Sees a label with a character in a block of right-to-left scripts (a punycode label,
    /// whose characters are not read one by one).
    pub(super) fn see_in_block(&mut self) {
        self.in_block = true;
    }

    /// Where to note the label that starts at `start` in the host, if it or a label before it
    /// has a character in a block of right-to-left scripts.
    pub(super) fn noting(&mut self, start: usize) -> Option<&mut LabelsBidi> {
        if !self.in_block {
            return None;
        }
        if self.from.is_none() {
            self.from = Some(start);
        }
        Some(&mut self.labels)
    }

    /// Notes the label that starts at `start` in the host, mapped to `label`, if it or a label
    /// before it has a character in a block of right-to-left scripts.
    pub(super) fn note(&mut self, start: usize, label: &[char]) {
        if let Some(labels) = self.noting(start) {
            labels.note(label);
        }
    }

    /// Whether the host passes the bidi rule: it has no right-to-left character, or all its
    /// labels pass. The labels before the first noted, `host[..from]` with a full stop at its
    /// end, are each mapped again and checked by `passes` (a label as written: whether it
    /// passes, [`label_holds`]).
    pub(super) fn holds(&self, host: &str, passes: impl FnMut(&str) -> bool) -> bool {
        let Some(from) = self.from.filter(|_| self.labels.right_to_left) else {
            return true;
        };
        if self.labels.fails {
            return false;
        }
        if from == 0 {
            return true;
        }
        // The labels before, without the full stop after them (of one to three bytes).
        let before = host
            .get(..from)
            .and_then(|before| before.strip_suffix(super::super::is_full_stop));
        debug_assert!(before.is_some(), "a full stop ends the labels before");
        before.is_some_and(|before| before.split(super::super::is_full_stop).all(passes))
    }
}

/// The bidi rule over a host's labels, given one after the other as their characters (mapped,
/// or decoded from punycode).
#[derive(Debug, Default)]
pub(super) struct LabelsBidi {
    /// Whether a label has a right-to-left character.
    right_to_left: bool,
    /// Whether a label fails the rule.
    fails: bool,
}

impl LabelsBidi {
    /// Notes the next label.
    pub(super) fn note(&mut self, label: &[char]) {
        self.right_to_left |= has_right_to_left(label);
        self.fails |= !label_holds(label);
    }

    /// Whether the labels noted pass: none has a right-to-left character, or every one passes.
    pub(super) fn holds(&self) -> bool {
        !(self.right_to_left && self.fails)
    }

    /// Whether every label noted passes, whether or not one has a right-to-left character.
    pub(super) fn each_passes(&self) -> bool {
        !self.fails
    }
}

/// Whether `label`, a mapped label, has a right-to-left character (of class R, AL or AN).
fn has_right_to_left(label: &[char]) -> bool {
    label
        .iter()
        .any(|&c| in_right_to_left_block(c) && class_of(c).bit() & RIGHT_TO_LEFT != 0)
}

/// Whether the mapped label `label` passes the bidi rule, as a label of a host the rule applies
/// to: it starts left to right or right to left, and what follows, and its last character that
/// is not a nonspacing mark, are of the classes allowed in a label of that direction.
pub(super) fn label_holds(label: &[char]) -> bool {
    let Some((&first, rest)) = label.split_first() else {
        return true;
    };
    let (mut seen, mut last) = (0, None);
    for &c in rest {
        let class = class_of(c);
        seen |= class.bit();
        if class != NonspacingMark {
            last = Some(class);
        }
    }
    holds_by_classes(class_of(first), seen, last)
}

/// [`label_holds`] of a label whose first character is of class `first`, whose others are of
/// the classes `seen` (`first` may be among them), and whose last character that is not a
/// nonspacing mark, if it is not the first, is of class `last` (`None` when the label is its
/// first character and marks, or when every class of `seen` but marks is allowed last).
fn holds_by_classes(first: Bidi, seen: u16, last: Option<Bidi>) -> bool {
    let first = first.bit();
    if first & FIRST == 0 {
        return false;
    }
    let (allowed, allowed_last) = allowed_after(first);
    let numbers_mixed = first != LeftToRight.bit() && seen & BOTH_NUMBERS == BOTH_NUMBERS;
    seen & !allowed == 0 && last.is_none_or(|last| last.bit() & allowed_last != 0) && !numbers_mixed
}

/// What may follow a label's first character, of class `first` (a bit), and what its last
/// character that is not a nonspacing mark may be.
fn allowed_after(first: u16) -> (u16, u16) {
    if first == LeftToRight.bit() {
        (LTR_REST, LTR_LAST)
    } else {
        (RTL_REST, RTL_LAST)
    }
}

/// The classes of `chars`, characters the table takes in increasing order (those a punycode
/// label inserts), as a set: a run of the table's classes is searched for once, for all the
/// characters in it (a hundred ideographs cost one search).
pub(super) fn classes_in_order(chars: &[char]) -> u16 {
    let mut classes = 0;
    let mut rest = chars;
    while let Some((&c, after)) = rest.split_first() {
        let code = u32::from(c);
        // The run of `c`, and where it ends: one search. (The two blocks give the classes of
        // the runs; the joiners, which the table leaves out, have a class of their own.)
        let run = in_runs(&BIDI, code);
        debug_assert!(run.is_some(), "the table's classes start at U+0080");
        let (class, run_end) = match (c, run) {
            ('\u{200C}' | '\u{200D}', _) | (_, None) => (class_of(c), code + 1),
            (_, Some((class, end))) => (
                class,
                end.min(if code < 0x200C { 0x200C } else { u32::MAX }),
            ),
        };
        debug_assert_eq!(class, class_of(c), "{c:?}");
        classes |= class.bit();
        let same = after.partition_point(|&d| u32::from(d) < run_end);
        rest = after.get(same..).unwrap_or_default();
    }
    classes
}

impl LabelsBidi {
    /// Notes a punycode label by its characters' classes, without their order but for the class
    /// of its last character that is not a nonspacing mark, if known. `false`, and nothing
    /// noted, when that cannot tell: when that class matters and is not known.
    pub(super) fn note_unordered(&mut self, label: &UnorderedLabel<'_>) -> bool {
        let first = class_of(label.first);
        let basic = label.basic.iter().fold(0, |classes, &b| {
            classes | class_of(char::from(b.to_ascii_lowercase())).bit()
        });
        let classes = basic | label.inserted;
        // The class of its last character that is not a mark, if its last character is none.
        let last = label
            .last
            .map(class_of)
            .filter(|&class| class != NonspacingMark);
        let (_, allowed_last) = allowed_after(first.bit());
        if last.is_none() && classes & !NonspacingMark.bit() & !allowed_last != 0 {
            return false;
        }
        self.right_to_left |= classes & RIGHT_TO_LEFT != 0;
        self.fails |= !holds_by_classes(first, classes, last);
        true
    }
}

/// What [`LabelsBidi::note_unordered`] reads of a punycode label.
pub(super) struct UnorderedLabel<'a> {
    /// Its first character.
    pub(super) first: char,
    /// Its ASCII characters, in any case.
    pub(super) basic: &'a [u8],
    /// The classes of its other characters ([`classes_in_order`]).
    pub(super) inserted: u16,
    /// Its last character, if the label was decoded in order.
    pub(super) last: Option<char>,
}

#[cfg(test)]
mod tests {
    use super::Bidi::{
        ArabicLetter, ArabicNumber, CommonSeparator, EuropeanNumber, EuropeanSeparator,
        EuropeanTerminator, LeftToRight, NonspacingMark, OtherNeutral, RightToLeft,
    };
    use super::{
        BIDI, BLOCKS, IN_BLOCKS, class_of, has_right_to_left, in_right_to_left_block, label_holds,
    };

    #[test]
    fn the_blocks_of_right_to_left_scripts_are_told_apart() {
        for (code, inside) in [
            (0x41, false),
            (0x58F, false),
            (0x590, true),
            (0x8FF, true),
            (0x900, false),
            (0x4E00, false),
            (0xFB1C, false),
            (0xFB1D, true),
            (0xFEFF, true),
            (0xFF00, false),
            (0x107FF, false),
            (0x10800, true),
            (0x10FFF, true),
            (0x11000, false),
            (0x1E7FF, false),
            (0x1E800, true),
            (0x1EFFF, true),
            (0x1F000, false),
        ] {
            let c = char::from_u32(code).expect("a character");
            assert_eq!(in_right_to_left_block(c), inside, "{code:#x}");
        }
        assert_eq!(IN_BLOCKS.len(), 0x900 - 0x590 + 0xFF00 - 0xFB1D);
    }

    #[test]
    fn the_blocks_give_the_classes_the_runs_give() {
        for code in BLOCKS.first.clone().chain(BLOCKS.second.clone()) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let run = BIDI.partition_point(|&(first, _)| first <= code) - 1;
            assert_eq!(class_of(c), BIDI[run].1, "{c:?}");
        }
    }

    #[test]
    fn characters_have_their_bidi_class() {
        for (c, class) in [
            ('a', LeftToRight),
            ('z', LeftToRight),
            ('0', EuropeanNumber),
            ('9', EuropeanNumber),
            ('-', EuropeanSeparator),
            ('é', LeftToRight),
            ('日', LeftToRight),
            ('\u{301}', NonspacingMark),
            ('\u{5D0}', RightToLeft),
            ('\u{627}', ArabicLetter),
            ('\u{661}', ArabicNumber),
            ('\u{6F1}', EuropeanNumber),
            ('\u{64B}', NonspacingMark),
            ('\u{60C}', CommonSeparator),
            ('\u{66A}', EuropeanTerminator),
            ('\u{606}', OtherNeutral),
            ('\u{FE91}', ArabicLetter),
            ('\u{10800}', RightToLeft),
            ('\u{1E922}', RightToLeft),
            // No other ASCII is in a mapped label: a class the rule refuses.
            ('_', super::Bidi::Other),
        ] {
            assert_eq!(class_of(c), class, "{c:?}");
        }
    }

    fn holds(label: &str) -> bool {
        label_holds(&label.chars().collect::<Vec<_>>())
    }

    #[test]
    fn right_to_left_characters_are_told_apart() {
        for (c, rtl) in [
            ('\u{5D0}', true),  // Hebrew alef: R
            ('\u{627}', true),  // Arabic alef: AL
            ('\u{661}', true),  // Arabic-Indic digit one: AN
            ('\u{6F1}', false), // Extended Arabic-Indic digit one: EN
            ('\u{64B}', false), // Arabic fathatan: NSM
            ('é', false),
            ('日', false),
            ('a', false),
        ] {
            assert_eq!(has_right_to_left(&['a', c, 'b']), rtl, "{c:?}");
        }
    }

    #[test]
    fn labels_pass_the_rule_as_rfc_5893_says() {
        for (label, passes) in [
            ("example", true),
            ("a1", true),
            ("a-b", true),
            ("\u{5D0}\u{5D1}", true),
            ("\u{627}\u{644}", true),
            // Right to left, ending with a number of either kind, or a mark after it.
            ("\u{5D0}1", true),
            ("\u{627}\u{661}", true),
            ("\u{627}\u{644}\u{64B}", true),
            ("\u{627}1\u{64B}", true),
            // A left-to-right label ending with a mark after a letter.
            ("\u{915}\u{94D}", true),
            // Starts with a digit, a hyphen or a mark.
            ("1a", false),
            ("-a", false),
            ("\u{661}\u{627}", false),
            // Ends with a hyphen.
            ("a-", false),
            ("\u{5D0}-", false),
            // Directions mixed.
            ("a\u{5D0}", false),
            ("\u{5D0}a", false),
            ("\u{5D0}a\u{5D1}", false),
            ("\u{627}\u{661}1", false),
            ("\u{627}1\u{661}", false),
            // An Arabic digit in a left-to-right label.
            ("a\u{661}b", false),
        ] {
            assert_eq!(holds(label), passes, "{label:?}");
        }
    }

    #[test]
    fn the_blocks_as_ranges_are_the_blocks_tested_a_character_at_a_time() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let code = u32::from(c);
            assert_eq!(
                super::in_right_to_left_blocks(code, code + 1),
                super::in_right_to_left_block(c),
                "{c:?}"
            );
        }
        // A span across a block's edge holds a character of it; one beside it does not.
        assert!(super::in_right_to_left_blocks(0x500, 0x591));
        assert!(!super::in_right_to_left_blocks(0x500, 0x590));
        assert!(super::in_right_to_left_blocks(0xFEFF, 0xFF10));
        assert!(!super::in_right_to_left_blocks(0xFF00, 0x10800));
    }

    #[test]
    fn a_joiner_has_its_own_class_in_the_run_of_the_characters_before_it() {
        // The first character the table takes of the run the joiners fall in, with them.
        let run = BIDI.partition_point(|&(first, _)| first <= 0x200C);
        let first = run
            .checked_sub(1)
            .and_then(|run| BIDI.get(run))
            .and_then(|&(first, _)| char::from_u32(first))
            .expect("a run before the joiners");
        assert!(first < '\u{200C}');
        for joiner in ['\u{200C}', '\u{200D}'] {
            assert_eq!(
                super::classes_in_order(&[first, joiner]),
                class_of(first).bit() | super::Bidi::BoundaryNeutral.bit(),
                "{first:?} {joiner:?}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// A label noted by its classes (its characters each once, in order of code point), when
        /// that tells, is noted as it is noted by its characters in order.
        #[test]
        fn labels_noted_without_their_order_are_noted_as_in_order(
            label in proptest::collection::vec(proptest::sample::select(&[
                'a', 'z', '1', '-', '\u{E9}', '\u{300}', '\u{64B}', '\u{628}', '\u{627}',
                '\u{661}', '\u{6F1}', '\u{5D0}', '\u{5B7}', '\u{200C}', '\u{4E00}', '\u{66B}',
            ][..]), 1..10),
            ordered: bool,
        ) {
            let mut inserted: Vec<char> = label.iter().copied().filter(|c| !c.is_ascii()).collect();
            inserted.sort_unstable();
            inserted.dedup();
            let basic: Vec<u8> = label.iter().filter_map(|&c| u8::try_from(c).ok()).filter(u8::is_ascii).collect();
            let unordered = super::UnorderedLabel {
                first: label[0],
                basic: &basic,
                inserted: super::classes_in_order(&inserted),
                last: if ordered { label.last().copied() } else { None },
            };
            let (mut by_classes, mut in_order) = (super::LabelsBidi::default(), super::LabelsBidi::default());
            in_order.note(&label);
            if by_classes.note_unordered(&unordered) {
                proptest::prop_assert_eq!(
                    (by_classes.right_to_left, by_classes.fails),
                    (in_order.right_to_left, in_order.fails),
                    "{:?}", label
                );
            }
        }
    }
}
