//! Duplicate-key detection for every open object, keys compared after unescaping.

mod large;

use std::borrow::Cow;
use std::collections::hash_map::RandomState;

use self::large::LargeKeys;

/// Objects up to this many keys are checked by a linear scan, which is faster than hashing for
/// the small objects that make up almost every workflow; larger ones move to a hash set so a
/// hostile object with a million keys still costs O(n).
const LINEAR_LIMIT: usize = 16;

/// The keys of every small object currently open, innermost last. One stack is shared by all
/// objects, so reading a small object allocates nothing once the stack has grown, and closing one
/// is O(1): entries are `Copy`, and the few keys that needed unescaping live in a side store.
/// Each open object's own part is described by its [`ObjectKeys`], which the reader keeps with
/// the object's other state.
pub(crate) struct KeyStack<'a> {
    /// The keyed hash for large objects: SipHash with per-process random keys, so no body can
    /// make its keys collide on purpose.
    hasher: RandomState,
    keys: Vec<Entry<'a>>,
    /// Unescaped copies of keys that had escapes, for the open objects.
    decoded: Vec<String>,
}

/// Where one open object's keys are: its part of the shared stack, or, once it has more than
/// [`LINEAR_LIMIT`] keys, its own set.
pub(crate) struct ObjectKeys<'a> {
    start: usize,
    decoded_start: usize,
    large: Option<Box<LargeKeys<'a>>>,
}

/// A key and its fingerprint: two different keys almost never share one, so the linear scan
/// compares whole keys only for real duplicates.
#[derive(Clone, Copy)]
struct Entry<'a> {
    print: u64,
    text: Text<'a>,
}

/// Where a key's unescaped text is.
#[derive(Clone, Copy)]
enum Text<'a> {
    /// In the body: the key had no escapes.
    Body(&'a str),
    /// In `KeyStack::decoded`, at this index.
    Decoded(usize),
}

/// The length and the first and last bytes: cheap, and enough to tell apart the keys of real
/// objects (`input_0`, `input_1`), so whole keys are compared almost only for duplicates.
fn fingerprint(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let end = |b: Option<&u8>| u64::from(b.copied().unwrap_or(0));
    (bytes.len() as u64) << 16 | end(bytes.first()) << 8 | end(bytes.last())
}

/// Room for the keys of the objects open at once in a typical workflow (the body, `prompt`, a
/// node, its `inputs`, a nested value), so a small request never grows the stack.
const TYPICAL_KEYS: usize = 32;

impl<'a> KeyStack<'a> {
    pub(crate) fn new() -> Self {
        KeyStack {
            hasher: RandomState::new(),
            keys: Vec::with_capacity(TYPICAL_KEYS),
            decoded: Vec::new(),
        }
    }

    /// The keys of an object just opened: none yet.
    pub(crate) fn open(&self) -> ObjectKeys<'a> {
        ObjectKeys {
            start: self.keys.len(),
            decoded_start: self.decoded.len(),
            large: None,
        }
    }

    /// Forgets the keys of `object`, the innermost open object.
    pub(crate) fn close(&mut self, object: &ObjectKeys<'a>) {
        self.keys.truncate(object.start);
        self.decoded.truncate(object.decoded_start);
    }

    fn text(&self, text: Text<'a>) -> &str {
        match text {
            Text::Body(key) => key,
            Text::Decoded(index) => self.decoded.get(index).map_or("", String::as_str),
        }
    }

    /// Records a key of `object`, the innermost open object; false if it already has it. Takes
    /// the `Cow` itself so that a key borrowed from the body is stored borrowed.
    #[allow(clippy::ptr_arg)]
    #[inline]
    pub(crate) fn insert(&mut self, object: &mut ObjectKeys<'a>, key: &Cow<'a, str>) -> bool {
        if let Some(set) = &mut object.large {
            return set.insert(&self.hasher, key.clone());
        }
        let print = fingerprint(key);
        let current = self.keys.get(object.start..).unwrap_or_default();
        if current
            .iter()
            .any(|entry| entry.print == print && self.text(entry.text) == key.as_ref())
        {
            return false;
        }
        if current.len() >= LINEAR_LIMIT {
            object.large = Some(self.move_to_set(object.start, key));
            return true;
        }
        let text = match key {
            Cow::Borrowed(text) => Text::Body(text),
            Cow::Owned(text) => {
                self.decoded.push(text.clone());
                Text::Decoded(self.decoded.len() - 1)
            }
        };
        self.keys.push(Entry { print, text });
        true
    }

    /// The set for an object that has outgrown the linear scan: its keys from `start` on,
    /// taken off the stack, and `key`.
    #[cold]
    fn move_to_set(&mut self, start: usize, key: &Cow<'a, str>) -> Box<LargeKeys<'a>> {
        let mut set = Box::new(LargeKeys::with_capacity(LINEAR_LIMIT * 4));
        let (hasher, decoded) = (&self.hasher, &self.decoded);
        for entry in self.keys.drain(start..) {
            let text = match entry.text {
                Text::Body(text) => Cow::Borrowed(text),
                Text::Decoded(index) => Cow::Owned(decoded.get(index).cloned().unwrap_or_default()),
            };
            set.insert(hasher, text);
        }
        set.insert(hasher, key.clone());
        set
    }
}

#[cfg(test)]
mod tests {
    use super::{KeyStack, fingerprint};
    use std::borrow::Cow;

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
                assert_ne!(fingerprint(a), fingerprint(b), "{a} {b}");
            }
        }
        // Same ends and length: same fingerprint, told apart by the full comparison.
        assert_eq!(
            fingerprint("abcdefgh_1_abcdefgh"),
            fingerprint("abcdefgh_2_abcdefgh")
        );
        let mut stack = KeyStack::new();
        let mut object = stack.open();
        assert!(stack.insert(&mut object, &Cow::Borrowed("abcdefgh_1_abcdefgh")));
        assert!(stack.insert(&mut object, &Cow::Borrowed("abcdefgh_2_abcdefgh")));
        assert!(!stack.insert(&mut object, &Cow::Borrowed("abcdefgh_2_abcdefgh")));
    }

    #[test]
    fn finds_duplicates_per_object_small_and_large() {
        let mut keys = KeyStack::new();
        let mut outer = keys.open();
        let names: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        for name in &names {
            assert!(keys.insert(&mut outer, &Cow::Borrowed(name.as_str())));
            let mut inner = keys.open();
            assert!(keys.insert(&mut inner, &Cow::Borrowed("x")));
            assert!(!keys.insert(&mut inner, &Cow::Owned("x".to_owned())));
            keys.close(&inner);
        }
        assert!(!keys.insert(&mut outer, &Cow::Borrowed("3")));
        assert!(!keys.insert(&mut outer, &Cow::Borrowed("99")));
        assert!(keys.insert(&mut outer, &Cow::Borrowed("100")));
        keys.close(&outer);
    }
}
