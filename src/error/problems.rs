//! Collecting problems in the contract's precedence order, with memory bounded either way.

use super::{ErrorCode, ValidationError};

/// The most errors [`validate_all`](crate::validate_all) returns, so memory stays bounded
/// whatever the body.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// Whether a problem is in the workflow or the webhook: among problems with the same code,
/// workflow problems come first, wherever `webhook_url` stands in the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    Workflow,
    Webhook,
}

/// How many problems to keep.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Mode {
    /// Only the one that would be reported.
    First,
    /// The first `cap`, in precedence order.
    All { cap: usize },
}

type Rank = (usize, Phase);

fn rank(code: ErrorCode, phase: Phase) -> Rank {
    (code.precedence().unwrap_or(usize::MAX), phase)
}

pub(crate) struct Problems {
    mode: Mode,
    /// Found so far, in document order; with `Mode::First`, at most one.
    found: Vec<(Rank, ValidationError)>,
    /// The rank a problem must beat to be kept, once there is one: with `Mode::First`, that of
    /// the problem found; with `Mode::All`, once `cap` problems are kept, that of the last of
    /// them. A problem that does not beat it would be dropped, so it is not built:
    /// `validate_all` does work in proportion to what it reports. (One field, so that the
    /// question every check asks before a problem, answered yes until there is one, is one
    /// test wherever it is inlined.)
    bar: Option<Rank>,
}

impl Problems {
    pub(crate) fn new(mode: Mode) -> Self {
        Problems {
            mode,
            found: Vec::new(),
            bar: None,
        }
    }

    /// Whether only the one problem that would be reported is kept.
    pub(crate) fn keeps_one(&self) -> bool {
        matches!(self.mode, Mode::First)
    }

    /// Whether a problem with this code would be kept. Lets the reader skip work (URL parsing)
    /// whose result could not change the answer.
    #[inline]
    pub(crate) fn wants(&self, code: ErrorCode, phase: Phase) -> bool {
        // Strictly better only: an equal one found earlier is earlier in the document.
        self.bar.is_none_or(|bar| rank(code, phase) < bar)
    }

    pub(crate) fn push(&mut self, phase: Phase, error: ValidationError) {
        let ranked = rank(error.error_code(), phase);
        match self.mode {
            Mode::First => {
                if self.wants(error.error_code(), phase) {
                    self.found.clear();
                    self.found.push((ranked, error));
                    self.bar = Some(ranked);
                }
            }
            Mode::All { cap } => {
                if !self.wants(error.error_code(), phase) {
                    return;
                }
                self.found.push((ranked, error));
                if self.found.len() >= cap.max(1) * 2 {
                    self.keep_best(cap);
                    self.bar = self.found.last().map(|(rank, _)| *rank);
                }
            }
        }
    }

    /// Sorts by precedence (stable, so document order breaks ties) and drops all past `cap`.
    fn keep_best(&mut self, cap: usize) {
        self.found.sort_by_key(|(ranked, _)| *ranked);
        self.found.truncate(cap);
    }

    /// Every problem kept, in precedence order; `None` if there were none.
    pub(crate) fn finish(mut self) -> Option<(ValidationError, Vec<ValidationError>)> {
        if self.found.is_empty() {
            // The common case, an accepted request: nothing to sort or drop.
            return None;
        }
        let cap = match self.mode {
            Mode::First => 1,
            Mode::All { cap } => cap.max(1),
        };
        self.keep_best(cap);
        let mut errors = self.found.into_iter().map(|(_, error)| error);
        let first = errors.next()?;
        Some((first, errors.collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: ErrorCode, pointer: &str) -> ValidationError {
        ValidationError::new(code, pointer.to_owned(), 0)
    }

    #[test]
    fn first_mode_keeps_the_highest_and_earliest() {
        let mut problems = Problems::new(Mode::First);
        problems.push(Phase::Webhook, error(ErrorCode::InvalidUrl, "/webhook_url"));
        problems.push(Phase::Workflow, error(ErrorCode::InsecureUrl, "/a"));
        problems.push(Phase::Workflow, error(ErrorCode::InvalidUrl, "/b"));
        problems.push(Phase::Workflow, error(ErrorCode::InvalidUrl, "/c"));
        assert!(!problems.wants(ErrorCode::InvalidUrl, Phase::Workflow));
        assert!(problems.wants(ErrorCode::MissingInputs, Phase::Workflow));
        let (first, rest) = problems.finish().unwrap();
        assert_eq!((first.pointer(), rest.len()), ("/b", 0));
    }

    /// The pointers of the problems kept, first to last.
    fn kept_pointers(problems: Problems) -> Vec<String> {
        let (first, rest) = problems.finish().expect("problems were pushed");
        std::iter::once(&first)
            .chain(&rest)
            .map(|problem| problem.pointer().to_owned())
            .collect()
    }

    /// `count` insecure URLs, at `/0`, `/1`..., kept in all mode up to `cap`.
    fn insecure_urls(count: usize, cap: usize) -> Problems {
        let mut problems = Problems::new(Mode::All { cap });
        for i in 0..count {
            problems.push(
                Phase::Workflow,
                error(ErrorCode::InsecureUrl, &format!("/{i}")),
            );
        }
        problems
    }

    #[test]
    fn all_mode_sorts_stably_and_caps() {
        let mut problems = insecure_urls(10, 3);
        problems.push(Phase::Workflow, error(ErrorCode::MissingInputs, "/m"));
        let pointers = kept_pointers(problems);
        assert_eq!(pointers, ["/m", "/0", "/1"]);
        assert!(Problems::new(Mode::First).finish().is_none());
    }

    #[test]
    fn all_mode_stops_building_what_it_would_drop() {
        let mut problems = insecure_urls(4, 2);
        // Four found, two kept: an insecure_url more, or anything below it, is not wanted.
        assert!(!problems.wants(ErrorCode::InsecureUrl, Phase::Workflow));
        assert!(!problems.wants(ErrorCode::WebhookPrivateHost, Phase::Webhook));
        assert!(problems.wants(ErrorCode::InvalidUrl, Phase::Workflow));
        problems.push(Phase::Workflow, error(ErrorCode::InsecureUrl, "/late"));
        problems.push(Phase::Workflow, error(ErrorCode::InvalidUrl, "/early"));
        let pointers = kept_pointers(problems);
        assert_eq!(pointers, ["/early", "/0"]);
    }
}
