//! Approved model sources: URL patterns (`huggingface.co/*`, `*.hf.co/*`,
//! `civitai.com/api/download/*`) matched against parsed URLs, never their text.

use std::fmt;
use std::str::FromStr;

use url::{Host, Url};

use crate::hosts::{self, HostClass};

/// A pattern of URLs: a host, then optionally a path.
///
/// * The host is a name or an IP literal, normalised as the WHATWG host parser does
///   (lower case, punycode, IPv4 in any spelling, `[IPv6]`), without trailing dots. `*.hf.co`
///   matches every name that ends with `.hf.co`, not `hf.co` itself; `*` is allowed only so,
///   as the whole first label.
/// * No path matches every path; a path ending in `*` matches every path that starts with what
///   precedes the `*`; any other path matches only itself. Paths are compared as the WHATWG
///   parser serialises them (dot segments resolved, percent-encoding as it leaves it).
/// * Ports, query and fragment are never compared: a port in a pattern is accepted and
///   dropped; a query or fragment is an error. An `https://` in front is accepted and dropped;
///   any other scheme is an error.
///
/// ```
/// use cmfy_validate::UrlPattern;
/// use url::Url;
///
/// let pattern: UrlPattern = "*.HF.co/api/*".parse()?;
/// assert_eq!(pattern.to_string(), "*.hf.co/api/*");
/// assert!(pattern.matches(&Url::parse("https://cdn-lfs.hf.co/api/models/x")?));
/// assert!(pattern.matches(&Url::parse("https://CDN.hf.co./api/../api/x")?));
/// assert!(!pattern.matches(&Url::parse("https://hf.co/api/x")?));
/// assert!(!pattern.matches(&Url::parse("https://cdn.hf.co/apix")?));
/// assert!("hf.co?x=1".parse::<UrlPattern>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UrlPattern {
    host: HostPattern,
    path: PathPattern,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum HostPattern {
    /// Exactly this host (a name without trailing dots, or an IP address).
    Exact(HostKey),
    /// Any name ending in `.` and this suffix.
    Under(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum HostKey {
    Name(String),
    Ip(std::net::IpAddr),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum PathPattern {
    Any,
    Exact(String),
    Prefix(String),
}

/// Why a URL pattern could not be read.
///
/// ```
/// let error = "a.*.example".parse::<cmfy_validate::UrlPattern>().unwrap_err();
/// assert_eq!(error.to_string(), "invalid URL pattern 'a.*.example': '*' may only stand as the first label, as in '*.example.com'");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid URL pattern '{pattern}': {reason}")]
pub struct UrlPatternError {
    pattern: String,
    reason: &'static str,
}

impl UrlPatternError {
    fn new(pattern: &str, reason: &'static str) -> Self {
        UrlPatternError {
            pattern: crate::error::clip(pattern),
            reason,
        }
    }
}

/// A host reduced as the privacy rules reduce it: trailing dots stripped, read again.
fn host_key(host: &Host<&str>) -> Option<HostKey> {
    match hosts::classify(host).ok()? {
        HostClass::Ip(ip) => Some(HostKey::Ip(ip)),
        HostClass::Name(name) => Some(HostKey::Name(name.into_owned())),
    }
}

/// [`host_key`] of a pattern's host: also refuses a `*` that percent-decoding brought in
/// (`%2A`), which would make the normal form a different pattern.
fn pattern_host_key(host: &Host<String>) -> Option<HostKey> {
    match host_key(&borrow(host))? {
        HostKey::Name(name) if name.contains('*') => None,
        key => Some(key),
    }
}

impl FromStr for UrlPattern {
    type Err = UrlPatternError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = |reason| UrlPatternError::new(text, reason);
        let trimmed = text.trim();
        let rest = match trimmed.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => rest,
            Some((scheme, _)) if !scheme.contains('/') => {
                return Err(error(
                    "only https URLs can match, so a pattern has no other scheme",
                ));
            }
            _ => trimmed,
        };
        if rest.contains(['?', '#']) {
            return Err(error(
                "a pattern has no query or fragment: they are never compared",
            ));
        }
        let (authority, path) = match rest.find('/') {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err(error("a pattern has no user name or password"));
        }
        // A port is never compared: drop it (outside the brackets of an IPv6 literal).
        let host = match authority.rfind(':') {
            Some(at) => {
                let port = authority.get(at + 1..).unwrap_or_default();
                let is_port = !port.contains(']') && port.bytes().all(|b| b.is_ascii_digit());
                if is_port {
                    authority.get(..at).unwrap_or_default()
                } else {
                    authority
                }
            }
            None => authority,
        };
        if host.is_empty() {
            return Err(error("a pattern needs a host"));
        }
        let host = match host.strip_prefix("*.") {
            Some(suffix) => {
                if suffix.contains('*') {
                    return Err(error(
                        "'*' may only stand as the first label, as in '*.example.com'",
                    ));
                }
                let parsed =
                    Host::parse(suffix).map_err(|_| error("the host is not a valid host name"))?;
                match pattern_host_key(&parsed) {
                    Some(HostKey::Name(name)) => HostPattern::Under(name),
                    Some(HostKey::Ip(_)) => {
                        return Err(error("'*.' goes before a name, not an IP address"));
                    }
                    None => return Err(error("the host is not a valid host name")),
                }
            }
            None => {
                if host.contains('*') {
                    return Err(error(
                        "'*' may only stand as the first label, as in '*.example.com'",
                    ));
                }
                let parsed = Host::parse(host)
                    .map_err(|_| error("the host is not a valid host name or IP address"))?;
                match pattern_host_key(&parsed) {
                    Some(key) => HostPattern::Exact(key),
                    None => return Err(error("the host is not a valid host name or IP address")),
                }
            }
        };
        let path = if path.is_empty() {
            PathPattern::Any
        } else if let Some(prefix) = path.strip_suffix('*') {
            if prefix.contains('*') {
                return Err(error("'*' may only end a path"));
            }
            PathPattern::Prefix(
                serialised_path(prefix, true)
                    .ok_or_else(|| error("the path is not a valid URL path"))?,
            )
        } else {
            if path.contains('*') {
                return Err(error("'*' may only end a path"));
            }
            PathPattern::Exact(
                serialised_path(path, false)
                    .ok_or_else(|| error("the path is not a valid URL path"))?,
            )
        };
        Ok(UrlPattern { host, path })
    }
}

/// `Host<String>` as `Host<&str>`.
fn borrow(host: &Host<String>) -> Host<&str> {
    match host {
        Host::Domain(name) => Host::Domain(name.as_str()),
        Host::Ipv4(ip) => Host::Ipv4(*ip),
        Host::Ipv6(ip) => Host::Ipv6(*ip),
    }
}

/// A path as the WHATWG parser serialises it (dot segments resolved, percent-encoding as it
/// leaves it). A prefix may not end in a dot segment (`.`, `..`, `%2e` and the like in any
/// case): the parser would resolve it, and the prefix would mean something else.
fn serialised_path(path: &str, prefix: bool) -> Option<String> {
    if prefix {
        let last = path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if matches!(
            last.as_str(),
            "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e."
        ) {
            return None;
        }
    }
    let url = Url::parse(&format!("https://pattern.invalid{path}")).ok()?;
    Some(url.path().to_owned())
}

impl UrlPattern {
    /// Whether `url` is one of the URLs this pattern stands for: its host (as parsed, trailing
    /// dots stripped) and its path (as serialised) fit; scheme, port, query and fragment are not
    /// looked at.
    #[must_use]
    pub fn matches(&self, url: &Url) -> bool {
        let Some(host) = url.host().as_ref().and_then(host_key) else {
            return false;
        };
        let host_fits = match (&self.host, &host) {
            (HostPattern::Exact(pattern), host) => pattern == host,
            (HostPattern::Under(suffix), HostKey::Name(name)) => name
                .strip_suffix(suffix.as_str())
                .is_some_and(|head| head.len() > 1 && head.ends_with('.')),
            (HostPattern::Under(_), HostKey::Ip(_)) => false,
        };
        host_fits
            && match &self.path {
                PathPattern::Any => true,
                PathPattern::Exact(path) => url.path() == path,
                PathPattern::Prefix(prefix) => url.path().starts_with(prefix.as_str()),
            }
    }

    /// How specific the pattern is, for [`UrlPatterns`]: the length of its host (a wildcard's
    /// without its `*.`, so an exact host beats every wildcard that matches it), then of its
    /// path, an exact path above a prefix of the same length.
    fn specificity(&self) -> (usize, usize, bool) {
        let host = match &self.host {
            HostPattern::Exact(HostKey::Name(name)) => name.len(),
            HostPattern::Exact(HostKey::Ip(ip)) => ip.to_string().len(),
            HostPattern::Under(suffix) => suffix.len(),
        };
        match &self.path {
            PathPattern::Any => (host, 0, false),
            PathPattern::Exact(path) => (host, path.len(), true),
            PathPattern::Prefix(prefix) => (host, prefix.len(), false),
        }
    }
}

impl fmt::Display for UrlPattern {
    /// The normalised pattern, which parses back to the same pattern.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.host {
            HostPattern::Exact(HostKey::Name(name)) => f.write_str(name)?,
            HostPattern::Exact(HostKey::Ip(std::net::IpAddr::V4(ip))) => write!(f, "{ip}")?,
            HostPattern::Exact(HostKey::Ip(std::net::IpAddr::V6(ip))) => write!(f, "[{ip}]")?,
            HostPattern::Under(suffix) => write!(f, "*.{suffix}")?,
        }
        match &self.path {
            PathPattern::Any => Ok(()),
            PathPattern::Exact(path) => f.write_str(path),
            PathPattern::Prefix(prefix) => write!(f, "{prefix}*"),
        }
    }
}

/// Patterns with a value each, for attaching the right credentials to each download: for a
/// URL, the value of the most specific pattern that matches it.
///
/// The most specific is the one with the longest host, a wildcard's counted without its `*.`
/// (so `x.cdn.hf.co` over `*.cdn.hf.co` over `*.hf.co`), then the longest path (`hf.co/org/*`
/// over `hf.co/*` over `hf.co`), an exact path over a prefix of the same length; among equals,
/// the one added first.
///
/// ```
/// use cmfy_validate::UrlPatterns;
/// use url::Url;
///
/// let mut tokens = UrlPatterns::new();
/// tokens.insert("huggingface.co/*".parse()?, "hf_default");
/// tokens.insert("*.hf.co/*".parse()?, "hf_default");
/// tokens.insert("huggingface.co/my-org/*".parse()?, "hf_org");
/// let url = |u: &str| Url::parse(u).expect("a URL");
/// assert_eq!(tokens.get(&url("https://huggingface.co/my-org/m/resolve/main/a.safetensors")), Some(&"hf_org"));
/// assert_eq!(tokens.get(&url("https://huggingface.co/other/m")), Some(&"hf_default"));
/// assert_eq!(tokens.get(&url("https://cdn-lfs.hf.co/x")), Some(&"hf_default"));
/// assert_eq!(tokens.get(&url("https://civitai.com/api/download/1")), None);
/// # Ok::<(), cmfy_validate::UrlPatternError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlPatterns<T> {
    entries: Vec<(UrlPattern, T)>,
}

impl<T> UrlPatterns<T> {
    /// No patterns.
    #[must_use]
    pub fn new() -> Self {
        UrlPatterns {
            entries: Vec::new(),
        }
    }

    /// Adds `pattern` with its value.
    pub fn insert(&mut self, pattern: UrlPattern, value: T) {
        self.entries.push((pattern, value));
    }

    /// The value of the most specific pattern matching `url`.
    #[must_use]
    pub fn get(&self, url: &Url) -> Option<&T> {
        let mut best: Option<&(UrlPattern, T)> = None;
        for entry in &self.entries {
            if entry.0.matches(url)
                && best.is_none_or(|(b, _)| entry.0.specificity() > b.specificity())
            {
                best = Some(entry);
            }
        }
        best.map(|(_, value)| value)
    }

    /// How many patterns.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The patterns and their values, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = (&UrlPattern, &T)> {
        self.entries.iter().map(|(p, v)| (p, v))
    }
}

impl<T> FromIterator<(UrlPattern, T)> for UrlPatterns<T> {
    fn from_iter<I: IntoIterator<Item = (UrlPattern, T)>>(iter: I) -> Self {
        UrlPatterns {
            entries: iter.into_iter().collect(),
        }
    }
}
