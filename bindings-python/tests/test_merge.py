"""merge_exports: paths and file objects in, an Arrow creator table and a report out."""

import io
from decimal import Decimal
from pathlib import Path

import pytest

import creator_crm
from creator_crm import InvalidInputError, SourceImportError, merge_exports

DATA = Path(__file__).resolve().parents[2] / "examples" / "demo" / "data"
KINDS = {
    "sample_orders": "sample_orders.csv",
    "euka": "euka.csv",
    "phone_numbers": "phone_numbers.csv",
    "refunnel": "refunnel.csv",
    "videos": "videos.csv",
    "products": "products.csv",
}
COLUMNS = [
    "tiktok_username", "email", "phone", "phone_masked", "phone_verified", "first_name",
    "last_name", "address_line1", "address_line2", "city", "state", "zipcode", "country",
    "follower_count", "total_gmv", "outreach_status", "sources", "alternates",
]


@pytest.fixture(scope="module")
def sample():
    return merge_exports({kind: DATA / name for kind, name in KINDS.items()})


def test_sample_data_merges_into_an_arrow_table(sample):
    table = sample.creators
    assert table.column_names == COLUMNS
    assert table.num_rows == sample.report.creators == len(sample)
    r = sample.report
    assert r.rows_read > 3000 and r.rows_rejected > 0
    assert r.masked_phones_upgraded > 0 and r.conflicts > 0
    handles = table.column("tiktok_username").to_pylist()
    assert handles == sorted(handles)
    d = r.to_dict()
    assert d["creators"] == r.creators
    assert {Path(f["name"]).name for f in d["files"]} == set(KINDS.values())


def test_to_pylist_gives_dicts_with_decimal_money(sample):
    rows = sample.to_pylist()
    assert set(rows[0]) == set(COLUMNS)
    assert all(isinstance(r["total_gmv"], Decimal) for r in rows)
    assert all(r["outreach_status"] == "pending" for r in rows)
    verified = [r for r in rows if r["phone_verified"]]
    assert verified and all(r["phone"].startswith("+") for r in verified)


def test_file_objects_text_and_binary():
    euka = io.StringIO("handle,email,phone\n@Ana.B,Ana@Mailbox.org,(+1)832*****59\nx,,\n")
    phones = io.BytesIO("Username,Phone #\nana.b,(+1)8325550159\n".encode("cp1252"))
    result = merge_exports({"euka": euka, "phone_numbers": phones})
    [ana] = result.to_pylist()
    assert ana["tiktok_username"] == "ana.b"
    assert ana["email"] == "ana@mailbox.org"
    assert ana["phone"] == "+18325550159" and ana["phone_verified"] is True
    assert result.report.rows_rejected == 1
    assert result.report.masked_phones_upgraded == 1


def test_pandas_and_polars_round_trip(sample):
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    df = sample.creators.to_pandas()
    assert isinstance(df, pd.DataFrame) and list(df.columns) == COLUMNS
    assert df["zipcode"].str.len().isin([0, 5, 10]).all()
    pdf = pl.from_arrow(sample.creators)
    assert pdf.height == sample.report.creators
    assert pdf["total_gmv"].dtype == pl.Decimal(38, 4)


def test_errors_are_typed():
    with pytest.raises(InvalidInputError):
        merge_exports({"nope": io.StringIO("a\n")})
    with pytest.raises(InvalidInputError):
        merge_exports({"euka": io.StringIO("handle\nana\n")}, default_region="XX")
    with pytest.raises(SourceImportError) as e:
        merge_exports({"euka": io.StringIO("email\nx@mailbox.org\n")})
    assert e.value.code == "import" and "x@mailbox.org" not in str(e.value)
    with pytest.raises(TypeError):
        merge_exports({"euka": 42})


def test_report_repr_has_no_personal_data():
    result = merge_exports({"euka": io.StringIO("handle,email\nsecret.person,secret@mailbox.org\n")})
    assert "secret" not in repr(result.report) and "secret" not in repr(result)
    assert isinstance(result.report, creator_crm.MergeReport)
