//! Mobile bindings of `creator_crm::outbox`: [`OutreachService`] over a `Crm`, the
//! outbox and consent ledger of a built-in store ([`OutboxStore`]), and a sender
//! written in Kotlin / Swift ([`MessageSender`]).
//!
//! **Senders.** A sender implements `sendEmail(message)` and `sendSms(message)`, each
//! returning the provider's message id. Throwing `CrmException.Messaging` (Swift:
//! `CrmError.Messaging`) says the provider did not take the message: it is `failed` and
//! queued again while attempts remain. Anything else thrown means the outcome is
//! unknown (the provider may have the message): the entry becomes `unknown`, is never
//! sent again automatically (a person decides with `resolveUnknown`), and `sendDue`
//! ends by throwing.
//!
//! **What the caller of `sendDue` gets.** A `CrmException` the sender threw comes back
//! as that same value. For any other exception uniffi cannot hand back the thrown
//! object: its generated callback code catches the `kotlin.Exception` (Swift: any
//! `Error`) and passes only text (Kotlin: `stackTraceToString()`; Swift:
//! `String(describing:)`). `sendDue` then throws `CrmException.Host` with the
//! exception's `className` (Kotlin: the qualified class name), its `hostMessage` (the
//! first line's message; the frames and any `Caused by:` chain are dropped) and
//! `method` = `send_email` / `send_sms`. A Kotlin `Error` that is not an `Exception`
//! (an `AssertionError`, an `OutOfMemoryError`) is not caught by uniffi's callback code:
//! do not throw one from a sender.

use std::{collections::HashMap, sync::Arc, time::SystemTime};

use chrono::Duration;
use creator_crm::{
    Error, ErrorKind,
    identity::E164,
    messaging::{self, EmailSender, SendReceipt, SmsSender},
    outbox::{self as core, OutreachStore},
    outreach::{self as outreach_core, TemplateSet},
};

use crate::{
    crm::{Crm, now_or_clock},
    errors::CrmError,
    outreach::{Channel, OutreachPlan, SmsKeyword, channel, core_channel, keyword, plan_out},
    quiet_hours::{self, QuietHours},
    store::{CrmOutreachStore, MemoryStore, SqliteStore, core_outreach_store},
    time::to_system_time,
    webhooks::DeliveryEvent,
};

/// A count as `u64`.
fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// An email for the host's email provider (Mailgun, ...).
///
/// Its text form (`toString` in Kotlin) names the outbox id only: the address and the
/// text are personal data.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct OutboundEmail {
    /// The outbox entry's id; put it into the provider's message variables
    /// (`variables`), so that delivery events name it.
    pub outbox_id: String,
    /// The deterministic idempotency key (the same as `outbox_id`).
    pub idempotency_key: String,
    /// The recipient's address.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
    /// The one-click unsubscribe URL.
    pub unsubscribe_url: String,
    /// Headers to send: `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058).
    pub headers: HashMap<String, String>,
    /// Provider variables to attach (Mailgun `v:` variables): `outbox_id`.
    pub variables: HashMap<String, String>,
}

impl std::fmt::Debug for OutboundEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OutboundEmail({}, <redacted>)", self.outbox_id)
    }
}

display_as_debug!(OutboundEmail);

impl From<&messaging::OutboundEmail> for OutboundEmail {
    fn from(m: &messaging::OutboundEmail) -> Self {
        OutboundEmail {
            outbox_id: m.outbox_id.clone(),
            idempotency_key: m.idempotency_key.clone(),
            to: m.to.as_str().to_owned(),
            subject: m.subject.clone(),
            text: m.text.clone(),
            html: m.html.clone(),
            unsubscribe_url: m.unsubscribe_url.clone(),
            headers: m
                .list_unsubscribe_headers()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            variables: m
                .provider_variables()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        }
    }
}

/// An SMS for the host's SMS provider (Twilio, ...).
///
/// Its text form names the outbox id only.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct OutboundSms {
    /// The outbox entry's id.
    pub outbox_id: String,
    /// The deterministic idempotency key (the same as `outbox_id`).
    pub idempotency_key: String,
    /// The recipient's number, E.164.
    pub to: String,
    /// The text.
    pub body: String,
    /// The status callback URL to give the provider (Twilio `StatusCallback`): the
    /// configured `status_callback_base` with the outbox id; `None` without a base.
    pub status_callback: Option<String>,
}

impl std::fmt::Debug for OutboundSms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OutboundSms({}, <redacted>)", self.outbox_id)
    }
}

display_as_debug!(OutboundSms);

/// The host's email and SMS providers, implemented in Kotlin / Swift.
///
/// Each method returns the provider's message id once the provider took the message.
/// Throw `CrmException.Messaging` (Swift `CrmError.Messaging`) when the provider did
/// not take it (it is retried); anything else thrown makes the outcome unknown (see
/// the module docs: the message is never sent again by itself).
#[uniffi::export(with_foreign)]
pub trait MessageSender: Send + Sync {
    /// Sends an email; returns the provider's message id.
    fn send_email(&self, message: OutboundEmail) -> Result<String, CrmError>;

    /// Sends an SMS; returns the provider's message id.
    fn send_sms(&self, message: OutboundSms) -> Result<String, CrmError>;
}

/// A foreign [`MessageSender`] as core's senders.
struct Sender {
    host: Arc<dyn MessageSender>,
    status_callback_base: Option<String>,
}

/// The core error for what a sender threw, carrying it as its source (it comes back
/// out of `send_due` unchanged): a `Messaging` error is a refusal, anything else an
/// unknown outcome.
fn sender_failed(err: CrmError, method: &'static str) -> Error {
    match err {
        CrmError::Messaging { ref reason, .. } => Error::new(ErrorKind::Messaging, reason.clone())
            .with_field(method)
            .with_source(err),
        CrmError::Host {
            class_name,
            host_message,
            method: None,
        } => Error::new(ErrorKind::Storage, "sender failed")
            .with_field(method)
            .with_source(CrmError::Host {
                class_name,
                host_message,
                method: Some(method.to_owned()),
            }),
        other => Error::new(ErrorKind::Storage, "sender failed")
            .with_field(method)
            .with_source(other),
    }
}

impl EmailSender for Sender {
    fn send_email(&self, m: &messaging::OutboundEmail) -> Result<SendReceipt, Error> {
        let provider_message_id = self
            .host
            .send_email(m.into())
            .map_err(|e| sender_failed(e, "send_email"))?;
        Ok(SendReceipt {
            provider_message_id,
        })
    }
}

impl SmsSender for Sender {
    fn send_sms(&self, m: &messaging::OutboundSms) -> Result<SendReceipt, Error> {
        let message = OutboundSms {
            outbox_id: m.outbox_id.clone(),
            idempotency_key: m.idempotency_key.clone(),
            to: m.to.as_str().to_owned(),
            body: m.body.clone(),
            status_callback: self
                .status_callback_base
                .as_deref()
                .map(|base| m.status_callback_url(base)),
        };
        let provider_message_id = self
            .host
            .send_sms(message)
            .map_err(|e| sender_failed(e, "send_sms"))?;
        Ok(SendReceipt {
            provider_message_id,
        })
    }
}

/// What the outreach service needs besides its stores and sender. Only `campaign_id`
/// and `brand_name` are required; the links and the postal address are the brand's.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OutreachConfig {
    /// The campaign the service plans and sends.
    pub campaign_id: String,
    /// The brand's name, in every message.
    pub brand_name: String,
    /// The community invite link of the welcome messages.
    #[uniffi(default = "")]
    pub community_invite_url: String,
    /// The sender's postal address (email, CAN-SPAM).
    #[uniffi(default = "")]
    pub postal_address: String,
    /// The one-click unsubscribe endpoint: the outbox id is appended.
    #[uniffi(default = "")]
    pub unsubscribe_base_url: String,
    /// The SMS-consent endpoint: `?t=` and a signed token are appended. `None` offers
    /// no consent link in the email.
    #[uniffi(default = None)]
    pub consent_base_url: Option<String>,
    /// The key consent tokens are signed with (at least 16 bytes when
    /// `consent_base_url` is set).
    #[uniffi(default = None)]
    pub consent_key: Option<Vec<u8>>,
    /// The version of the consent text the link and START record (`sms-consent-1`
    /// when `None`).
    #[uniffi(default = None)]
    pub consent_text_version: Option<String>,
    /// How many days a consent link works.
    #[uniffi(default = 14)]
    pub consent_link_days: u32,
    /// The email template's name.
    #[uniffi(default = "welcome")]
    pub email_template: String,
    /// The SMS template's name.
    #[uniffi(default = "welcome")]
    pub sms_template: String,
    /// Email only: no SMS is planned (and no consent link offered).
    #[uniffi(default = false)]
    pub email_only: bool,
    /// The quiet-hour rules for SMS (the default table when `None`).
    #[uniffi(default = None)]
    pub quiet_hours: Option<QuietHours>,
    /// Sender calls per message before it stays failed.
    #[uniffi(default = 3)]
    pub max_attempts: u32,
    /// The one reply to an opt-out (a default naming the brand when `None`).
    #[uniffi(default = None)]
    pub opt_out_reply: Option<String>,
    /// The reply to START / YES / UNSTOP (a default when `None`).
    #[uniffi(default = None)]
    pub opt_in_reply: Option<String>,
    /// The reply to HELP / INFO (a default when `None`).
    #[uniffi(default = None)]
    pub help_reply: Option<String>,
    /// The Twilio status callback endpoint: the outbox id is added to it and the URL
    /// handed to the sender as `OutboundSms.status_callback`.
    #[uniffi(default = None)]
    pub status_callback_base: Option<String>,
}

impl OutreachConfig {
    /// The core configuration.
    fn to_core(&self) -> Result<core::OutreachConfig, CrmError> {
        let mut c = core::OutreachConfig::welcome(&self.campaign_id, &self.brand_name);
        c.campaign.email_template.clone_from(&self.email_template);
        c.campaign.sms_template = (!self.email_only).then(|| self.sms_template.clone());
        c.community_invite_url
            .clone_from(&self.community_invite_url);
        c.postal_address.clone_from(&self.postal_address);
        c.unsubscribe_base_url
            .clone_from(&self.unsubscribe_base_url);
        c.consent_base_url.clone_from(&self.consent_base_url);
        c.consent_key = self.consent_key.clone().unwrap_or_default();
        if let Some(v) = &self.consent_text_version {
            c.consent_text_version.clone_from(v);
        }
        c.consent_link_valid = Duration::days(i64::from(self.consent_link_days));
        c.quiet_hours = quiet_hours::rules(self.quiet_hours.as_ref())?;
        c.max_attempts = self.max_attempts;
        let set = |target: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                target.clone_from(v);
            }
        };
        set(&mut c.opt_out_reply, &self.opt_out_reply);
        set(&mut c.opt_in_reply, &self.opt_in_reply);
        set(&mut c.help_reply, &self.help_reply);
        Ok(c)
    }
}

/// Where the outreach service keeps its outbox and consent ledger: a built-in store
/// (usually the very store the `Crm` was made with) or a host one.
#[derive(uniffi::Enum)]
pub enum OutboxStore {
    /// A `MemoryStore`.
    Memory {
        /// The store.
        store: Arc<MemoryStore>,
    },
    /// A `SqliteStore`: the outbox lives in its database file.
    Sqlite {
        /// The store.
        store: Arc<SqliteStore>,
    },
    /// An outreach store written in Kotlin / Swift (`CrmOutreachStore`), for instance
    /// one wrapping a `MemoryStore` or `SqliteStore`; every outbox read and write goes
    /// through it as JSON.
    Host {
        /// The store.
        store: Arc<dyn CrmOutreachStore>,
    },
}

impl std::fmt::Debug for OutboxStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutboxStore::Memory { store } => write!(f, "OutboxStore::Memory({store:?})"),
            OutboxStore::Sqlite { store } => write!(f, "OutboxStore::Sqlite({store:?})"),
            OutboxStore::Host { .. } => f.write_str("OutboxStore::Host(..)"),
        }
    }
}

impl OutboxStore {
    fn outreach(&self) -> Arc<dyn OutreachStore> {
        match self {
            OutboxStore::Memory { store } => store.outreach(),
            OutboxStore::Sqlite { store } => store.outreach(),
            OutboxStore::Host { store } => core_outreach_store(store.clone()),
        }
    }
}

/// What `plan` did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlanOutcome {
    /// The plan over every approved creator: messages and skipped messages.
    pub plan: OutreachPlan,
    /// Messages newly queued.
    pub queued: u64,
    /// Planned messages already in the outbox (left as they are).
    pub already_queued: u64,
}

/// What `send_due` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SendOutcome {
    /// Messages the providers accepted.
    pub sent: u64,
    /// Messages the provider refused (queued again while attempts remain).
    pub failed: u64,
    /// Messages moved to a later allowed time (quiet hours).
    pub deferred: u64,
    /// Messages cancelled before sending (consent revoked, channel stopped, creator
    /// erased, no allowed time).
    pub cancelled: u64,
    /// Messages another process took first.
    pub taken: u64,
}

/// What a delivery event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum DeliveryOutcome {
    /// Applied now.
    Applied,
    /// Applied before: nothing changed.
    Duplicate,
    /// The event names no message of the outbox: nothing changed.
    UnknownMessage,
}

impl From<core::DeliveryOutcome> for DeliveryOutcome {
    fn from(o: core::DeliveryOutcome) -> Self {
        match o {
            core::DeliveryOutcome::Applied => DeliveryOutcome::Applied,
            core::DeliveryOutcome::Duplicate => DeliveryOutcome::Duplicate,
            core::DeliveryOutcome::UnknownMessage => DeliveryOutcome::UnknownMessage,
        }
    }
}

/// What `inbound_sms` did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InboundOutcome {
    /// What the message asked for; `None` for an ordinary message.
    pub keyword: Option<SmsKeyword>,
    /// The creators the number belongs to (those messaged at it from the outbox).
    pub creators: Vec<String>,
    /// The outbox id of the reply queued, if any.
    pub reply: Option<String>,
    /// True when this inbound message was handled before (nothing changed).
    pub duplicate: bool,
}

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum OutboxStatus {
    /// Waiting for its time (`not_before`).
    Queued,
    /// Handed to a sender; the outcome is not recorded yet.
    Sending,
    /// The provider accepted it.
    Sent,
    /// The provider reported it delivered.
    Delivered,
    /// The provider refused it or reported a failure.
    Failed,
    /// Undeliverable for good.
    Bounced,
    /// A sender was called but the outcome was lost: never re-sent automatically.
    Unknown,
    /// Not sent: consent revoked, channel stopped, or a person decided so.
    Cancelled,
}

impl From<core::OutboxStatus> for OutboxStatus {
    fn from(s: core::OutboxStatus) -> Self {
        match s {
            core::OutboxStatus::Queued => OutboxStatus::Queued,
            core::OutboxStatus::Sending => OutboxStatus::Sending,
            core::OutboxStatus::Sent => OutboxStatus::Sent,
            core::OutboxStatus::Delivered => OutboxStatus::Delivered,
            core::OutboxStatus::Failed => OutboxStatus::Failed,
            core::OutboxStatus::Bounced => OutboxStatus::Bounced,
            core::OutboxStatus::Unknown => OutboxStatus::Unknown,
            core::OutboxStatus::Cancelled => OutboxStatus::Cancelled,
        }
    }
}

/// What an outbox entry carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum MessageKind {
    /// A campaign message (consent and quiet hours checked before every send).
    Campaign,
    /// The one confirmation of an opt-out, or an answer to START / HELP.
    Reply,
}

/// One status change or event of an outbox entry.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OutboxLog {
    /// When.
    pub at: SystemTime,
    /// The status after it.
    pub status: OutboxStatus,
    /// What happened (`queued`, `sending`, `sent`, `failed`, `retry`, a delivery
    /// event's kind, `recovered`, `deferred`, `sender_error`, ...).
    pub event: String,
    /// Codes and ids (a provider's message id or error code, a cancellation's reason);
    /// never personal data.
    pub detail: String,
}

/// A message in the outbox, with its history.
///
/// Its text form names the id, creator and status only: the address and the body are
/// personal data.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct OutboxEntry {
    /// Its idempotency key; comes back in delivery events.
    pub id: String,
    /// The creator it goes to.
    pub creator: String,
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
    pub not_before: SystemTime,
    /// Where it stands.
    pub status: OutboxStatus,
    /// Sender calls made for it.
    pub attempts: u32,
    /// The provider's message id, once accepted.
    pub provider_message_id: Option<String>,
    /// Every status change and event, oldest first.
    pub log: Vec<OutboxLog>,
    /// The stored row's version.
    pub version: u64,
}

impl std::fmt::Debug for OutboxEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "OutboxEntry({}, {}, {:?}, {:?}, <redacted>)",
            self.id, self.creator, self.channel, self.status
        )
    }
}

display_as_debug!(OutboxEntry);

impl From<core::OutboxEntry> for OutboxEntry {
    fn from(e: core::OutboxEntry) -> Self {
        OutboxEntry {
            id: e.id,
            creator: e.creator.as_str().to_owned(),
            channel: channel(e.channel),
            kind: match e.kind {
                core::MessageKind::Campaign => MessageKind::Campaign,
                core::MessageKind::Reply => MessageKind::Reply,
            },
            template: e.template,
            campaign: e.campaign,
            to: e.to,
            body: e.body,
            not_before: to_system_time(e.not_before),
            status: e.status.into(),
            attempts: e.attempts,
            provider_message_id: e.provider_message_id,
            log: e
                .log
                .into_iter()
                .map(|l| OutboxLog {
                    at: to_system_time(l.at),
                    status: l.status.into(),
                    event: l.event,
                    detail: l.detail,
                })
                .collect(),
            version: e.version.0,
        }
    }
}

/// Consent given or revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ConsentAction {
    /// Consent given.
    OptIn,
    /// Consent revoked.
    OptOut,
}

impl From<ConsentAction> for core::ConsentAction {
    fn from(a: ConsentAction) -> Self {
        match a {
            ConsentAction::OptIn => core::ConsentAction::OptIn,
            ConsentAction::OptOut => core::ConsentAction::OptOut,
        }
    }
}

/// How a consent entry was captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
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
///
/// Its text form leaves out the IP address and user agent (personal data).
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct ConsentEntry {
    /// The creator.
    pub creator: String,
    /// The channel.
    pub channel: Channel,
    /// Given or revoked.
    pub action: ConsentAction,
    /// When.
    pub at: SystemTime,
    /// How it was captured.
    pub source: ConsentSource,
    /// The version of the consent text shown (opt-ins).
    pub text_version: Option<String>,
    /// The IP address it came from, when the host gave it.
    pub ip: Option<String>,
    /// The user agent it came from, when the host gave it.
    pub user_agent: Option<String>,
}

impl std::fmt::Debug for ConsentEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ConsentEntry({}, {:?}, {:?}, {:?})",
            self.creator, self.channel, self.action, self.source
        )
    }
}

display_as_debug!(ConsentEntry);

impl From<core::ConsentEntry> for ConsentEntry {
    fn from(e: core::ConsentEntry) -> Self {
        ConsentEntry {
            creator: e.creator.as_str().to_owned(),
            channel: channel(e.channel),
            action: match e.action {
                core::ConsentAction::OptIn => ConsentAction::OptIn,
                core::ConsentAction::OptOut => ConsentAction::OptOut,
            },
            at: to_system_time(e.at),
            source: match e.source {
                core::ConsentSource::ConsentLink => ConsentSource::ConsentLink,
                core::ConsentSource::SmsKeyword => ConsentSource::SmsKeyword,
                core::ConsentSource::ProviderEvent => ConsentSource::ProviderEvent,
                core::ConsentSource::Staff => ConsentSource::Staff,
            },
            text_version: e.text_version,
            ip: e.ip,
            user_agent: e.user_agent,
        }
    }
}

/// Welcome outreach over a `Crm`: approve, plan, send through the host's sender,
/// recover after a crash, apply delivery webhooks and inbound SMS, consent, history.
///
/// Nothing is sent without consent (SMS), outside the quiet-hour window, or twice: each
/// message is `sending` in the outbox before the sender is called. Every call is scoped
/// by the `Crm`'s workspace and checked against its actor's role. `now` defaults to the
/// clock. The sender is called on the calling thread.
#[derive(Debug, uniffi::Object)]
pub struct OutreachService {
    inner: core::OutreachService,
}

impl OutreachService {
    fn handles(handles: &[String]) -> Vec<&str> {
        handles.iter().map(String::as_str).collect()
    }
}

#[uniffi::export]
impl OutreachService {
    /// The service for `crm`'s workspace and actor, sending through `sender`, with its
    /// outbox and consent ledger in `store` (usually the store the `Crm` was made
    /// with), rendering the default `welcome` templates.
    ///
    /// # Errors
    /// `InvalidInput` for bad quiet-hour rules; `Template` if a default template does
    /// not validate (a defect of the library).
    #[uniffi::constructor]
    pub fn new(
        crm: Arc<Crm>,
        sender: Arc<dyn MessageSender>,
        config: OutreachConfig,
        store: OutboxStore,
    ) -> Result<Arc<Self>, CrmError> {
        let sender = Arc::new(Sender {
            host: sender,
            status_callback_base: config.status_callback_base.clone(),
        });
        let inner = core::OutreachService::new(
            crm.core().clone(),
            store.outreach(),
            sender.clone(),
            sender,
            TemplateSet::with_defaults()?,
            config.to_core()?,
        );
        Ok(Arc::new(OutreachService { inner }))
    }

    /// Approves pending creators for outreach; returns how many moved from pending to
    /// approved (others keep their status).
    ///
    /// # Errors
    /// `Forbidden` below member; `InvalidInput` for an invalid handle; the store's errors.
    #[uniffi::method(default(now = None))]
    pub fn approve(&self, handles: Vec<String>, now: Option<SystemTime>) -> Result<u64, CrmError> {
        let now = now_or_clock(now)?;
        Ok(count(self.inner.approve(&Self::handles(&handles), now)?))
    }

    /// Marks pending creators as not to be contacted (`skipped`); returns how many moved.
    ///
    /// # Errors
    /// As `approve`.
    #[uniffi::method(default(now = None))]
    pub fn skip(&self, handles: Vec<String>, now: Option<SystemTime>) -> Result<u64, CrmError> {
        let now = now_or_clock(now)?;
        Ok(count(self.inner.skip(&Self::handles(&handles), now)?))
    }

    /// Plans the campaign for every approved creator and queues what is new; planning
    /// again queues nothing twice.
    ///
    /// # Errors
    /// `Forbidden` below member; the stores' errors.
    #[uniffi::method(default(now = None))]
    pub fn plan(&self, now: Option<SystemTime>) -> Result<PlanOutcome, CrmError> {
        let now = now_or_clock(now)?;
        let o = self.inner.plan(now)?;
        Ok(PlanOutcome {
            plan: plan_out(o.plan),
            queued: count(o.queued),
            already_queued: count(o.already_queued),
        })
    }

    /// Sends every queued message due at `now` through the sender, checking consent and
    /// quiet hours again first.
    ///
    /// # Errors
    /// `Forbidden` below member; the stores' errors; what the sender threw when it was
    /// not a refusal (the message is then `unknown`, see the type's docs).
    #[uniffi::method(default(now = None))]
    pub fn send_due(&self, now: Option<SystemTime>) -> Result<SendOutcome, CrmError> {
        let now = now_or_clock(now)?;
        let o = self.inner.send_due(now)?;
        Ok(SendOutcome {
            sent: count(o.sent),
            failed: count(o.failed),
            deferred: count(o.deferred),
            cancelled: count(o.cancelled),
            taken: count(o.taken),
        })
    }

    /// Turns every `sending` message (cut off by a crash) into `unknown`: run it when
    /// the app starts, before any send. Returns how many.
    ///
    /// # Errors
    /// `Forbidden` below member; the store's errors.
    #[uniffi::method(default(now = None))]
    pub fn recover(&self, now: Option<SystemTime>) -> Result<u64, CrmError> {
        let now = now_or_clock(now)?;
        Ok(count(self.inner.recover(now)?))
    }

    /// A person's decision about an `unknown` message: it went out (`sent`), or it did
    /// not and is queued again.
    ///
    /// # Errors
    /// `Forbidden` below admin; `InvalidInput` on `id` for an entry that is not
    /// `unknown`; the store's errors.
    #[uniffi::method(default(now = None))]
    pub fn resolve_unknown(
        &self,
        id: String,
        sent: bool,
        now: Option<SystemTime>,
    ) -> Result<(), CrmError> {
        let now = now_or_clock(now)?;
        Ok(self.inner.resolve_unknown(&id, sent, now)?)
    }

    /// Applies a delivery event the host parsed and verified itself
    /// (`parseTwilioStatus`, `verifyMailgunWebhook`) once.
    ///
    /// # Errors
    /// `Forbidden` below member; `InvalidInput` for a time out of range; the stores'
    /// errors.
    #[uniffi::method(default(now = None))]
    pub fn apply_delivery(
        &self,
        event: DeliveryEvent,
        now: Option<SystemTime>,
    ) -> Result<DeliveryOutcome, CrmError> {
        let now = now_or_clock(now)?;
        let event = outreach_core::DeliveryEvent::try_from(&event)?;
        Ok(self.inner.apply_delivery(&event, now)?.into())
    }

    /// Verifies a Mailgun webhook body (signature under `signing_key`, at most
    /// `max_age_seconds` old) and applies its event once; `None` for an event that
    /// changes nothing.
    ///
    /// # Errors
    /// `Webhook` for a malformed, forged or stale webhook (nothing is applied); as
    /// `apply_delivery`.
    #[uniffi::method(default(now = None, max_age_seconds = 300))]
    pub fn apply_mailgun_webhook(
        &self,
        signing_key: String,
        body: Vec<u8>,
        now: Option<SystemTime>,
        max_age_seconds: i64,
    ) -> Result<Option<DeliveryOutcome>, CrmError> {
        let now = now_or_clock(now)?;
        let max_age = Duration::seconds(max_age_seconds);
        Ok(self
            .inner
            .apply_mailgun_webhook(&signing_key, &body, now, max_age)?
            .map(Into::into))
    }

    /// Verifies a Twilio status callback (`X-Twilio-Signature` over its `url` and form
    /// `params` under `auth_token`) and applies its event once; `None` for a status that
    /// is no delivery event (`queued`, `sending`).
    ///
    /// # Errors
    /// `Webhook` for a forged or malformed callback (nothing is applied); as
    /// `apply_delivery`.
    #[uniffi::method(default(now = None))]
    pub fn apply_twilio_status(
        &self,
        auth_token: String,
        url: String,
        params: HashMap<String, String>,
        signature: String,
        now: Option<SystemTime>,
    ) -> Result<Option<DeliveryOutcome>, CrmError> {
        let now = now_or_clock(now)?;
        let params: Vec<(String, String)> = params.into_iter().collect();
        Ok(self
            .inner
            .apply_twilio_status(&auth_token, &url, &params, &signature, now)?
            .map(Into::into))
    }

    /// Handles an inbound SMS from `from_number` (E.164; the provider's `message_id`
    /// makes a retried webhook a no-op): STOP-like wording revokes SMS consent and
    /// queues the one confirmation; START / YES / UNSTOP and HELP / INFO queue their
    /// replies; anything else changes nothing.
    ///
    /// # Errors
    /// `InvalidInput` on `from_number` for a number not in E.164 form; `Forbidden` below
    /// member; the stores' errors.
    #[uniffi::method(default(now = None))]
    pub fn inbound_sms(
        &self,
        from_number: String,
        body: String,
        message_id: String,
        now: Option<SystemTime>,
    ) -> Result<InboundOutcome, CrmError> {
        let now = now_or_clock(now)?;
        let from: E164 = from_number
            .parse()
            .map_err(|_| Error::invalid("from_number", "not an E.164 number"))?;
        let o = self.inner.inbound_sms(&from, &body, &message_id, now)?;
        Ok(InboundOutcome {
            keyword: o.keyword.map(keyword),
            creators: o.creators.iter().map(|h| h.as_str().to_owned()).collect(),
            reply: o.reply,
            duplicate: o.duplicate,
        })
    }

    /// Records SMS consent from the signed link of the welcome email (the token is the
    /// link's `t` parameter); returns the creator's handle.
    ///
    /// # Errors
    /// `Consent` for a forged, expired or foreign token; the stores' errors.
    #[uniffi::method(default(now = None, ip = None, user_agent = None))]
    pub fn accept_consent_link(
        &self,
        token: String,
        now: Option<SystemTime>,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> Result<String, CrmError> {
        let now = now_or_clock(now)?;
        let handle =
            self.inner
                .accept_consent_link(&token, now, ip.as_deref(), user_agent.as_deref())?;
        Ok(handle.as_str().to_owned())
    }

    /// Records consent given or revoked by staff (a signed form, a call).
    ///
    /// # Errors
    /// `Forbidden` below member; `InvalidInput` for a bad handle; the store's errors.
    #[uniffi::method(default(now = None))]
    pub fn record_consent(
        &self,
        handle: String,
        channel: Channel,
        action: ConsentAction,
        now: Option<SystemTime>,
    ) -> Result<(), CrmError> {
        let now = now_or_clock(now)?;
        Ok(self
            .inner
            .record_consent(&handle, core_channel(channel), action.into(), now)?)
    }

    /// A creator's consent ledger, in the order written.
    ///
    /// # Errors
    /// `Forbidden` below member; `InvalidInput` for a bad handle; the store's errors.
    pub fn consent(&self, handle: String) -> Result<Vec<ConsentEntry>, CrmError> {
        Ok(self
            .inner
            .consent(&handle)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// A creator's outreach history: every message with its status changes and
    /// provider ids, newest first.
    ///
    /// # Errors
    /// `InvalidInput` for a bad handle; the store's errors.
    pub fn history(&self, handle: String) -> Result<Vec<OutboxEntry>, CrmError> {
        Ok(self
            .inner
            .history(&handle)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Erases a creator: the `Crm` erasure (suppression and deletion), and their outbox
    /// and consent entries. Returns how many creators were deleted.
    ///
    /// # Errors
    /// `Forbidden` below admin; the stores' errors.
    #[uniffi::method(default(now = None))]
    pub fn erase_creator(&self, handle: String, now: Option<SystemTime>) -> Result<u64, CrmError> {
        let now = now_or_clock(now)?;
        Ok(self.inner.erase_creator(&handle, now)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_a_messaging_error_and_anything_else_is_not() {
        let refused = sender_failed(
            CrmError::Messaging {
                reason: "provider unavailable".into(),
                field: None,
                line: None,
            },
            "send_sms",
        );
        assert_eq!(refused.kind(), ErrorKind::Messaging);
        let lost = sender_failed(
            CrmError::Host {
                class_name: "java.net.SocketException".into(),
                host_message: Some("connection reset".into()),
                method: None,
            },
            "send_email",
        );
        assert_ne!(lost.kind(), ErrorKind::Messaging);
        assert_eq!(
            CrmError::from(lost),
            CrmError::Host {
                class_name: "java.net.SocketException".into(),
                host_message: Some("connection reset".into()),
                method: Some("send_email".into()),
            }
        );
    }

    #[test]
    fn entries_print_without_personal_data() {
        let e = ConsentEntry {
            creator: "ana.b".into(),
            channel: Channel::Sms,
            action: ConsentAction::OptIn,
            at: SystemTime::UNIX_EPOCH,
            source: ConsentSource::ConsentLink,
            text_version: None,
            ip: Some("203.0.113.7".into()),
            user_agent: None,
        };
        assert!(!e.to_string().contains("203.0"));
        let sms = OutboundSms {
            outbox_id: "ob_1".into(),
            idempotency_key: "ob_1".into(),
            to: "+14155550101".into(),
            body: "hi".into(),
            status_callback: None,
        };
        assert!(!sms.to_string().contains("+1415"));
    }
}
