//! Literal values kept exactly as written.

use std::borrow::Cow;
use std::fmt;

use crate::json::JsonStr;

/// A JSON value exactly as it appears in the body, already checked to be valid JSON by the
/// contract's rules. Borrowed: keeping it costs nothing.
///
/// ```
/// use cmfy_validate::InputValue;
///
/// let workflow = cmfy_validate::validate(br#"{"prompt": {"1": {"class_type": "A", "inputs": {"s": "a\nb", "n": 1.0e2}}}}"#)?;
/// let node = workflow.nodes().next().expect("one node");
/// let Some(InputValue::Literal(text)) = node.input("s") else { unreachable!() };
/// assert_eq!(text.as_string().as_deref(), Some("a\nb"));
/// let Some(InputValue::Literal(number)) = node.input("n") else { unreachable!() };
/// assert_eq!(number.json(), "1.0e2");
/// assert_eq!(number.to_value().ok(), Some(serde_json::json!(100.0)));
/// # Ok::<(), cmfy_validate::ValidationError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RawJson<'a>(pub(crate) &'a str);

impl<'a> RawJson<'a> {
    /// The JSON text of the value.
    #[must_use]
    pub fn json(&self) -> &'a str {
        self.0
    }

    /// The unescaped text if the value is a JSON string.
    #[must_use]
    pub fn as_string(&self) -> Option<Cow<'a, str>> {
        let inner = self.0.strip_prefix('"')?.strip_suffix('"')?;
        Some(JsonStr::from_valid(inner, 0).decode())
    }

    /// The value as a `serde_json::Value` (allocates; numbers follow serde_json's rules).
    ///
    /// # Errors
    ///
    /// Only if serde_json refuses what this crate accepted (its recursion limit is the same
    /// 128 levels, so in practice never).
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(self.0)
    }
}

impl fmt::Debug for RawJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Display for RawJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
