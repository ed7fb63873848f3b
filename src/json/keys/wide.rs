//! The filter of an object past the linear scan whose keys look honest.
//!
//! A LoRA stack's node has about 200 inputs (`lora_name_1`, `lora_wt_1`, ...). Past the linear
//! scan's 64-bit mask, such keys used to go to the keyed set, at about 175 instructions each
//! (a keyed hash, a probe, a slot), where reading the key costs a few dozen. Here they stay on
//! the key stack as the scan's keys do, and each one only sets two bits of 4,096, chosen by a
//! cheap hash of its text: a new key almost always finds one of them clear (2 of a LoRA stack's
//! 198 keys do not), and only a key that finds both taken, a hit, is compared with the object's
//! other keys, through the same fingerprints as the scan.
//!
//! The hash is not keyed, so a body can aim its keys at two bits; each such hit costs one scan
//! of the object's keys. An object therefore moves on to the keyed set (`super::large`) at its
//! [`HITS`]th hit, or at a hit once it has [`KEYS`] keys, whichever comes first: no body pays
//! more than [`HITS`] scans of at most [`KEYS`] keys an object, and an honest one almost never
//! pays the move.

use crate::invariant::Invariant;
use crate::swar::word_at;

/// Words of a filter: 4,096 bits, 512 bytes.
const WORDS: usize = 64;

/// The hits an object may take before it moves to the keyed set. An honest object takes a few:
/// 2 for a LoRA stack of 198 keys, 6 for a prompt of 500 node ids.
pub(super) const HITS: usize = 16;

/// The keys an object may have at a hit and still stay here: past it, the filter is a fifth
/// full and each scan long.
pub(super) const KEYS: usize = 512;

/// The bits of one object's keys.
#[derive(Clone)]
pub(super) struct Filter {
    words: [u64; WORDS],
}

impl Filter {
    /// A filter with no bit set.
    pub(super) const EMPTY: Filter = Filter { words: [0; WORDS] };

    /// Sets the two bits of the key whose unescaped text is the `len` bytes of `bytes` from
    /// `start` (see [`bits_of`]); true if either was clear, so that the key is new to the object.
    #[inline(always)]
    pub(super) fn set(&mut self, bytes: &[u8], start: usize, len: usize) -> bool {
        let (first, second) = bits_of(hash(bytes, start, len));
        // `|`, not `||`: both bits are set whatever the first was.
        self.set_bit(first) | self.set_bit(second)
    }

    /// Sets bit `bit`; true if it was clear.
    #[inline(always)]
    fn set_bit(&mut self, bit: usize) -> bool {
        let Some(word) = self.words.get_mut(bit / 64) else {
            debug_assert!(false, "a bit of twelve bits is in the filter's 64 words");
            return true;
        };
        let mask = 1u64 << (bit % 64);
        let clear = *word & mask == 0;
        *word |= mask;
        clear
    }
}

/// Multipliers of the hash: odd, with their bits spread (FxHash's and 2^64 over the golden ratio).
const K1: u64 = 0x517C_C1B7_2722_0A95;
const K2: u64 = 0x9E37_79B9_7F4A_7C15;

/// An unkeyed hash of the `len` bytes of `bytes` from `start`. A text of eight to sixteen bytes,
/// almost every key, is read as two words within it (overlapping when it is shorter than
/// sixteen), a shorter one as one word that may run past it (masked): two loads and two
/// multiplications, with no loop.
#[inline(always)]
fn hash(bytes: &[u8], start: usize, len: usize) -> u64 {
    let sum = (len as u64).wrapping_mul(K2);
    let word = |at: usize| word_at(bytes, at).holds("a word within the text");
    match len {
        0..=7 => {
            let word = word_at(bytes, start).unwrap_or_else(|| padded(bytes, start, len));
            // The bytes past the text, if any, are masked off (`len` is below 8).
            let text = word & ((1 << (8 * len)) - 1);
            (sum ^ text).wrapping_mul(K1)
        }
        8..=16 => {
            // The first product's high half is folded down before the last word comes in: a
            // product's top bits depend on nothing below them, and the last word overlaps the
            // first, so a change in one byte could otherwise cancel itself.
            let first = (sum ^ word(start)).wrapping_mul(K1);
            let last = word(start.saturating_add(len - 8));
            (first ^ (first >> 32) ^ last).wrapping_mul(K2)
        }
        _ => long(bytes, start, len, sum),
    }
}

/// [`hash`] of a text of more than sixteen bytes, from `sum`: its words one after the other,
/// the last one ending where the text ends.
#[inline(never)]
fn long(bytes: &[u8], start: usize, len: usize, mut sum: u64) -> u64 {
    let word = |at: usize| word_at(bytes, at).holds("a word within the text");
    let end = start.saturating_add(len);
    let mut at = start;
    while at.saturating_add(8) < end {
        sum = (sum ^ word(at)).wrapping_mul(K1);
        at += 8;
    }
    // Folded as the short path's is: the last word overlaps the one before.
    (sum ^ (sum >> 32) ^ word(end.saturating_sub(8))).wrapping_mul(K2)
}

/// The `len` (below 8) bytes of `bytes` from `start`, zero-padded: a text at the very end of
/// the bytes, which an escaped key decoded on its own is.
#[cold]
fn padded(bytes: &[u8], start: usize, len: usize) -> u64 {
    let text = bytes.get(start..start.saturating_add(len));
    let text = text.holds("the text hashed is within the bytes");
    text.iter()
        .rev()
        .fold(0, |word, &byte| word << 8 | u64::from(byte))
}

/// The two bits of a hash: its top two times twelve bits once mixed, so that every byte of the
/// text counts. Two bits a key, not one: a new key then finds both taken about once where it
/// found one taken ten times (2 of a LoRA stack's 198 keys, not 10; 6 of 500 node ids, not 30).
#[inline(always)]
fn bits_of(hash: u64) -> (usize, usize) {
    let mixed = (hash ^ (hash >> 29)).wrapping_mul(K2);
    ((mixed >> 52) as usize, (mixed >> 40) as usize & 0xFFF)
}

/// The bits of a text in a filter, for tests that aim keys at them.
#[cfg(test)]
pub(super) fn bits(text: &str) -> (usize, usize) {
    bits_of(hash(text.as_bytes(), 0, text.len()))
}

#[cfg(test)]
mod tests {
    use super::{Filter, hash};

    #[test]
    fn a_key_sets_its_bits_once() {
        let mut filter = Filter::EMPTY;
        let text = b"\"lora_name_1\":1";
        assert!(filter.set(text, 1, 11));
        assert!(!filter.set(text, 1, 11));
        // The same text elsewhere, alone or at the end of the bytes, has the same bits.
        assert!(!filter.set(b"lora_name_1", 0, 11));
    }

    #[test]
    fn the_hash_reads_only_the_text() {
        // What follows the text in the bytes does not count; its length and every byte do.
        for text in [
            "",
            "a",
            "input_1",
            "lora_wt1",
            "lora_wt_12",
            "0123456789abcdef",
            "a key of more than sixteen bytes",
        ] {
            let alone = hash(text.as_bytes(), 0, text.len());
            let followed = format!("{text}\"::::::::::::::::::::");
            assert_eq!(hash(followed.as_bytes(), 0, text.len()), alone, "{text}");
            let placed = format!("xx{followed}");
            assert_eq!(hash(placed.as_bytes(), 2, text.len()), alone, "{text}");
        }
        assert_ne!(hash(b"a\0", 0, 1), hash(b"a\0", 0, 2));
        let long = "a key of more than sixteen bytes, changed at its end";
        let other = long.replace("end", "ens");
        assert_ne!(
            hash(long.as_bytes(), 0, long.len()),
            hash(other.as_bytes(), 0, long.len())
        );
    }

    #[test]
    fn every_byte_and_the_length_count() {
        // Texts of every length up to 40 (each path of the hash, and the words in the middle of
        // a long text): changing any bit of any byte changes the hash, and so does the length.
        let bytes: Vec<u8> = (0..40u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(11))
            .collect();
        for len in 0..=bytes.len() {
            let text = &bytes[..len];
            let hashed = hash(text, 0, len);
            for at in 0..len {
                for bit in 0..8 {
                    let mut other = text.to_vec();
                    other[at] ^= 1 << bit;
                    assert_ne!(
                        hash(&other, 0, len),
                        hashed,
                        "{len} bytes, byte {at} bit {bit}"
                    );
                }
            }
            if len > 0 {
                assert_ne!(hash(text, 0, len - 1), hashed, "{len} bytes");
            }
        }
    }

    #[test]
    fn a_lora_stacks_keys_rarely_share_a_bit() {
        // The 198 inputs of a LoRA stack node, as the shared corpus has them.
        let mut keys = vec!["input_mode".to_owned(), "lora_count".to_owned()];
        for i in 1..=49 {
            for stem in ["lora_name", "lora_wt", "model_str", "clip_str"] {
                keys.push(format!("{stem}_{i}"));
            }
        }
        let mut filter = Filter::EMPTY;
        let hits = keys
            .iter()
            .filter(|key| !filter.set(key.as_bytes(), 0, key.len()))
            .count();
        assert!(hits <= 4, "{hits} of {} keys met a taken bit", keys.len());
    }
}
