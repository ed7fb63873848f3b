//! Punycode (RFC 3492, section 6.3), the encoder only, in time that does not grow with the square
//! of a label.
//!
//! The RFC's encoder reads the whole label once for every distinct non-ASCII character in it: a
//! label of 80 distinct CJK characters is read 80 times, and the `idna` crate's encoder, which is
//! that loop, cost more than the rest of the request together on such hosts. What each pass
//! counts is, for each place where its character stands, how many smaller characters come before
//! it; here the characters are sorted once with their places, and a bit set of the places
//! already filled, with a running count a word, answers each count in a few instructions. The
//! output is the RFC's, byte for byte.

/// The RFC's parameters for IDNA (section 5).
const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 0x80;

/// Scratch space reused from label to label, so a host costs no allocation a label.
#[derive(Default)]
pub(super) struct Encoder {
    /// The non-ASCII characters, each with its place (character `<< 32 |` place), sorted: the
    /// order in which the decoder inserts them.
    insertions: Vec<u64>,
    /// How many of the characters smaller than the one being inserted stand before each place.
    filled: Places,
}

impl Encoder {
    /// Appends the punycode of `label` (without the `xn--` prefix) to `out`. `None` if a number
    /// would overflow, which the RFC makes an error; no label of the lengths this crate lets
    /// through comes near it.
    pub(super) fn encode(&mut self, label: &[char], out: &mut Vec<u8>) -> Option<()> {
        self.insertions.clear();
        for (place, &c) in label.iter().enumerate() {
            if c.is_ascii() {
                out.push(c as u8);
            } else {
                let place = u32::try_from(place).ok()?;
                self.insertions
                    .push((u64::from(u32::from(c)) << 32) | u64::from(place));
            }
        }
        let basic = u32::try_from(label.len() - self.insertions.len()).ok()?;
        if basic > 0 {
            out.push(b'-');
        }
        self.insertions.sort_unstable();
        // The decoder starts from the ASCII characters.
        self.filled.start(label);

        let mut n = INITIAL_N;
        let mut delta: u32 = 0;
        let mut bias = INITIAL_BIAS;
        // How many characters the decoder has: the ASCII ones, then one more each insertion.
        let mut handled = basic;
        let mut next = 0;
        while let Some(&first) = self.insertions.get(next) {
            let m = (first >> 32) as u32;
            let run = self.insertions.get(next..)?;
            // The places of `m`: a few as a rule, so counted one by one.
            let run = run.get(..run.iter().take_while(|&&i| (i >> 32) as u32 == m).count())?;
            // The decoder's state moves from `n` to `m` over `handled + 1` places each.
            delta = delta.checked_add(m.checked_sub(n)?.checked_mul(handled.checked_add(1)?)?)?;
            // Every character smaller than `m` is in place: `handled` of them.
            let smaller = handled;
            // The smaller characters before the last place of `m` passed.
            let mut before = 0;
            for &insertion in run {
                let place = insertion as u32 as usize;
                let now = self.filled.before(place);
                delta = delta.checked_add(now.checked_sub(before)?)?;
                push_number(delta, bias, out);
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
                before = now;
            }
            // The smaller characters after its last place, and one for the step past `m`.
            delta = delta
                .checked_add(smaller.checked_sub(before)?)?
                .checked_add(1)?;
            for &insertion in run {
                self.filled.fill(insertion as u32 as usize);
            }
            n = m.checked_add(1)?;
            next += run.len();
        }
        Some(())
    }
}

/// Which places of a label are filled: a bit a place, and for each word of bits how many places
/// the words before it have filled, so that counting the filled places before any place is one
/// word's population count.
#[derive(Default)]
struct Places {
    words: Vec<u64>,
    /// `filled_before[w]`: the filled places in the words before word `w`.
    filled_before: Vec<u32>,
}

impl Places {
    /// Starts over with the places of `label`'s ASCII characters filled.
    fn start(&mut self, label: &[char]) {
        self.words.clear();
        self.words.extend(label.chunks(64).map(|chunk| {
            chunk
                .iter()
                .enumerate()
                .fold(0, |word, (bit, c)| word | (u64::from(c.is_ascii()) << bit))
        }));
        self.filled_before.clear();
        let mut sum = 0;
        for word in &self.words {
            self.filled_before.push(sum);
            sum += word.count_ones();
        }
    }

    /// How many places before `place` are filled.
    fn before(&self, place: usize) -> u32 {
        let (word, bit) = (place / 64, place % 64);
        let below = (1u64 << bit) - 1;
        let within = self.words.get(word).map_or(0, |w| (w & below).count_ones());
        self.filled_before.get(word).copied().unwrap_or(0) + within
    }

    /// Fills `place`, which is not filled yet.
    fn fill(&mut self, place: usize) {
        let (word, bit) = (place / 64, place % 64);
        if let Some(w) = self.words.get_mut(word) {
            debug_assert_eq!(*w & (1 << bit), 0, "a place is filled once");
            *w |= 1 << bit;
        }
        for later in self.filled_before.iter_mut().skip(word + 1) {
            *later += 1;
        }
    }
}

/// Appends `delta` as a generalized variable-length integer (RFC 3492, section 3.3).
fn push_number(delta: u32, bias: u32, out: &mut Vec<u8>) {
    let mut q = delta;
    // `k` grows by `BASE` a digit, and a `u32` has at most seven digits of base 36 or more.
    let mut k = BASE;
    loop {
        let t = threshold(k, bias);
        if q < t {
            break;
        }
        // The threshold is nearly always one of its bounds: division by a constant is a
        // multiplication, where any other divisor costs a division instruction a digit.
        let (rest, next) = match t {
            T_MIN => ((q - T_MIN) % (BASE - T_MIN), (q - T_MIN) / (BASE - T_MIN)),
            T_MAX => ((q - T_MAX) % (BASE - T_MAX), (q - T_MAX) / (BASE - T_MAX)),
            t => ((q - t) % (BASE - t), (q - t) / (BASE - t)),
        };
        out.push(digit(t + rest));
        q = next;
        k += BASE;
    }
    out.push(digit(q));
}

/// Scratch space reused from label to label: a decoded label, and the characters its punycode
/// inserted.
#[derive(Default)]
pub(super) struct Decoder {
    /// The label, once [`Decoder::decode`] returns.
    pub(super) label: Vec<char>,
    /// Every character the punycode inserted (all that are not basic), each once, smallest
    /// first: the decoder inserts a character's every occurrence before it moves to a larger
    /// one, so a check of each distinct character costs one look a character, not one an
    /// occurrence. Empty if the label is all ASCII.
    pub(super) inserted: Vec<char>,
    /// The label's first character, found by [`Decoder::scan`] too: the last character
    /// inserted at the front, or the first basic one.
    pub(super) first: Option<char>,
}

impl Decoder {
    /// Decodes `encoded`, a label's punycode after its `xn--`, into [`Decoder::label`] as IDNA
    /// decodes it (RFC 3492, section 6.2): the basic code points before the last `-`, then the
    /// others, each inserted where its number says. `None` if it is not punycode (a digit that
    /// is none, a number cut short, an overflow, a code point that is no character).
    ///
    /// Most numbers are one letter (a character next to the last one inserted, or a few places
    /// past it), and once the bias is low a run of them needs no bias at all until it ends: see
    /// [`Insertions::letters`]. The code point is made a character only when it moves.
    pub(super) fn decode(&mut self, encoded: &[u8]) -> Option<()> {
        self.run::<true>(encoded)
    }

    /// [`Decoder::decode`] but for the label itself: [`Decoder::inserted`] only, which is all a
    /// check of each character needs, and [`Decoder::label`] left empty. Where each character
    /// goes is counted, not done: an insertion before the end of the label moves every
    /// character after it, and a label whose characters are inserted at its front (in the
    /// reverse of their code points, or before its ASCII letters) would cost the square of its
    /// length.
    pub(super) fn scan(&mut self, encoded: &[u8]) -> Option<()> {
        self.run::<false>(encoded)
    }

    /// [`Decoder::decode`] if `ORDERED`, else [`Decoder::scan`].
    fn run<const ORDERED: bool>(&mut self, encoded: &[u8]) -> Option<()> {
        let Self {
            label,
            inserted,
            first,
        } = self;
        label.clear();
        inserted.clear();
        // A `-` first is no delimiter: it is read as a digit, which it is not.
        let (basic, mut digits) = match memchr::memrchr(b'-', encoded) {
            Some(at) if at > 0 => (encoded.get(..at)?, encoded.get(at + 1..)?),
            _ => (&[][..], encoded),
        };
        if !basic.is_ascii() {
            return None;
        }
        if ORDERED {
            // Each character costs a byte of `encoded` at least: the label is never longer,
            // and is written in place, its length kept in `at`.
            label.resize(encoded.len(), FIRST_INSERTED);
            for (place, &b) in label.iter_mut().zip(basic) {
                *place = char::from(b);
            }
        }
        // At most one character a digit: no growth while decoding.
        inserted.reserve(digits.len() + 1);
        let out = label.as_mut_slice();
        let mut at = Insertions::new(basic, encoded.len())?;
        // The first number on its own: its bias is damped, and a character it inserts without
        // moving the code point goes to the front.
        let mut first_threshold = threshold(BASE, INITIAL_BIAS);
        if let Some(delta) = next_number(&mut digits, first_threshold, INITIAL_BIAS)? {
            let mut bias = adapt(delta, at.places, true);
            first_threshold = first_threshold_of(bias);
            at.insert::<ORDERED>(delta, out, inserted)?;
            if inserted.is_empty() {
                // The first character, of the code point the decoder starts from.
                inserted.push(at.c);
            }
            if at.i == 1 {
                at.first = Some(at.c);
            }
            loop {
                if first_threshold == T_MAX && at.places >= Insertions::LETTERS_FROM {
                    if let Some(last) = at.letters::<ORDERED>(&mut digits, out, inserted)? {
                        bias = adapt(last.delta, last.places, false);
                        first_threshold = first_threshold_of(bias);
                    }
                }
                let Some(delta) = next_number(&mut digits, first_threshold, bias)? else {
                    break;
                };
                bias = adapt(delta, at.places, false);
                first_threshold = first_threshold_of(bias);
                at.insert::<ORDERED>(delta, out, inserted)?;
            }
        }
        if ORDERED {
            at.close_gap(out);
        }
        label.truncate(at.len());
        *first = at.first;
        Some(())
    }
}

/// Where the decoder stands between two characters.
struct Insertions {
    /// The code point inserted last (or the first the decoder may insert), and its character.
    code_point: u32,
    c: char,
    /// The place the next number counts from.
    i: u32,
    /// The places the next character can take: the label's length plus one.
    places: u32,
    /// Where the gap of [`Insertions::place`] is in the label.
    gap: usize,
    /// The label's first character so far.
    first: Option<char>,
}

/// A number and the places it was taken over, which the bias after it depends on.
struct Step {
    delta: u32,
    places: u32,
}

impl Insertions {
    /// From [`Insertions::LETTERS_FROM`] places on, with a first threshold of `T_MAX`, a letter
    /// is a whole number (its value is below `T_MAX`) and leaves the bias where the threshold
    /// stays `T_MAX`: the bias after a letter is `LAST_STEP[x]` for `x` at most `12 + 12 / 3`,
    /// which is at most 10, and a bias of at most 10 leaves `BASE - bias` above `T_MAX`.
    const LETTERS_FROM: u32 = 3;

    /// Before the first insertion into a label of `basic` ASCII characters, out of `encoded`
    /// bytes; `None` if the label could outgrow the counts (each character costs a byte, so
    /// `places` never passes `encoded + 1`).
    fn new(basic: &[u8], encoded: usize) -> Option<Self> {
        u32::try_from(encoded).ok()?.checked_add(2)?;
        let places = u32::try_from(basic.len()).ok()? + 1;
        Some(Self {
            code_point: INITIAL_N,
            c: FIRST_INSERTED,
            i: 0,
            places,
            gap: basic.len(),
            first: basic.first().map(|&b| char::from(b)),
        })
    }

    /// The characters in the label.
    fn len(&self) -> usize {
        (self.places - 1) as usize
    }

    /// Inserts the character `delta` places on (RFC 3492, section 6.2, after the number): into
    /// `out`, whose first [`Insertions::len`] characters are the label so far, if `ORDERED`.
    #[inline(always)]
    fn insert<const ORDERED: bool>(
        &mut self,
        delta: u32,
        out: &mut [char],
        inserted: &mut Vec<char>,
    ) -> Option<()> {
        self.i = self.i.checked_add(delta)?;
        // `i` counts places past the end into the next code point: for most characters it does
        // not reach the end.
        if self.i >= self.places {
            self.next_code_point(inserted)?;
        }
        if ORDERED {
            self.place(out)?;
        }
        // `i` is below `places`, and `places` below `encoded + 2`, a `u32` (see `new`): the
        // label grows by one.
        debug_assert!(self.i < self.places && self.places < u32::MAX);
        self.i += 1;
        self.places += 1;
        Some(())
    }

    /// Writes the character at place `i` of the label in `out`: a gap buffer, the label being
    /// `out[..gap]` then the end of `out` after the room left. The decoder inserts a code
    /// point's characters from the left to the right, so the gap moves once across the label
    /// a code point (not once an insertion, as moving the characters after each would), and
    /// a label inserted at its front or at its end does not move it at all.
    #[inline(always)]
    fn place(&mut self, out: &mut [char]) -> Option<()> {
        let at = self.i as usize;
        if at == self.gap + 1 {
            // One character past the gap (a mark after each letter): it moves before it.
            let room = out.len().checked_sub(self.len())?;
            let c = *out.get(self.gap + room)?;
            *out.get_mut(self.gap)? = c;
        } else if at != self.gap {
            self.move_gap(at, out)?;
        }
        *out.get_mut(at)? = self.c;
        self.gap = at + 1;
        Some(())
    }

    /// Moves the gap of [`Insertions::place`] to `at`.
    fn move_gap(&mut self, at: usize, out: &mut [char]) -> Option<()> {
        let len = self.len();
        // The room left: `len` is below `out.len()` while a character remains to insert.
        let room = out.len().checked_sub(len)?;
        debug_assert!(at <= len && self.gap <= len && room > 0);
        if at > len || self.gap > len || room == 0 {
            return None;
        }
        // A move of a character or two is copied here; a call to copy more costs some 40
        // instructions.
        let (from, to, count) = if at < self.gap {
            (at, at + room, self.gap - at)
        } else {
            (self.gap + room, self.gap, at - self.gap)
        };
        if count <= 2 {
            // From the right when moving right, so that no character is read once overwritten.
            for k in 0..count {
                let k = if to > from { count - 1 - k } else { k };
                let c = *out.get(from + k)?;
                *out.get_mut(to + k)? = c;
            }
        } else {
            out.copy_within(from..from + count, to);
        }
        self.gap = at;
        Some(())
    }

    /// Closes the gap of [`Insertions::place`]: the label is then `out[..len]`.
    fn close_gap(&self, out: &mut [char]) {
        // The label is never longer than `out`, made as long as its punycode.
        let room = out.len().checked_sub(self.len());
        debug_assert!(room.is_some(), "{} characters in {}", self.len(), out.len());
        if let Some(room) = room.filter(|_| self.gap < self.len()) {
            out.copy_within(self.gap + room.., self.gap);
        }
    }

    /// Moves `i` back into the label and the code point on by as many rounds of the places as
    /// it went past them (at least one), and notes the new character.
    #[inline(always)]
    fn next_code_point(&mut self, inserted: &mut Vec<char>) -> Option<()> {
        // Most moves are to the next code point or the one after: a division costs some 25
        // cycles.
        let (moves, i) = match self.i - self.places {
            rest if rest < self.places => (1, rest),
            _ => (self.i / self.places, self.i % self.places),
        };
        self.code_point = self.code_point.checked_add(moves)?;
        self.i = i;
        self.c = char::from_u32(self.code_point)?;
        // Inserted at the front. (After an insertion `i` is at least 1, and a letter only adds
        // to it: only a move to another code point, or the first number, lands at 0.)
        if i == 0 {
            self.first = Some(self.c);
        }
        inserted.push(self.c);
        Some(())
    }

    /// Inserts the characters of the letters at the start of `digits`, each a number of its
    /// own (see [`Insertions::LETTERS_FROM`]), and returns the last one's step, from which the
    /// bias is taken once the run ends; `None` inside if the punycode is refused.
    fn letters<const ORDERED: bool>(
        &mut self,
        digits: &mut &[u8],
        out: &mut [char],
        inserted: &mut Vec<char>,
    ) -> Option<Option<Step>> {
        debug_assert!(self.places >= Self::LETTERS_FROM);
        let mut count = 0;
        for &byte in digits.iter() {
            let Some(delta) = letter_value(byte) else {
                break;
            };
            self.insert::<ORDERED>(delta, out, inserted)?;
            count += 1;
        }
        let (run, rest) = digits.split_at_checked(count)?;
        *digits = rest;
        // The bias after the run is the bias after its last letter.
        Some(run.last().and_then(|&byte| {
            Some(Step {
                delta: letter_value(byte)?,
                places: self.places - 1,
            })
        }))
    }
}

/// The value of a letter as a punycode digit (below `T_MAX`); `None` for any other byte.
#[inline(always)]
fn letter_value(byte: u8) -> Option<u32> {
    digit_value(byte).filter(|&digit| digit < T_MAX)
}

/// The next number of `digits` (RFC 3492, section 3.3), or `Some(None)` at their end; `None`
/// if a digit is none or the number is cut short or overflows.
#[inline(always)]
fn next_number(digits: &mut &[u8], first_threshold: u32, bias: u32) -> Option<Option<u32>> {
    let Some((&byte, rest)) = digits.split_first() else {
        return Some(None);
    };
    *digits = rest;
    let digit = digit_value(byte)?;
    if digit < first_threshold {
        return Some(Some(digit));
    }
    long_number(digit, first_threshold, bias, digits).map(Some)
}

/// The code point the decoder starts from, a character.
const FIRST_INSERTED: char = '\u{80}';

/// The rest of a variable-length number (RFC 3492, section 3.3) whose first digit, `first`, is
/// not its last, read from `digits`.
///
/// Counted in 64 bits with the weight held to 32: a weight grows tenfold a digit at least
/// (`BASE - T_MAX`), so a number has at most ten digits before its weight overflows, and the
/// value stays far below 64 bits. The value is held to 32 bits once, at the end: it only grows,
/// so it is refused exactly when the RFC's checks of each step refuse it.
fn long_number(first: u32, first_threshold: u32, bias: u32, digits: &mut &[u8]) -> Option<u32> {
    debug_assert!(first >= first_threshold);
    let mut value = u64::from(first);
    let mut weight = u64::from(BASE - first_threshold);
    let mut k = 2 * BASE;
    loop {
        let (&byte, rest) = digits.split_first()?;
        *digits = rest;
        let digit = digit_value(byte)?;
        value += u64::from(digit) * weight;
        let threshold = threshold(k, bias);
        if digit < threshold {
            return u32::try_from(value).ok();
        }
        weight *= u64::from(BASE - threshold);
        if weight > u64::from(u32::MAX) {
            return None;
        }
        // At most ten digits: `k` stays below 400, the value below `2^42`.
        k += BASE;
    }
}

/// [`threshold`] of the first digit under every bias below the base (at and above it, the
/// threshold is `T_MIN`): a bias changes with every character, and a lookup costs less than
/// the clamp.
const FIRST_THRESHOLDS: [u8; BASE as usize] = {
    let mut table = [0; BASE as usize];
    let mut bias = 0;
    while bias < BASE {
        let t = BASE - bias;
        table[bias as usize] = if t < T_MIN {
            T_MIN as u8
        } else if t > T_MAX {
            T_MAX as u8
        } else {
            t as u8
        };
        bias += 1;
    }
    table
};

/// [`threshold`] of a number's first digit under `bias`.
fn first_threshold_of(bias: u32) -> u32 {
    FIRST_THRESHOLDS
        .get(bias as usize)
        .map_or(T_MIN, |&t| u32::from(t))
}

/// The threshold of the digit of weight index `k` (a multiple of the base) under `bias`.
fn threshold(k: u32, bias: u32) -> u32 {
    k.saturating_sub(bias).clamp(T_MIN, T_MAX)
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

/// The bias after a character is inserted (RFC 3492, section 6.1).
fn adapt(delta: u32, points: u32, first_time: bool) -> u32 {
    let mut delta = if first_time { delta / DAMP } else { delta / 2 };
    // At most `u32::MAX / 2` plus its half: no overflow. A quotient of 0 (the common case of
    // a short step) needs no division.
    if delta >= points {
        delta += delta / points.max(1);
    }
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    // Here `delta` is at most 455: the last step is looked up rather than divided.
    debug_assert!((delta as usize) < LAST_STEP.len());
    let last = LAST_STEP.get(delta as usize).copied().unwrap_or(0);
    k + u32::from(last)
}

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

/// The punycode digit of a value below 36.
fn digit(value: u32) -> u8 {
    debug_assert!(value < BASE, "a digit is taken modulo the base");
    DIGITS.get(value as usize).copied().unwrap_or(b'z')
}

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
    fn the_bias_adapts_as_the_rfc_says() {
        for delta in (0..20_000).chain([455 * 2, 456 * 2, 481 * 2, 1 << 20, u32::MAX / 3, u32::MAX])
        {
            for points in [1, 2, 3, 7, 64, 1000, 2000] {
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
