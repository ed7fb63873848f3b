//! The plan of a check: one record per node, in body order, with its class, where each of its
//! inputs leads and whether it runs; and the graph of links the last two come from.

use std::borrow::Cow;
use std::ops::Range;

use super::Resolved;
use crate::catalogue::graph::{Graph, NodeIndex};
use crate::catalogue::links::{Shape, shape};
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
    /// Whether it runs: it is an output node, or one that runs links to it.
    runs: bool,
}

impl<'r, 'a> Planned<'r, 'a> {
    /// A node whose links are not yet read.
    pub(super) fn new(node: Node<'r, 'a>, class: Resolved<'r>) -> Self {
        Planned {
            node,
            class,
            leads: 0..0,
            runs: false,
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
    Link { index: Option<usize>, output: u64 },
}

/// The records of a workflow's nodes, with their links read and followed.
pub(super) struct Plan<'r, 'a> {
    nodes: Vec<Planned<'r, 'a>>,
    leads: Vec<Lead>,
    graph: Graph,
    /// Whether the links among the nodes that run have no cycle.
    acyclic: bool,
    /// Kept only to be given back.
    buffers: Leftovers,
}

/// The buffers a plan is built in, kept by the thread between checks.
#[derive(Default)]
pub(super) struct PlanBuffers {
    numbers: Vec<u32>,
    leads: Vec<Lead>,
    graph: (Vec<usize>, Vec<usize>),
    marks: Vec<u8>,
    path: Vec<(usize, usize)>,
}

impl PlanBuffers {
    /// The room of the largest buffer, in elements.
    pub(super) fn largest(&self) -> usize {
        [
            self.numbers.capacity(),
            self.leads.capacity(),
            self.graph.0.capacity(),
            self.graph.1.capacity(),
            self.marks.capacity(),
            self.path.capacity(),
        ]
        .into_iter()
        .fold(0, usize::max)
    }
}

/// The buffers a finished plan no longer uses.
struct Leftovers {
    numbers: Vec<u32>,
    marks: Vec<u8>,
    path: Vec<(usize, usize)>,
}

impl<'r, 'a> Plan<'r, 'a> {
    /// Reads where every input of every node leads, then walks the links from the output nodes
    /// to find the nodes that run.
    pub(super) fn new(
        workflow: &'r Workflow<'a>,
        mut nodes: Vec<Planned<'r, 'a>>,
        buffers: &mut PlanBuffers,
    ) -> Self {
        // Each vector taken alone (the whole, moved at once, was copied through memory).
        let numbers = std::mem::take(&mut buffers.numbers);
        let mut leads = std::mem::take(&mut buffers.leads);
        let (graph_starts, graph_targets) = std::mem::take(&mut buffers.graph);
        let marks = std::mem::take(&mut buffers.marks);
        let mut path = std::mem::take(&mut buffers.path);
        let index = NodeIndex::new_in(nodes.iter().map(|p| p.node.id()), nodes.len(), numbers);
        leads.clear();
        leads.reserve(workflow.spans().map_or(nodes.len() * 8, <[_]>::len));
        let mut graph = Graph::in_buffers(graph_starts, graph_targets);
        for (source, planned) in nodes.iter_mut().enumerate() {
            let from = leads.len();
            for span in inputs_of(&planned.node).iter() {
                let lead = lead(span.value, &index);
                if let Lead::Link {
                    index: Some(target),
                    ..
                } = lead
                {
                    graph.link(source, target);
                }
                leads.push(lead);
            }
            planned.leads = from..leads.len();
        }
        let graph = graph.finish(nodes.len());
        let outputs = nodes.iter().enumerate().filter(|(_, p)| p.is_output());
        let (runs, acyclic) = graph.walk_in(outputs.map(|(i, _)| i), marks, &mut path);
        for (planned, &runs) in nodes.iter_mut().zip(&runs) {
            planned.runs = runs;
        }
        debug_assert_eq!(runs.len(), nodes.len(), "the walk marks every node");
        Plan {
            nodes,
            leads,
            graph,
            acyclic,
            buffers: Leftovers {
                numbers: index.into_numbers(),
                // In place: the answer's room becomes the marks' again.
                marks: runs.into_iter().map(u8::from).collect(),
                path,
            },
        }
    }

    /// The nodes that run, in body order.
    pub(super) fn running(&self) -> impl Iterator<Item = &Planned<'r, 'a>> {
        self.nodes.iter().filter(|planned| planned.runs)
    }

    /// The node at `index` in body order.
    pub(super) fn node(&self, index: usize) -> Option<&Planned<'r, 'a>> {
        self.nodes.get(index)
    }

    /// Where the inputs of `planned`, one of this plan's nodes, lead.
    pub(super) fn leads_of(&self, planned: &Planned<'r, 'a>) -> &[Lead] {
        self.leads
            .get(planned.leads.clone())
            .holds("a node's leads are a range of the plan's")
    }

    pub(super) fn is_acyclic(&self) -> bool {
        self.acyclic
    }

    /// The first node in body order of each cycle among the nodes that run.
    pub(super) fn cycles(&self) -> Vec<usize> {
        let runs: Vec<bool> = self.nodes.iter().map(|planned| planned.runs).collect();
        self.graph.cycles(&runs)
    }

    /// The cycle through node `start`, as [`Graph::cycle_from`].
    pub(super) fn cycle_from(&self, start: usize) -> Vec<usize> {
        self.graph.cycle_from(start)
    }

    /// Puts the plan's buffers back in `buffers`, for the next check.
    pub(super) fn give_back(self, buffers: &mut PlanBuffers) {
        let Leftovers {
            numbers,
            marks,
            path,
        } = self.buffers;
        buffers.numbers = numbers;
        buffers.leads = self.leads;
        buffers.graph = self.graph.into_buffers();
        buffers.marks = marks;
        buffers.path = path;
    }
}

fn lead(value: &str, index: &NodeIndex<'_>) -> Lead {
    match shape(value) {
        Shape::Link { node_id, output } => Lead::Link {
            index: index.get(&node_id),
            output,
        },
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
            graph: (Vec::new(), Vec::with_capacity(9000)),
            marks: Vec::with_capacity(20),
            ..PlanBuffers::default()
        };
        assert!(buffers.largest() >= 9000);
        assert_eq!(buffers.largest(), buffers.graph.1.capacity());
    }
}
