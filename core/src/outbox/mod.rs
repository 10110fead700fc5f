//! The outbox, the consent ledger and the [`OutreachService`] that sends through them.
//!
//! [`crate::outreach`] holds the pure parts (templates, SMS encoding, quiet hours,
//! keywords, webhook signatures, planning). This module keeps outreach state in a store
//! and drives the host's senders, so that a message is never sent without consent,
//! outside the allowed hours, or twice:
//!
//! - an [`OutboxEntry`] per planned message, keyed by its deterministic idempotency key:
//!   planning again finds the entry and queues nothing new;
//! - the entry is [`OutboxStatus::Sending`] in the store *before* a sender is called; a
//!   process that dies during the call leaves it `Sending`, and
//!   [`OutreachService::recover`] turns it into [`OutboxStatus::Unknown`], which is never
//!   sent again automatically (a person decides with
//!   [`OutreachService::resolve_unknown`]);
//! - the consent ledger ([`ConsentEntry`]) records every opt-in and opt-out per creator
//!   and channel; the latest wins, and an opt-out wins over an opt-in of the same instant;
//! - delivery events are applied once: the event's key is recorded in the same
//!   all-or-nothing write as its effect.
//!
//! [`OutreachStore`] is the storage trait; [`crate::store::MemoryStore`] and the
//! `SqliteStore` of the `sqlite` feature implement it, and [`conformance`] is the suite
//! every implementation passes; [`host`] makes a host-language object one.

pub mod conformance;
pub mod host;
mod memory;
mod service;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub(crate) use memory::OutreachMemory;
pub use service::{
    DeliveryOutcome, InboundOutcome, OutreachConfig, OutreachService, PlanOutcome, SendOutcome,
};

use crate::{error::Result, identity::Handle, outreach::Channel, store::Version};

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for its time (`not_before`).
    Queued,
    /// Handed to a sender; the outcome is not recorded yet.
    Sending,
    /// The provider accepted it.
    Sent,
    /// The provider reported it delivered.
    Delivered,
    /// The provider refused it or reported a failure; it may be queued again.
    Failed,
    /// Undeliverable for good.
    Bounced,
    /// A sender was called but the outcome was lost (the process died): never re-sent
    /// automatically.
    Unknown,
    /// Not sent: consent was revoked, the channel was stopped, or a person decided so.
    Cancelled,
}

impl OutboxStatus {
    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Delivered => "delivered",
            OutboxStatus::Failed => "failed",
            OutboxStatus::Bounced => "bounced",
            OutboxStatus::Unknown => "unknown",
            OutboxStatus::Cancelled => "cancelled",
        }
    }
}

/// What an outbox entry carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A campaign message (consent and quiet hours checked before every send).
    Campaign,
    /// The one confirmation of an opt-out, or the answer to HELP: sent whatever the
    /// consent, as the rules require.
    Reply,
}

/// One status change or event of an outbox entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxLog {
    /// When.
    pub at: DateTime<Utc>,
    /// The status after it.
    pub status: OutboxStatus,
    /// What happened (`queued`, `sending`, `sent`, a delivery event's kind, `recovered`,
    /// `deferred`, ...).
    pub event: String,
    /// Codes and ids (a provider's error code, the reason of a cancellation); never
    /// personal data.
    pub detail: String,
}

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Its idempotency key ([`crate::outreach::idempotency_key`]); travels with the
    /// message and comes back in delivery events.
    pub id: String,
    /// The creator it goes to.
    pub creator: Handle,
    /// The channel.
    pub channel: Channel,
    /// Campaign message or reply.
    pub kind: MessageKind,
    /// The template's name (campaign messages), or the reply's kind.
    pub template: String,
    /// The campaign id.
    pub campaign: String,
    /// The address it goes to: an email or an E.164 number.
    pub to: String,
    /// The body of a reply (campaign messages are rendered when sent).
    pub body: Option<String>,
    /// The earliest time it may go out.
    pub not_before: DateTime<Utc>,
    /// Where it stands.
    pub status: OutboxStatus,
    /// Sender calls made for it.
    pub attempts: u32,
    /// The provider's message id, once accepted.
    pub provider_message_id: Option<String>,
    /// Every status change and event, oldest first.
    pub log: Vec<OutboxLog>,
    /// The row's version; a change to it expects this.
    pub version: Version,
}

impl OutboxEntry {
    /// When it was created (its first log line).
    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        self.log.first().map(|l| l.at)
    }

    /// Moves to `status`, logging `event`.
    pub(crate) fn mark(
        &mut self,
        at: DateTime<Utc>,
        status: OutboxStatus,
        event: &str,
        detail: String,
    ) {
        self.status = status;
        self.log.push(OutboxLog {
            at,
            status,
            event: event.to_owned(),
            detail,
        });
    }
}

/// Opt-in or opt-out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentAction {
    /// Consent given.
    OptIn,
    /// Consent revoked.
    OptOut,
}

/// How a consent entry was captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentSource {
    /// The signed link of the welcome email.
    ConsentLink,
    /// An inbound SMS keyword (STOP, START, ...).
    SmsKeyword,
    /// A provider's unsubscribe or complaint event.
    ProviderEvent,
    /// Recorded by staff (a signed form, a call).
    Staff,
}

/// One line of the consent ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentEntry {
    /// The creator.
    pub creator: Handle,
    /// The channel.
    pub channel: Channel,
    /// Given or revoked.
    pub action: ConsentAction,
    /// When.
    pub at: DateTime<Utc>,
    /// How it was captured.
    pub source: ConsentSource,
    /// The version of the consent text shown (opt-ins).
    pub text_version: Option<String>,
    /// The IP address it came from, when the host has it.
    pub ip: Option<String>,
    /// The user agent it came from, when the host has it.
    pub user_agent: Option<String>,
}

/// The consent in force on `channel` after `entries` (any order): the latest entry's
/// action, an opt-out winning over an opt-in of the same instant; `None` without any.
pub fn consent_in_force(entries: &[ConsentEntry], channel: Channel) -> Option<ConsentAction> {
    entries
        .iter()
        .filter(|e| e.channel == channel)
        .max_by_key(|e| (e.at, e.action))
        .map(|e| e.action)
}

/// One change of an outreach write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum OutreachChange {
    /// Creates or replaces an outbox entry; `expected` is the version read
    /// ([`Version::ABSENT`] to create). The stored version becomes `expected.next()`.
    PutOutbox {
        /// The entry (its own `version` is ignored).
        entry: Box<OutboxEntry>,
        /// The version the writer read.
        expected: Version,
    },
    /// Appends a consent entry.
    RecordConsent {
        /// The entry.
        entry: ConsentEntry,
    },
    /// Records that a delivery event was applied; a key already recorded is a conflict,
    /// so that an event is applied once even when it arrives twice at the same time.
    MarkEvent {
        /// The event's key.
        key: String,
    },
    /// Deletes every outbox entry and consent entry of a creator (erasure).
    ForgetCreator {
        /// The creator.
        creator: Handle,
    },
}

/// A store of outreach state, scoped by workspace, with the same contract as
/// [`crate::store::Store`]: batched reads, one all-or-nothing write with optimistic
/// versions.
pub trait OutreachStore: Send + Sync {
    /// The entries with these ids (in id order; absent ones left out).
    ///
    /// # Errors
    /// [`crate::ErrorKind::Storage`] when the backend fails.
    fn outbox(&self, workspace: &str, ids: &[String]) -> Result<Vec<OutboxEntry>>;

    /// Entries in `status`, by `not_before` then id, at most `limit`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Storage`] when the backend fails.
    fn outbox_with_status(
        &self,
        workspace: &str,
        status: OutboxStatus,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>>;

    /// Every entry of a creator (any order).
    ///
    /// # Errors
    /// [`crate::ErrorKind::Storage`] when the backend fails.
    fn outbox_of(&self, workspace: &str, creator: &Handle) -> Result<Vec<OutboxEntry>>;

    /// Every entry sent or to be sent to the address `to` (any order).
    ///
    /// # Errors
    /// [`crate::ErrorKind::Storage`] when the backend fails.
    fn outbox_to(&self, workspace: &str, to: &str) -> Result<Vec<OutboxEntry>>;

    /// The consent ledger of these creators, in the order written.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Storage`] when the backend fails.
    fn consent(&self, workspace: &str, creators: &[Handle]) -> Result<Vec<ConsentEntry>>;

    /// Which of `keys` are recorded as applied events.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Storage`] when the backend fails.
    fn events_seen(&self, workspace: &str, keys: &[String]) -> Result<Vec<String>>;

    /// Applies every change, or none.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Conflict`] when a change expects a version the store does not
    /// hold or marks an event already marked (nothing is applied);
    /// [`crate::ErrorKind::Storage`] when the backend fails (nothing is applied).
    fn apply_outreach(&self, workspace: &str, changes: &[OutreachChange]) -> Result<()>;
}
