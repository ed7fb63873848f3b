//! A minimal job API in front of a GPU queue: `POST /v1/jobs` checks the key and validates the
//! body with cmfy-validate; `GET /v1/jobs/{id}` reads a job back. Errors go out in the API's
//! envelope, with the status, `X-Request-Id` and, for 429s, `Retry-After`. With
//! `--object-info FILE`, workflows are also checked against that node catalogue (a
//! `GET /object_info` snapshot), as a GPU worker would judge them.
//!
//! ```text
//! cargo run --example server -- 8080
//! cargo run --example server -- 8080 --object-info examples/catalogue/object_info.json
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use cmfy_validate::{
    ErrorBody, ErrorCode, Policy, auth::check_authorization, catalogue::Catalogue, validate_with,
};

/// A test key that the demo server accepts; print it so the example can be tried by hand.
pub const DEMO_KEY: &str = "sk_test_DEMOkey0DEMOkey0DEMOkey0DEMOkey0DEMOkey0DEM";
/// A key the demo server knows as revoked.
pub const REVOKED_KEY: &str = "sk_test_REVOKEDkeyREVOKEDkeyREVOKEDkeyREVOKEDkeyREV";

#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyStatus {
    Active,
    Revoked,
}

struct Store {
    keys: HashMap<String, KeyStatus>,
    jobs: HashMap<String, String>,
    requests: u64,
}

/// The server's state: keys and jobs in memory, and the validation policy.
#[derive(Clone)]
pub struct AppState(Arc<Mutex<Store>>, Arc<Policy>);

impl AppState {
    /// A store that knows `active` and `revoked` keys.
    pub fn new(active: &[&str], revoked: &[&str]) -> Self {
        let keys = active
            .iter()
            .map(|k| (k.to_string(), KeyStatus::Active))
            .chain(revoked.iter().map(|k| (k.to_string(), KeyStatus::Revoked)))
            .collect();
        AppState(
            Arc::new(Mutex::new(Store {
                keys,
                jobs: HashMap::new(),
                requests: 0,
            })),
            Arc::new(Policy::default()),
        )
    }

    /// The same store, validating under `policy` (with a catalogue, say).
    pub fn with_policy(self, policy: Policy) -> Self {
        AppState(self.0, Arc::new(policy))
    }

    fn with<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn next_request_id(&self) -> String {
        self.with(|store| {
            store.requests += 1;
            format!("req_{:06}", store.requests)
        })
    }

    /// The key's status in the store, after the crate has checked the header's form.
    fn authorize(&self, headers: &HeaderMap) -> Result<(), ErrorCode> {
        let key = check_authorization(
            headers
                .get(header::AUTHORIZATION)
                .map(HeaderValue::as_bytes),
        )?;
        match self.with(|store| store.keys.get(key.expose_secret()).copied()) {
            Some(KeyStatus::Active) => Ok(()),
            Some(KeyStatus::Revoked) => Err(ErrorCode::RevokedApiKey),
            None => Err(ErrorCode::InvalidApiKey),
        }
    }
}

/// The routes.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/v1/jobs", post(create_job))
        .route("/v1/jobs/{id}", get(get_job))
        .with_state(state)
}

fn json_response(
    status: StatusCode,
    request_id: &str,
    headers: Vec<(&'static str, String)>,
    body: String,
) -> Response {
    let mut response = (status, body).into_response();
    let map = response.headers_mut();
    for (name, value) in headers
        .into_iter()
        .chain([("X-Request-Id", request_id.to_owned())])
    {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            map.insert(name, value);
        }
    }
    map.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn error_response(body: ErrorBody, request_id: &str) -> Response {
    let body = body.with_request_id(request_id);
    let status = StatusCode::from_u16(body.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json_response(status, request_id, body.headers(), body.to_json())
}

async fn create_job(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let request_id = state.next_request_id();
    if let Err(code) = state.authorize(&headers) {
        return error_response(ErrorBody::new(code), &request_id);
    }
    let workflow = match validate_with(&body, &state.1) {
        Ok(workflow) => workflow,
        Err(error) => return error_response(ErrorBody::from_validation(&error, None), &request_id),
    };
    let job_id = state.with(|store| {
        let id = format!("job_{:06}", store.jobs.len() + 1);
        store.jobs.insert(id.clone(), "queued".to_owned());
        id
    });
    let body = serde_json::json!({"job_id": job_id, "status": "queued", "nodes": workflow.len()})
        .to_string();
    json_response(StatusCode::ACCEPTED, &request_id, Vec::new(), body)
}

async fn get_job(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let request_id = state.next_request_id();
    if let Err(code) = state.authorize(&headers) {
        return error_response(ErrorBody::new(code), &request_id);
    }
    match state.with(|store| store.jobs.get(&id).cloned()) {
        Some(status) => {
            let body = serde_json::json!({"job_id": id, "status": status}).to_string();
            json_response(StatusCode::OK, &request_id, Vec::new(), body)
        }
        None => error_response(ErrorBody::new(ErrorCode::JobNotFound), &request_id),
    }
}

/// `[PORT] [--object-info FILE]`.
fn arguments() -> Result<(u16, Option<String>), String> {
    let (mut port, mut object_info) = (8080, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--object-info" => object_info = Some(args.next().ok_or("--object-info needs a FILE")?),
            other => port = other.parse().map_err(|_| format!("not a port: {other}"))?,
        }
    }
    Ok((port, object_info))
}

#[tokio::main]
#[allow(dead_code)]
async fn main() -> std::io::Result<()> {
    let (port, object_info) = arguments().unwrap_or_else(|error| {
        eprintln!("server: {error}\nusage: server [PORT] [--object-info FILE]");
        std::process::exit(2);
    });
    let mut policy = Policy::default();
    if let Some(path) = object_info {
        let snapshot = std::fs::read(&path)?;
        let catalogue = Catalogue::from_object_info(&snapshot).unwrap_or_else(|error| {
            eprintln!("server: {path}: {error}");
            std::process::exit(2);
        });
        println!(
            "checking workflows against {} classes from {path}",
            catalogue.len()
        );
        policy = policy.with_catalogue(Arc::new(catalogue));
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    println!("try: Authorization: Bearer {DEMO_KEY}");
    let state = AppState::new(&[DEMO_KEY], &[REVOKED_KEY]).with_policy(policy);
    axum::serve(listener, app(state)).await
}
