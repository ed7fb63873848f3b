//! Duplicate-key detection for every open object, keys compared after unescaping.

use std::borrow::Cow;
use std::collections::HashSet;

/// Objects up to this many keys are checked by a linear scan, which is faster than hashing for
/// the small objects that make up almost every workflow; larger ones move to a hash set so a
/// hostile object with a million keys still costs O(n).
const LINEAR_LIMIT: usize = 16;

/// The keys of every object currently open, innermost last. One stack is shared by all objects,
/// so reading a small object allocates nothing once the stack has grown.
#[derive(Default)]
pub(crate) struct KeyStack<'a> {
    keys: Vec<Entry<'a>>,
    frames: Vec<Frame<'a>>,
}

/// A key and its fingerprint: two different keys almost never share one, so the linear scan
/// compares whole keys only for real duplicates.
struct Entry<'a> {
    print: u64,
    key: Cow<'a, str>,
}

/// The length and the first and last bytes: cheap, and enough to tell apart the keys of real
/// objects (`input_0`, `input_1`), so whole keys are compared almost only for duplicates.
fn fingerprint(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let end = |b: Option<&u8>| u64::from(b.copied().unwrap_or(0));
    (bytes.len() as u64) << 16 | end(bytes.first()) << 8 | end(bytes.last())
}

/// `Cow::clone`, written out so it inlines: a borrowed key is copied, an owned one cloned.
fn copy<'a>(key: &Cow<'a, str>) -> Cow<'a, str> {
    match key {
        Cow::Borrowed(text) => Cow::Borrowed(text),
        Cow::Owned(text) => Cow::Owned(text.clone()),
    }
}

struct Frame<'a> {
    start: usize,
    large: Option<HashSet<Cow<'a, str>>>,
}

impl<'a> KeyStack<'a> {
    pub(crate) fn open(&mut self) {
        self.frames.push(Frame {
            start: self.keys.len(),
            large: None,
        });
    }

    pub(crate) fn close(&mut self) {
        if let Some(frame) = self.frames.pop() {
            self.keys.truncate(frame.start);
        }
    }

    /// Records a key of the innermost object; false if that object already has it. Takes the
    /// `Cow` itself so that a key borrowed from the body is stored borrowed.
    #[allow(clippy::ptr_arg)]
    pub(crate) fn insert(&mut self, key: &Cow<'a, str>) -> bool {
        let Some(frame) = self.frames.last_mut() else {
            return true;
        };
        if let Some(set) = &mut frame.large {
            return set.insert(copy(key));
        }
        let print = fingerprint(key);
        let current = self.keys.get(frame.start..).unwrap_or_default();
        if current
            .iter()
            .any(|entry| entry.print == print && entry.key == *key)
        {
            return false;
        }
        if current.len() < LINEAR_LIMIT {
            self.keys.push(Entry {
                print,
                key: copy(key),
            });
        } else {
            let mut set = HashSet::with_capacity(LINEAR_LIMIT * 8);
            set.extend(self.keys.drain(frame.start..).map(|entry| entry.key));
            set.insert(copy(key));
            frame.large = Some(set);
        }
        true
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
        let mut stack = KeyStack::default();
        stack.open();
        assert!(stack.insert(&Cow::Borrowed("abcdefgh_1_abcdefgh")));
        assert!(stack.insert(&Cow::Borrowed("abcdefgh_2_abcdefgh")));
        assert!(!stack.insert(&Cow::Borrowed("abcdefgh_2_abcdefgh")));
    }

    #[test]
    fn finds_duplicates_per_object_small_and_large() {
        let mut keys = KeyStack::default();
        keys.open();
        let names: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        for name in &names {
            assert!(keys.insert(&Cow::Borrowed(name.as_str())));
            keys.open();
            assert!(keys.insert(&Cow::Borrowed("x")));
            assert!(!keys.insert(&Cow::Owned("x".to_owned())));
            keys.close();
        }
        assert!(!keys.insert(&Cow::Borrowed("3")));
        assert!(!keys.insert(&Cow::Borrowed("99")));
        assert!(keys.insert(&Cow::Borrowed("100")));
        keys.close();
    }
}
