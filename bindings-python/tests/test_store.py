"""Crm over stores: the built-in MemoryStore and stores written in Python, each passing
the conformance suite core defines; host exceptions reach the caller unchanged."""

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from creator_crm import (
    ConflictError,
    Crm,
    CrmError,
    ForbiddenError,
    InvalidInputError,
    MemoryStore,
    StorageError,
    run_store_conformance,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

EUKA = (
    b"handle,email,phone,recipient\n"
    b"@ana.b,ana@mailbox.org,(+1)832*****59,Ana Bell\n"
    b"bo,bo@mailbox.org,,Bo Chan\n"
    b"cy,cy@mailbox.org,4155550124,Cy Dale\n"
)
PHONES = b"handle,phone\nana.b,(+1)8325550159\n"
METRICS = b"handle,followers,gmv\nana.b,12000,$1500\nbo,900,10\ncy,45000,$20000.50\n"

METHODS = [
    "creators", "creators_with_emails", "related", "related_by_keys", "list_creators",
    "search_creators", "suppression", "supporters", "activity", "apply",
]


class Wrapped:
    """A host store in Python wrapping a built-in one: every call is logged, and a fault
    can be injected into any method."""

    def __init__(self, inner=None):
        self.inner = inner if inner is not None else MemoryStore()
        self.calls = []
        self.fail = {}

    def __getattr__(self, name):
        if name not in METHODS:
            raise AttributeError(name)
        method = getattr(self.inner, name)

        def call(*args):
            self.calls.append(name)
            if name in self.fail:
                raise self.fail[name]
            return method(*args)

        return call


def failures(results):
    return [f"{name}: {err}" for name, err in results if err is not None]


def test_memory_store_passes_the_conformance_suite():
    results = run_store_conformance(MemoryStore)
    assert len(results) >= 12
    assert failures(results) == []


def test_a_python_store_passes_the_conformance_suite():
    stores = []

    def make():
        stores.append(Wrapped())
        return stores[-1]

    assert failures(run_store_conformance(make)) == []
    # Every case went through the Python object, with batched calls.
    assert all("apply" in s.calls for s in stores)


def crm_with(store=None, **kw):
    c = Crm(store if store is not None else MemoryStore(), **kw)
    c.import_exports({"euka": EUKA, "phone_numbers": PHONES}, now=NOW)
    return c


def test_import_get_list_and_search():
    c = Crm(MemoryStore(), workspace="brand-a")
    report = c.import_exports({"euka": EUKA, "phone_numbers": PHONES, "refunnel": METRICS}, now=NOW)
    assert (report.rows_read, report.rows_rejected) == (7, 0)
    ana = c.get_creator("@Ana.B")
    assert ana["tiktok_username"] == "ana.b"
    assert ana["phone"] == "+18325550159"
    assert ana["phone_verified"] is True and ana["phone_mask_confirmed"] is True
    assert ana["total_gmv"] == Decimal("1500")
    assert ana["profile"]["outreach_status"] == "pending"
    assert ana["version"] == 1
    assert c.get_creator("nobody") is None

    page = c.list_creators(order_by="-follower_count", limit=2)
    assert [r["tiktok_username"] for r in page.items] == ["cy", "ana.b"]
    assert page.total == 3 and page.next_cursor is not None
    rest = c.list_creators(order_by="-follower_count", limit=2, cursor=page.next_cursor)
    assert [r["tiktok_username"] for r in rest.items] == ["bo"] and rest.next_cursor is None
    phones = c.list_creators(where={"has_phone": True})
    assert [r["tiktok_username"] for r in phones.items] == ["ana.b", "cy"]
    assert [r["tiktok_username"] for r in c.search_creators("DALE")] == ["cy"]

    with pytest.raises(InvalidInputError) as e:
        c.list_creators(where={"has_fone": True})
    assert e.value.field == "where"
    with pytest.raises(InvalidInputError) as e:
        c.list_creators(order_by="-follower_count", cursor=page.next_cursor.replace("desc", "asc"))
    assert e.value.field == "cursor"
    with pytest.raises(InvalidInputError):
        c.list_creators(order_by="email")


def test_manual_edits_survive_reimport_and_erasure_is_final():
    c = crm_with()
    row = c.edit_creator("bo", {"email": "bo.chan@workmail.co"}, now=NOW)
    assert row["email"] == "bo.chan@workmail.co" and row["email_source"] == "manual"
    c.import_exports({"euka": EUKA}, now=NOW)
    assert c.get_creator("bo")["email"] == "bo.chan@workmail.co"

    assert c.erase_creator("ana.b", now=NOW) == 1
    c.import_exports({"euka": EUKA, "phone_numbers": PHONES}, now=NOW)
    assert c.get_creator("ana.b") is None
    assert c.search_creators("ana") == []
    log = c.activity_log()
    assert [r["action"] for r in log][:3] == ["import", "erase_creator", "import"]
    assert all("ana" not in r["target"] and "@" not in r["detail"] for r in log)


def test_profiles_and_workspaces():
    store = MemoryStore()
    a = crm_with(store, workspace="brand-a")
    profile = a.update_profile("cy", {"add_tags": ["vip"], "whitelisted": True, "badge": "gold"})
    assert profile["tags"] == ["vip"] and profile["badge"] == "gold"
    assert [r["tiktok_username"] for r in a.list_creators(where={"tags": ["vip"]}).items] == ["cy"]
    assert a.update_profile("cy", {"badge": None})["badge"] is None
    with pytest.raises(InvalidInputError):
        a.update_profile("cy", {"colour": "red"})
    b = Crm(store, workspace="brand-b")
    assert b.get_creator("cy") is None
    assert b.list_creators().total == 0


def test_roles_are_enforced():
    store = MemoryStore()
    crm_with(store)
    viewer = Crm(store, actor={"id": "v-1", "role": "viewer"})
    member = Crm(store, actor={"id": "m-1", "role": "member"})
    creator = Crm(store, actor={"id": "c-1", "creator": "ana.b"})
    assert viewer.get_creator("bo")["tiktok_username"] == "bo"
    with pytest.raises(ForbiddenError) as e:
        viewer.edit_creator("bo", {"first_name": "B"})
    assert e.value.code == "forbidden"
    with pytest.raises(ForbiddenError):
        member.erase_creator("bo")
    with pytest.raises(ForbiddenError):
        member.import_exports({"euka": EUKA})
    with pytest.raises(ForbiddenError):
        creator.list_creators()
    assert creator.supporter_views("ana.b", b"0123456789abcdef") == []
    with pytest.raises(ForbiddenError):
        creator.supporter_views("bo", b"0123456789abcdef")
    with pytest.raises(InvalidInputError):
        Crm(store, actor={"id": "x", "role": "janitor"})


class Boom(Exception):
    pass


def test_a_host_exception_reaches_the_caller_unchanged_and_nothing_is_written():
    store = Wrapped()
    c = crm_with(store)
    before = c.get_creator("bo")
    err = Boom("disk full")
    store.fail["apply"] = err
    with pytest.raises(Boom) as raised:
        c.edit_creator("bo", {"first_name": "Bob"}, now=NOW)
    assert raised.value is err
    del store.fail["apply"]
    assert c.get_creator("bo") == before
    # A read failing too.
    store.fail["creators"] = KeyError("gone")
    with pytest.raises(KeyError):
        c.get_creator("bo")


def test_malformed_host_results_and_incomplete_stores_are_typed_errors():
    class Bad(Wrapped):
        def creators(self, workspace, handles):
            return [{"creator": "ana@mailbox.org"}]

    with pytest.raises(StorageError) as e:
        Crm(Bad()).get_creator("ana.b")
    assert e.value.field == "creators" and "ana@" not in str(e.value)

    class Partial:
        def creators(self, workspace, handles):
            return []

    with pytest.raises(InvalidInputError) as e:
        Crm(Partial())
    assert e.value.field == "creators_with_emails"


def test_conflicts_are_a_crm_error_with_their_own_code():
    store = MemoryStore()
    crm_with(store)
    row = store.creators("default", ["bo"])[0]
    change = {"change": "put_creator", "creator": row, "expected": row["version"] + 5}
    with pytest.raises(ConflictError) as e:
        store.apply("default", {"changes": [change]})
    assert isinstance(e.value, CrmError) and e.value.code == "conflict"
    change["expected"] = row["version"]
    store.apply("default", {"changes": [change]})
    assert store.creators("default", ["bo"])[0]["version"] == row["version"] + 1
