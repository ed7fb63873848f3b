#!/usr/bin/env bash
# The catalogue check beside Comfy-Org's own offline validator (comfy-cli's
# Graph.from_object_info(...).validate_workflow(...)), in one process and one run, on the same
# snapshots and workflows as benches/catalogue.rs. Installs comfy-cli from PyPI and this
# repository's Python package into a fresh virtual environment; stays offline
# (DO_NOT_TRACK=1 COMFY_CLI_NO_REMOTE_REFRESH=1).
#
#   scripts/bench-peers.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --upgrade pip
"$work/venv/bin/pip" install --quiet "maturin>=1.5,<2" comfy-cli
"$work/venv/bin/pip" install --quiet "$root/python"
(cd "$root" && cargo run --quiet --release --example bench_bodies -- "$work/bodies")
export DO_NOT_TRACK=1 COMFY_CLI_NO_REMOTE_REFRESH=1
"$work/venv/bin/python" - "$work/bodies" "$root/../shared/catalogue" "$root/python/bench" <<'PY'
import json, pathlib, sys
import cmfy_validate
from comfy_cli.cql.engine import Graph

bodies, shared = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
sys.path.insert(0, sys.argv[3])
from bench import fmt, timed  # the timing of the Python package's own benchmark

snapshots = [(p.stem, p.read_bytes()) for p in sorted(shared.glob("*.json"))] if shared.is_dir() else []
snapshots += [("example", (bodies / "object_info.json").read_bytes()), ("generated-4MB", (bodies / "object_info-4MB.json").read_bytes())]
print("| load | bytes | comfy-cli (json.loads + Graph.from_object_info) | cmfy_validate | ratio |")
print("|---|---:|---:|---:|---:|")
for name, data in snapshots:
    peer = timed(lambda: Graph.from_object_info(json.loads(data)))
    ours = timed(lambda: cmfy_validate.Catalogue.from_object_info(data))
    print(f"| {name} | {len(data):,} | {fmt(peer)} | {fmt(ours)} | {peer / ours:.0f}× |")
catalogue_bytes = (bodies / "object_info.json").read_bytes()
graph = Graph.from_object_info(json.loads(catalogue_bytes))
catalogue = cmfy_validate.Catalogue.from_object_info(catalogue_bytes)
print()
print("| check | nodes | comfy-cli (validate_workflow) | cmfy_validate (validate with the catalogue) | ratio |")
print("|---|---:|---:|---:|---:|")
for name in ["catalogue-7.json", "catalogue-399.json"]:
    body = (bodies / name).read_bytes()
    prompt = json.loads(body)["prompt"]
    verdict = graph.validate_workflow(prompt)
    assert verdict.get("valid", True), verdict.get("errors")
    peer = timed(lambda: graph.validate_workflow(prompt))
    ours = timed(lambda: cmfy_validate.validate(body, catalogue=catalogue))
    print(f"| {name[:-5]} | {len(prompt)} | {fmt(peer)} | {fmt(ours)} | {peer / ours:.0f}× |")
PY
