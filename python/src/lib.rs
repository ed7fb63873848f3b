//! The native half of the `cmfy_validate` Python package: thin bindings of the Rust crate.
//! Everything that decides (validation, the catalogue check, reading error responses, retry
//! decisions, the Authorization check) is the crate's; the Python half only gives it
//! Pythonic shapes (`cmfy_validate/__init__.py`).

#![forbid(unsafe_code)]

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cmfy_validate as core;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};

/// Bodies at least this long are validated with the GIL released, so threads run in parallel;
/// below it, releasing costs more than it frees.
const RELEASE_GIL_FROM: usize = 4096;

/// A node catalogue (`GET /object_info` snapshot), loaded once and shared by every thread.
#[pyclass(frozen, module = "cmfy_validate._native")]
struct Catalogue(Arc<core::Catalogue>);

#[pymethods]
impl Catalogue {
    /// Loads a snapshot; raises `ValueError` with the reason if it cannot be used.
    #[staticmethod]
    fn from_object_info(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let bytes = body_bytes(data)?;
        let loaded = py.detach(|| core::Catalogue::from_object_info(&bytes));
        loaded
            .map(|catalogue| Catalogue(Arc::new(catalogue)))
            .map_err(|error| PyValueError::new_err(error.to_string()))
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    /// Every class name, in snapshot order.
    fn class_names(&self) -> Vec<String> {
        self.0.class_names().map(str::to_owned).collect()
    }

    /// `(is_output_node, is_opaque, outputs, inputs)` of a class, inputs as
    /// `(name, type, required, options or None)`; `None` for an unknown class.
    #[allow(clippy::type_complexity)]
    fn class_info(
        &self,
        name: &str,
    ) -> Option<(
        bool,
        bool,
        Vec<String>,
        Vec<(String, String, bool, Option<String>)>,
    )> {
        let class = self.0.class(name)?;
        let inputs = class
            .inputs()
            .map(|input| {
                let options = input
                    .options()
                    .map(|options| serde_json::Value::Array(options).to_string());
                (
                    input.name().to_owned(),
                    input.type_name().to_owned(),
                    input.is_required(),
                    options,
                )
            })
            .collect();
        Some((
            class.is_output_node(),
            class.is_opaque(),
            class.outputs().map(str::to_owned).collect(),
            inputs,
        ))
    }
}

/// An accepted request. It keeps the body (a `bytes` object by reference, other types as a copy)
/// and the policy, and reads the workflow again when asked for its nodes, its JSON or its
/// URLs: validation is deterministic, and a server that only forwards the body pays for none
/// of it.
#[pyclass(frozen, module = "cmfy_validate._native")]
struct Workflow {
    body: Body,
    policy: core::Policy,
    len: usize,
    webhook_url: Option<String>,
    idempotency_key: Option<String>,
}

enum Body {
    Bytes(Py<PyBytes>),
    Owned(Vec<u8>),
}

/// A node, its inputs as `(name, link, literal)`: a link as `(node id, output)`, anything else
/// as its JSON text.
type InputData = (String, Option<(String, u32)>, Option<String>);
type NodeData = (String, String, Option<String>, Vec<InputData>);
/// A URL as `(node_id, class_type, input, pointer, url)`.
type UrlData = (String, String, String, String, String);

impl Workflow {
    /// Runs `f` on the workflow read again from the body.
    fn with<T>(&self, py: Python<'_>, f: impl FnOnce(&core::Workflow<'_>) -> T) -> PyResult<T> {
        let bytes = match &self.body {
            Body::Bytes(bytes) => bytes.bind(py).as_bytes(),
            Body::Owned(bytes) => bytes.as_slice(),
        };
        core::validate_with(bytes, &self.policy)
            .map(|workflow| f(&workflow))
            .map_err(|error| PyValueError::new_err(error.to_string()))
    }
}

#[pymethods]
impl Workflow {
    fn __len__(&self) -> usize {
        self.len
    }

    /// `(id, class_type, title, inputs)` of every node, in document order.
    fn nodes(&self, py: Python<'_>) -> PyResult<Vec<NodeData>> {
        self.with(py, |workflow| {
            workflow
                .nodes()
                .map(|node| {
                    let inputs = node
                        .inputs()
                        .iter()
                        .map(|input| match input.value() {
                            core::InputValue::Link(link) => (
                                input.name().to_owned(),
                                Some((link.node_id().to_owned(), link.output())),
                                None,
                            ),
                            core::InputValue::Literal(raw) => {
                                (input.name().to_owned(), None, Some(raw.json().to_owned()))
                            }
                        })
                        .collect();
                    (
                        node.id().to_owned(),
                        node.class_type().to_owned(),
                        node.title().map(str::to_owned),
                        inputs,
                    )
                })
                .collect()
        })
    }

    #[getter]
    fn webhook_url(&self) -> Option<String> {
        self.webhook_url.clone()
    }

    #[getter]
    fn idempotency_key(&self) -> Option<String> {
        self.idempotency_key.clone()
    }

    /// The `prompt` as JSON text, equal as JSON to the one received.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |workflow| workflow.to_json())
    }

    /// `(node_id, class_type, input, pointer, url)` of every URL, in document order.
    fn urls(&self, py: Python<'_>) -> PyResult<Vec<UrlData>> {
        self.with(py, |workflow| {
            workflow
                .urls()
                .map(|found| {
                    (
                        found.node_id().to_owned(),
                        found.class_type().to_owned(),
                        found.input().to_owned(),
                        found.pointer().to_owned(),
                        found.url().as_str().to_owned(),
                    )
                })
                .collect()
        })
    }
}

/// An error as `(code, message, status, pointer, details as JSON text, offset)`.
type ErrorData = (String, String, u16, String, String, usize);

fn error_data(error: &core::ValidationError) -> ErrorData {
    (
        error.code().to_owned(),
        error.message().to_owned(),
        error.status(),
        error.pointer().to_owned(),
        serde_json::Value::Object(error.details().clone()).to_string(),
        error.offset(),
    )
}

/// The bytes of a body given as `bytes`, `bytearray`, `memoryview` or `str`.
fn body_bytes(body: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(bytes) = body.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    if let Ok(text) = body.cast::<PyString>() {
        return Ok(text.to_cow()?.as_bytes().to_vec());
    }
    if let Ok(array) = body.cast::<PyByteArray>() {
        return Ok(array.to_vec());
    }
    if body.cast::<PyMemoryView>().is_err() {
        return Err(PyTypeError::new_err(
            "body must be bytes, bytearray, memoryview or str",
        ));
    }
    let bytes = body.py().get_type::<PyBytes>().call1((body,))?;
    Ok(bytes.cast::<PyBytes>()?.as_bytes().to_vec())
}

fn policy(
    max_nodes: usize,
    check_hosts: bool,
    private_webhooks: bool,
    catalogue: Option<&Catalogue>,
    sources: Option<Vec<String>>,
) -> PyResult<core::Policy> {
    let mut policy = core::Policy::default()
        .max_nodes(max_nodes)
        .check_workflow_url_hosts(check_hosts)
        .allow_private_webhooks(private_webhooks);
    if let Some(catalogue) = catalogue {
        policy = policy.catalogue(catalogue.0.clone());
    }
    if let Some(sources) = sources {
        let patterns = sources
            .iter()
            .map(|s| s.parse::<core::UrlPattern>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        policy = policy.allow_model_sources(patterns);
    }
    Ok(policy)
}

/// What validation hands back: the facts of an accepted workflow, or the problems.
type Outcome = Result<(usize, Option<String>, Option<String>), Vec<ErrorData>>;

fn judge(bytes: &[u8], policy: &core::Policy, all: bool) -> Outcome {
    let result = if all {
        core::validate_all(bytes, policy)
    } else {
        core::validate_with(bytes, policy).map_err(|e| vec![e])
    };
    match result {
        Ok(workflow) => Ok((
            workflow.len(),
            workflow.webhook_url().map(|url| url.as_str().to_owned()),
            workflow.idempotency_key().map(str::to_owned),
        )),
        Err(errors) => Err(errors.iter().map(error_data).collect()),
    }
}

/// Validates a body: `(workflow, [])` or `(None, [error, ...])`, every problem when `all`.
#[pyfunction]
#[pyo3(signature = (body, max_nodes, check_hosts, private_webhooks, catalogue, sources, all))]
#[allow(clippy::too_many_arguments)]
fn validate(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    max_nodes: usize,
    check_hosts: bool,
    private_webhooks: bool,
    catalogue: Option<&Catalogue>,
    sources: Option<Vec<String>>,
    all: bool,
) -> PyResult<(Option<Workflow>, Vec<ErrorData>)> {
    let policy = policy(max_nodes, check_hosts, private_webhooks, catalogue, sources)?;
    // `bytes` is read where it lies (and kept by reference); other types are copied first.
    let (outcome, kept) = if let Ok(bytes) = body.cast::<PyBytes>() {
        let slice = bytes.as_bytes();
        let outcome = if slice.len() >= RELEASE_GIL_FROM {
            py.detach(|| judge(slice, &policy, all))
        } else {
            judge(slice, &policy, all)
        };
        (outcome, Body::Bytes(bytes.clone().unbind()))
    } else {
        let owned = body_bytes(body)?;
        let outcome = if owned.len() >= RELEASE_GIL_FROM {
            py.detach(|| judge(&owned, &policy, all))
        } else {
            judge(&owned, &policy, all)
        };
        (outcome, Body::Owned(owned))
    };
    Ok(match outcome {
        Ok((len, webhook_url, idempotency_key)) => (
            Some(Workflow {
                body: kept,
                policy,
                len,
                webhook_url,
                idempotency_key,
            }),
            Vec::new(),
        ),
        Err(errors) => (None, errors),
    })
}

/// The envelope of an error, as JSON text.
#[pyfunction]
#[pyo3(signature = (code, message, details, request_id=None, retry_after=None))]
fn envelope(
    code: &str,
    message: &str,
    details: &str,
    request_id: Option<&str>,
    retry_after: Option<u64>,
) -> PyResult<String> {
    let details = match serde_json::from_str::<serde_json::Value>(details) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => return Err(PyValueError::new_err("details must be a JSON object")),
    };
    let mut body = core::ErrorBody {
        error: serde_json::from_value(serde_json::json!({"code": code, "message": message}))
            .map_err(|e| PyValueError::new_err(e.to_string()))?,
    }
    .with_details(details);
    if let Some(id) = request_id {
        body = body.with_request_id(id);
    }
    if let Some(seconds) = retry_after {
        body = body.with_retry_after(seconds);
    }
    Ok(body.to_json())
}

fn now_from(seconds: Option<f64>) -> SystemTime {
    match seconds {
        Some(s) if s.is_finite() && s >= 0.0 => Duration::try_from_secs_f64(s)
            .ok()
            .and_then(|d| UNIX_EPOCH.checked_add(d))
            .unwrap_or(UNIX_EPOCH),
        _ => SystemTime::now(),
    }
}

/// A response read by `ApiError::from_response`: `(status, kind, code, message, details JSON,
/// request_id, retry_after seconds)`.
type ResponseData = (
    u16,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<f64>,
);

#[pyfunction]
#[pyo3(signature = (status, headers, body, now=None))]
fn read_response(
    status: u16,
    headers: Vec<(String, String)>,
    body: &[u8],
    now: Option<f64>,
) -> ResponseData {
    let error = core::ApiError::from_response(
        status,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        body,
    );
    let kind = format!("{:?}", error.kind());
    (
        error.status(),
        kind,
        error.code().map(str::to_owned),
        error.message().to_owned(),
        serde_json::Value::Object(error.details().clone()).to_string(),
        error.request_id().map(str::to_owned),
        error.retry_after(now_from(now)).map(|d| d.as_secs_f64()),
    )
}

/// A response as `(status, headers, body)`.
type Response = (u16, Vec<(String, String)>, Vec<u8>);

/// `RetryPolicy::decide`: the delay in seconds, or `None` to give up. `outcome` is "error"
/// (with the response), "timeout" or "connection".
#[pyfunction]
#[pyo3(signature = (outcome, response, attempt, random, base, max_delay, max_attempts, max_server_delay, now=None))]
#[allow(clippy::too_many_arguments)]
fn decide(
    outcome: &str,
    response: Option<Response>,
    attempt: u32,
    random: f64,
    base: f64,
    max_delay: f64,
    max_attempts: u32,
    max_server_delay: f64,
    now: Option<f64>,
) -> PyResult<Option<f64>> {
    let seconds = |s: f64, what: &str| {
        Duration::try_from_secs_f64(s).map_err(|_| {
            PyValueError::new_err(format!("{what} must be a non-negative number of seconds"))
        })
    };
    let policy = core::RetryPolicy {
        base_delay: seconds(base, "base")?,
        max_delay: seconds(max_delay, "max_delay")?,
        max_attempts,
        max_server_delay: seconds(max_server_delay, "max_server_delay")?,
    };
    let error = response.map(|(status, headers, body)| {
        core::ApiError::from_response(
            status,
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            &body,
        )
    });
    let outcome = match (outcome, &error) {
        ("error", Some(error)) => core::Outcome::Error(error),
        ("timeout", _) => core::Outcome::Timeout,
        ("connection", _) => core::Outcome::Connection,
        _ => {
            return Err(PyValueError::new_err(
                "outcome must be 'error' (with a response), 'timeout' or 'connection'",
            ));
        }
    };
    Ok(
        match policy.decide(outcome, attempt, now_from(now), random) {
            core::Decision::RetryAfter(delay) => Some(delay.as_secs_f64()),
            core::Decision::GiveUp => None,
        },
    )
}

/// The `Authorization` check: `(mode, key)`, or `ValueError` whose message is the code.
#[pyfunction]
fn check_authorization(header: Option<&Bound<'_, PyAny>>) -> PyResult<(String, String)> {
    let bytes = header.map(body_bytes).transpose()?;
    match core::check_authorization(bytes.as_deref()) {
        Ok(key) => {
            let mode = match key.mode() {
                core::KeyMode::Live => "live",
                _ => "test",
            };
            Ok((mode.to_owned(), key.expose_secret().to_owned()))
        }
        Err(code) => Err(PyValueError::new_err(code.as_str())),
    }
}

/// Every code of the API: `(code, status, retryable, default message)`.
#[pyfunction]
fn error_codes() -> Vec<(&'static str, u16, bool, &'static str)> {
    core::ErrorCode::ALL
        .iter()
        .map(|code| {
            (
                code.as_str(),
                code.status(),
                code.is_retryable(),
                code.default_message(),
            )
        })
        .collect()
}

/// Whether a string is URL-like by the contract.
#[pyfunction]
fn is_url_like(text: &str) -> bool {
    core::is_url_like(text)
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Catalogue>()?;
    module.add_class::<Workflow>()?;
    module.add_function(wrap_pyfunction!(validate, module)?)?;
    module.add_function(wrap_pyfunction!(envelope, module)?)?;
    module.add_function(wrap_pyfunction!(read_response, module)?)?;
    module.add_function(wrap_pyfunction!(decide, module)?)?;
    module.add_function(wrap_pyfunction!(check_authorization, module)?)?;
    module.add_function(wrap_pyfunction!(error_codes, module)?)?;
    module.add_function(wrap_pyfunction!(is_url_like, module)?)?;
    module.add("MAX_REPORTED_ERRORS", core::MAX_REPORTED_ERRORS)?;
    Ok(())
}
