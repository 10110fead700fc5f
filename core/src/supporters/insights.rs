//! Insights on one supporter: best contact time, spending and engagement
//! trends, retention risk and a likely fan-club upgrade.
//!
//! - **Spending trend**: tokens in the last 30 days against the 30 before.
//! - **Engagement trend**: chats, profile views, likes, live sessions and
//!   matches in the last 14 days against the 14 before.
//! - A trend is *rising* at +20 % or more, *falling* at −20 % or less,
//!   *stable* in between, *new* when only the recent window has activity and
//!   *none* when neither has.
//! - **Retention risk** `0..=100`, high from 60, medium from 30. Backed by a
//!   BG/NBD model of the population's purchases where there is one and it has
//!   something to say about the supporter ([`insights_with_model`],
//!   [`insights_for_all`]; see [`PurchaseModel`]): `100 × (1 − P(alive))`.
//!   Otherwise the heuristic: up to 50 points for inactivity (full at 30 days),
//!   25 for falling spending, 25 for falling engagement. The risk says which
//!   ([`RiskBasis`]) and explains its numbers in words.
//! - **Fan-club upgrade**: a member of tier `t` is likely to move to `t + 1`
//!   when they spent at least `300 × (t + 1)` tokens in 30 days and their
//!   engagement is not falling; a non-member likewise for tier 1 (300 tokens).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    contact_time::{ActivityHistogram, ContactTime, best_contact_time},
    model::Supporter,
    retention::{HeuristicReason, ModelRisk, PurchaseModel, RetentionConfig},
    span,
};

/// Insight settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InsightConfig {
    /// Days of activity the contact-time histogram looks at (90).
    pub contact_lookback_days: i64,
    /// Tokens in 30 days per fan-club tier that suggest an upgrade (300).
    pub upgrade_tokens_per_tier: u64,
    /// The highest fan-club tier (5).
    pub max_fan_club_tier: u8,
}

impl Default for InsightConfig {
    fn default() -> Self {
        InsightConfig {
            contact_lookback_days: 90,
            upgrade_tokens_per_tier: 300,
            max_fan_club_tier: 5,
        }
    }
}

/// Direction of a measure between two equal windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendDirection {
    /// +20 % or more.
    Rising,
    /// Within ±20 %.
    Stable,
    /// −20 % or less.
    Falling,
    /// Activity only in the recent window.
    New,
    /// No activity in either window.
    None,
}

/// A measure over the recent window against the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trend {
    /// The direction.
    pub direction: TrendDirection,
    /// The recent window's amount.
    pub recent: u64,
    /// The previous window's amount.
    pub previous: u64,
}

impl Trend {
    /// Classifies `recent` against `previous`.
    pub fn between(recent: u64, previous: u64) -> Trend {
        let (r, p) = (u128::from(recent), u128::from(previous));
        let direction = match (recent, previous) {
            (0, 0) => TrendDirection::None,
            (_, 0) => TrendDirection::New,
            _ if r * 10 >= p * 12 => TrendDirection::Rising,
            _ if r * 10 <= p * 8 => TrendDirection::Falling,
            _ => TrendDirection::Stable,
        };
        Trend {
            direction,
            recent,
            previous,
        }
    }
}

/// How likely a supporter is to stop supporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Below 30.
    Low,
    /// 30–59.
    Medium,
    /// 60 and above.
    High,
}

/// What a retention risk was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum RiskBasis {
    /// The BG/NBD model of purchases: the score is `round(100 × (1 − P(alive)))`.
    #[serde(rename = "bgnbd")]
    BgNbd(ModelRisk),
    /// The heuristic of inactivity and falling trends, and why the model was not used.
    Heuristic {
        /// Why not the model.
        reason: HeuristicReason,
    },
}

/// Retention risk with its parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionRisk {
    /// The level.
    pub level: RiskLevel,
    /// `0..=100`.
    pub score: u8,
    /// Whole days since the last activity (or since joining).
    pub days_inactive: i64,
    /// Spending is falling.
    pub spending_falling: bool,
    /// Engagement is falling.
    pub engagement_falling: bool,
    /// The model or the heuristic, with its numbers.
    pub basis: RiskBasis,
    /// The basis and its numbers in words (no personal data).
    pub explanation: String,
}

/// A likely fan-club upgrade (or first membership).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpgradeHint {
    /// The current tier (`None`: not a member).
    pub current_tier: Option<u8>,
    /// The tier the supporter is likely to take.
    pub suggested_tier: u8,
    /// Tokens spent in the last 30 days.
    pub tokens_30d: u64,
    /// The tokens that suggest the upgrade.
    pub threshold: u64,
}

/// Everything [`insights`] finds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupporterInsights {
    /// Best contact time, `None` without activity to base it on.
    pub best_contact_time: Option<ContactTime>,
    /// Tokens, last 30 days against the 30 before.
    pub spending_trend: Trend,
    /// Interactions, last 14 days against the 14 before.
    pub engagement_trend: Trend,
    /// Retention risk.
    pub retention_risk: RetentionRisk,
    /// Likely fan-club upgrade, if any.
    pub fan_club_upgrade: Option<UpgradeHint>,
}

fn window_count<'a>(
    times: impl Iterator<Item = (&'a DateTime<Utc>, u64)>,
    now: DateTime<Utc>,
    days: i64,
) -> (u64, u64) {
    let recent_from = span::before(now, span::days(days));
    let previous_from = span::before(recent_from, span::days(days));
    times.fold((0u64, 0u64), |(r, p), (t, n)| {
        if *t > recent_from && *t <= now {
            (r.saturating_add(n), p)
        } else if *t > previous_from && *t <= recent_from {
            (r, p.saturating_add(n))
        } else {
            (r, p)
        }
    })
}

/// Insights on one supporter at `now`, with the heuristic retention risk
/// ([`HeuristicReason::NoModel`]); [`insights_with_model`] and
/// [`insights_for_all`] back it with a purchase model.
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use creator_crm::supporters::*;
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
/// let s = Supporter {
///     id: "s-1".into(),
///     display_name: None,
///     joined_at: now - Duration::days(400),
///     time_zone: chrono_tz::UTC,
///     fan_club: None,
///     online: false,
///     activity: SupporterActivity::default(),
///     profile: SupporterProfile::default(),
/// };
/// let i = insights(&s, &InsightConfig::default(), now);
/// assert!(i.best_contact_time.is_none()); // no activity, no guess
/// assert_eq!(i.retention_risk.level, RiskLevel::Medium); // 50: inactive for 30+ days
/// assert_eq!(
///     i.retention_risk.explanation,
///     "heuristic (no purchase model given): inactive 400 days → +50; risk 50, medium"
/// );
/// ```
pub fn insights(s: &Supporter, cfg: &InsightConfig, now: DateTime<Utc>) -> SupporterInsights {
    insights_backed(s, cfg, Err(HeuristicReason::NoModel), now)
}

/// Insights on one supporter at `now`, the retention risk backed by `model`
/// where it has something to say about the supporter (a repeat purchase),
/// else the heuristic with the reason.
pub fn insights_with_model(
    s: &Supporter,
    cfg: &InsightConfig,
    model: &PurchaseModel,
    now: DateTime<Utc>,
) -> SupporterInsights {
    insights_backed(s, cfg, model.risk_of(s, now), now)
}

/// Insights on every supporter of a population at `now`, in input order: the
/// purchase model is fitted once on all of them ([`PurchaseModel::fit`]) and
/// backs each retention risk it can; where it cannot be fitted, every risk is
/// the heuristic's and says why.
pub fn insights_for_all(
    supporters: &[Supporter],
    cfg: &InsightConfig,
    retention: &RetentionConfig,
    now: DateTime<Utc>,
) -> Vec<SupporterInsights> {
    let model = PurchaseModel::fit(supporters, retention, now);
    supporters
        .iter()
        .map(|s| {
            let risk = match &model {
                Ok(m) => m.risk_of(s, now),
                Err(reason) => Err(*reason),
            };
            insights_backed(s, cfg, risk, now)
        })
        .collect()
}

fn level_of(score: u8) -> RiskLevel {
    match score {
        60.. => RiskLevel::High,
        30.. => RiskLevel::Medium,
        _ => RiskLevel::Low,
    }
}

fn level_name(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::Low => "low",
        RiskLevel::Medium => "medium",
        RiskLevel::High => "high",
    }
}

/// `n` days in words (`1 day`, `2.5 days`).
fn days(n: f64) -> String {
    if n == 1.0 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// Three significant digits; scientific notation outside `[0.001, 1e6)`.
fn sig3(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let mag = x.abs().log10().floor();
    if (-3.0..6.0).contains(&mag) {
        let places = (2.0 - mag).max(0.0) as usize;
        format!("{x:.places$}")
    } else {
        format!("{x:.2e}")
    }
}

/// The model's risk, or the heuristic's with `reason`.
fn retention_risk(
    days_inactive: i64,
    spending_falling: bool,
    engagement_falling: bool,
    model: std::result::Result<ModelRisk, HeuristicReason>,
) -> RetentionRisk {
    let (score, basis, explanation) = match model {
        Ok(m) => {
            let score = ((1.0 - m.p_alive.clamp(0.0, 1.0)) * 100.0).round() as u8;
            let explanation = format!(
                "BG/NBD fitted on {} supporters (r {}, alpha {}, a {}, b {}; days): \
                 frequency {}, last purchase {} after the first, {} observed → \
                 P(alive) {:.3}, {:.2} expected purchases in the next {}; \
                 risk {score} = 100 × (1 − P(alive)), {}",
                m.fitted_on,
                sig3(m.params.r),
                sig3(m.params.alpha),
                sig3(m.params.a),
                sig3(m.params.b),
                m.frequency,
                days(m.recency_days),
                days(m.age_days),
                m.p_alive,
                m.expected_purchases,
                days(f64::from(m.horizon_days)),
                level_name(level_of(score)),
            );
            (score, RiskBasis::BgNbd(m), explanation)
        }
        Err(reason) => {
            let inactivity_points = days_inactive.clamp(0, 30) * 50 / 30;
            let score = u8::try_from(
                inactivity_points
                    + if spending_falling { 25 } else { 0 }
                    + if engagement_falling { 25 } else { 0 },
            )
            .unwrap_or(100);
            let mut parts = vec![format!(
                "inactive {} → +{inactivity_points}",
                days(days_inactive as f64)
            )];
            if spending_falling {
                parts.push("spending falling → +25".to_owned());
            }
            if engagement_falling {
                parts.push("engagement falling → +25".to_owned());
            }
            let explanation = format!(
                "heuristic ({}): {}; risk {score}, {}",
                reason.describe(),
                parts.join(", "),
                level_name(level_of(score)),
            );
            (score, RiskBasis::Heuristic { reason }, explanation)
        }
    };
    RetentionRisk {
        level: level_of(score),
        score,
        days_inactive,
        spending_falling,
        engagement_falling,
        basis,
        explanation,
    }
}

fn insights_backed(
    s: &Supporter,
    cfg: &InsightConfig,
    model: std::result::Result<ModelRisk, HeuristicReason>,
    now: DateTime<Utc>,
) -> SupporterInsights {
    let a = &s.activity;
    let hist = ActivityHistogram::from_supporter(s, now, cfg.contact_lookback_days);
    let (spent_recent, spent_previous) =
        window_count(a.spends.iter().map(|e| (&e.at, e.tokens)), now, 30);
    let spending_trend = Trend::between(spent_recent, spent_previous);
    let interactions = a
        .chat_messages
        .iter()
        .chain(&a.profile_views)
        .chain(&a.likes)
        .chain(&a.matches)
        .chain(a.live_sessions.iter().map(|l| &l.at))
        .map(|t| (t, 1));
    let (eng_recent, eng_previous) = window_count(interactions, now, 14);
    let engagement_trend = Trend::between(eng_recent, eng_previous);

    let counters = super::SupporterCounters::from_supporter(s, now);
    let days_inactive = super::score::days_inactive(&counters, now);
    let spending_falling = spending_trend.direction == TrendDirection::Falling;
    let engagement_falling = engagement_trend.direction == TrendDirection::Falling;
    let retention_risk = retention_risk(days_inactive, spending_falling, engagement_falling, model);

    let current_tier = s.fan_club.map(|f| f.tier);
    let suggested_tier = current_tier.map_or(1, |t| t.saturating_add(1));
    let threshold = cfg
        .upgrade_tokens_per_tier
        .saturating_mul(u64::from(suggested_tier));
    let fan_club_upgrade = (suggested_tier <= cfg.max_fan_club_tier
        && counters.tokens_30d >= threshold
        && !engagement_falling)
        .then_some(UpgradeHint {
            current_tier,
            suggested_tier,
            tokens_30d: counters.tokens_30d,
            threshold,
        });

    SupporterInsights {
        best_contact_time: best_contact_time(&hist, s.time_zone),
        spending_trend,
        engagement_trend,
        retention_risk,
        fan_club_upgrade,
    }
}
