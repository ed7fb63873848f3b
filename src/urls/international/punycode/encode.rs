//! The encoder, in time that does not grow with the square of a label.
//!
//! The RFC's encoder (section 6.3) reads the whole label once for every distinct non-ASCII
//! character in it: a label of 80 distinct CJK characters is read 80 times, and the `idna`
//! crate's encoder, which is that loop, cost more than the rest of the request together on such
//! hosts. What each pass counts is, for each place where its character stands, how many smaller
//! characters come before it; here the characters are sorted once with their places, and a bit
//! set of the places already filled, with a running count a word, answers each count in a few
//! instructions. The output is the RFC's, byte for byte.

use super::{BASE, DIGITS, INITIAL_BIAS, INITIAL_N, T_MAX, T_MIN, adapt, threshold};

/// Scratch space reused from label to label, so a host costs no allocation a label.
#[derive(Default)]
pub(in crate::urls::international) struct Encoder {
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
    pub(in crate::urls::international) fn encode(
        &mut self,
        label: &[char],
        out: &mut Vec<u8>,
    ) -> Option<()> {
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

/// The punycode digit of a value below 36.
fn digit(value: u32) -> u8 {
    debug_assert!(value < BASE, "a digit is taken modulo the base");
    DIGITS.get(value as usize).copied().unwrap_or(b'z')
}
