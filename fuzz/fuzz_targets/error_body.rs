//! Arbitrary bytes deserialised as the error envelope: no panic; whatever parses writes back to
//! JSON that parses to the same envelope (a round trip).
#![no_main]

use cmfy_validate::ErrorBody;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<ErrorBody>(data) else { return };
    let text = body.to_json();
    let again: ErrorBody = serde_json::from_str(&text).expect("what it writes, it reads");
    assert_eq!(again, body);
    let _ = (body.status(), body.headers(), body.error.error_code());
});
