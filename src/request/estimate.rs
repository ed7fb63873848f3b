//! Telling early that a prompt holds more nodes than the limit, so that the rest of it is only
//! checked and counted, not judged.
//!
//! A prompt past the node limit is answered with `too_many_nodes` whatever its nodes hold, but
//! that is certain only at the node after the limit, and judging a node costs more than checking
//! its JSON. So every [`CHECK_EVERY`] nodes, up to half the limit, the sizes of the nodes read so
//! far give an estimate of how many nodes the rest of the body holds; once the estimate clears
//! the limit by a wide margin, the rest is counted. (Past half the limit, little is left to save,
//! and the bytes after the prompt, which the estimate counts as nodes, weigh more.) If the count shows the guess was wrong, the nodes after it are
//! read again and judged, so the answer is always the one a full read gives: a wrong guess costs
//! time, never correctness.

/// Nodes read between two estimates.
pub(super) const CHECK_EVERY: usize = 32;

/// How many standard errors the estimate must clear the limit by. At three, a body of
/// look-alike nodes just under the limit is misjudged about once in a thousand estimates.
const MARGIN: f64 = 3.0;

/// The sizes of the nodes read so far, in bytes: their sum and the sum of their squares. Kept
/// as integers (saturating, which only widens the margin): floating-point sums kept in memory
/// were reloaded as a pair before the processor could forward them.
#[derive(Default)]
pub(super) struct NodeSizes {
    count: u64,
    sum: u64,
    squares: u64,
}

impl NodeSizes {
    /// Records a node of `bytes` bytes (with the separator and id before it).
    pub(super) fn record(&mut self, bytes: usize) {
        let bytes = bytes as u64;
        self.count += 1;
        self.sum = self.sum.saturating_add(bytes);
        self.squares = self.squares.saturating_add(bytes.saturating_mul(bytes));
    }

    /// Whether `remaining` more bytes, if they hold nodes like those recorded, make more than
    /// `limit` nodes in all, even with the estimate [`MARGIN`] standard errors too high.
    #[inline(never)] // Rarely called: inlined, its arithmetic was hoisted into every node.
    pub(super) fn surely_over(&self, remaining: usize, limit: usize) -> bool {
        if self.count == 0 || self.sum == 0 {
            return false;
        }
        let count = self.count as f64;
        let mean = self.sum as f64 / count;
        let deviation = (self.squares as f64 / count - mean * mean).max(0.0).sqrt();
        let more = remaining as f64 / mean;
        // The estimate is `remaining / mean`; its error follows the error of the mean.
        let error = more * (deviation / mean) / count.sqrt();
        count + more - MARGIN * error > limit as f64
    }
}

#[cfg(test)]
mod tests {
    use super::NodeSizes;

    fn sizes(bytes: impl IntoIterator<Item = usize>) -> NodeSizes {
        let mut sizes = NodeSizes::default();
        bytes.into_iter().for_each(|b| sizes.record(b));
        sizes
    }

    #[test]
    fn look_alike_nodes_are_judged_by_their_mean() {
        // 64 nodes of 280 to 320 bytes: 600 or 540 in all is surely over 500; 500, or 502
        // (too close to tell), is not.
        let read = sizes((0..64).map(|i| 280 + (i * 7) % 41));
        let mean = 300;
        assert!(read.surely_over((600 - 64) * mean, 500));
        assert!(read.surely_over((540 - 64) * mean, 500));
        assert!(!read.surely_over((500 - 64) * mean, 500));
        assert!(!read.surely_over((502 - 64) * mean, 500));
    }

    #[test]
    fn uneven_nodes_need_a_wider_margin() {
        // Nodes of 50 or 2,000 bytes: the mean says little, so twice the limit is not enough.
        let read = sizes((0..32).map(|i| if i % 4 == 0 { 2000 } else { 50 }));
        let mean = (8 * 2000 + 24 * 50) / 32;
        assert!(!read.surely_over(1000 * mean, 500));
        assert!(read.surely_over(100_000 * mean, 500));
    }

    #[test]
    fn nothing_recorded_says_nothing() {
        assert!(!NodeSizes::default().surely_over(usize::MAX, 0));
        assert!(!sizes([0, 0]).surely_over(usize::MAX, 0));
    }
}
