//! URLs of any scheme whose host is a plain ASCII name or an IPv4 address, judged without the
//! URL parser.
//!
//! The fast path of `https://name/...` leaves out URLs with another scheme, a user name, a port,
//! a trailing dot or an IPv4 address. The parser reads their hosts at 120 to 170 instructions a
//! byte, and a host may be a kilobyte long: a body of such URLs cost `validate` 13 to 43 times a
//! `Value` parse. Here the part of the URL its verdict depends on (see [`super::authority`]) is
//! read instead, when its host is a name the parser could only lower-case (or, for a scheme
//! that is not special, keep as it is) or an IPv4 address; anything else is still the parser's
//! to judge. Hosts past the contract's bounds are refused before they come here.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr};

use super::authority::Kind;
use super::international::PunycodeLabels;
use super::percent_host::percent_decode_ascii;
use super::{domain_label, is_number, plain_label};
use crate::hosts::HostClass;

/// What the parser would make of a URL with a plain host.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PlainAuthority<'t> {
    /// The scheme, lower-cased.
    pub(crate) scheme: String,
    /// The host as the parser serialises it.
    pub(crate) host: String,
    /// For a special scheme, the host as the host rules judge it: an IPv4 address, or the
    /// name as written without its trailing dots (which the rules strip).
    pub(crate) judged: Option<HostClass<'t>>,
}

/// [`PlainAuthority`] of `part`, a URL cut after its authority by
/// [`judged_part`](super::authority::judged_part), or `None` if the parser must decide.
pub(crate) fn read(part: &str) -> Option<PlainAuthority<'_>> {
    let colon = part.find(':')?;
    let scheme = part.get(..colon)?;
    let kind = Kind::of(scheme.as_bytes());
    let rest = part.get(colon + 1..)?;
    let authority = match kind {
        Kind::Special => rest.trim_start_matches(['/', '\\']),
        // Two slashes, then a host and nothing else: no user name, port or drive letter.
        Kind::File => rest.strip_prefix("//")?,
        Kind::Other => rest.strip_prefix("//")?,
    };
    // What ends the authority, if anything, ends the part.
    let authority = match authority.as_bytes().last() {
        Some(b'/' | b'?' | b'#') => authority.get(..authority.len() - 1)?,
        Some(b'\\') if !matches!(kind, Kind::Other) => authority.get(..authority.len() - 1)?,
        _ => authority,
    };
    let host_port = match kind {
        Kind::File => authority,
        // The part writes user information as `u`, `:` or nothing: the parser refuses an `@`
        // with no host after it, so that is left to it.
        Kind::Special | Kind::Other => match memchr::memrchr(b'@', authority.as_bytes()) {
            Some(at) => authority.get(at + 1..)?,
            None => authority,
        },
    };
    let (host, port) = match memchr::memchr(b':', host_port.as_bytes()) {
        Some(at) if !matches!(kind, Kind::File) => (host_port.get(..at)?, host_port.get(at + 1..)),
        Some(_) => return None,
        None => (host_port, None),
    };
    if !port.is_none_or(valid_port) {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    match kind {
        Kind::Special => {
            let (host, judged) = special_host(host)?;
            Some(PlainAuthority {
                scheme,
                host,
                judged: Some(judged),
            })
        }
        Kind::File => {
            // `localhost` becomes no host at all, and a trailing dot of a name stays in the
            // host: both are left to the parser.
            let (host, judged) = special_host(host)?;
            let plain = match judged {
                HostClass::Name(name) => name.len() == host.len() && host != "localhost",
                HostClass::Ip(_) => true,
            };
            plain.then_some(PlainAuthority {
                scheme,
                host,
                judged: None,
            })
        }
        Kind::Other => opaque_host(host).then(|| PlainAuthority {
            scheme,
            host: host.to_owned(),
            judged: None,
        }),
    }
}

/// The host of a special scheme as the parser serialises it, and as the host rules judge it:
/// a plain name, or an IPv4 address written in any of the parser's ways.
fn special_host(host: &str) -> Option<(String, HostClass<'_>)> {
    if memchr::memchr(b'%', host.as_bytes()).is_some() {
        return decoded_host(host);
    }
    // The last label tells which (as it tells the parser), before any label is read.
    let last = host.trim_end_matches('.').rsplit('.').next()?;
    if is_number(last.as_bytes()) {
        let address = ipv4(host)?;
        return Some((address.to_string(), HostClass::Ip(IpAddr::V4(address))));
    }
    let name = plain_name(host)?;
    Some((
        host.to_ascii_lowercase(),
        HostClass::Name(Cow::Borrowed(name)),
    ))
}

/// [`special_host`] of a host with percent-encoded bytes, which the parser decodes first: for
/// a host that decodes to ASCII (others are left to the fast path or the parser).
fn decoded_host(host: &str) -> Option<(String, HostClass<'static>)> {
    let decoded = String::from_utf8(percent_decode_ascii(host.as_bytes())?).ok()?;
    // A `%` left is one the parser refuses in a name.
    if decoded.contains('%') {
        return None;
    }
    let (serialized, class) = special_host(&decoded)?;
    let class = match class {
        HostClass::Name(name) => HostClass::Name(Cow::Owned(name.into_owned())),
        HostClass::Ip(address) => HostClass::Ip(address),
    };
    Some((serialized, class))
}

/// The IPv4 address the parser reads `host` as (its IPv4 parser): one to four numbers, each
/// decimal, octal (a leading `0`) or hexadecimal (`0x`), then at most one dot; the last number
/// fills the bytes the others leave. `None` for a host that is not one (the parser then
/// decides, and refuses a bad address).
fn ipv4(host: &str) -> Option<Ipv4Addr> {
    let written = host.strip_suffix('.').unwrap_or(host);
    let mut numbers = [0u32; 4];
    let mut count = 0;
    for part in written.split('.') {
        *numbers.get_mut(count)? = ipv4_number(part)?;
        count += 1;
    }
    let (&last, first) = numbers.get(..count)?.split_last()?;
    // The last number must fit the bytes the others leave it; the others, one byte each.
    let room = u32::MAX.checked_shr(u32::try_from(8 * first.len()).ok()?)?;
    if last > room || first.iter().any(|&n| n > 255) {
        return None;
    }
    let mut address = last;
    for (&number, shift) in first.iter().zip([24, 16, 8]) {
        address |= number << shift;
    }
    Some(Ipv4Addr::from(address))
}

/// One number of an IPv4 address as the parser reads it, or `None` if it is not one or does
/// not fit 32 bits.
fn ipv4_number(part: &str) -> Option<u32> {
    if part.is_empty() {
        return None;
    }
    let (digits, radix) = match part.as_bytes() {
        [b'0', b'x' | b'X', ..] => (part.get(2..)?, 16),
        [b'0', _, ..] => (part.get(1..)?, 8),
        _ => (part, 10),
    };
    // Leading zeros change nothing, and can be a whole label long; past them, no number of
    // more than eleven digits fits 32 bits in any of the three bases (and a bad digit, like an
    // overflow, makes no number the parser takes).
    let significant = digits.trim_start_matches('0');
    if significant.len() > 11 {
        return None;
    }
    significant.chars().try_fold(0u32, |value, c| {
        value.checked_mul(radix)?.checked_add(c.to_digit(radix)?)
    })
}

/// Whether the parser takes `port`: empty, or decimal digits up to 65535.
fn valid_port(port: &str) -> bool {
    port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u32>().map_or(port.is_empty(), |n| n <= 65_535)
}

/// `host` without its trailing dots, if it is a name the parser only lower-cases: labels of
/// the bytes of [`is_domain_byte`], none empty or punycode, and a last one that is no number
/// (which would make the host an IPv4 address). One pass over the bytes.
fn plain_name(host: &str) -> Option<&str> {
    let name = host.trim_end_matches('.');
    let bytes = name.as_bytes();
    // An international label anywhere leaves the name to the international fast path, before
    // its punycode labels are read here (a word at a time).
    if !bytes.is_ascii() {
        return None;
    }
    // Made at the first punycode label, if any.
    let mut punycode: Option<PunycodeLabels> = None;
    let mut start = 0;
    loop {
        let rest = bytes.get(start..)?;
        // Up to its `.`: a byte that is neither ends the name in a way left to the parser.
        let label = domain_label(rest)?;
        if !plain_label(label)
            && !punycode
                .get_or_insert_with(PunycodeLabels::default)
                .hold(label)
        {
            return None;
        }
        match rest.get(label.len()) {
            None => {
                // A label of a right-to-left script holds every label to the bidi rule.
                let bidi = punycode
                    .as_mut()
                    .is_none_or(|labels| labels.bidi_holds(bytes));
                return (!is_number(label) && bidi).then_some(name);
            }
            Some(_) => start += label.len() + 1,
        }
    }
}

/// Whether a host of a scheme that is not special is one the parser keeps as it is: printable
/// ASCII but for the characters it refuses in a host.
fn opaque_host(host: &str) -> bool {
    let kept = |b: u8| {
        (0x21..0x7F).contains(&b)
            && !matches!(
                b,
                b'#' | b'/' | b':' | b'<' | b'>' | b'?' | b'@' | b'[' | b'\\' | b']' | b'^' | b'|'
            )
    };
    !host.is_empty() && host.bytes().all(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(
        scheme: &str,
        host: &str,
        name: Option<&'static str>,
    ) -> Option<PlainAuthority<'static>> {
        Some(PlainAuthority {
            scheme: scheme.to_owned(),
            host: host.to_owned(),
            judged: name.map(|name| HostClass::Name(Cow::Borrowed(name))),
        })
    }

    fn ip(scheme: &str, address: [u8; 4]) -> Option<PlainAuthority<'static>> {
        let address = Ipv4Addr::from(address);
        Some(PlainAuthority {
            scheme: scheme.to_owned(),
            host: address.to_string(),
            judged: Some(HostClass::Ip(IpAddr::V4(address))),
        })
    }

    #[test]
    fn plain_hosts_of_every_scheme_are_read() {
        for (part, read_as) in [
            (
                "https://Example.COM/",
                plain("https", "example.com", Some("Example.COM")),
            ),
            ("HTTP://a_b.c:8080?", plain("http", "a_b.c", Some("a_b.c"))),
            ("wss://u@a.b.:443#", plain("wss", "a.b.", Some("a.b"))),
            ("ftp:\\\\a.b..\\", plain("ftp", "a.b..", Some("a.b"))),
            ("https://a.b:/", plain("https", "a.b", Some("a.b"))),
            ("S3://u@Bucket:9/", plain("s3", "Bucket", None)),
            ("s3://a%zz!/", plain("s3", "a%zz!", None)),
            ("file://Host/", plain("file", "host", None)),
            ("https://0x1g/", plain("https", "0x1g", Some("0x1g"))),
            (
                "http://xn--bcher-kva.xn--wgv71a.Example./",
                plain(
                    "http",
                    "xn--bcher-kva.xn--wgv71a.example.",
                    Some("xn--bcher-kva.xn--wgv71a.Example"),
                ),
            ),
            (
                "https://XN--bcher-KVA.example/",
                plain(
                    "https",
                    "xn--bcher-kva.example",
                    Some("XN--bcher-KVA.example"),
                ),
            ),
            (
                "https://xn--BCHER-KVA.xn--egbpdaj6bu4bxfgehfvwxn.example/",
                plain(
                    "https",
                    "xn--bcher-kva.xn--egbpdaj6bu4bxfgehfvwxn.example",
                    Some("xn--BCHER-KVA.xn--egbpdaj6bu4bxfgehfvwxn.example"),
                ),
            ),
            (
                "https://xn--zca.xn--3xa/",
                plain("https", "xn--zca.xn--3xa", Some("xn--zca.xn--3xa")),
            ),
            (
                "https://xn--11b2ezcw70k.in/",
                plain("https", "xn--11b2ezcw70k.in", Some("xn--11b2ezcw70k.in")),
            ),
            ("http://%41%5f.b%2E/", plain("http", "a_.b.", Some("A_.b"))),
            ("https://%38.8.8.%38/", ip("https", [8, 8, 8, 8])),
            ("https://8.8.8.8/", ip("https", [8, 8, 8, 8])),
            ("http://0x7F.1./", ip("http", [127, 0, 0, 1])),
            (
                "https://000000000000010.0X0.00.0xA/",
                ip("https", [8, 0, 0, 10]),
            ),
            ("https://134744072/", ip("https", [8, 8, 8, 8])),
            ("https://8.526344/", ip("https", [8, 8, 8, 8])),
            ("https://0/", ip("https", [0, 0, 0, 0])),
            ("https://0x/", ip("https", [0, 0, 0, 0])),
            ("https://4294967295/", ip("https", [255, 255, 255, 255])),
        ] {
            assert_eq!(read(part), read_as, "{part}");
        }
    }

    #[test]
    fn other_hosts_are_left_to_the_parser() {
        for part in [
            "https://a.0x1f./",
            "https://1.2.3.4../",
            "https://1.2.3.4.5/",
            "https://256.1.1.1/",
            "https://1.16777216/",
            "https://4294967296/",
            "https://08/",
            "https://a.1/",
            "https://1..1/",
            "file://1.2.3.4:80/",
            "https://[::1]/",
            "https://a..b/",
            "https://./",
            "https://xn--bcher-kva-.example/",
            "https://xn--.example/",
            "https://xn--zz.example/",
            // Right to left but for a label that fails the bidi rule, not NFC, a mark first, a
            // capital, a no-break space, a joiner after no virama: the parser decides.
            "https://xn--egbpdaj6bu4bxfgehfvwxn.1a.example/",
            "https://xn--ex-8tb.example/",
            "https://xn--a-wbb.example/",
            "https://xn--b-jfa.example/",
            "https://xn--exa.example/",
            "https://xn--ab-1ca.example/",
            "https://xn--abc-fn0a.example/",
            "https://a%2F/",
            "https://a%zz/",
            "https://%C3%A9/",
            "https://%25/",
            "https://é.com/",
            "https://a.b:65536/",
            "https://a.b:44a/",
            "https://@/",
            "https://u@/",
            "s3://a b/",
            "s3:///",
            "s3://a[b/",
            "file:///",
            "file://localhost/",
            "file://a.b./",
            "file://u@a/",
            "file:/a/",
            "no-colon",
        ] {
            assert_eq!(read(part), None, "{part}");
        }
    }
}
