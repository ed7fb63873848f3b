//! The buffers of a check, kept by each thread between checks (emptied), so that checking a
//! small workflow allocates almost nothing.

use std::cell::Cell;

use super::node::NodeBuffers;
use super::plan::{PlanBuffers, Planned};

/// Buffers longer than this are freed, not kept: a thread does not hold on to the room of an
/// unusually large workflow.
const KEPT: usize = 4096;

thread_local! {
    /// Boxed, so that taking and giving back moves a pointer, not the buffers' eight vectors
    /// (two copies of their 200 bytes a check, which the next loads of them waited for).
    static SCRATCH: Cell<Option<Box<Scratch>>> = const { Cell::new(None) };
}

/// What the plan and the node rows reuse.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) node: NodeBuffers,
    pub(super) plan: PlanBuffers,
    /// The room of the nodes' records, empty (see [`recycle`]).
    pub(super) planned: Vec<Planned<'static, 'static>>,
}

impl Scratch {
    /// This thread's buffers (new ones while another check holds them, or at thread exit).
    pub(super) fn take() -> Box<Scratch> {
        SCRATCH
            .try_with(Cell::take)
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Gives the buffers back to the thread, unless one is past [`KEPT`].
    pub(super) fn give_back(self: Box<Self>) {
        if self.node.largest() <= KEPT
            && self.plan.largest() <= KEPT
            && self.planned.capacity() <= KEPT
        {
            // Fails only while the thread is exiting; then the buffers are simply freed.
            let _ = SCRATCH.try_with(|scratch| scratch.set(Some(self)));
        }
    }
}

/// `records` emptied, as a vector of another lifetime in the same room: a check's records
/// borrow its workflow and catalogue, and the thread keeps their room for the next check.
/// Allocating it for each check, then freeing it, was code enough to push the check and the
/// request pass together past the instruction cache (docs/performance.md). The standard
/// library collects a vector's own iterator into the same allocation when the two element
/// types have the same size and alignment, as here; were it not to, the room would only be
/// allocated again.
pub(super) fn recycle<'x, 'y, 'r, 'a>(mut records: Vec<Planned<'x, 'y>>) -> Vec<Planned<'r, 'a>> {
    records.clear();
    records
        .into_iter()
        .map(|_| unreachable!("the vector is empty"))
        .collect()
}
