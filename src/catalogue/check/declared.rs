//! Which declaration an input of a node answers to: one of its class's, or, under a dotted
//! name, one of the option a dynamic combo of the node chose.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::catalogue::literal;
use crate::catalogue::model::{Class, Input, InputKind, Inputs};
use crate::workflow::InputSpan;

/// A scope of declarations a node's inputs answer to: the class itself, or the option one of
/// its dynamic combos chose (`path` is the dotted prefix, `model` or `model.a`).
pub(super) struct Chosen<'c> {
    pub(super) path: String,
    pub(super) inputs: &'c Inputs,
}

/// Where a declared input is: its scope (0 for the class, then each chosen option in order)
/// and its index there.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    pub(super) scope: usize,
    pub(super) index: u32,
}

/// The declaration an input answers to, and where it is.
#[derive(Clone, Copy)]
pub(super) struct Declared<'c> {
    pub(super) slot: Slot,
    pub(super) input: &'c Input,
}

/// The options a node's dynamic combos choose, with their dotted prefixes, nested ones after
/// their parents.
pub(super) fn chosen<'c>(inputs: &[InputSpan<'_>], class: &'c Class) -> Vec<Chosen<'c>> {
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

/// The declaration of input `name` of a node of `class`: in the class, or as a dotted name in
/// an option its dynamic combos chose. Inputs come mostly in the catalogue's order, so the one
/// after the last found (`next`) is looked at first. (Inlined: it runs for every input, and
/// as a call it cost a third again.)
#[inline]
pub(super) fn declared<'c>(
    class: &'c Class,
    chosen: &[Chosen<'c>],
    name: &str,
    next: &mut u32,
) -> Option<Declared<'c>> {
    let inputs = &class.inputs;
    let at = if inputs.is_named(*next, name) {
        Some(*next)
    } else {
        inputs.position(name)
    };
    if let Some(index) = at {
        *next = index + 1;
        return inputs.input(index).map(|input| Declared {
            slot: Slot { scope: 0, index },
            input,
        });
    }
    chosen.iter().enumerate().find_map(|(scope, c)| {
        let rest = name.strip_prefix(c.path.as_str())?.strip_prefix('.')?;
        let index = c.inputs.position(rest)?;
        c.inputs.input(index).map(|input| Declared {
            slot: Slot {
                scope: scope + 1,
                index,
            },
            input,
        })
    })
}
