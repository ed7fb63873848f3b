//! Two blocks of code points whose values (a bidi class, a joining type) are read from one array
//! in one step, where a search of the table's runs would take a chain of loads: for the scripts
//! a rule looks at every character of.

use std::ops::Range;

/// Two ranges of code points, the values of whose characters are kept one after the other.
pub(super) struct TwoBlocks {
    pub(super) first: Range<u32>,
    pub(super) second: Range<u32>,
}

impl TwoBlocks {
    /// How many characters the two blocks hold.
    pub(super) const fn len(&self) -> usize {
        (self.first.end - self.first.start + self.second.end - self.second.start) as usize
    }

    /// The value of `code` among `values` (built by [`values`] for these blocks), if it is in
    /// one of the blocks.
    #[inline(always)]
    pub(super) fn value_of<T: Copy>(&self, values: &[T], code: u32) -> Option<T> {
        let value = values.get(self.index_of(code)?).copied();
        debug_assert!(value.is_some(), "the two blocks are in the array");
        value
    }

    /// Where `code` is kept, if it is in one of the blocks.
    #[inline(always)]
    fn index_of(&self, code: u32) -> Option<usize> {
        if self.first.contains(&code) {
            Some((code - self.first.start) as usize)
        } else if self.second.contains(&code) {
            Some((code - self.second.start + (self.first.end - self.first.start)) as usize)
        } else {
            None
        }
    }

    /// The code point kept at `at`.
    const fn code_at(&self, at: usize) -> u32 {
        let first_len = (self.first.end - self.first.start) as usize;
        if at < first_len {
            self.first.start + at as u32
        } else {
            self.second.start + (at - first_len) as u32
        }
    }
}

/// The value of each character of `blocks`, as `runs` (the first character of each run of one
/// value, in order, from below the blocks) gives it: built when the crate is compiled.
pub(super) const fn values<T: Copy, const N: usize>(
    blocks: &TwoBlocks,
    runs: &[(u32, T)],
    fill: T,
) -> [T; N] {
    let mut values = [fill; N];
    let (mut at, mut run) = (0, 0);
    while at < N {
        let code = blocks.code_at(at);
        while run + 1 < runs.len() && runs[run + 1].0 <= code {
            run += 1;
        }
        values[at] = runs[run].1;
        at += 1;
    }
    values
}

/// The value of the run of `runs` (the first character of each run of one value, in order) that
/// holds `code`, and where that run ends (the next run's first character); `None` below the
/// first run.
pub(super) fn in_runs<T: Copy>(runs: &[(u32, T)], code: u32) -> Option<(T, u32)> {
    let run = runs.partition_point(|&(first, _)| first <= code);
    let &(_, value) = runs.get(run.checked_sub(1)?)?;
    let end = runs.get(run).map_or(u32::MAX, |&(first, _)| first);
    Some((value, end))
}
