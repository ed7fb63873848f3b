//! Every node's `_meta.title`, read from `_meta` the first time one is asked for.
//!
//! Validation only checks `_meta` as JSON: a title is a convenience of this crate's API, not a
//! rule of the contract, so a server that never asks for one never pays for reading it.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::NodeData;
use crate::json::{Kind, Reader};

/// The titles of all nodes, once read, in node order.
#[derive(Clone, Default)]
pub(crate) struct LazyTitles<'a> {
    read: OnceLock<Vec<Option<Cow<'a, str>>>>,
}

impl<'a> LazyTitles<'a> {
    /// The title of `nodes[index]`, reading those of every node on the first call.
    pub(crate) fn of(&self, nodes: &[NodeData<'a>], index: usize) -> Option<&str> {
        let titles = self.read.get_or_init(|| {
            nodes
                .iter()
                .map(|node| node.meta.and_then(|meta| title(meta.0)))
                .collect()
        });
        titles.get(index)?.as_deref()
    }
}

/// The `title` member of the `_meta` text, if `_meta` is an object and its title a string.
/// The text was checked during validation, so the reader finds no error; if it did, there is
/// no title.
fn title(meta: &str) -> Option<Cow<'_, str>> {
    let mut reader = Reader::new(meta);
    if reader.peek_kind().ok()? != Kind::Object {
        return None;
    }
    let mut members = reader.enter_object().ok()?;
    while let Some(key) = reader.next_key(&mut members).ok()? {
        if key.decode() == "title" {
            return match reader.peek_kind().ok()? {
                Kind::String => Some(reader.string().ok()?.decode()),
                _ => None,
            };
        }
        reader.skip_value().ok()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::title;

    #[test]
    fn the_title_is_a_string_member_of_an_object() {
        assert_eq!(
            title(r#"{"a": [1, {"title": "x"}], "title": "Load"}"#).as_deref(),
            Some("Load")
        );
        assert_eq!(
            title(r#"{"ti\u0074le": "caf\u00e9 \"1\""}"#).as_deref(),
            Some("café \"1\"")
        );
        assert_eq!(title(r#"{"title": 1}"#), None);
        assert_eq!(title(r#"{"title": null}"#), None);
        assert_eq!(title(r#"{"name": "Load"}"#), None);
        assert_eq!(title(r#"["title", "Load"]"#), None);
        assert_eq!(title(r#""Load""#), None);
    }
}
