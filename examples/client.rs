//! A client that checks a workflow before sending it, submits it, and retries the way the API
//! asks: never for 4xx, after `Retry-After` for 429, with backoff for 5xx and network failures.
//!
//! ```text
//! cargo run --example client -- http://127.0.0.1:8080 examples/requests/quickstart.json
//! ```
//! The key comes from `CMFY_API_KEY` (the demo server's test key by default).

use std::time::{Duration, SystemTime};

use cmfy_validate::{
    client::{ApiError, Decision, Outcome, RetryPolicy},
    validate,
};

/// Time, as the client sees it: real, or a fake one in tests.
pub trait Clock {
    /// The current time.
    fn now(&self) -> SystemTime;
    /// Waits `delay`.
    fn sleep(&mut self, delay: Duration) -> impl std::future::Future<Output = ()>;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    async fn sleep(&mut self, delay: Duration) {
        tokio::time::sleep(delay).await;
    }
}

/// How a submission ended.
#[derive(Debug)]
pub enum Failure {
    /// The body failed the pre-submit check; nothing was sent.
    Invalid(cmfy_validate::ValidationError),
    /// The API refused, and retrying would not help (or attempts ran out).
    Api(ApiError),
    /// The network failed on the last attempt.
    Network(String),
}

/// Where and how to submit.
pub struct Submitter<'a> {
    /// The HTTP client.
    pub http: &'a reqwest::Client,
    /// The API's base URL, e.g. `http://127.0.0.1:8080`.
    pub base: &'a str,
    /// The API key.
    pub key: &'a str,
    /// When to retry.
    pub policy: RetryPolicy,
}

impl Submitter<'_> {
    /// Validates `body`, then posts it to `{base}/v1/jobs` until it is accepted or the policy gives
    /// up; returns the accepted response's body. `random` gives jitter in `[0, 1)`; `log` is told
    /// every step.
    pub async fn submit(
        &self,
        body: &[u8],
        clock: &mut impl Clock,
        mut random: impl FnMut() -> f64,
        mut log: impl FnMut(String),
    ) -> Result<String, Failure> {
        let (http, key, policy) = (self.http, self.key, &self.policy);
        let workflow = validate(body).map_err(Failure::Invalid)?;
        log(format!("pre-submit check passed: {} nodes", workflow.len()));
        let url = format!("{}/v1/jobs", self.base.trim_end_matches('/'));
        for attempt in 0.. {
            let sent = http
                .post(&url)
                .bearer_auth(key)
                .header("Content-Type", "application/json")
                .body(body.to_vec())
                .send()
                .await;
            let (outcome_error, network) = match sent {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let headers: Vec<(String, String)> = response
                        .headers()
                        .iter()
                        .filter_map(|(k, v)| {
                            Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned()))
                        })
                        .collect();
                    let bytes = response.bytes().await.unwrap_or_default();
                    if (200..300).contains(&status) {
                        log(format!("attempt {}: accepted ({status})", attempt + 1));
                        return Ok(String::from_utf8_lossy(&bytes).into_owned());
                    }
                    let pairs = headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
                    (Some(ApiError::from_response(status, pairs, &bytes)), None)
                }
                Err(error) => (None, Some(error)),
            };
            let outcome = match (&outcome_error, &network) {
                (Some(error), _) => Outcome::Error(error),
                (None, Some(error)) if error.is_timeout() => Outcome::Timeout,
                _ => Outcome::Connection,
            };
            match policy.decide(outcome, attempt, clock.now(), random()) {
                Decision::RetryAfter(delay) => {
                    let what = outcome_error
                        .as_ref()
                        .map_or_else(|| "network failure".to_owned(), ToString::to_string);
                    log(format!(
                        "attempt {}: {what}; retrying in {delay:?}",
                        attempt + 1
                    ));
                    clock.sleep(delay).await;
                }
                Decision::GiveUp => {
                    return Err(match (outcome_error, network) {
                        (Some(error), _) => Failure::Api(error),
                        (None, error) => {
                            Failure::Network(error.map(|e| e.to_string()).unwrap_or_default())
                        }
                    });
                }
            }
        }
        unreachable!("the loop returns")
    }
}

/// Jitter without a dependency: a xorshift seeded from the clock.
fn jitter_source() -> impl FnMut() -> f64 {
    let mut state = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[tokio::main]
#[allow(dead_code)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(base), Some(path)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: client BASE_URL WORKFLOW_FILE");
        std::process::exit(2);
    };
    let body = std::fs::read(path).unwrap_or_else(|error| {
        eprintln!("client: {path}: {error}");
        std::process::exit(2);
    });
    let key = std::env::var("CMFY_API_KEY")
        .unwrap_or_else(|_| "sk_test_DEMOkey0DEMOkey0DEMOkey0DEMOkey0DEMOkey0DEM".to_owned());
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_default();
    let log = |line: String| println!("{line}");
    let submitter = Submitter {
        http: &http,
        base,
        key: &key,
        policy: RetryPolicy::default(),
    };
    match submitter
        .submit(&body, &mut SystemClock, jitter_source(), log)
        .await
    {
        Ok(accepted) => println!("{accepted}"),
        Err(Failure::Invalid(error)) => {
            eprintln!("not sent: {error}");
            std::process::exit(1);
        }
        Err(Failure::Api(error)) => {
            eprintln!("refused: {error}");
            std::process::exit(1);
        }
        Err(Failure::Network(error)) => {
            eprintln!("network: {error}");
            std::process::exit(1);
        }
    }
}
