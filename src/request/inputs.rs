//! Looking inside a node's inputs: every string is checked as a possible URL during the one walk
//! that checks the JSON.

use super::problems::{Phase, Problems};
use crate::ErrorCode;
use crate::error::Pointer;
use crate::json::{JsonStr, Visitor};
use crate::policy::Policy;
use crate::urls::{check_workflow_url, is_url_like, url_like_chars};

/// One step from an input's value to a nested value.
pub(crate) enum Segment<'a> {
    Key(JsonStr<'a>),
    Index(usize),
}

/// The visitor for one input value.
pub(crate) struct InputScan<'s, 'a> {
    policy: &'s Policy,
    problems: &'s mut Problems,
    node_id: &'s str,
    input: JsonStr<'a>,
    /// Where the walk is inside the value; reused across inputs so it allocates once.
    path: &'s mut Vec<Segment<'a>>,
}

impl<'s, 'a> InputScan<'s, 'a> {
    pub(crate) fn new(
        policy: &'s Policy,
        problems: &'s mut Problems,
        node_id: &'s str,
        input: JsonStr<'a>,
        path: &'s mut Vec<Segment<'a>>,
    ) -> Self {
        path.clear();
        InputScan {
            policy,
            problems,
            node_id,
            input,
            path,
        }
    }

    fn pointer(&self) -> String {
        let base = Pointer::default()
            .push("prompt")
            .push(self.node_id)
            .push("inputs")
            .push(self.input.decode());
        self.path
            .iter()
            .fold(base, |pointer, segment| match segment {
                Segment::Key(key) => pointer.push(key.decode()),
                Segment::Index(index) => pointer.push(index),
            })
            .build()
    }
}

impl<'a> Visitor<'a> for InputScan<'_, 'a> {
    fn string(&mut self, value: JsonStr<'a>) {
        // Once an invalid_url (or anything above it) is kept, no URL problem can replace it.
        if !self.problems.wants(ErrorCode::InvalidUrl, Phase::Workflow) {
            return;
        }
        // Only an escaped string needs decoding, and then only as far as its scheme.
        let url_like = if value.escaped {
            url_like_chars(value.chars())
        } else {
            is_url_like(value.raw)
        };
        if !url_like {
            return;
        }
        let Err(problem) = check_workflow_url(&value.decode(), self.policy) else {
            return;
        };
        if !self.problems.wants(problem.code, Phase::Workflow) {
            return;
        }
        let error = problem
            .into_error(self.pointer(), value.offset)
            .with_text("node_id", self.node_id)
            .with_text("input", &self.input.decode());
        self.problems.push(Phase::Workflow, error);
    }

    fn enter_key(&mut self, key: JsonStr<'a>) {
        self.path.push(Segment::Key(key));
    }

    fn enter_index(&mut self, index: usize) {
        self.path.push(Segment::Index(index));
    }

    fn leave(&mut self) {
        self.path.pop();
    }
}
