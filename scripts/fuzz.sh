#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each, on the machine's nightly toolchain
# (or stable with RUSTC_BOOTSTRAP where no nightly is installed). Installs cargo-fuzz if missing.
# Seed corpora are built from fuzz/seeds, the bundled examples and, when present, ../shared.
#
#   scripts/fuzz.sh [SECONDS] [TARGET ...]
set -euo pipefail
seconds=${1:-60}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
if rustup run nightly rustc --version >/dev/null 2>&1; then
    fuzz=(cargo +nightly fuzz)
else
    echo "fuzz.sh: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1"
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <("${fuzz[@]}" list)
fi

# Seeds: written into fuzz/corpus (ignored by git), so ../shared is read, never copied into the repo.
seed() {
    local target=$1
    local dir="fuzz/corpus/$target"
    mkdir -p "$dir"
    if [ -d "fuzz/seeds/$target" ]; then cp -n fuzz/seeds/"$target"/* "$dir"/ 2>/dev/null || true; fi
    case "$target" in
        catalogue_snapshot)
            cp -n examples/catalogue/*.json "$dir"/ 2>/dev/null || true
            if [ -d ../shared/catalogue ]; then cp -n ../shared/catalogue/*.json "$dir"/ 2>/dev/null || true; fi
            ;;
        catalogue_check | validate_slow)
            cp -n examples/requests/*.json "$dir"/ 2>/dev/null || true
            if [ "$target" = catalogue_check ] && [ -d ../shared/corpus/api ]; then
                # Real workflows as request bodies: most name classes of the real install.
                for path in ../shared/corpus/api/*.json; do
                    out="$dir/api-$(basename "$path")"
                    [ -e "$out" ] || { printf '{"prompt": '; cat "$path"; printf '}'; } >"$out"
                done
            fi
            ;;
    esac
    if [ "$target" = validate_bytes ]; then
        cp -n examples/requests/*.json "$dir"/ 2>/dev/null || true
        if [ -f ../shared/conformance/cases.jsonl ]; then
            python3 - "$dir" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
for i, line in enumerate(open("../shared/conformance/cases.jsonl")):
    case = json.loads(line)
    body = bytes.fromhex(case["body_hex"]) if "body_hex" in case else case["body"].encode()
    (out / f"case-{i:03}").write_bytes(body)
for path in sorted(pathlib.Path("../shared/corpus/api").glob("*.json")):
    (out / f"api-{path.stem}").write_bytes(b'{"prompt": ' + path.read_bytes() + b'}')
PY
        fi
    fi
}

status=0
for target in "${targets[@]}"; do
    seed "$target"
    # Every unit must finish within 10 s; the cost target takes bodies of up to 1 MB and
    # reports (and fails on) any that takes more than a second.
    extra=(-timeout=10)
    if [ "$target" = validate_slow ]; then extra=(-timeout=1 -report_slow_units=1 -max_len=1048576 -rss_limit_mb=4096); fi
    # The catalogue check against the real 2,122-class install: a unit slower than a second
    # (the next expensive shape of the suggestion index, say) is reported and fails the run.
    if [ "$target" = catalogue_check ]; then
        extra=(-timeout=10 -report_slow_units=1 -max_len=65536)
        real=../shared/catalogue/full_install_2122_object_info.json
        if [ -f "$real" ]; then export CMFY_FUZZ_CATALOGUE="$root/$real"; fi
    fi
    echo "== fuzz $target for ${seconds}s"
    if ! "${fuzz[@]}" run "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -dict=fuzz/dict/request.dict -print_final_stats=1 "${extra[@]}" 2>&1 | tail -n 25; then
        status=1
    fi
    # A crash leaves an artifact; report it and fail.
    if compgen -G "fuzz/artifacts/$target/crash-*" >/dev/null || compgen -G "fuzz/artifacts/$target/oom-*" >/dev/null \
        || compgen -G "fuzz/artifacts/$target/timeout-*" >/dev/null || compgen -G "fuzz/artifacts/$target/slow-unit-*" >/dev/null; then
        echo "fuzz.sh: $target found a failure: $(ls fuzz/artifacts/"$target")"
        status=1
    fi
done
exit $status
