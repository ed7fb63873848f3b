//! Steps from a value to a value nested in it.

use super::JsonStr;

/// One step from a value to a nested one: a member, by its key as written, or an element.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Segment<'a> {
    Key(JsonStr<'a>),
    Index(usize),
}
