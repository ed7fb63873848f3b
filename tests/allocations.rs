//! How many allocations a request costs: a small bound whatever the number of nodes (the
//! contract allows one per node on top), and none per string that needs no unescaping. Counted with a counting global allocator, in its own test
//! binary so nothing else allocates concurrently during a measurement.

#[path = "../benches/fixtures.rs"]
mod fixtures;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    /// Allocations made by this thread; const-initialised, so counting never allocates.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_one() {
    // During thread teardown the counter may be gone; nothing to count then.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above, i.e. from the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: as for `dealloc`; the caller guarantees `new_size` is valid for `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made while validating `body` (including dropping the result), and its nodes.
fn count(body: &[u8]) -> (usize, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let nodes = cmfy_validate::validate(body)
        .map(|w| w.len())
        .expect("the body is valid");
    (ALLOCATIONS.with(Cell::get) - before, nodes)
}

/// [`count`] on a thread that has validated a request before, as a server's threads have: a
/// thread's first request also allocates the key stack, which the thread keeps for the next.
fn allocations(body: &[u8]) -> (usize, usize) {
    let _ = cmfy_validate::validate(b"{}");
    count(body)
}

/// The bound: the node list (sized from the body's length) and, for each object of more than 32
/// keys, its key set, each grown a logarithmic number of times; the webhook URL. Inputs are not
/// built during validation (7 allocations in all at 500 nodes).
const CONSTANT: usize = 16;

#[test]
fn a_bound_independent_of_the_node_count() {
    for nodes in [1, 10, 100, 500] {
        let body = fixtures::request(&fixtures::workflow(nodes, nodes as u64));
        let (count, built) = allocations(&body);
        assert_eq!(built, nodes);
        println!("{nodes} nodes, {} bytes: {count} allocations", body.len());
        assert!(
            count <= CONSTANT + nodes,
            "{nodes} nodes: {count} allocations"
        );
    }
}

#[test]
fn strings_without_escapes_allocate_nothing() {
    let strings: Vec<String> = (0..10_000)
        .map(|i| format!(r#""text {i}, a cat""#))
        .collect();
    let nested = format!("[{}]", strings.join(","));
    let few = r#"{"prompt": {"1": {"class_type": "A", "inputs": {"x": ["a"]}}}}"#;
    let many =
        format!(r#"{{"prompt": {{"1": {{"class_type": "A", "inputs": {{"x": {nested}}}}}}}}}"#);
    let (few_count, _) = allocations(few.as_bytes());
    let (many_count, _) = allocations(many.as_bytes());
    println!("1 string: {few_count} allocations; 10000 strings: {many_count}");
    assert_eq!(few_count, many_count);
}

#[test]
fn real_workflows_stay_within_the_bound() {
    for (name, workflow) in fixtures::corpus_workflows() {
        // Escaped strings may allocate once each when decoded; count them into the bound.
        let escaped = workflow.windows(2).filter(|w| w[0] == b'\\').count();
        let body = fixtures::request(std::str::from_utf8(&workflow).expect("UTF-8"));
        let (count, nodes) = allocations(&body);
        println!("{name}: {count} allocations, {nodes} nodes, {escaped} escapes");
        assert!(
            count <= CONSTANT + nodes + escaped,
            "{name}: {count} allocations for {nodes} nodes"
        );
    }
}

#[test]
fn a_thread_allocates_its_key_stack_once() {
    let body = fixtures::request(&fixtures::workflow(1, 1));
    let (first, second) = std::thread::spawn(move || (count(&body).0, count(&body).0))
        .join()
        .expect("the thread ends");
    println!("1 node: {first} allocations on a new thread, then {second}");
    assert_eq!(first, second + 1);
}

/// Allocations of `validate_with` under `policy` (a catalogue's check included).
fn allocations_with(body: &[u8], policy: &cmfy_validate::Policy) -> usize {
    let _ = cmfy_validate::validate(b"{}");
    let before = ALLOCATIONS.with(Cell::get);
    let outcome = cmfy_validate::validate_with(body, policy).map(|w| w.len());
    assert!(outcome.is_ok(), "the body fits the catalogue: {outcome:?}");
    ALLOCATIONS.with(Cell::get) - before
}

/// A request of `nodes` nodes ("1", "2", ...) of class `class`, each with these inputs.
fn prompt_of(nodes: usize, class: &str, inputs: &[String]) -> String {
    let inputs = inputs.join(", ");
    let nodes: Vec<String> = (1..=nodes)
        .map(|n| format!(r#""{n}": {{"class_type": "{class}", "inputs": {{{inputs}}}}}"#))
        .collect();
    format!(r#"{{"prompt": {{{}}}}}"#, nodes.join(", "))
}

#[test]
fn the_catalogue_check_allocates_nothing_per_input_or_literal() {
    // One class of `inputs` INT inputs; 40 nodes giving each a literal in range. From 2 to 30
    // inputs a node (80 to 1,200 literals) the count may grow only by the few times the
    // vectors sized for the inputs double, never by one per input. (Past 32 keys an object
    // gets a key set of its own in the request pass: one per object, not per input.)
    let count = |inputs: usize| {
        let declared: Vec<String> = (0..inputs)
            .map(|i| format!(r#""i{i}": ["INT", {{"min": 0, "max": 100}}]"#))
            .collect();
        let snapshot = format!(
            r#"{{"Many": {{"input": {{"required": {{{}}}}}, "output_node": true}}}}"#,
            declared.join(", ")
        );
        let catalogue = cmfy_validate::catalogue::Catalogue::from_object_info(snapshot.as_bytes())
            .expect("the snapshot loads");
        let policy =
            cmfy_validate::Policy::default().with_catalogue(std::sync::Arc::new(catalogue));
        let literals: Vec<String> = (0..inputs)
            .map(|i| format!(r#""i{i}": {}"#, i % 100))
            .collect();
        let body = prompt_of(40, "Many", &literals);
        allocations_with(body.as_bytes(), &policy)
    };
    let (few, many) = (count(2), count(30));
    println!("40 nodes: {few} allocations with 2 inputs each, {many} with 30");
    assert!(
        many <= few + 8,
        "{few} allocations for 80 literals, {many} for 1,200"
    );
}

#[test]
fn a_thread_keeps_the_catalogue_checks_buffers_unless_they_grew_large() {
    let snapshot = br#"{"Save": {"input": {"required": {"n": ["INT"]}}, "output_node": true},
                        "Free": {"input": {}, "output_node": true}, "Load": {"input": {}, "output": ["INT"]}}"#;
    let catalogue = cmfy_validate::catalogue::Catalogue::from_object_info(snapshot)
        .expect("the snapshot loads");
    let policy = cmfy_validate::Policy::default().with_catalogue(std::sync::Arc::new(catalogue));
    let small = br#"{"prompt": {"1": {"class_type": "Load", "inputs": {}},
                                "2": {"class_type": "Save", "inputs": {"n": ["1", 0]}}}}"#;
    // 100 nodes of 50 undeclared inputs: 5,000 leads, past what a thread keeps.
    let inputs: Vec<String> = (0..50).map(|i| format!(r#""x{i}": {i}"#)).collect();
    let large = prompt_of(100, "Free", &inputs);
    // Each on a thread of its own, so each starts with no buffers kept.
    let on_a_new_thread = |bodies: Vec<&[u8]>| {
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let counts: Vec<usize> = bodies
                        .iter()
                        .map(|body| allocations_with(body, &policy))
                        .collect();
                    counts
                })
                .join()
                .expect("the thread finishes")
        })
    };
    let again = on_a_new_thread(vec![small, small]);
    let (first, second) = (again[0], again[1]);
    println!("a small check: {first} allocations on a new thread, {second} on the next request");
    assert!(
        second + 5 <= first,
        "the buffers were kept: {first} then {second}"
    );
    // Past the first request, the check allocates only the inputs' places, which the request
    // pass keeps in the workflow: every buffer of the plan and of the node rows is the thread's
    // own, the room of the nodes' records included, though they borrow from the request.
    let plain_policy = cmfy_validate::Policy::default();
    let plain = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let _ = allocations_with(small, &plain_policy);
                allocations_with(small, &plain_policy)
            })
            .join()
            .expect("the thread finishes")
    });
    assert_eq!(
        second,
        plain + 1,
        "{second} allocations with the check, {plain} without"
    );
    let after_large = on_a_new_thread(vec![large.as_bytes(), small]);
    assert_eq!(
        after_large[1], first,
        "after a large check the thread starts afresh"
    );
    // 5,000 nodes and none an output node: the check stops at row 13 with only the room of
    // the nodes' records past what a thread keeps, and that alone is not kept either.
    let many = prompt_of(5000, "Load", &[]);
    let roomy = cmfy_validate::Policy::default()
        .with_max_nodes(5000)
        .with_catalogue(
            policy
                .catalogue()
                .cloned()
                .expect("the policy has a catalogue"),
        );
    let after_many = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let refused = cmfy_validate::validate_with(many.as_bytes(), &roomy);
                assert_eq!(
                    refused.map(|w| w.len()).map_err(|e| e.code()),
                    Err("prompt_no_outputs")
                );
                allocations_with(small, &policy)
            })
            .join()
            .expect("the thread finishes")
    });
    assert_eq!(
        after_many, first,
        "after many nodes the thread starts afresh"
    );
}
