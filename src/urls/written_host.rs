//! Hosts that no network could use, refused before the URL parser sees them.
//!
//! Turning a host into punycode costs time that grows with the square of a label's length, and
//! the WHATWG parser bounds neither labels nor hosts, so a body of long international labels
//! would cost hundreds of times its reading. A DNS name has at most 253 bytes and labels of at
//! most 63, so the contract's bounds (1,024 bytes a host, 256 a label, as written) refuse no
//! host that could resolve, even fully percent-encoded (3 bytes a character) or in fullwidth
//! characters (3 bytes each).

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
    let mut at = 1;
    loop {
        match bytes.get(at) {
            Some(b':') => break,
            Some(&b) if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.') => at += 1,
            Some(&b) if b <= b' ' => return None,
            _ => return Some(&[]),
        }
    }
    at += 1;
    while let Some(b'/' | b'\\') = bytes.get(at) {
        at += 1;
    }
    let mut start = at;
    let mut end = bytes.len();
    for (i, &b) in bytes.iter().enumerate().skip(at) {
        match b {
            b'/' | b'\\' | b'?' | b'#' => {
                end = i;
                break;
            }
            b'@' => start = i + 1,
            b if b <= b' ' => return None,
            _ => {}
        }
    }
    bytes.get(start..end)
}

/// Whether a host as written is past the bounds: its port (digits after the last `:` outside
/// brackets) set aside, longer than [`MAX_HOST_BYTES`], or a label longer than
/// [`MAX_LABEL_BYTES`].
fn too_long(host: &[u8]) -> bool {
    let host = match host.iter().rposition(|&b| b == b':') {
        Some(colon) => {
            let before = host.get(..colon).unwrap_or_default();
            // Inside brackets when the last bracket before the colon opens one.
            let open = before.iter().rposition(|&b| b == b'[');
            let close = before.iter().rposition(|&b| b == b']');
            let inside = open.is_some_and(|open| close.is_none_or(|close| close < open));
            let digits = host
                .get(colon + 1..)
                .is_some_and(|port| port.iter().all(u8::is_ascii_digit));
            if !inside && digits { before } else { host }
        }
        None => host,
    };
    if host.len() > MAX_HOST_BYTES {
        return true;
    }
    // Labels end at `.` and at the stops U+3002 (E3 80 82), U+FF0E (EF BC 8E), U+FF61 (EF BD A1).
    let mut label = 0usize;
    let mut i = 0;
    while let Some(&b) = host.get(i) {
        let stop = match (b, host.get(i + 1), host.get(i + 2)) {
            (b'.', _, _) => 1,
            (0xE3, Some(0x80), Some(0x82))
            | (0xEF, Some(0xBC), Some(0x8E))
            | (0xEF, Some(0xBD), Some(0xA1)) => 3,
            _ => 0,
        };
        if stop > 0 {
            label = 0;
            i += stop;
            continue;
        }
        label += 1;
        if label > MAX_LABEL_BYTES {
            return true;
        }
        i += 1;
    }
    false
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
        if matches!(c, '.' | '\u{3002}' | '\u{FF0E}' | '\u{FF61}') {
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
    use super::{MAX_HOST_BYTES, MAX_LABEL_BYTES, host_too_long, prepared_host_too_long};

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
}
