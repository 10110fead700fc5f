#!/usr/bin/env bash
# Renders the demo's report.html and opens it in headless Chromium (Debian's
# `chromium`, installed when missing): takes a screenshot, dumps the rendered DOM,
# and checks every chart drew something, nothing was loaded over the network, no
# console message was logged and the screenshot shows the charts
# (scripts/check-report.py). Leaves everything in $CARGO_TARGET_DIR/report-test/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if ! command -v chromium >/dev/null; then
    step "report: apt-get install chromium"
    apt_install chromium
fi

out=$CARGO_TARGET_DIR/report-test
rm -rf "$out"
mkdir -p "$out"
step "report: demo (writes report.html)"
cargo run --quiet -p creator-crm-demo --manifest-path "$ROOT/Cargo.toml" -- \
    --out "$out/creators.csv" --report "$out/report.html" >"$out/demo.txt"

# Every host name resolves nowhere: a page that loads anything logs net::ERR_.
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
    --user-data-dir="$out/profile" --host-resolver-rules="MAP * ~NOTFOUND"
    --enable-logging=stderr --v=0 --window-size=1700,2600)
url="file://$out/report.html"
step "report: chromium --screenshot"
timeout 120 chromium "${flags[@]}" --screenshot="$out/report.png" "$url" 2>"$out/screenshot.log" >/dev/null
step "report: chromium --dump-dom"
timeout 120 chromium "${flags[@]}" --dump-dom "$url" 2>"$out/dom.log" >"$out/dom.html"
python3 "$ROOT/scripts/check-report.py" "$out"
