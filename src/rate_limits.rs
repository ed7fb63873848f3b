//! The limit headers the API sends with every response: `X-RateLimit-*`, `X-Concurrent-*`,
//! `X-Queue-*`. Servers write them, clients read them.

/// A rate-limit window: how many requests it allows, how many are left, and when it resets
/// (Unix seconds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateWindow {
    /// `X-RateLimit-Limit`.
    pub limit: u64,
    /// `X-RateLimit-Remaining`.
    pub remaining: u64,
    /// `X-RateLimit-Reset`: when the window resets, in Unix seconds.
    pub reset: u64,
}

/// A capacity and how much of it is in use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// The capacity.
    pub limit: u64,
    /// In use now.
    pub current: u64,
}

/// Every limit header of a response; a group is `None` unless all its headers are present and
/// numeric. Of a header sent more than once, the first numeric value counts (the rule of
/// [`ApiError::from_response`](crate::client::ApiError::from_response) for every header).
///
/// ```
/// use cmfy_validate::{rate_limits::{LimitHeaders, RateWindow, Usage}};
///
/// let limits = LimitHeaders {
///     rate: Some(RateWindow { limit: 60, remaining: 0, reset: 1_700_000_000 }),
///     concurrent: Some(Usage { limit: 2, current: 2 }),
///     queue: None,
/// };
/// let headers = limits.to_headers();
/// assert_eq!(headers[0], ("X-RateLimit-Limit", "60".to_owned()));
/// let parsed = LimitHeaders::from_headers(headers.iter().map(|(k, v)| (*k, v.as_str())));
/// assert_eq!(parsed, limits);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LimitHeaders {
    /// `X-RateLimit-Limit`, `-Remaining`, `-Reset`.
    pub rate: Option<RateWindow>,
    /// `X-Concurrent-Limit`, `X-Concurrent-Current`.
    pub concurrent: Option<Usage>,
    /// `X-Queue-Limit`, `X-Queue-Current`.
    pub queue: Option<Usage>,
}

const NAMES: [&str; 7] = [
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "X-Concurrent-Limit",
    "X-Concurrent-Current",
    "X-Queue-Limit",
    "X-Queue-Current",
];

impl LimitHeaders {
    /// Reads the limit headers from `(name, value)` pairs; names are case-insensitive, other
    /// headers are ignored. A header sent twice keeps its first numeric value: a later value,
    /// good or garbage, changes nothing.
    ///
    /// ```
    /// use cmfy_validate::{rate_limits::{LimitHeaders, Usage}};
    ///
    /// let headers = [("X-Queue-Limit", "oops"), ("X-Queue-Limit", "100"), ("x-queue-limit", "5"),
    ///                ("X-Queue-Current", "7")];
    /// let limits = LimitHeaders::from_headers(headers);
    /// assert_eq!(limits.queue, Some(Usage { limit: 100, current: 7 }));
    /// ```
    pub fn from_headers<'h>(headers: impl IntoIterator<Item = (&'h str, &'h str)>) -> Self {
        let mut values = [None; NAMES.len()];
        for (name, value) in headers {
            let Some(i) = NAMES
                .iter()
                .position(|known| known.eq_ignore_ascii_case(name.trim()))
            else {
                continue;
            };
            if let Some(slot @ None) = values.get_mut(i) {
                *slot = value.trim().parse::<u64>().ok();
            }
        }
        let [
            limit,
            remaining,
            reset,
            c_limit,
            c_current,
            q_limit,
            q_current,
        ] = values;
        let rate = match (limit, remaining, reset) {
            (Some(limit), Some(remaining), Some(reset)) => Some(RateWindow {
                limit,
                remaining,
                reset,
            }),
            _ => None,
        };
        LimitHeaders {
            rate,
            concurrent: usage(c_limit, c_current),
            queue: usage(q_limit, q_current),
        }
    }

    /// The headers to send, in a fixed order.
    #[must_use]
    pub fn to_headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = Vec::new();
        let mut put = |i: usize, value: u64| headers.push((NAMES[i], value.to_string()));
        if let Some(rate) = self.rate {
            put(0, rate.limit);
            put(1, rate.remaining);
            put(2, rate.reset);
        }
        if let Some(concurrent) = self.concurrent {
            put(3, concurrent.limit);
            put(4, concurrent.current);
        }
        if let Some(queue) = self.queue {
            put(5, queue.limit);
            put(6, queue.current);
        }
        headers
    }
}

fn usage(limit: Option<u64>, current: Option<u64>) -> Option<Usage> {
    Some(Usage {
        limit: limit?,
        current: current?,
    })
}
