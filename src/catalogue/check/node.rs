//! The rows judged node by node, for a node that runs: its inputs in body order (a dangling
//! link, 14; a bad link, 15; a link of the wrong type, 18; a literal of the wrong type, out of
//! range or not in its list, 19 to 22), then the required inputs it lacks (17).

use std::borrow::Cow;

use serde_json::Value as Json;

use super::declared::{Chosen, Declared, Slot, chosen, declared};
use super::plan::{Lead, Plan, Planned, inputs_of};
use super::site::{Site, received, strings};
use super::{Check, Resolved};
use crate::catalogue::combo::Choice;
use crate::catalogue::links::{Shape, shape};
use crate::catalogue::literal::{self, Verdict};
use crate::catalogue::model::{Class, Input, InputKind, Section};
use crate::error::{Detail, ErrorCode, Pointer};
use crate::workflow::Node;

/// The most option names `details.options` lists.
const LISTED_OPTIONS: usize = 20;

/// The buffers the node rows reuse from node to node (and a thread from check to check).
#[derive(Default)]
pub(super) struct NodeBuffers {
    /// The declared inputs a node has.
    present: Vec<Slot>,
    /// Which inputs of one scope are present.
    presence: Vec<bool>,
}

impl NodeBuffers {
    /// The room of the larger buffer, in elements.
    pub(super) fn largest(&self) -> usize {
        self.present.capacity().max(self.presence.capacity())
    }
}

/// A link into an input: the node it comes from and which of that node's outputs.
struct Link<'p, 'r, 'a> {
    source: &'p Planned<'r, 'a>,
    output: u64,
}

impl<'r, 'a> Check<'r, 'a> {
    /// Rows 14, 15 and 17 to 22 for `planned`, a node of `plan` that runs.
    pub(super) fn node(&mut self, planned: &Planned<'r, 'a>, plan: &Plan<'r, 'a, '_>) {
        let node = &planned.node;
        let class = planned.class.declarations();
        let inputs = inputs_of(node);
        // (Tested here, not only inside `chosen`: a class without dynamic combos, almost every
        // one, then costs no call that hands back an empty vector through memory.)
        let chosen = match class {
            Some(class) if class.inputs.has_dynamic => chosen(&inputs, class),
            _ => Vec::new(),
        };
        let mut present = std::mem::take(&mut self.buffers.present);
        present.clear();
        // The required inputs present: when no dynamic combo chose more (all are the class's
        // own) and they are all there, none is missing, and row 17 need not mark them one by one.
        let mut required = 0;
        let mut next = 0;
        for (span, &lead) in inputs.iter().zip(plan.leads_of(planned)) {
            let name = span.name.decode();
            let text = span.value;
            let declared = class.and_then(|class| declared(class, &chosen, &name, &mut next));
            let site = Site::input(node, &name, self.workflow.offset_of(text));
            if let Some(Declared { slot, input }) = declared {
                // `null` in an optional input counts as absent (and is not judged).
                if input.section == Section::Optional && text == "null" {
                    continue;
                }
                required += usize::from(input.section == Section::Required);
                present.push(slot);
            }
            if let Lead::Link {
                index: None,
                output,
            } = lead
            {
                self.dangling_link(&site, text, output);
                continue;
            }
            // Past row 14, an input the class does not declare is not judged (a link from it
            // still counts for the graph).
            let Some(Declared { input, .. }) = declared else {
                continue;
            };
            match lead {
                Lead::Link { index, output } => {
                    let source = index.and_then(|index| plan.node(index as usize));
                    debug_assert!(source.is_some(), "a link's source is a node of the plan");
                    if let Some(source) = source {
                        self.link(&site, input, Link { source, output });
                    }
                }
                Lead::Array => self.not_a_link(&site, text),
                Lead::Literal => self.literal(&site, input, text),
            }
        }
        if let Some(class) = class {
            // (An input is present once: the body's keys differ, and so their declarations.)
            let all_there = chosen.is_empty() && required == class.inputs.required_order.len();
            if !all_there {
                self.required_inputs_missing(node, class, &chosen, &present);
            }
        }
        self.buffers.present = present;
    }

    /// Row 14: a link to a node the prompt does not have.
    fn dangling_link(&mut self, site: &Site<'_, 'r, 'a>, text: &str, output: u64) {
        if !self.wants(ErrorCode::DanglingLink) {
            return;
        }
        let node_id = match shape(text) {
            Shape::Link { node_id, .. } => node_id,
            _ => Cow::Borrowed(""),
        };
        let error = site
            .error_here(ErrorCode::DanglingLink)
            .with_text(Detail::SourceNodeId, &node_id)
            .with(Detail::OutputIndex, output);
        self.push(error);
    }

    /// Row 15: an array in a declared input that is not a `[node_id, slot_index]` link.
    fn not_a_link(&mut self, site: &Site<'_, 'r, 'a>, text: &str) {
        if self.wants(ErrorCode::BadLinkedInput) {
            let error = site
                .error_here(ErrorCode::BadLinkedInput)
                .with(Detail::ReceivedValue, received(text));
            self.push(error);
        }
    }

    /// Rows 15 and 18: a link into a declared input, to an output its source has (15), of a
    /// type the input takes (18).
    fn link(&mut self, site: &Site<'_, 'r, 'a>, input: &Input, link: Link<'_, 'r, 'a>) {
        let Link { source, output } = link;
        let Some(output_type) = source.class.output(output) else {
            if self.wants(ErrorCode::BadLinkedInput) {
                let count = match source.class {
                    Resolved::Class(class) => class.outputs.len(),
                    _ => 0,
                };
                let error = site
                    .error_here(ErrorCode::BadLinkedInput)
                    .with_text(Detail::SourceNodeId, source.node.id())
                    .with(Detail::OutputIndex, output)
                    .with(Detail::OutputCount, count);
                self.push(error);
            }
            return;
        };
        // An unknown source was reported already; an opaque one fits anything.
        let (Some(output_type), Resolved::Class(_)) = (output_type, source.class) else {
            return;
        };
        if matches!(input.kind, InputKind::Dynamic(_)) {
            return;
        }
        if !self.catalogue.fits(output_type, &input.kind)
            && self.wants(ErrorCode::ReturnTypeMismatch)
        {
            let error = site
                .error_here(ErrorCode::ReturnTypeMismatch)
                .with_text(Detail::SourceNodeId, source.node.id())
                .with(Detail::OutputIndex, output)
                .with_text(Detail::ReceivedType, output_type.name())
                .with_text(Detail::InputType, input.kind.type_name());
            self.push(error);
        }
    }

    /// Rows 19 to 22: a literal in a declared input.
    fn literal(&mut self, site: &Site<'_, 'r, 'a>, input: &Input, text: &str) {
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
        let mut error = site
            .error_here(code)
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
        error: crate::error::ValidationError,
        input: &Input,
        text: &str,
    ) -> crate::error::ValidationError {
        let sent = literal::string_text(literal::unwrap_value(text).unwrap_or(text));
        let sent = sent.as_deref().unwrap_or(text);
        let (count, listed, suggestions) = match &input.kind {
            InputKind::Combo(combo) => {
                let Some(options) = &combo.options else {
                    return error;
                };
                let listed: Vec<Json> = options
                    .iter()
                    .take(LISTED_OPTIONS)
                    .map(|choice| match choice {
                        Choice::Text(t) => Json::String(crate::error::clip(t)),
                        Choice::Number(n) => n.to_json(),
                    })
                    .collect();
                let suggestions = strings(options.suggest(self.suggester(), sent));
                (options.len(), Json::Array(listed), suggestions)
            }
            InputKind::Dynamic(choices) => {
                let keys = choices.iter().map(|choice| &*choice.key);
                let listed = strings(keys.clone().take(LISTED_OPTIONS));
                let suggestions = strings(self.suggester().closest(sent, keys));
                (choices.len(), listed, suggestions)
            }
            _ => return error,
        };
        error
            .with(Detail::OptionCount, count)
            .with(Detail::Options, listed)
            .with(Detail::Suggestions, suggestions)
    }

    /// Row 17: every required input the node lacks, in catalogue order, then those of the
    /// options its dynamic combos chose.
    fn required_inputs_missing(
        &mut self,
        node: &Node<'r, 'a>,
        class: &Class,
        chosen: &[Chosen<'_>],
        present: &[Slot],
    ) {
        if !self.wants(ErrorCode::RequiredInputMissing) {
            return;
        }
        let at = self.workflow.offset_of(node.inputs_json());
        let scopes = std::iter::once((None, &class.inputs))
            .chain(chosen.iter().map(|c| (Some(c.path.as_str()), c.inputs)));
        let mut presence = std::mem::take(&mut self.buffers.presence);
        for (scope, (path, inputs)) in scopes.enumerate() {
            presence.clear();
            presence.resize(inputs.declared.len(), false);
            for slot in present.iter().filter(|slot| slot.scope == scope) {
                if let Some(mark) = presence.get_mut(slot.index as usize) {
                    *mark = true;
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
                    Some(path) => Cow::Owned(format!("{path}.{name}")),
                    None => Cow::Borrowed(name),
                };
                let pointer = Pointer::default()
                    .push("prompt")
                    .push(node.id())
                    .push("inputs")
                    .build();
                let error = Site::input(node, &full, at)
                    .error(ErrorCode::RequiredInputMissing, pointer)
                    .with_text(Detail::InputType, input.kind.type_name());
                self.push(error);
            }
        }
        self.buffers.presence = presence;
    }
}

#[cfg(test)]
mod tests {
    use super::NodeBuffers;

    #[test]
    fn the_largest_buffer_is_the_room_of_the_larger_one() {
        let buffers = NodeBuffers {
            present: Vec::with_capacity(3),
            presence: Vec::with_capacity(5000),
        };
        assert!(buffers.largest() >= 5000);
        assert_eq!(buffers.largest(), buffers.presence.capacity());
        let buffers = NodeBuffers {
            present: Vec::with_capacity(7000),
            presence: Vec::new(),
        };
        assert_eq!(buffers.largest(), buffers.present.capacity());
        assert_eq!(NodeBuffers::default().largest(), 0);
    }
}
