#!/usr/bin/env bash
# Builds the Node package as a user gets it (`npm install <checkout>/node` into an empty
# folder, which builds the addon with cargo), then runs its tests with `node --test`.
#
#   scripts/node-tests.sh [node --test args ...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# The package's own devDependencies (the build tool, typescript, ajv and zod), pinned by its lockfile.
(cd "$root/node" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
user=$(mktemp -d)
trap 'rm -rf "$user"' EXIT
(cd "$user" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$root/node")
(cd "$user" && node -e "require('cmfy-validate').validate(require('fs').readFileSync('$root/examples/requests/quickstart.json'))")
# The generated bindings are committed: the build must leave them as they are.
git -C "$root" diff --exit-code -- node/native.js node/native.d.ts
cd "$root/node"
node --test "$@" test/
