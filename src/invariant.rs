//! Internal invariants, stated where the code relies on them.
//!
//! No input may make a public function panic, so the crate reads with `get` rather than by
//! indexing. Where a `get` cannot fail because the code itself guarantees the index (a position
//! the reader has passed, a bit below 64, a match the code just found), the guarantee is stated
//! with [`Invariant::holds`] and its reason: a debug build (the tests, the fuzz targets) panics
//! with that reason if it is ever broken, so a broken invariant shows; a release build goes on
//! with the default value, as before.

/// A value the code guarantees is there.
pub(crate) trait Invariant<T> {
    /// The value; `why` says what guarantees it. (Release builds: the default if not.)
    fn holds(self, why: &'static str) -> T
    where
        T: Default;

    /// The value; `why` says what guarantees it. (Release builds: `fallback` if not.)
    fn holds_or(self, fallback: T, why: &'static str) -> T;
}

impl<T> Invariant<T> for Option<T> {
    #[inline(always)]
    #[track_caller]
    fn holds(self, why: &'static str) -> T
    where
        T: Default,
    {
        debug_assert!(self.is_some(), "internal invariant broken: {why}");
        self.unwrap_or_default()
    }

    #[inline(always)]
    #[track_caller]
    fn holds_or(self, fallback: T, why: &'static str) -> T {
        debug_assert!(self.is_some(), "internal invariant broken: {why}");
        self.unwrap_or(fallback)
    }
}

#[cfg(test)]
mod tests {
    use super::Invariant;

    #[test]
    fn a_value_that_is_there_is_returned() {
        assert_eq!(Some(7).holds("seven"), 7);
        assert_eq!("abc".get(1..).holds("in range"), "bc");
        assert_eq!(Some('x').holds_or('y', "there"), 'x');
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "internal invariant broken: the reason")]
    fn a_broken_invariant_panics_in_debug_builds_with_its_reason() {
        let _ = None::<u8>.holds("the reason");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "internal invariant broken: another")]
    fn so_does_one_with_a_fallback() {
        let _ = None::<char>.holds_or('y', "another");
    }
}
