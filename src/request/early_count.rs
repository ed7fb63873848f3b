//! Telling early that a prompt holds more nodes than the limit, so that the rest of it is only
//! checked and counted, not judged: [`EarlyCount`], and the reader's counting pass.
//!
//! A prompt past the node limit is answered with `too_many_nodes` whatever its nodes hold, but
//! that is certain only at the node after the limit, and judging a node costs more than checking
//! its JSON. So every [`CHECK_EVERY`] nodes, up to half the limit, the sizes of the nodes read so
//! far give an estimate of how many nodes the rest of the body holds; once the estimate clears
//! the limit by a wide margin, the rest is counted. (Past half the limit, little is left to
//! save, and the bytes after the prompt, which the estimate counts as nodes, weigh more.) An
//! estimate is only a guess, and a body can be built to fool it (small nodes first, one large
//! one last), so before the rest is counted the text's structure confirms it: a scan of strings
//! and brackets up to the node after the limit, a fraction of the cost of checking those nodes.
//! A wrong guess costs that scan, and no node is ever read twice.
//!
//! Node ids are left out of the sizes measured, and the nodes to come are taken to have ids at
//! least as long as the last one: ids `"1"` to `"500"` grow from one byte to three, and
//! counting them in made the first nodes look smaller than the rest, so an honest 500-node
//! prompt looked larger than it is and was read twice.
//!
//! What it saves (`docs/performance.md`): 13% of `validate` on 2,000 nodes of five URLs each,
//! 5% on 2,000 ordinary nodes; it costs about 1% on an honest prompt just under the limit.

use super::{ExportSigns, RequestReader, node_member};
use crate::json::{JsonError, Kind, Members, Reader, has_members_after};
use crate::workflow::NodeData;

/// Nodes read between two estimates.
const CHECK_EVERY: usize = 32;

/// The fewest bytes a member of the prompt takes, with the comma before it: `,"":0`. A body
/// shorter than this many bytes a node over the limit cannot be over it, and is never estimated
/// (most bodies: the estimate's bookkeeping was a tenth of a small body's extra cost).
const MIN_MEMBER_BYTES: usize = 5;

/// How many standard errors the estimate must clear the limit by. At three, a body of
/// look-alike nodes just under the limit is misjudged about once in a thousand estimates.
const MARGIN: f64 = 3.0;

/// The early count of one prompt: the limit, whether counting early is allowed at all, and the
/// sizes of the nodes read so far, in bytes: their sum and the sum of their squares. The sums
/// are integers (saturating, which only widens the margin): floating-point sums kept in memory
/// were reloaded as a pair before the processor could forward them.
pub(super) struct EarlyCount {
    limit: usize,
    allowed: bool,
    count: u64,
    sum: u64,
    squares: u64,
    /// The length of the last id recorded.
    id_len: u64,
}

impl EarlyCount {
    /// An estimate against `limit` for a prompt in a body of `body_len` bytes; if not `allowed`
    /// (every problem is wanted, and counting would hide those of the nodes not judged), or if
    /// the body is too short to hold more members than the limit, it never says over.
    pub(super) fn new(limit: usize, allowed: bool, body_len: usize) -> Self {
        let could_be_over = body_len / MIN_MEMBER_BYTES > limit;
        EarlyCount {
            limit,
            allowed: allowed && could_be_over,
            count: 0,
            sum: 0,
            squares: 0,
            id_len: 0,
        }
    }

    /// Whether node number `count` (from 1) still counts toward the estimate.
    fn looks_at(&self, count: usize) -> bool {
        self.allowed && count <= self.limit / 2
    }

    /// Records node number `count` (from 1), of `bytes` bytes (with the separator and its id,
    /// of `id_len` bytes, before it).
    #[inline]
    pub(super) fn record(&mut self, count: usize, bytes: usize, id_len: usize) {
        if !self.looks_at(count) {
            return;
        }
        self.id_len = id_len as u64;
        let bytes = bytes.saturating_sub(id_len) as u64;
        self.count += 1;
        self.sum = self.sum.saturating_add(bytes);
        self.squares = self.squares.saturating_add(bytes.saturating_mul(bytes));
    }

    /// Whether the prompt surely holds more nodes than the limit, with `count` read and the next
    /// one at `at` in `text`: the estimate says so and the text's structure confirms it. The
    /// estimate is a guess; the structure settles it, so no node within the limit goes
    /// unjudged.
    #[inline]
    pub(super) fn is_over(&mut self, count: usize, text: &str, at: usize) -> bool {
        if !self.surely_over(count, text.len().saturating_sub(at)) {
            return false;
        }
        let wanted = self.limit.saturating_sub(count).saturating_add(1);
        if has_members_after(text, at, wanted) {
            return true;
        }
        self.refuted();
        false
    }

    /// Says that the text's structure refuted the estimate: it makes no more, so the structure
    /// is scanned at most once per prompt (a body built to fool every estimate would otherwise
    /// be scanned to its end every [`CHECK_EVERY`] nodes).
    fn refuted(&mut self) {
        self.allowed = false;
    }

    /// Whether, after `count` nodes, it is time for an estimate and the `remaining` bytes
    /// surely hold more nodes than the limit allows.
    #[inline]
    fn surely_over(&self, count: usize, remaining: usize) -> bool {
        count.is_multiple_of(CHECK_EVERY) && self.looks_at(count) && self.clears_limit(remaining)
    }

    /// Whether `remaining` more bytes, if they hold nodes like those recorded, make more than
    /// the limit in all, even with the estimate [`MARGIN`] standard errors too high.
    #[inline(never)] // Rarely called: inlined, its arithmetic was hoisted into every node.
    fn clears_limit(&self, remaining: usize) -> bool {
        if self.count == 0 || self.sum == 0 {
            return false;
        }
        let count = self.count as f64;
        let mean = self.sum as f64 / count;
        let deviation = (self.squares as f64 / count - mean * mean).max(0.0).sqrt();
        // The nodes to come, each with an id at least as long as the last one's.
        let more = remaining as f64 / (mean + self.id_len as f64);
        // The estimate is `remaining / mean`; its error follows the error of the mean.
        let error = more * (deviation / mean) / count.sqrt();
        count + more - MARGIN * error > self.limit as f64
    }
}

impl<'a> RequestReader<'a, '_> {
    /// The prompt's node count, `read` nodes having been read and judged up to `from`, the rest
    /// (through the prompt's end) checked and counted without being judged.
    pub(super) fn count_rest(
        &mut self,
        members: &mut Members,
        export: &mut ExportSigns,
        (read, from): (usize, usize),
        nodes: &mut Vec<NodeData<'a>>,
    ) -> Result<usize, JsonError> {
        let count = read + self.count_members(members, export)?;
        self.read_again_if_miscounted(count, from, nodes)?;
        Ok(count)
    }

    /// Checks and counts the remaining nodes of `prompt`, through its end.
    fn count_members(
        &mut self,
        members: &mut Members,
        export: &mut ExportSigns,
    ) -> Result<usize, JsonError> {
        let mut count = 0;
        while let Some(id) = self.reader.next_key(members)? {
            count += 1;
            self.note_export_sign(&id, export)?;
            self.check_node()?;
        }
        Ok(count)
    }

    /// Checks the JSON of a node without judging it. Its usual members are told apart by name,
    /// as when it is read (one bit each against duplicates, rather than the key stack).
    fn check_node(&mut self) -> Result<(), JsonError> {
        if self.reader.kind_here()? != Kind::Object {
            self.reader.skip_value()?;
            return Ok(());
        }
        let mut members = self.reader.enter_object()?;
        while self
            .reader
            .next_known_key(&mut members, node_member)?
            .is_some()
        {
            self.reader.skip_value()?;
        }
        Ok(())
    }

    /// The strict count settles it: if `count` is within the limit after all, which happens
    /// only if the structural count was wrong on checked text, the nodes after `from` are
    /// judged as usual, so that even then the answer is a full read's.
    #[cold]
    fn read_again_if_miscounted(
        &mut self,
        count: usize,
        from: usize,
        nodes: &mut Vec<NodeData<'a>>,
    ) -> Result<(), JsonError> {
        if count > self.policy.max_nodes() {
            return Ok(());
        }
        debug_assert!(false, "the structural count is exact on valid JSON");
        self.read_nodes_again(from, nodes)
    }

    /// Reads and judges the nodes of `prompt` that follow the position `from`, which is just
    /// after a node: they were checked and counted already, without being judged.
    #[cold]
    fn read_nodes_again(
        &mut self,
        from: usize,
        nodes: &mut Vec<NodeData<'a>>,
    ) -> Result<(), JsonError> {
        let again = Reader::starting_at(self.reader.text(), from);
        let done = std::mem::replace(&mut self.reader, again);
        let result = self.read_remaining_nodes(nodes);
        self.reader = done;
        result
    }

    fn read_remaining_nodes(&mut self, nodes: &mut Vec<NodeData<'a>>) -> Result<(), JsonError> {
        let mut members = self.reader.members_after_one();
        while let Some(id) = self.reader.next_key(&mut members)? {
            self.read_node(id.decode(), nodes)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::EarlyCount;

    fn sizes(bytes: impl IntoIterator<Item = usize>) -> EarlyCount {
        let mut estimate = EarlyCount::new(500, true, usize::MAX);
        bytes
            .into_iter()
            .enumerate()
            .for_each(|(i, b)| estimate.record(i + 1, b, 0));
        estimate
    }

    #[test]
    fn a_body_too_short_for_more_members_than_the_limit_is_never_estimated() {
        // 501 members need 501 times `,"":0` and the braces: 2,506 bytes at the least.
        for (body_len, estimated) in [(0, false), (2_504, false), (2_505, true), (1 << 20, true)] {
            let early = EarlyCount::new(500, true, body_len);
            assert_eq!(early.looks_at(1), estimated, "{body_len}");
        }
        assert!(!EarlyCount::new(500, false, 1 << 20).looks_at(1));
    }

    #[test]
    fn growing_ids_do_not_make_an_honest_prompt_look_larger() {
        // Nodes of 280 bytes of body and ids "1" to "250" (one to three bytes): the 250 nodes
        // left, with three-byte ids, are exactly 250 more, not surely over 500.
        let mut read = EarlyCount::new(500, true, usize::MAX);
        for i in 1..=250 {
            let id_len = i.to_string().len();
            read.record(i, 280 + id_len, id_len);
        }
        assert!(!read.clears_limit(250 * (280 + 3)));
        assert!(read.clears_limit(600 * (280 + 3)));
    }

    #[test]
    fn look_alike_nodes_are_judged_by_their_mean() {
        // 64 nodes of 280 to 320 bytes: 600 or 540 in all is surely over 500; 500, or 502
        // (too close to tell), is not.
        let read = sizes((0..64).map(|i| 280 + (i * 7) % 41));
        let mean = 300;
        assert!(read.clears_limit((600 - 64) * mean));
        assert!(read.clears_limit((540 - 64) * mean));
        assert!(!read.clears_limit((500 - 64) * mean));
        assert!(!read.clears_limit((502 - 64) * mean));
    }

    #[test]
    fn uneven_nodes_need_a_wider_margin() {
        // Nodes of 50 or 2,000 bytes: the mean says little, so twice the limit is not enough.
        let read = sizes((0..32).map(|i| if i % 4 == 0 { 2000 } else { 50 }));
        let mean = (8 * 2000 + 24 * 50) / 32;
        assert!(!read.clears_limit(1000 * mean));
        assert!(read.clears_limit(100_000 * mean));
    }

    #[test]
    fn a_refuted_estimate_says_no_more() {
        let mut read = sizes((0..64).map(|_| 300));
        let far = 10_000 * 300;
        assert!(read.surely_over(64, far));
        read.refuted();
        assert!(!read.surely_over(64, far) && !read.surely_over(96, far));
    }

    /// A prompt of `total` members of ten bytes each (`,"nnnn":[1]`), with where the member
    /// after the first `read` starts.
    fn prompt(total: usize, read: usize) -> (String, usize) {
        let members: Vec<String> = (0..total).map(|i| format!("\"{i:04}\":[1]")).collect();
        let text = format!("{{{}}}", members.join(","));
        (text, 1 + read * 11 - 1)
    }

    #[test]
    fn the_text_confirms_an_estimate_or_refutes_it_for_good() {
        let mut early = EarlyCount::new(64, true, usize::MAX);
        (1..=32).for_each(|i| early.record(i, 11, 6));
        // 1,000 members: the estimate says over, and 33 more members are there.
        let (text, at) = prompt(1000, 32);
        assert!(early.is_over(32, &text, at));
        // Ten bytes a member would make 1,000 of these; the text ends after 60: refuted.
        let (short, at) = prompt(60, 32);
        let padded = format!("{short}{}", " ".repeat(10_000));
        assert!(!early.is_over(32, &padded, at));
        assert!(
            !early.is_over(32, &text, prompt(1000, 32).1),
            "no estimate after a refuted one"
        );
    }

    #[test]
    fn nothing_recorded_says_nothing() {
        assert!(!EarlyCount::new(0, true, usize::MAX).clears_limit(usize::MAX));
        assert!(!sizes([0, 0]).clears_limit(usize::MAX));
    }

    #[test]
    fn estimates_come_every_32_nodes_up_to_half_the_limit_and_only_if_allowed() {
        let read = sizes((0..250).map(|_| 300));
        let far = 10_000 * 300;
        assert!(read.surely_over(32, far) && read.surely_over(224, far));
        assert!(!read.surely_over(33, far));
        assert!(!read.surely_over(256, far), "past half the limit");
        let mut off = EarlyCount::new(500, false, usize::MAX);
        (1..=64).for_each(|i| off.record(i, 300, 2));
        assert!(!off.surely_over(32, far));
        assert!(
            !off.clears_limit(far),
            "nothing is recorded when not allowed"
        );
    }
}
