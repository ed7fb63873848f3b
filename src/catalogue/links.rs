//! What the catalogue check counts as a link: `["<node id>", <output index>]` with the index a
//! non-negative integer written without fraction or exponent, whatever its size (the request
//! layer's [`Link`](crate::Link) also needs it to fit a `u32`; a larger index is still a link
//! here, to an output no class has).

use std::borrow::Cow;

use crate::json::{self, JsonStr};
use crate::swar;

/// The shape of an input's value, as far as links go.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Shape<'v> {
    /// A link to output `output` (saturated past `u64`) of node `node_id`.
    Link { node_id: Cow<'v, str>, output: u64 },
    /// An array that is not a link.
    Array,
    /// Any other value.
    Other,
}

/// The shape of an input's value, from its exact text (checked JSON). (The test of the first
/// byte inlined, as for [`unwrap_value`](super::literal::unwrap_value): most values are not
/// arrays.)
#[inline]
pub(crate) fn shape(raw: &str) -> Shape<'_> {
    if !raw.starts_with('[') {
        return Shape::Other;
    }
    array_shape(raw)
}

/// [`shape`] of a text that starts an array.
#[inline(never)]
fn array_shape(raw: &str) -> Shape<'_> {
    if let Some((id, output)) = plain_link(raw) {
        return Shape::Link {
            node_id: Cow::Borrowed(id),
            output,
        };
    }
    let mut items = json::elements(raw);
    let (Some(id), Some(index), None) = (items.next(), items.next(), items.next()) else {
        return Shape::Array;
    };
    let Some(id) = id.strip_prefix('"').and_then(|id| id.strip_suffix('"')) else {
        return Shape::Array;
    };
    if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
        return Shape::Array;
    }
    Shape::Link {
        node_id: JsonStr::from_valid(id, 0).decode(),
        // All digits: only its size can fail to parse, and then no class has that output.
        output: index.parse().unwrap_or(u64::MAX),
    }
}

/// A link as editors and pretty-printers write it, `["<id without escapes>", <digits>]` with
/// any JSON white space between its tokens, read without the element scan: its node id and
/// output index. `None` for any other text, which [`shape`] then settles.
pub(crate) fn plain_link(raw: &str) -> Option<(&str, u64)> {
    let bytes = raw.as_bytes();
    // One cursor over the bytes, each looked at once.
    let mut at = 1;
    let skip_blank = |at: &mut usize| *at = after_blanks(bytes, *at);
    if bytes.first() != Some(&b'[') {
        return None;
    }
    skip_blank(&mut at);
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    at += 1;
    let id_start = at;
    loop {
        match bytes.get(at)? {
            b'"' => break,
            // An escape: the general reading decodes it.
            b'\\' => return None,
            _ => at += 1,
        }
    }
    let id_end = at;
    at += 1;
    skip_blank(&mut at);
    if bytes.get(at) != Some(&b',') {
        return None;
    }
    at += 1;
    skip_blank(&mut at);
    let digits_start = at;
    let mut output = 0u64;
    while let Some(&digit @ b'0'..=b'9') = bytes.get(at) {
        // More than 19 digits may not fit: the general reading saturates them.
        if at - digits_start == 19 {
            return None;
        }
        output = output * 10 + u64::from(digit - b'0');
        at += 1;
    }
    if at == digits_start {
        return None;
    }
    skip_blank(&mut at);
    if bytes.get(at) != Some(&b']') {
        return None;
    }
    // The text is one checked JSON value: the bracket that closes it is its last byte.
    debug_assert_eq!(at + 1, bytes.len(), "text after the link's closing bracket");
    // The id's bounds are quotes, ASCII: character boundaries.
    let id = raw.get(id_start..id_end)?;
    Some((id, output))
}

/// The first byte at or after `at` above a space (in valid JSON, the first that is not
/// whitespace), eight bytes at a time while eight remain. (Exported workflows are pretty-printed,
/// and a link written over four lines has some thirty blanks, which byte by byte cost most of
/// its reading.)
fn after_blanks(bytes: &[u8], mut at: usize) -> usize {
    while let Some(word) = swar::word_at(bytes, at) {
        // A byte above 0x20 has its high bit set once 0x5F is added, or had it already; a carry
        // out of a byte comes only from one already flagged, so the first flag is exact.
        let above_space = (word.wrapping_add(swar::splat(0x5F)) | word) & swar::splat(0x80);
        if above_space != 0 {
            return at + swar::first_flagged(above_space);
        }
        at += 8;
    }
    while bytes.get(at).is_some_and(|&b| b <= b' ') {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::{Shape, after_blanks, plain_link, shape};

    #[test]
    fn blanks_end_at_the_first_byte_above_a_space() {
        let first_above = |bytes: &[u8], at: usize| {
            bytes
                .iter()
                .skip(at)
                .position(|&b| b > b' ')
                .map_or(bytes.len(), |k| at + k)
        };
        for a in 0..=255u8 {
            for b in [
                0u8, b'\t', b'\n', b'\r', b' ', b'!', b'"', 0x7f, 0x80, 0xa1, 0xff,
            ] {
                for (i, j) in [(0, 1), (3, 9), (7, 8), (8, 12), (14, 15)] {
                    let mut bytes = [b' '; 16];
                    bytes[i] = a;
                    bytes[j] = b;
                    for at in [0, 1, 5, 9, 15] {
                        let want = first_above(&bytes, at);
                        assert_eq!(after_blanks(&bytes, at), want, "{bytes:?} from {at}");
                    }
                }
            }
        }
        assert_eq!(after_blanks(b"  ", 0), 2);
        assert_eq!(after_blanks(b"", 0), 0);
    }

    #[test]
    fn the_plain_reading_agrees_with_the_general_one() {
        for text in [
            r#"["12", 3]"#,
            r#"["12",3]"#,
            r#"["", 0]"#,
            r#"["a b", 9999999999999999999]"#,
            r#"["1", 18446744073709551615]"#,
            r#"["1", 18446744073709551616]"#,
            r#"["\u0031", 0]"#,
            r#"["1",  0]"#,
            r#"[ "1", 0]"#,
            r#"["1", 0 ]"#,
            r#"["1", -0]"#,
            r#"["1", 0.5]"#,
            r#"["1", 0, 1]"#,
            r#"["1\"", 2]"#,
            "[\n  \"3\",\n  0\n]",
            "[\t\"3\"\r\n,\n12\n ]",
            r#"["3", 1e2]"#,
            r#"["3" , 0 , 1]"#,
            // The digits start past byte 19: their count, not their place, limits them.
            r#"["a node id of 24 bytes..", 184467440737095516150]"#,
        ] {
            let general = {
                let mut items = crate::json::elements(text);
                let (id, index) = (items.next(), items.next());
                let more = items.next().is_some();
                let id = id.and_then(|id| id.strip_prefix('"')?.strip_suffix('"'));
                match (id, index, more) {
                    (Some(id), Some(index), false)
                        if !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        Shape::Link {
                            node_id: crate::json::JsonStr::from_valid(id, 0).decode(),
                            output: index.parse().unwrap_or(u64::MAX),
                        }
                    }
                    _ => Shape::Array,
                }
            };
            assert_eq!(shape(text), general, "{text}");
            if let Some((id, output)) = plain_link(text) {
                let plain = Shape::Link {
                    node_id: id.into(),
                    output,
                };
                assert_eq!(plain, general, "{text}");
            }
        }
        assert!(
            plain_link(r#"["12", 3]"#).is_some(),
            "the common case is plain"
        );
        assert!(plain_link(r#"["\u0031", 0]"#).is_none(), "escapes are not");
        assert!(
            plain_link("[\n  \"3\",\n  0\n]").is_some(),
            "nor is the pretty-printed one"
        );
    }

    #[test]
    fn large_indices_are_links_and_other_arrays_are_not() {
        assert_eq!(
            shape(r#"["12", 3]"#),
            Shape::Link {
                node_id: "12".into(),
                output: 3
            }
        );
        assert_eq!(shape(r#""3""#), Shape::Other);
        assert_eq!(shape("{}"), Shape::Other);
        assert_eq!(
            shape(r#"["3", 4294967296]"#),
            Shape::Link {
                node_id: "3".into(),
                output: 4_294_967_296
            }
        );
        assert_eq!(
            shape(r#"["\u0033", 99999999999999999999999]"#),
            Shape::Link {
                node_id: "3".into(),
                output: u64::MAX
            }
        );
        for text in [
            r#"[3, 0]"#,
            r#"["3", -1]"#,
            r#"["3", 1.0]"#,
            r#"["3", 1e0]"#,
            r#"["3", 0, 1]"#,
            r#"["3"]"#,
            r#"[]"#,
            r#"[["3", 0]]"#,
        ] {
            assert_eq!(shape(text), Shape::Array, "{text}");
        }
    }
}
