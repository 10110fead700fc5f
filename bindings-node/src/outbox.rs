//! Node bindings of `creator_crm::outbox`: `OutreachService` over a `Crm`, an outreach
//! store (a built-in store, or a JavaScript object with the outreach methods) and a
//! sender written in JavaScript.
//!
//! A sender is any object with `sendEmail(message)` and `sendSms(message)`, each
//! returning the provider's message id (a string), synchronously. Throwing an error
//! whose `code` is `"messaging"` says the provider did not take the message (it is
//! queued again while attempts remain); any other thrown value means the outcome is
//! unknown: the message is recorded as `unknown`, never sent again automatically, and
//! `sendDue` throws that same value to its caller (an `Error`; another value becomes a
//! `StorageError`, `reason: "sender threw a non-Error value"`).
//!
//! The sender is called on the JavaScript thread that made the service, only: a call
//! from any other thread is refused before it reaches the object, as a refusal
//! (`MessagingError`, `reason: "sender called off its JavaScript thread"`), so the
//! message is not sent and is queued again.
//!
//! Messages, options and outcomes are camelCase; the stored records (`history`,
//! `consent`) keep core's serde form (snake_case keys), as the store protocol does.

// Reading the config and the sender object from raw napi values takes `unsafe`.
#![allow(unsafe_code)]

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use creator_crm::{
    Error, ErrorKind,
    messaging::{EmailSender, OutboundEmail, OutboundSms, SendReceipt, SmsSender},
    outbox::{
        ConsentAction, DeliveryOutcome, OutreachConfig, OutreachService as CoreService,
        OutreachStore, SendOutcome,
    },
    outreach::{Channel, TemplateSet},
};
use napi::{
    Env, JsValue, ValueType,
    bindgen_prelude::{Buffer, Either, FromNapiValue, JsObjectValue, Object, Unknown},
    sys,
};
use napi_derive::napi;
use serde_json::{Map, Value, json};

use crate::{
    crm::Crm,
    data::{instant, read, write},
    errors::to_napi_error,
    js::{Failure, JsObject, text_property, thrown_error},
    store::outreach_store,
};

fn invalid(env: &Env, field: &'static str, reason: &'static str) -> napi::Error {
    to_napi_error(env, &Error::invalid(field, reason))
}

/// `now` (ISO 8601), or the clock when not given.
fn read_now(env: &Env, now: Option<String>) -> napi::Result<DateTime<Utc>> {
    match now {
        Some(t) => instant(env, &t, "now"),
        None => Ok(Utc::now()),
    }
}

/// The sender's two methods, as JavaScript names them.
const SENDER_METHODS: [&str; 2] = ["sendEmail", "sendSms"];

/// The core error standing for what a sender's `method` threw: a refusal when its
/// `code` is `"messaging"`, else an unknown outcome; either carries the thrown `Error`.
fn sender_error(env: &Env, thrown: sys::napi_value, method: &'static str) -> Error {
    let Some((held, obj)) = thrown_error(env, thrown) else {
        return Error::new(ErrorKind::Storage, "sender threw a non-Error value").with_field(method);
    };
    let (kind, reason) = match text_property(env, &obj, "code").as_deref() {
        Some("messaging") => (ErrorKind::Messaging, "sender refused"),
        // Not a refusal: the outcome of the call is unknown.
        _ => (ErrorKind::Storage, "sender failed"),
    };
    Error::new(kind, reason)
        .with_field(method)
        .with_source(held)
}

/// A JavaScript object as the host's email and SMS sender.
struct JsSender {
    obj: JsObject,
    status_callback_base: Option<String>,
}

impl JsSender {
    fn send(&self, method: &'static str, message: Value) -> Result<SendReceipt, Error> {
        let no_id = || {
            Error::new(
                ErrorKind::Storage,
                "a sender must return the provider's message id",
            )
            .with_field(method)
        };
        match self.obj.call(method, &[message], &|env, thrown| {
            sender_error(env, thrown, method)
        }) {
            Ok(Value::String(provider_message_id)) => Ok(SendReceipt {
                provider_message_id,
            }),
            Ok(_) | Err(Failure::Malformed) => Err(no_id()),
            // Refused before the object was reached: not sent.
            Err(Failure::OffThread) => Err(Error::new(
                ErrorKind::Messaging,
                "sender called off its JavaScript thread",
            )
            .with_field(method)),
            Err(Failure::NotAFunction) => {
                Err(Error::new(ErrorKind::Messaging, "missing a sender method").with_field(method))
            }
            Err(Failure::CannotCall) => {
                Err(Error::new(ErrorKind::Storage, "cannot call the sender").with_field(method))
            }
            Err(Failure::Threw(e)) => Err(e),
        }
    }
}

impl EmailSender for JsSender {
    fn send_email(&self, m: &OutboundEmail) -> Result<SendReceipt, Error> {
        let headers: Map<String, Value> = m
            .list_unsubscribe_headers()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v)))
            .collect();
        let variables: Map<String, Value> = m
            .provider_variables()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
            .collect();
        self.send(
            "sendEmail",
            json!({
                "outboxId": m.outbox_id,
                "idempotencyKey": m.idempotency_key,
                "to": m.to.as_str(),
                "subject": m.subject,
                "text": m.text,
                "html": m.html,
                "unsubscribeUrl": m.unsubscribe_url,
                "headers": headers,
                "variables": variables,
            }),
        )
    }
}

impl SmsSender for JsSender {
    fn send_sms(&self, m: &OutboundSms) -> Result<SendReceipt, Error> {
        let callback = self
            .status_callback_base
            .as_deref()
            .map(|base| m.status_callback_url(base));
        self.send(
            "sendSms",
            json!({
                "outboxId": m.outbox_id,
                "idempotencyKey": m.idempotency_key,
                "to": m.to.as_str(),
                "body": m.body,
                "statusCallback": callback,
            }),
        )
    }
}

/// What `new OutreachService()` reads from its `config`.
#[napi(object, object_to_js = false)]
pub struct OutreachServiceConfig {
    /// The campaign's id (required): part of every message's idempotency key.
    pub campaign_id: String,
    /// The brand's name, in every message (required).
    pub brand_name: String,
    /// The email template's name (default `"welcome"`).
    pub email_template: Option<String>,
    /// The SMS template's name (default `"welcome"`); `null`: email only.
    #[napi(ts_type = "string | null")]
    pub sms_template: Option<Value>,
    /// The community invite link of the welcome messages.
    pub community_invite_url: Option<String>,
    /// The sender's postal address (email, CAN-SPAM).
    pub postal_address: Option<String>,
    /// The one-click unsubscribe endpoint: the outbox id is appended.
    pub unsubscribe_base_url: Option<String>,
    /// The SMS-consent endpoint: `?t=` and a signed token are appended; without it the
    /// email offers no consent link.
    pub consent_base_url: Option<String>,
    /// The key consent tokens are signed with (16 bytes or more).
    pub consent_key: Option<Either<String, Buffer>>,
    /// The version of the consent text the link and START record.
    pub consent_text_version: Option<String>,
    /// How many days a consent link works (default 14).
    pub consent_link_days: Option<i64>,
    /// Sender calls per message before it stays failed (default 3).
    pub max_attempts: Option<u32>,
    /// The one reply to an opt-out.
    pub opt_out_reply: Option<String>,
    /// The reply to START, YES or UNSTOP.
    pub opt_in_reply: Option<String>,
    /// The reply to HELP or INFO.
    pub help_reply: Option<String>,
    /// Twilio status callbacks: each SMS's `statusCallback` is this URL with the
    /// outbox id added.
    pub status_callback_base: Option<String>,
}

/// The keys `OutreachServiceConfig` has.
const CONFIG_KEYS: [&str; 16] = [
    "campaignId",
    "brandName",
    "emailTemplate",
    "smsTemplate",
    "communityInviteUrl",
    "postalAddress",
    "unsubscribeBaseUrl",
    "consentBaseUrl",
    "consentKey",
    "consentTextVersion",
    "consentLinkDays",
    "maxAttempts",
    "optOutReply",
    "optInReply",
    "helpReply",
    "statusCallbackBase",
];

/// Reads the config: unknown keys refused, `smsTemplate: null` kept apart from an absent
/// one.
fn read_config(env: &Env, value: Unknown<'_>) -> napi::Result<(OutreachConfig, Option<String>)> {
    if value.get_type()? != ValueType::Object {
        return Err(invalid(env, "config", "must be an object"));
    }
    // SAFETY: an object value of `env`, on its thread.
    let object = unsafe { Object::from_napi_value(env.raw(), value.raw()) }?;
    let keys = Object::keys(&object)?;
    if keys.iter().any(|k| !CONFIG_KEYS.contains(&k.as_str())) {
        return Err(invalid(env, "config", "unknown outreach config key"));
    }
    // SAFETY: as above.
    let given = unsafe { OutreachServiceConfig::from_napi_value(env.raw(), value.raw()) }?;
    let mut c = OutreachConfig::welcome(&given.campaign_id, &given.brand_name);
    if let Some(t) = given.email_template {
        c.campaign.email_template = t;
    }
    match given.sms_template {
        Some(Value::String(t)) => c.campaign.sms_template = Some(t),
        Some(Value::Null) => c.campaign.sms_template = None,
        None if keys.iter().any(|k| k == "smsTemplate") => c.campaign.sms_template = None,
        None => {}
        Some(_) => return Err(invalid(env, "smsTemplate", "must be a string or null")),
    }
    let texts = [
        (&mut c.community_invite_url, given.community_invite_url),
        (&mut c.postal_address, given.postal_address),
        (&mut c.unsubscribe_base_url, given.unsubscribe_base_url),
        (&mut c.consent_text_version, given.consent_text_version),
        (&mut c.opt_out_reply, given.opt_out_reply),
        (&mut c.opt_in_reply, given.opt_in_reply),
        (&mut c.help_reply, given.help_reply),
    ];
    for (target, v) in texts {
        if let Some(v) = v {
            *target = v;
        }
    }
    c.consent_base_url = given.consent_base_url;
    match given.consent_key {
        Some(Either::A(text)) => c.consent_key = text.into_bytes(),
        Some(Either::B(bytes)) => c.consent_key = bytes.to_vec(),
        None => {}
    }
    if let Some(d) = given.consent_link_days {
        c.consent_link_valid =
            Duration::try_days(d).ok_or_else(|| invalid(env, "consentLinkDays", "out of range"))?;
    }
    if let Some(n) = given.max_attempts {
        c.max_attempts = n;
    }
    Ok((c, given.status_callback_base))
}

/// A message `plan` found due or planned.
#[napi(object, object_from_js = false)]
pub struct PlannedMessage {
    /// Its outbox id (the idempotency key).
    pub id: String,
    /// The creator.
    pub creator: String,
    /// `"email"` or `"sms"`.
    #[napi(ts_type = "'email' | 'sms'")]
    pub channel: String,
    /// The template's name.
    pub template: String,
    /// The earliest time it may go out (ISO 8601).
    pub not_before: String,
}

/// A message `plan` left out, and why.
#[napi(object, object_from_js = false)]
pub struct SkippedMessage {
    /// The creator.
    pub creator: String,
    /// `"email"` or `"sms"`.
    #[napi(ts_type = "'email' | 'sms'")]
    pub channel: String,
    /// Why, e.g. `no_consent`, `no_phone`.
    pub reason: String,
}

/// What `plan` did.
#[napi(object, object_from_js = false)]
pub struct PlanResult {
    /// Messages newly queued.
    pub queued: u32,
    /// Planned messages already in the outbox (left as they are).
    pub already_queued: u32,
    /// Every planned message.
    pub messages: Vec<PlannedMessage>,
    /// What was left out.
    pub skipped: Vec<SkippedMessage>,
}

/// What `sendDue` did.
#[napi(object, object_from_js = false)]
pub struct SendResult {
    /// Messages the providers accepted.
    pub sent: u32,
    /// Messages whose sender refused them (queued again while attempts remain).
    pub failed: u32,
    /// Messages moved to a later allowed time.
    pub deferred: u32,
    /// Messages cancelled before sending (consent revoked, channel stopped, creator
    /// erased, no allowed time).
    pub cancelled: u32,
    /// Messages another process took first.
    pub taken: u32,
}

/// What `inboundSms` did.
#[napi(object, object_from_js = false)]
pub struct InboundResult {
    /// What the message asked for; `null` for an ordinary message.
    #[napi(ts_type = "SmsKeyword | null")]
    pub keyword: Value,
    /// The creators the number belongs to (those messaged from the outbox).
    pub creators: Vec<String>,
    /// The outbox id of the reply queued; `null` for none.
    #[napi(ts_type = "string | null")]
    pub reply: Value,
    /// True when this inbound message was handled before (nothing changed).
    pub duplicate: bool,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn delivery_outcome(o: Option<DeliveryOutcome>) -> Option<String> {
    o.map(|o| {
        match o {
            DeliveryOutcome::Applied => "applied",
            DeliveryOutcome::Duplicate => "duplicate",
            DeliveryOutcome::UnknownMessage => "unknown_message",
        }
        .to_owned()
    })
}

/// Welcome outreach over a `Crm`: approve, plan, send through your sender, recover after
/// a crash, apply delivery webhooks and inbound SMS, consent, history.
///
/// Every method is synchronous and runs on the JavaScript thread (the sender is
/// JavaScript); `now` is an ISO 8601 time, the clock when omitted.
///
/// ```js
/// const store = new SqliteStore('crm.db')
/// const crm = new Crm(store, { workspace: 'acme', actor: { id: 'u1', role: 'member' } })
/// const sender = {
///   sendEmail: (m) => mailgun.send(m),   // returns the provider's message id
///   sendSms: (m) => twilio.send(m),
/// }
/// const outreach = new OutreachService(crm, sender, { campaignId: 'welcome-1', brandName: 'Acme' })
/// outreach.approve(['ana.b'])
/// outreach.plan()
/// outreach.sendDue() // { sent, failed, deferred, cancelled, taken }
/// ```
#[napi]
pub struct OutreachService {
    service: CoreService,
}

impl OutreachService {
    fn run<T>(
        &self,
        env: &Env,
        f: impl FnOnce(&CoreService) -> Result<T, Error>,
    ) -> napi::Result<T> {
        f(&self.service).map_err(|e| to_napi_error(env, &e))
    }
}

#[napi]
impl OutreachService {
    /// The service for `crm`'s workspace and actor, sending through `sender`. The outbox
    /// and consent ledger live in `store`: a `MemoryStore`, a `SqliteStore`, or any
    /// object with the outreach methods (`outreachStoreMethods()`); by default the
    /// `Crm`'s own store, when it is a built-in one or a JavaScript store with those
    /// methods too.
    ///
    /// Throws an `InvalidInputError` for an unknown or missing config key, a sender
    /// without `sendEmail` / `sendSms` (`field`: the method), or a store without the
    /// outreach methods (`field`: the first missing one, or `store`).
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "crm: Crm, sender: OutreachSender, config: OutreachServiceConfig, store?: OutreachStore | undefined | null"
    )]
    pub fn new(
        env: Env,
        crm: &Crm,
        sender: Unknown<'_>,
        config: Unknown<'_>,
        store: Option<Unknown<'_>>,
    ) -> napi::Result<Self> {
        let outreach: std::sync::Arc<dyn OutreachStore> = match store {
            Some(s) if !matches!(s.get_type()?, ValueType::Undefined | ValueType::Null) => {
                outreach_store(&env, s)?
            }
            _ => crm
                .outreach_store()
                .ok_or_else(|| invalid(&env, "store", "the Crm's store has no outreach methods"))?,
        };
        let (config, status_callback_base) = read_config(&env, config)?;
        if sender.get_type()? != ValueType::Object {
            return Err(invalid(&env, "sender", "must be an object"));
        }
        // SAFETY: an object value of `env`, on its thread.
        let object = unsafe { Object::from_napi_value(env.raw(), sender.raw()) }?;
        for m in SENDER_METHODS {
            let f: Unknown<'_> = object.get_named_property(m)?;
            if f.get_type()? != ValueType::Function {
                return Err(to_napi_error(
                    &env,
                    &Error::invalid("sender", "missing a sender method").with_field(m),
                ));
            }
        }
        let sender = std::sync::Arc::new(JsSender {
            obj: JsObject::new(&env, &object)?,
            status_callback_base,
        });
        let templates = TemplateSet::with_defaults().map_err(|e| to_napi_error(&env, &e))?;
        Ok(OutreachService {
            service: CoreService::new(
                crm.core().clone(),
                outreach,
                sender.clone(),
                sender,
                templates,
                config,
            ),
        })
    }

    /// Approves pending creators for outreach; returns how many moved to `approved`
    /// (others keep their status).
    ///
    /// Throws a `ForbiddenError` below member, an `InvalidInputError` for an invalid
    /// handle.
    #[napi(catch_unwind)]
    pub fn approve(
        &self,
        env: Env,
        handles: Vec<String>,
        now: Option<String>,
    ) -> napi::Result<u32> {
        let now = read_now(&env, now)?;
        let hs: Vec<&str> = handles.iter().map(String::as_str).collect();
        self.run(&env, |s| s.approve(&hs, now)).map(count)
    }

    /// Marks pending creators as not to be contacted; returns how many moved.
    ///
    /// Throws as `approve`.
    #[napi(catch_unwind)]
    pub fn skip(&self, env: Env, handles: Vec<String>, now: Option<String>) -> napi::Result<u32> {
        let now = read_now(&env, now)?;
        let hs: Vec<&str> = handles.iter().map(String::as_str).collect();
        self.run(&env, |s| s.skip(&hs, now)).map(count)
    }

    /// Plans the campaign for every approved (or already contacted) creator and queues
    /// what is not in the outbox yet; planning again queues nothing twice.
    ///
    /// Throws a `ForbiddenError` below member.
    #[napi(catch_unwind)]
    pub fn plan(&self, env: Env, now: Option<String>) -> napi::Result<PlanResult> {
        let now = read_now(&env, now)?;
        let o = self.run(&env, |s| s.plan(now))?;
        Ok(PlanResult {
            queued: count(o.queued),
            already_queued: count(o.already_queued),
            messages: o
                .plan
                .messages
                .iter()
                .map(|m| PlannedMessage {
                    id: m.idempotency_key.clone(),
                    creator: m.creator.clone(),
                    channel: m.channel.as_str().to_owned(),
                    template: m.template.clone(),
                    not_before: m.not_before.to_rfc3339(),
                })
                .collect(),
            skipped: o
                .plan
                .skipped
                .iter()
                .map(|k| SkippedMessage {
                    creator: k.creator.clone(),
                    channel: k.channel.as_str().to_owned(),
                    reason: k.reason.as_str().to_owned(),
                })
                .collect(),
        })
    }

    /// Sends every queued message due at `now`, one at a time: consent, the channel and
    /// the allowed hours are checked again, the message is `sending` in the store before
    /// the sender is called, and the outcome is recorded.
    ///
    /// Throws a `ForbiddenError` below member; what the sender threw, as that same
    /// value, when it was not a refusal (the message is then `unknown` and is never sent
    /// again automatically).
    #[napi(catch_unwind)]
    pub fn send_due(&self, env: Env, now: Option<String>) -> napi::Result<SendResult> {
        let now = read_now(&env, now)?;
        let SendOutcome {
            sent,
            failed,
            deferred,
            cancelled,
            taken,
        } = self.run(&env, |s| s.send_due(now))?;
        Ok(SendResult {
            sent: count(sent),
            failed: count(failed),
            deferred: count(deferred),
            cancelled: count(cancelled),
            taken: count(taken),
        })
    }

    /// Turns every `sending` message (cut off by a crash) into `unknown`; run it at
    /// start-up, before any `sendDue`. Returns how many.
    ///
    /// Throws a `ForbiddenError` below member.
    #[napi(catch_unwind)]
    pub fn recover(&self, env: Env, now: Option<String>) -> napi::Result<u32> {
        let now = read_now(&env, now)?;
        self.run(&env, |s| s.recover(now)).map(count)
    }

    /// A person's decision about an `unknown` message: `sent` when the provider shows it
    /// went out, else it is queued again.
    ///
    /// Throws a `ForbiddenError` below admin, an `InvalidInputError` (`field: "id"`) for
    /// a message that is not `unknown`.
    #[napi(catch_unwind)]
    pub fn resolve_unknown(
        &self,
        env: Env,
        id: String,
        sent: bool,
        now: Option<String>,
    ) -> napi::Result<()> {
        let now = read_now(&env, now)?;
        self.run(&env, |s| s.resolve_unknown(&id, sent, now))
    }

    /// Verifies a Mailgun webhook body (signature under `signingKey`, timestamp at most
    /// `maxAgeSeconds` old, default 300) and applies its event once: `"applied"`,
    /// `"duplicate"`, `"unknown_message"`, or `null` for an event that changes nothing.
    /// An unsubscribe or complaint stops email to the creator.
    ///
    /// Throws a `WebhookError` for a malformed, forged or stale webhook (nothing is
    /// applied), a `ForbiddenError` below member.
    #[napi(
        catch_unwind,
        ts_return_type = "'applied' | 'duplicate' | 'unknown_message' | null"
    )]
    pub fn apply_mailgun_webhook(
        &self,
        env: Env,
        signing_key: String,
        body: Either<Buffer, String>,
        now: Option<String>,
        max_age_seconds: Option<i64>,
    ) -> napi::Result<Option<String>> {
        let now = read_now(&env, now)?;
        let max_age = Duration::try_seconds(max_age_seconds.unwrap_or(300))
            .ok_or_else(|| invalid(&env, "maxAgeSeconds", "out of range"))?;
        let bytes: &[u8] = match &body {
            Either::A(b) => b,
            Either::B(s) => s.as_bytes(),
        };
        self.run(&env, |s| {
            s.apply_mailgun_webhook(&signing_key, bytes, now, max_age)
        })
        .map(delivery_outcome)
    }

    /// Verifies a Twilio status callback (its URL, POST form fields and
    /// `X-Twilio-Signature` header under `authToken`) and applies its event once; a
    /// status that is no delivery event (`queued`, `sending`) gives `null`.
    ///
    /// Throws a `WebhookError` for a forged or malformed callback (nothing is applied),
    /// a `ForbiddenError` below member.
    #[napi(
        catch_unwind,
        ts_args_type = "authToken: string, url: string, params: { [name: string]: string }, signature: string, now?: string | undefined | null",
        ts_return_type = "'applied' | 'duplicate' | 'unknown_message' | null"
    )]
    pub fn apply_twilio_status(
        &self,
        env: Env,
        auth_token: String,
        url: String,
        params: HashMap<String, String>,
        signature: String,
        now: Option<String>,
    ) -> napi::Result<Option<String>> {
        let now = read_now(&env, now)?;
        let pairs: Vec<(String, String)> = params.into_iter().collect();
        self.run(&env, |s| {
            s.apply_twilio_status(&auth_token, &url, &pairs, &signature, now)
        })
        .map(delivery_outcome)
    }

    /// Handles an inbound SMS (`from`: E.164; `messageId`: the provider's, so a retried
    /// webhook is a no-op): STOP-like wording revokes SMS consent and queues the one
    /// confirmation; START/YES/UNSTOP and HELP/INFO queue their replies.
    ///
    /// Throws an `InvalidInputError` (`field: "from"`) for a number that is not E.164, a
    /// `ForbiddenError` below member.
    #[napi(catch_unwind)]
    pub fn inbound_sms(
        &self,
        env: Env,
        from: String,
        body: String,
        message_id: String,
        now: Option<String>,
    ) -> napi::Result<InboundResult> {
        let now = read_now(&env, now)?;
        let from = from
            .parse()
            .map_err(|_| invalid(&env, "from", "not an E.164 number"))?;
        let o = self.run(&env, |s| s.inbound_sms(&from, &body, &message_id, now))?;
        Ok(InboundResult {
            keyword: o.keyword.map_or(Value::Null, |k| k.as_str().into()),
            creators: o.creators.iter().map(|h| h.as_str().to_owned()).collect(),
            reply: o.reply.map_or(Value::Null, Value::String),
            duplicate: o.duplicate,
        })
    }

    /// Records SMS consent from the signed link of the welcome email (the token is its
    /// `t` parameter), with the IP address and user agent when the host has them;
    /// returns the creator's handle.
    ///
    /// Throws a `ConsentError` for a token that is forged, expired or of another
    /// workspace.
    #[napi(catch_unwind)]
    pub fn accept_consent_link(
        &self,
        env: Env,
        token: String,
        now: Option<String>,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> napi::Result<String> {
        let now = read_now(&env, now)?;
        self.run(&env, |s| {
            s.accept_consent_link(&token, now, ip.as_deref(), user_agent.as_deref())
        })
        .map(|h| h.as_str().to_owned())
    }

    /// Records consent given (`"opt_in"`) or revoked (`"opt_out"`) by staff, on
    /// `"email"` or `"sms"`.
    ///
    /// Throws an `InvalidInputError` for an unknown channel or action or an invalid
    /// handle, a `ForbiddenError` below member.
    #[napi(
        catch_unwind,
        ts_args_type = "handle: string, channel: 'email' | 'sms', action: 'opt_in' | 'opt_out', now?: string | undefined | null"
    )]
    pub fn record_consent(
        &self,
        env: Env,
        handle: String,
        channel: String,
        action: String,
        now: Option<String>,
    ) -> napi::Result<()> {
        let now = read_now(&env, now)?;
        let channel: Channel = read(&env, Value::String(channel), "channel")?;
        let action: ConsentAction = read(&env, Value::String(action), "action")?;
        self.run(&env, |s| s.record_consent(&handle, channel, action, now))
    }

    /// A creator's consent ledger, in the order written.
    ///
    /// Throws a `ForbiddenError` below member.
    #[napi(catch_unwind, ts_return_type = "Array<ConsentEntryRecord>")]
    pub fn consent(&self, env: Env, handle: String) -> napi::Result<Value> {
        let entries = self.run(&env, |s| s.consent(&handle))?;
        write(&env, &entries)
    }

    /// A creator's outreach history: every message with its status changes and provider
    /// ids, newest first.
    ///
    /// Throws a `ForbiddenError` for a creator actor.
    #[napi(catch_unwind, ts_return_type = "Array<OutboxEntryRecord>")]
    pub fn history(&self, env: Env, handle: String) -> napi::Result<Value> {
        let entries = self.run(&env, |s| s.history(&handle))?;
        write(&env, &entries)
    }

    /// Erases a creator: the `Crm` erasure, and their outbox and consent entries.
    /// Returns what `Crm.eraseCreator` returns.
    ///
    /// Throws as `Crm.eraseCreator`.
    #[napi(catch_unwind)]
    pub fn erase_creator(
        &self,
        env: Env,
        handle: String,
        now: Option<String>,
    ) -> napi::Result<i64> {
        let now = read_now(&env, now)?;
        self.run(&env, |s| s.erase_creator(&handle, now))
            .map(|n| i64::try_from(n).unwrap_or(i64::MAX))
    }
}
