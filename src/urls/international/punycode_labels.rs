//! Labels already in punycode (`xn--`), taken as they are when IDNA would give them back
//! unchanged: decoded ([`punycode`]), each distinct character looked up once, and only the runs
//! of marks, jamo and joiners mapped again with the character before them.

use super::label::MappedLabel;
use super::mapping::Context;
use super::nfc::{composition, may_compose_with_jamo};
use super::{mapping, punycode};

/// The buffers [`PunycodeLabels::hold`] reuses from label to label of a host.
#[derive(Default)]
pub(in crate::urls) struct PunycodeLabels {
    decoder: punycode::Decoder,
    segments: Segments,
    /// The label's distinct marks, jamo and joiners, smallest first, and what each is.
    contextual: Vec<(char, Context)>,
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
        if encoded.starts_with(b"xn--") || decoder.scan(encoded).is_none() {
            return false;
        }
        // Every number inserts a character, and a label without one ends in `-`, refused above:
        // the label is not all ASCII.
        debug_assert!(!decoder.inserted.is_empty(), "{encoded:?}");
        // Each character on its own first (each distinct one once): a label of starters that
        // map to themselves is mapped and in NFC already. Marks, jamo and joiners need the
        // characters around them, in order. None may be right to left.
        self.contextual.clear();
        let mut alone = mapping::AloneInOrder::default();
        let mut rest = decoder.inserted.as_slice();
        while let Some((&c, after)) = rest.split_first() {
            match alone.alone(c) {
                mapping::Alone::Itself => {}
                mapping::Alone::InContext(context) => self.contextual.push((c, context)),
                mapping::Alone::Other => return false,
            }
            rest = after
                .get(alone.itself_with_last(after)..)
                .unwrap_or_default();
        }
        if self.contextual.is_empty() {
            return true;
        }
        if apart(&self.contextual, &decoder.inserted, decoder.first) {
            debug_assert!(
                decoder.decode(encoded).is_some()
                    && self.segments.mapped.map_chars(&decoder.label)
                        == Some(decoder.label.as_slice()),
                "{encoded:?}: taken by its characters alone, refused whole"
            );
            return true;
        }
        decoder.decode(encoded).is_some()
            && runs_map_to_themselves(&mut self.segments, &decoder.label, &self.contextual)
    }
}

/// Whether a label maps to itself whatever the order of its characters: its characters that
/// need their neighbours (`contextual`, among `inserted`, all its characters that are not
/// ASCII) are marks that compose with nothing, all of one class but for those of class 0 (NFC
/// reorders only marks of different classes), and jamo while the label has no initial
/// consonant or syllable a jamo could compose with; and it does not begin with a mark, which
/// IDNA refuses. Such a label (a virama or a vowel sign repeated, a run of vowel jamo) is then
/// settled by its distinct characters, without being put in order. `false` when this cannot
/// tell.
fn apart(contextual: &[(char, Context)], inserted: &[char], first: Option<char>) -> bool {
    let mut class = None;
    let mut jamo = false;
    for &(_, context) in contextual {
        match context {
            Context::Mark(0) => {}
            Context::Mark(k) if class.is_none_or(|class| class == k) => class = Some(k),
            Context::Jamo => jamo = true,
            _ => return false,
        }
    }
    let begins_with_mark = first
        .and_then(|first| context_of(contextual, first))
        .is_some_and(|context| matches!(context, Context::Mark(_)));
    let may_compose = jamo && inserted.iter().any(|&c| may_compose_with_jamo(c));
    !begins_with_mark && !may_compose
}

/// What `c` is among `contextual` (sorted by character), if it is one of them.
fn context_of(contextual: &[(char, Context)], c: char) -> Option<Context> {
    let at = contextual.binary_search_by_key(&c, |&(c, _)| c).ok()?;
    contextual.get(at).map(|&(_, context)| context)
}

/// Whether `label`, whose characters outside `contextual` (sorted) each map to themselves and
/// compose with nothing before them, maps to itself in NFC: each run of characters of
/// `contextual` is mapped with the character before it, its starter, if any. Such a character
/// starts afresh whatever came before it (NFC neither reorders nor composes across a starter
/// that composes with nothing before it), so the runs are all that can change, and a label of
/// a few marks costs a few mappings, not one of the whole label.
fn runs_map_to_themselves(
    segments: &mut Segments,
    label: &[char],
    contextual: &[(char, Context)],
) -> bool {
    let held = runs_held(segments, label, contextual);
    debug_assert_eq!(
        held,
        segments.mapped.map_chars(label) == Some(label),
        "{label:?}: its runs and the whole label disagree"
    );
    held
}

/// [`runs_map_to_themselves`], without the check of the whole label. One pass: each run is
/// checked as it is read ([`PlainRun`]), and mapped once it ends if that cannot tell.
fn runs_held(segments: &mut Segments, label: &[char], contextual: &[(char, Context)]) -> bool {
    // Most characters are outside the span of the few contextual ones: two comparisons.
    let (Some(&(lowest, _)), Some(&(highest, _))) = (contextual.first(), contextual.last()) else {
        return true;
    };
    let context = |c: char| {
        if !(lowest..=highest).contains(&c) {
            return None;
        }
        match contextual {
            [(_, only)] => Some(*only),
            _ => context_of(contextual, c),
        }
    };
    // The last letter and accent found to hold: a label repeats its pairs.
    let mut held_pair = None;
    let mut at = 0;
    loop {
        while label.get(at).is_some_and(|&c| context(c).is_none()) {
            at += 1;
        }
        let (first, Some(&c)) = (at, label.get(at)) else {
            break;
        };
        let before = first
            .checked_sub(1)
            .and_then(|before| label.get(before))
            .copied();
        // An accent alone after a letter, the commonest run: the verdict on the pair.
        if let (Some(before), Some(Context::Other), false) = (
            before,
            context(c),
            label.get(first + 1).is_some_and(|&c| context(c).is_some()),
        ) {
            if held_pair != Some((before, c)) {
                if !segments.hold(&[before, c]) {
                    return false;
                }
                held_pair = Some((before, c));
            }
            at = first + 1;
            continue;
        }
        // The run, read as [`PlainRun`] follows it, then mapped if that could not tell.
        let mut plain = Some(PlainRun::after(before));
        let mut end = first;
        while let Some(context) = label.get(end).and_then(|&c| Some((c, context(c)?))) {
            plain = plain.and_then(|plain| plain.step(context.0, context.1));
            if plain.is_some_and(|plain| plain.refused) {
                return false;
            }
            end += 1;
        }
        let start = first - usize::from(before.is_some());
        if !ends_held(segments, label.get(start..end), plain.is_some()) {
            return false;
        }
        at = end;
    }
    true
}

/// Whether a run that has ended holds: at once if [`PlainRun`] followed it to its end, else
/// by mapping its segment.
fn ends_held(segments: &mut Segments, segment: Option<&[char]>, plain: bool) -> bool {
    plain || segment.is_some_and(|segment| segments.hold(segment))
}

/// Segments (a starter and the marks after it) mapped by [`MappedLabel`], and the verdicts on
/// the last few of two characters: a letter and one mark, the commonest, which a label repeats
/// (`é` and an acute, 60 times) and a host repeats label after label.
#[derive(Default)]
struct Segments {
    mapped: MappedLabel,
    /// `(starter << 32 | mark, held)`, by a hash of the pair; 0 where none is kept (no pair
    /// of characters makes it: a mark is not NUL).
    pairs: [(u64, bool); 8],
}

impl Segments {
    /// Whether `segment` maps to itself.
    fn hold(&mut self, segment: &[char]) -> bool {
        let &[starter, mark] = segment else {
            return self.mapped.map_chars(segment) == Some(segment);
        };
        let key = (u64::from(starter) << 32) | u64::from(mark);
        let slot = (u32::from(starter) ^ u32::from(mark).rotate_left(3)) as usize % 8;
        match self.pairs.get(slot) {
            Some(&(kept, held)) if kept == key => held,
            _ => {
                let held = self.mapped.map_chars(segment) == Some(segment);
                if let Some(entry) = self.pairs.get_mut(slot) {
                    *entry = (key, held);
                }
                held
            }
        }
    }
}

/// A run of marks and jamo read one character at a time, as [`MappedLabel`] would map it
/// while its marks compose with nothing and come in the order of their classes, and no jamo
/// composes with the starter right before it (then the run maps to itself), at a few
/// instructions a character. Anything else (a mark that may compose, a joiner, marks out of
/// order) stops it, and [`MappedLabel`] maps the run.
#[derive(Clone, Copy)]
struct PlainRun {
    /// The character before, if it is the starter a jamo would compose with.
    before: Option<char>,
    /// The class of the last mark since the starter.
    last_class: u8,
    /// Whether a starter came before (a label that begins with a mark is refused).
    has_starter: bool,
    /// Whether the label is refused whatever follows.
    refused: bool,
}

impl PlainRun {
    /// Before a run whose label has `before` before it, if anything.
    fn after(before: Option<char>) -> Self {
        Self {
            before,
            last_class: 0,
            has_starter: before.is_some(),
            refused: false,
        }
    }

    /// After `c`, of `context`; `None` if this cannot tell.
    fn step(self, c: char, context: Context) -> Option<Self> {
        let (before, last_class) = match context {
            // IDNA refuses a label that begins with a mark.
            Context::Mark(_) if !self.has_starter => {
                return Some(Self {
                    refused: true,
                    ..self
                });
            }
            // A mark of class 0 starts a run of its own.
            Context::Mark(0) => (Some(c), 0),
            Context::Mark(class) if class >= self.last_class => (None, class),
            Context::Jamo if self.before.is_none_or(|b| composition(b, c).is_none()) => {
                (Some(c), 0)
            }
            _ => return None,
        };
        Some(Self {
            before,
            last_class,
            has_starter: true,
            refused: false,
        })
    }
}

/// [`punycode::Decoder::decode`] of `encoded` (the label and the characters inserted; `None` if
/// it is not punycode), and what [`punycode::Decoder::scan`] finds inserted and first.
pub(in crate::urls) fn decode_punycode(encoded: &[u8]) -> DecodedPunycode {
    let mut decoder = punycode::Decoder::default();
    let scanned = decoder
        .scan(encoded)
        .map(|()| (decoder.inserted.clone(), decoder.first));
    let decoded = decoder
        .decode(encoded)
        .map(|()| (decoder.label, decoder.inserted));
    (decoded, scanned)
}

/// The label and the characters inserted as decoded, and the characters inserted and the
/// label's first character as scanned.
pub type DecodedPunycode = (
    Option<(Vec<char>, Vec<char>)>,
    Option<(Vec<char>, Option<char>)>,
);

#[cfg(test)]
mod tests {
    use super::PunycodeLabels;

    /// Whether the label `unicode` written in punycode is held, and whether the URL parser
    /// gives it back unchanged (its host is the same `xn--` label).
    fn held_and_parsed(labels: &mut PunycodeLabels, unicode: &str) -> (bool, bool) {
        let encoded = format!(
            "xn--{}",
            idna::punycode::encode_str(unicode).expect("a short label")
        );
        let parsed = url::Url::parse(&format!("https://{encoded}/"))
            .ok()
            .and_then(|url| url.host_str().map(|host| host == encoded))
            .unwrap_or(false);
        (labels.hold(encoded.as_bytes()), parsed)
    }

    #[test]
    fn each_way_a_label_is_settled_gives_the_parsers_verdict() {
        let mut labels = PunycodeLabels::default();
        for (label, expected) in [
            // Characters that stand alone.
            ("ééé", true),
            ("日本語", true),
            // Settled by the distinct characters: vowel jamo, one class of marks.
            ("\u{1161}\u{1161}\u{1161}", true),
            ("\u{1161}\u{11A8}\u{1162}", true),
            ("क\u{94D}\u{94D}", true),
            ("क\u{94D}ि\u{94D}", true),
            // A jamo after an initial consonant composes; a label that begins with a mark.
            ("\u{1100}\u{1161}", false),
            ("가\u{11A8}", false),
            ("\u{94D}क", false),
            // A letter and a mark that compose; a pair that does not, repeated (kept verdicts).
            ("a\u{301}", false),
            ("é\u{301}", true),
            ("é\u{301}é\u{301}é\u{301}", true),
            ("é\u{301}è\u{301}é\u{301}", true),
            ("e\u{323}\u{301}", false),
            // Marks that compose with nothing, of two classes: in their order, or out of it.
            ("a\u{316}\u{305}", true),
            ("a\u{316}\u{316}\u{305}\u{305}", true),
            ("a\u{305}\u{316}", false),
            // Marks out of the order of their classes; a joiner after a virama.
            ("क\u{301}\u{94D}", false),
            ("क\u{94D}\u{200D}ष", true),
            ("क\u{200D}ष", false),
        ] {
            let (held, parsed) = held_and_parsed(&mut labels, label);
            assert_eq!(parsed, expected, "the parser on {label:?}");
            // Held only when the parser takes it unchanged; and each of these it takes, held.
            assert_eq!(held, expected, "{label:?}");
        }
    }

    #[test]
    fn labels_written_otherwise_than_the_parser_writes_them_are_left_to_it() {
        let mut labels = PunycodeLabels::default();
        assert!(labels.hold(b"xn--bcher-kva"));
        for written in [
            // Not punycode at all, or empty.
            &b"bcher-kva"[..],
            b"xn--",
            // In capitals (the parser writes lower case), ending in `-`, or decoding to a label
            // that starts with `xn--` itself.
            b"xn--BCHER-KVA",
            b"xn--bcher-Kva",
            b"xn--bcher-kva-",
            b"xn--xn--bcher-kva",
            // Not punycode: a digit that is none, a number cut short.
            b"xn--bcher-k_a",
            b"xn--bcher-z",
            // A character the table leaves to the parser (U+008D, a control), or right to left
            // (Arabic).
            b"xn--a-0a",
            b"xn--4gbrim",
        ] {
            assert!(
                !labels.hold(written),
                "{}",
                String::from_utf8_lossy(written)
            );
        }
    }
}
