"""Analytics over a merge: conversion, top performers, trending, the dashboard.

The merge is three creators with a handful of samples and videos written inline, so every
number below can be checked by hand.
"""

import io
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import creator_crm as crm
from creator_crm import InvalidInputError

# ana: Glow Serum delivered 06-01, posts 06-20 (19 days: converts); Hydra Cream delivered
#      03-01, no video by 03-31 (does not).
# ben: Glow Serum shipped 06-10 (no delivery time), posts 07-15 (35 days: only a 35+ day
#      window converts it).
# cara: a cancelled Glow Serum (no sample); Lip Tint created 06-01 only, posts 06-01 (same
#      day: converts).
SAMPLES = """\
Order ID,SKU ID,Product Name,Quantity,Buyer Username,Order Status,Created Time,Shipped Time,Delivered Time
1001,1,Glow Serum,1,@ana,Delivered,05/28/2025 09:00:00 AM,05/29/2025 09:00:00 AM,06/01/2025 10:00:00 AM
1002,2,Hydra Cream,1,ana,Delivered,02/25/2025 09:00:00 AM,02/26/2025 09:00:00 AM,03/01/2025 10:00:00 AM
1003,1,Glow Serum,1,ben,Shipped,06/08/2025 09:00:00 AM,06/10/2025 09:00:00 AM,
1004,1,Glow Serum,1,cara,Cancelled,06/01/2025 09:00:00 AM,,
1005,3,Lip Tint,1,cara,Awaiting shipment,06/01/2025 08:00:00 AM,,
"""
VIDEOS = """\
Video name,Video link,Video post date,Creator username,GMV,Affiliate items sold,Affiliate orders
a1,https://www.tiktok.com/@ana/video/7300000000000000001,2025-06-20,ana,$100.00,5,4
a2,https://www.tiktok.com/@ana/video/7300000000000000002,2025-06-25,ana,$50.50,2,2
b1,https://www.tiktok.com/@ben/video/7300000000000000003,2025-07-15,ben,$300.00,3,3
c1,https://www.tiktok.com/@cara/video/7300000000000000004,2025-06-01,cara,$20.00,1,1
b0,https://www.tiktok.com/@ben/video/7300000000000000005,2025-05-10,ben,$80.00,4,2
"""
JUNE = (date(2025, 6, 1), date(2025, 7, 1))
MAY = (date(2025, 5, 1), date(2025, 6, 1))


@pytest.fixture(scope="module")
def result():
    return crm.merge_exports(
        {"sample_orders": io.StringIO(SAMPLES), "videos": io.StringIO(VIDEOS)}
    )


def names(table_name):
    return [c["name"] for c in crm.table_columns(table_name)]


def test_sample_conversion_per_creator_by_hand(result):
    table = crm.sample_conversion(result)
    assert table.column_names == ["tiktok_username", "samples", "converted", "rate"]
    assert table.schema.field("rate").type == pa.float64()
    assert table.schema.field("samples").type == pa.uint64()
    assert table.to_pylist() == [
        {"tiktok_username": "ana", "samples": 2, "converted": 1, "rate": 0.5},
        {"tiktok_username": "ben", "samples": 1, "converted": 0, "rate": 0.0},
        {"tiktok_username": "cara", "samples": 1, "converted": 1, "rate": 1.0},
    ]


def test_the_window_is_a_parameter(result):
    rows = crm.sample_conversion(result, within_days=35).to_pylist()
    assert [(r["tiktok_username"], r["converted"]) for r in rows] == [
        ("ana", 1), ("ben", 1), ("cara", 1),
    ]
    rows = crm.sample_conversion(result, within_days=34).to_pylist()
    assert rows[1] == {"tiktok_username": "ben", "samples": 1, "converted": 0, "rate": 0.0}


def test_sample_conversion_by_product_by_hand(result):
    table = crm.sample_conversion_by_product(result)
    assert table.column_names == names("sample_conversion_by_product")
    assert table.to_pylist() == [
        {"product_name": "Glow Serum", "samples": 2, "converted": 1, "rate": 0.5,
         "creators": 2, "converted_creators": 1},
        {"product_name": "Hydra Cream", "samples": 1, "converted": 0, "rate": 0.0,
         "creators": 1, "converted_creators": 0},
        {"product_name": "Lip Tint", "samples": 1, "converted": 1, "rate": 1.0,
         "creators": 1, "converted_creators": 1},
    ]


def test_sample_conversion_overall_by_hand(result):
    overall = crm.sample_conversion_overall(result)
    assert list(overall) == names("sample_conversion_overall")
    assert overall == {
        "within_days": 30, "samples": 4, "converted": 2, "rate": 0.5, "undated": 0,
        "cancelled": 1, "creators": 3, "converted_creators": 2, "creator_rate": 2 / 3,
    }
    assert crm.sample_conversion_overall(result, within_days=35)["converted"] == 3


def test_top_performers_in_june(result):
    table = crm.top_performers(result, JUNE)
    assert table.column_names == names("top_performers")
    assert table.schema.field("gmv").type == pa.decimal128(38, 4)
    assert table.to_pylist() == [
        {"rank": 1, "tiktok_username": "ana", "gmv": Decimal("150.50"), "items_sold": 7,
         "orders": 6, "videos": 2},
        {"rank": 2, "tiktok_username": "cara", "gmv": Decimal("20.00"), "items_sold": 1,
         "orders": 1, "videos": 1},
    ]
    one = crm.top_performers(result, ("2025-06-01", "2025-07-01"), metric="orders", limit=1)
    assert one.column("tiktok_username").to_pylist() == ["ana"]


def test_trending_from_may_to_june(result):
    rows = crm.trending(result, MAY, JUNE).to_pylist()
    assert [(r["tiktok_username"], r["previous"], r["current"], r["change"], r["growth"])
            for r in rows] == [
        ("ana", Decimal(0), Decimal("150.50"), Decimal("150.50"), None),
        ("cara", Decimal(0), Decimal("20"), Decimal("20"), None),
        ("ben", Decimal("80"), Decimal(0), Decimal("-80"), -1.0),
    ]
    items = crm.trending(result, MAY, JUNE, metric="items_sold").to_pylist()
    assert {r["tiktok_username"]: r["change"] for r in items} == {
        "ana": Decimal(7), "cara": Decimal(1), "ben": Decimal(-4),
    }


def test_video_and_product_performance(result):
    videos = crm.video_performance(result)
    assert videos.column_names == names("video_performance")
    by = {r["tiktok_username"]: r for r in videos.to_pylist()}
    assert by["ben"]["videos"] == 2 and by["ben"]["gmv"] == Decimal("380")
    assert by["ana"]["gmv_per_video"] == Decimal("75.25")
    products = crm.product_performance(result)
    assert products.column_names == names("product_performance")
    assert products.num_rows == 0  # no products export, no video-product links


def test_dashboard_has_every_table_from_cores_rows(result):
    d = crm.dashboard(result, JUNE)
    # The previous period defaults to the 30 days right before June.
    assert d.period == JUNE
    assert d.previous == (date(2025, 5, 2), date(2025, 6, 1))
    assert d.top_by_gmv.equals(crm.top_performers(result, JUNE))
    assert d.top_by_orders.equals(crm.top_performers(result, JUNE, metric="orders"))
    assert d.top_by_items_sold.equals(crm.top_performers(result, JUNE, metric="items_sold"))
    assert d.trending.equals(crm.trending(result, d.previous, JUNE))
    assert d.videos_by_creator.equals(crm.video_performance(result))
    assert d.products.equals(crm.product_performance(result))
    assert d.conversion_by_creator.equals(crm.sample_conversion(result))
    assert d.conversion_by_product.equals(crm.sample_conversion_by_product(result))
    assert d.conversion_overall == crm.sample_conversion_overall(result)
    for table, name in [
        (d.top_by_gmv, "top_performers"), (d.trending, "trending"),
        (d.videos_by_creator, "video_performance"), (d.products, "product_performance"),
        (d.conversion_by_creator, "sample_conversion"),
        (d.conversion_by_product, "sample_conversion_by_product"),
    ]:
        assert table.column_names == names(name)


def test_dashboard_options(result):
    d = crm.dashboard(result, JUNE, previous=MAY, top=1, within_days=35)
    assert d.previous == MAY
    assert d.top_by_gmv.column("tiktok_username").to_pylist() == ["ana"]
    assert d.conversion_overall["converted"] == 3
    assert d.conversion_overall["within_days"] == 35


def test_a_table_round_trips_through_parquet(result, tmp_path):
    table = crm.dashboard(result, JUNE).top_by_gmv
    path = tmp_path / "top.parquet"
    pq.write_table(table, path)
    back = pq.read_table(path)
    assert back.equals(table)
    assert back.to_pylist()[0]["gmv"] == Decimal("150.50")


def test_bad_periods_and_metrics_raise_invalid_input(result):
    with pytest.raises(InvalidInputError, match="period") as e:
        crm.top_performers(result, (date(2025, 7, 1), date(2025, 6, 1)))
    assert e.value.field == "period"
    with pytest.raises(InvalidInputError) as e:
        crm.top_performers(result, (date(2025, 6, 1),))  # type: ignore[arg-type]
    assert e.value.field == "period"
    with pytest.raises(InvalidInputError) as e:
        crm.trending(result, MAY, ("June", "July"))
    assert e.value.field == "current"
    with pytest.raises(InvalidInputError, match="metric") as e:
        crm.top_performers(result, JUNE, metric="likes")  # type: ignore[arg-type]
    assert e.value.field == "metric"
    with pytest.raises(InvalidInputError) as e:
        crm.dashboard(result, JUNE, previous=(date(2025, 5, 2), date(2025, 5, 1)))
    assert e.value.field == "period"


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda r: crm.sample_conversion(r, within_days=-1), "within_days"),
        (lambda r: crm.sample_conversion_by_product(r, within_days=-1), "within_days"),
        (lambda r: crm.sample_conversion_overall(r, within_days=-1), "within_days"),
        (lambda r: crm.top_performers(r, JUNE, limit=-1), "limit"),
        (lambda r: crm.dashboard(r, JUNE, top=-1), "top"),
        (lambda r: crm.dashboard(r, JUNE, within_days=-30), "within_days"),
    ],
)
def test_negative_counts_raise_invalid_input(result, call, field):
    with pytest.raises(InvalidInputError, match="at least 0") as e:
        call(result)
    assert e.value.field == field


def test_analytics_tables_are_listed_by_table_columns():
    cols = crm.table_columns("sample_conversion")
    assert [(c["name"], c["type"]) for c in cols] == [
        ("tiktok_username", "text"), ("samples", "uint64"), ("converted", "uint64"),
        ("rate", "float64"),
    ]


# --- CSV export -------------------------------------------------------------------------

DASHBOARD_TABLES = [
    "top_by_gmv",
    "top_by_items_sold",
    "top_by_orders",
    "trending",
    "videos_by_creator",
    "products",
    "conversion_by_creator",
    "conversion_by_product",
    "conversion_overall",
]


def test_dashboard_tables_as_csv_by_hand(result):
    d = crm.dashboard(result, JUNE)
    assert d.to_csv("conversion_by_product").splitlines() == [
        ",".join(names("sample_conversion_by_product")),
        "Glow Serum,2,1,0.5,2,1",
        "Hydra Cream,1,0,0,1,0",
        "Lip Tint,1,1,1,1,1",
    ]
    assert d.to_csv("conversion_overall").splitlines() == [
        ",".join(names("sample_conversion_overall")),
        "30,4,2,0.5,0,1,3,2,0.6666666666666666",
    ]
    assert d.to_csv("top_by_gmv").splitlines() == [
        ",".join(names("top_performers")),
        "1,ana,150.50,7,6,2",
        "2,cara,20.00,1,1,1",
    ]
    # Numbers the library formats are written as they are, a negative change included.
    assert d.to_csv("trending").splitlines()[-1] == "ben,gmv,80.00,0,-80.00,-1,1,0"


def test_dashboard_write_csv_writes_every_table(result, tmp_path):
    d = crm.dashboard(result, JUNE)
    written = d.write_csv(tmp_path / "dashboard")
    assert list(written) == DASHBOARD_TABLES
    for name, path in written.items():
        assert path == tmp_path / "dashboard" / f"{name}.csv"
        assert path.read_text(encoding="utf-8") == d.to_csv(name)


def test_csv_cells_a_spreadsheet_would_run_are_escaped(tmp_path):
    samples = (
        "Order ID,SKU ID,Product Name,Quantity,Buyer Username,Order Status,Created Time\n"
        '2001,-1,"=HYPERLINK(""http://x"")",1,ana,Delivered,05/28/2025 09:00:00 AM\n'
    )
    r = crm.merge_exports({"sample_orders": io.StringIO(samples)})
    text = r.to_csv("samples")
    row = text.splitlines()[1]
    assert row.startswith("2001,'-1,ana,\"'=HYPERLINK(\"\"http://x\"\")\",")
    d = crm.dashboard(r, JUNE)
    assert d.to_csv("conversion_by_product").splitlines()[1].startswith(
        "\"'=HYPERLINK(\"\"http://x\"\")\",1,"
    )


def test_merge_result_to_csv_text_and_file(result, tmp_path):
    text = result.to_csv()
    assert text.splitlines()[0] == ",".join(names("creators"))
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["ana", "ben", "cara"]
    path = tmp_path / "creators.csv"
    assert result.to_csv(path=path) is None
    assert path.read_text(encoding="utf-8") == text
    assert result.to_csv("videos", str(tmp_path / "videos.csv")) is None
    assert (tmp_path / "videos.csv").read_text(encoding="utf-8").count("\n") == 6
    for table in ["samples", "video_products", "snapshots", "brand_links", "products",
                  "conflicts", "files", "rejected"]:
        assert result.to_csv(table).splitlines()[0] == ",".join(names(table))


def test_csv_of_an_unknown_table_is_an_error_naming_the_field(result, tmp_path):
    with pytest.raises(InvalidInputError) as e:
        result.to_csv("creator")
    assert e.value.field == "table"
    with pytest.raises(InvalidInputError) as e:
        crm.dashboard(result, JUNE).to_csv("top")
    assert e.value.field == "table"
    with pytest.raises(FileNotFoundError):
        result.to_csv(path=tmp_path / "missing" / "creators.csv")
