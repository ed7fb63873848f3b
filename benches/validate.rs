//! `validate` against the parse floor and the peers, on the same inputs, in one run.
//!
//! For each input: `serde_json::from_slice::<IgnoredAny>` (the cost of reading the JSON at all),
//! `serde_json::Value`, `Value` plus a `jsonschema` validator of the same structural rules (what
//! a user would reach for), and `cmfy_validate::validate`.

mod fixtures;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde::de::IgnoredAny;

/// The structural rules of the contract, as far as JSON Schema can say them (the same file
/// gives the Python benchmark's peers their rules).
fn schema() -> serde_json::Value {
    serde_json::from_str(include_str!("structural-schema.json")).expect("the schema is JSON")
}

fn inputs() -> Vec<(String, Vec<u8>)> {
    let generated = |name: &str, nodes: usize, seed: u64| {
        (
            name.to_owned(),
            fixtures::request(&fixtures::workflow(nodes, seed)),
        )
    };
    let mut inputs = vec![("quickstart".to_owned(), fixtures::quickstart())];
    let corpus = fixtures::corpus_workflows();
    match (corpus.get(corpus.len() / 2), corpus.last()) {
        (Some((median, m)), Some((largest, l))) => {
            let wrap = |w: &[u8]| [b"{\"prompt\": ".as_slice(), w, b"}"].concat();
            inputs.push((format!("corpus-median ({median})"), wrap(m)));
            inputs.push((format!("corpus-largest ({largest})"), wrap(l)));
        }
        _ => {
            eprintln!("../shared is absent: generated workflows stand in for the corpus");
            inputs.push(generated("generated-30", 30, 7));
            inputs.push(generated("generated-150", 150, 8));
        }
    }
    inputs.push(generated("generated-500", 500, 1));
    inputs.push(generated("rejected-600", 600, 2));
    inputs.push((
        "base64-4MB".to_owned(),
        fixtures::long_string_request(4 << 20),
    ));
    inputs
}

/// A contender: its name in the table, and a run over one body.
type Contender<'f> = (&'static str, &'f dyn Fn(&[u8]) -> bool);

fn compare(c: &mut Criterion) {
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    // The contenders, in the order the table lists them. Each call goes through the same
    // indirection, so none is favoured.
    let contenders: [Contender<'_>; 4] = [
        ("serde_ignored_any", &|body| {
            serde_json::from_slice::<IgnoredAny>(body).is_ok()
        }),
        ("serde_value", &|body| {
            serde_json::from_slice::<serde_json::Value>(body).is_ok()
        }),
        ("value_jsonschema", &|body| {
            serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| validator.is_valid(&v))
        }),
        ("cmfy_validate", &|body| {
            cmfy_validate::validate(body).is_ok()
        }),
    ];
    for (name, body) in inputs() {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(body.len() as u64));
        if body.len() > 1 << 20 {
            group.sample_size(20);
        }
        for (contender, run) in &contenders {
            group.bench_with_input(BenchmarkId::from_parameter(contender), &body, |b, body| {
                b.iter(|| run(black_box(body)))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, compare);
criterion_main!(benches);
