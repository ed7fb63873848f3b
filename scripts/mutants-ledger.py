#!/usr/bin/env python3
"""The mutation runs' results, kept by what each mutant changes rather than by its line.

cargo-mutants names a mutant by file, line and column, so an edit above a function renames
every mutant below it: the names an earlier run caught then stop matching (their mutants are
tested again) or, worse, match a different mutant that landed on the same line and column
(which is then skipped untested). This ledger keys each result by the mutated function's file,
name and source text (hashed, doc comments included), the mutation's place inside that text,
and its replacement. A result stands while its function's text is unchanged, so runs add up
across commits that touch other code, and a changed function is tested again.

The key assumes the tests only grow: a result is not tested again when a test is removed or
weakened, or when a function the mutated one calls changes what it answers. After such a
change, start afresh (delete the ledger).

    mutants-ledger.py record LEDGER OUTCOMES_JSON REV   add a run's results, read at commit REV
    mutants-ledger.py skip LEDGER LISTING_JSON          names of the listed mutants to skip
    mutants-ledger.py score LEDGER LISTING_JSON         the score of the listed mutants

LISTING_JSON is `cargo mutants --list --json` of the working tree; `record` reads each file as
it was at REV (what cargo-mutants copied), since the tree may have changed during the run.
"""

import hashlib
import json
import pathlib
import subprocess
import sys

# cargo-mutants' outcome summaries, as the ledger records them.
KINDS = {
    "CaughtMutant": "caught",
    "Timeout": "timeout",
    "Unviable": "unviable",
    "MissedMutant": "missed",
}
# What a later run need not test again. A timeout counts as caught, as cargo-mutants counts it:
# testing the loops again (54 on 2026-12-06) cost half an hour a run. (One that was the
# machine's load, not a loop, stays counted; `--timeout` well above the tests' few seconds
# keeps that rare.)
SKIPPED = {"caught", "timeout", "unviable"}


def function_text(source: list[str], span: dict) -> str:
    """The text of `span` (1-based lines and columns, end exclusive) in `source`'s lines."""
    start, end = span["start"], span["end"]
    lines = source[start["line"] - 1 : end["line"]]
    if not lines:
        return ""
    lines[-1] = lines[-1][: end["column"] - 1]
    lines[0] = lines[0][start["column"] - 1 :]
    return "\n".join(lines)


def key(mutant: dict, read) -> str | None:
    """The mutant's key, with `read(file)` giving the file's lines; None for a mutant in a file
    that cannot be read."""
    source = read(mutant["file"])
    if source is None:
        return None
    span = mutant["span"]
    function = mutant.get("function")
    if function:
        text = function_text(source, function["span"])
        origin = function["span"]["start"]
        name = function["function_name"]
    else:
        # Outside any function (a constant's value): the lines it is on, and how many times
        # the same lines came earlier in the file.
        first, last = span["start"]["line"] - 1, span["end"]["line"]
        text = "\n".join(source[first:last])
        width = last - first
        earlier = sum(
            1 for at in range(first) if source[at : at + width] == source[first:last]
        )
        origin = {"line": span["start"]["line"]}
        name = f"(outside any function, {earlier} times before)"
    place = [
        span["start"]["line"] - origin["line"],
        span["start"]["column"],
        span["end"]["line"] - origin["line"],
        span["end"]["column"],
    ]
    parts = [
        mutant["file"],
        name,
        hashlib.sha256(text.encode()).hexdigest(),
        json.dumps(place),
        mutant.get("genre", ""),
        mutant["replacement"],
    ]
    return "\t".join(parts)


def reader(rev: str | None):
    """Reads files from the working tree, or as they were at commit `rev`; each file once."""
    cache: dict[str, list[str]] = {}

    def read(path: str) -> list[str] | None:
        if path not in cache:
            if rev is None:
                file = pathlib.Path(path)
                text = file.read_text(encoding="utf-8") if file.is_file() else None
            else:
                shown = subprocess.run(
                    ["git", "show", f"{rev}:{path}"], capture_output=True, text=True
                )
                # A file git does not have at that commit (never added) cannot be keyed.
                text = shown.stdout if shown.returncode == 0 else None
            cache[path] = None if text is None else text.split("\n")
        return cache[path]

    return read


def load(ledger: pathlib.Path) -> dict[str, str]:
    if not ledger.exists():
        return {}
    return json.loads(ledger.read_text(encoding="utf-8"))


def listed(listing_path: str) -> list[dict]:
    with open(listing_path, encoding="utf-8") as listing:
        return json.load(listing)


def record(ledger_path: str, outcomes_path: str, rev: str) -> int:
    ledger = pathlib.Path(ledger_path)
    results = load(ledger)
    read = reader(rev)
    added = unkeyed = 0
    with open(outcomes_path, encoding="utf-8") as outcomes:
        for outcome in json.load(outcomes)["outcomes"]:
            scenario = outcome.get("scenario")
            kind = KINDS.get(outcome.get("summary"))
            if not isinstance(scenario, dict) or kind is None:
                continue  # the baseline, or a result that says nothing of the mutant
            mutant_key = key(scenario["Mutant"], read)
            if mutant_key is None:
                unkeyed += 1
            else:
                results[mutant_key] = kind
                added += 1
    ledger.write_text(json.dumps(results, indent=0, sort_keys=True), encoding="utf-8")
    print(f"mutants.ledger: {added} results recorded at {rev[:12]}, {len(results)} in all")
    if unkeyed:
        print(f"mutants.ledger: {unkeyed} results not recorded (their files are not in {rev[:12]})")
    return 0


def skip(ledger_path: str, listing_path: str) -> int:
    results = load(pathlib.Path(ledger_path))
    read = reader(None)
    for mutant in listed(listing_path):
        if results.get(key(mutant, read)) in SKIPPED:
            print(mutant["name"])
    return 0


def score(ledger_path: str, listing_path: str) -> int:
    results = load(pathlib.Path(ledger_path))
    read = reader(None)
    counts = {kind: 0 for kind in [*KINDS.values(), "untested"]}
    missed = []
    for mutant in listed(listing_path):
        kind = results.get(key(mutant, read), "untested")
        counts[kind] += 1
        if kind == "missed":
            missed.append(mutant["name"])
    caught = counts["caught"] + counts["timeout"]
    viable = caught + counts["missed"]
    total = sum(counts.values())
    print(
        f"the code as it is now: {total} mutants to test; {counts['untested']} not tested yet, "
        f"{counts['unviable']} unviable, {caught} caught ({counts['timeout']} by a timeout), "
        f"{counts['missed']} missed"
    )
    if viable:
        print(f"score: {caught} of {viable} viable mutants caught ({100 * caught / viable:.1f}%)")
    for name in missed:
        print(f"missed: {name}")
    return 0


def main(args: list[str]) -> int:
    commands = {"record": (record, 3), "skip": (skip, 2), "score": (score, 2)}
    if not args or args[0] not in commands or len(args) != commands[args[0]][1] + 1:
        print(__doc__, file=sys.stderr)
        return 2
    command, _ = commands[args[0]]
    return command(*args[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
