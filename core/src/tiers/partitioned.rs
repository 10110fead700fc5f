//! The Legend rule over a partitioned population: each partition sends a small
//! [`LegendSummary`] (its size and its top earnings), one global step makes the
//! [`LegendCut`], and each partition classifies its own creators with it, exactly as
//! [`classify_population`](super::classify_population) classifies the whole population.
//!
//! A creator's Legend rank counts the creators earning at least as much, over the whole
//! population; only the top `slots + 1` earnings can decide it, so each partition sends
//! at most that many (`slots = ⌊N × legend_share⌋` for the whole population `N`, known
//! after the partitions' sizes are summed: [`legend_keep`]). Two rounds, both tiny: the
//! sizes, then the top earnings.
//!
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use creator_crm::tiers::{LegendCut, LegendSummary, TierInput, TierThresholds, classify_population, legend_keep};
//! use rust_decimal::Decimal;
//! let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
//! let t = TierThresholds::default();
//! let all: Vec<TierInput> = (0..3_000)
//!     .map(|i| TierInput { id: format!("c{i}"), joined_at: now - Duration::days(90), monthly_earnings: Decimal::from(i % 1_000) })
//!     .collect();
//! let parts: Vec<&[TierInput]> = all.chunks(700).collect();
//! let keep = legend_keep(&t, parts.iter().map(|p| p.len()).sum());
//! let summaries: Vec<LegendSummary> = parts.iter().map(|p| LegendSummary::new(p, keep)).collect();
//! let cut = LegendCut::new(&summaries, &t)?;
//! let got: Vec<_> = parts.iter().flat_map(|p| cut.classify(p, &t, now)).collect();
//! assert_eq!(got, classify_population(&all, &t, now));
//! # Ok::<(), creator_crm::Error>(())
//! ```

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{CreatorTier, TierDecision, TierInput, TierRule, TierThresholds, classify_creator};
use crate::{Error, Result};

/// How many top earnings each partition sends for a population of `population`:
/// the Legend slots plus one.
pub fn legend_keep(t: &TierThresholds, population: usize) -> usize {
    t.legend_slots(population).saturating_add(1)
}

/// One partition's part of the Legend rule: its size and its `keep` highest positive
/// earnings (newcomers included: they count in everyone's rank).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegendSummary {
    population: usize,
    /// Highest first.
    top: Vec<Decimal>,
    /// Whether `top` holds every positive earning of the partition.
    complete: bool,
}

impl LegendSummary {
    /// The summary of `creators`, keeping their `keep` highest positive earnings
    /// ([`legend_keep`] of the whole population).
    pub fn new(creators: &[TierInput], keep: usize) -> Self {
        let mut top: Vec<Decimal> = creators
            .iter()
            .map(|c| c.monthly_earnings)
            .filter(|e| *e > Decimal::ZERO)
            .collect();
        top.sort_unstable_by(|a, b| b.cmp(a));
        let complete = top.len() <= keep;
        top.truncate(keep);
        LegendSummary {
            population: creators.len(),
            top,
            complete,
        }
    }

    /// The partition's size.
    pub fn population(&self) -> usize {
        self.population
    }
}

/// The Legend rule's global facts: the population, its slots and the earnings that can
/// decide a rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegendCut {
    population: usize,
    slots: usize,
    /// Highest first: at least the top `slots + 1` earnings of the population.
    top: Vec<Decimal>,
}

impl LegendCut {
    /// The cut from every partition's summary.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] on field `legend_summary` when a summary kept
    /// fewer earnings than the population's slots need (made with a `keep` below
    /// [`legend_keep`] of the whole population).
    pub fn new(summaries: &[LegendSummary], t: &TierThresholds) -> Result<Self> {
        let population: usize = summaries.iter().map(|s| s.population).sum();
        let slots = t.legend_slots(population);
        let need = slots.saturating_add(1);
        if summaries.iter().any(|s| !s.complete && s.top.len() < need) {
            return Err(Error::invalid(
                "legend_summary",
                "a summary keeps fewer earnings than the legend slots need",
            ));
        }
        let mut top: Vec<Decimal> = summaries
            .iter()
            .flat_map(|s| s.top.iter().copied())
            .collect();
        top.sort_unstable_by(|a, b| b.cmp(a));
        top.truncate(need);
        Ok(LegendCut {
            population,
            slots,
            top,
        })
    }

    /// Legend slots in the whole population.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// Classifies one partition's creators: `result[i]` is what
    /// [`classify_population`](super::classify_population) of the whole population
    /// gives `creators[i]`.
    pub fn classify(
        &self,
        creators: &[TierInput],
        t: &TierThresholds,
        now: DateTime<Utc>,
    ) -> Vec<TierDecision> {
        creators
            .iter()
            .map(|c| {
                let d = classify_creator(c, t, now);
                if self.slots == 0
                    || d.tier == CreatorTier::Newcomer
                    || c.monthly_earnings <= Decimal::ZERO
                {
                    return d;
                }
                // Exact for the kept earnings; below them the rank is past the slots.
                let rank = self.top.partition_point(|e| *e >= c.monthly_earnings);
                if rank <= self.slots {
                    TierDecision {
                        tier: CreatorTier::Legend,
                        rule: TierRule::TopShare {
                            monthly_earnings: c.monthly_earnings,
                            rank,
                            slots: self.slots,
                            population: self.population,
                        },
                    }
                } else {
                    d
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    use super::*;
    use crate::tiers::classify_population;

    proptest! {
        #[test]
        fn partitioned_legends_equal_the_population_rule(
            earnings in prop::collection::vec((0i64..40, 0i64..400), 0..4_000),
            parts in 1usize..17,
            share in prop::sample::select(vec![Decimal::new(1, 3), Decimal::new(1, 2), Decimal::new(5, 2)]),
        ) {
            let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
            let t = TierThresholds { legend_share: share, ..TierThresholds::default() };
            let all: Vec<TierInput> = earnings
                .iter()
                .enumerate()
                .map(|(i, &(age, e))| TierInput {
                    id: format!("c{i}"),
                    joined_at: now - Duration::days(age),
                    monthly_earnings: Decimal::from(e - 20),
                })
                .collect();
            // Partitions of uneven sizes, by a hash of the id.
            let mut split: Vec<Vec<TierInput>> = vec![Vec::new(); parts];
            for c in &all {
                let p = xxhash_rust::xxh3::xxh3_64(c.id.as_bytes()) as usize % parts;
                split[p].push(c.clone());
            }
            let keep = legend_keep(&t, all.len());
            let summaries: Vec<LegendSummary> =
                split.iter().map(|p| LegendSummary::new(p, keep)).collect();
            let cut = LegendCut::new(&summaries, &t).unwrap();
            let want = classify_population(&all, &t, now);
            let by_id: std::collections::HashMap<&str, &TierDecision> =
                all.iter().map(|c| c.id.as_str()).zip(&want).collect();
            for p in &split {
                for (c, d) in p.iter().zip(cut.classify(p, &t, now)) {
                    prop_assert_eq!(&d, *by_id.get(c.id.as_str()).unwrap());
                }
            }
        }
    }

    #[test]
    fn a_summary_that_keeps_too_little_is_refused() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        let t = TierThresholds::default();
        let all: Vec<TierInput> = (0..5_000)
            .map(|i| TierInput {
                id: format!("c{i}"),
                joined_at: now - Duration::days(90),
                monthly_earnings: Decimal::from(i),
            })
            .collect();
        let s = LegendSummary::new(&all, 2);
        let e = LegendCut::new(&[s], &t).unwrap_err();
        assert_eq!(e.field(), Some("legend_summary"));
    }
}
