"""Shared helpers: where the repository and ``../shared`` are, and skipping visibly without it."""

import json
import os
import pathlib

import pytest

PYTHON_DIR = pathlib.Path(__file__).resolve().parents[1]
REPO = PYTHON_DIR.parent
SHARED = REPO.parent / "shared"


def shared_or_skip(what: str) -> pathlib.Path:
    """``../shared``, or a visible skip (a failure under ``CMFY_REQUIRE_SHARED=1``, as in CI)."""
    if SHARED.is_dir():
        return SHARED
    if os.environ.get("CMFY_REQUIRE_SHARED") == "1":
        pytest.fail(f"{what}: ../shared is absent and CMFY_REQUIRE_SHARED=1")
    pytest.skip(f"{what}: ../shared is absent")


def conformance_cases():
    shared = SHARED
    path = shared / "conformance" / "cases.jsonl"
    if not path.is_file():
        return []
    cases = []
    for line in path.read_text().splitlines():
        if line.strip():
            case = json.loads(line)
            body = bytes.fromhex(case["body_hex"]) if "body_hex" in case else case["body"].encode()
            cases.append((case.get("name", "?"), body, case["expect"]))
    return cases


@pytest.fixture
def example_catalogue():
    import cmfy_validate

    return cmfy_validate.Catalogue.from_object_info((REPO / "examples" / "catalogue" / "object_info.json").read_bytes())
