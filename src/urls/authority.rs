//! The part of a URL that its verdict depends on.
//!
//! A workflow URL is judged by whether the URL parser takes it, its scheme and its host. For a
//! URL with an authority, the parser can refuse nothing past the authority's end (a path, query
//! or fragment is percent-encoded, never refused), and nothing in the user information. Yet the
//! parser reads every character of them, at 30 to 170 instructions a byte: a body of URLs with
//! long paths of `../`, or long user names, cost `validate` up to 40 times a `Value` parse. So
//! the parser is handed only the scheme and the authority, with the user information cut to one
//! letter and a long port's leading zeros dropped: its cost is then bounded by the host, whose
//! length the contract bounds.

use std::borrow::Cow;

use super::scheme_len;
use super::written_host::next_special;

/// The special schemes whose authority is read as `https`'s is (the `file` scheme has states of
/// its own).
const AUTHORITY_SCHEMES: [&str; 5] = ["http", "https", "ws", "wss", "ftp"];

/// Ports longer than this have their leading zeros dropped (no port has more digits).
const PORT_DIGITS: usize = 5;

/// The text the URL parser judges exactly as it judges the URL-like string `text`: the same
/// success or error, the same scheme and the same host. It is `text` cut right after its
/// authority, prepared as the parser prepares it (tab, LF and CR removed, leading C0 controls
/// and spaces trimmed), with the user information written as `u` and the leading zeros of a
/// port longer than five digits dropped. A string this does not recognise as a URL with an
/// authority comes back whole.
pub(crate) fn judged_part(text: &str) -> Cow<'_, str> {
    // The parser refuses a URL of more than 4 GiB; a cut one would pass.
    if u32::try_from(text.len()).is_err() {
        return Cow::Borrowed(text);
    }
    prepared_prefix(text).map_or(Cow::Borrowed(text), Cow::Owned)
}

/// Where a URL's authority starts and how it ends, by its scheme.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    /// `http`, `https`, `ws`, `wss`, `ftp`: slashes and backslashes before the authority are
    /// skipped, and a backslash ends it.
    Special,
    /// `file`: up to two slashes, and no user information or port.
    File,
    /// Any other scheme: `//` before the authority, and a backslash is part of it.
    Other,
}

/// A tab, LF or CR stands before the end of what is cut: the parser removes them, so the
/// string is read again without them.
struct Blank;

/// [`judged_part`] for a string that needs cutting: the prepared prefix, or `None` to parse
/// the whole string.
fn prepared_prefix(text: &str) -> Option<String> {
    // As the parser does: leading and trailing C0 controls and spaces trimmed (before or after
    // tab, LF and CR are removed, the same string is left).
    let trimmed = text.trim_matches(|c: char| c <= ' ');
    match cut(trimmed) {
        Ok(prefix) => prefix,
        Err(Blank) => {
            let cleaned: String = trimmed.split(['\t', '\n', '\r']).collect();
            cut(&cleaned).ok().flatten()
        }
    }
}

/// The prefix of `text` (leading blanks trimmed) that the parser judges as the whole of it, or
/// `None` if `text` is no URL with an authority.
fn cut(text: &str) -> Result<Option<String>, Blank> {
    let bytes = text.as_bytes();
    // The scheme and its `:`.
    let mut at = scheme_len(bytes);
    match bytes.get(at) {
        Some(b':') if at > 0 => {}
        Some(b) if is_blank(b) => return Err(Blank),
        _ => return Ok(None),
    }
    let kind = Kind::of(bytes.get(..at).unwrap_or_default());
    at += 1;
    // The slashes before the authority.
    match kind {
        Kind::Special => {
            while let Some(b'/' | b'\\') = bytes.get(at) {
                at += 1;
            }
        }
        Kind::File => {
            for _ in 0..2 {
                if let Some(b'/' | b'\\') = bytes.get(at) {
                    at += 1;
                }
            }
        }
        Kind::Other => match bytes.get(at..at + 2) {
            Some(b"//") => at += 2,
            Some(two) if two.iter().any(is_blank) => return Err(Blank),
            _ => return Ok(None),
        },
    }
    // The authority, up to the byte that ends it, and where its user information ends.
    let start = at;
    let mut user_end = None;
    let end = loop {
        let i = next_special(bytes, at);
        match bytes.get(i) {
            None => break None,
            Some(b) if is_blank(b) => return Err(Blank),
            Some(b'@') => user_end = Some(i),
            Some(b'\\') if matches!(kind, Kind::Other) => {}
            Some(b'/' | b'\\' | b'?' | b'#') => break Some(i),
            Some(_) => {}
        }
        at = i + 1;
    };
    let authority_end = end.unwrap_or(bytes.len());
    // Room for all of it, so that a long scheme or authority is copied once, not grown into.
    let mut prefix = String::with_capacity(authority_end.saturating_add(1));
    prefix.push_str(text.get(..start).unwrap_or_default());
    let authority = text.get(start..authority_end).unwrap_or_default();
    match (kind, user_end) {
        (Kind::File, _) => prefix.push_str(authority),
        (_, None) => push_host_port(&mut prefix, authority),
        (_, Some(user_end)) => {
            prefix.push_str(user_information(
                text.get(start..user_end).unwrap_or_default(),
            ));
            push_host_port(
                &mut prefix,
                text.get(user_end + 1..authority_end).unwrap_or_default(),
            );
        }
    }
    // The byte that ends the authority is kept: a trailing blank before it is then not
    // trailing, and the parser does not trim it away.
    let after = end.map_or(authority_end, |end| end + 1);
    prefix.push_str(text.get(authority_end..after).unwrap_or_default());
    if matches!(kind, Kind::File) {
        // A path segment that is a Windows drive letter (`C:`, `c|`) may take the host away
        // as the path is resolved: a file URL with one is parsed whole.
        let path = bytes.get(authority_end..).unwrap_or_default();
        let path = path
            .split(|&b| b == b'?' || b == b'#')
            .next()
            .unwrap_or_default();
        if path.iter().any(is_blank) {
            return Err(Blank);
        }
        if path
            .split(|&b| b == b'/' || b == b'\\')
            .any(is_drive_letter)
        {
            return Ok(None);
        }
    }
    Ok(Some(prefix))
}

impl Kind {
    /// The kind of a scheme, by its name.
    pub(super) fn of(scheme: &[u8]) -> Kind {
        if scheme.eq_ignore_ascii_case(b"file") {
            Kind::File
        } else if AUTHORITY_SCHEMES
            .iter()
            .any(|special| scheme.eq_ignore_ascii_case(special.as_bytes()))
        {
            Kind::Special
        } else {
            Kind::Other
        }
    }
}

/// The bytes the parser removes wherever they stand: tab, LF and CR.
fn is_blank(b: &u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r')
}

/// Whether a path segment is a Windows drive letter: an ASCII letter, then `:` or `|`.
fn is_drive_letter(segment: &[u8]) -> bool {
    matches!(segment, [letter, b':' | b'|'] if letter.is_ascii_alphabetic())
}

/// The user information the parser treats as it treats `written` (what precedes the last `@`
/// of an authority), with that `@`. The parser tells apart only an empty one (then an `@`
/// followed by the end of the authority is refused), a lone `:` (which names no user and no
/// password) and the others.
fn user_information(written: &str) -> &'static str {
    match written {
        "" => "@",
        ":" => ":@",
        _ => "u@",
    }
}

/// Pushes `host_port` (`host` or `host:port`) with the leading zeros of a port longer than
/// [`PORT_DIGITS`] dropped: they cannot make the parser refuse a URL or change its host, but
/// they are read a character at a time.
fn push_host_port(prefix: &mut String, host_port: &str) {
    // The port starts after the first `:` outside brackets (a search for the colon alone when
    // there are none).
    let colon = if memchr::memchr(b'[', host_port.as_bytes()).is_some() {
        let mut inside_brackets = false;
        host_port.bytes().position(|b| {
            match b {
                b'[' => inside_brackets = true,
                b']' => inside_brackets = false,
                _ => {}
            }
            b == b':' && !inside_brackets
        })
    } else {
        memchr::memchr(b':', host_port.as_bytes())
    };
    let (host, port) = match colon {
        Some(colon) => (
            host_port.get(..=colon).unwrap_or_default(),
            host_port.get(colon + 1..).unwrap_or_default(),
        ),
        None => (host_port, ""),
    };
    prefix.push_str(host);
    if port.len() <= PORT_DIGITS || !port.bytes().all(|b| b.is_ascii_digit()) {
        prefix.push_str(port);
        return;
    }
    // A port of zeros keeps one.
    let zeros = port.bytes().take_while(|&b| b == b'0').count();
    prefix.push_str(port.get(zeros.min(port.len() - 1)..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authority_is_kept_and_what_follows_it_is_cut() {
        for (text, part) in [
            ("https://example.com/a/../b?q#f", "https://example.com/"),
            ("https://example.com", "https://example.com"),
            ("ht\ttps://x/a", "https://x/"),
            ("s3:/\t/bucket/key", "s3://bucket/"),
            ("file://a/x?/C:", "file://a/"),
            ("https://example.com?q", "https://example.com?"),
            ("https://example.com#f", "https://example.com#"),
            ("https:\\\\example.com\\a", "https:\\\\example.com\\"),
            ("https:example.com/a", "https:example.com/"),
            ("HTTPS:///example.com/a", "HTTPS:///example.com/"),
            (" \u{1}https://ex\tam\nple.com/a\t", "https://example.com/"),
            ("https://example.com \u{1}", "https://example.com"),
            ("https://exa mple.com /a", "https://exa mple.com /"),
            ("https://user:pass@example.com/a", "https://u@example.com/"),
            ("https://a@b@example.com/", "https://u@example.com/"),
            ("https://user@/a", "https://u@/"),
            ("https://@/a", "https://@/"),
            ("s3://:@x/a", "s3://:@x/"),
            ("s3://::@x/a", "s3://u@x/"),
            (
                "https://example.com:0000000443/a",
                "https://example.com:443/",
            ),
            ("https://example.com:0000000000/a", "https://example.com:0/"),
            ("https://example.com:00443/a", "https://example.com:00443/"),
            (
                "https://example.com:0000000x/a",
                "https://example.com:0000000x/",
            ),
            ("https://[::1]:000000080/", "https://[::1]:80/"),
            ("https://[::1]/", "https://[::1]/"),
            ("s3://bucket/key", "s3://bucket/"),
            ("s3://bu\\cket/key", "s3://bu\\cket/"),
            ("s3://user@bucket:000000001/key", "s3://u@bucket:1/"),
            ("file:///etc/passwd", "file:///"),
            ("file://host/etc", "file://host/"),
            ("file://user@host/etc", "file://user@host/"),
            ("file:/etc/passwd", "file:/etc/"),
            ("file:C:/x", "file:C:/"),
            ("file:/C|/x", "file:/C|/"),
            ("file://C:/x", "file://C:/"),
            ("file://a/C:x/c:d?e:#f|", "file://a/"),
        ] {
            assert_eq!(judged_part(text), part, "{text:?}");
        }
    }

    #[test]
    fn strings_without_a_scheme_and_authority_or_with_a_drive_letter_come_back_whole() {
        for text in [
            "",
            "   ",
            "no scheme",
            "1https://x/",
            "s3:/x/y",
            "s3:x",
            "é://x/",
            "://x/y",
            // A drive letter in a file URL's path may take its host away.
            "file://a\\b:",
            "file://a\\b:\u{8}",
            "file://a/b/../C|/x",
            "file://example.m/a/../b:",
        ] {
            assert!(
                matches!(judged_part(text), Cow::Borrowed(whole) if whole == text),
                "{text:?}"
            );
        }
    }
}
