//! The creator-safe supporter view.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{finding::PiiKind, pseudonym::Pseudonymizer, redact::redact_text};
use crate::supporters::{FanClubMembership, Score, Segment, Supporter};

/// Longest display name shown, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 64;

/// Which id a [`SupporterView`] carries.
#[derive(Debug, Clone, Copy)]
pub enum ViewId<'a> {
    /// The host's own supporter id (for hosts whose ids are already opaque).
    Host,
    /// A [`PseudonymousId`](super::PseudonymousId) made with this key.
    Pseudonymous(&'a Pseudonymizer),
}

/// Where a view's display name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameSource {
    /// The public display name the supporter chose (redacted, trimmed).
    Chosen,
    /// A generated label, `Supporter #3f9a`.
    Generated,
}

/// The score fields a creator may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ViewScore {
    /// Conversion probability, `0..=100`.
    pub probability: u8,
    /// Inbox priority.
    pub priority: u8,
    /// The supporter's segment.
    pub segment: Segment,
}

/// What a creator may see of a supporter. The type has **no personal-data
/// field at all**: no real name, email, phone, social handles, location,
/// time zone, IP address or device — only an id, a display label, and
/// activity facts about the supporter's relationship with the creator.
///
/// **Display name rule.** The supporter's chosen public display name is used
/// when it survives these checks: whitespace is collapsed and it is cut to
/// [`MAX_DISPLAY_NAME_CHARS`]; it is passed through
/// [`redact_text`] (an email or phone typed as a display name becomes
/// `[email]`/`[phone]`); it is dropped when nothing but placeholders and
/// punctuation remain, when it equals the supporter's real name (ignoring
/// case and spacing), or when it contains their email, phone or one of their
/// social handles. Otherwise the label is `Supporter #xxxx`, where `xxxx`
/// comes from the view's id.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use creator_crm::privacy::{NameSource, Pseudonymizer, SupporterView, ViewId};
/// use creator_crm::supporters::{Supporter, SupporterActivity, SupporterProfile};
///
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
/// let supporter = Supporter {
///     id: "s-42".into(),
///     display_name: Some("jane@example.com".into()),
///     joined_at: now,
///     time_zone: chrono_tz::America::Chicago,
///     fan_club: None,
///     online: true,
///     activity: SupporterActivity::default(),
///     profile: SupporterProfile { real_name: Some("Jane Doe".into()), ..Default::default() },
/// };
/// let keys = Pseudonymizer::new(b"0123456789abcdef").unwrap();
/// let view = SupporterView::new(&supporter, ViewId::Pseudonymous(&keys));
/// assert_eq!(view.name_source, NameSource::Generated);
/// assert!(view.display_name.starts_with("Supporter #"));
/// assert!(view.id.starts_with("sp_"));
/// let json = serde_json::to_string(&view).unwrap();
/// assert!(!json.contains("jane") && !json.contains("Jane") && !json.contains("Chicago"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupporterView {
    /// The host's id or a pseudonymous id, as the [`ViewId`] asked.
    pub id: String,
    /// The label to show (see the display name rule above).
    pub display_name: String,
    /// Whether the label is the supporter's own choice.
    pub name_source: NameSource,
    /// When the supporter joined the platform.
    pub joined_at: DateTime<Utc>,
    /// Fan-club membership with the creator.
    pub fan_club: Option<FanClubMembership>,
    /// Online right now.
    pub online: bool,
    /// Tokens spent with the creator, all time.
    pub lifetime_tokens: u64,
    /// The most recent activity toward the creator, if any.
    pub last_active_at: Option<DateTime<Utc>>,
    /// Score and segment, when the host attached them with [`SupporterView::with_score`].
    pub score: Option<ViewScore>,
}

impl SupporterView {
    /// The view of `supporter`, with the id chosen by `id`.
    pub fn new(supporter: &Supporter, id: ViewId<'_>) -> Self {
        let id = match id {
            ViewId::Host => supporter.id.as_str().to_owned(),
            ViewId::Pseudonymous(p) => p.pseudonym(&supporter.id).as_str().to_owned(),
        };
        let (display_name, name_source) = match public_name(supporter) {
            Some(name) => (name, NameSource::Chosen),
            None => (
                format!("Supporter #{}", short_tag(&id)),
                NameSource::Generated,
            ),
        };
        let a = &supporter.activity;
        let last_active_at = a
            .spends
            .iter()
            .map(|s| s.at)
            .chain(a.chat_messages.iter().copied())
            .chain(a.profile_views.iter().copied())
            .chain(a.live_sessions.iter().map(|s| s.at))
            .chain(a.matches.iter().copied())
            .chain(a.likes.iter().copied())
            .chain(a.event_rsvps.iter().map(|r| r.at))
            .max();
        SupporterView {
            id,
            display_name,
            name_source,
            joined_at: supporter.joined_at,
            fan_club: supporter.fan_club,
            online: supporter.online,
            lifetime_tokens: a
                .spends
                .iter()
                .fold(0u64, |t, s| t.saturating_add(s.tokens)),
            last_active_at,
            score: None,
        }
    }

    /// Attaches the supporter's score and segment.
    #[must_use]
    pub fn with_score(mut self, score: &Score) -> Self {
        self.score = Some(ViewScore {
            probability: score.probability,
            priority: score.priority,
            segment: score.segment,
        });
        self
    }
}

/// Four hex digits for a generated label: from a pseudonymous id directly,
/// else from a hash of the host id.
fn short_tag(id: &str) -> String {
    match id.strip_prefix("sp_").and_then(|h| h.get(..4)) {
        Some(tag) => tag.to_owned(),
        None => hex::encode(Sha256::digest(id.as_bytes()).get(..2).unwrap_or_default()),
    }
}

/// Lower-case, whitespace- and punctuation-free form for comparisons.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The chosen display name, if it may be shown (see [`SupporterView`]).
pub(crate) fn public_name(supporter: &Supporter) -> Option<String> {
    let raw = supporter.display_name.as_deref()?;
    let collapsed: String = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_DISPLAY_NAME_CHARS)
        .collect();
    let redacted = redact_text(&collapsed);
    let mut rest = redacted.text.clone();
    for kind in [
        PiiKind::Email,
        PiiKind::Phone,
        PiiKind::Ip,
        PiiKind::Address,
    ] {
        rest = rest.replace(kind.placeholder(), "");
    }
    let squashed = squash(&rest);
    if squashed.is_empty() {
        return None;
    }
    let p = &supporter.profile;
    let personal = p
        .real_name
        .iter()
        .chain(p.email.iter())
        .chain(p.phone.iter())
        .map(|v| squash(v))
        .chain(p.social_handles.iter().map(|h| squash(&h.handle)))
        .filter(|v| v.len() >= 3);
    let full = squash(&collapsed);
    for value in personal {
        if full == value || full.contains(&value) {
            return None;
        }
    }
    if p.real_name
        .as_deref()
        .is_some_and(|n| squash(n) == squashed)
    {
        return None;
    }
    Some(redacted.text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::supporters::{SocialHandle, SupporterActivity, SupporterProfile};

    fn supporter(display: Option<&str>) -> Supporter {
        Supporter {
            id: "s-42".into(),
            display_name: display.map(str::to_owned),
            joined_at: Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap(),
            time_zone: chrono_tz::Europe::Paris,
            fan_club: None,
            online: false,
            activity: SupporterActivity::default(),
            profile: SupporterProfile {
                real_name: Some("Jane Doe".into()),
                email: Some("jane@example.com".into()),
                phone: Some("+14155550134".into()),
                social_handles: vec![SocialHandle {
                    platform: "instagram".into(),
                    handle: "jane.doe.93".into(),
                }],
                ..Default::default()
            },
        }
    }

    fn name(display: Option<&str>) -> (String, NameSource) {
        let v = SupporterView::new(&supporter(display), ViewId::Host);
        (v.display_name, v.name_source)
    }

    #[test]
    fn display_name_rule() {
        assert_eq!(
            name(Some("  Starlight   Fan ")),
            ("Starlight Fan".into(), NameSource::Chosen)
        );
        assert_eq!(
            name(Some("Fan (call 415-555-0100)")),
            ("Fan (call [phone])".into(), NameSource::Chosen)
        );
        for hidden in [
            None,
            Some("jane@example.com"),
            Some("JANE  doe"),
            Some("I'm jane.doe.93"),
            Some("  "),
        ] {
            let (label, source) = name(hidden);
            assert_eq!(source, NameSource::Generated, "{hidden:?}");
            assert!(
                label.starts_with("Supporter #") && label.len() == 15,
                "{label}"
            );
        }
    }

    #[test]
    fn pseudonymous_ids_replace_host_ids() {
        let keys = Pseudonymizer::new(b"0123456789abcdef").unwrap();
        let v = SupporterView::new(&supporter(None), ViewId::Pseudonymous(&keys));
        assert!(v.id.starts_with("sp_"));
        assert_eq!(v.display_name, format!("Supporter #{}", &v.id[3..7]));
        assert_ne!(v.id, "s-42");
    }
}
