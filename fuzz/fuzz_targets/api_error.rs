//! Arbitrary responses (status, headers, body) through `ApiError::from_response` (and
//! `from_response_head`, which must agree with it) and
//! `RetryPolicy::decide`: no panic; every delay is within the policy's cap (so adding it to an
//! `Instant` is safe); a parsed envelope keeps its code and request id; the limit headers read
//! the first numeric value of each.
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use arbitrary::Arbitrary;
use cmfy_validate::{ErrorBody, client::{ApiError, Decision, MAX_RETRY_AFTER, Outcome, RetryPolicy}, rate_limits::LimitHeaders};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    now: u64,
    attempt: u32,
    random: f64,
    envelope: Option<(String, String, Option<u64>)>,
}

fuzz_target!(|response: Response| {
    let now = UNIX_EPOCH.checked_add(Duration::from_secs(response.now)).unwrap_or(SystemTime::UNIX_EPOCH);
    let headers: Vec<(&str, &str)> = response.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let error = ApiError::from_response(response.status, headers.iter().copied(), &response.body);
    // Read as a stream: the head and the length give the same answer, and any length is safe.
    let cut = response.body.len().min(cmfy_validate::client::MAX_ERROR_BODY + 1);
    let head = response.body.get(..cut).unwrap_or_default();
    assert_eq!(ApiError::from_response_head(response.status, headers.iter().copied(), head, response.body.len()), error);
    let _ = ApiError::from_response_head(response.status, headers.iter().copied(), &response.body, response.now as usize);
    assert!(error.retry_after(now).is_none_or(|d| d <= MAX_RETRY_AFTER));
    let policy = RetryPolicy { max_attempts: 100, ..RetryPolicy::default() };
    for outcome in [Outcome::Error(&error), Outcome::Timeout, Outcome::Connection] {
        if let Decision::RetryAfter(delay) = policy.decide(outcome, response.attempt, now, response.random) {
            let cap = policy.max_server_delay.max(policy.max_delay.saturating_add(policy.max_delay / 10));
            assert!(delay <= cap, "{delay:?}");
            let _ = std::time::Instant::now().checked_add(delay).expect("a delay an Instant can take");
        }
    }
    let _ = error.to_string();
    let limits = LimitHeaders::from_headers(headers.iter().copied());
    assert_eq!(&limits, error.limits());

    // A well-formed envelope keeps its code and request id, whatever they are.
    if let Some((code, request_id, retry_after)) = response.envelope {
        let mut body = ErrorBody::new(cmfy_validate::ErrorCode::QueueFull).with_request_id(request_id.clone());
        body.error.code = code.clone();
        body.error.retry_after = retry_after;
        let parsed = ApiError::from_response(429, [], body.to_json().as_bytes());
        if body.to_json().len() <= cmfy_validate::client::MAX_ERROR_BODY && code.chars().count() <= 200 && request_id.chars().count() <= 200 {
            assert_eq!(parsed.code(), Some(code.as_str()));
            assert_eq!(parsed.request_id(), Some(request_id.as_str()));
        }
    }
});
