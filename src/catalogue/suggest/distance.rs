//! The edit distance of the suggestion rule, one machine word at a time.
//!
//! Both sides are folded the same way (each character lower-cased to the first character of
//! its lower-case mapping, only the first [`COMPARED_CHARS`] kept), so the sent text, at most
//! 64 characters, fits one `u64`: Myers' bit-vector algorithm in Hyyrö's formulation for
//! Levenshtein distance keeps a whole column of the distance table in two words and moves to
//! the next candidate character in a dozen word operations, instead of filling the column cell
//! by cell.

/// Characters compared on each side.
pub(crate) const COMPARED_CHARS: usize = 64;

/// A character as the rule compares it.
#[inline]
pub(crate) fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    c.to_lowercase().next().unwrap_or(c)
}

/// The folded characters of `text`, at most [`COMPARED_CHARS`] of them.
pub(crate) fn folded(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().take(COMPARED_CHARS).map(fold)
}

/// The sent text, ready to be compared with many candidates: for each character, the bit mask
/// of the positions where it stands.
pub(crate) struct Pattern {
    /// The folded characters.
    chars: Vec<char>,
    /// Masks of the ASCII characters, by code.
    ascii: [u64; 128],
    /// Masks of the other characters (at most 64 entries, looked up in order).
    other: Vec<(char, u64)>,
}

impl Default for Pattern {
    fn default() -> Self {
        Pattern {
            chars: Vec::new(),
            ascii: [0; 128],
            other: Vec::new(),
        }
    }
}

impl Pattern {
    /// Makes this the pattern of `text`, reusing the buffers.
    pub(crate) fn set(&mut self, text: &str) {
        for &c in &self.chars {
            if let Some(mask) = self.ascii.get_mut(c as usize) {
                *mask = 0;
            }
        }
        self.chars.clear();
        self.other.clear();
        self.chars.extend(folded(text));
        debug_assert!(
            self.chars.len() <= COMPARED_CHARS,
            "folding keeps 64 at most"
        );
        for (i, &c) in self.chars.iter().enumerate() {
            let bit = 1u64 << i;
            match self.ascii.get_mut(c as usize) {
                Some(mask) => *mask |= bit,
                None => match self.other.iter_mut().find(|(o, _)| *o == c) {
                    Some((_, mask)) => *mask |= bit,
                    None => self.other.push((c, bit)),
                },
            }
        }
    }

    /// The folded characters of the pattern.
    pub(crate) fn chars(&self) -> &[char] {
        &self.chars
    }

    /// How many characters the pattern has (at most 64).
    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    #[inline]
    fn mask(&self, c: char) -> u64 {
        match self.ascii.get(c as usize) {
            Some(&mask) => mask,
            None => self
                .other
                .iter()
                .find(|(o, _)| *o == c)
                .map_or(0, |&(_, mask)| mask),
        }
    }

    /// The distance between the pattern and `candidate` (already folded, `length` characters),
    /// if it is at most `limit`; `None` as soon as it cannot be. Visits at most `length`
    /// characters of the candidate.
    pub(crate) fn within(
        &self,
        candidate: impl Iterator<Item = char>,
        length: usize,
        limit: usize,
    ) -> Option<usize> {
        let m = self.chars.len();
        if m == 0 {
            return (length <= limit).then_some(length);
        }
        // Bit m - 1 holds the last row of the column: the distance so far.
        let last = 1u64 << (m - 1);
        let (mut positive, mut negative) = (u64::MAX, 0u64);
        let mut score = m;
        let mut left = length;
        for c in candidate.take(length) {
            let equal = self.mask(c);
            let x_vertical = equal | negative;
            let x_horizontal = ((equal & positive).wrapping_add(positive) ^ positive) | equal;
            let mut h_positive = negative | !(x_horizontal | positive);
            let mut h_negative = positive & x_horizontal;
            if h_positive & last != 0 {
                score += 1;
            } else if h_negative & last != 0 {
                score -= 1;
            }
            // Row 0 of the table grows by one a column: shift a 1 in.
            h_positive = (h_positive << 1) + 1;
            h_negative <<= 1;
            positive = h_negative | !(x_vertical | h_positive);
            negative = h_positive & x_vertical;
            left -= 1;
            // Each character left can lower the distance by one at most.
            if score > limit + left {
                return None;
            }
        }
        (score <= limit).then_some(score)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::{Pattern, fold, folded};

    /// Levenshtein distance, written plainly: the oracle of this module's tests and of the
    /// suggestion rule's.
    pub(in crate::catalogue::suggest) fn plain(a: &[char], b: &[char]) -> usize {
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut diagonal = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let above = row[j + 1];
                row[j + 1] = (diagonal + usize::from(ca != cb))
                    .min(above + 1)
                    .min(row[j] + 1);
                diagonal = above;
            }
        }
        row[b.len()]
    }

    fn distance(pattern: &mut Pattern, a: &str, b: &str) -> Option<usize> {
        pattern.set(a);
        let b: Vec<char> = folded(b).collect();
        pattern.within(b.iter().copied(), b.len(), usize::MAX / 2)
    }

    #[test]
    fn the_distance_is_levenshtein() {
        let words = [
            "",
            "a",
            "ab",
            "xab",
            "abc",
            "kitten",
            "sitting",
            "flaw",
            "lawn",
            "éa",
            "ÉA",
            "aaaa",
            "ßtraße",
            "日本語",
            "日本",
            "KSampler",
            "ksampleradvanced",
        ];
        let mut pattern = Pattern::default();
        for a in words {
            for b in words {
                let (fa, fb): (Vec<char>, Vec<char>) = (folded(a).collect(), folded(b).collect());
                assert_eq!(
                    distance(&mut pattern, a, b),
                    Some(plain(&fa, &fb)),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn sixty_four_characters_each_side() {
        let mut pattern = Pattern::default();
        let a = "a".repeat(64);
        let b = format!("{}b", "a".repeat(63));
        assert_eq!(distance(&mut pattern, &a, &b), Some(1));
        assert_eq!(
            distance(&mut pattern, &"x".repeat(100), &"x".repeat(64)),
            Some(0)
        );
        assert_eq!(
            distance(&mut pattern, &"x".repeat(64), &"y".repeat(90)),
            Some(64)
        );
    }

    #[test]
    fn within_stops_past_the_limit_and_answers_exactly_below_it() {
        let mut pattern = Pattern::default();
        pattern.set("kitten");
        let sitting: Vec<char> = "sitting".chars().collect();
        let at = |limit| pattern.within(sitting.iter().copied(), 7, limit);
        assert_eq!((at(3), at(4), at(2), at(0)), (Some(3), Some(3), None, None));
        pattern.set("");
        assert_eq!(pattern.within("ab".chars(), 2, 2), Some(2));
        assert_eq!(pattern.within("abc".chars(), 3, 2), None);
        // Stops early: a candidate that cannot come back within the limit is not read on.
        pattern.set("aaaa");
        let mut read = 0;
        let long = std::iter::repeat_with(|| {
            read += 1;
            'z'
        });
        assert_eq!(pattern.within(long, 40, 2), None);
        // After j of them the distance is j, and 40 - j characters could bring it down by as
        // many: it cannot end within 2 once j > 2 + 40 - j.
        assert_eq!(read, 22);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Small alphabets make the carries and borrows of the bit vectors meet every case.
        #[test]
        fn every_distance_is_the_plain_one(
            a in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', 'é', 'B']), 0..70),
            b in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', 'é', 'x']), 0..70),
        ) {
            let (a, b): (String, String) = (a.into_iter().collect(), b.into_iter().collect());
            let mut pattern = Pattern::default();
            let (fa, fb): (Vec<char>, Vec<char>) = (folded(&a).collect(), folded(&b).collect());
            proptest::prop_assert_eq!(distance(&mut pattern, &a, &b), Some(plain(&fa, &fb)));
        }
    }

    #[test]
    fn folding_lower_cases_and_keeps_sixty_four() {
        assert_eq!(
            (fold('A'), fold('É'), fold('İ'), fold('7')),
            ('a', 'é', 'i', '7')
        );
        assert_eq!(folded(&"Ab".repeat(40)).count(), 64);
    }
}
