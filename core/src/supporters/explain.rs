//! Why a supporter scored what they scored: contributing signals, bonuses,
//! the segment rule that matched and the priority parts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    model::SupporterCounters,
    score::{Score, Scorer, Segment, Signal, days_inactive},
};

/// One signal's part in the probability.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// Which signal.
    pub signal: Signal,
    /// Its value, `0..=100`.
    pub value: u8,
    /// Its weight, percent.
    pub weight: u8,
    /// Points it adds before rounding: `value × weight / 100`.
    pub points: f64,
}

/// The rule that decided the segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
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

/// A named part of the priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityPart {
    /// `probability`, `online`, `vip`, `live_7d` or `gift_7d`.
    pub part: &'static str,
    /// Points added.
    pub points: u8,
}

/// Everything behind a [`Score`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The score explained.
    pub score: Score,
    /// Signals with a non-zero contribution, largest first (ties in signal order).
    pub contributions: Vec<Contribution>,
    /// Bonus for being online (0 when offline).
    pub online_bonus: u8,
    /// Bonus for fan-club membership (0 when not a member).
    pub fan_club_bonus: u8,
    /// Weighted sum plus bonuses before the cap of 100.
    pub uncapped_probability: u32,
    /// The segment rule that matched.
    pub segment_rule: SegmentRule,
    /// The parts of the priority (before the cap).
    pub priority_parts: Vec<PriorityPart>,
}

impl Scorer {
    /// Scores one supporter and explains the result.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use creator_crm::supporters::{Scorer, Signal, SupporterCounters};
    /// let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    /// let mut c = SupporterCounters::new("s-1".into(), now);
    /// c.chat_messages_7d = 6;
    /// let e = Scorer::default().explain(&c, now);
    /// assert_eq!(e.contributions[0].signal, Signal::RecentChat);
    /// assert_eq!(e.score.probability, 23); // 75 × 30 % = 22.5, rounded half up
    /// ```
    pub fn explain(&self, c: &SupporterCounters, now: DateTime<Utc>) -> Explanation {
        let cfg = self.config();
        let score = self.score(c, now);
        let weights = cfg.weights.as_array();
        let mut contributions: Vec<Contribution> = Signal::ALL
            .iter()
            .zip(weights)
            .zip(score.signals)
            .map(|((&signal, weight), value)| Contribution {
                signal,
                value,
                weight,
                points: f64::from(value) * f64::from(weight) / 100.0,
            })
            .filter(|c| c.points > 0.0)
            .collect();
        contributions.sort_by(|a, b| b.points.total_cmp(&a.points).then(a.signal.cmp(&b.signal)));
        let weighted: u32 = weights
            .iter()
            .zip(score.signals)
            .map(|(&w, s)| u32::from(w) * u32::from(s))
            .sum();
        let online_bonus = if c.online { cfg.online_bonus } else { 0 };
        let fan_club_bonus = if c.fan_club.is_some() {
            cfg.fan_club_bonus
        } else {
            0
        };
        let segment_rule = match score.segment {
            Segment::Vip => SegmentRule::LifetimeTokens {
                tokens: c.tokens_lifetime,
                threshold: cfg.vip_lifetime_tokens,
            },
            Segment::Cold => SegmentRule::Inactive {
                days: days_inactive(c, now),
                threshold: cfg.cold_after_days,
            },
            Segment::Dormant => SegmentRule::Inactive {
                days: days_inactive(c, now),
                threshold: cfg.dormant_after_days,
            },
            Segment::HotLead => SegmentRule::Probability {
                probability: score.probability,
                threshold: cfg.hot_lead_probability,
            },
            Segment::Active => SegmentRule::Default,
        };
        let mut priority_parts = vec![PriorityPart {
            part: "probability",
            points: score.probability,
        }];
        let mut add = |on: bool, part, points| {
            if on {
                priority_parts.push(PriorityPart { part, points });
            }
        };
        add(c.online, "online", cfg.priority_online);
        add(score.segment == Segment::Vip, "vip", cfg.priority_vip);
        add(c.live_sessions_7d > 0, "live_7d", cfg.priority_live_7d);
        add(
            c.gifts_7d > 0 || c.live_gift_tokens_7d > 0,
            "gift_7d",
            cfg.priority_gift_7d,
        );
        Explanation {
            score,
            contributions,
            online_bonus,
            fan_club_bonus,
            uncapped_probability: (weighted + 50) / 100
                + u32::from(online_bonus)
                + u32::from(fan_club_bonus),
            segment_rule,
            priority_parts,
        }
    }
}
