//! The fast path for plain `https://name/...` workflow URLs, international names included (their
//! UTS #46 mapping and punycode done by the crate itself), decides exactly as the full WHATWG
//! parser: whenever it claims a string, the parser accepts it as https with the same host.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    // Also try the string behind the prefix the fast path looks for, so the host part is reached.
    for candidate in [text.to_owned(), format!("https://{text}")] {
        let Some(host) = cmfy_validate::__fast_path_host(&candidate) else { continue };
        let url = url::Url::parse(&candidate).unwrap_or_else(|e| panic!("fast path took {candidate:?}, parser says {e}"));
        assert_eq!(url.scheme(), "https");
        assert_eq!(url.host(), Some(url::Host::Domain(host.to_ascii_lowercase().as_str())), "{candidate:?}");
    }
});
