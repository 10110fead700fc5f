//! Exact tier bounds, Legend share, minimum days and monthly GMV.
#![allow(clippy::unwrap_used, missing_docs)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use creator_crm::tiers::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap()
}

fn creator(id: &str, days: i64, earnings: Decimal) -> TierInput {
    TierInput {
        id: id.into(),
        joined_at: now() - Duration::days(days),
        monthly_earnings: earnings,
    }
}

fn tier(earnings: Decimal) -> CreatorTier {
    classify_creator(
        &creator("c", 365, earnings),
        &TierThresholds::default(),
        now(),
    )
    .tier
}

#[test]
fn every_earnings_bound_is_inclusive_below() {
    use CreatorTier::*;
    for (e, t) in [
        (dec!(0), Emerging),
        (dec!(999.99), Emerging),
        (dec!(1000), Rising),
        (dec!(4999.99), Rising),
        (dec!(5000), Established),
        (dec!(24999.99), Established),
        (dec!(25000), Star),
        (dec!(99999.99), Star),
        (dec!(100000), Superstar),
        (dec!(-50), Emerging),
    ] {
        assert_eq!(tier(e), t, "{e}");
    }
}

#[test]
fn newcomer_below_30_days() {
    let t = TierThresholds::default();
    let just = TierInput {
        joined_at: now() - Duration::days(30) + Duration::seconds(1),
        ..creator("c", 0, dec!(200000))
    };
    let d = classify_creator(&just, &t, now());
    assert_eq!(d.tier, CreatorTier::Newcomer);
    assert_eq!(
        d.rule,
        TierRule::Newcomer {
            days_since_joining: 29,
            newcomer_days: 30
        }
    );
    let d = classify_creator(&creator("c", 30, dec!(200000)), &t, now());
    assert_eq!(d.tier, CreatorTier::Superstar);
    assert_eq!(
        d.rule,
        TierRule::Earnings {
            monthly_earnings: dec!(200000),
            threshold: Some(dec!(100000)),
            next_threshold: None
        }
    );
}

#[test]
fn legend_slots_are_floor_of_a_thousandth() {
    let t = TierThresholds::default();
    assert_eq!(t.legend_slots(0), 0);
    assert_eq!(t.legend_slots(999), 0);
    assert_eq!(t.legend_slots(1_000), 1);
    assert_eq!(t.legend_slots(1_999), 1);
    assert_eq!(t.legend_slots(2_000), 2);
}

#[test]
fn legend_needs_a_large_enough_population_and_skips_ties_and_newcomers() {
    let t = TierThresholds::default();
    let base = |n: usize| -> Vec<TierInput> {
        (0..n)
            .map(|i| creator(&format!("c{i}"), 365, Decimal::from(i)))
            .collect()
    };
    // 999 creators: no Legend at all.
    let d = classify_population(&base(999), &t, now());
    assert!(d.iter().all(|d| d.tier != CreatorTier::Legend));
    // 1,000: the single top earner.
    let d = classify_population(&base(1_000), &t, now());
    assert_eq!(d[999].tier, CreatorTier::Legend);
    assert_eq!(
        d[999].rule,
        TierRule::TopShare {
            monthly_earnings: dec!(999),
            rank: 1,
            slots: 1,
            population: 1_000
        }
    );
    assert_eq!(
        d.iter().filter(|d| d.tier == CreatorTier::Legend).count(),
        1
    );
    // A tie across the cut: nobody.
    let mut tied = base(1_000);
    tied[998].monthly_earnings = dec!(999);
    let d = classify_population(&tied, &t, now());
    assert!(d.iter().all(|d| d.tier != CreatorTier::Legend));
    // The top earner is a newcomer: the slot stays unused.
    let mut fresh = base(1_000);
    fresh[999].joined_at = now() - Duration::days(3);
    let d = classify_population(&fresh, &t, now());
    assert_eq!(d[999].tier, CreatorTier::Newcomer);
    assert!(d.iter().all(|d| d.tier != CreatorTier::Legend));
}

#[test]
fn minimum_days_hold_changes_but_not_leaving_newcomer() {
    let t = TierThresholds::default();
    let proposed = classify_creator(&creator("c", 365, dec!(30000)), &t, now());
    let prev = |tier, days| {
        Some(PreviousTier {
            tier,
            since: now() - Duration::days(days),
        })
    };
    let held = apply_minimum_days(proposed, prev(CreatorTier::Established, 29), 30, now());
    assert_eq!(held.decision.tier, CreatorTier::Established);
    assert_eq!(
        held.decision.rule,
        TierRule::Held {
            proposed: CreatorTier::Star,
            days_in_tier: 29,
            min_days: 30
        }
    );
    let moved = apply_minimum_days(proposed, prev(CreatorTier::Established, 30), 30, now());
    assert_eq!(
        (moved.decision.tier, moved.since),
        (CreatorTier::Star, now())
    );
    let out = apply_minimum_days(proposed, prev(CreatorTier::Newcomer, 1), 30, now());
    assert_eq!(out.decision.tier, CreatorTier::Star);
    let same = apply_minimum_days(proposed, prev(CreatorTier::Star, 3), 30, now());
    assert_eq!(same.since, now() - Duration::days(3));
    assert_eq!(apply_minimum_days(proposed, None, 30, now()).since, now());
}

#[test]
fn badge_bounds() {
    let t = BadgeThresholds::default();
    for (gmv, badge) in [
        (dec!(0), ShopBadge::Bronze),
        (dec!(999.99), ShopBadge::Bronze),
        (dec!(1000), ShopBadge::Silver),
        (dec!(4999.99), ShopBadge::Silver),
        (dec!(5000), ShopBadge::Gold),
        (dec!(24999.99), ShopBadge::Gold),
        (dec!(25000), ShopBadge::Platinum),
        (dec!(50000), ShopBadge::Ruby),
        (dec!(100000), ShopBadge::Emerald),
        (dec!(250000), ShopBadge::Sapphire),
        (dec!(499999.99), ShopBadge::Sapphire),
        (dec!(500000), ShopBadge::Diamond),
    ] {
        assert_eq!(shop_badge(gmv, &t).badge, badge, "{gmv}");
    }
    let p = shop_badge(dec!(30000), &t);
    assert!(p.threshold_assumed);
    assert_eq!(p.next, Some((ShopBadge::Ruby, dec!(50000))));
    assert_eq!(shop_badge(dec!(600000), &t).next, None);
}

#[test]
fn badge_thresholds_must_increase() {
    let mut b = [1_000, 5_000, 25_000, 50_000, 100_000, 250_000, 500_000].map(Decimal::from);
    assert!(BadgeThresholds::new(b).is_ok());
    b[3] = dec!(25000);
    let err = BadgeThresholds::new(b).unwrap_err();
    assert_eq!(err.field(), Some("badge_thresholds"));
}

#[test]
fn monthly_gmv_sums_one_calendar_month() {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let obs = [
        GmvObservation {
            date: d(1, 31),
            gmv: dec!(5),
        },
        GmvObservation {
            date: d(2, 1),
            gmv: dec!(1.10),
        },
        GmvObservation {
            date: d(2, 28),
            gmv: dec!(2.20),
        },
        GmvObservation {
            date: d(3, 1),
            gmv: dec!(7),
        },
    ];
    let feb = YearMonth::new(2026, 2).unwrap();
    assert_eq!(monthly_gmv(&obs, feb), dec!(3.30));
    assert_eq!(monthly_gmv(&[], feb), Decimal::ZERO);
    // Snapshots: needs a baseline before the month; a drop gives zero.
    assert_eq!(monthly_gmv_from_snapshots(&obs[1..], feb), None);
    let drop = [
        GmvObservation {
            date: d(1, 20),
            gmv: dec!(100),
        },
        GmvObservation {
            date: d(2, 20),
            gmv: dec!(40),
        },
    ];
    assert_eq!(monthly_gmv_from_snapshots(&drop, feb), Some(Decimal::ZERO));
}
