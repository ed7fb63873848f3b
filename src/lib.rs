//! Zero-IO validation of job requests for a hosted ComfyUI API, answered with the API's exact
//! error codes.
//!
//! Servers run it in front of their GPU queue, clients run it before they submit, and fuzzers run
//! it on anything. It reads the body of `POST /v1/jobs` once, borrowing from it, and either
//! returns a view of the workflow or the one error the API would answer with.
//!
//! ```
//! let body = br#"{"prompt": {"1": {"class_type": "LoadImage",
//!                                  "inputs": {"image": "https://0x7f.1/latest/meta-data"}}}}"#;
//! let error = cmfy_validate::validate(body).unwrap_err();
//! assert_eq!(error.code(), "insecure_url");          // 0x7f.1 is 127.0.0.1
//! assert_eq!(error.message(), "Only HTTPS URLs are allowed");
//! assert_eq!(error.pointer(), "/prompt/1/inputs/image");
//!
//! let body = br#"{"prompt": {"1": {"class_type": "CheckpointLoaderSimple",
//!                                  "inputs": {"ckpt_name": "https://huggingface.co/org/repo/resolve/main/m.safetensors"}}}}"#;
//! let workflow = cmfy_validate::validate(body)?;
//! assert_eq!(workflow.nodes().next().map(|node| node.class_type()), Some("CheckpointLoaderSimple"));
//! # Ok::<(), cmfy_validate::ValidationError>(())
//! ```
//!
//! # What is checked, in precedence order
//!
//! | # | code | when |
//! |---|---|---|
//! | 1 | `invalid_json` | not one RFC 8259 JSON text; also a BOM, invalid UTF-8, lone surrogates, numbers that overflow `f64`, nesting past 128, duplicate keys (compared unescaped) |
//! | 2 | `missing_prompt` | the body is not an object, has no `prompt`, or `prompt` is `null` |
//! | 3 | `invalid_prompt_type` | `prompt` is a string, number, bool or array |
//! | 4 | `empty_workflow` | `prompt` is `{}` |
//! | 5 | `too_many_nodes` | more nodes than the limit (500) |
//! | 6 | `missing_class_type` | a node is not an object, or its `class_type` is absent, not a string, or blank |
//! | 7 | `missing_inputs` | a node's `inputs` is absent, `null` or not an object |
//! | 8 | `invalid_url` | a URL-like input string, or `webhook_url`, does not parse |
//! | 9 | `insecure_url` | a URL-like input string is not `https`, or its host is private |
//! | 10 | `webhook_must_be_https` | `webhook_url` is not `https` |
//! | 11 | `webhook_private_host` | `webhook_url`'s host is private |
//!
//! Among problems with the same code, the first in the body wins (workflow before webhook).
//! Which strings are URLs is decided by [`is_url_like`]; which hosts are private by
//! [`is_public_ip`] and [`is_public_host`], which a server should run again on the address it
//! really connects to.
//!
//! # The rest of the crate
//!
//! The root holds what validation needs: [`validate`], [`validate_with`], [`validate_all`],
//! [`Policy`], the [`Workflow`] view, [`ValidationError`] with its [`ErrorCode`] and [`Detail`]
//! keys, and the error envelope [`ErrorBody`]. The other concerns are modules of their own:
//!
//! * [`catalogue`]: the opt-in second layer, a workflow judged against the server's own
//!   `GET /object_info` snapshot as ComfyUI would (unknown classes, missing inputs, links,
//!   cycles, types, ranges and lists);
//! * [`client`]: every error response turned into a typed [`client::ApiError`], `Retry-After`,
//!   and a [`client::RetryPolicy`];
//! * [`auth`]: the `Authorization: Bearer` header checked without a lookup;
//! * [`rate_limits`]: the `X-RateLimit-*`, `X-Concurrent-*` and `X-Queue-*` headers.
//!
//! The types of [`url`], [`ipnet`] and [`serde_json`] that appear in signatures are those of the
//! crates re-exported here.
//!
//! # Scope
//!
//! No IO, no clock, no randomness: it judges bytes. It does not resolve names (a name that
//! resolves to a private address passes; re-check with [`is_public_ip`] after resolving). The
//! request contract alone knows nothing of ComfyUI's node classes and does not check that links
//! point at existing nodes; the opt-in [`catalogue::Catalogue`] check does both. Neither runs a
//! node's Python validation or looks for files: that needs the GPU worker.
//!
//! # Design
//!
//! * One streaming pass over the body checks the JSON strictly and finds the workflow's
//!   structure; serde_json's skipping types would let duplicate keys, lone surrogates,
//!   out-of-range numbers and deep nesting through, which the contract forbids.
//! * Nothing is copied that does not need to be: names, ids and literals borrow from the body,
//!   and a string is decoded only if it has escapes and someone needs its value. URL detection
//!   reads only a string's first characters, and plain `https://name/...` URLs are judged
//!   without the full parser, by a fast path a fuzz target proves equal to it. All inputs of a
//!   workflow share one list, so a request costs a few dozen allocations whatever its size.
//!   Each thread keeps the (emptied) stack of keys of its last request, at most 6 KiB, so that
//!   the next one does not allocate it again.
//! * Every input is bounded: time is linear in the body, nesting is capped at 128 so recursion is
//!   bounded, objects with many keys switch to hashing for duplicate detection, and nodes past the
//!   limit are counted, not built. When the first nodes make it near-certain that a prompt holds
//!   more than the limit, [`validate`] counts the rest instead of judging it (and judges it after
//!   all if the count says otherwise), so an oversized body costs about what checking its JSON
//!   costs.
//! * Decisions the contract leaves open are written where they apply: [`Policy`] for the knobs,
//!   [`InputValue`] for what counts as a link, [`ValidationError::details`] for the details.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod catalogue;
pub mod client;
mod envelope;
mod error;
mod hosts;
mod invariant;
mod json;
mod policy;
pub mod rate_limits;
mod request;
mod sources;
mod swar;
mod urls;
mod workflow;

pub use envelope::{ErrorBody, ErrorObject};
pub use error::{Detail, ErrorCode, MAX_REPORTED_ERRORS, UnknownErrorCode, ValidationError};
pub use hosts::{is_public_host, is_public_ip};
pub use policy::{DEFAULT_MAX_NODES, Policy};
pub use sources::{UrlPattern, UrlPatternError, UrlPatterns};
pub use urls::is_url_like;
pub use workflow::{Input, InputValue, Link, ModelUrl, Node, Nodes, RawJson, Workflow};

/// The crates whose types appear in this crate's signatures, so that users name the same
/// versions: [`url::Url`] (webhooks, model URLs), [`ipnet::IpNet`] (policy networks) and
/// [`serde_json`] (details, envelopes).
pub use {ipnet, serde_json, url};

/// For the fuzz target that proves the URL fast path equal to the full parser. Not public API.
#[doc(hidden)]
pub use urls::{
    fast_path_host as __fast_path_host, fast_path_host_cut as __fast_path_host_cut,
    judged_part as __judged_part, plain_authority as __plain_authority,
    punycode_decode as __punycode_decode,
};

/// The deepest nesting of arrays and objects a body may have; the top-level value is level 1.
pub const MAX_DEPTH: usize = json::MAX_DEPTH;

/// Validates a request body under the contract's default [`Policy`].
///
/// Returns the workflow, borrowing from `body`, or the one error the API answers with: the
/// highest in the precedence table, and the first in the body among equals.
///
/// # Errors
///
/// A [`ValidationError`] with one of the eleven 400 codes.
///
/// # Example
///
/// ```
/// let error = cmfy_validate::validate(br#"{"prompt": {"1": {"class_type": "A", "inputs": {}}},
///                                        "webhook_url": "https://10.0.0.7/hook"}"#).unwrap_err();
/// assert_eq!(error.code(), "webhook_private_host");
/// assert_eq!(error.details()["host"], "10.0.0.7");
/// ```
pub fn validate(body: &[u8]) -> Result<Workflow<'_>, ValidationError> {
    validate_with(body, &policy::CONTRACT)
}

/// Validates a request body under `policy`.
///
/// # Errors
///
/// As [`validate`], judged by the policy's node limit and host rules.
///
/// # Example
///
/// ```
/// use cmfy_validate::Policy;
/// let body = br#"{"prompt": {"1": {"class_type": "A", "inputs": {}}, "2": {"class_type": "B", "inputs": {}}}}"#;
/// let error = cmfy_validate::validate_with(body, &Policy::default().with_max_nodes(1)).unwrap_err();
/// assert_eq!((error.code(), error.message()), ("too_many_nodes", "Workflow exceeds 1 nodes"));
/// assert_eq!(error.details()["node_count"], 2);
/// ```
pub fn validate_with<'a>(body: &'a [u8], policy: &Policy) -> Result<Workflow<'a>, ValidationError> {
    // The result is returned as read, not taken apart and built again: a `Workflow` is moved
    // by copying it, and a `?` here copied it twice more on every valid request.
    let read = request::read_workflow(body, policy, error::Mode::First, |(first, _)| first);
    if let (Ok(workflow), Some(catalogue)) = (&read, policy.catalogue()) {
        catalogue.check(workflow)?;
    }
    read
}

/// Validates a request body under `policy` and reports every problem found, in precedence order,
/// at most [`MAX_REPORTED_ERRORS`] of them. The first is always the error [`validate_with`]
/// returns. A body that is not valid JSON has exactly one problem, since nothing after the
/// syntax error can be read.
///
/// Past the node limit, nodes are not read, so their problems are not reported.
///
/// # Errors
///
/// A non-empty list of [`ValidationError`]s.
///
/// # Example
///
/// ```
/// use cmfy_validate::Policy;
/// let body = br#"{"prompt": {"1": {"inputs": {"u": "http://a.example"}}, "2": {"class_type": "B"}},
///                 "webhook_url": "http://hooks.example"}"#;
/// let errors = cmfy_validate::validate_all(body, &Policy::default()).unwrap_err();
/// let codes: Vec<&str> = errors.iter().map(|e| e.code()).collect();
/// assert_eq!(codes, ["missing_class_type", "missing_inputs", "insecure_url", "webhook_must_be_https"]);
/// ```
pub fn validate_all<'a>(
    body: &'a [u8],
    policy: &Policy,
) -> Result<Workflow<'a>, Vec<ValidationError>> {
    let mode = error::Mode::All {
        cap: MAX_REPORTED_ERRORS,
    };
    let workflow = request::read_workflow(body, policy, mode, |(first, mut rest)| {
        rest.insert(0, first);
        rest
    })?;
    if let Some(catalogue) = policy.catalogue() {
        catalogue.check_all(&workflow)?;
    }
    Ok(workflow)
}

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
