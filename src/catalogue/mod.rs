//! The catalogue check: does a workflow fit the nodes the server has installed?
//!
//! An opt-in second layer over the request contract, judged against a snapshot of ComfyUI's
//! `GET /object_info` (the behaviour contract is the project's `CATALOGUE.md`). It consumes the
//! [`Workflow`] the request pass produced and never looks at the body again but through it.
//!
//! * `read`: the snapshot, within [`SnapshotLimits`], into the class model (`model`, `combo`);
//! * `graph`: reachability from the output nodes, and cycles, without recursion;
//! * `links`, `literal`, `number`: what a link is, the table of literals, exact `min`/`max`;
//! * `check`: the problems, in the contract's order; `suggest`: "did you mean";
//! * `comfy`: the same problems as ComfyUI's `node_errors`.

mod check;
mod combo;
mod comfy;
mod error;
mod graph;
mod info;
mod limits;
mod links;
mod literal;
mod model;
mod number;
mod read;
mod suggest;
mod text_set;
mod tree;

use std::collections::HashMap;

use self::combo::IndexedLists;
pub use self::error::{CatalogueError, CatalogueErrorKind};
pub use self::info::{ClassInfo, InputInfo};
pub use self::limits::{CheckOptions, SnapshotLimits};
use self::model::{Class, Combo, InputKind, Inputs, OutputType};
use self::suggest::{SuggestIndex, Suggester};
use self::text_set::TextSet;
use crate::error::{MAX_REPORTED_ERRORS, Mode, Problems, ValidationError};
use crate::workflow::Workflow;

/// A server's node catalogue, read once from its `GET /object_info` snapshot and shared by
/// every request (it is `Send + Sync`: put it in an `Arc`).
///
/// With [`Policy::with_catalogue`](crate::Policy::with_catalogue), [`validate_with`](crate::validate_with)
/// and [`validate_all`](crate::validate_all) apply it after the request contract, whose eleven
/// codes always come first; [`Catalogue::check`] applies it to a workflow validated earlier.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use cmfy_validate::{Policy, validate_with, catalogue::Catalogue};
///
/// let snapshot = br#"{
///   "KSampler": {"input": {"required": {"seed": ["INT", {"min": 0, "max": 18446744073709551615}],
///                                       "sampler_name": [["euler", "euler_ancestral", "dpmpp_2m"]]}},
///                "output": ["LATENT"], "output_node": true}}"#;
/// let catalogue = Arc::new(Catalogue::from_object_info(snapshot)?);
/// let policy = Policy::default().with_catalogue(catalogue);
///
/// let body = br#"{"prompt": {"3": {"class_type": "KSampler", "inputs": {"seed": 42, "sampler_name": "Euler"}}}}"#;
/// let error = validate_with(body, &policy).unwrap_err();
/// assert_eq!(error.code(), "value_not_in_list");
/// assert_eq!(error.pointer(), "/prompt/3/inputs/sampler_name");
/// assert_eq!(error.details()["suggestions"][0], "euler");
///
/// let body = br#"{"prompt": {"3": {"class_type": "KSampler", "inputs": {"seed": 42, "sampler_name": "euler"}}}}"#;
/// assert!(validate_with(body, &policy).is_ok());
/// # Ok::<(), cmfy_validate::catalogue::CatalogueError>(())
/// ```
///
/// # What is checked
///
/// In precedence order (after the request contract's eleven codes): `missing_node_type`,
/// `prompt_no_outputs`, `dangling_link`, `bad_linked_input`, `dependency_cycle`,
/// `required_input_missing`, `return_type_mismatch`, `invalid_input_type`,
/// `value_smaller_than_min`, `value_bigger_than_max`, `value_not_in_list`. Only nodes an output
/// node depends on are checked past the first two; among problems of one code the first in
/// the body wins (inputs in body order, missing required inputs after them in catalogue
/// order), and the answer is the same on every run.
///
/// # Decisions the contract leaves open
///
/// * A class named twice in a snapshot is the later entry, as Python's `json` reads it.
/// * An aliased node is an output node if the class it names is one.
/// * Missing inputs of the options that dynamic combos choose are reported after the class's
///   own, option by option.
/// * `check_all` reports one `dependency_cycle` per group of nodes that reach one another, at
///   its first node in body order; `details.cycle` lists at most 50 ids.
/// * Values past ±1.7e38, and integer `min`/`max` past 64 bits, are read as the nearest double
///   (Python keeps them whole); every other comparison is exact.
/// * `suggestions` follow the rule written in the crate's `suggest` module: within an edit
///   distance of a third of the sent text (at least 2), case ignored, nearest first, at most
///   five. The class names and every list of more than 64 options are indexed when the
///   snapshot is read, so a problem costs a lookup among the few candidates that could be
///   that near, whatever the catalogue's size. A check spends on suggestions at most a fixed
///   amount of work per byte of the body (counting at least 4 KiB); a problem found after
///   that budget is spent, or whose search would overrun it, has an empty `suggestions`, never
///   a partial one.
#[derive(Debug)]
pub struct Catalogue {
    /// In snapshot order, so that suggestions and listings are deterministic.
    classes: Vec<Class>,
    /// Their names, index for index. (A fixed hash is enough: a request's `class_type` only
    /// probes a table the snapshot built.)
    names: TextSet,
    /// The names' index for "did you mean" (`None` only past its memory allowance).
    name_index: Option<SuggestIndex>,
    options: CheckOptions,
}

impl Catalogue {
    /// Reads a snapshot under the default [`SnapshotLimits`].
    ///
    /// # Errors
    ///
    /// A [`CatalogueError`] if the snapshot is not JSON, not an object, or past a limit. Odd
    /// shapes inside it are not errors: a class that cannot be read is opaque, an input spec
    /// that cannot be read is undeclared (see the contract).
    ///
    /// ```
    /// let catalogue = cmfy_validate::catalogue::Catalogue::from_object_info(br#"{"A": {"input": {}}, "B": 7}"#)?;
    /// assert_eq!(catalogue.len(), 2);
    /// assert!(catalogue.class("B").is_some_and(|b| b.is_opaque()));
    /// # Ok::<(), cmfy_validate::catalogue::CatalogueError>(())
    /// ```
    pub fn from_object_info(json: &[u8]) -> Result<Catalogue, CatalogueError> {
        Self::from_object_info_with(json, &SnapshotLimits::default())
    }

    /// Reads a snapshot under `limits`.
    ///
    /// # Errors
    ///
    /// As [`Catalogue::from_object_info`].
    pub fn from_object_info_with(
        json: &[u8],
        limits: &SnapshotLimits,
    ) -> Result<Catalogue, CatalogueError> {
        let read = read::read(json, limits)?;
        let mut classes: Vec<Class> = Vec::with_capacity(read.len());
        let mut names = TextSet::default();
        let mut seen: HashMap<Box<str>, usize> = HashMap::with_capacity(read.len());
        for (name, class) in read {
            match seen.get(&name) {
                Some(&i) => {
                    if let Some(slot) = classes.get_mut(i) {
                        *slot = class;
                    }
                }
                None => {
                    names.push(&name);
                    seen.insert(name, classes.len());
                    classes.push(class);
                }
            }
        }
        drop(seen);
        names.finish();
        // The indexes for suggestions hold at most half the snapshot's size: the class names'
        // index takes a few percent of a real one, and the long lists share the rest.
        let mut allowance = json.len() / 2;
        let name_index = SuggestIndex::build(names.iter(), allowance);
        allowance = allowance.saturating_sub(name_index.as_ref().map_or(0, SuggestIndex::bytes));
        index_options(&mut classes, &mut allowance);
        Ok(Catalogue {
            classes,
            names,
            name_index,
            options: CheckOptions::default(),
        }
        .with_options(CheckOptions::default()))
    }

    /// The same catalogue, checking with `options`.
    #[must_use]
    pub fn with_options(mut self, options: CheckOptions) -> Self {
        // Which combos are exempt is settled here, once, not at every value.
        for (i, class) in self.classes.iter_mut().enumerate() {
            let class_name = self.names.get(i);
            for (j, input) in class.inputs.declared.iter_mut().enumerate() {
                if let InputKind::Combo(combo) = &mut input.kind {
                    combo.exempt = options.is_exempt(class_name, class.inputs.names.get(j));
                }
            }
        }
        self.options = options;
        self
    }

    /// The options the check runs with.
    #[must_use]
    pub fn options(&self) -> &CheckOptions {
        &self.options
    }

    /// How many classes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// Whether there is no class at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// A class by its exact name.
    ///
    /// ```
    /// let snapshot = br#"{"EmptyLatentImage": {"input": {"required": {"width": ["INT", {"min": 16, "max": 16384}]}},
    ///                                          "output": ["LATENT"]}}"#;
    /// let catalogue = cmfy_validate::catalogue::Catalogue::from_object_info(snapshot)?;
    /// let class = catalogue.class("EmptyLatentImage").expect("a class");
    /// assert_eq!(class.outputs().collect::<Vec<_>>(), ["LATENT"]);
    /// let width = class.inputs().next().expect("an input");
    /// assert_eq!((width.name(), width.type_name(), width.is_required()), ("width", "INT", true));
    /// assert_eq!(width.max(), Some(serde_json::json!(16384)));
    /// assert!(!class.is_output_node());
    /// # Ok::<(), cmfy_validate::catalogue::CatalogueError>(())
    /// ```
    #[must_use]
    pub fn class(&self, name: &str) -> Option<ClassInfo<'_>> {
        let i = self.names.find(name)?;
        self.classes.get(i).map(ClassInfo::new)
    }

    /// Every class name, in snapshot order.
    ///
    /// ```
    /// use cmfy_validate::catalogue::Catalogue;
    ///
    /// let snapshot = br#"{"LoadImage": {"input": {}, "output": ["IMAGE"]},
    ///                     "SaveImage": {"input": {}, "output": [], "output_node": true}}"#;
    /// let catalogue = Catalogue::from_object_info(snapshot)?;
    /// assert_eq!(catalogue.class_names().collect::<Vec<_>>(), ["LoadImage", "SaveImage"]);
    /// # Ok::<(), cmfy_validate::catalogue::CatalogueError>(())
    /// ```
    pub fn class_names(&self) -> impl Iterator<Item = &str> {
        self.names.iter()
    }

    /// Checks a workflow validated earlier: `Ok` if it fits, else the one problem the API
    /// answers with (the highest code, the first in the body among equals).
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] with one of the catalogue's eleven codes.
    ///
    /// ```
    /// let catalogue = cmfy_validate::catalogue::Catalogue::from_object_info(br#"{"SaveImage": {"input": {}, "output_node": true}}"#)?;
    /// let workflow = cmfy_validate::validate(br#"{"prompt": {"1": {"class_type": "SaveImag", "inputs": {}}}}"#).expect("a valid request");
    /// let error = catalogue.check(&workflow).unwrap_err();
    /// assert_eq!((error.code(), error.pointer()), ("missing_node_type", "/prompt/1/class_type"));
    /// assert_eq!(error.details()["suggestions"], serde_json::json!(["SaveImage"]));
    /// # Ok::<(), cmfy_validate::catalogue::CatalogueError>(())
    /// ```
    pub fn check(&self, workflow: &Workflow<'_>) -> Result<(), ValidationError> {
        let mut problems = Problems::new(Mode::First);
        check::run(self, workflow, &mut problems);
        match problems.finish() {
            Some((first, _)) => Err(first),
            None => Ok(()),
        }
    }

    /// Checks a workflow and reports every problem, in precedence order, at most
    /// [`MAX_REPORTED_ERRORS`]; the first is the one [`Catalogue::check`] returns.
    ///
    /// # Errors
    ///
    /// A non-empty list of [`ValidationError`]s.
    ///
    /// ```
    /// let catalogue = cmfy_validate::catalogue::Catalogue::from_object_info(
    ///     br#"{"Save": {"input": {"required": {"images": ["IMAGE"], "prefix": ["STRING"]}}, "output_node": true}}"#)?;
    /// let workflow = cmfy_validate::validate(br#"{"prompt": {"1": {"class_type": "Save", "inputs": {"prefix": 5, "images": ["9", 0]}}}}"#).expect("a valid request");
    /// let problems = catalogue.check_all(&workflow).unwrap_err();
    /// let codes: Vec<&str> = problems.iter().map(|p| p.code()).collect();
    /// assert_eq!(codes, ["dangling_link"]);
    /// # Ok::<(), cmfy_validate::catalogue::CatalogueError>(())
    /// ```
    pub fn check_all(&self, workflow: &Workflow<'_>) -> Result<(), Vec<ValidationError>> {
        let mut problems = Problems::new(Mode::All {
            cap: MAX_REPORTED_ERRORS,
        });
        check::run(self, workflow, &mut problems);
        match problems.finish() {
            Some((first, mut rest)) => {
                rest.insert(0, first);
                Err(rest)
            }
            None => Ok(()),
        }
    }

    /// The class names closest to `sent`, nearest first.
    pub(crate) fn suggest_class(&self, suggester: &mut Suggester, sent: &str) -> Vec<&str> {
        match &self.name_index {
            Some(index) => suggester.closest_indexed(sent, index, |id| self.names.get(id as usize)),
            None => suggester.closest(sent, self.names.iter()),
        }
    }

    /// The class a `class_type` names: itself, or what an alias maps it to.
    pub(crate) fn resolve(&self, class_type: &str) -> check::Resolved<'_> {
        if let Some(class) = self
            .names
            .find(class_type)
            .and_then(|i| self.classes.get(i))
        {
            return check::Resolved::Class(class);
        }
        match self.options.aliases.get(class_type) {
            Some(target) => check::Resolved::Alias {
                output_node: self
                    .names
                    .find(target)
                    .and_then(|i| self.classes.get(i))
                    .is_some_and(|class| class.output_node),
            },
            None => check::Resolved::Unknown,
        }
    }

    /// Whether a link from an output of type `output` fits an input of kind `input`.
    fn fits(&self, output: &OutputType, input: &InputKind) -> bool {
        let input_is_combo = matches!(input, InputKind::Combo(_));
        let (out, into) = (output.name(), input.type_name());
        if out == into {
            return true;
        }
        let wildcard = |t: &str| t == "*" || t.starts_with("COMFY_MATCHTYPE");
        if wildcard(out) || wildcard(into) {
            return true;
        }
        if out == "COMBO" && input_is_combo {
            return true;
        }
        if self.options.wildcards.contains(out) || self.options.wildcards.contains(into) {
            return true;
        }
        fn set(t: &str) -> Vec<&str> {
            t.split(',').map(str::trim).collect()
        }
        let (outs, intos) = (set(out), set(into));
        outs.contains(&"*") || intos.contains(&"*") || outs.iter().any(|t| intos.contains(t))
    }
}

/// Indexes the long option lists of every combo, nested ones included, while `allowance`
/// bytes last.
fn index_options(classes: &mut [Class], allowance: &mut usize) {
    let mut built = IndexedLists::new();
    let mut pending: Vec<&mut Inputs> = classes.iter_mut().map(|class| &mut class.inputs).collect();
    while let Some(Inputs { declared, .. }) = pending.pop() {
        for input in declared.iter_mut() {
            match &mut input.kind {
                InputKind::Combo(Combo {
                    options: Some(options),
                    unchecked: false,
                    ..
                }) => options.index(&mut built, allowance),
                InputKind::Dynamic(choices) => {
                    pending.extend(choices.iter_mut().map(|choice| &mut choice.inputs));
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Catalogue;
    use crate::catalogue::model::{Combo, InputKind};

    #[test]
    fn the_indexes_take_at_most_half_the_snapshots_size() {
        // Lists of short names, whose indexes would take more than the lists do: some are
        // indexed, the rest are walked.
        let inputs: Vec<String> = (0..40)
            .map(|list| {
                let names: Vec<String> = (0..200).map(|i| format!("{list}.{i}")).collect();
                let names = serde_json::to_string(&names).expect("strings");
                format!(r#""in{list}": [{names}]"#)
            })
            .collect();
        let snapshot = format!(
            r#"{{"Load": {{"input": {{"required": {{{}}}}}, "output": []}}}}"#,
            inputs.join(",")
        );
        let catalogue = Catalogue::from_object_info(snapshot.as_bytes()).expect("a snapshot");
        let indexes: Vec<usize> = catalogue.classes[0]
            .inputs
            .declared
            .iter()
            .filter_map(|input| match &input.kind {
                InputKind::Combo(Combo {
                    options: Some(options),
                    ..
                }) => options.suggestion_index().map(|index| index.bytes()),
                _ => None,
            })
            .collect();
        let names = catalogue
            .name_index
            .as_ref()
            .map_or(0, |index| index.bytes());
        let total: usize = indexes.iter().sum::<usize>() + names;
        assert!(total <= snapshot.len() / 2, "{total} of {}", snapshot.len());
        assert!(
            !indexes.is_empty() && indexes.len() < 40,
            "{} indexed",
            indexes.len()
        );
    }

    #[test]
    fn long_option_lists_are_indexed_nested_ones_included() {
        let list: Vec<String> = (0..100).map(|i| format!("m_{i:03}.ckpt")).collect();
        let list = serde_json::to_string(&list).expect("strings");
        // Room for the indexes: they may take half the snapshot's size.
        let description = "d".repeat(1 << 16);
        let snapshot = format!(
            r#"{{"Load": {{"description": "{description}", "input": {{"required": {{
                "ckpt": [{list}],
                "mode": ["COMFY_DYNAMICCOMBO_V3", {{"options": [
                    {{"key": "a", "inputs": {{"required": {{"lora": [{list}], "few": [["x", "y"]]}}}}}}
                ]}}]
            }}}}, "output": [], "output_node": true}}}}"#
        );
        let catalogue = Catalogue::from_object_info(snapshot.as_bytes()).expect("a snapshot");
        let class = catalogue.classes.first().expect("one class");
        let indexed = |kind: &InputKind| match kind {
            InputKind::Combo(Combo {
                options: Some(options),
                ..
            }) => options.suggestion_index().is_some(),
            _ => false,
        };
        let [ckpt, mode] = class.inputs.declared.as_slice() else {
            panic!("two inputs");
        };
        assert!(indexed(&ckpt.kind), "a list of the class");
        let InputKind::Dynamic(choices) = &mode.kind else {
            panic!("a dynamic combo");
        };
        let nested = &choices.first().expect("an option").inputs.declared;
        assert_eq!(
            nested.iter().map(|i| indexed(&i.kind)).collect::<Vec<_>>(),
            [true, false]
        );
    }

    #[test]
    fn a_catalogue_is_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Catalogue>();
    }
}
