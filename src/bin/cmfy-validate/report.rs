//! How the command line shows a result.

use std::io::{self, Write};

use cmfy_validate::{ErrorBody, ValidationError};

/// Characters of context shown on each side of the caret, so a minified one-line body still
/// gives a readable excerpt.
const CONTEXT: usize = 60;

/// `NAME: ok`, or for each problem its code, message, pointer, position, the line and a caret.
pub fn human(
    out: &mut impl Write,
    name: &str,
    body: &[u8],
    errors: &[ValidationError],
) -> io::Result<()> {
    if errors.is_empty() {
        return writeln!(out, "{name}: ok");
    }
    for error in errors {
        let (line, column) = error.line_column(body);
        writeln!(out, "{name}: {}: {}", error.code(), error.message())?;
        let pointer = if error.pointer().is_empty() {
            "(the whole body)"
        } else {
            error.pointer()
        };
        writeln!(out, "  at {pointer}, line {line}, column {column}")?;
        if let Some(reason) = error.details().get("reason").and_then(|r| r.as_str()) {
            writeln!(out, "  reason: {reason}")?;
        }
        let (excerpt, caret) = excerpt(body, line, column);
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

/// The text of line `line` around `column`, with control characters made visible, and the
/// caret's position in it.
fn excerpt(body: &[u8], line: usize, column: usize) -> (String, usize) {
    let text = String::from_utf8_lossy(body);
    let chars: Vec<char> = text
        .split('\n')
        .nth(line - 1)
        .unwrap_or_default()
        .chars()
        .collect();
    let at = column.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(CONTEXT);
    let end = (at + CONTEXT).min(chars.len());
    let visible = |c: char| if c.is_control() { ' ' } else { c };
    let mut shown: String = chars
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .copied()
        .map(visible)
        .collect();
    let mut caret = at - start;
    if start > 0 {
        shown.insert(0, '…');
        caret += 1;
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

/// One line per problem: the envelope a server sends; `{"ok":true}` for a valid body.
pub fn json(out: &mut impl Write, errors: &[ValidationError]) -> io::Result<()> {
    if errors.is_empty() {
        return writeln!(out, "{{\"ok\":true}}");
    }
    for error in errors {
        writeln!(out, "{}", ErrorBody::from_validation(error, None).to_json())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_long_lines_around_the_column() {
        let body = format!("{{\n{}X{}\n}}", "a".repeat(100), "b".repeat(100));
        let (shown, caret) = excerpt(body.as_bytes(), 2, 101);
        assert_eq!(shown.chars().nth(caret), Some('X'));
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(excerpt(b"ab", 1, 3), ("ab".to_owned(), 2));
    }
}
