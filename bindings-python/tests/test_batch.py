"""Batch calls: any iterable or Arrow data in, one entry per value out, no raise per value."""

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import creator_crm as crm

RAWS = ["(+1)3159212129", "call me", None, "(+1)832*****59"]


def _check_phones(results):
    assert len(results) == 4
    full, bad, missing, masked = results
    assert isinstance(full, crm.Phone) and full.e164 == "+13159212129"
    assert isinstance(bad, crm.InvalidInputError)
    assert (bad.code, bad.field, bad.reason) == ("invalid_input", "phone", "contains letters")
    assert missing is None
    assert isinstance(masked, crm.Phone) and masked.kind == "masked"


@pytest.mark.parametrize(
    "make",
    [
        list,
        tuple,
        lambda v: (x for x in v),
        pd.Series,
        lambda v: pd.Series(v, dtype="string[pyarrow]"),
        pa.array,
        lambda v: pa.array(v, pa.large_string()),
        lambda v: pa.array(v, pa.string_view()),
        lambda v: pa.chunked_array([v[:2], v[2:]]),
        pl.Series,
    ],
    ids=[
        "list",
        "tuple",
        "generator",
        "pandas",
        "pandas-arrow",
        "pyarrow",
        "pyarrow-large",
        "pyarrow-view",
        "pyarrow-chunked",
        "polars",
    ],
)
def test_parse_phones_accepts_iterables_and_arrow(make):
    _check_phones(crm.parse_phones(make(RAWS)))


def test_parse_phones_matches_parse_phone():
    raws = ["+1 650-253-0000", "415 555 0123", "***-***-1234", "", "x"]
    for raw, result in zip(raws, crm.parse_phones(raws)):
        try:
            expected = crm.parse_phone(raw)
        except crm.InvalidInputError as err:
            assert type(result) is type(err) and str(result) == str(err)
        else:
            assert result == expected


def test_parse_phones_region_applies_to_all():
    assert [p.e164 for p in crm.parse_phones(["020 7946 0958"], default_region="GB")] == [
        "+442079460958"
    ]
    with pytest.raises(crm.InvalidInputError):
        crm.parse_phones(["1"], default_region="nowhere")


def test_pandas_nan_is_missing():
    assert crm.repair_texts(pd.Series(["a", float("nan")])) == ["a", None]


def test_arrow_null_array_is_all_missing():
    assert crm.normalize_handles(pa.nulls(2)) == [None, None]


def test_non_string_values_raise_type_error():
    with pytest.raises(TypeError, match="expected str or None, got int"):
        crm.parse_phones(["+1 650-253-0000", 5])
    with pytest.raises(TypeError, match="Arrow string array"):
        crm.parse_phones(pa.array([1, 2]))


def test_empty_input():
    assert crm.parse_phones([]) == []
    assert crm.parse_phones(pa.array([], pa.string())) == []


def test_normalize_handles_and_emails():
    handles = crm.normalize_handles(["@Ab.cd", "a", None])
    assert handles[0] == "ab.cd"
    assert isinstance(handles[1], crm.InvalidInputError) and handles[1].field == "handle"
    assert handles[2] is None

    emails = crm.normalize_emails(pl.Series(["A@B.co", "n/a", "bad", None]))
    assert emails[:2] == ["a@b.co", None]
    assert isinstance(emails[2], crm.InvalidInputError) and emails[2].field == "email"
    assert emails[3] is None


def test_repair_texts():
    assert crm.repair_texts(["JosÃ© MartÃ\xadnez", None, "plain"]) == [
        "José Martínez",
        None,
        "plain",
    ]


def test_parse_phones_table():
    table = crm.parse_phones_table(pa.array(RAWS))
    assert isinstance(table, pa.Table)
    assert table.schema == pa.schema(
        [
            ("kind", pa.string()),
            ("e164", pa.string()),
            ("country_code", pa.uint16()),
            ("extension", pa.string()),
            ("masked_prefix", pa.string()),
            ("masked_suffix", pa.string()),
            ("national_length", pa.uint32()),
            ("error_code", pa.string()),
            ("error_field", pa.string()),
            ("error_reason", pa.string()),
        ]
    )
    rows = table.to_pylist()
    assert rows[0] | {} == {
        "kind": "e164",
        "e164": "+13159212129",
        "country_code": 1,
        "extension": None,
        "masked_prefix": None,
        "masked_suffix": None,
        "national_length": None,
        "error_code": None,
        "error_field": None,
        "error_reason": None,
    }
    assert (rows[1]["kind"], rows[1]["error_code"], rows[1]["error_field"], rows[1]["error_reason"]) == (
        None,
        "invalid_input",
        "phone",
        "contains letters",
    )
    assert set(rows[2].values()) == {None}
    assert (rows[3]["kind"], rows[3]["masked_prefix"], rows[3]["masked_suffix"], rows[3]["national_length"]) == (
        "masked",
        "832",
        "59",
        10,
    )


def test_parse_phones_table_agrees_with_parse_phones():
    raws = ["+1 650-253-0000", "***-***-1234", "", None, "415 555 0123 x12"]
    rows = crm.parse_phones_table(raws).to_pylist()
    for row, result in zip(rows, crm.parse_phones(raws)):
        if result is None:
            assert set(row.values()) == {None}
        elif isinstance(result, crm.CrmError):
            assert (row["error_code"], row["error_reason"]) == (result.code, result.reason)
        else:
            assert (row["kind"], row["e164"], row["extension"]) == (
                result.kind,
                result.e164,
                result.extension,
            )


def test_parse_phones_table_works_with_pandas_and_polars():
    frame = pd.DataFrame({"phone": RAWS})
    parsed = crm.parse_phones_table(frame["phone"]).to_pandas()
    assert list(parsed["e164"][:1]) == ["+13159212129"]
    assert pl.from_arrow(crm.parse_phones_table(pl.Series(RAWS)))["kind"].to_list() == [
        "e164",
        None,
        None,
        "masked",
    ]
