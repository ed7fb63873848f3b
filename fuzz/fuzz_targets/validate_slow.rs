//! Large arbitrary bodies (up to 1 MB, as `scripts/fuzz.sh` runs it) through `validate` and
//! `validate_all`, for the cost of each byte: run with `-report_slow_units` and a low
//! `-timeout`, libFuzzer reports (and fails on) any body that takes far longer than reading it,
//! so a new expensive shape is found by the machine rather than by a reader.
#![no_main]

use cmfy_validate::{Policy, validate, validate_all};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = validate(data);
    let _ = validate_all(data, &Policy::default());
    let _ = validate_all(data, &Policy::default().with_max_nodes(100_000));
});
