"""Eight threads validating at once get the same answers as one."""

from concurrent.futures import ThreadPoolExecutor

import cmfy_validate
from conftest import REPO, conformance_cases


def answers(bodies, catalogue):
    out = []
    for body in bodies:
        try:
            out.append(len(cmfy_validate.validate(body, catalogue=catalogue)))
        except cmfy_validate.ValidationError as error:
            out.append((error.code, error.pointer))
    return out


def test_eight_threads_agree_with_one(example_catalogue):
    bodies = [body for _, body, _ in conformance_cases()]
    bodies += [p.read_bytes() for p in sorted((REPO / "examples" / "requests").glob("*.json"))]
    big = b'{"prompt": {"1": {"class_type": "A", "inputs": {"text": "' + b"x" * 200_000 + b'"}}}}'
    bodies += [big] * 4
    expected = answers(bodies, example_catalogue)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: answers(bodies, example_catalogue), range(8)))
    assert all(result == expected for result in results)
