//! Arbitrary `Retry-After` values against an arbitrary `now`: no panic, and every delay within
//! `MAX_RETRY_AFTER`.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use cmfy_validate::{client::{MAX_RETRY_AFTER, parse_retry_after}};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u64, bool)| {
    let (value, seconds, before_epoch) = input;
    let offset = Duration::from_secs(seconds);
    let now = if before_epoch { UNIX_EPOCH.checked_sub(offset) } else { UNIX_EPOCH.checked_add(offset) };
    let Some(now) = now else { return };
    if let Some(delay) = parse_retry_after(value, now) {
        assert!(delay <= MAX_RETRY_AFTER, "{value:?}: {delay:?}");
    }
});
