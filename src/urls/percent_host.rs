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
    // One pass over the bytes to the host's end. (Hosts that decode to ASCII were read before,
    // as plain authorities are: what comes here mostly decodes to international characters.)
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
pub(super) fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let all = decode_into(bytes, &mut out, false);
    debug_assert!(all, "only a decoding to ASCII stops early");
    out
}

/// [`percent_decode`] of a host that must decode to ASCII: `None` at the first byte from 0x80,
/// written or decoded, with no more of it read.
pub(super) fn percent_decode_ascii(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    decode_into(bytes, &mut out, true).then_some(out)
}

/// Decodes `bytes` into `out`; false if `ascii` asks for ASCII and a byte from 0x80 came out.
fn decode_into(bytes: &[u8], out: &mut Vec<u8>, ascii: bool) -> bool {
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let decoded = match byte {
            b'%' => bytes.get(at + 1..at + 3).and_then(hex_pair),
            _ => None,
        };
        let (byte, read) = decoded.map_or((byte, 1), |decoded| (decoded, 3));
        if ascii && !byte.is_ascii() {
            return false;
        }
        out.push(byte);
        at += read;
    }
    true
}

/// The byte named by the two hexadecimal digits of `pair`, if they are.
fn hex_pair(pair: &[u8]) -> Option<u8> {
    let &[high, low] = pair else {
        return None;
    };
    Some(hex_digit(high)? << 4 | hex_digit(low)?)
}

/// The value of a hexadecimal digit.
fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{percent_decode, percent_decode_ascii};

    #[test]
    fn a_decoding_to_ascii_stops_at_the_first_byte_that_is_not() {
        assert_eq!(
            percent_decode_ascii(b"a%41%5f%2e%zz").as_deref(),
            Some(&b"aA_.%zz"[..])
        );
        for written in [&b"a%C3%A9"[..], b"a%80", "aé".as_bytes(), b"%ff"] {
            assert_eq!(percent_decode_ascii(written), None, "{written:?}");
            assert!(!percent_decode(written).is_ascii(), "{written:?}");
        }
    }

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
