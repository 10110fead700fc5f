"""PostgresStore against a real PostgreSQL server: the library's conformance suite, and
what a host running several processes on one database relies on.

The server is the one `scripts/test-postgres.sh` starts; its address is in
`CRM_TEST_POSTGRES` (a libpq connection string).
"""

from __future__ import annotations

import itertools
import os
import threading
from datetime import datetime, timezone
from typing import Any, Iterator, List

import psycopg
import pytest

from creator_crm import ConflictError, Crm, InvalidInputError, run_store_conformance
from postgres_store import MIGRATIONS, PostgresStore

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
EUKA = (
    b"handle,email,phone,recipient\n"
    b"@ana.b,ana@mailbox.org,(+1)832*****59,Ana Bell\n"
    b"bo,bo@mailbox.org,,Bo Chan\n"
    b"cy,cy@mailbox.org,4155550124,Cy Dale\n"
)
METRICS = b"handle,followers,gmv\nana.b,12000,$1500\nbo,900,10\ncy,45000,$20000.50\n"

_schemas = itertools.count(1)


def dsn() -> str:
    value = os.environ.get("CRM_TEST_POSTGRES")
    if not value:
        pytest.fail("CRM_TEST_POSTGRES is not set: run scripts/test-postgres.sh")
    return value


@pytest.fixture
def connections() -> Iterator[List[psycopg.Connection[Any]]]:
    opened: List[psycopg.Connection[Any]] = []
    yield opened
    for conn in opened:
        conn.close()


def fresh_schema() -> str:
    return f"crm_test_{os.getpid()}_{next(_schemas)}"


def store_on(schema: str, opened: List[psycopg.Connection[Any]]) -> PostgresStore:
    conn = psycopg.connect(dsn())
    opened.append(conn)
    return PostgresStore(conn, schema=schema)


def test_postgres_store_passes_the_conformance_suite(connections):
    results = run_store_conformance(lambda: store_on(fresh_schema(), connections))
    assert len(results) >= 12
    assert [f"{name}: {err}" for name, err in results if err is not None] == []


def test_two_processes_on_one_database_see_one_crm(connections):
    schema = fresh_schema()
    writer = Crm(store_on(schema, connections), workspace="brand-a")
    reader = Crm(store_on(schema, connections), workspace="brand-a")
    writer.import_exports({"euka": EUKA, "refunnel": METRICS}, now=NOW)
    writer.edit_creator("bo", {"first_name": "Robert"}, now=NOW)

    page = reader.list_creators(order_by="-total_gmv", limit=2)
    assert [c["tiktok_username"] for c in page.items] == ["cy", "ana.b"]
    assert page.total == 3
    rest = reader.list_creators(order_by="-total_gmv", limit=2, cursor=page.next_cursor)
    assert [c["tiktok_username"] for c in rest.items] == ["bo"]
    assert rest.next_cursor is None
    assert reader.get_creator("bo")["first_name"] == "Robert"
    # Another workspace on the same tables sees nothing.
    assert Crm(store_on(schema, connections), workspace="brand-b").list_creators().total == 0


def test_the_same_stale_version_lets_exactly_one_writer_through(connections):
    schema = fresh_schema()
    first, second = store_on(schema, connections), store_on(schema, connections)
    Crm(first, workspace="w").import_exports({"euka": EUKA}, now=NOW)
    (bo,) = second.creators("w", ["bo"])

    def put(notes: str) -> Any:
        creator = {**bo, "profile": {**bo["profile"], "notes": notes}}
        return {"changes": [{"change": "put_creator", "creator": creator,
                             "expected": bo["version"]}]}

    first.apply("w", put("first"))
    with pytest.raises(ConflictError):
        second.apply("w", put("second"))
    (after,) = second.creators("w", ["bo"])
    assert (after["profile"]["notes"], after["version"]) == ("first", bo["version"] + 1)


PARTS = [
    {"euka": EUKA},
    {"refunnel": METRICS},
    {"phone_numbers": b"handle,phone\nana.b,(+1)8325550159\nbo,4155550199\n"},
    {"euka": b"handle,email,recipient\ndee,dee@mailbox.org,Dee Ford\nbo,,Bo Chan\n"},
]


def rows(crm: Crm) -> List[Any]:
    return [{k: v for k, v in c.items() if k != "version"} for c in crm.list_creators().items]


def test_concurrent_imports_from_many_connections_equal_importing_in_turn(connections):
    schema = fresh_schema()
    crms = [Crm(store_on(schema, connections), workspace="w") for _ in PARTS]
    errors: List[BaseException] = []

    def run(crm: Crm, part: Any) -> None:
        try:
            crm.import_exports(part, now=NOW)
        except BaseException as e:  # asserted below
            errors.append(e)

    threads = [threading.Thread(target=run, args=pair) for pair in zip(crms, PARTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

    in_turn = Crm(store_on(fresh_schema(), connections), workspace="w")
    for part in PARTS:
        in_turn.import_exports(part, now=NOW)
    assert rows(crms[0]) == rows(in_turn)
    assert [a["seq"] for a in crms[0].activity_log()] == [4, 3, 2, 1]


def test_a_failed_change_set_leaves_the_database_as_it_was(connections):
    schema = fresh_schema()
    store = store_on(schema, connections)
    crm = Crm(store, workspace="w")
    crm.import_exports({"euka": EUKA}, now=NOW)
    before = store.creators("w", ["ana.b", "bo", "cy"])
    bo = before[1]
    changes = {
        "changes": [
            {"change": "put_creator", "creator": {**bo, "brands": ["acme"]},
             "expected": bo["version"]},
            {"change": "delete_creator", "handle": "cy", "expected": 99},
        ]
    }
    with pytest.raises(ConflictError):
        store.apply("w", changes)
    assert store.creators("w", ["ana.b", "bo", "cy"]) == before


def test_a_cursor_of_another_query_is_refused(connections):
    crm = Crm(store_on(fresh_schema(), connections), workspace="w")
    crm.import_exports({"euka": EUKA, "refunnel": METRICS}, now=NOW)
    cursor = crm.list_creators(order_by="follower_count", limit=1).next_cursor
    with pytest.raises(InvalidInputError) as e:
        crm.list_creators(order_by="total_gmv", limit=1, cursor=cursor)
    assert e.value.field == "cursor"


def test_the_schema_is_migrated_once_and_a_newer_one_is_refused(connections):
    schema = fresh_schema()
    store_on(schema, connections)
    store_on(schema, connections)  # opening again runs nothing twice
    conn = connections[-1]
    with conn.transaction():
        applied = conn.execute("SELECT applied FROM schema_version").fetchone()
        assert applied == (len(MIGRATIONS),)
        conn.execute("UPDATE schema_version SET applied = applied + 1")
    with pytest.raises(RuntimeError, match="newer than this store"):
        store_on(schema, connections)
