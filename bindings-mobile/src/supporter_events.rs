//! The full supporter input model (dated events) and its conversion to the
//! counters every score is computed from.
//!
//! Personal data (`SupporterProfile` in the core) is deliberately absent:
//! nothing on the device that scores supporters needs it.

use std::time::SystemTime;

use creator_crm::{Error, supporters as core};

use crate::{
    errors::CrmError,
    supporters::{FanClub, SupporterCounters},
    time::{from_system_time, to_system_time},
};

/// What a supporter spent tokens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum SpendFeature {
    /// Paid chat messages.
    Chat,
    /// Gifts sent during a live stream (count as gifts in 7 days).
    LiveGift,
    /// Pay-per-view content.
    Ppv,
    /// Fan-club subscription or upgrade.
    FanClub,
    /// Tickets or fees for an event.
    Event,
}

impl From<SpendFeature> for core::SpendFeature {
    fn from(f: SpendFeature) -> Self {
        match f {
            SpendFeature::Chat => core::SpendFeature::Chat,
            SpendFeature::LiveGift => core::SpendFeature::LiveGift,
            SpendFeature::Ppv => core::SpendFeature::Ppv,
            SpendFeature::FanClub => core::SpendFeature::FanClub,
            SpendFeature::Event => core::SpendFeature::Event,
        }
    }
}

/// One payment in tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SpendEvent {
    /// When it was spent.
    pub at: SystemTime,
    /// How many tokens.
    pub tokens: u64,
    /// On what.
    pub feature: SpendFeature,
}

/// One live stream of the creator the supporter attended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct LiveSession {
    /// When the supporter joined the stream.
    pub at: SystemTime,
    /// Seconds watched.
    #[uniffi(default = 0)]
    pub watch_seconds: u32,
    /// Gifts sent during the session (count).
    #[uniffi(default = 0)]
    pub gifts: u32,
    /// Tokens gifted during the session.
    #[uniffi(default = 0)]
    pub gift_tokens: u64,
}

/// An RSVP of the supporter to one of the creator's events.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EventRsvp {
    /// The host's event identifier.
    pub event_id: String,
    /// When the supporter answered.
    pub at: SystemTime,
    /// When the event starts.
    pub starts_at: SystemTime,
}

/// Dated activity of one supporter toward one creator (order does not matter).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SupporterActivity {
    /// Token payments.
    #[uniffi(default)]
    pub spends: Vec<SpendEvent>,
    /// Times of chat messages the supporter sent.
    #[uniffi(default)]
    pub chat_messages: Vec<SystemTime>,
    /// Times the supporter viewed the creator's profile.
    #[uniffi(default)]
    pub profile_views: Vec<SystemTime>,
    /// Live streams attended.
    #[uniffi(default)]
    pub live_sessions: Vec<LiveSession>,
    /// Times the supporter and creator matched.
    #[uniffi(default)]
    pub matches: Vec<SystemTime>,
    /// Times the supporter liked the creator's content.
    #[uniffi(default)]
    pub likes: Vec<SystemTime>,
    /// RSVPs to the creator's events.
    #[uniffi(default)]
    pub event_rsvps: Vec<EventRsvp>,
}

/// A supporter with their dated activity (the events form).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Supporter {
    /// The host's identifier.
    pub id: String,
    /// When the supporter joined the platform.
    pub joined_at: SystemTime,
    /// IANA time zone of the supporter (`Europe/Paris`); insights use it.
    pub time_zone: String,
    /// The public name the supporter shows creators.
    #[uniffi(default = None)]
    pub display_name: Option<String>,
    /// Fan-club membership.
    #[uniffi(default = None)]
    pub fan_club: Option<FanClub>,
    /// Online right now.
    #[uniffi(default = false)]
    pub online: bool,
    /// Dated activity.
    #[uniffi(default)]
    pub activity: SupporterActivity,
}

fn times(ts: &[SystemTime]) -> Result<Vec<chrono::DateTime<chrono::Utc>>, CrmError> {
    ts.iter().copied().map(from_system_time).collect()
}

impl TryFrom<&SupporterActivity> for core::SupporterActivity {
    type Error = CrmError;

    fn try_from(a: &SupporterActivity) -> Result<Self, CrmError> {
        Ok(core::SupporterActivity {
            spends: a
                .spends
                .iter()
                .map(|e| {
                    Ok(core::SpendEvent {
                        at: from_system_time(e.at)?,
                        tokens: e.tokens,
                        feature: e.feature.into(),
                    })
                })
                .collect::<Result<_, CrmError>>()?,
            chat_messages: times(&a.chat_messages)?,
            profile_views: times(&a.profile_views)?,
            live_sessions: a
                .live_sessions
                .iter()
                .map(|l| {
                    Ok(core::LiveSession {
                        at: from_system_time(l.at)?,
                        watch_seconds: l.watch_seconds,
                        gifts: l.gifts,
                        gift_tokens: l.gift_tokens,
                    })
                })
                .collect::<Result<_, CrmError>>()?,
            matches: times(&a.matches)?,
            likes: times(&a.likes)?,
            event_rsvps: a
                .event_rsvps
                .iter()
                .map(|r| {
                    Ok(core::EventRsvp {
                        event_id: r.event_id.clone(),
                        at: from_system_time(r.at)?,
                        starts_at: from_system_time(r.starts_at)?,
                    })
                })
                .collect::<Result<_, CrmError>>()?,
        })
    }
}

impl TryFrom<&Supporter> for core::Supporter {
    type Error = CrmError;

    fn try_from(s: &Supporter) -> Result<Self, CrmError> {
        let time_zone = s
            .time_zone
            .parse::<chrono_tz::Tz>()
            .map_err(|_| Error::invalid("time_zone", "not an IANA time zone"))?;
        Ok(core::Supporter {
            id: s.id.as_str().into(),
            display_name: s.display_name.clone(),
            joined_at: from_system_time(s.joined_at)?,
            time_zone,
            fan_club: s.fan_club.map(TryInto::try_into).transpose()?,
            online: s.online,
            activity: (&s.activity).try_into()?,
            profile: core::SupporterProfile::default(),
        })
    }
}

impl From<core::SpendFeature> for SpendFeature {
    fn from(f: core::SpendFeature) -> Self {
        match f {
            core::SpendFeature::Chat => SpendFeature::Chat,
            core::SpendFeature::LiveGift => SpendFeature::LiveGift,
            core::SpendFeature::Ppv => SpendFeature::Ppv,
            core::SpendFeature::FanClub => SpendFeature::FanClub,
            core::SpendFeature::Event => SpendFeature::Event,
        }
    }
}

/// A core supporter in events form (its personal-data profile left out).
impl From<&core::Supporter> for Supporter {
    fn from(s: &core::Supporter) -> Self {
        let a = &s.activity;
        let times = |ts: &[chrono::DateTime<chrono::Utc>]| -> Vec<SystemTime> {
            ts.iter().copied().map(to_system_time).collect()
        };
        Supporter {
            id: s.id.as_str().to_owned(),
            joined_at: to_system_time(s.joined_at),
            time_zone: s.time_zone.name().to_owned(),
            display_name: s.display_name.clone(),
            fan_club: s.fan_club.map(FanClub::from),
            online: s.online,
            activity: SupporterActivity {
                spends: a
                    .spends
                    .iter()
                    .map(|e| SpendEvent {
                        at: to_system_time(e.at),
                        tokens: e.tokens,
                        feature: e.feature.into(),
                    })
                    .collect(),
                chat_messages: times(&a.chat_messages),
                profile_views: times(&a.profile_views),
                live_sessions: a
                    .live_sessions
                    .iter()
                    .map(|l| LiveSession {
                        at: to_system_time(l.at),
                        watch_seconds: l.watch_seconds,
                        gifts: l.gifts,
                        gift_tokens: l.gift_tokens,
                    })
                    .collect(),
                matches: times(&a.matches),
                likes: times(&a.likes),
                event_rsvps: a
                    .event_rsvps
                    .iter()
                    .map(|r| EventRsvp {
                        event_id: r.event_id.clone(),
                        at: to_system_time(r.at),
                        starts_at: to_system_time(r.starts_at),
                    })
                    .collect(),
            },
        }
    }
}

/// Supporters in events form as core supporters.
pub fn to_core(supporters: &[Supporter]) -> Result<Vec<core::Supporter>, CrmError> {
    supporters.iter().map(core::Supporter::try_from).collect()
}

/// Aggregates supporters' events into the counters seen at `now` (events
/// after `now` are ignored), one per supporter in input order.
///
/// # Errors
/// [`CrmError::InvalidInput`] for an unknown time zone or a timestamp out of range.
#[uniffi::export]
pub fn supporter_counters(
    supporters: Vec<Supporter>,
    now: SystemTime,
) -> Result<Vec<SupporterCounters>, CrmError> {
    let now = from_system_time(now)?;
    Ok(to_core(&supporters)?
        .iter()
        .map(|s| core::SupporterCounters::from_supporter(s, now).into())
        .collect())
}
