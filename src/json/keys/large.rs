//! The keys of an object too large for a linear scan.

use std::borrow::Cow;
use std::collections::HashSet;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

/// Keys that are decimal numbers below this are kept as bits, not hashed.
const NUMBER_LIMIT: usize = 1 << 16;

/// The keys of one large object. Node ids in a workflow are almost always small numbers
/// (`"1"` to `"500"`), so those are one bit each in `numbers`; any other key goes into `others`
/// with its keyed hash.
pub(super) struct LargeKeys<'a> {
    numbers: Vec<u64>,
    others: HashSet<Hashed<'a>, BuildHasherDefault<StoredHash>>,
}

impl<'a> LargeKeys<'a> {
    /// An empty set with room for `capacity` keys that are not numbers, so an object of a few
    /// dozen named keys never grows it.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        LargeKeys {
            numbers: Vec::new(),
            others: HashSet::with_capacity_and_hasher(capacity, BuildHasherDefault::default()),
        }
    }

    /// Records `key`; false if the object already has it.
    pub(super) fn insert(&mut self, hasher: &RandomState, key: Cow<'a, str>) -> bool {
        let Some(number) = small_number(&key) else {
            return self.others.insert(Hashed::new(hasher, key));
        };
        let (word, bit) = (number / 64, 1u64 << (number % 64));
        if self.numbers.len() <= word {
            self.numbers.resize(word + 1, 0);
        }
        let Some(slot) = self.numbers.get_mut(word) else {
            return false;
        };
        let new = *slot & bit == 0;
        *slot |= bit;
        new
    }
}

/// The number a key spells in canonical decimal (no sign, no leading zero), if it is below
/// [`NUMBER_LIMIT`]. Canonical text and number determine each other, so two keys are equal
/// exactly when their numbers are: `"07"` is not a number here and is hashed like any text.
fn small_number(key: &str) -> Option<usize> {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > 5 || (bytes.len() > 1 && bytes.first() == Some(&b'0')) {
        return None;
    }
    let number = bytes.iter().try_fold(0usize, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + usize::from(b - b'0'))
    })?;
    (number < NUMBER_LIMIT).then_some(number)
}

/// A key with its keyed hash.
#[derive(PartialEq, Eq)]
struct Hashed<'a> {
    hash: u64,
    key: Cow<'a, str>,
}

impl<'a> Hashed<'a> {
    fn new(hasher: &RandomState, key: Cow<'a, str>) -> Self {
        // One write of the bytes: SipHash folds the length into its last block, so this is as
        // good as `Hash for str` without the separator byte it writes after them (measured: 117
        // instructions a short key instead of 163).
        let mut state = hasher.build_hasher();
        state.write(key.as_bytes());
        Hashed {
            hash: state.finish(),
            key,
        }
    }
}

impl Hash for Hashed<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// A hasher that hands back the hash already stored in a [`Hashed`]: growing the set moves the
/// stored hash instead of hashing every key again.
#[derive(Default)]
struct StoredHash(u64);

impl Hasher for StoredHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is ever called; fold anything else in rather than lose it.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

#[cfg(test)]
mod tests {
    use super::{LargeKeys, NUMBER_LIMIT, small_number};
    use std::borrow::Cow;
    use std::collections::hash_map::RandomState;

    #[test]
    fn only_canonical_small_decimals_are_numbers() {
        assert_eq!(small_number("0"), Some(0));
        assert_eq!(small_number("7"), Some(7));
        assert_eq!(small_number("500"), Some(500));
        assert_eq!(small_number("65535"), Some(65535));
        for text in [
            "", "07", "00", "-1", "+1", "1.0", "1e3", " 1", "65536", "999999", "٣", "a",
        ] {
            assert_eq!(small_number(text), None, "{text:?}");
        }
    }

    #[test]
    fn numbers_and_other_keys_are_told_apart_exactly() {
        let hasher = RandomState::new();
        let mut keys = LargeKeys::with_capacity(4);
        let mut insert = |key: &str| keys.insert(&hasher, Cow::Owned(key.to_owned()));
        for key in ["0", "1", "07", "7", "65535", "65536", "x", "01"] {
            assert!(insert(key), "{key} is new");
        }
        for key in ["0", "1", "07", "7", "65535", "65536", "x", "01"] {
            assert!(!insert(key), "{key} is a duplicate");
        }
        assert!(insert("8"));
        assert!(insert(&(NUMBER_LIMIT - 2).to_string()));
    }
}
