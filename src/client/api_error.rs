//! An error response, whatever its body, as a typed error.

use std::fmt;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use super::parse_retry_after;
use super::retry_after::capped_seconds;
use crate::envelope::seconds;
use crate::error::ErrorCode;
use crate::error::clip;
use crate::rate_limits::LimitHeaders;

/// Bodies larger than this are not parsed: an error envelope is a few hundred bytes, and a
/// client should not spend memory on a proxy's page.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// The API's families of errors, told by the HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: the request is wrong; fix it, do not retry.
    Validation,
    /// 401: no key, or a bad one.
    Authentication,
    /// 403: the key may not do this.
    Authorization,
    /// 404: no such job.
    NotFound,
    /// 429: too many requests, jobs, or a full queue.
    RateLimit,
    /// 5xx: the server's fault.
    Server,
    /// Any other status.
    Unknown,
}

impl ErrorKind {
    /// The family of an HTTP status.
    ///
    /// ```
    /// use cmfy_validate::client::ErrorKind;
    /// assert_eq!(ErrorKind::from_status(502), ErrorKind::Server);
    /// assert_eq!(ErrorKind::from_status(418), ErrorKind::Unknown);
    /// ```
    #[must_use]
    pub fn from_status(status: u16) -> Self {
        match status {
            400 => ErrorKind::Validation,
            401 => ErrorKind::Authentication,
            403 => ErrorKind::Authorization,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimit,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Unknown,
        }
    }
}

/// An error response of the API, typed. Built by [`ApiError::from_response`], which never
/// fails: a body that is empty, truncated, HTML, too large or not an envelope still gives an
/// error with the status and a clear message.
///
/// ```
/// use cmfy_validate::{ErrorCode, client::{ApiError, ErrorKind}};
///
/// let body = br#"{"error": {"code": "rate_limit_exceeded", "message": "Rate limit exceeded. Try again in 45 seconds.",
///                 "details": {}, "retry_after": 45, "request_id": "req_9"}}"#;
/// let error = ApiError::from_response(429, [("Retry-After", "45"), ("X-RateLimit-Limit", "60")], body);
/// assert_eq!(error.kind(), ErrorKind::RateLimit);
/// assert_eq!(error.error_code(), Some(ErrorCode::RateLimitExceeded));
/// assert_eq!(error.request_id(), Some("req_9"));
/// assert_eq!(error.retry_after(std::time::SystemTime::now()), Some(std::time::Duration::from_secs(45)));
///
/// let proxy = ApiError::from_response(502, [], b"<html><body>Bad Gateway</body></html>");
/// assert_eq!(proxy.kind(), ErrorKind::Server);
/// assert_eq!(proxy.code(), None);
/// assert_eq!(proxy.message(), "HTTP 502 with a body that is not an API error envelope");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    status: u16,
    kind: ErrorKind,
    code: Option<String>,
    message: String,
    details: Map<String, Value>,
    request_id: Option<String>,
    retry_after_seconds: Option<u64>,
    retry_after_header: Option<String>,
    limits: LimitHeaders,
}

impl ApiError {
    /// Reads a response: its status, its headers as `(name, value)` pairs (names are
    /// case-insensitive), and its body. Never fails and never panics, whatever it is given.
    ///
    /// # Repeated headers
    ///
    /// One rule for every header this reads (`Retry-After`, `X-Request-Id` and the limit
    /// headers of [`LimitHeaders`]): the first value that is well-formed wins; values that are
    /// not (empty, or not a number or date where one is expected) are skipped, so a stray
    /// second header can neither replace nor wipe out a good first one.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use cmfy_validate::client::ApiError;
    ///
    /// let headers = [("Retry-After", "soon"), ("Retry-After", "30"), ("retry-after", "99")];
    /// let error = ApiError::from_response(429, headers, b"");
    /// assert_eq!(error.retry_after(UNIX_EPOCH), Some(Duration::from_secs(30)));
    /// ```
    pub fn from_response<'h>(
        status: u16,
        headers: impl IntoIterator<Item = (&'h str, &'h str)>,
        body: &[u8],
    ) -> Self {
        Self::from_response_head(status, headers, body, body.len())
    }

    /// [`ApiError::from_response`] for a body read as a stream: `len` is the body's whole
    /// length and `head` its first bytes, of which only the first [`MAX_ERROR_BODY`] are ever
    /// read (a longer body is too large to be an API error whatever it holds), so a client need
    /// not keep a huge body to learn what it was. The answer is `from_response`'s on the whole
    /// body whenever `head` holds all of it or at least its first `MAX_ERROR_BODY + 1` bytes.
    ///
    /// ```
    /// use cmfy_validate::{client::{ApiError, MAX_ERROR_BODY}};
    ///
    /// let error = ApiError::from_response_head(502, [], b"<html>", 10 * 1024 * 1024);
    /// assert_eq!(error.message(), "HTTP 502 with a 10485760 byte body, too large to be an API error");
    /// assert!(MAX_ERROR_BODY < 10 * 1024 * 1024);
    /// ```
    pub fn from_response_head<'h>(
        status: u16,
        headers: impl IntoIterator<Item = (&'h str, &'h str)>,
        head: &[u8],
        len: usize,
    ) -> Self {
        let headers: Vec<(&str, &str)> = headers.into_iter().collect();
        // The first value of `name` that `valid` accepts.
        let first = |name: &str, valid: &dyn Fn(&str) -> bool| {
            headers
                .iter()
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim())
                .find(|v| valid(v))
        };
        let retry_after = first("Retry-After", &|v| {
            parse_retry_after(v, SystemTime::UNIX_EPOCH).is_some()
        });
        let mut error = ApiError {
            status,
            kind: ErrorKind::from_status(status),
            code: None,
            message: String::new(),
            details: Map::new(),
            request_id: first("X-Request-Id", &|v| !v.is_empty()).map(clip),
            retry_after_seconds: None,
            retry_after_header: retry_after.map(clip),
            limits: LimitHeaders::from_headers(headers.iter().copied()),
        };
        error.read_body(head, len);
        error
    }

    fn read_body(&mut self, head: &[u8], len: usize) {
        let status = self.status;
        if len > MAX_ERROR_BODY {
            self.message =
                format!("HTTP {status} with a {len} byte body, too large to be an API error");
            return;
        }
        let body = head.get(..len).unwrap_or(head);
        if body.trim_ascii().is_empty() {
            self.message = format!("HTTP {status} with an empty body");
            return;
        }
        let parsed = serde_json::from_slice::<Value>(body).ok();
        if !parsed.is_some_and(|value| self.read_envelope(&value)) {
            self.message = format!("HTTP {status} with a body that is not an API error envelope");
            let excerpt: String = String::from_utf8_lossy(body)
                .chars()
                .filter(|c| !c.is_control())
                .collect();
            self.details
                .insert("body_excerpt".to_owned(), Value::String(clip(&excerpt)));
        }
    }

    /// Takes what it can from a JSON body: the API's envelope, or the common shapes
    /// `{"error": "text"}`, `{"message": "text"}` and `{"detail": "text"}`. False if none fits.
    fn read_envelope(&mut self, body: &Value) -> bool {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(clip);
        match body.get("error") {
            Some(Value::Object(error)) => {
                self.code = text(error.get("code"));
                self.message = text(error.get("message")).unwrap_or_else(|| self.default_message());
                if let Some(Value::Object(details)) = error.get("details") {
                    self.details = details.clone();
                }
                self.retry_after_seconds = error.get("retry_after").and_then(seconds);
                if let Some(id) = text(error.get("request_id")) {
                    self.request_id = Some(id);
                }
                true
            }
            Some(Value::String(message)) => {
                self.message = clip(message);
                true
            }
            _ => match text(body.get("message")).or_else(|| text(body.get("detail"))) {
                Some(message) => {
                    self.message = message;
                    true
                }
                None => false,
            },
        }
    }

    fn default_message(&self) -> String {
        self.error_code().map_or_else(
            || format!("HTTP {}", self.status),
            |code| code.default_message().to_owned(),
        )
    }

    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The family, from the status.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The `code` of the envelope as sent, known to this crate or not.
    #[must_use]
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The code, if it is one this crate knows.
    #[must_use]
    pub fn error_code(&self) -> Option<ErrorCode> {
        self.code.as_deref().and_then(|code| code.parse().ok())
    }

    /// The message: the server's, or one that says what came back instead.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The envelope's `details` (empty if none).
    #[must_use]
    pub fn details(&self) -> &Map<String, Value> {
        &self.details
    }

    /// The request id, from the envelope or the `X-Request-Id` header.
    #[must_use]
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The limit headers of the response.
    #[must_use]
    pub fn limits(&self) -> &LimitHeaders {
        &self.limits
    }

    /// How long the server asked to wait: the envelope's `retry_after` (any non-negative
    /// number, a fraction rounded up), else the `Retry-After` header (seconds, or an HTTP date
    /// judged against `now`); never more than [`MAX_RETRY_AFTER`](crate::client::MAX_RETRY_AFTER).
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use cmfy_validate::{client::{ApiError, MAX_RETRY_AFTER}};
    ///
    /// let body = br#"{"error": {"code": "rate_limit_exceeded", "message": "m", "retry_after": 45.5}}"#;
    /// let error = ApiError::from_response(429, [], body);
    /// assert_eq!(error.retry_after(UNIX_EPOCH), Some(Duration::from_secs(46)));
    /// let body = br#"{"error": {"code": "rate_limit_exceeded", "message": "m", "retry_after": 1e300}}"#;
    /// let error = ApiError::from_response(429, [], body);
    /// assert_eq!(error.retry_after(UNIX_EPOCH), Some(MAX_RETRY_AFTER));
    /// ```
    #[must_use]
    pub fn retry_after(&self, now: SystemTime) -> Option<Duration> {
        self.retry_after_seconds.map(capped_seconds).or_else(|| {
            self.retry_after_header
                .as_deref()
                .and_then(|value| parse_retry_after(value, now))
        })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "HTTP {} {code}: {}", self.status, self.message),
            None => write!(f, "HTTP {}: {}", self.status, self.message),
        }
    }
}

impl std::error::Error for ApiError {}
