"""Core errors arrive as typed exceptions carrying code, field, line and reason."""

import pytest

import creator_crm as crm

SUBCLASSES = {
    crm.InvalidInputError: "invalid_input",
    crm.SourceImportError: "import",
    crm.TemplateError: "template",
    crm.ConsentError: "consent",
    crm.ForbiddenError: "forbidden",
    crm.StorageError: "storage",
    crm.MessagingError: "messaging",
    crm.WebhookError: "webhook",
}


@pytest.mark.parametrize("cls", SUBCLASSES)
def test_every_error_derives_from_crm_error(cls):
    assert issubclass(cls, crm.CrmError)
    assert issubclass(crm.CrmError, Exception)
    assert cls.__module__ == "creator_crm"


def test_source_import_error_does_not_shadow_the_builtin():
    assert not issubclass(crm.SourceImportError, ImportError)


def test_invalid_input_carries_code_field_and_reason():
    with pytest.raises(crm.InvalidInputError) as info:
        crm.parse_phone("call me")
    err = info.value
    assert (err.code, err.field, err.line, err.reason) == (
        "invalid_input",
        "phone",
        None,
        "contains letters",
    )
    assert str(err) == "invalid phone: contains letters"


def test_errors_can_be_caught_as_the_base_class():
    with pytest.raises(crm.CrmError) as info:
        crm.normalize_handle("not a handle!")
    assert info.value.code == "invalid_input"
    assert info.value.field == "handle"


def test_error_messages_hold_no_personal_data():
    secret = "jane.doe.private@@example.com"
    with pytest.raises(crm.InvalidInputError) as info:
        crm.normalize_email(secret)
    assert "jane" not in str(info.value)
    assert "example" not in repr(info.value)


def test_unknown_region_is_an_invalid_input_on_region():
    with pytest.raises(crm.InvalidInputError) as info:
        crm.parse_phone("4155550123", default_region="XX")
    assert info.value.field == "region"
