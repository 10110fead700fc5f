//! Planning a welcome campaign: which messages to send to which approved
//! creators, each with a deterministic idempotency key, and which are skipped
//! and why. Pure: the outbox and the senders take it from here.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::quiet_hours::QuietHours;
use crate::identity::{E164, Email};

/// The channel a message goes out on; serialized as [`Channel::as_str`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Email through the host's [`EmailSender`](crate::messaging::EmailSender).
    Email,
    /// SMS through the host's [`SmsSender`](crate::messaging::SmsSender).
    Sms,
}

impl Channel {
    /// `"email"` or `"sms"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// An approved creator as the planner sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutreachTarget {
    /// The creator's stable id (or handle).
    pub creator: String,
    /// Their email, if any.
    pub email: Option<Email>,
    /// Their phone, if any.
    pub phone: Option<E164>,
    /// Whether SMS consent is on record and not revoked.
    pub sms_consent: bool,
    /// Whether email to them is stopped (unsubscribe, complaint, suppression).
    pub email_stopped: bool,
    /// Their state, when the host knows it (for quiet hours).
    pub state: Option<String>,
}

/// The campaign being planned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Campaign {
    /// The workspace (brand) sending it.
    pub workspace: String,
    /// The campaign id (e.g. `welcome-2026-06`).
    pub id: String,
    /// The email template's name.
    pub email_template: String,
    /// The SMS template's name, when the campaign texts too.
    pub sms_template: Option<String>,
}

/// One message to send.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlannedMessage {
    /// Deterministic per (workspace, creator, template, channel, campaign):
    /// planning again yields the same key, so the outbox never sends twice.
    pub idempotency_key: String,
    /// The creator.
    pub creator: String,
    /// The channel.
    pub channel: Channel,
    /// The template's name.
    pub template: String,
    /// The earliest time it may go out (quiet hours for SMS; `now` for email).
    pub not_before: DateTime<Utc>,
}

/// Why a message was not planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// No email address (or no phone for SMS).
    NoAddress,
    /// No SMS consent on record, or it was revoked.
    NoConsent,
    /// Email to this creator is stopped.
    Stopped,
    /// No allowed send time could be found for the number.
    NoSendWindow,
}

impl SkipReason {
    /// `"no_address"`, `"no_consent"`, `"stopped"` or `"no_send_window"`, the names
    /// every binding uses.
    pub const fn as_str(self) -> &'static str {
        match self {
            SkipReason::NoAddress => "no_address",
            SkipReason::NoConsent => "no_consent",
            SkipReason::Stopped => "stopped",
            SkipReason::NoSendWindow => "no_send_window",
        }
    }
}

/// A message that was not planned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Skipped {
    /// The creator.
    pub creator: String,
    /// The channel.
    pub channel: Channel,
    /// Why.
    pub reason: SkipReason,
}

/// What [`plan_outreach`] decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutreachPlan {
    /// Messages to send, in target order, email before SMS for each creator.
    pub messages: Vec<PlannedMessage>,
    /// Messages not planned, with the reason.
    pub skipped: Vec<Skipped>,
}

/// The idempotency key of a message: `ob_` and 32 hex digits of SHA-256 over
/// the length-prefixed (workspace, creator, template, channel, campaign).
pub fn idempotency_key(
    workspace: &str,
    creator: &str,
    template: &str,
    channel: Channel,
    campaign: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [workspace, creator, template, channel.as_str(), campaign] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    let mut key = String::with_capacity(35);
    key.push_str("ob_");
    key.push_str(&hex::encode(&digest[..16]));
    key
}

/// Plans `campaign` for `targets` at `now`: an email for each creator with an
/// address whose email is not stopped; an SMS (when the campaign has one) for
/// each with a phone and unrevoked consent, not before the quiet-hour window
/// opens under `rules`.
pub fn plan_outreach(
    targets: &[OutreachTarget],
    campaign: &Campaign,
    now: DateTime<Utc>,
    rules: &QuietHours,
) -> OutreachPlan {
    let mut plan = OutreachPlan {
        messages: Vec::with_capacity(targets.len()),
        skipped: Vec::new(),
    };
    let skip = |plan: &mut OutreachPlan, t: &OutreachTarget, channel, reason| {
        plan.skipped.push(Skipped {
            creator: t.creator.clone(),
            channel,
            reason,
        });
    };
    for t in targets {
        match (&t.email, t.email_stopped) {
            (None, _) => skip(&mut plan, t, Channel::Email, SkipReason::NoAddress),
            (Some(_), true) => skip(&mut plan, t, Channel::Email, SkipReason::Stopped),
            (Some(_), false) => plan.messages.push(PlannedMessage {
                idempotency_key: idempotency_key(
                    &campaign.workspace,
                    &t.creator,
                    &campaign.email_template,
                    Channel::Email,
                    &campaign.id,
                ),
                creator: t.creator.clone(),
                channel: Channel::Email,
                template: campaign.email_template.clone(),
                not_before: now,
            }),
        }
        let Some(template) = &campaign.sms_template else {
            continue;
        };
        let Some(phone) = &t.phone else {
            skip(&mut plan, t, Channel::Sms, SkipReason::NoAddress);
            continue;
        };
        if !t.sms_consent {
            skip(&mut plan, t, Channel::Sms, SkipReason::NoConsent);
            continue;
        }
        match super::quiet_hours::sms_send_window(phone, now, t.state.as_deref(), rules) {
            Ok(not_before) => plan.messages.push(PlannedMessage {
                idempotency_key: idempotency_key(
                    &campaign.workspace,
                    &t.creator,
                    template,
                    Channel::Sms,
                    &campaign.id,
                ),
                creator: t.creator.clone(),
                channel: Channel::Sms,
                template: template.clone(),
                not_before,
            }),
            Err(_) => skip(&mut plan, t, Channel::Sms, SkipReason::NoSendWindow),
        }
    }
    plan
}
