//! A compact set of strings in insertion order, with O(1) lookup of a string's index: one
//! buffer holds every string, four bytes mark where each ends, and an open-addressing table of
//! eight-byte slots finds them. Real catalogues hold long lists of file names, so this is far
//! smaller than a `HashSet<String>`; the input names of every class use it too.

use crate::invariant::Invariant;

/// Strings by index, and the index of a string.
#[derive(Debug, Default)]
pub(crate) struct TextSet {
    /// Every string, one after another.
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<u32>,
    /// Open addressing: index + 1 in the low half, the high half of the string's hash in the
    /// other, or 0 for an empty slot. Its length is a power of two at least twice the number of
    /// strings, so probing always meets an empty slot. (The hash's half settles almost every
    /// slot that holds another string without reading it.)
    slots: Vec<u64>,
}

/// A multiply-rotate hash over the bytes eight at a time, then over the last eight (fewer for
/// a short text; the length mixed in), then the finaliser of MurmurHash3, so the low bits the
/// table uses depend on every byte. A fixed hash is enough: the strings come from the server's
/// own snapshot, and a request only probes the table, so no request can make probing longer
/// than the catalogue's own clusters.
fn hash(text: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let bytes = text.as_bytes();
    let mut hash = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in words.by_ref() {
        let word = word
            .first_chunk::<8>()
            .map_or(0, |w| u64::from_le_bytes(*w));
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(K);
    }
    hash = (hash.rotate_left(5) ^ last_word(bytes)).wrapping_mul(K);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash
}

/// Whether two byte strings are equal: those of up to sixteen bytes (almost every input name)
/// by two overlapping loads each, instead of a call of `memcmp`, which cost more than the
/// comparison.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let ends = |s: &[u8]| Some((*s.first_chunk::<8>()?, *s.last_chunk::<8>()?));
    let short_ends = |s: &[u8]| Some((*s.first_chunk::<4>()?, *s.last_chunk::<4>()?));
    match a.len() {
        8..=16 => ends(a) == ends(b),
        4..=7 => short_ends(a) == short_ends(b),
        _ => a == b,
    }
}

/// The high half of a slot: the hash's.
const TAG: u64 = 0xFFFF_FFFF_0000_0000;

/// Where `text` starts probing in a table of `size` slots (a power of two), and the tag its
/// slot holds: the low bits of its hash pick the slot, the high half is the tag.
#[inline]
fn probe(text: &str, size: usize) -> (usize, u64) {
    let hash = hash(text);
    (hash as usize & size.wrapping_sub(1), hash & TAG)
}

/// The last eight bytes of `bytes` as a word, overlapping the words before them; of a shorter
/// text, all its bytes. Loaded straight from the text: copied into a buffer on the stack
/// first, the word's load waited for the copy's stores (a quarter of a class lookup's time).
fn last_word(bytes: &[u8]) -> u64 {
    if let Some(last) = bytes.last_chunk::<8>() {
        return u64::from_le_bytes(*last);
    }
    match (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        // Four to seven bytes: the first four and the last four, which overlap.
        (Some(first), Some(last)) => {
            u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << 32
        }
        _ => bytes.iter().fold(0, |word, &b| word << 8 | u64::from(b)),
    }
}

impl TextSet {
    /// Adds a string at the next index (a string already there is kept once for lookup: `find`
    /// answers its first index).
    pub(crate) fn push(&mut self, text: &str) {
        self.text.push_str(text);
        // Snapshots are bounded in bytes well below 4 GiB (see `SnapshotLimits`).
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    /// How many strings.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Where the string at `index` is in `text`.
    #[inline]
    fn span(&self, index: usize) -> std::ops::Range<usize> {
        const WHY: &str = "a string's index is below the number of strings";
        let start = match index.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().holds(WHY),
            None => 0,
        };
        let end = self.ends.get(index).copied().holds(WHY);
        start as usize..end as usize
    }

    /// The string at `index`.
    pub(crate) fn get(&self, index: usize) -> &str {
        self.text
            .get(self.span(index))
            .holds("strings are pushed whole, so they end on character boundaries")
    }

    /// The string at `index`, as bytes: no test of UTF-8 boundaries, which comparing does not
    /// need.
    fn bytes(&self, index: usize) -> &[u8] {
        self.text
            .as_bytes()
            .get(self.span(index))
            .holds("a string's span is within the text")
    }

    /// Whether the string at `index` is `text`.
    #[inline]
    pub(crate) fn is(&self, index: usize, text: &str) -> bool {
        same(self.bytes(index), text.as_bytes())
    }

    /// Builds the index once every string is in: nothing is added after loading.
    pub(crate) fn finish(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        let size = (self.ends.len() * 2).next_power_of_two().max(2);
        let mut slots = vec![0u64; size];
        for index in 0..self.ends.len() {
            let text = self.get(index);
            let (mut slot, tag) = probe(text, size);
            loop {
                match slots.get(slot).copied() {
                    Some(0) => {
                        if let Some(cell) = slots.get_mut(slot) {
                            let index = u32::try_from(index + 1).unwrap_or(u32::MAX);
                            *cell = tag | u64::from(index);
                        }
                        break;
                    }
                    Some(taken) if self.is(taken as u32 as usize - 1, text) => break,
                    _ => slot = (slot + 1) & (size - 1),
                }
            }
        }
        self.slots = slots;
    }

    /// The index of `text`, exactly (case and all).
    #[inline]
    pub(crate) fn find(&self, text: &str) -> Option<usize> {
        let size = self.slots.len();
        let (mut slot, tag) = probe(text, size);
        // At most every slot once: the table is never full, so this ends at an empty one.
        for _ in 0..size {
            match self.slots.get(slot).copied() {
                None | Some(0) => return None,
                Some(taken) => {
                    let index = taken as u32 as usize - 1;
                    if taken & TAG == tag && self.is(index, text) {
                        return Some(index);
                    }
                    slot = (slot + 1) & (size - 1);
                }
            }
        }
        None
    }

    /// The strings as stored: one after another, and where each ends. Two sets with equal
    /// contents hold the same strings in the same order.
    pub(crate) fn contents(&self) -> (&str, &[u32]) {
        (&self.text, &self.ends)
    }

    /// Every string, in insertion order.
    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = &str> + Clone {
        (0..self.ends.len()).map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::{TextSet, same};

    #[test]
    fn byte_strings_are_the_same_exactly_when_equal() {
        let texts: Vec<Vec<u8>> = (0..=20)
            .flat_map(|len| {
                let base: Vec<u8> = (0..len).map(|i| b'a' + i as u8).collect();
                let mut variants = vec![base.clone()];
                for at in 0..len {
                    let mut changed = base.clone();
                    changed[at as usize] ^= 0x20;
                    variants.push(changed);
                }
                variants
            })
            .collect();
        for a in &texts {
            for b in &texts {
                assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn finds_each_string_exactly_and_keeps_order() {
        let mut set = TextSet::default();
        let names: Vec<String> = (0..1000)
            .map(|i| format!("model_{i}.safetensors"))
            .collect();
        for name in &names {
            set.push(name);
        }
        set.push("");
        set.push("model_7.safetensors");
        set.finish();
        for (i, name) in names.iter().enumerate() {
            assert_eq!(set.find(name), Some(i), "{name}");
        }
        assert_eq!(set.find(""), Some(1000));
        assert_eq!(
            set.find("model_7.safetensors"),
            Some(7),
            "a repeat finds the first"
        );
        for absent in ["model_1000.safetensors", "Model_1.safetensors", "model_1"] {
            assert_eq!(set.find(absent), None, "{absent}");
        }
        assert_eq!(
            (set.len(), set.get(1001), set.iter().next()),
            (1002, "model_7.safetensors", Some("model_0.safetensors"))
        );
        let mut empty = TextSet::default();
        empty.finish();
        assert_eq!((empty.find(""), empty.len()), (None, 0));
        assert_eq!(
            TextSet::default().find("x"),
            None,
            "an unfinished set finds nothing"
        );
    }
}
