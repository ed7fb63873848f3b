//! Byte tests a word or a chunk at a time (SIMD within a register), shared by the JSON reader's
//! string scan, its structure scan and the written-host scan of URLs.
//!
//! The word tests flag a byte by the high bit of its lane. Their flags are exact from the
//! lowest one up to the first true one: a false flag can only come from a borrow out of a lower
//! lane whose byte really passes the test, so "the first flagged byte" is always right, which is
//! all the callers ask.

use crate::invariant::Invariant;

/// `0x01` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// `0x80` in every byte.
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// `byte` in every lane of a word.
#[inline(always)]
pub(crate) const fn splat(byte: u8) -> u64 {
    ONES * byte as u64
}

/// The little-endian word of the eight bytes at `at`, if eight remain there.
#[inline(always)]
pub(crate) fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let word = bytes.get(at..)?.first_chunk::<8>()?;
    Some(u64::from_le_bytes(*word))
}

/// The bytes of `word` below `bound` (at most `0x80`), flagged; see the module's note on which
/// flags are exact.
#[inline(always)]
pub(crate) const fn bytes_below(word: u64, bound: u8) -> u64 {
    debug_assert!(bound <= 0x80);
    word.wrapping_sub(splat(bound)) & !word & HIGHS
}

/// The zero bytes of `word`, flagged: with `word ^ splat(b)`, the bytes equal to `b`.
#[inline(always)]
pub(crate) const fn zero_bytes(word: u64) -> u64 {
    bytes_below(word, 1)
}

/// The lane of the lowest flag of a non-zero mask: the index of the first flagged byte.
#[inline(always)]
pub(crate) const fn first_flagged(mask: u64) -> usize {
    debug_assert!(mask != 0);
    (mask.trailing_zeros() / 8) as usize
}

/// The longest text [`short_contains`] settles.
pub(crate) const SHORT: usize = 32;

/// Whether `bytes` hold `byte`, if they are at most [`SHORT`] long: a word test for each
/// eight bytes, the last word overlapping the one before (for four to seven bytes, a word of
/// the first four and the last four), where a byte loop takes a step a byte. `None` if longer.
#[inline]
pub(crate) fn short_contains(bytes: &[u8], byte: u8) -> Option<bool> {
    let flags = |word: u64| zero_bytes(word ^ splat(byte));
    // A word the lengths guarantee is missing would count as holding the byte: the caller
    // then reads the text in full, which is always right.
    let why = "the length leaves room for the word";
    let found = match bytes.len() {
        0..4 => return Some(bytes.contains(&byte)),
        4..8 => {
            let half = |four: Option<&[u8; 4]>| {
                u64::from(u32::from_le_bytes(four.copied().holds_or([byte; 4], why)))
            };
            // Halves of disjoint bits: `+` is `|` here.
            flags(half(bytes.first_chunk()) + (half(bytes.last_chunk()) << 32))
        }
        len @ 8..=SHORT => {
            let last = bytes
                .last_chunk::<8>()
                .map(|last| u64::from_le_bytes(*last));
            let mut found = last.map_or(HIGHS, flags);
            // The words before the last, which covers the rest.
            for at in (0..len.saturating_sub(8)).step_by(8) {
                found |= word_at(bytes, at).map_or(HIGHS, flags);
            }
            debug_assert!(last.is_some(), "{why}");
            found
        }
        _ => return None,
    };
    Some(found != 0)
}

/// The index of the first byte from `at` on that passes `test`, or `bytes.len()`: eight bytes at
/// a time by `flags` (a word test whose lowest flag is exact, see the module's note), the last
/// few one at a time by `test`.
#[inline(always)]
pub(crate) fn position_from(
    bytes: &[u8],
    mut at: usize,
    flags: impl Fn(u64) -> u64,
    test: impl Fn(u8) -> bool,
) -> usize {
    while let Some(word) = word_at(bytes, at) {
        let mask = flags(word);
        if mask != 0 {
            return at + first_flagged(mask);
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest.iter().position(|&b| test(b)).unwrap_or(rest.len())
}

/// [`position_from`] for text that may be long (a hostile host is a kilobyte): 64 bytes at a
/// time by [`chunk_mask`], some 1 instruction a byte where a word test costs 3 or 4, then the
/// last few words and bytes as [`position_from`] reads them. A byte found in the first chunk
/// costs that chunk whole, so this is for scans that usually run long.
#[inline(always)]
pub(crate) fn position_from_chunked(
    bytes: &[u8],
    mut at: usize,
    flags: impl Fn(u64) -> u64,
    test: impl Fn(u8) -> bool + Copy,
) -> usize {
    while let Some(chunk) = bytes.get(at..).and_then(<[u8]>::first_chunk::<64>) {
        let mask = chunk_mask(chunk, test);
        if mask != 0 {
            return at + mask.trailing_zeros() as usize;
        }
        at += 64;
    }
    position_from(bytes, at, flags, test)
}

/// Bit `i` set when byte `i` of a 64-byte chunk passes `test`: one flag byte per byte first,
/// in a loop the compiler turns into vector compares, then each eight flags become eight bits by
/// one multiplication (flag `i` lands on bit `56 + i`).
#[inline(always)]
pub(crate) fn chunk_mask(chunk: &[u8; 64], test: impl Fn(u8) -> bool) -> u64 {
    let mut flags = [0u8; 64];
    for (flag, &byte) in flags.iter_mut().zip(chunk) {
        *flag = u8::from(test(byte));
    }
    let mut mask = 0u64;
    for (k, word) in flags.chunks_exact(8).enumerate() {
        let word = word
            .first_chunk::<8>()
            .map_or(0, |w| u64::from_le_bytes(*w));
        mask |= (word.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::{
        SHORT, bytes_below, chunk_mask, first_flagged, short_contains, splat, word_at, zero_bytes,
    };

    /// Every pair of bytes, at every pair of lanes, over a background of `fill`: the first
    /// flagged lane is the first lane whose byte passes.
    fn first_flag_is_exact(fill: u8, test: impl Fn(u8) -> bool, mask: impl Fn(u64) -> u64) {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for (i, j) in [(0, 1), (2, 5), (6, 7), (0, 7)] {
                    let mut bytes = [fill; 8];
                    bytes[i] = a;
                    bytes[j] = b;
                    let want = bytes.iter().position(|&x| test(x));
                    let flags = mask(u64::from_le_bytes(bytes));
                    let got = (flags != 0).then(|| first_flagged(flags));
                    assert_eq!(got, want, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn the_first_flag_of_each_word_test_is_exact() {
        first_flag_is_exact(b'a', |b| b < 0x21, |w| bytes_below(w, 0x21));
        first_flag_is_exact(b'a', |b| b == 0, zero_bytes);
        first_flag_is_exact(b' ', |b| b == b'"', |w| zero_bytes(w ^ splat(b'"')));
        first_flag_is_exact(0x7f, |b| b < 0x80, |w| bytes_below(w, 0x80));
    }

    #[test]
    fn words_are_read_little_endian_where_eight_bytes_remain() {
        let bytes = *b"abcdefghi";
        assert_eq!(word_at(&bytes, 0), Some(u64::from_le_bytes(*b"abcdefgh")));
        assert_eq!(word_at(&bytes, 1), Some(u64::from_le_bytes(*b"bcdefghi")));
        assert_eq!(word_at(&bytes, 2), None);
        assert_eq!(word_at(&bytes, 99), None);
    }

    #[test]
    fn a_chunk_mask_has_the_bit_of_every_passing_byte() {
        let mut chunk = [b'x'; 64];
        for at in [0, 1, 7, 8, 31, 32, 55, 63] {
            chunk[at] = b',';
        }
        let mask = chunk_mask(&chunk, |b| b == b',');
        let want = [0, 1, 7, 8, 31, 32, 55, 63]
            .iter()
            .fold(0u64, |mask, &at| mask | 1 << at);
        assert_eq!(mask, want);
        assert_eq!(chunk_mask(&chunk, |_| true), u64::MAX);
        assert_eq!(chunk_mask(&chunk, |_| false), 0);
    }

    #[test]
    fn short_text_holds_a_byte_wherever_it_stands() {
        // Every length up to SHORT and one past, the byte at every place or nowhere, over a
        // background of its neighbours (a borrow from one lane must not flag the next).
        for len in 0..=SHORT + 1 {
            for fill in [b'9', b';', b'a', 0x00, 0xff] {
                let plain = vec![fill; len];
                let want = |bytes: &[u8]| (len <= SHORT).then(|| bytes.contains(&b':'));
                assert_eq!(short_contains(&plain, b':'), want(&plain), "{len} {fill}");
                for at in 0..len {
                    let mut bytes = plain.clone();
                    bytes[at] = b':';
                    assert_eq!(short_contains(&bytes, b':'), want(&bytes), "{len} {at}");
                }
            }
        }
        assert_eq!(short_contains(b"https", b's'), Some(true));
        assert_eq!(short_contains(b"http", b's'), Some(false));
    }
}
