//! "Did you mean": the options or class names closest to what was sent.
//!
//! The rule: candidates within an edit distance (Levenshtein, over characters, both sides
//! lower-cased) of a third of the sent text's length, and at least 2, nearest first, ties in
//! catalogue order, at most [`MAX_SUGGESTIONS`]. Only the first [`COMPARED_CHARS`] characters of
//! each side are compared. The work of one check is bounded by [`BUDGET`] cells of the distance
//! table, so a body full of mistyped values costs no more than a few milliseconds of
//! suggestions; past it, problems come without suggestions.

/// The most suggestions given.
pub(crate) const MAX_SUGGESTIONS: usize = 5;
/// Characters compared on each side.
const COMPARED_CHARS: usize = 64;
/// Cells of the distance table one check may fill, in all.
const BUDGET: usize = 4_000_000;

/// Suggestions for one check, sharing its budget and buffers.
pub(crate) struct Suggester {
    left: usize,
    sent: Vec<char>,
    candidate: Vec<char>,
    row: Vec<usize>,
}

impl Default for Suggester {
    fn default() -> Self {
        Suggester {
            left: BUDGET,
            sent: Vec::new(),
            candidate: Vec::new(),
            row: Vec::new(),
        }
    }
}

fn lower(text: &str, out: &mut Vec<char>) {
    out.clear();
    out.extend(
        text.chars()
            .take(COMPARED_CHARS)
            .map(|c| c.to_lowercase().next().unwrap_or(c)),
    );
}

impl Suggester {
    /// The candidates closest to `sent`, nearest first.
    pub(crate) fn closest<'c>(
        &mut self,
        sent: &str,
        candidates: impl Iterator<Item = &'c str>,
    ) -> Vec<&'c str> {
        lower(sent, &mut self.sent);
        let threshold = (self.sent.len() / 3).max(2);
        let mut found: Vec<(usize, usize, &'c str)> = Vec::new();
        for (order, candidate) in candidates.enumerate() {
            if self.left == 0 {
                break;
            }
            lower(candidate, &mut self.candidate);
            self.left = self.left.saturating_sub(self.candidate.len() + 1);
            if self.candidate.len().abs_diff(self.sent.len()) > threshold {
                continue;
            }
            let cells = (self.sent.len() + 1) * (self.candidate.len() + 1);
            if cells > self.left {
                self.left = 0;
                break;
            }
            self.left -= cells;
            let distance = self.distance();
            if distance <= threshold {
                found.push((distance, order, candidate));
            }
        }
        found.sort_unstable_by_key(|&(distance, order, _)| (distance, order));
        found
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(_, _, candidate)| candidate)
            .collect()
    }

    /// The edit distance between the lower-cased `sent` and `candidate`, one row at a time.
    fn distance(&mut self) -> usize {
        let (a, b) = (&self.sent, &self.candidate);
        self.row.clear();
        self.row.extend(0..=b.len());
        for (i, ca) in a.iter().enumerate() {
            let mut diagonal = i;
            if let Some(first) = self.row.first_mut() {
                *first = i + 1;
            }
            for (j, cb) in b.iter().enumerate() {
                let above = self.row.get(j + 1).copied().unwrap_or(usize::MAX);
                let left = self.row.get(j).copied().unwrap_or(usize::MAX);
                let cost = usize::from(ca != cb);
                let best = (diagonal + cost)
                    .min(above.saturating_add(1))
                    .min(left.saturating_add(1));
                diagonal = above;
                if let Some(cell) = self.row.get_mut(j + 1) {
                    *cell = best;
                }
            }
        }
        self.row.last().copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::Suggester;

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
        let mut suggester = Suggester::default();
        assert_eq!(
            suggester.closest("EULER", options.iter().copied()),
            ["euler", "Euler", "eulr"]
        );
        assert_eq!(
            suggester.closest("zzzzzzzz", options.iter().copied()),
            Vec::<&str>::new()
        );
        let many: Vec<String> = (0..20).map(|i| format!("opt{i}")).collect();
        assert_eq!(
            suggester
                .closest("opt", many.iter().map(String::as_str))
                .len(),
            5
        );
    }

    #[test]
    fn the_budget_bounds_the_work() {
        let long: Vec<String> = (0..100_000).map(|i| format!("{i:0>64}")).collect();
        let mut suggester = Suggester::default();
        let sent = "1".repeat(64);
        let _ = suggester.closest(&sent, long.iter().map(String::as_str));
        assert_eq!(suggester.left, 0);
        assert!(
            suggester
                .closest(&sent, long.iter().map(String::as_str))
                .is_empty()
        );
    }

    /// A suggester with `left` cells of budget.
    fn with_budget(left: usize) -> Suggester {
        Suggester {
            left,
            ..Suggester::default()
        }
    }

    #[test]
    fn the_budget_is_counted_exactly() {
        // "abc" against three-letter candidates: 4 cells to read each, 16 for its table.
        let options = ["abd", "abe", "abf"];
        let closest = |left: usize| with_budget(left).closest("abc", options.iter().copied());
        assert_eq!(closest(60), ["abd", "abe", "abf"]);
        assert_eq!(closest(40), ["abd", "abe"]);
        assert_eq!(closest(39), ["abd"]);
        assert_eq!(closest(36), ["abd"]);
        assert_eq!(closest(19), Vec::<&str>::new());
    }

    #[test]
    fn the_threshold_is_a_third_of_the_sent_length_and_at_least_two() {
        let mut suggester = Suggester::default();
        // Nine characters: within 3 edits.
        assert_eq!(
            suggester.closest("abcdefghi", ["abcdefxyz"].into_iter()),
            ["abcdefxyz"]
        );
        assert!(
            suggester
                .closest("abcdefghi", ["abcdewxyz"].into_iter())
                .is_empty()
        );
        // Short texts: within 2, a length apart of 2 included.
        assert_eq!(suggester.closest("abc", ["abcde"].into_iter()), ["abcde"]);
        assert_eq!(
            suggester.closest("a", ["xyz"].into_iter()),
            Vec::<&str>::new()
        );
        assert_eq!(
            suggester.closest("ab", ["xyz"].into_iter()),
            Vec::<&str>::new()
        );
        assert_eq!(suggester.closest("abcde", ["abc"].into_iter()), ["abc"]);
    }

    /// Levenshtein distance, written plainly.
    fn plain_distance(a: &[char], b: &[char]) -> usize {
        match (a.split_first(), b.split_first()) {
            (None, _) => b.len(),
            (_, None) => a.len(),
            (Some((x, ra)), Some((y, rb))) => {
                let replace = plain_distance(ra, rb) + usize::from(x != y);
                replace
                    .min(plain_distance(ra, b) + 1)
                    .min(plain_distance(a, rb) + 1)
            }
        }
    }

    #[test]
    fn the_distance_is_levenshtein() {
        let words = [
            "", "a", "ab", "xab", "abc", "kitten", "sitting", "flaw", "lawn", "éa",
        ];
        let mut suggester = Suggester::default();
        for a in words {
            for b in words {
                suggester.sent = a.chars().collect();
                suggester.candidate = b.chars().collect();
                assert_eq!(
                    suggester.distance(),
                    plain_distance(&suggester.sent, &suggester.candidate),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
