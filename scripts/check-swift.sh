#!/usr/bin/env bash
# Regenerates the Swift bindings and fails if they differ from the committed
# bindings-mobile/swift/ sources (there is no Swift compiler here: the sources
# are checked, and compiled by iOS / macOS builds).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ROOT/scripts/uniffi-generate.sh" swift "$tmp/swift"
if [ "${1:-}" = "--update" ]; then
    rm -rf "$ROOT/bindings-mobile/swift"
    cp -r "$tmp/swift" "$ROOT/bindings-mobile/swift"
    echo "bindings-mobile/swift updated"
    exit 0
fi
step "swift: committed sources match the generated ones"
if ! diff -ru "$ROOT/bindings-mobile/swift" "$tmp/swift"; then
    echo "bindings-mobile/swift is stale: run scripts/check-swift.sh --update and commit" >&2
    exit 1
fi
