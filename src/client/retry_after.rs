//! `Retry-After`: delta-seconds, or an HTTP date (RFC 9110 §10.2.3), judged against a `now`
//! the caller passes in.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The longest delay this crate reads from a server, in a `Retry-After` header or an envelope's
/// `retry_after`: anything longer is read as this. A day is far past any real rate-limit window,
/// and short enough that `Instant::now() + delay` never overflows.
/// [`RetryPolicy::max_server_delay`](crate::client::RetryPolicy::max_server_delay) caps what a client
/// actually waits (an hour by default).
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use cmfy_validate::{client::{MAX_RETRY_AFTER, parse_retry_after}};
///
/// assert_eq!(MAX_RETRY_AFTER, Duration::from_secs(86_400));
/// assert_eq!(parse_retry_after(&"9".repeat(40), UNIX_EPOCH), Some(MAX_RETRY_AFTER));
/// ```
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(86_400);

/// The instant `seconds` after the Unix epoch, for callers that keep time as a number of
/// seconds (JavaScript's `Date.now() / 1000`, Python's `time.time()`) and pass it as the `now`
/// of [`parse_retry_after`], [`ApiError::retry_after`](crate::client::ApiError::retry_after)
/// or [`RetryPolicy::decide`](crate::client::RetryPolicy::decide). `None` for a negative, NaN
/// or infinite number, or one past what [`SystemTime`] holds: the caller decides what such a
/// clock means (the bindings take the system's).
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use cmfy_validate::client::unix_time;
///
/// assert_eq!(unix_time(1.5), Some(UNIX_EPOCH + Duration::from_millis(1500)));
/// assert_eq!(unix_time(0.0), Some(UNIX_EPOCH));
/// assert_eq!(unix_time(-1.0), None);
/// assert_eq!(unix_time(f64::NAN), None);
/// assert_eq!(unix_time(f64::MAX), None);
/// ```
#[must_use]
pub fn unix_time(seconds: f64) -> Option<SystemTime> {
    UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(seconds).ok()?)
}

/// How long a `Retry-After` value asks to wait, from `now`, at most [`MAX_RETRY_AFTER`]. A date
/// in the past means no wait. Returns `None` for a value that is neither a number of seconds nor
/// an HTTP date. Never panics, whatever the value and whatever `now`.
///
/// Seconds are RFC 9110's delta-seconds; a decimal such as `1.5`, which some servers send, is
/// read too and rounded up. All three date formats RFC 9110 requires recipients to accept are
/// read: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37
/// GMT`) and asctime (`Sun Nov  6 08:49:37 1994`), each with the four-digit (or, for RFC 850,
/// two-digit) year the grammar gives it.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use cmfy_validate::client::parse_retry_after;
///
/// let now = UNIX_EPOCH + Duration::from_secs(784_111_770);
/// assert_eq!(parse_retry_after("45", now), Some(Duration::from_secs(45)));
/// assert_eq!(parse_retry_after("1.5", now), Some(Duration::from_secs(2)));
/// assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), Some(Duration::from_secs(7)));
/// assert_eq!(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), Some(Duration::from_secs(7)));
/// assert_eq!(parse_retry_after("Sun Nov  6 08:49:37 1994", now), Some(Duration::from_secs(7)));
/// assert_eq!(parse_retry_after("Wed Oct 21 07:28:00 300000000000", now), None);
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
#[must_use]
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Some(seconds) = decimal_seconds(value) {
        return Some(capped_seconds(seconds));
    }
    let at = UNIX_EPOCH.checked_add(Duration::from_secs(parse_http_date(value)?))?;
    // A `now` past the date means no wait; one far before it, at most the cap.
    let wait = at.duration_since(now).unwrap_or(Duration::ZERO);
    Some(wait.min(MAX_RETRY_AFTER))
}

/// A delay of `seconds`, at most [`MAX_RETRY_AFTER`].
pub(crate) fn capped_seconds(seconds: u64) -> Duration {
    Duration::from_secs(seconds).min(MAX_RETRY_AFTER)
}

/// Whole seconds of a non-negative decimal (`45`, `45.0`, `1.5`), a fraction rounded up, and
/// saturating: `None` if the text is anything else.
fn decimal_seconds(text: &str) -> Option<u64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || text.ends_with('.') {
        return None;
    }
    // All digits: only its size can fail to parse, and then it is past any cap.
    let whole = whole.parse::<u64>().unwrap_or(u64::MAX);
    let round_up = fraction.bytes().any(|b| b != b'0');
    Some(whole.saturating_add(u64::from(round_up)))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A four-digit year, as IMF-fixdate and asctime write it.
fn four_digit_year(text: &str) -> Option<u64> {
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// An HTTP date as Unix seconds.
fn parse_http_date(value: &str) -> Option<u64> {
    let words: Vec<&str> = value.split_ascii_whitespace().collect();
    let (day, month, year, time) = match words.as_slice() {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        [_, day, month, year, time, "GMT"] => (*day, *month, four_digit_year(year)?, *time),
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        [_, date, time, "GMT"] => {
            let mut parts = date.split('-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || year.len() != 2 {
                return None;
            }
            let two_digit: u64 = year.parse().ok()?;
            // RFC 9110: a two-digit year more than 50 years ahead is in the past century.
            let century = if two_digit < 70 { 2000 } else { 1900 };
            (day, month, century + two_digit, *time)
        }
        // asctime: Sun Nov  6 08:49:37 1994
        [_, month, day, time, year] => (*day, *month, four_digit_year(year)?, *time),
        _ => return None,
    };
    let day: u64 = day
        .parse()
        .ok()
        .filter(|d| (1..=31).contains(d) && day.len() <= 2)?;
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let mut clock = time
        .split(':')
        .map(|part| part.parse::<u64>().ok().filter(|_| part.len() == 2));
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some() || hour > 23 || minute > 59 || second > 60 || year < 1970 {
        return None;
    }
    // Every field is bounded above (a year of four digits), so none of this can overflow.
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm), for years
/// from 1970 to 9999.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era).saturating_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2028 12:00:00 GMT"),
            Some(1_835_438_400)
        );
        assert_eq!(
            parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            parse_http_date("Sun Nov  6 08:49:37 1994"),
            Some(784_111_777)
        );
        // A leap second is a second; a minute of 60 or a second of 61 is no time.
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:60 GMT"),
            Some(784_111_800)
        );
        for bad in ["08:60:00", "08:49:61", "23:59:61"] {
            assert_eq!(
                parse_http_date(&format!("Sun, 06 Nov 1994 {bad} GMT")),
                None,
                "{bad}"
            );
        }
        // RFC 850's two-digit years: 00 to 69 in this century, 70 to 99 in the last.
        let rfc850 = |yy: &str| parse_http_date(&format!("Thursday, 01-Jan-{yy} 00:00:00 GMT"));
        assert_eq!(rfc850("70"), Some(0));
        assert_eq!(
            rfc850("69"),
            parse_http_date("Tue, 01 Jan 2069 00:00:00 GMT")
        );
        assert_eq!(rfc850("00"), Some(946_684_800));
        assert_eq!(
            rfc850("99"),
            parse_http_date("Fri, 01 Jan 1999 00:00:00 GMT")
        );
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "-5",
            "1.5",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn delays() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777);
        let s = Duration::from_secs;
        for (value, expected) in [
            (" 120 ", Some(s(120))),
            ("0", Some(s(0))),
            ("45.0", Some(s(45))),
            ("45.000", Some(s(45))),
            ("1.5", Some(s(2))),
            ("0.001", Some(s(1))),
            ("86400", Some(MAX_RETRY_AFTER)),
            ("86401", Some(MAX_RETRY_AFTER)),
            ("1000000000000", Some(MAX_RETRY_AFTER)),
            ("Sun, 06 Nov 1994 08:49:00 GMT", Some(Duration::ZERO)),
            ("Sun, 06 Nov 1994 08:49:40 GMT", Some(s(3))),
            ("Fri, 31 Dec 9999 23:59:59 GMT", Some(MAX_RETRY_AFTER)),
            ("-1", None),
            ("1.", None),
            (".5", None),
            ("1.5.0", None),
            ("+5", None),
            ("1e3", None),
            ("", None),
            ("Wed Oct 21 07:28:00 300000000000", None),
            // Years of five digits are not HTTP dates, though they would fit the arithmetic.
            ("Wed Oct 21 07:28:00 10000", None),
            ("Wed, 21 Oct 10000 07:28:00 GMT", None),
            ("Wed Oct 21 07:28:00 99x9", None),
            ("Wed Oct 21 07:28:00 99999999999999999999", None),
            ("Wed, 21 Oct 300000000000 07:28:00 GMT", None),
            ("Wednesday, 21-Oct-2015 07:28:00 GMT", None),
            ("Wednesday, 21-Oct-15-1 07:28:00 GMT", None),
        ] {
            assert_eq!(parse_retry_after(value, now), expected, "{value:?}");
        }
        assert_eq!(
            parse_retry_after(&"9".repeat(40), now),
            Some(MAX_RETRY_AFTER)
        );
        // A `now` long before the date waits at most the cap; one after it, not at all.
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(parse_retry_after(date, UNIX_EPOCH), Some(MAX_RETRY_AFTER));
        let future = UNIX_EPOCH + Duration::from_secs(u64::from(u32::MAX) * 100);
        assert_eq!(parse_retry_after(date, future), Some(Duration::ZERO));
    }
}
