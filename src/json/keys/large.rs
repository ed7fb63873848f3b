//! The keys of an object too large for a linear scan.
//!
//! Each key costs a small constant whatever it looks like: small decimal numbers (node ids) are
//! one bit each; any other key is 31 bits of its keyed hash and where its opening quote is in
//! the body (8 bytes in an open-addressing table), never a copy of it. Two keys are compared by
//! text only when those hash bits are equal, which for different keys happens about once in 2
//! billion pairs. The hash is keyed and universal (`super::hash`), so no body can aim its keys
//! at one slot: linear probing stays short.

use std::num::NonZeroU64;

use super::super::{JsonStr, Reader};

/// Keys that are decimal numbers below this are kept as bits, not hashed.
const NUMBER_LIMIT: usize = 1 << 16;

/// Where a key's opening quote is in the body (`u32::MAX` past 4 GiB, where keys are told
/// apart by their hash alone).
type Place = u32;

/// The keys of one large object.
pub(super) struct LargeKeys {
    numbers: Vec<u64>,
    /// Open addressing, a power of two long and at most three quarters full: 0 for an empty
    /// slot, else
    /// [`OCCUPIED`], 31 bits of the keyed hash of the unescaped key and its [`Place`]. Keys with
    /// equal hash bits and different text each have a slot of their own.
    slots: Vec<u64>,
    len: usize,
    /// How far the kept hash bits are shifted down to give a slot: 63 less the table's
    /// bits, so that the slot comes from the hash's top bits (see [`slot_of`]).
    shift: u32,
}

/// The bit that marks a slot as taken.
const OCCUPIED: u64 = 1 << 63;

impl LargeKeys {
    /// An empty set with room for `capacity` keys that are not numbers.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        let room = (capacity * 4 / 3 + 1).next_power_of_two().max(8);
        LargeKeys {
            numbers: Vec::new(),
            slots: vec![0; room],
            len: 0,
            shift: shift_for(room),
        }
    }

    /// Records `key` of the body `text`, whose keyed hash `hash` gives (see
    /// [`super::key_hash`]; not asked for a small number); false if the object already has it.
    #[inline]
    pub(super) fn insert(
        &mut self,
        text: &str,
        key: JsonStr<'_>,
        hash: impl FnOnce() -> NonZeroU64,
    ) -> bool {
        if let Some(number) = small_number(key) {
            return self.insert_number(number);
        }
        // A body past 4 GiB has no place of 32 bits: its keys are told apart by hash alone.
        let place = u32::try_from(key.offset).unwrap_or(u32::MAX);
        let bits = (hash().get() >> 33) << 32;
        if 4 * (self.len + 1) > 3 * self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut at = slot_of(bits, self.shift, mask);
        loop {
            let Some(slot) = self.slots.get_mut(at) else {
                debug_assert!(false, "the slot is masked into the table");
                return true;
            };
            if *slot == 0 {
                *slot = OCCUPIED | bits | u64::from(place);
                self.len += 1;
                return true;
            }
            if *slot & !OCCUPIED & !u64::from(u32::MAX) == bits {
                let other = *slot as u32;
                if other == place || same_text(text, other, key) {
                    return false;
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// Twice the room, every key placed again.
    #[cold]
    fn grow(&mut self) {
        let room = (self.slots.len() * 2).max(8);
        let old = std::mem::replace(&mut self.slots, vec![0; room]);
        self.shift = shift_for(room);
        let mask = self.slots.len() - 1;
        for entry in old.into_iter().filter(|&slot| slot != 0) {
            let mut at = slot_of(entry & !OCCUPIED & !u64::from(u32::MAX), self.shift, mask);
            while let Some(slot) = self.slots.get_mut(at) {
                if *slot == 0 {
                    *slot = entry;
                    break;
                }
                at = (at + 1) & mask;
            }
        }
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

/// The first slot to try for a key whose kept hash bits are `bits` (the hash's top 31, in bits
/// 32 to 62), in a table of `mask + 1` slots, `shift` being [`shift_for`] its size: the top
/// bits of those, which are the ones the hash's universal bound is about.
#[inline(always)]
fn slot_of(bits: u64, shift: u32, mask: usize) -> usize {
    (bits >> shift) as usize & mask
}

/// The shift that brings the top bits of the kept hash bits down to a slot of a table of
/// `room` slots, a power of two. (Past 2^31 slots every kept bit is used, and the rest of the
/// slot is 0.)
fn shift_for(room: usize) -> u32 {
    debug_assert!(room.is_power_of_two());
    63u32.saturating_sub(room.trailing_zeros())
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
#[inline(always)]
fn small_number(key: JsonStr<'_>) -> Option<usize> {
    // Almost every key of a large object that is not a node id starts with a letter.
    if !key.escaped && !key.raw.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if !key.escaped {
        // As written is as decoded: read the bytes.
        let digits = key.raw.as_bytes();
        debug_assert!(
            !digits.is_empty(),
            "a plain key reaching here starts with a digit"
        );
        if digits.len() > 5
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

#[cfg(test)]
mod tests {
    use std::num::NonZeroU64;

    use super::{LargeKeys, small_number};

    fn nz(hash: u64) -> NonZeroU64 {
        NonZeroU64::new(hash).expect("tests give non-zero hashes")
    }
    use crate::json::JsonStr;

    #[test]
    fn only_canonical_small_decimals_are_numbers() {
        let n = |raw| small_number(JsonStr::from_valid(raw, 0));
        assert_eq!(n("0"), Some(0));
        assert_eq!(n("7"), Some(7));
        assert_eq!(n("500"), Some(500));
        assert_eq!(n("65535"), Some(65535));
        assert_eq!(n(r"\u0037"), Some(7));
        // Escaped keys follow the same rule as plain ones, or "0" and "\u0030" would be two
        // keys (one a bit, one hashed) and "07" and "7" one.
        assert_eq!(n(r"\u0030"), Some(0));
        assert_eq!(n(r"\u0031\u0032"), Some(12));
        assert_eq!(n(r"6553\u0035"), Some(65535));
        for text in [
            r"\u0030\u0037",
            r"\u0036\u0035\u0035\u0033\u0036",
            r"1\u0030\u0030000",
            r"\u0031a",
        ] {
            assert_eq!(n(text), None, "{text:?}");
        }
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
        assert!(keys.insert(text, key("x"), || nz(1)));
        assert!(
            keys.insert(text, key("y"), || nz(1)),
            "a collision is not a duplicate"
        );
        assert!(
            !keys.insert(text, key(r"\u0078"), || nz(1)),
            "the same key, escaped"
        );
        assert!(
            !keys.insert(text, key("y"), || nz(1)),
            "found among the collisions"
        );
        assert!(keys.insert(text, key("07"), || nz(1)));
        assert!(keys.insert(text, key("7"), || nz(2)));
        assert!(
            !keys.insert(text, key("7"), || nz(3)),
            "a number is a bit, whatever its hash"
        );
    }

    #[test]
    fn the_table_grows_and_keeps_every_key() {
        let names: Vec<String> = (0..3000).map(|i| format!("k{i}")).collect();
        let text: String = names.iter().map(|n| format!("\"{n}\" ")).collect();
        let keys: Vec<JsonStr<'_>> = names
            .iter()
            .scan(0, |at, n| {
                let key = JsonStr::from_valid(&text[*at + 1..*at + 1 + n.len()], *at);
                *at += n.len() + 3;
                Some(key)
            })
            .collect();
        let mut set = LargeKeys::with_capacity(4);
        // Hashes from a few values only: growth must keep keys with equal bits apart too. The
        // values differ in their top bits, which pick the slot, so the keys start their probes
        // at places spread over the table, and growth must put each where its probe finds it.
        let hash = |i: usize| nz((i as u64 % 7) << 61 | (i as u64 % 5) << 40 | 1);
        for (i, &key) in keys.iter().enumerate() {
            assert!(set.insert(&text, key, || hash(i)), "{i} is new");
        }
        assert_eq!(set.len, 3000);
        assert!(4 * set.len <= 3 * set.slots.len() && set.slots.len().is_power_of_two());
        for (i, &key) in keys.iter().enumerate() {
            assert!(!set.insert(&text, key, || hash(i)), "{i} is there");
        }
    }
}
