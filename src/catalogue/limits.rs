//! What a snapshot may hold, and the server's options for the checks: builders in the style of
//! [`Policy`](crate::Policy).

use std::collections::{HashMap, HashSet};

/// Limits on what a snapshot may hold; past one, loading fails with a
/// [`CatalogueError`](crate::catalogue::CatalogueError). The defaults are far above real installs (which
/// reach 100 MB and 2,700 classes): 256 MiB, 20,000 classes, 1,024 inputs per class (every
/// section and every option of a dynamic combo counted) and 100,000 options per combo.
///
/// ```
/// use cmfy_validate::{catalogue::{Catalogue, CatalogueErrorKind, SnapshotLimits}};
///
/// let limits = SnapshotLimits::default().max_classes(1);
/// let snapshot = br#"{"A": {"input": {}}, "B": {"input": {}}}"#;
/// let error = Catalogue::from_object_info_with(snapshot, &limits).unwrap_err();
/// assert_eq!(error.kind(), CatalogueErrorKind::TooManyClasses);
/// assert_eq!(SnapshotLimits::default().bytes(), 256 << 20);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotLimits {
    pub(crate) max_bytes: usize,
    pub(crate) max_classes: usize,
    pub(crate) max_inputs_per_class: usize,
    pub(crate) max_options_per_combo: usize,
}

/// The limits as [`SnapshotLimits`]'s default.
pub(crate) type Limits = SnapshotLimits;

impl Default for SnapshotLimits {
    fn default() -> Self {
        SnapshotLimits {
            max_bytes: 256 << 20,
            max_classes: 20_000,
            max_inputs_per_class: 1_024,
            max_options_per_combo: 100_000,
        }
    }
}

impl SnapshotLimits {
    /// The most bytes a snapshot may have (default 256 MiB).
    #[must_use]
    pub fn max_bytes(mut self, bytes: usize) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// The most classes (default 20,000).
    #[must_use]
    pub fn max_classes(mut self, classes: usize) -> Self {
        self.max_classes = classes;
        self
    }

    /// The most inputs a class may declare, all sections and dynamic options counted
    /// (default 1,024).
    #[must_use]
    pub fn max_inputs_per_class(mut self, inputs: usize) -> Self {
        self.max_inputs_per_class = inputs;
        self
    }

    /// The most options a combo may have (default 100,000).
    #[must_use]
    pub fn max_options_per_combo(mut self, options: usize) -> Self {
        self.max_options_per_combo = options;
        self
    }

    /// The byte limit.
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.max_bytes
    }

    /// The class limit.
    #[must_use]
    pub fn classes(&self) -> usize {
        self.max_classes
    }

    /// The per-class input limit.
    #[must_use]
    pub fn inputs_per_class(&self) -> usize {
        self.max_inputs_per_class
    }

    /// The per-combo option limit.
    #[must_use]
    pub fn options_per_combo(&self) -> usize {
        self.max_options_per_combo
    }
}

/// The types a literal may be given for, though they are socket types: inputs whose widget
/// makes the value in the browser.
const LITERAL_TYPES: &[&str] = &["WEBCAM", "AUDIO_RECORD", "LOAD_3D", "LOAD_3D_ANIMATION"];

/// The inputs whose own server-side validation replaces the combo's list check: the file may
/// have been uploaded since the snapshot was taken.
const COMBO_EXEMPT: &[(&str, &str)] = &[
    ("LoadImage", "image"),
    ("LoadImageMask", "image"),
    ("LoadLatent", "latent"),
    ("LoadAudio", "audio"),
    ("LoadVideo", "file"),
    ("LoadImageSetNode", "images"),
];

/// The server's options for the check: names it maps to classes, extra wildcard and literal
/// types, and extra inputs exempt from the combo check. Each list adds to the contract's
/// defaults and can be cleared.
///
/// ```
/// use std::sync::Arc;
/// use cmfy_validate::{Policy, validate_with, catalogue::{Catalogue, CheckOptions}};
///
/// let snapshot = br#"{"SaveImage": {"input": {"required": {"images": ["IMAGE"]}}, "output_node": true}}"#;
/// let options = CheckOptions::default().alias("SaveImageWebsocket", "SaveImage");
/// let catalogue = Catalogue::from_object_info(snapshot)?.with_options(options);
/// let body = br#"{"prompt": {"1": {"class_type": "SaveImageWebsocket", "inputs": {}}}}"#;
/// assert!(validate_with(body, &Policy::default().with_catalogue(Arc::new(catalogue))).is_ok());
/// # Ok::<(), cmfy_validate::catalogue::CatalogueError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckOptions {
    pub(crate) aliases: HashMap<String, String>,
    pub(crate) wildcards: HashSet<String>,
    pub(crate) literal_types: HashSet<String>,
    pub(crate) combo_exempt: HashSet<(String, String)>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            aliases: HashMap::new(),
            wildcards: HashSet::new(),
            literal_types: LITERAL_TYPES.iter().map(|t| (*t).to_owned()).collect(),
            combo_exempt: COMBO_EXEMPT
                .iter()
                .map(|(c, i)| ((*c).to_owned(), (*i).to_owned()))
                .collect(),
        }
    }
}

impl CheckOptions {
    /// Accepts `alias` as a node type: it runs as `class` on the server. An aliased node is
    /// opaque (its inputs are not checked, any output index is accepted with type `*`); it is
    /// an output node if `class` is one.
    #[must_use]
    pub fn alias(mut self, alias: impl Into<String>, class: impl Into<String>) -> Self {
        self.aliases.insert(alias.into(), class.into());
        self
    }

    /// Removes every alias.
    #[must_use]
    pub fn clear_aliases(mut self) -> Self {
        self.aliases.clear();
        self
    }

    /// Treats `type_name` as a wildcard in links: it fits any type, either way.
    #[must_use]
    pub fn wildcard_type(mut self, type_name: impl Into<String>) -> Self {
        self.wildcards.insert(type_name.into());
        self
    }

    /// Removes every extra wildcard type (`*` and `COMFY_MATCHTYPE…` stay wildcards).
    #[must_use]
    pub fn clear_wildcard_types(mut self) -> Self {
        self.wildcards.clear();
        self
    }

    /// Accepts a literal for inputs of the socket type `type_name` (default `WEBCAM`,
    /// `AUDIO_RECORD`, `LOAD_3D`, `LOAD_3D_ANIMATION`).
    #[must_use]
    pub fn literal_type(mut self, type_name: impl Into<String>) -> Self {
        self.literal_types.insert(type_name.into());
        self
    }

    /// Removes every literal type, the defaults included.
    #[must_use]
    pub fn clear_literal_types(mut self) -> Self {
        self.literal_types.clear();
        self
    }

    /// Skips the combo check of input `input` of class `class` (default `LoadImage.image`,
    /// `LoadImageMask.image`, `LoadLatent.latent`, `LoadAudio.audio`, `LoadVideo.file`,
    /// `LoadImageSetNode.images`).
    #[must_use]
    pub fn combo_exempt(mut self, class: impl Into<String>, input: impl Into<String>) -> Self {
        self.combo_exempt.insert((class.into(), input.into()));
        self
    }

    /// Removes every combo-exempt input, the defaults included.
    #[must_use]
    pub fn clear_combo_exempt(mut self) -> Self {
        self.combo_exempt.clear();
        self
    }

    pub(crate) fn is_exempt(&self, class: &str, input: &str) -> bool {
        // Few entries: a scan avoids building a key per lookup.
        self.combo_exempt
            .iter()
            .any(|(c, i)| c == class && i == input)
    }
}
