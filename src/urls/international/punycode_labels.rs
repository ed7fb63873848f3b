//! Labels already in punycode (`xn--`), taken as they are when IDNA would give them back
//! unchanged: decoded ([`punycode`]), each distinct character looked up once, and only the runs
//! of marks, jamo and joiners mapped again with the character before them.

use super::bidi::{LabelsBidi, UnorderedLabel, classes_in_order};
use super::joiners::non_joiners_allowed;
use super::label::{MappedLabel, pair_maps_to_itself};
use super::mapping::{Context, joining_mark_class, mark_class};
use super::nfc::{Decomposed, composition, may_compose_with_jamo, normalize};
use super::{mapping, punycode};

/// The buffers [`PunycodeLabels::hold`] reuses from label to label of a host, and what it found
/// in them: one for each host, as the bidi rule reads the labels it held in their order.
#[derive(Default)]
pub(in crate::urls) struct PunycodeLabels {
    decoder: punycode::Decoder,
    segments: Segments,
    /// The label's distinct marks, jamo and joiners, smallest first, and what each is.
    contextual: Vec<(char, Context)>,
    /// A label written in capitals, in lower case.
    lowered: Vec<u8>,
    /// Whether the label last held has a character of a block of right-to-left scripts.
    last_in_block: bool,
    /// Whether any label held has one: its host is held to the bidi rule.
    in_block: bool,
    /// What the bidi rule needs of each label held, without decoding it again.
    held: Vec<HeldLabel>,
}

impl PunycodeLabels {
    /// Whether IDNA takes `label`, a label as written that starts with `xn--` (in any case), as
    /// it is but for its case: its punycode decodes to characters that UTS #46 maps to
    /// themselves, in NFC, and not all ASCII. IDNA reads a label in lower case (UTS #46 maps
    /// ASCII letters first), and the parser writes it so. Taken only when ending in a digit or
    /// letter; anything else is left to the parser, which decodes and checks such a label at
    /// some 500 instructions a byte.
    ///
    /// A label of a character of a block of right-to-left scripts holds its host to the bidi
    /// rule: see [`PunycodeLabels::last_in_block`] and [`PunycodeLabels::bidi_holds`].
    pub(in crate::urls) fn hold(&mut self, label: &[u8]) -> bool {
        self.last_in_block = false;
        if all_lower_case(label) {
            return label
                .strip_prefix(b"xn--")
                .is_some_and(|encoded| self.hold_lowered(encoded));
        }
        let mut lowered = std::mem::take(&mut self.lowered);
        let held = lowered_punycode(&mut lowered, label)
            .is_some_and(|encoded| all_lower_case(encoded) && self.hold_lowered(encoded));
        self.lowered = lowered;
        held
    }

    /// Whether the label last held has a character of a block of right-to-left scripts, which
    /// holds its host to the bidi rule.
    pub(in crate::urls) fn last_in_block(&self) -> bool {
        self.last_in_block
    }

    /// Whether `name`, a host of labels of ASCII letters, digits, `-` and `_` and of punycode
    /// labels [`PunycodeLabels::hold`] took, passes the bidi rule: it does unless a label held
    /// has a character of a block of right-to-left scripts, and then each label is checked,
    /// punycode decoded again.
    pub(in crate::urls) fn bidi_holds(&mut self, name: &[u8]) -> bool {
        if !self.in_block {
            return true;
        }
        let mut bidi = LabelsBidi::default();
        let mut ascii = Vec::new();
        let mut held = 0;
        for label in name.split(|&b| b == b'.') {
            if super::super::punycode_prefix(label) {
                if !self.note_bidi(held, label, &mut bidi) {
                    return false;
                }
                held += 1;
            } else {
                ascii.clear();
                // As mapped: in lower case.
                ascii.extend(label.iter().map(|&b| char::from(b.to_ascii_lowercase())));
                bidi.note(&ascii);
            }
        }
        bidi.holds()
    }

    /// [`PunycodeLabels::note_bidi`] of the label held last.
    pub(super) fn note_last_bidi(&mut self, label: &[u8], bidi: &mut LabelsBidi) -> bool {
        let Some(last) = self.held.len().checked_sub(1) else {
            return false;
        };
        // The decoder still holds the characters of the label held last: their classes are
        // found from them if they were not.
        if let Some(held) = self.held.last_mut()
            && held.inserted.is_none()
        {
            held.inserted = Some(classes_in_order(&self.decoder.inserted));
        }
        self.note_bidi(last, label, bidi)
    }

    /// Notes `label`, the punycode label held `held`-th (its `xn--` in any case), in `bidi`: by
    /// the classes of its characters, as [`PunycodeLabels::hold`] found them, or decoded again
    /// when its order matters. `false` if it was not held.
    pub(super) fn note_bidi(&mut self, held: usize, label: &[u8], bidi: &mut LabelsBidi) -> bool {
        let Some(&HeldLabel {
            inserted,
            first,
            last,
        }) = self.held.get(held)
        else {
            debug_assert!(false, "{held} labels held");
            return false;
        };
        let Some(encoded) = label.get(4..) else {
            return false;
        };
        if let Some(first) = first {
            let inserted = match inserted {
                Some(classes) => classes,
                None => match self.scanned(label) {
                    Some(inserted) => classes_in_order(inserted),
                    None => return false,
                },
            };
            let unordered = UnorderedLabel {
                first,
                basic: punycode::split(encoded).0,
                inserted,
                last,
            };
            if bidi.note_unordered(&unordered) {
                return true;
            }
        }
        let Some(decoded) = self.decoded(label) else {
            return false;
        };
        bidi.note(decoded);
        true
    }

    /// The characters of `label`, a punycode label [`PunycodeLabels::hold`] took (its `xn--`
    /// in any case), decoded; `None` if it is not punycode.
    fn decoded(&mut self, label: &[u8]) -> Option<&[char]> {
        self.decoder
            .decode(lowered_punycode(&mut self.lowered, label)?)?;
        Some(&self.decoder.label)
    }

    /// The characters `label`, a punycode label [`PunycodeLabels::hold`] took (its `xn--` in
    /// any case), inserts, as [`punycode::Decoder::scan`] finds them; `None` if it is not
    /// punycode.
    fn scanned(&mut self, label: &[u8]) -> Option<&[char]> {
        self.decoder
            .scan(lowered_punycode(&mut self.lowered, label)?)?;
        Some(&self.decoder.inserted)
    }

    /// [`PunycodeLabels::hold`] of a label's punycode after its `xn--`, of lower-case letters,
    /// digits and `-`.
    fn hold_lowered(&mut self, encoded: &[u8]) -> bool {
        if encoded.last().is_none_or(|&b| b == b'-') {
            return false;
        }
        // A label whose ASCII letters start with `xn--` might decode to one that does, which
        // IDNA refuses: left to the parser.
        let decoder = &mut self.decoder;
        if encoded.starts_with(b"xn--") || decoder.scan(encoded).is_none() {
            return false;
        }
        // IDNA refuses a label of more characters than that.
        if decoder.len > super::MAX_MAPPED_LABEL {
            return false;
        }
        // Every number inserts a character, and a label without one ends in `-`, refused above:
        // the label is not all ASCII.
        debug_assert!(!decoder.inserted.is_empty(), "{encoded:?}");
        // Each character on its own first (each distinct one once): a label of starters that
        // map to themselves is mapped and in NFC already. Marks, jamo and joiners need the
        // characters around them, in order.
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
        // The bidi rule looks at the host once every label is read.
        if alone.in_block() {
            self.last_in_block = true;
            self.in_block = true;
        }
        debug_assert!(decoder.first.is_some(), "a label of characters has a first");
        // The classes, for the bidi rule, only once a label holds the host to it: a label held
        // before that has them found again if it comes to that.
        self.held.push(HeldLabel {
            inserted: self.in_block.then(|| classes_in_order(&decoder.inserted)),
            first: decoder.first,
            last: None,
        });
        if self.contextual.is_empty() {
            return true;
        }
        // One joining mark (an accent after letters), the commonest mark a label has: settled by
        // the characters it may follow, each once, without putting the label in order.
        if let [(mark, Context::Other)] = *self.contextual.as_slice()
            && self.segments.after_each_holds(
                mark,
                punycode::split(encoded).0,
                &decoder.inserted,
                decoder.first,
            )
        {
            debug_assert!(
                maps_whole(decoder, &mut self.segments, encoded),
                "{encoded:?}: its mark held after each character, the label refused whole"
            );
            return true;
        }
        // A non-joiner is allowed by the letters on both sides of it, past any marks, not by
        // the character before it alone: each is checked where it stands, and is then a
        // character like the others (of class 0, composing with nothing), unless a mark or a
        // jamo follows it, and then the whole label is mapped.
        if let Ok(at) = self
            .contextual
            .binary_search_by_key(&NON_JOINER, |&(c, _)| c)
        {
            if decoder.decode(encoded).is_none() {
                return false;
            }
            let label = decoder.label.as_slice();
            let contextual = self.contextual.as_slice();
            let allowed = non_joiners_allowed(label, |next| context_of(contextual, next).is_none());
            if !allowed {
                return self.segments.maps_to_itself(label) && self.decoded_in_order();
            }
            self.contextual.remove(at);
            return runs_map_to_themselves(&mut self.segments, &decoder.label, &self.contextual)
                && self.decoded_in_order();
        }
        if apart(&self.contextual, &decoder.inserted, decoder.first) {
            debug_assert!(
                maps_whole(decoder, &mut self.segments, encoded),
                "{encoded:?}: taken by its characters alone, refused whole"
            );
            return true;
        }
        decoder.decode(encoded).is_some()
            && runs_map_to_themselves(&mut self.segments, &decoder.label, &self.contextual)
            && self.decoded_in_order()
    }

    /// Notes what the bidi rule needs of the label just held and decoded in order, which its
    /// characters alone do not tell: its last character.
    /// Always `true`.
    fn decoded_in_order(&mut self) -> bool {
        if let Some(held) = self.held.last_mut() {
            held.last = self.decoder.label.last().copied();
        }
        true
    }
}

/// The punycode of `label` (its `xn--` in any case) after its `xn--`, written in lower case
/// into `lowered`; `None` if it does not start with `xn--`.
fn lowered_punycode<'a>(lowered: &'a mut Vec<u8>, label: &[u8]) -> Option<&'a [u8]> {
    lowered.clear();
    lowered.extend(label.iter().map(u8::to_ascii_lowercase));
    lowered.strip_prefix(b"xn--")
}

/// Whether `encoded` decodes to a label that maps to itself mapped whole: what a verdict taken
/// without the label in order is held to by the debug assertions (tests and fuzzing).
fn maps_whole(decoder: &mut punycode::Decoder, segments: &mut Segments, encoded: &[u8]) -> bool {
    decoder.decode(encoded).is_some() && segments.maps_to_itself(&decoder.label)
}

/// Whether `label` is of lower-case letters, digits and `-` (as a punycode label's ASCII
/// characters are, and a name's). A test of every byte without a branch, which the compiler
/// makes a vector loop.
fn all_lower_case(label: &[u8]) -> bool {
    let lower = |b: u8| b.is_ascii_lowercase() | b.is_ascii_digit() | (b == b'-');
    label.iter().fold(true, |all, &b| all & lower(b))
}

/// What the bidi rule needs of a label held, beside its characters.
#[derive(Clone, Copy)]
struct HeldLabel {
    /// The bidi classes of the characters it inserts, if found when it was held: once its
    /// host is held to the bidi rule.
    inserted: Option<u16>,
    /// Its first character.
    first: Option<char>,
    /// Its last character, when it was decoded in order.
    last: Option<char>,
}

/// U+200C ZERO WIDTH NON-JOINER.
const NON_JOINER: char = '\u{200C}';

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
    if let [(accent, Context::Other)] = contextual
        && let Some(held) = lone_accents_held(segments, label, *accent)
    {
        return held;
    }
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
                if !segments.hold_pair(before, c) {
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

/// [`runs_held`] of a label whose one contextual character, `accent`, comes alone and after
/// the same letter wherever it comes (`é` and an acute, 60 times): the verdict on that one
/// pair, after a pass over the label without a branch, where the loop of [`runs_held`] takes
/// several a character. `None` if the label is not of that shape.
fn lone_accents_held(segments: &mut Segments, label: &[char], accent: char) -> Option<bool> {
    // The letter before the first accent; an accent first is left to `runs_held`.
    let first = label.iter().position(|&c| c == accent)?;
    let letter = *label.get(first.checked_sub(1)?)?;
    // Every accent after that letter, which is no accent: no two accents together.
    let shaped = label
        .iter()
        .zip(label.get(1..)?)
        .fold(true, |shaped, (&before, &c)| {
            shaped & ((c != accent) | (before == letter))
        });
    shaped.then(|| segments.hold_pair(letter, accent))
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
    /// A pair put in NFC, and where it is decomposed.
    pair: Vec<char>,
    decomposed: Vec<Decomposed>,
    /// `(starter << 32 | mark, held)`, by a hash of the pair; 0 where none is kept (no pair
    /// of characters makes it: a mark is not NUL).
    pairs: [(u64, bool); 8],
    /// The last mark of a pair looked up, and its class if it is a joining mark.
    last_mark: (char, Option<u8>),
    /// The marks precomposed starters of pairs decomposed into, and their classes, by their
    /// last bits: a few accents make most letters, and letters in the order of their code
    /// points (a punycode label's) take them in turn.
    inner_classes: InnerClasses,
}

/// [`mark_class`] of the last marks looked up, by the five last bits of each: the combining
/// diacritical marks most letters decompose into (U+0300 to U+031F) each have a slot.
#[derive(Default)]
struct InnerClasses([(char, Option<u8>); 32]);

impl InnerClasses {
    /// [`mark_class`] of `mark`, kept.
    fn of(&mut self, mark: char) -> Option<u8> {
        let slot = self.0.get_mut(u32::from(mark) as usize % 32);
        debug_assert!(slot.is_some(), "32 slots");
        match slot {
            Some((kept, class)) if *kept == mark => *class,
            Some(slot) => {
                *slot = (mark, mark_class(mark));
                slot.1
            }
            None => mark_class(mark),
        }
    }
}

impl Segments {
    /// Whether `segment` maps to itself.
    fn hold(&mut self, segment: &[char]) -> bool {
        let &[first, second] = segment else {
            return self.maps_to_itself(segment);
        };
        self.kept(first, second, |segments| segments.maps_to_itself(segment))
    }

    /// [`Segments::hold`] of `starter`, a character that maps to itself and composes with
    /// nothing before it, and `mark`.
    fn hold_pair(&mut self, starter: char, mark: char) -> bool {
        self.kept(starter, mark, |segments| segments.pair_holds(starter, mark))
    }

    /// The verdict kept on `first` then `second`, or `verdict`'s, then kept.
    fn kept(&mut self, first: char, second: char, verdict: impl FnOnce(&mut Self) -> bool) -> bool {
        let key = (u64::from(first) << 32) | u64::from(second);
        let slot = (u32::from(first) ^ u32::from(second).rotate_left(3)) as usize % 8;
        match self.pairs.get(slot) {
            Some(&(kept, held)) if kept == key => held,
            _ => {
                let held = verdict(self);
                if let Some(entry) = self.pairs.get_mut(slot) {
                    *entry = (key, held);
                }
                held
            }
        }
    }

    /// Whether a label maps to itself wherever in it `mark` comes, its one character that needs
    /// its neighbours, a joining mark: the label's first character is not the mark, and the
    /// mark after each of the label's other characters (its ASCII ones, `basic`, and the others,
    /// `inserted`, among them the mark) maps to itself. A run of the mark after a character maps
    /// as the mark alone does when its class is above 0: the second is blocked by the first,
    /// of its class. `false` when this cannot tell (the mark would change a character, perhaps
    /// one it never follows).
    fn after_each_holds(
        &mut self,
        mark: char,
        basic: &[u8],
        inserted: &[char],
        first: Option<char>,
    ) -> bool {
        if first.is_none_or(|first| first == mark)
            || joining_mark_class(mark).is_none_or(|class| class == 0)
        {
            return false;
        }
        let mut seen = 0_u128;
        for &b in basic {
            let bit = 1_u128 << (b & 0x7F);
            if seen & bit == 0 {
                seen |= bit;
                if !self.pair_holds(char::from(b), mark) {
                    return false;
                }
            }
        }
        inserted
            .iter()
            .all(|&c| c == mark || self.pair_holds(c, mark))
    }

    /// Whether a starter and a mark map to themselves: by their compositions, when the mark
    /// is a joining mark (a label of accents after different letters meets a new pair at
    /// every letter), else mapped.
    fn pair_holds(&mut self, starter: char, mark: char) -> bool {
        if self.last_mark.0 != mark {
            self.last_mark = (mark, joining_mark_class(mark));
        }
        let segment = [starter, mark];
        let inner_classes = &mut self.inner_classes;
        let class_of_inner = |inner: char| inner_classes.of(inner);
        let by_compositions = match self.last_mark.1 {
            Some(class) => match pair_maps_to_itself(starter, mark, class, class_of_inner) {
                Some(held) => Some(held),
                None => Some(self.pair_in_nfc(starter, mark)),
            },
            None => None,
        };
        debug_assert!(
            by_compositions.is_none_or(|held| held == self.maps_to_itself(&segment)),
            "{segment:?}: its compositions and its mapping disagree"
        );
        by_compositions.unwrap_or_else(|| self.maps_to_itself(&segment))
    }

    /// Whether `starter`, a character that maps to itself and composes with nothing before it,
    /// then `mark`, a joining mark, are in NFC: put in NFC as two characters, where
    /// [`pair_maps_to_itself`] cannot tell (a letter that decomposes into another that
    /// decomposes again, as Greek letters with two accents do). Both map to themselves: the
    /// pair maps to itself when NFC leaves it as it is.
    #[inline(never)]
    fn pair_in_nfc(&mut self, starter: char, mark: char) -> bool {
        self.pair.clear();
        self.pair.extend([starter, mark]);
        normalize(&mut self.pair, &mut self.decomposed).is_some() && self.pair == [starter, mark]
    }

    /// Whether `segment` (a pair, a run, a whole label) maps to itself, mapped: out of line, as
    /// the callers that take a pair by its compositions rarely need it, and its frame would be
    /// theirs.
    #[inline(never)]
    fn maps_to_itself(&mut self, segment: &[char]) -> bool {
        self.mapped.map_chars(segment) == Some(segment)
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
            // Two marks that may compose, first: a mark is no starter.
            ("\u{655}\u{654}", false),
            ("\u{B56}\u{B56}", false),
            // A letter and a mark that compose; a pair that does not, repeated (kept verdicts).
            ("a\u{301}", false),
            ("é\u{301}", true),
            ("é\u{301}é\u{301}é\u{301}", true),
            ("é\u{301}è\u{301}é\u{301}", true),
            ("e\u{323}\u{301}", false),
            // Letters whose base decomposes again (two accents): a mark of the class of their
            // last is kept or composes; one of a lower class goes before it.
            ("ἄ\u{301}", true),
            ("ἀ\u{301}", false),
            ("ἄ\u{323}", true),
            ("ǖ\u{301}", true),
            ("ǖ\u{323}", false),
            ("ệ\u{301}", true),
            // A mark that goes before a letter's last mark and meets a base that decomposes
            // again: kept after it, or composed with it.
            ("ậ\u{323}", true),
            ("ǘ\u{323}", false),
            ("ǖ\u{31B}", false),
            // Letters whose marks share their last bits (U+0323, U+0303), one after the other:
            // the class of each is its own.
            ("ạ\u{301}", true),
            ("ã\u{323}", false),
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
        // Right to left (Arabic): held, its host then held to the bidi rule (one host each).
        let mut host = PunycodeLabels::default();
        assert!(host.hold(b"xn--4gbrim") && host.last_in_block());
        assert!(host.bidi_holds(b"xn--4gbrim.example"));
        assert!(!host.bidi_holds(b"xn--4gbrim.1a.example"));
        // A label held before the host is known to be right to left, whose classes then
        // matter: `a°` ends in a terminator, which a label of such a host may not.
        let mut host = PunycodeLabels::default();
        assert!(host.hold(b"xn--a-1ca") && !host.last_in_block());
        assert!(host.hold(b"xn--4gbrim") && host.last_in_block());
        assert!(!host.bidi_holds(b"xn--a-1ca.xn--4gbrim"));

        // In capitals: the bidi rule reads every label in lower case.
        let mut host = PunycodeLabels::default();
        assert!(host.hold(b"XN--4GBRIM") && host.bidi_holds(b"H.XN--4GBRIM"));
        // As many characters as IDNA takes in a label, and one more.
        let encoded = |count: usize| {
            let label = idna::punycode::encode_str(&"é".repeat(count)).expect("a label");
            format!("xn--{label}")
        };
        assert!(labels.hold(encoded(1000).as_bytes()));
        assert!(!labels.hold(encoded(1001).as_bytes()));
        // In capitals, read as IDNA reads them: in lower case.
        for written in [
            &b"xn--bcher-kva"[..],
            b"XN--bcher-kva",
            b"xn--BCHER-KVA",
            b"xn--bcher-Kva",
        ] {
            assert!(labels.hold(written), "{}", String::from_utf8_lossy(written));
            assert!(!labels.last_in_block());
        }
        for written in [
            // Not punycode at all, or empty.
            &b"bcher-kva"[..],
            b"xn--",
            b"XN--",
            // Ending in `-`, or decoding to a label that starts with `xn--` itself.
            b"xn--bcher-kva-",
            b"XN--bcher-KVA-",
            b"xn--XN--bcher-kva",
            b"xn--xn--bcher-kva",
            // Not punycode: a digit that is none, a number cut short.
            b"xn--bcher-k_a",
            b"xn--bcher-z",
            // A character the table leaves to the parser (U+008D, a control).
            b"xn--a-0a",
        ] {
            assert!(
                !labels.hold(written),
                "{}",
                String::from_utf8_lossy(written)
            );
        }
    }
}
