//! The accepted request: a borrowed view of the workflow, in document order.

mod inputs;
mod raw;
mod titles;
mod urls;
mod write;

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use url::Url;

use crate::json::JsonStr;

pub(crate) use inputs::LazyInputs;
pub(crate) use titles::LazyTitles;

pub use raw::RawJson;
use urls::LazyUrls;
pub use urls::ModelUrl;

/// An accepted request, borrowing from the body: the nodes in document order, the parsed
/// webhook URL, and the idempotency key. Unknown top-level fields are ignored.
///
/// # Example
///
/// ```
/// use cmfy_validate::InputValue;
///
/// let body = br#"{"prompt": {
///     "3": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd.safetensors"}},
///     "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cat", "clip": ["3", 1]},
///           "_meta": {"title": "Prompt"}}},
///   "webhook_url": "https://example.com/hook", "idempotency_key": "req-1"}"#;
/// let workflow = cmfy_validate::validate(body)?;
/// assert_eq!(workflow.len(), 2);
/// let encoder = workflow.nodes().nth(1).expect("two nodes");
/// assert_eq!((encoder.id(), encoder.class_type(), encoder.title()), ("6", "CLIPTextEncode", Some("Prompt")));
/// assert!(matches!(encoder.input("clip"), Some(InputValue::Link(link)) if link.node_id() == "3" && link.output() == 1));
/// assert_eq!(workflow.webhook_url().map(|u| u.host_str()), Some(Some("example.com")));
/// assert_eq!(workflow.idempotency_key(), Some("req-1"));
/// # Ok::<(), cmfy_validate::ValidationError>(())
/// ```
#[derive(Clone)]
pub struct Workflow<'a> {
    nodes: Vec<NodeData<'a>>,
    /// The views read from the body when first asked for: behind one pointer, made on first
    /// use, as validation alone never asks (and a smaller `Workflow` is cheaper to return).
    views: OnceLock<Box<Views<'a>>>,
    /// Boxed for the same reason: most requests have none.
    webhook_url: Option<Box<Url>>,
    idempotency_key: Option<Cow<'a, str>>,
    /// The body it was read from, so that later layers can say where in it a value is.
    body: &'a str,
    /// Where every input of every node is, when validation was asked to keep it (see
    /// [`NodeData::spans`]).
    spans: Option<Vec<InputSpan<'a>>>,
}

/// What a [`Workflow`] reads from its body only when asked.
#[derive(Clone, Default)]
struct Views<'a> {
    /// The inputs of every node.
    inputs: LazyInputs<'a>,
    /// The `_meta.title` of every node.
    titles: LazyTitles<'a>,
    /// Every URL of the inputs.
    urls: LazyUrls<'a>,
}

/// An input as validation found it: its name (still escaped) and its value's exact text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct InputSpan<'a> {
    pub(crate) name: JsonStr<'a>,
    pub(crate) value: &'a str,
}

impl<'a> Workflow<'a> {
    /// A workflow with nothing in it yet, for validation to fill through the methods below.
    /// (Filled in place, not built from parts at the end: a value this large, handed back
    /// through a few calls, was copied at each.)
    pub(crate) fn empty() -> Self {
        Workflow {
            body: "",
            spans: None,
            nodes: Vec::new(),
            views: OnceLock::new(),
            webhook_url: None,
            idempotency_key: None,
        }
    }

    /// Sets the body the workflow is read from, once it is known to be UTF-8.
    pub(crate) fn set_body(&mut self, body: &'a str) {
        self.body = body;
    }

    /// The nodes, for validation to add to as it reads them.
    pub(crate) fn nodes_mut(&mut self) -> &mut Vec<NodeData<'a>> {
        &mut self.nodes
    }

    /// Sets the webhook URL that validation accepted.
    pub(crate) fn set_webhook_url(&mut self, url: Option<Url>) {
        self.webhook_url = url.map(Box::new);
    }

    /// Sets the idempotency key, when the body has one that is a string.
    pub(crate) fn set_idempotency_key(&mut self, key: Option<Cow<'a, str>>) {
        self.idempotency_key = key;
    }

    /// Keeps where every input of every node is (see [`NodeData::spans`]).
    pub(crate) fn set_spans(&mut self, spans: Option<Vec<InputSpan<'a>>>) {
        self.spans = spans;
    }

    /// Where every input of every node is, when validation was asked to keep it.
    pub(crate) fn spans(&self) -> Option<&[InputSpan<'a>]> {
        self.spans.as_deref()
    }

    /// The body the workflow was read from.
    pub(crate) fn body(&self) -> &'a str {
        self.body
    }

    /// The views read on demand, made on first use.
    fn views(&self) -> &Views<'a> {
        self.views.get_or_init(Box::default)
    }

    /// Every URL-like input string of the workflow (nested ones included), in document order,
    /// parsed: what a gateway routes by and attaches credentials to. Found the first time it
    /// is asked for; validation itself does none of this work.
    ///
    /// ```
    /// let body = br#"{"prompt": {
    ///   "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "https://HuggingFace.co/org/m/resolve/main/./a.safetensors"}},
    ///   "5": {"class_type": "LoraStack", "inputs": {"loras": [{"url": "https://civitai.com/api/download/models/1"}], "text": "a cat"}}}}"#;
    /// let workflow = cmfy_validate::validate(body)?;
    /// let urls: Vec<(&str, &str, &str)> = workflow.urls().map(|u| (u.node_id(), u.pointer(), u.url().as_str())).collect();
    /// assert_eq!(urls, [
    ///     ("4", "/prompt/4/inputs/ckpt_name", "https://huggingface.co/org/m/resolve/main/a.safetensors"),
    ///     ("5", "/prompt/5/inputs/loras/0/url", "https://civitai.com/api/download/models/1"),
    /// ]);
    /// # Ok::<(), cmfy_validate::ValidationError>(())
    /// ```
    pub fn urls(&self) -> impl Iterator<Item = ModelUrl<'_>> {
        self.views().urls.all(&self.nodes).iter().map(|found| {
            let node = self.nodes.get(found.node);
            ModelUrl {
                node_id: node.map_or("", |n| &n.id),
                class_type: node.map_or("", |n| &n.class_type),
                input: &found.input,
                pointer: &found.pointer,
                url: &found.url,
            }
        })
    }

    /// The byte offset in the body of `text`, a slice of it (0 for text from elsewhere, such
    /// as a decoded string).
    pub(crate) fn offset_of(&self, text: &str) -> usize {
        let offset = (text.as_ptr() as usize).wrapping_sub(self.body.as_ptr() as usize);
        if offset <= self.body.len() { offset } else { 0 }
    }

    /// The nodes, in the order they appear in the body.
    pub fn nodes(&self) -> Nodes<'_, 'a> {
        Nodes {
            nodes: self.nodes.iter().enumerate(),
            workflow: self,
        }
    }

    /// The node with this id, if any.
    ///
    /// ```
    /// let workflow = cmfy_validate::validate(br#"{"prompt": {"9": {"class_type": "SaveImage", "inputs": {}}}}"#)?;
    /// assert_eq!(workflow.node("9").map(|n| n.class_type()), Some("SaveImage"));
    /// # Ok::<(), cmfy_validate::ValidationError>(())
    /// ```
    #[must_use]
    pub fn node(&self, id: &str) -> Option<Node<'_, 'a>> {
        self.nodes().find(|node| node.id() == id)
    }

    /// How many nodes the workflow has (at least one).
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Always false: an accepted workflow has at least one node. Present for API symmetry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The parsed `webhook_url`, if the request had one (not `null`).
    #[must_use]
    pub fn webhook_url(&self) -> Option<&Url> {
        self.webhook_url.as_deref()
    }

    /// `idempotency_key`, if the request had one that is a string.
    #[must_use]
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// The `prompt` as JSON text: equal, as JSON, to the one received, with every literal
    /// reproduced exactly (numbers digit for digit).
    ///
    /// ```
    /// let body = br#"{"prompt": {"1": {"class_type": "A", "inputs": {"seed": 1.50e3, "x": ["2", 0]}}}}"#;
    /// let workflow = cmfy_validate::validate(body)?;
    /// assert_eq!(workflow.to_json(), r#"{"1":{"class_type":"A","inputs":{"seed":1.50e3,"x":["2",0]}}}"#);
    /// # Ok::<(), cmfy_validate::ValidationError>(())
    /// ```
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = write::prompt(&mut out, self);
        out
    }
}

/// Two workflows are equal when their nodes, webhook URL and idempotency key are: the same ids,
/// class types, inputs, `_meta` and other members, in the same order, each literal written the
/// same way.
impl PartialEq for Workflow<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.nodes().eq(other.nodes())
            && self.webhook_url == other.webhook_url
            && self.idempotency_key == other.idempotency_key
    }
}

impl fmt::Debug for Workflow<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Workflow")
            .field("nodes", &self.nodes().collect::<Vec<_>>())
            .field("webhook_url", &self.webhook_url)
            .field("idempotency_key", &self.idempotency_key)
            .finish()
    }
}

/// The nodes of a [`Workflow`], in document order.
#[derive(Clone, Debug)]
pub struct Nodes<'w, 'a> {
    nodes: std::iter::Enumerate<std::slice::Iter<'w, NodeData<'a>>>,
    workflow: &'w Workflow<'a>,
}

impl<'w, 'a> Nodes<'w, 'a> {
    fn view(&self, (index, data): (usize, &'w NodeData<'a>)) -> Node<'w, 'a> {
        Node {
            data,
            index,
            workflow: self.workflow,
        }
    }
}

impl<'w, 'a> Iterator for Nodes<'w, 'a> {
    type Item = Node<'w, 'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let data = self.nodes.next()?;
        Some(self.view(data))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.nodes.size_hint()
    }

    fn nth(&mut self, n: usize) -> Option<Self::Item> {
        let data = self.nodes.nth(n)?;
        Some(self.view(data))
    }
}

impl DoubleEndedIterator for Nodes<'_, '_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let data = self.nodes.next_back()?;
        Some(self.view(data))
    }
}

impl ExactSizeIterator for Nodes<'_, '_> {}

/// What the workflow stores of a node; its inputs are read from their text when first needed.
#[derive(Clone, Debug)]
pub(crate) struct NodeData<'a> {
    id: Cow<'a, str>,
    class_type: Cow<'a, str>,
    /// The `inputs` object as written.
    inputs: RawJson<'a>,
    meta: Option<RawJson<'a>>,
    other: Vec<(Cow<'a, str>, RawJson<'a>)>,
    /// The node's inputs in [`Workflow::spans`], when kept.
    spans: std::ops::Range<usize>,
}

impl<'a> NodeData<'a> {
    /// A node as validation read it: its id and class, its `inputs` and `_meta` as written,
    /// its other members, and where its inputs are in the workflow's spans (empty when none
    /// are kept).
    pub(crate) fn new(
        (id, class_type): (Cow<'a, str>, Cow<'a, str>),
        inputs: RawJson<'a>,
        meta: Option<RawJson<'a>>,
        other: Vec<(Cow<'a, str>, RawJson<'a>)>,
        spans: std::ops::Range<usize>,
    ) -> Self {
        NodeData {
            id,
            class_type,
            inputs,
            meta,
            other,
            spans,
        }
    }
}

/// One node of the workflow: a view into the [`Workflow`], cheap to copy.
#[derive(Clone, Copy)]
pub struct Node<'w, 'a> {
    data: &'w NodeData<'a>,
    index: usize,
    workflow: &'w Workflow<'a>,
}

impl<'w, 'a> Node<'w, 'a> {
    /// The node id (the key in `prompt`), unescaped.
    #[must_use]
    pub fn id(&self) -> &'w str {
        &self.data.id
    }

    /// `class_type`, unescaped; never empty or blank.
    #[must_use]
    pub fn class_type(&self) -> &'w str {
        &self.data.class_type
    }

    /// The inputs, in document order. The first call on any node of a workflow reads the
    /// inputs of all its nodes from the body; validation itself does not build them.
    #[must_use]
    pub fn inputs(&self) -> &'w [Input<'a>] {
        let workflow = self.workflow;
        workflow.views().inputs.of(&workflow.nodes, self.index)
    }

    /// The value of the input with this name, if any.
    #[must_use]
    pub fn input(&self, name: &str) -> Option<&'w InputValue<'a>> {
        self.inputs()
            .iter()
            .find(|input| input.name == name)
            .map(|input| &input.value)
    }

    /// `_meta.title`, if `_meta` is an object with a string `title`. The first call on any node
    /// of a workflow reads the titles of all its nodes; validation itself does not.
    #[must_use]
    pub fn title(&self) -> Option<&'w str> {
        let workflow = self.workflow;
        workflow.views().titles.of(&workflow.nodes, self.index)
    }

    /// The `inputs` object as received.
    pub(crate) fn inputs_json(&self) -> &'a str {
        self.data.inputs.0
    }

    /// Where the node's inputs are, if validation kept it.
    pub(crate) fn input_spans(&self) -> Option<&'w [InputSpan<'a>]> {
        let spans = self.workflow.spans.as_ref()?;
        spans.get(self.data.spans.clone())
    }

    /// `_meta` exactly as received, if present.
    #[must_use]
    pub fn meta(&self) -> Option<RawJson<'a>> {
        self.data.meta
    }

    /// Members of the node other than `class_type`, `inputs` and `_meta`, as received.
    #[must_use]
    pub fn other_members(&self) -> &'w [(Cow<'a, str>, RawJson<'a>)] {
        &self.data.other
    }
}

impl PartialEq for Node<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
            && self.class_type() == other.class_type()
            && self.inputs() == other.inputs()
            && self.meta() == other.meta()
            && self.other_members() == other.other_members()
    }
}

impl fmt::Debug for Node<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("id", &self.id())
            .field("class_type", &self.class_type())
            .field("inputs", &self.inputs())
            .field("meta", &self.meta())
            .field("other_members", &self.other_members())
            .finish()
    }
}

/// One member of a node's `inputs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Input<'a> {
    pub(crate) name: Cow<'a, str>,
    pub(crate) value: InputValue<'a>,
}

impl<'a> Input<'a> {
    /// The input name, unescaped.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value: a link to another node's output, or a literal.
    #[must_use]
    pub fn value(&self) -> &InputValue<'a> {
        &self.value
    }
}

/// An input value: a link `["<node id>", <output index>]`, or any other JSON value.
///
/// A value is a link when it is an array of exactly two elements, a string and a non-negative
/// integer written without fraction or exponent that fits in a `u32`; anything else, such as
/// `["3", 1.0]`, is a literal and is kept as written.
#[derive(Clone, Debug, PartialEq)]
pub enum InputValue<'a> {
    /// The output of another node.
    Link(Link<'a>),
    /// Any other value, exactly as written in the body.
    Literal(RawJson<'a>),
}

/// A link to output `output` of node `node_id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link<'a> {
    pub(crate) node_id: Cow<'a, str>,
    pub(crate) output: u32,
}

impl Link<'_> {
    /// The id of the node linked to, unescaped. It is not checked to exist: the contract leaves
    /// graph checks to the server that knows the node classes.
    #[must_use]
    pub fn node_id(&self) -> &str {
        &self.node_id
    }

    /// The output index.
    #[must_use]
    pub fn output(&self) -> u32 {
        self.output
    }
}

#[cfg(test)]
mod tests {
    use super::Workflow;

    #[test]
    fn a_workflow_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Workflow<'static>>();
        let workflow = crate::validate(
            br#"{"prompt": {"1": {"class_type": "A", "inputs": {"x": ["2", 0]}}, "2": {"class_type": "B", "inputs": {}}}}"#,
        )
        .expect("valid");
        // The first thread to ask reads the inputs; every thread sees the same.
        let counts: Vec<usize> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| workflow.nodes().map(|n| n.inputs().len()).sum()))
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        assert_eq!(counts, [1, 1, 1, 1]);
    }

    #[test]
    fn equal_workflows_compare_equal_whether_or_not_their_inputs_were_read() {
        let body = br#"{"prompt": {"1": {"class_type": "A", "inputs": {"x": 1}}}}"#;
        let (read, unread) = (crate::validate(body), crate::validate(body));
        let read = read.expect("valid");
        assert_eq!(read.nodes().next().map(|n| n.inputs().len()), Some(1));
        assert_eq!(Ok(read), unread);
        let other =
            crate::validate(br#"{"prompt": {"1": {"class_type": "A", "inputs": {"x": 2}}}}"#);
        assert_ne!(crate::validate(body), other);
    }
}
