//! Reading an `object_info` snapshot into the model, within the limits.
//!
//! The top-level object is read one class at a time: each class's entry is parsed into a
//! [`Tree`] (a JSON value that keeps member order) and turned into a [`Class`] at once, so no
//! more than one class is held twice. Every odd shape has a reading (an opaque class, an empty section, an undeclared
//! input); only what is not JSON, not an object or past a limit is an error.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::combo::Options;
use super::error::CatalogueError;
use super::limits::Limits;
use super::model::{
    Class, Combo, DYNAMIC_COMBO, DynamicOption, Input, InputKind, Inputs, MATCH_TYPE, OutputType,
    Section,
};
use super::number::Number;
use super::text_set::TextSet;
use super::tree::{Name, Tree};

/// Reads a snapshot: class name to class, in the snapshot's order.
pub(crate) fn read(json: &[u8], limits: &Limits) -> Result<Vec<(Box<str>, Class)>, CatalogueError> {
    if json.len() > limits.max_bytes {
        return Err(CatalogueError::too_large(json.len(), limits.max_bytes));
    }
    let mut failure = None;
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let top = Top {
        limits,
        failure: &mut failure,
    };
    let classes = match top.deserialize(&mut deserializer).and_then(|classes| {
        deserializer.end()?;
        Ok(classes)
    }) {
        Ok(classes) => classes,
        Err(error) => {
            return Err(failure
                .take()
                .unwrap_or_else(|| CatalogueError::json(&error)));
        }
    };
    classes.ok_or_else(CatalogueError::not_object)
}

/// The top-level object, read class by class. `None` if the value is not an object.
struct Top<'l> {
    limits: &'l Limits,
    failure: &'l mut Option<CatalogueError>,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = Option<Vec<(Box<str>, Class)>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Option<Vec<(Box<str>, Class)>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of classes")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut classes: Vec<(Box<str>, Class)> = Vec::new();
        while let Some(Name(name)) = map.next_key()? {
            let entry: Tree<'de> = map.next_value()?;
            if classes.len() >= self.limits.max_classes {
                return Err(fail(
                    self.failure,
                    CatalogueError::too_many_classes(self.limits.max_classes),
                ));
            }
            let class = match class(&name, entry, self.limits) {
                Ok(class) => class,
                Err(error) => return Err(fail(self.failure, error)),
            };
            classes.push((name.into_owned().into_boxed_str(), class));
        }
        Ok(Some(classes))
    }

    // Any other top-level value: not an object.
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// Keeps the error for the caller and stops the parse.
fn fail<E: serde::de::Error>(failure: &mut Option<CatalogueError>, error: CatalogueError) -> E {
    let message = error.to_string();
    *failure = Some(error);
    E::custom(message)
}

/// One class from its entry.
fn class(name: &str, mut entry: Tree<'_>, limits: &Limits) -> Result<Class, CatalogueError> {
    if !matches!(entry, Tree::Object(_)) {
        return Ok(Class::opaque(false));
    }
    let output_node = entry.get("output_node") == Some(&Tree::Bool(true));
    let sections = match entry.take("input") {
        Some(sections @ Tree::Object(_)) => sections,
        _ => return Ok(Class::opaque(output_node)),
    };
    let order = match entry
        .get("input_order")
        .and_then(|order| order.get("required"))
    {
        Some(Tree::Array(names)) => Some(names),
        _ => None,
    };
    let mut budget = Budget {
        class: name,
        left: limits.max_inputs_per_class,
        limits,
    };
    let inputs = read_inputs(sections, order, &mut budget)?;
    let outputs = match entry.take("output") {
        Some(Tree::Array(outputs)) => outputs.into_iter().map(output_type).collect(),
        _ => Box::default(),
    };
    Ok(Class {
        opaque: false,
        output_node,
        outputs,
        inputs,
    })
}

impl Class {
    fn opaque(output_node: bool) -> Self {
        Class {
            opaque: true,
            output_node,
            outputs: Box::default(),
            inputs: Inputs::default(),
        }
    }
}

fn output_type(entry: Tree<'_>) -> OutputType {
    match entry {
        Tree::String(name) => OutputType::Named(name.into_owned().into_boxed_str()),
        Tree::Array(items) if items.iter().all(|item| matches!(item, Tree::String(_))) => {
            OutputType::Combo
        }
        _ => OutputType::Named("*".into()),
    }
}

/// What is left of a class's input limit, and where to say it was passed.
struct Budget<'l> {
    class: &'l str,
    left: usize,
    limits: &'l Limits,
}

impl Budget<'_> {
    fn take(&mut self) -> Result<(), CatalogueError> {
        self.left = self.left.checked_sub(1).ok_or_else(|| {
            CatalogueError::too_many_inputs(self.class, self.limits.max_inputs_per_class)
        })?;
        Ok(())
    }
}

/// The declared inputs of an `input` object: `required`, `optional` (a name in both belongs to
/// the first) and `hidden` (undeclared); `order` is `input_order.required`, if any.
fn read_inputs(
    mut sections: Tree<'_>,
    order: Option<&Vec<Tree<'_>>>,
    budget: &mut Budget<'_>,
) -> Result<Inputs, CatalogueError> {
    let mut specs: Vec<(Cow<'_, str>, Tree<'_>, Section)> = Vec::new();
    for (section_name, section) in [
        ("required", Section::Required),
        ("optional", Section::Optional),
    ] {
        if let Some(Tree::Object(members)) = sections.take(section_name) {
            specs.extend(
                members
                    .into_iter()
                    .map(|(name, spec)| (name, spec, section)),
            );
        }
    }
    // A name met again (twice in a section, or in both) keeps its first declaration.
    let first = first_occurrences(specs.iter().map(|(name, _, _)| &**name));
    let mut declared: Vec<(Box<str>, Input)> = Vec::with_capacity(specs.len());
    let mut required_keys: Vec<Box<str>> = Vec::new();
    for ((name, spec, section), first) in specs.into_iter().zip(first) {
        budget.take()?;
        if !first {
            continue;
        }
        let Some(input) = read_input(&name, spec, section, budget)? else {
            continue;
        };
        if section == Section::Required {
            required_keys.push(Box::from(&*name));
        }
        declared.push((name.into_owned().into_boxed_str(), input));
    }
    if let Some(Tree::Object(hidden)) = sections.get("hidden") {
        for _ in hidden {
            budget.take()?;
        }
    }
    Ok(index(declared, &required_keys, order))
}

/// Whether each name is the first of its text: by comparing with the ones before while there
/// are few (most classes have a handful of inputs), by a set of borrowed names past that.
fn first_occurrences<'n>(names: impl Iterator<Item = &'n str>) -> Vec<bool> {
    const FEW: usize = 16;
    let names: Vec<&str> = names.collect();
    if names.len() <= FEW {
        return names
            .iter()
            .enumerate()
            .map(|(i, name)| !names.get(..i).unwrap_or_default().contains(name))
            .collect();
    }
    let mut seen: HashSet<&str> = HashSet::with_capacity(names.len());
    names.into_iter().map(|name| seen.insert(name)).collect()
}

/// Indexes the declared inputs by name and records the order of the required ones.
fn index(
    declared: Vec<(Box<str>, Input)>,
    required_keys: &[Box<str>],
    order: Option<&Vec<Tree<'_>>>,
) -> Inputs {
    let mut names = TextSet::default();
    let mut inputs = Vec::with_capacity(declared.len());
    for (name, input) in declared {
        names.push(&name);
        inputs.push(input);
    }
    names.finish();
    let mut required_order: Vec<u32> = Vec::with_capacity(required_keys.len());
    let mut placed: HashSet<usize> = HashSet::new();
    let named = order
        .into_iter()
        .flatten()
        .filter_map(Tree::as_str)
        .chain(required_keys.iter().map(|k| &**k));
    for name in named {
        let Some(i) = names.find(name) else {
            continue;
        };
        let required = inputs
            .get(i)
            .is_some_and(|input: &Input| input.section == Section::Required);
        if required && placed.insert(i) {
            required_order.push(u32::try_from(i).unwrap_or(u32::MAX));
        }
    }
    let has_dynamic = inputs
        .iter()
        .any(|input| matches!(input.kind, InputKind::Dynamic(_)));
    Inputs {
        declared: inputs,
        names,
        required_order,
        has_dynamic,
    }
}

/// One input spec, or `None` if it is undeclared: any shape but `[type]` and `[type, {...}]`,
/// and every dynamic type but the dynamic combo and the match type.
fn read_input(
    name: &str,
    spec: Tree<'_>,
    section: Section,
    budget: &mut Budget<'_>,
) -> Result<Option<Input>, CatalogueError> {
    let Tree::Array(spec) = spec else {
        return Ok(None);
    };
    let mut parts = spec.into_iter();
    let (kind, options) = match (parts.next(), parts.next(), parts.next()) {
        (Some(kind), None, None) => (kind, Tree::Object(Vec::new())),
        (Some(kind), Some(options @ Tree::Object(_)), None) => (kind, options),
        _ => return Ok(None),
    };
    let mut options = options;
    let bound = |key: &str| options.get(key).and_then(number);
    let (min, max) = (bound("min"), bound("max"));
    let has_default = options.get("default").is_some_and(|v| *v != Tree::Null);
    let kind = match kind {
        Tree::String(kind) => match &*kind {
            "INT" => InputKind::Int,
            "FLOAT" => InputKind::Float,
            "STRING" => InputKind::String,
            "BOOLEAN" => InputKind::Boolean,
            "COMBO" => match combo_list(options.get("options"), budget, name)? {
                Listed::Options(list) => InputKind::Combo(combo(Some(list), &options)),
                Listed::Absent => InputKind::Combo(combo(None, &options)),
                Listed::Odd => return Ok(None),
            },
            DYNAMIC_COMBO => match dynamic_options(options.take("options"), budget)? {
                Some(choices) => InputKind::Dynamic(choices),
                None => return Ok(None),
            },
            MATCH_TYPE => InputKind::Socket(kind.into_owned().into_boxed_str()),
            other if other.starts_with("COMFY_") => return Ok(None),
            _ => InputKind::Socket(kind.into_owned().into_boxed_str()),
        },
        list @ Tree::Array(_) => match combo_list(Some(&list), budget, name)? {
            Listed::Options(list) => InputKind::Combo(combo(Some(list), &options)),
            Listed::Absent | Listed::Odd => return Ok(None),
        },
        _ => return Ok(None),
    };
    Ok(Some(Input {
        section,
        kind,
        has_default,
        min,
        max,
    }))
}

/// `min` or `max`, if a JSON number.
fn number(value: &Tree<'_>) -> Option<Number> {
    match value {
        Tree::Number(n) => Some(*n),
        _ => None,
    }
}

fn combo(options: Option<Options>, spec: &Tree<'_>) -> Combo {
    let set = |key: &str| {
        spec.get(key)
            .is_some_and(|v| *v != Tree::Null && *v != Tree::Bool(false))
    };
    let upload = match spec {
        Tree::Object(members) => members
            .iter()
            .any(|(key, value)| key.ends_with("_upload") && *value == Tree::Bool(true)),
        _ => false,
    };
    Combo {
        options,
        multiselect: spec.get("multiselect") == Some(&Tree::Bool(true)),
        unchecked: set("remote") || set("remote_combo") || upload,
        exempt: false,
    }
}

enum Listed {
    Options(Options),
    Absent,
    /// Not a list of strings and numbers.
    Odd,
}

/// A combo's options from a list of strings and numbers.
fn combo_list(
    list: Option<&Tree<'_>>,
    budget: &Budget<'_>,
    input: &str,
) -> Result<Listed, CatalogueError> {
    let Some(list) = list else {
        return Ok(Listed::Absent);
    };
    let Tree::Array(items) = list else {
        return Ok(Listed::Odd);
    };
    if items.len() > budget.limits.max_options_per_combo {
        return Err(CatalogueError::too_many_options(
            budget.class,
            input,
            budget.limits.max_options_per_combo,
        ));
    }
    let mut options = Options::default();
    for item in items {
        match item {
            Tree::String(text) => options.push_text(text),
            Tree::Number(n) => options.push_number(*n),
            _ => return Ok(Listed::Odd),
        }
    }
    options.finish();
    Ok(Listed::Options(options))
}

/// The options of a dynamic combo: a list of `{"key": ..., "inputs": {...}}`. `None` if it is
/// not one.
fn dynamic_options(
    list: Option<Tree<'_>>,
    budget: &mut Budget<'_>,
) -> Result<Option<Vec<DynamicOption>>, CatalogueError> {
    let Some(Tree::Array(items)) = list else {
        return Ok(None);
    };
    let mut choices = Vec::with_capacity(items.len());
    // Taken apart, not copied: an option's inputs can hold as much as a class.
    for mut item in items {
        let Some(key) = item.get("key").and_then(Tree::as_str).map(Box::<str>::from) else {
            return Ok(None);
        };
        let sections = match item.take("inputs") {
            Some(sections @ Tree::Object(_)) => sections,
            _ => Tree::Object(Vec::new()),
        };
        let inputs = read_inputs(sections, None, budget)?;
        choices.push(DynamicOption { key, inputs });
    }
    Ok(Some(choices))
}

#[cfg(test)]
mod tests {
    use super::first_occurrences;

    #[test]
    fn first_occurrences_by_scan_and_by_set_agree() {
        let few = ["a", "b", "a", "c", "b"];
        assert_eq!(
            first_occurrences(few.into_iter()),
            [true, true, false, true, false]
        );
        // Past sixteen names, the set: the same answers.
        let many: Vec<String> = (0..40).map(|i| format!("n{}", i % 25)).collect();
        let found = first_occurrences(many.iter().map(String::as_str));
        assert_eq!(found.iter().filter(|&&f| f).count(), 25);
        assert!(found.iter().take(25).all(|&f| f) && found.iter().skip(25).all(|&f| !f));
    }
}
