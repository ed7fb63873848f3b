//! Where problems are in a body: line, column and an excerpt, for any number of problems in
//! one pass over the body, and each excerpt in time proportional to what it shows (a 50 MB
//! minified body with a hundred problems is read once, not a hundred times).

/// Characters of context shown on each side of the caret.
const CONTEXT: usize = 60;

/// The line and column (1-based, in characters) of each offset, in the order given.
pub fn line_columns(body: &[u8], offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets.get(i).copied().unwrap_or(0));
    let mut found = vec![(1, 1); offsets.len()];
    let (mut line, mut column, mut at) = (1, 1, 0);
    for i in order {
        let target = offsets.get(i).copied().unwrap_or(0).min(body.len());
        for &b in body.get(at..target).unwrap_or_default() {
            if b == b'\n' {
                line += 1;
                column = 1;
            } else if b & 0xC0 != 0x80 {
                column += 1;
            }
        }
        at = at.max(target);
        if let Some(slot) = found.get_mut(i) {
            *slot = (line, column);
        }
    }
    found
}

/// The text around `offset` on its line, control characters made visible, with `…` where the
/// line goes on, and the caret's position in it (in characters).
pub fn excerpt(body: &[u8], offset: usize) -> (String, usize) {
    let offset = offset.min(body.len());
    // Back to the start of the line or CONTEXT characters, whichever is nearer.
    let mut start = offset;
    let mut chars = 0;
    while start > 0 && chars < CONTEXT {
        let Some(&b) = body.get(start - 1) else { break };
        if b == b'\n' {
            break;
        }
        start -= 1;
        if b & 0xC0 != 0x80 {
            chars += 1;
        }
    }
    // Never start inside a character.
    while start < offset && body.get(start).is_some_and(|b| b & 0xC0 == 0x80) {
        start += 1;
    }
    let mut end = offset;
    let mut chars = 0;
    while chars < CONTEXT {
        match body.get(end) {
            None | Some(b'\n') => break,
            Some(_) => {
                end += 1;
                while body.get(end).is_some_and(|b| b & 0xC0 == 0x80) {
                    end += 1;
                }
                chars += 1;
            }
        }
    }
    let visible = |c: char| if c.is_control() { ' ' } else { c };
    let before = String::from_utf8_lossy(body.get(start..offset).unwrap_or_default());
    let after = String::from_utf8_lossy(body.get(offset..end).unwrap_or_default());
    let cut_before = start > 0 && body.get(start - 1) != Some(&b'\n');
    let cut_after = body.get(end).is_some_and(|&b| b != b'\n');
    let mut shown = String::new();
    if cut_before {
        shown.push('…');
    }
    shown.extend(before.chars().map(visible));
    let caret = shown.chars().count();
    shown.extend(after.chars().map(visible));
    if cut_after {
        shown.push('…');
    }
    (shown, caret)
}

#[cfg(test)]
mod tests {
    use super::{excerpt, line_columns};

    #[test]
    fn excerpts_long_lines_around_the_offset() {
        let body = format!("{{\n{}X{}\n}}", "a".repeat(100), "b".repeat(100));
        let at = body.find('X').unwrap_or(0);
        let (shown, caret) = excerpt(body.as_bytes(), at);
        assert_eq!(shown.chars().nth(caret), Some('X'));
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().count(), 1 + 60 + 60 + 1);
        assert_eq!(excerpt(b"ab", 2), ("ab".to_owned(), 2));
        assert_eq!(excerpt(b"x\nab\ny", 3), ("ab".to_owned(), 1));
        let (shown, caret) = excerpt("é\tü".as_bytes(), 3);
        assert_eq!((shown.as_str(), caret), ("é ü", 2));
    }

    #[test]
    fn the_window_counts_characters_not_bytes() {
        // 60 characters each side, however many bytes they take.
        let body = format!("{}X{}", "é".repeat(100), "ü".repeat(100));
        let at = body.find('X').unwrap_or(0);
        let (shown, caret) = excerpt(body.as_bytes(), at);
        let expected = format!("…{}X{}…", "é".repeat(60), "ü".repeat(59));
        assert_eq!((shown, caret), (expected, 61));
    }

    #[test]
    fn an_excerpt_never_starts_inside_a_character() {
        // Stray continuation bytes after a line break (a body that is not UTF-8) are skipped
        // rather than shown as replacement characters before the caret.
        assert_eq!(excerpt(b"{\n\x80\x80ab", 4), ("…ab".to_owned(), 1));
        // An offset on a continuation byte: the window starts there, not past it.
        assert_eq!(
            excerpt(b"\n\x80\x80", 1),
            ("\u{fffd}\u{fffd}".to_owned(), 0)
        );
        // '@' is a character like any other.
        assert_eq!(excerpt(b"@@ab", 2), ("@@ab".to_owned(), 2));
    }

    #[test]
    fn positions_for_many_offsets_in_one_pass() {
        let body = "ab\ncdé\nf".as_bytes();
        assert_eq!(
            line_columns(body, &[8, 0, 3, 7, 99]),
            [(3, 1), (1, 1), (2, 1), (2, 4), (3, 2)]
        );
    }
}
