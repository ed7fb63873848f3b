//! The graph of links: which nodes run (reachability from the output nodes), and the cycles
//! among them. Iterative throughout, so a chain of 100,000 nodes needs no deep stack.

use std::collections::HashMap;
use std::ops::Range;

use crate::invariant::Invariant;

/// The mark [`walk`] leaves on a node it did not reach.
pub(crate) const NOT_REACHED: u8 = 0;

/// Why Tarjan's per-node vectors have the node being read: one entry for each node of the graph.
const ONE_EACH: &str = "Tarjan's vectors have one entry for each node of the graph";

/// Nodes by index (body order), and each node's links to nodes of the prompt, in the order of
/// its inputs. Links to ids that are not in the prompt are left out (they are `dangling_link`).
pub(crate) struct Graph {
    /// The links of node `i` are `targets[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    targets: Vec<usize>,
}

impl Graph {
    /// A graph of `nodes` nodes from `(source, target)` links listed in source order.
    pub(crate) fn new(nodes: usize, links: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let links = links.into_iter();
        let mut graph = Graph::with_capacity(nodes, links.size_hint().0);
        for (source, target) in links {
            graph.link(source, target);
        }
        graph.finish(nodes)
    }

    /// An empty graph, to be given its links in source order with [`Graph::link`].
    pub(crate) fn with_capacity(nodes: usize, links: usize) -> Self {
        let mut starts = Vec::with_capacity(nodes + 1);
        starts.push(0);
        Graph {
            starts,
            targets: Vec::with_capacity(links),
        }
    }

    /// Adds a link; sources come in ascending order.
    pub(crate) fn link(&mut self, source: usize, target: usize) {
        debug_assert!(self.starts.len() <= source + 1, "links in source order");
        while self.starts.len() <= source {
            self.starts.push(self.targets.len());
        }
        self.targets.push(target);
    }

    /// The graph, once every link of its `nodes` nodes is in.
    pub(crate) fn finish(mut self, nodes: usize) -> Self {
        while self.starts.len() <= nodes {
            self.starts.push(self.targets.len());
        }
        self
    }

    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// The nodes node `node` links to.
    pub(crate) fn links(&self, node: usize) -> &[usize] {
        self.targets
            .get(self.span(node))
            .holds("starts are offsets into targets, in order")
    }

    /// Where the links of node `node` are in `targets`.
    fn span(&self, node: usize) -> Range<usize> {
        let why = "a node of the graph has a start, and so does the one after it (or the end)";
        let start = self.starts.get(node).copied().holds(why);
        let end = self.starts.get(node + 1).copied().holds_or(start, why);
        start..end
    }

    /// Which nodes are reachable from `roots`, following links, and whether the links among
    /// them have no cycle, as [`walk`] answers it.
    #[cfg(test)]
    pub(crate) fn walk(&self, roots: impl IntoIterator<Item = usize>) -> (Vec<bool>, bool) {
        let mut marks = vec![NOT_REACHED; self.len()];
        let span = |node: usize| self.span(node);
        let target = |&target: &usize| Some(target);
        let acyclic = walk(
            &self.targets,
            span,
            target,
            roots,
            &mut marks,
            &mut Vec::new(),
        );
        (
            marks.into_iter().map(|mark| mark != NOT_REACHED).collect(),
            acyclic,
        )
    }

    /// Which nodes are reachable from `roots`, following links.
    pub(crate) fn reachable(&self, roots: impl IntoIterator<Item = usize>) -> Vec<bool> {
        let mut seen = vec![false; self.len()];
        let mut stack: Vec<usize> = Vec::new();
        for root in roots {
            if let Some(mark @ false) = seen.get_mut(root) {
                *mark = true;
                stack.push(root);
            }
        }
        while let Some(node) = stack.pop() {
            for &next in self.links(node) {
                if let Some(mark @ false) = seen.get_mut(next) {
                    *mark = true;
                    stack.push(next);
                }
            }
        }
        seen
    }

    /// The first node in body order of every cycle among the nodes marked in `within`: one
    /// node per strongly connected component that has a cycle (more than one node, or a node
    /// that links to itself), in body order. Tarjan's algorithm, with an explicit stack.
    pub(crate) fn cycles(&self, within: &[bool]) -> Vec<usize> {
        if self.is_acyclic(within) {
            return Vec::new();
        }
        let inside = |node: usize| within.get(node).copied().unwrap_or(false);
        let mut tarjan = Tarjan::new(self.len());
        let mut firsts = Vec::new();
        for start in (0..self.len()).filter(|&node| inside(node)) {
            if tarjan.seen(start) {
                continue;
            }
            tarjan.visit(start);
            while let Some(&(node, cursor)) = tarjan.calls.last() {
                if let Some(&next) = self.links(node).get(cursor) {
                    if let Some(call) = tarjan.calls.last_mut() {
                        call.1 += 1;
                    }
                    if !inside(next) {
                        continue;
                    }
                    if !tarjan.seen(next) {
                        tarjan.visit(next);
                    } else if tarjan.on_stack.get(next).copied().holds(ONE_EACH) {
                        let at = tarjan.index.get(next).copied().holds(ONE_EACH);
                        tarjan.lower(node, at);
                    }
                    continue;
                }
                tarjan.calls.pop();
                let node_low = tarjan.low.get(node).copied().holds(ONE_EACH);
                if let Some(&(parent, _)) = tarjan.calls.last() {
                    tarjan.lower(parent, node_low);
                }
                if Some(&node_low) != tarjan.index.get(node) {
                    continue;
                }
                // `node` is the root of a component: pop it.
                let (first, size) = tarjan.pop_component(node);
                if size > 1 || self.links(node).contains(&node) {
                    firsts.push(first);
                }
            }
        }
        firsts.sort_unstable();
        firsts
    }

    /// Whether the links among the nodes marked in `within` have no cycle: Kahn's order,
    /// peeling off nodes nothing links to, takes every node exactly when there is none. A few
    /// instructions a link, where Tarjan's walk costs several times that; the walk runs only
    /// when this says there is a cycle to name.
    fn is_acyclic(&self, within: &[bool]) -> bool {
        let inside = |node: usize| within.get(node).copied().unwrap_or(false);
        let mut into = vec![0u32; self.len()];
        let mut count = 0usize;
        for node in (0..self.len()).filter(|&node| inside(node)) {
            count += 1;
            for &next in self.links(node) {
                if inside(next)
                    && let Some(n) = into.get_mut(next)
                {
                    *n = n.saturating_add(1);
                }
            }
        }
        let mut ready: Vec<usize> = (0..self.len())
            .filter(|&node| inside(node) && into.get(node) == Some(&0))
            .collect();
        let mut taken = 0usize;
        while let Some(node) = ready.pop() {
            taken += 1;
            for &next in self.links(node) {
                if !inside(next) {
                    continue;
                }
                if let Some(n) = into.get_mut(next) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        ready.push(next);
                    }
                }
            }
        }
        taken == count
    }

    /// The cycle through `start`: node indices from `start` along links, in input order, the
    /// first path a depth-first walk from it meets that comes back to it. Empty if none does.
    pub(crate) fn cycle_from(&self, start: usize) -> Vec<usize> {
        let mut visited = vec![false; self.len()];
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        if let Some(mark) = visited.get_mut(start) {
            *mark = true;
        }
        while let Some(&(node, cursor)) = path.last() {
            let Some(&next) = self.links(node).get(cursor) else {
                path.pop();
                continue;
            };
            if let Some(step) = path.last_mut() {
                step.1 += 1;
            }
            if next == start {
                return path.iter().map(|&(node, _)| node).collect();
            }
            if let Some(mark @ false) = visited.get_mut(next) {
                *mark = true;
                path.push((next, 0));
            }
        }
        Vec::new()
    }
}

/// Which nodes are reachable from `roots`, and whether the links among them have no cycle: one
/// depth-first walk, a cycle being a link back to a node still on the walk's path. Node `n`'s
/// links are the entries of `items[span(n)]` that `target` gives a node for, in order. `marks`
/// comes with one mark for each node, all [`NOT_REACHED`], and keeps it on those not reached;
/// `path` (the walk's stack, given so that its room is kept) is left empty. Generic over the
/// links, so that the check walks the targets its plan recorded, with no graph built first.
pub(crate) fn walk<T>(
    items: &[T],
    span: impl Fn(usize) -> Range<usize>,
    target: impl Fn(&T) -> Option<usize>,
    roots: impl IntoIterator<Item = usize>,
    marks: &mut [u8],
    path: &mut Vec<(usize, Range<usize>)>,
) -> bool {
    const UNSEEN: u8 = NOT_REACHED;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    path.clear();
    let mut acyclic = true;
    for root in roots {
        if let Some(mark @ &mut UNSEEN) = marks.get_mut(root) {
            *mark = ON_PATH;
            path.push((root, span(root)));
        }
        // Each node on the path with the items of its links not yet followed.
        while let Some((node, rest)) = path.last_mut() {
            let Some(item) = rest.next() else {
                if let Some(mark) = marks.get_mut(*node) {
                    *mark = DONE;
                }
                path.pop();
                continue;
            };
            let Some(next) = items.get(item).and_then(&target) else {
                continue;
            };
            match marks.get_mut(next) {
                Some(mark @ &mut UNSEEN) => {
                    *mark = ON_PATH;
                    path.push((next, span(next)));
                }
                Some(&mut ON_PATH) => acyclic = false,
                _ => {}
            }
        }
    }
    acyclic
}

/// The state of Tarjan's algorithm, with its call stack made explicit.
struct Tarjan {
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    /// The nodes being visited, each with the next of its links to look at.
    calls: Vec<(usize, usize)>,
    next_index: usize,
}

const UNSEEN: usize = usize::MAX;

impl Tarjan {
    fn new(n: usize) -> Self {
        Tarjan {
            index: vec![UNSEEN; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            calls: Vec::new(),
            next_index: 0,
        }
    }

    fn seen(&self, node: usize) -> bool {
        self.index.get(node).is_some_and(|&i| i != UNSEEN)
    }

    fn visit(&mut self, node: usize) {
        if let (Some(i), Some(l), Some(s)) = (
            self.index.get_mut(node),
            self.low.get_mut(node),
            self.on_stack.get_mut(node),
        ) {
            (*i, *l, *s) = (self.next_index, self.next_index, true);
        }
        self.next_index += 1;
        self.stack.push(node);
        self.calls.push((node, 0));
    }

    fn lower(&mut self, node: usize, value: usize) {
        if let Some(l) = self.low.get_mut(node) {
            *l = (*l).min(value);
        }
    }

    /// Pops the component whose root is `root`: its first node in body order, and its size.
    fn pop_component(&mut self, root: usize) -> (usize, usize) {
        let (mut first, mut size) = (root, 0);
        while let Some(member) = self.stack.pop() {
            if let Some(mark) = self.on_stack.get_mut(member) {
                *mark = false;
            }
            first = first.min(member);
            size += 1;
            if member == root {
                break;
            }
        }
        (first, size)
    }
}

/// Node ids to their index in body order. Ids are almost always small numbers (`"1"` to
/// `"500"`): those are looked up in a table, the rest in a keyed hash map (ids come from the
/// request, so their hash must not be one a body can aim at).
pub(crate) struct NodeIndex<'a> {
    /// For a canonical decimal id below its length, the node's index + 1 (0: none).
    numbers: Vec<u32>,
    /// Every other id; made only when one is met (its hasher's seeding is code a check of
    /// numbered nodes, the usual kind, need not run).
    others: Option<HashMap<&'a str, usize>>,
}

impl<'a> NodeIndex<'a> {
    /// The index of `count` nodes with these ids (unique, as the request contract has them).
    pub(crate) fn new(ids: impl Iterator<Item = &'a str>, count: usize) -> Self {
        Self::new_in(ids, count, Vec::new())
    }

    /// [`NodeIndex::new`] with its table in `numbers` (emptied).
    pub(crate) fn new_in(
        ids: impl Iterator<Item = &'a str>,
        count: usize,
        mut numbers: Vec<u32>,
    ) -> Self {
        numbers.clear();
        numbers.resize(count.saturating_mul(4).saturating_add(64), 0);
        let mut index = NodeIndex {
            numbers,
            others: None,
        };
        for (i, id) in ids.enumerate() {
            match index.number_slot(id) {
                Some(slot) => *slot = u32::try_from(i + 1).unwrap_or(0),
                None => {
                    index.others.get_or_insert_with(HashMap::new).insert(id, i);
                }
            }
        }
        index
    }

    /// The index's table, for another index.
    pub(crate) fn into_numbers(self) -> Vec<u32> {
        self.numbers
    }

    /// The slot of `id` in the table, if it is a canonical decimal small enough to have one.
    fn number_slot(&mut self, id: &str) -> Option<&mut u32> {
        let number = small_number(id)?;
        self.numbers.get_mut(number)
    }

    /// The index of the node with id `id`.
    #[inline]
    pub(crate) fn get(&self, id: &str) -> Option<usize> {
        if let Some(number) = small_number(id)
            && let Some(&slot) = self.numbers.get(number)
        {
            return (slot as usize).checked_sub(1);
        }
        self.others.as_ref()?.get(id).copied()
    }
}

/// The number a canonical decimal (no sign, no leading zero, at most 9 digits) spells.
fn small_number(id: &str) -> Option<usize> {
    let bytes = id.as_bytes();
    if bytes.is_empty() || bytes.len() > 9 || (bytes.len() > 1 && bytes.first() == Some(&b'0')) {
        return None;
    }
    bytes.iter().try_fold(0usize, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + usize::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::{Graph, NodeIndex};

    #[test]
    fn a_graph_keeps_each_node_s_links_in_order() {
        let mut graph = Graph::with_capacity(3, 2);
        graph.link(0, 1);
        graph.link(2, 0);
        graph.link(2, 2);
        let graph = graph.finish(4);
        assert_eq!(
            (graph.starts.as_slice(), graph.targets.as_slice()),
            ([0, 1, 1, 3, 3].as_slice(), [1, 0, 2].as_slice())
        );
        assert_eq!(graph.links(2), [0, 2]);
        assert_eq!(graph.links(3), [] as [usize; 0]);
    }

    #[test]
    fn ids_are_found_by_number_or_by_name() {
        let ids = ["1", "2", "07", "x", "128:71", "999999", "0", "-1"];
        let index = NodeIndex::new(ids.iter().copied(), ids.len());
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.get(id), Some(i), "{id}");
        }
        for absent in ["3", "7", "00", "y", "1000000000", ""] {
            assert_eq!(index.get(absent), None, "{absent}");
        }
    }

    #[test]
    fn reachability_and_cycles() {
        // 0 -> 1 -> 2 -> 1, 3 -> 3, 4 alone, 5 -> 0
        let graph = Graph::new(6, [(0, 1), (1, 2), (2, 1), (3, 3), (5, 0)]);
        assert_eq!(
            graph.reachable([0]),
            [true, true, true, false, false, false]
        );
        let all = [true; 6];
        assert_eq!(graph.cycles(&all), [1, 3]);
        assert_eq!(graph.cycles(&graph.reachable([0])), [1]);
        assert_eq!(graph.walk([0]), (graph.reachable([0]), false));
        assert_eq!(
            graph.walk([4]),
            (vec![false, false, false, false, true, false], true)
        );
        assert!(!graph.walk([5, 3]).1, "a node that links to itself");
        assert_eq!(graph.walk([]), (vec![false; 6], true));
        assert_eq!(graph.cycle_from(1), [1, 2]);
        assert_eq!(graph.cycle_from(3), [3]);
        assert!(graph.cycle_from(0).is_empty());
        // Kahn's test, which spares Tarjan's walk: only the marked nodes count.
        assert!(!graph.is_acyclic(&all));
        assert!(graph.is_acyclic(&[true, false, true, false, true, true]));
        assert!(!graph.is_acyclic(&[false, false, false, true, false, false]));
        let diamond = Graph::new(4, [(0, 1), (0, 2), (0, 3), (1, 3), (2, 3)]);
        assert!(diamond.is_acyclic(&[true; 4]));
        assert_eq!(
            diamond.walk([0]),
            (vec![true; 4], true),
            "two ways to one node are no cycle"
        );
        assert!(diamond.cycles(&[true; 4]).is_empty());
    }

    #[test]
    fn long_chains_need_no_deep_stack() {
        let n = 200_000;
        let chain = Graph::new(n, (0..n - 1).map(|i| (i, i + 1)));
        assert!(chain.reachable([0]).iter().all(|&r| r));
        assert!(chain.cycles(&vec![true; n]).is_empty());
        let ring = Graph::new(n, (0..n).map(|i| (i, (i + 1) % n)));
        assert_eq!(ring.cycles(&vec![true; n]), [0]);
        assert_eq!(ring.cycle_from(0).len(), n);
    }
}
