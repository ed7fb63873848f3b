//! Which entry of the table a character is in, in constant time.
//!
//! A search among the table's entries is a chain of loads, each waiting for the one before: on
//! a host of long labels it was a fifth of `validate`'s time. Here the code space is cut into
//! blocks of 64 characters. A block whose characters all fall in one entry (nearly all of them:
//! whole scripts map one way) names that entry; any other names a row that gives the entry of
//! each of its characters. Both are built from the table when the crate is compiled: 3,282
//! blocks (6.5 KB) and 439 rows (56 KB).

use super::mapping::Rule;
use super::table::ENTRIES;

const BLOCK_BITS: u32 = 6;
const BLOCK: usize = 1 << BLOCK_BITS;

/// Set in a block's word when all its characters are in the entry the rest of the word names.
const ONE_ENTRY: u16 = 1 << 15;

/// The first character of the table's last entry, which leaves everything from there on to the
/// parser: the blocks stop there.
const END: u32 = end(&ENTRIES);
const BLOCK_COUNT: usize = (END as usize).div_ceil(BLOCK);
const ROW_COUNT: usize = row_count(&ENTRIES);

/// For each block, its entry (with [`ONE_ENTRY`]) or its row; and the rows.
struct Index {
    blocks: [u16; BLOCK_COUNT],
    rows: [[u16; BLOCK]; ROW_COUNT],
}

static INDEX: Index = build(&ENTRIES);

/// The entry of the table `c` is in, or `None` past the table's last entry.
pub(super) fn entry_of(c: char) -> Option<(u32, Rule)> {
    ENTRIES.get(entry_index(c)?).copied()
}

/// The entry of the table `c` is in and where the next one starts (the characters it holds
/// are `first..end`), or `None` past the table's last entry.
pub(super) fn entry_span(c: char) -> Option<Span> {
    let entry = entry_index(c)?;
    let &(first, rule) = ENTRIES.get(entry)?;
    // The last entry holds every character after its first.
    let end = ENTRIES.get(entry + 1).map_or(0x11_0000, |&(next, _)| next);
    Some(Span { first, end, rule })
}

/// An entry of the table and the characters it holds.
#[derive(Clone, Copy, Debug)]
pub(super) struct Span {
    pub(super) first: u32,
    pub(super) end: u32,
    pub(super) rule: Rule,
}

impl Span {
    /// Whether `code` is one of the entry's characters.
    pub(super) fn holds(&self, code: u32) -> bool {
        (self.first..self.end).contains(&code)
    }
}

/// Where `c`'s entry is in the table.
fn entry_index(c: char) -> Option<usize> {
    let code = u32::from(c);
    let block = *INDEX.blocks.get((code >> BLOCK_BITS) as usize)?;
    let entry = if block & ONE_ENTRY != 0 {
        block & !ONE_ENTRY
    } else {
        let row = INDEX.rows.get(usize::from(block))?;
        *row.get(code as usize % BLOCK)?
    };
    Some(usize::from(entry))
}

const fn end(entries: &[(u32, Rule)]) -> u32 {
    assert!(
        entries.len() < ONE_ENTRY as usize,
        "entries are counted in 15 bits"
    );
    let Some(&(first, rule)) = entries.last() else {
        panic!("the table has entries")
    };
    assert!(
        matches!(rule, Rule::Outside),
        "the last entry leaves its characters to the parser"
    );
    first
}

/// The entry of the character `code`, searched from `from`, which is at or before it.
const fn entry_from(entries: &[(u32, Rule)], mut from: usize, code: u32) -> usize {
    while from + 1 < entries.len() && entries[from + 1].0 <= code {
        from += 1;
    }
    from
}

/// The entry of block `block`'s first character, searched from `from`, and whether all the
/// block's characters are in it. Every block starts before [`END`], so its first character is
/// not in the last entry: there is a next one.
const fn block_entry(entries: &[(u32, Rule)], from: usize, block: usize) -> (usize, bool) {
    let first = (block << BLOCK_BITS) as u32;
    let entry = entry_from(entries, from, first);
    (entry, entries[entry + 1].0 >= first + BLOCK as u32)
}

/// How many blocks span more than one entry: each needs a row.
const fn row_count(entries: &[(u32, Rule)]) -> usize {
    let mut rows = 0;
    let (mut entry, mut block) = (0, 0);
    while block < BLOCK_COUNT {
        let alone;
        (entry, alone) = block_entry(entries, entry, block);
        if !alone {
            rows += 1;
        }
        block += 1;
    }
    rows
}

const fn build(entries: &[(u32, Rule)]) -> Index {
    let mut index = Index {
        blocks: [0; BLOCK_COUNT],
        rows: [[0; BLOCK]; ROW_COUNT],
    };
    let (mut entry, mut block, mut row) = (0, 0, 0);
    while block < BLOCK_COUNT {
        let alone;
        (entry, alone) = block_entry(entries, entry, block);
        if alone {
            index.blocks[block] = entry as u16 | ONE_ENTRY;
        } else {
            index.blocks[block] = row as u16;
            let mut at = 0;
            let mut of = entry;
            while at < BLOCK {
                of = entry_from(entries, of, ((block << BLOCK_BITS) + at) as u32);
                index.rows[row][at] = of as u16;
                at += 1;
            }
            row += 1;
        }
        block += 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::{END, ENTRIES, INDEX, ROW_COUNT, entry_of, entry_span};

    /// Every character's entry is the one a search of the table finds: the last that starts at
    /// or before it. (The table starts past ASCII, which is never looked up.)
    #[test]
    fn every_character_finds_the_entry_a_search_finds() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let code = u32::from(c);
            let searched = ENTRIES.partition_point(|&(first, _)| first <= code) - 1;
            match entry_of(c) {
                Some(entry) => assert_eq!(entry, ENTRIES[searched], "{c:?}"),
                // Past the blocks: the last entry, which leaves them to the parser.
                None => assert!(code >= END && searched == ENTRIES.len() - 1, "{c:?}"),
            }
            // Its span: the entry's first character up to the next entry's.
            if let Some(span) = entry_span(c) {
                let next = ENTRIES.get(searched + 1).map_or(0x11_0000, |next| next.0);
                assert_eq!(span.first, ENTRIES[searched].0, "{c:?}");
                assert_eq!(span.end, next, "{c:?}");
                assert!(span.holds(code) && !span.holds(span.end), "{c:?}");
            } else {
                assert_eq!(entry_of(c), None, "{c:?}");
            }
        }
    }

    /// The index stays within 64 KiB: few blocks need a row. (A new Unicode version, or more
    /// of it taken, may need this looked at again.)
    #[test]
    fn few_blocks_need_a_row() {
        let bytes = std::mem::size_of_val(&INDEX);
        assert!(
            bytes < 64 << 10,
            "{ROW_COUNT} rows for {} blocks: {bytes} bytes",
            INDEX.blocks.len()
        );
    }
}
