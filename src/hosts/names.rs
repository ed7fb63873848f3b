//! Host names that are private by their text alone.

use crate::invariant::Invariant;

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
    let (name, suffix) = (name.as_bytes(), suffix.as_bytes());
    let Some((head, tail)) = name
        .len()
        .checked_sub(suffix.len())
        .and_then(|cut| name.split_at_checked(cut))
    else {
        return false;
    };
    tail.eq_ignore_ascii_case(suffix) && head.last().is_none_or(|&b| b == b'.')
}

/// One bit for each length of the last label of a private suffix (`localhost` 9, `arpa` 4...),
/// so that a name whose last label has none of these lengths (`com`, `co`, `io`) is settled
/// without comparing it with each suffix.
const LAST_LABEL_LENGTHS: u64 = {
    let mut lengths = 0u64;
    let mut i = 0;
    while i < PRIVATE_SUFFIXES.len() {
        let suffix = PRIVATE_SUFFIXES[i].0.as_bytes();
        let mut start = suffix.len();
        while start > 0 && suffix[start - 1] != b'.' {
            start -= 1;
        }
        lengths |= 1 << (suffix.len() - start);
        i += 1;
    }
    lengths
};

/// Whether a host name (trailing dots already stripped) is private: a single label such as
/// `intranet` or `metadata`, or under one of the private suffixes.
pub(crate) fn is_private_name(name: &str) -> bool {
    // This runs for every URL: the last few bytes one at a time (most last labels are short),
    // the rest by `memrchr` (a hostile one is a few hundred bytes long).
    let bytes = name.as_bytes();
    let tail = bytes.len().saturating_sub(16);
    let (head, end) = bytes
        .split_at_checked(tail)
        .holds("at most the name's length from its end");
    let dot = end.iter().rposition(|&b| b == b'.').map(|at| tail + at);
    let Some(dot) = dot.or_else(|| memchr::memrchr(b'.', head)) else {
        return true;
    };
    let last_label = name.len() - dot - 1;
    let may_match = last_label < 64 && LAST_LABEL_LENGTHS & (1 << last_label) != 0;
    may_match
        && PRIVATE_SUFFIXES
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
        assert_eq!(
            LAST_LABEL_LENGTHS,
            1 << 4 | 1 << 5 | 1 << 8 | 1 << 9 | 1 << 11
        );
        assert!(has_suffix("a.corp", "corp"));
    }

    #[test]
    fn a_last_label_too_long_for_the_length_filter_is_public() {
        // The last dot at the end of the bytes read one at a time, and past them.
        for length in [15, 16, 17, 63, 64, 65, 300] {
            let name = format!("printer.{}", "l".repeat(length));
            assert!(!is_private_name(&name), "{length}");
        }
        // A name of one label is private, however long; a private suffix after a long label.
        assert!(is_private_name(&"i".repeat(300)));
        assert!(is_private_name(&format!("{}.local", "p".repeat(300))));
    }
}
