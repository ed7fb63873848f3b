//! The native half of the `cmfy_validate` Python package: thin bindings of the Rust crate.
//! Everything that decides (validation, the catalogue check, reading error responses, retry
//! decisions, the Authorization check) is the crate's; the Python half only gives it
//! Pythonic shapes (`cmfy_validate/__init__.py`).

#![forbid(unsafe_code)]

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use cmfy_validate as core;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyMemoryView, PyString};

/// Bodies at least this long are validated with the GIL released, so threads run in parallel;
/// below it, releasing costs more than it frees.
const RELEASE_GIL_FROM: usize = 4096;

/// A node catalogue (`GET /object_info` snapshot), loaded once and shared by every thread.
#[pyclass(frozen, module = "cmfy_validate._native")]
struct Catalogue(Arc<core::catalogue::Catalogue>);

#[pymethods]
impl Catalogue {
    /// Loads a snapshot; raises `ValueError` with the reason if it cannot be used.
    #[staticmethod]
    fn from_object_info(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let bytes = body_bytes(data)?;
        let loaded = py.detach(|| core::catalogue::Catalogue::from_object_info(&bytes));
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

/// The Python classes the native half builds its answers with, defined in
/// `cmfy_validate/__init__.py` and handed over once at import (`_register`).
struct Classes {
    node: Py<PyAny>,
    link: Py<PyAny>,
    model_url: Py<PyAny>,
    /// Makes a `ValidationError` from an error's data.
    validation_error: Py<PyAny>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES
        .get(py)
        .ok_or_else(|| PyRuntimeError::new_err("cmfy_validate._native used without cmfy_validate"))
}

/// Hands over the Python classes answers are built with (called once, by `cmfy_validate`).
#[pyfunction(name = "_register")]
fn register(
    py: Python<'_>,
    node: Py<PyAny>,
    link: Py<PyAny>,
    model_url: Py<PyAny>,
    validation_error: Py<PyAny>,
) {
    let _ = CLASSES.set(
        py,
        Classes {
            node,
            link,
            model_url,
            validation_error,
        },
    );
}

/// An accepted request: its nodes in document order, `webhook_url`, `idempotency_key`, the
/// prompt as JSON (`to_json()`) or as a dict (`prompt`, built when first asked for), and every
/// model URL (`urls()`).
///
/// It keeps the body (a `bytes` object by reference, other types as a copy) and the policy,
/// and reads the workflow again when asked for its nodes, its JSON or its URLs: validation is
/// deterministic, and a server that only forwards the body pays for none of it.
#[pyclass(frozen, module = "cmfy_validate")]
struct Workflow {
    body: Body,
    policy: core::Policy,
    len: usize,
    webhook_url: Option<String>,
    idempotency_key: Option<String>,
    nodes: PyOnceLock<Py<PyList>>,
    prompt: PyOnceLock<Py<PyAny>>,
}

enum Body {
    Bytes(Py<PyBytes>),
    Owned(Vec<u8>),
}

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

    /// The nodes as `Node` objects, their inputs as `(name, link, literal)`: a link as a
    /// `Link`, anything else as its JSON text (the Python side decodes it when asked).
    fn build_nodes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let classes = classes(py)?;
        let data = self.with(py, |workflow| {
            workflow
                .nodes()
                .map(|node| {
                    let inputs: Vec<InputData> = node
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
                .collect::<Vec<_>>()
        })?;
        let list = PyList::empty(py);
        for (id, class_type, title, inputs) in data {
            let inputs = inputs
                .into_iter()
                .map(|(name, link, literal)| {
                    let link = link
                        .map(|link| classes.link.bind(py).call1(link))
                        .transpose()?;
                    Ok((name, link, literal))
                })
                .collect::<PyResult<Vec<_>>>()?;
            list.append(
                classes
                    .node
                    .bind(py)
                    .call1((id, class_type, title, inputs))?,
            )?;
        }
        Ok(list)
    }
}

/// A node's input as `(name, link, literal)`: a link as `(node id, output)`, anything else as
/// its JSON text.
type InputData = (String, Option<(String, u32)>, Option<String>);

#[pymethods]
impl Workflow {
    fn __len__(&self) -> usize {
        self.len
    }

    fn __repr__(&self) -> String {
        format!("Workflow({} nodes)", self.len)
    }

    /// The nodes (`Node`), in the order they appear in the body; built when first asked for.
    #[getter]
    fn nodes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.nodes
            .get_or_try_init(py, || self.build_nodes(py).map(Bound::unbind))
            .map(|nodes| nodes.bind(py).clone())
    }

    /// The node with this id, if any.
    fn node<'py>(&self, py: Python<'py>, node_id: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        for node in self.nodes(py)?.iter() {
            if node.getattr("id")?.eq(node_id)? {
                return Ok(Some(node));
            }
        }
        Ok(None)
    }

    /// The webhook URL, parsed and serialised, if the request had one.
    #[getter]
    fn webhook_url(&self) -> Option<&str> {
        self.webhook_url.as_deref()
    }

    /// `idempotency_key`, if it was a string.
    #[getter]
    fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// The `prompt` as JSON text, equal as JSON to the one received (numbers as written).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |workflow| workflow.to_json())
    }

    /// The `prompt` as a dict, built the first time it is asked for.
    #[getter]
    fn prompt<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.prompt
            .get_or_try_init(py, || {
                let text = self.to_json(py)?;
                Ok::<_, PyErr>(py.import("json")?.call_method1("loads", (text,))?.unbind())
            })
            .map(|prompt| prompt.bind(py).clone())
    }

    /// Every URL-like input string (nested ones included), in document order, as `ModelUrl`.
    fn urls<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let classes = classes(py)?;
        let found = self.with(py, |workflow| {
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
                .collect::<Vec<_>>()
        })?;
        found
            .into_iter()
            .map(|url| classes.model_url.bind(py).call1(url))
            .collect()
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
    catalogue: Option<&Bound<'_, PyAny>>,
    sources: Option<&Bound<'_, PyAny>>,
) -> PyResult<core::Policy> {
    let mut policy = core::Policy::default()
        .with_max_nodes(max_nodes)
        .with_workflow_url_host_check(check_hosts)
        .with_private_webhooks(private_webhooks);
    if let Some(catalogue) = catalogue {
        policy = policy.with_catalogue(native_catalogue(catalogue)?);
    }
    if let Some(sources) = sources {
        let mut patterns = Vec::new();
        for source in sources.try_iter()? {
            let source: String = source?.extract()?;
            let pattern = source
                .parse::<core::UrlPattern>()
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            patterns.push(pattern);
        }
        policy = policy.with_model_sources(patterns);
    }
    Ok(policy)
}

/// The crate's catalogue behind a `Catalogue` (the Python one, or the native one it wraps).
fn native_catalogue(catalogue: &Bound<'_, PyAny>) -> PyResult<Arc<core::catalogue::Catalogue>> {
    let native = match catalogue.cast::<Catalogue>() {
        Ok(native) => native.clone(),
        Err(_) => catalogue
            .getattr("_native")
            .ok()
            .and_then(|native| native.cast_into::<Catalogue>().ok())
            .ok_or_else(|| PyTypeError::new_err("catalogue must be a Catalogue"))?,
    };
    Ok(native.get().0.clone())
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

/// Validates `body` under `policy`: the workflow, or every problem (`all`) or the first.
fn run(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    policy: core::Policy,
    all: bool,
) -> PyResult<Result<Workflow, Vec<ErrorData>>> {
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
    Ok(outcome.map(|(len, webhook_url, idempotency_key)| Workflow {
        body: kept,
        policy,
        len,
        webhook_url,
        idempotency_key,
        nodes: PyOnceLock::new(),
        prompt: PyOnceLock::new(),
    }))
}

/// A `ValidationError` (the Python class) from an error's data.
fn validation_error<'py>(py: Python<'py>, data: ErrorData) -> PyResult<Bound<'py, PyAny>> {
    classes(py)?.validation_error.bind(py).call1((data,))
}

/// Validates a `POST /v1/jobs` body; returns the `Workflow` or raises the one
/// `ValidationError` the API answers with. With `catalogue`, the workflow is also checked
/// against the server's nodes (the request's codes always come first). With
/// `allowed_sources` (URL patterns such as `"huggingface.co/*"`), workflow URLs must come from
/// them. A large body is validated with the GIL released.
///
/// Raises `TypeError` for a body of another type, `OverflowError` for a negative `max_nodes`
/// and `ValueError` for a pattern that does not parse.
#[pyfunction]
#[pyo3(signature = (
    body, *, max_nodes=500, check_workflow_url_hosts=true, allow_private_webhooks=false,
    catalogue=None, allowed_sources=None
))]
fn validate(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    max_nodes: usize,
    check_workflow_url_hosts: bool,
    allow_private_webhooks: bool,
    catalogue: Option<&Bound<'_, PyAny>>,
    allowed_sources: Option<&Bound<'_, PyAny>>,
) -> PyResult<Workflow> {
    let policy = policy(
        max_nodes,
        check_workflow_url_hosts,
        allow_private_webhooks,
        catalogue,
        allowed_sources,
    )?;
    match run(py, body, policy, false)? {
        Ok(workflow) => Ok(workflow),
        Err(errors) => {
            let first = errors.into_iter().next().ok_or_else(|| {
                PyRuntimeError::new_err("a refused body came back with no problem")
            })?;
            Err(PyErr::from_value(validation_error(py, first)?))
        }
    }
}

/// Every problem of a body, in precedence order (at most `MAX_REPORTED_ERRORS`), as
/// `ValidationError`s; the first is what `validate` raises. Empty when the body is valid.
#[pyfunction]
#[pyo3(signature = (
    body, *, max_nodes=500, check_workflow_url_hosts=true, allow_private_webhooks=false,
    catalogue=None, allowed_sources=None
))]
fn validate_all<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    max_nodes: usize,
    check_workflow_url_hosts: bool,
    allow_private_webhooks: bool,
    catalogue: Option<&Bound<'py, PyAny>>,
    allowed_sources: Option<&Bound<'py, PyAny>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let policy = policy(
        max_nodes,
        check_workflow_url_hosts,
        allow_private_webhooks,
        catalogue,
        allowed_sources,
    )?;
    match run(py, body, policy, true)? {
        Ok(_) => Ok(Vec::new()),
        Err(errors) => errors
            .into_iter()
            .map(|data| validation_error(py, data))
            .collect(),
    }
}

/// Seconds per call of the crate's `validate` on `body`, timed in Rust over `calls` calls: the
/// baseline the package's benchmark sets its own cost beside, in the same process and run.
#[pyfunction(name = "_time_rust_validate")]
fn time_rust_validate(py: Python<'_>, body: &[u8], calls: u32) -> f64 {
    py.detach(|| {
        let start = std::time::Instant::now();
        for _ in 0..calls {
            std::hint::black_box(core::validate(std::hint::black_box(body)).is_ok());
        }
        start.elapsed().as_secs_f64() / f64::from(calls.max(1))
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
    seconds
        .and_then(core::client::unix_time)
        .unwrap_or_else(SystemTime::now)
}

/// A response read by `ApiError::from_response`: `(status, kind, code, message, details JSON,
/// request_id, retry_after seconds, limit headers)`.
type ResponseData = (
    u16,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<f64>,
    LimitData,
);

#[pyfunction]
#[pyo3(signature = (status, headers, body, now=None))]
fn read_response(
    status: u16,
    headers: Vec<(String, String)>,
    body: &[u8],
    now: Option<f64>,
) -> ResponseData {
    let error = core::client::ApiError::from_response(
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
        limit_data(error.limits()),
    )
}

/// Limit headers: `(rate, concurrent, queue)`, as `(limit, remaining, reset)`,
/// `(limit, current)` and `(limit, current)`, each `None` unless whole.
type LimitData = (
    Option<(u64, u64, u64)>,
    Option<(u64, u64)>,
    Option<(u64, u64)>,
);

/// The limit headers among `headers` (those of a response `read_response` is not asked about).
#[pyfunction]
fn limit_headers(headers: Vec<(String, String)>) -> LimitData {
    limit_data(&core::rate_limits::LimitHeaders::from_headers(
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ))
}

fn limit_data(limits: &core::rate_limits::LimitHeaders) -> LimitData {
    let usage = |usage: core::rate_limits::Usage| (usage.limit, usage.current);
    (
        limits
            .rate
            .map(|rate| (rate.limit, rate.remaining, rate.reset)),
        limits.concurrent.map(usage),
        limits.queue.map(usage),
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
    let policy = core::client::RetryPolicy {
        base_delay: seconds(base, "base")?,
        max_delay: seconds(max_delay, "max_delay")?,
        max_attempts,
        max_server_delay: seconds(max_server_delay, "max_server_delay")?,
    };
    let error = response.map(|(status, headers, body)| {
        core::client::ApiError::from_response(
            status,
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            &body,
        )
    });
    let outcome = match (outcome, &error) {
        ("error", Some(error)) => core::client::Outcome::Error(error),
        ("timeout", _) => core::client::Outcome::Timeout,
        ("connection", _) => core::client::Outcome::Connection,
        _ => {
            return Err(PyValueError::new_err(
                "outcome must be 'error' (with a response), 'timeout' or 'connection'",
            ));
        }
    };
    Ok(
        match policy.decide(outcome, attempt, now_from(now), random) {
            core::client::Decision::RetryAfter(delay) => Some(delay.as_secs_f64()),
            core::client::Decision::GiveUp => None,
        },
    )
}

/// The `Authorization` check: `(mode, key)`, or `ValueError` whose message is the code.
#[pyfunction]
fn check_authorization(header: Option<&Bound<'_, PyAny>>) -> PyResult<(String, String)> {
    let bytes = header.map(body_bytes).transpose()?;
    match core::auth::check_authorization(bytes.as_deref()) {
        Ok(key) => {
            let mode = match key.mode() {
                core::auth::KeyMode::Live => "live",
                _ => "test",
            };
            Ok((mode.to_owned(), key.expose_secret().to_owned()))
        }
        Err(code) => Err(PyValueError::new_err(code.as_str())),
    }
}

/// Every key a validation error's `details` can have, from the crate's one table.
#[pyfunction]
fn detail_keys() -> Vec<&'static str> {
    core::Detail::ALL.iter().map(|key| key.as_str()).collect()
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
    module.add_function(wrap_pyfunction!(validate_all, module)?)?;
    module.add_function(wrap_pyfunction!(register, module)?)?;
    module.add_function(wrap_pyfunction!(time_rust_validate, module)?)?;
    module.add_function(wrap_pyfunction!(envelope, module)?)?;
    module.add_function(wrap_pyfunction!(read_response, module)?)?;
    module.add_function(wrap_pyfunction!(limit_headers, module)?)?;
    module.add_function(wrap_pyfunction!(decide, module)?)?;
    module.add_function(wrap_pyfunction!(check_authorization, module)?)?;
    module.add_function(wrap_pyfunction!(error_codes, module)?)?;
    module.add_function(wrap_pyfunction!(detail_keys, module)?)?;
    module.add_function(wrap_pyfunction!(is_url_like, module)?)?;
    module.add("MAX_REPORTED_ERRORS", core::MAX_REPORTED_ERRORS)?;
    Ok(())
}
