//! The keys of an object too large for a linear scan.
//!
//! Each key costs a small constant whatever it looks like: small decimal numbers (node ids) are
//! one bit each; any other key is 32 bits of its keyed hash and where its opening quote is in
//! the body (8 bytes in the table), never a copy of it. Two keys are compared by text only when
//! those hash bits are equal, which for different keys happens about once in 4 billion pairs.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::super::{JsonStr, Reader};

/// Keys that are decimal numbers below this are kept as bits, not hashed.
const NUMBER_LIMIT: usize = 1 << 16;

/// Where a key's opening quote is in the body (`u32::MAX` past 4 GiB, where keys are told
/// apart by their hash alone).
type Place = u32;

/// The keys of one large object.
pub(super) struct LargeKeys {
    numbers: Vec<u64>,
    /// 32 bits of the keyed hash of the unescaped key, to where the first key with them is.
    others: HashMap<u32, Place, BuildHasherDefault<StoredHash>>,
    /// Further keys whose hash bits equal an earlier, different key's (rare).
    collisions: Vec<(u32, Place)>,
}

impl LargeKeys {
    /// An empty set with room for `capacity` keys that are not numbers.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        LargeKeys {
            numbers: Vec::new(),
            others: HashMap::with_capacity_and_hasher(capacity, BuildHasherDefault::default()),
            collisions: Vec::new(),
        }
    }

    /// Records `key` of the body `text`, whose keyed hash `hash` gives (see
    /// [`super::key_hash`]; not asked for a small number); false if the object already has it.
    pub(super) fn insert(
        &mut self,
        text: &str,
        key: JsonStr<'_>,
        hash: impl FnOnce() -> u64,
    ) -> bool {
        if let Some(number) = small_number(key) {
            return self.insert_number(number);
        }
        let hash = hash();
        // A body past 4 GiB has no place of 32 bits: its keys are told apart by hash alone.
        let place = u32::try_from(key.offset).unwrap_or(u32::MAX);
        let hash = (hash >> 32) as u32;
        let Some(&first) = self.others.get(&hash) else {
            self.others.insert(hash, place);
            return true;
        };
        let same = |other: Place| other == place || same_text(text, other, key);
        if same(first) {
            return false;
        }
        if self
            .collisions
            .iter()
            .any(|&(h, other)| h == hash && same(other))
        {
            return false;
        }
        self.collisions.push((hash, place));
        true
    }

    fn insert_number(&mut self, number: usize) -> bool {
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

/// Whether the key whose opening quote is at `place` in `text` and `key` are the same once
/// unescaped. (The stored key is read again from the body: this runs only on equal hash bits.)
fn same_text(text: &str, place: Place, key: JsonStr<'_>) -> bool {
    if place == u32::MAX {
        // No place was kept (a body past 4 GiB): the hashes decide.
        return true;
    }
    match Reader::starting_at(text, place as usize).string() {
        Ok(stored) => stored.chars().eq(key.chars()),
        Err(_) => false,
    }
}

/// The number a key spells in canonical decimal (no sign, no leading zero), if it is below
/// [`NUMBER_LIMIT`]. Canonical text and number determine each other, so two keys are equal
/// exactly when their numbers are: `"07"` is not a number here and is hashed like any text.
fn small_number(key: JsonStr<'_>) -> Option<usize> {
    if !key.escaped {
        // As written is as decoded: read the bytes.
        let digits = key.raw.as_bytes();
        if digits.is_empty()
            || digits.len() > 5
            || (digits.len() > 1 && digits.first() == Some(&b'0'))
            || !digits.iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let number = digits
            .iter()
            .fold(0usize, |n, &b| n * 10 + usize::from(b - b'0'));
        return (number < NUMBER_LIMIT).then_some(number);
    }
    let mut digits = [0u8; 5];
    let mut len = 0;
    for c in key.chars() {
        let slot = digits.get_mut(len)?;
        *slot = u8::try_from(c).ok().filter(u8::is_ascii_digit)?;
        len += 1;
    }
    let digits = digits.get(..len)?;
    if digits.is_empty() || (digits.len() > 1 && digits.first() == Some(&b'0')) {
        return None;
    }
    let number = digits
        .iter()
        .fold(0usize, |n, &b| n * 10 + usize::from(b - b'0'));
    (number < NUMBER_LIMIT).then_some(number)
}

/// A hasher that hands back the hash it is given: the table's keys are keyed hashes already.
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

    fn write_u32(&mut self, hash: u32) {
        // Spread over the 64 bits the table takes its bucket and tag bits from.
        self.0 = u64::from(hash).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

#[cfg(test)]
mod tests {
    use super::{LargeKeys, small_number};
    use crate::json::JsonStr;

    #[test]
    fn only_canonical_small_decimals_are_numbers() {
        let n = |raw| small_number(JsonStr::from_valid(raw, 0));
        assert_eq!(n("0"), Some(0));
        assert_eq!(n("7"), Some(7));
        assert_eq!(n("500"), Some(500));
        assert_eq!(n("65535"), Some(65535));
        assert_eq!(n(r"\u0037"), Some(7));
        for text in [
            "", "07", "00", "-1", "+1", "1.0", "1e3", " 1", "65536", "999999", "٣", "a",
        ] {
            assert_eq!(n(text), None, "{text:?}");
        }
    }

    #[test]
    fn keys_are_told_apart_by_text_even_when_their_hashes_collide() {
        let text = r#""x" "y" "\u0078" "07" "7""#;
        let key = |raw: &str| {
            let at = text.find(&format!("\"{raw}\"")).unwrap_or(0);
            JsonStr::from_valid(&text[at + 1..at + 1 + raw.len()], at)
        };
        let mut keys = LargeKeys::with_capacity(4);
        // The same hash for every key: only the text can tell them apart.
        assert!(keys.insert(text, key("x"), || 1));
        assert!(
            keys.insert(text, key("y"), || 1),
            "a collision is not a duplicate"
        );
        assert!(
            !keys.insert(text, key(r"\u0078"), || 1),
            "the same key, escaped"
        );
        assert!(
            !keys.insert(text, key("y"), || 1),
            "found among the collisions"
        );
        assert!(keys.insert(text, key("07"), || 1));
        assert!(keys.insert(text, key("7"), || 2));
        assert!(
            !keys.insert(text, key("7"), || 3),
            "a number is a bit, whatever its hash"
        );
    }
}
