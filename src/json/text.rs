//! The body as text: its UTF-8 checked once, before any token is read.

use super::{JsonError, Reason};

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

#[cfg(test)]
mod tests {
    use super::*;

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
