//! Punycode (RFC 3492), both ways, in time that does not grow with the square of a label.
//!
//! The encoder ([`Encoder`]) writes the ASCII form of a label the crate mapped itself; the
//! decoder ([`Decoder`]) reads a label written `xn--` in a host, so that the crate can check it
//! without the URL parser. Both give the RFC's result exactly: the `idna` crate's, which the
//! tests and the `punycode_decode` fuzz target hold them to.

mod decode;
mod encode;

pub(in crate::urls::international) use decode::{Decoder, split};
pub(in crate::urls::international) use encode::Encoder;

/// The RFC's parameters for IDNA (section 5).
const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 0x80;

/// The threshold of the digit of weight index `k` (a multiple of the base) under `bias`.
fn threshold(k: u32, bias: u32) -> u32 {
    // Past the first digit the threshold is nearly always `T_MAX` (the bias is small): one
    // well-predicted comparison, where the clamp costs three conditional moves.
    if k >= bias.saturating_add(T_MAX) {
        T_MAX
    } else {
        k.saturating_sub(bias).max(T_MIN)
    }
}

/// The value of a punycode digit (`a` to `z` 0 to 25, `0` to `9` 26 to 35, either case).
fn digit_value(byte: u8) -> Option<u32> {
    let value = DIGIT_VALUES.get(usize::from(byte)).copied()?;
    (value < BASE as u8).then_some(u32::from(value))
}

/// [`digit_value`] of every byte, `u8::MAX` for a byte that is no digit.
const DIGIT_VALUES: [u8; 256] = {
    let mut table = [u8::MAX; 256];
    let mut at = 0;
    while at < DIGITS.len() {
        let byte = DIGITS[at];
        table[byte as usize] = at as u8;
        table[byte.to_ascii_uppercase() as usize] = at as u8;
        at += 1;
    }
    table
};

/// `n / d` and `n % d`, `d` being a count of places (at least 1). A label of a host has at most
/// 256 bytes, so its places are found in [`RECIPROCALS`] and the division is a multiply: the
/// decoder divides by the places twice for a character that jumps far from the one before, and
/// a hardware division waits a dozen cycles or more, on the path every later digit waits on.
#[inline(always)]
fn divide(n: u32, d: u32) -> (u32, u32) {
    debug_assert!(d > 0);
    match RECIPROCALS.get(d as usize) {
        // `m` is `2^64 / d` rounded up: the high half of `m * n` is `n / d` exactly for every
        // 32-bit `n` (Lemire, Kaser and Kurz, "Faster remainder by direct computation", 2019).
        // The quotient is at most `n`, and `quotient * d` at most `n`: neither overflows.
        Some(&m) if m != 0 => {
            let quotient = ((u128::from(m) * u128::from(n)) >> 64) as u32;
            (quotient, n - quotient * d)
        }
        _ => (n / d.max(1), n % d.max(1)),
    }
}

/// `2^64 / d` rounded up for every `d` from 2 to a label's places and more; 0 where there is
/// none (0 and 1).
const RECIPROCALS: [u64; 320] = {
    let mut table = [0; 320];
    let mut d = 2;
    while d < table.len() {
        table[d] = u64::MAX / d as u64 + 1;
        d += 1;
    }
    table
};

/// The bias after a character is inserted (RFC 3492, section 6.1).
fn adapt(delta: u32, points: u32, first_time: bool) -> u32 {
    let mut delta = if first_time { delta / DAMP } else { delta / 2 };
    // At most `u32::MAX / 2` plus its half: no overflow. A quotient of 0 (the common case of
    // a short step) needs no division.
    if delta >= points {
        // A quotient of 1 (a step of one to two rounds of the places) is the common case too,
        // and a division costs some 25 cycles.
        delta += if delta - points < points {
            1
        } else {
            divide(delta, points).0
        };
    }
    let mut k = 0;
    while delta > MAX_LAST_STEP {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    // Here `delta` is at most 455: the last step is looked up rather than divided.
    debug_assert!((delta as usize) < LAST_STEP.len());
    let last = LAST_STEP.get(delta as usize).copied().unwrap_or(0);
    k + u32::from(last)
}

/// The most `delta` [`adapt`]'s last step takes: 455.
const MAX_LAST_STEP: u32 = ((BASE - T_MIN) * T_MAX) / 2;

/// The last step of [`adapt`] for every `delta` it can have there (0 to 455).
const LAST_STEP: [u8; 456] = {
    let mut table = [0u8; 456];
    let mut delta = 0;
    while delta < 456 {
        table[delta] = (((BASE - T_MIN + 1) * delta as u32) / (delta as u32 + SKEW)) as u8;
        delta += 1;
    }
    table
};

/// The punycode digits: `a` to `z`, then `0` to `9`.
const DIGITS: &[u8; BASE as usize] = b"abcdefghijklmnopqrstuvwxyz0123456789";

#[cfg(test)]
mod tests {
    use super::{Decoder, Encoder};

    fn decoded(encoded: &str) -> Option<String> {
        let mut decoder = Decoder::default();
        decoder.decode(encoded.as_bytes())?;
        // The characters inserted, each once, smallest first: those of the label not ASCII.
        let mut expected: Vec<char> = decoder
            .label
            .iter()
            .copied()
            .filter(|c| !c.is_ascii())
            .collect();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(decoder.inserted, expected, "{encoded}");
        Some(decoder.label.into_iter().collect())
    }

    fn encode(label: &str) -> String {
        let chars: Vec<char> = label.chars().collect();
        let mut out = Vec::new();
        Encoder::default()
            .encode(&chars, &mut out)
            .and_then(|()| String::from_utf8(out).ok())
            .unwrap_or_default()
    }

    #[test]
    fn the_rfc_samples_encode_as_the_rfc_gives_them() {
        // RFC 3492, section 7.1 (the ones in lower case, as IDNA maps them first).
        let samples = [
            (
                "\u{644}\u{64A}\u{647}\u{645}\u{627}\u{628}\u{62A}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64A}\u{61F}",
                "egbpdaj6bu4bxfgehfvwxn",
            ),
            (
                "\u{4ED6}\u{4EEC}\u{4E3A}\u{4EC0}\u{4E48}\u{4E0D}\u{8BF4}\u{4E2D}\u{6587}",
                "ihqwcrb4cv8a8dqg056pqjye",
            ),
            (
                "\u{305D}\u{306E}\u{30B9}\u{30D4}\u{30FC}\u{30C9}\u{3067}",
                "d9juau41awczczp",
            ),
            ("-> $1.00 <-", "-> $1.00 <--"),
            ("bücher", "bcher-kva"),
            ("münchen", "mnchen-3ya"),
        ];
        for (label, expected) in samples {
            assert_eq!(encode(label), expected, "{label}");
        }
    }

    /// Labels of repeated and interleaved characters, of every length of UTF-8.
    const MIXED: [&str; 6] = [
        "ééé",
        "aéaéa",
        "日本日本語",
        "ßσς",
        "語日本a-b",
        "\u{20000}aé\u{4E00}",
    ];

    #[test]
    fn repeated_and_interleaved_characters_encode_as_idna_encodes_them() {
        for label in MIXED {
            let expected = idna_punycode(label);
            assert_eq!(encode(label), expected, "{label}");
        }
    }

    #[test]
    fn labels_longer_than_a_word_of_places_encode_as_idna_encodes_them() {
        let cjk: String = (0..150)
            .filter_map(|i| char::from_u32(0x4E00 + i * 37 % 500))
            .collect();
        let mixed: String = cjk
            .chars()
            .zip("ab-9".chars().cycle())
            .flat_map(|(c, a)| [a, c])
            .collect();
        let repeated = "é日a".repeat(60);
        for label in [cjk.as_str(), mixed.as_str(), repeated.as_str()] {
            let expected = idna_punycode(label);
            assert!(!expected.is_empty(), "{label}");
            assert_eq!(encode(label), expected, "{label}");
        }
    }

    #[test]
    fn division_by_the_places_is_exact_for_every_dividend() {
        use super::{RECIPROCALS, divide};
        let dividends = (0..2000)
            .chain((0..32).map(|shift| 1 << shift))
            .chain((0..32).map(|shift| (1u32 << shift).wrapping_sub(1)))
            .chain([u32::MAX, u32::MAX - 1, 0x9E37_79B9, 0x7FFF_FFFF]);
        for d in (1..RECIPROCALS.len() as u32 + 3).chain([1000, u32::MAX]) {
            for n in dividends.clone() {
                assert_eq!(divide(n, d), (n / d, n % d), "{n} / {d}");
            }
        }
    }

    /// RFC 3492's `adapt`, as its pseudocode writes it.
    fn rfc_adapt(delta: u32, points: u32, first_time: bool) -> u32 {
        let mut delta = if first_time { delta / 700 } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((36 - 1) * 26) / 2 {
            delta /= 36 - 1;
            k += 36;
        }
        k + (36 - 1 + 1) * delta / (delta + 38)
    }

    #[test]
    fn the_threshold_is_the_rfcs_clamp() {
        for k in (1..=12).map(|digit| digit * 36) {
            for bias in (0..2000).chain([u32::MAX - 30, u32::MAX]) {
                // RFC 3492, section 6.2: tmin if k <= bias, tmax if k >= bias + tmax.
                let expected = if k <= bias {
                    1
                } else if u64::from(k) >= u64::from(bias) + 26 {
                    26
                } else {
                    k - bias
                };
                assert_eq!(super::threshold(k, bias), expected, "{k} {bias}");
            }
        }
    }

    #[test]
    fn the_bias_adapts_as_the_rfc_says() {
        // Around each number of turns of the RFC's loop too (at most 455 left after one turn,
        // 15,959 before it; after two, 558,599 before them), halved first.
        let edges = [455, 15_959, 558_599].into_iter().flat_map(|edge: u32| {
            (edge * 2 - 80..edge * 2 + 80).chain((edge * 1400 - 80..edge * 1400 + 80).step_by(7))
        });
        for delta in (0..20_000).chain(edges).chain([
            455 * 2,
            456 * 2,
            481 * 2,
            1 << 20,
            u32::MAX / 3,
            u32::MAX,
        ]) {
            for points in [1, 2, 3, 7, 64, 255, 257, 319, 320, 321, 1000, 2000] {
                for first_time in [false, true] {
                    assert_eq!(
                        super::adapt(delta, points, first_time),
                        rfc_adapt(delta, points, first_time),
                        "{delta} {points} {first_time}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_rfc_samples_and_every_label_encoded_here_decode_back() {
        for (label, encoded) in [
            ("bücher", "bcher-kva"),
            ("münchen", "mnchen-3ya"),
            ("-> $1.00 <-", "-> $1.00 <--"),
            (
                "\u{4ED6}\u{4EEC}\u{4E3A}\u{4EC0}\u{4E48}\u{4E0D}\u{8BF4}\u{4E2D}\u{6587}",
                "ihqwcrb4cv8a8dqg056pqjye",
            ),
            (
                "\u{305D}\u{306E}\u{30B9}\u{30D4}\u{30FC}\u{30C9}\u{3067}",
                "d9juau41awczczp",
            ),
        ] {
            assert_eq!(decoded(encoded).as_deref(), Some(label), "{encoded}");
            // Digits in upper case are the same digits.
            let upper = encoded.to_ascii_uppercase();
            let basic_upper = decoded(&upper).map(|label| label.to_lowercase());
            assert_eq!(
                basic_upper.as_deref(),
                Some(label.to_lowercase().as_str()),
                "{upper}"
            );
        }
        let cjk: String = (0..150)
            .filter_map(|i| char::from_u32(0x4E00 + i * 37 % 500))
            .collect();
        for label in MIXED.iter().copied().chain([cjk.as_str()]) {
            assert_eq!(decoded(&encode(label)).as_deref(), Some(label), "{label}");
        }
    }

    #[test]
    fn the_scan_finds_the_characters_and_the_first_one_the_decoding_puts_in_order() {
        let mut decoder = Decoder::default();
        // The first insertion at the front without a move of the code point (U+0080 before
        // `a`), at the end, after a move; inserted at the front by a later one; none.
        for label in [
            "\u{80}a", "a\u{80}", "éa", "aé", "bé日", "日本é", "abc", "ééé",
        ] {
            let chars: Vec<char> = label.chars().collect();
            let encoded = encode(label);
            assert_eq!(decoder.decode(encoded.as_bytes()), Some(()), "{label}");
            assert_eq!(decoder.label, chars, "{label}");
            let (inserted, first) = (decoder.inserted.clone(), decoder.first);
            assert_eq!(first, chars.first().copied(), "{label}");
            assert_eq!(decoder.scan(encoded.as_bytes()), Some(()), "{label}");
            assert!(decoder.label.is_empty(), "{label}");
            assert_eq!(
                (&decoder.inserted, decoder.first),
                (&inserted, first),
                "{label}"
            );
        }
    }

    /// Labels over a few characters close together (so that a number moves the code point by
    /// one, two or more rounds, or none) and letters: every one of up to three characters, runs
    /// of two characters, and longer ones from a fixed generator.
    fn small_labels() -> Vec<String> {
        const ALPHABET: [char; 8] = ['a', 'z', '\u{80}', '\u{81}', '\u{82}', 'é', 'ê', '日'];
        let mut labels: Vec<String> = Vec::new();
        let mut of_length = vec![String::new()];
        for _ in 0..3 {
            of_length = of_length
                .iter()
                .flat_map(|label| ALPHABET.iter().map(move |&c| format!("{label}{c}")))
                .collect();
            labels.extend(of_length.iter().cloned());
        }
        for &a in &ALPHABET {
            for &b in &ALPHABET {
                for (k, m) in [(1, 5), (5, 1), (7, 7), (2, 30), (30, 2), (3, 3), (40, 40)] {
                    labels.push(format!(
                        "{}{}",
                        a.to_string().repeat(k),
                        b.to_string().repeat(m)
                    ));
                }
            }
        }
        // Characters that come back at a fixed spacing (runs of one digit above 0), with and
        // without enough of the label after them to stay in it.
        for unit in ["éê", "ééê", "éêê", "aé", "a日é", "zzzé"] {
            for times in [2, 3, 17, 40] {
                labels.push(unit.repeat(times));
                labels.push(format!("{}a", unit.repeat(times)));
                labels.push(format!("ê{}", unit.repeat(times)));
            }
        }
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for length in 4..60 {
            let label = (0..length)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    ALPHABET[(state % ALPHABET.len() as u64) as usize]
                })
                .collect();
            labels.push(label);
        }
        labels
    }

    #[test]
    fn small_labels_decode_as_idna_decodes_them() {
        let mut decoder = Decoder::default();
        for label in small_labels() {
            let encoded = idna::punycode::encode_str(&label).expect("a short label");
            let expected = idna::punycode::decode(&encoded);
            let decoded = decoded_as_idna(&mut decoder, &encoded);
            assert_eq!(decoded, expected, "{label:?} {encoded:?}");
            assert_eq!(
                decoded.as_deref(),
                Some(&label.chars().collect::<Vec<_>>()[..])
            );
        }
    }

    /// Decodes `encoded` and returns the label, held to `idna`'s decoding of it, and the scan
    /// held to the decoding: the same characters inserted, the same first one.
    fn decoded_as_idna(decoder: &mut Decoder, encoded: &str) -> Option<Vec<char>> {
        let decoded = decoder
            .decode(encoded.as_bytes())
            .map(|()| decoder.label.clone());
        assert_eq!(decoded, idna::punycode::decode(encoded), "{encoded}");
        if decoded.is_some() {
            let (inserted, first) = (decoder.inserted.clone(), decoder.first);
            assert_eq!(decoder.scan(encoded.as_bytes()), Some(()), "{encoded}");
            assert_eq!(
                (&decoder.inserted, decoder.first),
                (&inserted, first),
                "{encoded}"
            );
        }
        decoded
    }

    #[test]
    fn digits_in_upper_case_repeated_decode_as_idna_decodes_them() {
        // Found by the fuzz target: a run of `A` (0, as `a` is) after letters.
        let mut decoder = Decoder::default();
        for encoded in [
            "aaaaaaaaae5ga5gqklAAAamia",
            "9caaaAAAaa",
            "9caBBBbbBB",
            "4gqcdeAAAfgBBBh",
            "egbpdaj6bu4bxfgehfvwxn",
            "EGBPDAJ6BU4BXFGEHFVWXN",
        ] {
            decoded_as_idna(&mut decoder, encoded);
        }
    }

    #[test]
    fn what_is_not_punycode_is_refused() {
        for encoded in [
            "-abc",     // a `-` first is read as a digit
            "a_b",      // not a digit
            "bcher-k",  // a number cut short
            "99999999", // an overflow
            "zzzzzzzzzzzzzz",
            "bcher-kva\u{e9}", // not ASCII
            "ébcher-kva",
        ] {
            assert_eq!(decoded(encoded), None, "{encoded}");
        }
        assert_eq!(decoded("").as_deref(), Some(""));
        assert_eq!(decoded("abc-").as_deref(), Some("abc"));
    }

    fn idna_punycode(label: &str) -> String {
        url::Url::parse(&format!("https://{label}/"))
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .and_then(|host| host.strip_prefix("xn--").map(str::to_owned))
            .unwrap_or_default()
    }
}
