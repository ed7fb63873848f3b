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
    keys: Vec<Cow<'a, str>>,
    frames: Vec<Frame<'a>>,
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

    /// Records a key of the innermost object; false if that object already has it.
    pub(crate) fn insert(&mut self, key: Cow<'a, str>) -> bool {
        let Some(frame) = self.frames.last_mut() else {
            return true;
        };
        if let Some(set) = &mut frame.large {
            return set.insert(key);
        }
        let current = self.keys.get(frame.start..).unwrap_or_default();
        if current.contains(&key) {
            return false;
        }
        if current.len() < LINEAR_LIMIT {
            self.keys.push(key);
        } else {
            let mut set: HashSet<Cow<'a, str>> = self.keys.drain(frame.start..).collect();
            set.insert(key);
            frame.large = Some(set);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::KeyStack;
    use std::borrow::Cow;

    #[test]
    fn finds_duplicates_per_object_small_and_large() {
        let mut keys = KeyStack::default();
        keys.open();
        let names: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        for name in &names {
            assert!(keys.insert(Cow::Borrowed(name.as_str())));
            keys.open();
            assert!(keys.insert(Cow::Borrowed("x")));
            assert!(!keys.insert(Cow::Owned("x".to_owned())));
            keys.close();
        }
        assert!(!keys.insert(Cow::Borrowed("3")));
        assert!(!keys.insert(Cow::Borrowed("99")));
        assert!(keys.insert(Cow::Borrowed("100")));
        keys.close();
    }
}
