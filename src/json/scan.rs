//! Reading again text that the strict reader has already checked: the members of an object
//! and the elements of an array, found by where they end (strings and brackets) and nothing
//! else. None of the reader's checks (UTF-8, escapes, numbers, duplicate keys, depth) is made
//! again, which makes this several times cheaper than a second strict pass: it is what the
//! layers above validation use to look at values they were handed. On text that is not valid
//! JSON it stops early rather than fail; it never panics.

use super::JsonStr;
use super::string::find_special;
use super::structure::find_structure;
use super::text::past_whitespace;

/// The members of the object whose text is `object` (from its `{` to its `}`).
pub(crate) fn members(object: &str) -> Members<'_> {
    Members {
        text: object,
        pos: open(object, b'{'),
    }
}

/// The elements of the array whose text is `array` (from its `[` to its `]`).
pub(crate) fn elements(array: &str) -> Elements<'_> {
    Elements {
        text: array,
        pos: open(array, b'['),
    }
}

/// The position after the opening byte, or past the end if the text does not open so.
fn open(text: &str, byte: u8) -> usize {
    if text.as_bytes().first() == Some(&byte) {
        1
    } else {
        text.len()
    }
}

/// Whether the object whose members go on at `pos` (just past one member's value) holds at
/// least `wanted` more before it closes, told by its strings and brackets alone: a comma outside
/// every string and bracket starts a member. Exact on valid JSON, which is all this module
/// promises; on text the strict reader has not checked yet, any answer and never a panic, so a
/// caller that acts on it must still check the text. It stops at the member it wanted, so its
/// cost is the bytes up to there, whatever follows.
pub(crate) fn has_members_after(text: &str, pos: usize, wanted: usize) -> bool {
    if wanted == 0 {
        return true;
    }
    let (mut depth, mut found) = (0usize, 0usize);
    let mut closed = false;
    find_structure(text.as_bytes(), pos, |byte, _| match byte {
        b'[' | b'{' => {
            depth += 1;
            false
        }
        b']' | b'}' => match depth.checked_sub(1) {
            Some(outer) => {
                depth = outer;
                false
            }
            None => {
                closed = true;
                true
            }
        },
        b',' if depth == 0 => {
            found += 1;
            found == wanted
        }
        _ => false,
    });
    !closed && found == wanted
}

/// See [`members`]: each item is a key, still escaped, and the value's exact text.
pub(crate) struct Members<'a> {
    text: &'a str,
    pos: usize,
}

/// See [`elements`]: each item is an element's exact text.
pub(crate) struct Elements<'a> {
    text: &'a str,
    pos: usize,
}

/// Past the separator before the next item: white space, then a `,` if one is there.
fn next_item(bytes: &[u8], pos: usize) -> usize {
    let pos = past_whitespace(bytes, pos);
    if bytes.get(pos) == Some(&b',') {
        past_whitespace(bytes, pos + 1)
    } else {
        pos
    }
}

/// The closing quote of the string whose opening quote is at `open`. In checked text the only
/// special bytes are quotes and backslashes, so the reader's word-at-a-time scan finds them.
fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut at = open + 1;
    loop {
        at = find_special(bytes, at);
        match bytes.get(at) {
            Some(b'\\') => at += 2,
            _ => return at,
        }
    }
}

/// Where the value that starts at `pos` ends.
fn value_end(bytes: &[u8], pos: usize) -> usize {
    match bytes.get(pos) {
        Some(b'"') => string_end(bytes, pos) + 1,
        Some(b'[' | b'{') => {
            let mut depth = 0usize;
            let close = find_structure(bytes, pos, |byte, _| match byte {
                b'[' | b'{' => {
                    depth += 1;
                    false
                }
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    depth == 0
                }
                _ => false,
            });
            close.saturating_add(1).min(bytes.len())
        }
        _ => {
            let mut at = pos;
            while bytes
                .get(at)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                at += 1;
            }
            at
        }
    }
}

impl<'a> Iterator for Members<'a> {
    type Item = (JsonStr<'a>, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        let open = next_item(bytes, self.pos);
        if bytes.get(open) != Some(&b'"') {
            self.pos = bytes.len();
            return None;
        }
        let close = string_end(bytes, open);
        let raw = self.text.get(open + 1..close)?;
        let colon = past_whitespace(bytes, close + 1);
        let start = past_whitespace(bytes, colon + 1);
        let end = value_end(bytes, start);
        if end == start {
            // No value (only in text that is not JSON).
            self.pos = bytes.len();
            return None;
        }
        self.pos = end;
        let key = JsonStr {
            raw,
            escaped: raw.as_bytes().contains(&b'\\'),
            offset: open,
        };
        Some((key, self.text.get(start..end)?))
    }
}

impl<'a> Iterator for Elements<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let start = next_item(bytes, self.pos);
        if matches!(bytes.get(start), None | Some(b']')) {
            self.pos = bytes.len();
            return None;
        }
        let end = value_end(bytes, start);
        if end == start {
            // Not a value (only in text that is not JSON): stop rather than stand still.
            self.pos = bytes.len();
            return None;
        }
        self.pos = end;
        self.text.get(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::{elements, has_members_after, members};

    #[test]
    fn members_and_elements_of_checked_text() {
        let text =
            r#"{ "a" : 1.5e3 , "b\"c": "x\\\"]}" ,"d":[1,{"e":"]"},[]],"f":{},"g":true,"h":null}"#;
        let found: Vec<(&str, bool, &str)> =
            members(text).map(|(k, v)| (k.raw, k.escaped, v)).collect();
        assert_eq!(
            found,
            [
                ("a", false, "1.5e3"),
                (r#"b\"c"#, true, r#""x\\\"]}""#),
                ("d", false, r#"[1,{"e":"]"},[]]"#),
                ("f", false, "{}"),
                ("g", false, "true"),
                ("h", false, "null"),
            ]
        );
        assert_eq!(members("{}").count(), 0);
        assert_eq!(members(" {").count(), 0, "not an object");
        let items: Vec<&str> = elements(r#"[ "3" , 0, [1, "]"], {"a": [2]} ]"#).collect();
        assert_eq!(items, [r#""3""#, "0", r#"[1, "]"]"#, r#"{"a": [2]}"#]);
        assert_eq!(elements("[]").count(), 0);
        assert_eq!(elements("[\n]").count(), 0);
    }

    #[test]
    fn text_that_is_not_json_ends_the_walk_without_panicking() {
        for junk in [
            "{\"a",
            "{\"a\":",
            "{\"a\": [1, {\"b\": \"",
            "[\"\\",
            "{\"a\" 1 2}",
            "[[[[",
            "[}",
            "[,,]",
            "{\"a\":}",
            "{\"a\":,\"b\":1}",
        ] {
            let _ = members(junk).count();
            let _ = elements(junk).count();
        }
    }

    #[test]
    fn members_after_a_value_are_counted_by_structure() {
        let text = r#"{"a": 1, "b": {"c": [1, 2], "d": "x,}"}, "e\",": [{}], "f": null}"#;
        let after_a = text.find(", \"b\"").unwrap_or(0);
        for (wanted, expected) in [(0, true), (1, true), (3, true), (4, false), (9, false)] {
            assert_eq!(
                has_members_after(text, after_a, wanted),
                expected,
                "{wanted}"
            );
        }
        let last = text.rfind("null").unwrap_or(0) + 4;
        assert!(!has_members_after(text, last, 1), "the object closes first");
        assert!(has_members_after(text, last, 0));
    }

    #[test]
    fn counting_text_that_is_not_json_never_panics() {
        for junk in ["", ",", "]]]", "\"", "\"\\", ", \"a", ",,,,", "{{{{,"] {
            for wanted in 0..6 {
                for pos in 0..=junk.len() + 1 {
                    let _ = has_members_after(junk, pos, wanted);
                }
            }
        }
        assert!(has_members_after(",,", 0, 2));
        assert!(!has_members_after("{,,", 0, 1), "inside a bracket");
    }

    #[test]
    fn text_of_another_kind_has_no_members_or_elements() {
        assert_eq!(members(r#"["a": 1, "b": 2]"#).count(), 0);
        assert_eq!(members(r#""a": 1}"#).count(), 0);
        assert_eq!(elements("{1, 2}").count(), 0);
        assert_eq!(elements("11, 2]").count(), 0);
    }
}
