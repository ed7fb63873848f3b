//! The model of a catalogue: what the check needs of each class, read once per snapshot.

use super::combo::Options;
use super::number::Number;
use super::text_set::TextSet;

/// A class of the catalogue.
#[derive(Debug)]
pub(crate) struct Class {
    /// Its entry could not be read (not an object, no `input` object): inputs unchecked, any
    /// output index accepted with type `*`.
    pub(crate) opaque: bool,
    pub(crate) output_node: bool,
    pub(crate) outputs: Box<[OutputType]>,
    pub(crate) inputs: Inputs,
}

/// The type of an output slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OutputType {
    /// A type name: `MODEL`, `IMAGE`, `*`.
    Named(Box<str>),
    /// A list of options: an output that yields combo values.
    Combo,
}

impl OutputType {
    /// The name shown in details.
    pub(crate) fn name(&self) -> &str {
        match self {
            OutputType::Named(name) => name,
            OutputType::Combo => "COMBO",
        }
    }
}

/// Which section declares an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Required,
    Optional,
}

/// The declared inputs of a class (or of one option of a dynamic combo).
#[derive(Debug, Default)]
pub(crate) struct Inputs {
    /// In catalogue order: `required`, then `optional`, each in its key order.
    pub(crate) declared: Vec<Input>,
    /// Their names, index for index, found in O(1).
    pub(crate) names: TextSet,
    /// The required inputs, as indices, in the order missing ones are reported:
    /// `input_order.required`, then the rest in the key order of `required`. Each required
    /// input is there once (names are unique), so a node with as many of them present as
    /// this has lacks none.
    pub(crate) required_order: Vec<u32>,
    /// Whether any input is a dynamic combo (so dotted names need looking at).
    pub(crate) has_dynamic: bool,
}

impl Inputs {
    /// The index of the declared input `name`.
    #[inline]
    pub(crate) fn position(&self, name: &str) -> Option<u32> {
        self.names.find(name).and_then(|i| u32::try_from(i).ok())
    }

    /// Whether the input at `index` is called `name` (a comparison of bytes, not of `str`s
    /// sliced out of the names, whose UTF-8 boundaries would be tested first).
    #[inline]
    pub(crate) fn is_named(&self, index: u32, name: &str) -> bool {
        (index as usize) < self.declared.len() && self.names.is(index as usize, name)
    }

    /// The declaration at an index, without its name.
    #[inline]
    pub(crate) fn input(&self, index: u32) -> Option<&Input> {
        self.declared.get(index as usize)
    }

    /// The input at an index.
    pub(crate) fn at(&self, index: u32) -> Option<(&str, &Input)> {
        let index = index as usize;
        self.declared
            .get(index)
            .map(|input| (self.names.get(index), input))
    }

    /// Every declared input with its name, in catalogue order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Input)> {
        self.declared
            .iter()
            .enumerate()
            .map(|(i, input)| (self.names.get(i), input))
    }
}

/// A declared input.
#[derive(Debug)]
pub(crate) struct Input {
    pub(crate) section: Section,
    pub(crate) kind: InputKind,
    /// `default` present and not `null`.
    pub(crate) has_default: bool,
    /// `min` and `max`, for INT and FLOAT, when JSON numbers.
    pub(crate) min: Option<Number>,
    pub(crate) max: Option<Number>,
}

/// What a declared input takes.
#[derive(Debug)]
pub(crate) enum InputKind {
    Int,
    Float,
    String,
    Boolean,
    /// A list of options (either form).
    Combo(Combo),
    /// A socket type (`MODEL`, `IMAGE,MASK`, `*`) or `COMFY_MATCHTYPE_V3`: fed by links.
    Socket(Box<str>),
    /// `COMFY_DYNAMICCOMBO_V3`: a key, and the inputs of the option it names.
    Dynamic(Vec<DynamicOption>),
}

/// A combo input.
#[derive(Debug)]
pub(crate) struct Combo {
    /// `None` when the spec has no option list (`COMBO` without `options`).
    pub(crate) options: Option<Options>,
    pub(crate) multiselect: bool,
    /// `remote`, `remote_combo` or a `*_upload` option is set: any value passes.
    pub(crate) unchecked: bool,
    /// The server's options exempt this input from the list check (set by
    /// [`Catalogue::with_options`](crate::catalogue::Catalogue::with_options)).
    pub(crate) exempt: bool,
}

/// One option of a dynamic combo.
#[derive(Debug)]
pub(crate) struct DynamicOption {
    pub(crate) key: Box<str>,
    pub(crate) inputs: Inputs,
}

impl InputKind {
    /// The type as the catalogue names it, for details.
    pub(crate) fn type_name(&self) -> &str {
        match self {
            InputKind::Int => "INT",
            InputKind::Float => "FLOAT",
            InputKind::String => "STRING",
            InputKind::Boolean => "BOOLEAN",
            InputKind::Combo(_) => "COMBO",
            InputKind::Socket(name) => name,
            InputKind::Dynamic(_) => DYNAMIC_COMBO,
        }
    }
}

/// The dynamic combo type.
pub(crate) const DYNAMIC_COMBO: &str = "COMFY_DYNAMICCOMBO_V3";
/// The dynamic type whose inputs take any type.
pub(crate) const MATCH_TYPE: &str = "COMFY_MATCHTYPE_V3";
