//! Looking inside a node's inputs: every string is checked as a possible URL, and the shape of
//! the value tells a link from a literal, all during the one walk that checks the JSON.

use std::borrow::Cow;

use super::problems::{Phase, Problems};
use crate::ErrorCode;
use crate::error::Pointer;
use crate::json::{JsonStr, Kind, Visitor};
use crate::policy::Policy;
use crate::urls::{check_workflow_url, is_url_like, url_like_chars};
use crate::workflow::Link;

/// One step from an input's value to a nested value.
pub(crate) enum Segment<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

/// The visitor for one input value.
pub(crate) struct InputScan<'s, 'a> {
    policy: &'s Policy,
    problems: &'s mut Problems,
    node_id: &'s str,
    input: &'s str,
    /// Where the walk is inside the value; reused across inputs so it allocates once.
    path: &'s mut Vec<Segment<'a>>,
    elements: usize,
    first: Option<JsonStr<'a>>,
    second: Option<&'a str>,
}

impl<'s, 'a> InputScan<'s, 'a> {
    pub(crate) fn new(
        policy: &'s Policy,
        problems: &'s mut Problems,
        node_id: &'s str,
        input: &'s str,
        path: &'s mut Vec<Segment<'a>>,
    ) -> Self {
        path.clear();
        InputScan {
            policy,
            problems,
            node_id,
            input,
            path,
            elements: 0,
            first: None,
            second: None,
        }
    }

    /// Whether the walk is at element `index` of the top-level array itself.
    fn at_element(&self, index: usize) -> bool {
        matches!(self.path.as_slice(), [Segment::Index(i)] if *i == index)
    }

    /// The link this value is, if its shape is `["<node id>", <output index>]`.
    pub(crate) fn link(&self, kind: Kind) -> Option<Link<'a>> {
        if kind != Kind::Array || self.elements != 2 {
            return None;
        }
        let output = self
            .second
            .filter(|text| text.bytes().all(|b| b.is_ascii_digit()))?;
        Some(Link {
            node_id: self.first?.decode(),
            output: output.parse().ok()?,
        })
    }

    fn pointer(&self) -> String {
        let base = Pointer::default()
            .push("prompt")
            .push(self.node_id)
            .push("inputs")
            .push(self.input);
        self.path
            .iter()
            .fold(base, |pointer, segment| match segment {
                Segment::Key(key) => pointer.push(key),
                Segment::Index(index) => pointer.push(index),
            })
            .build()
    }
}

impl<'a> Visitor<'a> for InputScan<'_, 'a> {
    fn string(&mut self, value: JsonStr<'a>) {
        if self.at_element(0) {
            self.first = Some(value);
        }
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
            .with_text("input", self.input);
        self.problems.push(Phase::Workflow, error);
    }

    fn number(&mut self, text: &'a str) {
        if self.at_element(1) {
            self.second = Some(text);
        }
    }

    fn enter_key(&mut self, key: Cow<'a, str>) {
        self.path.push(Segment::Key(key));
    }

    fn enter_index(&mut self, index: usize) {
        if self.path.is_empty() {
            self.elements = index + 1;
        }
        self.path.push(Segment::Index(index));
    }

    fn leave(&mut self) {
        self.path.pop();
    }
}
