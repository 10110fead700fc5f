//! Smart alerts: which supporters deserve the creator's attention now.
//!
//! Detection ([`detect_alerts`]) is pure: counters, score and RSVPs in,
//! candidate alerts out. Delivery ([`deliver_alerts`](super::deliver_alerts))
//! applies cooldowns and expiry with the state passed in and returned.
//!
//! | kind | priority | fires when | expires |
//! |---|---|---|---|
//! | `vip_online` | urgent | a VIP is online | `now` + 1 h |
//! | `hot_lead_active` | high | a Hot lead is online or was active in the last hour | `now` + 1 h |
//! | `dormant_reactivation` | medium | a Dormant or Cold supporter is online | `now` + 1 h |
//! | `spending_spike` | high | ≥ 100 tokens in 7 d and ≥ 3 × the weekly rate of the 23 days before | `now` + 24 h |
//! | `fan_club_renewal_due` | medium | membership renews within 3 days | at renewal |
//! | `event_rsvp` | medium | an RSVP in the last 24 h to an event not started yet | at event start |
//! | `milestone_reached` | low | lifetime tokens crossed a milestone in the last 7 d | `now` + 7 d |
//!
//! Coming online is not activity by itself: segments count inactivity from
//! `last_active_at`, which is what lets a Dormant supporter who comes online
//! raise `dormant_reactivation`.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{
    model::{EventRsvp, SupporterCounters, SupporterId},
    score::{Score, Segment},
};

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A VIP is online.
    VipOnline,
    /// A Hot lead is active.
    HotLeadActive,
    /// A Dormant or Cold supporter is back.
    DormantReactivation,
    /// Spending well above the supporter's own recent rate.
    SpendingSpike,
    /// Fan-club membership renews soon.
    FanClubRenewalDue,
    /// The supporter RSVPed to an upcoming event.
    EventRsvp,
    /// Lifetime spend crossed a milestone.
    MilestoneReached,
}

impl AlertKind {
    /// All kinds.
    pub const ALL: [AlertKind; 7] = [
        AlertKind::VipOnline,
        AlertKind::HotLeadActive,
        AlertKind::DormantReactivation,
        AlertKind::SpendingSpike,
        AlertKind::FanClubRenewalDue,
        AlertKind::EventRsvp,
        AlertKind::MilestoneReached,
    ];

    /// The fixed priority of this kind.
    pub const fn priority(self) -> AlertPriority {
        match self {
            AlertKind::VipOnline => AlertPriority::Urgent,
            AlertKind::HotLeadActive | AlertKind::SpendingSpike => AlertPriority::High,
            AlertKind::DormantReactivation
            | AlertKind::FanClubRenewalDue
            | AlertKind::EventRsvp => AlertPriority::Medium,
            AlertKind::MilestoneReached => AlertPriority::Low,
        }
    }

    /// A stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            AlertKind::VipOnline => "vip_online",
            AlertKind::HotLeadActive => "hot_lead_active",
            AlertKind::DormantReactivation => "dormant_reactivation",
            AlertKind::SpendingSpike => "spending_spike",
            AlertKind::FanClubRenewalDue => "fan_club_renewal_due",
            AlertKind::EventRsvp => "event_rsvp",
            AlertKind::MilestoneReached => "milestone_reached",
        }
    }
}

/// How urgent an alert is (ordered: `Low < Medium < High < Urgent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertPriority {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Urgent.
    Urgent,
}

/// What triggered an alert, for display.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "detail", rename_all = "snake_case")]
pub enum AlertDetail {
    /// No detail.
    None,
    /// Spending spike.
    Spike {
        /// Tokens in the last 7 days.
        tokens_7d: u64,
        /// The weekly rate over the 23 days before.
        weekly_baseline: u64,
    },
    /// Renewal date.
    Renewal {
        /// When the membership renews.
        renews_at: DateTime<Utc>,
    },
    /// Event RSVP.
    Event {
        /// The event.
        event_id: String,
        /// When it starts.
        starts_at: DateTime<Utc>,
    },
    /// Milestone crossed.
    Milestone {
        /// The milestone in tokens.
        tokens: u64,
    },
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Alert {
    /// Who.
    pub supporter: SupporterId,
    /// What.
    pub kind: AlertKind,
    /// How urgent (always `kind.priority()`).
    pub priority: AlertPriority,
    /// When it was detected.
    pub created_at: DateTime<Utc>,
    /// After this instant it is dropped undelivered.
    pub expires_at: Option<DateTime<Utc>>,
    /// Why.
    pub detail: AlertDetail,
}

/// Alert thresholds and timings, with the defaults in the module table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlertConfig {
    /// Minimum gap between two delivered alerts of one (supporter, kind), seconds (3600).
    pub cooldown_seconds: i64,
    /// Lifetime of presence alerts (`vip_online`, `hot_lead_active`,
    /// `dormant_reactivation`), seconds (3600).
    pub presence_ttl_seconds: i64,
    /// "Active" for `hot_lead_active`: activity at most this old, seconds (3600).
    pub hot_lead_recent_seconds: i64,
    /// Spike: at least this many tokens in 7 d (100).
    pub spike_min_tokens: u64,
    /// Spike: at least this multiple of the weekly baseline (3).
    pub spike_factor: u64,
    /// Renewal notice, days (3).
    pub renewal_notice_days: i64,
    /// RSVP recency, hours (24).
    pub rsvp_recent_hours: i64,
    /// Lifetime-token milestones, ascending.
    pub milestones: Vec<u64>,
}

impl Default for AlertConfig {
    fn default() -> Self {
        AlertConfig {
            cooldown_seconds: 3_600,
            presence_ttl_seconds: 3_600,
            hot_lead_recent_seconds: 3_600,
            spike_min_tokens: 100,
            spike_factor: 3,
            renewal_notice_days: 3,
            rsvp_recent_hours: 24,
            milestones: vec![100, 500, 1_000, 5_000, 10_000, 50_000, 100_000],
        }
    }
}

/// What alert detection looks at for one supporter.
#[derive(Debug, Clone, Copy)]
pub struct AlertInput<'a> {
    /// The supporter's counters.
    pub counters: &'a SupporterCounters,
    /// Their score (from the same counters and `now`).
    pub score: Score,
    /// Their RSVPs (may be empty).
    pub rsvps: &'a [EventRsvp],
}

/// Candidate alerts for a batch of supporters, in input order (kinds in
/// [`AlertKind::ALL`] order per supporter). Pass them to
/// [`deliver_alerts`](super::deliver_alerts).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use creator_crm::supporters::*;
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap();
/// let mut c = SupporterCounters::new("s-1".into(), now);
/// c.tokens_lifetime = 2_000;
/// c.online = true;
/// c.last_active_at = Some(now);
/// let score = Scorer::default().score(&c, now);
/// let alerts = detect_alerts(&[AlertInput { counters: &c, score, rsvps: &[] }], &AlertConfig::default(), now);
/// assert_eq!(alerts[0].kind, AlertKind::VipOnline);
/// assert_eq!(alerts[0].priority, AlertPriority::Urgent);
/// ```
pub fn detect_alerts(
    inputs: &[AlertInput<'_>],
    cfg: &AlertConfig,
    now: DateTime<Utc>,
) -> Vec<Alert> {
    let mut out = Vec::new();
    for input in inputs {
        detect_one(input, cfg, now, &mut out);
    }
    out
}

fn detect_one(input: &AlertInput<'_>, cfg: &AlertConfig, now: DateTime<Utc>, out: &mut Vec<Alert>) {
    let c = input.counters;
    let seg = input.score.segment;
    let presence_end = now.checked_add_signed(Duration::seconds(cfg.presence_ttl_seconds));
    let mut push = |kind: AlertKind, expires_at, detail| {
        out.push(Alert {
            supporter: c.id.clone(),
            kind,
            priority: kind.priority(),
            created_at: now,
            expires_at,
            detail,
        });
    };
    if seg == Segment::Vip && c.online {
        push(AlertKind::VipOnline, presence_end, AlertDetail::None);
    }
    let recently_active = c
        .last_active_at
        .is_some_and(|t| (now - t).num_seconds() <= cfg.hot_lead_recent_seconds);
    if seg == Segment::HotLead && (c.online || recently_active) {
        push(AlertKind::HotLeadActive, presence_end, AlertDetail::None);
    }
    if matches!(seg, Segment::Dormant | Segment::Cold) && c.online {
        push(
            AlertKind::DormantReactivation,
            presence_end,
            AlertDetail::None,
        );
    }
    let t30 = c.tokens_30d.min(c.tokens_lifetime);
    let t7 = c.tokens_7d.min(t30);
    let prior = t30 - t7;
    // t7 ≥ factor × prior × 7/23, in integers.
    if t7 >= cfg.spike_min_tokens
        && u128::from(t7) * 23 >= u128::from(cfg.spike_factor) * 7 * u128::from(prior)
    {
        push(
            AlertKind::SpendingSpike,
            now.checked_add_signed(Duration::hours(24)),
            AlertDetail::Spike {
                tokens_7d: t7,
                weekly_baseline: prior * 7 / 23,
            },
        );
    }
    let renewal_due = c
        .fan_club
        .and_then(|f| f.renews_at)
        .filter(|&r| r > now && r - now <= Duration::days(cfg.renewal_notice_days));
    if let Some(renews_at) = renewal_due {
        push(
            AlertKind::FanClubRenewalDue,
            Some(renews_at),
            AlertDetail::Renewal { renews_at },
        );
    }
    for r in input.rsvps {
        if r.at <= now && now - r.at <= Duration::hours(cfg.rsvp_recent_hours) && r.starts_at > now
        {
            push(
                AlertKind::EventRsvp,
                Some(r.starts_at),
                AlertDetail::Event {
                    event_id: r.event_id.clone(),
                    starts_at: r.starts_at,
                },
            );
        }
    }
    let before = c.tokens_lifetime.saturating_sub(t7);
    if let Some(&m) = cfg
        .milestones
        .iter()
        .filter(|&&m| before < m && m <= c.tokens_lifetime)
        .max()
    {
        push(
            AlertKind::MilestoneReached,
            now.checked_add_signed(Duration::days(7)),
            AlertDetail::Milestone { tokens: m },
        );
    }
}
