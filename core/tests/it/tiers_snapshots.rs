//! Snapshot of tier and badge decisions.
#![allow(clippy::unwrap_used, missing_docs)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use creator_crm::tiers::*;
use rust_decimal::Decimal;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 18, 0, 0).unwrap()
}

#[test]
fn tier_decisions() {
    let base = now() - Duration::days(400);
    let earnings = [
        "0", "450.5", "999.99", "1000", "3200", "4999.99", "5000", "12000", "24999.99", "25000",
        "60000", "99999.99", "100000", "250000",
    ];
    let mut creators: Vec<TierInput> = earnings
        .iter()
        .enumerate()
        .map(|(i, e)| TierInput {
            id: format!("creator-{i:02}"),
            joined_at: base,
            monthly_earnings: e.parse::<Decimal>().unwrap(),
        })
        .collect();
    creators.push(TierInput {
        id: "fresh".into(),
        joined_at: now() - Duration::days(12),
        monthly_earnings: Decimal::from(40_000),
    });
    // Pad to 2,000 so the top two earners are Legends.
    creators.extend((0..1_985).map(|i| TierInput {
        id: format!("pad-{i:04}"),
        joined_at: base,
        monthly_earnings: Decimal::from(i % 700),
    }));
    let decisions = classify_population(&creators, &TierThresholds::default(), now());
    let shown: Vec<(String, TierDecision, BadgeDecision)> = creators
        .iter()
        .zip(&decisions)
        .take(15)
        .map(|(c, d)| {
            (
                c.id.clone(),
                *d,
                shop_badge(c.monthly_earnings, &BadgeThresholds::default()),
            )
        })
        .collect();
    insta::assert_yaml_snapshot!("tier_decisions", shown);
}
