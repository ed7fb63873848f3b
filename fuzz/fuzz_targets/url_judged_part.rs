//! The URL parser judges the part of a URL-like string that `validate` hands it (the scheme and
//! the authority, the user information cut to one letter, a long port's leading zeros dropped)
//! exactly as it judges the whole string: the same error, or the same scheme and host. And a
//! plain authority, read without the parser, is read as the parser reads the whole string.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    // Also behind the prefixes of each kind of authority, so that the authority is reached.
    for prefix in ["", "https://", "HTTP:", "s3://", "file://", "ws:\\\\", "https://u:p@"] {
        let candidate = format!("{prefix}{text}");
        let part = cmfy_validate::__judged_part(&candidate);
        let whole = url::Url::parse(&candidate);
        match (&whole, url::Url::parse(&part)) {
            (Ok(whole), Ok(cut)) => {
                assert_eq!(whole.scheme(), cut.scheme(), "{candidate:?} / {part:?}");
                assert_eq!(whole.host(), cut.host(), "{candidate:?} / {part:?}");
            }
            (Err(whole), Err(cut)) => assert_eq!(*whole, cut, "{candidate:?} / {part:?}"),
            (whole, cut) => panic!("{candidate:?}: {whole:?}, but {part:?}: {cut:?}"),
        }
        let Some((scheme, host, name)) = cmfy_validate::__plain_authority(&candidate) else {
            continue;
        };
        let whole = whole.unwrap_or_else(|e| panic!("read {candidate:?} as plain, parser says {e}"));
        assert_eq!(whole.scheme(), scheme, "{candidate:?}");
        assert_eq!(whole.host_str(), Some(host.as_str()), "{candidate:?}");
        if let Some(name) = name {
            // The host rules strip the trailing dots and parse the name again.
            let again = url::Host::parse(&name).map(|host| host.to_string());
            assert_eq!(again, Ok(name.to_ascii_lowercase()), "{candidate:?}");
            assert_eq!(name.to_ascii_lowercase(), host.trim_end_matches('.'), "{candidate:?}");
        }
    }
});
