//! A quick survey, not a benchmark: `validate` over serde_json's `IgnoredAny` (the cost of
//! reading the JSON at all) on every valid body of `../shared/corpus/api` and the README's
//! generated ones, worst first, with the median. Timings are medians of nine runs in one
//! process; the README's table comes from criterion (`cargo bench --bench validate`).
//!
//! ```text
//! cargo run --release --example corpus_floor
//! ```

#[path = "../benches/fixtures.rs"]
mod fixtures;

fn main() {
    let mut bodies: Vec<(String, Vec<u8>)> = fixtures::corpus_workflows()
        .into_iter()
        .map(|(name, w)| (name, [b"{\"prompt\": ".as_slice(), &w, b"}"].concat()))
        .collect();
    if bodies.is_empty() {
        eprintln!("SKIPPED the corpus: ../shared is absent");
    }
    bodies.push(("quickstart".into(), fixtures::quickstart()));
    bodies.push((
        "generated-500".into(),
        fixtures::request(&fixtures::workflow(500, 1)),
    ));
    let mut ratios: Vec<(f64, String, usize)> = bodies
        .iter()
        .filter(|(_, body)| cmfy_validate::validate(body).is_ok())
        .map(|(name, body)| {
            let floor = fixtures::seconds_per_call(|| {
                serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok()
            });
            let ours = fixtures::seconds_per_call(|| cmfy_validate::validate(body).is_ok());
            (ours / floor, name.clone(), body.len())
        })
        .collect();
    ratios.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ratio, name, len) in ratios.iter().take(15) {
        println!("{ratio:.2}x  {name} ({len} bytes)");
    }
    if let Some((median, _, _)) = ratios.get(ratios.len() / 2) {
        println!("median {median:.2}x over {} bodies", ratios.len());
    }
}
