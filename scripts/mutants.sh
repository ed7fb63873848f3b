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
out=$dir/mutants.out
# cargo-mutants --iterate lists what earlier runs caught *or* could not build in one file,
# previously_caught.txt; to score the whole, mutants.ledger keeps the two apart, run after run.
ledger=$dir/mutants.ledger
if $iterate && [ -d "$out" ]; then
    mkdir -p "$ledger"
    for kind in caught unviable; do
        files=("$out/$kind.txt")
        [ "$kind" = caught ] && files+=("$out/timeout.txt")
        cat "${files[@]}" "$ledger/$kind.txt" 2>/dev/null | sort -u >"$ledger/$kind.new" || true
        mv "$ledger/$kind.new" "$ledger/$kind.txt"
    done
elif [ -d "$ledger" ]; then
    rm -r "$ledger" # a fresh run: nothing earlier counts
fi
# Every exclusion must still set aside a mutant, and none may name a line (see the file).
listing=$(mktemp)
cargo mutants --package cmfy-validate --all-features --list --no-config >"$listing"
python3 scripts/mutants-exclusions.py .cargo/mutants.toml "$listing" || {
    rm -f "$listing"
    exit 1
}
rm -f "$listing"
# A mutant that loops is stopped after MUTANTS_TIMEOUT seconds, 60 unless set (the baseline's
# tests take a few seconds; a timeout counts as caught, so a shorter one only saves time).
cargo mutants --package cmfy-validate --all-features --test-tool cargo --profile mutants \
    --timeout "${MUTANTS_TIMEOUT:-60}" "$@" || true
# The equivalent mutants .cargo/mutants.toml sets aside: all mutants less those it leaves.
all=$(cargo mutants --package cmfy-validate --all-features --list --no-config 2>/dev/null | wc -l)
kept=$(cargo mutants --package cmfy-validate --all-features --list 2>/dev/null | wc -l)
echo "mutants: $all in the library, $((all - kept)) set aside as equivalent, $kept to test"
if [ -f "$out/outcomes.json" ]; then
    python3 - "$out" "$ledger" <<'PY'
import pathlib, sys
out, ledger = (pathlib.Path(a) for a in sys.argv[1:])
def names(path):
    return set(path.read_text().splitlines()) if path.exists() else set()
caught = names(out / "caught.txt") | names(out / "timeout.txt") | names(ledger / "caught.txt")
unviable = names(out / "unviable.txt") | names(ledger / "unviable.txt")
missed = names(out / "missed.txt") - caught
viable = len(caught) + len(missed)
print(f"tested: {viable + len(unviable)} mutants, {len(unviable)} unviable"
      + (" (this run and the earlier ones in mutants.ledger)" if ledger.exists() else ""))
if viable:
    print(f"score: {len(caught)} of {viable} viable mutants caught "
          f"({100 * len(caught) / viable:.1f}%), {len(missed)} missed (timeouts count as caught)")
PY
fi
