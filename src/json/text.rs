//! The body as text: its UTF-8 checked once, before any token is read, and the white space
//! between its tokens.

use super::{JsonError, Reason};
use crate::swar::{splat, word_at};

/// `body` as a `str`, or an error at its first byte that is not UTF-8.
///
/// `simdutf8` checks the body 32 bytes at a time where the CPU allows it (the standard library's
/// check goes a byte at a time through any non-ASCII text, about 8 instructions a byte on
/// international host names), and hands bodies under 64 bytes to the standard library itself.
/// It says only whether the body is UTF-8, so a body that is not is read again by the standard
/// library for the position of its first bad byte: that costs only bodies that are refused.
pub(crate) fn body_text(body: &[u8]) -> Result<&str, JsonError> {
    match simdutf8::basic::from_utf8(body) {
        Ok(text) => Ok(text),
        Err(_) => std::str::from_utf8(body)
            .map_err(|e| JsonError::at(e.valid_up_to(), Reason::InvalidUtf8)),
    }
}

/// The first position from `pos` on that is not JSON white space (or `bytes.len()`).
///
/// Most bodies are indented: the spaces after a line break are passed eight at a time, so a
/// line's indentation costs one word's test where a byte loop would take a step, and at its end
/// a mispredicted branch, for each space. Other white space (the one space after a `:`) is read
/// a byte at a time, as cheaply as before.
#[inline(always)]
pub(crate) fn past_whitespace(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(&byte @ (b' ' | b'\t' | b'\n' | b'\r')) = bytes.get(pos) {
        pos += 1;
        if byte == b'\n' {
            pos = past_spaces(bytes, pos);
        }
    }
    pos
}

/// Past the spaces from `pos`, as far as the next eight bytes reach.
#[inline(always)]
fn past_spaces(bytes: &[u8], pos: usize) -> usize {
    let Some(word) = word_at(bytes, pos) else {
        return pos;
    };
    // Zero in each lane that holds a space; the lowest set bit is in the first other byte.
    let others = word ^ splat(b' ');
    pos + if others == 0 {
        8
    } else {
        (others.trailing_zeros() / 8) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_passed_in_runs_of_every_length_and_mix() {
        // Every run of up to 20 bytes of the four kinds, spaces most often, with a token or the
        // end after it, at every alignment: the position is that of a byte loop.
        let slow = |bytes: &[u8], mut pos: usize| {
            while matches!(bytes.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                pos += 1;
            }
            pos
        };
        let kinds = [b' ', b' ', b' ', b'\t', b'\n', b'\r'];
        let mut state = 7_u32;
        for lead in 0..9 {
            for len in 0..21 {
                for after in [&b""[..], b"x", b"{\"a\": 1}", b"\x0b", b"\x00 "] {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    let mut body = vec![b'a'; lead];
                    let mut s = state;
                    for _ in 0..len {
                        body.push(kinds[(s >> 16) as usize % kinds.len()]);
                        s = s.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    }
                    body.extend_from_slice(after);
                    for start in 0..=body.len() {
                        assert_eq!(
                            past_whitespace(&body, start),
                            slow(&body, start),
                            "{body:?} from {start}"
                        );
                    }
                }
            }
        }
        let spaces = [b' '; 40];
        assert_eq!(past_whitespace(&spaces, 0), 40);
        assert_eq!(past_whitespace(&spaces, 40), 40);
        assert_eq!(past_whitespace(&spaces, 41), 41);
    }

    #[test]
    fn the_first_bad_byte_is_found_on_either_side_of_the_fast_check() {
        // Bodies under 64 bytes take the standard library's way, longer ones simdutf8's: the
        // bad bodies of 30 to 32 bytes a side are 61 to 67 bytes long.
        for len in [0, 1, 30, 31, 32, 63, 64, 65, 200] {
            let ascii = "a".repeat(len);
            assert_eq!(body_text(ascii.as_bytes()).ok(), Some(ascii.as_str()));
            let text = format!("{ascii}é日本{ascii}");
            assert_eq!(body_text(text.as_bytes()).ok(), Some(text.as_str()));
            for bad in [
                &b"\xff"[..],
                b"\xc3\x28",
                b"\xc0\xaf",
                b"\xed\xa0\x80",
                b"\xe6\x97",
            ] {
                let body = [ascii.as_bytes(), bad, ascii.as_bytes()].concat();
                let error = body_text(&body).err();
                assert_eq!(
                    error.as_ref().map(JsonError::offset),
                    Some(len),
                    "{len} {bad:?}"
                );
                assert_eq!(error.map(|e| e.reason()), Some(Reason::InvalidUtf8));
            }
        }
    }
}
