//! A look inside a catalogue: its classes, their inputs and outputs, as read.

use super::combo::Choice;
use super::model::{Class, Input, InputKind, Inputs, Section};

/// A class of a [`Catalogue`](crate::catalogue::Catalogue), as the check reads it.
#[derive(Clone, Copy, Debug)]
pub struct ClassInfo<'c> {
    class: &'c Class,
}

impl<'c> ClassInfo<'c> {
    pub(crate) fn new(class: &'c Class) -> Self {
        ClassInfo { class }
    }

    /// Whether the class's entry could not be read (not an object, or no `input` object): its
    /// inputs are not checked and any output index of it is accepted, typed `*`.
    #[must_use]
    pub fn is_opaque(&self) -> bool {
        self.class.opaque
    }

    /// Whether it is an output node (`output_node: true`).
    #[must_use]
    pub fn is_output_node(&self) -> bool {
        self.class.output_node
    }

    /// The type of each output slot, in order (`COMBO` for an output that yields options).
    pub fn outputs(&self) -> impl Iterator<Item = &'c str> {
        self.class.outputs.iter().map(|output| output.name())
    }

    /// The declared inputs (`required`, then `optional`), in catalogue order. Hidden inputs and
    /// specs the check cannot read are not declared, and not listed.
    pub fn inputs(&self) -> impl Iterator<Item = InputInfo<'c>> {
        listed(&self.class.inputs)
    }
}

fn listed(inputs: &Inputs) -> impl Iterator<Item = InputInfo<'_>> {
    inputs.iter().map(|(name, input)| InputInfo { name, input })
}

/// A declared input of a class.
#[derive(Clone, Copy, Debug)]
pub struct InputInfo<'c> {
    name: &'c str,
    input: &'c Input,
}

impl<'c> InputInfo<'c> {
    /// Its name.
    #[must_use]
    pub fn name(&self) -> &'c str {
        self.name
    }

    /// Whether it is in `required` (else `optional`).
    #[must_use]
    pub fn is_required(&self) -> bool {
        self.input.section == Section::Required
    }

    /// Its type: `INT`, `FLOAT`, `STRING`, `BOOLEAN`, `COMBO` (either form), a socket type
    /// (`MODEL`, `IMAGE,MASK`, `*`), `COMFY_MATCHTYPE_V3` or `COMFY_DYNAMICCOMBO_V3`.
    #[must_use]
    pub fn type_name(&self) -> &'c str {
        self.input.kind.type_name()
    }

    /// `min`, if a number.
    #[must_use]
    pub fn min(&self) -> Option<serde_json::Value> {
        self.input.min.map(|n| n.to_json())
    }

    /// `max`, if a number.
    #[must_use]
    pub fn max(&self) -> Option<serde_json::Value> {
        self.input.max.map(|n| n.to_json())
    }

    /// Whether the spec has a `default` (not `null`).
    #[must_use]
    pub fn has_default(&self) -> bool {
        self.input.has_default
    }

    /// The options of a combo (strings, then numbers) or the keys of a dynamic combo, in
    /// catalogue order; `None` for other types, and for a combo with no option list.
    ///
    /// ```
    /// let catalogue = cmfy_validate::catalogue::Catalogue::from_object_info(
    ///     br#"{"K": {"input": {"required": {"s": [["euler", "heun"]], "m": ["COMBO", {"options": ["a"], "multiselect": true}]}}}}"#)?;
    /// let class = catalogue.class("K").expect("a class");
    /// let options: Vec<Vec<serde_json::Value>> = class.inputs().filter_map(|i| i.options()).collect();
    /// assert_eq!(options, [vec![serde_json::json!("euler"), serde_json::json!("heun")], vec![serde_json::json!("a")]]);
    /// assert!(class.inputs().nth(1).is_some_and(|m| m.is_multiselect()));
    /// # Ok::<(), cmfy_validate::catalogue::CatalogueError>(())
    /// ```
    #[must_use]
    pub fn options(&self) -> Option<Vec<serde_json::Value>> {
        match &self.input.kind {
            InputKind::Combo(combo) => combo.options.as_ref().map(|options| {
                options
                    .iter()
                    .map(|choice| match choice {
                        Choice::Text(text) => serde_json::Value::String(text.to_owned()),
                        Choice::Number(number) => number.to_json(),
                    })
                    .collect()
            }),
            InputKind::Dynamic(choices) => Some(
                choices
                    .iter()
                    .map(|choice| serde_json::Value::String(choice.key.to_string()))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// Whether it is a combo that takes several options (`multiselect: true`).
    #[must_use]
    pub fn is_multiselect(&self) -> bool {
        matches!(&self.input.kind, InputKind::Combo(combo) if combo.multiselect)
    }

    /// For a dynamic combo, the inputs of the option `key` (named here without the dotted
    /// prefix a request gives them).
    pub fn option_inputs(&self, key: &str) -> impl Iterator<Item = InputInfo<'c>> {
        let inputs = match &self.input.kind {
            InputKind::Dynamic(choices) => choices
                .iter()
                .find(|choice| &*choice.key == key)
                .map(|choice| &choice.inputs),
            _ => None,
        };
        inputs.into_iter().flat_map(listed)
    }
}
