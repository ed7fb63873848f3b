//! The error envelope every API error is sent in: `{"error": {code, message, details, ...}}`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{ErrorCode, ValidationError};

/// The body of every error response of the API. Serialises exactly as the API sends it, with
/// `retry_after` and `request_id` left out when absent, and parses back anything a server sent,
/// including codes this crate does not know.
///
/// # Example
///
/// ```
/// use cmfy_validate::ErrorBody;
///
/// let error = cmfy_validate::validate(br#"{"prompt": {}}"#).unwrap_err();
/// let body = ErrorBody::from_validation(&error, Some("req_abc123"));
/// assert_eq!(
///     body.to_json(),
///     r#"{"error":{"code":"empty_workflow","message":"Workflow has no nodes","details":{"pointer":"/prompt"},"request_id":"req_abc123"}}"#
/// );
/// let parsed: ErrorBody = serde_json::from_str(&body.to_json())?;
/// assert_eq!(parsed, body);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error itself.
    pub error: ErrorObject,
}

/// The object inside the envelope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorObject {
    /// The code, kept as a string so unknown codes survive a round trip; see
    /// [`ErrorObject::error_code`].
    pub code: String,
    /// The human-readable message.
    pub message: String,
    /// Structured details; always an object, possibly empty.
    #[serde(default)]
    pub details: Map<String, Value>,
    /// Seconds to wait before retrying, where known (429s). Read leniently, since it comes from
    /// a server: any non-negative number is taken, a fraction rounded up (`45.0` is 45, `1.5`
    /// is 2, past `u64::MAX` saturates); a value of any other kind (a string, a negative
    /// number) is read as absent rather than failing the whole envelope.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_seconds"
    )]
    pub retry_after: Option<u64>,
    /// The request id the server assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Whole seconds of a JSON value: a non-negative number, a fraction rounded up and saturating;
/// `None` for anything else. One rule for the envelope and for [`ApiError`](crate::client::ApiError).
pub(crate) fn seconds(value: &Value) -> Option<u64> {
    if let Some(whole) = value.as_u64() {
        return Some(whole);
    }
    // A float (or an integer past u64, which serde_json keeps as one only when it is a float).
    // `as` saturates, and NaN cannot come out of JSON.
    let float = value.as_f64().filter(|f| *f >= 0.0)?;
    Some(float.ceil() as u64)
}

fn lenient_seconds<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    Ok(seconds(&Value::deserialize(deserializer)?))
}

impl ErrorObject {
    /// The code as an [`ErrorCode`], or `None` for a code this crate does not know.
    ///
    /// ```
    /// let body: cmfy_validate::ErrorBody =
    ///     serde_json::from_str(r#"{"error": {"code": "teapot", "message": "short and stout"}}"#)?;
    /// assert_eq!(body.error.error_code(), None);
    /// assert!(body.error.details.is_empty());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn error_code(&self) -> Option<ErrorCode> {
        self.code.parse().ok()
    }
}

impl ErrorBody {
    /// The envelope for `code` with its default message and empty details.
    ///
    /// ```
    /// use cmfy_validate::{ErrorBody, ErrorCode};
    /// let body = ErrorBody::new(ErrorCode::JobNotFound).with_request_id("req_1");
    /// assert_eq!(body.to_json(), r#"{"error":{"code":"job_not_found","message":"Job not found","details":{},"request_id":"req_1"}}"#);
    /// ```
    #[must_use]
    pub fn new(code: ErrorCode) -> Self {
        ErrorBody {
            error: ErrorObject {
                code: code.as_str().to_owned(),
                message: code.default_message().to_owned(),
                details: Map::new(),
                retry_after: None,
                request_id: None,
            },
        }
    }

    /// The envelope for a validation error, with its message and details, and the caller's
    /// request id if any (the crate makes no ids of its own).
    #[must_use]
    pub fn from_validation(error: &ValidationError, request_id: Option<&str>) -> Self {
        let mut body = ErrorBody::new(error.error_code())
            .with_message(error.message())
            .with_details(error.details().clone());
        body.error.request_id = request_id.map(str::to_owned);
        body
    }

    /// Replaces the message.
    #[must_use]
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.error.message = message.into();
        self
    }

    /// Replaces the details.
    #[must_use]
    pub fn with_details(mut self, details: Map<String, Value>) -> Self {
        self.error.details = details;
        self
    }

    /// Sets `retry_after`, in seconds.
    #[must_use]
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.error.retry_after = Some(seconds);
        self
    }

    /// Sets `request_id`.
    #[must_use]
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.error.request_id = Some(request_id.into());
        self
    }

    /// `rate_limit_exceeded` with the message that says when to come back, and `retry_after`.
    ///
    /// ```
    /// let body = cmfy_validate::ErrorBody::rate_limited(45);
    /// assert_eq!(body.error.message, "Rate limit exceeded. Try again in 45 seconds.");
    /// assert_eq!(body.headers(), [("Content-Type", "application/json".to_owned()), ("Retry-After", "45".to_owned())]);
    /// ```
    #[must_use]
    pub fn rate_limited(retry_after: u64) -> Self {
        ErrorBody::new(ErrorCode::RateLimitExceeded)
            .with_message(format!(
                "Rate limit exceeded. Try again in {retry_after} seconds."
            ))
            .with_retry_after(retry_after)
    }

    /// `concurrent_limit_reached`, naming the account's limit.
    ///
    /// ```
    /// let body = cmfy_validate::ErrorBody::concurrent_limit_reached(2);
    /// assert_eq!(body.error.message, "Maximum concurrent jobs reached (2). Wait for a job to complete.");
    /// ```
    #[must_use]
    pub fn concurrent_limit_reached(limit: u64) -> Self {
        ErrorBody::new(ErrorCode::ConcurrentLimitReached).with_message(format!(
            "Maximum concurrent jobs reached ({limit}). Wait for a job to complete."
        ))
    }

    /// `queue_full`, with how long to wait.
    ///
    /// ```
    /// let body = cmfy_validate::ErrorBody::queue_full(30);
    /// assert_eq!((body.status(), body.error.retry_after), (429, Some(30)));
    /// ```
    #[must_use]
    pub fn queue_full(retry_after: u64) -> Self {
        ErrorBody::new(ErrorCode::QueueFull).with_retry_after(retry_after)
    }

    /// The headers to send with this body: `Content-Type`, and `Retry-After` when
    /// `retry_after` is set. Add [`LimitHeaders::to_headers`](crate::rate_limits::LimitHeaders::to_headers)
    /// for the limit headers.
    #[must_use]
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = vec![("Content-Type", "application/json".to_owned())];
        if let Some(seconds) = self.error.retry_after {
            headers.push(("Retry-After", seconds.to_string()));
        }
        headers
    }

    /// The HTTP status for this envelope's code: the catalogue's for known codes, 500 otherwise.
    ///
    /// ```
    /// assert_eq!(cmfy_validate::ErrorBody::new(cmfy_validate::ErrorCode::QueueFull).status(), 429);
    /// ```
    #[must_use]
    pub fn status(&self) -> u16 {
        self.error.error_code().map_or(500, ErrorCode::status)
    }

    /// The envelope as compact JSON, exactly as a server sends it.
    #[must_use]
    pub fn to_json(&self) -> String {
        // Serialising strings, numbers and a Map of Values cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl From<&ValidationError> for ErrorBody {
    fn from(error: &ValidationError) -> Self {
        ErrorBody::from_validation(error, None)
    }
}

impl From<ErrorCode> for ErrorBody {
    fn from(code: ErrorCode) -> Self {
        ErrorBody::new(code)
    }
}
