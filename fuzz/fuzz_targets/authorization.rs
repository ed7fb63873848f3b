//! Arbitrary `Authorization` header bytes: no panic; an accepted key is exactly the token of the
//! header, with its prefix and 43 base64url characters.
#![no_main]

use cmfy_validate::{ErrorCode, auth::check_authorization};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|header: Option<&[u8]>| {
    match check_authorization(header) {
        Ok(key) => {
            let secret = key.expose_secret();
            assert_eq!(secret.len(), 51);
            assert!(secret.starts_with("sk_live_") || secret.starts_with("sk_test_"));
            let text = std::str::from_utf8(header.expect("a key came from a header")).expect("visible ASCII");
            assert!(text.contains(secret));
            assert!(!key.to_string().contains(&secret[8..]));
        }
        Err(code) => assert!(matches!(code, ErrorCode::MissingAuth | ErrorCode::InvalidAuthFormat | ErrorCode::InvalidApiKey)),
    }
});
