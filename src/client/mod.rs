//! For clients: every error response turned into a typed error, and when to retry.

mod api_error;
mod retry;
mod retry_after;

pub use api_error::{ApiError, ErrorKind, MAX_ERROR_BODY};
pub use retry::{Decision, Outcome, RetryPolicy};
pub use retry_after::{MAX_RETRY_AFTER, parse_retry_after, unix_time};
