//! Hints for the commonest mistakes: a workflow sent without its `{"prompt": ...}` wrapper,
//! and an editor export sent instead of the API format. A hint never changes a code; it adds
//! `details.hint`, a sentence saying what to do. Looked for only once a body has failed, so an
//! accepted request never pays for it.

use crate::json::{Kind, Reader};

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

/// The hint for the object that starts at `offset` in `text`, a text already checked to be
/// valid JSON (so the reader meets no error; if it did, there is no hint).
pub(crate) fn for_object(text: &str, offset: usize) -> Option<Hint> {
    let mut reader = Reader::starting_at(text, offset);
    let mut members = reader.enter_object().ok()?;
    let (mut count, mut all_objects, mut class_type) = (0usize, true, false);
    let (mut nodes, mut links) = (false, false);
    while let Some(key) = reader.next_key(&mut members).ok()? {
        count += 1;
        let kind = reader.kind_here().ok()?;
        let key = key.decode();
        nodes |= key == "nodes" && kind == Kind::Array;
        links |= key == "links" && kind == Kind::Array;
        if kind == Kind::Object {
            class_type |= has_member(&mut reader, "class_type")?;
        } else {
            all_objects = false;
            reader.skip_value().ok()?;
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

/// Reads the object at the reader's position; whether it has a member named `name`.
fn has_member(reader: &mut Reader<'_>, name: &str) -> Option<bool> {
    let mut members = reader.enter_object().ok()?;
    let mut found = false;
    while let Some(key) = reader.next_key(&mut members).ok()? {
        found |= key.decode() == name;
        reader.skip_value().ok()?;
    }
    Some(found)
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
}
