//! JSON strings: finding their end, checking their escapes, and decoding them lazily.

use std::borrow::Cow;
use std::fmt::{self, Write};

use super::{JsonError, Reason};
use crate::invariant::Invariant;
use crate::swar::{bytes_below, first_flagged, short_contains, splat, word_at, zero_bytes};

/// A string value that the reader has checked, still in its escaped form. Decoding is deferred so
/// that a string nobody needs decoded (almost all of them) costs no allocation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct JsonStr<'a> {
    /// The text between the quotes, escapes included.
    pub(crate) raw: &'a str,
    /// Whether `raw` holds any backslash escape.
    pub(crate) escaped: bool,
    /// Byte offset of the opening quote in the body.
    pub(crate) offset: usize,
}

impl<'a> JsonStr<'a> {
    /// Wraps the text between the quotes of a string that is already known to be valid JSON.
    #[inline]
    pub(crate) fn from_valid(raw: &'a str, offset: usize) -> Self {
        // Short strings (most names and options) by a few word tests: `contains` sets up a
        // search that costs more than it saves below a few words, and a byte loop takes a step
        // a byte.
        let escaped = short_contains(raw.as_bytes(), b'\\')
            .unwrap_or_else(|| raw.as_bytes().contains(&b'\\'));
        JsonStr {
            raw,
            escaped,
            offset,
        }
    }

    /// The unescaped value; borrowed unless the string has escapes.
    ///
    /// (Inlined, the common case out of registers: called out of line, it read the string back
    /// from the stack where its fields had just been stored one by one, a load the processor
    /// cannot forward from those stores, 6% of a small body's time.)
    #[inline]
    pub(crate) fn decode(&self) -> Cow<'a, str> {
        if self.escaped {
            Cow::Owned(self.decoded())
        } else {
            Cow::Borrowed(self.raw)
        }
    }

    /// The unescaped value of a string with escapes, in a new `String`.
    #[cold]
    #[inline(never)]
    fn decoded(&self) -> String {
        let mut out = String::new();
        self.decode_into(&mut out);
        out
    }

    /// The unescaped value written into `out` (cleared first): runs without escapes are copied
    /// whole, so a long key with a few escapes costs about a copy of it. Room for the escaped
    /// length is reserved once, which is always enough: no escape decodes to more bytes than
    /// it takes (`\uXXXX` is 6 bytes for at most 3, a surrogate pair 12 for 4).
    pub(crate) fn decode_into(&self, out: &mut String) {
        out.clear();
        out.reserve(self.raw.len());
        let mut rest = self.raw;
        // A byte loop, not `str::find`: keys are short, and the searcher's set-up costs more
        // than the search.
        let backslash = |text: &str| text.bytes().position(|b| b == b'\\');
        while let Some((run, tail)) = backslash(rest).and_then(|at| rest.split_at_checked(at)) {
            out.push_str(run);
            // The decoder takes exactly one escape from the front of `tail`.
            let mut escape = Decoded { rest: tail.chars() };
            out.extend(escape.next());
            rest = escape.rest.as_str();
        }
        out.push_str(rest);
        debug_assert!(
            out.len() <= self.raw.len(),
            "decoding never lengthens a string"
        );
    }

    /// The unescaped value written into `buffer`, without allocating, if it is ASCII and fits
    /// (decoding never lengthens a string, so a buffer as long as the raw text is enough):
    /// for comparing a key with names the crate knows, which are all ASCII.
    pub(crate) fn decode_ascii_in<'b>(&self, buffer: &'b mut [u8]) -> Option<&'b str> {
        let mut len = 0;
        for c in self.chars() {
            let byte = u8::try_from(c).ok().filter(u8::is_ascii)?;
            *buffer.get_mut(len)? = byte;
            len += 1;
        }
        std::str::from_utf8(buffer.get(..len)?).ok()
    }

    /// The unescaped characters, decoded one at a time, so a caller that needs only the first
    /// few pays only for those.
    pub(crate) fn chars(&self) -> Decoded<'a> {
        Decoded {
            rest: self.raw.chars(),
        }
    }
}

/// Iterator over the unescaped characters of a checked string.
pub(crate) struct Decoded<'a> {
    rest: std::str::Chars<'a>,
}

impl Decoded<'_> {
    fn hex4(&mut self) -> u32 {
        (0..4).fold(0, |acc, _| {
            acc * 16
                + self
                    .rest
                    .next()
                    .and_then(|c| c.to_digit(16))
                    .holds("the reader checked every \\u escape's four hex digits")
        })
    }
}

impl Iterator for Decoded<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let c = self.rest.next()?;
        if c != '\\' {
            return Some(c);
        }
        // The reader has checked every escape, so the fallbacks below are never taken; they
        // exist so that no input can make this panic.
        Some(match self.rest.next()? {
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let first = self.hex4();
                let code = if (0xD800..0xDC00).contains(&first) {
                    self.rest.next();
                    self.rest.next();
                    0x10000 + ((first - 0xD800) << 10) + (self.hex4().wrapping_sub(0xDC00) & 0x3FF)
                } else {
                    first
                };
                char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            other => other,
        })
    }
}

/// True for the bytes that end a run of plain string content: the quote, the backslash and the
/// control characters that JSON forbids unescaped.
fn is_special(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// A mask with the high bit set in each byte of `word` that may be special. The lowest set bit
/// is always exact: a false positive can only come from a borrow out of a lower byte that
/// really is special, so the first flagged byte is the first special byte.
#[inline(always)]
fn special_mask(word: u64) -> u64 {
    // `b ^ 2` is below 0x21 exactly for the quote and the control characters (as in
    // `chunk_has_special`), so one test covers both; the backslash is a zero byte of `word ^ '\\'`.
    bytes_below(word ^ splat(2), 0x21) | zero_bytes(word ^ splat(b'\\'))
}

/// The mask of the little-endian word at `i`, if eight bytes remain there.
#[inline(always)]
fn mask_at(bytes: &[u8], i: usize) -> Option<u64> {
    word_at(bytes, i).map(special_mask)
}

/// The index of the first special byte at or after `i`, or `bytes.len()`. The first eight bytes
/// are tested alone, which settles most keys and short values in one step; longer strings go on
/// sixteen bytes (two independent words) per bounds check, and strings longer than 72 bytes by
/// 64-byte chunks, so a megabyte of base64 is crossed in about thirty microseconds.
#[inline]
pub(super) fn find_special(bytes: &[u8], mut i: usize) -> usize {
    if let Some(mask) = mask_at(bytes, i) {
        if mask != 0 {
            return i + first_flagged(mask);
        }
        i += 8;
        let mut steps = 0;
        while let Some(pair) = bytes.get(i..).and_then(<[u8]>::first_chunk::<16>) {
            let (low, high) = pair.split_at(8);
            let why = "a sixteen-byte pair has two words";
            let (low, high) = (mask_at(low, 0).holds(why), mask_at(high, 0).holds(why));
            if low | high != 0 {
                let first = if low != 0 {
                    low.trailing_zeros()
                } else {
                    64 + high.trailing_zeros()
                };
                return i + (first / 8) as usize;
            }
            i += 16;
            steps += 1;
            if steps == LONG_STEPS {
                i = skip_plain_chunks(bytes, i);
            }
        }
    }
    bytes
        .get(i..)
        .unwrap_or_default()
        .iter()
        .position(|&b| is_special(b))
        .map_or(bytes.len(), |k| i + k)
}

/// Sixteen-byte steps after which a string counts as long (72 bytes in, longer than most URLs
/// and names), and goes on by [`skip_plain_chunks`]: testing a chunk costs more than a few
/// steps would, unless the string goes on for many chunks.
const LONG_STEPS: usize = 4;

/// Bytes per step of [`skip_plain_chunks`].
const CHUNK: usize = 64;

/// The start of the first [`CHUNK`]-byte chunk from `i` on that holds a special byte, or of the
/// last incomplete one. The test of a whole chunk has no early exit, so the compiler does it
/// with vector operations (16 bytes at a time on any x86-64): long strings such as base64 images
/// are crossed at a fraction of a cycle per byte.
#[inline]
fn skip_plain_chunks(bytes: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<CHUNK>) {
        if chunk_has_special(chunk) {
            break;
        }
        i += CHUNK;
    }
    i
}

/// Whether a chunk holds a special byte. `b ^ 2` maps the quote to 0x20 and the control
/// characters onto themselves, and nothing else below 0x21, so the minimum of the chunk's four
/// 16-byte rows, lane by lane, settles both with one compare per lane; the backslash takes one
/// compare per byte. This is about two thirds of the vector work of testing each byte with
/// [`is_special`].
#[inline(always)]
fn chunk_has_special(chunk: &[u8; CHUNK]) -> bool {
    let row = |k: usize| chunk.get(16 * k..).and_then(<[u8]>::first_chunk::<16>);
    let (Some(a), Some(b), Some(c), Some(d)) = (row(0), row(1), row(2), row(3)) else {
        // Never taken (a chunk has four rows); "special" hands the chunk to the exact scan.
        return true;
    };
    let special = a
        .iter()
        .zip(b)
        .zip(c)
        .zip(d)
        .fold(0u8, |any, (((&a, &b), &c), &d)| {
            let low = (a ^ 2).min(b ^ 2).min(c ^ 2).min(d ^ 2);
            let backslash = (a == b'\\') | (b == b'\\') | (c == b'\\') | (d == b'\\');
            any | u8::from(low < 0x21) | u8::from(backslash)
        });
    special != 0
}

/// Checks the escape that starts with the backslash at `i`; returns the index just past it.
pub(super) fn check_escape(bytes: &[u8], i: usize) -> Result<usize, JsonError> {
    match bytes.get(i + 1) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(i + 2),
        Some(b'u') => {
            let first =
                hex4(bytes, i + 2).ok_or_else(|| JsonError::at(i, Reason::InvalidUnicodeEscape))?;
            match first {
                0xD800..=0xDBFF => {
                    let second = match (bytes.get(i + 6), bytes.get(i + 7)) {
                        (Some(b'\\'), Some(b'u')) => hex4(bytes, i + 8),
                        _ => None,
                    };
                    match second {
                        Some(0xDC00..=0xDFFF) => Ok(i + 12),
                        _ => Err(JsonError::at(i, Reason::LoneSurrogate)),
                    }
                }
                0xDC00..=0xDFFF => Err(JsonError::at(i, Reason::LoneSurrogate)),
                _ => Ok(i + 6),
            }
        }
        _ => Err(JsonError::at(i, Reason::InvalidEscape)),
    }
}

fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 4)?;
    digits
        .iter()
        .try_fold(0u32, |acc, &b| Some(acc * 16 + char::from(b).to_digit(16)?))
}

/// Writes `value` as a JSON string literal, quotes included.
pub(crate) fn write_escaped(out: &mut impl Write, value: &str) -> fmt::Result {
    out.write_char('"')?;
    let mut plain_from = 0;
    for (i, c) in value.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if u32::from(c) < 0x20 => "",
            _ => continue,
        };
        out.write_str(
            value
                .get(plain_from..i)
                .holds("both ends are character boundaries"),
        )?;
        if escape.is_empty() {
            write!(out, "\\u{:04x}", u32::from(c))?;
        } else {
            out.write_str(escape)?;
        }
        plain_from = i + c.len_utf8();
    }
    out.write_str(value.get(plain_from..).holds("a character boundary"))?;
    out.write_char('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(raw: &str) -> String {
        JsonStr::from_valid(raw, 0).decode().into_owned()
    }

    #[test]
    fn decoding_into_a_buffer_agrees_with_decoding_by_characters() {
        let mut out = String::from("stale");
        for raw in [
            "",
            "plain",
            r#"a\"b\\c\/d\b\f\n\r\t"#,
            r"\u0068ttp",
            r"\ud83d\ude00!",
            r"x\u00e9y\n",
            r"\u0061",
            r"\\",
            "0123456789\\u0031",
        ] {
            let string = JsonStr::from_valid(raw, 0);
            string.decode_into(&mut out);
            assert_eq!(out, string.chars().collect::<String>(), "{raw}");
        }
    }

    #[test]
    fn an_ascii_key_decodes_in_a_buffer_and_no_other_does() {
        let in_buffer = |raw: &str, room: usize| {
            let mut buffer = vec![0; room];
            JsonStr::from_valid(raw, 0)
                .decode_ascii_in(&mut buffer)
                .map(str::to_owned)
        };
        assert_eq!(in_buffer(r"\u0069nputs", 16).as_deref(), Some("inputs"));
        assert_eq!(in_buffer(r"a\tb", 3).as_deref(), Some("a\tb"));
        assert_eq!(in_buffer("", 0).as_deref(), Some(""));
        // Too long for the buffer, or not ASCII: not a name the crate knows.
        assert_eq!(in_buffer(r"a\tb", 2), None);
        assert_eq!(in_buffer(r"\u2795 Add", 16), None);
        assert_eq!(in_buffer(r"x\u00e9", 16), None);
    }

    #[test]
    fn decodes_every_escape() {
        assert_eq!(
            decoded(r#"a\"b\\c\/d\b\f\n\r\t"#),
            "a\"b\\c/d\u{8}\u{c}\n\r\t"
        );
        assert_eq!(decoded(r"\u0068ttp"), "http");
        assert_eq!(decoded(r"\ud83d\ude00!"), "\u{1F600}!");
        assert!(matches!(
            JsonStr::from_valid("plain", 0).decode(),
            Cow::Borrowed("plain")
        ));
    }

    #[test]
    fn finds_special_bytes_in_and_after_words() {
        // Past 72 bytes the scan goes on by 64-byte chunks: every place in the first few.
        for len in 0..300 {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1F] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    assert_eq!(find_special(&bytes, 0), at, "len {len} at {at}");
                }
            }
            assert_eq!(find_special(&vec![b'z'; len], 0), len);
            assert_eq!(find_special(&vec![b'z'; len], len / 3), len);
            let non_ascii = "é€😀 ~\u{7f}".repeat(len);
            assert_eq!(find_special(non_ascii.as_bytes(), 0), non_ascii.len());
        }
    }

    #[test]
    fn the_mask_finds_the_first_special_byte_for_every_pair_of_bytes() {
        let naive = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|&b| is_special(b))
                .unwrap_or(bytes.len())
        };
        // Every place in the first word, and in the 16-byte step that follows it, including
        // where its two 8-byte words meet, at 16.
        for at in 0..23 {
            for first in 0..=255u8 {
                for second in 0..=255u8 {
                    let mut bytes = [b'a'; 40];
                    bytes[at] = first;
                    bytes[at + 1] = second;
                    assert_eq!(
                        find_special(&bytes, 0),
                        naive(&bytes),
                        "{first:#x} {second:#x} at {at}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_byte_is_judged_alike_inside_a_long_string() {
        // Every place in the first chunk of the long-string scan (bytes 72 to 135), places in
        // the next ones, and the first byte after the last whole chunk.
        for at in (72..136).chain([137, 200, 263, 264]) {
            for byte in 0..=255u8 {
                let mut bytes = [b'a'; 300];
                bytes[at] = byte;
                let expected = if is_special(byte) { at } else { bytes.len() };
                assert_eq!(find_special(&bytes, 0), expected, "{byte:#x} at {at}");
            }
        }
    }

    #[test]
    fn checks_escapes() {
        assert_eq!(check_escape(br"\n", 0), Ok(2));
        assert_eq!(check_escape(br"\u00e9", 0), Ok(6));
        assert_eq!(check_escape(br"\ud83d\ude00", 0), Ok(12));
        assert!(check_escape(br"\ud83d", 0).is_err());
        assert!(check_escape(br"\ud83dx\ude00", 0).is_err());
        assert!(check_escape(br"\ude00", 0).is_err());
        assert!(check_escape(br"\ud83d\u0041", 0).is_err());
        assert!(check_escape(br"\u12g4", 0).is_err());
        assert!(check_escape(br"\x", 0).is_err());
        assert!(check_escape(br"\", 0).is_err());
    }

    #[test]
    fn escapes_for_output() {
        let mut out = String::new();
        write_escaped(&mut out, "a\"\\\n\u{1}é").unwrap();
        assert_eq!(out, r#""a\"\\\n\u0001é""#);
    }

    #[test]
    fn escapes_each_character_json_names_by_its_short_form() {
        let mut out = String::new();
        write_escaped(&mut out, "\t \r\u{1f} ~\u{7f}").unwrap();
        assert_eq!(out, "\"\\t \\r\\u001f ~\u{7f}\"");
    }

    #[test]
    fn two_special_bytes_in_one_lane_of_a_chunk_or_a_row_of_them() {
        // The chunk test folds a 64-byte chunk's four 16-byte rows lane by lane: two special
        // bytes in one lane, or a whole row of them, must still be found (bytes 72 to 135 are
        // the first chunk).
        let specials = [b'"', b'\\', 0x00];
        for at in 72..136 {
            for other in [at + 16, at + 32, at + 48].into_iter().filter(|&o| o < 136) {
                for first in specials {
                    for second in specials {
                        let mut bytes = [b'a'; 300];
                        bytes[at] = first;
                        bytes[other] = second;
                        assert_eq!(find_special(&bytes, 0), at, "{first:#x} {second:#x} {at}");
                    }
                }
            }
        }
        for at in 72..121 {
            for special in specials {
                let mut bytes = [b'a'; 300];
                bytes[at..at + 16].fill(special);
                assert_eq!(find_special(&bytes, 0), at, "a row of {special:#x} at {at}");
            }
        }
    }
}
