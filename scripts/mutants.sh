#!/usr/bin/env bash
# Mutation testing of the library with cargo-mutants (installed when missing), running the
# README's test command (doc tests included), and a summary of the score.
#
#   scripts/mutants.sh [cargo-mutants args ...]      e.g. --shard 1/12, or -f src/urls/mod.rs
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v cargo-mutants >/dev/null 2>&1 || cargo install cargo-mutants --locked
# The README's test command is `cargo test --all-features`: the same here, doc tests included.
cargo mutants --package cmfy-validate --all-features --test-tool cargo --timeout 300 "$@" || true
out=mutants.out/outcomes.json
if [ -f "$out" ]; then
    python3 - "$out" <<'PY'
import json, sys
outcomes = json.load(open(sys.argv[1]))
counts = {}
for o in outcomes.get("outcomes", []):
    summary = o.get("summary", "?")
    if o.get("scenario") == "Baseline":
        continue
    counts[summary] = counts.get(summary, 0) + 1
caught = counts.get("CaughtMutant", 0)
missed = counts.get("MissedMutant", 0)
timeout = counts.get("Timeout", 0)
viable = caught + missed + timeout
print("mutants:", counts)
if viable:
    print(f"score: {caught + timeout} of {viable} viable mutants caught ({100 * (caught + timeout) / viable:.1f}%)")
PY
fi
