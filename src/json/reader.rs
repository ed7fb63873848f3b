//! The streaming reader: a cursor over validated UTF-8 that checks JSON as it goes.

use super::keys::{KeyStack, ObjectKeys};
use super::number::scan_number;
use super::string::{check_escape, find_special};
use super::text::past_whitespace;
use super::{JsonError, JsonStr, Reason};
use crate::invariant::Invariant;

/// The deepest nesting of arrays and objects accepted; the top-level value is level 1.
pub(crate) const MAX_DEPTH: usize = 128;

/// The longest escaped key that can still spell a name a caller knows (`idempotency_key`, 15
/// characters, each at most a 6-byte `\uXXXX`).
const MAX_KNOWN_ESCAPED: usize = 6 * 16;

/// The type of the next value, read from its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl Kind {
    /// The JSON type name, as reported in error details.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::String => "string",
            Kind::Number => "number",
            Kind::Bool => "boolean",
            Kind::Null => "null",
        }
    }
}

/// Receives what [`Reader::walk_value`] passes through, so one walk both checks a value and lets
/// the caller look at its strings and numbers, with the path to each.
pub(crate) trait Visitor<'a> {
    /// Whether [`Visitor::number`] does anything: if not, a number's text is never cut out.
    const NUMBERS: bool = false;
    /// A string value (not a key).
    fn string(&mut self, _value: JsonStr<'a>) {}
    /// A number, as written (only if [`Visitor::NUMBERS`]).
    fn number(&mut self, _text: &'a str) {}
    /// About to read the member `key` of an object.
    fn enter_key(&mut self, _key: JsonStr<'a>) {}
    /// About to read element `index` of an array.
    fn enter_index(&mut self, _index: usize) {}
    /// Done with the member or element last entered.
    fn leave(&mut self) {}
}

/// A visitor that looks at nothing: plain checking.
pub(crate) struct Skip;
impl Visitor<'_> for Skip {}

/// Progress through an object's members: whether one has been read, and the keys so far.
pub(crate) struct Members {
    first: bool,
    keys: ObjectKeys,
    /// One bit per name the caller knows (see [`Reader::next_known_key`]) already read.
    known: u32,
}

/// Progress through an array's elements: whether one has been read.
pub(crate) struct Elements {
    first: bool,
}

pub(crate) struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
    keys: KeyStack<'a>,
}

impl<'a> Reader<'a> {
    #[inline]
    pub(crate) fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            depth: 0,
            keys: KeyStack::new(text),
        }
    }

    /// A reader of the value that starts at `pos` in `text`, for reading again a value read
    /// before. (It counts nesting from there.)
    pub(crate) fn starting_at(text: &'a str, pos: usize) -> Self {
        Reader {
            pos,
            ..Reader::new(text)
        }
    }

    /// The whole body.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        self.pos = past_whitespace(self.bytes(), self.pos);
    }

    #[cold]
    fn error(&self, reason: Reason) -> JsonError {
        JsonError::at(self.pos, reason)
    }

    /// Byte offset of the next value (after white space).
    #[inline(always)]
    pub(crate) fn offset(&mut self) -> usize {
        self.skip_whitespace();
        self.pos
    }

    /// Where the reader stands, without skipping white space: right after
    /// [`Reader::next_key`], the start of the member's value.
    #[inline(always)]
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// The body text from `start` to the current position.
    #[inline]
    pub(crate) fn since(&self, start: usize) -> &'a str {
        self.text
            .get(start..self.pos)
            .holds("start is a position the reader passed, at a token's start")
    }

    /// The type of the next value, without reading it.
    #[inline(always)]
    pub(crate) fn peek_kind(&mut self) -> Result<Kind, JsonError> {
        self.skip_whitespace();
        self.kind_here()
    }

    /// The type of the value at the current position (white space already skipped, as it is
    /// right after [`Reader::next_key`]).
    #[inline]
    pub(crate) fn kind_here(&self) -> Result<Kind, JsonError> {
        match self.peek() {
            Some(b'{') => Ok(Kind::Object),
            Some(b'[') => Ok(Kind::Array),
            Some(b'"') => Ok(Kind::String),
            Some(b'-' | b'0'..=b'9') => Ok(Kind::Number),
            Some(b't' | b'f') => Ok(Kind::Bool),
            Some(b'n') => Ok(Kind::Null),
            None => Err(self.error(Reason::EndOfInput)),
            Some(0xEF) if self.pos == 0 => Err(self.error(Reason::ByteOrderMark)),
            Some(_) => Err(self.error(Reason::ExpectedValue)),
        }
    }

    /// After the whole value: only white space may follow.
    pub(crate) fn finish(&mut self) -> Result<(), JsonError> {
        self.skip_whitespace();
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error(Reason::TrailingCharacters)),
        }
    }

    /// Steps into an array or object whose opening byte is at the current position.
    #[inline(always)]
    fn open(&mut self) -> Result<(), JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(Reason::TooDeep));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    /// Reads `{` at the current position (white space already skipped); members follow
    /// through [`Reader::next_key`].
    #[inline(always)]
    pub(crate) fn enter_object(&mut self) -> Result<Members, JsonError> {
        self.expect_here(b'{')?;
        self.open()?;
        Ok(Members {
            first: true,
            keys: self.keys.open(),
            known: 0,
        })
    }

    /// The members of an object read before, from a position just after one of its members
    /// (before a `,` or the `}`). The keys before that position are not known to this reader.
    pub(crate) fn members_after_one(&self) -> Members {
        Members {
            first: false,
            keys: self.keys.open(),
            known: 0,
        }
    }

    /// Reads `[` at the current position (white space already skipped); elements follow
    /// through [`Reader::next_element`].
    #[inline(always)]
    pub(crate) fn enter_array(&mut self) -> Result<Elements, JsonError> {
        self.expect_here(b'[')?;
        self.open()?;
        Ok(Elements { first: true })
    }

    /// Checks the byte at the current position. Every caller stands at a value already, white
    /// space skipped (by [`Reader::next_key`], [`Reader::offset`] or a look at its kind).
    #[inline]
    fn expect_here(&mut self, byte: u8) -> Result<(), JsonError> {
        if self.peek() == Some(byte) {
            Ok(())
        } else {
            Err(self.error(Reason::ExpectedValue))
        }
    }

    /// Reads the separator before the next item, or the closing byte, and the white space after
    /// either. True if an item follows, at the current position.
    #[inline]
    fn next_item(
        &mut self,
        first: &mut bool,
        close: u8,
        reason: Reason,
    ) -> Result<bool, JsonError> {
        self.skip_whitespace();
        let byte = self.peek();
        if byte == Some(close) {
            // An empty container, or the end after an item. A trailing comma never gets here:
            // after a comma the caller reads an item, and the closing byte is not one.
            self.pos += 1;
            self.depth = self.depth.saturating_sub(1);
            return Ok(false);
        }
        if !*first {
            if byte != Some(b',') {
                return Err(self.error(reason));
            }
            self.pos += 1;
            self.skip_whitespace();
        }
        *first = false;
        Ok(true)
    }

    /// The next member's key, as written (decoding is left to the caller that needs it), with
    /// the `:` and the white space after it read, or `None` at the `}`. A key the object already
    /// has is an error.
    #[inline(always)]
    pub(crate) fn next_key(
        &mut self,
        members: &mut Members,
    ) -> Result<Option<JsonStr<'a>>, JsonError> {
        Ok(self.next_known_key(members, |_| None)?.map(|(key, _)| key))
    }

    /// [`Reader::next_key`] for an object whose usual members the caller knows by name: `known`
    /// numbers them (0 to 31), and the number comes back with the key. A known name is told
    /// from a duplicate by one bit, with no fingerprint and no entry on the key stack; other
    /// keys are checked as `next_key` checks them. (A name can be known or not, never both,
    /// so the two checks never need to meet.)
    #[inline(always)]
    pub(crate) fn next_known_key(
        &mut self,
        members: &mut Members,
        known: impl Fn(&str) -> Option<u32>,
    ) -> Result<Option<(JsonStr<'a>, Option<u32>)>, JsonError> {
        if !self.next_item(&mut members.first, b'}', Reason::ExpectedCommaOrBrace)? {
            self.keys.close(&members.keys);
            return Ok(None);
        }
        if self.peek() != Some(b'"') {
            return Err(self.error(Reason::ExpectedKey));
        }
        let at = self.pos;
        let key = self.string_here()?;
        // An escaped key is known by its decoded name, so `\u0069nputs` is `inputs`. Known
        // names are short: a longer escaped key is not decoded for the question.
        let name = if !key.escaped {
            known(key.raw)
        } else if key.raw.len() <= MAX_KNOWN_ESCAPED {
            // Known names are ASCII: a key that is not cannot be one.
            key.decode_ascii_in(&mut [0; MAX_KNOWN_ESCAPED])
                .and_then(&known)
        } else {
            None
        };
        // A number past 31 has no bit: that name is checked on the key stack, every time.
        let new = match name.and_then(|number| 1u32.checked_shl(number)) {
            Some(bit) => {
                let new = members.known & bit == 0;
                members.known |= bit;
                new
            }
            None => self.keys.insert(&mut members.keys, key),
        };
        if !new {
            return Err(JsonError::at(at, Reason::DuplicateKey));
        }
        self.skip_whitespace();
        if self.peek() != Some(b':') {
            return Err(self.error(Reason::ExpectedColon));
        }
        self.pos += 1;
        self.skip_whitespace();
        Ok(Some((key, name)))
    }

    /// True if another element follows, false at the `]`.
    #[inline(always)]
    pub(crate) fn next_element(&mut self, elements: &mut Elements) -> Result<bool, JsonError> {
        self.next_item(&mut elements.first, b']', Reason::ExpectedCommaOrBracket)
    }

    /// Reads the string value at the current position (white space already skipped).
    #[inline(always)]
    pub(crate) fn string(&mut self) -> Result<JsonStr<'a>, JsonError> {
        self.expect_here(b'"')?;
        self.string_here()
    }

    /// Reads the string whose opening quote is at the current position. The common string, one
    /// with no escapes, is found by one scan for its closing quote.
    #[inline(always)]
    fn string_here(&mut self) -> Result<JsonStr<'a>, JsonError> {
        let open = self.pos;
        let end = find_special(self.bytes(), open + 1);
        // Both ways meet on plain positions, not on a string handle: a handle built on each
        // way would be merged through memory and read back before the processor can forward
        // the stores.
        let (close, escaped) = if self.bytes().get(end) == Some(&b'"') {
            (end, false)
        } else {
            (self.escaped_string_end(open, end)?, true)
        };
        Ok(self.close_string(open, close, escaped))
    }

    /// The closing quote of a string whose first special byte, at `at`, is not that quote.
    #[inline(never)]
    fn escaped_string_end(&self, open: usize, mut at: usize) -> Result<usize, JsonError> {
        let bytes = self.bytes();
        loop {
            match bytes.get(at) {
                Some(b'"') => return Ok(at),
                Some(b'\\') => at = find_special(bytes, check_escape(bytes, at)?),
                Some(_) => return Err(JsonError::at(at, Reason::ControlCharacter)),
                None => return Err(JsonError::at(open, Reason::UnterminatedString)),
            }
        }
    }

    /// The string between the quotes at `open` and `close`; reading goes on after it.
    #[inline(always)]
    fn close_string(&mut self, open: usize, close: usize, escaped: bool) -> JsonStr<'a> {
        self.pos = close + 1;
        JsonStr {
            raw: self
                .text
                .get(open + 1..close)
                .holds("the quotes of one string, ASCII, in the text"),
            escaped,
            offset: open,
        }
    }

    /// Reads the number that starts at the current position. A number whose magnitude overflows
    /// `f64` is an error.
    #[inline]
    fn number_here(&mut self) -> Result<(), JsonError> {
        self.pos = scan_number(self.bytes(), self.pos)?;
        Ok(())
    }

    fn word(&mut self, word: &'static str) -> Result<(), JsonError> {
        if self
            .bytes()
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word.as_bytes()))
        {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error(Reason::ExpectedValue))
        }
    }

    /// Reads and checks one value of any kind; returns its exact text.
    pub(crate) fn skip_value(&mut self) -> Result<&'a str, JsonError> {
        let start = self.offset();
        self.walk_value(&mut Skip)?;
        Ok(self.since(start))
    }

    /// [`Reader::walk_value`] for a member or element, at its first byte: strings and numbers,
    /// the commonest, are read without the call and dispatch a nested value costs.
    #[inline(always)]
    pub(crate) fn walk_item<V: Visitor<'a>>(&mut self, visitor: &mut V) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'"') => visitor.string(self.string_here()?),
            Some(b'-' | b'0'..=b'9') => self.walk_number(visitor)?,
            _ => self.walk_value(visitor)?,
        }
        Ok(())
    }

    #[inline(always)]
    fn walk_number<V: Visitor<'a>>(&mut self, visitor: &mut V) -> Result<(), JsonError> {
        let start = self.pos;
        self.number_here()?;
        if V::NUMBERS {
            visitor.number(self.since(start));
        }
        Ok(())
    }

    /// Reads and checks one value of any kind, showing `visitor` every string and number inside
    /// it with the path to it. The reader must stand at the value's first byte, white space
    /// skipped, as it does after [`Reader::next_key`] or [`Reader::offset`]: skipping it again
    /// here cost a test and a store for every value. (A caller that wants the value's text
    /// takes it with [`Reader::offset`] and [`Reader::since`]: computed at every level, it
    /// would cost a boundary check per nested value.)
    pub(crate) fn walk_value<V: Visitor<'a>>(&mut self, visitor: &mut V) -> Result<(), JsonError> {
        match self.kind_here()? {
            Kind::Object => {
                let mut members = self.enter_object()?;
                while let Some(key) = self.next_key(&mut members)? {
                    visitor.enter_key(key);
                    self.walk_item(visitor)?;
                    visitor.leave();
                }
            }
            Kind::Array => {
                let mut elements = self.enter_array()?;
                let mut index = 0;
                while self.next_element(&mut elements)? {
                    visitor.enter_index(index);
                    self.walk_item(visitor)?;
                    visitor.leave();
                    index += 1;
                }
            }
            Kind::String => visitor.string(self.string_here()?),
            Kind::Number => self.walk_number(visitor)?,
            Kind::Bool => {
                if self.peek() == Some(b't') {
                    self.word("true")?;
                } else {
                    self.word("false")?;
                }
            }
            Kind::Null => self.word("null")?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<&str, JsonError> {
        let mut reader = Reader::new(text);
        let value = reader.skip_value()?;
        reader.finish()?;
        Ok(value)
    }

    #[test]
    fn accepts_rfc_8259_values() {
        for text in [
            "0",
            "-0",
            "1.5e-3",
            "-12E+4",
            "1e-400",
            "true",
            "false",
            "null",
            r#""a\u00e9\n""#,
            "[]",
            "{}",
            r#" {"a": [1, {"b": null}], "c": "d"} "#,
            "123456789012345678901234567890",
        ] {
            assert!(check(text).is_ok(), "{text}");
        }
        assert_eq!(check(" [1, 2] "), Ok("[1, 2]"));
    }

    #[test]
    fn white_space_may_stand_at_every_token_boundary() {
        // Each value is read where the reader stands, so every step that leaves white space
        // behind must skip it: put all four kinds at every boundary, nested both ways.
        let tokens = [
            "{", r#""a""#, ":", "[", "1", ",", r#""s""#, ",", "{", "}", ",", "[", "]", ",", "true",
            ",", "null", ",", "{", r#""b""#, ":", "-2.5e3", "}", "]", ",", r#""c""#, ":", "false",
            "}",
        ];
        let compact = tokens.concat();
        for space in [" ", "\t", "\n", "\r", " \r\n\t "] {
            let spaced = format!("{space}{}{space}", tokens.join(space));
            assert_eq!(
                check(&spaced).map(|v| v.len()),
                Ok(spaced.trim().len()),
                "{spaced:?}"
            );
        }
        assert_eq!(check(&compact), Ok(compact.as_str()));
    }

    #[test]
    fn rejects_what_rfc_8259_forbids() {
        for text in [
            "",
            " ",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "NaN",
            "Infinity",
            "tru",
            "nul",
            "'a'",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "[1 2]",
            "\"\t\"",
            "\"abc",
            "1e400",
            "-1e400",
            "[1] x",
            "{\"a\":1}}",
            "/*c*/1",
            "\"\\ud800\"",
            "\u{feff}1",
        ] {
            assert!(check(text).is_err(), "{text:?}");
        }
        assert!(check(&"9".repeat(400)).is_err());
        assert!(check(&"9".repeat(308)).is_ok());
    }

    #[test]
    fn rejects_duplicate_keys_after_unescaping() {
        assert_eq!(
            check(r#"{"a": 1, "\u0061": 2}"#).map_err(|e| e.reason()),
            Err(Reason::DuplicateKey)
        );
        assert!(check(r#"{"a": {"a": 1}, "b": {"a": 2}}"#).is_ok());
    }

    #[test]
    fn limits_depth_to_128() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(check(&nested(128)).is_ok());
        assert_eq!(
            check(&nested(129)).map_err(|e| e.reason()),
            Err(Reason::TooDeep)
        );
        assert!(check(&nested(100_000)).is_err());
    }

    #[test]
    fn reports_where_the_problem_is() {
        assert_eq!(check("[1, 2,]").unwrap_err().offset(), 6);
        assert_eq!(check("{\"a\": 1, \"a\": 2}").unwrap_err().offset(), 9);
    }

    #[test]
    fn a_byte_order_mark_is_named_only_at_the_start() {
        let reason = |text: &str| {
            check(text)
                .map(|_| ())
                .map_err(|e| (e.reason(), e.offset()))
        };
        assert_eq!(reason("\u{FEFF}1"), Err((Reason::ByteOrderMark, 0)));
        assert_eq!(reason("[\u{FEFF}]"), Err((Reason::ExpectedValue, 1)));
        assert_eq!(reason(" \u{FEFF}"), Err((Reason::ExpectedValue, 1)));
    }

    #[test]
    fn entering_a_value_of_another_kind_is_an_error() {
        for (text, object) in [("[1]", true), ("{}", false), ("\"{\"", true), ("1", false)] {
            let mut reader = Reader::new(text);
            let entered = if object {
                reader.enter_object().map(|_| ())
            } else {
                reader.enter_array().map(|_| ())
            };
            let error = entered.err().map(|e| (e.reason(), e.offset()));
            assert_eq!(error, Some((Reason::ExpectedValue, 0)), "{text}");
        }
    }
}
