//! Arbitrary `Retry-After` values against an arbitrary `now`, given as a `SystemTime` or as the
//! number of seconds a JavaScript or Python clock keeps: no panic, every delay within
//! `MAX_RETRY_AFTER`, and a time from a number only when it is a non-negative finite one.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use cmfy_validate::client::{MAX_RETRY_AFTER, parse_retry_after, unix_time};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u64, bool, f64)| {
    let (value, seconds, before_epoch, clock) = input;
    let offset = Duration::from_secs(seconds);
    let now = if before_epoch { UNIX_EPOCH.checked_sub(offset) } else { UNIX_EPOCH.checked_add(offset) };
    let from_clock = unix_time(clock);
    if from_clock.is_some() {
        assert!(clock.is_finite() && clock >= 0.0, "{clock}");
    }
    for now in [now, from_clock].into_iter().flatten() {
        if let Some(delay) = parse_retry_after(value, now) {
            assert!(delay <= MAX_RETRY_AFTER, "{value:?}: {delay:?}");
        }
    }
});
