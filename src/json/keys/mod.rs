//! Duplicate-key detection for every open object, keys compared after unescaping.

mod hash;
mod large;
mod wide;

use std::cell::Cell;
use std::num::NonZeroU64;

use self::hash::KeyHash;
use self::large::LargeKeys;
use self::wide::Filter;
use super::JsonStr;
use crate::invariant::Invariant;

/// Objects are checked by a linear scan while they are small, which is faster than hashing for
/// the small objects that make up almost every workflow. Thanks to the fingerprint mask, a key
/// is compared with the others only when its bit is taken; past this many keys, such a key
/// widens the object's mask to a filter of 4,096 bits (`wide`), and an object whose keys hit
/// that filter too often moves to a set of its own (bits for small numbers, a keyed hash set
/// for other keys), so that a hostile object with a million keys still costs O(n). As the mask
/// has 64 bits, every object past 88 keys (these and 64 of fresh bits) has widened, and a
/// comparison in the scan meets fewer than this many keys. Most nodes have fewer inputs and
/// stay on the scan; a prompt of many nodes and a LoRA stack's node (198 inputs) widen early,
/// before their keys are each compared with many others. (`docs/performance.md` has the
/// figures of 20, 24, 32 and 48.)
const SCAN_LIMIT: usize = 24;

/// The keys the set of an object that outgrows the linear scan has room for before it grows:
/// a LoRA stack node's 198 inputs.
const SET_ROOM: usize = 256;

/// The keys of every small object currently open, innermost last. One stack is shared by all
/// objects, so reading a small object allocates nothing once the stack has grown, and closing one
/// is O(1). Keys are kept as written, escapes and all: two keys are decoded only when their
/// fingerprints match, which in a valid body happens almost only for a real duplicate.
/// Each open object's own part is described by its [`ObjectKeys`], which the reader keeps with
/// the object's other state.
pub(crate) struct KeyStack<'a> {
    /// The body the keys are in: entries hold offsets into it.
    text: &'a str,
    /// The keyed hash for large objects, with secrets of its own, so no body can make its keys
    /// collide on purpose. Made when the first large object needs it.
    hasher: Option<KeyHash>,
    /// Taken from this thread's [`SPARE`] and given back on drop.
    keys: Vec<Entry>,
    /// The sets of the open objects that have moved past their filter, innermost last: objects
    /// close in the reverse order they open, so an object's set is always the last one while
    /// it is the innermost. (Kept here, not in each [`ObjectKeys`], so that an object's state
    /// needs no dropping: that cost every object of every request a call.)
    sets: Vec<LargeKeys>,
    /// The filters of the open objects that have outgrown the linear scan and not moved to a
    /// set, innermost last, as the sets are.
    filters: Vec<Filter>,
    /// Where escaped keys are decoded, once each, for their fingerprint and hash: the key being
    /// inserted, and a stored one.
    scratch: String,
    other: String,
}

/// Where one open object's keys are.
pub(crate) enum ObjectKeys {
    /// On the shared stack, from `start`. `seen` has one bit per fingerprint seen (folded to
    /// 64), so a new key is compared with the others only when its bit is already set: almost
    /// only for a duplicate, instead of one step per key already there at every insert.
    Small { start: usize, seen: u64 },
    /// Past the linear scan (see [`SCAN_LIMIT`]): still on the shared stack from `start`, with
    /// a filter of 4,096 bits instead of `seen` (the last of [`KeyStack`]'s filters, as it is
    /// the innermost open object). `hits` counts the keys that found their bit taken.
    Wide { start: usize, hits: usize },
    /// In a set of its own, once its filter had too many hits (see `wide`): the last of
    /// [`KeyStack`]'s sets.
    Large,
}

/// The length and the first and last bytes of an unescaped key: cheap, and enough to tell
/// apart the keys of real objects (`input_0`, `input_1`), so whole keys are compared almost only
/// for duplicates. (Inserting decodes an escaped key once and fingerprints the decoded text.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fingerprint(u64);

impl Fingerprint {
    /// The fingerprint of a key without escapes.
    #[inline(always)]
    fn of(key: &str) -> Self {
        let bytes = key.as_bytes();
        // An empty key has no first or last byte; its length alone tells it apart.
        let end = |b: Option<&u8>| b.copied().unwrap_or(0);
        Fingerprint::from_parts(bytes.len(), end(bytes.first()), end(bytes.last()))
    }

    /// The three parts, in bits that do not overlap.
    fn from_parts(len: usize, first: u8, last: u8) -> Self {
        Fingerprint((len as u64) << 16 | u64::from(first) << 8 | u64::from(last))
    }

    /// The bit of [`ObjectKeys::Small`]'s `seen` that stands for the fingerprint.
    #[inline(always)]
    fn seen_bit(self) -> u64 {
        1 << (self.0.wrapping_mul(FOLD) >> 58)
    }
}

/// A key as written (where its text is in the body), the fingerprint of its unescaped text,
/// and, once two keys' fingerprints have met, its keyed hash. Offsets, not a borrowed `&str`,
/// so that a list of entries outlives the body it was filled from and can serve the next
/// request.
#[derive(Clone, Copy)]
struct Entry {
    print: Fingerprint,
    start: usize,
    len: usize,
    hash: Option<NonZeroU64>,
    escaped: bool,
}

impl Entry {
    fn new(print: Fingerprint, key: JsonStr<'_>) -> Self {
        Entry {
            print,
            // The text of a key read from the body starts after its opening quote.
            start: key.offset + 1,
            len: key.raw.len(),
            hash: None,
            escaped: key.escaped,
        }
    }

    /// The keyed hash of the key, computed the first time it is asked for and kept.
    fn hash(&mut self, text: &str, hasher: KeyHash, scratch: &mut String) -> NonZeroU64 {
        if let Some(hash) = self.hash {
            return hash;
        }
        let hash = key_hash(hasher, text, self.key(text), scratch);
        self.hash = Some(hash);
        hash
    }

    /// The key, from the body it was read from.
    fn key<'a>(&self, text: &'a str) -> JsonStr<'a> {
        JsonStr {
            raw: self.raw(text),
            escaped: self.escaped,
            offset: self.start.saturating_sub(1),
        }
    }

    /// The key as written, from the body it was read from.
    fn raw<'a>(&self, text: &'a str) -> &'a str {
        let end = self.start.saturating_add(self.len);
        text.get(self.start..end)
            .holds("an entry points into the body its key was read from")
    }
}

/// The most entries a thread keeps between requests (6 KiB): a body with unusually many or
/// deeply nested keys does not leave its large stack behind.
const SPARE_LIMIT: usize = 256;

thread_local! {
    /// The key stack of this thread's last request, emptied, so that the next one does not
    /// allocate its own: that was one allocation and one free in every request.
    static SPARE: Cell<Vec<Entry>> = const { Cell::new(Vec::new()) };

    /// The buffer the last escaped key on this thread was decoded in, so that a request with
    /// one does not allocate its own (taken only when an escaped key comes).
    static SPARE_SCRATCH: Cell<String> = const { Cell::new(String::new()) };
}

/// The longest decoding buffer a thread keeps between requests.
const SPARE_TEXT: usize = 1 << 10;

/// The fingerprint of a key, decoded.
#[cfg(test)]
fn fingerprint(key: JsonStr<'_>) -> Fingerprint {
    Fingerprint::of(&key.decode())
}

/// The keyed hash of a key's unescaped text, decoding it into `scratch` if it has escapes.
/// (Out of line: the linear scan asks for it rarely, and inlined it crowded the scan's loop.)
#[inline(never)]
fn key_hash(hasher: KeyHash, text: &str, key: JsonStr<'_>, scratch: &mut String) -> NonZeroU64 {
    if key.escaped {
        key.decode_into(scratch);
        hasher.of(scratch)
    } else {
        plain_hash(hasher, text, key)
    }
}

/// The keyed hash of a key without escapes, read where it is in the body `text`: the hash may
/// load a few bytes past its end, which a key read from the body always has.
#[inline(always)]
fn plain_hash(hasher: KeyHash, text: &str, key: JsonStr<'_>) -> NonZeroU64 {
    debug_assert!(!key.escaped);
    // A key read from the body starts after its opening quote.
    let start = key.offset.saturating_add(1);
    debug_assert_eq!(
        text.get(start..start.saturating_add(key.raw.len())),
        Some(key.raw),
        "a key is in the body it was read from"
    );
    hasher.of_within(text.as_bytes(), start, key.raw.len())
}

/// The keyed hash of unescaped text, out of line (see [`key_hash`]).
#[inline(never)]
fn text_hash(hasher: KeyHash, text: &str) -> NonZeroU64 {
    hasher.of(text)
}

/// An odd constant (2^64 over the golden ratio) whose product with a fingerprint spreads its
/// bits into the top six, which pick the fingerprint's bit in [`ObjectKeys::Small`]'s `seen`.
const FOLD: u64 = 0x9E37_79B9_7F4A_7C15;

/// Room for the keys of the objects open at once in a typical workflow (the body, `prompt`, a
/// node, its `inputs`, a nested value), so a small request never grows the stack. (A large
/// `prompt`, holding up to 112 keys before its own set, grows it once; as the thread keeps the
/// grown stack, up to [`SPARE_LIMIT`] entries, that happens once per thread.)
const TYPICAL_KEYS: usize = 32;

impl<'a> KeyStack<'a> {
    /// An empty stack for the keys of objects in `text`.
    #[inline]
    pub(crate) fn new(text: &'a str) -> Self {
        // A spare is missing on a thread's first request, or while another reader holds it.
        let keys = match SPARE.try_with(Cell::take) {
            Ok(keys) if keys.capacity() >= TYPICAL_KEYS => keys,
            _ => Vec::with_capacity(TYPICAL_KEYS),
        };
        KeyStack {
            text,
            hasher: None,
            keys,
            sets: Vec::new(),
            filters: Vec::new(),
            scratch: String::new(),
            other: String::new(),
        }
    }

    /// The keys of an object just opened: none yet.
    pub(crate) fn open(&self) -> ObjectKeys {
        ObjectKeys::Small {
            start: self.keys.len(),
            seen: 0,
        }
    }

    /// Forgets the keys of `object`, the innermost open object.
    #[inline]
    pub(crate) fn close(&mut self, object: &ObjectKeys) {
        match *object {
            ObjectKeys::Small { start, .. } => self.keys.truncate(start),
            ObjectKeys::Wide { start, .. } => self.drop_filter(start),
            // Its keys left the stack for its set when it became large.
            ObjectKeys::Large => self.drop_set(),
        }
    }

    /// Forgets the keys and the filter of the innermost open object, which is closing.
    #[cold]
    fn drop_filter(&mut self, start: usize) {
        self.keys.truncate(start);
        self.filters.pop();
    }

    /// Drops the set of the innermost open object, which is closing.
    #[cold]
    fn drop_set(&mut self) {
        self.sets.pop();
    }

    /// Records a key of `object`, the innermost open object; false if it already has it.
    /// The common case, a plain key of a small object whose fingerprint is new, is inlined.
    #[inline(always)]
    pub(crate) fn insert(&mut self, object: &mut ObjectKeys, key: JsonStr<'a>) -> bool {
        if let ObjectKeys::Small { seen, .. } = object
            && !key.escaped
        {
            let print = Fingerprint::of(key.raw);
            let bit = print.seen_bit();
            if *seen & bit == 0 {
                *seen |= bit;
                self.keys.push(Entry::new(print, key));
                return true;
            }
        }
        match (&object, key.escaped) {
            (ObjectKeys::Large, false) => self.insert_large(key),
            (ObjectKeys::Wide { .. }, _) => self.insert_wide(object, key),
            _ => self.insert_slowly(object, key),
        }
    }

    /// [`KeyStack::insert`] for a key of an object past the linear scan that has not moved to
    /// a set: its bits in the object's filter (see `wide`). The common case, a plain key with a
    /// bit of its own, is settled here; the rest go on to [`KeyStack::insert_wide_slowly`].
    #[inline(never)]
    fn insert_wide(&mut self, object: &mut ObjectKeys, key: JsonStr<'a>) -> bool {
        if !key.escaped
            && let Some(filter) = self.filters.last_mut()
        {
            // A plain key is hashed where it is in the body, after its opening quote.
            let at = key.offset.saturating_add(1);
            if filter.set(self.text.as_bytes(), at, key.raw.len()) {
                self.keys.push(Entry::new(Fingerprint::of(key.raw), key));
                return true;
            }
            // Both its bits were taken: a hit.
            return self.insert_wide_slowly(object, key, true);
        }
        self.insert_wide_slowly(object, key, false)
    }

    /// [`KeyStack::insert_wide`] for a `hit`, a plain key whose bits were both taken, or an
    /// escaped key, whose bits are set here: a hit is compared with the object's keys, unless
    /// the object has had enough hits and moves to a set.
    #[cold]
    fn insert_wide_slowly(&mut self, object: &mut ObjectKeys, key: JsonStr<'a>, hit: bool) -> bool {
        let ObjectKeys::Wide { start, hits } = object else {
            debug_assert!(false, "insert_wide is called for a wide object");
            return true;
        };
        let start = *start;
        if key.escaped {
            self.decode_escaped(key);
        }
        let decoded = if key.escaped {
            self.scratch.as_str()
        } else {
            key.raw
        };
        let print = Fingerprint::of(decoded);
        let Some(bits) = self.filters.last_mut() else {
            debug_assert!(false, "a wide object's filter is the last one");
            return true;
        };
        if hit || !bits.set(decoded.as_bytes(), 0, decoded.len()) {
            *hits += 1;
            if *hits >= wide::HITS || self.keys.len() - start >= wide::KEYS {
                self.filters.pop();
                let (set, new) = self.move_to_set(start, key);
                self.sets.push(set);
                *object = ObjectKeys::Large;
                return new;
            }
            return self.compare_and_push(start, key, print);
        }
        self.keys.push(Entry::new(print, key));
        true
    }

    /// Compares `key` (decoded in the scratch buffer if it is escaped), whose fingerprint is
    /// `print`, with the keys of the object that starts at `start`, and keeps it if none is
    /// the same: false for a duplicate.
    fn compare_and_push(&mut self, start: usize, key: JsonStr<'a>, print: Fingerprint) -> bool {
        let decoded = if key.escaped {
            self.scratch.as_str()
        } else {
            key.raw
        };
        let keys = (self.keys.as_mut_slice(), start);
        if has(
            keys,
            self.text,
            &mut self.hasher,
            (key, decoded),
            print,
            &mut self.other,
        ) {
            return false;
        }
        self.keys.push(Entry::new(print, key));
        true
    }

    /// Decodes an escaped key into the stack's scratch buffer (the thread's, the first time).
    fn decode_escaped(&mut self, key: JsonStr<'a>) {
        if self.scratch.capacity() == 0 {
            self.scratch = SPARE_SCRATCH.try_with(Cell::take).unwrap_or_default();
        }
        key.decode_into(&mut self.scratch);
    }

    /// [`KeyStack::insert`] for a key without escapes of a large object: straight to its set.
    #[inline(never)]
    fn insert_large(&mut self, key: JsonStr<'a>) -> bool {
        let (text, hasher) = (self.text, self.hasher);
        // The hash was drawn when the object became large.
        let (Some(set), Some(hasher)) = (self.sets.last_mut(), hasher) else {
            debug_assert!(false, "a large object's set is the last one, hashed");
            return true;
        };
        set.insert(text, key, || plain_hash(hasher, text, key))
    }

    /// [`KeyStack::insert`] for the rest: an escaped key of a small or large object, or one
    /// whose fingerprint bit is taken in its small object. An escaped key is decoded once, into
    /// a scratch buffer, for both its fingerprint and its hash.
    #[inline(never)]
    fn insert_slowly(&mut self, object: &mut ObjectKeys, key: JsonStr<'a>) -> bool {
        if key.escaped {
            self.decode_escaped(key);
        }
        let decoded: &str = if key.escaped { &self.scratch } else { key.raw };
        let (start, seen) = match object {
            ObjectKeys::Small { start, seen } => (*start, seen),
            ObjectKeys::Large => {
                // An escaped key of a large object (plain ones go to insert_large): to its set.
                let (Some(set), Some(hasher)) = (self.sets.last_mut(), self.hasher) else {
                    debug_assert!(false, "a large object's set is the last one, hashed");
                    return true;
                };
                return set.insert(self.text, key, || hasher.of(decoded));
            }
            ObjectKeys::Wide { .. } => {
                debug_assert!(false, "a wide object's keys go to insert_wide");
                return self.insert_wide(object, key);
            }
        };
        let print = Fingerprint::of(decoded);
        let bit = print.seen_bit();
        if *seen & bit != 0 {
            if self.keys.len() - start >= SCAN_LIMIT {
                self.widen(start);
                *object = ObjectKeys::Wide { start, hits: 0 };
                return self.insert_wide(object, key);
            }
            return self.compare_and_push(start, key, print);
        }
        *seen |= bit;
        self.keys.push(Entry::new(print, key));
        true
    }

    /// Gives the object whose keys are on the stack from `start` a filter of them all, as it
    /// outgrows the linear scan.
    #[cold]
    fn widen(&mut self, start: usize) {
        let mut filter = Filter::EMPTY;
        let entries = self.keys.get(start..);
        for entry in entries.holds("an open object's keys start within the stack") {
            if entry.escaped {
                entry.key(self.text).decode_into(&mut self.other);
                filter.set(self.other.as_bytes(), 0, self.other.len());
            } else {
                filter.set(self.text.as_bytes(), entry.start, entry.len);
            }
        }
        self.filters.push(filter);
    }

    /// The set for an object whose filter had too many hits: its keys from `start` on,
    /// taken off the stack, and `key`; and whether `key` was new to the object.
    #[cold]
    fn move_to_set(&mut self, start: usize, key: JsonStr<'a>) -> (LargeKeys, bool) {
        let (text, hasher) = (self.text, drawn(&mut self.hasher));
        let mut set = LargeKeys::with_capacity(SET_ROOM);
        let other = &mut self.other;
        for mut entry in self.keys.drain(start..) {
            let stored = entry.key(text);
            let new = set.insert(text, stored, || entry.hash(text, hasher, other));
            debug_assert!(new, "the keys of the linear scan are all different");
        }
        let new = set.insert(text, key, || key_hash(hasher, text, key, other));
        (set, new)
    }
}

/// The secrets of a stack's hash, drawn when first needed: most bodies never have an object
/// past the linear scan, nor two keys of one object with the same fingerprint.
#[cold]
fn drawn(hasher: &mut Option<KeyHash>) -> KeyHash {
    *hasher.get_or_insert_with(KeyHash::new)
}

/// Whether the object whose entries are `keys` from `start` has `key` (its unescaped text
/// `decoded`, its fingerprint `print`). Plain keys are compared as written; once an escaped key
/// is involved, keys are compared by their keyed hashes first (each stored key's computed once,
/// and kept, with the stack's secrets drawn then), so that no key is decoded again for every
/// look-alike that follows it.
fn has(
    (keys, start): (&mut [Entry], usize),
    text: &str,
    hasher: &mut Option<KeyHash>,
    (key, decoded): (JsonStr<'_>, &str),
    print: Fingerprint,
    scratch: &mut String,
) -> bool {
    let hasher = drawn(hasher);
    let entries = keys.get_mut(start..);
    let entries = entries.holds("an open object's keys start within the stack");
    let mut hash = None;
    for entry in entries {
        if entry.print != print {
            continue;
        }
        let stored = entry.key(text);
        if !stored.escaped && !key.escaped {
            if stored.raw == key.raw {
                return true;
            }
            continue;
        }
        let hash = *hash.get_or_insert_with(|| text_hash(hasher, decoded));
        if entry.hash(text, hasher, scratch) == hash && stored.chars().eq(key.chars()) {
            return true;
        }
    }
    false
}

impl Drop for KeyStack<'_> {
    /// Gives the stack's room, and the buffer escaped keys were decoded in, back to the thread
    /// for its next request.
    fn drop(&mut self) {
        if self.keys.capacity() <= SPARE_LIMIT {
            let mut keys = std::mem::take(&mut self.keys);
            keys.clear();
            // Fails only while the thread is exiting; then the room is simply freed.
            let _ = SPARE.try_with(|spare| spare.set(keys));
        }
        if (1..=SPARE_TEXT).contains(&self.scratch.capacity()) {
            let scratch = std::mem::take(&mut self.scratch);
            let _ = SPARE_SCRATCH.try_with(|spare| spare.set(scratch));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::{
        KeyStack, ObjectKeys, SCAN_LIMIT, SPARE, SPARE_LIMIT, SPARE_SCRATCH, SPARE_TEXT,
        fingerprint, wide,
    };

    /// More keys than any object keeps in the linear scan (`SCAN_LIMIT` and 64 of fresh bits).
    const LARGE: usize = SCAN_LIMIT + 65;
    use crate::json::JsonStr;

    /// `n` keys `h0`, `h1`, ... whose bits in a wide object's filter are all among those of
    /// `names`: once those are in the object, each of these is a hit.
    fn hitting(n: usize, names: &[String]) -> Vec<String> {
        let bits: HashSet<usize> = names
            .iter()
            .flat_map(|name| <[usize; 2]>::from(wide::bits(name)))
            .collect();
        let hits = (0..1_000_000).map(|i| format!("h{i}")).filter(|name| {
            let (first, second) = wide::bits(name);
            bits.contains(&first) && bits.contains(&second)
        });
        let hits: Vec<String> = hits.take(n).collect();
        assert_eq!(
            hits.len(),
            n,
            "enough keys hit the bits of {} keys",
            names.len()
        );
        hits
    }

    /// Inserts `names` (all new, at least [`LARGE`] of them, so that the object widens) into
    /// `object`, then `hits` (all new, [`wide::HITS`] keys `hitting` the names' bits, which
    /// `body` must hold too): the object ends large.
    fn make_large<'b>(
        keys: &mut KeyStack<'b>,
        object: &mut ObjectKeys,
        body: &'b Body,
        (names, hits): (&[String], &[String]),
    ) {
        for name in names.iter().chain(hits) {
            assert!(keys.insert(object, body.key(name)), "{name}");
        }
        assert!(matches!(object, ObjectKeys::Large));
    }

    fn key(raw: &str) -> JsonStr<'_> {
        JsonStr::from_valid(raw, 0)
    }

    /// A body that holds every key a test uses, quoted, so that its keys point into it as the
    /// reader's do.
    struct Body(String);

    impl Body {
        fn of<'k>(keys: impl IntoIterator<Item = &'k str>) -> Self {
            Body(keys.into_iter().map(|k| format!("\"{k}\" ")).collect())
        }

        fn key(&self, raw: &str) -> JsonStr<'_> {
            let at = self
                .0
                .find(&format!("\"{raw}\""))
                .expect("the key is in the body");
            JsonStr::from_valid(&self.0[at + 1..at + 1 + raw.len()], at)
        }
    }

    #[test]
    fn keys_that_differ_in_length_or_end_bytes_differ_in_fingerprint() {
        let keys = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "aab",
            "bb",
            "input_0",
            "input_1",
            "0_input",
            "a_long_name_x",
            "a_long_name_y",
            "y_long_name_a",
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(fingerprint(key(a)), fingerprint(key(b)), "{a} {b}");
            }
        }
        // Same ends and length: same fingerprint, told apart by the full comparison.
        assert_eq!(
            fingerprint(key("abcdefgh_1_abcdefgh")),
            fingerprint(key("abcdefgh_2_abcdefgh"))
        );
        let body = Body::of(["abcdefgh_1_abcdefgh", "abcdefgh_2_abcdefgh"]);
        let mut stack = KeyStack::new(&body.0);
        let mut object = stack.open();
        assert!(stack.insert(&mut object, body.key("abcdefgh_1_abcdefgh")));
        assert!(stack.insert(&mut object, body.key("abcdefgh_2_abcdefgh")));
        assert!(!stack.insert(&mut object, body.key("abcdefgh_2_abcdefgh")));
    }

    #[test]
    fn an_escaped_key_has_the_fingerprint_of_its_unescaped_text() {
        for (escaped, plain) in [
            (r"\u0061", "a"),
            (r"in\u0070ut_\u0031", "input_1"),
            (r"\u00e9t\u00e9", "été"),
            (r"\ud83d\ude00x\n", "😀x\n"),
        ] {
            assert_eq!(
                fingerprint(key(escaped)),
                fingerprint(key(plain)),
                "{escaped}"
            );
        }
    }

    #[test]
    fn finds_duplicates_per_object_small_and_large_escaped_or_not() {
        let names: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        let inner_names: Vec<String> = (0..50).map(|i| format!("k{i}")).collect();
        let others = [
            "x",
            r"\u0078",
            r"\u0079",
            "y",
            r"\u0039\u0039",
            "100",
            "100_",
        ];
        let body = Body::of(
            names
                .iter()
                .chain(&inner_names)
                .map(String::as_str)
                .chain(others),
        );
        let key = |raw| body.key(raw);
        let mut keys = KeyStack::new(&body.0);
        let mut outer = keys.open();
        for name in &names {
            assert!(keys.insert(&mut outer, key(name)));
            let mut inner = keys.open();
            assert!(keys.insert(&mut inner, key("x")));
            assert!(!keys.insert(&mut inner, key(r"\u0078")));
            assert!(keys.insert(&mut inner, key(r"\u0079")));
            assert!(!keys.insert(&mut inner, key("y")));
            keys.close(&inner);
        }
        assert!(!keys.insert(&mut outer, key("3")));
        assert!(!keys.insert(&mut outer, key(r"\u0039\u0039")));
        assert!(keys.insert(&mut outer, key("100")));
        // A large object inside a large one: each has its own set, and closing the inner one
        // gives the outer one back its own.
        let mut inner = keys.open();
        for name in &inner_names {
            assert!(keys.insert(&mut inner, key(name)));
        }
        assert!(!keys.insert(&mut inner, key("k7")));
        assert!(keys.insert(&mut inner, key("100_")));
        keys.close(&inner);
        assert!(keys.insert(&mut outer, key("k7")));
        assert!(!keys.insert(&mut outer, key("k7")));
        assert!(!keys.insert(&mut outer, key("100")));
        keys.close(&outer);
        let mut next = keys.open();
        assert!(keys.insert(&mut next, key("100")));
    }

    #[test]
    fn a_stack_leaves_its_room_empty_to_the_next_one_on_the_thread() {
        let body = Body::of(["a", "b"]);
        let first = KeyStack::new(&body.0);
        let room = first.keys.as_ptr();
        let mut first = first;
        let mut object = first.open();
        assert!(first.insert(&mut object, body.key("a")));
        drop(first);
        let mut second = KeyStack::new(&body.0);
        assert_eq!(second.keys.as_ptr(), room, "the room is reused");
        let mut object = second.open();
        assert!(
            second.insert(&mut object, body.key("a")),
            "and holds no key of the last"
        );
        assert!(!second.insert(&mut object, body.key("a")));
        // A stack grown past the limit is freed, not kept.
        second.keys.reserve(SPARE_LIMIT * 2);
        drop(second);
        let spare = SPARE.with(|spare| spare.take());
        assert_eq!(spare.capacity(), 0);
    }

    #[test]
    fn the_buffer_escaped_keys_are_decoded_in_is_left_to_the_next_stack() {
        let body = Body::of([r"\u0061b", "ab", r"c\u0064"]);
        let mut first = KeyStack::new(&body.0);
        assert_eq!(first.scratch.capacity(), 0, "taken only for an escaped key");
        let mut object = first.open();
        assert!(first.insert(&mut object, body.key(r"\u0061b")));
        let room = first.scratch.as_ptr();
        drop(first);
        // Kept by the thread (not merely freed, and the same memory handed out again).
        let kept = SPARE_SCRATCH.with(|spare| {
            let kept = spare.take();
            let room = (kept.as_ptr(), kept.capacity());
            spare.set(kept);
            room
        });
        assert_eq!(kept.0, room, "the buffer is kept");
        assert!(kept.1 >= 2);
        let mut second = KeyStack::new(&body.0);
        let mut object = second.open();
        assert!(second.insert(&mut object, body.key("ab")));
        assert!(second.insert(&mut object, body.key(r"c\u0064")));
        assert_eq!(second.scratch.as_ptr(), room, "the buffer is reused");
        assert_eq!(second.scratch, "cd");
        let left = SPARE_SCRATCH.with(|spare| spare.take());
        assert_eq!(left.capacity(), 0, "and taken from the thread");
        // A buffer grown past the limit is freed, not kept.
        second.scratch.reserve(2 * SPARE_TEXT);
        drop(second);
        let spare = SPARE_SCRATCH.with(|spare| spare.take());
        assert_eq!(spare.capacity(), 0);
    }

    #[test]
    fn a_large_object_finds_a_key_whose_seen_bit_is_still_clear() {
        // Past the linear scan, among keys that all share one fingerprint (so one seen bit), a
        // new key has a clear bit, and must still be kept where the next one looks for it: the
        // filter and the stack while the object is wide, the set once it is large.
        let fillers: Vec<String> = (0..LARGE).map(|i| format!("k{i:03}z")).collect();
        let candidates = ["q", "r", "s", "t", "u"];
        let hits = hitting(wide::HITS, &fillers);
        let body = Body::of(
            fillers
                .iter()
                .chain(&hits)
                .map(String::as_str)
                .chain(candidates),
        );
        let filler_bit = fingerprint(body.key("k000z")).seen_bit();
        let clear = candidates
            .iter()
            .filter(|c| fingerprint(body.key(c)).seen_bit() != filler_bit)
            .count();
        assert!(clear > 0, "some candidate has a bit of its own");
        for (candidate, large) in candidates.iter().flat_map(|c| [(c, false), (c, true)]) {
            let mut keys = KeyStack::new(&body.0);
            let mut object = keys.open();
            if large {
                make_large(&mut keys, &mut object, &body, (&fillers, &hits));
            } else {
                for filler in &fillers {
                    assert!(keys.insert(&mut object, body.key(filler)));
                }
                assert!(matches!(object, ObjectKeys::Wide { .. }), "past the scan");
            }
            assert!(keys.insert(&mut object, body.key(candidate)));
            assert!(
                !keys.insert(&mut object, body.key(candidate)),
                "{candidate}"
            );
            assert!(!keys.insert(&mut object, body.key("k017z")));
        }
    }

    #[test]
    fn an_object_widens_at_the_first_taken_bit_past_the_scan_limit() {
        // Keys of one fingerprint, so one seen bit: the first SCAN_LIMIT are compared in the
        // scan, and the next widens the object, found a duplicate or not. The object is inside
        // another, so its keys do not start at the bottom of the stack.
        let names: Vec<String> = (0..=SCAN_LIMIT).map(|i| format!("k{i:03}z")).collect();
        let body = Body::of(names.iter().map(String::as_str).chain(["a", "b", "c"]));
        for duplicate in [false, true] {
            let mut keys = KeyStack::new(&body.0);
            let mut outer = keys.open();
            for name in ["a", "b", "c"] {
                assert!(keys.insert(&mut outer, body.key(name)));
            }
            let mut object = keys.open();
            for name in &names[..SCAN_LIMIT] {
                assert!(keys.insert(&mut object, body.key(name)));
                assert!(matches!(object, ObjectKeys::Small { .. }), "{name}");
            }
            let next = if duplicate {
                &names[3]
            } else {
                &names[SCAN_LIMIT]
            };
            assert_eq!(keys.insert(&mut object, body.key(next)), !duplicate);
            assert!(matches!(object, ObjectKeys::Wide { .. }));
            close_after_finding(&mut keys, (object, outer), &body, &names[..SCAN_LIMIT]);
        }
    }

    /// Checks that `object` has every one of `earlier`, closes it, and checks that `outer`
    /// is its own again: it has its own key `a` and none of `earlier`.
    fn close_after_finding<'b>(
        keys: &mut KeyStack<'b>,
        (mut object, mut outer): (ObjectKeys, ObjectKeys),
        body: &'b Body,
        earlier: &[String],
    ) {
        for name in earlier {
            assert!(!keys.insert(&mut object, body.key(name)), "{name}");
        }
        keys.close(&object);
        assert!(!keys.insert(&mut outer, body.key("a")));
        assert!(keys.insert(&mut outer, body.key(&earlier[0])));
    }

    #[test]
    fn keys_of_fresh_bits_stay_in_the_scan_past_the_limit() {
        // Up to 64 keys whose seen bits all differ are never compared, so the scan keeps them.
        let mut bits = 0u64;
        let names: Vec<String> = (0..10_000)
            .map(|i: u32| {
                let letter = |n: u32| char::from(b'a' + (n % 26) as u8);
                format!("{}{i}{}", letter(i), letter(i / 26))
            })
            .filter(|name| {
                let bit = fingerprint(JsonStr::from_valid(name, 0)).seen_bit();
                let fresh = bits & bit == 0;
                bits |= bit;
                fresh
            })
            .take(SCAN_LIMIT + 8)
            .collect();
        assert_eq!(names.len(), SCAN_LIMIT + 8);
        let body = Body::of(names.iter().map(String::as_str));
        let mut keys = KeyStack::new(&body.0);
        let mut object = keys.open();
        for name in &names {
            assert!(keys.insert(&mut object, body.key(name)));
        }
        assert!(matches!(object, ObjectKeys::Small { .. }));
        assert!(!keys.insert(&mut object, body.key(&names[SCAN_LIMIT + 1])));
        assert!(
            matches!(object, ObjectKeys::Wide { .. }),
            "a taken bit past the limit"
        );
    }

    #[test]
    fn large_objects_nest_and_each_set_closes_with_its_object() {
        // Both objects past the linear scan, so each has a filter, or a set, of its own; keys
        // that are not numbers, escaped or not.
        let outer: Vec<String> = (0..LARGE).map(|i| format!("o{i}")).collect();
        let inner: Vec<String> = (0..LARGE).map(|i| format!("i{i}")).collect();
        let (outer_hits, inner_hits) = (hitting(wide::HITS, &outer), hitting(wide::HITS, &inner));
        let body = Body::of(
            outer
                .iter()
                .chain(&inner)
                .chain(&outer_hits)
                .chain(&inner_hits)
                .map(String::as_str)
                .chain(["x", r"\u0078", "i3", r"\u00693"]),
        );
        fn fill<'b>(
            keys: &mut KeyStack<'b>,
            object: &mut ObjectKeys,
            (body, names, hits): (&'b Body, &[String], &[String]),
            large: bool,
        ) {
            if large {
                make_large(keys, object, body, (names, hits));
            } else {
                for name in names {
                    assert!(keys.insert(object, body.key(name)));
                }
                assert!(matches!(object, ObjectKeys::Wide { .. }));
            }
        }
        for large in [false, true] {
            let mut keys = KeyStack::new(&body.0);
            let mut first = keys.open();
            fill(&mut keys, &mut first, (&body, &outer, &outer_hits), large);
            let mut second = keys.open();
            fill(&mut keys, &mut second, (&body, &inner, &inner_hits), large);
            assert!(keys.insert(&mut second, body.key("x")));
            assert!(
                !keys.insert(&mut second, body.key(r"\u0078")),
                "escaped, past the scan"
            );
            assert!(
                !keys.insert(&mut second, body.key(r"\u00693")),
                "escaped i3"
            );
            assert!(!keys.insert(&mut second, body.key("i7")));
            keys.close(&second);
            // The outer object's own filter or set again: the inner keys are not in it.
            assert!(keys.insert(&mut first, body.key("i3")));
            assert!(keys.insert(&mut first, body.key(r"\u0078")));
            assert!(
                !keys.insert(&mut first, body.key("x")),
                "plain after escaped"
            );
            assert!(!keys.insert(&mut first, body.key("o5")));
            keys.close(&first);
            assert!(keys.sets.is_empty(), "every set closed with its object");
            assert!(
                keys.filters.is_empty(),
                "every filter closed with its object"
            );
            assert!(keys.keys.is_empty(), "every key left with its object");
        }
    }

    /// `n` keys `f0`, `f1`, ... none of whose bits in a wide object's filter another has, nor
    /// is one of `taken`.
    fn of_fresh_bits(n: usize, taken: (usize, usize)) -> Vec<String> {
        let mut bits = std::collections::HashSet::from([taken.0, taken.1]);
        let fresh: Vec<String> = (0..1_000_000)
            .map(|i| format!("f{i}"))
            .filter(|name| {
                let (first, second) = wide::bits(name);
                first != second && !bits.contains(&first) && !bits.contains(&second) && {
                    bits.extend([first, second]);
                    true
                }
            })
            .take(n)
            .collect();
        assert_eq!(fresh.len(), n, "enough keys of fresh bits");
        fresh
    }

    #[test]
    fn a_wide_object_moves_to_its_set_at_its_last_allowed_hit() {
        // Fillers of fresh bits widen the object with no hit; then keys whose bits the fillers
        // took, each a hit: the last allowed hit moves the object to its set, whether that key
        // is new or a duplicate.
        let fillers = of_fresh_bits(LARGE, (usize::MAX, usize::MAX));
        let hits = hitting(wide::HITS, &fillers);
        let body = Body::of(fillers.iter().chain(&hits).map(String::as_str).chain(["a"]));
        for duplicate in [false, true] {
            let mut keys = KeyStack::new(&body.0);
            let mut outer = keys.open();
            assert!(keys.insert(&mut outer, body.key("a")));
            let mut object = keys.open();
            for name in &fillers {
                assert!(keys.insert(&mut object, body.key(name)));
            }
            assert!(matches!(object, ObjectKeys::Wide { hits: 0, .. }));
            for (taken, name) in hits[..wide::HITS - 1].iter().enumerate() {
                assert!(keys.insert(&mut object, body.key(name)));
                assert!(
                    matches!(object, ObjectKeys::Wide { hits, .. } if hits == taken + 1),
                    "{taken} hits before"
                );
            }
            let next = if duplicate {
                &hits[3]
            } else {
                &hits[wide::HITS - 1]
            };
            assert_eq!(keys.insert(&mut object, body.key(next)), !duplicate);
            assert!(matches!(object, ObjectKeys::Large));
            assert!(keys.filters.is_empty(), "its filter gone with the move");
            let earlier: Vec<String> = fillers
                .iter()
                .chain(&hits[..wide::HITS - 1])
                .cloned()
                .collect();
            close_after_finding(&mut keys, (object, outer), &body, &earlier);
        }
    }

    #[test]
    fn a_wide_object_of_many_keys_moves_at_its_first_hit() {
        for count in [wide::KEYS - 1, wide::KEYS] {
            let fillers = of_fresh_bits(count, (usize::MAX, usize::MAX));
            let body = Body::of(fillers.iter().map(String::as_str).chain(["a", "b"]));
            let mut keys = KeyStack::new(&body.0);
            // Inside another object, so its keys do not start at the bottom of the stack.
            let mut outer = keys.open();
            assert!(keys.insert(&mut outer, body.key("a")));
            assert!(keys.insert(&mut outer, body.key("b")));
            let mut object = keys.open();
            for name in &fillers {
                assert!(keys.insert(&mut object, body.key(name)));
            }
            assert!(matches!(object, ObjectKeys::Wide { hits: 0, .. }));
            // A duplicate hits its own bit.
            assert!(!keys.insert(&mut object, body.key(&fillers[7])));
            let large = matches!(object, ObjectKeys::Large);
            assert_eq!(large, count == wide::KEYS, "{count} keys");
            assert!(!keys.insert(&mut object, body.key(&fillers[count - 1])));
        }
    }
}
