"""Merger: an incremental merge whose result equals merge_exports on the same inputs."""

import io
from datetime import datetime
from pathlib import Path

import pytest

import creator_crm as crm
from creator_crm import InvalidInputError, Merger, merge_exports
from test_merge import DATA, KINDS

TABLES = [
    "creators", "samples", "videos", "video_products", "snapshots", "brand_links", "products",
    "conflicts",
]


def same_result(a, b):
    for name in TABLES:
        ta, tb = getattr(a, name), getattr(b, name)
        assert ta.schema == tb.schema, name
        assert ta.equals(tb), name
    assert a.report.to_dict() == b.report.to_dict()


@pytest.fixture(scope="module")
def at_once():
    return merge_exports({kind: DATA / name for kind, name in KINDS.items()})


def test_result_equals_merge_exports_with_every_table(at_once):
    merger = Merger()
    for kind, name in KINDS.items():
        merger.add(kind, DATA / name)
    result = merger.result()
    same_result(result, at_once)
    assert result.samples.num_rows > 0 and result.videos.num_rows > 0
    assert result.snapshots.num_rows > 0 and result.products.num_rows > 0
    assert result.conflicts.num_rows == result.report.conflicts > 0


def test_bytes_and_rows_are_sources_like_files(at_once):
    merger = Merger()
    for kind, name in KINDS.items():
        data = (DATA / name).read_bytes()
        merger.add(kind, data if kind != "euka" else bytearray(data), name=str(DATA / name))
    same_result(merger.result(), at_once)
    euka = "handle,email,Phone\nana.b,ana@mailbox.org,(832) 555-0159\nbo.c,,\n!,x@mailbox.org,\n"
    from_csv = Merger()
    from_csv.add("euka", euka.encode(), name="euka")
    rows = [
        {"handle": "ana.b", "email": "ana@mailbox.org", "Phone": "(832) 555-0159"},
        {"handle": "bo.c", "email": None, "mood": "ignored"},
        {"handle": "!", "email": "x@mailbox.org"},
    ]
    from_rows = Merger()
    from_rows.add_rows("euka", rows)
    expected = from_csv.result()
    assert from_rows.result().to_pylist() == expected.to_pylist()
    # The same rows as an Arrow table (a null is a missing value); lines are row positions.
    pa = pytest.importorskip("pyarrow")
    from_arrow = Merger()
    from_arrow.add_rows("euka", pa.Table.from_pylist(rows), name="euka")
    got = from_arrow.result()
    assert got.to_pylist() == expected.to_pylist()
    [rejected] = got.report.files[0]["rejected"]
    assert rejected["line"] == 3 and rejected["field"] == "handle"
    numbers = pa.table({"username": ["ana.b"], "followers": pa.array([1200], pa.int64())})
    from_arrow.add_rows("refunnel", numbers)
    [snap] = from_arrow.result().snapshots.to_pylist()
    assert snap["followers"] == 1200 and snap["source_file"] == "refunnel"


def test_bad_rows_raise_type_errors_naming_the_row():
    m = Merger()
    with pytest.raises(TypeError, match="row 2: expected a mapping"):
        m.add_rows("euka", [{"handle": "ana.b"}, "bo.c"])
    with pytest.raises(TypeError, match="row 1, column followers: expected str or None, got int"):
        m.add_rows("refunnel", [{"username": "ana.b", "followers": 12}])
    with pytest.raises(TypeError):
        m.add_rows("euka", {"handle": "ana.b"})
    with pytest.raises(InvalidInputError):
        m.add_rows("nope", [])
    with pytest.raises(TypeError):
        m.add("euka", 3.5)
    m.add("euka", memoryview(b"handle\nana.b\n"))
    assert len(m) == 1


def test_adding_later_equals_merging_at_once(at_once):
    merger = Merger()
    kinds = list(KINDS.items())
    for kind, name in reversed(kinds[3:]):
        merger.add(kind, DATA / name)
    partial = merger.result()
    assert partial.report.creators < at_once.report.creators
    for kind, name in kinds[:3]:
        merger.add(kind, DATA / name)
    same_result(merger.result(), at_once)
    assert len(merger) >= at_once.report.creators
    # The same file again changes no table; the report counts its rows as read again.
    merger.add(kinds[0][0], DATA / kinds[0][1])
    again = merger.result()
    for name in TABLES:
        assert getattr(again, name).equals(getattr(at_once, name)), name
    assert again.report.rows_read > at_once.report.rows_read


def test_priorities_decide_the_contact_fields():
    euka = "handle,First Name,Last Name\nana.b,Ana,Euka\n"
    phones = "Username,First Name,Last Name,Phone #\nana.b,Ana,Phones,(+1)8325550159\n"
    for priorities, last_name in [(None, "Euka"), (["phone_numbers", "euka"], "Phones")]:
        m = Merger(priorities=priorities)
        m.add("euka", io.StringIO(euka))
        m.add("phone_numbers", io.StringIO(phones))
        [row] = m.result().to_pylist()
        assert row["last_name"] == last_name and row["alternates"] == 1
        [exported] = merge_exports(
            {"euka": io.StringIO(euka), "phone_numbers": io.StringIO(phones)}, priorities=priorities
        ).to_pylist()
        assert exported == row
    with pytest.raises(InvalidInputError):
        Merger(priorities=["nope"])
    with pytest.raises(InvalidInputError):
        Merger(default_region="XX")


def test_file_objects_of_one_kind_are_kept_apart():
    m = Merger()
    m.add("euka", io.StringIO("handle,email\nana.b,ana@mailbox.org\n"))
    m.add("euka", io.StringIO("handle,email\nbo.c,bo@mailbox.org\n"))
    m.add("euka", io.StringIO("handle,email\nana.b,ana@mailbox.org\n"), name="euka.csv")
    report = m.result().report.to_dict()
    assert sorted(f["name"] for f in report["files"]) == ["euka-2.csv", "euka.csv"]
    assert report["creators"] == 2 and report["duplicates_collapsed"] == 1


def test_brand_and_observed_at():
    m = Merger()
    m.add("euka", io.StringIO("handle\nana.b\nbo.c\n"), brand="Glow Co")
    m.add("refunnel", io.StringIO("username,followers\nana.b,1200\n"), observed_at=datetime(2026, 2, 1))
    result = m.result()
    assert result.brand_links.to_pylist() == [
        {"brand": "Glow Co", "tiktok_username": "ana.b"},
        {"brand": "Glow Co", "tiktok_username": "bo.c"},
    ]
    [snap] = result.snapshots.to_pylist()
    assert snap["tiktok_username"] == "ana.b" and snap["followers"] == 1200
    assert str(snap["date"]) == "2026-02-01"
    with pytest.raises(InvalidInputError) as e:
        m.add("euka", io.StringIO("handle\nx\n"), observed_at="yesterday")
    assert e.value.field == "observed_at"


def test_errors_are_typed_and_leave_the_merger_usable():
    m = Merger()
    with pytest.raises(InvalidInputError):
        m.add("nope", io.StringIO("a\n"))
    with pytest.raises(crm.SourceImportError):
        m.add("euka", io.StringIO("email\nx@mailbox.org\n"))
    with pytest.raises(TypeError):
        m.add("euka", 42)
    m.add("euka", io.StringIO("handle\nana.b\n"))
    assert len(m.result()) == 1
    assert "ana" not in repr(m)


def test_manual_edits_outrank_imports_before_and_after():
    euka = "handle,email,First Name\nana.b,ana@mailbox.org,Ana\n"
    m = Merger()
    m.add("euka", io.StringIO(euka))
    m.edit("@Ana.B", {"email": "Ana.Manual@Mailbox.org", "city": "Austin"})
    m.add("euka", io.StringIO("handle,email\nana.b,ana.later@mailbox.org\n"), name="later.csv")
    m.edit("ana.b", {"city": "Dallas"}, at=datetime(2026, 1, 1))
    m.edit("ana.b", {"city": "Houston"})  # no time: older than any edit with one
    [row] = m.result().to_pylist()
    assert row["email"] == "ana.manual@mailbox.org" and row["email_source"] == "manual"
    assert row["city"] == "Dallas" and row["first_name"] == "Ana"
    assert "manual" in row["sources"]
    with pytest.raises(InvalidInputError) as e:
        m.edit("ana.b", {"nickname": "x"})
    assert (e.value.field, e.value.reason) == ("nickname", "unknown field")
    with pytest.raises(InvalidInputError) as e:
        m.edit("ana.b", {"email": "not-an-email"})
    assert e.value.field == "email" and "not-an-email" not in str(e.value)
    with pytest.raises(InvalidInputError):
        m.edit("ana.b", {})


def test_suppression_leaves_people_out_with_their_records():
    m = Merger()
    m.suppress(phone="(832) 555-0159")
    m.add("euka", io.StringIO("handle,email,phone\nana.b,ana@mailbox.org,8325550159\nbo.c,bo@mailbox.org,\n"))
    m.add("sample_orders", io.StringIO(
        "Order ID,SKU ID,Buyer Username\n1,9,ana.b\n2,9,bo.c\n3,9,cy.d\n"))
    m.suppress(email="BO@mailbox.org")
    result = m.result()
    assert result.creators.column("tiktok_username").to_pylist() == ["cy.d"]
    assert result.samples.column("tiktok_username").to_pylist() == ["cy.d"]
    assert result.report.creators_suppressed == 2
    m.suppress(handle="@CY.D")
    assert m.result().creators.num_rows == 0
    for bad in [{}, {"email": "n/a"}, {"phone": "(+1)832*****59"}, {"handle": "!"}]:
        with pytest.raises(InvalidInputError):
            m.suppress(**bad)


def test_progress_callback_sees_every_file_to_its_end():
    seen = []
    result = merge_exports({kind: DATA / name for kind, name in KINDS.items()}, progress=seen.append)
    done = {p["file"]: p for p in seen if p["done"]}
    assert {Path(f).name for f in done} == set(KINDS.values())
    for p in done.values():
        path = DATA / Path(p["file"]).name
        bom = 3 if path.read_bytes().startswith(b"\xef\xbb\xbf") else 0  # not counted as read
        assert p["total_bytes"] == path.stat().st_size
        assert p["bytes_read"] == p["total_bytes"] - bom, path.name
    assert sum(p["rows_read"] for p in done.values()) == result.report.rows_read
    m = Merger(progress=seen.append)
    seen.clear()
    m.add("euka", io.StringIO("handle\nana.b\n"))
    assert seen == [{"file": "euka.csv", "kind": "euka", "bytes_read": 13, "total_bytes": 13,
                     "rows_read": 1, "done": True}]


class Stop(Exception):
    pass


def test_an_exception_in_the_callback_reaches_the_caller():
    calls = []

    def fail(p):
        calls.append(p)
        raise Stop("from the callback")

    with pytest.raises(Stop, match="from the callback") as raised:
        merge_exports({kind: DATA / name for kind, name in KINDS.items()}, progress=fail)
    assert type(raised.value) is Stop
    assert len(calls) == 1  # later reports are skipped
    m = Merger(progress=fail)
    with pytest.raises(Stop):
        m.add("euka", io.StringIO("handle\nana.b\n"))
    # rows read before the callback raised stay merged, and the merger goes on
    assert len(m) == 1
    with pytest.raises(TypeError):
        Merger(progress="bar")
    with pytest.raises(TypeError):
        merge_exports({}, progress=3)


def long_euka(rows):
    return "handle,email\n" + "".join(f"user{i:06d},u{i}@mailbox.org\n" for i in range(rows))


def test_an_exception_in_the_callback_stops_the_import():
    rows = 3 * 65_536  # the callback is told every 65,536 rows
    calls = []

    def stop_early(p):
        calls.append(p)
        raise Stop("enough")

    m = Merger(progress=stop_early)
    with pytest.raises(Stop, match="enough"):
        m.add("euka", long_euka(rows).encode())
    assert [(c["rows_read"], c["done"]) for c in calls] == [(65_536, False)]
    # The import stopped well before the file's end.
    assert 65_536 <= len(m) < rows
    with pytest.raises(Stop):
        merge_exports({"euka": long_euka(rows).encode(), "refunnel": DATA / KINDS["refunnel"]},
                      progress=stop_early)


def test_a_callback_may_release_the_gil_and_use_threads():
    import threading

    seen = []

    def slow(p):
        t = threading.Thread(target=seen.append, args=(p["rows_read"],))
        t.start()
        t.join()

    sources = {kind: DATA / name for kind, name in KINDS.items()}
    sources["euka"] = long_euka(2 * 65_536).encode()
    result = merge_exports(sources, progress=slow)
    assert result.report.creators >= 2 * 65_536
    assert 2 * 65_536 in seen


def test_a_callback_touching_its_merger_stops_it_without_deadlock():
    calls = []

    def nosy(p):
        calls.append(p)
        len(m)  # the merger is busy importing: a RuntimeError, not a hang

    m = Merger(progress=nosy)
    with pytest.raises(RuntimeError):
        m.add("euka", io.StringIO("handle\nana.b\n"))
    assert len(calls) == 1 and len(m) == 1


def test_tqdm_asked_for_and_missing_is_an_import_error(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "tqdm", None)
    for arg in (True, "tqdm"):
        with pytest.raises(ImportError, match="need the tqdm package"):
            merge_exports({}, progress=arg)
        with pytest.raises(ImportError, match="pip install tqdm"):
            Merger(progress=arg)
    assert merge_exports({}, progress=False).report.creators == 0


def test_tqdm_bar_counts_every_byte(capsys):
    pytest.importorskip("tqdm")
    sources = {kind: DATA / name for kind, name in KINDS.items()}
    result = merge_exports(sources, progress=True)
    err = capsys.readouterr().err
    assert "merge" in err and "100%" in err
    assert result.creators.equals(merge_exports(sources, progress="tqdm").creators)
    m = Merger(progress="tqdm")
    m.add("euka", DATA / "euka.csv")
    assert "100%" in capsys.readouterr().err
