#!/usr/bin/env bash
# Creates the virtualenv `.venv` with the pinned tools of
# bindings-python/requirements-dev.txt. Does nothing when it is up to date.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

venv=$ROOT/.venv
req=$ROOT/bindings-python/requirements-dev.txt
stamp=$venv/.requirements-dev.txt

if [ ! -x "$venv/bin/python" ]; then
    step "creating $venv"
    if ! python3 -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        apt_install python3-venv
        python3 -m venv "$venv"
    fi
fi
if ! cmp -s "$req" "$stamp"; then
    step "installing Python dev requirements"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
    cp "$req" "$stamp"
fi
