//! What UTS #46 maps a character to, for the characters whose mapping does not depend on their
//! neighbours, and the marks whose neighbours can be told to leave them be.
//!
//! The table (`table.rs`, generated) holds two kinds of non-ASCII characters:
//! - those that are valid or mapped in UTS #46 and whose mapping is made only of characters that
//!   can stand next to anything without changing: lower-case ASCII letters, digits and `-`, or
//!   non-ASCII characters that are valid, of combining class 0, not marks, not joiners, and
//!   never the second half of a canonical composition (a character outside the blocks of
//!   right-to-left scripts that maps to a right-to-left one is left out, see `bidi`);
//! - marks that are valid and have no canonical decomposition, with their combining class and
//!   whether a composition can join them to the character before.
//!
//! It also holds the bidi class of each of them, for the bidi rule.
//!
//! A character of the first kind maps the same wherever it stands. A mark depends on what is
//! before it in the label: [`MappedLabel`](super::label::MappedLabel) applies NFC to it, or
//! leaves the host to the parser. Every other character is outside the table: the URL parser
//! decides the host.

use super::bidi::in_right_to_left_blocks;
use super::index::{Span, entry_of, entry_span};
use super::table::TEXTS;

/// How the characters of one entry of the table map, from the entry's first character to the
/// next entry's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rule {
    /// Not taken here: the URL parser decides.
    Outside,
    /// Each character maps to itself.
    Same,
    /// Each character maps to the one this far from it.
    Shift(i32),
    /// Upper and lower case in turn: a character an even distance from the entry's first maps to
    /// the one after it, the others to themselves.
    Pairs,
    /// The one character of the entry maps to `TEXTS[start..start + len]`.
    Text(u16, u8),
    /// Marks of this combining class, each mapped to itself, that no composition joins to the
    /// character before them.
    Mark(u8),
    /// Marks of this combining class, each mapped to itself, that are the second half of a
    /// canonical composition.
    JoiningMark(u8),
    /// Hangul vowels and final consonants, each mapped to itself, that NFC composes with the
    /// initial consonant or the syllable right before them.
    Jamo,
}

/// Appends what `c` maps to under `rule`, the rule of the entry that starts at `first`; `None`
/// if the rule leaves `c` to the parser. (Inlined: once per character of a label.)
#[inline(always)]
pub(super) fn push_mapped(c: char, first: u32, rule: Rule, out: &mut Vec<char>) -> Option<()> {
    let code = u32::from(c);
    match rule {
        Rule::Outside | Rule::Mark(_) | Rule::JoiningMark(_) | Rule::Jamo => return None,
        Rule::Same => out.push(c),
        Rule::Shift(by) => out.push(shifted(code, by)?),
        Rule::Pairs if first_of_pair(code, first) => out.push(shifted(code, 1)?),
        Rule::Pairs => out.push(c),
        Rule::Text(start, len) => {
            let start = usize::from(start);
            let text = TEXTS.get(start..start + usize::from(len));
            debug_assert!(text.is_some(), "the table's texts are cut at characters");
            out.extend(text?.chars());
        }
    }
    Some(())
}

/// How a character stands under the table on its own, as IDNA needs it of a decoded punycode
/// label (which must be mapped and normalized already).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Alone {
    /// A starter that maps to itself and composes with nothing before it.
    Itself,
    /// A mark, a jamo or a joiner: whether the label holds depends on its neighbours.
    InContext(Context),
    /// It maps to something else, or the table leaves it to the parser.
    Other,
}

/// What an [`Alone::InContext`] character is, as far as its neighbours matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Context {
    /// A mark of this combining class that composes with nothing (`Rule::Mark`): NFC only
    /// reorders it among the marks around it.
    Mark(u8),
    /// A Hangul vowel or final consonant, which composes with an initial consonant or a
    /// syllable right before it.
    Jamo,
    /// A mark that may compose with its starter, or a joiner.
    Other,
}

/// [`Alone`] of `c` (not ASCII).
#[cfg(test)]
fn alone(c: char) -> Alone {
    entry_span(c).map_or(Alone::Other, |span| alone_in(c, span))
}

/// [`alone`] of characters taken in increasing order (the ones a punycode label inserts). An
/// entry of the table is looked up once for all the characters of the label it holds, and an
/// entry of characters that map to themselves answers each of them in two comparisons. Whether
/// a character may be right to left is told by the entries too ([`AloneInOrder::in_block`]).
#[derive(Default)]
pub(super) struct AloneInOrder {
    span: Option<Span>,
    /// Whether every character of `span` stands alone.
    all_itself: bool,
    /// Whether an entry looked up has a character in a block of right-to-left scripts.
    in_block: bool,
}

impl AloneInOrder {
    /// [`alone`] of `c`, not below the character before it.
    pub(super) fn alone(&mut self, c: char) -> Alone {
        let code = u32::from(c);
        let span = match self.span {
            Some(span) if span.holds(code) => {
                if self.all_itself {
                    return Alone::Itself;
                }
                span
            }
            _ => match entry_span(c) {
                Some(span) => {
                    self.all_itself = matches!(span.rule, Rule::Same);
                    self.in_block |= in_right_to_left_blocks(span.first, span.end);
                    *self.span.insert(span)
                }
                None => return Alone::Other,
            },
        };
        alone_in(c, span)
    }

    /// Whether a character looked up may be in a block of right-to-left scripts: its entry of
    /// the table has one (the entries of Latin, Greek, Indic scripts, CJK and the rest have
    /// none). A host with such a character is held to the bidi rule; one held to it for a
    /// character that is not right to left passes it as it would without.
    pub(super) fn in_block(&self) -> bool {
        self.in_block
    }

    /// How many of `after`, characters above the one just looked up, smallest first, map to
    /// themselves standing alone, as it was looked up: the first ones that are in its entry of
    /// the table, when every character of that entry stands alone, or when the entry is upper
    /// and lower case in turn and they are the lower. (A block of ideographs is one entry: a
    /// label of a hundred of them is settled by one lookup and a binary search, not a hundred
    /// lookups.)
    pub(super) fn itself_with_last(&self, after: &[char]) -> usize {
        let Some(span) = self.span else {
            return 0;
        };
        // Most characters of a label of letters of several entries (Latin's extensions) are in
        // an entry of their own: one comparison says so, before a search of the rest.
        if !after.first().is_some_and(|&c| span.holds(u32::from(c))) {
            return 0;
        }
        if self.all_itself {
            return after.partition_point(|&c| span.holds(u32::from(c)));
        }
        if !matches!(span.rule, Rule::Pairs) {
            return 0;
        }
        after
            .iter()
            .take_while(|&&c| span.holds(u32::from(c)) && !first_of_pair(u32::from(c), span.first))
            .count()
    }
}

/// [`Alone`] of `c` in the entry `span`, which holds it.
fn alone_in(c: char, span: Span) -> Alone {
    match span.rule {
        Rule::Same => Alone::Itself,
        Rule::Pairs if !first_of_pair(u32::from(c), span.first) => Alone::Itself,
        Rule::Mark(class) => Alone::InContext(Context::Mark(class)),
        Rule::Jamo => Alone::InContext(Context::Jamo),
        Rule::JoiningMark(_) => Alone::InContext(Context::Other),
        Rule::Outside if matches!(c, '\u{200C}' | '\u{200D}') => Alone::InContext(Context::Other),
        _ => Alone::Other,
    }
}

/// The combining class of `c` if it is a mark of the table.
pub(super) fn mark_class(c: char) -> Option<u8> {
    match entry_of(c) {
        Some((_, Rule::Mark(class) | Rule::JoiningMark(class))) => Some(class),
        _ => None,
    }
}

/// The combining class of `c` if it is a mark of the table that may compose with the
/// character before it (a joining mark).
pub(super) fn joining_mark_class(c: char) -> Option<u8> {
    match entry_of(c) {
        Some((_, Rule::JoiningMark(class))) => Some(class),
        _ => None,
    }
}

/// Whether `c` is in the table and maps to itself, standing on its own (not a mark).
pub(super) fn maps_to_itself(c: char) -> bool {
    match entry_of(c) {
        Some((_, Rule::Same)) => true,
        Some((first, Rule::Pairs)) => !first_of_pair(u32::from(c), first),
        _ => false,
    }
}

/// Whether `code`, in a `Pairs` entry starting at `first`, is the first of its pair (an even
/// distance from `first`: the same parity), which maps to the one after it.
fn first_of_pair(code: u32, first: u32) -> bool {
    (code ^ first) & 1 == 0
}

/// The character `by` away from `code`; the table only shifts to characters.
fn shifted(code: u32, by: i32) -> Option<char> {
    let to = code.checked_add_signed(by).and_then(char::from_u32);
    debug_assert!(
        to.is_some(),
        "the table shifts {code:#x} by {by} to no character"
    );
    to
}

#[cfg(test)]
mod tests {
    use super::super::label::MappedLabel;
    use super::{Alone, Context, alone};

    #[test]
    fn a_character_on_its_own_maps_to_itself_or_needs_its_neighbours() {
        // Starters that map to themselves, the lower half of a case pair among them.
        for c in ['é', 'ā', 'ß', 'ς', '日'] {
            assert_eq!(alone(c), Alone::Itself, "{c:?}");
        }
        // The upper half of a pair, a capital, a compatibility form: mapped to another.
        for c in ['Ā', 'É', 'Ω', 'ﬁ', 'ｅ', '\u{a0}'] {
            assert_eq!(alone(c), Alone::Other, "{c:?}");
        }
        // Marks, jamo and joiners depend on what is around them.
        for (c, context) in [
            ('\u{301}', Context::Other),
            ('\u{323}', Context::Other),
            ('\u{94D}', Context::Mark(9)),
            ('\u{1161}', Context::Jamo),
            ('\u{11A8}', Context::Jamo),
            ('\u{200C}', Context::Other),
            ('\u{200D}', Context::Other),
        ] {
            assert_eq!(alone(c), Alone::InContext(context), "{c:?}");
        }
    }

    #[test]
    fn characters_in_order_are_answered_as_each_alone_whichever_are_skipped() {
        use super::AloneInOrder;
        // Windows over entries of every rule (Latin and its case pairs, Greek, Cyrillic, marks,
        // Hebrew and Arabic, jamo, ideographs and their compatibility forms), every character
        // of each, then every third, then a scattered few: each answer, or each skip as
        // `Itself`, must be that of the character on its own.
        let windows = [
            0x80..0x250,
            0x300..0x370,
            0x370..0x530,
            0x590..0x700,
            0x900..0x980,
            0x1100..0x1200,
            0x1E00..0x1F00,
            0x3000..0x3100,
            0x4DF0..0x4E40,
            0xF900..0xFB60,
            0xFE00..0xFF70,
        ];
        for window in windows {
            for step in [1, 3, 7] {
                let chars: Vec<char> = window
                    .clone()
                    .step_by(step)
                    .filter_map(char::from_u32)
                    .collect();
                let mut answers = Vec::new();
                let mut in_order = AloneInOrder::default();
                let mut rest = chars.as_slice();
                while let Some((&c, after)) = rest.split_first() {
                    answers.push((c, in_order.alone(c)));
                    let skipped = in_order.itself_with_last(after);
                    answers.extend(after.iter().take(skipped).map(|&c| (c, Alone::Itself)));
                    rest = after.get(skipped..).unwrap_or_default();
                }
                assert_eq!(answers.len(), chars.len());
                for (c, answer) in answers {
                    assert_eq!(answer, alone(c), "{:#x} (step {step})", u32::from(c));
                }
            }
        }
    }

    /// What `text` maps to, as a label of its own.
    fn label(text: &str) -> Option<String> {
        Some(MappedLabel::default().map(text)?.iter().collect())
    }

    fn mapped(c: char) -> Option<String> {
        label(&c.to_string())
    }

    #[test]
    fn each_kind_of_entry_maps_as_uts46_does() {
        for (c, expected) in [
            ('é', "é"),
            ('日', "日"),
            ('Ä', "ä"),
            ('Σ', "σ"),
            // Latin Extended-A: upper and lower case in turn.
            ('Ā', "ā"),
            ('ā', "ā"),
            ('Ł', "ł"),
            ('ł', "ł"),
            // Fullwidth letters and ligatures map to ASCII.
            ('Ａ', "a"),
            ('ﬃ', "ffi"),
            ('ᾈ', "ἀι"),
            // Nontransitional processing keeps the sharp s.
            ('ẞ', "ß"),
            // A Hangul vowel on its own (it composes with a consonant before it).
            ('\u{1161}', "\u{1161}"),
            // Right to left: Hebrew, Arabic, and an Arabic presentation form.
            ('א', "א"),
            ('ب', "ب"),
            ('\u{FE91}', "ب"),
        ] {
            assert_eq!(mapped(c).as_deref(), Some(expected), "{c:?}");
        }
    }

    #[test]
    fn marks_are_normalized_as_nfc_normalizes_them() {
        for (written, normalized) in [
            // A vowel sign and the virama (class 9) after Devanagari consonants.
            (
                "\u{915}\u{93F}\u{937}\u{94D}",
                "\u{915}\u{93F}\u{937}\u{94D}",
            ),
            // Thai marks of classes 0, 103 and 107, in the order of their classes.
            (
                "\u{E01}\u{E31}\u{E02}\u{E38}\u{E48}",
                "\u{E01}\u{E31}\u{E02}\u{E38}\u{E48}",
            ),
            // An acute accent after an ideograph: nothing composes with it.
            ("\u{65E5}\u{301}", "\u{65E5}\u{301}"),
            // Two marks of one class, and a mark that joins nothing after a precomposed letter.
            ("\u{E01}\u{E48}\u{E48}", "\u{E01}\u{E48}\u{E48}"),
            ("é\u{305}", "é\u{305}"),
            // Composed with the letter before, one mark at a time, and mapped first.
            ("e\u{301}", "é"),
            ("E\u{301}x", "éx"),
            ("e\u{323}\u{302}", "ệ"),
            ("\u{304B}\u{3099}", "\u{304C}"),
            // A mark of a lower class between: not blocked. Of the same class: blocked.
            ("a\u{316}\u{301}", "á\u{316}"),
            ("a\u{305}\u{301}", "a\u{305}\u{301}"),
            // No composition of these two: kept as written.
            ("q\u{301}", "q\u{301}"),
            // A mark of class 0 composed with the letter right before it.
            ("\u{1B05}\u{1B35}", "\u{1B06}"),
            // After a precomposed letter and a mark kept after it, a mark of that mark's class
            // is blocked (ê and an acute would make ế).
            ("\u{EA}\u{305}\u{301}", "\u{EA}\u{305}\u{301}"),
            ("\u{EA}\u{301}", "\u{1EBF}"),
            // A mark of class 0 after it is a starter of its own: the acute cannot reach ê.
            ("\u{EA}\u{1B35}\u{301}", "\u{EA}\u{1B35}\u{301}"),
            // Hangul jamo composed with the starter right before them, and only with it.
            ("\u{1100}\u{1161}\u{11A8}", "\u{AC01}"),
            ("\u{1100}\u{301}\u{1161}", "\u{1100}\u{301}\u{1161}"),
            // Classes out of order: put in order, then composed (the label whole).
            ("\u{E01}\u{E48}\u{E38}", "\u{E01}\u{E38}\u{E48}"),
            ("i\u{301}\u{323}", "\u{1ECB}\u{301}"),
            // A mark that could go inside a precomposed letter: decomposed, then composed.
            ("é\u{323}", "\u{1EB9}\u{301}"),
            ("é\u{301}", "é\u{301}"),
        ] {
            assert_eq!(label(written).as_deref(), Some(normalized), "{written:?}");
        }
        for refused in [
            // A label that begins with a mark.
            "\u{301}",
            "\u{93F}\u{915}",
            // A composition into a mark (Tamil o): not a character of the table.
            "\u{B95}\u{BC6}\u{BBE}",
        ] {
            assert_eq!(label(refused), None, "{refused:?}");
        }
    }

    #[test]
    fn only_characters_that_map_to_themselves_do() {
        use super::maps_to_itself;
        // Latin Extended-A: upper and lower case in turn, from an even and from an odd start.
        for (c, itself) in [
            ('é', true),
            ('日', true),
            ('\u{100}', false),
            ('\u{101}', true),
            ('\u{139}', false),
            ('\u{13A}', true),
            ('É', false),
            ('ﬃ', false),
            ('\u{301}', false),
            ('\u{FFFD}', false),
        ] {
            assert_eq!(maps_to_itself(c), itself, "{c:?}");
        }
    }

    #[test]
    fn characters_whose_mapping_depends_on_their_neighbours_are_outside() {
        for c in [
            '\u{301}',  // a mark, at the start of a label
            '\u{200D}', // a joiner
            '。',       // a full stop: it splits labels
            '\u{AD}',   // a soft hyphen: mapped to nothing
            '\u{FFFD}', // disallowed
            '℀',        // maps to "a/c"
        ] {
            assert_eq!(mapped(c), None, "{c:?}");
        }
    }
}
