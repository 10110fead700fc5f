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
COLUMNS = [c["name"] for c in creator_crm.table_columns("creators")]
RELATED = [
    "samples", "videos", "video_products", "snapshots", "brand_links", "products", "conflicts",
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


def test_every_table_has_cores_columns_with_their_types(sample):
    pa = pytest.importorskip("pyarrow")
    arrow = {
        "text": pa.string(), "bool": pa.bool_(), "uint64": pa.uint64(), "date": pa.date32(),
        "datetime": pa.timestamp("us", tz="UTC"), "text_list": pa.list_(pa.string()),
    }
    assert COLUMNS[:3] == ["tiktok_username", "email", "phone"]
    assert {"phone_verified", "phone_mask_confirmed", "sources", "alternates"} <= set(COLUMNS)
    for name in ["creators", *RELATED]:
        table = getattr(sample, name)
        columns = creator_crm.table_columns(name)
        assert table.column_names == [c["name"] for c in columns], name
        assert table.num_rows > 0 or name == "brand_links", name  # brands come with Merger.add
        for column, field in zip(columns, table.schema):
            assert field.nullable == column["nullable"], (name, field.name)
            if column["type"] == "decimal":
                assert pa.types.is_decimal(field.type) and field.type.precision == 38
            else:
                assert field.type == arrow[column["type"]], (name, field.name)
        if name not in ("creators", "video_products", "products"):
            assert "tiktok_username" in table.column_names, name
    assert sample.report.samples == sample.samples.num_rows
    assert sample.report.videos == sample.videos.num_rows
    with pytest.raises(InvalidInputError):
        creator_crm.table_columns("nope")


def test_each_table_is_built_once(sample):
    for name in ["creators", *RELATED]:
        assert getattr(sample, name) is getattr(sample, name), name


def test_related_rows_belong_to_merged_creators(sample):
    handles = set(sample.creators.column("tiktok_username").to_pylist())
    for name in ["samples", "videos", "snapshots"]:
        assert set(getattr(sample, name).column("tiktok_username").to_pylist()) <= handles, name
    video_ids = set(sample.videos.column("video_id").to_pylist())
    assert set(sample.video_products.column("video_id").to_pylist()) <= video_ids


def test_related_records_can_be_left_out(sample):
    lean = merge_exports({kind: DATA / name for kind, name in KINDS.items()}, related_records=False)
    assert lean.creators.equals(sample.creators)
    assert lean.report.to_dict() == sample.report.to_dict()
    assert lean.conflicts.equals(sample.conflicts)
    assert all(getattr(lean, name).num_rows == 0 for name in RELATED if name != "conflicts")
    assert lean.samples.column_names == sample.samples.column_names


def test_report_is_cores_report_definition(sample):
    report = sample.report
    d = report.to_dict()
    names = [c["name"] for c in creator_crm.table_columns("report")]
    assert list(d) == names + ["files"]
    for name in names:
        assert getattr(report, name) == d[name], name
    assert report.phone_masks_confirmed == report.masked_phones_upgraded > 0
    assert report.conflicts_by_field and sum(report.conflicts_by_field.values()) == report.conflicts
    file_columns = [c["name"] for c in creator_crm.table_columns("files")]
    assert [list(f) for f in d["files"]] == [file_columns + ["rejected"]] * len(KINDS)
    assert report.files == d["files"]
    rejected = [r for f in d["files"] for r in f["rejected"]]
    assert rejected and all(set(r) == {"line", "field", "reason"} for r in rejected)


def test_to_pylist_gives_dicts_with_decimal_money(sample):
    rows = sample.to_pylist()
    assert set(rows[0]) == set(COLUMNS)
    assert all(isinstance(r["total_gmv"], Decimal) for r in rows)
    assert all(r["outreach_status"] == "pending" for r in rows)
    assert all(r["phone_verified"] == (r["phone"] is not None) for r in rows)
    confirmed = [r for r in rows if r["phone_mask_confirmed"]]
    assert confirmed and all(r["phone_verified"] for r in confirmed)
    assert all(isinstance(r["sources"], list) and r["sources"] for r in rows)


def test_file_objects_text_and_binary():
    euka = io.StringIO("handle,email,phone\n@Ana.B,Ana@Mailbox.org,(+1)832*****59\nx,,\n")
    phones = io.BytesIO("Username,Phone #\nana.b,(+1)8325550159\n".encode("cp1252"))
    result = merge_exports({"euka": euka, "phone_numbers": phones})
    [ana] = result.to_pylist()
    assert ana["tiktok_username"] == "ana.b"
    assert ana["email"] == "ana@mailbox.org"
    assert ana["phone"] == "+18325550159" and ana["phone_verified"] is True
    assert ana["phone_mask_confirmed"] is True and ana["sources"] == ["euka", "phone_numbers"]
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
