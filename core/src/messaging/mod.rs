//! The edge to the host's email and SMS providers.
//!
//! The host implements [`EmailSender`] and [`SmsSender`] around its own
//! Mailgun / Twilio (or any other) clients; the library never opens a
//! connection. Neither provider takes an idempotency key, so every message
//! carries its **outbox id**: the host passes it as a Mailgun `v:` variable
//! ([`OutboundEmail::provider_variables`]) or in the Twilio status-callback URL
//! ([`OutboundSms::status_callback_url`]), and delivery webhooks come back with
//! it. [`RecordingSender`] is the test double: it records every message and can
//! be told to fail.

use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::{
    Error, ErrorKind, Result,
    identity::{E164, Email},
};

/// An email ready to hand to the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundEmail {
    /// The outbox row this message belongs to; comes back in delivery events.
    pub outbox_id: String,
    /// The deterministic key of this (creator, template, channel, campaign).
    pub idempotency_key: String,
    /// The recipient.
    pub to: Email,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
    /// The one-click unsubscribe URL (https), for the RFC 8058 headers.
    pub unsubscribe_url: String,
}

impl OutboundEmail {
    /// The headers bulk senders must add (RFC 8058 one-click unsubscribe):
    /// `List-Unsubscribe: <url>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
    pub fn list_unsubscribe_headers(&self) -> [(&'static str, String); 2] {
        [
            ("List-Unsubscribe", format!("<{}>", self.unsubscribe_url)),
            (
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".to_owned(),
            ),
        ]
    }

    /// Custom variables to attach to the message (Mailgun: `v:outbox_id`), so
    /// its webhooks name the outbox row.
    pub fn provider_variables(&self) -> [(&'static str, &str); 1] {
        [("outbox_id", self.outbox_id.as_str())]
    }
}

/// An SMS ready to hand to the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundSms {
    /// The outbox row this message belongs to; comes back in delivery events.
    pub outbox_id: String,
    /// The deterministic key of this (creator, template, channel, campaign).
    pub idempotency_key: String,
    /// The recipient.
    pub to: E164,
    /// The body, already smart-encoded when the policy asks for it.
    pub body: String,
}

impl OutboundSms {
    /// `base` (the host's Twilio status-callback endpoint) with the outbox id
    /// as an `outbox_id` query parameter, so status callbacks name the outbox row.
    ///
    /// ```
    /// # use creator_crm::{identity::E164, messaging::OutboundSms};
    /// let sms = OutboundSms {
    ///     outbox_id: "ob_42".into(),
    ///     idempotency_key: "k".into(),
    ///     to: "+14155550123".parse::<E164>().unwrap(),
    ///     body: "hi".into(),
    /// };
    /// assert_eq!(
    ///     sms.status_callback_url("https://crm.example.com/twilio?ws=1"),
    ///     "https://crm.example.com/twilio?ws=1&outbox_id=ob_42"
    /// );
    /// ```
    pub fn status_callback_url(&self, base: &str) -> String {
        let sep = if base.contains('?') { '&' } else { '?' };
        let mut url = String::with_capacity(base.len() + 11 + self.outbox_id.len());
        url.push_str(base);
        url.push(sep);
        url.push_str("outbox_id=");
        for b in self.outbox_id.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                url.push(char::from(b));
            } else {
                url.push_str(&format!("%{b:02X}"));
            }
        }
        url
    }
}

/// What a provider answered when it accepted a message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SendReceipt {
    /// The provider's id of the message (Mailgun `id`, Twilio `MessageSid`).
    pub provider_message_id: String,
}

/// Sends email through the host's provider. Synchronous and object-safe; a
/// failure is an [`ErrorKind::Messaging`] error.
pub trait EmailSender: Send + Sync {
    /// Hands `message` to the provider.
    fn send_email(&self, message: &OutboundEmail) -> Result<SendReceipt>;
}

/// Sends SMS through the host's provider. Synchronous and object-safe; a
/// failure is an [`ErrorKind::Messaging`] error.
pub trait SmsSender: Send + Sync {
    /// Hands `message` to the provider.
    fn send_sms(&self, message: &OutboundSms) -> Result<SendReceipt>;
}

/// A message a [`RecordingSender`] accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// An email, with the receipt it got.
    Email(OutboundEmail, SendReceipt),
    /// An SMS, with the receipt it got.
    Sms(OutboundSms, SendReceipt),
}

#[derive(Debug, Default)]
struct RecorderState {
    sent: Vec<Recorded>,
    fail_next: u32,
    calls: u64,
}

/// A sender for tests and demos: records every message in order and answers
/// with provider ids `rec-1`, `rec-2`, …; [`fail_next`](Self::fail_next) makes
/// the next calls fail as a provider outage would.
#[derive(Debug, Default)]
pub struct RecordingSender {
    state: Mutex<RecorderState>,
}

impl RecordingSender {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, RecorderState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes the next `n` send calls fail with a messaging error (nothing is recorded).
    pub fn fail_next(&self, n: u32) {
        self.lock().fail_next = n;
    }

    /// The messages accepted so far, in order.
    pub fn sent(&self) -> Vec<Recorded> {
        self.lock().sent.clone()
    }

    /// Send calls made so far, failed ones included.
    pub fn calls(&self) -> u64 {
        self.lock().calls
    }

    fn accept(&self, record: impl FnOnce(SendReceipt) -> Recorded) -> Result<SendReceipt> {
        let mut state = self.lock();
        state.calls += 1;
        if state.fail_next > 0 {
            state.fail_next -= 1;
            return Err(Error::new(ErrorKind::Messaging, "provider unavailable"));
        }
        let receipt = SendReceipt {
            provider_message_id: format!("rec-{}", state.sent.len() + 1),
        };
        state.sent.push(record(receipt.clone()));
        Ok(receipt)
    }
}

impl EmailSender for RecordingSender {
    fn send_email(&self, message: &OutboundEmail) -> Result<SendReceipt> {
        self.accept(|r| Recorded::Email(message.clone(), r))
    }
}

impl SmsSender for RecordingSender {
    fn send_sms(&self, message: &OutboundSms) -> Result<SendReceipt> {
        self.accept(|r| Recorded::Sms(message.clone(), r))
    }
}
