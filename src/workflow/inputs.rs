//! Every node's inputs, read from the body the first time they are asked for.
//!
//! Validation walks each input for its URLs but builds nothing: a server that forwards an
//! accepted body never pays for a list of inputs it does not read. The first call that needs
//! them reads every node's `inputs` object again (text already checked) into one list.

use std::ops::Range;
use std::sync::OnceLock;

use super::{Input, InputValue, Link, NodeData, RawJson};
use crate::json::{self, JsonStr};

/// The inputs of all nodes, once read: one list, and each node's range in it.
#[derive(Clone, Default)]
pub(crate) struct LazyInputs<'a> {
    read: OnceLock<AllInputs<'a>>,
}

#[derive(Clone)]
struct AllInputs<'a> {
    inputs: Vec<Input<'a>>,
    ranges: Vec<Range<usize>>,
}

impl<'a> LazyInputs<'a> {
    /// The inputs of `nodes[index]`, reading those of every node on the first call.
    pub(crate) fn of(&self, nodes: &[NodeData<'a>], index: usize) -> &[Input<'a>] {
        let all = self.read.get_or_init(|| read_all(nodes));
        all.ranges
            .get(index)
            .and_then(|range| all.inputs.get(range.clone()))
            .unwrap_or_default()
    }
}

fn read_all<'a>(nodes: &[NodeData<'a>]) -> AllInputs<'a> {
    let mut inputs = Vec::new();
    let ranges = nodes
        .iter()
        .map(|node| {
            let start = inputs.len();
            read_object(node.inputs.0, &mut inputs);
            start..inputs.len()
        })
        .collect();
    AllInputs { inputs, ranges }
}

/// Reads the members of one `inputs` object. The text was checked during validation, so it
/// is read again by the trusted scan, not the strict reader; if it is not JSON after all, the
/// members read so far are kept.
fn read_object<'a>(text: &'a str, out: &mut Vec<Input<'a>>) {
    for (name, raw) in json::members(text) {
        let value = link(raw).map_or(InputValue::Literal(RawJson(raw)), InputValue::Link);
        out.push(Input {
            name: name.decode(),
            value,
        });
    }
}

/// The link `raw` is, if its shape is `["<node id>", <output index>]` with the index a
/// non-negative integer, written without fraction or exponent, that fits a `u32`.
fn link(raw: &str) -> Option<Link<'_>> {
    if !raw.starts_with('[') {
        return None;
    }
    let mut items = json::elements(raw);
    let (Some(id), Some(output), None) = (items.next(), items.next(), items.next()) else {
        return None;
    };
    let id = id.strip_prefix('"')?.strip_suffix('"')?;
    if output.is_empty() || !output.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Link {
        node_id: JsonStr::from_valid(id, 0).decode(),
        output: output.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::read_object;
    use crate::workflow::{Input, InputValue};

    fn read(text: &str) -> Vec<Input<'_>> {
        let mut inputs = Vec::new();
        read_object(text, &mut inputs);
        inputs
    }

    #[test]
    fn tells_links_from_literals_by_shape() {
        let inputs = read(
            r#"{"a": ["3", 1], "b": ["\u0033", 0], "c": ["3", 1.0], "d": ["3", 1, 2],
                "e": [["3", 1]], "f": ["3", -1], "g": ["3", 4294967296], "h": [3, 1],
                "i": {"x": ["3", 1]}, "j": "3", "k": ["3", 4294967295], "l": ["3", 1e0]}"#,
        );
        let links: Vec<(&str, Option<(&str, u32)>)> = inputs
            .iter()
            .map(|input| {
                let link = match input.value() {
                    InputValue::Link(link) => Some((link.node_id(), link.output())),
                    InputValue::Literal(_) => None,
                };
                (input.name(), link)
            })
            .collect();
        assert_eq!(
            links,
            [
                ("a", Some(("3", 1))),
                ("b", Some(("3", 0))),
                ("c", None),
                ("d", None),
                ("e", None),
                ("f", None),
                ("g", None),
                ("h", None),
                ("i", None),
                ("j", None),
                ("k", Some(("3", u32::MAX))),
                ("l", None),
            ]
        );
    }

    #[test]
    fn keeps_literals_as_written_and_names_unescaped() {
        let inputs = read(r#"{"se\u0065d": 1.50e3, "t": "a\nb"}"#);
        assert_eq!(inputs.len(), 2);
        assert_eq!(inputs.first().map(Input::name), Some("seed"));
        assert!(matches!(
            inputs.first().map(Input::value),
            Some(InputValue::Literal(raw)) if raw.json() == "1.50e3"
        ));
        assert!(matches!(
            inputs.get(1).map(Input::value),
            Some(InputValue::Literal(raw)) if raw.json() == r#""a\nb""#
        ));
    }

    #[test]
    fn text_that_is_not_an_object_gives_no_inputs() {
        assert!(read("[1]").is_empty());
        assert!(read("").is_empty());
        assert_eq!(read(r#"{"a": 1, "b": }"#).len(), 1);
    }
}
