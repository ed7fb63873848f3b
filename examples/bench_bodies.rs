//! Writes the generated request bodies of the benchmarks into a folder, so that other
//! harnesses (the Python package's benchmark) time the very same bytes.
//!
//! ```text
//! cargo run --release --example bench_bodies -- DIR
//! ```

#[path = "../benches/fixtures.rs"]
mod fixtures;

fn main() -> std::io::Result<()> {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: bench_bodies DIR");
        std::process::exit(2);
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("quickstart.json"), fixtures::quickstart())?;
    std::fs::write(
        dir.join("generated-500.json"),
        fixtures::request(&fixtures::workflow(500, 1)),
    )?;
    std::fs::write(
        dir.join("catalogue-399.json"),
        fixtures::catalogue_request(399, 3),
    )?;
    std::fs::write(
        dir.join("object_info.json"),
        fixtures::example_object_info(),
    )?;
    std::fs::write(
        dir.join("catalogue-7.json"),
        fixtures::catalogue_request(7, 3),
    )?;
    std::fs::write(
        dir.join("object_info-4MB.json"),
        fixtures::object_info(4 << 20, 1),
    )?;
    let corpus = fixtures::corpus_workflows();
    if let Some((_, median)) = corpus.get(corpus.len() / 2) {
        std::fs::write(
            dir.join("corpus-median.json"),
            [b"{\"prompt\": ".as_slice(), median, b"}"].concat(),
        )?;
    }
    Ok(())
}
