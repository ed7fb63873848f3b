//! "Did you mean": the options or class names closest to what was sent.
//!
//! The rule: candidates within an edit distance (Levenshtein, over characters, both sides
//! lower-cased) of a third of the sent text's length, and at least 2, nearest first, ties in
//! catalogue order, at most [`MAX_SUGGESTIONS`]. Only the first 64 characters of each side are
//! compared.
//!
//! The cost: the class names, and every long option list, are indexed when the catalogue is
//! loaded (`index`), so a query compares only the few candidates of a similar length that
//! share enough bigrams with it, each in a few word operations a character (`distance`).
//!
//! The budget: a check spends on all its suggestions at most what reading the body costs,
//! times a constant, in units of work (a posting read, a character compared). Reading JSON
//! costs per value (each is built) and, far less, per byte (long strings are skimmed), so
//! the budget is [`UNITS_PER_VALUE`] a JSON value of the workflow plus one unit per
//! [`BYTES_PER_UNIT`] bytes, scaled up for a body under [`MIN_BODY`] bytes as if it were
//! that long. A body built to make suggestions expensive (a value near every one of
//! thousands of look-alike options) then costs a bounded multiple of reading it. A query that
//! would overrun what is left gives no suggestions at all, never a partial answer.

mod distance;
mod index;

use self::distance::{COMPARED_CHARS, Pattern, folded};
pub(crate) use self::index::SuggestIndex;
use self::index::tokens;

/// The most suggestions given.
pub(crate) const MAX_SUGGESTIONS: usize = 5;
/// Work allowed per JSON value of the body.
const UNITS_PER_VALUE: usize = 64;
/// Bytes of the body per unit of work allowed.
const BYTES_PER_UNIT: usize = 4;
/// A smaller body is allowed what one this long, of the same make, would be.
const MIN_BODY: usize = 4096;
/// The cost of looking at one candidate, beyond its characters.
const PER_CANDIDATE: usize = 4;

/// The suggestions of one check, sharing its budget and buffers.
pub(crate) struct Suggester {
    left: usize,
    pattern: Pattern,
    tokens: Vec<u64>,
    /// Bigrams shared with the sent text, by candidate id.
    counts: Vec<u8>,
    /// Candidate ids to compare.
    ids: Vec<u32>,
    /// A candidate's folded characters, on the unindexed path.
    candidate: Vec<char>,
}

/// The best candidates so far, nearest first, ties in catalogue order.
struct Best<'c> {
    found: Vec<(usize, u32, &'c str)>,
}

impl<'c> Best<'c> {
    /// The largest distance a candidate later in catalogue order may have to enter, or `None`
    /// if none can.
    fn limit(&self, threshold: usize) -> Option<usize> {
        match self.found.get(MAX_SUGGESTIONS - 1) {
            // Full: a later candidate must be strictly nearer than the farthest kept.
            Some(&(farthest, _, _)) => farthest.checked_sub(1),
            None => Some(threshold),
        }
    }

    fn offer(&mut self, distance: usize, id: u32, text: &'c str) {
        let at = self
            .found
            .partition_point(|&(d, i, _)| (d, i) < (distance, id));
        self.found.insert(at, (distance, id, text));
        self.found.truncate(MAX_SUGGESTIONS);
    }

    fn into_texts(self) -> Vec<&'c str> {
        self.found.into_iter().map(|(_, _, text)| text).collect()
    }
}

impl Suggester {
    /// A suggester for a check of a body of `body_len` bytes holding `values` JSON values.
    pub(crate) fn for_body(body_len: usize, values: usize) -> Self {
        let read = values
            .saturating_mul(UNITS_PER_VALUE)
            .saturating_add(body_len / BYTES_PER_UNIT);
        let left = match body_len {
            0 => read.saturating_mul(MIN_BODY),
            short if short < MIN_BODY => read.saturating_mul(MIN_BODY) / short,
            _ => read,
        };
        Suggester {
            left,
            pattern: Pattern::default(),
            tokens: Vec::new(),
            counts: Vec::new(),
            ids: Vec::new(),
            candidate: Vec::with_capacity(COMPARED_CHARS),
        }
    }

    /// Takes `units` from the budget, or empties it and says no.
    fn charge(&mut self, units: usize) -> bool {
        match self.left.checked_sub(units) {
            Some(left) => {
                self.left = left;
                true
            }
            None => {
                self.left = 0;
                false
            }
        }
    }

    /// Folds `sent` into the pattern; its threshold.
    fn start(&mut self, sent: &str) -> Option<usize> {
        if !self.charge(sent.len().min(4 * COMPARED_CHARS) + PER_CANDIDATE) {
            return None;
        }
        self.pattern.set(sent);
        Some((self.pattern.len() / 3).max(2))
    }

    /// The candidates closest to `sent`, nearest first: a plain walk over them, for short lists.
    pub(crate) fn closest<'c>(
        &mut self,
        sent: &str,
        candidates: impl Iterator<Item = &'c str>,
    ) -> Vec<&'c str> {
        let Some(threshold) = self.start(sent) else {
            return Vec::new();
        };
        let m = self.pattern.len();
        let mut best = Best { found: Vec::new() };
        for (id, text) in candidates.enumerate() {
            let Some(limit) = best.limit(threshold) else {
                break;
            };
            self.candidate.clear();
            self.candidate.extend(folded(text));
            let n = self.candidate.len();
            if !self.charge(n + PER_CANDIDATE) {
                return Vec::new();
            }
            if n.abs_diff(m) > limit {
                continue;
            }
            let chars = self.candidate.iter().copied();
            if let Some(distance) = self.pattern.within(chars, n, limit) {
                // Lists past u32::MAX entries are refused when the snapshot is read.
                best.offer(distance, u32::try_from(id).unwrap_or(u32::MAX), text);
            }
        }
        best.into_texts()
    }

    /// The candidates closest to `sent` through their index; `text` gives a candidate's text
    /// by id.
    pub(crate) fn closest_indexed<'c>(
        &mut self,
        sent: &str,
        index: &SuggestIndex,
        text: impl Fn(u32) -> &'c str,
    ) -> Vec<&'c str> {
        let Some(threshold) = self.start(sent) else {
            return Vec::new();
        };
        let m = self.pattern.len();
        let lengths = m.saturating_sub(threshold)..=m + threshold;
        // The fewest bigrams any candidate within the threshold shares with the sent text.
        let least_shared = (m + 1).saturating_sub(2 * threshold + 2);
        self.ids.clear();
        if least_shared == 0 {
            let ids = index.of_lengths(lengths.clone());
            if !self.charge(ids.len()) {
                return Vec::new();
            }
            self.ids.extend_from_slice(ids);
            self.ids.sort_unstable();
        } else if !self.shared_enough(index, &lengths, threshold) {
            return Vec::new();
        }
        let mut best = Best { found: Vec::new() };
        for at in 0..self.ids.len() {
            let Some(id) = self.ids.get(at).copied() else {
                break;
            };
            let Some(limit) = best.limit(threshold) else {
                break;
            };
            let n = index.length(id);
            if n.abs_diff(m) > limit {
                continue;
            }
            if !self.charge(n + PER_CANDIDATE) {
                return Vec::new();
            }
            if let Some(distance) = self.pattern.within(index.folded(id).chars(), n, limit) {
                best.offer(distance, id, text(id));
            }
        }
        best.into_texts()
    }

    /// Fills `ids`, ascending, with the candidates of a length in `lengths` that share enough
    /// bigrams with the pattern to be within `threshold`; false if the budget ran out.
    fn shared_enough(
        &mut self,
        index: &SuggestIndex,
        lengths: &std::ops::RangeInclusive<usize>,
        threshold: usize,
    ) -> bool {
        tokens(self.pattern.chars(), &mut self.tokens);
        let in_range = index.of_lengths(lengths.clone());
        // Each token's postings, looked up once for the charge and the count.
        let lists: Vec<&[u32]> = self.tokens.iter().map(|&t| index.postings(t)).collect();
        let walked: usize = lists.iter().map(|list| list.len()).sum();
        let cleared = index.len() / 64;
        if !self.charge(walked + cleared + in_range.len() + self.tokens.len() * PER_CANDIDATE) {
            return false;
        }
        self.counts.clear();
        self.counts.resize(index.len(), 0);
        let counts = self.counts.as_mut_slice();
        for list in &lists {
            for &id in *list {
                if let Some(count) = counts.get_mut(id as usize) {
                    // At most 63 tokens a text, each holding a candidate once.
                    *count += 1;
                }
            }
        }
        let m = self.pattern.len();
        self.ids.clear();
        self.ids.extend(in_range.iter().copied().filter(|&id| {
            let count = self.counts.get(id as usize).copied().unwrap_or(0);
            // The q-gram lemma: within `threshold` edits, at least this many shared.
            usize::from(count) + 2 * threshold + 1 >= m.max(index.length(id))
        }));
        self.ids.sort_unstable();
        true
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::distance::folded;
    use super::distance::tests::plain;
    use super::{BYTES_PER_UNIT, MIN_BODY, SuggestIndex, Suggester, UNITS_PER_VALUE};

    /// The rule, written plainly: a full table for every candidate, then a sort.
    fn oracle<'c>(sent: &str, candidates: &[&'c str]) -> Vec<&'c str> {
        let sent: Vec<char> = folded(sent).collect();
        let threshold = (sent.len() / 3).max(2);
        let mut found: Vec<(usize, usize, &str)> = candidates
            .iter()
            .enumerate()
            .map(|(order, c)| (plain(&sent, &folded(c).collect::<Vec<_>>()), order, *c))
            .filter(|&(d, _, _)| d <= threshold)
            .collect();
        found.sort_by_key(|&(d, order, _)| (d, order));
        found.into_iter().take(5).map(|(_, _, c)| c).collect()
    }

    /// Both ways of finding suggestions, with a budget that never runs out.
    fn both<'c>(sent: &str, candidates: &[&'c str]) -> (Vec<&'c str>, Vec<&'c str>) {
        let walked =
            Suggester::for_body(usize::MAX, usize::MAX).closest(sent, candidates.iter().copied());
        let index = SuggestIndex::build(candidates.iter().copied(), usize::MAX).expect("built");
        let indexed =
            Suggester::for_body(usize::MAX, usize::MAX)
                .closest_indexed(sent, &index, |id| candidates[id as usize]);
        (walked, indexed)
    }

    #[test]
    fn nearest_first_case_ignored_ties_in_order() {
        let options = [
            "euler",
            "euler_ancestral",
            "heun",
            "dpm_2",
            "Euler",
            "eulr",
            "lms",
        ];
        let (walked, indexed) = both("EULER", &options);
        assert_eq!(walked, ["euler", "Euler", "eulr"]);
        assert_eq!(indexed, walked);
        assert!(both("zzzzzzzz", &options).0.is_empty());
        let many: Vec<String> = (0..20).map(|i| format!("opt{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let (walked, indexed) = both("opt", &many);
        assert_eq!(walked, ["opt0", "opt1", "opt2", "opt3", "opt4"]);
        assert_eq!(indexed, walked);
    }

    #[test]
    fn the_threshold_is_a_third_of_the_sent_length_and_at_least_two() {
        for (sent, candidate, kept) in [
            ("abcdefghi", "abcdefxyz", true),
            ("abcdefghi", "abcdewxyz", false),
            ("abc", "abcde", true),
            ("a", "xyz", false),
            ("ab", "xyz", false),
            ("abcde", "abc", true),
            ("abcdefghijkl", "abcdefghwxyz", true),
            ("abcdefghijkl", "abcdefgvwxyz", false),
        ] {
            let (walked, indexed) = both(sent, &[candidate]);
            assert_eq!(walked.len() == 1, kept, "{sent} {candidate}");
            assert_eq!(indexed, walked, "{sent} {candidate}");
        }
    }

    #[test]
    fn a_later_candidate_must_be_nearer_than_the_farthest_of_five() {
        let options = ["abcx", "abxx", "abcy", "abyy", "abcz", "abcd", "abzz"];
        let (walked, indexed) = both("abcd", &options);
        assert_eq!(walked, ["abcd", "abcx", "abcy", "abcz", "abxx"]);
        assert_eq!(indexed, walked);
    }

    #[test]
    fn the_budget_is_a_multiple_of_the_body_and_gives_all_or_nothing() {
        // What reading costs: per value, and a little per byte.
        let budget = |len, values| Suggester::for_body(len, values).left;
        assert_eq!(
            budget(40_000, 100),
            100 * UNITS_PER_VALUE + 40_000 / BYTES_PER_UNIT
        );
        assert_eq!(
            budget(MIN_BODY, 10),
            10 * UNITS_PER_VALUE + MIN_BODY / BYTES_PER_UNIT
        );
        // A short body is allowed what one of 4 KiB of the same make would be.
        assert_eq!(
            budget(MIN_BODY / 4, 10),
            4 * (10 * UNITS_PER_VALUE + MIN_BODY / 16)
        );
        assert_eq!(budget(0, 1), MIN_BODY * UNITS_PER_VALUE);
        // Near-identical long names: no filter helps, so the budget ends the search.
        let names: Vec<String> = (0..100_000).map(|i| format!("{i:0>40}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let index = SuggestIndex::build(names.iter().copied(), usize::MAX).expect("built");
        let mut suggester = Suggester::for_body(MIN_BODY, 100);
        let sent = "1".repeat(40);
        assert!(
            suggester
                .closest_indexed(&sent, &index, |id| names[id as usize])
                .is_empty()
        );
        assert_eq!(suggester.left, 0);
        let mut suggester = Suggester::for_body(MIN_BODY, 100);
        assert!(suggester.closest(&sent, names.iter().copied()).is_empty());
        assert_eq!(suggester.left, 0);
        // Spent, it answers nothing, even where a full search would find something.
        assert!(suggester.closest("abc", ["abd"].into_iter()).is_empty());
        // With enough left, the same search answers.
        let mut rich = Suggester::for_body(1 << 30, 1 << 20);
        let before = rich.left;
        let found =
            rich.closest_indexed("0000000000000000000000000000000000000001", &index, |id| {
                names[id as usize]
            });
        assert_eq!(
            found,
            [
                "0000000000000000000000000000000000000001",
                "0000000000000000000000000000000000000000",
                "0000000000000000000000000000000000000002",
                "0000000000000000000000000000000000000003",
                "0000000000000000000000000000000000000004"
            ]
        );
        assert!(rich.left < before);
    }

    /// The units a query takes from a budget that does not run out.
    fn spent(
        query: impl FnOnce(&mut Suggester) -> Vec<&'static str>,
    ) -> (usize, Vec<&'static str>) {
        let mut suggester = Suggester::for_body(1 << 20, 1 << 20);
        let before = suggester.left;
        let found = query(&mut suggester);
        (before - suggester.left, found)
    }

    #[test]
    fn each_query_is_charged_what_it_looks_at() {
        // Walked: the sent text (3 bytes + 4), then each candidate's characters + 4.
        let (units, found) = spent(|s| s.closest("abc", ["abd", "xyzzy", "q"].into_iter()));
        assert_eq!((units, found), (7 + 7 + 9 + 5, vec!["abd"]));
        // A long sent text is charged for its first 256 bytes.
        let long = "x".repeat(300);
        let (units, _) = spent(|s| s.closest(&long, std::iter::empty()));
        assert_eq!(units, 256 + 4);
        // Indexed, eight characters: within 2 edits at least 8 - 1 - 4 = 3 shared bigrams.
        const NAMES: [&str; 4] = ["abcdefgh", "abcdefgx", "zzzzzzzz", "abxxxxgh"];
        let index = SuggestIndex::build(NAMES.iter().copied(), usize::MAX).expect("built");
        let (units, found) =
            spent(|s| s.closest_indexed("abcdefgh", &index, |id| NAMES[id as usize]));
        assert_eq!(found, ["abcdefgh", "abcdefgx"]);
        // The sent text 8 + 4; its 7 tokens, 4 each; their postings, 7 + 6 + 2 ("ab", "gh"
        // of the last); the 4 candidates of a length within 2; then the two that share 3 or
        // more, compared at 8 + 4 each. ("abxxxxgh" shares 2: never compared.)
        assert_eq!(units, 12 + 28 + 15 + 4 + 24);
        // Counts are cleared for every candidate of the list: a unit per 64 of them.
        let more: Vec<&'static str> = NAMES
            .iter()
            .copied()
            .chain(std::iter::repeat_n("q", 124))
            .collect();
        let more: &'static [&'static str] = more.leak();
        let index = SuggestIndex::build(more.iter().copied(), usize::MAX).expect("built");
        let (with_more, _) =
            spent(|s| s.closest_indexed("abcdefgh", &index, |id| more[id as usize]));
        assert_eq!(with_more, units + 128 / 64);
        // Short texts need no shared bigram: every candidate of a length within 2 is compared.
        // Six characters, the shortest that needs a shared bigram (6 - 1 - 4 = 1): the filter.
        const SIX: [&str; 2] = ["abcdef", "abcdxy"];
        let index = SuggestIndex::build(SIX.iter().copied(), usize::MAX).expect("built");
        let (units, found) = spent(|s| s.closest_indexed("abcdef", &index, |id| SIX[id as usize]));
        assert_eq!(found, ["abcdef", "abcdxy"]);
        // 6 + 4; 5 tokens, 4 each; postings 5 + 3; 2 of a length within 2; both compared.
        assert_eq!(units, 10 + 20 + 8 + 2 + 20);
        const SHORT: [&str; 3] = ["zzzz", "ab", "zzzzzzz"];
        let index = SuggestIndex::build(SHORT.iter().copied(), usize::MAX).expect("built");
        let (units, found) = spent(|s| s.closest_indexed("zzzzz", &index, |id| SHORT[id as usize]));
        assert_eq!(found, ["zzzz", "zzzzzzz"]);
        // The sent text 5 + 4; the 2 ids of a length from 3 to 7; each compared, 4 + 4, 7 + 4.
        assert_eq!(units, 9 + 2 + 8 + 11);
    }

    #[test]
    fn an_index_past_its_allowance_is_not_built() {
        let names = ["KSampler", "KSamplerAdvanced", "SaveImage"];
        let index = SuggestIndex::build(names.iter().copied(), usize::MAX).expect("built");
        let bytes = index.bytes();
        assert!(bytes > 0);
        assert!(SuggestIndex::build(names.iter().copied(), bytes).is_some());
        assert!(SuggestIndex::build(names.iter().copied(), bytes - 1).is_none());
        assert_eq!(index.len(), 3);
    }

    /// Names from a small alphabet, so that many are near one another: ASCII of both cases,
    /// accented and other-script letters, and lengths past 64.
    fn name() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                'a', 'b', 'A', 'B', 'c', '_', 'é', 'É', 'ß', '日', 'İ', '1',
            ]),
            0..80,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn both_ways_agree_with_the_plain_rule(
            sent in name(),
            candidates in prop::collection::vec(name(), 0..40),
        ) {
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            let expected = oracle(&sent, &candidates);
            let (walked, indexed) = both(&sent, &candidates);
            prop_assert_eq!(&walked, &expected);
            prop_assert_eq!(&indexed, &expected);
        }

        #[test]
        fn near_copies_of_the_sent_text_are_found(
            sent in name(),
            edits in prop::collection::vec((0usize..80, prop::sample::select(vec!['a', 'é', 'x', 'B'])), 0..6),
            others in prop::collection::vec(name(), 0..30),
        ) {
            // Candidates made from the sent text by a few edits, among unrelated ones.
            let mut candidates: Vec<String> = others;
            let mut chars: Vec<char> = sent.chars().collect();
            for (at, c) in edits {
                let at = at % (chars.len() + 1);
                if at.is_multiple_of(2) { chars.insert(at, c) } else if at < chars.len() { chars[at] = c }
                candidates.insert(at % (candidates.len() + 1), chars.iter().collect());
            }
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            let expected = oracle(&sent, &candidates);
            let (walked, indexed) = both(&sent, &candidates);
            prop_assert_eq!(&walked, &expected);
            prop_assert_eq!(&indexed, &expected);
        }
    }
}
