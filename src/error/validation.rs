//! The error that validation returns: one code, its exact message, where, and details.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};

use super::{Detail, ErrorCode};
use crate::json::line_column;

/// The most characters of user input any detail echoes back.
const MAX_ECHO: usize = 200;

/// Why a request body was refused: an exact API code and message, an RFC 6901 pointer to the
/// offending value, and the `details` object of the error envelope.
///
/// The type is one pointer wide, so `Result<Workflow, ValidationError>` stays small on the hot
/// path. Build the HTTP answer with [`ErrorBody::from_validation`](crate::ErrorBody::from_validation).
///
/// # Example
///
/// ```
/// let body = br#"{"prompt": {"5": {"class_type": "LoadImage", "inputs": {"image": "http://example.com/a.png"}}}}"#;
/// let error = cmfy_validate::validate(body).unwrap_err();
/// assert_eq!(error.code(), "insecure_url");
/// assert_eq!(error.message(), "Only HTTPS URLs are allowed");
/// assert_eq!(error.status(), 400);
/// assert_eq!(error.pointer(), "/prompt/5/inputs/image");
/// assert_eq!(error.details()["node_id"], "5");
/// assert_eq!(error.to_string(), "insecure_url at /prompt/5/inputs/image: Only HTTPS URLs are allowed");
/// ```
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}", describe(.0))]
pub struct ValidationError(Box<Inner>);

#[derive(Clone, Debug, PartialEq)]
struct Inner {
    code: ErrorCode,
    message: Cow<'static, str>,
    pointer: PointerText,
    offset: usize,
    details: Map<String, Value>,
}

/// A pointer as text: whole, or a start shared by every problem of one input (whose name may
/// be half the body) and the rest, joined only when asked for. So `validate_all` costs in
/// proportion to its problems, not to the length of the names in their pointers.
#[derive(Clone, Debug)]
enum PointerText {
    Whole(String),
    Shared {
        start: Arc<str>,
        rest: String,
        joined: OnceLock<String>,
    },
}

impl PointerText {
    fn as_str(&self) -> &str {
        match self {
            PointerText::Whole(text) => text,
            PointerText::Shared {
                start,
                rest,
                joined,
            } => {
                if rest.is_empty() {
                    return start;
                }
                joined.get_or_init(|| format!("{start}{rest}"))
            }
        }
    }

    /// The first [`MAX_ECHO`] characters, without joining.
    fn clipped(&self) -> String {
        match self {
            PointerText::Whole(text) => clip(text),
            PointerText::Shared { start, rest, .. } => {
                let head = clip(start);
                let used = head.chars().count();
                if used >= MAX_ECHO {
                    return head;
                }
                head + &rest.chars().take(MAX_ECHO - used).collect::<String>()
            }
        }
    }
}

impl PartialEq for PointerText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

fn describe(inner: &Inner) -> String {
    let pointer = inner.pointer.as_str();
    if pointer.is_empty() {
        format!("{}: {}", inner.code, inner.message)
    } else {
        format!("{} at {}: {}", inner.code, pointer, inner.message)
    }
}

/// At most [`MAX_ECHO`] characters of user input, cut at a character boundary.
pub(crate) fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHO) {
        Some((cut, _)) => text.get(..cut).unwrap_or_default().to_owned(),
        None => text.to_owned(),
    }
}

impl ValidationError {
    /// An error with the code's default message; `pointer` locates the value, `offset` is its
    /// byte offset in the body.
    pub(crate) fn new(code: ErrorCode, pointer: String, offset: usize) -> Self {
        Self::with_pointer(code, PointerText::Whole(pointer), offset)
    }

    /// An error whose pointer is `start` (shared with other problems) followed by `rest`.
    pub(crate) fn shared(code: ErrorCode, start: Arc<str>, rest: String, offset: usize) -> Self {
        let pointer = PointerText::Shared {
            start,
            rest,
            joined: OnceLock::new(),
        };
        Self::with_pointer(code, pointer, offset)
    }

    fn with_pointer(code: ErrorCode, pointer: PointerText, offset: usize) -> Self {
        let mut details = Map::new();
        details.insert(
            Detail::Pointer.as_str().to_owned(),
            Value::String(pointer.clipped()),
        );
        ValidationError(Box::new(Inner {
            code,
            message: Cow::Borrowed(code.default_message()),
            pointer,
            offset,
            details,
        }))
    }

    pub(crate) fn with_message(mut self, message: String) -> Self {
        self.0.message = Cow::Owned(message);
        self
    }

    /// Adds a detail that the crate computed (a count, a type name).
    pub(crate) fn with(mut self, key: Detail, value: impl Into<Value>) -> Self {
        self.0.details.insert(key.as_str().to_owned(), value.into());
        self
    }

    /// Adds a detail that echoes user input, clipped to 200 characters.
    pub(crate) fn with_text(self, key: Detail, text: &str) -> Self {
        self.with(key, clip(text))
    }

    /// The exact code, e.g. `"too_many_nodes"`.
    ///
    /// ```
    /// assert_eq!(cmfy_validate::validate(b"{}").unwrap_err().code(), "missing_prompt");
    /// ```
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.0.code.as_str()
    }

    /// The code as an [`ErrorCode`].
    ///
    /// ```
    /// use cmfy_validate::ErrorCode;
    /// assert_eq!(cmfy_validate::validate(b"[]").unwrap_err().error_code(), ErrorCode::MissingPrompt);
    /// ```
    #[must_use]
    pub fn error_code(&self) -> ErrorCode {
        self.0.code
    }

    /// The exact message. For `too_many_nodes` it names the configured limit.
    ///
    /// ```
    /// assert_eq!(cmfy_validate::validate(b"nope").unwrap_err().message(), "Request body is not valid JSON");
    /// ```
    #[must_use]
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The HTTP status: 400 for every validation error.
    ///
    /// ```
    /// assert_eq!(cmfy_validate::validate(b"").unwrap_err().status(), 400);
    /// ```
    #[must_use]
    pub fn status(&self) -> u16 {
        self.0.code.status()
    }

    /// An RFC 6901 JSON pointer to the offending value in the body, such as
    /// `/prompt/5/inputs/ckpt_name`; `""` for the whole body.
    ///
    /// ```
    /// let error = cmfy_validate::validate(br#"{"prompt": {"7": {"inputs": {}}}}"#).unwrap_err();
    /// assert_eq!(error.pointer(), "/prompt/7");
    /// ```
    #[must_use]
    pub fn pointer(&self) -> &str {
        self.0.pointer.as_str()
    }

    /// The `details` object of the envelope: always `pointer`, and the other keys of
    /// [`Detail`] that the code carries. No detail echoes more than 200 characters of user
    /// input.
    ///
    /// ```
    /// let error = cmfy_validate::validate(b"{\"prompt\": 1,}").unwrap_err();
    /// assert_eq!(error.details()["line"], 1);
    /// assert_eq!(error.details()["column"], 14);
    /// ```
    #[must_use]
    pub fn details(&self) -> &Map<String, Value> {
        &self.0.details
    }

    /// One detail, by its key: [`details`](Self::details) read without spelling the key.
    ///
    /// ```
    /// use cmfy_validate::Detail;
    /// let error = cmfy_validate::validate(b"{\"prompt\": 1,}").unwrap_err();
    /// assert_eq!(error.detail(Detail::Line), Some(&1.into()));
    /// assert_eq!(error.detail(Detail::NodeId), None);
    /// ```
    #[must_use]
    pub fn detail(&self, key: Detail) -> Option<&Value> {
        self.0.details.get(key.as_str())
    }

    /// The byte offset in the body of the offending value (or of the syntax error).
    ///
    /// ```
    /// let error = cmfy_validate::validate(br#"{"prompt": []}"#).unwrap_err();
    /// assert_eq!(error.offset(), 11);
    /// ```
    #[must_use]
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// The 1-based line and column (in characters) of [`offset`](Self::offset) in `body`, the
    /// body this error came from.
    ///
    /// ```
    /// let body = b"{\n  \"prompt\": 5\n}";
    /// let error = cmfy_validate::validate(body).unwrap_err();
    /// assert_eq!(error.line_column(body), (2, 13));
    /// ```
    #[must_use]
    pub fn line_column(&self, body: &[u8]) -> (usize, usize) {
        line_column(body, self.0.offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_user_input_to_200_characters() {
        assert_eq!(clip("short"), "short");
        let long = "é".repeat(250);
        assert_eq!(clip(&long).chars().count(), 200);
    }

    #[test]
    fn is_one_pointer_wide_and_thread_safe() {
        fn thread_safe<T: Send + Sync>() {}
        thread_safe::<ValidationError>();
        assert_eq!(
            std::mem::size_of::<ValidationError>(),
            std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn a_shared_pointer_echoes_its_first_200_characters() {
        let start: Arc<str> = Arc::from("/prompt/1/inputs/");
        let rest = "é".repeat(300);
        let error = ValidationError::shared(ErrorCode::InsecureUrl, start.clone(), rest.clone(), 0);
        let joined = format!("{start}{rest}");
        assert_eq!(error.pointer(), joined);
        let echoed = error.details()["pointer"].as_str().unwrap_or_default();
        assert_eq!(echoed, joined.chars().take(MAX_ECHO).collect::<String>());
    }

    #[test]
    fn errors_differing_only_past_the_echo_are_not_equal() {
        let pointer = |last: char| format!("/{}{last}", "a".repeat(250));
        let error = |text: String| ValidationError::new(ErrorCode::InsecureUrl, text, 7);
        assert_eq!(error(pointer('1')).details(), error(pointer('2')).details());
        assert_ne!(error(pointer('1')), error(pointer('2')));
        let shared = ValidationError::shared(
            ErrorCode::InsecureUrl,
            Arc::from("/"),
            pointer('1')[1..].to_owned(),
            7,
        );
        assert_eq!(shared, error(pointer('1')));
    }
}
