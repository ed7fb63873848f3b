//! Bodies built for the crate's constants, beside serde_json reading the same bytes, in one
//! run: one group per family, at 1 MB and 4 MB, so that time per MB shows whether growth is
//! linear. The contract's bounds: `validate` at most 10 times `Value`, `validate_all` 20 times.
//!
//! `cargo bench --bench hostile && python3 scripts/bench-table.py --hostile`

#[path = "hostile_bodies.rs"]
mod hostile_bodies;

use std::hint::black_box;

use cmfy_validate::Policy;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde::de::IgnoredAny;

type Contender = (&'static str, fn(&[u8]) -> bool);

fn contenders() -> [Contender; 4] {
    [
        ("serde_ignored_any", |body| {
            serde_json::from_slice::<IgnoredAny>(body).is_ok()
        }),
        ("serde_value", |body| {
            serde_json::from_slice::<serde_json::Value>(body).is_ok()
        }),
        ("validate", |body| cmfy_validate::validate(body).is_ok()),
        ("validate_all", |body| {
            cmfy_validate::validate_all(body, &Policy::default()).is_ok()
        }),
    ]
}

fn hostile(c: &mut Criterion) {
    for size in [1 << 20, 4 << 20] {
        for (family, body) in hostile_bodies::families(size) {
            let mut group = c.benchmark_group(format!("hostile {family} {}MB", size >> 20));
            group.throughput(Throughput::Bytes(body.len() as u64));
            group.sample_size(10);
            group.warm_up_time(std::time::Duration::from_millis(300));
            group.measurement_time(std::time::Duration::from_secs(1));
            for (name, run) in contenders() {
                group.bench_with_input(BenchmarkId::from_parameter(name), &body, |b, body| {
                    b.iter(|| run(black_box(body)))
                });
            }
            group.finish();
        }
    }
}

criterion_group!(benches, hostile);
criterion_main!(benches);
