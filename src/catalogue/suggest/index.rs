//! The index of a list of candidates (the class names, a long option list), built once when
//! the catalogue is loaded, so that a query meets only the candidates that could be within its
//! threshold.
//!
//! Two filters, both exact (they never drop a candidate the rule would suggest):
//!
//! * **Length.** The distance is at least the difference in length, so only candidates whose
//!   folded length is within the threshold are looked at; they are listed by length.
//! * **Shared bigrams** (the q-gram lemma, q = 2). One edit destroys at most two of a text's
//!   bigrams, so texts of m and n characters within k edits share at least
//!   `max(m, n) - 1 - 2k` bigrams, counted with multiplicity. Each bigram is indexed with its
//!   occurrence number (the second `ab` of a text is another token than the first), so counting
//!   the candidates of each token counts the multiset intersection. When the lemma requires at
//!   least one shared bigram, only candidates that appear in the posting lists of the sent
//!   text's tokens are counted, and only those that share enough are compared.

use std::collections::HashMap;

use super::distance::{COMPARED_CHARS, folded};

/// The largest candidate id: ids are `u32`, and option lists are bounded far below it.
const MAX_CANDIDATES: usize = u32::MAX as usize;

/// One token: a bigram of folded characters and its occurrence number in the text.
#[inline]
pub(crate) fn token(first: char, second: char, occurrence: u32) -> u64 {
    // 21 bits a character, 22 for the occurrence (a folded text has at most 63 bigrams).
    (u64::from(first) << 43) | (u64::from(second) << 22) | u64::from(occurrence)
}

/// The tokens of folded characters, each bigram with its occurrence number (which copy of
/// a repeated bigram gets which number does not matter to a count).
pub(crate) fn tokens(chars: &[char], out: &mut Vec<u64>) {
    out.clear();
    out.extend(chars.windows(2).filter_map(|pair| match *pair {
        [first, second] => Some(token(first, second, 0)),
        _ => None,
    }));
    out.sort_unstable();
    let mut previous = None;
    let mut occurrence = 0;
    for t in out.iter_mut() {
        occurrence = if previous == Some(*t) {
            occurrence + 1
        } else {
            0
        };
        previous = Some(*t);
        *t |= occurrence;
    }
}

/// The index of one list of candidates, by their position in the list.
#[derive(Debug, Default)]
pub(crate) struct SuggestIndex {
    /// The folded texts, one after another; candidate `i` ends at `ends[i]`.
    folded: String,
    ends: Vec<u32>,
    /// The folded length (characters) of each candidate.
    lengths: Vec<u8>,
    /// Candidate ids ordered by folded length; those of length `l` are
    /// `by_length[length_starts[l]..length_starts[l + 1]]`.
    by_length: Vec<u32>,
    length_starts: Vec<u32>,
    /// The distinct tokens, sorted, and for each the candidates that hold it, ascending:
    /// `postings[ranges[t].0..ranges[t].1]`.
    keys: Vec<u64>,
    ranges: Vec<(u32, u32)>,
    postings: Vec<u32>,
}

impl SuggestIndex {
    /// The index of `candidates`, or `None` if it would take more than `allowance` bytes or
    /// the list is too long to number.
    ///
    /// Two passes of counting sort: the first counts each distinct token's candidates, the
    /// second places them; nothing larger than the postings themselves is held meanwhile.
    pub(crate) fn build<'c>(
        candidates: impl ExactSizeIterator<Item = &'c str> + Clone,
        allowance: usize,
    ) -> Option<SuggestIndex> {
        if candidates.len() > MAX_CANDIDATES {
            return None;
        }
        let mut index = SuggestIndex::default();
        index.lengths.reserve_exact(candidates.len());
        index.ends.reserve_exact(candidates.len());
        // Each distinct token's place in `counts`, in order of first appearance.
        let mut dense: HashMap<u64, u32> = HashMap::new();
        let mut counts: Vec<u32> = Vec::new();
        let mut chars: Vec<char> = Vec::with_capacity(COMPARED_CHARS);
        let mut text_tokens: Vec<u64> = Vec::new();
        let mut total = 0usize;
        for candidate in candidates.clone() {
            chars.clear();
            chars.extend(folded(candidate));
            index.folded.extend(chars.iter());
            index.ends.push(u32::try_from(index.folded.len()).ok()?);
            // At most 64 characters.
            index.lengths.push(chars.len() as u8);
            tokens(&chars, &mut text_tokens);
            total += text_tokens.len();
            for &t in &text_tokens {
                let next = u32::try_from(counts.len()).ok()?;
                let at = *dense.entry(t).or_insert(next);
                match counts.get_mut(at as usize) {
                    Some(count) => *count += 1,
                    None => counts.push(1),
                }
            }
            if 4 * total + index.folded.len() > allowance {
                return None;
            }
        }
        // Where each token's postings start, by its dense place; then fill them in id order,
        // so each list is ascending.
        let mut next: Vec<u32> = Vec::with_capacity(counts.len());
        let mut start = 0u32;
        for &count in &counts {
            next.push(start);
            start += count;
        }
        index.postings = vec![0; total];
        for (id, candidate) in candidates.enumerate() {
            chars.clear();
            chars.extend(folded(candidate));
            tokens(&chars, &mut text_tokens);
            for t in &text_tokens {
                let at = dense.get(t).and_then(|&d| next.get_mut(d as usize));
                debug_assert!(at.is_some(), "the first pass saw every token");
                if let Some(at) = at {
                    if let Some(cell) = index.postings.get_mut(*at as usize) {
                        *cell = id as u32;
                    }
                    *at += 1;
                }
            }
        }
        let mut keys: Vec<(u64, u32)> = dense.into_iter().collect();
        keys.sort_unstable();
        index.ranges = keys
            .iter()
            .filter_map(|&(_, d)| {
                let end = *next.get(d as usize)?;
                Some((end - *counts.get(d as usize)?, end))
            })
            .collect();
        index.keys = keys.into_iter().map(|(t, _)| t).collect();
        // Stable: ids stay ascending within a length.
        let mut by_length: Vec<u32> = (0..index.lengths.len())
            .filter_map(|id| u32::try_from(id).ok())
            .collect();
        by_length.sort_by_key(|&id| index.length(id));
        index.length_starts = (0..=COMPARED_CHARS + 1)
            .map(|l| by_length.partition_point(|&id| index.length(id) < l) as u32)
            .collect();
        index.by_length = by_length;
        index.folded.shrink_to_fit();
        // Some vectors were collected without an exact size (the keys in place from wider pairs):
        // give back the room they have left over.
        index.keys.shrink_to_fit();
        index.ranges.shrink_to_fit();
        index.by_length.shrink_to_fit();
        (index.bytes() <= allowance).then_some(index)
    }

    /// The memory the index holds, in bytes.
    pub(crate) fn bytes(&self) -> usize {
        self.folded.capacity()
            + 4 * (self.ends.capacity()
                + self.by_length.capacity()
                + self.length_starts.capacity()
                + 2 * self.ranges.capacity()
                + self.postings.capacity())
            + self.lengths.capacity()
            + 8 * self.keys.capacity()
    }

    /// How many candidates.
    pub(crate) fn len(&self) -> usize {
        self.lengths.len()
    }

    /// The folded length of candidate `id`.
    pub(crate) fn length(&self, id: u32) -> usize {
        self.lengths.get(id as usize).map_or(0, |&l| usize::from(l))
    }

    /// The folded text of candidate `id`.
    pub(crate) fn folded(&self, id: u32) -> &str {
        let id = id as usize;
        let start = match id.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        } as usize;
        let end = self.ends.get(id).copied().unwrap_or(0) as usize;
        debug_assert!(start <= end && end <= self.folded.len(), "ends ascend");
        self.folded.get(start..end).unwrap_or_default()
    }

    /// The candidates whose folded length is in `lengths`, by length, then id.
    pub(crate) fn of_lengths(&self, lengths: std::ops::RangeInclusive<usize>) -> &[u32] {
        let bound = |l: usize| {
            self.length_starts
                .get(l.min(COMPARED_CHARS + 1))
                .copied()
                .unwrap_or(0) as usize
        };
        let (from, to) = (
            bound(*lengths.start()),
            bound(lengths.end().saturating_add(1)),
        );
        self.by_length.get(from..to).unwrap_or_default()
    }

    /// The candidates that hold `token`, ascending.
    pub(crate) fn postings(&self, token: u64) -> &[u32] {
        let Ok(t) = self.keys.binary_search(&token) else {
            return &[];
        };
        let (start, end) = self.ranges.get(t).copied().unwrap_or((0, 0));
        let (start, end) = (start as usize, end as usize);
        debug_assert!(
            start <= end && end <= self.postings.len(),
            "ranges are in the postings"
        );
        self.postings.get(start..end).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::{SuggestIndex, token, tokens};

    #[test]
    fn the_memory_counted_is_what_the_index_holds() {
        let names: Vec<String> = (0..500)
            .map(|i| format!("Checkpoint Loader {i} (advanced)"))
            .collect();
        let index =
            SuggestIndex::build(names.iter().map(String::as_str), usize::MAX).expect("built");
        let held = index.folded.len()
            + 4 * (index.ends.len()
                + index.by_length.len()
                + index.length_starts.len()
                + index.postings.len())
            + 8 * index.ranges.len()
            + index.lengths.len()
            + 8 * index.keys.len();
        // Every vector is built to its length: the count is exact.
        assert_eq!(index.bytes(), held);
    }

    #[test]
    fn tokens_are_bigrams_with_their_occurrence() {
        let chars: Vec<char> = "abab".chars().collect();
        let mut out = Vec::new();
        tokens(&chars, &mut out);
        let (ab, ba) = (token('a', 'b', 0), token('b', 'a', 0));
        assert_eq!(out, [ab, ab | 1, ba]);
        assert!(ab != ba && ab != token('a', 'c', 0) && ab != token('c', 'b', 0));
        assert_eq!(token('a', 'b', 3) & !3, ab);
        assert_eq!(token('\u{10FFFF}', '\u{10FFFF}', 0) >> 43, 0x10FFFF);
    }
}
