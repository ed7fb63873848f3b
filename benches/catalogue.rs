//! The catalogue check's costs, each beside its baseline in one run: loading a snapshot against
//! `serde_json::from_slice::<Value>` of the same bytes, and `validate_with` a catalogue against
//! `validate` alone on the same body; and, at real scale (the real installs of
//! `../shared/catalogue`), valid and invalid corpus workflows and bodies built against the
//! suggestion index, beside `validate` of the corpus median body and a `Value` parse.

mod fixtures;

use std::hint::black_box;
use std::sync::Arc;

use cmfy_validate::{Policy, catalogue::Catalogue};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn loading(c: &mut Criterion) {
    let mut snapshots = fixtures::shared_object_infos();
    if snapshots.is_empty() {
        eprintln!("../shared is absent: only the example and generated snapshots are loaded");
    }
    snapshots.push(("example".to_owned(), fixtures::example_object_info()));
    snapshots.push((
        "generated-4MB".to_owned(),
        fixtures::object_info(4 << 20, 1),
    ));
    snapshots.push((
        "generated-100MB".to_owned(),
        fixtures::object_info(100 << 20, 2),
    ));
    for (name, bytes) in &snapshots {
        let mut group = c.benchmark_group(format!("load {name}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        if bytes.len() > 8 << 20 {
            group.sample_size(10);
        }
        group.bench_with_input(
            BenchmarkId::from_parameter("serde_value"),
            bytes,
            |b, bytes| {
                b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(bytes)).is_ok())
            },
        );
        group.bench_with_input(
            BenchmarkId::from_parameter("catalogue"),
            bytes,
            |b, bytes| b.iter(|| Catalogue::from_object_info(black_box(bytes)).is_ok()),
        );
        group.finish();
    }
}

fn checking(c: &mut Criterion) {
    let catalogue =
        Arc::new(Catalogue::from_object_info(&fixtures::example_object_info()).expect("loads"));
    let with = Policy::default().with_catalogue(catalogue);
    let without = Policy::default();
    for nodes in [7, 399] {
        let body = fixtures::catalogue_request(nodes, 3);
        assert!(
            cmfy_validate::validate_with(&body, &with).is_ok(),
            "the generated graph fits"
        );
        let mut group = c.benchmark_group(format!("check {nodes} nodes"));
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter("validate"), &body, |b, body| {
            b.iter(|| cmfy_validate::validate_with(black_box(body), &without).is_ok())
        });
        group.bench_with_input(
            BenchmarkId::from_parameter("validate_with_catalogue"),
            &body,
            |b, body| b.iter(|| cmfy_validate::validate_with(black_box(body), &with).is_ok()),
        );
        group.finish();
    }
}

/// One body at real scale: `validate_with` the catalogue, beside its baselines.
fn real_case(c: &mut Criterion, group: &str, body: &[u8], policy: &Policy, median: &[u8]) {
    let mut group = c.benchmark_group(group);
    group.throughput(Throughput::Bytes(body.len() as u64));
    let plain = Policy::default();
    group.bench_function("serde_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(body)).is_ok())
    });
    group.bench_function("validate", |b| {
        b.iter(|| cmfy_validate::validate_with(black_box(body), &plain).is_ok())
    });
    group.bench_function("validate_median", |b| {
        b.iter(|| cmfy_validate::validate_with(black_box(median), &plain).is_ok())
    });
    group.bench_function("validate_with", |b| {
        b.iter(|| cmfy_validate::validate_with(black_box(body), policy).is_ok())
    });
    group.bench_function("validate_all", |b| {
        b.iter(|| cmfy_validate::validate_all(black_box(body), policy).is_ok())
    });
    group.finish();
}

fn real_scale(c: &mut Criterion) {
    let corpus = fixtures::corpus_workflows();
    let snapshots: Vec<(String, Vec<u8>)> = fixtures::shared_object_infos()
        .into_iter()
        .filter(|(_, bytes)| bytes.len() > 1 << 20)
        .collect();
    if corpus.is_empty() || snapshots.is_empty() {
        eprintln!(
            "SKIPPED real-scale catalogue benches: ../shared/corpus or ../shared/catalogue is absent"
        );
        return;
    }
    let wrap = |workflow: &[u8]| [b"{\"prompt\": ".as_slice(), workflow, b"}"].concat();
    let median = wrap(&corpus[corpus.len() / 2].1);
    for (name, snapshot) in &snapshots {
        let catalogue = Arc::new(Catalogue::from_object_info(snapshot).expect("loads"));
        let policy = Policy::default().with_catalogue(Arc::clone(&catalogue));
        let short = name.split('_').take(2).collect::<Vec<_>>().join("_");
        // Corpus workflows: the smallest and largest valid ones, the first problem of the
        // largest with an unknown class and of the largest with an option not in its list.
        let judged: Vec<(Vec<u8>, Option<&str>)> = corpus
            .iter()
            .map(|(_, w)| wrap(w))
            .filter(|body| cmfy_validate::validate(body).is_ok())
            .map(|body| {
                let code = cmfy_validate::validate_with(&body, &policy)
                    .err()
                    .map(|e| e.code());
                (body, code)
            })
            .collect();
        let pick = |code: Option<&str>, largest: bool| {
            let mut of: Vec<&Vec<u8>> = judged
                .iter()
                .filter(|(_, c)| *c == code)
                .map(|(b, _)| b)
                .collect();
            of.sort_by_key(|b| b.len());
            if largest {
                of.last().copied()
            } else {
                of.first().copied()
            }
        };
        let cases = [
            ("valid-smallest", pick(None, false)),
            ("valid-largest", pick(None, true)),
            (
                "missing_node_type-largest",
                pick(Some("missing_node_type"), true),
            ),
            (
                "value_not_in_list-largest",
                pick(Some("value_not_in_list"), true),
            ),
        ];
        for (case, body) in cases {
            if let Some(body) = body {
                real_case(c, &format!("real {short} {case}"), body, &policy, &median);
            }
        }
        // Built bodies: one mistyped class in 169 bytes, one class name of 4,096 characters,
        // 500 mistyped real class names (validate_all reports 100), and 500 names of the
        // commonest bigrams.
        let names: Vec<&str> = catalogue.class_names().collect();
        let small = br#"{"prompt": {"1": {"class_type": "CheckpointLoaderSimpel", "inputs": {"ckpt_name": "sd15.safetensors"}}, "2": {"class_type": "SaveImage", "inputs": {}}}}"#;
        real_case(
            c,
            &format!("real {short} unknown-class-169B"),
            small,
            &policy,
            &median,
        );
        let long = format!(
            r#"{{"prompt": {{"1": {{"class_type": "{}", "inputs": {{}}}}}}}}"#,
            "KSamplerAdvanced".repeat(256)
        );
        real_case(
            c,
            &format!("real {short} unknown-class-4096"),
            long.as_bytes(),
            &policy,
            &median,
        );
        let mistyped = fixtures::nodes_of_classes(500, |i| {
            let name = names[i * 7 % names.len()];
            let mut chars: Vec<char> = name.chars().collect();
            let at = i % chars.len().max(1);
            chars.insert(at, 'x');
            chars.into_iter().collect()
        });
        real_case(
            c,
            &format!("real {short} 500-mistyped-classes"),
            &mistyped,
            &policy,
            &median,
        );
        let bigrams = fixtures::nodes_of_classes(500, |i| {
            let common = [
                "er", "re", "ge", "ma", "im", "ag", "oa", "ad", "in", "de", "od", "no", "te",
            ];
            (0..12)
                .map(|k| common[(i + k * 5) % common.len()])
                .collect()
        });
        real_case(
            c,
            &format!("real {short} 500-common-bigram-classes"),
            &bigrams,
            &policy,
            &median,
        );
    }
    // An option list of 10,000 near-identical file names: no filter helps, the budget bounds it.
    let snapshot = fixtures::near_identical_options(10_000);
    let catalogue = Arc::new(Catalogue::from_object_info(&snapshot).expect("loads"));
    let policy = Policy::default().with_catalogue(catalogue);
    let median = wrap(&corpus[corpus.len() / 2].1);
    for nodes in [1, 40] {
        let body = fixtures::near_identical_request(nodes);
        real_case(
            c,
            &format!("real look-alike-options {nodes}-nodes"),
            &body,
            &policy,
            &median,
        );
    }
}

criterion_group!(benches, loading, checking, real_scale);
criterion_main!(benches);
