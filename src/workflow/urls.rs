//! Every URL of an accepted workflow, found when first asked for: a gateway routes a job by
//! its model URLs and attaches credentials by their patterns, and should not parse the
//! workflow again to find them. Validation itself builds none of this.

use std::borrow::Cow;
use std::sync::OnceLock;

use url::Url;

use super::NodeData;
use crate::error::Pointer;
use crate::json::{self, JsonStr, Reader, Segment, Visitor};
use crate::urls::is_url_like_json;

/// The URLs of all nodes, once found.
#[derive(Clone, Default)]
pub(crate) struct LazyUrls<'a> {
    found: OnceLock<Vec<Found<'a>>>,
}

#[derive(Clone)]
pub(crate) struct Found<'a> {
    pub(crate) node: usize,
    pub(crate) input: Cow<'a, str>,
    pub(crate) pointer: String,
    pub(crate) url: Url,
}

impl<'a> LazyUrls<'a> {
    /// Every URL-like string of every node's inputs, in document order.
    pub(crate) fn all(&self, nodes: &[NodeData<'a>]) -> &[Found<'a>] {
        self.found.get_or_init(|| find_all(nodes))
    }
}

fn find_all<'a>(nodes: &[NodeData<'a>]) -> Vec<Found<'a>> {
    let mut found = Vec::new();
    for (index, node) in nodes.iter().enumerate() {
        for (name, raw) in json::members(node.inputs.0) {
            let input = name.decode();
            let mut walk = Walk {
                path: Vec::new(),
                urls: Vec::new(),
            };
            // The text was checked during validation, so this walk meets no error.
            let _ = Reader::new(raw).walk_value(&mut walk);
            for (path, url) in walk.urls {
                let pointer = path.iter().fold(
                    Pointer::default()
                        .push("prompt")
                        .push(&node.id)
                        .push("inputs")
                        .push(&input),
                    Pointer::push_segment,
                );
                found.push(Found {
                    node: index,
                    input: input.clone(),
                    pointer: pointer.build(),
                    url,
                });
            }
        }
    }
    found
}

/// Walks one input's value, keeping the path to each string and the URLs found.
struct Walk<'a> {
    path: Vec<Segment<'a>>,
    urls: Vec<(Vec<Segment<'a>>, Url)>,
}

impl<'a> Visitor<'a> for Walk<'a> {
    fn string(&mut self, value: JsonStr<'a>) {
        if !is_url_like_json(value) {
            return;
        }
        // Validation accepted the workflow, so every URL-like string parses.
        if let Ok(url) = Url::parse(&value.decode()) {
            self.urls.push((self.path.clone(), url));
        }
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

/// A URL in an accepted workflow: where it is, and the URL as the WHATWG parser reads it (its
/// serialisation, [`Url::as_str`], is the key a model cache should use).
#[derive(Clone, Copy, Debug)]
pub struct ModelUrl<'w> {
    pub(crate) node_id: &'w str,
    pub(crate) class_type: &'w str,
    pub(crate) input: &'w str,
    pub(crate) pointer: &'w str,
    pub(crate) url: &'w Url,
}

impl<'w> ModelUrl<'w> {
    /// The id of the node whose input holds it.
    #[must_use]
    pub fn node_id(&self) -> &'w str {
        self.node_id
    }

    /// That node's `class_type`.
    #[must_use]
    pub fn class_type(&self) -> &'w str {
        self.class_type
    }

    /// The name of the input that holds it (the URL may be nested inside its value).
    #[must_use]
    pub fn input(&self) -> &'w str {
        self.input
    }

    /// An RFC 6901 pointer to the string, e.g. `/prompt/4/inputs/ckpt_name`.
    #[must_use]
    pub fn pointer(&self) -> &'w str {
        self.pointer
    }

    /// The parsed URL.
    #[must_use]
    pub fn url(&self) -> &'w Url {
        self.url
    }
}
