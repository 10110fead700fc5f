//! Insights on one supporter: best contact time, spending and engagement
//! trends, retention risk and a likely fan-club upgrade.
//!
//! - **Spending trend**: tokens in the last 30 days against the 30 before.
//! - **Engagement trend**: chats, profile views, likes, live sessions and
//!   matches in the last 14 days against the 14 before.
//! - A trend is *rising* at +20 % or more, *falling* at −20 % or less,
//!   *stable* in between, *new* when only the recent window has activity and
//!   *none* when neither has.
//! - **Retention risk** `0..=100`: up to 50 points for inactivity (full at 30
//!   days), 25 for falling spending, 25 for falling engagement; high from 60,
//!   medium from 30.
//! - **Fan-club upgrade**: a member of tier `t` is likely to move to `t + 1`
//!   when they spent at least `300 × (t + 1)` tokens in 30 days and their
//!   engagement is not falling; a non-member likewise for tier 1 (300 tokens).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{
    contact_time::{ActivityHistogram, ContactTime, best_contact_time},
    model::Supporter,
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

/// Retention risk with its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    let recent_from = now - Duration::days(days);
    let previous_from = recent_from - Duration::days(days);
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

/// Insights on one supporter at `now`.
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
/// ```
pub fn insights(s: &Supporter, cfg: &InsightConfig, now: DateTime<Utc>) -> SupporterInsights {
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
    let inactivity_points = days_inactive.clamp(0, 30) * 50 / 30;
    let score = u8::try_from(
        inactivity_points
            + if spending_falling { 25 } else { 0 }
            + if engagement_falling { 25 } else { 0 },
    )
    .unwrap_or(100);
    let level = match score {
        60.. => RiskLevel::High,
        30.. => RiskLevel::Medium,
        _ => RiskLevel::Low,
    };

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
        retention_risk: RetentionRisk {
            level,
            score,
            days_inactive,
            spending_falling,
            engagement_falling,
        },
        fan_club_upgrade,
    }
}
