//! Signals, conversion probability, segment and priority: the compact
//! [`Score`] of one supporter, computed from [`SupporterCounters`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{config::ScoringConfig, curve::CurveTable, model::SupporterCounters};
use crate::Result;

const DAY: i64 = 86_400;

/// The six behavioural signals, in the order of [`Score::signals`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Chat messages in the last 7 days.
    RecentChat,
    /// Tokens spent, weighted to recent spending.
    Gifting,
    /// Profile views in the last 7 days.
    ProfileViews,
    /// Live attendance, watch time and live gifts in the last 7 days.
    LiveEngagement,
    /// A match within 7 days (full) fading out at 14 days.
    RecentMatch,
    /// Likes in the last 7 days from a supporter who did not chat.
    LikesWithoutChat,
}

impl Signal {
    /// All signals in score order.
    pub const ALL: [Signal; 6] = [
        Signal::RecentChat,
        Signal::Gifting,
        Signal::ProfileViews,
        Signal::LiveEngagement,
        Signal::RecentMatch,
        Signal::LikesWithoutChat,
    ];

    /// A stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Signal::RecentChat => "recent_chat",
            Signal::Gifting => "gifting",
            Signal::ProfileViews => "profile_views",
            Signal::LiveEngagement => "live_engagement",
            Signal::RecentMatch => "recent_match",
            Signal::LikesWithoutChat => "likes_without_chat",
        }
    }
}

/// Exactly one per supporter. Precedence, first match wins:
/// VIP > Cold > Dormant > Hot lead > Active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Segment {
    /// Lifetime spend at or above the VIP threshold (1,000 tokens).
    Vip,
    /// Inactive for 30 days or more.
    Cold,
    /// Inactive for 7 to 29 days.
    Dormant,
    /// Conversion probability at or above 70.
    HotLead,
    /// Everyone else.
    Active,
}

impl Segment {
    /// A stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Segment::Vip => "vip",
            Segment::Cold => "cold",
            Segment::Dormant => "dormant",
            Segment::HotLead => "hot_lead",
            Segment::Active => "active",
        }
    }
}

/// The compact score of one supporter (9 bytes), the batch output keyed by
/// input index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Score {
    /// Conversion probability, `0..=100`.
    pub probability: u8,
    /// Inbox priority, `0..=150` with the default cap.
    pub priority: u8,
    /// The one segment.
    pub segment: Segment,
    /// The six signals in [`Signal::ALL`] order, each `0..=100`.
    pub signals: [u8; 6],
}

impl Score {
    /// One signal's value.
    pub fn signal(&self, s: Signal) -> u8 {
        self.signals[s as usize]
    }
}

/// Whole days from `t` to `now` (a `t` after `now` counts as `now`).
pub(crate) fn days_since(t: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now.timestamp() - t.timestamp()).max(0) / DAY
}

/// Whole days without activity (never active: counted from joining).
pub(crate) fn days_inactive(c: &SupporterCounters, now: DateTime<Utc>) -> i64 {
    days_since(c.last_active_at.unwrap_or(c.joined_at), now)
}

/// A [`ScoringConfig`] compiled for fast scoring (curves become lookup
/// tables). Build once, score many.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use creator_crm::supporters::{Scorer, ScoringConfig, Segment, SupporterCounters};
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
/// let scorer = Scorer::new(ScoringConfig::default()).unwrap();
/// let mut c = SupporterCounters::new("s-1".into(), now);
/// c.tokens_lifetime = 1_000;
/// c.last_active_at = Some(now);
/// let s = scorer.score(&c, now);
/// assert_eq!(s.segment, Segment::Vip);
/// assert!(s.probability <= 100 && s.priority <= 150);
/// ```
#[derive(Debug, Clone)]
pub struct Scorer {
    cfg: ScoringConfig,
    chat: CurveTable,
    gifting: CurveTable,
    views: CurveTable,
    live_attendance: CurveTable,
    live_watch: CurveTable,
    live_gift: CurveTable,
    likes: CurveTable,
}

impl Default for Scorer {
    fn default() -> Self {
        let cfg = ScoringConfig::default();
        Scorer::compile(cfg)
    }
}

impl Scorer {
    /// Validates and compiles a configuration.
    pub fn new(cfg: ScoringConfig) -> Result<Scorer> {
        cfg.validate()?;
        Ok(Scorer::compile(cfg))
    }

    fn compile(cfg: ScoringConfig) -> Scorer {
        Scorer {
            chat: cfg.chat_curve.table(),
            gifting: cfg.gifting_curve.table(),
            views: cfg.profile_view_curve.table(),
            live_attendance: cfg.live_attendance_curve.table(),
            live_watch: cfg.live_watch_minutes_curve.table(),
            live_gift: cfg.live_gift_curve.table(),
            likes: cfg.likes_curve.table(),
            cfg,
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &ScoringConfig {
        &self.cfg
    }

    /// Recency-weighted tokens (token windows clamped so they nest).
    pub fn weighted_tokens(&self, c: &SupporterCounters) -> u64 {
        let life = c.tokens_lifetime;
        let t30 = c.tokens_30d.min(life);
        let t7 = c.tokens_7d.min(t30);
        let w = u128::from(t7) * u128::from(self.cfg.gifting_weight_7d)
            + u128::from(t30 - t7) * u128::from(self.cfg.gifting_weight_30d)
            + u128::from(life - t30) * u128::from(self.cfg.gifting_weight_older);
        u64::try_from(w / 100).unwrap_or(u64::MAX)
    }

    /// The six signals, each `0..=100`, in [`Signal::ALL`] order.
    #[inline]
    pub fn signals(&self, c: &SupporterCounters, now: DateTime<Utc>) -> [u8; 6] {
        let cfg = &self.cfg;
        let chat = self.chat.score(u64::from(c.chat_messages_7d));
        let gifting = self.gifting.score(self.weighted_tokens(c));
        let views = self.views.score(u64::from(c.profile_views_7d));
        let [ma, mw, mg] = cfg.live_mix.map(u32::from);
        let live = (ma * u32::from(self.live_attendance.score(u64::from(c.live_sessions_7d)))
            + mw * u32::from(self.live_watch.score(c.live_watch_seconds_7d / 60))
            + mg * u32::from(self.live_gift.score(c.live_gift_tokens_7d))
            + 50)
            / 100;
        let matched = c.last_match_at.map_or(0, |t| {
            let age = (now.timestamp() - t.timestamp()).max(0);
            let full = i64::from(cfg.match_full_days) * DAY;
            let zero = i64::from(cfg.match_zero_days) * DAY;
            if age <= full {
                100
            } else if age >= zero {
                0
            } else {
                (100 * (zero - age) + (zero - full) / 2) / (zero - full)
            }
        });
        let likes = if c.chat_messages_7d == 0 {
            self.likes.score(u64::from(c.likes_7d))
        } else {
            0
        };
        [
            chat,
            gifting,
            views,
            u8::try_from(live).unwrap_or(100),
            u8::try_from(matched).unwrap_or(100),
            likes,
        ]
    }

    /// Conversion probability from signals: weighted sum (rounded) plus
    /// bonuses, capped at 100.
    #[inline]
    pub fn probability(&self, signals: &[u8; 6], c: &SupporterCounters) -> u8 {
        let w = self.cfg.weights.as_array();
        let sum: u32 = w
            .iter()
            .zip(signals)
            .map(|(&w, &s)| u32::from(w) * u32::from(s))
            .sum();
        let mut p = (sum + 50) / 100;
        if c.online {
            p += u32::from(self.cfg.online_bonus);
        }
        if c.fan_club.is_some() {
            p += u32::from(self.cfg.fan_club_bonus);
        }
        u8::try_from(p.min(100)).unwrap_or(100)
    }

    /// The one segment (precedence VIP > Cold > Dormant > Hot lead > Active).
    #[inline]
    pub fn segment(&self, c: &SupporterCounters, probability: u8, now: DateTime<Utc>) -> Segment {
        let cfg = &self.cfg;
        if c.tokens_lifetime >= cfg.vip_lifetime_tokens {
            return Segment::Vip;
        }
        let idle = days_inactive(c, now);
        if idle >= i64::from(cfg.cold_after_days) {
            Segment::Cold
        } else if idle >= i64::from(cfg.dormant_after_days) {
            Segment::Dormant
        } else if probability >= cfg.hot_lead_probability {
            Segment::HotLead
        } else {
            Segment::Active
        }
    }

    /// Priority: probability + online + VIP + live in 7 d + gift in 7 d, capped.
    #[inline]
    pub fn priority(&self, c: &SupporterCounters, probability: u8, segment: Segment) -> u8 {
        let cfg = &self.cfg;
        let mut p = u32::from(probability);
        if c.online {
            p += u32::from(cfg.priority_online);
        }
        if segment == Segment::Vip {
            p += u32::from(cfg.priority_vip);
        }
        if c.live_sessions_7d > 0 {
            p += u32::from(cfg.priority_live_7d);
        }
        if c.gifts_7d > 0 || c.live_gift_tokens_7d > 0 {
            p += u32::from(cfg.priority_gift_7d);
        }
        u8::try_from(p.min(u32::from(cfg.priority_cap))).unwrap_or(u8::MAX)
    }

    /// Scores one supporter.
    #[inline]
    pub fn score(&self, c: &SupporterCounters, now: DateTime<Utc>) -> Score {
        let signals = self.signals(c, now);
        let probability = self.probability(&signals, c);
        let segment = self.segment(c, probability, now);
        let priority = self.priority(c, probability, segment);
        Score {
            probability,
            priority,
            segment,
            signals,
        }
    }

    /// Scores a batch; `result[i]` is the score of `supporters[i]`.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use creator_crm::supporters::{Scorer, SupporterCounters};
    /// let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    /// let all = vec![SupporterCounters::new("a".into(), now), SupporterCounters::new("b".into(), now)];
    /// let scores = Scorer::default().score_all(&all, now);
    /// assert_eq!(scores.len(), 2);
    /// ```
    pub fn score_all(&self, supporters: &[SupporterCounters], now: DateTime<Utc>) -> Vec<Score> {
        let mut out = Vec::with_capacity(supporters.len());
        self.score_into(supporters, now, &mut out);
        out
    }

    /// Like [`score_all`](Self::score_all), reusing `out` (cleared first).
    pub fn score_into(
        &self,
        supporters: &[SupporterCounters],
        now: DateTime<Utc>,
        out: &mut Vec<Score>,
    ) {
        out.clear();
        out.extend(supporters.iter().map(|c| self.score(c, now)));
    }
}

impl SupporterCounters {
    /// Counters of a supporter who joined at `joined_at` and did nothing yet.
    pub fn new(id: super::SupporterId, joined_at: DateTime<Utc>) -> SupporterCounters {
        SupporterCounters {
            id,
            joined_at,
            online: false,
            fan_club: None,
            tokens_lifetime: 0,
            tokens_30d: 0,
            tokens_7d: 0,
            gifts_7d: 0,
            chat_messages_7d: 0,
            profile_views_7d: 0,
            live_sessions_7d: 0,
            live_watch_seconds_7d: 0,
            live_gift_tokens_7d: 0,
            likes_7d: 0,
            last_match_at: None,
            first_purchase_at: None,
            last_purchase_at: None,
            last_active_at: None,
        }
    }
}
