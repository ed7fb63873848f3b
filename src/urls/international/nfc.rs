//! NFC of a whole mapped label, for the labels whose marks [`MappedLabel`] cannot settle as they
//! come: marks out of the order of their classes, or a mark that could go inside a precomposed
//! letter before it. Such labels went to the URL parser, at up to 38 times a body's parse as
//! JSON; here they cost a pass more than the others.
//!
//! NFC is done as Unicode defines it: every character decomposed (by the table's compositions,
//! which hold every decomposition a mapped label's characters can have into a mark), each run of
//! marks put in the order of their classes (a stable sort), then each mark composed with the
//! starter before it unless a mark between blocks it.
//!
//! [`MappedLabel`]: super::label::MappedLabel

use super::index::entry_of;
use super::mapping::{Rule, maps_to_itself};
use super::table::{COMPOSITIONS, DECOMPOSITIONS};

/// Puts `chars`, a mapped label, in NFC (`scratch` is where it is decomposed); `None` if the
/// result starts with a mark, or has a character UTS #46 does not keep as it is: the parser
/// decides then.
pub(super) fn normalize(chars: &mut Vec<char>, scratch: &mut Vec<Decomposed>) -> Option<()> {
    scratch.clear();
    // Few characters decompose into more than two.
    scratch.reserve(chars.len() * 2);
    for &c in chars.iter() {
        decompose(c, scratch);
    }
    if scratch.first().is_none_or(|first| first.mark) {
        return None;
    }
    put_marks_in_order(scratch);
    chars.clear();
    compose(scratch, chars).then_some(())
}

/// A character of a decomposed label, with its combining class, and whether it is a mark of the
/// table and can be the second half of a composition (joins).
#[derive(Clone, Copy, Debug)]
pub(super) struct Decomposed {
    c: char,
    class: u8,
    mark: bool,
    joining: bool,
}

/// Where the table's compositions start: nothing before it decomposes or composes.
const FIRST_COMPOSED: char = '\u{C0}';

/// `c` with its class, and whether it is a mark of the table and joins.
fn decomposed(c: char) -> Decomposed {
    let entry = if c < FIRST_COMPOSED {
        None
    } else {
        entry_of(c)
    };
    let (class, mark, joining) = match entry {
        // Of class 0, composed only with the character right before it.
        Some((_, Rule::Jamo)) => (0, false, true),
        Some((_, Rule::Mark(class))) => (class, true, false),
        Some((_, Rule::JoiningMark(class))) => (class, true, true),
        _ => (0, false, false),
    };
    Decomposed {
        c,
        class,
        mark,
        joining,
    }
}

/// Appends the canonical decomposition of `c` to `out`. A mark of the table has none.
fn decompose(c: char, out: &mut Vec<Decomposed>) {
    let whole = decomposed(c);
    if whole.mark {
        out.push(whole);
        return;
    }
    let start = out.len();
    let mut base = whole;
    // Written from the last mark back: each decomposition is a character and one mark.
    while let Some((first, mark)) = decomposition(base.c) {
        out.push(decomposed(mark));
        base = decomposed(first);
    }
    out.push(base);
    if let Some(written) = out.get_mut(start..) {
        written.reverse();
    }
}

/// What `c` decomposes into, a character and a mark of the table, if anything. (A character
/// that decomposes otherwise, a Hangul syllable or two vowels of class 0, holds no mark that
/// NFC could move or join.)
pub(super) fn decomposition(c: char) -> Option<(char, char)> {
    if c < FIRST_COMPOSED {
        return None;
    }
    let code = u32::from(c);
    let &(_, first, mark) =
        DECOMPOSED.find(u64::from(code), |&(composite, _, _)| composite == code)?;
    char::from_u32(first).zip(char::from_u32(mark))
}

/// Sorts each run of characters of classes other than 0 by class, keeping the order of those of
/// one class: the canonical order. Runs are short (two or three marks): one is sorted in place
/// by insertion, up to a length past which the standard library's stable sort keeps the cost of
/// a long run in check.
fn put_marks_in_order(chars: &mut [Decomposed]) {
    const BY_INSERTION: usize = 8;
    for run in chars.split_mut(|d| d.class == 0) {
        if run.len() > BY_INSERTION {
            run.sort_by_key(|d| d.class);
            continue;
        }
        for end in 1..run.len() {
            let mut at = end;
            while at > 0 && run.get(at - 1).map(|d| d.class) > run.get(at).map(|d| d.class) {
                run.swap(at - 1, at);
                at -= 1;
            }
        }
    }
}

/// Appends to `out` the characters of `decomposed`, in canonical order, composed: a joining mark
/// joins the last starter (of class 0) when a composition of the two exists and nothing between
/// them blocks it, a character of class 0 or of a class not below its own. Returns whether every
/// character is one UTS #46 keeps as it is. Only what is composed from a mark of class 0 needs
/// judging: the table's test holds that a character it keeps decomposes into characters it
/// keeps, and that a kept character and a mark compose into a kept character.
fn compose(decomposed: &[Decomposed], out: &mut Vec<char>) -> bool {
    // The starter's place in `out` and whether it is a mark (of class 0), and the class of the
    // last character kept after it (`None` while the starter is the last character).
    let mut starter: Option<(usize, bool)> = None;
    let mut last_class: Option<u8> = None;
    let mut kept = true;
    for &d in decomposed {
        let blocked = last_class.is_some_and(|last| last == 0 || last >= d.class);
        if let (true, Some((at, mark)), false) = (d.joining, starter, blocked)
            && let Some(slot) = out.get_mut(at)
            && let Some(composite) = composition(*slot, d.c)
        {
            *slot = composite;
            kept &= !mark || maps_to_itself(composite);
            continue;
        }
        if d.class == 0 {
            starter = Some((out.len(), d.mark));
            last_class = None;
        } else {
            last_class = Some(d.class);
        }
        out.push(d.c);
    }
    kept
}

/// What NFC composes `first` and `mark` (a mark of the table, or a Hangul vowel or final
/// consonant) into, if anything.
#[inline]
pub(super) fn composition(first: char, mark: char) -> Option<char> {
    let (first, mark) = (u32::from(first), u32::from(mark));
    // Hangul's vowels and finals are between U+1161 and U+11C2; every mark of the table is
    // elsewhere.
    if (0x1161..=0x11C2).contains(&mark) {
        return hangul(first, mark).and_then(char::from_u32);
    }
    let &(_, _, composite) =
        COMPOSED.find(pair_key(first, mark), |&(f, m, _)| (f, m) == (first, mark))?;
    char::from_u32(composite)
}

/// Hangul's blocks (Unicode's chapter 3.12): the first syllable, initial consonant, vowel and
/// final consonant (the one before the first: a syllable's own place is "no final"), and their
/// counts.
const SYLLABLES: u32 = 0xAC00;
const INITIALS: u32 = 0x1100;
const VOWELS: u32 = 0x1161;
const FINALS: u32 = 0x11A7;
const INITIAL_COUNT: u32 = 19;
const VOWEL_COUNT: u32 = 21;
const FINAL_COUNT: u32 = 28;

/// Whether a Hangul vowel or final consonant may compose with `c`: an initial consonant, or a
/// syllable (only one without a final consonant does, but every syllable is counted).
pub(super) fn may_compose_with_jamo(c: char) -> bool {
    let code = u32::from(c);
    code.wrapping_sub(INITIALS) < INITIAL_COUNT
        || code.wrapping_sub(SYLLABLES) < INITIAL_COUNT * VOWEL_COUNT * FINAL_COUNT
}

/// Hangul's composition, by arithmetic (Unicode's chapter 3.12): an initial consonant and a
/// vowel make a syllable, and a syllable without a final consonant and one make a syllable.
fn hangul(first: u32, second: u32) -> Option<u32> {
    // Differences taken wrapping: one below the base wraps past every count.
    let (initial, vowel) = (first.wrapping_sub(INITIALS), second.wrapping_sub(VOWELS));
    if initial < INITIAL_COUNT && vowel < VOWEL_COUNT {
        return Some(SYLLABLES + (initial * VOWEL_COUNT + vowel) * FINAL_COUNT);
    }
    let syllable = first.wrapping_sub(SYLLABLES);
    // Finals count from one: the syllable's own place is "no final".
    let last = second.wrapping_sub(FINALS);
    let composes = syllable < INITIAL_COUNT * VOWEL_COUNT * FINAL_COUNT
        && syllable.is_multiple_of(FINAL_COUNT)
        && (1..FINAL_COUNT).contains(&last);
    composes.then(|| first + last)
}

/// The key of a composition by its halves: characters take 21 bits.
const fn pair_key(first: u32, mark: u32) -> u64 {
    (first as u64) << 21 | mark as u64
}

/// Slots of a [`Lookup`]: a power of two over twice the compositions, so that a probe meets an
/// empty slot within a few steps.
const SLOTS: usize = 2048;
const EMPTY: u16 = u16::MAX;

/// A hash table over one of the table's lists of compositions, built when the crate is
/// compiled: each slot holds the place of an entry in the list, or [`EMPTY`]. A search of the
/// list (ten steps) for every character was most of the cost of a label put in NFC whole.
struct Lookup {
    slots: [u16; SLOTS],
    /// A bit for each key's [`filter_bit_of`], set where an entry is filed under it.
    filter: [u64; FILTER_BITS / 64],
    entries: &'static [(u32, u32, u32)],
}

static COMPOSED: Lookup = Lookup::new(&COMPOSITIONS, Key::Halves);
static DECOMPOSED: Lookup = Lookup::new(&DECOMPOSITIONS, Key::Composite);

/// What an entry is filed under.
#[derive(Clone, Copy)]
enum Key {
    /// Its first two characters, a composition's halves ([`pair_key`]).
    Halves,
    /// Its first character, a composite.
    Composite,
}

/// Bits of a [`Lookup`]'s filter: some thirty-six for each entry, so that a key filed under
/// none finds its bit clear all but about one time in thirty-seven.
const FILTER_BITS: usize = 1 << 15;

/// The bit of `key` in a [`Lookup`]'s filter: the top bits of its product with an odd constant.
const fn filter_bit_of(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - FILTER_BITS.trailing_zeros())) as usize
}

/// The first slot of the key whose filter bit is `bit`: the top of the same bits.
const fn slot_of(bit: usize) -> usize {
    bit >> (FILTER_BITS.trailing_zeros() - SLOTS.trailing_zeros())
}

impl Lookup {
    /// The table of `entries`, each filed under its `key`.
    const fn new(entries: &'static [(u32, u32, u32)], key: Key) -> Self {
        assert!(entries.len() * 2 < SLOTS, "the table stays under half full");
        let mut slots = [EMPTY; SLOTS];
        let mut filter = [0; FILTER_BITS / 64];
        let mut at = 0;
        while at < entries.len() {
            let (a, b, _) = entries[at];
            let key = match key {
                Key::Halves => pair_key(a, b),
                Key::Composite => a as u64,
            };
            let bit = filter_bit_of(key);
            filter[bit / 64] |= 1 << (bit % 64);
            let mut slot = slot_of(bit);
            while slots[slot] != EMPTY {
                slot = (slot + 1) % SLOTS;
            }
            slots[slot] = at as u16;
            at += 1;
        }
        Lookup {
            slots,
            filter,
            entries,
        }
    }

    /// The entry filed under `key` for which `is` holds. Most keys looked up are filed under
    /// nothing (a letter and a mark that do not compose): their bit of the filter is clear,
    /// one load, where the probe reads a slot and an entry. The probe stops at the first empty
    /// slot, which a table under half full always has.
    fn find(&self, key: u64, is: impl Fn(&(u32, u32, u32)) -> bool) -> Option<&(u32, u32, u32)> {
        let bit = filter_bit_of(key);
        let word = self.filter.get(bit / 64);
        debug_assert!(word.is_some(), "the filter has a bit for every product");
        if word.is_none_or(|&word| word >> (bit % 64) & 1 == 0) {
            return None;
        }
        let start = slot_of(bit);
        for step in 0..SLOTS {
            let &at = self.slots.get((start + step) % SLOTS)?;
            if at == EMPTY {
                return None;
            }
            let entry = self.entries.get(usize::from(at));
            debug_assert!(entry.is_some(), "a slot holds the place of an entry");
            if entry.is_some_and(&is) {
                return entry;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    fn nfc(text: &str) -> Option<String> {
        let mut chars: Vec<char> = text.chars().collect();
        normalize(&mut chars, &mut Vec::new())?;
        Some(chars.into_iter().collect())
    }

    #[test]
    fn hangul_composes_as_unicode_composes_it() {
        let icu = icu_normalizer::properties::CanonicalCompositionBorrowed::new();
        let jamo = (0x10F0..0x1210).filter_map(char::from_u32);
        let syllables = (0xABF0..0xD7B0)
            .step_by(3)
            .chain([0xAC00, 0xAC1B, 0xAC1C, 0xD788, 0xD7A3, 0xD7A4])
            .filter_map(char::from_u32);
        for first in jamo.clone().chain(syllables) {
            for second in jamo
                .clone()
                .filter(|c| (0x1161..=0x11C2).contains(&u32::from(*c)))
            {
                let expected = icu.compose(first, second);
                assert_eq!(
                    super::composition(first, second),
                    expected,
                    "{first:?} {second:?}"
                );
                // What a jamo composes with is what may_compose_with_jamo counts.
                if expected.is_some() {
                    assert!(super::may_compose_with_jamo(first), "{first:?}");
                }
            }
        }
        for c in [
            'a', '\u{10FF}', '\u{1113}', '\u{1161}', '\u{11A8}', '\u{ABFF}', '\u{D7A4}',
        ] {
            assert!(!super::may_compose_with_jamo(c), "{c:?}");
        }
        for c in ['\u{1100}', '\u{1112}', '\u{AC00}', '\u{D7A3}'] {
            assert!(super::may_compose_with_jamo(c), "{c:?}");
        }
    }

    #[test]
    fn marks_are_put_in_order_and_composed() {
        for (written, normalized) in [
            // Out of the order of their classes: dot below (220) before acute (230).
            ("a\u{301}\u{323}", "\u{1EA1}\u{301}"),
            ("e\u{302}\u{323}", "\u{1EC7}"),
            // Into a precomposed letter: decomposed first.
            ("\u{E9}\u{323}", "\u{1EB9}\u{301}"),
            ("\u{1EB9}\u{302}", "\u{1EC7}"),
            // Two marks of one class keep their order; the second is blocked.
            ("a\u{301}\u{300}", "\u{E1}\u{300}"),
            // Thai marks of classes 107 and 103, put in order; nothing composes.
            ("\u{E01}\u{E48}\u{E38}", "\u{E01}\u{E38}\u{E48}"),
            // Arabic: damma (31) before fatha (30), and alef with hamza above.
            ("\u{628}\u{64F}\u{64E}", "\u{628}\u{64E}\u{64F}"),
            ("\u{627}\u{654}", "\u{623}"),
            // Hangul jamo: an initial and a vowel, then a final, make one syllable.
            ("\u{1100}\u{1161}\u{11A8}", "\u{AC01}"),
            ("\u{AC00}\u{11A8}", "\u{AC01}"),
            ("\u{AC01}\u{11A8}", "\u{AC01}\u{11A8}"),
            ("\u{1100}\u{301}\u{1161}", "\u{1100}\u{301}\u{1161}"),
            // Already in NFC, with a starter of class 0 after marks.
            ("\u{E1}b", "\u{E1}b"),
        ] {
            assert_eq!(nfc(written).as_deref(), Some(normalized), "{written:?}");
        }
    }

    #[test]
    fn labels_nfc_leaves_invalid_are_refused() {
        // Starting with a mark; and composed into a mark the table leaves out (Tamil o).
        for refused in ["\u{301}a", "\u{323}\u{301}", "\u{B95}\u{BC6}\u{BBE}"] {
            assert_eq!(nfc(refused), None, "{refused:?}");
        }
    }
}
