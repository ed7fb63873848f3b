//! Real HTTP: the example server on 127.0.0.1 answers every code it can produce, byte for byte,
//! and the example client retries against scripted servers with a fake clock.

#[allow(dead_code)]
#[path = "../../examples/server.rs"]
mod server;

#[allow(dead_code)]
#[path = "../../examples/client.rs"]
mod client;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use cmfy_validate::client::RetryPolicy;

/// Serves `router` on 127.0.0.1 at a free port; returns the base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

/// One request to the example server and the exact answer expected.
struct Exchange {
    method: &'static str,
    path: &'static str,
    auth: Option<String>,
    body: String,
    status: u16,
    response: &'static str,
}

fn post(auth: Option<String>, body: &str, status: u16, response: &'static str) -> Exchange {
    Exchange {
        method: "POST",
        path: "/v1/jobs",
        auth,
        body: body.to_owned(),
        status,
        response,
    }
}

fn get(path: &'static str, auth: Option<String>, status: u16, response: &'static str) -> Exchange {
    Exchange {
        method: "GET",
        path,
        auth,
        body: String::new(),
        status,
        response,
    }
}

fn bearer(key: &str) -> Option<String> {
    Some(format!("Bearer {key}"))
}

fn too_many_nodes() -> String {
    let nodes: Vec<String> = (0..501)
        .map(|i| format!(r#""{i}": {{"class_type": "A", "inputs": {{}}}}"#))
        .collect();
    format!(r#"{{"prompt": {{{}}}}}"#, nodes.join(","))
}

#[tokio::test]
async fn the_server_answers_every_code_byte_for_byte() {
    let base = serve(server::app(server::AppState::new(
        &[server::DEMO_KEY],
        &[server::REVOKED_KEY],
    )))
    .await;
    let key = || bearer(server::DEMO_KEY);
    let unknown = format!("sk_live_{}", "u".repeat(43));
    let exchanges = [
        post(
            None,
            "{}",
            401,
            r#"{"error":{"code":"missing_auth","message":"Missing Authorization header","details":{},"request_id":"req_000001"}}"#,
        ),
        post(
            Some("Basic dXNlcjpwYXNz".into()),
            "{}",
            401,
            r#"{"error":{"code":"invalid_auth_format","message":"Authorization header must be 'Bearer <api_key>'","details":{},"request_id":"req_000002"}}"#,
        ),
        post(
            bearer("sk_live_short"),
            "{}",
            401,
            r#"{"error":{"code":"invalid_api_key","message":"Invalid API key","details":{},"request_id":"req_000003"}}"#,
        ),
        post(
            bearer(&unknown),
            "{}",
            401,
            r#"{"error":{"code":"invalid_api_key","message":"Invalid API key","details":{},"request_id":"req_000004"}}"#,
        ),
        post(
            bearer(server::REVOKED_KEY),
            "{}",
            401,
            r#"{"error":{"code":"revoked_api_key","message":"API key has been revoked","details":{},"request_id":"req_000005"}}"#,
        ),
        post(
            key(),
            r#"{"prompt": {}"#,
            400,
            r#"{"error":{"code":"invalid_json","message":"Request body is not valid JSON","details":{"column":14,"line":1,"pointer":"","reason":"expected ',' or '}' after an object member"},"request_id":"req_000006"}}"#,
        ),
        post(
            key(),
            r#"{"webhook_url": null}"#,
            400,
            r#"{"error":{"code":"missing_prompt","message":"Required 'prompt' field missing","details":{"found":"nothing","pointer":""},"request_id":"req_000007"}}"#,
        ),
        post(
            key(),
            r#"{"prompt": "x"}"#,
            400,
            r#"{"error":{"code":"invalid_prompt_type","message":"'prompt' must be an object","details":{"found":"string","pointer":"/prompt"},"request_id":"req_000008"}}"#,
        ),
        post(
            key(),
            r#"{"prompt": {}}"#,
            400,
            r#"{"error":{"code":"empty_workflow","message":"Workflow has no nodes","details":{"pointer":"/prompt"},"request_id":"req_000009"}}"#,
        ),
        post(
            key(),
            &too_many_nodes(),
            400,
            r#"{"error":{"code":"too_many_nodes","message":"Workflow exceeds 500 nodes","details":{"max_nodes":500,"node_count":501,"pointer":"/prompt"},"request_id":"req_000010"}}"#,
        ),
        post(
            key(),
            r#"{"prompt": {"7": {"inputs": {}}}}"#,
            400,
            r#"{"error":{"code":"missing_class_type","message":"Node missing 'class_type'","details":{"node_id":"7","pointer":"/prompt/7"},"request_id":"req_000011"}}"#,
        ),
        post(
            key(),
            r#"{"prompt": {"7": {"class_type": "A"}}}"#,
            400,
            r#"{"error":{"code":"missing_inputs","message":"Node missing 'inputs'","details":{"node_id":"7","pointer":"/prompt/7"},"request_id":"req_000012"}}"#,
        ),
        post(
            key(),
            r#"{"prompt": {"7": {"class_type": "A", "inputs": {"u": "https://"}}}}"#,
            400,
            r#"{"error":{"code":"invalid_url","message":"URL in workflow is invalid","details":{"input":"u","node_id":"7","pointer":"/prompt/7/inputs/u","reason":"empty host"},"request_id":"req_000013"}}"#,
        ),
        post(
            key(),
            r#"{"prompt": {"7": {"class_type": "A", "inputs": {"u": ["http://x.example/a"]}}}}"#,
            400,
            r#"{"error":{"code":"insecure_url","message":"Only HTTPS URLs are allowed","details":{"host":"x.example","input":"u","node_id":"7","pointer":"/prompt/7/inputs/u/0","reason":"scheme 'http' is not https"},"request_id":"req_000014"}}"#,
        ),
        post(
            key(),
            r#"{"prompt": {"1": {"class_type": "A", "inputs": {}}}, "webhook_url": "http://x.example/h"}"#,
            400,
            r#"{"error":{"code":"webhook_must_be_https","message":"Webhook URL must use HTTPS","details":{"field":"webhook_url","host":"x.example","pointer":"/webhook_url","reason":"scheme 'http' is not https"},"request_id":"req_000015"}}"#,
        ),
        post(
            key(),
            r#"{"prompt": {"1": {"class_type": "A", "inputs": {}}}, "webhook_url": "https://[::1]/h"}"#,
            400,
            r#"{"error":{"code":"webhook_private_host","message":"Webhook cannot use private IP","details":{"field":"webhook_url","host":"[::1]","pointer":"/webhook_url","reason":"private host"},"request_id":"req_000016"}}"#,
        ),
        post(
            key(),
            QUICKSTART,
            202,
            r#"{"job_id":"job_000001","nodes":2,"status":"queued"}"#,
        ),
        get(
            "/v1/jobs/job_000001",
            key(),
            200,
            r#"{"job_id":"job_000001","status":"queued"}"#,
        ),
        get(
            "/v1/jobs/job_999999",
            key(),
            404,
            r#"{"error":{"code":"job_not_found","message":"Job not found","details":{},"request_id":"req_000019"}}"#,
        ),
        get(
            "/v1/jobs/job_000001",
            None,
            401,
            r#"{"error":{"code":"missing_auth","message":"Missing Authorization header","details":{},"request_id":"req_000020"}}"#,
        ),
    ];
    let http = reqwest::Client::new();
    for (i, exchange) in exchanges.iter().enumerate() {
        let url = format!("{base}{}", exchange.path);
        let mut request = if exchange.method == "GET" {
            http.get(&url)
        } else {
            http.post(&url).body(exchange.body.clone())
        };
        if let Some(auth) = &exchange.auth {
            request = request.header("Authorization", auth);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a body");
        assert_eq!(status, exchange.status, "exchange {}: {text}", i + 1);
        assert_eq!(
            headers["content-type"],
            "application/json",
            "exchange {}",
            i + 1
        );
        assert_eq!(
            headers["x-request-id"],
            format!("req_{:06}", i + 1).as_str(),
            "exchange {}",
            i + 1
        );
        assert!(
            headers.get("retry-after").is_none(),
            "only 429s carry Retry-After"
        );
        assert_eq!(text, exchange.response, "exchange {}", i + 1);
    }
}

const QUICKSTART: &str = include_str!("../../examples/requests/quickstart.json");

/// A fake clock: sleeping records the delay and moves time on.
struct FakeClock {
    now: SystemTime,
    sleeps: Vec<Duration>,
}

impl client::Clock for FakeClock {
    fn now(&self) -> SystemTime {
        self.now
    }

    async fn sleep(&mut self, delay: Duration) {
        self.sleeps.push(delay);
        self.now += delay;
    }
}

/// One scripted answer: status, headers, body.
type Scripted = (u16, Vec<(&'static str, String)>, String);

/// A server that gives the scripted answers in turn, then 202; returns its URL and a count of
/// the requests it received.
async fn scripted(answers: Vec<Scripted>) -> (String, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let answers = Arc::new(Mutex::new(answers.into_iter()));
    let seen = count.clone();
    let router = Router::new().route(
        "/v1/jobs",
        axum::routing::post(move || {
            let answers = answers.clone();
            seen.fetch_add(1, Ordering::SeqCst);
            async move {
                let next = answers
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .next();
                let (status, headers, body) = next.unwrap_or((
                    202,
                    vec![],
                    r#"{"job_id":"job_1","status":"queued"}"#.into(),
                ));
                let mut response = (
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    body,
                )
                    .into_response();
                for (name, value) in headers {
                    response
                        .headers_mut()
                        .insert(name, value.parse().expect("header value"));
                }
                response
            }
        }),
    );
    (serve(router).await, count)
}

const START: Duration = Duration::from_secs(1_800_000_000);

/// Runs the example client's logic against `base` with jitter 0; returns the result, the
/// waits chosen and the log.
async fn run_client(
    base: &str,
    body: &str,
) -> (Result<String, client::Failure>, Vec<Duration>, Vec<String>) {
    let http = reqwest::Client::new();
    let submitter = client::Submitter {
        http: &http,
        base,
        key: server::DEMO_KEY,
        policy: RetryPolicy::default(),
    };
    let mut clock = FakeClock {
        now: SystemTime::UNIX_EPOCH + START,
        sleeps: Vec::new(),
    };
    let mut log = Vec::new();
    let result = submitter
        .submit(body.as_bytes(), &mut clock, || 0.0, |line| log.push(line))
        .await;
    (result, clock.sleeps, log)
}

fn envelope(code: &str, retry_after: Option<u64>) -> String {
    let code: cmfy_validate::ErrorCode = code.parse().expect("a known code");
    let body = cmfy_validate::ErrorBody::new(code);
    match retry_after {
        Some(seconds) => body.with_retry_after(seconds).to_json(),
        None => body.to_json(),
    }
}

#[tokio::test]
async fn rate_limited_then_accepted_waits_what_retry_after_says() {
    let answers = vec![(
        429,
        vec![("Retry-After", "7".to_owned())],
        envelope("rate_limit_exceeded", None),
    )];
    let (base, count) = scripted(answers).await;
    let (result, sleeps, log) = run_client(&base, QUICKSTART).await;
    assert!(result.is_ok(), "{log:?}");
    assert_eq!(count.load(Ordering::SeqCst), 2);
    assert_eq!(sleeps, [Duration::from_secs(7)]);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_judged_against_the_clock() {
    // 30 seconds after the fake clock's start.
    let date = "Fri, 15 Jan 2027 08:00:30 GMT";
    assert_eq!(START.as_secs(), 1_800_000_000);
    let answers = vec![(
        429,
        vec![("Retry-After", date.to_owned())],
        "<html>slow down</html>".to_owned(),
    )];
    let (base, count) = scripted(answers).await;
    let (result, sleeps, _) = run_client(&base, QUICKSTART).await;
    assert!(result.is_ok());
    assert_eq!(count.load(Ordering::SeqCst), 2);
    assert_eq!(sleeps, [Duration::from_secs(30)]);
}

#[tokio::test]
async fn unavailable_twice_then_accepted_backs_off_exponentially() {
    let unavailable = (503, vec![], envelope("service_unavailable", None));
    let (base, count) = scripted(vec![unavailable.clone(), unavailable]).await;
    let (result, sleeps, log) = run_client(&base, QUICKSTART).await;
    assert!(result.is_ok(), "{log:?}");
    assert_eq!(count.load(Ordering::SeqCst), 3);
    assert_eq!(sleeps, [Duration::from_secs(1), Duration::from_secs(2)]);
    assert_eq!(
        log.len(),
        4,
        "pre-submit check, two retries, accepted: {log:?}"
    );
}

#[tokio::test]
async fn queue_full_waits_longer_than_a_plain_backoff() {
    let (base, count) = scripted(vec![(429, vec![], envelope("queue_full", None))]).await;
    let (result, sleeps, _) = run_client(&base, QUICKSTART).await;
    assert!(result.is_ok());
    assert_eq!(count.load(Ordering::SeqCst), 2);
    assert_eq!(sleeps, [Duration::from_secs(4)]);
}

#[tokio::test]
async fn a_bad_gateway_page_is_retried_and_a_400_is_not() {
    let proxy = (
        502,
        vec![("Content-Type", "text/html".to_owned())],
        "<html><h1>502 Bad Gateway</h1></html>".to_owned(),
    );
    let invalid = (400, vec![], envelope("invalid_url", None));
    let (base, count) = scripted(vec![proxy, invalid]).await;
    let (result, sleeps, _) = run_client(&base, QUICKSTART).await;
    let Err(client::Failure::Api(error)) = result else {
        panic!("the 400 ends it")
    };
    assert_eq!((error.status(), error.code()), (400, Some("invalid_url")));
    assert_eq!(count.load(Ordering::SeqCst), 2);
    assert_eq!(sleeps, [Duration::from_secs(1)]);
}

#[tokio::test]
async fn gives_up_after_five_attempts() {
    let down = (503, vec![], String::new());
    let (base, count) = scripted(vec![down; 10]).await;
    let (result, sleeps, _) = run_client(&base, QUICKSTART).await;
    let Err(client::Failure::Api(error)) = result else {
        panic!("gives up with the last error")
    };
    assert_eq!(error.message(), "HTTP 503 with an empty body");
    assert_eq!(count.load(Ordering::SeqCst), 5);
    let s = Duration::from_secs;
    assert_eq!(sleeps, [s(1), s(2), s(4), s(8)]);
}

#[tokio::test]
async fn an_invalid_workflow_is_never_sent() {
    let (base, count) = scripted(vec![]).await;
    let (result, sleeps, _) = run_client(
        &base,
        r#"{"prompt": {"1": {"class_type": "A", "inputs": {"u": "http://x"}}}}"#,
    )
    .await;
    let Err(client::Failure::Invalid(error)) = result else {
        panic!("refused before sending")
    };
    assert_eq!(error.code(), "insecure_url");
    assert_eq!(count.load(Ordering::SeqCst), 0);
    assert!(sleeps.is_empty());
}

#[tokio::test]
async fn connection_failures_back_off_then_give_up() {
    // A port that was free a moment ago: nothing listens there now.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let (result, sleeps, _) = run_client(&base, QUICKSTART).await;
    assert!(matches!(result, Err(client::Failure::Network(_))));
    let s = Duration::from_secs;
    assert_eq!(sleeps, [s(1), s(2), s(4), s(8)]);
}

#[tokio::test]
async fn the_client_submits_to_the_example_server() {
    let base = serve(server::app(server::AppState::new(&[server::DEMO_KEY], &[]))).await;
    let (result, sleeps, _) = run_client(&base, QUICKSTART).await;
    assert_eq!(
        result.ok().as_deref(),
        Some(r#"{"job_id":"job_000001","nodes":2,"status":"queued"}"#)
    );
    assert!(sleeps.is_empty());
}

#[tokio::test]
async fn the_server_with_a_catalogue_refuses_what_the_nodes_cannot_run() {
    let snapshot = include_bytes!("../../examples/catalogue/object_info.json");
    let catalogue = cmfy_validate::catalogue::Catalogue::from_object_info(snapshot).expect("loads");
    let policy = cmfy_validate::Policy::default().with_catalogue(Arc::new(catalogue));
    let state = server::AppState::new(&[server::DEMO_KEY], &[]).with_policy(policy);
    let base = serve(server::app(state)).await;
    let http = reqwest::Client::new();
    let send = |file: &str| {
        let body = std::fs::read(format!(
            "{}/examples/requests/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect(file);
        http.post(format!("{base}/v1/jobs"))
            .header("Authorization", format!("Bearer {}", server::DEMO_KEY))
            .body(body)
            .send()
    };
    let refused = send("invalid-catalogue-not-in-list.json")
        .await
        .expect("an answer");
    assert_eq!(refused.status().as_u16(), 400);
    let envelope: serde_json::Value =
        serde_json::from_str(&refused.text().await.expect("a body")).expect("JSON");
    assert_eq!(envelope["error"]["code"], "value_not_in_list");
    assert_eq!(envelope["error"]["details"]["suggestions"][0], "euler");
    assert_eq!(envelope["error"]["request_id"], "req_000001");
    let accepted = send("catalogue-ok.json").await.expect("an answer");
    assert_eq!(accepted.status().as_u16(), 202);
}
