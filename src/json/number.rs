//! Numbers: the RFC 8259 grammar, and the contract's rule that a number must not overflow `f64`.

use super::{JsonError, Reason};
use crate::invariant::Invariant;

/// Past this many integer digits a number without exponent could exceed `f64::MAX` (about
/// 1.8e308); at or below it, it cannot, so the exact float parse is skipped.
const SAFE_INTEGER_DIGITS: usize = 308;

/// Checks the number that starts at `start` in `bytes` and returns where it ends. Errors point
/// where the grammar breaks (where a digit was expected), or at the start of a number whose
/// magnitude overflows `f64`.
#[inline(never)]
pub(super) fn scan_number(bytes: &[u8], start: usize) -> Result<usize, JsonError> {
    let mut pos = start;
    if bytes.get(pos) == Some(&b'-') {
        pos += 1;
    }
    let int_start = pos;
    pos = match bytes.get(pos) {
        Some(b'0') => pos + 1,
        Some(b'1'..=b'9') => digits(bytes, pos + 1),
        _ => return Err(JsonError::at(pos, Reason::InvalidNumber)),
    };
    let int_digits = pos - int_start;
    if bytes.get(pos) == Some(&b'.') {
        pos = required_digits(bytes, pos + 1)?;
    }
    let mut exponent = false;
    if let Some(b'e' | b'E') = bytes.get(pos) {
        exponent = true;
        pos += 1;
        if let Some(b'+' | b'-') = bytes.get(pos) {
            pos += 1;
        }
        pos = required_digits(bytes, pos)?;
    }
    if exponent || int_digits > SAFE_INTEGER_DIGITS {
        let text = bytes.get(start..pos).holds("the number just scanned");
        let finite = match magnitude(text) {
            Magnitude::Finite => true,
            Magnitude::Overflows => false,
            // Only values near f64::MAX need the exact (and for some digits slow) parse.
            Magnitude::Near => std::str::from_utf8(text)
                .ok()
                .and_then(|text| text.parse::<f64>().ok())
                .is_some_and(f64::is_finite),
        };
        if !finite {
            return Err(JsonError::at(start, Reason::NumberOutOfRange));
        }
    }
    Ok(pos)
}

/// Whether a number (checked against the grammar) surely fits `f64`, surely overflows it, or
/// is near enough to `f64::MAX` (about 1.8e308) that only an exact parse can say.
enum Magnitude {
    Finite,
    Overflows,
    Near,
}

/// The decimal order of a number, read from its digits and exponent without parsing it: the
/// value is `0.d1d2… × 10^order`, so below 10^308 (an order up to 308) it is finite, and from
/// 10^309 on (an order past 309) it overflows. Exponents of any length saturate.
fn magnitude(text: &[u8]) -> Magnitude {
    let unsigned = text.strip_prefix(b"-").unwrap_or(text);
    let (mantissa, exponent) = match unsigned.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (
            unsigned.get(..at).holds("at is the exponent's place"),
            unsigned.get(at + 1..).holds("at is the exponent's place"),
        ),
        None => (unsigned, &b""[..]),
    };
    let (whole, fraction) = match mantissa.iter().position(|&b| b == b'.') {
        Some(at) => (
            mantissa.get(..at).holds("at is the point's place"),
            mantissa.get(at + 1..).holds("at is the point's place"),
        ),
        None => (mantissa, &b""[..]),
    };
    let significant_whole = whole.iter().skip_while(|&&b| b == b'0').count();
    let order_of_digits: i64 = if significant_whole > 0 {
        i64::try_from(significant_whole).unwrap_or(i64::MAX)
    } else {
        match fraction.iter().position(|&b| b != b'0') {
            // 0.000ddd: the order is minus the zeros after the point.
            Some(zeros) => -i64::try_from(zeros).unwrap_or(i64::MAX),
            None => return Magnitude::Finite, // zero, whatever the exponent
        }
    };
    let (negative, digits) = match exponent.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, exponent),
    };
    let value = digits.iter().fold(0i64, |n, &b| {
        n.saturating_mul(10)
            .saturating_add(i64::from(b.wrapping_sub(b'0')))
    });
    let order = if negative {
        order_of_digits.saturating_sub(value)
    } else {
        order_of_digits.saturating_add(value)
    };
    match order {
        ..=308 => Magnitude::Finite,
        309 => Magnitude::Near,
        _ => Magnitude::Overflows,
    }
}

/// The end of the run of at least one digit at `pos`.
fn required_digits(bytes: &[u8], pos: usize) -> Result<usize, JsonError> {
    let end = digits(bytes, pos);
    if end == pos {
        Err(JsonError::at(pos, Reason::InvalidNumber))
    } else {
        Ok(end)
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// The end of the run of ASCII digits at `pos`, eight bytes at a time: seeds and sizes in
/// workflows run to ten digits and more.
#[inline]
fn digits(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(word) = bytes.get(pos..).and_then(<[u8]>::first_chunk::<8>) {
        let not_digits = non_digit_bytes(u64::from_le_bytes(*word));
        if not_digits != 0 {
            return pos + (not_digits.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    let rest = bytes.get(pos..).unwrap_or_default();
    pos + rest.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// A word that is zero in each byte of `word` that is an ASCII digit, and not zero in the
/// first byte that is not. A byte is a digit when its high half is 3 both as it is and after
/// adding 6 (which carries `:` to `?` over into 4). The carry out of a byte of 0xFA or more can
/// only disturb the bytes above it, and such a byte is itself not a digit, so the lowest byte
/// flagged is always exact.
#[inline(always)]
fn non_digit_bytes(word: u64) -> u64 {
    let high = ONES * 0xF0;
    let threes = ONES * 0x30;
    ((word & high) ^ threes) | ((word.wrapping_add(ONES * 6) & high) ^ threes)
}

#[cfg(test)]
mod tests {
    use super::{digits, non_digit_bytes, scan_number};

    #[test]
    fn the_word_test_finds_the_first_non_digit_for_every_byte_at_every_place() {
        for place in 0..8 {
            for byte in 0..=255u8 {
                // Digits below `place`, the byte at it, and any byte above (here 0xFF, whose
                // carry is the worst case).
                let mut word = [b'7'; 8];
                word[place] = byte;
                for above in word.iter_mut().skip(place + 1) {
                    *above = 0xFF;
                }
                let mask = non_digit_bytes(u64::from_le_bytes(word));
                let first = (mask.trailing_zeros() / 8) as usize;
                if byte.is_ascii_digit() {
                    assert_eq!(first, place + 1, "{byte:#x} at {place}");
                } else {
                    assert_eq!(first, place, "{byte:#x} at {place}");
                }
            }
        }
    }

    #[test]
    fn digit_runs_end_where_the_bytes_say() {
        for len in 0..40 {
            for tail in ["", ",", "e", ".", ":", "/", "\u{ff}"] {
                let text = format!("{}{tail}x", "9".repeat(len));
                assert_eq!(digits(text.as_bytes(), 0), len, "{text:?}");
            }
        }
    }

    #[test]
    fn numbers_end_and_fail_where_the_grammar_says() {
        for (text, end) in [
            ("0", 1),
            ("-0,", 2),
            ("12345678901234567890]", 20),
            ("1.25e-3}", 7),
        ] {
            assert_eq!(scan_number(text.as_bytes(), 0), Ok(end), "{text}");
        }
        for (text, at) in [
            ("-", 1),
            ("1.", 2),
            ("1.e5", 2),
            ("1e", 2),
            ("1e+", 3),
            ("-x", 1),
        ] {
            assert_eq!(
                scan_number(text.as_bytes(), 0).map_err(|e| e.offset()),
                Err(at),
                "{text}"
            );
        }
        assert_eq!(scan_number(b"1e400", 0).map_err(|e| e.offset()), Err(0));
        let long = "9".repeat(400);
        assert_eq!(
            scan_number(long.as_bytes(), 0).map_err(|e| e.offset()),
            Err(0)
        );
        assert!(scan_number(b"1e-400", 0).is_ok());
    }

    #[test]
    fn overflow_is_decided_from_digits_and_exponent_as_the_exact_parse_decides() {
        let exact = |text: &str| text.parse::<f64>().is_ok_and(f64::is_finite);
        let mut texts: Vec<String> = [
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1.8e308",
            "17976931348623157e292",
            "0.17976931348623157e309",
            "0.18e309",
            "1e308",
            "9.99e307",
            "1e309",
            "10e308",
            "0.01e310",
            "0.001e310",
            "100e306",
            "1000e306",
            "0e99999999999999999999999",
            "0.0e400",
            "1e-99999999999999999999",
            "1e99999999999999999999",
            "-1e400",
            "-1.7976931348623157e308",
            "123456789e300",
            "1234567890e300",
            "0.5e309",
            "00000001e308",
            "1.0000000000000000000000000000000000000000001e308",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        // Halfway cases between two doubles near the top, which take the slow path.
        texts.push(format!("1.797693134862315{}e308", "7".repeat(600)));
        texts.push(format!("8.98846567431158{}e307", "0".repeat(700) + "1"));
        for text in &texts {
            let ours = scan_number(text.as_bytes(), 0).is_ok();
            assert_eq!(ours, exact(text), "{text:.60}");
        }
    }
}
