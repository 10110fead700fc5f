"""Creator tiers from Python: badge, classification, minimum days, monthly GMV."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

import creator_crm as crm

NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "gmv, badge",
    [(0, "bronze"), (Decimal("999.99"), "bronze"), (1000, "silver"), ("4999.99", "silver"),
     (5000, "gold"), (25000, "platinum"), (500000, "diamond")],
)
def test_shop_badge_bounds(gmv, badge):
    assert crm.shop_badge(gmv)["badge"] == badge


def test_badge_explains_itself():
    b = crm.shop_badge(Decimal("30000"))
    assert b["threshold"] == "25000" and b["threshold_assumed"] is True
    assert b["next"] == ["ruby", "50000"]
    with pytest.raises(crm.InvalidInputError):
        crm.shop_badge(1, thresholds=[1, 2, 3])


def test_classification_and_legend_share():
    creators = [
        {"id": f"c{i}", "joined_at": NOW - timedelta(days=365), "monthly_earnings": i}
        for i in range(2000)
    ]
    creators.append({"id": "new", "joined_at": NOW - timedelta(days=29), "monthly_earnings": "999999"})
    tiers = crm.classify_creators(creators, NOW)
    # 2,001 creators: 2 slots; the top earner is a newcomer, whose slot stays unused.
    assert [t["tier"] for t in tiers[1998:]] == ["rising", "legend", "newcomer"]
    assert tiers[1999]["rule"] == {"rule": "top_share", "monthly_earnings": "1999", "rank": 2, "slots": 2, "population": 2001}
    assert tiers[999]["tier"] == "emerging"
    assert tiers[1000]["tier"] == "rising"


def test_minimum_days_hold():
    (d,) = crm.classify_creators([{"id": "c", "joined_at": NOW - timedelta(days=400), "monthly_earnings": Decimal("900")}], NOW)
    held = crm.apply_minimum_days(d, {"tier": "rising", "since": NOW - timedelta(days=10)}, 30, NOW)
    assert held["decision"]["tier"] == "rising"
    assert held["decision"]["rule"]["rule"] == "held"
    assert crm.apply_minimum_days(d, None, 30, NOW)["decision"]["tier"] == "emerging"


def test_monthly_gmv():
    obs = [{"date": date(2026, 1, 31), "gmv": 5}, {"date": "2026-02-01", "gmv": Decimal("1.10")}, {"date": date(2026, 2, 28), "gmv": "2.20"}]
    assert crm.monthly_gmv(obs, 2026, 2) == Decimal("3.30")
    assert crm.monthly_gmv(obs, 2026, 2, cumulative=True) == Decimal("0")
    assert crm.monthly_gmv(obs[1:], 2026, 2, cumulative=True) is None
    with pytest.raises(crm.InvalidInputError):
        crm.monthly_gmv(obs, 2026, 13)
