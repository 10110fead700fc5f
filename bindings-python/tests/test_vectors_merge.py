"""The shared vectors `tests/vectors/merge.json` and `privacy.json`, also run by every other binding."""

import io
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

import creator_crm as crm
from conftest import load_vectors

MERGE = load_vectors("merge")
PRIVACY = load_vectors("privacy")
RELATED = [
    "samples", "videos", "video_products", "snapshots", "brand_links", "products", "conflicts",
]
TABLE_NAMES = {"report": "report", "report_files": "files", "report_rejected": "rejected"}


def test_the_vectors_are_all_there():
    # As the Rust runners require: an emptied file must not pass.
    assert len(MERGE["cases"]) >= 10
    assert len(PRIVACY["sanitize_json"]) >= 5 and len(PRIVACY["redact_text"]) >= 5
    assert set(MERGE["tables"]) == {"creators", *RELATED, *TABLE_NAMES}


@pytest.mark.parametrize("name", ["creators", *RELATED])
def test_arrow_schemas_have_cores_column_names(name):
    # An empty merge still has every table with every column, named as core names them.
    table = getattr(crm.Merger().result(), name)
    assert table.schema.names == [c["name"] for c in MERGE["tables"][name]]
    assert [f.nullable for f in table.schema] == [c["nullable"] for c in MERGE["tables"][name]]


def _ids(cases):
    return [case["name"] for case in cases]


@pytest.mark.parametrize("name", sorted(MERGE["tables"]))
def test_tables_are_the_vectors_tables(name):
    columns = crm.table_columns(TABLE_NAMES.get(name, name))
    assert [{k: c[k] for k in ("name", "type", "nullable")} for c in columns] == MERGE["tables"][name]


def _cell(value, column_type):
    """An Arrow cell (from `to_pylist()`) in the vectors' JSON form."""
    if value is None:
        return None
    if column_type == "decimal":
        return Decimal(value)
    if column_type == "datetime":
        assert isinstance(value, datetime) and value.utcoffset().total_seconds() == 0
        text = value.astimezone(timezone.utc).replace(tzinfo=None).isoformat()
        return text + "Z"
    if column_type == "date":
        assert isinstance(value, date)
        return value.isoformat()
    return value


def _expected_cell(value, column_type):
    return Decimal(value) if column_type == "decimal" and value is not None else value


def _check_result(result, expected):
    for name in ["creators", *RELATED]:
        types = {c["name"]: c["type"] for c in MERGE["tables"][name]}
        table = getattr(result, name)
        assert table.column_names == list(types), name
        actual = [{k: _cell(v, types[k]) for k, v in row.items()} for row in table.to_pylist()]
        wanted = [{k: _expected_cell(v, types[k]) for k, v in row.items()} for row in expected[name]]
        assert actual == wanted, name
    assert result.report.to_dict() == expected["report"]


@pytest.mark.parametrize("case", MERGE["cases"], ids=_ids(MERGE["cases"]))
def test_merge_case(case):
    region = case.get("region", "US")
    priorities = case.get("priorities")
    merger = crm.Merger(default_region=region, priorities=priorities)
    for source in case["sources"]:
        merger.add(source["kind"], io.StringIO(source["csv"]), name=f"{source['kind']}.csv")
    _check_result(merger.result(), case["expected"])
    kinds = [s["kind"] for s in case["sources"]]
    if len(set(kinds)) == len(kinds):
        # One file per kind: merge_exports (files read at once, on threads) agrees.
        at_once = crm.merge_exports(
            {s["kind"]: io.StringIO(s["csv"]) for s in case["sources"]},
            default_region=region,
            priorities=priorities,
        )
        _check_result(at_once, case["expected"])


@pytest.mark.parametrize("case", PRIVACY["sanitize_json"], ids=_ids(PRIVACY["sanitize_json"]))
def test_sanitize_json_case(case):
    value, removed = crm.sanitize_json_report(case["input"])
    assert value == case["output"]
    assert removed == case["removed"]
    assert crm.sanitize_json(case["input"]) == case["output"]


@pytest.mark.parametrize("case", PRIVACY["redact_text"], ids=_ids(PRIVACY["redact_text"]))
def test_redact_text_case(case):
    redacted = crm.redact_text(case["input"])
    assert redacted.text == case["output"]
    assert [f.kind for f in redacted.found] == case["found"]
