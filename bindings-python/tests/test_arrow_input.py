"""Sources given as Arrow data (pyarrow, polars, pandas) merge as the same data as CSV."""

import csv
import io
from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from creator_crm import Merger, SourceImportError, merge_exports
from test_merge import DATA, KINDS
from test_merger import same_result

# The bundled phone-number export is written in cp1252, as Excel writes it.
ENCODING = {"phone_numbers": "cp1252"}


@pytest.fixture(scope="module")
def flat(tmp_path_factory):
    """The bundled exports with line breaks inside cells written as spaces: each row's
    line is then its position plus one, in the CSV and as an Arrow row alike."""
    out = tmp_path_factory.mktemp("flat")
    for kind, name in KINDS.items():
        encoding = ENCODING.get(kind, "utf-8")
        with open(DATA / name, encoding=encoding, newline="") as f:
            rows = list(csv.reader(f))
        with open(out / name, "w", encoding=encoding, newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerows([[c.replace("\r", " ").replace("\n", " ") for c in r] for r in rows])
    return out


def read(path, kind, *, strings):
    """A bundled export read by `pyarrow.csv`: every column as text, or types inferred."""
    encoding = ENCODING.get(kind, "utf-8")
    read_options = pacsv.ReadOptions(encoding=encoding)
    if not strings:
        return pacsv.read_csv(path, read_options=read_options)
    with open(path, encoding=encoding, newline="") as f:
        header = next(csv.reader(f))
    convert = pacsv.ConvertOptions(column_types={h: pa.string() for h in header})
    return pacsv.read_csv(path, read_options=read_options, convert_options=convert)


def csv_merge(flat):
    return merge_exports({kind: flat / name for kind, name in KINDS.items()})


def arrow_sources(flat, convert, *, strings=True):
    """Each export as `{name: data}`, named as its CSV file is."""
    return {
        kind: {str(flat / name): convert(read(flat / name, kind, strings=strings))}
        for kind, name in KINDS.items()
    }


@pytest.fixture(scope="module")
def from_csv(flat):
    return csv_merge(flat)


def test_string_tables_merge_as_their_csv_files(flat, from_csv):
    result = merge_exports(arrow_sources(flat, lambda t: t))
    same_result(result, from_csv)
    report = result.report.to_dict()
    assert report["rows_rejected"] > 0
    rejected = [r for f in report["files"] for r in f["rejected"]]
    assert rejected and all(r["line"] > 1 for r in rejected)


def test_inferred_types_merge_as_their_csv_files(flat, from_csv):
    tables = arrow_sources(flat, lambda t: t, strings=False)
    types = {str(f.type) for by_name in tables.values() for t in by_name.values() for f in t.schema}
    # pyarrow.csv reads ids, counts, phones and ZIPs as integers and dates as dates.
    assert {"int64", "string"} <= types
    assert types & {"date32[day]", "timestamp[s]"}
    same_result(merge_exports(tables), from_csv)


def test_polars_frames_merge_as_their_csv_files(flat, from_csv):
    same_result(merge_exports(arrow_sources(flat, pl.from_arrow)), from_csv)
    typed = arrow_sources(flat, pl.from_arrow, strings=False)
    same_result(merge_exports(typed), from_csv)


def test_pandas_frames_merge_as_their_csv_files(flat, from_csv):
    def via_pandas(table):
        return pa.Table.from_pandas(table.to_pandas(), preserve_index=False)

    same_result(merge_exports(arrow_sources(flat, via_pandas)), from_csv)
    if hasattr(pd.DataFrame, "__arrow_c_stream__"):
        same_result(merge_exports(arrow_sources(flat, lambda t: t.to_pandas())), from_csv)


def test_readers_batches_and_streams_merge_alike(flat, from_csv):
    same_result(
        merge_exports(arrow_sources(flat, lambda t: t.to_reader(max_chunksize=37))), from_csv
    )

    def generated(table):
        # A reader fed by a Python generator: batches come one at a time.
        return pa.RecordBatchReader.from_batches(table.schema, iter(table.to_batches(50)))

    same_result(merge_exports(arrow_sources(flat, generated)), from_csv)
    # One record batch (`__arrow_c_array__`).
    batches = arrow_sources(flat, lambda t: t.combine_chunks().to_batches()[0])
    same_result(merge_exports(batches), from_csv)


def test_merger_add_takes_arrow_data_as_merge_exports_does(flat, from_csv):
    merger = Merger()
    for kind, name in KINDS.items():
        merger.add(kind, read(flat / name, kind, strings=True), name=str(flat / name))
    same_result(merger.result(), from_csv)


EUKA = "handle,email\n@Ana,ana@mailbox.org\nbad handle!,x@mailbox.org\n,\nbo,bo@mailbox.org\n"


def euka_table():
    return pacsv.read_csv(io.BytesIO(EUKA.encode()))


def test_lists_mix_paths_bytes_and_tables_and_unnamed_sources_are_numbered(flat):
    table = euka_table()
    result = merge_exports(
        {"euka": [flat / "euka.csv", table, EUKA.encode(), table.to_reader()]}
    )
    names = sorted(f["name"] for f in result.report.files)
    assert names == sorted([str(flat / "euka.csv"), "euka.csv", "euka.arrow", "euka-2.arrow"])
    merger = Merger()
    merger.add("euka", table)
    merger.add("euka", table)
    merger.add("euka", io.BytesIO(EUKA.encode()))
    assert sorted(f["name"] for f in merger.result().report.files) == [
        "euka-2.arrow",
        "euka.arrow",
        "euka.csv",
    ]
    # Named sources: a dict of name -> source; the same name twice is one file.
    named = merge_exports({"euka": {"brand_a": table, "brand_b": EUKA.encode()}})
    assert sorted(f["name"] for f in named.report.files) == ["brand_a", "brand_b"]
    tuples = merge_exports({"euka": (table, table)})
    assert tuples.report.rows_read == 2 * 3


def test_row_errors_have_the_lines_of_the_same_csv():
    from_arrow = merge_exports({"euka": {"euka.csv": euka_table()}})
    from_text = merge_exports({"euka": EUKA.encode()})
    assert from_arrow.report.to_dict() == from_text.report.to_dict()
    (file,) = from_arrow.report.files
    # The header is line 1; the blank row (line 4) is skipped, as in a CSV.
    assert file["rows_read"] == 3
    assert file["rejected"] == [{"line": 3, "field": "handle", "reason": "bad character"}]


def test_typed_values_read_as_the_text_of_a_csv_export():
    table = pa.table(
        {
            "username": ["ana", "bo"],
            "followers": pa.array([1200.0, 1e20]),
            "gmv": pa.array([Decimal("1234.56"), Decimal("-0.05")], pa.decimal128(12, 2)),
            "last_post": pa.array([19787, None], pa.date32()),
            "platform": pa.array(["TikTok", "TikTok"]).dictionary_encode(),
        }
    )
    text = (
        "username,followers,gmv,last_post,platform\n"
        "ana,1200,1234.56,2024-03-05,TikTok\n"
        "bo,100000000000000000000,-0.05,,TikTok\n"
    )
    from_arrow = merge_exports({"refunnel": {"r": table}})
    from_text = merge_exports({"refunnel": {"r": text.encode()}})
    same_result(from_arrow, from_text)
    snapshots = from_arrow.snapshots.to_pylist()
    assert [s["followers"] for s in snapshots] == [1200, None]
    assert from_arrow.report.values_dropped == 1


def test_a_known_column_of_an_unsupported_type_is_an_error_naming_it():
    table = pa.table(
        {"handle": ["ana"], "Email Address": pa.array([["ana.secret@mailbox.org"]])}
    )
    with pytest.raises(SourceImportError) as e:
        merge_exports({"euka": table})
    assert str(e.value) == "import: email: unsupported column type"
    assert (e.value.field, e.value.reason) == ("email", "unsupported column type")
    # An unknown column of such a type is ignored, as an unknown CSV header is.
    ok = pa.table({"handle": ["ana"], "tags": pa.array([["x"]])})
    assert merge_exports({"euka": ok}).report.creators == 1


def test_errors_hold_no_personal_data():
    secret = "ana.secret@mailbox.org"
    with pytest.raises(SourceImportError) as e:
        merge_exports({"euka": pa.table({"email": [secret]})})
    assert str(e.value) == "import: handle: missing required column"
    table = pa.table({"handle": ["ana", "Ana Secret!"], "email": ["ana secret at mailbox", secret]})
    report = merge_exports({"euka": table}).report.to_dict()
    assert report["rows_rejected"] == 1 and report["values_dropped"] == 1
    assert "secret" not in repr(report).lower()

    def failing():
        yield pa.record_batch({"handle": ["ana"]})
        raise ValueError(f"cannot parse {secret}")

    reader = pa.RecordBatchReader.from_batches(pa.schema([("handle", pa.string())]), failing())
    with pytest.raises(SourceImportError) as e:
        merge_exports({"euka": reader})
    assert str(e.value) == "line 3: import: cannot read batch"
    assert secret not in repr(e.value) and e.value.__cause__ is None


def test_arrow_sources_report_progress_in_rows():
    seen = []
    merge_exports({"euka": euka_table()}, progress=seen.append)
    assert seen[-1]["done"] and seen[-1]["rows_read"] == 3
    assert seen[-1]["file"] == "euka.arrow" and seen[-1]["bytes_read"] == 0


def test_a_source_of_another_type_is_a_type_error_naming_arrow_data():
    with pytest.raises(TypeError, match="Arrow data"):
        merge_exports({"euka": [42]})
    with pytest.raises(TypeError, match="names of a kind's sources must be str"):
        merge_exports({"euka": {1: euka_table()}})
