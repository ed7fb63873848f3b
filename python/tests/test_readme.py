"""The Python examples of python/README.md run as written."""

import re

from conftest import PYTHON_DIR


def test_readme_examples_run(monkeypatch):
    monkeypatch.chdir(PYTHON_DIR)
    text = (PYTHON_DIR / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 3
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
