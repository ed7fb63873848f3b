//! Arbitrary URL patterns and URLs: no panic; a pattern that parses prints a normal form that
//! parses back to the same pattern; matching never panics and ignores what the contract says
//! it ignores (query and fragment).
#![no_main]

use cmfy_validate::{UrlPattern, UrlPatterns};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str)| {
    let (pattern, url) = input;
    let Ok(parsed) = pattern.parse::<UrlPattern>() else { return };
    let normal = parsed.to_string();
    let again: UrlPattern = normal.parse().unwrap_or_else(|e| panic!("{normal:?} from {pattern:?}: {e}"));
    assert_eq!(again, parsed, "{pattern:?} -> {normal:?}");
    let Ok(mut url) = url::Url::parse(url) else { return };
    let matched = parsed.matches(&url);
    url.set_query(Some("x=1"));
    url.set_fragment(Some("f"));
    assert_eq!(parsed.matches(&url), matched, "query and fragment are not compared");
    let patterns: UrlPatterns<()> = std::iter::once((parsed, ())).collect();
    assert_eq!(patterns.get(&url).is_some(), matched);
});
