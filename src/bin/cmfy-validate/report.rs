//! How the command line shows a result.

use std::io::{self, Write};

use cmfy_validate::{Detail, ErrorBody, ValidationError, Workflow};
use serde_json::Value;

use crate::position::{excerpt, line_columns};

/// A body as the command line read it: where it came from, its bytes, and how far its
/// offsets are shifted from the file's (a workflow file is checked wrapped in a request).
pub struct Shown<'b> {
    pub name: &'b str,
    pub body: &'b [u8],
    /// Bytes added in front of the file's own bytes.
    pub shift: usize,
}

/// `NAME: ok`, or for each problem its code and message, where it is, what the details say,
/// and the line with a caret under the offending value.
pub fn human(
    out: &mut impl Write,
    shown: &Shown<'_>,
    errors: &[ValidationError],
) -> io::Result<()> {
    if errors.is_empty() {
        return writeln!(out, "{}: ok", shown.name);
    }
    let file = shown.body.get(shown.shift..).unwrap_or(shown.body);
    let file_offset =
        |error: &ValidationError| error.offset().saturating_sub(shown.shift).min(file.len());
    let offsets: Vec<usize> = errors.iter().map(file_offset).collect();
    let positions = line_columns(file, &offsets);
    for ((error, (line, column)), offset) in errors.iter().zip(positions).zip(offsets) {
        writeln!(out, "{}: {}: {}", shown.name, error.code(), error.message())?;
        let pointer = if error.pointer().is_empty() {
            "(the whole body)"
        } else {
            error.pointer()
        };
        writeln!(out, "  at {pointer}, line {line}, column {column}")?;
        for line in detail_lines(error) {
            writeln!(out, "  {line}")?;
        }
        let (excerpt, caret) = excerpt(file, offset);
        let gutter = line.to_string();
        writeln!(out, "  {gutter} | {excerpt}")?;
        writeln!(
            out,
            "  {} | {}^",
            " ".repeat(gutter.len()),
            " ".repeat(caret)
        )?;
    }
    Ok(())
}

/// What the details say, one line each, in words.
fn detail_lines(error: &ValidationError) -> Vec<String> {
    let text = |key: Detail| {
        error
            .detail(key)
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
    };
    let mut lines = Vec::new();
    if let Some(node) = text(Detail::NodeId) {
        let mut line = format!("node {node}");
        if let Some(class) = text(Detail::ClassType) {
            line.push_str(&format!(" ({class})"));
        }
        if let Some(input) = text(Detail::Input) {
            line.push_str(&format!(", input '{input}'"));
        }
        lines.push(line);
    }
    if let Some(value) = error.detail(Detail::ReceivedValue) {
        lines.push(format!("received: {value}"));
    }
    if let (Some(received), Some(expected)) = (text(Detail::ReceivedType), text(Detail::InputType))
    {
        lines.push(format!("type: {received} where {expected} is expected"));
    } else if let Some(expected) = text(Detail::InputType) {
        lines.push(format!("type: {expected}"));
    }
    for key in [Detail::Min, Detail::Max] {
        if let Some(bound) = text(key) {
            lines.push(format!("{key}: {bound}"));
        }
    }
    if let Some(source) = text(Detail::SourceNodeId) {
        let index = text(Detail::OutputIndex).unwrap_or_default();
        match text(Detail::OutputCount) {
            Some(count) => lines.push(format!(
                "link: output {index} of node {source}, which has {count}"
            )),
            None => lines.push(format!("link: output {index} of node {source}")),
        }
    }
    if let Some(Value::Array(cycle)) = error.detail(Detail::Cycle) {
        let ids: Vec<String> = cycle
            .iter()
            .map(|id| id.as_str().unwrap_or_default().to_owned())
            .collect();
        lines.push(format!(
            "cycle: {} -> back to {}",
            ids.join(" -> "),
            ids.first().cloned().unwrap_or_default()
        ));
    }
    if let Some(Value::Array(suggestions)) = error.detail(Detail::Suggestions) {
        let names: Vec<String> = suggestions
            .iter()
            .filter_map(Value::as_str)
            .map(|s| format!("'{s}'"))
            .collect();
        if !names.is_empty() {
            lines.push(format!("did you mean {}?", names.join(" or ")));
        }
    }
    let count = error.detail(Detail::OptionCount).and_then(Value::as_u64);
    if let (Some(count), Some(Value::Array(options))) = (count, error.detail(Detail::Options)) {
        let listed: Vec<String> = options
            .iter()
            .map(|o| o.as_str().map_or_else(|| o.to_string(), str::to_owned))
            .collect();
        let more = if options.len() as u64 == count {
            ""
        } else {
            ", …"
        };
        lines.push(format!("options ({count}): {}{more}", listed.join(", ")));
    }
    if let Some(host) = text(Detail::Host) {
        lines.push(format!("host: {host}"));
    }
    if let (Some(count), Some(limit)) = (text(Detail::NodeCount), text(Detail::MaxNodes)) {
        lines.push(format!("nodes: {count}, limit {limit}"));
    }
    if let Some(found) = text(Detail::Found) {
        lines.push(format!("found: {found}"));
    }
    if let Some(reason) = text(Detail::Reason) {
        lines.push(format!("reason: {reason}"));
    }
    if let Some(hint) = text(Detail::Hint) {
        lines.push(format!("hint: {hint}"));
    }
    lines
}

/// One line per problem, each the envelope a server sends with the file it is about in front
/// (`{"file":…,"error":{…}}`), or `{"file":…,"ok":true}` for a valid body.
pub fn json(out: &mut impl Write, name: &str, errors: &[ValidationError]) -> io::Result<()> {
    let file = serde_json::to_string(name).unwrap_or_default();
    if errors.is_empty() {
        return writeln!(out, "{{\"file\":{file},\"ok\":true}}");
    }
    for error in errors {
        let envelope = ErrorBody::from_validation(error, None).to_json();
        // The envelope is an object: put the file first, inside it.
        let rest = envelope.strip_prefix('{').unwrap_or(&envelope);
        writeln!(out, "{{\"file\":{file},{rest}")?;
    }
    Ok(())
}

/// The line for a file that could not be read (or a catalogue that could not be loaded).
pub fn json_failure(out: &mut impl Write, name: &str, what: &str) -> io::Result<()> {
    let line = serde_json::json!({"file": name, "io_error": what});
    writeln!(out, "{line}")
}

/// `NAME: ok`, then each URL of the workflow with where it is.
pub fn human_urls(out: &mut impl Write, name: &str, workflow: &Workflow<'_>) -> io::Result<()> {
    writeln!(out, "{name}: ok")?;
    for found in workflow.urls() {
        writeln!(
            out,
            "  {} (node {} {}, input '{}', {})",
            found.url(),
            found.node_id(),
            found.class_type(),
            found.input(),
            found.pointer()
        )?;
    }
    Ok(())
}

/// One JSON line per URL of the workflow; `{"file":…,"ok":true,"urls":0}` when it has none.
pub fn json_urls(out: &mut impl Write, name: &str, workflow: &Workflow<'_>) -> io::Result<()> {
    let mut any = false;
    for found in workflow.urls() {
        any = true;
        let line = serde_json::json!({
            "file": name,
            "node_id": found.node_id(),
            "class_type": found.class_type(),
            "input": found.input(),
            "pointer": found.pointer(),
            "url": found.url().as_str(),
        });
        writeln!(out, "{line}")?;
    }
    if !any {
        writeln!(
            out,
            "{}",
            serde_json::json!({"file": name, "ok": true, "urls": 0})
        )?;
    }
    Ok(())
}
