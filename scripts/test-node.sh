#!/usr/bin/env bash
# Builds the Node addon (napi build --platform --release), checks that the
# committed index.d.ts / index.js are what the build generates, runs node --test.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

cd "$ROOT/bindings-node"
if [ ! -d node_modules/@napi-rs/cli ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "node: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
fi
step "node: napi build --platform --release"
npx napi build --platform --release
step "node: generated index.d.ts and index.js are committed"
if ! git diff --exit-code -- index.d.ts index.js; then
    echo "index.d.ts / index.js changed when rebuilt: commit the regenerated files" >&2
    exit 1
fi
step "node: node --test"
node --test "$@" __test__/
