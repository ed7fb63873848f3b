//! Reading JSON: one strict, borrowing, streaming pass over the body.
//!
//! serde_json is not used on the hot path because its skipping deserializers (`IgnoredAny`,
//! `RawValue`) let duplicate keys, lone surrogates, out-of-range numbers and deep nesting through,
//! and the contract rejects every one of them. This reader checks all of RFC 8259 plus those rules
//! in the same pass that finds the workflow's structure.

mod error;
mod keys;
mod number;
mod path;
mod reader;
mod scan;
mod string;
mod structure;
mod text;

pub(crate) use error::{JsonError, Reason, line_column};
pub(crate) use path::Segment;
pub(crate) use reader::{Kind, MAX_DEPTH, Members, Reader, Visitor};
pub(crate) use scan::{elements, has_members_after, members};
pub(crate) use string::{JsonStr, write_escaped};
pub(crate) use text::body_text;
