//! Looking inside a node's inputs: every string is checked as a possible URL during the one walk
//! that checks the JSON.

use std::borrow::Cow;
use std::sync::Arc;

use crate::error::{Detail, ErrorCode, Phase, Pointer, Problems};
use crate::json::{JsonStr, Reader, Segment, Visitor};
use crate::policy::Policy;
use crate::urls::{check_workflow_url, is_url_like_json};

/// The visitor for the inputs of one node, one input after another.
///
/// The path to each nested value is needed only for the pointer of a problem, so it is not
/// kept while the value has none: the first problem finds its path by walking the value again,
/// and from then on the path is kept up to date, so each input is walked again at most once.
pub(crate) struct InputScan<'s, 'a> {
    policy: &'s Policy,
    problems: &'s mut Problems,
    node_id: &'s str,
    body: &'a str,
    /// Where the name of the input being walked starts in the body (its opening quote), and
    /// where its value starts. The name is read again only for a problem's report: keeping it
    /// as an offset keeps the loop over inputs from copying a string handle per input.
    name_at: usize,
    value_start: usize,
    /// Where the walk is inside the value, once a problem was found in it; reused across
    /// inputs so it allocates at most once.
    path: &'s mut Vec<Segment<'a>>,
    tracking: bool,
    /// Of the input being walked, once it has a problem: the start of every pointer into it
    /// (`/prompt/<id>/inputs/<name>`), shared by all its problems, and its name as details
    /// echo it (at most 200 characters). Built once per input, however many problems it has
    /// and however long its name.
    base: Option<(Arc<str>, String)>,
}

impl<'s, 'a> InputScan<'s, 'a> {
    pub(crate) fn new(
        policy: &'s Policy,
        problems: &'s mut Problems,
        node_id: &'s str,
        body: &'a str,
        path: &'s mut Vec<Segment<'a>>,
    ) -> Self {
        InputScan {
            policy,
            problems,
            node_id,
            body,
            name_at: 0,
            value_start: 0,
            path,
            tracking: false,
            base: None,
        }
    }

    /// Starts on the input whose name starts at `name_at` in the body and whose value starts at
    /// `value_start`.
    pub(crate) fn start_input(&mut self, name_at: usize, value_start: usize) {
        self.name_at = name_at;
        self.value_start = value_start;
        self.tracking = false;
        self.base = None;
    }

    /// The name of the input being walked, read again from the body (it was checked before).
    #[cold]
    fn input_name(&self) -> Cow<'a, str> {
        Reader::starting_at(self.body, self.name_at)
            .string()
            .map(|name| name.decode())
            .unwrap_or_default()
    }

    /// The start of every pointer into the input being walked, and its name as details echo
    /// it: built the first time the input has a problem.
    #[cold]
    fn base(&mut self) -> (Arc<str>, String) {
        if let Some(base) = &self.base {
            return base.clone();
        }
        let name = self.input_name();
        let start = Pointer::default()
            .push("prompt")
            .push(self.node_id)
            .push("inputs")
            .push(&name)
            .build();
        let base = (Arc::<str>::from(start), crate::error::clip(&name));
        self.base = Some(base.clone());
        base
    }

    /// The rest of the pointer to the string at `offset`, the one being visited, after the
    /// input's own. The first time, the path to it is found by walking the value again; after
    /// that it is kept as the walk goes.
    #[cold]
    fn rest_of_pointer(&mut self, offset: usize) -> String {
        if !self.tracking {
            path_to(self.body, self.value_start, offset, self.path);
            self.tracking = true;
        }
        self.path
            .iter()
            .fold(Pointer::default(), Pointer::push_segment)
            .build()
    }
}

/// Sets `path` to the path from the value at `start` in `body` to the string that starts at
/// `offset`: the steps taken when the walk reaches it, left as they are by the rest of the walk.
/// The value was read once already, so reading it again cannot fail.
fn path_to<'a>(body: &'a str, start: usize, offset: usize, path: &mut Vec<Segment<'a>>) {
    struct Find<'p, 'a> {
        offset: usize,
        path: &'p mut Vec<Segment<'a>>,
        found: bool,
    }
    impl<'a> Visitor<'a> for Find<'_, 'a> {
        fn string(&mut self, value: JsonStr<'a>) {
            if value.offset == self.offset {
                self.found = true;
            }
        }
        fn enter_key(&mut self, key: JsonStr<'a>) {
            if !self.found {
                self.path.push(Segment::Key(key));
            }
        }
        fn enter_index(&mut self, index: usize) {
            if !self.found {
                self.path.push(Segment::Index(index));
            }
        }
        fn leave(&mut self) {
            if !self.found {
                self.path.pop();
            }
        }
    }
    path.clear();
    let mut find = Find {
        offset,
        path,
        found: false,
    };
    let _ = Reader::starting_at(body, start).walk_value(&mut find);
}

impl<'a> Visitor<'a> for InputScan<'_, 'a> {
    fn string(&mut self, value: JsonStr<'a>) {
        // Once an invalid_url (or anything above it) is kept, no URL problem can replace it.
        if !self.problems.wants(ErrorCode::InvalidUrl, Phase::Workflow) {
            return;
        }
        if !is_url_like_json(value) {
            return;
        }
        let text = value.decode();
        let Err(problem) = check_workflow_url(&text, self.policy) else {
            return;
        };
        if !self.problems.wants(problem.code, Phase::Workflow) {
            return;
        }
        let (start, name) = self.base();
        let rest = self.rest_of_pointer(value.offset);
        let error = problem
            .into_shared_error((start, rest), value.offset)
            .with_text(Detail::NodeId, self.node_id)
            .with(Detail::Input, name);
        self.problems.push(Phase::Workflow, error);
    }

    #[inline]
    fn enter_key(&mut self, key: JsonStr<'a>) {
        if self.tracking {
            self.path.push(Segment::Key(key));
        }
    }

    #[inline]
    fn enter_index(&mut self, index: usize) {
        if self.tracking {
            self.path.push(Segment::Index(index));
        }
    }

    #[inline]
    fn leave(&mut self) {
        if self.tracking {
            self.path.pop();
        }
    }
}
