//! Labels already in punycode (`xn--`), taken as they are when IDNA would give them back
//! unchanged: decoded ([`punycode`]), each distinct character looked up once, and only the runs
//! of marks, jamo and joiners mapped again with the character before them.

use super::label::MappedLabel;
use super::{bidi, mapping, punycode};

/// The buffers [`PunycodeLabels::hold`] reuses from label to label of a host.
#[derive(Default)]
pub(in crate::urls) struct PunycodeLabels {
    decoder: punycode::Decoder,
    mapped: MappedLabel,
    /// The label's distinct marks, jamo and joiners, smallest first.
    contextual: Vec<char>,
}

impl PunycodeLabels {
    /// Whether IDNA takes `label`, a label as written that starts with `xn--`, as it is: its
    /// punycode decodes to characters that UTS #46 maps to themselves, in NFC, none right to
    /// left (which would hold the whole host to the bidi rule) and not all ASCII. Taken only
    /// when written in lower case, ending in a digit or letter; anything else is left to the
    /// parser, which decodes and checks such a label at some 500 instructions a byte.
    pub(in crate::urls) fn hold(&mut self, label: &[u8]) -> bool {
        let Some(encoded) = label.strip_prefix(b"xn--") else {
            return false;
        };
        // Its ASCII characters are these bytes: letters, digits and `-`, as a name's are. A
        // test of every byte without a branch, which the compiler makes a vector loop.
        let lower = |b: u8| b.is_ascii_lowercase() | b.is_ascii_digit() | (b == b'-');
        let all_lower = encoded.iter().fold(true, |all, &b| all & lower(b));
        if encoded.last().is_none_or(|&b| b == b'-') || !all_lower {
            return false;
        }
        // A label whose ASCII letters start with `xn--` might decode to one that does, which
        // IDNA refuses: left to the parser.
        let decoder = &mut self.decoder;
        if encoded.starts_with(b"xn--")
            || decoder.scan(encoded).is_none()
            || decoder.inserted.is_empty()
        {
            return false;
        }
        // Each character on its own first (each distinct one once): a label of starters that
        // map to themselves is mapped and in NFC already. Marks, jamo and joiners need the
        // characters around them, in order.
        self.contextual.clear();
        let mut alone = mapping::AloneInOrder::default();
        for &c in &decoder.inserted {
            let stands = match alone.alone(c) {
                mapping::Alone::Itself => !bidi::in_right_to_left_block(c),
                mapping::Alone::InContext => {
                    self.contextual.push(c);
                    !bidi::in_right_to_left_block(c)
                }
                mapping::Alone::Other => false,
            };
            if !stands {
                return false;
            }
        }
        self.contextual.is_empty()
            || (decoder.decode(encoded).is_some()
                && runs_map_to_themselves(&mut self.mapped, &decoder.label, &self.contextual))
    }
}

/// Whether `label`, whose characters outside `contextual` (sorted) each map to themselves and
/// compose with nothing before them, maps to itself in NFC: each run of characters of
/// `contextual` is mapped with the character before it, its starter, if any. Such a character
/// starts afresh whatever came before it (NFC neither reorders nor composes across a starter
/// that composes with nothing before it), so the runs are all that can change, and a label of
/// a few marks costs a few mappings, not one of the whole label.
fn runs_map_to_themselves(mapped: &mut MappedLabel, label: &[char], contextual: &[char]) -> bool {
    let held = runs_held(mapped, label, contextual);
    debug_assert_eq!(
        held,
        mapped.map_chars(label) == Some(label),
        "{label:?}: its runs and the whole label disagree"
    );
    held
}

/// [`runs_map_to_themselves`], without the check of the whole label.
fn runs_held(mapped: &mut MappedLabel, label: &[char], contextual: &[char]) -> bool {
    // Most characters are outside the span of the few contextual ones: two comparisons.
    let (Some(&lowest), Some(&highest)) = (contextual.first(), contextual.last()) else {
        return true;
    };
    let in_context =
        |c: &char| (lowest..=highest).contains(c) && contextual.binary_search(c).is_ok();
    let mut at = 0;
    while let Some(rest) = label.get(at..) {
        let Some(offset) = rest.iter().position(in_context) else {
            break;
        };
        let first = at + offset;
        let run = label
            .get(first..)
            .map_or(0, |run| run.iter().take_while(|c| in_context(c)).count());
        let end = first + run;
        let Some(segment) = label.get(first.saturating_sub(1)..end) else {
            return false;
        };
        if mapped.map_chars(segment) != Some(segment) {
            return false;
        }
        at = end;
    }
    true
}

/// [`punycode::Decoder::decode`] of `encoded` (the label and the characters inserted; `None` if
/// it is not punycode), and what [`punycode::Decoder::scan`] finds inserted.
pub(in crate::urls) fn decode_punycode(encoded: &[u8]) -> DecodedPunycode {
    let mut decoder = punycode::Decoder::default();
    let scanned = decoder.scan(encoded).map(|()| decoder.inserted.clone());
    let decoded = decoder
        .decode(encoded)
        .map(|()| (decoder.label, decoder.inserted));
    (decoded, scanned)
}

/// The label and the characters inserted as decoded, and the characters inserted as scanned.
pub type DecodedPunycode = (Option<(Vec<char>, Vec<char>)>, Option<Vec<char>>);
