//! A quick survey, not a benchmark: `validate` over serde_json's `IgnoredAny` (the cost of
//! reading the JSON at all) on every valid body of `../shared/corpus/api` and the README's
//! generated ones, worst first, with the median. Each ratio's two sides are timed in turns, the
//! best of a round in each of 21 passes over all the bodies; the README's table comes from
//! criterion (`cargo bench --bench validate`).
//!
//! ```text
//! cargo run --release --example corpus_floor
//! ```

#[path = "../benches/fixtures.rs"]
mod fixtures;

/// Passes over all the bodies, each timing every body once.
const PASSES: usize = 21;

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
    bodies.retain(|(_, body)| cmfy_validate::validate(body).is_ok());
    let ours = |body: &[u8]| cmfy_validate::validate(std::hint::black_box(body)).is_ok();
    let floor = |body: &[u8]| {
        serde_json::from_slice::<serde::de::IgnoredAny>(std::hint::black_box(body)).is_ok()
    };
    let mut timers: Vec<fixtures::Beside> = bodies
        .iter()
        .map(|(_, body)| fixtures::Beside::new(|| floor(body)))
        .collect();
    for _ in 0..PASSES {
        for ((_, body), timer) in bodies.iter().zip(&mut timers) {
            timer.round(|| ours(body), || floor(body));
        }
    }
    let mut ratios: Vec<(f64, &str, usize)> = bodies
        .iter()
        .zip(&timers)
        .map(|((name, body), timer)| {
            let (ours, floor) = timer.seconds();
            (ours / floor, name.as_str(), body.len())
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
