//! The decoder (RFC 3492, section 6.2), in time linear in the label and a few instructions a
//! digit.
//!
//! A label's numbers are nearly all one letter (the next character, or one a few places on), so
//! a run of them is decoded without the bias, which only matters once the run ends. A check of
//! each character needs only the distinct ones, which the decoder inserts smallest first, so
//! [`Decoder::scan`] counts where each character goes without putting it there; only a label
//! whose marks or jamo need their neighbours is decoded in order ([`Decoder::decode`]), through
//! a gap buffer that the decoder's left-to-right insertions move once a code point.

use super::{
    BASE, INITIAL_BIAS, INITIAL_N, LAST_STEP, MAX_LAST_STEP, T_MAX, T_MIN, adapt, digit_value,
    divide, threshold,
};
use crate::invariant::Invariant;

/// Scratch space reused from label to label: a decoded label, and the characters its punycode
/// inserted.
#[derive(Default)]
pub(in crate::urls::international) struct Decoder {
    /// The label, once [`Decoder::decode`] returns.
    pub(in crate::urls::international) label: Vec<char>,
    /// Every character the punycode inserted (all that are not basic), each once, smallest
    /// first: the decoder inserts a character's every occurrence before it moves to a larger
    /// one, so a check of each distinct character costs one look a character, not one an
    /// occurrence. Empty if the label is all ASCII.
    pub(in crate::urls::international) inserted: Vec<char>,
    /// The label's first character, found by [`Decoder::scan`] too: the last character
    /// inserted at the front, or the first basic one.
    pub(in crate::urls::international) first: Option<char>,
    /// The label's length in characters, counted by [`Decoder::scan`] too.
    pub(in crate::urls::international) len: usize,
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
    pub(in crate::urls::international) fn decode(&mut self, encoded: &[u8]) -> Option<()> {
        self.run::<true>(encoded)
    }

    /// [`Decoder::decode`] but for the label itself: [`Decoder::inserted`] only, which is all a
    /// check of each character needs, and [`Decoder::label`] left empty. Where each character
    /// goes is counted, not done: an insertion before the end of the label moves every
    /// character after it, and a label whose characters are inserted at its front (in the
    /// reverse of their code points, or before its ASCII letters) would cost the square of its
    /// length.
    pub(in crate::urls::international) fn scan(&mut self, encoded: &[u8]) -> Option<()> {
        self.run::<false>(encoded)
    }

    /// [`Decoder::decode`] if `ORDERED`, else [`Decoder::scan`].
    fn run<const ORDERED: bool>(&mut self, encoded: &[u8]) -> Option<()> {
        let Self {
            label,
            inserted,
            first,
            len,
        } = self;
        label.clear();
        inserted.clear();
        let (basic, mut digits) = split(encoded);
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
        let initial = Bias {
            bias: INITIAL_BIAS,
            first_threshold: threshold(BASE, INITIAL_BIAS),
        };
        if let Some(delta) = next_number(&mut digits, initial)? {
            let mut bias = Bias::of(adapt(delta, at.places, true));
            at.insert::<ORDERED>(delta, out, inserted)?;
            if inserted.is_empty() {
                // The first character, of the code point the decoder starts from.
                inserted.push(at.c);
            }
            if at.i == 1 {
                at.first = Some(at.c);
            }
            loop {
                let letter_next = digits.first().is_some_and(|&b| letter_value(b).is_some());
                if letter_next
                    && bias.first_threshold == T_MAX
                    && at.places >= Insertions::LETTERS_FROM
                    && let Some(last) = at.letters::<ORDERED>(&mut digits, out, inserted)?
                {
                    bias = Bias::after(last.delta, last.places);
                }
                let Some(delta) = next_number(&mut digits, bias)? else {
                    break;
                };
                bias = Bias::after(delta, at.places);
                at.insert::<ORDERED>(delta, out, inserted)?;
            }
        }
        if ORDERED {
            at.close_gap(out);
        }
        label.truncate(at.len());
        *first = at.first;
        *len = at.len();
        Some(())
    }
}

/// The basic code points of `encoded`, a label's punycode after its `xn--`, and its digits:
/// what stands before its last `-` and what follows it, or no basic code points if it has no
/// `-` (a `-` first is no delimiter: it is read as a digit, which it is not).
pub(in crate::urls::international) fn split(encoded: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memrchr(b'-', encoded) {
        Some(at) if at > 0 => {
            let (basic, rest) = encoded
                .split_at_checked(at)
                .holds("where memrchr found a byte");
            (basic, rest.get(1..).holds("the `-` memrchr found"))
        }
        _ => (&[], encoded),
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
        if at < self.gap {
            out.copy_within(at..self.gap, at + room);
        } else if at - self.gap <= SHORT_MOVE {
            // A character every few places (a joiner after every other letter): a call to
            // copy so few characters costs more than moving them here.
            for from in self.gap..at {
                let c = *out.get(from + room)?;
                *out.get_mut(from)? = c;
            }
        } else {
            out.copy_within(self.gap + room..at + room, self.gap);
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
            // Every other code point (lower-case letters of a block of case pairs).
            rest if rest - self.places < self.places => (2, rest - self.places),
            _ => divide(self.i, self.places),
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

    /// [`Insertions::insert`] of `count` numbers of 0 (at least one): the character again,
    /// `count` times, from place `i` on. The code point stays (`i` is below the places after
    /// any insertion), no character is new, and the label's first character stays (`i` is not
    /// 0 after an insertion).
    fn repeat<const ORDERED: bool>(&mut self, count: usize, out: &mut [char]) -> Option<()> {
        debug_assert!(count > 0 && self.i > 0 && self.i < self.places);
        let added = u32::try_from(count).ok()?;
        if ORDERED {
            // The first where `insert` would put it (the gap moves there), the rest after it:
            // into the room, which holds a character for each digit still to read.
            self.place(out)?;
            let room = out.len().checked_sub(self.len() + 1)?;
            let rest = count - 1;
            if rest > room {
                return None;
            }
            out.get_mut(self.gap..self.gap + rest)?.fill(self.c);
            self.gap += rest;
        }
        self.i = self.i.checked_add(added)?;
        self.places = self.places.checked_add(added)?;
        Some(())
    }

    /// [`Insertions::insert`] of up to `count` numbers of `delta` (at least 1), as many as do
    /// not move the code point, which it returns: the character again after every `delta`
    /// characters of the label. Each insertion passes `delta` of the characters after `i`, and
    /// the code point moves only once they run out.
    #[inline(never)]
    fn spaced<const ORDERED: bool>(
        &mut self,
        delta: u32,
        count: usize,
        out: &mut [char],
    ) -> Option<usize> {
        debug_assert!(delta > 0 && self.i < self.places);
        let after = self.places - 1 - self.i;
        // Called for a delta above 0 only; were it 0, nothing is inserted here and the caller
        // takes the run a number at a time. (Most deltas are 1 or 2, and a division waits
        // some 25 cycles: see `divide`.)
        let reach = match delta {
            0 => return Some(0),
            1 => after,
            _ => divide(after, delta).0,
        };
        // Each insertion passes `delta` of the `after` characters: `done` of them keep `i`
        // below the places (no move of the code point, no overflow).
        let done = count.min(reach as usize);
        if ORDERED && done > 0 {
            // The first where `insert` would put it (the gap moves there), then each of the
            // rest after the `delta` characters that follow the gap, moved before it in one
            // sweep: the characters move once, not once an insertion.
            self.i += delta;
            self.place(out)?;
            self.i += 1;
            self.places += 1;
            self.interleave(done - 1, delta as usize, out)?;
            let added = u32::try_from(done - 1).ok()?;
            self.i = self.i.checked_add(added.checked_mul(delta + 1)?)?;
            self.places = self.places.checked_add(added)?;
        } else if !ORDERED {
            let added = u32::try_from(done).ok()?;
            self.i = self.i.checked_add(added.checked_mul(delta + 1)?)?;
            self.places = self.places.checked_add(added)?;
        }
        debug_assert!(self.i < self.places);
        Some(done)
    }

    /// Writes the character `count` times into the gap of [`Insertions::place`], each after
    /// the `delta` characters that follow the gap: the gap moves past them all. The room left
    /// holds a character for each digit still to read, so it is at least `count`, and each
    /// run of `delta` characters is copied before the next is read (down the buffer, to where
    /// none is left to read).
    fn interleave(&mut self, count: usize, delta: usize, out: &mut [char]) -> Option<()> {
        let room = out.len().checked_sub(self.len())?;
        // The caller counts `count` within the characters after the gap, and each is a digit
        // of the room: the writes never reach a character not yet read.
        let fits = count <= room
            && count
                .checked_mul(delta)
                .and_then(|moved| moved.checked_add(self.gap))
                .is_some_and(|end| end <= self.len());
        debug_assert!(
            fits,
            "{count} of {delta} after {} of {}",
            self.gap,
            self.len()
        );
        if !fits {
            return None;
        }
        let mut to = self.gap;
        let mut from = self.gap + room;
        for _ in 0..count {
            if delta <= SHORT_MOVE {
                for k in 0..delta {
                    let c = *out.get(from + k)?;
                    *out.get_mut(to + k)? = c;
                }
            } else {
                out.copy_within(from..from + delta, to);
            }
            *out.get_mut(to + delta)? = self.c;
            to += delta + 1;
            from += delta;
        }
        self.gap = to;
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
        while let Some(&byte) = digits.get(count) {
            if byte == b'a' {
                // A character repeated: numbers of 0, each inserting the same code point right
                // after the last, written at once.
                let run = run_of(digits, count);
                self.repeat::<ORDERED>(run, out)?;
                count += run;
                continue;
            }
            let Some(delta) = letter_value(byte) else {
                break;
            };
            // (A run of `A`, 0 in upper case, takes the way below: only `a` is repeated.)
            if delta > 0 && digits.get(count + 1) == Some(&byte) {
                // The same letter again: the character after every `delta` others (an accent
                // after each letter), as far as it stays in the label.
                let run = run_of(digits, count);
                let done = self.spaced::<ORDERED>(delta, run, out)?;
                if done > 0 {
                    count += done;
                    continue;
                }
            }
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

/// How many bytes from `at` on are the byte at `at` (0 past the end).
fn run_of(digits: &[u8], at: usize) -> usize {
    let Some((&byte, rest)) = digits.get(at..).and_then(<[u8]>::split_first) else {
        return 0;
    };
    1 + rest.iter().position(|&b| b != byte).unwrap_or(rest.len())
}

/// The value of a letter as a punycode digit (below `T_MAX`); `None` for any other byte.
#[inline(always)]
fn letter_value(byte: u8) -> Option<u32> {
    digit_value(byte).filter(|&digit| digit < T_MAX)
}

/// The bias before a number, and the threshold of its first digit under that bias.
#[derive(Clone, Copy)]
struct Bias {
    bias: u32,
    first_threshold: u32,
}

impl Bias {
    /// The bias `bias`.
    fn of(bias: u32) -> Self {
        Self {
            bias,
            first_threshold: first_threshold_of(bias),
        }
    }

    /// The bias after `delta` over `places`, for any number but the first ([`adapt`]).
    #[inline(always)]
    fn after(delta: u32, places: u32) -> Self {
        // Nearly every step is short: `adapt` neither divides nor loops, and its last step is
        // both the bias and, looked up, the threshold.
        let half = delta / 2;
        match AFTER_SHORT_STEP.get(half as usize) {
            Some(&(bias, first_threshold)) if half < places => Self {
                bias: u32::from(bias),
                first_threshold: u32::from(first_threshold),
            },
            _ => Self::after_far(half, places),
        }
    }

    /// [`Bias::after`] a step whose `half` is not below the places. A step of one turn of
    /// [`adapt`]'s loop (a character a few hundred code points from the last) is told by a
    /// comparison and taken by one constant division; its bias is at least `BASE`, so its
    /// first threshold is `T_MIN`. Each turn of the loop waits on the one before, and the bias
    /// is what every digit of the next number waits on.
    #[inline(never)]
    fn after_far(half: u32, places: u32) -> Self {
        let delta = half + divide(half, places).0;
        // `adapt` takes a turn while `delta` is above 455: one, up to 455 * 35 + 34.
        const ONE_TURN: std::ops::RangeInclusive<u32> =
            MAX_LAST_STEP + 1..=MAX_LAST_STEP * (BASE - T_MIN) + (BASE - T_MIN - 1);
        if ONE_TURN.contains(&delta) {
            let last = LAST_STEP
                .get((delta / (BASE - T_MIN)) as usize)
                .copied()
                .holds("one turn of adapt's loop leaves at most 455");
            let bias = BASE + u32::from(last);
            debug_assert_eq!(bias, adapt(half * 2, places, false));
            return Self {
                bias,
                first_threshold: T_MIN,
            };
        }
        Self::of(adapt(half * 2, places, false))
    }
}

/// [`Bias`] after a short step: for each half of a number that is below the places (so that
/// [`adapt`] only takes its last step), the bias and the first threshold under it.
const AFTER_SHORT_STEP: [(u8, u8); LAST_STEP.len()] = {
    let mut table = [(0, 0); LAST_STEP.len()];
    let mut half = 0;
    while half < LAST_STEP.len() {
        let bias = LAST_STEP[half];
        table[half] = (bias, FIRST_THRESHOLDS[bias as usize]);
        half += 1;
    }
    table
};

/// The highest bias under which every digit of a number after its second has the threshold
/// `T_MAX` ([`threshold`] of `3 * BASE` is `T_MAX` up to here): every bias after a short step
/// (at most 33, when the second digit's is `T_MAX` too) or after a step of one turn of
/// [`adapt`]'s loop (at most 69).
const TAIL_AT_T_MAX: u32 = 3 * BASE - T_MAX;

/// The next number of `digits` (RFC 3492, section 3.3), or `Some(None)` at their end; `None`
/// if a digit is none or the number is cut short or overflows.
#[inline(always)]
fn next_number(digits: &mut &[u8], bias: Bias) -> Option<Option<u32>> {
    let Some((&byte, rest)) = digits.split_first() else {
        return Some(None);
    };
    *digits = rest;
    let digit = digit_value(byte)?;
    if digit < bias.first_threshold {
        return Some(Some(digit));
    }
    if bias.bias <= TAIL_AT_T_MAX {
        let second_threshold = threshold(2 * BASE, bias.bias);
        return tail_number(digit, bias.first_threshold, second_threshold, digits).map(Some);
    }
    long_number(digit, bias.first_threshold, bias.bias, digits).map(Some)
}

/// [`long_number`] under a bias of at most [`TAIL_AT_T_MAX`]: the second digit's threshold
/// given, each digit after it ends the number below `T_MAX`, and the weight grows by
/// `BASE - T_MAX`.
#[inline(always)]
fn tail_number(
    first: u32,
    first_threshold: u32,
    second_threshold: u32,
    digits: &mut &[u8],
) -> Option<u32> {
    debug_assert!(first >= first_threshold);
    let mut value = u64::from(first);
    let mut weight = u64::from(BASE - first_threshold);
    let mut threshold = second_threshold;
    loop {
        let (&byte, rest) = digits.split_first()?;
        *digits = rest;
        let digit = digit_value(byte)?;
        value += u64::from(digit) * weight;
        if digit < threshold {
            return u32::try_from(value).ok();
        }
        // As in `long_number`: the weight held to 32 bits, so the value stays below 2^42.
        weight *= u64::from(BASE - threshold);
        if weight > u64::from(u32::MAX) {
            return None;
        }
        threshold = T_MAX;
    }
}

/// The most characters [`Insertions::move_gap`] moves one at a time, forward.
const SHORT_MOVE: usize = 8;

/// The code point the decoder starts from, a character.
const FIRST_INSERTED: char = '\u{80}';

/// The rest of a variable-length number (RFC 3492, section 3.3) whose first digit, `first`, is
/// not its last, read from `digits`.
///
/// Counted in 64 bits with the weight held to 32: a weight grows tenfold a digit at least
/// (`BASE - T_MAX`), so a number has at most ten digits before its weight overflows, and the
/// value stays far below 64 bits. The value is held to 32 bits once, at the end: it only grows,
/// so it is refused exactly when the RFC's checks of each step refuse it.
#[inline(always)]
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
