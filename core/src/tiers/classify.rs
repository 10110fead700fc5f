//! The 7-tier creator classification.
//!
//! Rules, first match wins (lower bounds inclusive, defaults shown):
//!
//! 1. **Newcomer**: joined less than 30 days before `now` (`now - joined_at < 30 days`).
//! 2. **Legend**: in the top 0.1 % of the population by monthly earnings
//!    (population only: see below).
//! 3. By monthly earnings: **Emerging** below $1,000; **Rising** from $1,000;
//!    **Established** from $5,000; **Star** from $25,000; **Superstar** from $100,000.
//!
//! **How the top 0.1 % is computed.** For a population of `N` creators
//! (newcomers included) there are `k = ⌊N × 0.001⌋` Legend slots, so a
//! population under 1,000 has no Legend. A creator is a Legend when the
//! number of creators earning at least as much as they do (themselves
//! included) is at most `k`, they earn more than zero, and they are not a
//! Newcomer (a newcomer keeps their slot unused). A tie that straddles the cut
//! leaves the whole tied group out, so there are never more than `k` Legends
//! and the result does not depend on input order.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The seven creator tiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreatorTier {
    /// Joined less than 30 days ago.
    Newcomer,
    /// Below $1k a month.
    Emerging,
    /// $1k–5k a month.
    Rising,
    /// $5k–25k a month.
    Established,
    /// $25k–100k a month.
    Star,
    /// $100k a month and more.
    Superstar,
    /// Top 0.1 % of the population.
    Legend,
}

/// Tier bounds with the defaults of the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TierThresholds {
    /// Days after joining during which a creator is a Newcomer (30).
    pub newcomer_days: u32,
    /// Lower bound of Rising (1,000).
    pub rising: Decimal,
    /// Lower bound of Established (5,000).
    pub established: Decimal,
    /// Lower bound of Star (25,000).
    pub star: Decimal,
    /// Lower bound of Superstar (100,000).
    pub superstar: Decimal,
    /// Share of the population that is Legend (0.001).
    pub legend_share: Decimal,
}

impl Default for TierThresholds {
    fn default() -> Self {
        TierThresholds {
            newcomer_days: 30,
            rising: Decimal::from(1_000),
            established: Decimal::from(5_000),
            star: Decimal::from(25_000),
            superstar: Decimal::from(100_000),
            legend_share: Decimal::new(1, 3),
        }
    }
}

impl TierThresholds {
    /// Checks the earnings bounds increase and the Legend share is within `0..=1`.
    pub fn validate(&self) -> Result<()> {
        if !(Decimal::ZERO < self.rising
            && self.rising < self.established
            && self.established < self.star
            && self.star < self.superstar)
        {
            return Err(Error::invalid(
                "tier_thresholds",
                "earnings bounds must be positive and strictly increasing",
            ));
        }
        if self.legend_share < Decimal::ZERO || self.legend_share > Decimal::ONE {
            return Err(Error::invalid("legend_share", "must be within 0..=1"));
        }
        Ok(())
    }

    /// Legend slots in a population of `n`: `⌊n × legend_share⌋`.
    pub fn legend_slots(&self, n: usize) -> usize {
        let n_dec = Decimal::from(u64::try_from(n).unwrap_or(u64::MAX));
        n_dec
            .checked_mul(self.legend_share)
            .map(|d| d.floor())
            .and_then(|d| u64::try_from(d).ok())
            .and_then(|d| usize::try_from(d).ok())
            .unwrap_or(0)
    }
}

/// One creator to classify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierInput {
    /// The creator's key (normalized handle or host id).
    pub id: String,
    /// When the creator joined.
    pub joined_at: DateTime<Utc>,
    /// Earnings (or GMV) of the month being classified.
    pub monthly_earnings: Decimal,
}

/// The rule behind a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum TierRule {
    /// Joined less than `newcomer_days` ago.
    Newcomer {
        /// Whole days since joining.
        days_since_joining: i64,
        /// The threshold.
        newcomer_days: u32,
    },
    /// In the top share of the population.
    TopShare {
        /// Monthly earnings.
        monthly_earnings: Decimal,
        /// Creators earning at least as much (this one included).
        rank: usize,
        /// Legend slots in the population.
        slots: usize,
        /// Population size.
        population: usize,
    },
    /// In an earnings band.
    Earnings {
        /// Monthly earnings.
        monthly_earnings: Decimal,
        /// The band's inclusive lower bound (`None` for Emerging).
        threshold: Option<Decimal>,
        /// The next band's lower bound (`None` for Superstar).
        next_threshold: Option<Decimal>,
    },
    /// Kept at the previous tier by the minimum days in a tier.
    Held {
        /// The tier the rules gave.
        proposed: CreatorTier,
        /// Days spent in the kept tier so far.
        days_in_tier: i64,
        /// The minimum.
        min_days: u32,
    },
}

/// A tier and the rule that gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierDecision {
    /// The tier.
    pub tier: CreatorTier,
    /// Why.
    pub rule: TierRule,
}

/// Classifies one creator on their own (never Legend: that needs the
/// population, see [`classify_population`]).
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use creator_crm::tiers::{CreatorTier, TierInput, TierThresholds, classify_creator};
/// use rust_decimal_macros::dec;
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
/// let c = TierInput { id: "maya".into(), joined_at: now - Duration::days(400), monthly_earnings: dec!(5000) };
/// assert_eq!(classify_creator(&c, &TierThresholds::default(), now).tier, CreatorTier::Established);
/// ```
pub fn classify_creator(c: &TierInput, t: &TierThresholds, now: DateTime<Utc>) -> TierDecision {
    let age = (now.timestamp() - c.joined_at.timestamp()).max(0);
    if age < i64::from(t.newcomer_days) * 86_400 {
        return TierDecision {
            tier: CreatorTier::Newcomer,
            rule: TierRule::Newcomer {
                days_since_joining: age / 86_400,
                newcomer_days: t.newcomer_days,
            },
        };
    }
    let e = c.monthly_earnings;
    let (tier, threshold, next_threshold) = if e >= t.superstar {
        (CreatorTier::Superstar, Some(t.superstar), None)
    } else if e >= t.star {
        (CreatorTier::Star, Some(t.star), Some(t.superstar))
    } else if e >= t.established {
        (CreatorTier::Established, Some(t.established), Some(t.star))
    } else if e >= t.rising {
        (CreatorTier::Rising, Some(t.rising), Some(t.established))
    } else {
        (CreatorTier::Emerging, None, Some(t.rising))
    };
    TierDecision {
        tier,
        rule: TierRule::Earnings {
            monthly_earnings: e,
            threshold,
            next_threshold,
        },
    }
}

/// Classifies a whole population, Legends included; `result[i]` is the
/// decision for `creators[i]`.
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use creator_crm::tiers::{CreatorTier, TierInput, TierThresholds, classify_population};
/// use rust_decimal::Decimal;
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
/// let creators: Vec<TierInput> = (0..2_000)
///     .map(|i| TierInput {
///         id: format!("c{i}"),
///         joined_at: now - Duration::days(365),
///         monthly_earnings: Decimal::from(i),
///     })
///     .collect();
/// let tiers = classify_population(&creators, &TierThresholds::default(), now);
/// // 2,000 creators: ⌊2000 × 0.001⌋ = 2 Legends, the two top earners.
/// let legends: Vec<usize> = (0..2_000).filter(|&i| tiers[i].tier == CreatorTier::Legend).collect();
/// assert_eq!(legends, vec![1_998, 1_999]);
/// ```
pub fn classify_population(
    creators: &[TierInput],
    t: &TierThresholds,
    now: DateTime<Utc>,
) -> Vec<TierDecision> {
    let population = creators.len();
    let slots = t.legend_slots(population);
    let mut sorted: Vec<Decimal> = Vec::new();
    if slots > 0 {
        sorted = creators.iter().map(|c| c.monthly_earnings).collect();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
    }
    creators
        .iter()
        .map(|c| {
            let d = classify_creator(c, t, now);
            if slots == 0 || d.tier == CreatorTier::Newcomer || c.monthly_earnings <= Decimal::ZERO
            {
                return d;
            }
            let rank = sorted.partition_point(|e| *e >= c.monthly_earnings);
            if rank <= slots {
                TierDecision {
                    tier: CreatorTier::Legend,
                    rule: TierRule::TopShare {
                        monthly_earnings: c.monthly_earnings,
                        rank,
                        slots,
                        population,
                    },
                }
            } else {
                d
            }
        })
        .collect()
}
