//! The keys of a validation error's `details`: one table, read by the crate, its CLI and its
//! bindings, so that a key cannot be spelt two ways.

use std::fmt;

/// A key of [`ValidationError::details`](crate::ValidationError::details), and which errors
/// carry it. Every error has [`Detail::Pointer`]; the others depend on the code.
///
/// ```
/// use cmfy_validate::Detail;
/// let error = cmfy_validate::validate(br#"{"prompt": {"1": {"class_type": "A"}}}"#).unwrap_err();
/// assert_eq!(error.code(), "missing_inputs");
/// assert_eq!(error.detail(Detail::NodeId), Some(&"1".into()));
/// assert_eq!(Detail::NodeId.as_str(), "node_id");
/// assert_eq!(Detail::ALL.len(), 25);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Detail {
    /// `pointer`: the RFC 6901 pointer to the value, at most 200 characters (every error).
    Pointer,
    /// `line`: 1-based line of a syntax error (`invalid_json`).
    Line,
    /// `column`: 1-based column, in characters, of a syntax error (`invalid_json`).
    Column,
    /// `reason`: why the JSON or a URL was refused (`invalid_json`, the URL codes).
    Reason,
    /// `found`: the JSON type found where `prompt` should be, or `"nothing"`
    /// (`missing_prompt`, `invalid_prompt_type`).
    Found,
    /// `hint`: how to send a workflow sent in the wrong shape (`missing_prompt` and the
    /// prompt's codes).
    Hint,
    /// `node_count`: how many nodes the prompt has (`too_many_nodes`).
    NodeCount,
    /// `max_nodes`: the policy's node limit (`too_many_nodes`).
    MaxNodes,
    /// `node_id`: the node the problem is in (node, URL and catalogue codes).
    NodeId,
    /// `class_type`: the node's class (catalogue codes).
    ClassType,
    /// `input`: the input the problem is in (URL and catalogue codes).
    Input,
    /// `field`: the top-level field a URL problem is in, `"webhook_url"`.
    Field,
    /// `host`: the URL's host, when it has one (URL codes).
    Host,
    /// `input_type`: the type the class declares for the input (catalogue codes).
    InputType,
    /// `received_value`: the literal the input was given (catalogue codes).
    ReceivedValue,
    /// `received_type`: the type of what the input was given (`invalid_input_type`,
    /// `return_type_mismatch`).
    ReceivedType,
    /// `min`: the declared minimum (`value_smaller_than_min`).
    Min,
    /// `max`: the declared maximum (`value_bigger_than_max`).
    Max,
    /// `options`: the first options of the list (`value_not_in_list`).
    Options,
    /// `option_count`: how many options the list has (`value_not_in_list`).
    OptionCount,
    /// `suggestions`: the closest names (`missing_node_type`, `value_not_in_list`).
    Suggestions,
    /// `source_node_id`: the node a link comes from (link codes).
    SourceNodeId,
    /// `output_index`: the output a link takes (link codes).
    OutputIndex,
    /// `output_count`: how many outputs the source node's class has (`bad_linked_input`).
    OutputCount,
    /// `cycle`: the node ids of a cycle, in order (`dependency_cycle`).
    Cycle,
}

impl Detail {
    /// Every key, in the order of this list.
    pub const ALL: [Detail; 25] = [
        Detail::Pointer,
        Detail::Line,
        Detail::Column,
        Detail::Reason,
        Detail::Found,
        Detail::Hint,
        Detail::NodeCount,
        Detail::MaxNodes,
        Detail::NodeId,
        Detail::ClassType,
        Detail::Input,
        Detail::Field,
        Detail::Host,
        Detail::InputType,
        Detail::ReceivedValue,
        Detail::ReceivedType,
        Detail::Min,
        Detail::Max,
        Detail::Options,
        Detail::OptionCount,
        Detail::Suggestions,
        Detail::SourceNodeId,
        Detail::OutputIndex,
        Detail::OutputCount,
        Detail::Cycle,
    ];

    /// The key as it is written in `details`.
    ///
    /// ```
    /// assert_eq!(cmfy_validate::Detail::ReceivedValue.as_str(), "received_value");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Detail::Pointer => "pointer",
            Detail::Line => "line",
            Detail::Column => "column",
            Detail::Reason => "reason",
            Detail::Found => "found",
            Detail::Hint => "hint",
            Detail::NodeCount => "node_count",
            Detail::MaxNodes => "max_nodes",
            Detail::NodeId => "node_id",
            Detail::ClassType => "class_type",
            Detail::Input => "input",
            Detail::Field => "field",
            Detail::Host => "host",
            Detail::InputType => "input_type",
            Detail::ReceivedValue => "received_value",
            Detail::ReceivedType => "received_type",
            Detail::Min => "min",
            Detail::Max => "max",
            Detail::Options => "options",
            Detail::OptionCount => "option_count",
            Detail::Suggestions => "suggestions",
            Detail::SourceNodeId => "source_node_id",
            Detail::OutputIndex => "output_index",
            Detail::OutputCount => "output_count",
            Detail::Cycle => "cycle",
        }
    }
}

impl fmt::Display for Detail {
    /// The key as it is written in `details`.
    ///
    /// ```
    /// assert_eq!(cmfy_validate::Detail::MaxNodes.to_string(), "max_nodes");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Detail;

    #[test]
    fn every_key_is_listed_once_and_spelt_once() {
        let mut keys: Vec<&str> = Detail::ALL.iter().map(|key| key.as_str()).collect();
        assert!(
            Detail::ALL.windows(2).all(|pair| pair[0] < pair[1]),
            "ALL follows the enum"
        );
        assert!(keys.iter().all(|key| {
            !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        }));
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Detail::ALL.len());
    }
}
