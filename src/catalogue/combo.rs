//! The options of a combo: compact, in catalogue order, with O(1) membership.

use super::number::Number;
use super::text_set::TextSet;

/// The options of one combo input: its strings in a [`TextSet`], its numbers (few, compared by
/// value) beside them.
#[derive(Debug, Default)]
pub(crate) struct Options {
    texts: TextSet,
    numbers: Vec<Number>,
}

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

    /// The string options, for suggestions.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &str> {
        self.texts.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::{Choice, Options};
    use crate::catalogue::number::Number;

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
