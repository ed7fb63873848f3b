//! Errors: the catalogue of codes, and the error that validation returns.

mod code;
mod pointer;
mod validation;

pub use code::{ErrorCode, UnknownErrorCode};
pub(crate) use pointer::Pointer;
pub use validation::ValidationError;
pub(crate) use validation::clip;
