//! Caller-supplied settings of scoring, alerts and insights.
//!
//! The defaults live in the core only: `default_scoring_config()`,
//! `default_alert_config()` and `default_insight_config()` return them, so a
//! host changes one field (`defaultScoringConfig().copy(vipLifetimeTokens = 500uL)`
//! in Kotlin) and keeps every other documented default.

use creator_crm::supporters::{self as core, Scorer};

use crate::errors::CrmError;

/// A saturation curve: how a raw amount becomes a 0–100 signal.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Enum)]
pub enum Curve {
    /// `100 × min(x / full_at, 1)`.
    Linear {
        /// The amount that scores 100.
        full_at: f64,
    },
    /// `100 × (1 − 2^(−x / half_at))`: `half_at` scores 50.
    Exponential {
        /// The amount that scores 50.
        half_at: f64,
    },
}

impl From<core::Curve> for Curve {
    fn from(c: core::Curve) -> Self {
        match c {
            core::Curve::Linear { full_at } => Curve::Linear { full_at },
            core::Curve::Exponential { half_at } => Curve::Exponential { half_at },
        }
    }
}

impl From<Curve> for core::Curve {
    fn from(c: Curve) -> Self {
        match c {
            Curve::Linear { full_at } => core::Curve::Linear { full_at },
            Curve::Exponential { half_at } => core::Curve::Exponential { half_at },
        }
    }
}

/// Weights of the six signals, percent (at most 100 in total).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SignalWeights {
    /// Recent chat (messages in 7 days).
    pub recent_chat: u8,
    /// Gifting (tokens, weighted to recent).
    pub gifting: u8,
    /// Profile views in 7 days.
    pub profile_views: u8,
    /// Live engagement in 7 days.
    pub live_engagement: u8,
    /// Recent match (7–14 days).
    pub recent_match: u8,
    /// Likes without chat.
    pub likes_without_chat: u8,
}

impl From<core::SignalWeights> for SignalWeights {
    fn from(w: core::SignalWeights) -> Self {
        SignalWeights {
            recent_chat: w.recent_chat,
            gifting: w.gifting,
            profile_views: w.profile_views,
            live_engagement: w.live_engagement,
            recent_match: w.recent_match,
            likes_without_chat: w.likes_without_chat,
        }
    }
}

impl From<SignalWeights> for core::SignalWeights {
    fn from(w: SignalWeights) -> Self {
        core::SignalWeights {
            recent_chat: w.recent_chat,
            gifting: w.gifting,
            profile_views: w.profile_views,
            live_engagement: w.live_engagement,
            recent_match: w.recent_match,
            likes_without_chat: w.likes_without_chat,
        }
    }
}

/// Everything scoring, segments and priority depend on (see
/// `ScoringConfig` in the core docs for the defaults).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ScoringConfig {
    /// Signal weights.
    pub weights: SignalWeights,
    /// Probability bonus when online.
    pub online_bonus: u8,
    /// Probability bonus for fan-club members.
    pub fan_club_bonus: u8,
    /// Curve of chat messages in 7 days.
    pub chat_curve: Curve,
    /// Curve of recency-weighted tokens.
    pub gifting_curve: Curve,
    /// Weight (percent) of tokens spent in the last 7 days.
    pub gifting_weight_7d: u8,
    /// Weight (percent) of tokens spent 8–30 days ago.
    pub gifting_weight_30d: u8,
    /// Weight (percent) of tokens spent more than 30 days ago.
    pub gifting_weight_older: u8,
    /// Curve of profile views in 7 days.
    pub profile_view_curve: Curve,
    /// Curve of live sessions attended in 7 days.
    pub live_attendance_curve: Curve,
    /// Curve of live minutes watched in 7 days.
    pub live_watch_minutes_curve: Curve,
    /// Curve of tokens gifted in live sessions in 7 days.
    pub live_gift_curve: Curve,
    /// Share (percent) of attendance in live engagement.
    pub live_mix_attendance: u8,
    /// Share (percent) of watch time in live engagement.
    pub live_mix_watch: u8,
    /// Share (percent) of gifts in live engagement (the three sum to 100).
    pub live_mix_gifts: u8,
    /// A match at most this many days old scores 100.
    pub match_full_days: u16,
    /// A match this many days old or older scores 0.
    pub match_zero_days: u16,
    /// Curve of likes in 7 days (counted only without chat in 7 days).
    pub likes_curve: Curve,
    /// Lifetime tokens from which a supporter is VIP.
    pub vip_lifetime_tokens: u64,
    /// Days without activity from which a supporter is Cold.
    pub cold_after_days: u16,
    /// Days without activity from which a supporter is Dormant.
    pub dormant_after_days: u16,
    /// Probability from which a supporter is a Hot lead.
    pub hot_lead_probability: u8,
    /// Priority points when online.
    pub priority_online: u8,
    /// Priority points for VIPs.
    pub priority_vip: u8,
    /// Priority points for a live interaction in 7 days.
    pub priority_live_7d: u8,
    /// Priority points for a gift in 7 days.
    pub priority_gift_7d: u8,
    /// Priority cap (at least 100).
    pub priority_cap: u8,
}

impl From<core::ScoringConfig> for ScoringConfig {
    fn from(c: core::ScoringConfig) -> Self {
        let [live_mix_attendance, live_mix_watch, live_mix_gifts] = c.live_mix;
        ScoringConfig {
            weights: c.weights.into(),
            online_bonus: c.online_bonus,
            fan_club_bonus: c.fan_club_bonus,
            chat_curve: c.chat_curve.into(),
            gifting_curve: c.gifting_curve.into(),
            gifting_weight_7d: c.gifting_weight_7d,
            gifting_weight_30d: c.gifting_weight_30d,
            gifting_weight_older: c.gifting_weight_older,
            profile_view_curve: c.profile_view_curve.into(),
            live_attendance_curve: c.live_attendance_curve.into(),
            live_watch_minutes_curve: c.live_watch_minutes_curve.into(),
            live_gift_curve: c.live_gift_curve.into(),
            live_mix_attendance,
            live_mix_watch,
            live_mix_gifts,
            match_full_days: c.match_full_days,
            match_zero_days: c.match_zero_days,
            likes_curve: c.likes_curve.into(),
            vip_lifetime_tokens: c.vip_lifetime_tokens,
            cold_after_days: c.cold_after_days,
            dormant_after_days: c.dormant_after_days,
            hot_lead_probability: c.hot_lead_probability,
            priority_online: c.priority_online,
            priority_vip: c.priority_vip,
            priority_live_7d: c.priority_live_7d,
            priority_gift_7d: c.priority_gift_7d,
            priority_cap: c.priority_cap,
        }
    }
}

impl From<ScoringConfig> for core::ScoringConfig {
    fn from(c: ScoringConfig) -> Self {
        core::ScoringConfig {
            weights: c.weights.into(),
            online_bonus: c.online_bonus,
            fan_club_bonus: c.fan_club_bonus,
            chat_curve: c.chat_curve.into(),
            gifting_curve: c.gifting_curve.into(),
            gifting_weight_7d: c.gifting_weight_7d,
            gifting_weight_30d: c.gifting_weight_30d,
            gifting_weight_older: c.gifting_weight_older,
            profile_view_curve: c.profile_view_curve.into(),
            live_attendance_curve: c.live_attendance_curve.into(),
            live_watch_minutes_curve: c.live_watch_minutes_curve.into(),
            live_gift_curve: c.live_gift_curve.into(),
            live_mix: [c.live_mix_attendance, c.live_mix_watch, c.live_mix_gifts],
            match_full_days: c.match_full_days,
            match_zero_days: c.match_zero_days,
            likes_curve: c.likes_curve.into(),
            vip_lifetime_tokens: c.vip_lifetime_tokens,
            cold_after_days: c.cold_after_days,
            dormant_after_days: c.dormant_after_days,
            hot_lead_probability: c.hot_lead_probability,
            priority_online: c.priority_online,
            priority_vip: c.priority_vip,
            priority_live_7d: c.priority_live_7d,
            priority_gift_7d: c.priority_gift_7d,
            priority_cap: c.priority_cap,
        }
    }
}

/// The scorer for an optional caller-supplied configuration (the defaults
/// when `None`).
///
/// # Errors
/// [`CrmError::InvalidInput`] naming the incoherent field.
pub fn scorer(config: Option<ScoringConfig>) -> Result<Scorer, CrmError> {
    match config {
        Some(c) => Ok(Scorer::new(c.into())?),
        None => Ok(Scorer::default()),
    }
}

/// The documented default scoring configuration, to copy and adjust.
#[uniffi::export]
pub fn default_scoring_config() -> ScoringConfig {
    core::ScoringConfig::default().into()
}

/// Alert detection and delivery settings.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AlertConfig {
    /// Cooldown per (supporter, kind), seconds, counted from delivered alerts.
    pub cooldown_seconds: i64,
    /// How long presence alerts (VIP online, ...) stay valid, seconds.
    pub presence_ttl_seconds: i64,
    /// A Hot lead active within this many seconds raises `hot_lead_active`.
    pub hot_lead_recent_seconds: i64,
    /// Minimum tokens in 7 days for a spending spike.
    pub spike_min_tokens: u64,
    /// Factor over the weekly rate of the 23 days before for a spike.
    pub spike_factor: u64,
    /// Days before renewal from which `fan_club_renewal_due` fires.
    pub renewal_notice_days: i64,
    /// RSVPs within this many hours raise `event_rsvp`.
    pub rsvp_recent_hours: i64,
    /// Lifetime-token milestones.
    pub milestones: Vec<u64>,
}

impl From<core::AlertConfig> for AlertConfig {
    fn from(c: core::AlertConfig) -> Self {
        AlertConfig {
            cooldown_seconds: c.cooldown_seconds,
            presence_ttl_seconds: c.presence_ttl_seconds,
            hot_lead_recent_seconds: c.hot_lead_recent_seconds,
            spike_min_tokens: c.spike_min_tokens,
            spike_factor: c.spike_factor,
            renewal_notice_days: c.renewal_notice_days,
            rsvp_recent_hours: c.rsvp_recent_hours,
            milestones: c.milestones,
        }
    }
}

impl From<AlertConfig> for core::AlertConfig {
    fn from(c: AlertConfig) -> Self {
        core::AlertConfig {
            cooldown_seconds: c.cooldown_seconds,
            presence_ttl_seconds: c.presence_ttl_seconds,
            hot_lead_recent_seconds: c.hot_lead_recent_seconds,
            spike_min_tokens: c.spike_min_tokens,
            spike_factor: c.spike_factor,
            renewal_notice_days: c.renewal_notice_days,
            rsvp_recent_hours: c.rsvp_recent_hours,
            milestones: c.milestones,
        }
    }
}

/// The core alert configuration for an optional caller-supplied one.
pub fn alert_config(config: Option<AlertConfig>) -> core::AlertConfig {
    config.map(Into::into).unwrap_or_default()
}

/// The documented default alert configuration, to copy and adjust.
#[uniffi::export]
pub fn default_alert_config() -> AlertConfig {
    core::AlertConfig::default().into()
}

/// Insight settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct InsightConfig {
    /// Days of activity the contact-time histogram looks at.
    pub contact_lookback_days: i64,
    /// Tokens in 30 days per fan-club tier that suggest an upgrade.
    pub upgrade_tokens_per_tier: u64,
    /// The highest fan-club tier.
    pub max_fan_club_tier: u8,
}

impl From<core::InsightConfig> for InsightConfig {
    fn from(c: core::InsightConfig) -> Self {
        InsightConfig {
            contact_lookback_days: c.contact_lookback_days,
            upgrade_tokens_per_tier: c.upgrade_tokens_per_tier,
            max_fan_club_tier: c.max_fan_club_tier,
        }
    }
}

impl From<InsightConfig> for core::InsightConfig {
    fn from(c: InsightConfig) -> Self {
        core::InsightConfig {
            contact_lookback_days: c.contact_lookback_days,
            upgrade_tokens_per_tier: c.upgrade_tokens_per_tier,
            max_fan_club_tier: c.max_fan_club_tier,
        }
    }
}

/// The documented default insight configuration, to copy and adjust.
#[uniffi::export]
pub fn default_insight_config() -> InsightConfig {
    core::InsightConfig::default().into()
}
