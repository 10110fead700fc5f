"""Python objects as outreach stores: core's outreach conformance suite against a store
written here over dicts and against Python wrappers of the built-in stores, and
OutreachService keeping its outbox and consent ledger in a Python store."""

import base64
import copy
import hashlib
import hmac
import json
from datetime import datetime, timezone

import pytest

from creator_crm import (
    ConflictError,
    Crm,
    InvalidInputError,
    MemoryStore,
    OutreachService,
    SqliteStore,
    StorageError,
    run_outreach_store_conformance,
)

OUTREACH_METHODS = [
    "outbox", "outbox_with_status", "outbox_of", "outbox_to", "consent", "events_seen",
    "apply_outreach",
]
STORE_METHODS = [
    "creators", "creators_with_emails", "related", "related_by_keys", "list_creators",
    "search_creators", "suppression", "supporters", "activity", "apply",
]
OUTREACH_CASES = [
    "outbox_round_trip_with_versions",
    "a_conflict_changes_nothing",
    "events_are_marked_once",
    "statuses_list_in_due_order",
    "workspaces_see_nothing_of_each_other",
    "forgetting_a_creator_leaves_nothing",
]
# 15:00 UTC on a Monday: 10:00 in Houston, 08:00 in San Francisco.
NOW = datetime(2026, 6, 1, 15, 0, tzinfo=timezone.utc)
EUKA = (
    b"handle,email,phone,recipient,state\n"
    b"ana.b,ana@mailbox.org,+14155550101,Ana Bell,CA\n"
    b"bo,bo@mailbox.org,+17135550102,Bo Chan,TX\n"
)
CONFIG = {
    "campaign_id": "welcome-2026-06",
    "brand_name": "Acme Beauty",
    "community_invite_url": "https://discord.gg/acme",
    "postal_address": "Acme Beauty, 100 Main St, Austin, TX 78701",
    "unsubscribe_base_url": "https://crm.example.com/u/",
    "status_callback_base": "https://crm.example.com/twilio",
}


def failures(results):
    return [f"{name}: {err}" for name, err in results if err is not None]


def _due(entry):
    return datetime.fromisoformat(entry["not_before"].replace("Z", "+00:00"))


class DictOutbox:
    """An outreach store written in Python over dicts: the outreach protocol over its
    plain-data values, all-or-nothing change sets with versions, events marked once."""

    def __init__(self):
        self.spaces = {}
        self.calls = []

    def _ws(self, name, method):
        self.calls.append(method)
        return self.spaces.setdefault(name, {"outbox": {}, "consent": [], "events": set()})

    def outbox(self, workspace, ids):
        w = self._ws(workspace, "outbox")
        return [copy.deepcopy(w["outbox"][i]) for i in sorted(set(ids)) if i in w["outbox"]]

    def outbox_with_status(self, workspace, status, limit):
        w = self._ws(workspace, "outbox_with_status")
        held = [e for e in w["outbox"].values() if e["status"] == status]
        held.sort(key=lambda e: (_due(e), e["id"]))
        return copy.deepcopy(held[:limit])

    def outbox_of(self, workspace, creator):
        w = self._ws(workspace, "outbox_of")
        return copy.deepcopy([e for e in w["outbox"].values() if e["creator"] == creator])

    def outbox_to(self, workspace, to):
        w = self._ws(workspace, "outbox_to")
        return copy.deepcopy([e for e in w["outbox"].values() if e["to"] == to])

    def consent(self, workspace, creators):
        w = self._ws(workspace, "consent")
        mine = set(creators)
        return copy.deepcopy([e for e in w["consent"] if e["creator"] in mine])

    def events_seen(self, workspace, keys):
        w = self._ws(workspace, "events_seen")
        return [k for k in keys if k in w["events"]]

    def apply_outreach(self, workspace, changes):
        w = self._ws(workspace, "apply_outreach")
        # Every check before any change: all or nothing.
        versions, marked = {}, set()
        for c in changes:
            kind = c["change"]
            if kind == "put_outbox":
                i = c["entry"]["id"]
                held = versions.get(i, w["outbox"].get(i, {}).get("version", 0))
                if held != c["expected"]:
                    raise ConflictError("conflict: outbox")
                versions[i] = c["expected"] + 1
            elif kind == "mark_event":
                if c["key"] in w["events"] or c["key"] in marked:
                    raise ConflictError("conflict: event")
                marked.add(c["key"])
            elif kind == "forget_creator":
                versions.update({e["id"]: 0 for e in w["outbox"].values() if e["creator"] == c["creator"]})
            elif kind != "record_consent":
                raise InvalidInputError("unknown change")
        for c in copy.deepcopy(changes):
            kind = c["change"]
            if kind == "put_outbox":
                w["outbox"][c["entry"]["id"]] = {**c["entry"], "version": c["expected"] + 1}
            elif kind == "record_consent":
                w["consent"].append(c["entry"])
            elif kind == "mark_event":
                w["events"].add(c["key"])
            else:
                w["outbox"] = {i: e for i, e in w["outbox"].items() if e["creator"] != c["creator"]}
                w["consent"] = [e for e in w["consent"] if e["creator"] != c["creator"]]
        return None


class Wrapping:
    """A Python outreach store wrapping a built-in one: every call is logged, and a
    fault can be injected into any method."""

    def __init__(self, inner):
        self.inner = inner
        self.calls = []
        self.fail = {}

    def __getattr__(self, name):
        if name not in OUTREACH_METHODS:
            raise AttributeError(name)
        method = getattr(self.inner, name)

        def call(*args):
            self.calls.append(name)
            if name in self.fail:
                raise self.fail[name]
            return method(*args)

        return call


class Combined:
    """One Python store with both halves: creators kept by a MemoryStore behind it,
    outreach state by a DictOutbox."""

    def __init__(self):
        self.inner = MemoryStore()
        self.ledger = DictOutbox()

    def __getattr__(self, name):
        if name in STORE_METHODS:
            return getattr(self.inner, name)
        if name in OUTREACH_METHODS:
            return getattr(self.ledger, name)
        raise AttributeError(name)


class Recorder:
    """A sender in Python: records every message, returns provider-style ids."""

    def __init__(self):
        self.emails = []
        self.sms = []

    def send_email(self, message):
        self.emails.append(message)
        return f"mg-{len(self.emails)}"

    def send_sms(self, message):
        self.sms.append(message)
        return f"SM{len(self.sms)}"


def mailgun_body(key, event):
    ts, token = "1780326000", "tok-1"
    sig = hmac.new(key.encode(), (ts + token).encode(), hashlib.sha256).hexdigest()
    return json.dumps(
        {"signature": {"timestamp": ts, "token": token, "signature": sig}, "event-data": event}
    ).encode()


def twilio_signature(token, url, params):
    data = url + "".join(k + v for k, v in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def test_the_built_in_stores_have_the_outreach_methods_and_pass_the_suite():
    for make in (MemoryStore, lambda: SqliteStore(":memory:")):
        store = make()
        assert all(callable(getattr(store, m)) for m in OUTREACH_METHODS)
        results = run_outreach_store_conformance(make)
        assert [name for name, _ in results] == OUTREACH_CASES
        assert failures(results) == []


def test_python_wrappers_of_the_built_in_stores_pass_the_suite():
    for make in (MemoryStore, lambda: SqliteStore(":memory:")):
        wrappers = []

        def wrap():
            wrappers.append(Wrapping(make()))
            return wrappers[-1]

        results = run_outreach_store_conformance(wrap)
        assert [name for name, _ in results] == OUTREACH_CASES
        assert failures(results) == []
        # Every case went through the Python object.
        assert len(wrappers) == len(OUTREACH_CASES)
        assert all("apply_outreach" in w.calls for w in wrappers)


def test_a_pure_python_outreach_store_passes_the_suite():
    stores = []

    def make():
        stores.append(DictOutbox())
        return stores[-1]

    results = run_outreach_store_conformance(make)
    assert [name for name, _ in results] == OUTREACH_CASES
    assert failures(results) == []
    assert all("apply_outreach" in s.calls for s in stores)


def test_a_broken_store_fails_by_case_and_a_non_store_is_refused():
    class Careless(DictOutbox):
        """Forgets events and ignores versions."""

        def events_seen(self, workspace, keys):
            return []

        def apply_outreach(self, workspace, changes):
            w = self._ws(workspace, "apply_outreach")
            kept = []
            for c in changes:
                if c["change"] == "mark_event":
                    continue
                if c["change"] == "put_outbox":
                    c = {**c, "expected": w["outbox"].get(c["entry"]["id"], {}).get("version", 0)}
                kept.append(c)
            return super().apply_outreach(workspace, kept)

    failed = [name for name, err in run_outreach_store_conformance(Careless) if err is not None]
    assert "events_are_marked_once" in failed
    assert "a_conflict_changes_nothing" in failed

    class OnlyOutbox:
        def outbox(self, workspace, ids):
            return []

    with pytest.raises(InvalidInputError) as e:
        run_outreach_store_conformance(OnlyOutbox)
    assert e.value.field == "outbox_with_status"


def test_malformed_results_are_a_storage_error_naming_the_method_without_personal_data():
    class Bad(DictOutbox):
        def consent(self, workspace, creators):
            return [{"creator": "ana.b", "channel": "sms", "phone": "+14155550101"}]

    results = dict(run_outreach_store_conformance(Bad))
    assert results["a_conflict_changes_nothing"] is not None
    crm = Crm(MemoryStore(), workspace="acme")
    crm.import_exports({"euka": EUKA}, now=NOW)
    s = OutreachService(crm, Recorder(), CONFIG, store=Bad())
    with pytest.raises(StorageError) as e:
        s.consent("ana.b")
    assert e.value.field == "consent"
    assert "+1415" not in str(e.value)


def full_cycle(s, sender, crm, outbox):
    """approve → consent → plan → send → Twilio and Mailgun webhooks → STOP → history,
    with everything outreach kept by `outbox` (a DictOutbox)."""
    assert s.approve(["ana.b", "bo"], now=NOW) == 2
    s.record_consent("bo", "sms", "opt_in", now=NOW)
    plan = s.plan(now=NOW)
    assert (plan["queued"], plan["already_queued"]) == (3, 0)
    assert plan["skipped"] == [{"creator": "ana.b", "channel": "sms", "reason": "no_consent"}]
    assert s.send_due(now=NOW) == {"sent": 3, "failed": 0, "deferred": 0, "cancelled": 0, "taken": 0}
    assert sorted(m["to"] for m in sender.emails) == ["ana@mailbox.org", "bo@mailbox.org"]
    assert [m["to"] for m in sender.sms] == ["+17135550102"]
    # Planning and sending again sends nothing twice.
    assert s.plan(now=NOW)["already_queued"] == 3
    assert s.send_due(now=NOW)["sent"] == 0
    assert len(sender.emails) + len(sender.sms) == 3
    assert len(outbox.spaces["acme"]["outbox"]) == 3
    assert [e["action"] for e in outbox.consent("acme", ["bo"])] == ["opt_in"]

    # A Twilio delivery callback, applied once.
    [sms] = sender.sms
    params = [("MessageSid", "SM1"), ("MessageStatus", "delivered")]
    sig = twilio_signature("tok", sms["status_callback"], params)
    assert s.apply_twilio_status("tok", sms["status_callback"], params, sig, now=NOW) == "applied"
    assert s.apply_twilio_status("tok", sms["status_callback"], params, sig, now=NOW) == "duplicate"
    assert outbox.events_seen("acme", ["twilio:SM1:delivered"]) == ["twilio:SM1:delivered"]

    # A signed Mailgun "opened" event for Ana's email, applied once.
    ana_email = next(m for m in sender.emails if m["to"] == "ana@mailbox.org")
    key = "mailgun-signing-key"
    body = mailgun_body(key, {
        "event": "opened", "id": "ev-1", "timestamp": 1780326000.5,
        "user-variables": {"outbox_id": ana_email["outbox_id"]},
    })
    at = datetime.fromtimestamp(1780326060, tz=timezone.utc)
    assert s.apply_mailgun_webhook(key, body, now=at) == "applied"
    assert s.apply_mailgun_webhook(key, body, now=at) == "duplicate"
    [ana_entry] = s.history("ana.b")
    assert [l["event"] for l in ana_entry["log"]] == ["queued", "sending", "sent", "opened"]

    # STOP revokes Bo's consent and queues the one confirmation.
    stop = s.inbound_sms("+17135550102", "STOP", "SMin1", now=NOW)
    assert (stop["keyword"], stop["creators"]) == ("opt_out", ["bo"])
    assert s.send_due(now=NOW)["sent"] == 1
    history = s.history("bo")
    assert sorted((e["channel"], e["kind"], e["status"]) for e in history) == [
        ("email", "campaign", "sent"),
        ("sms", "campaign", "delivered"),
        ("sms", "reply", "sent"),
    ]
    assert [e["action"] for e in s.consent("bo")] == ["opt_in", "opt_out"]
    assert crm.get_creator("bo")["profile"]["outreach_status"] == "unsubscribed"
    assert crm.get_creator("ana.b")["profile"]["outreach_status"] == "sent"


def test_a_full_cycle_over_a_python_store_holding_both_halves():
    store = Combined()
    Crm(store, workspace="acme").import_exports({"euka": EUKA}, now=NOW)
    crm = Crm(store, workspace="acme", actor={"id": "staff-1", "role": "member"})
    sender = Recorder()
    # No `store=`: the Crm's own Python store has the outreach methods.
    s = OutreachService(crm, sender, CONFIG)
    full_cycle(s, sender, crm, store.ledger)
    # Nothing outreach went to the MemoryStore behind the creators.
    assert store.inner.outbox_of("acme", "bo") == []
    assert store.inner.consent("acme", ["bo"]) == []

    # Erasure forgets the creator's outbox and consent in the Python store.
    owner = OutreachService(Crm(store, workspace="acme"), sender, CONFIG)
    owner.erase_creator("bo", now=NOW)
    assert store.ledger.outbox_of("acme", "bo") == []
    assert store.ledger.consent("acme", ["bo"]) == []
    assert len(store.ledger.outbox_of("acme", "ana.b")) == 1


def test_a_full_cycle_over_a_python_outreach_store_beside_a_built_in_creator_store(tmp_path):
    creators = SqliteStore(tmp_path / "crm.db")
    Crm(creators, workspace="acme").import_exports({"euka": EUKA}, now=NOW)
    crm = Crm(creators, workspace="acme", actor={"id": "staff-1", "role": "member"})
    sender, outbox = Recorder(), DictOutbox()
    s = OutreachService(crm, sender, CONFIG, store=outbox)
    full_cycle(s, sender, crm, outbox)
    assert creators.outbox_of("acme", "bo") == []
    assert creators.consent("acme", ["bo"]) == []


def test_a_python_wrapper_of_a_built_in_store_keeps_the_outbox_across_services():
    inner = MemoryStore()
    crm = Crm(inner, workspace="acme")
    crm.import_exports({"euka": EUKA}, now=NOW)
    wrapper, sender = Wrapping(inner), Recorder()
    s = OutreachService(crm, sender, CONFIG, store=wrapper)
    s.approve(["ana.b"], now=NOW)
    assert s.plan(now=NOW)["queued"] == 1
    assert s.send_due(now=NOW)["sent"] == 1
    # The outbox went through the wrapper into the MemoryStore: a service straight over
    # the MemoryStore sees the message as sent and sends nothing again.
    assert {"consent", "outbox", "apply_outreach", "outbox_with_status"} <= set(wrapper.calls)
    direct = OutreachService(crm, sender, CONFIG)
    assert [e["status"] for e in direct.history("ana.b")] == ["sent"]
    assert direct.plan(now=NOW)["already_queued"] == 1
    assert direct.send_due(now=NOW)["sent"] == 0
    assert len(sender.emails) == 1


class Down(Exception):
    pass


def failing_service(method):
    crm = Crm(MemoryStore(), workspace="acme")
    crm.import_exports({"euka": EUKA}, now=NOW)
    inner = MemoryStore()
    wrapper, sender = Wrapping(inner), Recorder()
    s = OutreachService(crm, sender, CONFIG, store=wrapper)
    s.approve(["ana.b", "bo"], now=NOW)
    err = Down("outbox database down")
    wrapper.fail[method] = err
    return s, wrapper, inner, sender, err


def test_an_exception_of_the_python_store_reaches_the_caller_as_that_object():
    s, wrapper, inner, _, err = failing_service("consent")
    with pytest.raises(Down) as raised:
        s.plan(now=NOW)
    assert raised.value is err
    with pytest.raises(Down) as raised:
        s.consent("ana.b")
    assert raised.value is err
    assert inner.outbox_of("acme", "ana.b") == []


def test_a_failed_write_of_the_python_store_leaves_nothing_behind():
    # Planning: the queueing write fails, nothing is queued.
    s, wrapper, inner, sender, err = failing_service("apply_outreach")
    with pytest.raises(Down) as raised:
        s.plan(now=NOW)
    assert raised.value is err
    assert inner.outbox_with_status("acme", "queued", 10) == []
    # Consent: the ledger is unchanged.
    with pytest.raises(Down) as raised:
        s.record_consent("bo", "sms", "opt_in", now=NOW)
    assert raised.value is err
    assert inner.consent("acme", ["bo"]) == []

    # Sending: the `sending` mark fails, so no sender is called and the message stays
    # queued, to go out once the store is back.
    del wrapper.fail["apply_outreach"]
    assert s.plan(now=NOW)["queued"] == 2
    wrapper.fail["apply_outreach"] = err
    with pytest.raises(Down) as raised:
        s.send_due(now=NOW)
    assert raised.value is err
    assert sender.emails == [] and sender.sms == []
    assert sorted(e["status"] for e in inner.outbox_with_status("acme", "queued", 10)) == [
        "queued", "queued",
    ]
    del wrapper.fail["apply_outreach"]
    assert s.send_due(now=NOW)["sent"] == 2
    assert len(sender.emails) == 2


def test_a_conflict_raised_by_the_python_store_is_a_message_taken_by_another_sender():
    class Racing(DictOutbox):
        """Another process marks the message `sending` between this one's read and its
        own `sending` mark."""

        def apply_outreach(self, workspace, changes):
            for c in changes:
                if c["change"] == "put_outbox" and c["entry"]["status"] == "sending":
                    theirs = {**c, "entry": {**c["entry"], "attempts": 1}}
                    super().apply_outreach(workspace, [theirs])
                    raise ConflictError("conflict: outbox")
            return super().apply_outreach(workspace, changes)

    crm = Crm(MemoryStore(), workspace="acme")
    crm.import_exports({"euka": EUKA}, now=NOW)
    sender = Recorder()
    s = OutreachService(crm, sender, CONFIG, store=Racing())
    s.approve(["ana.b"], now=NOW)
    s.plan(now=NOW)
    assert s.send_due(now=NOW) == {"sent": 0, "failed": 0, "deferred": 0, "cancelled": 0, "taken": 1}
    assert sender.emails == []
    assert [e["status"] for e in s.history("ana.b")] == ["sending"]


def test_a_crm_store_without_the_outreach_methods_needs_a_store_for_the_outbox():
    class CreatorsOnly:
        def __init__(self):
            self.inner = MemoryStore()

        def __getattr__(self, name):
            if name in STORE_METHODS:
                return getattr(self.inner, name)
            raise AttributeError(name)

    crm = Crm(CreatorsOnly())
    with pytest.raises(InvalidInputError) as e:
        OutreachService(crm, Recorder(), CONFIG)
    assert e.value.field == "store"
    with pytest.raises(InvalidInputError) as e:
        OutreachService(crm, Recorder(), CONFIG, store=CreatorsOnly())
    assert e.value.field == "outbox"
    assert OutreachService(crm, Recorder(), CONFIG, store=DictOutbox())
