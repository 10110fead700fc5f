#!/usr/bin/env bash
# Builds the Python extension into .venv (maturin develop --release), type-checks the
# package and its typed usage example with mypy --strict, and runs pytest.
#
#   scripts/test-python.sh [--dev] [pytest args...]
#
# --dev builds with the dev profile (no optimization, much faster to build) for quick
# iterations; the remaining arguments go to pytest. The Dask and Spark modules and their
# tests are scripts/test-scaleout.sh's (their packages are installed there).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

profile=(--release)
if [ "${1:-}" = "--dev" ]; then
    profile=()
    shift
fi

"$ROOT/scripts/setup-python.sh"
step "python: maturin develop ${profile[*]:-(dev profile)}"
"$ROOT/.venv/bin/maturin" develop "${profile[@]}" --quiet -m "$ROOT/bindings-python/Cargo.toml"
cd "$ROOT/bindings-python"
step "python: mypy --strict (stubs, package, tests/typing_example.py)"
# The oldest Python mypy checks for (the package supports 3.9; the stubs use nothing newer).
MYPYPATH=python "$ROOT/.venv/bin/python" -m mypy --strict --python-version 3.10 \
    --no-incremental --exclude 'creator_crm/(dask|spark)\.py$' \
    python/creator_crm tests/typing_example.py
step "python: pytest"
"$ROOT/.venv/bin/python" -m pytest -q --ignore=tests/test_dask.py --ignore=tests/test_spark.py "$@"
