//! Where and why a body is not valid JSON.

/// A syntax problem: the byte offset where it was found and a short reason. Boxed, so that the
/// reader's results, returned for every token, stay one word larger than their values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct JsonError(Box<Found>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Found {
    offset: usize,
    reason: &'static str,
}

impl JsonError {
    #[cold]
    pub(crate) fn at(offset: usize, reason: &'static str) -> Self {
        JsonError(Box::new(Found { offset, reason }))
    }

    /// Byte offset in the body.
    pub(crate) fn offset(&self) -> usize {
        self.0.offset
    }

    /// What is wrong there.
    pub(crate) fn reason(&self) -> &'static str {
        self.0.reason
    }
}

/// The 1-based line and column (in characters) of a byte offset. Works on any bytes: a column
/// counts every byte that does not continue a UTF-8 sequence.
pub(crate) fn line_column(body: &[u8], offset: usize) -> (usize, usize) {
    let before = body.get(..offset).unwrap_or(body);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let column = 1 + before
        .get(line_start..)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count();
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::line_column;

    #[test]
    fn counts_lines_and_characters() {
        assert_eq!(line_column(b"abc", 0), (1, 1));
        assert_eq!(line_column(b"abc", 2), (1, 3));
        assert_eq!(line_column(b"a\nbc", 3), (2, 2));
        assert_eq!(line_column("é\nxé!".as_bytes(), 6), (2, 3));
        assert_eq!(line_column(b"ab", 99), (1, 3));
    }
}
