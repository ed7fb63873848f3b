//! Errors: the catalogue of codes, and the error that validation returns.

mod code;
mod detail;
mod pointer;
mod problems;
mod validation;

pub use code::{ErrorCode, UnknownErrorCode};
pub use detail::Detail;
pub(crate) use pointer::Pointer;
pub use problems::MAX_REPORTED_ERRORS;
pub(crate) use problems::{Mode, Phase, Problems};
pub use validation::ValidationError;
pub(crate) use validation::clip;
