//! Host names that are private by their text alone.

/// Names that never resolve to the public internet, with the reason each is on the list. A name
/// is private if it equals one of these or ends in `.` followed by one.
const PRIVATE_SUFFIXES: &[(&str, &str)] = &[
    ("localhost", "loopback name, RFC 6761 §6.3"),
    ("local", "multicast DNS, RFC 6762"),
    ("internal", "private-use TLD reserved by ICANN (2024)"),
    ("home.arpa", "residential networks, RFC 8375"),
    ("localdomain", "the default local domain of many resolvers"),
    ("corp", "never delegated: ICANN name-collision list"),
    ("home", "never delegated: ICANN name-collision list"),
];

/// Whether `suffix` is `name` or a parent domain of it, ASCII case-insensitively.
pub(crate) fn has_suffix(name: &str, suffix: &str) -> bool {
    let Some(cut) = name.len().checked_sub(suffix.len()) else {
        return false;
    };
    let tail_matches = name
        .get(cut..)
        .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix));
    tail_matches && (cut == 0 || name.as_bytes().get(cut - 1) == Some(&b'.'))
}

/// Whether a host name (trailing dots already stripped) is private: a single label such as
/// `intranet` or `metadata`, or under one of the private suffixes.
pub(crate) fn is_private_name(name: &str) -> bool {
    !name.contains('.')
        || PRIVATE_SUFFIXES
            .iter()
            .any(|(suffix, _)| has_suffix(name, suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_names() {
        for name in [
            "localhost",
            "a.localhost",
            "printer.local",
            "db.internal",
            "home.arpa",
            "nas.home.arpa",
            "x.localdomain",
            "mail.corp",
            "router.home",
            "metadata",
            "intranet",
            "A.LOCALHOST",
        ] {
            assert!(is_private_name(name), "{name}");
        }
    }

    #[test]
    fn public_names() {
        for name in [
            "example.com",
            "localhost.example.com",
            "xlocal.com",
            "arpa.home.example",
            "homearpa.com",
            "home.arpa.example",
            "xn--bcher-kva.example",
            "127.0.0.1.nip.io",
        ] {
            assert!(!is_private_name(name), "{name}");
        }
        assert!(!has_suffix("xcorp", "corp"));
        assert!(has_suffix("a.corp", "corp"));
    }
}
