//! The `Authorization: Bearer <key>` header, checked without any lookup.

use std::fmt;

use crate::error::ErrorCode;

/// Length of the random part of a key: 43 base64url characters carry 256 bits.
const SECRET_LEN: usize = 43;
const LIVE_PREFIX: &str = "sk_live_";
const TEST_PREFIX: &str = "sk_test_";

/// Whether a key acts on real jobs or on the test environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyMode {
    /// `sk_live_…`: real jobs, billed.
    Live,
    /// `sk_test_…`: the test environment.
    Test,
}

/// An API key that has the form of a key of this API. Whether it exists or is revoked is for the
/// server's key store to say.
///
/// `Debug` and `Display` show only the prefix; the secret is reached only through
/// [`ApiKey::expose_secret`], so a key does not end up in logs by accident.
///
/// ```
/// let key = format!("sk_live_{}", "a".repeat(43));
/// let header = format!("Bearer {key}");
/// let api_key = cmfy_validate::auth::check_authorization(Some(header.as_bytes()))?;
/// assert_eq!(api_key.mode(), cmfy_validate::auth::KeyMode::Live);
/// assert_eq!(api_key.to_string(), "sk_live_********");
/// assert_eq!(format!("{api_key:?}"), "ApiKey(sk_live_********)");
/// assert_eq!(api_key.expose_secret(), key);
/// # Ok::<(), cmfy_validate::ErrorCode>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApiKey<'a> {
    key: &'a str,
    mode: KeyMode,
}

impl<'a> ApiKey<'a> {
    /// Live or test.
    #[must_use]
    pub fn mode(&self) -> KeyMode {
        self.mode
    }

    /// The whole key, for looking it up in the key store (compare hashes, in constant time).
    #[must_use]
    pub fn expose_secret(&self) -> &'a str {
        self.key
    }

    fn prefix(&self) -> &'static str {
        match self.mode {
            KeyMode::Live => LIVE_PREFIX,
            KeyMode::Test => TEST_PREFIX,
        }
    }
}

impl fmt::Display for ApiKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}********", self.prefix())
    }
}

impl fmt::Debug for ApiKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({self})")
    }
}

/// Checks an `Authorization` header value (pass `None` when the request has none).
///
/// * no header, or one that is empty or only white space: `missing_auth`;
/// * anything but the `Bearer` scheme (case-insensitive, RFC 7235) followed by white space and
///   exactly one token68 (RFC 7235 §2.1): `invalid_auth_format`. That covers a bare key,
///   `Basic …`, `Bearer` alone, two tokens, and any byte that is not visible ASCII;
/// * a token that cannot be a key of this API: `invalid_api_key`. A key is `sk_live_` or
///   `sk_test_` and then 43 characters of the base64url alphabet (`A`–`Z`, `a`–`z`, `0`–`9`,
///   `-`, `_`), 51 characters in all.
///
/// # Errors
///
/// One of the three 401 codes above. `revoked_api_key`, and `invalid_api_key` for a key that is
/// well-formed but unknown, come from the server's key store.
///
/// ```
/// use cmfy_validate::{ErrorCode, auth::check_authorization};
///
/// assert_eq!(check_authorization(None), Err(ErrorCode::MissingAuth));
/// assert_eq!(check_authorization(Some(b"Basic dXNlcjpwYXNz")), Err(ErrorCode::InvalidAuthFormat));
/// assert_eq!(check_authorization(Some(b"Bearer sk_live_short")), Err(ErrorCode::InvalidApiKey));
/// let header = format!("bearer sk_test_{}", "Z".repeat(43));
/// assert!(check_authorization(Some(header.as_bytes())).is_ok());
/// ```
pub fn check_authorization(header: Option<&[u8]>) -> Result<ApiKey<'_>, ErrorCode> {
    let value = header.ok_or(ErrorCode::MissingAuth)?.trim_ascii();
    if value.is_empty() {
        return Err(ErrorCode::MissingAuth);
    }
    // Only visible ASCII and the white space that separates scheme and token.
    if !value
        .iter()
        .all(|&b| b.is_ascii_graphic() || b == b' ' || b == b'\t')
    {
        return Err(ErrorCode::InvalidAuthFormat);
    }
    let value = std::str::from_utf8(value).map_err(|_| ErrorCode::InvalidAuthFormat)?;
    let mut words = value.split([' ', '\t']).filter(|word| !word.is_empty());
    let (Some(scheme), Some(token), None) = (words.next(), words.next(), words.next()) else {
        return Err(ErrorCode::InvalidAuthFormat);
    };
    if !scheme.eq_ignore_ascii_case("bearer") || !is_token68(token) {
        return Err(ErrorCode::InvalidAuthFormat);
    }
    parse_key(token).ok_or(ErrorCode::InvalidApiKey)
}

/// RFC 7235 token68: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
fn is_token68(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

fn parse_key(token: &str) -> Option<ApiKey<'_>> {
    let (mode, secret) = if let Some(secret) = token.strip_prefix(LIVE_PREFIX) {
        (KeyMode::Live, secret)
    } else {
        (KeyMode::Test, token.strip_prefix(TEST_PREFIX)?)
    };
    let base64url = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    (secret.len() == SECRET_LEN && secret.bytes().all(base64url))
        .then_some(ApiKey { key: token, mode })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(header: &str) -> Result<KeyMode, ErrorCode> {
        check_authorization(Some(header.as_bytes())).map(|key| key.mode())
    }

    #[test]
    fn every_row() {
        let live = format!("sk_live_{}", "aZ09-_".repeat(7) + "x");
        let test = format!("sk_test_{}", "Q".repeat(43));
        let rows: Vec<(String, Result<KeyMode, ErrorCode>)> = vec![
            (String::new(), Err(ErrorCode::MissingAuth)),
            ("  \t ".into(), Err(ErrorCode::MissingAuth)),
            (format!("Bearer {live}"), Ok(KeyMode::Live)),
            (format!("BEARER {test}"), Ok(KeyMode::Test)),
            (format!("  bEaReR \t {live}  "), Ok(KeyMode::Live)),
            (live.clone(), Err(ErrorCode::InvalidAuthFormat)),
            (format!("Basic {live}"), Err(ErrorCode::InvalidAuthFormat)),
            ("Bearer".into(), Err(ErrorCode::InvalidAuthFormat)),
            ("Bearer ".into(), Err(ErrorCode::InvalidAuthFormat)),
            (
                format!("Bearer {live} {live}"),
                Err(ErrorCode::InvalidAuthFormat),
            ),
            (
                format!("Bearer {live}\u{1}"),
                Err(ErrorCode::InvalidAuthFormat),
            ),
            (format!("Bearer {live}é"), Err(ErrorCode::InvalidAuthFormat)),
            (
                format!("Bearer\u{b}{live}"),
                Err(ErrorCode::InvalidAuthFormat),
            ),
            (
                format!("Bearer {live},x"),
                Err(ErrorCode::InvalidAuthFormat),
            ),
            (
                format!("Bearer {}", &live[..50]),
                Err(ErrorCode::InvalidApiKey),
            ),
            (format!("Bearer {live}A"), Err(ErrorCode::InvalidApiKey)),
            (
                format!("Bearer sk_prod_{}", "a".repeat(43)),
                Err(ErrorCode::InvalidApiKey),
            ),
            (
                format!("Bearer sk_live_{}", "a".repeat(42) + "+"),
                Err(ErrorCode::InvalidApiKey),
            ),
            (
                format!("Bearer sk_live_{}", "a".repeat(42) + "="),
                Err(ErrorCode::InvalidApiKey),
            ),
            ("Bearer abc".into(), Err(ErrorCode::InvalidApiKey)),
        ];
        for (header, expected) in rows {
            assert_eq!(check(&header), expected, "{header:?}");
        }
        assert_eq!(
            check_authorization(None).map(|k| k.mode()),
            Err(ErrorCode::MissingAuth)
        );
        assert_eq!(
            check_authorization(Some(b"Bearer \xff")).map(|k| k.mode()),
            Err(ErrorCode::InvalidAuthFormat)
        );
    }

    #[test]
    fn never_prints_the_secret() {
        let header = format!("Bearer sk_live_{}", "s".repeat(43));
        let key = check_authorization(Some(header.as_bytes())).unwrap();
        assert!(!format!("{key} {key:?}").contains("sss"));
    }
}
