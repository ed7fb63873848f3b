//! URLs of any scheme whose host is a plain ASCII name, judged without the URL parser.
//!
//! The fast path of `https://name/...` leaves out URLs with another scheme, a user name, a port
//! or a trailing dot. The parser reads their hosts at 120 to 170 instructions a byte, and a
//! host may be a kilobyte long: a body of such URLs cost `validate` 19 to 43 times a `Value`
//! parse. Here the part of the URL its verdict depends on (see [`super::authority`]) is read
//! instead, when its host is a name the parser could only lower-case (or, for a scheme that is
//! not special, keep as it is); anything else is still the parser's to judge.

use super::authority::Kind;
use super::written_host::{MAX_HOST_BYTES, MAX_LABEL_BYTES};
use super::{is_domain_byte, is_number, plain_label};

/// What the parser would make of a URL with a plain host.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PlainAuthority<'t> {
    /// The scheme, lower-cased.
    pub(crate) scheme: String,
    /// The host as the parser serialises it.
    pub(crate) host: String,
    /// For a special scheme, the name the host rules judge: the host as written, without its
    /// trailing dots (which the rules strip).
    pub(crate) name: Option<&'t str>,
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
        Kind::Special | Kind::Other => match authority.rsplit_once('@') {
            Some((_, host_port)) => host_port,
            None => authority,
        },
    };
    let (host, port) = match host_port.split_once(':') {
        Some((host, port)) if !matches!(kind, Kind::File) => (host, Some(port)),
        Some(_) => return None,
        None => (host_port, None),
    };
    if !port.is_none_or(valid_port) {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    match kind {
        Kind::Special => {
            let name = plain_name(host)?;
            Some(PlainAuthority {
                scheme,
                host: host.to_ascii_lowercase(),
                name: Some(name),
            })
        }
        Kind::File => {
            // `localhost` becomes no host at all; a trailing dot is left to the parser.
            let host = host.to_ascii_lowercase();
            (plain_name(&host)? == host && host != "localhost").then_some(PlainAuthority {
                scheme,
                host,
                name: None,
            })
        }
        Kind::Other => opaque_host(host).then(|| PlainAuthority {
            scheme,
            host: host.to_owned(),
            name: None,
        }),
    }
}

/// Whether the parser takes `port`: empty, or decimal digits up to 65535.
fn valid_port(port: &str) -> bool {
    port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u32>().map_or(port.is_empty(), |n| n <= 65_535)
}

/// `host` without its trailing dots, if it is a name the parser only lower-cases: labels of
/// the bytes of [`is_domain_byte`], none empty or punycode, and a last one that is no number
/// (which would make the host an IPv4 address); and within the contract's bounds, which the
/// parser's way holds otherwise. One pass over the bytes.
fn plain_name(host: &str) -> Option<&str> {
    if host.len() > MAX_HOST_BYTES {
        return None;
    }
    let name = host.trim_end_matches('.');
    let bytes = name.as_bytes();
    let mut start = 0;
    loop {
        let rest = bytes.get(start..)?;
        let len = rest
            .iter()
            .position(|&b| !is_domain_byte(b))
            .unwrap_or(rest.len());
        let label = rest.get(..len)?;
        if !plain_label(label) || len > MAX_LABEL_BYTES {
            return None;
        }
        match rest.get(len) {
            None => return (!is_number(label)).then_some(name),
            Some(b'.') => start += len + 1,
            Some(_) => return None,
        }
    }
}

/// Whether a host of a scheme that is not special is one the parser keeps as it is: printable
/// ASCII but for the characters it refuses in a host; and within the contract's bounds.
fn opaque_host(host: &str) -> bool {
    let kept = |b: u8| {
        (0x21..0x7F).contains(&b)
            && !matches!(
                b,
                b'#' | b'/' | b':' | b'<' | b'>' | b'?' | b'@' | b'[' | b'\\' | b']' | b'^' | b'|'
            )
    };
    !host.is_empty()
        && host.len() <= MAX_HOST_BYTES
        && host.bytes().all(kept)
        && host.split('.').all(|label| label.len() <= MAX_LABEL_BYTES)
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
            name,
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
        ] {
            assert_eq!(read(part), read_as, "{part}");
        }
    }

    #[test]
    fn other_hosts_are_left_to_the_parser() {
        for part in [
            "https://1.2.3.4/",
            "https://a.0x1f./",
            "https://[::1]/",
            "https://a..b/",
            "https://./",
            "https://xn--p1ai/",
            "https://a%41/",
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
            // Past the contract's bounds: refused by the parser's way.
            &format!("https://{}.com/", "a".repeat(257)),
            &format!("https://{}com/", "a.".repeat(512)),
            &format!("s3://{}/", "a".repeat(257)),
        ] {
            assert_eq!(read(part), None, "{part}");
        }
    }
}
