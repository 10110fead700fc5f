"""A typed tour of `creator_crm`, checked by mypy --strict in `scripts/test-python.sh`.

Every annotation below is what a user would write; mypy fails the script when a
stub says something else. `tests/test_types.py` runs `main()` too, so the example
also works.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import pyarrow

import creator_crm as crm
from creator_crm.types import (
    Alert,
    AlertOutcome,
    AuditRecord,
    BadgeDecision,
    BgNbdStdErrors,
    ConversionOverall,
    CooldownState,
    ConsentEntryDict,
    CreatorRow,
    ColumnInfo,
    CreatorTier,
    ExplainedScore,
    FitInfo,
    ImportProgress,
    InboxTabs,
    MergeReportDict,
    OutboxEntryDict,
    Removal,
    SegmentName,
    StableTier,
    SupporterCountersDict,
    SupporterInsights,
    SupporterViewDict,
    TierDecision,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
KEY = b"typing-example-key-0123456789"
DATA = Path(__file__).resolve().parents[2] / "examples" / "demo" / "data"


def tiers() -> list[str]:
    badge: BadgeDecision = crm.shop_badge(Decimal("6000"))
    next_bound: Optional[str] = badge["next"][1] if badge["next"] else None
    decisions: list[TierDecision] = crm.classify_creators(
        [
            {"id": "c1", "joined_at": NOW - timedelta(days=400), "monthly_earnings": "12000"},
            {"id": "c2", "joined_at": NOW - timedelta(days=3), "monthly_earnings": 10},
        ],
        NOW,
    )
    out = [badge["badge"], str(next_bound)]
    for decision in decisions:
        tier: CreatorTier = decision["tier"]
        rule = decision["rule"]
        if rule["rule"] == "earnings":
            band: Optional[str] = rule["threshold"]
            out.append(f"{tier} from {band}")
        elif rule["rule"] == "newcomer":
            days: int = rule["days_since_joining"]
            out.append(f"{tier} after {days} days")
    held: StableTier = crm.apply_minimum_days(
        decisions[0], {"tier": "rising", "since": NOW - timedelta(days=2)}, 30, NOW
    )
    out.append(held["decision"]["rule"]["rule"])
    return out


def supporters() -> list[str]:
    people = [
        {"id": "s1", "joined_at": NOW - timedelta(days=90), "tokens_lifetime": 5000,
         "last_active_at": NOW, "online": True},
        {"id": "s2", "joined_at": NOW - timedelta(days=9), "chat_messages_7d": 12,
         "last_active_at": NOW},
    ]
    counters: list[SupporterCountersDict] = crm.supporter_counters(people, NOW)
    scores = crm.score_supporters(people, NOW)
    explained: ExplainedScore = crm.explain_score(people[0], NOW)
    segment: SegmentName = explained["score"]["segment"]
    tabs: InboxTabs = crm.inbox_tabs(people, NOW)
    vip_ids: list[str] = tabs["vip"]["ids"]
    alerts: list[Alert] = crm.detect_alerts(people, NOW)
    outcome: AlertOutcome
    state: CooldownState
    outcome, state = crm.deliver_alerts(alerts, None, NOW)
    outcome, state = crm.deliver_alerts(alerts, state, NOW + timedelta(minutes=5))
    insights: list[SupporterInsights] = crm.supporter_insights(
        [{"id": "s3", "joined_at": NOW - timedelta(days=30), "time_zone": "UTC",
          "activity": {"chat_messages": [NOW - timedelta(days=1)]}}],
        NOW,
    )
    contact = insights[0]["best_contact_time"]
    hour: Optional[int] = contact["hour"] if contact else None
    return [counters[0]["id"], str(len(scores)), segment, *vip_ids,
            *(a["kind"] for a in outcome["delivered"]), str(hour)]


def privacy() -> list[str]:
    clean, removed = crm.sanitize_json_report({"user": {"realName": "x", "note": "hi"}})
    paths: list[Removal] = removed
    view: SupporterViewDict = crm.supporter_view(
        {"id": "s-1", "display_name": "Starlight", "joined_at": "2025-01-02T03:04:05Z",
         "time_zone": "UTC", "fan_club": None, "online": False, "activity": {}, "profile": {}},
        pseudonym_key=KEY,
    )
    audit: AuditRecord = crm.authorize_action(
        "creator-7", "s-1", "thank_for_gift", pseudonym_key=KEY, now=NOW
    )
    try:
        crm.authorize_action("creator-7", "s-1", "bulk_message", pseudonym_key=KEY, now=NOW)
    except crm.ForbiddenError as e:
        denied: AuditRecord = e.audit
        assert denied["allowed"] is False
    return [str(clean), paths[0]["kind"], view["name_source"], audit["action"]]


def merge() -> list[str]:
    euka = io.StringIO("handle,email,phone\n@Ana.B,Ana@Mailbox.org,(+1)832*****59\n")
    result = crm.merge_exports(
        {"euka": euka, "phone_numbers": DATA / "phone_numbers.csv"}, default_region="US"
    )
    table: pyarrow.Table = result.creators
    rows: list[CreatorRow] = result.to_pylist()
    gmv: Decimal = rows[0]["total_gmv"]
    report: MergeReportDict = result.report.to_dict()
    files: list[str] = [f["kind"] for f in report["files"]]
    return [str(table.num_rows), str(gmv), *files, *from_arrow(), *incremental()]


def from_arrow() -> list[str]:
    """Arrow sources: tables, batches and readers, in lists and named dicts."""
    table = pyarrow.table({"handle": ["@Ana.B", "bo"], "Phone #": [8325550159, None]})
    result = crm.merge_exports(
        {
            "phone_numbers": [table, DATA / "phone_numbers.csv"],
            "euka": {"euka-2025": table.to_batches()[0]},
            "refunnel": table.to_reader(),
        }
    )
    merger = crm.Merger()
    merger.add("phone_numbers", table, name="phones")
    return [str(result.report.rows_read), str(len(merger))]


def incremental() -> list[str]:
    """`Merger`: sources one at a time, manual edits, suppression, progress, every table."""
    seen: list[ImportProgress] = []

    def progress(p: ImportProgress) -> None:
        seen.append(p)

    merger = crm.Merger(default_region="US", priorities=["phone_numbers", "euka"], progress=progress)
    merger.add("euka", DATA / "euka.csv", brand="Glow Co", observed_at=NOW)
    merger.add("sample_orders", (DATA / "sample_orders.csv").read_bytes())
    merger.add_rows("refunnel", [{"username": "ana.b", "followers": "1200", "gmv": None}])
    merger.edit("@Ana.B", {"email": "ana@mailbox.org", "city": "Austin"}, at=NOW)
    merger.suppress(email="erased@mailbox.org")
    result: crm.MergeResult = merger.result()
    tables: list[pyarrow.Table] = [
        result.samples,
        result.videos,
        result.video_products,
        result.snapshots,
        result.brand_links,
        result.products,
        result.conflicts,
    ]
    columns: list[ColumnInfo] = crm.table_columns("samples")
    names: list[str] = [c["name"] for c in columns]
    assert names == tables[0].schema.names
    done: list[str] = [p["file"] for p in seen if p["done"]]
    confirmed: int = result.report.phone_masks_confirmed
    by_field: dict[str, int] = result.report.conflicts_by_field
    try:
        merger.edit("ana.b", {"email": "not-an-email"})
    except crm.InvalidInputError as e:
        assert e.field == "email"
    return [str(len(done)), str(confirmed), str(sum(by_field.values())), str(len(tables))]


def analytics() -> list[str]:
    """The dashboard tables over a merge, and retention models."""
    result = crm.merge_exports(
        {"sample_orders": DATA / "sample_orders.csv", "videos": DATA / "videos.csv"}
    )
    june = (date(2025, 6, 1), date(2025, 7, 1))
    per_creator: pyarrow.Table = crm.sample_conversion(result, within_days=30)
    by_product: pyarrow.Table = crm.sample_conversion_by_product(result)
    overall: ConversionOverall = crm.sample_conversion_overall(result)
    rate: Optional[float] = overall["rate"]
    top: pyarrow.Table = crm.top_performers(result, june, metric="items_sold", limit=5)
    trend: pyarrow.Table = crm.trending(result, ("2025-05-01", "2025-06-01"), june)
    board: crm.Dashboard = crm.dashboard(result, june, top=3)
    previous: tuple[date, date] = board.previous
    tables: list[pyarrow.Table] = [
        board.top_by_gmv, board.trending, board.videos_by_creator, board.products,
        board.conversion_by_creator, board.conversion_by_product,
        crm.video_performance(result), crm.product_performance(result),
    ]
    again: ConversionOverall = board.conversion_overall
    assert again == overall

    model: crm.BgNbd = crm.fit_bgnbd([0, 2, 1, 4], [0.0, 20.0, 3.5, 30.0], [40.0, 38.0, 20.0, 39.0])
    se: Optional[BgNbdStdErrors] = model.std_errors
    info: Optional[FitInfo] = model.fit
    alive: float = model.p_alive(2, 20.0, 38.0)
    column: pyarrow.DoubleArray = model.expected_purchases_new(pyarrow.array([1.0, 10.0]))
    expected: float = model.expected_purchases(10.0, 2, 20.0, 38.0)
    spend = crm.fit_gamma_gamma([1, 2, 3, 0], [Decimal("10.50"), Decimal("20"), 31.5, 0])
    mean: Decimal = crm.GammaGamma(p=6.25, q=3.74, gamma=15.44).expected_spend(0, 0)
    return [
        str(per_creator.num_rows), str(by_product.num_rows), str(rate), str(top.num_rows),
        str(trend.num_rows), str(previous[0]), str(len(tables)), str(se is not None),
        str(info["method"] if info else None), f"{alive:.3f}", str(len(column)),
        f"{expected:.3f}", f"{spend.p:.3f}", str(mean),
    ]


def outreach() -> list[str]:
    """SMS helpers, the send window, templates and webhook signatures."""
    seg: crm.SmsSegments = crm.sms_segments("Hi {name} 😀")
    encoding: str = seg.encoding
    keyword: Optional[str] = crm.sms_keyword("STOP please")
    at: datetime = crm.sms_send_window("+15125550123", NOW, state="TX")
    text: str = crm.render_template("Hi {{ name }}", {"name": "<Ana>"}, html=True)
    try:
        crm.render_template("Hi {{ nobody }}", {})
    except crm.TemplateError as e:
        assert e.code == "template"
    twilio: bool = crm.verify_twilio_signature(
        "12345", "https://mycompany.com/myapp.php?foo=1&bar=2", {"Digits": "1234"}, "x"
    )
    mailgun: bool = crm.verify_mailgun_signature("key", 1767225600, "token", "00")
    return [encoding, str(seg.segments), str(keyword), at.isoformat(), text, str(twilio),
            str(mailgun)]


class CountingOutbox:
    """A host outreach store: a `MemoryStore` behind it, every call counted."""

    def __init__(self) -> None:
        self.inner = crm.MemoryStore()
        self.calls = 0

    def outbox(self, workspace: str, ids: list[str]) -> list[OutboxEntryDict]:
        self.calls += 1
        return self.inner.outbox(workspace, ids)

    def outbox_with_status(self, workspace: str, status: str, limit: int) -> list[OutboxEntryDict]:
        self.calls += 1
        return self.inner.outbox_with_status(workspace, status, limit)

    def outbox_of(self, workspace: str, creator: str) -> list[OutboxEntryDict]:
        self.calls += 1
        return self.inner.outbox_of(workspace, creator)

    def outbox_to(self, workspace: str, to: str) -> list[OutboxEntryDict]:
        self.calls += 1
        return self.inner.outbox_to(workspace, to)

    def consent(self, workspace: str, creators: list[str]) -> list[ConsentEntryDict]:
        self.calls += 1
        return self.inner.consent(workspace, creators)

    def events_seen(self, workspace: str, keys: list[str]) -> list[str]:
        self.calls += 1
        return self.inner.events_seen(workspace, keys)

    def apply_outreach(self, workspace: str, changes: list[dict[str, Any]]) -> None:
        self.calls += 1
        self.inner.apply_outreach(workspace, changes)


class PrintSender:
    """A host sender that only hands out ids."""

    def send_email(self, message: Any) -> str:
        return "mg-1"

    def send_sms(self, message: Any) -> str:
        return "SM1"


def outreach_store() -> list[str]:
    """A host outreach store: the conformance suite, then the outbox of a service."""
    results = crm.run_outreach_store_conformance(CountingOutbox)
    failed = [name for name, failure in results if failure is not None]
    store = crm.MemoryStore()
    c = crm.Crm(store, workspace="acme")
    c.import_exports({"euka": b"handle,email\nana.b,ana@mailbox.org\n"}, now=NOW)
    outbox = CountingOutbox()
    service = crm.OutreachService(
        c, PrintSender(),
        {"campaign_id": "welcome", "brand_name": "Acme", "postal_address": "Acme, 1 Main St",
         "unsubscribe_base_url": "https://crm.example.com/u/"},
        store=outbox,
    )
    service.approve(["ana.b"], now=NOW)
    service.plan(now=NOW)
    sent: int = service.send_due(now=NOW)["sent"]
    history: list[OutboxEntryDict] = service.history("ana.b")
    return [str(len(results)), str(failed), str(sent), history[0]["status"], str(outbox.calls > 0)]


def main() -> list[str]:
    """Runs every part; returns what each printed, for the test."""
    return (
        tiers() + supporters() + privacy() + merge() + analytics() + outreach()
        + outreach_store()
    )


if __name__ == "__main__":
    print("\n".join(main()))
