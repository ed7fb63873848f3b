//! The fast path for plain `https://name/...` workflow URLs, international names included (their
//! UTS #46 mapping and punycode done by the crate itself), decides exactly as the full WHATWG
//! parser: whenever it claims a string, the parser accepts it as https with the same host. The
//! host it judges by when it does not encode international labels is that host with each of
//! them cut to `xn--`, and it claims the same strings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    // Also try the string behind the prefix the fast path looks for, so the host part is reached.
    for candidate in [text.to_owned(), format!("https://{text}")] {
        let host = cmfy_validate::__fast_path_host(&candidate);
        let cut = cmfy_validate::__fast_path_host_cut(&candidate);
        assert_eq!(cut.map(|cut| cut.into_owned()), host.as_deref().map(cut_labels), "{candidate:?}");
        let Some(host) = host else { continue };
        let url = url::Url::parse(&candidate).unwrap_or_else(|e| panic!("fast path took {candidate:?}, parser says {e}"));
        assert_eq!(url.scheme(), "https");
        assert_eq!(url.host(), Some(url::Host::Domain(host.to_ascii_lowercase().as_str())), "{candidate:?}");
    }
});

/// `host` with every label that starts with `xn--` cut to those four characters.
fn cut_labels(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').map(|label| if label.starts_with("xn--") { "xn--" } else { label }).collect();
    labels.join(".")
}
