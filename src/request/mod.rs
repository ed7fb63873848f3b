//! Reading a request body: one pass that checks the JSON, finds the workflow's structure,
//! checks every URL, and builds the borrowed [`Workflow`].

mod early_count;
mod hints;
mod inputs;

use std::borrow::Cow;

use url::Url;

use self::early_count::EarlyCount;
use self::hints::ExportSigns;
use self::inputs::InputScan;
use crate::error::{Detail, ErrorCode, Mode, Phase, Pointer, Problems, ValidationError};
use crate::json::{JsonError, JsonStr, Kind, Reader, Segment, body_text, line_column};
use crate::policy::Policy;
use crate::urls::{UrlProblem, check_webhook_url};
use crate::workflow::{InputSpan, NodeData, RawJson, Workflow};

/// The problems found, highest first: the one `validate` reports, then the rest.
pub(crate) type Found = (ValidationError, Vec<ValidationError>);

/// Reads `body` under `policy` into `workflow`, keeping the problems `mode` asks for. On an
/// error, `workflow` holds whatever was read and is meant to be dropped.
///
/// (The workflow is filled in place, not returned: a result this large, handed back by value,
/// was copied twice on its way to the caller, out of memory just written in pieces.)
fn read<'a>(
    body: &'a [u8],
    policy: &Policy,
    mode: Mode,
    workflow: &mut Workflow<'a>,
) -> Result<(), Found> {
    let text = body_text(body).map_err(|e| (invalid_json(body, e), Vec::new()))?;
    workflow.set_body(text);
    // Room for an input every 32 bytes: few bodies need more, and room never written to costs
    // no page. (Made before the reader: an allocation between the reader's making and its place
    // in the request had the reader built aside and copied, 200 bytes, a copy the next load
    // of its position then waited for.)
    let spans = policy
        .catalogue()
        .map(|_| Vec::with_capacity(body.len() / 32));
    let mut request = RequestReader {
        reader: Reader::new(text),
        policy,
        problems: Problems::new(mode),
        path: Vec::new(),
        spans,
    };
    let mut top = Top::default();
    request
        .read_top(&mut top, workflow)
        .map_err(|e| (invalid_json(body, e), Vec::new()))?;
    if request.spans.is_some() {
        workflow.set_spans(request.spans);
    }
    let mut problems = request.problems;
    if let Some(problem) = top.shape_problem(policy) {
        problems.push(Phase::Workflow, problem);
    }
    match problems.finish() {
        Some(found) => Err(with_hints(text, &top, found)),
        None => Ok(()),
    }
}

/// Adds the hint of the contract's commonest mistakes to the problems it explains: to a
/// `missing_prompt` of a body that is itself a workflow or an editor export, and to every
/// problem inside a `prompt` that is an editor export.
#[cold]
fn with_hints(text: &str, top: &Top, (first, rest): Found) -> Found {
    let hint = match (&top.not_object, &top.prompt) {
        (None, Prompt::Absent) => {
            let start = text.len() - text.trim_start_matches([' ', '\t', '\n', '\r']).len();
            hints::for_object(text, start)
        }
        (None, Prompt::Nodes { export, .. }) => export.hint(),
        _ => None,
    };
    let Some(hint) = hint else {
        return (first, rest);
    };
    let add = |error: ValidationError| {
        let in_scope = error.error_code() == ErrorCode::MissingPrompt
            || error.pointer().starts_with("/prompt");
        if in_scope {
            error.with(Detail::Hint, hint.text())
        } else {
            error
        }
    };
    (add(first), rest.into_iter().map(add).collect())
}

/// [`read`] into a new workflow, its problems turned into the caller's error by `on_error`.
/// (Inlined, so the workflow is still built where the caller returns it.)
#[inline(always)]
pub(crate) fn read_workflow<'a, E>(
    body: &'a [u8],
    policy: &Policy,
    mode: Mode,
    on_error: impl FnOnce(Found) -> E,
) -> Result<Workflow<'a>, E> {
    let mut workflow = Workflow::empty();
    read(body, policy, mode, &mut workflow).map_err(on_error)?;
    Ok(workflow)
}

/// The fewest bytes a real workflow spends on a node: the shared corpus has 108 to 260
/// (median). The node list is sized up front from this, so a large workflow is not copied each
/// time it grows: the guess errs large, which costs memory that is never touched, rather than
/// small, which costs a copy.
const BYTES_PER_NODE: usize = 128;
/// No more nodes are reserved than this, whatever the body's length.
const MAX_RESERVED: usize = 4096;

/// How many nodes to reserve room for in a body of this length: at least one, as a prompt
/// that is an object almost always has a node.
fn expected_nodes(body_len: usize) -> usize {
    body_len.div_ceil(BYTES_PER_NODE).min(MAX_RESERVED)
}

fn invalid_json(body: &[u8], error: JsonError) -> ValidationError {
    let (line, column) = line_column(body, error.offset());
    ValidationError::new(ErrorCode::InvalidJson, String::new(), error.offset())
        .with(Detail::Line, line)
        .with(Detail::Column, column)
        .with(Detail::Reason, error.reason().message())
}

/// The shape of the top level, judged once the whole body is known to be valid JSON. (What is
/// kept of the request goes straight into the [`Workflow`].)
#[derive(Default)]
struct Top {
    /// Set if the top-level value is not an object: its kind.
    not_object: Option<Kind>,
    prompt: Prompt,
}

#[derive(Default)]
enum Prompt {
    #[default]
    Absent,
    /// Not an object; its kind and offset.
    Other(Kind, usize),
    /// An object of `count` members, at `offset`, and whether they look like an editor export.
    Nodes {
        offset: usize,
        count: usize,
        export: ExportSigns,
    },
}

impl Top {
    /// The problem of the request's shape, if any: rows 2 to 5 of the precedence table.
    fn shape_problem(&self, policy: &Policy) -> Option<ValidationError> {
        let error =
            |code, pointer: &str, offset| ValidationError::new(code, pointer.to_owned(), offset);
        match (&self.not_object, &self.prompt) {
            (Some(kind), _) => {
                Some(error(ErrorCode::MissingPrompt, "", 0).with(Detail::Found, kind.name()))
            }
            (None, Prompt::Absent) => {
                Some(error(ErrorCode::MissingPrompt, "", 0).with(Detail::Found, "nothing"))
            }
            (None, Prompt::Other(Kind::Null, at)) => {
                Some(error(ErrorCode::MissingPrompt, "/prompt", *at).with(Detail::Found, "null"))
            }
            (None, Prompt::Other(kind, at)) => Some(
                error(ErrorCode::InvalidPromptType, "/prompt", *at)
                    .with(Detail::Found, kind.name()),
            ),
            (
                None,
                Prompt::Nodes {
                    offset, count: 0, ..
                },
            ) => Some(error(ErrorCode::EmptyWorkflow, "/prompt", *offset)),
            (None, Prompt::Nodes { offset, count, .. }) if *count > policy.max_nodes() => Some(
                error(ErrorCode::TooManyNodes, "/prompt", *offset)
                    .with_message(format!("Workflow exceeds {} nodes", policy.max_nodes()))
                    .with(Detail::NodeCount, *count)
                    .with(Detail::MaxNodes, policy.max_nodes()),
            ),
            (None, Prompt::Nodes { .. }) => None,
        }
    }
}

/// The members of the request the reader knows by name (see [`Reader::next_known_key`]).
fn top_member(name: &str) -> Option<u32> {
    match name {
        "prompt" => Some(PROMPT),
        "webhook_url" => Some(WEBHOOK_URL),
        "idempotency_key" => Some(IDEMPOTENCY_KEY),
        _ => None,
    }
}

const PROMPT: u32 = 0;
const WEBHOOK_URL: u32 = 1;
const IDEMPOTENCY_KEY: u32 = 2;

/// The members of a node the reader knows by name.
fn node_member(name: &str) -> Option<u32> {
    match name {
        "class_type" => Some(CLASS_TYPE),
        "inputs" => Some(INPUTS),
        "_meta" => Some(META),
        _ => None,
    }
}

const CLASS_TYPE: u32 = 0;
const INPUTS: u32 = 1;
const META: u32 = 2;

/// A member of a node that must be present and well-formed.
enum Field<T> {
    Absent,
    /// Present but wrong; the offset of the value.
    Wrong(usize),
    Good(T),
}

struct RequestReader<'a, 'p> {
    reader: Reader<'a>,
    policy: &'p Policy,
    problems: Problems,
    /// Path inside the input being walked, once it has a problem; reused.
    path: Vec<Segment<'a>>,
    /// Where every input is, kept when a later layer (the catalogue check) will look at the
    /// inputs: the second reading of them is then not needed. `None` when nothing will.
    spans: Option<Vec<InputSpan<'a>>>,
}

impl<'a> RequestReader<'a, '_> {
    /// Reads the whole body: its shape into `top`, what is kept into `workflow`. (Written in
    /// place, like each node: a large result handed back by value is copied out of memory just
    /// written.)
    fn read_top(&mut self, top: &mut Top, workflow: &mut Workflow<'a>) -> Result<(), JsonError> {
        let kind = self.reader.peek_kind()?;
        if kind != Kind::Object {
            self.reader.skip_value()?;
            top.not_object = Some(kind);
        } else {
            let mut members = self.reader.enter_object()?;
            while let Some((_, name)) = self.reader.next_known_key(&mut members, top_member)? {
                match name {
                    Some(PROMPT) => top.prompt = self.read_prompt(workflow.nodes_mut())?,
                    Some(WEBHOOK_URL) => workflow.set_webhook_url(self.read_webhook()?),
                    Some(IDEMPOTENCY_KEY) => {
                        workflow.set_idempotency_key(self.read_string_if_any()?);
                    }
                    _ => {
                        self.reader.skip_value()?;
                    }
                }
            }
        }
        self.reader.finish()
    }

    /// Reads `prompt`, building its nodes into `nodes` (none past the limit); returns its shape.
    fn read_prompt(&mut self, nodes: &mut Vec<NodeData<'a>>) -> Result<Prompt, JsonError> {
        // Called right after the key: the reader stands at the value.
        let offset = self.reader.position();
        let kind = self.reader.kind_here()?;
        if kind != Kind::Object {
            self.reader.skip_value()?;
            return Ok(Prompt::Other(kind, offset));
        }
        let limit = self.policy.max_nodes();
        // A second `prompt` is a duplicate key, so this list is always still empty.
        *nodes = Vec::with_capacity(expected_nodes(self.reader.text().len()).min(limit));
        let mut count = 0;
        // Counting early is allowed when only the first problem is wanted: too_many_nodes
        // outranks every node problem.
        let mut early = EarlyCount::new(limit, self.problems.keeps_one(), self.reader.text().len());
        let mut export = ExportSigns::default();
        let mut members = self.reader.enter_object()?;
        loop {
            let before = self.reader.offset();
            if early.is_over(count, self.reader.text(), before) {
                count = self.count_rest(&mut members, &mut export, (count, before), nodes)?;
                break;
            }
            let Some(id) = self.reader.next_key(&mut members)? else {
                break;
            };
            count += 1;
            self.note_export_sign(&id, &mut export)?;
            if count <= limit {
                let id_len = id.raw.len();
                self.read_node(id.decode(), nodes)?;
                early.record(count, self.reader.offset() - before, id_len);
            } else {
                // Past the limit the answer is too_many_nodes: build nothing. The reader still
                // remembers each id, for duplicates.
                self.reader.skip_value()?;
            }
        }
        if count > limit {
            // Let the nodes already built go.
            *nodes = Vec::new();
        }
        Ok(Prompt::Nodes {
            offset,
            count,
            export,
        })
    }

    /// Notes what the prompt's member `id`, whose value the reader stands at, says about the
    /// prompt being an editor export. Only a name of five bytes, or an escaped one, can say
    /// anything, so other nodes cost one compare.
    #[inline(always)]
    fn note_export_sign(
        &mut self,
        id: &JsonStr<'a>,
        export: &mut ExportSigns,
    ) -> Result<(), JsonError> {
        if id.raw.len() == 5 || id.escaped {
            export.note(&id.decode(), self.reader.kind_here()?);
        }
        Ok(())
    }

    fn report_node(&mut self, code: ErrorCode, id: &str, member: Option<&str>, offset: usize) {
        if !self.problems.wants(code, Phase::Workflow) {
            return;
        }
        let mut pointer = Pointer::default().push("prompt").push(id);
        if let Some(member) = member {
            pointer = pointer.push(member);
        }
        let error =
            ValidationError::new(code, pointer.build(), offset).with_text(Detail::NodeId, id);
        self.problems.push(Phase::Workflow, error);
    }

    /// Reads the node `id` and adds it to `nodes` if it is well-formed. (Built in place: a
    /// node handed back by value would be copied in pieces the processor cannot forward.)
    #[inline(never)]
    fn read_node(
        &mut self,
        id: Cow<'a, str>,
        nodes: &mut Vec<NodeData<'a>>,
    ) -> Result<(), JsonError> {
        // Called right after the node's key: the reader stands at the value.
        let offset = self.reader.position();
        if self.reader.kind_here()? != Kind::Object {
            self.reader.skip_value()?;
            self.report_node(ErrorCode::MissingClassType, &id, None, offset);
            return Ok(());
        }
        let (mut class_type, mut inputs) = (Field::Absent, Field::Absent);
        let (mut meta, mut other) = (None, Vec::new());
        let spans_from = self.spans.as_ref().map_or(0, Vec::len);
        let mut members = self.reader.enter_object()?;
        while let Some((key, name)) = self.reader.next_known_key(&mut members, node_member)? {
            let at = self.reader.position();
            let kind = self.reader.kind_here()?;
            match (name, kind) {
                (Some(CLASS_TYPE), Kind::String) => {
                    let name = self.reader.string()?.decode();
                    let blank = name.chars().all(char::is_whitespace);
                    class_type = if blank {
                        Field::Wrong(at)
                    } else {
                        Field::Good(name)
                    };
                }
                (Some(INPUTS), Kind::Object) => inputs = Field::Good(self.read_inputs(&id)?),
                (Some(CLASS_TYPE), _) => {
                    self.reader.skip_value()?;
                    class_type = Field::Wrong(at);
                }
                (Some(INPUTS), _) => {
                    self.reader.skip_value()?;
                    inputs = Field::Wrong(at);
                }
                (Some(META), _) => meta = Some(RawJson(self.reader.skip_value()?)),
                _ => other.push((key.decode(), RawJson(self.reader.skip_value()?))),
            }
        }
        let class_type = self.required(
            class_type,
            ErrorCode::MissingClassType,
            &id,
            "class_type",
            offset,
        );
        let inputs = self.required(inputs, ErrorCode::MissingInputs, &id, "inputs", offset);
        if let (Some(class_type), Some(inputs)) = (class_type, inputs) {
            let spans = spans_from..self.spans.as_ref().map_or(0, Vec::len);
            nodes.push(NodeData::new((id, class_type), inputs, meta, other, spans));
        }
        Ok(())
    }

    /// The value of a required member, or a report of its problem: pointing at the node if the
    /// member is absent, at the member if it is wrong.
    fn required<T>(
        &mut self,
        field: Field<T>,
        code: ErrorCode,
        id: &str,
        member: &str,
        node_at: usize,
    ) -> Option<T> {
        match field {
            Field::Good(value) => return Some(value),
            Field::Absent => self.report_node(code, id, None, node_at),
            Field::Wrong(at) => self.report_node(code, id, Some(member), at),
        }
        None
    }

    /// Reads a node's inputs, checking every URL in them; returns the object as written.
    #[inline(never)]
    fn read_inputs(&mut self, node_id: &str) -> Result<RawJson<'a>, JsonError> {
        let start = self.reader.position();
        let mut members = self.reader.enter_object()?;
        let mut scan = InputScan::new(
            self.policy,
            &mut self.problems,
            node_id,
            self.reader.text(),
            &mut self.path,
        );
        while let Some(name) = self.reader.next_key(&mut members)? {
            let value_start = self.reader.position();
            scan.start_input(name.offset, value_start);
            self.reader.walk_item(&mut scan)?;
            if let Some(spans) = &mut self.spans {
                let value = self.reader.since(value_start);
                spans.push(InputSpan { name, value });
            }
        }
        Ok(RawJson(self.reader.since(start)))
    }

    /// The value, right after its key, if it is a string; any other value is read and dropped.
    fn read_string_if_any(&mut self) -> Result<Option<Cow<'a, str>>, JsonError> {
        if self.reader.kind_here()? == Kind::String {
            Ok(Some(self.reader.string()?.decode()))
        } else {
            self.reader.skip_value()?;
            Ok(None)
        }
    }

    /// Reads and judges the value of `webhook_url`, right after its key.
    fn read_webhook(&mut self) -> Result<Option<Url>, JsonError> {
        let at = self.reader.position();
        let text = match self.reader.kind_here()? {
            Kind::Null => {
                self.reader.skip_value()?;
                return Ok(None);
            }
            Kind::String => self.reader.string()?.decode(),
            kind => {
                self.reader.skip_value()?;
                let reason = format!("webhook_url must be a string, not {}", kind.name());
                self.report_webhook(UrlProblem::new(ErrorCode::InvalidUrl, reason, None), at);
                return Ok(None);
            }
        };
        if !self.problems.wants(ErrorCode::InvalidUrl, Phase::Webhook) {
            // Nothing the webhook could add would be reported.
            return Ok(None);
        }
        match check_webhook_url(&text, self.policy) {
            Ok(url) => Ok(Some(url)),
            Err(problem) => {
                self.report_webhook(problem, at);
                Ok(None)
            }
        }
    }

    fn report_webhook(&mut self, problem: UrlProblem<'_>, at: usize) {
        if !self.problems.wants(problem.code, Phase::Webhook) {
            return;
        }
        let error = problem
            .into_error("/webhook_url".to_owned(), at)
            .with(Detail::Field, "webhook_url");
        self.problems.push(Phase::Webhook, error);
    }
}
