"""Supporter scoring from Python: batch scoring, tabs, alerts, insights."""

from datetime import datetime, timedelta, timezone

import pytest

import creator_crm as crm

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def counters(i: int, **fields):
    base = {"id": f"s{i:03}", "joined_at": NOW - timedelta(days=200), "last_active_at": NOW}
    base.update(fields)
    return base


def test_scores_one_per_supporter_in_input_order():
    people = [
        counters(0, tokens_lifetime=999),
        counters(1, tokens_lifetime=1000),
        counters(2, last_active_at=NOW - timedelta(days=7)),
        counters(3, last_active_at=NOW - timedelta(days=30)),
        counters(4),
    ]
    scores = crm.score_supporters(people, NOW)
    assert [s.segment for s in scores] == ["active", "vip", "dormant", "cold", "active"]
    assert all(0 <= s.probability <= 100 and 0 <= s.priority <= 150 for s in scores)
    assert set(scores[0].signals) == {
        "recent_chat",
        "gifting",
        "profile_views",
        "live_engagement",
        "recent_match",
        "likes_without_chat",
    }
    assert scores[1].to_dict()["segment"] == "vip"
    assert "vip" in repr(scores[1])


def test_caps_and_exact_probability():
    maxed = counters(
        0,
        chat_messages_7d=500,
        tokens_lifetime=10**6,
        tokens_30d=10**6,
        tokens_7d=10**6,
        gifts_7d=3,
        profile_views_7d=100,
        live_sessions_7d=9,
        live_watch_seconds_7d=10**6,
        live_gift_tokens_7d=10**6,
        last_match_at=NOW,
        online=True,
        fan_club={"tier": 2, "since": NOW, "renews_at": None},
    )
    (s,) = crm.score_supporters([maxed], NOW)
    assert (s.probability, s.priority) == (100, 150)
    (s,) = crm.score_supporters([counters(1, chat_messages_7d=6)], NOW.isoformat())
    assert s.probability == 23  # 75 x 30 % = 22.5, rounded half up


def test_events_form_and_counters_agree():
    supporter = {
        "id": "fan",
        "joined_at": "2025-01-01T00:00:00Z",
        "time_zone": "Europe/Paris",
        "activity": {
            "spends": [{"at": NOW - timedelta(days=1), "tokens": 40, "feature": "live_gift"}],
            "chat_messages": [NOW - timedelta(hours=h) for h in range(1, 4)],
        },
    }
    (c,) = crm.supporter_counters([supporter], NOW)
    assert (c["tokens_lifetime"], c["tokens_7d"], c["chat_messages_7d"], c["gifts_7d"]) == (40, 40, 3, 1)
    assert crm.score_supporters([supporter], NOW) == crm.score_supporters([c], NOW)


def test_explain_lists_contributions():
    e = crm.explain_score(counters(0, chat_messages_7d=3, profile_views_7d=2), NOW)
    assert [c["signal"] for c in e["contributions"]] == ["recent_chat", "profile_views"]
    assert e["segment_rule"] == {"rule": "default"}


def test_custom_config_and_invalid_config():
    (s,) = crm.score_supporters([counters(0, tokens_lifetime=500)], NOW, {"vip_lifetime_tokens": 500})
    assert s.segment == "vip"
    with pytest.raises(crm.InvalidInputError) as err:
        crm.score_supporters([], NOW, {"dormant_after_days": 40})
    assert err.value.field == "cold_after_days"


def test_bad_shape_names_the_item_without_the_value():
    with pytest.raises(crm.InvalidInputError) as err:
        crm.score_supporters([counters(0), {"id": "jane@example.com"}], NOW)
    assert err.value.field == "supporters[1]"
    assert "missing field" in err.value.reason
    assert "jane@example.com" not in str(err.value)
    with pytest.raises(crm.InvalidInputError) as err:
        crm.score_supporters([counters(0, tokens_7d="secret-value")], NOW)
    assert "secret-value" not in str(err.value)


def test_inbox_tabs_sorted_paged_and_sized():
    people = [
        counters(i, tokens_lifetime=(i % 15) * 100, last_active_at=NOW - timedelta(days=i % 12),
                 first_purchase_at=NOW - timedelta(days=2 * i) if i % 15 else None)
        for i in range(300)
    ]
    tabs = crm.inbox_tabs(people, NOW, limit=5, offset=1)
    assert set(tabs) == {"vip", "hot_leads", "all", "dormant", "new"}
    assert len(tabs["vip"]["ids"]) == 10
    lifetimes = [people[i]["tokens_lifetime"] for i in tabs["vip"]["indices"]]
    assert lifetimes == sorted(lifetimes, reverse=True)
    assert len(tabs["all"]["ids"]) == 5
    assert tabs["all"]["total"] == sum(1 for p in people if p["tokens_lifetime"] > 0)
    full = crm.inbox_tabs(people, NOW, limit=6)
    assert full["all"]["ids"][1:] == tabs["all"]["ids"]
    # Input order does not matter.
    assert crm.inbox_tabs(list(reversed(people)), NOW, limit=6)["all"]["ids"] == full["all"]["ids"]


def test_alerts_cooldown_round_trip():
    vip = counters(0, tokens_lifetime=2000, online=True)
    candidates = crm.detect_alerts([vip], NOW)
    assert [(a["kind"], a["priority"]) for a in candidates] == [("vip_online", "urgent")]
    outcome, state = crm.deliver_alerts(candidates, None, NOW)
    assert len(outcome["delivered"]) == 1
    later = NOW + timedelta(minutes=59)
    outcome, state = crm.deliver_alerts(crm.detect_alerts([vip], later), state, later)
    assert (len(outcome["delivered"]), len(outcome["suppressed"])) == (0, 1)
    hour = NOW + timedelta(hours=1)
    outcome, _ = crm.deliver_alerts(crm.detect_alerts([vip], hour), state, hour)
    assert len(outcome["delivered"]) == 1


def test_insights_never_invent_a_contact_time():
    quiet = {"id": "q", "joined_at": NOW - timedelta(days=400), "time_zone": "UTC", "activity": {}}
    busy = {
        "id": "b",
        "joined_at": NOW - timedelta(days=400),
        "time_zone": "Asia/Tokyo",
        "activity": {"chat_messages": [datetime(2026, 2, 25, 13, tzinfo=timezone.utc) - timedelta(weeks=w) for w in range(8)]},
    }
    q, b = crm.supporter_insights([quiet, busy], NOW)
    assert q["best_contact_time"] is None
    assert (b["best_contact_time"]["hour"], b["best_contact_time"]["weekday"]) == (22, "Wed")
    assert b["best_contact_time"]["time_zone"] == "Asia/Tokyo"
    assert q["retention_risk"]["level"] == "medium"


def test_arrow_tables_score_without_python_objects():
    pa = pytest.importorskip("pyarrow")
    rows = [
        counters(0, tokens_lifetime=999, chat_messages_7d=6),
        counters(1, tokens_lifetime=1000),
        counters(2, last_active_at=NOW - timedelta(days=7), online=True),
        counters(3, last_active_at=None),
    ]
    table = pa.table(
        {
            "id": [r["id"] for r in rows],
            "joined_at": pa.array([r["joined_at"] for r in rows], pa.timestamp("us", tz="UTC")),
            "tokens_lifetime": pa.array([r.get("tokens_lifetime") for r in rows], pa.int64()),
            "chat_messages_7d": [r.get("chat_messages_7d", 0) for r in rows],
            "last_active_at": pa.array([r["last_active_at"] for r in rows], pa.timestamp("ns", tz="UTC")),
            "online": [r.get("online", False) for r in rows],
        }
    )
    out = crm.score_supporters(table, NOW)
    assert isinstance(out, pa.Table)
    assert out.column("segment").to_pylist() == ["active", "vip", "dormant", "cold"]
    expected = crm.score_supporters(rows, NOW)
    assert out.column("probability").to_pylist() == [s.probability for s in expected]
    assert out.column("recent_chat").to_pylist() == [s.signals["recent_chat"] for s in expected]
    tabs = crm.inbox_tabs(table, NOW)
    assert tabs == crm.inbox_tabs(rows, NOW)


def test_polars_and_pandas_frames():
    pl = pytest.importorskip("polars")
    pd = pytest.importorskip("pandas")
    data = {
        "id": ["a", "b"],
        "joined_at": [NOW - timedelta(days=50), NOW - timedelta(days=50)],
        "tokens_lifetime": [5, 5000],
        "last_active_at": [NOW, NOW],
    }
    assert crm.score_supporters(pl.DataFrame(data), NOW).column("segment").to_pylist() == ["active", "vip"]
    assert crm.score_supporters(pd.DataFrame(data), NOW).column("segment").to_pylist() == ["active", "vip"]


def test_arrow_requires_id_and_joined_at():
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(crm.InvalidInputError) as err:
        crm.score_supporters(pa.table({"id": ["a"]}), NOW)
    assert err.value.field == "joined_at"
