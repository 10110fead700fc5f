#!/usr/bin/env bash
# The PostgreSQL store example (examples/postgres-store) against a real PostgreSQL 15
# server: installs the server when missing, starts a throwaway cluster on a loopback
# port, runs the example's pytest suite, and stops and removes the cluster however the
# tests end.
#
#   scripts/test-postgres.sh [pytest args...]
#
# Needs the Python package built into .venv (scripts/test-python.sh does it; this
# script builds it with the dev profile when it is missing).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PG_BIN=/usr/lib/postgresql/15/bin
if [ ! -x "$PG_BIN/initdb" ]; then
    step "postgres: installing postgresql-15"
    apt_install postgresql-15
fi

"$ROOT/scripts/setup-python.sh"
if ! "$ROOT/.venv/bin/python" -c "import creator_crm" 2>/dev/null; then
    step "postgres: maturin develop (creator_crm is not built yet)"
    "$ROOT/.venv/bin/maturin" develop --quiet -m "$ROOT/bindings-python/Cargo.toml"
fi
step "postgres: installing the example's requirements"
"$ROOT/.venv/bin/python" -m pip install -q --disable-pip-version-check \
    -r "$ROOT/examples/postgres-store/requirements.txt"

# The server refuses to run as root: the cluster belongs to the `postgres` user when the
# script runs as root, else to the caller.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    as_owner=(runuser -u postgres --)
fi

cluster=$(mktemp -d /tmp/crm-pg.XXXXXX)
chmod 755 "$cluster"
[ ${#as_owner[@]} -eq 0 ] || chown postgres "$cluster"
stop() {
    "${as_owner[@]}" "$PG_BIN/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$cluster"
}
trap stop EXIT

# A free loopback port, chosen by the kernel.
port=$("$ROOT/.venv/bin/python" -c \
    'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

step "postgres: starting a cluster on 127.0.0.1:$port"
"${as_owner[@]}" "$PG_BIN/initdb" -D "$cluster/data" -U crm --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$PG_BIN/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster -c fsync=off" start >/dev/null \
    || { cat "$cluster/server.log"; exit 1; }

step "postgres: pytest examples/postgres-store"
cd "$ROOT/examples/postgres-store"
CRM_TEST_POSTGRES="host=127.0.0.1 port=$port user=crm dbname=postgres" \
    "$ROOT/.venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
