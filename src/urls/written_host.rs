//! Hosts that no network could use, refused before the URL parser sees them.
//!
//! Turning a host into punycode costs time that grows with the square of a label's length, and
//! the WHATWG parser bounds neither labels nor hosts, so a body of long international labels
//! would cost hundreds of times its reading. A DNS name has at most 253 bytes and labels of at
//! most 63, so the contract's bounds (1,024 bytes a host, 256 a label, as written) refuse no
//! host that could resolve, even fully percent-encoded (3 bytes a character) or in fullwidth
//! characters (3 bytes each).

use super::scheme_len;
use crate::swar::{bytes_below, position_from_chunked, splat, zero_bytes};

/// The longest host, as written, that a URL may have.
pub(crate) const MAX_HOST_BYTES: usize = 1024;
/// The longest label of a host, as written.
pub(crate) const MAX_LABEL_BYTES: usize = 256;

/// Whether the host of `text`, as written, is longer than the contract allows.
///
/// The host as written is the text after the scheme and its `:` (once tab, LF and CR are
/// removed and leading and trailing C0 controls and spaces trimmed, as the URL parser prepares
/// it), with leading `/` and `\` skipped, up to the first `/`, `\`, `?` or `#`, after its last
/// `@`, without a trailing `:` and digits (a port) outside brackets. Its labels are split at
/// `.` and at the ideographic and fullwidth full stops the parser also splits at (U+3002,
/// U+FF0E, U+FF61). A string with no scheme has no host here: the parser refuses it anyway.
///
/// One pass over the bytes up to the end of the host, with no allocation; a string with tabs,
/// line breaks, spaces or controls before its host ends takes the exact, slower way.
pub(crate) fn host_too_long(text: &str) -> bool {
    written_host(text.as_bytes()).map_or_else(|| prepared_host_too_long(text), too_long)
}

/// The host as written of a string with no byte up to 0x20 before the host's end (the common
/// case: nothing for the URL parser to remove or trim there), or `None` for the others. A
/// string with no scheme has an empty host.
fn written_host(bytes: &[u8]) -> Option<&[u8]> {
    let first = *bytes.first()?;
    if first <= b' ' {
        return None;
    }
    if !first.is_ascii_alphabetic() {
        return Some(&[]);
    }
    let mut at = scheme_len(bytes);
    match bytes.get(at) {
        Some(b':') => {}
        Some(&b) if b <= b' ' => return None,
        _ => return Some(&[]),
    }
    at += 1;
    while let Some(b'/' | b'\\') = bytes.get(at) {
        at += 1;
    }
    let mut start = at;
    loop {
        let i = next_special(bytes, at);
        match bytes.get(i) {
            None => return bytes.get(start..),
            Some(b'/' | b'\\' | b'?' | b'#') => return bytes.get(start..i),
            Some(b'@') => start = i + 1,
            Some(_) => return None, // a byte up to 0x20: the exact way decides
        }
        at = i + 1;
    }
}

/// The index of the first byte from `at` on that ends or splits the host as written (`/`, `\`,
/// `?`, `#`, `@`) or is at most 0x20, or `bytes.len()`: eight bytes at a time, since a hostile
/// host can be a megabyte long.
pub(super) fn next_special(bytes: &[u8], at: usize) -> usize {
    let flags = |word: u64| {
        [b'/', b'\\', b'?', b'#', b'@']
            .iter()
            .fold(bytes_below(word, 0x21), |mask, &b| {
                mask | zero_bytes(word ^ splat(b))
            })
    };
    let test = |b: u8| matches!(b, b'/' | b'\\' | b'?' | b'#' | b'@') || b <= b' ';
    position_from_chunked(bytes, at, flags, test)
}

/// The index of the first byte from `at` on that may end a label (`.`, or the first byte of
/// an ideographic or fullwidth full stop), or `bytes.len()`: eight bytes at a time.
fn next_stop(bytes: &[u8], at: usize) -> usize {
    let flags = |word: u64| {
        [b'.', 0xE3, 0xEF]
            .iter()
            .fold(0, |mask, &b| mask | zero_bytes(word ^ splat(b)))
    };
    position_from_chunked(bytes, at, flags, |b| matches!(b, b'.' | 0xE3 | 0xEF))
}

/// Whether a host as written is past the bounds: its port (digits after the last `:` outside
/// brackets) set aside, longer than [`MAX_HOST_BYTES`], or a label longer than
/// [`MAX_LABEL_BYTES`].
fn too_long(host: &[u8]) -> bool {
    // A port is `:` and digits at the end. Without it a host past the bound is too long
    // whether or not that colon stood inside brackets (inside, the host only gets longer), so
    // no more than the bound is ever scanned, however long the host.
    let digits = host.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    let colon = host.len().checked_sub(digits + 1);
    let before = match colon {
        Some(colon) if host.get(colon) == Some(&b':') => host.get(..colon),
        _ => None,
    };
    if before.unwrap_or(host).len() > MAX_HOST_BYTES {
        return true;
    }
    let host = match before {
        Some(before) => {
            // Inside brackets when the last bracket before the colon opens one.
            let open = before.iter().rposition(|&b| b == b'[');
            let close = before.iter().rposition(|&b| b == b']');
            let inside = open.is_some_and(|open| close.is_none_or(|close| close < open));
            if inside { host } else { before }
        }
        None => host,
    };
    if host.len() > MAX_HOST_BYTES {
        return true;
    }
    // No label is longer than its host: almost every host is settled without its labels.
    if host.len() <= MAX_LABEL_BYTES {
        return false;
    }
    // Labels end at `.` and at the stops U+3002 (E3 80 82), U+FF0E (EF BC 8E), U+FF61 (EF BD A1):
    // the bytes between two candidates are skipped in one search.
    let mut label_start = 0;
    let mut at = 0;
    loop {
        let candidate = next_stop(host, at);
        if candidate >= host.len() {
            return host.len() - label_start > MAX_LABEL_BYTES;
        }
        let stop = match host.get(candidate..candidate + 3) {
            _ if host.get(candidate) == Some(&b'.') => 1,
            Some([0xE3, 0x80, 0x82] | [0xEF, 0xBC, 0x8E] | [0xEF, 0xBD, 0xA1]) => 3,
            _ => 0,
        };
        if stop == 0 {
            at = candidate + 1;
            continue;
        }
        if candidate - label_start > MAX_LABEL_BYTES {
            return true;
        }
        label_start = candidate + stop;
        at = label_start;
    }
}

/// [`host_too_long`] for a string whose host needs the URL parser's preparation first.
fn prepared_host_too_long(text: &str) -> bool {
    let mut chars = text
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .skip_while(|&c| c <= ' ')
        .peekable();
    // The scheme: a letter, then letters, digits, `+`, `-`, `.`, then the `:`.
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    loop {
        match chars.next() {
            Some(':') => break,
            Some(c) if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {}
            _ => return false,
        }
    }
    while chars.next_if(|&c| c == '/' || c == '\\').is_some() {}
    let mut host = HostLength::default();
    // Trailing C0 controls and spaces are trimmed by the parser: count them only once
    // something follows them.
    let mut pending_blank = 0;
    for c in chars {
        if c <= ' ' {
            pending_blank += 1;
            continue;
        }
        for _ in 0..std::mem::take(&mut pending_blank) {
            host.push(' ');
        }
        match c {
            '/' | '\\' | '?' | '#' => break,
            '@' => host = HostLength::default(),
            c => host.push(c),
        }
    }
    host.too_long()
}

/// The lengths, in bytes, of a host read one character at a time.
#[derive(Default)]
struct HostLength {
    total: usize,
    /// The longest label ended by a separator.
    longest: usize,
    /// The label being read.
    label: usize,
    inside_brackets: bool,
    /// Where the last `:` outside brackets stands (`total` and `label` just before it), while
    /// only ASCII digits follow it: without it and them, the host loses its port.
    port: Option<(usize, usize)>,
}

impl HostLength {
    fn push(&mut self, c: char) {
        match c {
            '[' => self.inside_brackets = true,
            ']' => self.inside_brackets = false,
            _ => {}
        }
        if c == ':' && !self.inside_brackets {
            self.port = Some((self.total, self.label));
        } else if !c.is_ascii_digit() {
            self.port = None;
        }
        self.total = self.total.saturating_add(c.len_utf8());
        if super::is_full_stop(c) {
            self.longest = self.longest.max(self.label);
            self.label = 0;
        } else {
            self.label = self.label.saturating_add(c.len_utf8());
        }
    }

    fn too_long(&self) -> bool {
        let (total, last_label) = self.port.unwrap_or((self.total, self.label));
        total > MAX_HOST_BYTES || self.longest.max(last_label) > MAX_LABEL_BYTES
    }
}

#[cfg(test)]
mod tests {
    use super::{
        MAX_HOST_BYTES, MAX_LABEL_BYTES, host_too_long, next_special, prepared_host_too_long,
    };

    #[test]
    fn the_word_scan_finds_the_first_special_byte_at_every_place() {
        for len in 0..40 {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = byte;
                    let special = matches!(byte, b'/' | b'\\' | b'?' | b'#' | b'@') || byte <= b' ';
                    let expected = if special { at } else { len };
                    assert_eq!(
                        next_special(&bytes, 0),
                        expected,
                        "{byte:#x} at {at} of {len}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        /// The byte scan for strings with nothing to prepare agrees with the exact way.
        #[test]
        fn the_byte_scan_agrees_with_the_prepared_way(
            scheme in "(https?|s3|HTTPS|1x|)(:|://|:\\\\|)",
            user in "([a-z@:]{0,3}@)?",
            labels in proptest::collection::vec("[a\\u{e9}\\u{3002}\\u{ff0e}\\u{ff61}.\\[\\]:]{0,4}(a{250,260})?", 0..5),
            port in "(:[0-9]{0,3}|:x)?",
            tail in "([/?#\\\\][a-z@]{0,4})?",
        ) {
            let text = format!("{scheme}{user}{}{port}{tail}", labels.join("."));
            proptest::prop_assert_eq!(host_too_long(&text), prepared_host_too_long(&text), "{}", text);
        }
    }

    fn labels(label: &str, count: usize, separator: &str) -> String {
        vec![label; count].join(separator)
    }

    #[test]
    fn hosts_that_could_resolve_pass() {
        let ascii63 = "a".repeat(63);
        let fullwidth63 = "ａ".repeat(63);
        let encoded63 = "%61".repeat(63);
        let longest_name = labels(&ascii63, 4, ".");
        for host in [
            "huggingface.co".to_owned(),
            longest_name.clone(),
            labels(&fullwidth63, 4, "。"),
            labels(&encoded63, 4, "."),
            format!("{}.com", "é".repeat(128)),
            "a".repeat(MAX_LABEL_BYTES),
            labels(&"a".repeat(MAX_LABEL_BYTES), 3, "."),
            format!("{}.a", labels("b", 511, ".")),
        ] {
            for url in [
                format!("https://{host}/"),
                format!("https://{host}"),
                format!("https://{host}:443/x"),
                format!("https://{host}:/x"),
                format!("https://{}@{host}/", "u".repeat(5000)),
                format!("https://{host}/{}", "p".repeat(5000)),
                format!("https://{host}?{}", "q".repeat(5000)),
                format!("https://{host}#{}", "f".repeat(5000)),
                format!("  https:\\\\{host}\\x  "),
                format!("s3://{host}/key"),
                format!("ht\ttps://{}\n/", host),
            ] {
                assert!(!host_too_long(&url), "{url:.80}");
            }
        }
        assert!(!host_too_long("https://[::ffff:127.0.0.1]:1/"));
        assert!(!host_too_long("https://u:p@[::1]/"));
        assert!(!host_too_long(&"x".repeat(5000)), "no scheme, no host");
        assert!(!host_too_long(&format!("1https://{}", "a".repeat(5000))));
    }

    #[test]
    fn hosts_past_the_bounds_are_refused() {
        let long_label = "a".repeat(MAX_LABEL_BYTES + 1);
        let long_host = labels("a", MAX_HOST_BYTES / 2 + 1, ".");
        assert_eq!(long_host.len(), MAX_HOST_BYTES + 1);
        for host in [
            long_label.clone(),
            format!("x.{long_label}.com"),
            format!("{long_label}.com"),
            format!("com.{long_label}"),
            long_host.clone(),
            "é".repeat(129),
            "%61".repeat(86),
            format!("xn--{}", "a".repeat(MAX_LABEL_BYTES)),
            format!("{}_", "A".repeat(1 << 20)),
            labels(&"é".repeat(1000), 7, "."),
            format!("[{}]", "1:".repeat(600)),
        ] {
            for url in [
                format!("https://{host}/"),
                format!("https://user@{host}:8080/x"),
                format!("HTTPS:{host}"),
                format!("wss://{host}"),
                format!("https://{host}:99999999999"),
                format!("\u{1} https://{host}?q"),
            ] {
                assert!(host_too_long(&url), "{url:.80}");
            }
        }
        // A port is only digits after the last colon outside brackets.
        let near = labels("ab", 341, ".") + "c";
        assert_eq!(near.len(), MAX_HOST_BYTES - 1);
        assert!(!host_too_long(&format!("https://{near}:12345/")));
        assert!(!host_too_long(&format!("https://{near}:/")));
        assert!(host_too_long(&format!("https://{near}:1a/")));
        assert!(host_too_long(&format!("https://{near}:a:1/")));
        assert!(host_too_long(&format!("https://{near}ab/")));
        // Inner blanks count, trailing ones are trimmed.
        let edge = "a".repeat(MAX_LABEL_BYTES);
        assert!(!host_too_long(&format!("https://{edge}   ")));
        assert!(host_too_long(&format!("https://{edge} b")));
        assert!(host_too_long(&format!("https://{edge} /b")));
        assert!(!host_too_long(&format!("https://{edge}/ ")));
        // The fullwidth and ideographic stops split labels like the dot.
        for stop in [".", "\u{3002}", "\u{FF0E}", "\u{FF61}"] {
            let split = format!("https://{edge}{stop}{edge}/");
            assert!(!host_too_long(&split), "{stop}");
        }
        assert!(host_too_long(&format!("https://{edge}-{edge}/")));
    }

    /// A host of exactly `len` bytes, in labels of one byte.
    fn host_of(len: usize) -> String {
        let host = labels("a", len.div_ceil(2), ".");
        if len.is_multiple_of(2) {
            format!("b{host}")
        } else {
            host
        }
    }

    #[test]
    fn the_host_bound_is_exact_beside_a_port_inside_open_brackets_and_after_closed_ones() {
        assert_eq!(host_of(MAX_HOST_BYTES).len(), MAX_HOST_BYTES);
        assert_eq!(host_of(MAX_HOST_BYTES + 1).len(), MAX_HOST_BYTES + 1);
        // Both ways: the byte scan, and (after a leading blank) the prepared way.
        for lead in ["", " "] {
            let url = |host: String, port: &str| format!("{lead}https://{host}{port}/");
            // A port does not count.
            for port in ["", ":443"] {
                assert!(
                    !host_too_long(&url(host_of(MAX_HOST_BYTES), port)),
                    "{lead:?}{port}"
                );
                assert!(
                    host_too_long(&url(host_of(MAX_HOST_BYTES + 1), port)),
                    "{lead:?}{port}"
                );
            }
            // After a bracket that is not closed (or closed before it opens), the colon and
            // digits are inside, so they count.
            for open in ["[", "]["] {
                let inside =
                    |len: usize| url(format!("{open}{}", host_of(len - open.len() - 3)), ":80");
                assert!(!host_too_long(&inside(MAX_HOST_BYTES)), "{lead:?} {open}");
                assert!(
                    host_too_long(&inside(MAX_HOST_BYTES + 1)),
                    "{lead:?} {open}"
                );
            }
            // After brackets that close, the colon and digits are a port again.
            let closed = |len: usize| url(format!("[{}]", host_of(len - 2)), ":80");
            assert!(!host_too_long(&closed(MAX_HOST_BYTES)), "{lead:?}");
            assert!(host_too_long(&closed(MAX_HOST_BYTES + 1)), "{lead:?}");
        }
        // A tab in the scheme is removed by the parser, so the host is still measured.
        let long = host_of(MAX_HOST_BYTES + 1);
        assert!(host_too_long(&format!("ht\ttps://{long}/")));
        assert!(host_too_long(&format!("https:\t//{long}/")));
    }
}
