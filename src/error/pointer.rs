//! RFC 6901 JSON pointers to the offending value.

use std::fmt::Write;

use crate::json::Segment;

/// Builds a JSON pointer one reference token at a time.
#[derive(Default)]
pub(crate) struct Pointer(String);

impl Pointer {
    /// Appends a member name or array index, escaping `~` and `/` as RFC 6901 says.
    pub(crate) fn push(mut self, token: impl std::fmt::Display) -> Self {
        self.0.push('/');
        let start = self.0.len();
        let _ = write!(self.0, "{token}");
        if self.0.get(start..).is_some_and(|t| t.contains(['~', '/'])) {
            let escaped = self
                .0
                .split_off(start)
                .replace('~', "~0")
                .replace('/', "~1");
            self.0.push_str(&escaped);
        }
        self
    }

    /// Appends a step of a path: a key, unescaped, or an index.
    pub(crate) fn push_segment(self, segment: &Segment<'_>) -> Self {
        match segment {
            Segment::Key(key) => self.push(key.decode()),
            Segment::Index(index) => self.push(index),
        }
    }

    pub(crate) fn build(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Pointer;

    #[test]
    fn escapes_tokens() {
        assert_eq!(Pointer::default().build(), "");
        assert_eq!(
            Pointer::default()
                .push("prompt")
                .push("a/b~c")
                .push(3)
                .build(),
            "/prompt/a~1b~0c/3"
        );
        assert_eq!(Pointer::default().push("").build(), "/");
    }
}
