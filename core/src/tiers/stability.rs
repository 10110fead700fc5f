//! Minimum days in a tier, so creators don't flap between tiers month to month.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::classify::{CreatorTier, TierDecision, TierRule};

/// The tier a creator held before, and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousTier {
    /// The tier.
    pub tier: CreatorTier,
    /// Since when.
    pub since: DateTime<Utc>,
}

/// A decision after the minimum-days rule, with the date the host should
/// store as the tier's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StableTier {
    /// The decision (rule [`TierRule::Held`] when the previous tier was kept).
    pub decision: TierDecision,
    /// Since when the creator holds `decision.tier`.
    pub since: DateTime<Utc>,
}

/// Applies a minimum number of days in a tier: a change away from
/// `previous` is held back until the creator has spent `min_days` whole days
/// in it. Leaving Newcomer is never held (it is a date, not a flap), and
/// `min_days = 0` changes nothing.
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use creator_crm::tiers::*;
/// use rust_decimal_macros::dec;
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
/// let c = TierInput { id: "maya".into(), joined_at: now - Duration::days(400), monthly_earnings: dec!(900) };
/// let proposed = classify_creator(&c, &TierThresholds::default(), now); // Emerging
/// let prev = PreviousTier { tier: CreatorTier::Rising, since: now - Duration::days(10) };
/// let kept = apply_minimum_days(proposed, Some(prev), 30, now);
/// assert_eq!(kept.decision.tier, CreatorTier::Rising);
/// assert_eq!(kept.since, prev.since);
/// ```
pub fn apply_minimum_days(
    proposed: TierDecision,
    previous: Option<PreviousTier>,
    min_days: u32,
    now: DateTime<Utc>,
) -> StableTier {
    let Some(prev) = previous else {
        return StableTier {
            decision: proposed,
            since: now,
        };
    };
    if prev.tier == proposed.tier {
        return StableTier {
            decision: proposed,
            since: prev.since,
        };
    }
    let days_in_tier = (now.timestamp() - prev.since.timestamp()).max(0) / 86_400;
    if prev.tier != CreatorTier::Newcomer && days_in_tier < i64::from(min_days) {
        StableTier {
            decision: TierDecision {
                tier: prev.tier,
                rule: TierRule::Held {
                    proposed: proposed.tier,
                    days_in_tier,
                    min_days,
                },
            },
            since: prev.since,
        }
    } else {
        StableTier {
            decision: proposed,
            since: now,
        }
    }
}
