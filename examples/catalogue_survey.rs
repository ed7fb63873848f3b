//! A quick survey, not a benchmark: every valid corpus workflow of `../shared/corpus/api`
//! checked against each real install of `../shared/catalogue` (over 1 MB), printing loading
//! beside a `Value` parse, the worst valid workflow's `validate_with` over `validate` alone,
//! and the worst first problem over `validate` of the corpus median body, with the codes met.
//! A ratio's two sides are timed in turns (best of 31 rounds); the median body's `validate`
//! printed first is the median of nine runs; all in one process. The figures of record come
//! from criterion (`cargo bench --bench catalogue -- "real "`).
//!
//! ```text
//! cargo run --release --example catalogue_survey
//! ```

#[path = "../benches/fixtures.rs"]
mod fixtures;

use std::collections::BTreeMap;
use std::sync::Arc;

use cmfy_validate::{Policy, catalogue::Catalogue};
use fixtures::{seconds_per_call, seconds_per_call_beside};

fn main() {
    let corpus = fixtures::corpus_workflows();
    let snapshots = fixtures::shared_object_infos();
    if corpus.is_empty() || snapshots.is_empty() {
        eprintln!("SKIPPED: ../shared is absent");
        return;
    }
    let wrap = |w: &[u8]| [b"{\"prompt\": ".as_slice(), w, b"}"].concat();
    let plain = Policy::default();
    let median = wrap(&corpus[corpus.len() / 2].1);
    let median_time = seconds_per_call(|| cmfy_validate::validate(&median).is_ok());
    println!(
        "validate of the corpus median body: {:.2} µs",
        median_time * 1e6
    );
    for (name, snapshot) in snapshots.iter().filter(|(_, s)| s.len() > 1 << 20) {
        let (load, value) = seconds_per_call_beside(
            || Catalogue::from_object_info(snapshot).is_ok(),
            || serde_json::from_slice::<serde_json::Value>(snapshot).is_ok(),
        );
        println!(
            "{name}: load {:.2} ms, {:.2}x Value",
            load * 1e3,
            load / value
        );
        let Ok(catalogue) = Catalogue::from_object_info(snapshot) else {
            continue;
        };
        let with = Policy::default().with_catalogue(Arc::new(catalogue));
        let (mut valid, mut invalid) = ((0.0, String::new()), (0.0, String::new()));
        let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
        for (workflow, bytes) in &corpus {
            let body = wrap(bytes);
            if cmfy_validate::validate(&body).is_err() {
                continue;
            }
            match cmfy_validate::validate_with(&body, &with) {
                Ok(_) => {
                    let (checked, alone) = seconds_per_call_beside(
                        || cmfy_validate::validate_with(&body, &with).is_ok(),
                        || cmfy_validate::validate_with(&body, &plain).is_ok(),
                    );
                    if checked / alone > valid.0 {
                        valid = (checked / alone, workflow.clone());
                    }
                }
                Err(error) => {
                    // Beside the median body's `validate`, in turns: timed once at the start, a
                    // burst of noise on either side put one workflow or another at the top.
                    let (checked, median_time) = seconds_per_call_beside(
                        || cmfy_validate::validate_with(&body, &with).is_ok(),
                        || cmfy_validate::validate(&median).is_ok(),
                    );
                    *codes.entry(error.code()).or_default() += 1;
                    if checked / median_time > invalid.0 {
                        invalid = (checked / median_time, workflow.clone());
                    }
                }
            }
        }
        println!(
            "  worst valid: {:.2}x validate alone ({})",
            valid.0, valid.1
        );
        println!(
            "  worst first problem: {:.1}x the median's validate ({})",
            invalid.0, invalid.1
        );
        println!("  codes: {codes:?}");
    }
}
