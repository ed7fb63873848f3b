//! Problems as ComfyUI's `node_errors`, for clients that already read ComfyUI's 400s.

use serde_json::{Map, Value, json};

use super::Catalogue;
use super::graph::{Graph, NodeIndex};
use super::links::{Shape, shape};
use crate::error::Detail;
use crate::error::ValidationError;
use crate::json;
use crate::workflow::Workflow;

impl Catalogue {
    /// `problems` (of this workflow) as ComfyUI's `node_errors` map:
    /// `{node_id: {"class_type", "errors": [{"type", "message", "details", "extra_info"}],
    /// "dependent_outputs"}}`. `type` is the code, `details` the input's name (or the node's
    /// id), `extra_info` the error's own details. `dependent_outputs` lists the output nodes
    /// that depend on the node, in body order. Problems that belong to no node
    /// (`prompt_no_outputs`, and the request contract's) are left out, as ComfyUI sends them
    /// beside the map, in `error`.
    ///
    /// ```
    /// use cmfy_validate::{validate, catalogue::Catalogue};
    ///
    /// let catalogue = Catalogue::from_object_info(
    ///     br#"{"Save": {"input": {"required": {"n": ["INT", {"max": 9}]}}, "output_node": true}}"#)?;
    /// let workflow = validate(br#"{"prompt": {"7": {"class_type": "Save", "inputs": {"n": 10}}}}"#).expect("valid");
    /// let problems = catalogue.check_all(&workflow).unwrap_err();
    /// let map = catalogue.node_errors(&workflow, &problems);
    /// assert_eq!(map["7"]["errors"][0]["type"], "value_bigger_than_max");
    /// assert_eq!(map["7"]["errors"][0]["details"], "n");
    /// assert_eq!(map["7"]["dependent_outputs"], serde_json::json!(["7"]));
    /// # Ok::<(), cmfy_validate::catalogue::CatalogueError>(())
    /// ```
    #[must_use]
    pub fn node_errors(
        &self,
        workflow: &Workflow<'_>,
        problems: &[ValidationError],
    ) -> Map<String, Value> {
        let nodes: Vec<_> = workflow.nodes().collect();
        let index = NodeIndex::new(nodes.iter().map(|node| node.id()), nodes.len());
        // Links reversed: from a node to the nodes that use it, so that the outputs that
        // depend on a node are the output nodes reachable from it.
        let mut used_by: Vec<(usize, usize)> = nodes
            .iter()
            .enumerate()
            .flat_map(|(i, node)| {
                let index = &index;
                json::members(node.inputs_json()).filter_map(move |(_, raw)| match shape(raw) {
                    Shape::Link { node_id, .. } => index.get(&node_id).map(|source| (source, i)),
                    _ => None,
                })
            })
            .collect();
        used_by.sort_unstable();
        let reverse = Graph::new(nodes.len(), used_by);
        let mut map = Map::new();
        for problem in problems {
            let Some(id) = problem.detail(Detail::NodeId).and_then(Value::as_str) else {
                continue;
            };
            let Some(node_index) = index.get(id) else {
                continue;
            };
            let entry = map.entry(id.to_owned()).or_insert_with(|| {
                let reached = reverse.reachable([node_index]);
                let outputs: Vec<Value> = nodes
                    .iter()
                    .enumerate()
                    .filter(|(i, node)| {
                        reached.get(*i).copied().unwrap_or(false)
                            && self.resolve(node.class_type()).is_output()
                    })
                    .map(|(_, node)| Value::String(node.id().to_owned()))
                    .collect();
                json!({
                    "class_type": nodes.get(node_index).map(|n| n.class_type()).unwrap_or_default(),
                    "errors": [],
                    "dependent_outputs": outputs,
                })
            });
            let details = problem
                .details()
                .get("input")
                .and_then(Value::as_str)
                .unwrap_or(id);
            let error = json!({
                "type": problem.code(),
                "message": problem.message(),
                "details": details,
                "extra_info": problem.details(),
            });
            if let Some(Value::Array(errors)) = entry.get_mut("errors") {
                errors.push(error);
            }
        }
        map
    }
}
