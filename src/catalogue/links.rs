//! What the catalogue check counts as a link: `["<node id>", <output index>]` with the index a
//! non-negative integer written without fraction or exponent, whatever its size (the request
//! layer's [`Link`](crate::Link) also needs it to fit a `u32`; a larger index is still a link
//! here, to an output no class has).

use std::borrow::Cow;

use crate::json::{Kind, Reader};
use crate::workflow::InputValue;

/// The shape of an input's value, as far as links go.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Shape<'v> {
    /// A link to output `output` (saturated past `u64`) of node `node_id`.
    Link { node_id: Cow<'v, str>, output: u64 },
    /// An array that is not a link.
    Array,
    /// Any other value.
    Other,
}

/// The shape of `value`.
pub(crate) fn shape<'v>(value: &'v InputValue<'_>) -> Shape<'v> {
    match value {
        InputValue::Link(link) => Shape::Link {
            node_id: Cow::Borrowed(link.node_id()),
            output: u64::from(link.output()),
        },
        InputValue::Literal(raw) if raw.json().starts_with('[') => array_shape(raw.json()),
        InputValue::Literal(_) => Shape::Other,
    }
}

/// A literal array (checked JSON): a link with a large index, or not a link.
fn array_shape(text: &str) -> Shape<'_> {
    let mut reader = Reader::new(text);
    let Ok(mut elements) = reader.enter_array() else {
        return Shape::Array;
    };
    let mut items = [None, None];
    let mut count = 0usize;
    while let Ok(true) = reader.next_element(&mut elements) {
        let start = reader.position();
        let kind = reader.kind_here();
        if reader.skip_value().is_err() {
            return Shape::Array;
        }
        if let (Some(slot), Ok(kind)) = (items.get_mut(count), kind) {
            *slot = Some((kind, reader.since(start)));
        }
        count += 1;
    }
    match (count, items) {
        (2, [Some((Kind::String, id)), Some((Kind::Number, index))])
            if index.bytes().all(|b| b.is_ascii_digit()) =>
        {
            let node_id = id
                .strip_prefix('"')
                .and_then(|id| id.strip_suffix('"'))
                .map(|inner| crate::json::JsonStr::from_valid(inner, 0).decode())
                .unwrap_or_default();
            Shape::Link {
                node_id,
                output: index.parse().unwrap_or(u64::MAX),
            }
        }
        _ => Shape::Array,
    }
}

#[cfg(test)]
mod tests {
    use super::{Shape, array_shape};

    #[test]
    fn large_indices_are_links_and_other_arrays_are_not() {
        assert_eq!(
            array_shape(r#"["3", 4294967296]"#),
            Shape::Link {
                node_id: "3".into(),
                output: 4_294_967_296
            }
        );
        assert_eq!(
            array_shape(r#"["\u0033", 99999999999999999999999]"#),
            Shape::Link {
                node_id: "3".into(),
                output: u64::MAX
            }
        );
        for text in [
            r#"[3, 0]"#,
            r#"["3", -1]"#,
            r#"["3", 1.0]"#,
            r#"["3", 1e0]"#,
            r#"["3", 0, 1]"#,
            r#"["3"]"#,
            r#"[]"#,
            r#"[["3", 0]]"#,
        ] {
            assert_eq!(array_shape(text), Shape::Array, "{text}");
        }
    }
}
