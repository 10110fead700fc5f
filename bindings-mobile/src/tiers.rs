//! Mobile bindings of `creator_crm::tiers`: TikTok Shop badge and the
//! 7-tier classification, monthly GMV, minimum days in a tier. Money is a
//! decimal string (`"1234.56"`).

use std::time::SystemTime;

use chrono::NaiveDate;
use creator_crm::{Error, tiers as core};
use rust_decimal::Decimal;

use crate::{
    errors::CrmError,
    time::{from_system_time, to_system_time},
};

fn money(raw: &str, field: &'static str) -> Result<Decimal, CrmError> {
    raw.trim()
        .parse::<Decimal>()
        .map_err(|_| Error::invalid(field, "not a decimal amount").into())
}

/// A TikTok Shop badge, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ShopBadge {
    /// Below silver.
    Bronze,
    /// From 1,000 a month (public bound).
    Silver,
    /// From 5,000 a month (public bound).
    Gold,
    /// Assumed bound.
    Platinum,
    /// Assumed bound.
    Ruby,
    /// Assumed bound.
    Emerald,
    /// Assumed bound.
    Sapphire,
    /// Assumed bound.
    Diamond,
}

impl From<core::ShopBadge> for ShopBadge {
    fn from(b: core::ShopBadge) -> Self {
        match b {
            core::ShopBadge::Bronze => ShopBadge::Bronze,
            core::ShopBadge::Silver => ShopBadge::Silver,
            core::ShopBadge::Gold => ShopBadge::Gold,
            core::ShopBadge::Platinum => ShopBadge::Platinum,
            core::ShopBadge::Ruby => ShopBadge::Ruby,
            core::ShopBadge::Emerald => ShopBadge::Emerald,
            core::ShopBadge::Sapphire => ShopBadge::Sapphire,
            core::ShopBadge::Diamond => ShopBadge::Diamond,
        }
    }
}

impl From<ShopBadge> for core::ShopBadge {
    fn from(b: ShopBadge) -> Self {
        match b {
            ShopBadge::Bronze => core::ShopBadge::Bronze,
            ShopBadge::Silver => core::ShopBadge::Silver,
            ShopBadge::Gold => core::ShopBadge::Gold,
            ShopBadge::Platinum => core::ShopBadge::Platinum,
            ShopBadge::Ruby => core::ShopBadge::Ruby,
            ShopBadge::Emerald => core::ShopBadge::Emerald,
            ShopBadge::Sapphire => core::ShopBadge::Sapphire,
            ShopBadge::Diamond => core::ShopBadge::Diamond,
        }
    }
}

/// A TikTok Shop badge and why. Amounts are decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BadgeDecision {
    /// The badge.
    pub badge: ShopBadge,
    /// The monthly GMV decided on.
    pub monthly_gmv: String,
    /// The inclusive lower bound reached (`None` for bronze).
    pub threshold: Option<String>,
    /// Whether that bound is an assumption rather than a public figure.
    pub threshold_assumed: bool,
    /// The next badge up, if any.
    pub next_badge: Option<ShopBadge>,
    /// Its lower bound.
    pub next_threshold: Option<String>,
}

impl From<core::BadgeDecision> for BadgeDecision {
    fn from(d: core::BadgeDecision) -> Self {
        BadgeDecision {
            badge: d.badge.into(),
            monthly_gmv: d.monthly_gmv.to_string(),
            threshold: d.threshold.map(|t| t.to_string()),
            threshold_assumed: d.threshold_assumed,
            next_badge: d.next.map(|(b, _)| b.into()),
            next_threshold: d.next.map(|(_, t)| t.to_string()),
        }
    }
}

/// The default lower bounds of silver through diamond (7 decimal strings):
/// silver and gold are public, the rest assumed.
#[uniffi::export]
pub fn default_badge_thresholds() -> Vec<String> {
    let t = core::BadgeThresholds::default();
    core::ShopBadge::RANKED
        .iter()
        .filter_map(|&b| t.lower_bound(b))
        .map(|d| d.to_string())
        .collect()
}

/// The TikTok Shop badge for a monthly GMV (lower bounds inclusive), with
/// the given bounds of silver through diamond (7 decimal strings, strictly
/// increasing) or the defaults when `thresholds` is `None`.
///
/// # Errors
/// [`CrmError::InvalidInput`] when `monthly_gmv` or a bound is not a
/// decimal, or the bounds are not 7 positive increasing amounts.
#[uniffi::export(default(thresholds = None))]
pub fn shop_badge(
    monthly_gmv: String,
    thresholds: Option<Vec<String>>,
) -> Result<BadgeDecision, CrmError> {
    let thresholds = match thresholds {
        Some(raw) => {
            let bounds = raw
                .iter()
                .map(|b| money(b, "thresholds"))
                .collect::<Result<Vec<_>, _>>()?;
            let bounds: [Decimal; 7] = bounds
                .try_into()
                .map_err(|_| Error::invalid("thresholds", "expected 7 bounds"))?;
            core::BadgeThresholds::new(bounds)?
        }
        None => core::BadgeThresholds::default(),
    };
    Ok(core::shop_badge(money(&monthly_gmv, "monthly_gmv")?, &thresholds).into())
}

/// One creator to classify.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CreatorInput {
    /// The creator's key.
    pub id: String,
    /// When the creator joined.
    pub joined_at: SystemTime,
    /// Monthly earnings, a decimal string.
    pub monthly_earnings: String,
}

/// One of the 7 creator tiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum CreatorTier {
    /// Joined less than 30 days ago.
    Newcomer,
    /// Under $1k a month.
    Emerging,
    /// $1k–5k.
    Rising,
    /// $5k–25k.
    Established,
    /// $25k–100k.
    Star,
    /// $100k or more.
    Superstar,
    /// The top 0.1 % of the population.
    Legend,
}

impl From<core::CreatorTier> for CreatorTier {
    fn from(t: core::CreatorTier) -> Self {
        match t {
            core::CreatorTier::Newcomer => CreatorTier::Newcomer,
            core::CreatorTier::Emerging => CreatorTier::Emerging,
            core::CreatorTier::Rising => CreatorTier::Rising,
            core::CreatorTier::Established => CreatorTier::Established,
            core::CreatorTier::Star => CreatorTier::Star,
            core::CreatorTier::Superstar => CreatorTier::Superstar,
            core::CreatorTier::Legend => CreatorTier::Legend,
        }
    }
}

impl From<CreatorTier> for core::CreatorTier {
    fn from(t: CreatorTier) -> Self {
        match t {
            CreatorTier::Newcomer => core::CreatorTier::Newcomer,
            CreatorTier::Emerging => core::CreatorTier::Emerging,
            CreatorTier::Rising => core::CreatorTier::Rising,
            CreatorTier::Established => core::CreatorTier::Established,
            CreatorTier::Star => core::CreatorTier::Star,
            CreatorTier::Superstar => core::CreatorTier::Superstar,
            CreatorTier::Legend => core::CreatorTier::Legend,
        }
    }
}

/// The rule behind a tier decision. Amounts are decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum TierRule {
    /// Joined less than `newcomer_days` ago.
    Newcomer {
        /// Whole days since joining.
        days_since_joining: i64,
        /// The newcomer window, days.
        newcomer_days: u32,
    },
    /// Among the top share of the population by monthly earnings.
    TopShare {
        /// Monthly earnings.
        monthly_earnings: String,
        /// 1-based rank (ties share the rank of their last member).
        rank: u64,
        /// Legend slots in this population.
        slots: u64,
        /// Population size.
        population: u64,
    },
    /// Monthly earnings against the bounds.
    Earnings {
        /// Monthly earnings.
        monthly_earnings: String,
        /// The inclusive lower bound reached (`None` for Emerging).
        threshold: Option<String>,
        /// The next tier's bound (`None` for Superstar).
        next_threshold: Option<String>,
    },
    /// The previous tier kept until the minimum days in it have passed.
    Held {
        /// The tier the creator would have moved to.
        proposed: CreatorTier,
        /// Whole days in the kept tier.
        days_in_tier: i64,
        /// The minimum days required.
        min_days: u32,
    },
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn index(n: u64, field: &'static str) -> Result<usize, CrmError> {
    usize::try_from(n).map_err(|_| Error::invalid(field, "out of range").into())
}

fn opt_money(raw: Option<&String>, field: &'static str) -> Result<Option<Decimal>, CrmError> {
    raw.map(|r| money(r, field)).transpose()
}

impl From<core::TierRule> for TierRule {
    fn from(r: core::TierRule) -> Self {
        match r {
            core::TierRule::Newcomer {
                days_since_joining,
                newcomer_days,
            } => TierRule::Newcomer {
                days_since_joining,
                newcomer_days,
            },
            core::TierRule::TopShare {
                monthly_earnings,
                rank,
                slots,
                population,
            } => TierRule::TopShare {
                monthly_earnings: monthly_earnings.to_string(),
                rank: count(rank),
                slots: count(slots),
                population: count(population),
            },
            core::TierRule::Earnings {
                monthly_earnings,
                threshold,
                next_threshold,
            } => TierRule::Earnings {
                monthly_earnings: monthly_earnings.to_string(),
                threshold: threshold.map(|t| t.to_string()),
                next_threshold: next_threshold.map(|t| t.to_string()),
            },
            core::TierRule::Held {
                proposed,
                days_in_tier,
                min_days,
            } => TierRule::Held {
                proposed: proposed.into(),
                days_in_tier,
                min_days,
            },
        }
    }
}

impl TryFrom<&TierRule> for core::TierRule {
    type Error = CrmError;

    fn try_from(r: &TierRule) -> Result<Self, CrmError> {
        Ok(match r {
            TierRule::Newcomer {
                days_since_joining,
                newcomer_days,
            } => core::TierRule::Newcomer {
                days_since_joining: *days_since_joining,
                newcomer_days: *newcomer_days,
            },
            TierRule::TopShare {
                monthly_earnings,
                rank,
                slots,
                population,
            } => core::TierRule::TopShare {
                monthly_earnings: money(monthly_earnings, "monthly_earnings")?,
                rank: index(*rank, "rank")?,
                slots: index(*slots, "slots")?,
                population: index(*population, "population")?,
            },
            TierRule::Earnings {
                monthly_earnings,
                threshold,
                next_threshold,
            } => core::TierRule::Earnings {
                monthly_earnings: money(monthly_earnings, "monthly_earnings")?,
                threshold: opt_money(threshold.as_ref(), "threshold")?,
                next_threshold: opt_money(next_threshold.as_ref(), "next_threshold")?,
            },
            TierRule::Held {
                proposed,
                days_in_tier,
                min_days,
            } => core::TierRule::Held {
                proposed: (*proposed).into(),
                days_in_tier: *days_in_tier,
                min_days: *min_days,
            },
        })
    }
}

/// A creator tier and the rule that gave it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TierDecision {
    /// The tier.
    pub tier: CreatorTier,
    /// Why.
    pub rule: TierRule,
}

impl From<core::TierDecision> for TierDecision {
    fn from(d: core::TierDecision) -> Self {
        TierDecision {
            tier: d.tier.into(),
            rule: d.rule.into(),
        }
    }
}

impl TryFrom<&TierDecision> for core::TierDecision {
    type Error = CrmError;

    fn try_from(d: &TierDecision) -> Result<Self, CrmError> {
        Ok(core::TierDecision {
            tier: d.tier.into(),
            rule: (&d.rule).try_into()?,
        })
    }
}

/// The bounds of the 7-tier classification. Amounts are decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TierThresholds {
    /// Creators who joined fewer days ago are Newcomers.
    pub newcomer_days: u32,
    /// Monthly earnings from which a creator is Rising.
    pub rising: String,
    /// ... Established.
    pub established: String,
    /// ... Star.
    pub star: String,
    /// ... Superstar.
    pub superstar: String,
    /// Share of the population that is Legend (`0.001` = top 0.1 %).
    pub legend_share: String,
}

impl From<core::TierThresholds> for TierThresholds {
    fn from(t: core::TierThresholds) -> Self {
        TierThresholds {
            newcomer_days: t.newcomer_days,
            rising: t.rising.to_string(),
            established: t.established.to_string(),
            star: t.star.to_string(),
            superstar: t.superstar.to_string(),
            legend_share: t.legend_share.to_string(),
        }
    }
}

impl TryFrom<&TierThresholds> for core::TierThresholds {
    type Error = CrmError;

    fn try_from(t: &TierThresholds) -> Result<Self, CrmError> {
        let out = core::TierThresholds {
            newcomer_days: t.newcomer_days,
            rising: money(&t.rising, "rising")?,
            established: money(&t.established, "established")?,
            star: money(&t.star, "star")?,
            superstar: money(&t.superstar, "superstar")?,
            legend_share: money(&t.legend_share, "legend_share")?,
        };
        out.validate()?;
        Ok(out)
    }
}

/// The documented default tier bounds, to copy and adjust.
#[uniffi::export]
pub fn default_tier_thresholds() -> TierThresholds {
    core::TierThresholds::default().into()
}

/// Classifies creators into the 7 tiers, Legends included
/// (`floor(n × legend_share)` slots, ties at the cut excluded), with the
/// given bounds (the defaults when `thresholds` is `None`).
///
/// # Errors
/// [`CrmError::InvalidInput`] for an amount that is not a decimal, a
/// timestamp out of range or incoherent bounds.
#[uniffi::export(default(thresholds = None))]
pub fn classify_creators(
    creators: Vec<CreatorInput>,
    now: SystemTime,
    thresholds: Option<TierThresholds>,
) -> Result<Vec<TierDecision>, CrmError> {
    let now = from_system_time(now)?;
    let thresholds = match &thresholds {
        Some(t) => t.try_into()?,
        None => core::TierThresholds::default(),
    };
    let inputs = creators
        .iter()
        .map(|c| {
            Ok(core::TierInput {
                id: c.id.clone(),
                joined_at: from_system_time(c.joined_at)?,
                monthly_earnings: money(&c.monthly_earnings, "monthly_earnings")?,
            })
        })
        .collect::<Result<Vec<_>, CrmError>>()?;
    Ok(core::classify_population(&inputs, &thresholds, now)
        .into_iter()
        .map(TierDecision::from)
        .collect())
}

/// The tier a creator held before, and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct PreviousTier {
    /// The tier.
    pub tier: CreatorTier,
    /// Since when.
    pub since: SystemTime,
}

/// A decision after the minimum-days rule, and since when the tier is held.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StableTier {
    /// The decision (rule `Held` when the previous tier was kept).
    pub decision: TierDecision,
    /// Since when the creator holds `decision.tier`.
    pub since: SystemTime,
}

/// Keeps a creator in their previous tier until they spent `min_days` whole
/// days in it (a Newcomer always moves on; 0 disables the rule).
///
/// # Errors
/// [`CrmError::InvalidInput`] for an amount in the decision that is not a
/// decimal or a timestamp out of range.
#[uniffi::export]
pub fn apply_minimum_days(
    decision: TierDecision,
    previous: Option<PreviousTier>,
    min_days: u32,
    now: SystemTime,
) -> Result<StableTier, CrmError> {
    let previous = previous
        .map(|p| {
            Ok::<_, CrmError>(core::PreviousTier {
                tier: p.tier.into(),
                since: from_system_time(p.since)?,
            })
        })
        .transpose()?;
    let s = core::apply_minimum_days(
        (&decision).try_into()?,
        previous,
        min_days,
        from_system_time(now)?,
    );
    Ok(StableTier {
        decision: s.decision.into(),
        since: to_system_time(s.since),
    })
}

/// One dated GMV figure: an amount (video GMV by post date) or a running
/// total (a snapshot), depending on the function it is given to.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GmvObservation {
    /// The date, ISO 8601 (`2026-03-01`).
    pub date: String,
    /// The amount, a decimal string.
    pub gmv: String,
}

fn observations(obs: &[GmvObservation]) -> Result<Vec<core::GmvObservation>, CrmError> {
    obs.iter()
        .map(|o| {
            Ok(core::GmvObservation {
                date: o
                    .date
                    .trim()
                    .parse::<NaiveDate>()
                    .map_err(|_| Error::invalid("date", "not an ISO 8601 date"))?,
                gmv: money(&o.gmv, "gmv")?,
            })
        })
        .collect()
}

/// The GMV of one calendar month: the sum of the amounts dated in it
/// (a decimal string, `"0"` without any).
///
/// # Errors
/// [`CrmError::InvalidInput`] for an invalid month, date or amount.
#[uniffi::export]
pub fn monthly_gmv(
    observations: Vec<GmvObservation>,
    year: i32,
    month: u32,
) -> Result<String, CrmError> {
    let month = core::YearMonth::new(year, month)?;
    Ok(core::monthly_gmv(&self::observations(&observations)?, month).to_string())
}

/// The GMV of one calendar month from running totals: the last total in
/// the month minus the last one before it (never negative); `None` without
/// a snapshot in the month or before it.
///
/// # Errors
/// [`CrmError::InvalidInput`] for an invalid month, date or amount.
#[uniffi::export]
pub fn monthly_gmv_from_snapshots(
    snapshots: Vec<GmvObservation>,
    year: i32,
    month: u32,
) -> Result<Option<String>, CrmError> {
    let month = core::YearMonth::new(year, month)?;
    Ok(core::monthly_gmv_from_snapshots(&observations(&snapshots)?, month).map(|d| d.to_string()))
}
