//! The native half of the `cmfy-validate` npm package: thin napi-rs bindings of the Rust crate.
//! Everything that decides (validation, the catalogue check, reading error responses, retry
//! decisions, the Authorization check) is the crate's; the JavaScript half (`index.js`) only
//! gives it JavaScript's shapes: `Error` subclasses, getters, a `fetch` loop.
//!
//! Nothing here is the package's public API: `index.js` checks every argument's type before it
//! calls in, so these functions take exactly the types they declare.

// `deny`, not `forbid`: the `#[napi]` expansions carry their own `allow(unsafe_code)` for the
// calls into Node-API, which `forbid` would refuse; no code written here may be unsafe.
#![deny(unsafe_code)]

use std::sync::{Arc, LazyLock};
use std::time::{Duration, SystemTime};

use cmfy_validate as core;
use napi::bindgen_prelude::{AsyncTask, Buffer, Either, Either3, Env, Error, Result, Status, Task};
use napi_derive::napi;
use serde_json::Value;

/// The most problems `validateAll` returns.
#[napi]
pub const MAX_REPORTED_ERRORS: u32 = core::MAX_REPORTED_ERRORS as u32;

/// The most bytes of an error response that are read (the rest cannot change the answer).
#[napi]
pub const MAX_ERROR_BODY: u32 = core::client::MAX_ERROR_BODY as u32;

fn invalid(message: impl Into<String>) -> Error {
    Error::new(Status::InvalidArg, message.into())
}

/// A node catalogue (a `GET /object_info` snapshot), loaded once and shared by every call.
#[napi]
pub struct Catalogue {
    inner: Arc<core::catalogue::Catalogue>,
}

#[napi]
impl Catalogue {
    /// Loads a snapshot from its bytes; throws an `Error` that says why it cannot be used.
    #[napi(factory)]
    pub fn from_bytes(data: &[u8]) -> Result<Catalogue> {
        core::catalogue::Catalogue::from_object_info(data)
            .map(|catalogue| Catalogue {
                inner: Arc::new(catalogue),
            })
            .map_err(|error| invalid(error.to_string()))
    }

    /// How many classes the snapshot has.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }

    /// Every class name, in snapshot order.
    #[napi]
    pub fn class_names(&self) -> Vec<String> {
        self.inner.class_names().map(str::to_owned).collect()
    }

    /// A class as the check reads it, or `null` for an unknown class.
    #[napi]
    pub fn class_info(&self, name: String) -> Option<ClassInfo> {
        let class = self.inner.class(&name)?;
        Some(ClassInfo {
            output_node: class.is_output_node(),
            opaque: class.is_opaque(),
            outputs: class.outputs().map(str::to_owned).collect(),
            inputs: class
                .inputs()
                .map(|input| InputInfo {
                    name: input.name().to_owned(),
                    type_name: input.type_name().to_owned(),
                    required: input.is_required(),
                    options: input.options().map(Value::Array),
                })
                .collect(),
        })
    }
}

/// A class of the catalogue.
#[napi(object)]
pub struct ClassInfo {
    /// Whether ComfyUI runs it as an output (`output_node`).
    pub output_node: bool,
    /// Whether its inputs are taken as they come (a class whose inputs could not be read).
    pub opaque: bool,
    /// The types of its outputs, in slot order.
    pub outputs: Vec<String>,
    /// Its declared inputs, required first.
    pub inputs: Vec<InputInfo>,
}

/// A declared input of a class.
#[napi(object)]
pub struct InputInfo {
    pub name: String,
    /// Its type (`INT`, `MODEL`, `COMBO`, ...).
    #[napi(js_name = "type")]
    pub type_name: String,
    pub required: bool,
    /// The options of a list input, else `null`.
    pub options: Option<Value>,
}

/// What a server may change, built once per options object.
#[napi]
pub struct Policy {
    inner: core::Policy,
}

#[napi]
impl Policy {
    /// A policy; `allowedSources` are URL patterns such as `"huggingface.co/*"` (an `Error`
    /// names the first that does not parse).
    #[napi(constructor)]
    pub fn new(
        max_nodes: u32,
        check_workflow_url_hosts: bool,
        allow_private_webhooks: bool,
        catalogue: Option<&Catalogue>,
        allowed_sources: Option<Vec<String>>,
    ) -> Result<Self> {
        let mut policy = core::Policy::default()
            .with_max_nodes(usize::try_from(max_nodes).unwrap_or(usize::MAX))
            .with_workflow_url_host_check(check_workflow_url_hosts)
            .with_private_webhooks(allow_private_webhooks);
        if let Some(catalogue) = catalogue {
            policy = policy.with_catalogue(Arc::clone(&catalogue.inner));
        }
        if let Some(sources) = allowed_sources {
            let patterns = sources
                .iter()
                .map(|source| {
                    source
                        .parse::<core::UrlPattern>()
                        .map_err(|e| invalid(format!("allowedSources: {source:?}: {e}")))
                })
                .collect::<Result<Vec<_>>>()?;
            policy = policy.with_model_sources(patterns);
        }
        Ok(Policy { inner: policy })
    }
}

/// What validation hands back for an accepted request when it has a webhook URL or an
/// idempotency key (otherwise only its node count crosses, as a number: creating an object is
/// most of the cost of a call on a small body).
#[napi(object)]
pub struct Accepted {
    pub length: u32,
    /// The webhook URL, parsed and serialised, if the request had one.
    pub webhook_url: Option<String>,
    /// `idempotency_key`, if it was a string.
    pub idempotency_key: Option<String>,
}

/// The policy of a call: the caller's, or the crate's default (built once, shared).
fn policy_or_default(policy: Option<&Policy>) -> &core::Policy {
    static DEFAULT: LazyLock<core::Policy> = LazyLock::new(core::Policy::default);
    policy.map_or(&DEFAULT, |policy| &policy.inner)
}

/// Runs `f` on the workflow of a body accepted before, read again (validation is deterministic,
/// so an accepted workflow is read again only when its nodes, JSON or URLs are asked for).
fn reread<T>(
    body: &[u8],
    policy: Option<&Policy>,
    f: impl FnOnce(&core::Workflow<'_>) -> T,
) -> Result<T> {
    core::validate_with(body, policy_or_default(policy))
        .map(|workflow| f(&workflow))
        .map_err(|error| Error::from_reason(format!("the body no longer validates: {error}")))
}

/// The nodes of an accepted body in document order, their inputs as links or JSON text.
#[napi]
pub fn workflow_nodes(body: &[u8], policy: Option<&Policy>) -> Result<Vec<NodeData>> {
    reread(body, policy, |workflow| {
        workflow
            .nodes()
            .map(|node| NodeData {
                id: node.id().to_owned(),
                class_type: node.class_type().to_owned(),
                title: node.title().map(str::to_owned),
                inputs: node.inputs().iter().map(input_data).collect(),
            })
            .collect()
    })
}

/// The `prompt` of an accepted body as JSON text, equal as JSON to the one received (numbers as
/// written).
#[napi]
pub fn workflow_prompt_json(body: &[u8], policy: Option<&Policy>) -> Result<String> {
    reread(body, policy, |workflow| workflow.to_json())
}

/// Every URL-like input string of an accepted body (nested ones included), in document order.
#[napi]
pub fn workflow_urls(body: &[u8], policy: Option<&Policy>) -> Result<Vec<ModelUrl>> {
    reread(body, policy, |workflow| {
        workflow
            .urls()
            .map(|found| ModelUrl {
                node_id: found.node_id().to_owned(),
                class_type: found.class_type().to_owned(),
                input: found.input().to_owned(),
                pointer: found.pointer().to_owned(),
                url: found.url().as_str().to_owned(),
            })
            .collect()
    })
}

fn input_data(input: &core::Input<'_>) -> InputData {
    match input.value() {
        core::InputValue::Link(link) => InputData {
            name: input.name().to_owned(),
            link_node_id: Some(link.node_id().to_owned()),
            link_output: Some(link.output()),
            json: None,
        },
        core::InputValue::Literal(raw) => InputData {
            name: input.name().to_owned(),
            link_node_id: None,
            link_output: None,
            json: Some(raw.json().to_owned()),
        },
    }
}

/// A node as the JavaScript half builds it.
#[napi(object)]
pub struct NodeData {
    pub id: String,
    pub class_type: String,
    pub title: Option<String>,
    pub inputs: Vec<InputData>,
}

/// An input: a link (`linkNodeId`, `linkOutput`) or a literal's JSON text (`json`).
#[napi(object)]
pub struct InputData {
    pub name: String,
    pub link_node_id: Option<String>,
    pub link_output: Option<u32>,
    pub json: Option<String>,
}

/// A URL of the workflow: where it is, and its WHATWG serialisation.
#[napi(object)]
pub struct ModelUrl {
    pub node_id: String,
    pub class_type: String,
    pub input: String,
    pub pointer: String,
    pub url: String,
}

/// A problem of a request body.
#[napi(object)]
pub struct ErrorData {
    pub code: String,
    pub message: String,
    pub status: u32,
    pub pointer: String,
    pub details: Value,
    /// Byte offset in the body of what the problem is about.
    pub offset: f64,
}

/// The problems of a refused body.
#[napi(object)]
pub struct Problems {
    /// The first, or every one (`validateAll`), in precedence order.
    pub errors: Vec<ErrorData>,
    /// The catalogue's problems of this answer as ComfyUI's `node_errors`; `null` when the
    /// request's own rules refused it.
    pub node_errors: Option<Value>,
}

fn error_data(error: &core::ValidationError) -> ErrorData {
    ErrorData {
        code: error.code().to_owned(),
        message: error.message().to_owned(),
        status: u32::from(error.status()),
        pointer: error.pointer().to_owned(),
        details: Value::Object(error.details().clone()),
        // Offsets of a body the addon was given fit a double exactly.
        offset: error.offset() as f64,
    }
}

/// The catalogue's problems as ComfyUI's `node_errors`, when `errors` are the catalogue's (the
/// request itself was valid, so it reads again without the catalogue).
fn node_errors(
    body: &[u8],
    policy: &core::Policy,
    errors: &[core::ValidationError],
) -> Option<Value> {
    let catalogue = policy.catalogue()?;
    let first = errors.first()?.error_code().precedence()?;
    if first < core::ErrorCode::MissingNodeType.precedence()? {
        return None;
    }
    let workflow = core::validate_with(body, &policy.clone().without_catalogue()).ok()?;
    Some(Value::Object(catalogue.node_errors(&workflow, errors)))
}

/// Validates `body`: an accepted request's node count (when that is all it has), the request,
/// or its first problem (every one, with `all`).
fn judge(body: &[u8], policy: &core::Policy, all: bool) -> Either3<u32, Accepted, Problems> {
    let result = if all {
        core::validate_all(body, policy)
    } else {
        core::validate_with(body, policy).map_err(|error| vec![error])
    };
    match result {
        Ok(workflow) => {
            let length = u32::try_from(workflow.len()).unwrap_or(u32::MAX);
            match (workflow.webhook_url(), workflow.idempotency_key()) {
                (None, None) => Either3::A(length),
                (url, key) => Either3::B(Accepted {
                    length,
                    webhook_url: url.map(|url| url.as_str().to_owned()),
                    idempotency_key: key.map(str::to_owned),
                }),
            }
        }
        Err(errors) => Either3::C(Problems {
            node_errors: node_errors(body, policy, &errors),
            errors: errors.iter().map(error_data).collect(),
        }),
    }
}

/// Validates a body given as bytes.
#[napi]
pub fn validate_bytes(
    body: &[u8],
    policy: Option<&Policy>,
    all: bool,
) -> Either3<u32, Accepted, Problems> {
    judge(body, policy_or_default(policy), all)
}

/// Validates a body given as a string (its UTF-8).
#[napi]
pub fn validate_string(
    body: String,
    policy: Option<&Policy>,
    all: bool,
) -> Either3<u32, Accepted, Problems> {
    judge(body.as_bytes(), policy_or_default(policy), all)
}

/// A body judged on a thread of libuv's pool: the caller's buffer (the package hands over a
/// copy of its own, which nothing else writes), and a copy of the policy (a catalogue is
/// shared, not copied).
pub struct Judging {
    body: Buffer,
    policy: core::Policy,
    all: bool,
}

impl Task for Judging {
    type Output = Either3<u32, Accepted, Problems>;
    type JsValue = Either3<u32, Accepted, Problems>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(judge(&self.body, &self.policy, self.all))
    }

    fn resolve(&mut self, _env: Env, answer: Self::Output) -> Result<Self::JsValue> {
        Ok(answer)
    }
}

/// Validates a body off the main thread: the promise of `validateBytes`' answer.
#[napi(ts_return_type = "Promise<number | Accepted | Problems>")]
pub fn validate_in_background(
    body: Buffer,
    policy: Option<&Policy>,
    all: bool,
) -> AsyncTask<Judging> {
    AsyncTask::new(Judging {
        body,
        policy: policy_or_default(policy).clone(),
        all,
    })
}

/// Seconds per call of the crate's `validate` on `body`, timed in Rust over `calls` calls: the
/// baseline the package's benchmark sets its own cost beside, in the same process and run.
#[napi]
pub fn time_rust_validate(body: &[u8], calls: u32) -> f64 {
    let start = std::time::Instant::now();
    for _ in 0..calls {
        std::hint::black_box(core::validate(std::hint::black_box(body)).is_ok());
    }
    start.elapsed().as_secs_f64() / f64::from(calls.max(1))
}

/// The envelope of an error, as JSON text.
#[napi]
pub fn envelope(
    code: String,
    message: String,
    details: Value,
    request_id: Option<String>,
) -> Result<String> {
    let Value::Object(details) = details else {
        return Err(invalid("details must be an object"));
    };
    let error = serde_json::from_value(serde_json::json!({"code": code, "message": message}))
        .map_err(|e| invalid(e.to_string()))?;
    let mut body = core::ErrorBody { error }.with_details(details);
    if let Some(id) = request_id {
        body = body.with_request_id(id);
    }
    Ok(body.to_json())
}

fn now_from(seconds: Option<f64>) -> SystemTime {
    seconds
        .and_then(core::client::unix_time)
        .unwrap_or_else(SystemTime::now)
}

/// An error response as `ApiError::from_response` reads it.
#[napi(object)]
pub struct ResponseData {
    pub status: u32,
    /// `Authentication`, `Authorization`, `Validation`, `NotFound`, `RateLimit`, `Server` or
    /// `Other`.
    pub kind: String,
    pub code: Option<String>,
    pub message: String,
    pub details: Value,
    pub request_id: Option<String>,
    /// The server's delay in seconds, from the envelope or `Retry-After`.
    pub retry_after: Option<f64>,
    /// The limit headers the response carried.
    pub limits: LimitData,
}

/// A rate-limit window (`X-RateLimit-*`); numbers as doubles, exact below 2^53.
#[napi(object)]
pub struct RateWindowData {
    pub limit: f64,
    pub remaining: f64,
    /// When the window resets, in Unix seconds.
    pub reset: f64,
}

/// A capacity and how much of it is in use (`X-Concurrent-*`, `X-Queue-*`).
#[napi(object)]
pub struct UsageData {
    pub limit: f64,
    pub current: f64,
}

/// The limit headers of a response; a group is `null` unless all its headers were there.
#[napi(object)]
pub struct LimitData {
    pub rate: Option<RateWindowData>,
    pub concurrent: Option<UsageData>,
    pub queue: Option<UsageData>,
}

// Header values are u64; a double holds them exactly below 2^53, and no real limit is larger.
#[allow(clippy::cast_precision_loss)]
fn limit_data(limits: &core::rate_limits::LimitHeaders) -> LimitData {
    let usage = |usage: core::rate_limits::Usage| UsageData {
        limit: usage.limit as f64,
        current: usage.current as f64,
    };
    LimitData {
        rate: limits.rate.map(|rate| RateWindowData {
            limit: rate.limit as f64,
            remaining: rate.remaining as f64,
            reset: rate.reset as f64,
        }),
        concurrent: limits.concurrent.map(usage),
        queue: limits.queue.map(usage),
    }
}

/// The limit headers among headers given as two parallel lists.
#[napi]
pub fn limit_headers(names: Vec<String>, values: Vec<String>) -> LimitData {
    limit_data(&core::rate_limits::LimitHeaders::from_headers(pairs(
        &names, &values,
    )))
}

/// Headers given as two parallel lists, as `(name, value)` pairs.
fn pairs<'h>(
    names: &'h [String],
    values: &'h [String],
) -> impl Iterator<Item = (&'h str, &'h str)> {
    names
        .iter()
        .zip(values)
        .map(|(name, value)| (name.as_str(), value.as_str()))
}

fn api_error(
    status: u32,
    names: &[String],
    values: &[String],
    head: &[u8],
    len: usize,
) -> core::client::ApiError {
    let status = u16::try_from(status).unwrap_or(u16::MAX);
    core::client::ApiError::from_response_head(status, pairs(names, values), head, len)
}

/// Reads any response (status, headers as two parallel lists, the body's first bytes and its
/// whole length, when longer) as the API's error.
#[napi]
pub fn read_response(
    status: u32,
    names: Vec<String>,
    values: Vec<String>,
    head: &[u8],
    len: Option<f64>,
    now: Option<f64>,
) -> ResponseData {
    // A length from JavaScript is a double: one past usize is huge, one that is not a
    // length at all (negative, NaN) is ignored.
    let len = match len {
        Some(len) if len >= 0.0 && len < usize::MAX as f64 => len as usize,
        Some(len) if len >= 0.0 => usize::MAX,
        _ => head.len(),
    };
    let error = api_error(status, &names, &values, head, len);
    ResponseData {
        status: u32::from(error.status()),
        kind: format!("{:?}", error.kind()),
        code: error.code().map(str::to_owned),
        message: error.message().to_owned(),
        details: Value::Object(error.details().clone()),
        request_id: error.request_id().map(str::to_owned),
        retry_after: error.retry_after(now_from(now)).map(|d| d.as_secs_f64()),
        limits: limit_data(error.limits()),
    }
}

/// The retry policy's numbers, in seconds.
#[napi(object)]
pub struct RetrySettings {
    pub base: f64,
    pub max_delay: f64,
    pub max_attempts: u32,
    pub max_server_delay: f64,
}

/// `RetryPolicy::decide`: seconds to wait, or `null` to give up. `outcome` is `"error"` (with
/// `status` and the envelope in `body`), `"timeout"` or `"connection"`.
#[napi]
pub fn decide(
    settings: RetrySettings,
    outcome: String,
    status: u32,
    body: &[u8],
    attempt: u32,
    random: f64,
    now: Option<f64>,
) -> Result<Option<f64>> {
    let seconds = |s: f64, what: &str| {
        Duration::try_from_secs_f64(s)
            .map_err(|_| invalid(format!("{what} must be a non-negative number of seconds")))
    };
    let policy = core::client::RetryPolicy {
        base_delay: seconds(settings.base, "base")?,
        max_delay: seconds(settings.max_delay, "maxDelay")?,
        max_attempts: settings.max_attempts,
        max_server_delay: seconds(settings.max_server_delay, "maxServerDelay")?,
    };
    let error = api_error(status, &[], &[], body, body.len());
    let outcome = match outcome.as_str() {
        "error" => core::client::Outcome::Error(&error),
        "timeout" => core::client::Outcome::Timeout,
        "connection" => core::client::Outcome::Connection,
        _ => {
            return Err(invalid(
                "outcome must be 'error', 'timeout' or 'connection'",
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

/// A key that passed the `Authorization` check.
#[napi(object)]
pub struct KeyData {
    /// `"live"` or `"test"`.
    pub mode: String,
    pub secret: String,
}

/// The `Authorization` check: the key, or the error code as a string.
#[napi]
pub fn check_authorization(header: Option<&[u8]>) -> Either<KeyData, String> {
    match core::auth::check_authorization(header) {
        Ok(key) => Either::A(KeyData {
            mode: match key.mode() {
                core::auth::KeyMode::Live => "live",
                _ => "test",
            }
            .to_owned(),
            secret: key.expose_secret().to_owned(),
        }),
        Err(code) => Either::B(code.as_str().to_owned()),
    }
}

/// A code of the API's catalogue.
#[napi(object)]
pub struct CodeData {
    pub code: String,
    pub status: u32,
    pub retryable: bool,
    pub default_message: String,
    /// Its row in the precedence table (the 400s and the catalogue's codes), else `null`.
    pub precedence: Option<u32>,
}

/// Every code of the API, in the crate's order.
#[napi]
pub fn error_codes() -> Vec<CodeData> {
    core::ErrorCode::ALL
        .iter()
        .map(|code| CodeData {
            code: code.as_str().to_owned(),
            status: u32::from(code.status()),
            retryable: code.is_retryable(),
            default_message: code.default_message().to_owned(),
            precedence: code.precedence().and_then(|row| u32::try_from(row).ok()),
        })
        .collect()
}

/// Every key a validation error's `details` can have, from the crate's one table.
#[napi]
pub fn detail_keys() -> Vec<&'static str> {
    core::Detail::ALL.iter().map(|key| key.as_str()).collect()
}

/// Whether a string is URL-like by the contract.
#[napi]
pub fn is_url_like(text: String) -> bool {
    core::is_url_like(&text)
}
