//! Mobile bindings of supporter explanations and insights: why a score is
//! what it is, best contact time, trends, retention risk, fan-club upgrade.

use std::time::SystemTime;

use creator_crm::supporters::{self as core, Scorer};

use crate::{
    errors::CrmError,
    supporters::{FanClub, SupporterCounters, SupporterScore},
    time::{from_system_time, opt_from_system_time},
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
    /// The segment rule that matched: `lifetime_tokens`, `inactive`, `probability` or `default`.
    pub segment_rule: String,
}

/// Scores one supporter and explains the result.
///
/// # Errors
/// [`CrmError::InvalidInput`] for a timestamp out of range.
#[uniffi::export]
pub fn explain_score(
    supporter: SupporterCounters,
    now: SystemTime,
) -> Result<ScoreExplanation, CrmError> {
    let now = from_system_time(now)?;
    let c = core::SupporterCounters::try_from(&supporter)?;
    let e = Scorer::default().explain(&c, now);
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
        segment_rule: match e.segment_rule {
            core::SegmentRule::LifetimeTokens { .. } => "lifetime_tokens",
            core::SegmentRule::Inactive { .. } => "inactive",
            core::SegmentRule::Probability { .. } => "probability",
            core::SegmentRule::Default => "default",
        }
        .to_owned(),
    })
}

/// A supporter's dated activity (the events form), for insights.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SupporterActivity {
    /// The host's identifier.
    pub id: String,
    /// When the supporter joined.
    pub joined_at: SystemTime,
    /// IANA time zone of the supporter (`Europe/Paris`).
    pub time_zone: String,
    /// Fan-club membership.
    #[uniffi(default = None)]
    pub fan_club: Option<FanClub>,
    /// Token payments: when and how many.
    #[uniffi(default = [])]
    pub spends: Vec<Spend>,
    /// Other interactions (chat messages, profile views, likes, live sessions, matches).
    #[uniffi(default = [])]
    pub interactions: Vec<SystemTime>,
}

/// One token payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Spend {
    /// When.
    pub at: SystemTime,
    /// How many tokens.
    pub tokens: u64,
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

/// What [`supporter_insights`] finds for one supporter.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SupporterInsights {
    /// Best contact time; `None` without activity (never a made-up default).
    pub best_contact_time: Option<ContactTime>,
    /// `rising`, `stable`, `falling`, `new` or `none` (tokens, 30 days vs the 30 before).
    pub spending_trend: String,
    /// Same for interactions, 14 days vs the 14 before.
    pub engagement_trend: String,
    /// `low`, `medium` or `high`.
    pub retention_risk: String,
    /// Retention risk score, 0–100.
    pub retention_risk_score: u8,
    /// The fan-club tier the supporter is likely to take, if any.
    pub suggested_fan_club_tier: Option<u8>,
}

fn name<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn to_core(a: &SupporterActivity) -> Result<core::Supporter, CrmError> {
    let time_zone = a.time_zone.parse::<chrono_tz::Tz>().map_err(|_| {
        CrmError::from(creator_crm::Error::invalid(
            "time_zone",
            "not an IANA time zone",
        ))
    })?;
    let fan_club = match a.fan_club {
        Some(f) => Some(core::FanClubMembership {
            tier: f.tier,
            since: from_system_time(f.since)?,
            renews_at: opt_from_system_time(f.renews_at)?,
        }),
        None => None,
    };
    let mut activity = core::SupporterActivity::default();
    for s in &a.spends {
        activity.spends.push(core::SpendEvent {
            at: from_system_time(s.at)?,
            tokens: s.tokens,
            feature: core::SpendFeature::Chat,
        });
    }
    for t in &a.interactions {
        activity.chat_messages.push(from_system_time(*t)?);
    }
    Ok(core::Supporter {
        id: a.id.as_str().into(),
        display_name: None,
        joined_at: from_system_time(a.joined_at)?,
        time_zone,
        fan_club,
        online: false,
        activity,
        profile: core::SupporterProfile::default(),
    })
}

/// Insights for a batch of supporters, in input order.
///
/// # Errors
/// [`CrmError::InvalidInput`] for an unknown time zone or a timestamp out of range.
#[uniffi::export]
pub fn supporter_insights(
    supporters: Vec<SupporterActivity>,
    now: SystemTime,
) -> Result<Vec<SupporterInsights>, CrmError> {
    let now = from_system_time(now)?;
    let cfg = core::InsightConfig::default();
    supporters
        .iter()
        .map(|a| {
            let i = core::insights(&to_core(a)?, &cfg, now);
            Ok(SupporterInsights {
                best_contact_time: i.best_contact_time.map(|c| ContactTime {
                    hour: c.hour,
                    weekday: c.weekday.map(|w| w.to_string()),
                    confidence: c.confidence,
                    events: c.events,
                }),
                spending_trend: name(i.spending_trend.direction),
                engagement_trend: name(i.engagement_trend.direction),
                retention_risk: name(i.retention_risk.level),
                retention_risk_score: i.retention_risk.score,
                suggested_fan_club_tier: i.fan_club_upgrade.map(|u| u.suggested_tier),
            })
        })
        .collect()
}
