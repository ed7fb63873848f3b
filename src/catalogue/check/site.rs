//! Where a problem is, and the error that says so: every error of the check names its node's
//! id and class, and the input when one applies.

use serde_json::Value as Json;

use crate::catalogue::literal;
use crate::error::{Detail, ErrorCode, Pointer, ValidationError};
use crate::workflow::{Node, Workflow};

/// A node, or one of its inputs, with the byte offset an error about it carries.
pub(super) struct Site<'s, 'r, 'a> {
    node: &'s Node<'r, 'a>,
    /// The input's name (dotted for one an option of a dynamic combo declares).
    input: Option<&'s str>,
    at: usize,
}

impl<'s, 'r, 'a> Site<'s, 'r, 'a> {
    /// The node itself, at its `class_type`.
    pub(super) fn node(workflow: &Workflow<'_>, node: &'s Node<'r, 'a>) -> Self {
        Site {
            node,
            input: None,
            at: workflow.offset_of(node.class_type()),
        }
    }

    /// Input `name` of `node`, at offset `at`.
    pub(super) fn input(node: &'s Node<'r, 'a>, name: &'s str, at: usize) -> Self {
        Site {
            node,
            input: Some(name),
            at,
        }
    }

    /// The pointer to the input's value (to the node, for the node itself).
    pub(super) fn pointer(&self) -> String {
        let pointer = Pointer::default().push("prompt").push(self.node.id());
        match self.input {
            Some(name) => pointer.push("inputs").push(name).build(),
            None => pointer.build(),
        }
    }

    /// An error of `code` here, at `pointer`.
    pub(super) fn error(&self, code: ErrorCode, pointer: String) -> ValidationError {
        let error = ValidationError::new(code, pointer, self.at)
            .with_text(Detail::NodeId, self.node.id())
            .with_text(Detail::ClassType, self.node.class_type());
        match self.input {
            Some(name) => error.with_text(Detail::Input, name),
            None => error,
        }
    }

    /// An error of `code` at [`Site::pointer`].
    pub(super) fn error_here(&self, code: ErrorCode) -> ValidationError {
        self.error(code, self.pointer())
    }
}

/// A received value for details: a string or number as itself, anything else as its JSON text;
/// at most 200 characters of either.
pub(super) fn received(text: &str) -> Json {
    let inner = literal::unwrap_value(text).unwrap_or(text);
    match literal::read(inner) {
        Some(literal::Value::String(s)) => Json::String(crate::error::clip(&s)),
        Some(literal::Value::Number(n)) => n.to_json(),
        Some(literal::Value::Bool(b)) => Json::Bool(b),
        Some(literal::Value::Null) => Json::Null,
        _ => Json::String(crate::error::clip(inner)),
    }
}

/// Names for details, each clipped to 200 characters.
pub(super) fn strings<'t>(items: impl IntoIterator<Item = &'t str>) -> Json {
    Json::Array(
        items
            .into_iter()
            .map(|s| Json::String(crate::error::clip(s)))
            .collect(),
    )
}
