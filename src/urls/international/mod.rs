//! International host names in the commonest shape, turned into their ASCII form without the
//! URL parser.
//!
//! The `url` crate's IDNA (UTS #46 through ICU4X's normalizer, then punycode) costs hundreds of
//! instructions a character, and its punycode encoder reads a label once for every distinct
//! character in it: a body of URLs whose hosts are long international labels cost `validate`
//! up to 50 times its parse as JSON, against the contract's 10. Here a host whose every character
//! is ASCII or in the table (see [`mapping`]: characters whose UTS #46 mapping stands on its own,
//! marks, which [`label`] puts in NFC as they come or [`nfc`] at the label's end, and Hangul
//! jamo) is mapped one character at a time, and encoded in time that does not grow with the
//! square of a label, or not at all when a host is only judged (see [`Labels`]). The full stops
//! UTS #46 maps to `.` split labels; a joiner is taken where IDNA's CONTEXTJ rule allows it
//! (after a virama, or a non-joiner between letters that join: [`joiners`]); a label that is
//! punycode once mapped is taken as it is when IDNA would give it back unchanged
//! ([`PunycodeLabels`]); a host with a right-to-left character is held to IDNA's bidi rule on
//! every label ([`bidi`]). Anything else (a label that begins with a mark, a joiner anywhere
//! else, a host that fails the bidi rule, a port, a percent sign, which `percent_host` decodes
//! before calling here) is left to the parser. The `url_fast_path` fuzz target and the tests
//! hold the result to the parser's.

mod bidi;
mod blocks;
mod index;
mod joiners;
mod label;
mod mapping;
mod nfc;
mod punycode;
mod punycode_labels;
mod table;

use super::{MAX_HOST_BYTES, MAX_LABEL_BYTES, is_full_stop, is_name_byte};
use crate::invariant::Invariant;
pub(super) use punycode_labels::{DecodedPunycode, PunycodeLabels, decode_punycode};

/// IDNA refuses a label of more characters than this (once mapped) that is not all ASCII.
const MAX_MAPPED_LABEL: usize = 1000;

/// What a punycode label starts with, once mapped.
const PUNYCODE_PREFIX: [char; 4] = ['x', 'n', '-', '-'];

/// How [`read_host`] writes a label that is not all ASCII once mapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Labels {
    /// `xn--` and its punycode: the host exactly as the parser gives it.
    Encoded,
    /// `xn--` alone. A host judged by its suffixes gets the same verdict from this form as from
    /// the exact one, unless a suffix has a label that starts with `xn--`: no other label can
    /// equal an encoded one, and its place and the label count are kept. The encoding, most of
    /// the cost of a long international label, is then left for a host that must be named.
    CutToPrefix,
}

/// The ASCII form of the host at the start of `rest` (what follows `https://`), which has a
/// character that is not ASCII, exactly as the URL parser would give it (its international
/// labels written as `labels` says); or `None` if the host is not of the shape taken here and
/// the parser must decide. Taken: a host ended by `/`, `?`, `#` or the end, of labels, none
/// empty, none longer than the contract allows, of ASCII letters, digits, `-` and characters of
/// the table, those that map to a `xn--` label punycode IDNA keeps as it is, and a last label
/// that cannot make the host a number.
///
/// One pass over the host, which stops at the first character it does not take: a host left to
/// the parser costs little more here than its reading.
///
/// Whether a host is taken does not depend on `labels`: the encoder refuses only labels longer
/// than any taken here, or numbers that such labels cannot reach.
pub(super) fn read_host(rest: &str, labels: Labels) -> Option<String> {
    let mut out = Vec::new();
    let mut label = label::MappedLabel::default();
    let mut encoder = punycode::Encoder::default();
    let mut punycode = PunycodeLabels::default();
    let mut ascii = Vec::new();
    let mut label_start = 0;
    // If a character is right to left once mapped, every label must pass the bidi rule.
    let mut host_bidi = bidi::HostBidi::default();
    loop {
        label.clear();
        let mut at = label_start;
        // Whether every character of the label is ASCII.
        let mut ascii_only = true;
        let (end, stop) = loop {
            // A run of letters, digits and `-` at once.
            let tail = rest
                .as_bytes()
                .get(at..)
                .holds("`at` is where a character starts");
            let run = tail.iter().take_while(|&&b| is_name_byte(b)).count();
            label.push_ascii_run(tail.get(..run).holds("a run of the tail"));
            at += run;
            let Some(c) = rest.get(at..).and_then(|tail| tail.chars().next()) else {
                break (rest.len(), None);
            };
            // Past the bound, the host is too long whether or not `c` is in it.
            if at > MAX_HOST_BYTES {
                return None;
            }
            match c {
                c if is_full_stop(c) => break (at, Some('.')),
                '/' | '?' | '#' => break (at, Some(c)),
                // Any other ASCII character is none a name takes.
                c if c.is_ascii() => return None,
                c => {
                    label.push(c)?;
                    host_bidi.see(c);
                    ascii_only = false;
                }
            }
            at += c.len_utf8();
        };
        let label_len = end - label_start;
        if label_len == 0 || label_len > MAX_LABEL_BYTES || end > MAX_HOST_BYTES {
            return None;
        }
        if !out.is_empty() {
            out.push(b'.');
        }
        let written = rest
            .as_bytes()
            .get(label_start..end)
            .holds("the label just read");
        if ascii_only && super::punycode_prefix(written) {
            // Punycode as written, in any case: not mapped a character at a time.
            take_punycode(
                &mut punycode,
                written,
                label_start,
                &mut host_bidi,
                (labels, &mut out),
            )?;
        } else {
            let mapped = label.finish()?;
            if mapped.starts_with(&PUNYCODE_PREFIX) {
                // A label that maps to `xn--` (in full-width letters, say) is read as punycode.
                ascii_of(mapped, &mut ascii)?;
                take_punycode(
                    &mut punycode,
                    &ascii,
                    label_start,
                    &mut host_bidi,
                    (labels, &mut out),
                )?;
            } else if mapped.iter().all(char::is_ascii) {
                host_bidi.note(label_start, mapped);
                out.extend(mapped.iter().map(|&c| c as u8));
            } else {
                host_bidi.note(label_start, mapped);
                debug_assert!(
                    mapped.len() <= MAX_MAPPED_LABEL,
                    "no label within the contract's bound maps to more characters"
                );
                out.extend_from_slice(b"xn--");
                if labels == Labels::Encoded {
                    encoder.encode(mapped, &mut out)?;
                }
            }
        }
        match stop {
            // Past the full stop, which may be written as more than one byte.
            Some('.') => label_start = rest.get(end..)?.chars().next()?.len_utf8() + end,
            // A host that fails the bidi rule is left to the parser, which refuses it.
            _ if !host_bidi.holds(rest.get(..end)?, {
                let mut held = 0;
                move |text| passes_bidi(text, &mut label, &mut punycode, &mut held)
            }) =>
            {
                return None;
            }
            _ => break,
        }
    }
    // A last label of ASCII that starts with a digit could make the host an IPv4 address; one
    // that starts with a letter, or `xn--`, cannot.
    let last = out.rsplit(|&b| b == b'.').next().unwrap_or_default();
    if !last.first().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let out = String::from_utf8(out);
    debug_assert!(out.is_ok(), "the host's ASCII form is ASCII");
    out.ok()
}

/// Takes `label`, a punycode label (in any case) that starts at `start` in the host, into `out`
/// as `labels` says, if [`PunycodeLabels::hold`] takes it; noted for the bidi rule.
fn take_punycode(
    punycode: &mut PunycodeLabels,
    label: &[u8],
    start: usize,
    host_bidi: &mut bidi::HostBidi,
    (labels, out): (Labels, &mut Vec<u8>),
) -> Option<()> {
    if !punycode.hold(label) {
        return None;
    }
    if punycode.last_in_block() {
        host_bidi.see_in_block();
    }
    if let Some(bidi) = host_bidi.noting(start)
        && !punycode.note_last_bidi(label, bidi)
    {
        return None;
    }
    out.extend_from_slice(b"xn--");
    if labels == Labels::Encoded {
        out.extend(label.iter().skip(4).map(u8::to_ascii_lowercase));
    }
    Some(())
}

/// Whether `text`, a label of a host held to the bidi rule, passes it once mapped (in `label`);
/// a punycode label, the `held`-th held, by what [`PunycodeLabels`] found of it.
fn passes_bidi(
    text: &str,
    label: &mut label::MappedLabel,
    punycode: &mut PunycodeLabels,
    held: &mut usize,
) -> bool {
    let Some(mapped) = label.map(text) else {
        return false;
    };
    if !mapped.starts_with(&PUNYCODE_PREFIX) {
        return bidi::label_holds(mapped);
    }
    let mut ascii = Vec::new();
    let mut labels = bidi::LabelsBidi::default();
    let noted =
        ascii_of(mapped, &mut ascii).is_some() && punycode.note_bidi(*held, &ascii, &mut labels);
    *held += 1;
    noted && labels.each_passes()
}

/// Writes `chars` into `ascii` as bytes; `None` if one is not ASCII.
fn ascii_of(chars: &[char], ascii: &mut Vec<u8>) -> Option<()> {
    ascii.clear();
    for &c in chars {
        ascii.push(u8::try_from(c).ok().filter(u8::is_ascii)?);
    }
    Some(())
}
