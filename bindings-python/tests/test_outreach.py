"""Outreach helpers: SMS segments and keywords, the quiet-hour send window, template
rendering and webhook signatures (the vectors core's tests use)."""

import types
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import creator_crm as crm
from creator_crm import InvalidInputError, TemplateError

CHICAGO = ZoneInfo("America/Chicago")


# --- SMS segments -----------------------------------------------------------


@pytest.mark.parametrize(
    "text, encoding, segments, units",
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 1, 160),
        ("a" * 161, "GSM-7", 2, 161),
        ("a" * 306, "GSM-7", 2, 306),
        ("a" * 307, "GSM-7", 3, 307),
        # Extension characters take two septets.
        ("€" * 80, "GSM-7", 1, 160),
        ("€" * 81, "GSM-7", 2, 162),
        ("[x]" * 32, "GSM-7", 1, 160),
        ("[x]" * 33, "GSM-7", 2, 165),
        ("ж" * 70, "UCS-2", 1, 70),
        ("ж" * 71, "UCS-2", 2, 71),
        ("ж" * 134, "UCS-2", 2, 134),
        ("ж" * 135, "UCS-2", 3, 135),
        # An emoji is a surrogate pair: two UTF-16 units.
        ("😀" * 35, "UCS-2", 1, 70),
        ("😀" * 36, "UCS-2", 2, 72),
        ("Hi 😀", "UCS-2", 1, 5),
    ],
)
def test_sms_segments(text, encoding, segments, units):
    s = crm.sms_segments(text)
    assert (s.encoding, s.segments, s.units) == (encoding, segments, units)
    assert s.characters == len(text)


def test_sms_segments_compare_by_value():
    assert crm.sms_segments("hello") == crm.sms_segments("world")
    assert crm.sms_segments("hello") != crm.sms_segments("héllo ж")
    assert len({crm.sms_segments("a"), crm.sms_segments("b")}) == 1
    assert repr(crm.sms_segments("hi")) == (
        "SmsSegments(encoding='GSM-7', segments=1, characters=2, units=2)"
    )


# --- keywords ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, keyword",
    [
        ("STOP", "opt_out"),
        ("stop", "opt_out"),
        ("STOP please", "opt_out"),
        ("  Opt   Out ", "opt_out"),
        ("OPTOUT", "opt_out"),
        ("unsubscribe", "opt_out"),
        ("Quit", "opt_out"),
        ("I'll stop by later", None),
        ("START", "opt_in"),
        ("unstop", "opt_in"),
        ("Yes", "opt_in"),
        ("HELP", "help"),
        ("info", "help"),
        ("Hello there", None),
        ("", None),
    ],
)
def test_sms_keyword(text, keyword):
    assert crm.sms_keyword(text) == keyword


# --- send window --------------------------------------------------------------

AUSTIN = "+15125550123"  # area code 512: Texas, America/Chicago


def test_inside_quiet_hours_the_window_is_now():
    # Wednesday 2026-06-03 14:00 in Austin: allowed.
    now = datetime(2026, 6, 3, 14, 0, tzinfo=CHICAGO)
    at = crm.sms_send_window(AUSTIN, now)
    assert at == now
    assert at.tzinfo is not None and at.utcoffset() == timedelta(0)


def test_texas_sunday_morning_waits_for_noon():
    # Texas allows Sundays from 12:00 only: 10:00 on Sunday 2026-06-07 waits two hours.
    now = datetime(2026, 6, 7, 10, 0, tzinfo=CHICAGO)
    at = crm.sms_send_window(AUSTIN, now)
    assert at == datetime(2026, 6, 7, 12, 0, tzinfo=CHICAGO)
    assert at == datetime(2026, 6, 7, 17, 0, tzinfo=timezone.utc)
    # On a weekday, Texas starts at 09:00.
    at = crm.sms_send_window(AUSTIN, datetime(2026, 6, 3, 8, 30, tzinfo=CHICAGO))
    assert at == datetime(2026, 6, 3, 9, 0, tzinfo=CHICAGO)


def test_a_naive_now_is_utc_and_phones_and_strings_work():
    # 15:00 UTC is 10:00 in Austin on that Sunday.
    assert crm.sms_send_window(AUSTIN, datetime(2026, 6, 7, 15, 0)) == datetime(
        2026, 6, 7, 17, 0, tzinfo=timezone.utc
    )
    phone = crm.parse_phone("(512) 555-0123")
    assert crm.sms_send_window(phone, "2026-06-07T15:00:00Z") == datetime(
        2026, 6, 7, 17, 0, tzinfo=timezone.utc
    )


def test_the_hosts_state_applies():
    # A New York number (212) whose owner lives in Texas: Texas hours in New York's zone.
    ny = ZoneInfo("America/New_York")
    now = datetime(2026, 6, 3, 8, 30, tzinfo=ny)
    assert crm.sms_send_window("+12125550123", now) == datetime(2026, 6, 3, 8, 30, tzinfo=ny)
    assert crm.sms_send_window("+12125550123", now, state="TX") == datetime(
        2026, 6, 3, 9, 0, tzinfo=ny
    )


def test_bad_send_window_input():
    now = datetime(2026, 6, 3, 12, 0, tzinfo=timezone.utc)
    with pytest.raises(InvalidInputError) as e:
        crm.sms_send_window("512-555-0123", now)
    assert e.value.field == "phone"
    with pytest.raises(InvalidInputError) as e:
        crm.sms_send_window(crm.parse_phone("(+1)832*****59"), now)
    assert e.value.field == "phone"
    with pytest.raises(InvalidInputError) as e:
        crm.sms_send_window(AUSTIN, "not a time")
    assert "now" in str(e.value)
    with pytest.raises(InvalidInputError, match=r"\+1 numbers") as e:
        crm.sms_send_window("+442079460958", now)
    assert e.value.field == "phone"
    with pytest.raises(InvalidInputError) as e:
        crm.sms_send_window(AUSTIN, now, state="ZZ")
    assert e.value.field == "state"
    # A state name works as well as its code.
    assert crm.sms_send_window(AUSTIN, now, state="Texas") == datetime(
        2026, 6, 3, 9, 0, tzinfo=CHICAGO
    )
    with pytest.raises(TypeError):
        crm.sms_send_window(15125550123, now)  # type: ignore[arg-type]


# --- templates ---------------------------------------------------------------


def test_render_template_escapes_html_only_when_asked():
    ctx = {"name": "<script>alert(1)</script>"}
    assert crm.render_template("<b>{{ name }}</b>", ctx, html=True) == (
        "<b>&lt;script&gt;alert(1)&lt;&#x2f;script&gt;</b>"
    )
    assert crm.render_template("Hi {{ name }}", ctx) == "Hi <script>alert(1)</script>"


def test_render_template_takes_plain_data():
    ctx = types.MappingProxyType(
        {"creator": {"first_name": "Ana"}, "items": [1, 2, 3], "day": date(2026, 1, 2)}
    )
    out = crm.render_template(
        "{{ creator.first_name }}: {{ items | length }} on {{ day }}", ctx
    )
    assert out == "Ana: 3 on 2026-01-02"


@pytest.mark.parametrize(
    "source",
    [
        "Hello {{ first_name }}",  # strict undefined
        "Hello {{ first_name",  # syntax
        "{% for i in range(100000000) %}x{% endfor %}",  # a limit
    ],
)
def test_render_template_errors_are_template_errors(source):
    with pytest.raises(TemplateError) as e:
        crm.render_template(source, {})
    assert e.value.code == "template"
    assert isinstance(e.value, crm.CrmError)


def test_strict_undefined_names_the_variable_not_a_value():
    with pytest.raises(TemplateError) as e:
        crm.render_template("Hi {{ first_name }}", {"email": "ana@example.com"})
    assert "ana@example.com" not in str(e.value)


# --- webhook signatures ---------------------------------------------------------

# Twilio's published example (its docs and SDK test suites).
TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}
SIG = "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_twilio_published_example():
    assert crm.verify_twilio_signature(TOKEN, URL, PARAMS, SIG)
    assert crm.verify_twilio_signature(TOKEN, URL, list(PARAMS.items()), SIG)
    assert not crm.verify_twilio_signature("12346", URL, PARAMS, SIG)
    assert not crm.verify_twilio_signature(TOKEN, URL.replace("bar=2", "bar=3"), PARAMS, SIG)
    assert not crm.verify_twilio_signature(TOKEN, URL, {**PARAMS, "Digits": "1235"}, SIG)
    assert not crm.verify_twilio_signature(TOKEN, URL, PARAMS, SIG[:-2])


def test_twilio_repeated_parameters_as_pairs():
    dup = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]
    assert crm.verify_twilio_signature(TOKEN, URL, dup, "IK+Dwps556ElfBT0I3Rgjkr1wJU=")


def test_twilio_params_must_be_strings():
    with pytest.raises(TypeError):
        crm.verify_twilio_signature(TOKEN, URL, {"Digits": 1234}, SIG)  # type: ignore[dict-item]


# HMAC-SHA256(key, timestamp + token), hex (core's vectors, computed with Python's hmac).
MAILGUN = [
    (
        "key-7f3a5c9d1e2b4f60",
        "1767225600",
        "b7f1c2d3e4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c",
        "b1f5bbb769c91f2b7abfc18df0f8752e94aa0aa42a232f2df9bc9cce93e6aae6",
    ),
    (
        "7d2e9c4b1a8f6e3d5c7b9a1f2e4d6c8b",
        "1529006854",
        "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0",
        "9c3aa45c58dddd857d8b5533ff805ccbdc4aff3449cacad072a593674fde7cbf",
    ),
]


@pytest.mark.parametrize("key, ts, token, sig", MAILGUN)
def test_mailgun_signature(key, ts, token, sig):
    assert crm.verify_mailgun_signature(key, ts, token, sig)
    assert crm.verify_mailgun_signature(key, int(ts), token, sig)
    assert crm.verify_mailgun_signature(key, ts, token, sig.upper())
    assert not crm.verify_mailgun_signature(key, str(int(ts) + 1), token, sig)
    assert not crm.verify_mailgun_signature("other", ts, token, sig)
    assert not crm.verify_mailgun_signature(key, ts, token, sig[:62])
    assert not crm.verify_mailgun_signature(key, ts, token, "zz")
    with pytest.raises(TypeError):
        crm.verify_mailgun_signature(key, True, token, sig)
