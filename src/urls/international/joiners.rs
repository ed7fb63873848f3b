//! IDNA's CONTEXTJ rule (RFC 5892, appendix A), which UTS #46 checks as the URL standard asks: a
//! zero width joiner only after a virama, a zero width non-joiner after a virama or between
//! letters that join (as in Persian, or Mongolian, between two letters of a word).

use super::blocks::{TwoBlocks, in_runs, values};
use super::mapping::mark_class;
use super::table::JOINING;
use crate::invariant::Invariant;

/// The combining class of a virama.
const VIRAMA: u8 = 9;

/// U+200C ZERO WIDTH NON-JOINER.
const NON_JOINER: char = '\u{200C}';

/// Whether every zero width non-joiner of `label` (mapped, in NFC) is where the rule allows it,
/// after a virama or between letters that join (past any transparent characters, one that
/// joins to what follows it before, and one that joins to what precedes it after), and
/// `next_allowed` holds of the character right after each. One pass: the letters after a
/// non-joiner are read as the pass reaches them, and only the characters next to a non-joiner
/// are looked up (a label of a non-joiner between every two letters costs a lookup a letter,
/// not a call a non-joiner).
pub(super) fn non_joiners_allowed(label: &[char], next_allowed: impl Fn(char) -> bool) -> bool {
    // The character before the non-joiner whose letter after is still looked for.
    let mut waiting: Option<Option<char>> = None;
    let mut before = None;
    for (at, &c) in label.iter().enumerate() {
        if before == Some(NON_JOINER) && !next_allowed(c) {
            return false;
        }
        if c == NON_JOINER {
            // The one before met this one first: it is allowed only after a virama.
            if let Some(waited) = waiting.take()
                && !waited.is_some_and(is_virama)
            {
                return false;
            }
            // The letters first: their types are looked up in one step in the scripts whose
            // letters join, where a virama is looked for in the whole table. The character
            // right before tells, unless it is transparent (a mark): then those before it.
            let joins_before = match before.map(joining_of) {
                Some(Joining::Transparent) => {
                    let letters_before = label.get(..at).holds("a place of the label");
                    first_joining(letters_before.iter().rev().copied())
                }
                joining => joining,
            };
            if matches!(joins_before, Some(Joining::Left | Joining::Dual)) {
                waiting = Some(before);
            } else if !before.is_some_and(is_virama) {
                return false;
            }
        } else if let Some(waited) = waiting {
            match joining_of(c) {
                Joining::Transparent => {}
                Joining::Right | Joining::Dual => waiting = None,
                _ if waited.is_some_and(is_virama) => waiting = None,
                _ => return false,
            }
        }
        before = Some(c);
    }
    waiting.is_none_or(|waited| waited.is_some_and(is_virama))
}

/// Whether `c` is a virama (a mark of the table of class 9), after which either joiner may
/// stand.
pub(super) fn is_virama(c: char) -> bool {
    mark_class(c) == Some(VIRAMA)
}

/// The joining types the rule tells apart (Unicode's `Joining_Type`); every other type is
/// `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Joining {
    /// Joins on both sides.
    Dual,
    /// Joins to the character after it (in logical order).
    Left,
    /// Joins to the character before it.
    Right,
    /// Stands between letters that join without breaking the join (most marks).
    Transparent,
    Other,
}

/// The blocks of the scripts whose letters join (Arabic to Arabic Extended-A, with Syriac and
/// N'Ko; Mongolian), whose types are read from [`IN_BLOCKS`] in one step, not searched for:
/// a label of them may have a non-joiner between every two letters.
const BLOCKS: TwoBlocks = TwoBlocks {
    first: 0x600..0x900,
    second: 0x1800..0x18B0,
};

/// The type of each character of the two blocks, one after the other, as [`JOINING`] gives it.
static IN_BLOCKS: [Joining; BLOCKS.len()] = values(&BLOCKS, &JOINING, Joining::Other);

/// The joining type of `c`, a character of a mapped label (ASCII is `Other`).
#[inline]
fn joining_of(c: char) -> Joining {
    BLOCKS
        .value_of(&IN_BLOCKS, u32::from(c))
        .unwrap_or_else(|| joining_in_runs(c))
}

/// [`joining_of`] by a search of the runs.
#[inline(never)]
fn joining_in_runs(c: char) -> Joining {
    // Below the first run (ASCII), a character joins nothing.
    in_runs(&JOINING, u32::from(c)).map_or(Joining::Other, |(joining, _)| joining)
}

/// The joining type of the first of `chars` that is not transparent, if any.
fn first_joining(chars: impl Iterator<Item = char>) -> Option<Joining> {
    chars
        .map(joining_of)
        .find(|&joining| joining != Joining::Transparent)
}

/// Whether the zero width non-joiner at `at` in `label` (mapped, in NFC) is where the rule
/// allows it, after a virama or between letters that join: the rule as written, one non-joiner
/// at a time, which [`non_joiners_allowed`] is held to.
#[cfg(test)]
fn non_joiner_allowed(label: &[char], at: usize) -> bool {
    joins_around(label, at)
        || at
            .checked_sub(1)
            .and_then(|before| label.get(before))
            .is_some_and(|&before| is_virama(before))
}

/// Whether the zero width non-joiner at `at` in `label` (mapped, in NFC) stands between letters
/// that join: past any transparent characters, one that joins to what follows it before, and
/// one that joins to what precedes it after. (Each transparent character is passed at most
/// twice, by the non-joiners on either side of it: the check of a label is linear.)
#[cfg(test)]
fn joins_around(label: &[char], at: usize) -> bool {
    let (Some(before), Some(after)) = (label.get(..at), label.get(at + 1..)) else {
        return false;
    };
    let before = first_joining(before.iter().rev().copied());
    let after = first_joining(after.iter().copied());
    matches!(before, Some(Joining::Left | Joining::Dual))
        && matches!(after, Some(Joining::Right | Joining::Dual))
}

#[cfg(test)]
mod tests {
    use super::{Joining, joining_of, joins_around, non_joiner_allowed, non_joiners_allowed};
    use proptest::prelude::*;

    #[test]
    fn joining_types_are_those_of_unicode() {
        for (c, expected) in [
            ('a', Joining::Other),
            ('\u{628}', Joining::Dual),
            ('\u{627}', Joining::Right),
            ('\u{64B}', Joining::Transparent),
            ('\u{1820}', Joining::Dual),
            ('\u{A872}', Joining::Left),
            ('\u{4E00}', Joining::Other),
        ] {
            assert_eq!(joining_of(c), expected, "{c:?}");
        }
    }

    #[test]
    fn the_blocks_give_the_types_the_runs_give() {
        for c in (0x500..0x1900).filter_map(char::from_u32) {
            assert_eq!(joining_of(c), super::joining_in_runs(c), "{c:?}");
        }
    }

    #[test]
    fn a_non_joiner_is_allowed_only_between_letters_that_join() {
        let beh = '\u{628}';
        let alef = '\u{627}';
        let fathatan = '\u{64B}';
        let zwnj = '\u{200C}';
        for (label, allowed) in [
            (vec![beh, zwnj, beh], true),
            (vec![beh, zwnj, alef], true),
            (vec![beh, fathatan, zwnj, fathatan, fathatan, alef], true),
            // Alef joins only to what precedes it; nothing, or a letter that does not join.
            (vec![alef, zwnj, beh], false),
            (vec![zwnj, beh], false),
            (vec![beh, zwnj], false),
            (vec!['a', zwnj, beh], false),
            (vec![beh, zwnj, zwnj, beh], false),
        ] {
            let at = label.iter().position(|&c| c == zwnj).expect("a non-joiner");
            assert_eq!(joins_around(&label, at), allowed, "{label:?}");
        }
    }

    /// Letters that join on both sides, on one, none; a mark passed over; a virama and a letter
    /// after it; the two joiners.
    const CHARS: &[char] = &[
        '\u{628}', '\u{627}', '\u{A872}', 'a', '\u{64B}', 'क', '\u{94D}', '\u{1820}', '\u{200C}',
        '\u{200D}',
    ];

    /// The shapes that told wrong passes apart while it was written (a non-joiner after a
    /// virama then another, one last, one first), against the rule one non-joiner at a time.
    #[test]
    fn one_pass_allows_what_the_rule_allows_at_the_edges() {
        let zwnj = '\u{200C}';
        for label in [
            vec!['\u{628}', zwnj, '\u{94D}', zwnj],
            vec!['\u{1820}', '\u{94D}', zwnj, '\u{200D}'],
            vec!['\u{1820}', zwnj],
            vec!['\u{94D}', zwnj, 'a'],
            vec![zwnj],
        ] {
            let each = label
                .iter()
                .enumerate()
                .all(|(at, &c)| c != zwnj || non_joiner_allowed(&label, at));
            assert_eq!(non_joiners_allowed(&label, |_| true), each, "{label:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// The one pass over a label allows what the rule allows of each non-joiner.
        #[test]
        fn one_pass_allows_what_the_rule_allows_of_each(
            label in proptest::collection::vec(proptest::sample::select(CHARS), 0..14),
        ) {
            let each = label
                .iter()
                .enumerate()
                .all(|(at, &c)| c != '\u{200C}' || non_joiner_allowed(&label, at));
            prop_assert_eq!(non_joiners_allowed(&label, |_| true), each, "{:?}", label);
            // And what follows each is asked about.
            let before_a = label.windows(2).any(|w| w == ['\u{200C}', 'a']);
            prop_assert_eq!(non_joiners_allowed(&label, |c| c != 'a'), each && !before_a, "{:?}", label);
        }
    }
}
