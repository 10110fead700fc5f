#!/usr/bin/env bash
# The merge on Dask and Spark: installs dask[distributed] and PySpark into .venv
# (bindings-python/requirements-scaleout.txt) and a JDK when none is there, builds the
# extension, type-checks creator_crm.dask and creator_crm.spark with mypy --strict, and
# runs tests/test_dask.py and tests/test_spark.py (one LocalCluster and one Spark
# session per module).
#
#   scripts/test-scaleout.sh [--dev] [pytest args...]
#
# --dev builds the extension with the dev profile, as in scripts/test-python.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

profile=(--release)
if [ "${1:-}" = "--dev" ]; then
    profile=()
    shift
fi

"$ROOT/scripts/setup-python.sh"
venv=$ROOT/.venv
req=$ROOT/bindings-python/requirements-scaleout.txt
stamp=$venv/.requirements-scaleout.txt
if ! cmp -s "$req" "$stamp"; then
    step "installing the Dask and Spark requirements"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
    cp "$req" "$stamp"
fi
if ! command -v java >/dev/null 2>&1; then
    step "installing a JDK for PySpark"
    apt_install openjdk-17-jre-headless
fi

step "scale-out: maturin develop ${profile[*]:-(dev profile)}"
"$venv/bin/maturin" develop "${profile[@]}" --quiet -m "$ROOT/bindings-python/Cargo.toml"
cd "$ROOT/bindings-python"
step "scale-out: mypy --strict (creator_crm.dask, creator_crm.spark)"
MYPYPATH=python "$venv/bin/python" -m mypy --strict --python-version 3.10 \
    --no-incremental python/creator_crm
step "scale-out: pytest (Dask LocalCluster, Spark local[2])"
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests/test_dask.py tests/test_spark.py "$@"
