//! The integration tests, one module a concern, built as one test binary: one link a build
//! instead of one a file, which is most of what a mutation run spends per mutant. The tests that
//! count allocations (`tests/allocations.rs`, `tests/hostile_memory.rs`) install their own global
//! allocator and stay binaries of their own.

mod common;
#[path = "../../benches/fixtures.rs"]
mod fixtures;

mod catalogue;
mod catalogue_properties;
mod cli;
mod client_errors;
mod codes;
mod conformance;
mod corpus;
mod error_codes;
mod hosts;
mod http;
mod international_table;
mod json_rules;
mod properties;
mod punycode;
mod url_patterns;
mod url_verdicts;
mod workflow_api;
