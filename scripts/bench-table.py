#!/usr/bin/env python3
"""Prints the last `cargo bench --bench validate` run as a Markdown table: the median time and
throughput of each contender per input, and cmfy_validate's ratio to each (lower is better)."""
import json
import pathlib
import sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
hostile = "--hostile" in sys.argv
real = "--real" in sys.argv
root = pathlib.Path(args[0] if args else "target/criterion")
contenders = ["serde_ignored_any", "serde_value", "value_jsonschema", "cmfy_validate"]
if hostile:
    # benches/hostile.rs: validate and validate_all over Value (the contract's bounds: 10x, 20x).
    contenders = ["serde_ignored_any", "serde_value", "validate", "validate_all"]
if real:
    # benches/catalogue.rs at real scale: validate_with a real install beside validate of the
    # body, validate of the corpus median body, and a Value parse (bodies counted as >= 4 KiB).
    contenders = ["serde_value", "validate", "validate_median", "validate_with", "validate_all"]


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


rows = []
groups = sorted(p for p in root.iterdir() if p.is_dir() and p.name != "report")
if real:
    groups = [g for g in groups if g.name.startswith("real ")]
else:
    groups = [g for g in groups if g.name.startswith("hostile") == hostile and not g.name.startswith("real ")]
for group in groups:
    medians, size, title = {}, None, None
    for name in contenders:
        bench = group / name / "new"
        if not (bench / "estimates.json").exists():
            continue
        medians[name] = json.loads((bench / "estimates.json").read_text())["median"]["point_estimate"]
        meta = json.loads((bench / "benchmark.json").read_text())
        size = (meta.get("throughput") or {}).get("Bytes", size)
        title = meta.get("group_id", group.name)
    if contenders[-1] in medians:
        rows.append((title, size, medians))

if real:
    print("| body | bytes | Value | validate | validate_with | validate_all | with / validate | with / median | with / Value (4 KiB) | all / Value (4 KiB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for title, size, m in rows:
        # A body under 4 KiB is allowed what a 4 KiB body of its kind is: its parse scaled up.
        value4k = m["serde_value"] * max(1.0, 4096 / size)
        print(f"| {title.removeprefix('real ')} | {size:,} | {fmt_time(m['serde_value'])} | {fmt_time(m['validate'])} | "
              f"{fmt_time(m['validate_with'])} | {fmt_time(m['validate_all'])} | {m['validate_with'] / m['validate']:.2f}× | "
              f"{m['validate_with'] / m['validate_median']:.1f}× | {m['validate_with'] / value4k:.2f}× | {m['validate_all'] / value4k:.2f}× |")
    sys.exit(0)

if hostile:
    print("| body | bytes | IgnoredAny | Value | validate | validate_all | validate / Value | validate_all / Value |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for title, size, m in rows:
        cells = [fmt_time(m[n]) if n in m else "—" for n in contenders]
        ratio = lambda n: f"{m[n] / m['serde_value']:.2f}×" if n in m and "serde_value" in m else "—"
        print(f"| {title.removeprefix('hostile ')} | {size:,} | " + " | ".join(cells) + f" | {ratio('validate')} | {ratio('validate_all')} |")
    sys.exit(0)

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
