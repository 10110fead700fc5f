#!/usr/bin/env bash
# Usage: scripts/uniffi-generate.sh <kotlin|swift> <out-dir>
# Builds the mobile library ($MOBILE_PROFILE, release by default) and generates the foreign sources from it
# (uniffi library mode) into <out-dir>, which is emptied first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

language=$1
out=$2
step "mobile: cargo build --profile $MOBILE_PROFILE -p creator-crm-mobile"
cargo build --profile "$MOBILE_PROFILE" --quiet -p creator-crm-mobile --manifest-path "$ROOT/Cargo.toml"
step "mobile: uniffi-bindgen generate --language $language"
rm -rf "$out"
mkdir -p "$out"
cargo run --quiet -p creator-crm-mobile --features cli --bin uniffi-bindgen \
    --manifest-path "$ROOT/Cargo.toml" -- \
    generate --library "$MOBILE_LIB_DIR/libcreator_crm_mobile.so" \
    --language "$language" --out-dir "$out" --no-format
