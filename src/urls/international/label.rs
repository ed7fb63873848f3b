//! A label being mapped, with NFC applied to its marks as they come.
//!
//! UTS #46 maps a label, then puts it in NFC. The characters of the table other than marks are
//! in NFC whatever stands around them; a mark is not. NFC puts a run of marks in the order of
//! their combining classes, and composes a mark with the character of class 0 before it (its
//! starter) when a composition of the two exists and no mark between them blocks it. Here that
//! is done as the marks come for the common case, a starter that has no canonical decomposition
//! followed by marks already in order. Marks out of order, or a mark that could compose after a
//! starter that came precomposed (the mark could belong inside it), have the label put in NFC
//! whole at its end (`nfc`). A label that begins with a mark (IDNA refuses it), or a composition
//! that gives a character UTS #46 would not keep as it is, is left to the parser.

use super::index::entry_of;
use super::joiners::{is_virama, non_joiners_allowed};
use super::mapping::{Rule, maps_to_itself, mark_class, push_mapped};
use super::nfc::{composition, decomposition};

const ZERO_WIDTH_NON_JOINER: char = '\u{200C}';
const ZERO_WIDTH_JOINER: char = '\u{200D}';

/// A label's characters once mapped and normalized.
///
/// The marks after a starter are taken only in the order of their classes, so they are the
/// starter's canonical decomposition as written, and composing them in turn (each with the
/// starter unless a mark kept between blocks it) is NFC's composition.
#[derive(Debug, Default)]
pub(super) struct MappedLabel {
    chars: Vec<char>,
    /// Set once a mark comes that NFC would move or could join into a precomposed letter: the
    /// label is then mapped as it comes and put in NFC whole at its end ([`nfc`]), and where
    /// it is decomposed for that.
    ///
    /// [`nfc`]: super::nfc
    normalize_whole: bool,
    decomposed: Vec<super::nfc::Decomposed>,
    /// Where the last character of class 0 (the starter) is; `None` while the label is empty.
    starter: Option<usize>,
    /// Whether a mark has been composed into the starter: a starter made here decomposes into
    /// what was composed, not into anything a later mark could be reordered into.
    composed: bool,
    /// The class of the last mark after the starter, composed with it or not; 0 if none.
    last_class: u8,
    /// The class of the last mark after the starter that was not composed with it; 0 if none.
    last_kept_class: u8,
    /// Whether a zero width non-joiner came after something other than a virama: the letters
    /// around it are looked at once the label is mapped.
    non_joiner_to_check: bool,
}

impl MappedLabel {
    /// Empties the label for the next one, keeping its memory.
    pub(super) fn clear(&mut self) {
        self.chars.clear();
        self.normalize_whole = false;
        self.starter = None;
        self.composed = false;
        self.last_class = 0;
        self.last_kept_class = 0;
        self.non_joiner_to_check = false;
    }

    /// The label's characters, mapped and normalized, once all have been pushed; `None` if
    /// its normalization is left to the parser, or a zero width non-joiner stands neither after
    /// a virama nor between letters that join (which IDNA refuses).
    pub(super) fn finish(&mut self) -> Option<&[char]> {
        if self.normalize_whole {
            // NFC may move the marks around a non-joiner: the parser decides.
            if self.non_joiner_to_check {
                return None;
            }
            super::nfc::normalize(&mut self.chars, &mut self.decomposed)?;
        }
        if self.non_joiner_to_check && !self.non_joiners_join() {
            return None;
        }
        Some(&self.chars)
    }

    /// Whether every zero width non-joiner of the label that is not after a virama stands
    /// between letters that join.
    #[cold]
    fn non_joiners_join(&self) -> bool {
        non_joiners_allowed(&self.chars, |_| true)
    }

    /// Maps `text`, a label of ASCII letters, digits, `-` and other characters, as the only
    /// label: its characters, or `None` if it has one left to the parser.
    pub(super) fn map(&mut self, text: &str) -> Option<&[char]> {
        self.map_all(text.chars())
    }

    /// [`MappedLabel::map`] of a label's characters (a decoded punycode label).
    pub(super) fn map_chars(&mut self, chars: &[char]) -> Option<&[char]> {
        self.map_all(chars.iter().copied())
    }

    fn map_all(&mut self, chars: impl Iterator<Item = char>) -> Option<&[char]> {
        self.clear();
        for c in chars {
            if c.is_ascii() {
                self.push_ascii(c);
            } else {
                self.push(c)?;
            }
        }
        self.finish()
    }

    /// Appends an ASCII letter, digit or `-`, lower-cased.
    pub(super) fn push_ascii(&mut self, c: char) {
        debug_assert!(c.is_ascii(), "{c:?} is not ASCII");
        self.chars.push(c.to_ascii_lowercase());
        self.new_starter();
    }

    /// Appends ASCII letters, digits and `-`, lower-cased: [`MappedLabel::push_ascii`] of each.
    pub(super) fn push_ascii_run(&mut self, run: &[u8]) {
        if run.is_empty() {
            return;
        }
        debug_assert!(run.is_ascii(), "{run:?} is not ASCII");
        self.chars
            .extend(run.iter().map(|&b| char::from(b.to_ascii_lowercase())));
        self.new_starter();
    }

    /// Appends what `c` (not ASCII) maps to, normalized; or returns `None` if `c` is outside
    /// the table, or is a mark whose normalization here is left to the parser.
    pub(super) fn push(&mut self, c: char) -> Option<()> {
        let (first, rule) = entry_of(c)?;
        match rule {
            Rule::Mark(class) => self.push_mark(c, class, false),
            Rule::JoiningMark(class) => self.push_mark(c, class, true),
            Rule::Outside if matches!(c, ZERO_WIDTH_NON_JOINER | ZERO_WIDTH_JOINER) => {
                self.push_joiner(c)
            }
            Rule::Jamo => {
                self.push_jamo(c);
                Some(())
            }
            rule => {
                push_mapped(c, first, rule, &mut self.chars)?;
                // A mapping ends with a character of class 0.
                self.new_starter();
                Some(())
            }
        }
    }

    /// The last character is a starter.
    fn new_starter(&mut self) {
        self.starter = self.chars.len().checked_sub(1);
        self.composed = false;
        self.last_class = 0;
        self.last_kept_class = 0;
    }

    /// Appends mark `c` of combining class `class`, composed with the starter if NFC would
    /// compose it (`joining`: a composition with it as the second half exists).
    fn push_mark(&mut self, c: char, class: u8, joining: bool) -> Option<()> {
        // IDNA refuses a label that begins with a mark.
        let starter = self.starter?;
        // NFC would reorder marks out of the order of their classes (class 0 ends a run), those
        // composed into the starter too: the label is put in NFC whole.
        if self.normalize_whole || (class != 0 && self.last_class > class) {
            return self.normalize_at_end(c);
        }
        self.last_class = class;
        if joining {
            let &first = self.chars.get(starter)?;
            // A precomposed starter holds marks a later one could go before or compose with.
            if !self.composed
                && let Some(halves) = decomposition(first)
            {
                return self.push_after_precomposed(starter, halves, c, class);
            }
            // Marks in order between the starter and `c`: the last has the highest class, and
            // blocks `c` if it is of the same class (or `c` is of class 0 and not next to it).
            let uncomposed = starter + 1 < self.chars.len();
            let blocked = uncomposed && (class == 0 || self.last_kept_class >= class);
            if let Some(composite) = composition(first, c).filter(|_| !blocked) {
                // UTS #46 checks the normalized label: the composite must be valid as it is.
                if !maps_to_itself(composite) {
                    return None;
                }
                let slot = self.chars.get_mut(starter);
                debug_assert!(slot.is_some(), "the starter is a character of the label");
                *slot? = composite;
                self.composed = true;
                return Some(());
            }
        }
        self.chars.push(c);
        if class == 0 {
            self.new_starter();
        } else {
            self.last_kept_class = class;
        }
        Some(())
    }
}

/// Whether a starter that maps to itself, `starter`, and a mark of the table that may compose
/// with what is before it (a joining mark), `mark`, of class `class`, map to themselves as a
/// segment of a label: [`MappedLabel::map_chars`] of the two, without its lookups. `None` when
/// that puts the label in NFC whole (a precomposed starter with a mark of class 0 or one not of
/// the table) or when the mark goes inside the starter and changes it: the caller maps the two.
///
/// The starter decomposes into a base and its last mark, the base perhaps again (a Greek
/// letter with a breathing and an accent), in canonical order: the classes of its marks do not
/// fall from first to last. NFC puts the mark after those of its marks whose class is not above
/// its own, and the mark then meets the letter they make: it composes with it, or is kept and
/// the marks after it compose back into the starter. `class_of_inner` gives [`mark_class`] of
/// a mark a starter decomposes into (a caller may keep the last: a few accents make most
/// letters).
pub(super) fn pair_maps_to_itself(
    starter: char,
    mark: char,
    class: u8,
    mut class_of_inner: impl FnMut(char) -> Option<u8>,
) -> Option<bool> {
    // The letter the mark meets: the starter itself, most often.
    let Some((mut base, inner)) = decomposition(starter) else {
        return Some(composition(starter, mark).is_none());
    };
    let inner_class = class_of_inner(inner)?;
    if class == 0 || inner_class == 0 {
        return None;
    }
    if class >= inner_class {
        return Some(composition(starter, mark).is_none());
    }
    // Before the starter's last mark: into its base, and further while the base's own last
    // mark is of a higher class. Composed there, the mark is gone from the segment (none of
    // the starter's marks after it is of its class, to be kept in its place).
    while let Some((further, inner)) = decomposition(base) {
        if class >= class_of_inner(inner)? {
            break;
        }
        base = further;
    }
    Some(composition(base, mark).is_none())
}

impl MappedLabel {
    /// Appends joiner `c`: after a virama (a mark of class 9), as IDNA's CONTEXTJ rule allows
    /// either joiner, or a zero width non-joiner anywhere, checked once the label is mapped
    /// (the rule also allows it between letters that join: [`non_joiners_allowed`]). `None` for
    /// a zero width joiner after anything else, or a joiner first (IDNA refuses both), and for
    /// a label put in NFC whole, whose marks may move: the parser decides. A joiner is of class
    /// 0, and nothing composes with it: it starts a run of its own.
    #[cold]
    fn push_joiner(&mut self, c: char) -> Option<()> {
        let &before = self.chars.last()?;
        let after_virama = is_virama(before);
        if self.normalize_whole || !(after_virama || c == ZERO_WIDTH_NON_JOINER) {
            return None;
        }
        self.non_joiner_to_check |= !after_virama;
        self.chars.push(c);
        self.new_starter();
        Some(())
    }

    /// Appends Hangul vowel or final consonant `c`, composed with the character right before it
    /// if that is the starter and NFC composes the two (an initial consonant and a vowel, or a
    /// syllable without a final consonant and one).
    fn push_jamo(&mut self, c: char) {
        let last = self.chars.len().checked_sub(1);
        if let Some(at) = last.filter(|&at| Some(at) == self.starter)
            && let Some(slot) = self.chars.get_mut(at)
            && let Some(syllable) = composition(*slot, c)
        {
            *slot = syllable;
            self.composed = true;
            return;
        }
        // Of class 0, and not a mark: a starter.
        self.chars.push(c);
        self.new_starter();
    }

    /// Appends joining mark `c`, of class `class`, right after the precomposed starter at
    /// `starter`, which decomposes into `base` and a mark of the table. NFC puts `c` after that
    /// mark when its class is not below the mark's, and then the two compose as any starter and
    /// mark do; or before it, and then `c` meets `base` first. Handled here when `base` does not
    /// decompose, nothing stands after the starter yet and neither mark is of class 0 (a
    /// precomposed letter and one mark, as written in NFD after an accent); the rest has the
    /// label put in NFC whole at its end.
    #[cold]
    fn push_after_precomposed(
        &mut self,
        starter: usize,
        (base, inner): (char, char),
        c: char,
        class: u8,
    ) -> Option<()> {
        let Some(inner_class) = mark_class(inner) else {
            return self.normalize_at_end(c);
        };
        // A mark of class 0 on either side starts a run of its own: NFC of the whole label.
        let alone = starter + 1 == self.chars.len();
        if !alone || class == 0 || inner_class == 0 || decomposition(base).is_some() {
            return self.normalize_at_end(c);
        }
        let slot = self.chars.get_mut(starter)?;
        if class >= inner_class {
            // After the starter's own mark: the starter composes with `c` or keeps it.
            if let Some(composite) = composition(*slot, c) {
                *slot = composite;
            } else {
                self.chars.push(c);
                self.last_kept_class = class;
            }
        } else if let Some(with_c) = composition(base, c) {
            // Before it, composed with the base; the starter's mark then composes or stays.
            match composition(with_c, inner) {
                Some(composite) => *slot = composite,
                None => {
                    *slot = with_c;
                    self.chars.push(inner);
                    self.last_kept_class = inner_class;
                }
            }
        } else {
            // Before it, kept: the base and the starter's mark compose back into the starter.
            self.chars.push(c);
            self.last_kept_class = class;
        }
        // The starter now decomposes into what was composed here; the highest class is the
        // last one seen.
        self.composed = true;
        self.last_class = class.max(inner_class);
        Some(())
    }

    /// Appends mark `c` as it is, and has the label put in NFC whole at its end.
    #[cold]
    fn normalize_at_end(&mut self, c: char) -> Option<()> {
        self.normalize_whole = true;
        self.chars.push(c);
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::mapping::{joining_mark_class, maps_to_itself};
    use super::{MappedLabel, mark_class, pair_maps_to_itself};

    /// Every starter that maps to itself from Latin to the Greek extensions (precomposed or not,
    /// with bases that decompose again), after every joining mark of the combining blocks:
    /// the verdict by compositions is the mapping's, wherever it gives one.
    #[test]
    fn pairs_settled_by_their_compositions_are_settled_as_mapped() {
        let marks: Vec<(char, u8)> = (0x300..0x370)
            .chain(0x1DC0..0x1E00)
            .chain(0x3099..0x309B)
            .filter_map(char::from_u32)
            .filter_map(|m| Some((m, joining_mark_class(m)?)))
            .collect();
        assert!(marks.len() > 30, "{} joining marks", marks.len());
        let mut label = MappedLabel::default();
        let mut settled = 0;
        for starter in (0x61..0x7B).chain(0xC0..0x2000).filter_map(char::from_u32) {
            if !(starter.is_ascii_lowercase() || maps_to_itself(starter)) {
                continue;
            }
            for &(mark, class) in &marks {
                let pair = [starter, mark];
                if let Some(held) = pair_maps_to_itself(starter, mark, class, mark_class) {
                    let mapped = label.map_chars(&pair) == Some(pair.as_slice());
                    assert_eq!(held, mapped, "{pair:?}");
                    settled += 1;
                }
            }
        }
        // Every pair the compositions settle with this table: a letter whose base decomposes
        // again included (154,904 before they were; a change that gives up on some shows).
        assert!(settled >= 156_302, "only {settled} pairs settled");
    }
}
