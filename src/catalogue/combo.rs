//! The options of a combo: compact, in catalogue order, with O(1) membership.
//!
//! Real catalogues hold long lists of file names (every checkpoint, LoRA and image on the
//! server), so an option costs its text in one shared buffer, four bytes for where it ends and
//! a slot of four in the hash index, rather than an allocation and a hash-set entry of its own.

use std::hash::{BuildHasher, Hasher};

use super::number::Number;

/// The options of one combo input.
#[derive(Debug, Default)]
pub(crate) struct Options {
    /// Every string option, one after another.
    text: String,
    /// Where each string option ends in `text`, in catalogue order.
    ends: Vec<u32>,
    /// Open addressing over the string options: index + 1, or 0 for an empty slot. Its length
    /// is a power of two at least twice the number of options.
    slots: Vec<u32>,
    /// The numeric options, in catalogue order (few, and compared by value).
    numbers: Vec<Number>,
}

/// One option, for details and suggestions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Choice<'c> {
    Text(&'c str),
    Number(Number),
}

/// A fixed hasher (FNV-1a over the bytes): the options come from the server's own snapshot,
/// and a value from a request only probes the table, so no request can make probing longer than
/// the catalogue's own clusters.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = self.0 ^ 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

#[derive(Clone, Copy, Default)]
struct FnvBuild;

impl BuildHasher for FnvBuild {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv::default()
    }
}

fn hash(text: &str) -> usize {
    let mut hasher = FnvBuild.build_hasher();
    hasher.write(text.as_bytes());
    // Fold the high bits in, since the table uses the low ones.
    let h = hasher.finish();
    (h ^ (h >> 29)) as usize
}

impl Options {
    /// Adds an option in catalogue order. A string repeated is kept once for membership.
    pub(crate) fn push_text(&mut self, option: &str) {
        self.text.push_str(option);
        // The snapshot is bounded in bytes well below 4 GiB (see `Limits`), so this fits.
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    pub(crate) fn push_number(&mut self, number: Number) {
        self.numbers.push(number);
    }

    /// How many options.
    pub(crate) fn len(&self) -> usize {
        self.ends.len() + self.numbers.len()
    }

    fn text_at(&self, index: usize) -> &str {
        let start = match index.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        } as usize;
        let end = self.ends.get(index).copied().unwrap_or(0) as usize;
        self.text.get(start..end).unwrap_or_default()
    }

    /// Builds the index once every option is in: after loading, nothing is added.
    pub(crate) fn finish(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.numbers.shrink_to_fit();
        let size = (self.ends.len() * 2).next_power_of_two().max(2);
        let mut slots = vec![0u32; size];
        let mask = size - 1;
        for index in 0..self.ends.len() {
            let text = self.text_at(index);
            let mut slot = hash(text) & mask;
            loop {
                match slots.get(slot).copied() {
                    Some(0) => {
                        if let Some(cell) = slots.get_mut(slot) {
                            *cell = u32::try_from(index + 1).unwrap_or(u32::MAX);
                        }
                        break;
                    }
                    Some(taken) if self.text_at(taken as usize - 1) == text => break,
                    _ => slot = (slot + 1) & mask,
                }
            }
        }
        self.slots = slots;
    }

    /// Whether `text` is one of the string options, exactly.
    pub(crate) fn has_text(&self, text: &str) -> bool {
        let mask = self.slots.len().wrapping_sub(1);
        let mut slot = hash(text) & mask;
        // At most every slot once: the table is never full, so this ends at an empty one.
        for _ in 0..self.slots.len() {
            match self.slots.get(slot).copied() {
                None | Some(0) => return false,
                Some(taken) if self.text_at(taken as usize - 1) == text => return true,
                Some(_) => slot = (slot + 1) & mask,
            }
        }
        false
    }

    /// Whether `number` equals one of the numeric options by value.
    pub(crate) fn has_number(&self, number: Number) -> bool {
        self.numbers.iter().any(|option| option.same_value(number))
    }

    /// Every option in catalogue order: the strings, then the numbers.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Choice<'_>> {
        (0..self.ends.len())
            .map(|i| Choice::Text(self.text_at(i)))
            .chain(self.numbers.iter().map(|n| Choice::Number(*n)))
    }

    /// The string options, for suggestions.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.text_at(i))
    }
}

#[cfg(test)]
mod tests {
    use super::{Choice, Options};
    use crate::catalogue::number::Number;

    #[test]
    fn membership_is_exact_and_order_is_kept() {
        let mut options = Options::default();
        let names: Vec<String> = (0..1000)
            .map(|i| format!("model_{i}.safetensors"))
            .collect();
        for name in &names {
            options.push_text(name);
        }
        options.push_text("");
        options.push_text("model_7.safetensors");
        options.push_number(Number::Int(5));
        options.finish();
        for name in &names {
            assert!(options.has_text(name), "{name}");
        }
        assert!(options.has_text(""));
        for absent in [
            "model_1000.safetensors",
            "Model_1.safetensors",
            "model_1",
            "5",
        ] {
            assert!(!options.has_text(absent), "{absent}");
        }
        assert!(options.has_number(Number::Float(5.0)));
        assert!(!options.has_number(Number::Int(6)));
        assert_eq!(options.len(), 1003);
        assert_eq!(
            options.iter().next(),
            Some(Choice::Text("model_0.safetensors"))
        );
        assert_eq!(options.iter().last(), Some(Choice::Number(Number::Int(5))));
        let empty = {
            let mut o = Options::default();
            o.finish();
            o
        };
        assert!(!empty.has_text("") && empty.len() == 0);
    }
}
