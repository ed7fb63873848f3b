//! Numbers compared exactly, as Python compares an `int` and a `float`: the seed
//! `18446744073709551615` fits a `max` of `18446744073709551615` and of
//! `1.8446744073709552e+19`, and `18446744073709551616` does not fit the first.

use std::cmp::Ordering;

/// A JSON number: an integer written without fraction or exponent (exact while it fits an
/// `i128`, past ±1.7e38, compared as a float), or any other number as an `f64`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Number {
    Int(i128),
    Float(f64),
}

/// 2^127, the first magnitude past `i128`.
const TWO_POW_127: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;

impl Number {
    /// Reads the text of a JSON number (its grammar already checked); `None` only for text
    /// that is not a number at all.
    pub(crate) fn parse(text: &str) -> Option<Number> {
        // The common case, a short integer, without the general parser.
        let (negative, digits) = match text.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, text),
        };
        // 38 digits stay below 10^38 < 2^127: the fold cannot overflow.
        if !digits.is_empty() && digits.len() <= 38 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let magnitude = digits
                .bytes()
                .fold(0i128, |n, b| n * 10 + i128::from(b - b'0'));
            return Some(Number::Int(if negative { -magnitude } else { magnitude }));
        }
        if let Some(float) = short_decimal(text) {
            return Some(Number::Float(float));
        }
        let integer = !text.contains(['.', 'e', 'E']);
        if integer && let Ok(int) = text.parse::<i128>() {
            return Some(Number::Int(int));
        }
        text.parse::<f64>().ok().map(Number::Float)
    }

    /// Whether the number has no fractional part (`5`, `5.0`, `2e1`).
    pub(crate) fn is_integral(self) -> bool {
        match self {
            Number::Int(_) => true,
            Number::Float(f) => f.is_finite() && f.fract() == 0.0,
        }
    }

    /// The exact order of two numbers; `None` only with NaN, which JSON cannot write.
    pub(crate) fn compare(self, other: Number) -> Option<Ordering> {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => Some(a.cmp(&b)),
            (Number::Float(a), Number::Float(b)) => a.partial_cmp(&b),
            (Number::Int(a), Number::Float(b)) => int_float(a, b),
            (Number::Float(a), Number::Int(b)) => int_float(b, a).map(Ordering::reverse),
        }
    }

    /// Equal by value (`1` and `1.0`).
    pub(crate) fn same_value(self, other: Number) -> bool {
        self.compare(other) == Some(Ordering::Equal)
    }

    /// The number as a JSON value for details.
    pub(crate) fn to_json(self) -> serde_json::Value {
        match self {
            Number::Int(int) => {
                if let Ok(small) = i64::try_from(int) {
                    small.into()
                } else if let Ok(big) = u64::try_from(int) {
                    big.into()
                } else {
                    int.to_string().into()
                }
            }
            Number::Float(f) => serde_json::Number::from_f64(f)
                .map_or_else(|| f.to_string().into(), serde_json::Value::Number),
        }
    }
}

/// A decimal such as `7.5` or `-0.25` (digits, a point, digits; at most 15 digits in all),
/// whose value is exactly the digits as an integer divided by a power of ten at most 10^15:
/// both are exact doubles, so the one division rounds correctly, as the full parser would.
fn short_decimal(text: &str) -> Option<f64> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = unsigned.split_once('.')?;
    let digits = whole.len() + fraction.len();
    let plain = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if digits > 15 || !plain(whole) || !plain(fraction) {
        return None;
    }
    let mantissa = whole
        .bytes()
        .chain(fraction.bytes())
        .fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    let scale = POWERS_OF_TEN.get(fraction.len())?;
    // The mantissa is below 10^15 < 2^53: exact as a double.
    #[allow(clippy::cast_precision_loss)]
    let value = mantissa as f64 / scale;
    Some(if negative { -value } else { value })
}

/// 10^0 to 10^15, each exact as a double.
const POWERS_OF_TEN: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// The exact order of an integer and a float.
fn int_float(int: i128, float: f64) -> Option<Ordering> {
    if float.is_nan() {
        return None;
    }
    if float >= TWO_POW_127 {
        return Some(Ordering::Less);
    }
    if float < -TWO_POW_127 {
        return Some(Ordering::Greater);
    }
    // |float| < 2^127 (or exactly -2^127): its integral part is an i128, exactly.
    let whole = float.trunc();
    let truncated = whole as i128;
    Some(match int.cmp(&truncated) {
        Ordering::Equal => 0.0f64.partial_cmp(&(float - whole))?,
        order => order,
    })
}

#[cfg(test)]
mod tests {
    use super::Number;
    use std::cmp::Ordering::{Equal, Greater, Less};

    fn n(text: &str) -> Number {
        Number::parse(text).expect("a number")
    }

    #[test]
    fn short_decimals_are_read_as_the_full_parser_reads_them() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut texts: Vec<String> = ["0.0", "-0.0", "7.5", "0.1", "0.3", "999999999999.999"]
            .map(str::to_owned)
            .to_vec();
        for _ in 0..20_000 {
            let digits = 2 + (next() % 14) as usize;
            let point = 1 + (next() as usize % (digits - 1));
            let all: String = (0..digits)
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            let sign = if next() % 2 == 0 { "-" } else { "" };
            texts.push(format!("{sign}{}.{}", &all[..point], &all[point..]));
        }
        for text in &texts {
            let exact: f64 = text.parse().expect("a decimal");
            let short = super::short_decimal(text).expect("short");
            assert_eq!(short.to_bits(), exact.to_bits(), "{text}");
            assert_eq!(n(text), Number::Float(exact), "{text}");
        }
        for long in [
            "1.0000000000000001",
            "1.",
            ".5",
            "1e5",
            "1.5e3",
            "12",
            "-",
            "1.-5",
        ] {
            assert_eq!(super::short_decimal(long), None, "{long}");
        }
    }

    #[test]
    fn compares_integers_and_floats_exactly() {
        for (a, b, order) in [
            ("18446744073709551615", "18446744073709551615", Equal),
            ("18446744073709551615", "1.8446744073709552e+19", Less),
            ("18446744073709551616", "1.8446744073709552e+19", Equal),
            ("18446744073709551616", "18446744073709551615", Greater),
            ("18446744073709551617", "1.8446744073709552e+19", Greater),
            ("9007199254740993", "9007199254740992.0", Greater),
            ("5", "5.0", Equal),
            ("5", "5.5", Less),
            ("-5", "-5.5", Greater),
            ("-0", "0.0", Equal),
            (
                "-170141183460469231731687303715884105728",
                "-1.7014118346046923e38",
                Equal,
            ),
            ("1", "1e300", Less),
            ("-1", "-1e300", Greater),
            ("2.5", "2.25", Greater),
        ] {
            assert_eq!(n(a).compare(n(b)), Some(order), "{a} {b}");
            assert_eq!(n(b).compare(n(a)), Some(order.reverse()), "{b} {a}");
        }
        assert!(matches!(n("1e3"), Number::Float(_)));
        assert!(matches!(n(&"9".repeat(50)), Number::Float(_)));
        assert!(n("2e1").is_integral() && n("5.0").is_integral() && !n("20.5").is_integral());
        assert_eq!(Number::parse("x"), None);
    }

    #[test]
    fn writes_numbers_for_details() {
        assert_eq!(
            n("18446744073709551615").to_json(),
            serde_json::json!(18446744073709551615u64)
        );
        assert_eq!(n("-3").to_json(), serde_json::json!(-3));
        assert_eq!(n("2.5").to_json(), serde_json::json!(2.5));
        assert_eq!(
            n(&"9".repeat(30)).to_json(),
            serde_json::json!("9".repeat(30))
        );
        assert_eq!(n(&"9".repeat(40)).to_json(), serde_json::json!(1e40));
        assert_eq!(
            Number::Int(i128::MAX).to_json(),
            serde_json::json!(i128::MAX.to_string())
        );
    }
}
