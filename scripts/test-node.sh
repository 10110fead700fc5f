#!/usr/bin/env bash
# Checks that every export catches panics, builds the Node addon (napi build
# --platform --release), checks that the committed index.d.ts / index.js are
# what the build generates, type-checks the TypeScript usage example
# (tsc --noEmit, strict), runs node --test. NODE_PROFILE=dev builds the addon in
# the dev profile instead (while iterating: no fat-LTO build); the checks are the
# same.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

cd "$ROOT/bindings-node"
if [ ! -d node_modules/@napi-rs/cli ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "node: npm ci"
    if ! npm ci --no-audit --no-fund --loglevel=error; then
        # A registry mirror that only holds the linux-x64 builds of the CLI's
        # optional platform packages makes `npm ci` reject the lock file as
        # incomplete; `npm install` still installs exactly the locked versions.
        echo "npm ci failed; installing the locked versions with npm install" >&2
        npm install --no-audit --no-fund --loglevel=error
        git diff --exit-code -- package-lock.json
    fi
fi
step "node: every export is catch_unwind"
awk -f "$ROOT/scripts/check-node-catch-unwind.awk" src/*.rs
NODE_PROFILE=${NODE_PROFILE:-release}
case $NODE_PROFILE in
    dev) build=() ;;
    release) build=(--release) ;;
    *) echo "NODE_PROFILE is dev or release, not $NODE_PROFILE" >&2; exit 2 ;;
esac
step "node: napi build --platform ${build[*]:-(dev)}"
npx napi build --platform "${build[@]}"
step "node: generated index.d.ts and index.js are committed"
if ! git diff --exit-code -- index.d.ts index.js; then
    echo "index.d.ts / index.js changed when rebuilt: commit the regenerated files" >&2
    exit 1
fi
step "node: tsc --noEmit (examples/usage.ts against index.d.ts)"
npx tsc -p tsconfig.json
step "node: node --test"
node --test "$@" __test__/
