//! The check of one workflow against the catalogue, one function per row of the contract's
//! precedence table: unknown classes (12), no outputs (13), then, for the nodes that run, node
//! by node in body order, their links, missing inputs, link types and literals (14, 15, 17 to
//! 22), and the cycles among them (16). [`Problems`] keeps what each row finds in precedence
//! order, so a row only has to find its problems in body order.
//!
//! - [`plan`]: one record per node (its class, where its inputs lead, whether it runs);
//! - [`declared`]: which declaration an input answers to;
//! - [`node`]: the rows judged node by node;
//! - [`site`]: where a problem is, and the error that says so;
//! - [`scratch`]: the buffers a thread keeps between checks.

mod declared;
mod node;
mod plan;
mod scratch;
mod site;

use serde_json::Value as Json;

use super::Catalogue;
use super::model::{Class, OutputType};
use super::suggest::Suggester;
use crate::error::{Detail, ErrorCode, Phase, Pointer, Problems, ValidationError};
use crate::workflow::Workflow;
use node::NodeBuffers;
use plan::{Plan, PlanBuffers, Planned};
use scratch::Scratch;
use site::Site;

/// The most node ids `details.cycle` lists.
const LISTED_CYCLE: usize = 50;

/// What a node's `class_type` names.
#[derive(Clone, Copy)]
pub(crate) enum Resolved<'c> {
    Class(&'c Class),
    /// An alias: opaque, an output node if its class is.
    Alias {
        output_node: bool,
    },
    Unknown,
}

impl<'c> Resolved<'c> {
    pub(crate) fn is_output(&self) -> bool {
        match self {
            Resolved::Class(class) => class.output_node,
            Resolved::Alias { output_node } => *output_node,
            Resolved::Unknown => false,
        }
    }

    /// The class whose declarations the node's inputs are judged by: none for an alias, an
    /// unknown class or one whose entry could not be read.
    fn declarations(&self) -> Option<&'c Class> {
        match self {
            Resolved::Class(class) if !class.opaque => Some(class),
            _ => None,
        }
    }

    /// The type of output `index`, or `None` if the source has no such output. An opaque or
    /// aliased source has every output, typed `*` (`Some(None)`).
    fn output(&self, index: u64) -> Option<Option<&'c OutputType>> {
        match self.declarations() {
            Some(class) => usize::try_from(index)
                .ok()
                .and_then(|i| class.outputs.get(i))
                .map(Some),
            None => Some(None),
        }
    }
}

/// Runs the check, pushing every problem `problems` wants, in body order within each code.
pub(crate) fn run(catalogue: &Catalogue, workflow: &Workflow<'_>, problems: &mut Problems) {
    let mut scratch = Scratch::take();
    let mut check = Check {
        catalogue,
        workflow,
        problems,
        suggester: None,
        buffers: std::mem::take(&mut scratch.node),
    };
    let records = scratch::recycle(std::mem::take(&mut scratch.planned));
    let records = check.judge(&mut scratch.plan, records);
    scratch.planned = scratch::recycle(records);
    scratch.node = check.buffers;
    scratch.give_back();
}

/// One check under way: what it reads, where its problems go, and what it keeps from node to
/// node.
struct Check<'r, 'a> {
    catalogue: &'r Catalogue,
    workflow: &'r Workflow<'a>,
    problems: &'r mut Problems,
    /// Made when the first suggestion is asked for: most checks find no problem.
    suggester: Option<Suggester>,
    buffers: NodeBuffers,
}

impl<'r, 'a> Check<'r, 'a> {
    /// The rows in order, the plan in the thread's buffers and the nodes' records in `nodes`
    /// (empty; handed back for the thread's next check).
    fn judge(
        &mut self,
        buffers: &mut PlanBuffers,
        mut nodes: Vec<Planned<'r, 'a>>,
    ) -> Vec<Planned<'r, 'a>> {
        let catalogue = self.catalogue;
        // Pushed into room made once (and kept by the thread): 77 to 199 instructions fewer a
        // check than a collect, whose first element and room come out of a separate path.
        nodes.reserve(self.workflow.len());
        for node in self.workflow.nodes() {
            nodes.push(Planned::new(node, catalogue.resolve(node.class_type())));
        }
        self.missing_node_types(&nodes);
        if !nodes.iter().any(Planned::is_output) {
            self.no_outputs();
            return nodes;
        }
        // Every later row is below 14: when it is not wanted, none is.
        if !self.wants(ErrorCode::DanglingLink) {
            return nodes;
        }
        let plan = Plan::new(self.workflow, nodes, buffers);
        for planned in plan.running() {
            self.node(planned, &plan);
        }
        self.dependency_cycles(&plan);
        plan.into_nodes()
    }

    /// Row 12: every node's class exists.
    fn missing_node_types(&mut self, nodes: &[Planned<'r, 'a>]) {
        for planned in nodes.iter().filter(|planned| planned.is_unknown()) {
            if !self.wants(ErrorCode::MissingNodeType) {
                return;
            }
            let node = &planned.node;
            let pointer = Pointer::default()
                .push("prompt")
                .push(node.id())
                .push("class_type")
                .build();
            let suggestions = self
                .catalogue
                .suggest_class(self.suggester(), node.class_type());
            let error = Site::node(self.workflow, node)
                .error(ErrorCode::MissingNodeType, pointer)
                .with(Detail::Suggestions, site::strings(suggestions));
            self.push(error);
        }
    }

    /// Row 13: something to run.
    fn no_outputs(&mut self) {
        if self.wants(ErrorCode::PromptNoOutputs) {
            let error = ValidationError::new(ErrorCode::PromptNoOutputs, "/prompt".to_owned(), 0);
            self.push(error);
        }
    }

    /// Row 16: the cycles among the nodes that run, each named by its first node in body order.
    fn dependency_cycles(&mut self, plan: &Plan<'r, 'a, '_>) {
        if plan.is_acyclic() || !self.wants(ErrorCode::DependencyCycle) {
            return;
        }
        let graph = plan.graph();
        for first in graph.cycles(&plan.runs()) {
            let Some(node) = plan.node(first).map(|planned| planned.node) else {
                continue;
            };
            let ids: Vec<Json> = graph
                .cycle_from(first)
                .into_iter()
                .take(LISTED_CYCLE)
                .filter_map(|i| plan.node(i))
                .map(|planned| Json::String(crate::error::clip(planned.node.id())))
                .collect();
            let pointer = Pointer::default().push("prompt").push(node.id()).build();
            let error = Site::node(self.workflow, &node)
                .error(ErrorCode::DependencyCycle, pointer)
                .with(Detail::Cycle, ids);
            self.push(error);
        }
    }

    /// The check's suggester, with its budget for the whole body.
    fn suggester(&mut self) -> &mut Suggester {
        let workflow = self.workflow;
        self.suggester.get_or_insert_with(|| {
            Suggester::for_body(workflow.body().len(), values_read(workflow))
        })
    }

    fn wants(&self, code: ErrorCode) -> bool {
        self.problems.wants(code, Phase::Workflow)
    }

    fn push(&mut self, error: ValidationError) {
        self.problems.push(Phase::Workflow, error);
    }
}

/// The JSON values reading the body built (what a suggestion's budget is measured against):
/// the body and `prompt`, each node's object, id, `class_type` and `inputs`, and each input
/// (nested values not counted, so the budget errs low).
fn values_read(workflow: &Workflow<'_>) -> usize {
    let inputs = workflow.spans().map_or(0, <[_]>::len);
    2 + 4 * workflow.len() + inputs
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::values_read;
    use crate::Policy;
    use crate::catalogue::Catalogue;

    #[test]
    fn the_values_read_count_the_body_prompt_four_a_node_and_each_input() {
        let catalogue =
            Catalogue::from_object_info(br#"{"A": {"input": {}, "output_node": true}}"#);
        let policy = Policy::default().with_catalogue(Arc::new(catalogue.expect("a snapshot")));
        let body = br#"{"prompt": {"1": {"class_type": "A", "inputs": {"x": 1, "y": [2]}},
                                   "2": {"class_type": "A", "inputs": {"z": {"deep": 3}}}}}"#;
        let workflow = crate::validate_with(body, &policy).expect("valid against the catalogue");
        assert_eq!(values_read(&workflow), 2 + 4 * 2 + 3);
    }
}
