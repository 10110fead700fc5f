//! Mobile bindings of the provider webhooks of `creator_crm::outreach::webhook`: Mailgun
//! webhook bodies and Twilio status callbacks read into delivery events that carry no
//! personal data (ids and codes only).

use std::{collections::HashMap, time::SystemTime};

use creator_crm::outreach as core;

use crate::{
    errors::CrmError,
    time::{from_system_time, opt_to_system_time},
};

/// Which provider an event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Provider {
    /// Mailgun (email).
    Mailgun,
    /// Twilio (SMS).
    Twilio,
}

/// What happened to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum DeliveryEventKind {
    /// The recipient's server or carrier accepted it.
    Delivered,
    /// Delivery failed, possibly for now (a retry may succeed).
    Failed,
    /// Delivery failed for good: the address or number cannot receive it.
    Bounced,
    /// The recipient opened (or read) it.
    Opened,
    /// The recipient clicked a link in it.
    Clicked,
    /// The recipient marked it as spam: no more email on this channel.
    Complained,
    /// The recipient unsubscribed: no more messages on this channel.
    Unsubscribed,
}

impl From<core::DeliveryEventKind> for DeliveryEventKind {
    fn from(k: core::DeliveryEventKind) -> Self {
        match k {
            core::DeliveryEventKind::Delivered => DeliveryEventKind::Delivered,
            core::DeliveryEventKind::Failed => DeliveryEventKind::Failed,
            core::DeliveryEventKind::Bounced => DeliveryEventKind::Bounced,
            core::DeliveryEventKind::Opened => DeliveryEventKind::Opened,
            core::DeliveryEventKind::Clicked => DeliveryEventKind::Clicked,
            core::DeliveryEventKind::Complained => DeliveryEventKind::Complained,
            core::DeliveryEventKind::Unsubscribed => DeliveryEventKind::Unsubscribed,
        }
    }
}

impl From<DeliveryEventKind> for core::DeliveryEventKind {
    fn from(k: DeliveryEventKind) -> Self {
        match k {
            DeliveryEventKind::Delivered => core::DeliveryEventKind::Delivered,
            DeliveryEventKind::Failed => core::DeliveryEventKind::Failed,
            DeliveryEventKind::Bounced => core::DeliveryEventKind::Bounced,
            DeliveryEventKind::Opened => core::DeliveryEventKind::Opened,
            DeliveryEventKind::Clicked => core::DeliveryEventKind::Clicked,
            DeliveryEventKind::Complained => core::DeliveryEventKind::Complained,
            DeliveryEventKind::Unsubscribed => core::DeliveryEventKind::Unsubscribed,
        }
    }
}

#[uniffi::export]
impl DeliveryEventKind {
    /// `"delivered"`, `"failed"`, `"bounced"`, `"opened"`, `"clicked"`, `"complained"` or
    /// `"unsubscribed"`.
    pub fn code(&self) -> String {
        core::DeliveryEventKind::from(*self).as_str().to_owned()
    }

    /// Whether the event stops every later send on its channel.
    pub fn stops_channel(&self) -> bool {
        core::DeliveryEventKind::from(*self).stops_channel()
    }
}

/// A provider's report about one message: ids and codes, no recipient, no body.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DeliveryEvent {
    /// Where it came from.
    pub provider: Provider,
    /// A key unique to this event, to apply it once (Mailgun's event id; Twilio's message
    /// sid and status).
    pub event_id: String,
    /// The outbox row the message belongs to, when the message carried it.
    pub outbox_id: Option<String>,
    /// The provider's message id (Mailgun `Message-Id`, Twilio `MessageSid`).
    pub provider_message_id: Option<String>,
    /// What happened.
    pub kind: DeliveryEventKind,
    /// When it happened, per the provider (Mailgun only).
    pub occurred_at: Option<SystemTime>,
    /// The provider's error or status code, for failures.
    pub code: Option<String>,
}

impl From<core::DeliveryEvent> for DeliveryEvent {
    fn from(e: core::DeliveryEvent) -> Self {
        DeliveryEvent {
            provider: match e.provider {
                core::Provider::Mailgun => Provider::Mailgun,
                core::Provider::Twilio => Provider::Twilio,
            },
            event_id: e.event_id,
            outbox_id: e.outbox_id,
            provider_message_id: e.provider_message_id,
            kind: e.kind.into(),
            occurred_at: opt_to_system_time(e.occurred_at),
            code: e.code,
        }
    }
}

impl TryFrom<&DeliveryEvent> for core::DeliveryEvent {
    type Error = CrmError;

    fn try_from(e: &DeliveryEvent) -> Result<Self, CrmError> {
        Ok(core::DeliveryEvent {
            provider: match e.provider {
                Provider::Mailgun => core::Provider::Mailgun,
                Provider::Twilio => core::Provider::Twilio,
            },
            event_id: e.event_id.clone(),
            outbox_id: e.outbox_id.clone(),
            provider_message_id: e.provider_message_id.clone(),
            kind: e.kind.into(),
            occurred_at: crate::time::opt_from_system_time(e.occurred_at)?,
            code: e.code.clone(),
        })
    }
}

/// Mailgun's signature block of a webhook.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MailgunSignature {
    /// Unix seconds, as sent.
    pub timestamp: String,
    /// A random token, unique per webhook (a replay repeats it).
    pub token: String,
    /// Hex HMAC-SHA256 of timestamp + token.
    pub signature: String,
}

/// A Mailgun webhook body: its signature and the event, when it changes a message's
/// delivery state (`accepted` and `stored` do not).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MailgunWebhook {
    /// The signature block.
    pub signature: MailgunSignature,
    /// The delivery event.
    pub event: Option<DeliveryEvent>,
}

impl From<core::MailgunWebhook> for MailgunWebhook {
    fn from(w: core::MailgunWebhook) -> Self {
        MailgunWebhook {
            signature: MailgunSignature {
                timestamp: w.signature.timestamp,
                token: w.signature.token,
                signature: w.signature.signature,
            },
            event: w.event.map(Into::into),
        }
    }
}

/// Reads a Mailgun webhook body (JSON with `signature` and `event-data`) without checking
/// it; see [`verify_mailgun_webhook`].
///
/// # Errors
/// `Webhook` naming the field that is missing, or `body` when it is not a JSON object.
#[uniffi::export]
pub fn parse_mailgun_webhook(body: Vec<u8>) -> Result<MailgunWebhook, CrmError> {
    Ok(core::parse_mailgun_webhook(&body)?.into())
}

/// Parses, verifies and freshness-checks a Mailgun webhook body in one call. Replays (a
/// repeated token or event id) are for the caller to refuse.
///
/// # Errors
/// `Webhook`: as [`parse_mailgun_webhook`], a bad signature (field `signature`), or a
/// timestamp more than `max_age_seconds` from `now` (field `timestamp`); `InvalidInput`
/// for a `now` out of range.
#[uniffi::export]
pub fn verify_mailgun_webhook(
    signing_key: String,
    body: Vec<u8>,
    now: SystemTime,
    max_age_seconds: u32,
) -> Result<MailgunWebhook, CrmError> {
    let now = from_system_time(now)?;
    let max_age = chrono::Duration::seconds(i64::from(max_age_seconds));
    Ok(core::verify_mailgun_webhook(&signing_key, &body, now, max_age)?.into())
}

/// Reads a Twilio status callback: the callback `url` (carrying `outbox_id`) and its form
/// `params`; `None` for statuses that are not outcomes (`queued`, `sent`, ...). Verify the
/// request first with `verifyTwilioSignature`.
///
/// # Errors
/// `Webhook` on field `MessageSid` or `MessageStatus` when it is missing.
#[uniffi::export]
pub fn parse_twilio_status(
    url: String,
    params: HashMap<String, String>,
) -> Result<Option<DeliveryEvent>, CrmError> {
    let params: Vec<(String, String)> = params.into_iter().collect();
    Ok(core::parse_twilio_status(&url, &params)?.map(Into::into))
}
