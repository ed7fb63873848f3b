//! Structured requests: the crate's code must equal the oracle's, written from the contract.
#![no_main]

use cmfy_validate_fuzz::{model::Request, oracle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|request: Request| {
    let body = request.to_json();
    let expected = oracle::expected_code(&body);
    let actual = cmfy_validate::validate(&body).map_or_else(|e| e.code(), |_| "ok");
    assert_eq!(actual, expected, "{}", String::from_utf8_lossy(&body));
});
