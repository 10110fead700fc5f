//! The supporter input model: who a supporter is and what they did.
//!
//! A host hands the library either full event histories ([`Supporter`] with
//! its [`SupporterActivity`]) or the aggregated counters it already keeps
//! ([`SupporterCounters`]); events convert to counters given `now`
//! (see [`SupporterCounters::from_supporter`](crate::supporters::SupporterCounters::from_supporter)).
//!
//! Personal data lives in one place only, [`SupporterProfile`]: every field
//! there is optional, the type has no `Display`, and its `Debug` prints
//! `<redacted>` for every value that is present. Nothing in scoring reads it.

use std::fmt;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The host's opaque identifier of a supporter (not personal data: a database
/// key, a UUID, ...). Ordering is byte-wise and is the final tie-break of every
/// ranking, so results never depend on input order.
///
/// ```
/// use creator_crm::supporters::SupporterId;
/// let id = SupporterId::from("s-42");
/// assert_eq!(id.as_str(), "s-42");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SupporterId(String);

impl SupporterId {
    /// Wraps the host's identifier.
    pub fn new(id: impl Into<String>) -> Self {
        SupporterId(id.into())
    }

    /// The identifier as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SupporterId {
    fn from(id: &str) -> Self {
        SupporterId(id.to_owned())
    }
}

impl From<String> for SupporterId {
    fn from(id: String) -> Self {
        SupporterId(id)
    }
}

impl fmt::Display for SupporterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A supporter as the host knows them: the non-personal parts used for
/// scoring, plus the personal [`SupporterProfile`] the host holds.
///
/// `Debug` is safe to log: the profile prints `<redacted>`, and the display
/// name is shown only as a creator would see it (the `privacy` module's
/// display-name rule: emails and phones typed into it are redacted, a name
/// matching the real name or contact details prints `<redacted>`). There is
/// no `Display`. The creator-facing view without any personal data is built
/// by the `privacy` module.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Supporter {
    /// The host's identifier.
    pub id: SupporterId,
    /// The public name the supporter chose to show creators, if any.
    pub display_name: Option<String>,
    /// When the supporter joined the platform.
    pub joined_at: DateTime<Utc>,
    /// The supporter's own time zone (insights such as the best contact time use it).
    pub time_zone: Tz,
    /// Fan-club membership with this creator, if any.
    pub fan_club: Option<FanClubMembership>,
    /// Whether the supporter is online right now (as the host last saw it).
    #[serde(default)]
    pub online: bool,
    /// Dated activity: spends, chats, views, live sessions, matches, likes, RSVPs.
    #[serde(default)]
    pub activity: SupporterActivity,
    /// Personal data the host holds. Never read by scoring; never shown to creators.
    #[serde(default)]
    pub profile: SupporterProfile,
}

impl fmt::Debug for Supporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Supporter")
            .field("id", &self.id)
            .field("display_name", &ShownName(self))
            .field("joined_at", &self.joined_at)
            .field("time_zone", &self.time_zone)
            .field("fan_club", &self.fan_club)
            .field("online", &self.online)
            .field("activity", &self.activity)
            .field("profile", &self.profile)
            .finish()
    }
}

/// The display name as a creator would see it, for `Debug`.
struct ShownName<'a>(&'a Supporter);

impl fmt::Debug for ShownName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.display_name {
            None => f.write_str("None"),
            Some(_) => match crate::privacy::shown_display_name(self.0) {
                Some(name) => write!(f, "Some({name:?})"),
                None => f.write_str("Some(<redacted>)"),
            },
        }
    }
}

/// Personal data a host may hold about a supporter. All optional.
///
/// No `Display`; `Debug` prints `<redacted>` for each value present (and
/// `None` for each absent one), so a `{:?}` in a log leaks nothing.
///
/// ```
/// use creator_crm::supporters::SupporterProfile;
/// let p = SupporterProfile { email: Some("fan@example.com".into()), ..Default::default() };
/// let shown = format!("{p:?}");
/// assert!(!shown.contains("fan@example.com"));
/// assert!(shown.contains("<redacted>"));
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupporterProfile {
    /// Legal or real name.
    pub real_name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number, as stored.
    pub phone: Option<String>,
    /// Handles on other platforms.
    pub social_handles: Vec<SocialHandle>,
    /// City.
    pub city: Option<String>,
    /// Region, state or province.
    pub region: Option<String>,
    /// Country (name or code, as stored).
    pub country: Option<String>,
    /// Any other location data as stored (street address, coordinates, ...).
    pub location: Option<String>,
    /// Last known IP address, as stored.
    pub ip_address: Option<String>,
    /// Device description (model, OS, user agent, device id, ...).
    pub device: Option<String>,
}

/// Shows `<redacted>` for a present value.
struct Redacted<'a, T>(&'a Option<T>);

impl<T> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f.write_str("Some(<redacted>)"),
            None => f.write_str("None"),
        }
    }
}

impl fmt::Debug for SupporterProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SupporterProfile")
            .field("real_name", &Redacted(&self.real_name))
            .field("email", &Redacted(&self.email))
            .field("phone", &Redacted(&self.phone))
            .field("social_handles", &self.social_handles)
            .field("city", &Redacted(&self.city))
            .field("region", &Redacted(&self.region))
            .field("country", &Redacted(&self.country))
            .field("location", &Redacted(&self.location))
            .field("ip_address", &Redacted(&self.ip_address))
            .field("device", &Redacted(&self.device))
            .finish()
    }
}

/// A supporter's handle on another platform (personal data: `Debug` redacts the handle).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialHandle {
    /// The platform, e.g. `"instagram"`.
    pub platform: String,
    /// The handle on that platform.
    pub handle: String,
}

impl fmt::Debug for SocialHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocialHandle")
            .field("platform", &self.platform)
            .field("handle", &"<redacted>")
            .finish()
    }
}

/// Fan-club membership with the creator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FanClubMembership {
    /// Membership tier, 1 = the entry tier; higher is a higher tier.
    pub tier: u8,
    /// When the supporter joined the fan club (or last changed tier).
    pub since: DateTime<Utc>,
    /// When the membership renews or lapses, if it does.
    pub renews_at: Option<DateTime<Utc>>,
}

/// What a supporter spent tokens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpendFeature {
    /// Paid chat messages.
    Chat,
    /// Gifts sent during a live stream.
    LiveGift,
    /// Pay-per-view content.
    Ppv,
    /// Fan-club subscription or upgrade.
    FanClub,
    /// Tickets or fees for an event.
    Event,
}

/// One payment in tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendEvent {
    /// When it was spent.
    pub at: DateTime<Utc>,
    /// How many tokens.
    pub tokens: u64,
    /// On what.
    pub feature: SpendFeature,
}

/// One live stream of the creator the supporter attended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSession {
    /// When the supporter joined the stream.
    pub at: DateTime<Utc>,
    /// Seconds watched.
    pub watch_seconds: u32,
    /// Gifts sent during the session (count).
    pub gifts: u32,
    /// Tokens gifted during the session (also recorded as [`SpendFeature::LiveGift`] spends
    /// when the host keeps payments; live engagement reads this field, gifting reads spends).
    pub gift_tokens: u64,
}

/// An RSVP of the supporter to one of the creator's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRsvp {
    /// The host's event identifier.
    pub event_id: String,
    /// When the supporter answered.
    pub at: DateTime<Utc>,
    /// When the event starts.
    pub starts_at: DateTime<Utc>,
}

/// Dated activity of one supporter toward one creator. Order inside each
/// list does not matter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupporterActivity {
    /// Token payments.
    pub spends: Vec<SpendEvent>,
    /// Times of chat messages the supporter sent.
    pub chat_messages: Vec<DateTime<Utc>>,
    /// Times the supporter viewed the creator's profile.
    pub profile_views: Vec<DateTime<Utc>>,
    /// Live streams attended.
    pub live_sessions: Vec<LiveSession>,
    /// Times the supporter and creator matched.
    pub matches: Vec<DateTime<Utc>>,
    /// Times the supporter liked the creator's content.
    pub likes: Vec<DateTime<Utc>>,
    /// RSVPs to the creator's events.
    pub event_rsvps: Vec<EventRsvp>,
}

/// The aggregated form for hosts that only keep counters (and the form every
/// score is computed from). Windows are relative to the `now` the counters
/// were computed for: "7 d" means `now - 7 days < t <= now`.
///
/// Token windows nest: `tokens_7d <= tokens_30d <= tokens_lifetime`
/// (scoring clamps inconsistent input rather than failing). In serialized
/// form only `id` and `joined_at` are required; the rest default to zero/none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupporterCounters {
    /// The host's identifier.
    pub id: SupporterId,
    /// When the supporter joined the platform.
    pub joined_at: DateTime<Utc>,
    /// Online right now.
    #[serde(default)]
    pub online: bool,
    /// Fan-club membership, if any.
    #[serde(default)]
    pub fan_club: Option<FanClubMembership>,
    /// Tokens spent, all time.
    #[serde(default)]
    pub tokens_lifetime: u64,
    /// Tokens spent in the last 30 days.
    #[serde(default)]
    pub tokens_30d: u64,
    /// Tokens spent in the last 7 days.
    #[serde(default)]
    pub tokens_7d: u64,
    /// Gift payments (live gifts) in the last 7 days (count).
    #[serde(default)]
    pub gifts_7d: u32,
    /// Chat messages sent in the last 7 days.
    #[serde(default)]
    pub chat_messages_7d: u32,
    /// Profile views in the last 7 days.
    #[serde(default)]
    pub profile_views_7d: u32,
    /// Live sessions attended in the last 7 days.
    #[serde(default)]
    pub live_sessions_7d: u32,
    /// Seconds of live watched in the last 7 days.
    #[serde(default)]
    pub live_watch_seconds_7d: u64,
    /// Tokens gifted during live sessions in the last 7 days.
    #[serde(default)]
    pub live_gift_tokens_7d: u64,
    /// Likes in the last 7 days.
    #[serde(default)]
    pub likes_7d: u32,
    /// The most recent match, if any.
    #[serde(default)]
    pub last_match_at: Option<DateTime<Utc>>,
    /// The first payment, if any.
    #[serde(default)]
    pub first_purchase_at: Option<DateTime<Utc>>,
    /// The most recent payment, if any.
    #[serde(default)]
    pub last_purchase_at: Option<DateTime<Utc>>,
    /// The most recent activity of any kind, if any.
    #[serde(default)]
    pub last_active_at: Option<DateTime<Utc>>,
}
