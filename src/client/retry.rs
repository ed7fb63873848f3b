//! When to try a request again, and after how long.

use std::time::{Duration, SystemTime};

use super::{ApiError, ErrorKind};
use crate::error::ErrorCode;

/// What happened to an attempt.
#[derive(Clone, Copy, Debug)]
pub enum Outcome<'e> {
    /// The server answered with an error.
    Error(&'e ApiError),
    /// No answer in time.
    Timeout,
    /// No connection (refused, reset, DNS failure).
    Connection,
}

/// What to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    RetryAfter(Duration),
    /// Do not try again.
    GiveUp,
}

/// Exponential backoff with jitter, and the API's rules for which errors to retry.
///
/// | outcome | decision |
/// |---|---|
/// | 400, 401, 403, 404 (any 4xx but 429) | give up |
/// | 429 `rate_limit_exceeded` (or an unknown 429) | the server's retry delay if given (at most `max_server_delay`), else backoff |
/// | 429 `concurrent_limit_reached`, `queue_full` | four times the backoff (capped), or the server's delay if longer (at most `max_server_delay`) |
/// | 5xx, timeout, connection failure | backoff |
/// | attempt `max_attempts` reached | give up |
///
/// The backoff after attempt `n` (0 for the first) is `min(base * 2^n, max)` plus up to 10%
/// jitter from the caller's random number in `[0, 1)`. A delay the server asks for is never
/// waited longer than `max_server_delay` (an hour by default), however it was written, so
/// `Instant::now() + delay` is always safe.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use cmfy_validate::{client::{ApiError, Decision, Outcome, RetryPolicy}};
///
/// let policy = RetryPolicy::default();
/// let unavailable = ApiError::from_response(503, [], br#"{"error": {"code": "service_unavailable", "message": "x"}}"#);
/// let now = SystemTime::UNIX_EPOCH;
/// assert_eq!(policy.decide(Outcome::Error(&unavailable), 2, now, 0.0), Decision::RetryAfter(Duration::from_secs(4)));
/// assert_eq!(policy.decide(Outcome::Timeout, 0, now, 0.5), Decision::RetryAfter(Duration::from_millis(1050)));
/// assert_eq!(policy.decide(Outcome::Timeout, 4, now, 0.0), Decision::GiveUp);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The first backoff delay (default 1 s).
    pub base_delay: Duration,
    /// The longest backoff delay (default 60 s).
    pub max_delay: Duration,
    /// The most attempts in all, the first included (default 5).
    pub max_attempts: u32,
    /// The longest wait a server's `retry_after` or `Retry-After` can ask for (default an
    /// hour): a longer one is waited this long.
    pub max_server_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_attempts: 5,
            max_server_delay: Duration::from_secs(3_600),
        }
    }
}

/// The largest jitter, as a fraction of the delay.
const JITTER: f64 = 0.1;
/// How much longer than a plain backoff to wait when capacity, not rate, is the limit.
const CAPACITY_FACTOR: u32 = 4;

impl RetryPolicy {
    /// `min(base * 2^attempt, max)` plus jitter of up to 10% from `random` in `[0, 1)`.
    #[must_use]
    pub fn backoff(&self, attempt: u32, random: f64) -> Duration {
        with_jitter(self.delay(attempt, 1), random)
    }

    /// `min(base * 2^attempt * factor, max)`, without jitter.
    fn delay(&self, attempt: u32, factor: u32) -> Duration {
        let multiplier = 2u32
            .checked_pow(attempt)
            .and_then(|m| m.checked_mul(factor))
            .unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(multiplier)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// What to do after attempt number `attempt` (0 for the first) ended with `outcome`.
    /// `now` judges an HTTP-date `Retry-After`; `random` in `[0, 1)` sets the jitter.
    #[must_use]
    pub fn decide(
        &self,
        outcome: Outcome<'_>,
        attempt: u32,
        now: SystemTime,
        random: f64,
    ) -> Decision {
        if attempt.saturating_add(1) >= self.max_attempts {
            return Decision::GiveUp;
        }
        let error = match outcome {
            Outcome::Timeout | Outcome::Connection => {
                return Decision::RetryAfter(self.backoff(attempt, random));
            }
            Outcome::Error(error) => error,
        };
        match error.kind() {
            ErrorKind::Server => Decision::RetryAfter(self.backoff(attempt, random)),
            ErrorKind::RateLimit => {
                let asked = error
                    .retry_after(now)
                    .map(|asked| asked.min(self.max_server_delay));
                match error.error_code() {
                    Some(ErrorCode::ConcurrentLimitReached | ErrorCode::QueueFull) => {
                        let longer = with_jitter(self.delay(attempt, CAPACITY_FACTOR), random);
                        Decision::RetryAfter(asked.map_or(longer, |asked| asked.max(longer)))
                    }
                    _ => {
                        Decision::RetryAfter(asked.unwrap_or_else(|| self.backoff(attempt, random)))
                    }
                }
            }
            _ => Decision::GiveUp,
        }
    }
}

fn with_jitter(delay: Duration, random: f64) -> Duration {
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // `try_from`: `mul_f64` panics on a result past `Duration::MAX`.
    let jitter = Duration::try_from_secs_f64(delay.as_secs_f64() * JITTER * random);
    delay.saturating_add(jitter.unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(status: u16, code: &str, retry_after: Option<u64>) -> ApiError {
        let extra = retry_after
            .map(|s| format!(r#", "retry_after": {s}"#))
            .unwrap_or_default();
        let body = format!(r#"{{"error": {{"code": "{code}", "message": "m"{extra}}}}}"#);
        ApiError::from_response(status, [], body.as_bytes())
    }

    #[test]
    fn every_row() {
        let policy = RetryPolicy::default();
        let now = SystemTime::UNIX_EPOCH;
        let s = Duration::from_secs;
        let rows: Vec<(ApiError, u32, Decision)> = vec![
            (error(400, "invalid_json", None), 0, Decision::GiveUp),
            (error(401, "invalid_api_key", None), 0, Decision::GiveUp),
            (error(403, "account_suspended", None), 0, Decision::GiveUp),
            (error(404, "job_not_found", None), 0, Decision::GiveUp),
            (error(409, "conflict", None), 0, Decision::GiveUp),
            (
                error(429, "rate_limit_exceeded", Some(45)),
                0,
                Decision::RetryAfter(s(45)),
            ),
            (
                error(429, "rate_limit_exceeded", None),
                1,
                Decision::RetryAfter(s(2)),
            ),
            (
                error(429, "something_new", None),
                2,
                Decision::RetryAfter(s(4)),
            ),
            (
                error(429, "concurrent_limit_reached", None),
                0,
                Decision::RetryAfter(s(4)),
            ),
            (
                error(429, "queue_full", None),
                1,
                Decision::RetryAfter(s(8)),
            ),
            (
                error(429, "queue_full", Some(30)),
                1,
                Decision::RetryAfter(s(30)),
            ),
            (
                error(429, "queue_full", Some(2)),
                1,
                Decision::RetryAfter(s(8)),
            ),
            (
                error(429, "queue_full", None),
                3,
                Decision::RetryAfter(s(32)),
            ),
            (
                error(500, "internal_error", None),
                0,
                Decision::RetryAfter(s(1)),
            ),
            (
                error(503, "service_unavailable", None),
                3,
                Decision::RetryAfter(s(8)),
            ),
            (error(502, "", None), 1, Decision::RetryAfter(s(2))),
            (error(503, "service_unavailable", None), 4, Decision::GiveUp),
            (
                error(429, "rate_limit_exceeded", Some(1)),
                4,
                Decision::GiveUp,
            ),
        ];
        for (error, attempt, expected) in rows {
            assert_eq!(
                policy.decide(Outcome::Error(&error), attempt, now, 0.0),
                expected,
                "{error} attempt {attempt}"
            );
        }
        assert_eq!(
            policy.decide(Outcome::Timeout, 1, now, 0.0),
            Decision::RetryAfter(s(2))
        );
        assert_eq!(
            policy.decide(Outcome::Connection, 3, now, 0.0),
            Decision::RetryAfter(s(8))
        );
    }

    #[test]
    fn backoff_is_capped_and_jittered_up_to_ten_percent() {
        let policy = RetryPolicy {
            max_attempts: 100,
            ..RetryPolicy::default()
        };
        assert_eq!(policy.backoff(6, 0.0), Duration::from_secs(60));
        assert_eq!(policy.backoff(40, 0.0), Duration::from_secs(60));
        assert_eq!(
            policy.backoff(0, 0.999),
            Duration::from_secs(1) + Duration::from_secs(1).mul_f64(0.0999)
        );
        assert_eq!(policy.backoff(2, f64::NAN), Duration::from_secs(4));
        assert_eq!(policy.backoff(2, 7.0), Duration::from_secs(4).mul_f64(1.1));
        let capped = policy.decide(
            Outcome::Error(&error(429, "queue_full", None)),
            10,
            SystemTime::UNIX_EPOCH,
            0.0,
        );
        assert_eq!(capped, Decision::RetryAfter(Duration::from_secs(60)));
    }

    #[test]
    fn server_delays_are_capped_whatever_their_spelling() {
        let policy = RetryPolicy::default();
        let now = SystemTime::UNIX_EPOCH;
        let hour = Duration::from_secs(3_600);
        let body = |retry_after: &str| {
            format!(
                r#"{{"error": {{"code": "rate_limit_exceeded", "message": "m", "retry_after": {retry_after}}}}}"#
            )
        };
        for (retry_after, expected) in [
            ("1000000000000", hour),
            ("1e300", hour),
            ("18446744073709551616", hour),
            ("45.0", Duration::from_secs(45)),
            ("0.2", Duration::from_secs(1)),
            ("3599", Duration::from_secs(3_599)),
            ("3601", hour),
        ] {
            let error = ApiError::from_response(429, [], body(retry_after).as_bytes());
            assert_eq!(
                policy.decide(Outcome::Error(&error), 0, now, 0.0),
                Decision::RetryAfter(expected),
                "retry_after {retry_after}"
            );
        }
        let forty_digits = "9".repeat(40);
        for header in [forty_digits.as_str(), "Fri, 31 Dec 9999 23:59:59 GMT"] {
            for code in ["rate_limit_exceeded", "queue_full"] {
                let envelope = format!(r#"{{"error": {{"code": "{code}", "message": "m"}}}}"#);
                let error =
                    ApiError::from_response(429, [("Retry-After", header)], envelope.as_bytes());
                assert_eq!(
                    policy.decide(Outcome::Error(&error), 0, now, 0.9),
                    Decision::RetryAfter(hour),
                    "{code} {header}"
                );
            }
        }
        let short = RetryPolicy {
            max_server_delay: Duration::from_secs(10),
            ..RetryPolicy::default()
        };
        let error = ApiError::from_response(429, [("Retry-After", "45")], b"");
        assert_eq!(
            short.decide(Outcome::Error(&error), 0, now, 0.0),
            Decision::RetryAfter(Duration::from_secs(10))
        );
        // A negative or non-numeric retry_after is absent: the header, or backoff, decides.
        for odd in ["-5", r#""45""#, "null", "true"] {
            let error = ApiError::from_response(429, [("Retry-After", "7")], body(odd).as_bytes());
            assert_eq!(
                error.retry_after(now),
                Some(Duration::from_secs(7)),
                "{odd}"
            );
        }
    }

    #[test]
    fn jitter_never_overflows() {
        let policy = RetryPolicy {
            base_delay: Duration::MAX,
            max_delay: Duration::MAX,
            max_attempts: 100,
            max_server_delay: Duration::MAX,
        };
        assert_eq!(policy.backoff(3, 0.99), Duration::MAX);
        assert_eq!(policy.backoff(0, 0.0), Duration::MAX);
    }
}
