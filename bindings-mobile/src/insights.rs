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

/// One of the six signals of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Signal {
    /// Chat messages in the last 7 days.
    RecentChat,
    /// Tokens spent, weighted to recent spending.
    Gifting,
    /// Profile views in the last 7 days.
    ProfileViews,
    /// Live attendance, watch time and live gifts in the last 7 days.
    LiveEngagement,
    /// A match within 7 days, fading out at 14 days.
    RecentMatch,
    /// Likes in the last 7 days from a supporter who did not chat.
    LikesWithoutChat,
}

impl From<core::Signal> for Signal {
    fn from(s: core::Signal) -> Self {
        match s {
            core::Signal::RecentChat => Signal::RecentChat,
            core::Signal::Gifting => Signal::Gifting,
            core::Signal::ProfileViews => Signal::ProfileViews,
            core::Signal::LiveEngagement => Signal::LiveEngagement,
            core::Signal::RecentMatch => Signal::RecentMatch,
            core::Signal::LikesWithoutChat => Signal::LikesWithoutChat,
        }
    }
}

/// The segment rule that matched, with the values it compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SegmentRule {
    /// Lifetime tokens at or above the VIP threshold.
    LifetimeTokens {
        /// The supporter's lifetime tokens.
        tokens: u64,
        /// The threshold.
        threshold: u64,
    },
    /// Days without activity at or above a threshold (Cold, Dormant).
    Inactive {
        /// Whole days without activity.
        days: i64,
        /// The threshold.
        threshold: u16,
    },
    /// Probability at or above the hot-lead threshold.
    Probability {
        /// The probability.
        probability: u8,
        /// The threshold.
        threshold: u8,
    },
    /// No other rule matched.
    Default,
}

impl From<core::SegmentRule> for SegmentRule {
    fn from(r: core::SegmentRule) -> Self {
        match r {
            core::SegmentRule::LifetimeTokens { tokens, threshold } => {
                SegmentRule::LifetimeTokens { tokens, threshold }
            }
            core::SegmentRule::Inactive { days, threshold } => {
                SegmentRule::Inactive { days, threshold }
            }
            core::SegmentRule::Probability {
                probability,
                threshold,
            } => SegmentRule::Probability {
                probability,
                threshold,
            },
            core::SegmentRule::Default => SegmentRule::Default,
        }
    }
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl From<chrono::Weekday> for Weekday {
    fn from(w: chrono::Weekday) -> Self {
        match w {
            chrono::Weekday::Mon => Weekday::Mon,
            chrono::Weekday::Tue => Weekday::Tue,
            chrono::Weekday::Wed => Weekday::Wed,
            chrono::Weekday::Thu => Weekday::Thu,
            chrono::Weekday::Fri => Weekday::Fri,
            chrono::Weekday::Sat => Weekday::Sat,
            chrono::Weekday::Sun => Weekday::Sun,
        }
    }
}

/// One signal's part in the probability.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Contribution {
    /// The signal.
    pub signal: Signal,
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
    /// The segment rule that matched.
    pub segment_rule: SegmentRule,
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
                signal: c.signal.into(),
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
        segment_rule: e.segment_rule.into(),
    })
}

/// Best contact time in the supporter's own time zone.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactTime {
    /// Local hour, 0–23.
    pub hour: u8,
    /// The best weekday at that hour, when one stands out.
    pub weekday: Option<Weekday>,
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
                    weekday: c.weekday.map(Weekday::from),
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
