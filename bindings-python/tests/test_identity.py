"""identity: handles, phones, emails and text repair through the Python API."""

import pytest

import creator_crm as crm


@pytest.mark.parametrize(
    ("raw", "e164", "country_code", "extension"),
    [
        ("(+1)3159212129", "+13159212129", 1, None),
        ("+1 650-253-0000", "+16502530000", 1, None),
        ("00 33 1 42 76 49 78", "+33142764978", 33, None),
        ("+33142764978", "+33142764978", 33, None),
        ("650.253.0000 ext. 5", "+16502530000", 1, "5"),
    ],
)
def test_parse_phone_full_numbers(raw, e164, country_code, extension):
    phone = crm.parse_phone(raw)
    assert phone.kind == "e164"
    assert (phone.e164, phone.country_code, phone.extension) == (e164, country_code, extension)
    assert (phone.masked_prefix, phone.masked_suffix, phone.national_length) == (None, None, None)


def test_parse_phone_with_another_default_region():
    phone = crm.parse_phone("020 7946 0958", default_region="GB")
    assert (phone.e164, phone.country_code) == ("+442079460958", 44)
    assert crm.parse_phone("020 7946 0958", "gb") == phone


@pytest.mark.parametrize(
    ("raw", "prefix", "suffix", "length"),
    [
        ("(+1)832*****59", "832", "59", 10),
        ("***-***-1234", "", "1234", 10),
        ("+1 415-555-****", "415555", "", 10),
    ],
)
def test_parse_phone_detects_masks(raw, prefix, suffix, length):
    phone = crm.parse_phone(raw)
    assert phone.kind == "masked"
    assert phone.e164 is None
    assert phone.country_code == 1
    assert (phone.masked_prefix, phone.masked_suffix, phone.national_length) == (
        prefix,
        suffix,
        length,
    )


def test_masked_phone_is_consistent_with_a_fitting_full_number():
    mask = crm.parse_phone("(+1)832*****59")
    assert mask.is_consistent_with(crm.parse_phone("+1 832 555 0159"))
    assert not mask.is_consistent_with(crm.parse_phone("+1 832 555 0158"))
    full = crm.parse_phone("+1 832 555 0159")
    assert not full.is_consistent_with(mask)


def test_phone_repr_hides_the_digits():
    phone = crm.parse_phone("(+1)3159212129")
    assert repr(phone) == "Phone(kind='e164', country_code=1, <redacted>)"
    assert "3159" not in repr(crm.parse_phone("(+1)315*****29"))


def test_phones_compare_and_hash_by_value():
    a = crm.parse_phone("(+1)3159212129")
    b = crm.parse_phone("315-921-2129")
    assert a == b
    assert len({a, b}) == 1
    assert a != crm.parse_phone("(+1)315*****29")


@pytest.mark.parametrize("raw", ["", "call me", "12"])
def test_parse_phone_rejects_unusable_input(raw):
    with pytest.raises(crm.InvalidInputError) as info:
        crm.parse_phone(raw)
    assert info.value.field == "phone"


@pytest.mark.parametrize(
    ("raw", "handle"),
    [
        ("@Some.Creator", "some.creator"),
        ("  some_creator ", "some_creator"),
        ("https://www.tiktok.com/@Some.Creator?lang=en", "some.creator"),
    ],
)
def test_normalize_handle(raw, handle):
    assert crm.normalize_handle(raw) == handle


@pytest.mark.parametrize("raw", ["", "a", "ends.with.dot.", "has space", "x" * 25])
def test_normalize_handle_rejects_invalid(raw):
    with pytest.raises(crm.InvalidInputError) as info:
        crm.normalize_handle(raw)
    assert info.value.field == "handle"


def test_normalize_email():
    assert crm.normalize_email("  Jane.Doe@Mail-Host.COM ") == "jane.doe@mail-host.com"
    for placeholder in ["n/a", "none", "-", "test@test.com", "noreply@example.com", ""]:
        assert crm.normalize_email(placeholder) is None, placeholder
    with pytest.raises(crm.InvalidInputError) as info:
        crm.normalize_email("not-an-email")
    assert info.value.field == "email"


def test_repair_text():
    assert crm.repair_text("JosÃ© MartÃ\xadnez") == "José Martínez"
    assert crm.repair_text("José Martínez") == "José Martínez"
    assert crm.repair_text("Ã") == "Ã"
