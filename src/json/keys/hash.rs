//! The keyed hash that large objects file their keys by.
//!
//! A polynomial over the prime field of 2^61 - 1, evaluated at a secret random point, followed
//! by a multiply-shift with a secret odd factor. Two different keys of at most `n` seven-byte
//! words (a key of up to fourteen bytes is padded to two, so that it is hashed without a loop)
//! collide in the polynomial with probability at most `(n + 1) / 2^61` over the choice of
//! the point, and in the top `k` bits of the product with probability at most `2 / 2^k` over
//! the choice of the factor (Dietzfelbinger et al., 1997), whatever the keys are: a body cannot
//! aim its keys at one slot without knowing the secrets. The bound is proved, not assumed of a
//! pseudo-random function as SipHash's is, and it is cheaper: one multiplication per seven
//! bytes, four of them side by side (`docs/performance.md` has the figures).

use std::hash::{BuildHasher, RandomState};
use std::num::NonZeroU64;

use crate::invariant::Invariant;

/// The Mersenne prime 2^61 - 1, the field the polynomial is evaluated in.
const PRIME: u64 = (1 << 61) - 1;

/// Bytes per coefficient: seven bytes are below [`PRIME`], so each word is a field element as
/// it stands.
const WORD: usize = 7;

/// The low [`WORD`] bytes of a number.
const WORD_MASK: u64 = (1 << (8 * WORD)) - 1;

/// Texts of up to two words (almost every key) are hashed by [`KeyHash::short`].
const SHORT: usize = 2 * WORD;

/// The bytes a short text is loaded in.
const WINDOW: usize = 16;

/// The secrets of one key set: drawn from the process's random hasher keys.
#[derive(Clone, Copy)]
pub(super) struct KeyHash {
    /// The point the polynomial is evaluated at, in `1..PRIME`.
    point: u64,
    /// Its powers from the fourth down to the first: four words are taken at a time, so that
    /// their multiplications run side by side instead of one after the other.
    powers: [u64; 4],
    /// The multiply-shift factor, odd.
    factor: u64,
}

impl KeyHash {
    /// Fresh secrets, unpredictable from outside the process.
    pub(super) fn new() -> Self {
        let random = RandomState::new();
        let draw = |salt: u64| random.hash_one(salt);
        KeyHash::with(draw(1) % (PRIME - 1) + 1, draw(2) | 1)
    }

    /// The hash of the point `point` (in `1..PRIME`) and the odd factor `factor`.
    fn with(point: u64, factor: u64) -> Self {
        let times = |a: u64, b: u64| reduce(u128::from(a) * u128::from(b));
        let square = times(point, point);
        let cube = times(square, point);
        KeyHash {
            point,
            powers: [times(cube, point), cube, square, point],
            factor,
        }
    }

    /// The hash of `text`. Its top bits are the ones the universal bound is about: a table
    /// takes its slot from them. (Never 0: a 0 product is taken as 1, which costs the bound
    /// one value in 2^64.)
    #[inline(always)]
    pub(super) fn of(self, text: &str) -> NonZeroU64 {
        self.of_within(text.as_bytes(), 0, text.len())
    }

    /// The hash of the `len` bytes of `bytes` from `start`, which may read (and ignore) up to
    /// [`WINDOW`] bytes from `start` where `bytes` has them: a key in the body it was read from
    /// is followed by at least its closing quote, so a short key is taken in one load.
    #[inline(always)]
    pub(super) fn of_within(self, bytes: &[u8], start: usize, len: usize) -> NonZeroU64 {
        let sum = if len <= SHORT {
            self.short(window(bytes, start, len), len)
        } else {
            let text = bytes.get(start..start.saturating_add(len));
            self.long(text.holds("the text hashed is within the bytes"))
        };
        debug_assert!(sum < PRIME, "the sum is reduced");
        NonZeroU64::new(scramble(sum).wrapping_mul(self.factor)).unwrap_or(NonZeroU64::MIN)
    }

    /// The polynomial of a text of at most [`SHORT`] bytes, zero-padded to two words: in
    /// `window`, little-endian, and `len` its length. No loop and no branch on the length, which
    /// the keys of one object vary, so that a branch on it was mispredicted once in a few keys.
    #[inline(always)]
    fn short(self, window: u128, len: usize) -> u64 {
        debug_assert!(len <= SHORT);
        let text = window & ((1 << (8 * len)) - 1);
        let first = text as u64 & WORD_MASK;
        let second = (text >> (8 * WORD)) as u64;
        let [_, _, square, point] = self.powers.map(u128::from);
        // Horner's rule for length, first, second, in one reduction: each term is below 2^117.
        reduce(len as u128 * square + u128::from(first) * point + u128::from(second))
    }

    /// The polynomial of a text longer than [`SHORT`] bytes: its length, then its words.
    fn long(self, bytes: &[u8]) -> u64 {
        // The length first, so that texts of different lengths give different polynomials even
        // where their zero-padded last words agree: the encoding is one-to-one.
        let mut sum = bytes.len() as u64 & PRIME;
        let mut blocks = bytes.chunks_exact(4 * WORD);
        for block in blocks.by_ref() {
            // Four steps of Horner's rule at once: sum * point^4 + w0 * point^3 + ... + w3.
            let [p4, p3, p2, p1] = self.powers.map(u128::from);
            let word = |at: usize| {
                u128::from(little_endian(
                    block.get(at..at + WORD).holds("a block has four words"),
                ))
            };
            sum = reduce(
                u128::from(sum) * p4
                    + word(0) * p3
                    + word(WORD) * p2
                    + word(2 * WORD) * p1
                    + word(3 * WORD),
            );
        }
        for word in blocks.remainder().chunks(WORD) {
            sum = self.step(sum, little_endian(word));
        }
        sum
    }

    /// `sum * point + word` in the field; `sum` and the result are reduced (below [`PRIME`]).
    #[inline(always)]
    fn step(self, sum: u64, word: u64) -> u64 {
        reduce(u128::from(sum) * u128::from(self.point) + u128::from(word))
    }
}

/// `value` in the field, reduced (below [`PRIME`]), for any `value` below 2^124 (four words
/// times powers of the point and a reduced sum times the fourth are below 2^123).
#[inline(always)]
fn reduce(value: u128) -> u64 {
    debug_assert!(value < 1 << 124);
    // 2^61 = 1 in the field: fold the high bits onto the low ones, twice, then subtract once:
    // below 2^124, the first fold leaves less than 2^61 + 2^63 and the second less than
    // PRIME + 6.
    let folded = (value as u64 & PRIME) + (value >> 61) as u64;
    let folded = (folded & PRIME) + (folded >> 61);
    if folded >= PRIME {
        folded - PRIME
    } else {
        folded
    }
}

/// A fixed bijection (SplitMix64's first two rounds) between the polynomial and the
/// multiply-shift. Keys that differ only in their last word have sums that differ by a known
/// amount, and multiply-shift keeps such arithmetic runs in step: whole runs of keys (`input_1`
/// to `input_9999`) would share slots at once for an unlucky factor. Being one-to-one, the
/// scramble keeps the universal bound, and it breaks the runs.
#[inline(always)]
fn scramble(sum: u64) -> u64 {
    let mixed = (sum ^ (sum >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    mixed ^ (mixed >> 27)
}

/// The [`WINDOW`] bytes of `bytes` from `start`, little-endian, where `bytes` has them; else the
/// `len` bytes from `start`, zero-padded (a text at the very end of the body, or one on its own).
#[inline(always)]
fn window(bytes: &[u8], start: usize, len: usize) -> u128 {
    match bytes
        .get(start..start.saturating_add(WINDOW))
        .and_then(|window| <[u8; WINDOW]>::try_from(window).ok())
    {
        Some(window) => u128::from_le_bytes(window),
        None => padded(bytes, start, len),
    }
}

/// The `len` bytes of `bytes` from `start` (at most [`WINDOW`] of them), zero-padded.
#[cold]
fn padded(bytes: &[u8], start: usize, len: usize) -> u128 {
    let mut window = [0; WINDOW];
    let text = bytes.get(start..start.saturating_add(len));
    let text = text.holds("the text hashed is within the bytes");
    if let Some(room) = window.get_mut(..text.len()) {
        room.copy_from_slice(text);
    }
    u128::from_le_bytes(window)
}

/// Up to seven bytes as a little-endian number (below 2^56, so below [`PRIME`]). Read as two
/// loads that may overlap (a byte read twice lands on the same bits both times), not copied
/// into a buffer first: a copy and a wider load of it stall the store-to-load forwarding, which
/// cost more than all the rest of a short key's hash.
#[inline(always)]
fn little_endian(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    let byte = |at: usize| u64::from(bytes.get(at).copied().unwrap_or(0));
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|four| <[u8; 4]>::try_from(four).ok())
            .map_or(0, |four| u64::from(u32::from_le_bytes(four)))
    };
    match len {
        0 => 0,
        1..4 => byte(0) | byte(len / 2) << (8 * (len / 2)) | byte(len - 1) << (8 * (len - 1)),
        _ => {
            let last = len.min(WORD) - 4;
            u32_at(0) | u32_at(last) << (8 * last)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{KeyHash, PRIME, little_endian, scramble};

    /// The field step, by the definition.
    fn step_by_definition(sum: u64, point: u64, word: u64) -> u64 {
        ((u128::from(sum) * u128::from(point) + u128::from(word)) % u128::from(PRIME)) as u64
    }

    #[test]
    fn the_step_is_multiply_add_in_the_field() {
        let edge = [0, 1, 2, (1 << 56) - 1, PRIME - 2, PRIME - 1];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut random = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..10_000 {
            let sum = random() % PRIME;
            let point = random() % (PRIME - 1) + 1;
            let word = random() >> 8;
            let hash = KeyHash::with(point, 1);
            assert_eq!(hash.step(sum, word), step_by_definition(sum, point, word));
        }
        for &sum in &edge {
            for &point in &edge[1..] {
                for word in [0, 1, (1 << 56) - 1] {
                    let hash = KeyHash::with(point, 1);
                    let want = step_by_definition(sum % PRIME, point, word);
                    assert_eq!(hash.step(sum % PRIME, word), want, "{sum} {point} {word}");
                }
            }
        }
    }

    #[test]
    fn words_are_read_little_endian_and_zero_padded() {
        assert_eq!(little_endian(b""), 0);
        assert_eq!(little_endian(b"\x01"), 1);
        assert_eq!(little_endian(b"\x01\x02"), 0x0201);
        assert_eq!(little_endian(b"abcdefg"), 0x0067_6665_6463_6261);
        for len in 0..=7 {
            let bytes: Vec<u8> = (1..=len as u8).map(|b| b * 0x11).collect();
            let want = bytes
                .iter()
                .rev()
                .fold(0u64, |word, &b| word << 8 | u64::from(b));
            assert_eq!(little_endian(&bytes), want, "{len} bytes");
        }
    }

    #[test]
    fn the_hash_is_the_polynomial_of_length_and_words_times_the_factor() {
        let hash = KeyHash::with(1_000_003_000_007, 0x9E37_79B9_7F4A_7C15);
        let long = "0123456789".repeat(12);
        for len in 0..long.len() {
            let text = &long[..len];
            let mut sum = text.len() as u64;
            let mut words: Vec<u64> = text.as_bytes().chunks(7).map(little_endian).collect();
            // Up to fourteen bytes, two words.
            words.resize(words.len().max(2), 0);
            for word in words {
                sum = step_by_definition(sum, hash.point, word);
            }
            let want = scramble(sum).wrapping_mul(hash.factor).max(1);
            assert_eq!(hash.of(text).get(), want, "{len}");
        }
        // Zero padding does not make a short text equal to its padded self.
        assert_ne!(hash.of("a"), hash.of("a\0"));
        assert_ne!(hash.of(""), hash.of("\0"));
    }

    #[test]
    fn a_text_hashes_the_same_within_a_longer_one() {
        // Read where it is, a short text is loaded with the bytes after it, which are ignored.
        let hash = KeyHash::with(1_000_003_000_007, 0x9E37_79B9_7F4A_7C15);
        let bytes = b"\"input_0\": \"abcdefghijklmnopqrstuvwxyz\xff\x00\x01\"".as_slice();
        for start in 0..bytes.len() {
            for len in 0..=bytes.len() - start {
                let text = &bytes[start..start + len];
                let alone = String::from_utf8_lossy(text);
                if alone.len() != len {
                    continue;
                }
                assert_eq!(
                    hash.of_within(bytes, start, len),
                    hash.of(&alone),
                    "{start} {len}"
                );
            }
        }
    }

    #[test]
    fn different_keys_rarely_share_their_top_bits() {
        let hash = KeyHash::new();
        let mut tops: Vec<u64> = (0..20_000)
            .map(|i| hash.of(&format!("input_{i}")).get() >> 44)
            .collect();
        tops.sort_unstable();
        tops.dedup();
        // 20,000 keys in 2^20 buckets: about 190 pairs share one by chance, and 300 are more
        // than five standard deviations away.
        assert!(tops.len() > 19_700, "{}", tops.len());
        assert_ne!(hash.of("").get(), 0);
    }
}
