"""Privacy: sanitize_json, redact_text, supporter_view, authorize_action."""

import json
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import creator_crm
from creator_crm import (
    Finding,
    ForbiddenError,
    InvalidInputError,
    authorize_action,
    redact_text,
    sanitize_json,
    sanitize_json_report,
    supporter_view,
)

SAMPLE = Path(__file__).resolve().parents[2] / "core" / "tests" / "data" / "supporter_sample.json"
KEY = b"python-test-key-0123456789"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_sanitize_dict_removes_keys_in_any_spelling_and_redacts_strings():
    doc = {
        "supporter": {
            "id": "s1",
            "Real-Name": "Jane Doe",
            "contact": {"phoneNumber": "+14155550134", "pref": "evenings"},
        },
        "items": [{"sku": "1729384756201", "price": 4.99}, {"note": "mail jane@example.com"}],
        "ok": True,
        "n": None,
    }
    assert sanitize_json(doc) == {
        "supporter": {"id": "s1", "contact": {"pref": "evenings"}},
        "items": [{"sku": "1729384756201", "price": 4.99}, {"note": "mail [email]"}],
        "ok": True,
        "n": None,
    }
    # The input is not modified.
    assert doc["supporter"]["Real-Name"] == "Jane Doe"


def test_sanitize_list_and_str():
    assert sanitize_json(["call (415) 555-0134", {"ip": "10.0.0.1"}, 3]) == ["call [phone]", {}, 3]
    assert sanitize_json("from 198.51.100.7") == "from [ip]"
    assert sanitize_json(("a@b.co",)) == ["[email]"]


def test_report_lists_paths_and_kinds_never_values():
    value, removed = sanitize_json_report(
        {"supporter": {"email_address": "jane@example.com"}, "items": [{}, {}, {"note": "ip 10.1.2.3"}]}
    )
    assert value == {"supporter": {}, "items": [{}, {}, {"note": "ip [ip]"}]}
    assert removed == [
        {"path": "$.items[2].note", "kind": "ip"},
        {"path": "$.supporter.email_address", "kind": "personal_field"},
    ]
    assert "jane" not in json.dumps(removed)


def test_policy_options():
    doc = {"id": 1, "nickname": "jj", "city": "Austin", "stats": {"gifts": 3, "email": "a@b.co"}}
    assert sanitize_json(doc, deny=["nickName"]) == {"id": 1, "stats": {"gifts": 3}}
    assert sanitize_json(doc, keep=["city"])["city"] == "Austin"
    assert sanitize_json(doc, allow_only=["id", "stats.*"]) == {"id": 1, "stats": {"gifts": 3}}


def test_sample_document_loses_every_planted_value():
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    text = json.dumps(sanitize_json(doc))
    for secret in ["Jane", "jane", "415", "203.0.113.42", "198.51.100.7", "Main St", "2001:db8"]:
        assert secret not in text


def test_bad_values():
    with pytest.raises(TypeError):
        sanitize_json({1: "x"})
    with pytest.raises(TypeError):
        sanitize_json({"x": object()})
    with pytest.raises(InvalidInputError):
        sanitize_json({"x": float("inf")})
    with pytest.raises(InvalidInputError):
        sanitize_json({"x": 2**64})
    nested: list = []
    for _ in range(300):
        nested = [nested]
    with pytest.raises(InvalidInputError):
        sanitize_json(nested)


def test_plain_data_is_read_as_by_every_other_call():
    # NaN is a missing value (as pandas writes it); dates, naive times (UTC) and
    # decimals become the strings the other calls read.
    value = {"x": float("nan"), "at": datetime(2026, 3, 1, 12), "d": date(2026, 3, 1), "m": Decimal("1.50")}
    assert sanitize_json(value) == {"x": None, "at": "2026-03-01T12:00:00Z", "d": "2026-03-01", "m": "1.50"}


def test_redact_text_reports_character_spans():
    text = "héllo 🎉 jane@example.com / 415.555.0134"
    r = redact_text(text)
    assert r.text == "héllo 🎉 [email] / [phone]"
    assert [f.kind for f in r.found] == ["email", "phone"]
    first = r.found[0]
    assert text[first.start : first.end] == "jane@example.com"
    assert isinstance(first, Finding)
    assert "jane" not in repr(r) and "jane" not in repr(first)


def test_redact_text_leaves_ordinary_values():
    text = "order 578123456789012345 on 2024-05-01 for $1,234.56 (12.5%), v1.2.3.4"
    r = redact_text(text)
    assert r.text == text and r.found == []


def supporter(display_name="Starlight Fan"):
    return {
        "id": "s-42",
        "display_name": display_name,
        "joined_at": "2025-01-02T03:04:05Z",
        "time_zone": "America/Chicago",
        "fan_club": None,
        "online": True,
        "activity": {"spends": [{"at": "2026-02-27T10:00:00Z", "tokens": 120, "feature": "live_gift"}]},
        "profile": {
            "real_name": "Jane Doe",
            "email": "jane@example.com",
            "phone": "+14155550134",
            "city": "Austin",
            "ip_address": "203.0.113.9",
        },
    }


def test_supporter_view_has_no_personal_data():
    view = supporter_view(supporter(), pseudonym_key=KEY, score={"probability": 72, "priority": 102, "segment": "hot_lead"})
    assert view["id"].startswith("sp_") and len(view["id"]) == 19
    assert view["display_name"] == "Starlight Fan"
    assert view["name_source"] == "chosen"
    assert view["lifetime_tokens"] == 120
    assert view["score"] == {"probability": 72, "priority": 102, "segment": "hot_lead"}
    text = json.dumps(view)
    for secret in ["Jane", "jane", "4155550134", "Austin", "203.0.113.9", "Chicago", "s-42"]:
        assert secret not in text
    # Stable for the same key and id.
    assert supporter_view(supporter(), pseudonym_key=KEY)["id"] == view["id"]


def test_supporter_view_display_name_rule():
    assert supporter_view(supporter("jane@example.com"))["name_source"] == "generated"
    assert supporter_view(supporter("JANE doe"))["display_name"].startswith("Supporter #")
    assert supporter_view(supporter("Fan 415-555-0100"))["display_name"] == "Fan [phone]"
    assert supporter_view(supporter(None))["id"] == "s-42"


def test_supporter_view_bad_input():
    with pytest.raises(InvalidInputError) as e:
        supporter_view({"id": "s-1"})
    assert e.value.field == "supporter"
    with pytest.raises(InvalidInputError):
        supporter_view(supporter(), pseudonym_key=b"short")


def test_allowed_action_returns_audit_record():
    audit = authorize_action("creator-7", "s-42", "thank_for_gift", pseudonym_key=KEY, now=NOW)
    assert audit["allowed"] is True and audit["reason"] is None
    assert audit["action"] == "thank_for_gift"
    assert audit["supporter"].startswith("sp_")
    assert audit["at"] == "2026-03-01T12:00:00Z"
    assert audit["actor"] == "creator-7"


@pytest.mark.parametrize(
    "action",
    ["bulk_message", "export_supporter_list", "offline_meetup", "reveal_identity", "exchange_contact_info"],
)
def test_forbidden_actions_raise_with_audit(action):
    with pytest.raises(ForbiddenError) as e:
        authorize_action("creator-7", "s-42", action, pseudonym_key=KEY, now="2026-03-01T12:00:00Z")
    assert e.value.code == "forbidden"
    assert e.value.field == "action"
    assert action in e.value.reason
    assert e.value.audit["allowed"] is False
    assert e.value.audit["action"] == action
    assert isinstance(e.value, creator_crm.CrmError)


def test_messages_with_contact_details_are_rejected():
    with pytest.raises(ForbiddenError) as e:
        authorize_action(
            "creator-7", "s-42", "send_message", pseudonym_key=KEY, now=NOW, body="text me 415-555-0134"
        )
    assert "exchange_contact_info" in str(e.value)
    assert "555" not in str(e.value) and "555" not in json.dumps(e.value.audit)
    ok = authorize_action("creator-7", "s-42", "send_message", pseudonym_key=KEY, now=NOW, body="thanks!")
    assert ok["allowed"]


def test_bad_action_arguments():
    with pytest.raises(InvalidInputError):
        authorize_action("c", "s", "hug", pseudonym_key=KEY, now=NOW)
    with pytest.raises(InvalidInputError) as e:
        authorize_action("c", "s", "reply", pseudonym_key=KEY, now="yesterday")
    assert e.value.field == "now"
    # A naive datetime is UTC, as everywhere else in the package.
    naive = authorize_action("c", "s", "reply", pseudonym_key=KEY, now=datetime(2026, 3, 1, 12))
    assert naive == authorize_action("c", "s", "reply", pseudonym_key=KEY, now=NOW)
