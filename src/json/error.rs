//! Where and why a body is not valid JSON.

use crate::invariant::Invariant;

/// A syntax problem: the byte offset where it was found and why. Boxed, so that the reader's
/// results, returned for every token, stay one word larger than their values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct JsonError(Box<Found>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Found {
    offset: usize,
    reason: Reason,
}

/// Why a body is not valid JSON: each reason once, its text (`details.reason` of
/// `invalid_json`) in [`Reason::message`] alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    /// The body ends where a value should start.
    EndOfInput,
    /// A UTF-8 byte-order mark opens the body (RFC 8259 forbids sending one).
    ByteOrderMark,
    /// A byte that cannot start a value.
    ExpectedValue,
    /// Something follows the top-level value.
    TrailingCharacters,
    /// Arrays and objects nested past the contract's depth.
    TooDeep,
    /// An object member that does not start with a string.
    ExpectedKey,
    /// An object member followed by neither a comma nor the object's end.
    ExpectedCommaOrBrace,
    /// An array element followed by neither a comma nor the array's end.
    ExpectedCommaOrBracket,
    /// An object key not followed by a colon.
    ExpectedColon,
    /// An object key that its object already has, compared after unescaping.
    DuplicateKey,
    /// A raw control character (below U+0020) inside a string.
    ControlCharacter,
    /// A string without its closing quote.
    UnterminatedString,
    /// A backslash followed by a character JSON does not escape.
    InvalidEscape,
    /// `\u` not followed by four hexadecimal digits.
    InvalidUnicodeEscape,
    /// A `\u` escape of half a surrogate pair.
    LoneSurrogate,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
    /// A number that does not follow JSON's grammar.
    InvalidNumber,
    /// A number whose magnitude no `f64` holds.
    NumberOutOfRange,
}

impl Reason {
    /// The reason as `details.reason` says it.
    pub(crate) const fn message(self) -> &'static str {
        match self {
            Reason::EndOfInput => "unexpected end of input, expected a value",
            Reason::ByteOrderMark => "a byte-order mark is not allowed",
            Reason::ExpectedValue => "expected a JSON value",
            Reason::TrailingCharacters => "trailing characters after the JSON value",
            Reason::TooDeep => "nesting deeper than 128 levels",
            Reason::ExpectedKey => "expected a string key",
            Reason::ExpectedCommaOrBrace => "expected ',' or '}' after an object member",
            Reason::ExpectedCommaOrBracket => "expected ',' or ']' after an array element",
            Reason::ExpectedColon => "expected ':' after an object key",
            Reason::DuplicateKey => "duplicate key in object",
            Reason::ControlCharacter => "control character in string",
            Reason::UnterminatedString => "unterminated string",
            Reason::InvalidEscape => "invalid escape",
            Reason::InvalidUnicodeEscape => "invalid \\u escape",
            Reason::LoneSurrogate => "lone surrogate in \\u escape",
            Reason::InvalidUtf8 => "invalid UTF-8",
            Reason::InvalidNumber => "invalid number",
            Reason::NumberOutOfRange => "number out of range",
        }
    }
}

impl JsonError {
    #[cold]
    pub(crate) fn at(offset: usize, reason: Reason) -> Self {
        JsonError(Box::new(Found { offset, reason }))
    }

    /// Byte offset in the body.
    pub(crate) fn offset(&self) -> usize {
        self.0.offset
    }

    /// What is wrong there.
    pub(crate) fn reason(&self) -> Reason {
        self.0.reason
    }
}

/// The 1-based line and column (in characters) of a byte offset. Works on any bytes: a column
/// counts every byte that does not continue a UTF-8 sequence.
pub(crate) fn line_column(body: &[u8], offset: usize) -> (usize, usize) {
    let before = body.get(..offset).unwrap_or(body);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let column = 1 + before
        .get(line_start..)
        .holds("a line starts after a newline of the text before it")
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count();
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::{Reason, line_column};

    #[test]
    fn every_reason_has_a_message_of_its_own() {
        let all = [
            Reason::EndOfInput,
            Reason::ByteOrderMark,
            Reason::ExpectedValue,
            Reason::TrailingCharacters,
            Reason::TooDeep,
            Reason::ExpectedKey,
            Reason::ExpectedCommaOrBrace,
            Reason::ExpectedCommaOrBracket,
            Reason::ExpectedColon,
            Reason::DuplicateKey,
            Reason::ControlCharacter,
            Reason::UnterminatedString,
            Reason::InvalidEscape,
            Reason::InvalidUnicodeEscape,
            Reason::LoneSurrogate,
            Reason::InvalidUtf8,
            Reason::InvalidNumber,
            Reason::NumberOutOfRange,
        ];
        let mut messages: Vec<&str> = all.iter().map(|reason| reason.message()).collect();
        assert!(messages.iter().all(|m| !m.is_empty() && m.is_ascii()));
        messages.sort_unstable();
        messages.dedup();
        assert_eq!(messages.len(), all.len());
        assert_eq!(Reason::InvalidUnicodeEscape.message(), r"invalid \u escape");
        assert_eq!(Reason::DuplicateKey.message(), "duplicate key in object");
    }

    #[test]
    fn counts_lines_and_characters() {
        assert_eq!(line_column(b"abc", 0), (1, 1));
        assert_eq!(line_column(b"abc", 2), (1, 3));
        assert_eq!(line_column(b"a\nbc", 3), (2, 2));
        assert_eq!(line_column("é\nxé!".as_bytes(), 6), (2, 3));
        assert_eq!(line_column(b"ab", 99), (1, 3));
    }
}
