#!/usr/bin/env bash
# Mutation testing of the library with cargo-mutants (installed when missing), running the
# README's test command (doc tests included) against every mutant, and a summary of the score.
#
#   scripts/mutants.sh [cargo-mutants args ...]   e.g. -j 2, --shard 1/4, -f src/urls/mod.rs,
#                                                 --iterate (only what a previous run left)
#
# The tests run in the `mutants` profile (Cargo.toml): the test profile's checks (debug
# assertions, overflow checks) with the crate at opt-level 1 and dependencies at 3, so a mutant's
# tests take seconds, not the debug build's twenty. cargo-mutants builds each mutant in a copy of
# the tree, so `CMFY_SHARED_DIR` tells the tests where `../shared` is, and they must find it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v cargo-mutants >/dev/null 2>&1 || cargo install cargo-mutants --locked
if [ -d ../shared ]; then
    CMFY_SHARED_DIR=$(cd ../shared && pwd)
    export CMFY_SHARED_DIR
    export CMFY_REQUIRE_SHARED=1
else
    echo "mutants.sh: ../shared is absent; the tests that need it are skipped, and the score is lower" >&2
fi
# A mutant that loops is stopped after 60 s (the baseline's tests take a few seconds).
cargo mutants --package cmfy-validate --all-features --test-tool cargo --profile mutants \
    --timeout 60 "$@" || true
# The equivalent mutants .cargo/mutants.toml sets aside: all mutants less those it leaves.
all=$(cargo mutants --package cmfy-validate --all-features --list --no-config 2>/dev/null | wc -l)
kept=$(cargo mutants --package cmfy-validate --all-features --list 2>/dev/null | wc -l)
echo "mutants: $all in the library, $((all - kept)) set aside as equivalent, $kept to test"
# The results are in mutants.out, or in DIR/mutants.out with --output DIR.
dir=.
args=("$@")
for i in "${!args[@]}"; do
    case "${args[$i]}" in
        --output | -o) dir=${args[$((i + 1))]:-.} ;;
        --output=*) dir=${args[$i]#--output=} ;;
    esac
done
out=$dir/mutants.out/outcomes.json
if [ -f "$out" ]; then
    python3 - "$dir/mutants.out" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
outcomes = json.load(open(out / "outcomes.json"))
counts = {}
for o in outcomes.get("outcomes", []):
    summary = o.get("summary", "?")
    if o.get("scenario") == "Baseline":
        continue
    counts[summary] = counts.get(summary, 0) + 1
# With --iterate, what earlier runs caught is listed in previously_caught.txt and not tested again.
earlier = out / "previously_caught.txt"
before = len(earlier.read_text().splitlines()) if earlier.exists() else 0
caught = counts.get("CaughtMutant", 0) + before
missed = counts.get("MissedMutant", 0)
timeout = counts.get("Timeout", 0)
viable = caught + missed + timeout
print("this run:", counts, f"caught earlier: {before}")
if viable:
    print(f"score: {caught + timeout} of {viable} viable mutants caught ({100 * (caught + timeout) / viable:.1f}%), {missed} missed")
PY
fi
