//! One body validated again and again, for profilers to look at one call: `validate_with` of
//! BODY, CALLS times, with the policy's defaults or, given a SNAPSHOT (`GET /object_info`), with
//! the catalogue check. The snapshot is loaded before the first call, so a profiler that counts
//! only inside `validate_with` (callgrind's `--toggle-collect`) sees the calls alone.
//! `scripts/code-footprint.sh` runs it under valgrind.
//!
//! ```text
//! cargo run --release --example repeat -- BODY CALLS [SNAPSHOT]
//! ```

use std::hint::black_box;
use std::process::ExitCode;
use std::sync::Arc;

use cmfy_validate::Policy;
use cmfy_validate::catalogue::Catalogue;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(body), Some(calls)) = (args.first(), args.get(1)) else {
        eprintln!("usage: repeat BODY CALLS [SNAPSHOT]");
        return ExitCode::from(2);
    };
    let (Ok(body), Ok(calls)) = (std::fs::read(body), calls.parse::<u64>()) else {
        eprintln!("repeat: cannot read {body}, or {calls} is not a count");
        return ExitCode::from(2);
    };
    let mut policy = Policy::default();
    if let Some(snapshot) = args.get(2) {
        let catalogue = std::fs::read(snapshot)
            .map_err(|e| e.to_string())
            .and_then(|bytes| Catalogue::from_object_info(&bytes).map_err(|e| e.to_string()));
        match catalogue {
            Ok(catalogue) => policy = policy.with_catalogue(Arc::new(catalogue)),
            Err(error) => {
                eprintln!("repeat: {snapshot}: {error}");
                return ExitCode::from(2);
            }
        }
    }
    let mut accepted = 0u64;
    for _ in 0..calls {
        accepted += u64::from(cmfy_validate::validate_with(black_box(&body), &policy).is_ok());
    }
    println!("{accepted} of {calls} calls accepted the body");
    ExitCode::SUCCESS
}
