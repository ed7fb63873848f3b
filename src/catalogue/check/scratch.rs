//! The buffers of a check, kept by each thread between checks (emptied), so that checking a
//! small workflow allocates almost nothing.

use std::cell::Cell;

use super::node::NodeBuffers;
use super::plan::PlanBuffers;

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
        if self.node.largest() <= KEPT && self.plan.largest() <= KEPT {
            // Fails only while the thread is exiting; then the buffers are simply freed.
            let _ = SCRATCH.try_with(|scratch| scratch.set(Some(self)));
        }
    }
}
