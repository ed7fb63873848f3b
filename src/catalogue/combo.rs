//! The options of a combo: compact, in catalogue order, with O(1) membership.

use std::collections::HashMap;
use std::sync::Arc;

use super::number::Number;
use super::suggest::{SuggestIndex, Suggester};
use super::text_set::TextSet;

/// Lists up to this long are walked for suggestions; longer ones are indexed.
const WALKED_UP_TO: usize = 64;

/// The options of one combo input: its strings in a [`TextSet`], its numbers (few, compared by
/// value) beside them.
#[derive(Debug, Default)]
pub(crate) struct Options {
    texts: TextSet,
    numbers: Vec<Number>,
    /// The index of the string options for suggestions, when the list is long (shared by
    /// every combo with the same list).
    index: Option<Arc<SuggestIndex>>,
}

/// The indexes built while a catalogue loads, by the contents of their lists.
pub(crate) type IndexedLists = HashMap<(Box<str>, Box<[u32]>), Arc<SuggestIndex>>;

/// One option, for details and suggestions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Choice<'c> {
    Text(&'c str),
    Number(Number),
}

impl Options {
    /// Adds a string option, in catalogue order.
    pub(crate) fn push_text(&mut self, option: &str) {
        self.texts.push(option);
    }

    /// Adds a numeric option.
    pub(crate) fn push_number(&mut self, number: Number) {
        self.numbers.push(number);
    }

    /// Builds the index once every option is in.
    pub(crate) fn finish(&mut self) {
        self.texts.finish();
        self.numbers.shrink_to_fit();
    }

    /// How many options.
    pub(crate) fn len(&self) -> usize {
        self.texts.len() + self.numbers.len()
    }

    /// Whether `text` is one of the string options, exactly.
    pub(crate) fn has_text(&self, text: &str) -> bool {
        self.texts.find(text).is_some()
    }

    /// Whether `number` equals one of the numeric options by value.
    pub(crate) fn has_number(&self, number: Number) -> bool {
        self.numbers.iter().any(|option| option.same_value(number))
    }

    /// Every option in catalogue order: the strings, then the numbers.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Choice<'_>> {
        self.texts
            .iter()
            .map(Choice::Text)
            .chain(self.numbers.iter().map(|n| Choice::Number(*n)))
    }

    /// Indexes a long list for suggestions, or takes the index of an equal list from
    /// `built`; a new index must fit in `allowance` bytes, and takes what it uses from it.
    pub(crate) fn index(&mut self, built: &mut IndexedLists, allowance: &mut usize) {
        if self.texts.len() <= WALKED_UP_TO || self.index.is_some() {
            return;
        }
        let (text, ends) = self.texts.contents();
        let key: (Box<str>, Box<[u32]>) = (text.into(), ends.into());
        if let Some(index) = built.get(&key) {
            self.index = Some(Arc::clone(index));
            return;
        }
        let Some(index) = SuggestIndex::build(self.texts.iter(), *allowance) else {
            return;
        };
        *allowance = allowance.saturating_sub(index.bytes());
        let index = Arc::new(index);
        built.insert(key, Arc::clone(&index));
        self.index = Some(index);
    }

    /// The string options closest to `sent`, nearest first.
    pub(crate) fn suggest(&self, suggester: &mut Suggester, sent: &str) -> Vec<&str> {
        match &self.index {
            Some(index) => suggester.closest_indexed(sent, index, |id| self.texts.get(id as usize)),
            None => suggester.closest(sent, self.texts.iter()),
        }
    }
}

#[cfg(test)]
impl Options {
    /// The list's suggestion index, if it has one.
    pub(crate) fn suggestion_index(&self) -> Option<&Arc<SuggestIndex>> {
        self.index.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{Choice, IndexedLists, Options, WALKED_UP_TO};
    use crate::catalogue::number::Number;

    fn list(len: usize, name: &str) -> Options {
        let mut options = Options::default();
        for i in 0..len {
            options.push_text(&format!("{name}_{i:04}.safetensors"));
        }
        options.finish();
        options
    }

    #[test]
    fn only_lists_longer_than_a_walk_are_indexed_and_within_the_allowance() {
        let mut built = IndexedLists::new();
        let mut allowance = 1 << 20;
        let mut short = list(WALKED_UP_TO, "short");
        short.index(&mut built, &mut allowance);
        assert!(short.suggestion_index().is_none(), "a walk is fast enough");
        assert_eq!(allowance, 1 << 20);
        let mut long = list(WALKED_UP_TO + 1, "long");
        long.index(&mut built, &mut allowance);
        let index = long.suggestion_index().expect("a long list is indexed");
        assert_eq!(
            allowance,
            (1 << 20) - index.bytes(),
            "what it used is taken"
        );
        // An equal list shares the index, and takes nothing more.
        let mut twin = list(WALKED_UP_TO + 1, "long");
        twin.index(&mut built, &mut allowance);
        assert!(Arc::ptr_eq(
            twin.suggestion_index().expect("shared"),
            long.suggestion_index().expect("kept")
        ));
        assert_eq!(allowance, (1 << 20) - index.bytes());
        // An index that does not fit is not built.
        let mut other = list(WALKED_UP_TO + 1, "other");
        let mut small = index.bytes() - 1;
        other.index(&mut built, &mut small);
        assert!(other.suggestion_index().is_none());
    }

    #[test]
    fn strings_and_numbers_are_told_apart() {
        let mut options = Options::default();
        options.push_text("euler");
        options.push_text("5");
        options.push_number(Number::Int(5));
        options.finish();
        assert!(options.has_text("euler") && options.has_text("5") && !options.has_text("Euler"));
        assert!(options.has_number(Number::Float(5.0)) && !options.has_number(Number::Int(6)));
        assert_eq!(options.len(), 3);
        assert_eq!(options.iter().last(), Some(Choice::Number(Number::Int(5))));
    }
}
