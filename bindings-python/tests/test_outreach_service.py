"""OutreachService with a sender written in Python: approve → plan → send → webhook,
consent, inbound keywords, provider refusals and unknown outcomes."""

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone

import pytest

from creator_crm import (
    ConsentError,
    Crm,
    ForbiddenError,
    InvalidInputError,
    MemoryStore,
    MessagingError,
    OutreachService,
    SqliteStore,
    WebhookError,
)

# 15:00 UTC on a Monday: 10:00 in Houston, 08:00 in San Francisco.
NOW = datetime(2026, 6, 1, 15, 0, tzinfo=timezone.utc)
EUKA = (
    b"handle,email,phone,recipient,state\n"
    b"ana.b,ana@mailbox.org,+14155550101,Ana Bell,CA\n"
    b"bo,bo@mailbox.org,+17135550102,Bo Chan,TX\n"
    b"dee,dee@mailbox.org,,Dee Fox,\n"
)
CONFIG = {
    "campaign_id": "welcome-2026-06",
    "brand_name": "Acme Beauty",
    "community_invite_url": "https://discord.gg/acme",
    "postal_address": "Acme Beauty, 100 Main St, Austin, TX 78701",
    "unsubscribe_base_url": "https://crm.example.com/u/",
    "consent_base_url": "https://crm.example.com/c",
    "consent_key": "consent-key-of-at-least-16-bytes",
    "status_callback_base": "https://crm.example.com/twilio",
}


class Outbox:
    """A sender in Python: records what it is given; `refuse` and `explode` make the
    next calls fail as a provider refusal or a lost connection would."""

    def __init__(self):
        self.emails = []
        self.sms = []
        self.refuse = 0
        self.explode = 0

    def _take(self, kind, message):
        if self.refuse:
            self.refuse -= 1
            raise MessagingError("provider unavailable")
        getattr(self, kind).append(message)
        if self.explode:
            self.explode -= 1
            raise ConnectionResetError("connection reset")
        return f"{kind}-{len(getattr(self, kind))}"

    def send_email(self, message):
        return self._take("emails", message)

    def send_sms(self, message):
        return self._take("sms", message)


def service(role="member", sender=None, **config):
    store = MemoryStore()
    Crm(store, workspace="acme", actor={"id": "owner-1", "role": "owner"}).import_exports(
        {"euka": EUKA}, now=NOW
    )
    crm = Crm(store, workspace="acme", actor={"id": "staff-1", "role": role})
    sender = sender or Outbox()
    return OutreachService(crm, sender, {**CONFIG, **config}), sender, crm


def test_approve_plan_send_and_plan_again_sends_nothing_twice():
    s, out, crm = service()
    assert s.approve(["ana.b", "bo"], now=NOW) == 2
    s.record_consent("bo", "sms", "opt_in", now=NOW)
    plan = s.plan(now=NOW)
    assert (plan["queued"], plan["already_queued"]) == (3, 0)
    assert plan["skipped"] == [{"creator": "ana.b", "channel": "sms", "reason": "no_consent"}]
    assert s.send_due(now=NOW) == {"sent": 3, "failed": 0, "deferred": 0, "cancelled": 0, "taken": 0}
    assert sorted(m["to"] for m in out.emails) == ["ana@mailbox.org", "bo@mailbox.org"]
    [sms] = out.sms
    assert sms["to"] == "+17135550102"
    assert "Acme Beauty" in sms["body"]
    assert sms["status_callback"] == f"https://crm.example.com/twilio?outbox_id={sms['outbox_id']}"
    email = out.emails[0]
    assert email["headers"] == {
        "List-Unsubscribe": f"<https://crm.example.com/u/{email['outbox_id']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert email["variables"] == {"outbox_id": email["outbox_id"]}
    assert crm.get_creator("bo")["profile"]["outreach_status"] == "sent"

    assert s.plan(now=NOW + timedelta(hours=1))["queued"] == 0
    assert s.send_due(now=NOW + timedelta(hours=1))["sent"] == 0
    assert len(out.emails) + len(out.sms) == 3


def test_a_refusal_is_retried_with_backoff():
    s, out, _ = service()
    s.approve(["ana.b", "dee"], now=NOW)
    s.plan(now=NOW)
    out.refuse = 1
    assert s.send_due(now=NOW) == {"sent": 1, "failed": 1, "deferred": 0, "cancelled": 0, "taken": 0}
    refused = next(s.history(h)[0] for h in ["ana.b", "dee"] if s.history(h)[0]["status"] == "queued")
    assert [l["event"] for l in refused["log"]] == ["queued", "sending", "failed", "retry"]
    assert s.send_due(now=NOW)["sent"] == 0, "not before its retry time"
    assert s.send_due(now=NOW + timedelta(minutes=5))["sent"] == 1
    assert len(out.emails) == 2


def test_a_lost_answer_raises_the_senders_exception_and_is_never_sent_again():
    s, out, crm = service(role="admin")
    s.approve(["dee"], now=NOW)
    s.plan(now=NOW)
    out.explode = 1

    raised = []

    class Keeps(Outbox):
        def send_email(self, message):
            try:
                return out.send_email(message)
            except ConnectionResetError as e:
                raised.append(e)
                raise

    keeps = OutreachService(crm, Keeps(), CONFIG)
    with pytest.raises(ConnectionResetError) as caught:
        keeps.send_due(now=NOW)
    assert caught.value is raised[0]
    [entry] = s.history("dee")
    assert entry["status"] == "unknown"
    # A restarted process neither recovers nor re-sends it; a person decides.
    restarted = OutreachService(crm, Outbox(), CONFIG)
    assert restarted.recover(now=NOW) == 0
    assert restarted.send_due(now=NOW + timedelta(hours=1))["sent"] == 0
    restarted.resolve_unknown(entry["id"], True, now=NOW)
    assert s.history("dee")[0]["status"] == "sent"
    with pytest.raises(InvalidInputError):
        restarted.resolve_unknown(entry["id"], True, now=NOW)
    assert len(out.emails) == 1


def mailgun(key, event):
    ts, token = "1780326000", "tok-1"
    sig = hmac.new(key.encode(), (ts + token).encode(), hashlib.sha256).hexdigest()
    return json.dumps(
        {"signature": {"timestamp": ts, "token": token, "signature": sig}, "event-data": event}
    ).encode()


def test_a_signed_mailgun_unsubscribe_is_applied_once_and_stops_email():
    s, out, crm = service()
    s.approve(["dee"], now=NOW)
    s.plan(now=NOW)
    s.send_due(now=NOW)
    [email] = out.emails
    key = "mailgun-signing-key"
    body = mailgun(key, {
        "event": "unsubscribed", "id": "ev-1", "timestamp": 1780326000.5,
        "user-variables": {"outbox_id": email["outbox_id"]},
    })
    at = datetime.fromtimestamp(1780326060, tz=timezone.utc)
    assert s.apply_mailgun_webhook(key, body, now=at) == "applied"
    assert s.apply_mailgun_webhook(key, body, now=at) == "duplicate"
    with pytest.raises(WebhookError):
        s.apply_mailgun_webhook("another-key", body, now=at)
    with pytest.raises(WebhookError):
        s.apply_mailgun_webhook(key, body, now=at + timedelta(hours=1))
    assert crm.get_creator("dee")["profile"]["outreach_status"] == "unsubscribed"
    [entry] = s.consent("dee")
    assert (entry["channel"], entry["action"], entry["source"]) == (
        "email", "opt_out", "provider_event",
    )


def test_stop_wording_revokes_consent_and_queues_one_confirmation():
    s, out, crm = service()
    s.approve(["bo"], now=NOW)
    s.record_consent("bo", "sms", "opt_in", now=NOW)
    s.plan(now=NOW)
    s.send_due(now=NOW)
    assert s.inbound_sms("+17135550102", "I'll stop by later", "SM1", now=NOW)["keyword"] is None
    stop = s.inbound_sms("+17135550102", "please stop texting me", "SM2", now=NOW)
    assert (stop["keyword"], stop["creators"], stop["duplicate"]) == ("opt_out", ["bo"], False)
    assert s.inbound_sms("+17135550102", "please stop texting me", "SM2", now=NOW)["duplicate"]
    assert s.send_due(now=NOW)["sent"] == 1
    assert "unsubscribed" in out.sms[-1]["body"]
    assert [e["action"] for e in s.consent("bo")] == ["opt_in", "opt_out"]


def test_consent_link_and_history_and_erasure():
    s, out, _ = service(role="owner")
    s.approve(["ana.b"], now=NOW)
    s.plan(now=NOW)
    s.send_due(now=NOW)
    link = next(w for w in out.emails[0]["text"].split() if w.startswith("https://crm.example.com/c?t="))
    token = link.split("t=", 1)[1]
    assert s.accept_consent_link(token, now=NOW, ip="203.0.113.7", user_agent="Safari") == "ana.b"
    with pytest.raises(ConsentError):
        s.accept_consent_link(token + "x", now=NOW)
    s.plan(now=NOW + timedelta(minutes=1))
    assert s.send_due(now=NOW + timedelta(minutes=1))["sent"] == 1
    assert [e["channel"] for e in s.history("ana.b")] == ["sms", "email"]
    assert s.erase_creator("ana.b", now=NOW) >= 1
    assert s.history("ana.b") == []
    assert s.consent("ana.b") == []


def test_roles_and_bad_config():
    viewer, _, _ = service(role="viewer")
    with pytest.raises(ForbiddenError):
        viewer.plan(now=NOW)
    with pytest.raises(InvalidInputError):
        service(colour="blue")
    with pytest.raises(InvalidInputError) as e:
        OutreachService(Crm(_HostStore()), Outbox(), CONFIG)
    assert e.value.field == "store"


class _HostStore:
    """A host store with only the creator half of the protocol: the outbox then needs a
    store of its own (`store=`)."""

    def __init__(self):
        self.inner = MemoryStore()

    def __getattr__(self, name):
        if name in ("outbox", "outbox_with_status", "outbox_of", "outbox_to", "consent",
                    "events_seen", "apply_outreach"):
            raise AttributeError(name)
        return getattr(self.inner, name)


def test_the_outbox_lives_in_the_sqlite_database_across_processes(tmp_path):
    path = tmp_path / "crm.db"
    owner = {"id": "owner-1", "role": "owner"}
    Crm(SqliteStore(path), workspace="acme", actor=owner).import_exports({"euka": EUKA}, now=NOW)

    def fresh():
        crm = Crm(SqliteStore(path), workspace="acme", actor=owner)
        return OutreachService(crm, out, CONFIG)

    out = Outbox()
    fresh().approve(["dee"], now=NOW)
    assert fresh().plan(now=NOW)["queued"] == 1
    assert fresh().send_due(now=NOW)["sent"] == 1
    assert fresh().plan(now=NOW)["already_queued"] == 1
    assert fresh().send_due(now=NOW)["sent"] == 0
    assert [e["status"] for e in fresh().history("dee")] == ["sent"]
    assert len(out.emails) == 1
