//! Scoring configuration with documented defaults.
//!
//! | what | default |
//! |---|---|
//! | weights (chat, gifting, views, live, match, likes) | 30, 30, 15, 15, 7, 3 (percent) |
//! | bonuses | online +10, fan-club member +10 |
//! | chat curve (messages in 7 d) | exponential, half at 3 |
//! | gifting curve (recency-weighted tokens) | exponential, half at 200 |
//! | gifting recency weights (7 d, 8–30 d, older) | 100 %, 50 %, 10 % |
//! | profile-view curve (views in 7 d) | exponential, half at 2 |
//! | live: attendance / watch minutes / gift tokens (7 d) | half at 1 / 30 / 100, mixed 40 / 40 / 20 % |
//! | recent match | 100 up to 7 d old, falling linearly to 0 at 14 d |
//! | likes curve (likes in 7 d, only without chat in 7 d) | exponential, half at 3 |
//! | VIP | lifetime ≥ 1,000 tokens |
//! | Cold / Dormant | inactive ≥ 30 d / 7–29 d |
//! | Hot lead | probability ≥ 70 |
//! | priority | online +20, VIP +15, live in 7 d +10, gift in 7 d +10, cap 150 |

use serde::{Deserialize, Serialize};

use super::curve::Curve;
use crate::{Error, Result};

/// Weights of the six signals, in percent (they need not sum to 100, but the
/// defaults do, so a perfect supporter scores 100 before bonuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalWeights {
    /// Recent chat (messages in 7 d).
    pub recent_chat: u8,
    /// Gifting (total tokens, weighted to recent).
    pub gifting: u8,
    /// Profile views in 7 d.
    pub profile_views: u8,
    /// Live engagement in 7 d.
    pub live_engagement: u8,
    /// Recent match (7–14 d).
    pub recent_match: u8,
    /// Likes without chat.
    pub likes_without_chat: u8,
}

impl Default for SignalWeights {
    fn default() -> Self {
        SignalWeights {
            recent_chat: 30,
            gifting: 30,
            profile_views: 15,
            live_engagement: 15,
            recent_match: 7,
            likes_without_chat: 3,
        }
    }
}

impl SignalWeights {
    /// The weights in signal order (see [`Signal`](super::Signal)).
    pub fn as_array(&self) -> [u8; 6] {
        [
            self.recent_chat,
            self.gifting,
            self.profile_views,
            self.live_engagement,
            self.recent_match,
            self.likes_without_chat,
        ]
    }
}

/// Everything scoring, segmentation and priority depend on.
///
/// ```
/// use creator_crm::supporters::ScoringConfig;
/// let cfg = ScoringConfig::default();
/// assert_eq!(cfg.vip_lifetime_tokens, 1_000);
/// assert!(cfg.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoringConfig {
    /// Signal weights.
    pub weights: SignalWeights,
    /// Bonus points when online.
    pub online_bonus: u8,
    /// Bonus points for fan-club members.
    pub fan_club_bonus: u8,
    /// Curve of chat messages in 7 d.
    pub chat_curve: Curve,
    /// Curve of recency-weighted tokens.
    pub gifting_curve: Curve,
    /// Weight (percent) of tokens spent in the last 7 d.
    pub gifting_weight_7d: u8,
    /// Weight (percent) of tokens spent 8–30 d ago.
    pub gifting_weight_30d: u8,
    /// Weight (percent) of tokens spent more than 30 d ago.
    pub gifting_weight_older: u8,
    /// Curve of profile views in 7 d.
    pub profile_view_curve: Curve,
    /// Curve of live sessions attended in 7 d.
    pub live_attendance_curve: Curve,
    /// Curve of live minutes watched in 7 d.
    pub live_watch_minutes_curve: Curve,
    /// Curve of tokens gifted in live sessions in 7 d.
    pub live_gift_curve: Curve,
    /// Mix (percent) of attendance, watch time and gifts in live engagement.
    pub live_mix: [u8; 3],
    /// A match at most this many days old scores 100.
    pub match_full_days: u16,
    /// A match this many days old or older scores 0 (linear in between).
    pub match_zero_days: u16,
    /// Curve of likes in 7 d (counted only when there was no chat in 7 d).
    pub likes_curve: Curve,
    /// Lifetime tokens from which a supporter is VIP.
    pub vip_lifetime_tokens: u64,
    /// Days without activity from which a supporter is Cold.
    pub cold_after_days: u16,
    /// Days without activity from which a supporter is Dormant (below Cold).
    pub dormant_after_days: u16,
    /// Probability from which a supporter is a Hot lead.
    pub hot_lead_probability: u8,
    /// Priority points when online.
    pub priority_online: u8,
    /// Priority points for VIPs.
    pub priority_vip: u8,
    /// Priority points for a live interaction in 7 d.
    pub priority_live_7d: u8,
    /// Priority points for a gift in 7 d.
    pub priority_gift_7d: u8,
    /// Priority cap.
    pub priority_cap: u8,
}

impl Default for ScoringConfig {
    fn default() -> Self {
        ScoringConfig {
            weights: SignalWeights::default(),
            online_bonus: 10,
            fan_club_bonus: 10,
            chat_curve: Curve::Exponential { half_at: 3.0 },
            gifting_curve: Curve::Exponential { half_at: 200.0 },
            gifting_weight_7d: 100,
            gifting_weight_30d: 50,
            gifting_weight_older: 10,
            profile_view_curve: Curve::Exponential { half_at: 2.0 },
            live_attendance_curve: Curve::Exponential { half_at: 1.0 },
            live_watch_minutes_curve: Curve::Exponential { half_at: 30.0 },
            live_gift_curve: Curve::Exponential { half_at: 100.0 },
            live_mix: [40, 40, 20],
            match_full_days: 7,
            match_zero_days: 14,
            likes_curve: Curve::Exponential { half_at: 3.0 },
            vip_lifetime_tokens: 1_000,
            cold_after_days: 30,
            dormant_after_days: 7,
            hot_lead_probability: 70,
            priority_online: 20,
            priority_vip: 15,
            priority_live_7d: 10,
            priority_gift_7d: 10,
            priority_cap: 150,
        }
    }
}

impl ScoringConfig {
    /// Checks curves, windows and percentages are coherent.
    pub fn validate(&self) -> Result<()> {
        for (c, f) in [
            (&self.chat_curve, "chat_curve"),
            (&self.gifting_curve, "gifting_curve"),
            (&self.profile_view_curve, "profile_view_curve"),
            (&self.live_attendance_curve, "live_attendance_curve"),
            (&self.live_watch_minutes_curve, "live_watch_minutes_curve"),
            (&self.live_gift_curve, "live_gift_curve"),
            (&self.likes_curve, "likes_curve"),
        ] {
            c.validate(f)?;
        }
        if self.live_mix.iter().map(|&p| u32::from(p)).sum::<u32>() != 100 {
            return Err(Error::invalid("live_mix", "must sum to 100"));
        }
        if self
            .weights
            .as_array()
            .iter()
            .map(|&p| u32::from(p))
            .sum::<u32>()
            > 100
        {
            return Err(Error::invalid("weights", "must sum to at most 100"));
        }
        if [
            self.gifting_weight_7d,
            self.gifting_weight_30d,
            self.gifting_weight_older,
        ]
        .iter()
        .any(|&w| w > 100)
        {
            return Err(Error::invalid("gifting_weight", "must be a percentage"));
        }
        if self.match_zero_days <= self.match_full_days {
            return Err(Error::invalid(
                "match_zero_days",
                "must exceed match_full_days",
            ));
        }
        if self.cold_after_days <= self.dormant_after_days {
            return Err(Error::invalid(
                "cold_after_days",
                "must exceed dormant_after_days",
            ));
        }
        if self.hot_lead_probability > 100 {
            return Err(Error::invalid(
                "hot_lead_probability",
                "must be within 0..=100",
            ));
        }
        if self.priority_cap < 100 {
            return Err(Error::invalid("priority_cap", "must be at least 100"));
        }
        Ok(())
    }
}
