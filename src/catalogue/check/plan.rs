//! The plan of a check: one record per node, in body order, with its class, where each of its
//! inputs leads and whether it runs; and the graph of links the last two come from.

use std::borrow::Cow;
use std::ops::Range;

use super::Resolved;
use crate::catalogue::graph::{Graph, NOT_REACHED, NodeIndex, walk};
use crate::catalogue::links::{Shape, plain_link, shape};
use crate::invariant::Invariant;
use crate::json;
use crate::workflow::{InputSpan, Node, Workflow};

/// One node of the prompt, as the check sees it.
pub(super) struct Planned<'r, 'a> {
    pub(super) node: Node<'r, 'a>,
    /// What its `class_type` names.
    pub(super) class: Resolved<'r>,
    /// Where its inputs lead, one entry for each in body order: the plan's `leads[leads]`.
    leads: Range<usize>,
    /// The nodes its links lead to, in the order of its inputs: the plan's `targets[links]`.
    links: Range<usize>,
}

impl<'r, 'a> Planned<'r, 'a> {
    /// A node whose links are not yet read.
    pub(super) fn new(node: Node<'r, 'a>, class: Resolved<'r>) -> Self {
        Planned {
            node,
            class,
            leads: 0..0,
            links: 0..0,
        }
    }

    pub(super) fn is_output(&self) -> bool {
        self.class.is_output()
    }

    pub(super) fn is_unknown(&self) -> bool {
        matches!(self.class, Resolved::Unknown)
    }
}

/// Where an input's value leads.
#[derive(Clone, Copy)]
pub(super) enum Lead {
    /// A literal that is not an array.
    Literal,
    /// An array that is not a link.
    Array,
    /// A link to output `output` of the node at `index` (`None`: no such node).
    Link { index: Option<u32>, output: u64 },
}

// Sixteen bytes: a plan of a large workflow holds one for each input.
const _: () = assert!(std::mem::size_of::<Lead>() == 16);

impl Lead {
    /// A link to output `output` of the node at `index`, if the prompt has one.
    fn link(index: Option<usize>, output: u64) -> Self {
        // A node's index fits: every node of a prompt takes bytes of a body held in memory, and
        // four billion of them do not fit there.
        let index = index.map(|i| u32::try_from(i).ok().holds_or(u32::MAX, NODE_INDEX));
        Lead::Link { index, output }
    }

    /// The node a link leads to, if it is a link to a node of the prompt.
    fn target(&self) -> Option<usize> {
        match *self {
            Lead::Link { index, .. } => index.map(|i| i as usize),
            _ => None,
        }
    }
}

/// Why a node's index fits a `u32`.
const NODE_INDEX: &str = "a prompt has fewer than four billion nodes";

/// The records of a workflow's nodes, with their links read and followed, in the buffers of
/// the thread's check (used in place: moving them out and back was code every check ran).
pub(super) struct Plan<'r, 'a, 'b> {
    nodes: Vec<Planned<'r, 'a>>,
    buffers: &'b mut PlanBuffers,
    /// Whether the links among the nodes that run have no cycle.
    acyclic: bool,
}

/// The buffers a plan is built in, kept by the thread between checks.
#[derive(Default)]
pub(super) struct PlanBuffers {
    numbers: Vec<u32>,
    leads: Vec<Lead>,
    /// The nodes the links lead to, node by node.
    targets: Vec<usize>,
    /// The walk's marks, [`NOT_REACHED`] on a node that does not run.
    marks: Vec<u8>,
    path: Vec<(usize, Range<usize>)>,
}

impl PlanBuffers {
    /// The room of the largest buffer, in elements.
    pub(super) fn largest(&self) -> usize {
        [
            self.numbers.capacity(),
            self.leads.capacity(),
            self.targets.capacity(),
            self.marks.capacity(),
            self.path.capacity(),
        ]
        .into_iter()
        .fold(0, usize::max)
    }
}

impl<'r, 'a, 'b> Plan<'r, 'a, 'b> {
    /// Reads where every input of every node leads, then walks the links from the output nodes
    /// to find the nodes that run.
    pub(super) fn new(
        workflow: &'r Workflow<'a>,
        mut nodes: Vec<Planned<'r, 'a>>,
        buffers: &'b mut PlanBuffers,
    ) -> Self {
        let numbers = std::mem::take(&mut buffers.numbers);
        let index = NodeIndex::new_in(nodes.iter().map(|p| p.node.id()), nodes.len(), numbers);
        let PlanBuffers {
            leads,
            targets,
            marks,
            path,
            ..
        } = &mut *buffers;
        leads.clear();
        leads.reserve(workflow.spans().map_or(nodes.len() * 8, <[_]>::len));
        targets.clear();
        for planned in &mut nodes {
            let (first_lead, first_link) = (leads.len(), targets.len());
            for span in inputs_of(&planned.node).iter() {
                // Most values are not arrays, and their lead is pushed as it is: one lead for
                // both ways, made on the stack from a call's answer or a tag alone, was copied
                // into the plan by a load wider than the tag's store, which waited for it (a
                // fifth of a medium workflow's check).
                if !span.value.starts_with('[') {
                    leads.push(Lead::Literal);
                    continue;
                }
                let lead = array_lead(span.value, &index);
                if let Some(target) = lead.target() {
                    targets.push(target);
                }
                leads.push(lead);
            }
            planned.leads = first_lead..leads.len();
            planned.links = first_link..targets.len();
        }
        marks.clear();
        marks.resize(nodes.len(), NOT_REACHED);
        let outputs = nodes.iter().enumerate().filter(|(_, p)| p.is_output());
        let span = |i: usize| nodes.get(i).map_or(0..0, |planned| planned.links.clone());
        let target = |&target: &usize| Some(target);
        let acyclic = walk(targets, span, target, outputs.map(|(i, _)| i), marks, path);
        debug_assert_eq!(marks.len(), nodes.len(), "the walk marks every node");
        buffers.numbers = index.into_numbers();
        Plan {
            nodes,
            buffers,
            acyclic,
        }
    }

    /// The nodes' records, for the thread's next check.
    pub(super) fn into_nodes(self) -> Vec<Planned<'r, 'a>> {
        self.nodes
    }

    /// The nodes that run (an output node, or one that a node that runs links to), in body
    /// order: those the walk reached.
    pub(super) fn running(&self) -> impl Iterator<Item = &Planned<'r, 'a>> {
        let marks = &self.buffers.marks;
        self.nodes
            .iter()
            .zip(marks)
            .filter(|&(_, &mark)| mark != NOT_REACHED)
            .map(|(planned, _)| planned)
    }

    /// The node at `index` in body order.
    pub(super) fn node(&self, index: usize) -> Option<&Planned<'r, 'a>> {
        self.nodes.get(index)
    }

    /// Where the inputs of `planned`, one of this plan's nodes, lead.
    pub(super) fn leads_of(&self, planned: &Planned<'r, 'a>) -> &[Lead] {
        self.buffers
            .leads
            .get(planned.leads.clone())
            .holds("a node's leads are a range of the plan's")
    }

    pub(super) fn is_acyclic(&self) -> bool {
        self.acyclic
    }

    /// Which nodes run, in body order.
    pub(super) fn runs(&self) -> Vec<bool> {
        let marks = self.buffers.marks.iter();
        marks.map(|&mark| mark != NOT_REACHED).collect()
    }

    /// The graph of the links among the nodes, to name the cycles in (most checks find none and
    /// never build it).
    pub(super) fn graph(&self) -> Graph {
        let targets = &self.buffers.targets;
        let links = self.nodes.iter().enumerate().flat_map(|(source, planned)| {
            let of_node = targets.get(planned.links.clone());
            let of_node = of_node.holds("a node's links are a range of the plan's targets");
            of_node.iter().map(move |&target| (source, target))
        });
        Graph::new(self.nodes.len(), links)
    }
}

/// Where an array leads: a link as editors write it read at once, any other array by [`shape`].
#[inline(never)]
fn array_lead(value: &str, index: &NodeIndex<'_>) -> Lead {
    if let Some((node_id, output)) = plain_link(value) {
        return Lead::link(index.get(node_id), output);
    }
    match shape(value) {
        Shape::Link { node_id, output } => Lead::link(index.get(&node_id), output),
        Shape::Array => Lead::Array,
        Shape::Other => Lead::Literal,
    }
}

/// A node's inputs: where validation kept them, or read again by the trusted scan.
pub(super) fn inputs_of<'w, 'a>(node: &Node<'w, 'a>) -> Cow<'w, [InputSpan<'a>]> {
    match node.input_spans() {
        Some(spans) => Cow::Borrowed(spans),
        None => Cow::Owned(
            json::members(node.inputs_json())
                .map(|(name, value)| InputSpan { name, value })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::PlanBuffers;

    #[test]
    fn the_largest_buffer_is_the_room_of_the_largest_one() {
        assert_eq!(PlanBuffers::default().largest(), 0);
        let buffers = PlanBuffers {
            numbers: Vec::with_capacity(10),
            leads: Vec::with_capacity(9000),
            marks: Vec::with_capacity(20),
            ..PlanBuffers::default()
        };
        assert!(buffers.largest() >= 9000);
        assert_eq!(buffers.largest(), buffers.leads.capacity());
    }
}
