//! Which hosts are private: the contract's IP and name rules, judged on parsed hosts only.
//!
//! The URL parser has already turned every spelling of an address (`2130706433`, `0x7f.1`,
//! `127.1`, fullwidth digits, percent-encoding) into a [`url::Host`]; these rules never look at
//! the text a user wrote.

mod names;
mod networks;

use std::borrow::Cow;
use std::net::IpAddr;

use url::Host;

pub(crate) use names::{has_suffix, is_private_name};

/// Whether an IP address is public: outside every private, reserved, documentation and
/// special-purpose block of the IANA registries, by the contract's rules.
///
/// IPv4-mapped (`::ffff:a.b.c.d`) and NAT64 (`64:ff9b::a.b.c.d`) addresses are judged by the IPv4
/// address they carry. Of IPv6, only global unicast (`2000::/3`) can be public, less
/// `2001::/23` (Teredo and other protocol assignments), `2001:db8::/32`, `2002::/16` (6to4) and
/// `3fff::/20`.
///
/// Validation can only judge the host written in a URL. A name such as `127.0.0.1.nip.io` passes
/// it and then resolves to loopback; a redirect can lead anywhere. A server that fetches a
/// workflow URL or calls a webhook must run this check again on every address it actually
/// connects to, for example in its HTTP client's resolver:
///
/// ```
/// use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
/// use cmfy_validate::is_public_ip;
///
/// /// What a custom DNS resolver of an HTTP client would do: resolve, then keep only the
/// /// addresses that are public, and refuse the name if none is left.
/// fn resolve_public(host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
///     let addrs: Vec<SocketAddr> =
///         (host, port).to_socket_addrs()?.filter(|addr| is_public_ip(addr.ip())).collect();
///     if addrs.is_empty() {
///         return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "private address"));
///     }
///     Ok(addrs)
/// }
///
/// assert!(resolve_public("127.0.0.1", 443).is_err());
/// assert!(!is_public_ip("169.254.169.254".parse::<IpAddr>()?));
/// assert!(!is_public_ip("::ffff:10.0.0.1".parse::<IpAddr>()?));
/// assert!(is_public_ip("2606:4700::1111".parse::<IpAddr>()?));
/// # Ok::<(), std::net::AddrParseError>(())
/// ```
#[must_use]
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => !networks::is_private_ipv4(v4),
        IpAddr::V6(v6) => match networks::embedded_ipv4(v6) {
            Some(v4) => !networks::is_private_ipv4(v4),
            None => networks::is_public_ipv6(v6),
        },
    }
}

/// Whether a parsed URL host is public by the contract's rules: IP addresses by
/// [`is_public_ip`]; names after stripping trailing dots (and reading what is left again as an
/// IP address if it is one), private if they are `localhost`, end in `.localhost`, `.local`,
/// `.internal`, `.home.arpa`, `.localdomain`, `.corp` or `.home`, or have a single label.
///
/// A name is judged only by its text: run [`is_public_ip`] on the addresses it resolves to.
///
/// ```
/// use cmfy_validate::is_public_host;
/// use url::Url;
///
/// for private in ["https://0x7f.1/", "https://[::ffff:127.0.0.1]/", "https://LOCALHOST./", "https://metadata/"] {
///     let url = Url::parse(private)?;
///     assert!(url.host().is_some_and(|host| !is_public_host(&host)), "{private}");
/// }
/// let url = Url::parse("https://huggingface.co/")?;
/// assert!(url.host().is_some_and(|host| is_public_host(&host)));
/// # Ok::<(), url::ParseError>(())
/// ```
#[must_use]
pub fn is_public_host(host: &Host<&str>) -> bool {
    match classify(host) {
        Ok(HostClass::Ip(ip)) => is_public_ip(ip),
        Ok(HostClass::Name(name)) => !is_private_name(&name),
        Err(_) => false,
    }
}

/// A host reduced to what the privacy rules judge.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum HostClass<'h> {
    Ip(IpAddr),
    Name(Cow<'h, str>),
}

/// Why a host that the URL parser accepted is still not a usable host.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum HostError {
    /// The name was only dots.
    OnlyDots,
    /// Without its trailing dots, the name is not a valid host.
    Reparse(url::ParseError),
}

impl HostError {
    pub(crate) fn reason(&self) -> String {
        match self {
            HostError::OnlyDots => "host is empty once its trailing dots are removed".to_owned(),
            HostError::Reparse(error) => {
                format!("host without its trailing dots is invalid: {error}")
            }
        }
    }
}

/// Strips trailing dots from names and reads again what is left, as the contract says, so that
/// `127.0.0.1..` is judged as the address it is.
pub(crate) fn classify<'h>(host: &Host<&'h str>) -> Result<HostClass<'h>, HostError> {
    match *host {
        Host::Ipv4(v4) => Ok(HostClass::Ip(IpAddr::V4(v4))),
        Host::Ipv6(v6) => Ok(HostClass::Ip(IpAddr::V6(v6))),
        Host::Domain(name) => {
            let trimmed = name.trim_end_matches('.');
            if trimmed.is_empty() {
                return Err(HostError::OnlyDots);
            }
            if trimmed.len() == name.len() {
                return Ok(HostClass::Name(Cow::Borrowed(name)));
            }
            match Host::parse(trimmed).map_err(HostError::Reparse)? {
                Host::Ipv4(v4) => Ok(HostClass::Ip(IpAddr::V4(v4))),
                Host::Ipv6(v6) => Ok(HostClass::Ip(IpAddr::V6(v6))),
                Host::Domain(name) => Ok(HostClass::Name(Cow::Owned(name))),
            }
        }
    }
}

/// The IPv4 address an IPv6 address stands for, if any (IPv4-mapped or NAT64).
pub(crate) fn effective_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => networks::embedded_ipv4(v6).map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn strips_trailing_dots_and_rereads() {
        let host = Host::Domain("127.0.0.1..");
        assert_eq!(
            classify(&host),
            Ok(HostClass::Ip(IpAddr::V4(Ipv4Addr::LOCALHOST)))
        );
        assert_eq!(classify(&Host::Domain("...")), Err(HostError::OnlyDots));
        assert_eq!(
            classify(&Host::Domain("a.b")),
            Ok(HostClass::Name(Cow::Borrowed("a.b")))
        );
        assert_eq!(
            classify(&Host::Domain("Example.COM.")),
            Ok(HostClass::Name(Cow::Owned("example.com".into())))
        );
        assert!(matches!(
            classify(&Host::Domain("a b.")),
            Err(HostError::Reparse(_))
        ));
    }

    #[test]
    fn judges_hosts() {
        assert!(!is_public_host(&Host::Domain("intranet")));
        assert!(!is_public_host(&Host::Domain("printer.local.")));
        assert!(!is_public_host(&Host::Domain(".")));
        assert!(is_public_host(&Host::Domain("example.com.")));
        assert!(!is_public_host(&Host::Ipv4(Ipv4Addr::new(10, 1, 2, 3))));
    }
}
