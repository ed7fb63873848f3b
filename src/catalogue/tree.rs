//! A JSON value that keeps the order of object members (serde_json's `Value` sorts them unless
//! its `preserve_order` feature is on, which would change every `Map` of every crate in the
//! build): the catalogue's order of inputs is the order missing ones are reported in.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::number::Number;

/// One JSON value, objects as their members in order. Strings and names borrow the snapshot's
/// bytes where they have no escapes, so reading a snapshot allocates little beyond the vectors.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tree<'t> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'t, str>),
    Array(Vec<Tree<'t>>),
    Object(Vec<(Cow<'t, str>, Tree<'t>)>),
}

impl<'t> Tree<'t> {
    /// The member `key` of an object (the last, if it is there twice, as Python reads it).
    pub(crate) fn get(&self, key: &str) -> Option<&Tree<'t>> {
        match self {
            Tree::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Takes the member `key` out of an object.
    pub(crate) fn take(&mut self, key: &str) -> Option<Tree<'t>> {
        match self {
            Tree::Object(members) => {
                let at = members.iter().rposition(|(k, _)| k == key)?;
                Some(members.swap_remove(at).1)
            }
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Tree::String(text) => Some(text),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Tree<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

/// A member name, borrowed from the snapshot where it has no escapes.
pub(crate) struct Name<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(NameVisitor)
    }
}

struct NameVisitor;

impl<'de> Visitor<'de> for NameVisitor {
    type Value = Name<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Name<'de>, E> {
        Ok(Name(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Name<'de>, E> {
        Ok(Name(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Name<'de>, E> {
        Ok(Name(Cow::Owned(v)))
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Tree<'de>, E> {
        Ok(Tree::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Tree<'de>, E> {
        Ok(Tree::Number(Number::Int(v.into())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Tree<'de>, E> {
        Ok(Tree::Number(Number::Int(v.into())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Tree<'de>, E> {
        Ok(Tree::Number(Number::Float(v)))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Tree<'de>, E> {
        Ok(Tree::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree<'de>, A::Error> {
        let mut members = Vec::new();
        while let Some((Name(key), value)) = map.next_entry()? {
            members.push((key, value));
        }
        Ok(Tree::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::Tree;

    #[test]
    fn keeps_member_order_and_reads_the_last_duplicate() {
        let tree: Tree =
            serde_json::from_str(r#"{"b": 1, "a": [true, null, "x", 2.5], "b": 3}"#).unwrap();
        let Tree::Object(members) = &tree else {
            panic!("an object")
        };
        let keys: Vec<&str> = members.iter().map(|(k, _)| &**k).collect();
        assert_eq!(keys, ["b", "a", "b"]);
        assert_eq!(tree.get("b"), Some(&Tree::Number(super::Number::Int(3))));
        assert_eq!(
            tree.get("a")
                .and_then(|a| match a {
                    Tree::Array(items) => items.get(2),
                    _ => None,
                })
                .and_then(Tree::as_str),
            Some("x")
        );
    }
}
