"""SqliteStore: the built-in store in one SQLite file, passing the conformance suite core
defines, keeping what the Crm writes across reopening, and readable by any SQLite client."""

import sqlite3
import threading
import time

import pytest

from creator_crm import Crm, SqliteStore, StorageError, run_store_conformance

from test_store import EUKA, METRICS, NOW, PHONES, Wrapped, failures


def test_sqlite_store_passes_the_conformance_suite_on_files_and_in_memory(tmp_path):
    made = []

    def make():
        made.append(tmp_path / f"case-{len(made)}.db")
        return SqliteStore(made[-1])

    results = run_store_conformance(make)
    assert len(results) >= 12
    assert failures(results) == []
    assert all(p.exists() for p in made)
    assert failures(run_store_conformance(lambda: SqliteStore(":memory:"))) == []


def test_a_python_store_wrapping_sqlite_passes_the_conformance_suite():
    stores = []

    def make():
        stores.append(Wrapped(SqliteStore(":memory:")))
        return stores[-1]

    assert failures(run_store_conformance(make)) == []
    assert all("apply" in s.calls for s in stores)


def test_what_the_crm_writes_survives_reopening_the_file(tmp_path):
    path = tmp_path / "crm.db"
    store = SqliteStore(str(path))
    assert store.path == str(path)
    assert repr(store) == f"SqliteStore({str(path)!r})"
    c = Crm(store, workspace="brand-a")
    c.import_exports({"euka": EUKA, "phone_numbers": PHONES, "refunnel": METRICS}, now=NOW)
    c.edit_creator("bo", {"email": "bo.chan@workmail.co"}, now=NOW)
    assert c.erase_creator("ana.b", now=NOW) == 1
    del c, store

    again = Crm(SqliteStore(path), workspace="brand-a")
    again.import_exports({"euka": EUKA, "phone_numbers": PHONES}, now=NOW)
    bo = again.get_creator("bo")
    assert bo["email"] == "bo.chan@workmail.co" and bo["email_source"] == "manual"
    assert again.get_creator("ana.b") is None
    page = again.list_creators(where={"has_email": True}, order_by="-total_gmv", limit=1)
    assert [r["tiktok_username"] for r in page.items] == ["cy"]
    assert page.total == 2 and page.next_cursor is not None
    rest = again.list_creators(
        where={"has_email": True}, order_by="-total_gmv", limit=1, cursor=page.next_cursor
    )
    assert [r["tiktok_username"] for r in rest.items] == ["bo"] and rest.next_cursor is None
    assert Crm(SqliteStore(path), workspace="brand-b").list_creators().total == 0


def test_the_file_is_an_ordinary_sqlite_database(tmp_path):
    path = tmp_path / "crm.db"
    store = SqliteStore(path)
    c = Crm(store, workspace="brand-a")
    c.import_exports({"euka": EUKA, "refunnel": METRICS}, now=NOW)
    c.erase_creator("ana.b", now=NOW)
    hashes = store.suppression("brand-a")
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"creators", "samples", "videos", "snapshots", "suppression", "supporters",
            "cooldowns", "activity"} <= tables
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    rows = db.execute(
        "SELECT handle, email, has_email, follower_count, total_gmv FROM creators "
        "WHERE workspace = 'brand-a' ORDER BY handle"
    ).fetchall()
    assert rows == [
        ("bo", "bo@mailbox.org", 1, 900, "10"),
        ("cy", "cy@mailbox.org", 1, 45000, "20000.50"),
    ]
    assert db.execute("SELECT COUNT(*) FROM suppression").fetchone() == (len(hashes),)
    assert len(hashes) >= 1
    db.close()


def test_a_database_of_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "crm.db"
    SqliteStore(path)
    db = sqlite3.connect(path)
    (version,) = db.execute("PRAGMA user_version").fetchone()
    assert version >= 1
    db.execute(f"PRAGMA user_version = {version + 1}")
    db.commit()
    db.close()
    with pytest.raises(StorageError) as e:
        SqliteStore(path)
    assert e.value.code == "storage" and e.value.field == "schema_version"
    with pytest.raises(StorageError):
        SqliteStore(tmp_path / "no-such-dir" / "crm.db")


def test_calls_release_the_gil(tmp_path):
    c = Crm(SqliteStore(tmp_path / "crm.db"))
    rows = b"".join(b"user%d,user%d@mailbox.org\n" % (i, i) for i in range(20000))
    big = b"handle,email\n" + rows
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        time.sleep(0.01)
        start, t0 = len(ticks), time.perf_counter()
        c.import_exports({"euka": big}, now=NOW)
        elapsed, during = time.perf_counter() - t0, len(ticks) - start
    finally:
        done.set()
        t.join()
    # The other thread kept running while the import ran in Rust.
    assert elapsed > 0.05 and during >= 10
