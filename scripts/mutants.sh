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
# The results are in mutants.out, or in DIR/mutants.out with --output DIR.
dir=.
iterate=false
args=("$@")
for i in "${!args[@]}"; do
    case "${args[$i]}" in
        --output | -o) dir=${args[$((i + 1))]:-.} ;;
        --output=*) dir=${args[$i]#--output=} ;;
        --iterate) iterate=true ;;
    esac
done
mkdir -p "$dir"
out=$dir/mutants.out
# Every run's results go into DIR/mutants.ledger.json, keyed by the mutated function's text
# rather than by line (scripts/mutants-ledger.py), so that they add up across runs and commits.
# DIR/mutants.rev is the commit the last run tested (cargo-mutants copies the tree as it is when
# it starts), to read the functions as they were.
ledger=$dir/mutants.ledger.json
record() {
    if [ -f "$out/outcomes.json" ] && [ -f "$dir/mutants.rev" ]; then
        python3 scripts/mutants-ledger.py record "$ledger" "$out/outcomes.json" "$(cat "$dir/mutants.rev")"
    fi
}
# A run stopped before its end is recorded now; then its results are spent, so that they are
# never read against the next run's commit.
record
rm -f "$out/outcomes.json"
listing=$(mktemp)
trap 'rm -f "$listing"' EXIT
# Every exclusion must still set aside a mutant, and none may name a line (see the file).
cargo mutants --package cmfy-validate --all-features --list --no-config >"$listing"
python3 scripts/mutants-exclusions.py .cargo/mutants.toml "$listing"
if $iterate; then
    # cargo-mutants skips what DIR/mutants.out lists as caught: the ledger's answer for the
    # code as it is now, in place of the names of the last run.
    cargo mutants --package cmfy-validate --all-features --list --json >"$listing"
    mkdir -p "$out"
    rm -f "$out/caught.txt" "$out/unviable.txt"
    python3 scripts/mutants-ledger.py skip "$ledger" "$listing" >"$out/previously_caught.txt"
fi
# (Outside a git checkout there is no commit: the ledger then records nothing, and says so.)
rev=$(git stash create 2>/dev/null || true)
echo "${rev:-$(git rev-parse HEAD 2>/dev/null || echo none)}" >"$dir/mutants.rev"
# A mutant that loops is stopped after MUTANTS_TIMEOUT seconds, 60 unless set (the baseline's
# tests take a few seconds; a timeout counts as caught, so a shorter one only saves time).
cargo mutants --package cmfy-validate --all-features --test-tool cargo --profile mutants \
    --timeout "${MUTANTS_TIMEOUT:-60}" "$@" || true
# The equivalent mutants .cargo/mutants.toml sets aside: all mutants less those it leaves.
all=$(cargo mutants --package cmfy-validate --all-features --list --no-config 2>/dev/null | wc -l)
kept=$(cargo mutants --package cmfy-validate --all-features --list 2>/dev/null | wc -l)
echo "mutants: $all in the library, $((all - kept)) set aside as equivalent, $kept to test"
record
# The score of the code as it is now, from every run the ledger holds.
cargo mutants --package cmfy-validate --all-features --list --json >"$listing"
python3 scripts/mutants-ledger.py score "$ledger" "$listing"
