"""The `TypedDict`s of `creator_crm.types` describe what the functions really return.

`conforms` walks a value against a type hint: a `TypedDict` must have exactly its
keys, a `Literal` one of its values, and so on down. The typed example runs too.
"""

import sys
import typing
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import creator_crm as crm
from creator_crm import types as t

sys.path.insert(0, str(Path(__file__).parent))
import typing_example  # noqa: E402

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
KEY = b"python-test-key-0123456789"


def conforms(value, hint, path="$"):
    """Raises AssertionError naming the path where `value` does not fit `hint`."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if typing.is_typeddict(hint):
        assert isinstance(value, dict), f"{path}: {type(value).__name__} is not a dict"
        hints = typing.get_type_hints(hint)
        assert set(value) == set(hints), f"{path}: keys {sorted(value)} != {sorted(hints)}"
        for key, sub in hints.items():
            conforms(value[key], sub, f"{path}.{key}")
    elif origin is typing.Union:
        errors = []
        for arg in args:
            try:
                conforms(value, arg, path)
                return
            except AssertionError as e:
                errors.append(str(e))
        raise AssertionError(f"{path}: fits no member of {hint}: {errors}")
    elif origin is typing.Literal:
        assert value in args, f"{path}: {value!r} not in {args}"
    elif origin is list:
        assert isinstance(value, list), f"{path}: not a list"
        for i, item in enumerate(value):
            conforms(item, args[0], f"{path}[{i}]")
    elif origin is tuple:
        # JSON has no tuples: a fixed-size pair comes back as a list.
        assert isinstance(value, (list, tuple)) and len(value) == len(args), f"{path}: not a pair"
        for i, (item, sub) in enumerate(zip(value, args)):
            conforms(item, sub, f"{path}[{i}]")
    elif origin is dict:
        assert isinstance(value, dict), f"{path}: not a dict"
        for k, v in value.items():
            conforms(k, args[0], f"{path} key")
            conforms(v, args[1], f"{path}[{k!r}]")
    elif hint is type(None):
        assert value is None, f"{path}: {value!r} is not None"
    elif hint is float:
        assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{path}"
    elif hint is int:
        assert isinstance(value, int) and not isinstance(value, bool), f"{path}: {value!r}"
    else:
        assert isinstance(value, hint), f"{path}: {value!r} is not {hint.__name__}"


def test_the_checker_rejects_wrong_shapes():
    with pytest.raises(AssertionError, match="keys"):
        conforms({"path": "$.a"}, t.Removal)
    with pytest.raises(AssertionError, match="not in"):
        conforms({"path": "$.a", "kind": "nope"}, t.Removal)
    with pytest.raises(AssertionError, match="fits no member"):
        conforms({"rule": "held"}, t.TierRule)
    conforms({"path": "$.a", "kind": "email"}, t.Removal)


def people():
    return [
        {"id": "vip", "joined_at": NOW - timedelta(days=90), "tokens_lifetime": 5000,
         "last_active_at": NOW, "online": True,
         "fan_club": {"tier": 1, "since": NOW - timedelta(days=20), "renews_at": NOW + timedelta(days=2)}},
        {"id": "hot", "joined_at": NOW - timedelta(days=9), "chat_messages_7d": 40, "gifts_7d": 4,
         "tokens_7d": 900, "tokens_30d": 900, "profile_views_7d": 30, "last_active_at": NOW,
         "online": True, "first_purchase_at": NOW - timedelta(days=3)},
        {"id": "cold", "joined_at": NOW - timedelta(days=400), "last_active_at": NOW - timedelta(days=60),
         "tokens_lifetime": 10, "last_purchase_at": NOW - timedelta(days=60)},
    ]


def events_supporter(sid="ev", tz="Europe/Paris"):
    return {
        "id": sid, "joined_at": NOW - timedelta(days=100), "time_zone": tz, "online": False,
        "fan_club": {"tier": 1, "since": NOW - timedelta(days=50), "renews_at": None},
        "activity": {
            "spends": [{"at": NOW - timedelta(days=d), "tokens": 300, "feature": "live_gift"} for d in (1, 2, 20)],
            "chat_messages": [NOW - timedelta(days=d, hours=1) for d in range(1, 9)],
            "event_rsvps": [{"event_id": "e1", "at": NOW - timedelta(hours=1), "starts_at": NOW + timedelta(days=1)}],
        },
    }


def test_tier_results():
    conforms(crm.shop_badge(Decimal("6000")), t.BadgeDecision)
    conforms(crm.shop_badge(10), t.BadgeDecision)
    conforms(crm.shop_badge(10**7), t.BadgeDecision)
    population = [
        {"id": f"c{i}", "joined_at": NOW - timedelta(days=400), "monthly_earnings": str(i * 50)}
        for i in range(2000)
    ] + [{"id": "new", "joined_at": NOW - timedelta(days=3), "monthly_earnings": "5"}]
    decisions = crm.classify_creators(population, NOW)
    conforms(decisions, typing.List[t.TierDecision])
    assert {d["rule"]["rule"] for d in decisions} == {"earnings", "newcomer", "top_share"}
    held = crm.apply_minimum_days(decisions[1500], {"tier": "rising", "since": NOW - timedelta(days=2)}, 30, NOW)
    conforms(held, t.StableTier)
    assert held["decision"]["rule"]["rule"] == "held"


def test_supporter_results():
    ps = people() + [events_supporter()]
    conforms(crm.supporter_counters(ps, NOW), typing.List[t.SupporterCountersDict])
    for p in ps:
        conforms(crm.explain_score(p, NOW), t.ExplainedScore)
    conforms([s.to_dict() for s in crm.score_supporters(ps, NOW)], typing.List[t.ScoreDict])
    conforms(crm.inbox_tabs(ps, NOW), t.InboxTabs)
    alerts = crm.detect_alerts(ps, NOW)
    assert len({a["detail"]["detail"] for a in alerts}) >= 2
    conforms(alerts, typing.List[t.Alert])
    outcome, state = crm.deliver_alerts(alerts, None, NOW)
    conforms(outcome, t.AlertOutcome)
    conforms(state, t.CooldownState)
    outcome, _ = crm.deliver_alerts(alerts, state, NOW)
    assert outcome["suppressed"]
    conforms(outcome, t.AlertOutcome)
    insights = crm.supporter_insights(
        [events_supporter(), events_supporter("quiet", "UTC") | {"activity": {}}], NOW
    )
    assert insights[0]["best_contact_time"] and insights[1]["best_contact_time"] is None
    conforms(insights, typing.List[t.SupporterInsights])


def test_privacy_results():
    _, removed = crm.sanitize_json_report({"realName": "x", "note": "mail a@b.co or 203.0.113.9"})
    conforms(removed, typing.List[t.Removal])
    supporter = events_supporter()
    supporter["profile"] = {"real_name": "Jane"}
    conforms(crm.supporter_view(supporter, pseudonym_key=KEY), t.SupporterViewDict)
    scored = crm.supporter_view(supporter, score={"probability": 70, "priority": 90, "segment": "hot_lead"})
    conforms(scored, t.SupporterViewDict)
    conforms(crm.authorize_action("c", "s", "reply", pseudonym_key=KEY, now=NOW), t.AuditRecord)
    with pytest.raises(crm.ForbiddenError) as e:
        crm.authorize_action("c", "s", "offline_meetup", pseudonym_key=KEY, now=NOW)
    conforms(e.value.audit, t.AuditRecord)


def test_merge_results():
    result = crm.merge_exports({"euka": typing_example.DATA / "euka.csv"})
    conforms(result.report.to_dict(), t.MergeReportDict)
    conforms(result.to_pylist(), typing.List[t.CreatorRow])
    seen = []
    crm.Merger(progress=seen.append).add("euka", typing_example.DATA / "euka.csv")
    assert seen
    conforms(seen, typing.List[t.ImportProgress])
    tables = ["creators", "samples", "videos", "video_products", "snapshots", "brand_links",
              "products", "conflicts", "report", "files", "rejected", "top_performers",
              "trending", "video_performance", "product_performance", "sample_conversion",
              "sample_conversion_by_product", "sample_conversion_overall"]
    for name in tables:
        conforms(crm.table_columns(name), typing.List[t.ColumnInfo], name)


def test_analytics_results():
    data = typing_example.DATA
    result = crm.merge_exports(
        {"sample_orders": data / "sample_orders.csv", "videos": data / "videos.csv"}
    )
    conforms(crm.sample_conversion_overall(result), t.ConversionOverall)
    empty = crm.merge_exports({"euka": data / "euka.csv"})
    overall = crm.sample_conversion_overall(empty)
    assert overall["rate"] is None and overall["creator_rate"] is None
    conforms(overall, t.ConversionOverall)
    board = crm.dashboard(result, ("2025-09-01", "2025-10-01"))
    conforms(board.conversion_overall, t.ConversionOverall)
    fit = crm.fit_bgnbd([0, 2, 1, 4], [0.0, 20.0, 3.5, 30.0], [40.0, 38.0, 20.0, 39.0])
    conforms(fit.std_errors, t.BgNbdStdErrors)
    conforms(fit.fit, t.FitInfo)
    spend = crm.fit_gamma_gamma([1, 2, 3, 1], [Decimal("10.50"), Decimal(20), 31.5, 12])
    conforms(spend.std_errors, t.GammaGammaStdErrors)
    conforms(spend.fit, t.FitInfo)


def test_the_typed_example_runs():
    out = typing_example.main()
    assert out[0] == "gold" and "held" in out
    # The typed host outreach store: every conformance case passed, one email sent.
    assert out[-5:] == ["6", "[]", "1", "sent", "True"]
