//! Duplicate-key detection for every open object, keys compared after unescaping.

mod large;

use std::collections::hash_map::RandomState;

use self::large::LargeKeys;
use super::JsonStr;

/// Objects up to this many keys are checked by a linear scan, which is faster than hashing for
/// the small objects that make up almost every workflow; larger ones move to a set of their own
/// (bits for small numbers, a keyed hash set for other keys) so a hostile object with a million
/// keys still costs O(n). Thanks to the fingerprint mask, a scan runs only when a bit repeats,
/// so nodes with 17 to 32 inputs (common in real workflows) stay off the hash set: 9.42 M to
/// 9.26 M instructions for the whole shared corpus.
const LINEAR_LIMIT: usize = 32;

/// The keys of every small object currently open, innermost last. One stack is shared by all
/// objects, so reading a small object allocates nothing once the stack has grown, and closing one
/// is O(1). Keys are kept as written, escapes and all: two keys are decoded only when their
/// fingerprints match, which in a valid body happens almost only for a real duplicate.
/// Each open object's own part is described by its [`ObjectKeys`], which the reader keeps with
/// the object's other state.
pub(crate) struct KeyStack<'a> {
    /// The keyed hash for large objects: SipHash with per-process random keys, so no body can
    /// make its keys collide on purpose.
    hasher: RandomState,
    keys: Vec<Entry<'a>>,
    /// The sets of the open objects that have outgrown the linear scan, innermost last: objects
    /// close in the reverse order they open, so an object's set is always the last one while
    /// it is the innermost. (Kept here, not in each [`ObjectKeys`], so that an object's state
    /// needs no dropping: that cost every object of every request a call.)
    sets: Vec<LargeKeys<'a>>,
}

/// Where one open object's keys are: its part of the shared stack, or, once it has more than
/// [`LINEAR_LIMIT`] keys, its own set.
pub(crate) struct ObjectKeys {
    start: usize,
    /// One bit per fingerprint seen (folded to 64), so a new key is compared with the others
    /// only when its bit is already set: almost only for a duplicate, instead of one step per
    /// key already there at every insert.
    seen: u64,
    /// Whether the object has its own set: the last of [`KeyStack`]'s.
    large: bool,
}

/// A key as written, and the fingerprint of its unescaped text.
#[derive(Clone, Copy)]
struct Entry<'a> {
    print: u64,
    raw: &'a str,
}

/// The length and the first and last bytes of the unescaped key: cheap, and enough to tell
/// apart the keys of real objects (`input_0`, `input_1`), so whole keys are compared almost only
/// for duplicates.
#[inline]
fn fingerprint(key: JsonStr<'_>) -> u64 {
    if key.escaped {
        return escaped_fingerprint(key);
    }
    plain_fingerprint(key.raw)
}

/// The fingerprint of a key without escapes.
#[inline(always)]
fn plain_fingerprint(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let end = |b: Option<&u8>| b.copied().unwrap_or(0);
    print(bytes.len(), end(bytes.first()), end(bytes.last()))
}

/// The bit of [`ObjectKeys::seen`] that stands for a fingerprint.
#[inline(always)]
fn seen_bit(print: u64) -> u64 {
    1 << (print.wrapping_mul(FOLD) >> 58)
}

fn print(len: usize, first: u8, last: u8) -> u64 {
    (len as u64) << 16 | u64::from(first) << 8 | u64::from(last)
}

/// The fingerprint of a key with escapes (rare), measured one decoded character at a time.
#[cold]
fn escaped_fingerprint(key: JsonStr<'_>) -> u64 {
    let (mut len, mut first, mut last) = (0, None, 0);
    for c in key.chars() {
        let mut buffer = [0; 4];
        let encoded = c.encode_utf8(&mut buffer).as_bytes();
        first = first.or(encoded.first().copied());
        last = encoded.last().copied().unwrap_or(0);
        len += encoded.len();
    }
    print(len, first.unwrap_or(0), last)
}

/// Whether a stored key and `key`, whose fingerprints match, are the same once unescaped.
fn same_key(stored: &str, key: JsonStr<'_>) -> bool {
    let stored = JsonStr::from_valid(stored, 0);
    if stored.escaped || key.escaped {
        stored.chars().eq(key.chars())
    } else {
        stored.raw == key.raw
    }
}

/// An odd constant (2^64 over the golden ratio) whose product with a fingerprint spreads its
/// bits into the top six, which pick the fingerprint's bit in [`ObjectKeys::seen`].
const FOLD: u64 = 0x9E37_79B9_7F4A_7C15;

/// Room for the keys of the objects open at once in a typical workflow (the body, `prompt`, a
/// node, its `inputs`, a nested value), so a small request never grows the stack. (A large
/// `prompt`, holding up to [`LINEAR_LIMIT`] keys before its own set, grows it once; twice the
/// room would cost every small request more, as 1.5 KB is past the allocator's fast sizes.)
const TYPICAL_KEYS: usize = 32;

impl<'a> KeyStack<'a> {
    pub(crate) fn new() -> Self {
        KeyStack {
            hasher: RandomState::new(),
            keys: Vec::with_capacity(TYPICAL_KEYS),
            sets: Vec::new(),
        }
    }

    /// The keys of an object just opened: none yet.
    pub(crate) fn open(&self) -> ObjectKeys {
        ObjectKeys {
            start: self.keys.len(),
            seen: 0,
            large: false,
        }
    }

    /// Forgets the keys of `object`, the innermost open object.
    #[inline]
    pub(crate) fn close(&mut self, object: &ObjectKeys) {
        self.keys.truncate(object.start);
        if object.large {
            self.drop_set();
        }
    }

    /// Drops the set of the innermost open object, which is closing.
    #[cold]
    fn drop_set(&mut self) {
        self.sets.pop();
    }

    /// Records a key of `object`, the innermost open object; false if it already has it.
    /// The common case, a plain key of a small object whose fingerprint is new, is inlined.
    #[inline(always)]
    pub(crate) fn insert(&mut self, object: &mut ObjectKeys, key: JsonStr<'a>) -> bool {
        if !object.large && !key.escaped {
            let print = plain_fingerprint(key.raw);
            let bit = seen_bit(print);
            if object.seen & bit == 0 && self.keys.len() - object.start < LINEAR_LIMIT {
                object.seen |= bit;
                self.keys.push(Entry {
                    print,
                    raw: key.raw,
                });
                return true;
            }
        }
        self.insert_slowly(object, key)
    }

    /// [`KeyStack::insert`] for the rest: an escaped key, a fingerprint seen before in this
    /// object, or an object with more than [`LINEAR_LIMIT`] keys.
    #[inline(never)]
    fn insert_slowly(&mut self, object: &mut ObjectKeys, key: JsonStr<'a>) -> bool {
        if object.large {
            if let Some(set) = self.sets.last_mut() {
                return set.insert(&self.hasher, key.decode());
            }
        }
        let print = fingerprint(key);
        let bit = seen_bit(print);
        if object.seen & bit != 0 && self.has(object.start, print, key) {
            return false;
        }
        object.seen |= bit;
        if self.keys.len() - object.start >= LINEAR_LIMIT {
            let set = self.move_to_set(object.start, key);
            self.sets.push(set);
            object.large = true;
            return true;
        }
        self.keys.push(Entry {
            print,
            raw: key.raw,
        });
        true
    }

    /// Whether the keys from `start` on include `key`, whose fingerprint is `print`.
    #[cold]
    fn has(&self, start: usize, print: u64, key: JsonStr<'a>) -> bool {
        self.keys
            .get(start..)
            .unwrap_or_default()
            .iter()
            .any(|entry| entry.print == print && same_key(entry.raw, key))
    }

    /// The set for an object that has outgrown the linear scan: its keys from `start` on,
    /// taken off the stack, and `key`.
    #[cold]
    fn move_to_set(&mut self, start: usize, key: JsonStr<'a>) -> LargeKeys<'a> {
        let mut set = LargeKeys::with_capacity(LINEAR_LIMIT * 4);
        for entry in self.keys.drain(start..) {
            set.insert(&self.hasher, JsonStr::from_valid(entry.raw, 0).decode());
        }
        set.insert(&self.hasher, key.decode());
        set
    }
}

#[cfg(test)]
mod tests {
    use super::{KeyStack, fingerprint};
    use crate::json::JsonStr;

    fn key(raw: &str) -> JsonStr<'_> {
        JsonStr::from_valid(raw, 0)
    }

    #[test]
    fn keys_that_differ_in_length_or_end_bytes_differ_in_fingerprint() {
        let keys = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "input_0",
            "input_1",
            "0_input",
            "a_long_name_x",
            "a_long_name_y",
            "y_long_name_a",
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(fingerprint(key(a)), fingerprint(key(b)), "{a} {b}");
            }
        }
        // Same ends and length: same fingerprint, told apart by the full comparison.
        assert_eq!(
            fingerprint(key("abcdefgh_1_abcdefgh")),
            fingerprint(key("abcdefgh_2_abcdefgh"))
        );
        let mut stack = KeyStack::new();
        let mut object = stack.open();
        assert!(stack.insert(&mut object, key("abcdefgh_1_abcdefgh")));
        assert!(stack.insert(&mut object, key("abcdefgh_2_abcdefgh")));
        assert!(!stack.insert(&mut object, key("abcdefgh_2_abcdefgh")));
    }

    #[test]
    fn an_escaped_key_has_the_fingerprint_of_its_unescaped_text() {
        for (escaped, plain) in [
            (r"\u0061", "a"),
            (r"in\u0070ut_\u0031", "input_1"),
            (r"\u00e9t\u00e9", "été"),
            (r"\ud83d\ude00x\n", "😀x\n"),
        ] {
            assert_eq!(
                fingerprint(key(escaped)),
                fingerprint(key(plain)),
                "{escaped}"
            );
        }
    }

    #[test]
    fn finds_duplicates_per_object_small_and_large_escaped_or_not() {
        let mut keys = KeyStack::new();
        let mut outer = keys.open();
        let names: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        for name in &names {
            assert!(keys.insert(&mut outer, key(name)));
            let mut inner = keys.open();
            assert!(keys.insert(&mut inner, key("x")));
            assert!(!keys.insert(&mut inner, key(r"\u0078")));
            assert!(keys.insert(&mut inner, key(r"\u0079")));
            assert!(!keys.insert(&mut inner, key("y")));
            keys.close(&inner);
        }
        assert!(!keys.insert(&mut outer, key("3")));
        assert!(!keys.insert(&mut outer, key(r"\u0039\u0039")));
        assert!(keys.insert(&mut outer, key("100")));
        // A large object inside a large one: each has its own set, and closing the inner one
        // gives the outer one back its own.
        let inner_names: Vec<String> = (0..50).map(|i| format!("k{i}")).collect();
        let mut inner = keys.open();
        for name in &inner_names {
            assert!(keys.insert(&mut inner, key(name)));
        }
        assert!(!keys.insert(&mut inner, key("k7")));
        assert!(keys.insert(&mut inner, key("100_")));
        keys.close(&inner);
        assert!(keys.insert(&mut outer, key("k7")));
        assert!(!keys.insert(&mut outer, key("k7")));
        assert!(!keys.insert(&mut outer, key("100")));
        keys.close(&outer);
        let mut next = keys.open();
        assert!(keys.insert(&mut next, key("100")));
    }
}
