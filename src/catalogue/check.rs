//! The check of one workflow against the catalogue, problem by problem, in the contract's
//! order: unknown classes, no outputs, then for the nodes that run, their links, cycles,
//! missing inputs, link types and literals.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;

use serde_json::Value as Json;

use super::Catalogue;
use super::graph::{Graph, NodeIndex};
use super::links::{Shape, shape};
use super::literal::{self, Verdict};
use super::model::{Class, Input, InputKind, Inputs, OutputType, Section};
use super::suggest::Suggester;
use crate::error::{Detail, ErrorCode, Phase, Pointer, Problems, ValidationError};
use crate::invariant::Invariant;
use crate::json;
use crate::workflow::{InputSpan, Node, Workflow};

/// The most option names `details.options` lists.
const LISTED_OPTIONS: usize = 20;
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

impl Resolved<'_> {
    pub(crate) fn is_output(&self) -> bool {
        match self {
            Resolved::Class(class) => class.output_node,
            Resolved::Alias { output_node } => *output_node,
            Resolved::Unknown => false,
        }
    }

    /// The type of output `index`, or `None` if the source has no such output. An opaque or
    /// aliased source has every output, typed `*`.
    fn output(&self, index: u64) -> Option<Option<&OutputType>> {
        match self {
            Resolved::Class(class) if !class.opaque => usize::try_from(index)
                .ok()
                .and_then(|i| class.outputs.get(i))
                .map(Some),
            _ => Some(None),
        }
    }
}

/// Runs the check, pushing every problem `problems` wants, in document order within each code.
pub(crate) fn run(catalogue: &Catalogue, workflow: &Workflow<'_>, problems: &mut Problems) {
    let mut scratch = Scratch::take();
    let mut check = Check {
        catalogue,
        workflow,
        problems,
        suggester: None,
        present: std::mem::take(&mut scratch.present),
        presence: std::mem::take(&mut scratch.presence),
    };
    judge(&mut check, &mut scratch);
    scratch.present = check.present;
    scratch.presence = check.presence;
    scratch.give_back();
}

/// The check itself, in `scratch`'s buffers.
fn judge(check: &mut Check<'_, '_, '_, '_>, scratch: &mut Scratch) {
    let (catalogue, workflow) = (check.catalogue, check.workflow);
    // A view, not a list: a node is made from the workflow's own record when needed.
    let nodes = workflow.nodes();
    let resolved: Vec<Resolved<'_>> = nodes
        .clone()
        .map(|node| catalogue.resolve(node.class_type()))
        .collect();
    // 12: every node's class exists.
    for (node, class) in nodes.clone().zip(&resolved) {
        if matches!(class, Resolved::Unknown) && check.wants(ErrorCode::MissingNodeType) {
            check.missing_node_type(&node);
        }
    }
    // 13: something to run.
    let outputs = || (0..nodes.len()).filter(|&i| resolved.get(i).is_some_and(Resolved::is_output));
    if outputs().next().is_none() {
        if check.wants(ErrorCode::PromptNoOutputs) {
            let error = ValidationError::new(ErrorCode::PromptNoOutputs, "/prompt".to_owned(), 0);
            check.push(error);
        }
        return;
    }
    if !check.wants(ErrorCode::DanglingLink) {
        return;
    }
    // Every input of every node, read once, with where its link goes; then the links, in
    // body order, to nodes of the prompt.
    let numbers = std::mem::take(&mut scratch.numbers);
    let index = NodeIndex::new_in(nodes.clone().map(|node| node.id()), nodes.len(), numbers);
    // Where every input leads, worked out once: the graph needs the links, the node checks
    // the rest.
    let inputs = workflow.spans().map_or(nodes.len() * 8, <[_]>::len);
    let mut targets = std::mem::take(&mut scratch.targets);
    targets.clear();
    targets.reserve(inputs);
    let mut starts = std::mem::take(&mut scratch.starts);
    starts.clear();
    starts.reserve(nodes.len() + 1);
    let (graph_starts, graph_targets) = std::mem::take(&mut scratch.graph);
    let mut graph = Graph::in_buffers(graph_starts, graph_targets);
    for (source, node) in nodes.clone().enumerate() {
        starts.push(targets.len());
        for span in inputs_of(&node).iter() {
            let leads = target(span.value, &index);
            if let Target::Node {
                index: Some(target),
                ..
            } = leads
            {
                graph.link(source, target);
            }
            targets.push(leads);
        }
    }
    starts.push(targets.len());
    let graph = graph.finish(nodes.len());
    let marks = std::mem::take(&mut scratch.marks);
    let (reachable, acyclic) = graph.walk_in(outputs(), marks, &mut scratch.path);
    // 14, 15, 17 to 22: node by node, in body order.
    for (i, node) in nodes.clone().enumerate() {
        let why = "one entry a node in reachable, resolved and starts (and one more there)";
        if reachable.get(i).copied().holds(why) {
            let class = resolved.get(i).copied().holds_or(Resolved::Unknown, why);
            let from = starts.get(i).copied().holds(why);
            let to = starts.get(i + 1).copied().holds_or(from, why);
            let leads = targets
                .get(from..to)
                .holds("starts are offsets into targets, in order");
            check.node(&node, class, &inputs_of(&node), leads, &resolved);
        }
    }
    // 16: cycles among the nodes that run.
    if !acyclic && check.wants(ErrorCode::DependencyCycle) {
        for first in graph.cycles(&reachable) {
            let Some(node) = nodes.clone().nth(first) else {
                continue;
            };
            let ids: Vec<Json> = graph
                .cycle_from(first)
                .iter()
                .take(LISTED_CYCLE)
                .filter_map(|i| nodes.clone().nth(*i))
                .map(|n| Json::String(crate::error::clip(n.id())))
                .collect();
            let pointer = Pointer::default().push("prompt").push(node.id()).build();
            let error = check
                .node_error(ErrorCode::DependencyCycle, &node, pointer, None)
                .with(Detail::Cycle, ids);
            check.push(error);
        }
    }
    scratch.targets = targets;
    scratch.starts = starts;
    scratch.graph = graph.into_buffers();
    // In place: the answer's room becomes the marks' again.
    scratch.marks = reachable.into_iter().map(u8::from).collect();
    scratch.numbers = index.into_numbers();
}

/// The buffers of a check, kept by each thread between checks (emptied), so that checking a
/// small workflow allocates almost nothing.
#[derive(Default)]
struct Scratch {
    present: Vec<(usize, u32)>,
    presence: Vec<bool>,
    numbers: Vec<u32>,
    targets: Vec<Target>,
    starts: Vec<usize>,
    graph: (Vec<usize>, Vec<usize>),
    marks: Vec<u8>,
    path: Vec<(usize, usize)>,
}

/// Buffers longer than this are freed, not kept: a thread does not hold on to the room of an
/// unusually large workflow.
const KEPT: usize = 4096;

thread_local! {
    static SCRATCH: Cell<Scratch> = Cell::new(Scratch::default());
}

impl Scratch {
    /// This thread's buffers (new ones while another check holds them, or at thread exit).
    fn take() -> Scratch {
        SCRATCH.try_with(Cell::take).unwrap_or_default()
    }

    /// Gives the buffers back to the thread, unless one is past [`KEPT`].
    fn give_back(self) {
        let largest = [
            self.present.capacity(),
            self.presence.capacity(),
            self.numbers.capacity(),
            self.targets.capacity(),
            self.starts.capacity(),
            self.graph.0.capacity(),
            self.graph.1.capacity(),
            self.marks.capacity(),
            self.path.capacity(),
        ];
        if largest.iter().all(|&capacity| capacity <= KEPT) {
            // Fails only while the thread is exiting; then the buffers are simply freed.
            let _ = SCRATCH.try_with(|scratch| scratch.set(self));
        }
    }
}

struct Check<'c, 'w, 'a, 'p> {
    catalogue: &'c Catalogue,
    workflow: &'w Workflow<'a>,
    problems: &'p mut Problems,
    /// Made when the first suggestion is asked for: most checks find no problem.
    suggester: Option<Suggester>,
    /// The declared inputs a node has, as (scope, index): reused from node to node.
    present: Vec<(usize, u32)>,
    /// Which inputs of one scope are present: reused.
    presence: Vec<bool>,
}

/// Where a declared input of a node is declared: the class itself, or the option of one of
/// its dynamic combos chosen by the node (`path` is the dotted prefix, `model` or `model.a`).
struct Chosen<'c> {
    path: String,
    inputs: &'c Inputs,
}

impl<'c> Check<'c, '_, '_, '_> {
    /// The check's suggester, with its budget for the whole body.
    fn suggester(&mut self) -> &mut Suggester {
        let workflow = self.workflow;
        self.suggester.get_or_insert_with(|| {
            // The JSON values reading the body builds: the body and `prompt`, each node's
            // object, id, `class_type` and `inputs`, and each input (nested values not
            // counted, so the budget errs low).
            let inputs = workflow.spans().map_or(0, <[_]>::len);
            let values = 2 + 4 * workflow.len() + inputs;
            Suggester::for_body(workflow.body().len(), values)
        })
    }

    fn wants(&self, code: ErrorCode) -> bool {
        self.problems.wants(code, Phase::Workflow)
    }

    fn push(&mut self, error: ValidationError) {
        self.problems.push(Phase::Workflow, error);
    }

    /// An error about `node`, at `pointer`, with the node's id and class (and the input).
    fn node_error(
        &self,
        code: ErrorCode,
        node: &Node<'_, '_>,
        pointer: String,
        input: Option<(&str, usize)>,
    ) -> ValidationError {
        let offset = input.map_or_else(|| self.workflow.offset_of(node.class_type()), |(_, at)| at);
        let error = ValidationError::new(code, pointer, offset)
            .with_text(Detail::NodeId, node.id())
            .with_text(Detail::ClassType, node.class_type());
        match input {
            Some((name, _)) => error.with_text(Detail::Input, name),
            None => error,
        }
    }

    fn missing_node_type(&mut self, node: &Node<'_, '_>) {
        let pointer = Pointer::default()
            .push("prompt")
            .push(node.id())
            .push("class_type")
            .build();
        let suggestions = self
            .catalogue
            .suggest_class(self.suggester(), node.class_type());
        let error = self
            .node_error(ErrorCode::MissingNodeType, node, pointer, None)
            .with(Detail::Suggestions, strings(suggestions));
        self.push(error);
    }

    /// The problems of one node that runs; `inputs` are its inputs.
    fn node(
        &mut self,
        node: &Node<'_, '_>,
        class: Resolved<'c>,
        inputs: &[InputSpan<'_>],
        targets: &[Target],
        resolved: &[Resolved<'_>],
    ) {
        let class = match class {
            Resolved::Class(class) if !class.opaque => Some(class),
            _ => None,
        };
        let chosen = class
            .map(|class| self.chosen(inputs, class))
            .unwrap_or_default();
        let mut present = std::mem::take(&mut self.present);
        present.clear();
        // Inputs come mostly in the catalogue's order: look there first.
        let mut next = 0;
        for (span, &leads) in inputs.iter().zip(targets) {
            let name = span.name.decode();
            let name = &*name;
            let text = span.value;
            let declared = class.and_then(|class| declared(class, &chosen, name, &mut next));
            let at = self.workflow.offset_of(text);
            let site = (name, at);
            if let Some((slot, input_decl)) = declared {
                // `null` in an optional input counts as absent (and is not judged).
                if input_decl.section == Section::Optional && text == "null" {
                    continue;
                }
                present.push(slot);
            }
            match leads {
                Target::Node { index, output } => {
                    let Some(source) = index else {
                        if self.wants(ErrorCode::DanglingLink) {
                            let node_id = match shape(text) {
                                Shape::Link { node_id, .. } => node_id,
                                _ => Cow::Borrowed(""),
                            };
                            let error = self
                                .input_error(ErrorCode::DanglingLink, node, site)
                                .with_text(Detail::SourceNodeId, &node_id)
                                .with(Detail::OutputIndex, output);
                            self.push(error);
                        }
                        continue;
                    };
                    let Some((_, input_decl)) = declared else {
                        continue;
                    };
                    let source_class = resolved
                        .get(source)
                        .copied()
                        .holds_or(Resolved::Unknown, "a link's source is a node of the prompt");
                    self.link(node, site, input_decl, source_class, (source, output));
                }
                Target::Array => {
                    if declared.is_some() && self.wants(ErrorCode::BadLinkedInput) {
                        let error = self
                            .input_error(ErrorCode::BadLinkedInput, node, site)
                            .with(Detail::ReceivedValue, received(text));
                        self.push(error);
                    }
                }
                Target::None => {
                    if let Some((_, input_decl)) = declared {
                        self.literal(node, site, input_decl, text);
                    }
                }
            }
        }
        if let Some(class) = class {
            if self.wants(ErrorCode::RequiredInputMissing) {
                self.missing(node, class, &chosen, &present);
            }
        }
        self.present = present;
    }

    /// The options a node's dynamic combos choose, with their dotted prefixes, nested ones
    /// after their parents.
    fn chosen(&self, inputs: &[InputSpan<'_>], class: &'c Class) -> Vec<Chosen<'c>> {
        let mut chosen: Vec<Chosen<'c>> = Vec::new();
        if !class.inputs.has_dynamic {
            return chosen;
        }
        let values: HashMap<Cow<'_, str>, &str> = inputs
            .iter()
            .map(|span| (span.name.decode(), span.value))
            .collect();
        let mut pending: Vec<(String, &'c Inputs)> = vec![(String::new(), &class.inputs)];
        while let Some((prefix, inputs)) = pending.pop() {
            for (name, input) in inputs.iter() {
                let InputKind::Dynamic(options) = &input.kind else {
                    continue;
                };
                let path = if prefix.is_empty() {
                    name.to_owned()
                } else {
                    format!("{prefix}.{name}")
                };
                let Some(&raw) = values.get(path.as_str()) else {
                    continue;
                };
                let text = literal::unwrap_value(raw).unwrap_or(raw);
                let Some(key) = literal::string_text(text) else {
                    continue;
                };
                if let Some(option) = options.iter().find(|option| *option.key == *key) {
                    pending.push((path.clone(), &option.inputs));
                    chosen.push(Chosen {
                        path,
                        inputs: &option.inputs,
                    });
                }
            }
        }
        chosen
    }

    /// A link into a declared input: its output index, then its type.
    fn link(
        &mut self,
        node: &Node<'_, '_>,
        site: (&str, usize),
        input: &Input,
        source: Resolved<'_>,
        (source_index, output): (usize, u64),
    ) {
        let workflow = self.workflow;
        let source_id = || {
            workflow
                .nodes()
                .nth(source_index)
                .map_or("", |source| source.id())
        };
        let Some(output_type) = source.output(output) else {
            if self.wants(ErrorCode::BadLinkedInput) {
                let count = match source {
                    Resolved::Class(class) => class.outputs.len(),
                    _ => 0,
                };
                let error = self
                    .input_error(ErrorCode::BadLinkedInput, node, site)
                    .with_text(Detail::SourceNodeId, source_id())
                    .with(Detail::OutputIndex, output)
                    .with(Detail::OutputCount, count);
                self.push(error);
            }
            return;
        };
        // An unknown source was reported already; an opaque one fits anything.
        let (Some(output_type), Resolved::Class(_)) = (output_type, source) else {
            return;
        };
        if matches!(input.kind, InputKind::Dynamic(_)) {
            return;
        }
        if !self.catalogue.fits(output_type, &input.kind)
            && self.wants(ErrorCode::ReturnTypeMismatch)
        {
            let error = self
                .input_error(ErrorCode::ReturnTypeMismatch, node, site)
                .with_text(Detail::SourceNodeId, source_id())
                .with(Detail::OutputIndex, output)
                .with_text(Detail::ReceivedType, output_type.name())
                .with_text(Detail::InputType, input.kind.type_name());
            self.push(error);
        }
    }

    /// A literal in a declared input.
    fn literal(&mut self, node: &Node<'_, '_>, site: (&str, usize), input: &Input, text: &str) {
        if !self.wants(ErrorCode::InvalidInputType) {
            return;
        }
        let verdict = literal::judge(text, input, &self.catalogue.options);
        let (code, bound) = match verdict {
            Verdict::Fits => return,
            Verdict::WrongType => (ErrorCode::InvalidInputType, None),
            Verdict::BelowMin(min) => (ErrorCode::ValueSmallerThanMin, Some((Detail::Min, min))),
            Verdict::AboveMax(max) => (ErrorCode::ValueBiggerThanMax, Some((Detail::Max, max))),
            Verdict::NotInList => (ErrorCode::ValueNotInList, None),
        };
        if !self.wants(code) {
            return;
        }
        let mut error = self
            .input_error(code, node, site)
            .with_text(Detail::InputType, input.kind.type_name())
            .with(Detail::ReceivedValue, received(text));
        if code == ErrorCode::InvalidInputType {
            let inner = literal::unwrap_value(text).unwrap_or(text);
            let kind = literal::read(inner).map_or("?", |value| value.type_name());
            error = error.with(Detail::ReceivedType, kind);
        }
        if let Some((key, bound)) = bound {
            error = error.with(key, bound.to_json());
        }
        if code == ErrorCode::ValueNotInList {
            error = self.list_details(error, input, text);
        }
        self.push(error);
    }

    /// `option_count`, up to 20 `options` and the `suggestions` of a value not in its list.
    fn list_details(
        &mut self,
        error: ValidationError,
        input: &Input,
        text: &str,
    ) -> ValidationError {
        let sent = literal::string_text(literal::unwrap_value(text).unwrap_or(text));
        let sent = sent.as_deref().unwrap_or(text);
        match &input.kind {
            InputKind::Combo(combo) => {
                let Some(options) = &combo.options else {
                    return error;
                };
                let listed: Vec<Json> = options
                    .iter()
                    .take(LISTED_OPTIONS)
                    .map(|choice| match choice {
                        super::combo::Choice::Text(t) => Json::String(crate::error::clip(t)),
                        super::combo::Choice::Number(n) => n.to_json(),
                    })
                    .collect();
                let suggestions = options.suggest(self.suggester(), sent);
                error
                    .with(Detail::OptionCount, options.len())
                    .with(Detail::Options, listed)
                    .with(Detail::Suggestions, strings(suggestions))
            }
            InputKind::Dynamic(choices) => {
                let keys = choices.iter().map(|choice| &*choice.key);
                let listed: Vec<Json> = keys
                    .clone()
                    .take(LISTED_OPTIONS)
                    .map(|k| Json::String(crate::error::clip(k)))
                    .collect();
                let suggestions = self.suggester().closest(sent, keys);
                error
                    .with(Detail::OptionCount, choices.len())
                    .with(Detail::Options, listed)
                    .with(Detail::Suggestions, strings(suggestions))
            }
            _ => error,
        }
    }

    /// Every required input the node lacks, in catalogue order, then those of the options its
    /// dynamic combos chose.
    fn missing(
        &mut self,
        node: &Node<'_, '_>,
        class: &Class,
        chosen: &[Chosen<'_>],
        present: &[(usize, u32)],
    ) {
        let at = self.workflow.offset_of(node.inputs_json());
        let scopes = std::iter::once((None, &class.inputs))
            .chain(chosen.iter().map(|c| (Some(c.path.as_str()), c.inputs)));
        let mut presence = std::mem::take(&mut self.presence);
        for (scope, (path, inputs)) in scopes.enumerate() {
            presence.clear();
            presence.resize(inputs.declared.len(), false);
            for &(s, i) in present {
                if s == scope {
                    if let Some(mark) = presence.get_mut(i as usize) {
                        *mark = true;
                    }
                }
            }
            for &i in &inputs.required_order {
                if presence.get(i as usize).copied().unwrap_or(true) {
                    continue;
                }
                let Some((name, input)) = inputs.at(i) else {
                    continue;
                };
                let full = match path {
                    Some(path) => format!("{path}.{name}"),
                    None => name.to_owned(),
                };
                let pointer = Pointer::default()
                    .push("prompt")
                    .push(node.id())
                    .push("inputs")
                    .build();
                let error = self
                    .node_error(
                        ErrorCode::RequiredInputMissing,
                        node,
                        pointer,
                        Some((&full, at)),
                    )
                    .with_text(Detail::InputType, input.kind.type_name());
                self.push(error);
            }
        }
        self.presence = presence;
    }

    fn input_error(
        &self,
        code: ErrorCode,
        node: &Node<'_, '_>,
        (name, at): (&str, usize),
    ) -> ValidationError {
        let pointer = Pointer::default()
            .push("prompt")
            .push(node.id())
            .push("inputs")
            .push(name)
            .build();
        self.node_error(code, node, pointer, Some((name, at)))
    }
}

/// Where an input's value leads.
#[derive(Clone, Copy)]
enum Target {
    /// A literal that is not an array.
    None,
    /// An array that is not a link.
    Array,
    /// A link to output `output` of the node at `index` (`None`: no such node).
    Node { index: Option<usize>, output: u64 },
}

fn target(value: &str, index: &NodeIndex<'_>) -> Target {
    match shape(value) {
        Shape::Link { node_id, output } => Target::Node {
            index: index.get(&node_id),
            output,
        },
        Shape::Array => Target::Array,
        Shape::Other => Target::None,
    }
}

/// A node's inputs: where validation kept them, or read again by the trusted scan.
fn inputs_of<'w, 'a>(node: &Node<'w, 'a>) -> Cow<'w, [InputSpan<'a>]> {
    match node.input_spans() {
        Some(spans) => Cow::Borrowed(spans),
        None => Cow::Owned(
            json::members(node.inputs_json())
                .map(|(name, value)| InputSpan { name, value })
                .collect(),
        ),
    }
}

/// The declaration of input `name` of a node of `class`: in the class, or as a dotted name
/// in an option its dynamic combos chose. With it, where it is: the scope (0 for the class,
/// then each chosen option) and its index there.
fn declared<'c>(
    class: &'c Class,
    chosen: &[Chosen<'c>],
    name: &str,
    next: &mut u32,
) -> Option<((usize, u32), &'c Input)> {
    let inputs = &class.inputs;
    let at = match inputs.at(*next) {
        Some((expected, _)) if expected == name => Some(*next),
        _ => inputs.position(name),
    };
    if let Some(i) = at {
        *next = i + 1;
        return inputs.at(i).map(|(_, input)| ((0, i), input));
    }
    chosen.iter().enumerate().find_map(|(scope, c)| {
        let rest = name.strip_prefix(c.path.as_str())?.strip_prefix('.')?;
        let i = c.inputs.position(rest)?;
        c.inputs.at(i).map(|(_, input)| ((scope + 1, i), input))
    })
}

/// A received value for details: a string or number as itself, anything else as its JSON text;
/// at most 200 characters of either.
fn received(text: &str) -> Json {
    let inner = literal::unwrap_value(text).unwrap_or(text);
    match literal::read(inner) {
        Some(literal::Value::String(s)) => Json::String(crate::error::clip(&s)),
        Some(literal::Value::Number(n)) => n.to_json(),
        Some(literal::Value::Bool(b)) => Json::Bool(b),
        Some(literal::Value::Null) => Json::Null,
        _ => Json::String(crate::error::clip(inner)),
    }
}

fn strings(items: Vec<&str>) -> Json {
    Json::Array(
        items
            .into_iter()
            .map(|s| Json::String(crate::error::clip(s)))
            .collect(),
    )
}
