//! Hints for the commonest mistakes: a workflow sent without its `{"prompt": ...}` wrapper,
//! and an editor export sent instead of the API format. A hint never changes a code; it adds
//! `details.hint`, a sentence saying what to do. Looked for only once a body has failed, so an
//! accepted request never pays for it.

use crate::json::{Kind, members};

/// What an object in the body looks like, when that explains a refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hint {
    /// A non-empty object whose every value is an object, one at least with `class_type`: an
    /// API-format workflow itself, what ComfyUI's "Export (API)" saves.
    WrapInPrompt,
    /// `nodes` and `links` arrays: a workflow as the editor saves it.
    ExportInApiFormat,
}

impl Hint {
    /// The sentence for `details.hint`.
    pub(crate) fn text(self) -> &'static str {
        match self {
            Hint::WrapInPrompt => {
                "the body looks like a workflow itself: send it as {\"prompt\": <workflow>}"
            }
            Hint::ExportInApiFormat => {
                "this is a workflow as the editor saves it: export it in API format \
                 (Workflow > Export (API) in ComfyUI) and send that as the prompt"
            }
        }
    }
}

/// What the members of `prompt` say about it being an editor export, noted as the request
/// pass meets them, so that a refused prompt is not read again to look.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ExportSigns {
    nodes: bool,
    links: bool,
}

impl ExportSigns {
    /// Notes a member named `name` whose value is of `kind`.
    pub(crate) fn note(&mut self, name: &str, kind: Kind) {
        if kind == Kind::Array {
            self.nodes |= name == "nodes";
            self.links |= name == "links";
        }
    }

    /// The hint, if both arrays were met.
    pub(crate) fn hint(self) -> Option<Hint> {
        (self.nodes && self.links).then_some(Hint::ExportInApiFormat)
    }
}

/// The hint for the object that starts at `offset` in `text`, a text already checked to be
/// valid JSON. It is read again by the trusted scan, several times cheaper than the strict pass
/// that refused it, so a refusal costs little more than the reading did.
pub(crate) fn for_object(text: &str, offset: usize) -> Option<Hint> {
    let (mut count, mut all_objects, mut class_type) = (0usize, true, false);
    let (mut nodes, mut links) = (false, false);
    for (key, value) in members(text.get(offset..)?) {
        count += 1;
        let key = key.decode();
        let array = value.starts_with('[');
        nodes |= array && key == "nodes";
        links |= array && key == "links";
        if value.starts_with('{') {
            class_type |= members(value).any(|(name, _)| name.decode() == "class_type");
        } else {
            all_objects = false;
        }
    }
    if nodes && links {
        Some(Hint::ExportInApiFormat)
    } else if count > 0 && all_objects && class_type {
        Some(Hint::WrapInPrompt)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{Hint, for_object};

    fn hint(text: &str) -> Option<Hint> {
        for_object(text, text.find('{').unwrap_or(0))
    }

    #[test]
    fn tells_a_bare_workflow_and_an_editor_export() {
        for (text, expected) in [
            (
                r#"{"3": {"class_type": "A", "inputs": {}}, "4": {"inputs": {}}}"#,
                Some(Hint::WrapInPrompt),
            ),
            (
                r#" {"3": {"cl\u0061ss_type": 1}}"#,
                Some(Hint::WrapInPrompt),
            ),
            (r#"{"3": {"inputs": {}}}"#, None),
            (r#"{"3": {"class_type": "A"}, "x": 1}"#, None),
            (r#"{"3": {"a": {"class_type": "A"}}}"#, None),
            (r#"{}"#, None),
            (
                r#"{"last_node_id": 9, "nodes": [], "links": [], "version": 0.4}"#,
                Some(Hint::ExportInApiFormat),
            ),
            (r#"{"nodes": [], "links": {}}"#, None),
            (r#"{"nodes": []}"#, None),
            (r#"[1]"#, None),
        ] {
            assert_eq!(hint(text), expected, "{text}");
        }
    }

    #[test]
    fn an_export_needs_both_arrays_by_name() {
        for text in [
            r#"{"links": [], "x": []}"#,
            r#"{"nodes": {}, "links": []}"#,
            r#"{"nodes": [], "x": []}"#,
            r#"{"node": [], "links": []}"#,
        ] {
            assert_eq!(hint(text), None, "{text}");
        }
        assert_eq!(
            hint(r#"{"x": [], "links": [], "nodes": []}"#),
            Some(Hint::ExportInApiFormat)
        );
    }
}
