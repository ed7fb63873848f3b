#!/usr/bin/env bash
# Builds the Python package in a fresh virtual environment (maturin, pytest and the test
# dependencies from PyPI), installs it with `pip install ./python` and runs its tests.
#
#   scripts/python-tests.sh [pytest args ...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$(mktemp -d)/venv
trap 'rm -rf "$(dirname "$venv")"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet "maturin>=1.5,<2" "pytest>=7" "hypothesis>=6" "httpx>=0.24" "aiohttp>=3.8"
"$venv/bin/pip" install --quiet "$root/python"
cd "$root/python"
"$venv/bin/python" -m pytest -q -rs tests "$@"
