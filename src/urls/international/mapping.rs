//! What UTS #46 maps a character to, for the characters whose mapping stands on its own.
//!
//! The table (`table.rs`, generated) holds the non-ASCII characters that are valid or mapped in
//! UTS #46 and whose mapping is made only of characters that can stand next to anything without
//! changing: lower-case ASCII letters, digits and `-`, or non-ASCII characters that are valid,
//! of combining class 0, not marks, not right-to-left, not joiners, and never the second half of
//! a canonical composition. A label of such characters is already in NFC once mapped, and
//! passes every validity rule of UTS #46 as the URL Standard applies it, so mapping it character
//! by character gives what the `idna` crate gives. Every other character is outside the table:
//! the URL parser decides the host.

use super::table::{ENTRIES, TEXTS};

/// The characters in pages of 256, from U+0000 to U+10FFFF.
const PAGE_BITS: u32 = 8;
const PAGE_COUNT: usize = 0x11_0000 >> PAGE_BITS;

/// For each page, the entry its first character is in: a character's entry lies between its
/// page's and the next page's, a few entries apart, so a lookup is a short search there rather
/// than one over the whole table.
static PAGES: [u16; PAGE_COUNT + 1] = pages(&ENTRIES);

const fn pages(entries: &[(u32, Rule)]) -> [u16; PAGE_COUNT + 1] {
    assert!(
        entries.len() <= u16::MAX as usize,
        "entries are counted in 16 bits"
    );
    let mut pages = [0u16; PAGE_COUNT + 1];
    let mut entry = 0;
    let mut page = 0;
    while page <= PAGE_COUNT {
        let first = (page as u32) << PAGE_BITS;
        while entry + 1 < entries.len() && entries[entry + 1].0 <= first {
            entry += 1;
        }
        pages[page] = entry as u16;
        page += 1;
    }
    pages
}

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
}

/// Appends what `c` (not ASCII) maps to, or returns `None` if `c` is outside the table.
pub(super) fn push_mapped(c: char, out: &mut Vec<char>) -> Option<()> {
    let code = u32::from(c);
    let page = (code >> PAGE_BITS) as usize;
    let from = usize::from(*PAGES.get(page)?);
    let to = usize::from(*PAGES.get(page + 1)?);
    let near = ENTRIES.get(from..=to)?;
    let entry = near
        .partition_point(|&(first, _)| first <= code)
        .checked_sub(1)?;
    let &(first, rule) = near.get(entry)?;
    match rule {
        Rule::Outside => return None,
        Rule::Same => out.push(c),
        Rule::Shift(by) => out.push(shifted(code, by)?),
        // An even distance: the same parity.
        Rule::Pairs if (code ^ first) & 1 == 0 => out.push(shifted(code, 1)?),
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
    use super::push_mapped;

    fn mapped(c: char) -> Option<String> {
        let mut out = Vec::new();
        push_mapped(c, &mut out).map(|()| out.into_iter().collect())
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
        ] {
            assert_eq!(mapped(c).as_deref(), Some(expected), "{c:?}");
        }
    }

    #[test]
    fn characters_whose_mapping_depends_on_their_neighbours_are_outside() {
        for c in [
            '\u{301}',  // a combining mark
            '\u{200D}', // a joiner
            'א',        // right to left
            '\u{1161}', // a Hangul vowel, composed with the consonant before it
            '。',       // a full stop: it splits labels
            '\u{AD}',   // a soft hyphen: mapped to nothing
            '\u{FFFD}', // disallowed
            '℀',        // maps to "a/c"
        ] {
            assert_eq!(mapped(c), None, "{c:?}");
        }
    }
}
