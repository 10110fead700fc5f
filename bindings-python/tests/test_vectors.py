"""The shared vectors `tests/vectors/identity.json`, also run by every other binding."""

import pytest

import creator_crm as crm
from conftest import load_vectors

VECTORS = load_vectors("identity")


def _ids(cases):
    return [repr(case["input"]) for case in cases]


def _check(case, call, compare):
    if "error" in case:
        with pytest.raises(crm.CrmError) as info:
            call()
        assert info.value.code == case["error"]
        assert info.value.field == case.get("field")
    else:
        compare(call(), case["output"])


def _eq(actual, expected):
    assert actual == expected


@pytest.mark.parametrize("case", VECTORS["handle"], ids=_ids(VECTORS["handle"]))
def test_handle(case):
    _check(case, lambda: crm.normalize_handle(case["input"]), _eq)


@pytest.mark.parametrize("case", VECTORS["email"], ids=_ids(VECTORS["email"]))
def test_email(case):
    _check(case, lambda: crm.normalize_email(case["input"]), _eq)


@pytest.mark.parametrize("case", VECTORS["repair_text"], ids=_ids(VECTORS["repair_text"]))
def test_repair_text(case):
    _check(case, lambda: crm.repair_text(case["input"]), _eq)


def _phone_matches(phone, expected):
    actual = {
        "kind": phone.kind,
        "e164": phone.e164,
        "country_code": phone.country_code,
        "extension": phone.extension,
        "masked_prefix": phone.masked_prefix,
        "masked_suffix": phone.masked_suffix,
        "national_length": phone.national_length,
    }
    assert {key: actual[key] for key in expected} == expected


@pytest.mark.parametrize("case", VECTORS["phone"], ids=_ids(VECTORS["phone"]))
def test_phone(case):
    region = case.get("region", "US")
    _check(case, lambda: crm.parse_phone(case["input"], region), _phone_matches)


def test_batch_agrees_with_the_vectors():
    cases = [c for c in VECTORS["phone"] if c.get("region", "US") == "US"]
    results = crm.parse_phones([c["input"] for c in cases])
    for case, result in zip(cases, results):
        if "error" in case:
            assert isinstance(result, crm.CrmError) and result.code == case["error"]
        else:
            _phone_matches(result, case["output"])
