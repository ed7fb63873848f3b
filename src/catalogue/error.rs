//! Why a snapshot could not be loaded.

use std::fmt;

/// A snapshot that cannot be used as a catalogue: not JSON, not an object, or past one of the
/// [`SnapshotLimits`](crate::catalogue::SnapshotLimits). Never a request error: the snapshot is the
/// server's, so this is the server's problem to fix.
///
/// ```
/// use cmfy_validate::catalogue::Catalogue;
///
/// let error = Catalogue::from_object_info(b"[1, 2]").unwrap_err();
/// assert_eq!(error.to_string(), "object_info is not a JSON object of classes");
/// let error = Catalogue::from_object_info(b"{\"A\": ").unwrap_err();
/// assert!(error.to_string().starts_with("object_info is not valid JSON"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CatalogueError {
    kind: CatalogueErrorKind,
    message: String,
}

/// What kind of [`CatalogueError`] it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CatalogueErrorKind {
    /// The snapshot is not valid JSON.
    NotJson,
    /// The snapshot's top-level value is not an object.
    NotObject,
    /// The snapshot has more bytes than allowed.
    TooLarge,
    /// The snapshot has more classes than allowed.
    TooManyClasses,
    /// A class has more inputs than allowed.
    TooManyInputs,
    /// A combo has more options than allowed.
    TooManyOptions,
}

impl CatalogueError {
    /// What kind of error it is.
    ///
    /// ```
    /// use cmfy_validate::{catalogue::{Catalogue, CatalogueErrorKind}};
    /// assert_eq!(Catalogue::from_object_info(b"nope").unwrap_err().kind(), CatalogueErrorKind::NotJson);
    /// ```
    #[must_use]
    pub fn kind(&self) -> CatalogueErrorKind {
        self.kind
    }

    fn new(kind: CatalogueErrorKind, message: impl fmt::Display) -> Self {
        CatalogueError {
            kind,
            message: message.to_string(),
        }
    }

    pub(crate) fn json(error: &serde_json::Error) -> Self {
        Self::new(
            CatalogueErrorKind::NotJson,
            format_args!("object_info is not valid JSON: {error}"),
        )
    }

    pub(crate) fn not_object() -> Self {
        Self::new(
            CatalogueErrorKind::NotObject,
            "object_info is not a JSON object of classes",
        )
    }

    pub(crate) fn too_large(len: usize, limit: usize) -> Self {
        Self::new(
            CatalogueErrorKind::TooLarge,
            format_args!("object_info has {len} bytes, more than the limit of {limit}"),
        )
    }

    pub(crate) fn too_many_classes(limit: usize) -> Self {
        Self::new(
            CatalogueErrorKind::TooManyClasses,
            format_args!("object_info has more than {limit} classes"),
        )
    }

    pub(crate) fn too_many_inputs(class: &str, limit: usize) -> Self {
        Self::new(
            CatalogueErrorKind::TooManyInputs,
            format_args!(
                "class '{}' of object_info has more than {limit} inputs",
                crate::error::clip(class)
            ),
        )
    }

    pub(crate) fn too_many_options(class: &str, input: &str, limit: usize) -> Self {
        Self::new(
            CatalogueErrorKind::TooManyOptions,
            format_args!(
                "input '{}' of class '{}' of object_info has more than {limit} options",
                crate::error::clip(input),
                crate::error::clip(class)
            ),
        )
    }
}
