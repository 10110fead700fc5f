//! Mobile bindings of `creator_crm::supporters`: on-device scoring,
//! segments, inbox tabs and alerts with cooldowns, batch-first.
//!
//! Timestamps are `SystemTime` (Kotlin `java.time.Instant`, Swift `Date`).

use std::time::SystemTime;

use creator_crm::supporters::{self as core, Scorer, Signal};

use crate::{
    errors::CrmError,
    supporter_config::{AlertConfig, ScoringConfig, alert_config, scorer},
    supporter_events::{self, Supporter},
    time::{from_system_time, opt_from_system_time, opt_to_system_time, to_system_time},
};

/// Fan-club membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct FanClub {
    /// Tier, 1 = the entry tier.
    pub tier: u8,
    /// Since when.
    pub since: SystemTime,
    /// When it renews, if it does.
    #[uniffi(default = None)]
    pub renews_at: Option<SystemTime>,
}

impl TryFrom<FanClub> for core::FanClubMembership {
    type Error = CrmError;

    fn try_from(f: FanClub) -> Result<Self, CrmError> {
        Ok(core::FanClubMembership {
            tier: f.tier,
            since: from_system_time(f.since)?,
            renews_at: opt_from_system_time(f.renews_at)?,
        })
    }
}

impl From<core::FanClubMembership> for FanClub {
    fn from(f: core::FanClubMembership) -> Self {
        FanClub {
            tier: f.tier,
            since: to_system_time(f.since),
            renews_at: opt_to_system_time(f.renews_at),
        }
    }
}

/// The counters a host keeps per supporter (windows end at `now`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SupporterCounters {
    /// The host's identifier.
    pub id: String,
    /// When the supporter joined.
    pub joined_at: SystemTime,
    /// Online right now.
    #[uniffi(default = false)]
    pub online: bool,
    /// Fan-club membership.
    #[uniffi(default = None)]
    pub fan_club: Option<FanClub>,
    /// Tokens spent, all time.
    #[uniffi(default = 0)]
    pub tokens_lifetime: u64,
    /// Tokens spent in 30 days.
    #[uniffi(default = 0)]
    pub tokens_30d: u64,
    /// Tokens spent in 7 days.
    #[uniffi(default = 0)]
    pub tokens_7d: u64,
    /// Live gifts in 7 days.
    #[uniffi(default = 0)]
    pub gifts_7d: u32,
    /// Chat messages in 7 days.
    #[uniffi(default = 0)]
    pub chat_messages_7d: u32,
    /// Profile views in 7 days.
    #[uniffi(default = 0)]
    pub profile_views_7d: u32,
    /// Live sessions in 7 days.
    #[uniffi(default = 0)]
    pub live_sessions_7d: u32,
    /// Live seconds watched in 7 days.
    #[uniffi(default = 0)]
    pub live_watch_seconds_7d: u64,
    /// Tokens gifted in live sessions in 7 days.
    #[uniffi(default = 0)]
    pub live_gift_tokens_7d: u64,
    /// Likes in 7 days.
    #[uniffi(default = 0)]
    pub likes_7d: u32,
    /// The most recent match.
    #[uniffi(default = None)]
    pub last_match_at: Option<SystemTime>,
    /// The first payment.
    #[uniffi(default = None)]
    pub first_purchase_at: Option<SystemTime>,
    /// The most recent payment.
    #[uniffi(default = None)]
    pub last_purchase_at: Option<SystemTime>,
    /// The most recent activity.
    #[uniffi(default = None)]
    pub last_active_at: Option<SystemTime>,
}

impl TryFrom<&SupporterCounters> for core::SupporterCounters {
    type Error = CrmError;

    fn try_from(c: &SupporterCounters) -> Result<Self, CrmError> {
        let mut out =
            core::SupporterCounters::new(c.id.as_str().into(), from_system_time(c.joined_at)?);
        out.online = c.online;
        out.fan_club = c.fan_club.map(TryInto::try_into).transpose()?;
        out.tokens_lifetime = c.tokens_lifetime;
        out.tokens_30d = c.tokens_30d;
        out.tokens_7d = c.tokens_7d;
        out.gifts_7d = c.gifts_7d;
        out.chat_messages_7d = c.chat_messages_7d;
        out.profile_views_7d = c.profile_views_7d;
        out.live_sessions_7d = c.live_sessions_7d;
        out.live_watch_seconds_7d = c.live_watch_seconds_7d;
        out.live_gift_tokens_7d = c.live_gift_tokens_7d;
        out.likes_7d = c.likes_7d;
        out.last_match_at = opt_from_system_time(c.last_match_at)?;
        out.first_purchase_at = opt_from_system_time(c.first_purchase_at)?;
        out.last_purchase_at = opt_from_system_time(c.last_purchase_at)?;
        out.last_active_at = opt_from_system_time(c.last_active_at)?;
        Ok(out)
    }
}

impl From<core::SupporterCounters> for SupporterCounters {
    fn from(c: core::SupporterCounters) -> Self {
        SupporterCounters {
            id: c.id.as_str().to_owned(),
            joined_at: to_system_time(c.joined_at),
            online: c.online,
            fan_club: c.fan_club.map(Into::into),
            tokens_lifetime: c.tokens_lifetime,
            tokens_30d: c.tokens_30d,
            tokens_7d: c.tokens_7d,
            gifts_7d: c.gifts_7d,
            chat_messages_7d: c.chat_messages_7d,
            profile_views_7d: c.profile_views_7d,
            live_sessions_7d: c.live_sessions_7d,
            live_watch_seconds_7d: c.live_watch_seconds_7d,
            live_gift_tokens_7d: c.live_gift_tokens_7d,
            likes_7d: c.likes_7d,
            last_match_at: opt_to_system_time(c.last_match_at),
            first_purchase_at: opt_to_system_time(c.first_purchase_at),
            last_purchase_at: opt_to_system_time(c.last_purchase_at),
            last_active_at: opt_to_system_time(c.last_active_at),
        }
    }
}

fn to_core(supporters: &[SupporterCounters]) -> Result<Vec<core::SupporterCounters>, CrmError> {
    supporters
        .iter()
        .map(core::SupporterCounters::try_from)
        .collect()
}

/// The one segment of a supporter (precedence VIP > Cold > Dormant > Hot lead > Active).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Segment {
    /// Lifetime ≥ 1,000 tokens.
    Vip,
    /// Inactive ≥ 30 days.
    Cold,
    /// Inactive 7–29 days.
    Dormant,
    /// Probability ≥ 70.
    HotLead,
    /// Everyone else.
    Active,
}

impl From<Segment> for core::Segment {
    fn from(s: Segment) -> Self {
        match s {
            Segment::Vip => core::Segment::Vip,
            Segment::Cold => core::Segment::Cold,
            Segment::Dormant => core::Segment::Dormant,
            Segment::HotLead => core::Segment::HotLead,
            Segment::Active => core::Segment::Active,
        }
    }
}

impl From<core::Segment> for Segment {
    fn from(s: core::Segment) -> Self {
        match s {
            core::Segment::Vip => Segment::Vip,
            core::Segment::Cold => Segment::Cold,
            core::Segment::Dormant => Segment::Dormant,
            core::Segment::HotLead => Segment::HotLead,
            core::Segment::Active => Segment::Active,
        }
    }
}

/// The six signals, each 0–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Signals {
    /// Chat messages in 7 days.
    pub recent_chat: u8,
    /// Tokens, weighted to recent.
    pub gifting: u8,
    /// Profile views in 7 days.
    pub profile_views: u8,
    /// Live engagement in 7 days.
    pub live_engagement: u8,
    /// Match within 7 days, fading out at 14.
    pub recent_match: u8,
    /// Likes without chat in 7 days.
    pub likes_without_chat: u8,
}

/// The compact score of one supporter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SupporterScore {
    /// Conversion probability, 0–100.
    pub probability: u8,
    /// Inbox priority, 0–150.
    pub priority: u8,
    /// The one segment.
    pub segment: Segment,
    /// The six signals.
    pub signals: Signals,
}

impl From<core::Score> for SupporterScore {
    fn from(s: core::Score) -> Self {
        SupporterScore {
            probability: s.probability,
            priority: s.priority,
            segment: s.segment.into(),
            signals: Signals {
                recent_chat: s.signal(Signal::RecentChat),
                gifting: s.signal(Signal::Gifting),
                profile_views: s.signal(Signal::ProfileViews),
                live_engagement: s.signal(Signal::LiveEngagement),
                recent_match: s.signal(Signal::RecentMatch),
                likes_without_chat: s.signal(Signal::LikesWithoutChat),
            },
        }
    }
}

/// Scores supporters, one score per supporter in input order, with the
/// given configuration (the documented defaults when `config` is `None`).
///
/// # Errors
/// [`CrmError::InvalidInput`] for a timestamp out of range or an incoherent
/// configuration.
#[uniffi::export(default(config = None))]
pub fn score_supporters(
    supporters: Vec<SupporterCounters>,
    now: SystemTime,
    config: Option<ScoringConfig>,
) -> Result<Vec<SupporterScore>, CrmError> {
    let now = from_system_time(now)?;
    let scorer = scorer(config)?;
    let counters = to_core(&supporters)?;
    Ok(scorer
        .score_all(&counters, now)
        .into_iter()
        .map(SupporterScore::from)
        .collect())
}

/// Tab sizes and paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct TabOptions {
    /// Size of the VIP tab.
    #[uniffi(default = 10)]
    pub vip_size: u32,
    /// Items to skip in the other tabs.
    #[uniffi(default = 0)]
    pub offset: u32,
    /// Items per page in the other tabs.
    #[uniffi(default = 50)]
    pub limit: u32,
    /// Window of the New tab, days.
    #[uniffi(default = 30)]
    pub new_within_days: u16,
}

/// One inbox tab page.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TabPage {
    /// Supporter ids in tab order.
    pub ids: Vec<String>,
    /// Their indices in the input list.
    pub indices: Vec<u32>,
    /// Members of the whole tab.
    pub total: u64,
}

/// The five inbox tabs.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InboxTabs {
    /// Top VIPs by lifetime spend.
    pub vip: TabPage,
    /// Hot leads by probability.
    pub hot_leads: TabPage,
    /// Everyone with a payment, by last activity.
    pub all: TabPage,
    /// Dormant supporters, by last activity.
    pub dormant: TabPage,
    /// First purchase within the window, by join date.
    pub new: TabPage,
}

/// Scores supporters with the given configuration (the defaults when
/// `config` is `None`) and builds the five inbox tabs (ties by id).
///
/// # Errors
/// [`CrmError::InvalidInput`] for a timestamp out of range or an incoherent
/// configuration.
#[uniffi::export(default(config = None, options))]
pub fn inbox_tabs(
    supporters: Vec<SupporterCounters>,
    now: SystemTime,
    options: TabOptions,
    config: Option<ScoringConfig>,
) -> Result<InboxTabs, CrmError> {
    let now = from_system_time(now)?;
    let scorer = scorer(config)?;
    let counters = to_core(&supporters)?;
    let scores = scorer.score_all(&counters, now);
    let opts = core::TabOptions {
        vip_size: options.vip_size as usize,
        new_within_days: options.new_within_days,
        page: core::Page {
            offset: options.offset as usize,
            limit: options.limit as usize,
        },
    };
    let t = core::inbox_tabs(&counters, &scores, now, &opts)?;
    let page = |p: core::TabPage| TabPage {
        ids: p
            .items
            .iter()
            .filter_map(|&i| supporters.get(i as usize).map(|c| c.id.clone()))
            .collect(),
        indices: p.items,
        total: p.total as u64,
    };
    Ok(InboxTabs {
        vip: page(t.vip),
        hot_leads: page(t.hot_leads),
        all: page(t.all),
        dormant: page(t.dormant),
        new: page(t.new),
    })
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum AlertKind {
    /// A VIP is online (urgent).
    VipOnline,
    /// A Hot lead is active (high).
    HotLeadActive,
    /// A Dormant or Cold supporter is back (medium).
    DormantReactivation,
    /// Spending spike (high).
    SpendingSpike,
    /// Fan-club renewal due (medium).
    FanClubRenewalDue,
    /// RSVP to an upcoming event (medium).
    EventRsvp,
    /// Lifetime-spend milestone (low).
    MilestoneReached,
}

impl From<core::AlertKind> for AlertKind {
    fn from(k: core::AlertKind) -> Self {
        match k {
            core::AlertKind::VipOnline => AlertKind::VipOnline,
            core::AlertKind::HotLeadActive => AlertKind::HotLeadActive,
            core::AlertKind::DormantReactivation => AlertKind::DormantReactivation,
            core::AlertKind::SpendingSpike => AlertKind::SpendingSpike,
            core::AlertKind::FanClubRenewalDue => AlertKind::FanClubRenewalDue,
            core::AlertKind::EventRsvp => AlertKind::EventRsvp,
            core::AlertKind::MilestoneReached => AlertKind::MilestoneReached,
        }
    }
}

impl From<AlertKind> for core::AlertKind {
    fn from(k: AlertKind) -> Self {
        match k {
            AlertKind::VipOnline => core::AlertKind::VipOnline,
            AlertKind::HotLeadActive => core::AlertKind::HotLeadActive,
            AlertKind::DormantReactivation => core::AlertKind::DormantReactivation,
            AlertKind::SpendingSpike => core::AlertKind::SpendingSpike,
            AlertKind::FanClubRenewalDue => core::AlertKind::FanClubRenewalDue,
            AlertKind::EventRsvp => core::AlertKind::EventRsvp,
            AlertKind::MilestoneReached => core::AlertKind::MilestoneReached,
        }
    }
}

/// How urgent an alert is (always its kind's priority).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, uniffi::Enum)]
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

impl From<core::AlertPriority> for AlertPriority {
    fn from(p: core::AlertPriority) -> Self {
        match p {
            core::AlertPriority::Low => AlertPriority::Low,
            core::AlertPriority::Medium => AlertPriority::Medium,
            core::AlertPriority::High => AlertPriority::High,
            core::AlertPriority::Urgent => AlertPriority::Urgent,
        }
    }
}

/// What triggered an alert, for display.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum AlertDetail {
    /// No detail.
    None,
    /// A spending spike.
    Spike {
        /// Tokens in the last 7 days.
        tokens_7d: u64,
        /// The weekly rate over the 23 days before.
        weekly_baseline: u64,
    },
    /// A fan-club renewal.
    Renewal {
        /// When the membership renews.
        renews_at: SystemTime,
    },
    /// An event RSVP.
    Event {
        /// The host's event identifier.
        event_id: String,
        /// When it starts.
        starts_at: SystemTime,
    },
    /// A milestone crossed.
    Milestone {
        /// The milestone in tokens.
        tokens: u64,
    },
}

impl From<&core::AlertDetail> for AlertDetail {
    fn from(d: &core::AlertDetail) -> Self {
        match d {
            core::AlertDetail::None => AlertDetail::None,
            core::AlertDetail::Spike {
                tokens_7d,
                weekly_baseline,
            } => AlertDetail::Spike {
                tokens_7d: *tokens_7d,
                weekly_baseline: *weekly_baseline,
            },
            core::AlertDetail::Renewal { renews_at } => AlertDetail::Renewal {
                renews_at: to_system_time(*renews_at),
            },
            core::AlertDetail::Event {
                event_id,
                starts_at,
            } => AlertDetail::Event {
                event_id: event_id.clone(),
                starts_at: to_system_time(*starts_at),
            },
            core::AlertDetail::Milestone { tokens } => AlertDetail::Milestone { tokens: *tokens },
        }
    }
}

impl TryFrom<&AlertDetail> for core::AlertDetail {
    type Error = CrmError;
    fn try_from(d: &AlertDetail) -> Result<Self, CrmError> {
        Ok(match d {
            AlertDetail::None => core::AlertDetail::None,
            AlertDetail::Spike {
                tokens_7d,
                weekly_baseline,
            } => core::AlertDetail::Spike {
                tokens_7d: *tokens_7d,
                weekly_baseline: *weekly_baseline,
            },
            AlertDetail::Renewal { renews_at } => core::AlertDetail::Renewal {
                renews_at: from_system_time(*renews_at)?,
            },
            AlertDetail::Event {
                event_id,
                starts_at,
            } => core::AlertDetail::Event {
                event_id: event_id.clone(),
                starts_at: from_system_time(*starts_at)?,
            },
            AlertDetail::Milestone { tokens } => core::AlertDetail::Milestone { tokens: *tokens },
        })
    }
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Alert {
    /// Who.
    pub supporter: String,
    /// What.
    pub kind: AlertKind,
    /// How urgent (always the kind's priority).
    pub priority: AlertPriority,
    /// When it was detected.
    pub created_at: SystemTime,
    /// When it expires undelivered.
    pub expires_at: Option<SystemTime>,
    /// What triggered it.
    pub detail: AlertDetail,
}

/// The last delivery of one (supporter, kind): the cooldown state as rows.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CooldownEntry {
    /// Who.
    pub supporter: String,
    /// What.
    pub kind: AlertKind,
    /// When it was last delivered.
    pub delivered_at: SystemTime,
}

/// Delivered, suppressed and expired alerts, and the state to keep.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Delivery {
    /// Delivered now, most urgent first.
    pub delivered: Vec<Alert>,
    /// Held back by a cooldown.
    pub suppressed: Vec<Alert>,
    /// Expired before delivery.
    pub expired: Vec<Alert>,
    /// The new cooldown state: pass it to the next call.
    pub state: Vec<CooldownEntry>,
}

pub(crate) fn alert_out(a: &core::Alert) -> Alert {
    Alert {
        supporter: a.supporter.to_string(),
        kind: a.kind.into(),
        priority: a.priority.into(),
        created_at: to_system_time(a.created_at),
        expires_at: opt_to_system_time(a.expires_at),
        detail: AlertDetail::from(&a.detail),
    }
}

pub(crate) fn alert_in(a: &Alert) -> Result<core::Alert, CrmError> {
    let kind: core::AlertKind = a.kind.into();
    Ok(core::Alert {
        supporter: a.supporter.as_str().into(),
        kind,
        priority: kind.priority(),
        created_at: from_system_time(a.created_at)?,
        expires_at: opt_from_system_time(a.expires_at)?,
        detail: core::AlertDetail::try_from(&a.detail)?,
    })
}

/// Candidate alerts for supporters given as counters (before cooldowns),
/// with optional scoring and alert configurations (defaults when `None`).
/// RSVP alerts need the events form: see [`detect_supporter_alerts`].
///
/// # Errors
/// [`CrmError::InvalidInput`] for a timestamp out of range or an incoherent
/// scoring configuration.
#[uniffi::export(default(config = None, alert_config = None))]
pub fn detect_alerts(
    supporters: Vec<SupporterCounters>,
    now: SystemTime,
    config: Option<ScoringConfig>,
    alert_config: Option<AlertConfig>,
) -> Result<Vec<Alert>, CrmError> {
    let now = from_system_time(now)?;
    let scorer = scorer(config)?;
    let counters = to_core(&supporters)?;
    Ok(detect(
        &scorer,
        &counters,
        None,
        &self::alert_config(alert_config),
        now,
    ))
}

fn detect(
    scorer: &Scorer,
    counters: &[core::SupporterCounters],
    supporters: Option<&[core::Supporter]>,
    cfg: &core::AlertConfig,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<Alert> {
    let inputs: Vec<core::AlertInput<'_>> = counters
        .iter()
        .enumerate()
        .map(|(i, c)| core::AlertInput {
            counters: c,
            score: scorer.score(c, now),
            rsvps: supporters
                .and_then(|s| s.get(i))
                .map_or(&[], |s| s.activity.event_rsvps.as_slice()),
        })
        .collect();
    core::detect_alerts(&inputs, cfg, now)
        .iter()
        .map(alert_out)
        .collect()
}

/// Candidate alerts for supporters given as events (before cooldowns):
/// counters are aggregated at `now`, and RSVPs raise `event_rsvp`.
///
/// # Errors
/// [`CrmError::InvalidInput`] for an unknown time zone, a timestamp out of
/// range or an incoherent scoring configuration.
#[uniffi::export(default(config = None, alert_config = None))]
pub fn detect_supporter_alerts(
    supporters: Vec<Supporter>,
    now: SystemTime,
    config: Option<ScoringConfig>,
    alert_config: Option<AlertConfig>,
) -> Result<Vec<Alert>, CrmError> {
    let now = from_system_time(now)?;
    let scorer = scorer(config)?;
    let people = supporter_events::to_core(&supporters)?;
    let counters: Vec<core::SupporterCounters> = people
        .iter()
        .map(|s| core::SupporterCounters::from_supporter(s, now))
        .collect();
    Ok(detect(
        &scorer,
        &counters,
        Some(&people),
        &self::alert_config(alert_config),
        now,
    ))
}

/// Delivers candidate alerts: drops expired ones and applies the cooldown
/// per (supporter, kind), counted from delivered alerts (1 hour unless
/// `alert_config` says otherwise).
///
/// # Errors
/// [`CrmError::InvalidInput`] for a timestamp out of range.
#[uniffi::export(default(alert_config = None))]
pub fn deliver_alerts(
    candidates: Vec<Alert>,
    state: Vec<CooldownEntry>,
    now: SystemTime,
    alert_config: Option<AlertConfig>,
) -> Result<Delivery, CrmError> {
    let now = from_system_time(now)?;
    let mut st = core::CooldownState::new();
    for e in &state {
        st.record(
            &e.supporter.as_str().into(),
            e.kind.into(),
            from_system_time(e.delivered_at)?,
        );
    }
    let candidates = candidates
        .iter()
        .map(alert_in)
        .collect::<Result<Vec<_>, _>>()?;
    let (outcome, st) =
        core::deliver_alerts(st, candidates, &self::alert_config(alert_config), now);
    Ok(Delivery {
        delivered: outcome.delivered.iter().map(alert_out).collect(),
        suppressed: outcome.suppressed.iter().map(alert_out).collect(),
        expired: outcome.expired.iter().map(alert_out).collect(),
        state: st
            .entries()
            .map(|(id, kind, at)| CooldownEntry {
                supporter: id.to_string(),
                kind: kind.into(),
                delivered_at: to_system_time(at),
            })
            .collect(),
    })
}
