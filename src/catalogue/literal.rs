//! Judging a literal against its input: the contract's table of literals, `min` and `max`
//! compared exactly, and combo membership.

use std::borrow::Cow;

use super::limits::CheckOptions;
use super::model::{Combo, Input, InputKind};
use super::number::Number;
use crate::json::{JsonStr, Reader};
use crate::urls::is_url_like;

/// A literal, read from its JSON text (already checked), as the check sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'v> {
    String(Cow<'v, str>),
    Number(Number),
    Bool(bool),
    Null,
    /// An array or object, as written.
    Array(&'v str),
    Object(&'v str),
}

impl Value<'_> {
    /// The JSON type name, for `received_type`.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Bool(_) => "boolean",
            Value::Null => "null",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}

/// Reads the value that `text` is exactly (checked JSON, no white space around it); `None`
/// only for text that is not JSON. Scalars are read from their first byte, without a reader.
pub(crate) fn read(text: &str) -> Option<Value<'_>> {
    let value = match text.as_bytes().first()? {
        b'"' => Value::String(string_text(text)?),
        b'-' | b'0'..=b'9' => Value::Number(Number::parse(text)?),
        b't' => Value::Bool(true),
        b'f' => Value::Bool(false),
        b'n' => Value::Null,
        b'[' => Value::Array(text),
        b'{' => Value::Object(text),
        _ => return None,
    };
    Some(value)
}

/// The value of an object whose only member is `__value__`, as its text; `None` for any other
/// text.
/// (The test of the first byte inlined: almost every literal is not an object, and the call
/// of the whole function cost it more than the test.)
#[inline]
pub(crate) fn unwrap_value(text: &str) -> Option<&str> {
    if !text.starts_with('{') {
        return None;
    }
    wrapped_value(text)
}

/// [`unwrap_value`] of a text that starts an object.
#[inline(never)]
fn wrapped_value(text: &str) -> Option<&str> {
    let mut reader = Reader::new(text);
    let mut members = reader.enter_object().ok()?;
    let key = reader.next_key(&mut members).ok()??;
    if key.decode() != "__value__" {
        return None;
    }
    let inner = reader.skip_value().ok()?;
    reader
        .next_key(&mut members)
        .ok()?
        .is_none()
        .then_some(inner)
}

/// What is wrong with a literal, if anything.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Verdict {
    Fits,
    WrongType,
    BelowMin(Number),
    AboveMax(Number),
    NotInList,
}

/// Judges the literal `text` of an input declared as `input`.
pub(crate) fn judge(text: &str, input: &Input, options: &CheckOptions) -> Verdict {
    // `{"__value__": v}` is judged as `v`; an array inside it stays a literal.
    let (text, wrapped) = match unwrap_value(text) {
        Some(inner) => (inner, true),
        None => (text, false),
    };
    // A plain integer into INT or FLOAT, the commonest literal, read at once.
    if matches!(input.kind, InputKind::Int | InputKind::Float)
        && let Some(number) = plain_integer(text)
    {
        return bounds(number, input);
    }
    // Strings and booleans are told by their first byte: the text is JSON the request pass
    // checked, so nothing needs reading.
    match (&input.kind, text.as_bytes().first()) {
        (InputKind::String, Some(b'"' | b'-' | b'0'..=b'9')) => return Verdict::Fits,
        (InputKind::String, _) => return Verdict::WrongType,
        (InputKind::Boolean, _) => return fits(text == "true" || text == "false"),
        _ => {}
    }
    let Some(value) = read(text) else {
        return Verdict::WrongType;
    };
    match &input.kind {
        InputKind::Int => match as_int(&value) {
            Some(number) => bounds(number, input),
            None => Verdict::WrongType,
        },
        InputKind::Float => match as_float(&value) {
            Some(number) => bounds(number, input),
            None => Verdict::WrongType,
        },
        InputKind::String => fits(matches!(value, Value::String(_) | Value::Number(_))),
        InputKind::Boolean => fits(matches!(value, Value::Bool(_))),
        InputKind::Socket(type_name) => {
            let takes_literals = options.literal_types.contains(&**type_name)
                || &**type_name == "*"
                || type_name.starts_with("COMFY_")
                || input.has_default;
            fits(takes_literals && !(wrapped && matches!(value, Value::Array(_))))
        }
        InputKind::Combo(combo) => {
            if combo.unchecked || combo.exempt || combo.options.is_none() {
                return Verdict::Fits;
            }
            match (&value, combo.multiselect && wrapped) {
                (Value::Array(list), true) => each_in_list(list, combo),
                _ if in_list(&value, combo) => Verdict::Fits,
                _ => Verdict::NotInList,
            }
        }
        InputKind::Dynamic(choices) => match &value {
            Value::String(key) if choices.iter().any(|choice| *choice.key == **key) => {
                Verdict::Fits
            }
            _ => Verdict::NotInList,
        },
    }
}

fn fits(ok: bool) -> Verdict {
    if ok {
        Verdict::Fits
    } else {
        Verdict::WrongType
    }
}

/// The value of `-?[0-9]{1,18}`, which no `i64` overflows; `None` for any other text.
fn plain_integer(text: &str) -> Option<Number> {
    let (negative, digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        all => (false, all),
    };
    if digits.is_empty() || digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let magnitude = digits
        .iter()
        .fold(0i64, |n, &b| n * 10 + i64::from(b - b'0'));
    Some(Number::Int(i128::from(if negative {
        -magnitude
    } else {
        magnitude
    })))
}

/// `min` and `max`, exactly.
fn bounds(number: Number, input: &Input) -> Verdict {
    use std::cmp::Ordering::{Greater, Less};
    if let Some(min) = input.min
        && number.compare(min) == Some(Less)
    {
        return Verdict::BelowMin(min);
    }
    if let Some(max) = input.max
        && number.compare(max) == Some(Greater)
    {
        return Verdict::AboveMax(max);
    }
    Verdict::Fits
}

/// An INT: an integer, a number with no fractional part, or a string of digits with an
/// optional sign (which ComfyUI converts).
fn as_int(value: &Value<'_>) -> Option<Number> {
    match value {
        Value::Number(number) if number.is_integral() => Some(*number),
        Value::String(text) => {
            let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Number::parse(text.strip_prefix('+').unwrap_or(text))
        }
        _ => None,
    }
}

/// A FLOAT: a number, or a decimal string whose value is finite.
fn as_float(value: &Value<'_>) -> Option<Number> {
    match value {
        Value::Number(number) => Some(*number),
        Value::String(text) if is_decimal(text) => text
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Number::Float),
        _ => None,
    }
}

/// `^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`, by hand.
fn is_decimal(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let whole = digits(&mut i);
    let mut fraction = 0;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        fraction = digits(&mut i);
    } else if whole == 0 {
        return false;
    }
    if whole == 0 && fraction == 0 {
        return false;
    }
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = bytes.get(i) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

/// Whether a value is one of the combo's options (or skipped, being a URL).
fn in_list(value: &Value<'_>, combo: &Combo) -> bool {
    let Some(options) = &combo.options else {
        return true;
    };
    match value {
        // The list first: most values are in it, and then the URL test is not needed.
        Value::String(text) => options.has_text(text) || is_url_like(text),
        Value::Number(number) => options.has_number(*number),
        _ => false,
    }
}

/// A multiselect list, element by element.
fn each_in_list(list: &str, combo: &Combo) -> Verdict {
    let mut reader = Reader::new(list);
    let Ok(mut elements) = reader.enter_array() else {
        return Verdict::NotInList;
    };
    while let Ok(true) = reader.next_element(&mut elements) {
        let Ok(element) = reader.skip_value() else {
            return Verdict::NotInList;
        };
        let ok = read(element).is_some_and(|value| in_list(&value, combo));
        if !ok {
            return Verdict::NotInList;
        }
    }
    Verdict::Fits
}

/// The decoded text of a JSON string literal, for details.
pub(crate) fn string_text(raw: &str) -> Option<Cow<'_, str>> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    Some(JsonStr::from_valid(inner, 0).decode())
}

#[cfg(test)]
mod tests {
    use super::{is_decimal, plain_integer, unwrap_value};
    use crate::catalogue::number::Number;

    #[test]
    fn plain_integers_read_as_the_general_reader_reads_them() {
        for text in [
            "0",
            "-0",
            "7",
            "-7",
            "512",
            "999999999999999999",
            "-999999999999999999",
        ] {
            assert_eq!(plain_integer(text), Number::parse(text), "{text}");
        }
        // Longer, fractional, exponent, strings: left to the general reading.
        for text in [
            "1000000000000000000",
            "1.0",
            "1e3",
            "-",
            "",
            "\"5\"",
            "true",
            "[1]",
        ] {
            assert_eq!(plain_integer(text), None, "{text}");
        }
    }

    #[test]
    fn decimal_strings_are_what_the_contract_s_expression_matches() {
        for yes in ["7.5", ".5", "1e3", "+1", "-2.", "0.0E-7", "12", "1.e5"] {
            assert!(is_decimal(yes), "{yes}");
        }
        for no in [
            "", "+", ".", "e3", "1e", "1e+", " 1", "1 ", "nan", "inf", "1_0", "0x1", "1.2.3", "--1",
        ] {
            assert!(!is_decimal(no), "{no}");
        }
    }

    #[test]
    fn only_a_lone_value_member_is_unwrapped() {
        assert_eq!(unwrap_value(r#"{"__value__": [1, 2]}"#), Some("[1, 2]"));
        assert_eq!(unwrap_value(r#"{"__val\u0075e__": "a"}"#), Some(r#""a""#));
        assert_eq!(unwrap_value(r#"{"__value__": 1, "x": 2}"#), None);
        assert_eq!(unwrap_value(r#"{"value": 1}"#), None);
        assert_eq!(unwrap_value(r#"{}"#), None);
        assert_eq!(unwrap_value(r#"[1]"#), None);
    }
}
