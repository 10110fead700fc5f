//! Mobile bindings of supporter explanations and insights: why a score is
//! what it is, best contact time, trends, retention risk, fan-club upgrade.

use std::time::SystemTime;

use creator_crm::supporters as core;

use crate::{
    errors::CrmError,
    supporter_config::{InsightConfig, ScoringConfig, scorer},
    supporter_events::{Supporter, to_core},
    supporters::{SupporterCounters, SupporterScore},
    time::from_system_time,
};

/// One signal's part in the probability.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Contribution {
    /// `recent_chat`, `gifting`, `profile_views`, `live_engagement`,
    /// `recent_match` or `likes_without_chat`.
    pub signal: String,
    /// The signal's value, 0–100.
    pub value: u8,
    /// Its weight, percent.
    pub weight: u8,
    /// Points it adds: `value × weight / 100`.
    pub points: f64,
}

/// A score and why.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ScoreExplanation {
    /// The score.
    pub score: SupporterScore,
    /// Signals with a non-zero contribution, largest first.
    pub contributions: Vec<Contribution>,
    /// Bonus for being online.
    pub online_bonus: u8,
    /// Bonus for fan-club membership.
    pub fan_club_bonus: u8,
    /// Weighted sum plus bonuses before the cap at 100.
    pub uncapped_probability: u32,
    /// The segment rule that matched: `lifetime_tokens`, `inactive`, `probability` or `default`.
    pub segment_rule: String,
    /// The parts of the priority (`probability`, `online`, `vip`, `live_7d`,
    /// `gift_7d`), before the cap.
    pub priority_parts: Vec<PriorityPart>,
}

/// One part of the inbox priority.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PriorityPart {
    /// `probability`, `online`, `vip`, `live_7d` or `gift_7d`.
    pub part: String,
    /// Points it adds.
    pub points: u8,
}

/// Scores one supporter and explains the result, with the given scoring
/// configuration (the defaults when `config` is `None`).
///
/// # Errors
/// [`CrmError::InvalidInput`] for a timestamp out of range or an incoherent
/// configuration.
#[uniffi::export(default(config = None))]
pub fn explain_score(
    supporter: SupporterCounters,
    now: SystemTime,
    config: Option<ScoringConfig>,
) -> Result<ScoreExplanation, CrmError> {
    let now = from_system_time(now)?;
    let c = core::SupporterCounters::try_from(&supporter)?;
    let e = scorer(config)?.explain(&c, now);
    Ok(ScoreExplanation {
        score: e.score.into(),
        contributions: e
            .contributions
            .iter()
            .map(|c| Contribution {
                signal: c.signal.as_str().to_owned(),
                value: c.value,
                weight: c.weight,
                points: c.points,
            })
            .collect(),
        online_bonus: e.online_bonus,
        fan_club_bonus: e.fan_club_bonus,
        uncapped_probability: e.uncapped_probability,
        priority_parts: e
            .priority_parts
            .iter()
            .map(|p| PriorityPart {
                part: p.part.to_owned(),
                points: p.points,
            })
            .collect(),
        segment_rule: match e.segment_rule {
            core::SegmentRule::LifetimeTokens { .. } => "lifetime_tokens",
            core::SegmentRule::Inactive { .. } => "inactive",
            core::SegmentRule::Probability { .. } => "probability",
            core::SegmentRule::Default => "default",
        }
        .to_owned(),
    })
}

/// Best contact time in the supporter's own time zone.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactTime {
    /// Local hour, 0–23.
    pub hour: u8,
    /// The best weekday at that hour (`Mon` … `Sun`), when one stands out.
    pub weekday: Option<String>,
    /// How much to trust it, 0–100.
    pub confidence: u8,
    /// Events it rests on.
    pub events: u32,
}

/// Direction of a measure between two equal windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum TrendDirection {
    /// +20 % or more.
    Rising,
    /// Within ±20 %.
    Stable,
    /// −20 % or less.
    Falling,
    /// Activity only in the recent window.
    New,
    /// No activity in either window (`none` in the core; renamed so Swift's
    /// `Optional.none` stays unambiguous).
    NoActivity,
}

impl From<core::TrendDirection> for TrendDirection {
    fn from(d: core::TrendDirection) -> Self {
        match d {
            core::TrendDirection::Rising => TrendDirection::Rising,
            core::TrendDirection::Stable => TrendDirection::Stable,
            core::TrendDirection::Falling => TrendDirection::Falling,
            core::TrendDirection::New => TrendDirection::New,
            core::TrendDirection::None => TrendDirection::NoActivity,
        }
    }
}

/// A measure over the recent window against the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Trend {
    /// The direction.
    pub direction: TrendDirection,
    /// The recent window's amount.
    pub recent: u64,
    /// The previous window's amount.
    pub previous: u64,
}

impl From<core::Trend> for Trend {
    fn from(t: core::Trend) -> Self {
        Trend {
            direction: t.direction.into(),
            recent: t.recent,
            previous: t.previous,
        }
    }
}

/// Retention risk level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum RiskLevel {
    /// Score below 30.
    Low,
    /// Score 30–59.
    Medium,
    /// Score 60 or more.
    High,
}

/// How likely a supporter is to drift away, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct RetentionRisk {
    /// The level.
    pub level: RiskLevel,
    /// The score, 0–100.
    pub score: u8,
    /// Whole days since the last activity.
    pub days_inactive: i64,
    /// Spending is falling.
    pub spending_falling: bool,
    /// Engagement is falling.
    pub engagement_falling: bool,
}

impl From<core::RetentionRisk> for RetentionRisk {
    fn from(r: core::RetentionRisk) -> Self {
        RetentionRisk {
            level: match r.level {
                core::RiskLevel::Low => RiskLevel::Low,
                core::RiskLevel::Medium => RiskLevel::Medium,
                core::RiskLevel::High => RiskLevel::High,
            },
            score: r.score,
            days_inactive: r.days_inactive,
            spending_falling: r.spending_falling,
            engagement_falling: r.engagement_falling,
        }
    }
}

/// A likely fan-club upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct UpgradeHint {
    /// The current tier (`None` for a non-member).
    pub current_tier: Option<u8>,
    /// The tier the supporter is likely to take.
    pub suggested_tier: u8,
    /// Tokens spent in the last 30 days.
    pub tokens_30d: u64,
    /// The 30-day spend that suggests the upgrade.
    pub threshold: u64,
}

impl From<core::UpgradeHint> for UpgradeHint {
    fn from(u: core::UpgradeHint) -> Self {
        UpgradeHint {
            current_tier: u.current_tier,
            suggested_tier: u.suggested_tier,
            tokens_30d: u.tokens_30d,
            threshold: u.threshold,
        }
    }
}

/// What [`supporter_insights`] finds for one supporter.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SupporterInsights {
    /// Best contact time; `None` without activity (never a made-up default).
    pub best_contact_time: Option<ContactTime>,
    /// Tokens, 30 days against the 30 before.
    pub spending_trend: Trend,
    /// Chats, profile views, likes, live sessions and matches, 14 days against the 14 before.
    pub engagement_trend: Trend,
    /// Retention risk.
    pub retention_risk: RetentionRisk,
    /// A likely fan-club upgrade, if any.
    pub fan_club_upgrade: Option<UpgradeHint>,
}

/// Insights for a batch of supporters in events form, in input order,
/// with the given settings (the defaults when `config` is `None`).
///
/// # Errors
/// [`CrmError::InvalidInput`] for an unknown time zone or a timestamp out of range.
#[uniffi::export(default(config = None))]
pub fn supporter_insights(
    supporters: Vec<Supporter>,
    now: SystemTime,
    config: Option<InsightConfig>,
) -> Result<Vec<SupporterInsights>, CrmError> {
    let now = from_system_time(now)?;
    let cfg: core::InsightConfig = config.map(Into::into).unwrap_or_default();
    Ok(to_core(&supporters)?
        .iter()
        .map(|s| {
            let i = core::insights(s, &cfg, now);
            SupporterInsights {
                best_contact_time: i.best_contact_time.map(|c| ContactTime {
                    hour: c.hour,
                    weekday: c.weekday.map(|w| w.to_string()),
                    confidence: c.confidence,
                    events: c.events,
                }),
                spending_trend: i.spending_trend.into(),
                engagement_trend: i.engagement_trend.into(),
                retention_risk: i.retention_risk.into(),
                fan_club_upgrade: i.fan_club_upgrade.map(Into::into),
            }
        })
        .collect())
}
