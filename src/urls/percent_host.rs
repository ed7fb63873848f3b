//! Hosts written with percent-encoded bytes, decoded as the URL parser decodes them and then
//! read by the fast path.
//!
//! The parser decodes a host's `%XX` before IDNA, so `https://b%C3%BCcher.example` is
//! `bücher.example`. Such a host is cheap to read as JSON (it is ASCII) and cost the parser as
//! much as any international host: a body of them cost `validate` 8.5 to 10 times its `Value`
//! parse, at the contract's bound. Here it is decoded and given to [`read_host`], which holds
//! every rule of the host it takes.

use super::international::{Labels, read_host};
use super::written_host::host_too_long;

/// The host of `text` (which starts `https://`, then `rest`) once its percent-encoded bytes are
/// decoded, in its ASCII form with international labels written as `labels` says; or `None` if
/// the parser must decide: the host has no `%`, is longer than the contract allows as written,
/// does not decode to UTF-8, or decodes to a character that would end it. (A user name or a
/// port keeps its `@` or `:`, which [`read_host`] does not take.)
pub(super) fn decoded_host(text: &str, rest: &str, labels: Labels) -> Option<String> {
    // One pass over the bytes to the host's end, for every URL the fast path did not take.
    let mut percent = false;
    let mut end = rest.len();
    for (at, byte) in rest.bytes().enumerate() {
        match byte {
            b'/' | b'?' | b'#' | b'\\' => {
                end = at;
                break;
            }
            b'%' => percent = true,
            _ => {}
        }
    }
    // The bounds hold as written: the parser's too.
    if !percent || host_too_long(text) {
        return None;
    }
    let written = rest.get(..end)?;
    let decoded = String::from_utf8(percent_decode(written.as_bytes())).ok()?;
    // Decoded, these would end the host where the parser refuses it.
    if decoded.contains(['/', '?', '#']) {
        return None;
    }
    read_host(&decoded, labels)
}

/// `bytes` with every `%` followed by two hexadecimal digits replaced by the byte they name;
/// any other `%` is kept, as the URL Standard's percent-decode keeps it.
fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some((&byte, after)) = rest.split_first() {
        match (byte == b'%').then(|| hex_pair(after)).flatten() {
            Some(decoded) => {
                out.push(decoded);
                rest = after.get(2..).unwrap_or_default();
            }
            _ => {
                out.push(byte);
                rest = after;
            }
        }
    }
    out
}

/// The byte named by the two hexadecimal digits `bytes` starts with, if it does.
fn hex_pair(bytes: &[u8]) -> Option<u8> {
    let &[high, low] = bytes.first_chunk::<2>()?;
    let high = char::from(high).to_digit(16)?;
    let low = char::from(low).to_digit(16)?;
    u8::try_from(high * 16 + low).ok()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn percent_decoding_takes_two_hexadecimal_digits_of_either_case() {
        for (written, decoded) in [
            ("b%C3%BCcher", "bücher".as_bytes()),
            ("%c3%bc", "ü".as_bytes()),
            ("%41%2e%62", b"A.b"),
            // A `%` without two hexadecimal digits after it stays.
            ("%", b"%"),
            ("a%4", b"a%4"),
            ("%G1%1", b"%G1%1"),
            ("%%41", b"%A"),
            ("%25%32%35", b"%25"),
        ] {
            assert_eq!(percent_decode(written.as_bytes()), decoded, "{written}");
        }
    }
}
