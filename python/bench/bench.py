"""Times cmfy_validate.validate beside the peers a Python server would reach for, on the bodies
of the Rust benchmarks (written by `cargo run --release --example bench_bodies`), in one run.

Each peer gets the same rules as far as it can express them:
  * jsonschema / fastjsonschema: json.loads, then the schema of the Rust bench (prompt an object
    of 1 to 500 nodes, each with a class_type matching \\S and an inputs object; webhook_url a
    string starting https:// or null).
  * pydantic v2: model_validate_json on models with the same constraints.
  * msgspec: msgspec.json.decode into Structs with the same constraints (Meta).
None of them checks URLs, hosts, duplicate keys or number ranges, which cmfy_validate does.

    python bench/bench.py BODIES_DIR
"""

import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Any, Dict, Optional

import cmfy_validate

# The structural rules, the same file as the Rust benchmark's jsonschema peer.
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "benches" / "structural-schema.json").read_text())


def peers():
    import fastjsonschema
    import jsonschema
    import msgspec
    import pydantic

    validator = jsonschema.Draft7Validator(SCHEMA)
    fast = fastjsonschema.compile(SCHEMA)

    class PNode(pydantic.BaseModel):
        class_type: Annotated[str, pydantic.StringConstraints(pattern=r"\S")]
        inputs: Dict[str, Any]

    class PRequest(pydantic.BaseModel):
        prompt: Annotated[Dict[str, PNode], pydantic.Field(min_length=1, max_length=500)]
        webhook_url: Optional[Annotated[str, pydantic.StringConstraints(pattern=r"^https://")]] = None

    class MNode(msgspec.Struct):
        class_type: Annotated[str, msgspec.Meta(pattern=r"\S")]
        inputs: Dict[str, Any]

    class MRequest(msgspec.Struct):
        prompt: Annotated[Dict[str, MNode], msgspec.Meta(min_length=1, max_length=500)]
        webhook_url: Optional[Annotated[str, msgspec.Meta(pattern=r"^https://")]] = None

    decoder = msgspec.json.Decoder(MRequest)
    return {
        "cmfy_validate": cmfy_validate.validate,
        "json+jsonschema": lambda body: validator.validate(json.loads(body)),
        "json+fastjsonschema": lambda body: fast(json.loads(body)),
        "pydantic v2": PRequest.model_validate_json,
        "msgspec": decoder.decode,
    }


def timed(function, *args, seconds=0.4):
    """Median seconds per call of `function(*args)` over five rounds of at least `seconds`/5 each."""
    function(*args)
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            function(*args)
        if time.perf_counter() - start > seconds / 5:
            break
        n *= 2
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            function(*args)
        rounds.append((time.perf_counter() - start) / n)
    return statistics.median(rounds)


def fmt(seconds):
    for unit, scale in (("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def main():
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-bodies")
    contenders = peers()
    names = ["quickstart.json", "corpus-median.json", "generated-500.json"]
    bodies = [(name, (folder / name).read_bytes()) for name in names if (folder / name).exists()]
    print("| body | bytes | " + " | ".join(contenders) + " |")
    print("|---|---:|" + "---:|" * len(contenders))
    for name, body in bodies:
        times = {k: timed(f, body) for k, f in contenders.items()}
        ours = times["cmfy_validate"]
        cells = [fmt(t) if k == "cmfy_validate" else f"{fmt(t)} ({t / ours:.1f}×)" for k, t in times.items()]
        print(f"| {name[:-5]} | {len(body):,} | " + " | ".join(cells) + " |")
    # The cost of the binding: the same call timed in Rust, in this process and run.
    for name, body in bodies:
        if name == "quickstart.json":
            ours = timed(cmfy_validate.validate, body)
            calls = max(1000, int(0.4 / max(ours, 1e-9)))
            rust = statistics.median(cmfy_validate._native._time_rust_validate(body, calls) for _ in range(5))
            print(f"\nquickstart: {fmt(ours)} from Python, {fmt(rust)} in Rust: {fmt(ours - rust)} a call for the binding")
    # The GIL: one large body, the same work on one thread and on four.
    big = b'{"prompt": {"1": {"class_type": "A", "inputs": {"image": "' + b"QUJD" * 1_000_000 + b'"}}}}'
    work = 64
    start = time.perf_counter()
    for _ in range(work):
        cmfy_validate.validate(big)
    one = time.perf_counter() - start
    with ThreadPoolExecutor(4) as pool:
        start = time.perf_counter()
        list(pool.map(lambda _: cmfy_validate.validate(big), range(work)))
        four = time.perf_counter() - start
    print(f"\n{work} validations of a {len(big) / 1e6:.0f} MB body: {one * 1e3:.0f} ms on one thread, {four * 1e3:.0f} ms on four ({one / four:.2f}× the throughput)")


if __name__ == "__main__":
    main()
