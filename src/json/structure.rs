//! Finding JSON's structure (brackets and commas outside strings) 64 bytes at a time: each
//! chunk becomes a bit mask of the bytes that can matter, built with compares the compiler does
//! sixteen bytes at once, and only the set bits are looked at one by one. Strings are crossed by
//! their quotes and backslashes in the same mask, so a short key costs two bits, not a call.
//!
//! This is the engine of the trusted scan ([`super::scan`]): it assumes nothing about the text
//! and never panics, but its answers mean something only on valid JSON.

use crate::invariant::Invariant;
use crate::swar::chunk_mask;

/// Bytes per mask.
const CHUNK: usize = 64;

/// Calls `stop` with each bracket or comma outside strings, from `pos` (which must be outside a
/// string) on, and its index; returns the first index for which `stop` says true, or the
/// text's length. (Inlined into each caller, so that the caller's state stays in registers.)
#[inline(always)]
pub(super) fn find_structure(
    bytes: &[u8],
    pos: usize,
    mut stop: impl FnMut(u8, usize) -> bool,
) -> usize {
    let mut base = pos;
    let mut in_string = false;
    // A backslash that ended the last chunk escapes the first byte of this one.
    let mut escape_next = false;
    while base < bytes.len() {
        let chunk = chunk_at(bytes, base);
        let masks = Masks::of(&chunk);
        if masks.backslash == 0 && !escape_next {
            // No escapes: the bytes inside strings are those after an odd number of quotes.
            let inside = prefix_xor(masks.quote) ^ if in_string { u64::MAX } else { 0 };
            let mut outside = masks.structure & !inside;
            while outside != 0 {
                let bit = outside.trailing_zeros() as usize;
                outside &= outside - 1;
                let byte = chunk.get(bit).copied().holds("a bit of a 64-bit mask");
                if stop(byte, base + bit) {
                    return base + bit;
                }
            }
            in_string = inside >> 63 == 1;
        } else {
            let mut mask = masks.quote | masks.backslash | masks.structure;
            if escape_next {
                mask &= !1;
                escape_next = false;
            }
            while mask != 0 {
                let bit = mask.trailing_zeros() as usize;
                mask &= mask - 1;
                let byte = chunk.get(bit).copied().holds("a bit of a 64-bit mask");
                if in_string {
                    match byte {
                        b'"' => in_string = false,
                        b'\\' if bit + 1 < CHUNK => mask &= !(1 << (bit + 1)),
                        b'\\' => escape_next = true,
                        _ => {}
                    }
                } else if byte == b'"' {
                    in_string = true;
                } else if stop(byte, base + bit) {
                    return base + bit;
                }
            }
        }
        base += CHUNK;
    }
    bytes.len()
}

/// Bit `i` of `prefix_xor(x)` is the parity of bits `0..=i` of `x`.
#[inline(always)]
fn prefix_xor(mut x: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        x ^= x << shift;
    }
    x
}

/// The chunk at `base`, the text's last one padded with zero bytes (never structure).
#[inline]
fn chunk_at(bytes: &[u8], base: usize) -> [u8; CHUNK] {
    if let Some(chunk) = bytes.get(base..).and_then(<[u8]>::first_chunk::<CHUNK>) {
        return *chunk;
    }
    let mut chunk = [0u8; CHUNK];
    let tail = bytes
        .get(base..)
        .holds("the caller's loop keeps base below the length");
    if let Some(start) = chunk.get_mut(..tail.len()) {
        start.copy_from_slice(tail);
    }
    chunk
}

/// A chunk's bytes that matter, one bit per byte.
struct Masks {
    quote: u64,
    backslash: u64,
    /// Brackets and commas.
    structure: u64,
}

impl Masks {
    /// The masks of a chunk; `backslash` is computed only when the chunk has one, which few do.
    #[inline(always)]
    fn of(chunk: &[u8; CHUNK]) -> Masks {
        let backslash = if chunk.iter().fold(false, |any, &b| any | (b == b'\\')) {
            chunk_mask(chunk, |b| b == b'\\')
        } else {
            0
        };
        Masks {
            quote: chunk_mask(chunk, |b| b == b'"'),
            backslash,
            // `| 0x20` folds `[` and `]` onto `{` and `}`, and nothing else onto them.
            structure: chunk_mask(chunk, |b| matches!(b | 0x20, b'{' | b'}') | (b == b',')),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::find_structure;

    /// Every bracket and comma outside strings, as `find_structure` reports them.
    fn found(text: &str) -> Vec<(u8, usize)> {
        let mut seen = Vec::new();
        find_structure(text.as_bytes(), 0, |byte, at| {
            seen.push((byte, at));
            false
        });
        seen
    }

    /// The same, byte by byte.
    fn expected(text: &str) -> Vec<(u8, usize)> {
        let (mut in_string, mut escaped, mut seen) = (false, false, Vec::new());
        for (at, &byte) in text.as_bytes().iter().enumerate() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if byte == b'\\' {
                    escaped = true;
                } else if byte == b'"' {
                    in_string = false;
                }
            } else if byte == b'"' {
                in_string = true;
            } else if matches!(byte, b'[' | b']' | b'{' | b'}' | b',') {
                seen.push((byte, at));
            }
        }
        seen
    }

    #[test]
    fn finds_what_a_byte_by_byte_walk_finds_across_chunk_edges() {
        let piece = r#"{"a\\": [1, "x\"]", {"b": "\\\""}], "c,": "}"},"#;
        for lead in 0..70 {
            let text = format!("{}{}{}", " ".repeat(lead), piece, piece.repeat(3));
            assert_eq!(found(&text), expected(&text), "lead {lead}");
        }
        // A backslash as the last byte of a chunk escapes the first of the next.
        let text = format!("\"{}\\\",]\",", "x".repeat(62));
        assert_eq!(text.as_bytes().get(63), Some(&b'\\'));
        assert_eq!(found(&text), [(b',', 68)]);
        assert_eq!(found(&text), expected(&text));
    }

    #[test]
    fn stops_where_asked_and_ends_at_the_length() {
        let text = "[1, [2], 3]";
        let at = find_structure(text.as_bytes(), 0, |byte, _| byte == b']');
        assert_eq!(at, 6);
        assert_eq!(find_structure(text.as_bytes(), 0, |_, _| false), text.len());
        assert_eq!(find_structure(text.as_bytes(), 99, |_, _| true), text.len());
        assert_eq!(find_structure(b"\"\\", 0, |_, _| true), 2);
    }
}
