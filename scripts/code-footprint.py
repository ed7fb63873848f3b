#!/usr/bin/env python3
"""The code one call runs: from two callgrind profiles taken with `--dump-instr=yes`, over
CALLS calls and over twice as many, the instructions that ran on every call past the first (at
least CALLS times more in the second), as 64-byte cache lines (what the instruction cache holds)
and as bytes of instructions (what alignment does not change), in total and by function.

    code-footprint.py CALLGRIND_OUT CALLGRIND_OUT_TWICE CALLS BINARY [TOP]

BINARY is the profiled executable (its instructions' lengths come from `objdump -d`). Only its
own code is counted in bytes; the C library's lines count in the total of lines.
"""

import bisect
import collections
import re
import subprocess
import sys

LINE = 64
POSITION = re.compile(r"^(0x[0-9a-f]+|[+-]\d+|\*)\s")
NAME = re.compile(r"c?fn=\((\d+)\)(?: (.*))?")


def runs(path):
    """Each instruction's address -> (its count, the id of its function), and the ids' names."""
    names, counts, owner = {}, {}, {}
    function, address, after_call = None, 0, False
    with open(path) as profile:
        for line in profile:
            if line.startswith(("fn=", "cfn=")):
                match = NAME.match(line.strip())
                if match and match.group(2):
                    names[match.group(1)] = match.group(2)
                if match and line.startswith("fn="):
                    function = match.group(1)
                continue
            if line.startswith("calls="):
                after_call = True
                continue
            match = POSITION.match(line)
            if not match:
                continue
            step = match.group(1)
            if step.startswith("0x"):
                address = int(step, 16)
            elif step != "*":
                address += int(step)
            if after_call:
                # The line after `calls=` is the call's inclusive cost, not this instruction's.
                after_call = False
                continue
            count = int(line.split()[-1])
            if count > counts.get(address, 0):
                counts[address] = count
            owner.setdefault(address, function)
    return counts, owner, names


def lengths(binary):
    """The start of every instruction of BINARY, in order."""
    listing = subprocess.run(
        ["objdump", "-d", "--no-show-raw-insn", binary],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [int(m.group(1), 16) for m in re.finditer(r"^\s*([0-9a-f]+):", listing, re.M)]


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    path, twice, calls, binary = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    top = int(sys.argv[5]) if len(sys.argv) > 5 else 15
    counts, owner, names = runs(twice)
    before, _, _ = runs(path)
    every = [a for a, count in counts.items() if count - before.get(a, 0) >= calls]
    lines = {address // LINE for address in every}
    starts = lengths(binary)
    own = collections.Counter()
    for address in every:
        at = bisect.bisect_left(starts, address)
        if at + 1 < len(starts) and starts[at] == address:
            own[owner[address]] += starts[at + 1] - address
    print(f"{len(lines)} cache lines run on every call ({len(lines) * LINE} bytes)")
    print(f"{sum(own.values())} bytes of the binary's own instructions run on every call")
    for function, size in own.most_common(top):
        print(f"{size:7}  {names.get(function, function)[:110]}")


if __name__ == "__main__":
    main()
