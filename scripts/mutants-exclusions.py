#!/usr/bin/env python3
"""Checks .cargo/mutants.toml against the mutants cargo-mutants would make now.

    cargo mutants --package cmfy-validate --all-features --list --no-config > all.txt
    python3 scripts/mutants-exclusions.py .cargo/mutants.toml all.txt

Fails (exit 1) when a pattern matches no mutant, or names a line: either means an exclusion
that no longer excuses what its comment says, and a mutation score that is silently wrong.
Prints how many mutants each pattern sets aside, the most first, so a pattern that has grown
to cover more than the mutant it was written for shows.
"""

import re
import sys
import tomllib


def main(config_path: str, mutants_path: str) -> int:
    with open(config_path, "rb") as config:
        patterns = tomllib.load(config).get("exclude_re", [])
    with open(mutants_path, encoding="utf-8") as listing:
        mutants = [line.strip() for line in listing if line.strip()]
    failures = []
    counts = []
    for pattern in patterns:
        if re.match(r"src/[^:]+:\d+:", pattern):
            failures.append(f"names a line: {pattern}")
        matched = sum(1 for mutant in mutants if re.search(pattern, mutant))
        if matched == 0:
            failures.append(f"matches no mutant: {pattern}")
        counts.append((matched, pattern))
    for matched, pattern in sorted(counts, reverse=True)[:5]:
        print(f"{matched:4}  {pattern}")
    excluded = sum(1 for m in mutants if any(re.search(p, m) for p in patterns))
    print(f"{len(patterns)} patterns set aside {excluded} of {len(mutants)} mutants")
    for failure in failures:
        print(f"mutants-exclusions: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
