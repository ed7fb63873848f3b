//! The keys of an object too large for a linear scan.
//!
//! Each key costs a small constant whatever it looks like: small decimal numbers (node ids) are
//! one bit each; any other key is 32 bits of its keyed hash and where its opening quote is in
//! the body (8 bytes), never a copy of it, with a tag of seven more hash bits in a byte of its
//! own. Tags are kept eight to a word, so that one word answers for eight slots at once: which
//! could hold the key (their tags match), and which are free. A new key, the common case, meets
//! no matching tag and a free slot in its first word, so inserting it takes no branch that a
//! processor mispredicts, where probing slot by slot took one for every slot a key met. Two
//! keys are compared by text only when their tags and hash bits match, which for different
//! keys happens about once in 2^39 pairs. The hash is keyed and universal (`super::hash`), so
//! no body can aim its keys at one group: probing stays short.

use std::cell::Cell;
use std::num::NonZeroU64;

use super::super::{JsonStr, Reader};
use crate::invariant::Invariant;
use crate::swar::{first_flagged, splat, zero_bytes};

/// Keys that are decimal numbers below this are kept as bits, not hashed.
const NUMBER_LIMIT: usize = 1 << 16;

/// Where a key's opening quote is in the body (`u32::MAX` past 4 GiB, where keys are told
/// apart by their hash alone).
type Place = u32;

/// Slots per group: the bytes of a word of tags.
const GROUP: usize = 8;

/// The tag of a free slot: its top bit set, which no key's tag (seven bits) has.
const FREE: u8 = 0x80;

/// The top bit of each byte of a word.
const HIGHS: u64 = splat(FREE);

/// The bits of a key's hash that its slot keeps: the top 32 (the low 32 hold its [`Place`]).
const KEPT: u64 = !(u32::MAX as u64);

/// The keys of one large object.
pub(super) struct LargeKeys {
    numbers: Vec<u64>,
    /// A power of two of groups, at most three quarters of their slots taken, so that the first
    /// group a new key meets almost always has a free slot.
    groups: Vec<Group>,
    /// The keys in `groups`.
    len: usize,
    /// How far a hash is shifted down to give a group: 64 less the table's group bits, so that
    /// the group comes from the hash's top bits (see [`Probe::of`]).
    shift: u32,
}

/// Eight slots and their tags, side by side: a probe reads the tags, then at most the slot it
/// takes or the slots whose tags match, all in one bounds-checked place.
#[derive(Clone, Copy)]
struct Group {
    /// One byte per slot: [`FREE`], or seven bits of the keyed hash of the slot's key.
    tags: u64,
    /// For each taken slot, the top 32 bits of its key's keyed hash and its [`Place`]. Keys with
    /// equal hash bits and different text each have a slot of their own.
    slots: [u64; GROUP],
}

impl Group {
    /// A group of free slots.
    const FREE: Group = Group {
        tags: HIGHS,
        slots: [0; GROUP],
    };

    /// Gives the group's first free lane to a key of tag `tag` and slot value `slot`; false if
    /// the group is full. (What an insert and a grow both do at each group they probe.)
    #[inline(always)]
    fn take_free(&mut self, tag: u8, slot: u64) -> bool {
        let free = self.tags & HIGHS;
        if free == 0 {
            return false;
        }
        let lane = first_flagged(free);
        debug_assert!(self.tags >> (8 * lane) & 0xFF == u64::from(FREE));
        // FREE ^ (FREE ^ tag) = tag: the byte goes from free to the key's tag.
        self.tags ^= u64::from(FREE ^ tag) << (8 * lane);
        if let Some(at) = self.slots.get_mut(lane) {
            *at = slot;
        }
        true
    }
}

/// The largest table a thread keeps for its next large object (64 groups, 4.5 KiB: the table of
/// an object of up to 256 keys), so that a request with such an object does not allocate and
/// clear one every time.
const SPARE_GROUPS: usize = 64;

thread_local! {
    /// The groups of this thread's last set, if it had no more than [`SPARE_GROUPS`].
    static SPARE: Cell<Vec<Group>> = const { Cell::new(Vec::new()) };
}

impl Drop for LargeKeys {
    /// Gives a small table back to the thread for its next large object.
    fn drop(&mut self) {
        if self.groups.len() <= SPARE_GROUPS {
            let groups = std::mem::take(&mut self.groups);
            // Fails only while the thread is exiting; then the table is simply freed.
            let _ = SPARE.try_with(|spare| spare.set(groups));
        }
    }
}

/// Where a key is looked for: the group its hash starts at, its tag and its kept hash bits.
struct Probe {
    group: usize,
    tag: u8,
    bits: u64,
}

impl Probe {
    /// The probe of `hash` in a table whose groups take `shift` (see [`LargeKeys::shift`]) and
    /// `mask`. All three come from the hash's top 32 bits, the ones the universal bound is
    /// about and the ones a slot keeps, so that growing the table can file a key again: the
    /// group from the top, the tag from the lowest seven (apart from the group's bits in any
    /// table of fewer than 2^25 groups, which is 2 GiB of slots).
    #[inline(always)]
    fn of(hash: u64, shift: u32, mask: usize) -> Self {
        debug_assert!((32..64).contains(&shift), "2 to 2^32 groups");
        let bits = hash & KEPT;
        Probe {
            group: (bits >> shift) as usize & mask,
            tag: (bits >> 32) as u8 & !FREE,
            bits,
        }
    }
}

impl LargeKeys {
    /// An empty set with room for `capacity` keys that are not numbers.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        let groups = (capacity * 4 / 3)
            .div_ceil(GROUP)
            .next_power_of_two()
            .max(2);
        // The last set's table, if this thread has one as large: all its slots made free.
        // (What its slots still hold is never read: a slot is read only once its tag is set.)
        let groups = match SPARE.try_with(Cell::take) {
            Ok(mut spare) if spare.len() >= groups => {
                for group in &mut spare {
                    group.tags = HIGHS;
                }
                spare
            }
            _ => vec![Group::FREE; groups],
        };
        LargeKeys {
            numbers: Vec::new(),
            shift: shift_for(groups.len()),
            groups,
            len: 0,
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
        let place = u32::try_from(key.offset).unwrap_or(u32::MAX);
        let hash = hash().get();
        if 4 * (self.len + 1) > 3 * GROUP * self.groups.len() {
            self.grow();
        }
        let mask = self.groups.len() - 1;
        let Probe {
            mut group,
            tag,
            bits,
        } = Probe::of(hash, self.shift, mask);
        loop {
            let Some(at) = self.groups.get_mut(group) else {
                debug_assert!(false, "the group is masked into the table");
                return true;
            };
            // Slots whose tag is the key's: almost always none. (The test may also flag a slot
            // just above a true match, which the hash bits then tell apart.)
            let mut matches = zero_bytes(at.tags ^ splat(tag));
            while matches != 0 {
                let slot = at.slots.get(first_flagged(matches)).copied();
                let slot = slot.holds("a flagged lane is one of the group's");
                if slot & KEPT == bits {
                    let other = slot as u32;
                    if other == place || same_text(text, other, key) {
                        return false;
                    }
                }
                matches &= matches - 1;
            }
            // A free slot ends the search: keys are never removed, so the key would be here.
            if at.take_free(tag, bits | u64::from(place)) {
                self.len += 1;
                return true;
            }
            group = (group + 1) & mask;
        }
    }

    /// Doubles the table, filing every key again by its kept hash bits.
    #[cold]
    fn grow(&mut self) {
        let size = self.groups.len() * 2;
        let old = std::mem::replace(&mut self.groups, vec![Group::FREE; size]);
        self.shift = shift_for(size);
        let mask = size - 1;
        let taken = old.iter().flat_map(|group| {
            let tags = group.tags.to_le_bytes();
            tags.into_iter()
                .zip(group.slots)
                .filter(|&(tag, _)| tag & FREE == 0)
        });
        for (_, slot) in taken {
            // The kept bits are the ones the group and tag are taken from.
            let Probe { mut group, tag, .. } = Probe::of(slot, self.shift, mask);
            while let Some(at) = self.groups.get_mut(group) {
                if at.take_free(tag, slot) {
                    break;
                }
                group = (group + 1) & mask;
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

/// [`LargeKeys::shift`] for a table of `groups` groups, a power of two from 2 to 2^32.
fn shift_for(groups: usize) -> u32 {
    debug_assert!(groups.is_power_of_two() && groups >= 2);
    64u32.saturating_sub(groups.trailing_zeros())
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

    use super::super::hash::KeyHash;
    use super::{FREE, GROUP, LargeKeys, Probe, SPARE, SPARE_GROUPS, small_number};

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
    fn a_table_left_by_a_set_is_reused_empty() {
        let text = r#""x" "y""#;
        let key = |at: usize| JsonStr::from_valid(&text[at + 1..at + 2], at);
        let mut first = LargeKeys::with_capacity(4);
        assert!(first.insert(text, key(0), || nz(5 << 40)));
        let room = first.groups.as_ptr();
        drop(first);
        let kept = SPARE.with(|spare| {
            let kept = spare.take();
            let room = kept.as_ptr();
            spare.set(kept);
            room
        });
        assert_eq!(kept, room, "the table is kept by the thread");
        let mut second = LargeKeys::with_capacity(4);
        assert_eq!(second.groups.as_ptr(), room, "the table is reused");
        assert!(SPARE.with(|spare| spare.take()).is_empty(), "and taken");
        // A smaller set may take a larger table, all of it free.
        let mut big = LargeKeys::with_capacity(GROUP * 16);
        assert!(big.insert(text, key(4), || nz(6 << 40)));
        let big_room = big.groups.len();
        drop(big);
        let mut small = LargeKeys::with_capacity(4);
        assert_eq!(small.groups.len(), big_room);
        assert!(
            small.insert(text, key(4), || nz(6 << 40)),
            "every slot free"
        );
        drop(small);
        assert!(
            second.insert(text, key(0), || nz(5 << 40)),
            "and holds no key of the last set"
        );
        assert!(second.insert(text, key(4), || nz(6 << 40)));
        assert!(!second.insert(text, key(0), || nz(5 << 40)));
        // A table that grew past the spare's size is freed, not kept.
        let mut third = LargeKeys::with_capacity(SPARE_GROUPS * GROUP);
        third.grow();
        drop(third);
        let spare = SPARE.with(|spare| spare.take());
        assert!(spare.is_empty());
    }

    #[test]
    fn keys_spread_over_the_groups_and_the_tags() {
        // Under the keyed hash, a key sits in its home group or next to it, and tags vary:
        // slots found from the hash's top bits, not all in one place.
        let hasher = KeyHash::new();
        let names: Vec<String> = (0..1500).map(|i| format!("input_{i}")).collect();
        let text: String = names.iter().map(|n| format!("\"{n}\" ")).collect();
        let mut set = LargeKeys::with_capacity(2000);
        let mut at = 0;
        let mut homes = Vec::new();
        for name in &names {
            let key = JsonStr::from_valid(&text[at + 1..at + 1 + name.len()], at);
            at += name.len() + 3;
            let hash = hasher.of(name);
            assert!(set.insert(&text, key, || hash));
            let mask = set.groups.len() - 1;
            homes.push((
                Probe::of(hash.get(), set.shift, mask).group,
                key.offset as u64,
            ));
        }
        let mask = set.groups.len() - 1;
        let mut displaced = 0;
        for (home, place) in homes {
            let slot = set
                .groups
                .iter()
                .flat_map(|group| group.tags.to_le_bytes().into_iter().zip(group.slots))
                .position(|(tag, slot)| tag & FREE == 0 && slot as u32 as u64 == place)
                .expect("every key has a slot");
            displaced += (slot / GROUP + set.groups.len() - home) & mask;
        }
        assert!(displaced < 150, "{displaced} groups past home in all");
        let tags: std::collections::HashSet<u8> = set
            .groups
            .iter()
            .flat_map(|group| group.tags.to_le_bytes())
            .filter(|tag| tag & FREE == 0)
            .collect();
        assert!(tags.len() > 120, "{} tags", tags.len());
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
        assert!(4 * set.len <= 3 * GROUP * set.groups.len() && set.groups.len().is_power_of_two());
        for (i, &key) in keys.iter().enumerate() {
            assert!(!set.insert(&text, key, || hash(i)), "{i} is there");
        }
    }
}
