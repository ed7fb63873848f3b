//! International host names in the commonest shape, turned into their ASCII form without the
//! URL parser.
//!
//! The `url` crate's IDNA (UTS #46 through ICU4X's normalizer, then punycode) costs hundreds of
//! instructions a character, and its punycode encoder reads a label once for every distinct
//! character in it: a body of URLs whose hosts are long international labels cost `validate`
//! up to 50 times its parse as JSON, against the contract's 10. Here a host whose every character
//! is ASCII or in the table of characters whose UTS #46 mapping stands on its own (see
//! [`mapping`]) is mapped one character at a time and encoded in time that does not grow with
//! the square of a label. Anything else (a mark, a joiner, right-to-left text, a port, a
//! percent sign) is left to the parser. The `url_fast_path` fuzz target and the tests hold the
//! result to the parser's.

mod mapping;
mod punycode;
mod table;

use super::{MAX_HOST_BYTES, MAX_LABEL_BYTES, is_name_byte};

/// IDNA refuses a label of more characters than this (once mapped) that is not all ASCII.
const MAX_MAPPED_LABEL: usize = 1000;

/// The ASCII form of the host at the start of `rest` (what follows `https://`), which has a
/// character that is not ASCII, exactly as the URL parser would give it; or `None` if the host
/// is not of the shape taken here and the parser must decide. Taken: a host ended by `/`, `?`,
/// `#` or the end, of labels, none empty, none longer than the contract allows, of ASCII
/// letters, digits, `-` and characters of the table, none that maps to a `xn--` label, and a
/// last label that cannot make the host a number.
///
/// One pass over the host, which stops at the first character it does not take: a host left to
/// the parser costs little more here than its reading.
pub(super) fn ascii_host(rest: &str) -> Option<String> {
    let mut out = String::new();
    let mut mapped = Vec::new();
    let mut encoder = punycode::Encoder::default();
    let mut chars = rest.char_indices();
    let mut label_start = 0;
    loop {
        mapped.clear();
        let (end, stop) = loop {
            let Some((at, c)) = chars.next() else {
                break (rest.len(), None);
            };
            // Past the bound, the host is too long whether or not `c` is in it.
            if at > MAX_HOST_BYTES {
                return None;
            }
            match c {
                '.' | '/' | '?' | '#' => break (at, Some(c)),
                c if c.is_ascii() => {
                    if !is_name_byte(c as u8) {
                        return None;
                    }
                    mapped.push(c.to_ascii_lowercase());
                }
                c => mapping::push_mapped(c, &mut mapped)?,
            }
        };
        let label_len = end - label_start;
        if label_len == 0 || label_len > MAX_LABEL_BYTES || end > MAX_HOST_BYTES {
            return None;
        }
        // A label that maps to `xn--` is read as punycode by IDNA: the parser decides.
        if mapped.starts_with(&['x', 'n', '-', '-']) {
            return None;
        }
        if !out.is_empty() {
            out.push('.');
        }
        if mapped.iter().all(char::is_ascii) {
            out.extend(&mapped);
        } else {
            debug_assert!(
                mapped.len() <= MAX_MAPPED_LABEL,
                "no label within the contract's bound maps to more characters"
            );
            out.push_str("xn--");
            encoder.encode(&mapped, &mut out)?;
        }
        match stop {
            Some('.') => label_start = end + 1,
            _ => break,
        }
    }
    // A last label of ASCII that starts with a digit could make the host an IPv4 address; one
    // that starts with a letter, or `xn--`, cannot.
    let last = out.rsplit('.').next().unwrap_or_default();
    last.starts_with(|c: char| c.is_ascii_alphabetic())
        .then_some(out)
}
