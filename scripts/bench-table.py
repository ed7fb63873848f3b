#!/usr/bin/env python3
"""Prints the last `cargo bench --bench validate` run as a Markdown table: the median time and
throughput of each contender per input, and cmfy_validate's ratio to each (lower is better)."""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
contenders = ["serde_ignored_any", "serde_value", "value_jsonschema", "cmfy_validate"]


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


rows = []
for group in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "report"):
    medians, size, title = {}, None, None
    for name in contenders:
        bench = group / name / "new"
        if not (bench / "estimates.json").exists():
            continue
        medians[name] = json.loads((bench / "estimates.json").read_text())["median"]["point_estimate"]
        meta = json.loads((bench / "benchmark.json").read_text())
        size = (meta.get("throughput") or {}).get("Bytes", size)
        title = meta.get("group_id", group.name)
    if "cmfy_validate" in medians:
        rows.append((title, size, medians))

print("| input | bytes | " + " | ".join(contenders) + " | vs floor | vs Value | vs jsonschema |")
print("|---|---:|" + "---:|" * (len(contenders) + 3))
for title, size, m in rows:
    cells = []
    for name in contenders:
        ns = m.get(name)
        cells.append("—" if ns is None else f"{fmt_time(ns)} ({size / ns * 1e9 / 2**20:,.0f} MiB/s)")
    ours = m["cmfy_validate"]
    ratio = lambda other: f"{ours / m[other]:.2f}×" if other in m else "—"
    print(f"| {title} | {size:,} | " + " | ".join(cells) + f" | {ratio('serde_ignored_any')} | {ratio('serde_value')} | {ratio('value_jsonschema')} |")
