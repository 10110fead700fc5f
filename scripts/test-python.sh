#!/usr/bin/env bash
# Builds the Python extension into .venv (maturin develop --release) and runs pytest.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup-python.sh"
step "python: maturin develop --release"
"$ROOT/.venv/bin/maturin" develop --release --quiet -m "$ROOT/bindings-python/Cargo.toml"
step "python: pytest"
cd "$ROOT/bindings-python"
"$ROOT/.venv/bin/python" -m pytest -q "$@"
