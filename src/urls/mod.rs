//! Which strings are URLs, and what makes a URL unacceptable.

mod authority;
mod international;
mod percent_host;
mod plain_authority;
mod written_host;

use std::borrow::Cow;

use url::Url;

use self::international::Labels;
use self::written_host::{MAX_HOST_BYTES, MAX_LABEL_BYTES, host_too_long};

use crate::error::{Detail, ErrorCode, ValidationError};
use crate::hosts;
use crate::json::JsonStr;
use crate::policy::Policy;
use crate::swar::short_contains;

/// A table of one answer per byte, built at compile time from `$test` of `$byte` (for the
/// tests asked of every byte of a scheme or a host: a load instead of a chain of compares).
macro_rules! byte_table {
    (|$byte:ident| $test:expr) => {{
        let mut table = [false; 256];
        let mut at = 0;
        while at < 256 {
            let $byte = at as u8;
            table[at] = $test;
            at += 1;
        }
        table
    }};
}

/// The special schemes of the WHATWG URL Standard: with these, `scheme:` alone makes a URL.
const SPECIAL_SCHEMES: &[&[u8]] = &[b"http", b"https", b"ftp", b"file", b"ws", b"wss"];
/// Longer than any special scheme: only its length matters past this.
const SCHEME_BUFFER: usize = 5;

/// The bytes that can follow a URL-like string's first letter up to its `:`: those of a scheme
/// (ASCII letters, digits, `+`, `-`, `.`) and the tab, LF and CR that the URL parser removes.
/// A table, since this is asked of the first bytes of every string in a workflow.
const SCHEME_OR_REMOVED: [bool; 256] = byte_table!(|byte| byte.is_ascii_alphanumeric()
    || matches!(byte, b'+' | b'-' | b'.' | b'\t' | b'\n' | b'\r'));

/// The bytes of a scheme after its first letter: ASCII letters, digits, `+`, `-` and `.`.
const SCHEME_BYTES: [bool; 256] =
    byte_table!(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'-' | b'.'));

/// The length of the scheme `bytes` start with (0 if they do not start with a letter): a
/// table lookup a byte, as a scheme can be as long as its string.
fn scheme_len(bytes: &[u8]) -> usize {
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return 0;
    }
    bytes
        .iter()
        .position(|&b| !SCHEME_BYTES.get(usize::from(b)).copied().unwrap_or(false))
        .unwrap_or(bytes.len())
}

/// Whether a string is URL-like by the contract, and so must be a valid, `https`, public URL.
///
/// As the WHATWG URL parser would: ASCII tab, LF and CR are removed everywhere, leading C0
/// controls and spaces are trimmed; then the string is URL-like if it begins with a scheme
/// followed by `://`, or with a special scheme (`http`, `https`, `ftp`, `file`, `ws`, `wss`, any
/// case) followed by `:`. Only the first characters are read: a long prompt text is rejected at
/// its first space or punctuation.
///
/// ```
/// use cmfy_validate::is_url_like;
///
/// for url in ["https://x", "s3://bucket/key", "file:/etc/passwd", "HTTP://x", "https:\\\\host", " https://x "] {
///     assert!(is_url_like(url), "{url}");
/// }
/// for text in ["data:image/png;base64,AAAA", "a photo of https://x", "C:\\models\\a.ckpt", "model.safetensors"] {
///     assert!(!is_url_like(text), "{text}");
/// }
/// ```
#[must_use]
pub fn is_url_like(text: &str) -> bool {
    let bytes = text.as_bytes();
    // The commonest URL-like strings by far, settled at once: both are special schemes, which
    // need nothing after the colon.
    if bytes.starts_with(b"https:") || bytes.starts_with(b"http:") {
        return true;
    }
    // No URL-like string lacks a colon, and most short ones (a sampler's name, a file name of
    // letters, digits, `-` and `.`) are made of scheme characters only, which the scan below
    // would read to their end: a word test or a few settle them.
    if short_contains(bytes, b':') == Some(false) {
        return false;
    }
    // Most strings are prompt text or file names: reject them at their first space or
    // punctuation (`,` `_` `/` non-ASCII ...) before any `:`, without decoding anything. What
    // this passes, the exact check below decides.
    let Some(start) = bytes.iter().position(|&b| b > b' ') else {
        return false;
    };
    let scheme = bytes.get(start..).unwrap_or_default();
    if !scheme.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let scheme_end = scheme.iter().position(|&b| {
        !SCHEME_OR_REMOVED
            .get(usize::from(b))
            .copied()
            .unwrap_or(false)
    });
    if scheme_end.and_then(|end| scheme.get(end)) != Some(&b':') {
        return false;
    }
    // A scheme with nothing the parser removes in it, settled on its bytes (it can be as long
    // as the string).
    let name_len = scheme_len(scheme);
    if scheme.get(name_len) == Some(&b':') {
        let name = scheme.get(..name_len).unwrap_or_default();
        let after = scheme.get(name_len + 1..).unwrap_or_default();
        let special = SPECIAL_SCHEMES
            .iter()
            .any(|special| name.eq_ignore_ascii_case(special));
        if special || after.starts_with(b"//") {
            return true;
        }
        if !after
            .iter()
            .take(2)
            .any(|b| matches!(b, b'\t' | b'\n' | b'\r'))
        {
            return false;
        }
    }
    // Bytes, not chars: everything that decides is ASCII, and a byte of a multi-byte character
    // (0x80 and up) is neither a letter nor at most a space, just as the character is not.
    url_like_chars(text.bytes().map(char::from))
}

/// [`is_url_like`] for a JSON string as written: only an escaped one is decoded, and then only
/// as far as its scheme. What the request pass and [`Workflow::urls`](crate::Workflow::urls)
/// both ask of every string in the inputs.
#[inline]
pub(crate) fn is_url_like_json(value: JsonStr<'_>) -> bool {
    if value.escaped {
        url_like_chars(value.chars())
    } else {
        is_url_like(value.raw)
    }
}

/// [`is_url_like`] over decoded characters, so an escaped JSON string is decoded only as far as
/// its scheme.
fn url_like_chars(chars: impl Iterator<Item = char>) -> bool {
    let mut chars = chars
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .skip_while(|&c| c <= ' ');
    // The scheme, lower-cased, as far as a special scheme could go.
    let mut scheme = [0u8; SCHEME_BUFFER];
    let mut len = 0;
    loop {
        match chars.next() {
            Some(':') if len > 0 => break,
            Some(c)
                if c.is_ascii_alphabetic()
                    || (len > 0 && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))) =>
            {
                if let Some(slot) = scheme.get_mut(len) {
                    *slot = c.to_ascii_lowercase() as u8;
                }
                len += 1;
            }
            _ => return false,
        }
    }
    let special = scheme
        .get(..len)
        .is_some_and(|name| SPECIAL_SCHEMES.contains(&name));
    special || (chars.next() == Some('/') && chars.next() == Some('/'))
}

/// Why a URL was refused: the code, and a reason for `details.reason`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UrlProblem<'t> {
    pub(crate) code: ErrorCode,
    pub(crate) reason: String,
    host: NamedHost<'t>,
}

/// The reason of a problem whose host is private.
const PRIVATE_HOST: &str = "private host";

/// The host a problem names in `details.host`.
#[derive(Debug, PartialEq, Eq)]
enum NamedHost<'t> {
    Known(Option<String>),
    /// The URL, whose host the fast path took but did not encode: it is encoded only if the
    /// problem is reported. A body of private international hosts would otherwise pay the
    /// encoding for every problem `validate` finds after its first and drops.
    Encode(&'t str),
}

impl<'t> UrlProblem<'t> {
    pub(crate) fn new(code: ErrorCode, reason: String, host: Option<String>) -> Self {
        let host = NamedHost::Known(host);
        UrlProblem { code, reason, host }
    }

    /// A URL whose host is private; `code` says whether it was a workflow URL or the webhook.
    fn private_host(code: ErrorCode, host: Option<String>) -> Self {
        UrlProblem::new(code, PRIVATE_HOST.to_owned(), host)
    }

    /// The host this problem names, lower-cased.
    pub(crate) fn host(&self) -> Option<Cow<'_, str>> {
        match &self.host {
            NamedHost::Known(host) => host.as_deref().map(Cow::Borrowed),
            NamedHost::Encode(text) => {
                let host = plain_https_host(text);
                debug_assert!(host.is_some(), "a host taken cut is taken encoded");
                host.map(|host| Cow::Owned(host.to_ascii_lowercase()))
            }
        }
    }

    /// The error for this problem at `pointer`, with `reason` and `host` (if any) in its
    /// details; the caller adds where in the request the URL was.
    pub(crate) fn into_error(self, pointer: String, offset: usize) -> ValidationError {
        self.with_details(ValidationError::new(self.code, pointer, offset))
    }

    /// [`UrlProblem::into_error`] at a pointer made of a shared start and a rest.
    pub(crate) fn into_shared_error(
        self,
        (start, rest): (std::sync::Arc<str>, String),
        offset: usize,
    ) -> ValidationError {
        self.with_details(ValidationError::shared(self.code, start, rest, offset))
    }

    fn with_details(&self, error: ValidationError) -> ValidationError {
        let error = error.with_text(Detail::Reason, &self.reason);
        match self.host() {
            Some(host) => error.with_text(Detail::Host, &host),
            None => error,
        }
    }
}

/// The host of the plainest and commonest workflow URL, `https://` then a host name of ASCII
/// letters, digits, `-`, `_` and the other characters the parser keeps in a name (see
/// [`is_domain_byte`]) and `.`, then nothing or a path, query or fragment, found without the
/// full parser. For these the WHATWG parser cannot fail, and yields exactly this host,
/// lower-cased: no label is empty or punycode (`xn--`), and the last label is no number, so
/// the host is no IPv4 address. A host of the same shape with international characters is
/// mapped and encoded by [`international::read_host`] (owned, lower-case), or left to the
/// parser. The `url_fast_path` fuzz target checks that equivalence.
/// `None` means "not that shape": the full parser decides (and so does the rule for hosts too
/// long to be used, so a host past its bounds is never taken here).
fn plain_https_host(text: &str) -> Option<Cow<'_, str>> {
    fast_https_host(text, Labels::Encoded)
}

/// [`plain_https_host`], with the labels of an international host written as `labels` says.
fn fast_https_host(text: &str, labels: Labels) -> Option<Cow<'_, str>> {
    written_fast_host(text, labels)
        .or_else(|| percent_fast_host(text, labels))
        .or_else(|| punycode_beside_unicode(text, labels))
}

/// [`fast_https_host`] of a host as it is written that has punycode labels and international
/// ones, which [`written_fast_host`] leaves at the first punycode label (a host of ASCII is
/// read as a plain authority): read by [`international::read_host`], punycode and all.
fn punycode_beside_unicode(text: &str, labels: Labels) -> Option<Cow<'_, str>> {
    let rest = text.strip_prefix("https://")?;
    let end = memchr::memchr3(b'/', b'?', b'#', rest.as_bytes()).unwrap_or(rest.len());
    if rest.as_bytes().get(..end).is_none_or(<[u8]>::is_ascii) {
        return None;
    }
    international::read_host(rest, labels).map(Cow::Owned)
}

/// [`fast_https_host`] of a host as it is written.
fn written_fast_host(text: &str, labels: Labels) -> Option<Cow<'_, str>> {
    written_https_host(text.strip_prefix("https://")?, labels)
}

/// [`fast_https_host`] of a host with a percent sign, decoded first as the parser does. (A word
/// at a time: a URL with none anywhere pays little for the look.)
fn percent_fast_host(text: &str, labels: Labels) -> Option<Cow<'_, str>> {
    let rest = text.strip_prefix("https://")?;
    let percent = rest.as_bytes().contains(&b'%');
    percent
        .then(|| percent_host::decoded_host(text, rest, labels))
        .flatten()
        .map(Cow::Owned)
}

/// [`fast_https_host`] of a host taken as it is written (`rest` follows `https://`).
fn written_https_host(rest: &str, labels: Labels) -> Option<Cow<'_, str>> {
    let bytes = rest.as_bytes();
    // One label at a time: its letters, digits and `-` in a tight loop, then what follows it.
    let mut start = 0;
    loop {
        let label = bytes.get(start..).unwrap_or_default();
        // A punycode label is never plain: a host of ASCII with one is read as the parser reads
        // plain names (`plain_authority`), an international one by `punycode_beside_unicode`.
        // The rest need not be read.
        if punycode_prefix(label) {
            return None;
        }
        // A label past its bound is never plain: stop counting there.
        let len = label
            .iter()
            .take(MAX_LABEL_BYTES + 1)
            .take_while(|&&b| is_domain_byte(b))
            .count();
        let label = label.get(..len).unwrap_or_default();
        let end = start + len;
        if bytes.get(end).is_some_and(|&b| b >= 0x80) {
            // An international host: a shape of its own.
            return international::read_host(rest, labels).map(Cow::Owned);
        }
        if !plain_label(label) || len > MAX_LABEL_BYTES || end > MAX_HOST_BYTES {
            return None;
        }
        match bytes.get(end) {
            Some(b'.') => start = end + 1,
            None | Some(b'/' | b'?' | b'#') => {
                // A last label that is a number makes the host an IPv4 address.
                return rest
                    .get(..end)
                    .filter(|_| !is_number(label))
                    .map(Cow::Borrowed);
            }
            Some(_) => return None,
        }
    }
}

/// Whether `c` ends a label: `.`, or one of the full stops UTS #46 maps to it (ideographic,
/// fullwidth and halfwidth), at which the parser splits a host too.
fn is_full_stop(c: char) -> bool {
    matches!(c, '.' | '\u{3002}' | '\u{FF0E}' | '\u{FF61}')
}

/// Whether a byte can be part of a plain label: an ASCII letter, digit or `-`.
#[inline(always)]
fn is_name_byte(b: u8) -> bool {
    NAME_BYTES.get(usize::from(b)).copied().unwrap_or(false)
}

/// [`is_name_byte`] of every byte: a table, so a host costs a load and a test a byte.
const NAME_BYTES: [bool; 256] =
    byte_table!(|byte| matches!(byte, b'-' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z'));

/// Whether a byte can be part of a label of an ASCII host as the parser takes it unchanged
/// (but for the case of letters): the printable ASCII characters but for `.` and those its
/// IDNA refuses in a URL's host (`%#/:<>?@[\]^|`).
#[inline(always)]
fn is_domain_byte(b: u8) -> bool {
    DOMAIN_BYTES.get(usize::from(b)).copied().unwrap_or(false)
}

/// [`is_domain_byte`] of every byte.
const DOMAIN_BYTES: [bool; 256] = byte_table!(|byte| domain_byte(byte));

/// [`is_domain_byte`] by comparisons, which the compiler turns into vector compares where a
/// scan tests every byte of a label without stopping (a table lookup a byte it cannot).
#[inline(always)]
const fn domain_byte(byte: u8) -> bool {
    byte > 0x20
        && byte < 0x7F
        && !matches!(
            byte,
            b'.' | b'%'
                | b'#'
                | b'/'
                | b':'
                | b'<'
                | b'>'
                | b'?'
                | b'@'
                | b'['
                | b'\\'
                | b']'
                | b'^'
                | b'|'
        )
}

/// The label at the start of `bytes`, up to its `.` or the end, if all its bytes are
/// [`is_domain_byte`] (a hostile body makes labels 256 bytes long): the stop found by `memchr`,
/// the bytes tested without a branch, which the compiler makes a vector loop.
fn domain_label(bytes: &[u8]) -> Option<&[u8]> {
    let label = bytes.get(..memchr::memchr(b'.', bytes).unwrap_or(bytes.len()))?;
    label
        .iter()
        .fold(true, |all, &b| all & domain_byte(b))
        .then_some(label)
}

/// Whether the parser reads a host whose last label is `label` as an IPv4 address (or refuses
/// it as a bad one): all decimal digits, or `0x` and hexadecimal digits.
fn is_number(label: &[u8]) -> bool {
    match label {
        [b'0', b'x' | b'X', hex @ ..] => hex.iter().all(u8::is_ascii_hexdigit),
        _ => label.iter().all(u8::is_ascii_digit),
    }
}

/// A label of a plain host: not empty, and not punycode (`xn--` in any case).
#[inline]
fn plain_label(label: &[u8]) -> bool {
    !label.is_empty() && !punycode_prefix(label)
}

/// Whether `label` starts with `xn--`, in any case (or with a carriage return in place of a
/// `-`, which no name has).
#[inline]
fn punycode_prefix(label: &[u8]) -> bool {
    // Setting bit 5 lower-cases `X` and `N` and leaves `-`; no other name byte becomes one of
    // them.
    label.first_chunk::<4>().is_some_and(|prefix| {
        u32::from_le_bytes(*prefix) | 0x2020_2020 == u32::from_le_bytes(*b"xn--")
    })
}

/// For the fuzz target that proves the fast path equal to the full parser. Not public API.
#[doc(hidden)]
pub fn fast_path_host(text: &str) -> Option<Cow<'_, str>> {
    plain_https_host(text)
}

/// For the fuzz target: the host the fast path judges a URL by when no suffix has punycode of
/// its own (international labels cut to `xn--`). Not public API.
#[doc(hidden)]
pub fn fast_path_host_cut(text: &str) -> Option<Cow<'_, str>> {
    fast_https_host(text, Labels::CutToPrefix)
}

/// For the fuzz target that proves the parser judges the cut URL as it judges the whole one.
/// Not public API.
#[doc(hidden)]
pub fn judged_part(text: &str) -> Cow<'_, str> {
    authority::judged_part(text)
}

/// For the fuzz target that proves a plain authority read as the parser reads it: the scheme,
/// the host as the parser serialises it, and the name the host rules judge. Not public API.
#[doc(hidden)]
pub fn plain_authority(text: &str) -> Option<(String, String, Option<String>)> {
    match authority::judged_part(text) {
        Cow::Owned(cut) => plain_authority::read(&cut).map(|plain| {
            let name = match plain.judged {
                Some(hosts::HostClass::Name(name)) => Some(name.into_owned()),
                _ => None,
            };
            (plain.scheme, plain.host, name)
        }),
        Cow::Borrowed(_) => None,
    }
}

/// For the fuzz target and the tests that hold the punycode decoder to the `idna` crate's: the
/// decoded label and the characters it inserted (each once, smallest first), and the characters
/// the scan that does not put them in order finds. Not public API.
#[doc(hidden)]
pub fn punycode_decode(encoded: &[u8]) -> international::DecodedPunycode {
    international::decode_punycode(encoded)
}

/// Parses a URL whose host is within the bounds (see [`within_bounds`]) and judges its host; the
/// shared part of the workflow and webhook rules. Returns the URL and whether its host is
/// private; `not_https` names the code for other schemes.
fn parse_https(
    text: &str,
    not_https: ErrorCode,
    policy: &Policy,
) -> Result<(Url, bool), UrlProblem<'static>> {
    let url = Url::parse(text)
        .map_err(|e| UrlProblem::new(ErrorCode::InvalidUrl, e.to_string(), None))?;
    // The host is copied only into a problem, never for a URL that passes.
    let host_text = |url: &Url| url.host_str().map(str::to_owned);
    if url.scheme() != "https" {
        let reason = format!("scheme '{}' is not https", url.scheme());
        return Err(UrlProblem::new(not_https, reason, host_text(&url)));
    }
    let Some(host) = url.host() else {
        return Err(UrlProblem::new(
            ErrorCode::InvalidUrl,
            "URL has no host".to_owned(),
            None,
        ));
    };
    let class = hosts::classify(&host)
        .map_err(|e| UrlProblem::new(ErrorCode::InvalidUrl, e.reason(), host_text(&url)))?;
    let private = policy.is_private(&class);
    Ok((url, private))
}

/// The rules for a URL-like string inside a node's inputs.
pub(crate) fn check_workflow_url<'t>(text: &'t str, policy: &Policy) -> Result<(), UrlProblem<'t>> {
    if let Some(sources) = policy.model_sources() {
        // The allowlist needs the parsed URL (its path too): no fast path.
        within_bounds(text)?;
        let (url, private) = parse_https(text, ErrorCode::InsecureUrl, policy)?;
        let host = || url.host_str().map(str::to_owned);
        if private && policy.workflow_url_host_check() {
            return Err(UrlProblem::private_host(ErrorCode::InsecureUrl, host()));
        }
        if !sources.iter().any(|pattern| pattern.matches(&url)) {
            let reason = "source not allowed".to_owned();
            return Err(UrlProblem::new(ErrorCode::InsecureUrl, reason, host()));
        }
        return Ok(());
    }
    // International labels need their punycode only to be named, or to be compared with a
    // suffix that has punycode of its own.
    let labels = if policy.blocks_punycode_labels() {
        Labels::Encoded
    } else {
        Labels::CutToPrefix
    };
    if let Some(host) = written_fast_host(text, labels) {
        return fast_verdict(text, host, policy);
    }
    // A host past the bounds is refused before anything of it is copied.
    within_bounds(text)?;
    // The parser reads only what the verdict depends on, and not even that when its host is
    // a plain name or an IPv4 address (percent-encoded or not).
    let part = authority::judged_part(text);
    if let Cow::Owned(cut) = &part
        && let Some(plain) = plain_authority::read(cut)
    {
        return plain_verdict(plain, policy);
    }
    // What is left of the fast path: a host that decodes to international characters, or
    // has punycode labels beside international ones.
    if let Some(host) =
        percent_fast_host(text, labels).or_else(|| punycode_beside_unicode(text, labels))
    {
        return fast_verdict(text, host, policy);
    }
    let (url, private) = parse_https(&part, ErrorCode::InsecureUrl, policy)?;
    if private && policy.workflow_url_host_check() {
        let host = url.host_str().map(str::to_owned);
        return Err(UrlProblem::private_host(ErrorCode::InsecureUrl, host));
    }
    Ok(())
}

/// The rules for an https URL whose host the fast path found (see [`fast_https_host`]).
fn fast_verdict<'t>(
    text: &'t str,
    host: Cow<'_, str>,
    policy: &Policy,
) -> Result<(), UrlProblem<'t>> {
    let class = hosts::HostClass::Name(Cow::Borrowed(&host));
    if policy.workflow_url_host_check() && policy.is_private(&class) {
        // A host the fast path made (international) is encoded only if it must be named.
        let host = match host {
            Cow::Borrowed(host) => NamedHost::Known(Some(host.to_ascii_lowercase())),
            Cow::Owned(_) => NamedHost::Encode(text),
        };
        let reason = PRIVATE_HOST.to_owned();
        let code = ErrorCode::InsecureUrl;
        return Err(UrlProblem { code, reason, host });
    }
    Ok(())
}

/// The contract's bounds of a host as written, which every URL meets before it is parsed or
/// copied: a host past them is `invalid_url`.
fn within_bounds(text: &str) -> Result<(), UrlProblem<'static>> {
    if host_too_long(text) {
        let reason = "host too long".to_owned();
        return Err(UrlProblem::new(ErrorCode::InvalidUrl, reason, None));
    }
    Ok(())
}

/// The rules for a workflow URL whose host is a plain name or an IPv4 address, read without
/// the parser: the problems the parser's reading would give.
fn plain_verdict<'t>(
    plain: plain_authority::PlainAuthority<'_>,
    policy: &Policy,
) -> Result<(), UrlProblem<'t>> {
    let Some(class) = plain.judged.filter(|_| plain.scheme == "https") else {
        let reason = format!("scheme '{}' is not https", plain.scheme);
        return Err(UrlProblem::new(
            ErrorCode::InsecureUrl,
            reason,
            Some(plain.host),
        ));
    };
    if policy.workflow_url_host_check() && policy.is_private(&class) {
        return Err(UrlProblem::private_host(
            ErrorCode::InsecureUrl,
            Some(plain.host),
        ));
    }
    Ok(())
}

/// The rules for `webhook_url`; returns the parsed URL when it is acceptable.
pub(crate) fn check_webhook_url(text: &str, policy: &Policy) -> Result<Url, UrlProblem<'static>> {
    within_bounds(text)?;
    let (url, private) = parse_https(text, ErrorCode::WebhookMustBeHttps, policy)?;
    if private && !policy.private_webhooks() {
        let host = url.host_str().map(str::to_owned);
        return Err(UrlProblem::private_host(
            ErrorCode::WebhookPrivateHost,
            host,
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_like_follows_the_contract() {
        for yes in [
            "https://x",
            "s3://b/k",
            "file:/etc/passwd",
            "HTTP://x",
            "https:\\\\host",
            " https://x ",
            "\u{1}\u{20}ws:x",
            "ht\ttp://x",
            "h\nttps:x",
            "a+b-c.d://x",
            "FtP:",
            "https:",
            "wss:",
            "x:\t//y",
            "abcdefghij://x",
        ] {
            assert!(is_url_like(yes), "{yes:?}");
        }
        for no in [
            "",
            " ",
            "data:image/png;base64,AA",
            "a photo of https://x",
            "C:\\m\\a.ckpt",
            "model.safetensors",
            "1http://x",
            "mailto:a@b",
            "javascript:alert(1)",
            "httpx:",
            "htt:",
            "https",
            "a:/b",
            "-a://x",
            "\u{a0}https://x",
            "é://x",
            "blob:https://x",
            "urn:isbn:1",
        ] {
            assert!(!is_url_like(no), "{no:?}");
        }
    }

    proptest::proptest! {
        /// The byte scan that rejects most strings early, and the colon test before it, only
        /// ever reject what the character rule rejects, and pass the rest to it; the early
        /// acceptance of `https:` and `http:` agrees with it too.
        #[test]
        fn the_early_rejection_agrees_with_the_character_rule(
            text in "[ \t\n\r\u{1}\u{a0}aAhHsStTpPfFwW0+.:/\\_,é-]{0,10}",
            near_url in "[ \t\r\u{1}]{0,2}(h\tttps|https|http|HTTP|Ws|s3|a\\+b|x-|é)[ :\t/]{0,3}[a-z/:.,_ ]{0,4}",
            // Scheme characters only, of every length around the short texts settled by their
            // colon alone, then perhaps a colon.
            scheme_chars in "[\taZ09+.-]{0,40}(:|://|:/)?[a-z]{0,3}",
        ) {
            for text in [text, near_url, scheme_chars] {
                proptest::prop_assert_eq!(is_url_like(&text), url_like_chars(text.chars()));
            }
        }
    }

    #[test]
    fn the_fast_path_takes_plain_hosts_and_agrees_with_the_parser() {
        for (text, host) in [
            (
                "https://huggingface.co/org/repo/resolve/main/m.safetensors",
                "huggingface.co",
            ),
            ("https://Example.COM", "Example.COM"),
            ("https://a-b.c0?x=1", "a-b.c0"),
            ("https://x#frag", "x"),
            ("https://1.2.3.x/", "1.2.3.x"),
            ("https://a_b.c/", "a_b.c"),
            ("https://A~b!$&'()*+,;=`{}\".c/", "A~b!$&'()*+,;=`{}\".c"),
            ("https://a.1a/", "a.1a"),
            ("https://a.0xg/", "a.0xg"),
            ("https://a.-1/", "a.-1"),
        ] {
            assert_eq!(plain_https_host(text).as_deref(), Some(host), "{text}");
            let parsed = Url::parse(text).map(|url| url.host_str().map(str::to_owned));
            assert_eq!(parsed, Ok(Some(host.to_ascii_lowercase())), "{text}");
        }
        for text in [
            "https://",
            "https:///x",
            "https://a..b/",
            "https://a./",
            "https://.a/",
            "https://1.2.3.4/",
            "https://a.1/",
            "https://xn--bcher-kva.example/",
            "https://a.XN--p1ai/",
            "https://xN--p1ai.example/",
            "https://a.Xn--p1ai",
            "https://a.0x1F/",
            "https://a.0X/",
            "https://a.0x/",
            "https://a.09/",
            "https://a^b.c/",
            "https://a|b.c/",
            "https://a<b.c/",
            "https://a\u{7f}b.c/",
            "https://a:443/",
            "https://u@a/",
            "https://a\\b",
            "http://a/",
            "HTTPS://a/",
        ] {
            assert_eq!(plain_https_host(text), None, "{text}");
        }
    }

    /// The fast path takes `text`, with the host the URL parser gives.
    fn assert_taken_as_the_parser_takes(text: &str) {
        let parsed = Url::parse(text).map(|url| url.host_str().map(str::to_owned));
        let fast = plain_https_host(text).map(Cow::into_owned);
        assert!(fast.is_some(), "{text}");
        assert_eq!(parsed, Ok(fast), "{text}");
    }

    #[test]
    fn percent_encoded_hosts_are_decoded_as_the_parser_decodes_them() {
        for text in [
            "https://ex%61mple.com/",
            "https://EX%41MPLE.com",
            "https://b%C3%BCcher.example/m",
            "https://bü%63her.de/",
            "https://%E6%97%A5%E6%9C%AC.jp?q",
            "https://a%2Eb.example#f",
            "https://%E0%A4%AD%E0%A4%BE%E0%A4%B0%E0%A4%A4.in",
            // Punycode once decoded, beside an international label or not.
            "https://%78n--p1ai.example/",
            "https://%78n--p1ai.%C3%A9/",
        ] {
            assert_taken_as_the_parser_takes(text);
        }
        // A host that decodes to ASCII is read as a plain authority is, for every scheme (and
        // `validate` asks that first).
        for text in [
            "https://ex%61mple.com/",
            "https://a%2Eb.example#f",
            "http://a%5fb.example:80/",
            "https://%31.2.3.4/",
        ] {
            let parsed = Url::parse(text).map(|url| url.host_str().map(str::to_owned));
            let plain = plain_authority(text).map(|(_, host, _)| host);
            assert_eq!(parsed, Ok(plain), "{text}");
        }
        let long_label = "%C3%A9".repeat(50);
        for text in [
            // Decoded to what ends a host, or is no name character.
            "https://a%2Fb.example/",
            "https://a%3Fb.example/",
            "https://a%23b.example/",
            "https://a%25b.example/",
            "https://a%3A443/",
            "https://a%20b.example/",
            // Not UTF-8 once decoded.
            "https://%C3.example/",
            "https://%FF.example/",
            // A `%` that decodes nothing.
            "https://a%.b/",
            "https://a%4g.b/",
            // An IPv4 address, a user name, a port: left to the plain reading or the parser.
            "https://%31.2.3.4/",
            "https://u%40x@a.example/",
            "https://a%61.example:443/",
            // Past the bounds as written, though short once decoded.
            &format!("https://{long_label}.example/"),
        ] {
            assert_eq!(plain_https_host(text), None, "{text}");
        }
    }

    #[test]
    fn the_fast_path_maps_international_hosts_as_the_parser_does() {
        for text in [
            "https://bücher.example/m",
            "https://MÜNCHEN.de",
            "https://日本.jp?x=1",
            "https://ᾈﬃ.example#f",
            "https://Ａｂｃé.example/",
            "https://straße.de/",
            "https://ΣΊΣΥΦΟΣ.gr",
            "https://a-é.b-ü.c/",
            "https://x.日本",
            "https://e\u{301}.example/",
            "https://भारत.in/",
            // Marks after a precomposed letter, one of class 0 among them: NFC of the label.
            "https://x\u{1B06}\u{1B35}\u{301}.example/",
            "https://x\u{226E}\u{1B35}\u{301}.example/",
            "https://\u{E9}\u{323}\u{302}.example/",
            // Joiners after a virama.
            "https://\u{915}\u{94D}\u{200D}\u{937}.example/",
            "https://\u{915}\u{94D}\u{200C}\u{937}.example/",
            // A non-joiner between letters that join, past marks (Persian, Mongolian).
            "https://\u{628}\u{200C}\u{628}.example/",
            "https://\u{628}\u{64B}\u{200C}\u{64B}\u{627}.example/",
            "https://\u{1820}\u{200C}\u{1821}.example/",
            "https://\u{628}\u{200C}\u{300}\u{301}\u{628}.example/",
            // Full stops other than `.` split labels as `.` does.
            "https://bücher\u{3002}de/",
            "https://日本\u{FF0E}jp/x",
            "https://ü\u{FF61}a\u{3002}b",
            // Punycode beside international labels, read as IDNA reads it; right to left, the
            // bidi rule on its characters.
            "https://xn--bcher-kva.bücher/",
            "https://XN--BCHER-KVA.bücher/",
            "https://ｘｎ－－bcher-kva.é/",
            "https://xn--bcher-kvａ.é/",
            "https://xn--4gbrim.مثال/",
            "https://مثال.xn--4gbrim/",
            // Right to left: every label passes the bidi rule.
            "https://אב.example/",
            "https://مثال.إختبار/",
            "https://\u{627}\u{644}\u{64B}1.example/",
            "https://ﺑﻴﺖ.a1.example/",
        ] {
            assert_taken_as_the_parser_takes(text);
        }
        let label = "é".repeat(MAX_LABEL_BYTES / 2);
        for text in [
            // A mark at a label's start, joiners not after a virama (a non-joiner not between
            // letters that join): the parser decides.
            "https://\u{301}e.example/",
            "https://a\u{200D}b.example/",
            "https://a\u{200C}b.example/",
            "https://\u{627}\u{200C}\u{628}.example/",
            "https://\u{628}\u{200C}\u{640}\u{628}.example/",
            // A right-to-left punycode label holds a label of digits and letters to the bidi
            // rule, before it or after it.
            "https://xn--4gbrim.1é/",
            "https://1é.xn--4gbrim/",
            "https://\u{200D}\u{915}.example/",
            // Ports, percent signs, user names.
            "https://bücher.de:443/",
            "https://u@bücher.de/",
            // A label that maps to punycode the parser refuses, empty labels, a last label that
            // starts with a digit.
            "https://ｘｎ－－abc.é/",
            "https://bücher.1",
            "https://bücher.0x1/",
            "https://é.1a/",
            "https://bücher..de/",
            "https://bücher./",
            // Past the bounds, as written.
            &format!("https://{label}é.example/"),
            &format!("https://{}/", ["é"; 400].join(".")),
        ] {
            assert_eq!(plain_https_host(text), None, "{text}");
        }
        let at_bound = format!("https://{label}.example/");
        assert!(plain_https_host(&at_bound).is_some());
    }

    #[test]
    fn right_to_left_hosts_that_fail_the_bidi_rule_are_left_to_the_parser_which_refuses_them() {
        for text in [
            // Directions mixed in a label; numbers of both kinds.
            "https://aא.example/",
            "https://\u{627}\u{661}1.example/",
            // Left-to-right labels of a right-to-left host: one starts with a digit, one ends
            // with a hyphen, one with a mark after a hyphen.
            "https://א.1a.example/",
            "https://א.a-.example/",
            "https://e\u{301}.a-\u{301}.א/",
            // The same before the first right-to-left label, whatever full stop ends it.
            "https://1a.א/",
            "https://b.a-.c.א/",
            "https://-\u{FF0E}א/",
            "https://b\u{3002}a-\u{FF61}c.א/",
        ] {
            assert_eq!(plain_https_host(text), None, "{text}");
            assert!(Url::parse(text).is_err(), "{text}");
        }
        // Without a right-to-left character, the rule does not apply: not even to a host with
        // a character of a right-to-left script that is not (an Extended Arabic-Indic digit).
        assert_taken_as_the_parser_takes("https://a-.é1.example/");
        assert_taken_as_the_parser_takes("https://a-.\u{6F1}x.example/");
        // Labels before the first right-to-left one that pass.
        assert_taken_as_the_parser_takes("https://b.a1.c.\u{5D0}/");
    }

    #[test]
    fn the_international_path_stops_exactly_at_the_host_bound() {
        // Labels of 127 `é` and a dot (255 bytes) up to 1,020 bytes, then a last label of 4.
        let mut host = vec!["é".repeat(127); 4].join(".") + ".";
        host.push_str(&"a".repeat(MAX_HOST_BYTES - host.len()));
        assert_eq!(host.len(), MAX_HOST_BYTES);
        for end in ["", "/", "?q", "#f"] {
            let at_bound = format!("https://{host}{end}");
            let parsed = Url::parse(&at_bound).map(|url| url.host_str().map(str::to_owned));
            assert_eq!(parsed, Ok(plain_https_host(&at_bound).map(Cow::into_owned)));
            assert!(plain_https_host(&at_bound).is_some(), "{end:?}");
            assert_eq!(plain_https_host(&format!("https://{host}a{end}")), None);
        }
    }

    #[test]
    fn international_hosts_are_judged_by_their_ascii_form() {
        let problem = check_workflow_url("https://bücher.localhost/m", &Policy::default());
        assert_eq!(
            problem.map_err(|p| (p.code, p.host().map(Cow::into_owned))),
            Err((
                ErrorCode::InsecureUrl,
                Some("xn--bcher-kva.localhost".to_owned())
            ))
        );
        assert_eq!(workflow("https://bücher.example/m"), Ok(()));
    }

    #[test]
    fn an_international_host_is_encoded_only_to_be_named() {
        let problem = check_workflow_url("https://bücher/m", &Policy::default());
        let problem = problem.err();
        assert_eq!(
            problem.as_ref().map(|p| &p.host),
            Some(&NamedHost::Encode("https://bücher/m"))
        );
        let host = problem.and_then(|p| p.host().map(Cow::into_owned));
        assert_eq!(host.as_deref(), Some("xn--bcher-kva"));
        // An ASCII host is named as it is.
        let problem = check_workflow_url("https://Intranet/m", &Policy::default()).err();
        let known = NamedHost::Known(Some("intranet".to_owned()));
        assert_eq!(problem.map(|p| p.host), Some(known));
    }

    #[test]
    fn a_suffix_in_punycode_is_compared_with_encoded_labels() {
        let policy = Policy::default().with_blocked_name_suffix("XN--bcher-kva.example");
        let problem = check_workflow_url("https://Bücher.example/m", &policy);
        assert_eq!(
            problem.map_err(|p| (p.code, p.host().map(Cow::into_owned))),
            Err((
                ErrorCode::InsecureUrl,
                Some("xn--bcher-kva.example".to_owned())
            ))
        );
        let other = check_workflow_url("https://bücherei.example/m", &policy);
        assert_eq!(other.map_err(|p| p.code), Ok(()));
        // A suffix label that is the prefix alone equals no encoded label.
        let policy = Policy::default().with_blocked_name_suffix("xn--.example");
        let problem = check_workflow_url("https://bücher.example/m", &policy);
        assert_eq!(problem.map_err(|p| p.code), Ok(()));
    }

    fn workflow(url: &str) -> Result<(), ErrorCode> {
        check_workflow_url(url, &Policy::default()).map_err(|p| p.code)
    }

    #[test]
    fn workflow_urls() {
        assert_eq!(workflow("https://huggingface.co/a/b"), Ok(()));
        assert_eq!(workflow("http://example.com/"), Err(ErrorCode::InsecureUrl));
        assert_eq!(workflow("https://127.0.0.1/"), Err(ErrorCode::InsecureUrl));
        assert_eq!(
            workflow("https://exa mple.com/"),
            Err(ErrorCode::InvalidUrl)
        );
        assert_eq!(workflow("https://./"), Err(ErrorCode::InvalidUrl));
        let lenient = Policy::default().with_workflow_url_host_check(false);
        assert_eq!(check_workflow_url("https://10.0.0.1/", &lenient), Ok(()));
    }

    #[test]
    fn webhook_urls() {
        let policy = Policy::default();
        let code = |url: &str| {
            check_webhook_url(url, &policy)
                .map(|_| ())
                .map_err(|p| p.code)
        };
        assert_eq!(code("https://example.com/hook"), Ok(()));
        assert_eq!(code("not a url"), Err(ErrorCode::InvalidUrl));
        assert_eq!(
            code("http://127.0.0.1/"),
            Err(ErrorCode::WebhookMustBeHttps)
        );
        assert_eq!(
            code("https://localhost./"),
            Err(ErrorCode::WebhookPrivateHost)
        );
        let problem = check_webhook_url("https://[::1]/", &policy).unwrap_err();
        assert_eq!(problem.host().as_deref(), Some("[::1]"));
    }

    #[test]
    fn the_fast_path_stops_exactly_at_the_bounds() {
        let label = |n: usize| "a".repeat(n);
        let longest = format!("https://{}.com/", label(MAX_LABEL_BYTES));
        assert_eq!(
            plain_https_host(&longest).map(|host| host.len()),
            Some(MAX_LABEL_BYTES + 4)
        );
        let too_long = format!("https://{}.com/", label(MAX_LABEL_BYTES + 1));
        assert_eq!(plain_https_host(&too_long), None);
        // Labels of 200 bytes and a last one that brings the host to exactly the bound.
        let mut host = String::new();
        while host.len() + 201 < MAX_HOST_BYTES {
            host.push_str(&label(200));
            host.push('.');
        }
        host.push_str(&label(MAX_HOST_BYTES - host.len()));
        assert_eq!(host.len(), MAX_HOST_BYTES);
        let at_bound = format!("https://{host}/m");
        assert_eq!(plain_https_host(&at_bound).as_deref(), Some(host.as_str()));
        assert_eq!(fast_path_host(&at_bound).as_deref(), Some(host.as_str()));
        let over = format!("https://{host}a/m");
        assert_eq!(plain_https_host(&over), None);
        assert_eq!(
            fast_path_host("https://a.example/x").as_deref(),
            Some("a.example")
        );
        assert_eq!(fast_path_host("http://a.example/x"), None);
    }

    #[test]
    fn a_scheme_starts_with_a_letter_after_any_leading_blanks() {
        // The character rule alone (as for decoded JSON strings) refuses what the byte scan
        // refuses before it.
        for text in [":", "://x", " ://x", "+a://x", "1a://x", ".a://x", "-a://x"] {
            assert!(!url_like_chars(text.chars()), "{text:?}");
            assert!(!is_url_like(text), "{text:?}");
        }
        for text in [" a://x", "a1+.-://x", "\tHTTPS:x"] {
            assert!(url_like_chars(text.chars()), "{text:?}");
        }
    }
}
