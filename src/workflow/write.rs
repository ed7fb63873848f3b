//! Writing the workflow back out as a `prompt` object.

use std::fmt::{self, Write};

use super::{InputValue, Workflow};
use crate::json::write_escaped;

/// Writes the members of an object: `{"k":v,...}`, each value written by `value`.
fn object<W: Write, T>(
    out: &mut W,
    items: impl IntoIterator<Item = T>,
    mut member: impl FnMut(&mut W, T) -> fmt::Result,
) -> fmt::Result {
    out.write_char('{')?;
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.write_char(',')?;
        }
        member(out, item)?;
    }
    out.write_char('}')
}

fn key(out: &mut impl Write, name: &str) -> fmt::Result {
    write_escaped(out, name)?;
    out.write_char(':')
}

pub(super) fn prompt(out: &mut impl Write, workflow: &Workflow<'_>) -> fmt::Result {
    object(out, workflow.nodes(), |out, node| {
        key(out, node.id())?;
        out.write_str("{\"class_type\":")?;
        write_escaped(out, node.class_type())?;
        out.write_str(",\"inputs\":")?;
        object(out, node.inputs(), |out, input| {
            key(out, &input.name)?;
            match &input.value {
                InputValue::Link(link) => {
                    out.write_char('[')?;
                    write_escaped(out, &link.node_id)?;
                    write!(out, ",{}]", link.output)
                }
                InputValue::Literal(raw) => out.write_str(raw.0),
            }
        })?;
        if let Some(meta) = node.meta() {
            out.write_str(",\"_meta\":")?;
            out.write_str(meta.0)?;
        }
        for (name, value) in node.other_members() {
            out.write_char(',')?;
            key(out, name)?;
            out.write_str(value.0)?;
        }
        out.write_char('}')
    })
}
