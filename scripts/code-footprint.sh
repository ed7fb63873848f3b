#!/usr/bin/env bash
# How much code one call of `validate_with` runs, and whether it fits the instruction cache:
# the cache lines and bytes of instructions run on every call (callgrind), and the first-level
# instruction cache's misses a call (cachegrind's model of a 32 KiB, 8-way cache with 64-byte
# lines, the size of that cache on the Intel Xeon and AMD EPYC machines of docs/performance.md).
# Instruction counts and these figures are steady where timings are not.
#
#   scripts/code-footprint.sh BODY [SNAPSHOT]   e.g. a corpus workflow wrapped in {"prompt": ...}
#                                               and ../shared/catalogue/*_object_info.json
#
# Needs valgrind, objdump and python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
body=${1:?usage: scripts/code-footprint.sh BODY [SNAPSHOT]}
# The snapshot, when given, as an array: a path with spaces stays one argument.
snapshot=()
if [ -n "${2:-}" ]; then snapshot=("$2"); fi
for tool in valgrind objdump python3; do
    command -v "$tool" >/dev/null || { echo "code-footprint.sh: $tool is missing" >&2; exit 2; }
done
# Symbols and line tables, so that functions have names; the code is the release build's.
CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release --example repeat --quiet
binary=target/release/examples/repeat
calls=10
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Two profiles, of CALLS and twice as many calls: an instruction runs on every call past the
# first when it ran at least CALLS times more in the second (a loop of the first call alone,
# the allocator's first consolidation, runs as often in both).
for n in "$calls" "$((2 * calls))"; do
    valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$out/callgrind.$n" \
        --toggle-collect='cmfy_validate::validate_with*' \
        "$binary" "$body" "$n" "${snapshot[@]}" >/dev/null 2>&1
done
python3 scripts/code-footprint.py "$out/callgrind.$calls" "$out/callgrind.$((2 * calls))" \
    "$calls" "$binary"
misses() {
    valgrind --tool=cachegrind --cache-sim=yes --I1=32768,8,64 --D1=32768,8,64 \
        --LL=33554432,16,64 --cachegrind-out-file=/dev/null \
        "$binary" "$body" "$1" "${snapshot[@]}" 2>&1 |
        awk '/I1  misses/ { gsub(",", "", $4); print $4 }'
}
# The loading and the first call's cold misses cancel out between 1 and 1,001 calls.
one=$(misses 1)
many=$(misses 1001)
echo "first-level instruction cache misses a call (32 KiB, 8-way): $(((many - one) / 1000))"
