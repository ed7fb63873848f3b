//! The catalogue check's costs, each beside its baseline in one run: loading a snapshot against
//! `serde_json::from_slice::<Value>` of the same bytes, and `validate_with` a catalogue against
//! `validate` alone on the same body.

mod fixtures;

use std::hint::black_box;
use std::sync::Arc;

use cmfy_validate::{Catalogue, Policy};
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
    let with = Policy::default().catalogue(catalogue);
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

criterion_group!(benches, loading, checking);
criterion_main!(benches);
