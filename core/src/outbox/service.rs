//! [`OutreachService`]: approve, plan, send, recover, and apply what comes back.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
};

use chrono::{DateTime, Duration, Utc};

use super::{
    ConsentAction, ConsentEntry, ConsentSource, MessageKind, OutboxEntry, OutboxStatus,
    OutreachChange, OutreachStore, consent_in_force,
};
use crate::{
    crm::{Crm, ProfileUpdate, Role},
    error::{Error, ErrorKind, Result},
    identity::{E164, Email, Handle},
    merge::{Creator, OutreachStatus},
    messaging::{EmailSender, OutboundEmail, OutboundSms, SendReceipt, SmsSender},
    outreach::{
        Campaign, Channel, ConsentClaim, DeliveryEvent, DeliveryEventKind, Keyword, OutreachPlan,
        OutreachTarget, QuietHours, TemplateSet, WelcomeContext, idempotency_key,
        parse_twilio_status, plan_outreach, sign_consent_token, sms_keyword, sms_send_window,
        verify_consent_token, verify_mailgun_webhook, verify_twilio_signature,
    },
    store::{CreatorFilter, CreatorQuery, StoredCreator, Version},
};

/// What the service needs besides its stores and senders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutreachConfig {
    /// The campaign the service plans and sends (its `workspace` is the service's).
    pub campaign: Campaign,
    /// The brand's name, in every message.
    pub brand_name: String,
    /// The community invite link of the welcome messages.
    pub community_invite_url: String,
    /// The sender's postal address (email, CAN-SPAM).
    pub postal_address: String,
    /// The one-click unsubscribe endpoint: the outbox id is appended.
    pub unsubscribe_base_url: String,
    /// The consent endpoint: `?t=` and a signed token are appended. `None` offers no
    /// SMS consent link in the email.
    pub consent_base_url: Option<String>,
    /// The key consent tokens are signed with (at least 16 bytes).
    pub consent_key: Vec<u8>,
    /// The version of the consent text the link and START record.
    pub consent_text_version: String,
    /// How long a consent link works.
    pub consent_link_valid: Duration,
    /// The state rules for SMS.
    pub quiet_hours: QuietHours,
    /// Sender calls per message before it stays failed.
    pub max_attempts: u32,
    /// The one reply to an opt-out.
    pub opt_out_reply: String,
    /// The reply to an opt-in (START, YES, UNSTOP).
    pub opt_in_reply: String,
    /// The reply to HELP or INFO.
    pub help_reply: String,
}

impl OutreachConfig {
    /// A configuration for the welcome campaign `campaign_id` with the default
    /// templates' names (`welcome`) and replies; links and the address are the
    /// brand's and must be set.
    pub fn welcome(campaign_id: &str, brand_name: &str) -> OutreachConfig {
        OutreachConfig {
            campaign: Campaign {
                workspace: String::new(),
                id: campaign_id.to_owned(),
                email_template: "welcome".to_owned(),
                sms_template: Some("welcome".to_owned()),
            },
            brand_name: brand_name.to_owned(),
            community_invite_url: String::new(),
            postal_address: String::new(),
            unsubscribe_base_url: String::new(),
            consent_base_url: None,
            consent_key: Vec::new(),
            consent_text_version: "sms-consent-1".to_owned(),
            consent_link_valid: Duration::days(14),
            quiet_hours: QuietHours::default(),
            max_attempts: 3,
            opt_out_reply: format!(
                "{brand_name}: you are unsubscribed and will get no more messages. \
                 Reply START to subscribe again."
            ),
            opt_in_reply: format!(
                "{brand_name}: you are subscribed again. Reply STOP to opt out, HELP for help."
            ),
            help_reply: format!(
                "{brand_name} creator program. Msg & data rates may apply. \
                 Reply STOP to opt out."
            ),
        }
    }
}

/// What [`OutreachService::plan`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOutcome {
    /// The plan over every approved creator.
    pub plan: OutreachPlan,
    /// Messages newly queued.
    pub queued: usize,
    /// Planned messages already in the outbox (left as they are).
    pub already_queued: usize,
}

/// What [`OutreachService::send_due`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendOutcome {
    /// Messages the providers accepted.
    pub sent: usize,
    /// Messages whose sender failed (queued again while attempts remain).
    pub failed: usize,
    /// Messages moved to a later allowed time.
    pub deferred: usize,
    /// Messages cancelled before sending (consent revoked, channel stopped, creator
    /// erased, no allowed time).
    pub cancelled: usize,
    /// Messages another process took first.
    pub taken: usize,
}

/// What [`OutreachService::apply_delivery`] did with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Applied now.
    Applied,
    /// Applied before: nothing changed.
    Duplicate,
    /// The event names no message of the outbox: nothing changed.
    UnknownMessage,
}

/// What [`OutreachService::inbound_sms`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundOutcome {
    /// What the reply asked for; `None` for an ordinary message.
    pub keyword: Option<Keyword>,
    /// The creators the number belongs to (those messaged from the outbox).
    pub creators: Vec<Handle>,
    /// The outbox id of the reply queued, if any.
    pub reply: Option<String>,
    /// True when this inbound message was handled before (nothing changed).
    pub duplicate: bool,
}

/// Outreach over a [`Crm`], an [`OutreachStore`] and the host's senders.
///
/// Every method takes `now`; nothing reads a clock. Sending is crash-safe: see the
/// [module docs](super). A sender must return an [`ErrorKind::Messaging`] error only
/// when the provider did not take the message (it is queued again while attempts
/// remain); any other error means the outcome is not known: the entry becomes
/// [`OutboxStatus::Unknown`] and [`OutreachService::send_due`] stops with that error.
pub struct OutreachService {
    crm: Crm,
    outreach: Arc<dyn OutreachStore>,
    email: Arc<dyn EmailSender>,
    sms: Arc<dyn SmsSender>,
    templates: TemplateSet,
    config: OutreachConfig,
}

impl std::fmt::Debug for OutreachService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutreachService")
            .field("crm", &self.crm)
            .field("campaign", &self.config.campaign.id)
            .finish_non_exhaustive()
    }
}

/// Outbox entries read per batch.
const BATCH: usize = 500;

/// Writes of one delivery event tried before a conflict is given up on.
const WRITE_ATTEMPTS: u32 = 8;

impl OutreachService {
    /// The service for `crm`'s workspace and actor.
    pub fn new(
        crm: Crm,
        outreach: Arc<dyn OutreachStore>,
        email: Arc<dyn EmailSender>,
        sms: Arc<dyn SmsSender>,
        templates: TemplateSet,
        mut config: OutreachConfig,
    ) -> OutreachService {
        config.campaign.workspace = crm.workspace().to_owned();
        OutreachService {
            crm,
            outreach,
            email,
            sms,
            templates,
            config,
        }
    }

    fn ws(&self) -> &str {
        self.crm.workspace()
    }

    /// Approves pending creators for outreach, in bulk; returns how many moved from
    /// pending to approved (others keep their status).
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below member; [`ErrorKind::InvalidInput`] for an
    /// invalid handle; the store's errors.
    pub fn approve(&self, handles: &[&str], now: DateTime<Utc>) -> Result<usize> {
        self.move_pending(handles, OutreachStatus::Approved, now)
    }

    /// Marks pending creators as deliberately not contacted; returns how many moved.
    ///
    /// # Errors
    /// As [`OutreachService::approve`].
    pub fn skip(&self, handles: &[&str], now: DateTime<Utc>) -> Result<usize> {
        self.move_pending(handles, OutreachStatus::Skipped, now)
    }

    fn move_pending(
        &self,
        handles: &[&str],
        to: OutreachStatus,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        self.crm.require(Role::Member)?;
        let parsed: Vec<Handle> = handles
            .iter()
            .map(|h| Handle::parse(h))
            .collect::<Result<_>>()?;
        let stored = self.crm.store().creators(self.ws(), &parsed)?;
        let mut moved = 0;
        for c in stored
            .iter()
            .filter(|c| c.profile.outreach_status == OutreachStatus::Pending)
        {
            self.set_status(c.handle(), to, now)?;
            moved += 1;
        }
        Ok(moved)
    }

    fn set_status(&self, handle: &Handle, to: OutreachStatus, now: DateTime<Utc>) -> Result<()> {
        let update = ProfileUpdate {
            outreach_status: Some(to),
            ..ProfileUpdate::default()
        };
        self.crm.update_profile(handle.as_str(), &update, now)?;
        Ok(())
    }

    /// Every creator approved for outreach or already contacted (a welcome SMS follows
    /// the email once consent arrives), in handle order.
    fn approved(&self) -> Result<Vec<StoredCreator>> {
        let mut out = Vec::new();
        for status in [OutreachStatus::Approved, OutreachStatus::Sent] {
            let mut query = CreatorQuery {
                filter: CreatorFilter {
                    outreach_status: Some(status),
                    ..CreatorFilter::default()
                },
                limit: BATCH,
                ..CreatorQuery::default()
            };
            loop {
                let page = self.crm.list_creators(&query)?;
                out.extend(page.items);
                match page.next_cursor {
                    Some(c) => query.cursor = Some(c),
                    None => break,
                }
            }
        }
        out.sort_by(|a, b| a.handle().cmp(b.handle()));
        Ok(out)
    }

    /// Plans the campaign for every approved (or already contacted) creator
    /// ([`plan_outreach`]: consent from the ledger, quiet hours from the number) and
    /// queues the planned messages that are not in the outbox yet. Planning again queues
    /// nothing twice.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below member; the stores' errors.
    pub fn plan(&self, now: DateTime<Utc>) -> Result<PlanOutcome> {
        self.crm.require(Role::Member)?;
        let creators = self.approved()?;
        let handles: Vec<Handle> = creators.iter().map(|c| c.handle().clone()).collect();
        let ledger = self.outreach.consent(self.ws(), &handles)?;
        let mut by_creator: BTreeMap<&Handle, Vec<ConsentEntry>> = BTreeMap::new();
        for e in &ledger {
            by_creator.entry(&e.creator).or_default().push(e.clone());
        }
        let targets: Vec<OutreachTarget> = creators
            .iter()
            .map(|c| {
                let mine = by_creator.get(c.handle()).map_or(&[][..], Vec::as_slice);
                let cr = &c.creator;
                OutreachTarget {
                    creator: cr.handle.as_str().to_owned(),
                    email: cr.email.clone(),
                    phone: cr.phone.clone(),
                    sms_consent: consent_in_force(mine, Channel::Sms) == Some(ConsentAction::OptIn),
                    email_stopped: consent_in_force(mine, Channel::Email)
                        == Some(ConsentAction::OptOut),
                    state: (!cr.address.state.is_empty()).then(|| cr.address.state.to_string()),
                }
            })
            .collect();
        let plan = plan_outreach(
            &targets,
            &self.config.campaign,
            now,
            &self.config.quiet_hours,
        );
        let by_handle: BTreeMap<&str, &Creator> = creators
            .iter()
            .map(|c| (c.handle().as_str(), &c.creator))
            .collect();
        let mut queued = 0;
        let mut already = 0;
        for chunk in plan.messages.chunks(BATCH) {
            let ids: Vec<String> = chunk.iter().map(|m| m.idempotency_key.clone()).collect();
            let held: BTreeSet<String> = self
                .outreach
                .outbox(self.ws(), &ids)?
                .into_iter()
                .map(|e| e.id)
                .collect();
            let mut changes = Vec::with_capacity(chunk.len());
            for m in chunk {
                if held.contains(&m.idempotency_key) {
                    already += 1;
                    continue;
                }
                let Some(creator) = by_handle.get(m.creator.as_str()) else {
                    continue;
                };
                let to = match m.channel {
                    Channel::Email => creator.email.as_ref().map(|e| e.as_str().to_owned()),
                    Channel::Sms => creator.phone.as_ref().map(|p| p.as_str().to_owned()),
                };
                let Some(to) = to else { continue };
                let mut entry = OutboxEntry {
                    id: m.idempotency_key.clone(),
                    creator: creator.handle.clone(),
                    channel: m.channel,
                    kind: MessageKind::Campaign,
                    template: m.template.clone(),
                    campaign: self.config.campaign.id.clone(),
                    to,
                    body: None,
                    not_before: m.not_before,
                    status: OutboxStatus::Queued,
                    attempts: 0,
                    provider_message_id: None,
                    log: Vec::new(),
                    version: Version::ABSENT,
                };
                entry.mark(now, OutboxStatus::Queued, "queued", String::new());
                changes.push(OutreachChange::PutOutbox {
                    entry: Box::new(entry),
                    expected: Version::ABSENT,
                });
            }
            queued += changes.len();
            self.outreach.apply_outreach(self.ws(), &changes)?;
        }
        Ok(PlanOutcome {
            plan,
            queued,
            already_queued: already,
        })
    }

    /// Sends every queued message that is due at `now`, one at a time: checks consent,
    /// the channel and the allowed hours again, records `sending`, calls the sender,
    /// records the outcome.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below member; a sender's error other than a refusal
    /// (the message is then `unknown`); the stores' errors (the message being sent then
    /// stays `sending` until [`OutreachService::recover`]).
    pub fn send_due(&self, now: DateTime<Utc>) -> Result<SendOutcome> {
        self.crm.require(Role::Member)?;
        let mut outcome = SendOutcome::default();
        loop {
            let due: Vec<OutboxEntry> = self
                .outreach
                .outbox_with_status(self.ws(), OutboxStatus::Queued, BATCH)?
                .into_iter()
                .take_while(|e| e.not_before <= now)
                .collect();
            if due.is_empty() {
                return Ok(outcome);
            }
            for entry in due {
                self.send_one(entry, now, &mut outcome)?;
            }
        }
    }

    fn put(&self, entry: &OutboxEntry) -> Result<()> {
        self.outreach.apply_outreach(
            self.ws(),
            &[OutreachChange::PutOutbox {
                entry: Box::new(entry.clone()),
                expected: entry.version,
            }],
        )
    }

    /// Stores `entry` as changed; its version becomes the stored one.
    fn save(&self, entry: &mut OutboxEntry) -> Result<()> {
        self.put(entry)?;
        entry.version = entry.version.next();
        Ok(())
    }

    fn send_one(
        &self,
        mut entry: OutboxEntry,
        now: DateTime<Utc>,
        outcome: &mut SendOutcome,
    ) -> Result<()> {
        let message = match self.prepare(&entry, now)? {
            Prepared::Message(m) => m,
            Prepared::Defer(at) => {
                entry.not_before = at;
                entry.mark(now, OutboxStatus::Queued, "deferred", String::new());
                outcome.deferred += 1;
                return self.save_or_taken(&mut entry, outcome);
            }
            Prepared::Cancel(reason) => {
                entry.mark(now, OutboxStatus::Cancelled, "cancelled", reason.to_owned());
                outcome.cancelled += 1;
                return self.save_or_taken(&mut entry, outcome);
            }
        };
        entry.attempts += 1;
        entry.mark(now, OutboxStatus::Sending, "sending", String::new());
        match self.save(&mut entry) {
            Err(e) if e.kind() == ErrorKind::Conflict => {
                outcome.taken += 1;
                return Ok(());
            }
            other => other?,
        }
        let sent = match &message {
            Outbound::Email(m) => self.email.send_email(m),
            Outbound::Sms(m) => self.sms.send_sms(m),
        };
        match sent {
            Ok(SendReceipt {
                provider_message_id,
            }) => {
                entry.provider_message_id = Some(provider_message_id.clone());
                entry.mark(now, OutboxStatus::Sent, "sent", provider_message_id);
                self.save(&mut entry)?;
                outcome.sent += 1;
                if entry.kind == MessageKind::Campaign {
                    self.mark_creator_sent(&entry.creator, now)?;
                }
            }
            Err(e) if e.kind() == ErrorKind::Messaging => {
                entry.mark(now, OutboxStatus::Failed, "failed", e.reason().to_owned());
                if entry.attempts < self.config.max_attempts.max(1) {
                    entry.not_before = now + retry_delay(entry.attempts);
                    entry.mark(now, OutboxStatus::Queued, "retry", String::new());
                }
                self.save(&mut entry)?;
                outcome.failed += 1;
            }
            Err(e) => {
                // The provider may have the message: never send it again by itself,
                // and let the caller see what went wrong.
                entry.mark(
                    now,
                    OutboxStatus::Unknown,
                    "sender_error",
                    e.kind().to_string(),
                );
                self.save(&mut entry)?;
                return Err(e);
            }
        }
        Ok(())
    }

    fn save_or_taken(&self, entry: &mut OutboxEntry, outcome: &mut SendOutcome) -> Result<()> {
        match self.save(entry) {
            Err(e) if e.kind() == ErrorKind::Conflict => {
                outcome.taken += 1;
                Ok(())
            }
            other => other,
        }
    }

    /// Moves a stored creator to `to` when their status is one of `from` (any status
    /// when `from` is empty); an erased creator is left alone.
    fn move_creator(
        &self,
        handle: &Handle,
        from: &[OutreachStatus],
        to: OutreachStatus,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let stored = self
            .crm
            .store()
            .creators(self.ws(), std::slice::from_ref(handle))?;
        match stored.first() {
            Some(c) if from.is_empty() || from.contains(&c.profile.outreach_status) => {
                self.set_status(handle, to, now)
            }
            _ => Ok(()),
        }
    }

    fn mark_creator_sent(&self, handle: &Handle, now: DateTime<Utc>) -> Result<()> {
        self.move_creator(
            handle,
            &[OutreachStatus::Approved],
            OutreachStatus::Sent,
            now,
        )
    }

    /// The message for `entry` at `now`, or why it cannot go now.
    fn prepare(&self, entry: &OutboxEntry, now: DateTime<Utc>) -> Result<Prepared> {
        let ledger = self
            .outreach
            .consent(self.ws(), std::slice::from_ref(&entry.creator))?;
        let consent = consent_in_force(&ledger, entry.channel);
        if let (MessageKind::Reply, Some(body)) = (entry.kind, &entry.body) {
            let Ok(to) = entry.to.parse::<E164>() else {
                return Ok(Prepared::Cancel("bad_address"));
            };
            return Ok(Prepared::Message(Outbound::Sms(OutboundSms {
                outbox_id: entry.id.clone(),
                idempotency_key: entry.id.clone(),
                to,
                body: body.clone(),
            })));
        }
        let Some(creator) = self
            .crm
            .store()
            .creators(self.ws(), std::slice::from_ref(&entry.creator))?
            .into_iter()
            .next()
        else {
            return Ok(Prepared::Cancel("creator_gone"));
        };
        if creator.profile.outreach_status == OutreachStatus::Unsubscribed {
            return Ok(Prepared::Cancel("unsubscribed"));
        }
        let mut ctx = WelcomeContext {
            first_name: (!creator.creator.first_name.is_empty())
                .then(|| creator.creator.first_name.to_string()),
            brand_name: self.config.brand_name.clone(),
            community_invite_url: self.config.community_invite_url.clone(),
            unsubscribe_url: None,
            postal_address: None,
            sms_consent_url: None,
        };
        match entry.channel {
            Channel::Email => {
                if consent == Some(ConsentAction::OptOut) {
                    return Ok(Prepared::Cancel("unsubscribed"));
                }
                let Ok(Some(to)) = Email::parse(&entry.to) else {
                    return Ok(Prepared::Cancel("bad_address"));
                };
                let unsubscribe_url = format!("{}{}", self.config.unsubscribe_base_url, entry.id);
                ctx.unsubscribe_url = Some(unsubscribe_url.clone());
                ctx.postal_address = Some(self.config.postal_address.clone());
                ctx.sms_consent_url = self.consent_link(&creator, &ledger, now)?;
                let rendered = self.templates.render_email(&entry.template, &ctx)?;
                Ok(Prepared::Message(Outbound::Email(OutboundEmail {
                    outbox_id: entry.id.clone(),
                    idempotency_key: entry.id.clone(),
                    to,
                    subject: rendered.subject,
                    text: rendered.text,
                    html: rendered.html,
                    unsubscribe_url,
                })))
            }
            Channel::Sms => {
                if consent != Some(ConsentAction::OptIn) {
                    return Ok(Prepared::Cancel("no_consent"));
                }
                let Ok(to) = entry.to.parse::<E164>() else {
                    return Ok(Prepared::Cancel("bad_address"));
                };
                let state = creator.creator.address.state.as_str();
                let state = (!state.is_empty()).then_some(state);
                match sms_send_window(&to, now, state, &self.config.quiet_hours) {
                    Ok(at) if at > now => return Ok(Prepared::Defer(at)),
                    Ok(_) => {}
                    Err(_) => return Ok(Prepared::Cancel("no_send_window")),
                }
                let body = self.templates.render_sms(&entry.template, &ctx)?;
                Ok(Prepared::Message(Outbound::Sms(OutboundSms {
                    outbox_id: entry.id.clone(),
                    idempotency_key: entry.id.clone(),
                    to,
                    body,
                })))
            }
        }
    }

    /// The signed SMS-consent link for a creator with a phone and no SMS consent in
    /// force, when the campaign texts and a consent endpoint is configured.
    fn consent_link(
        &self,
        creator: &StoredCreator,
        ledger: &[ConsentEntry],
        now: DateTime<Utc>,
    ) -> Result<Option<String>> {
        let wanted = self.config.campaign.sms_template.is_some()
            && creator.creator.phone.is_some()
            && consent_in_force(ledger, Channel::Sms) != Some(ConsentAction::OptIn);
        let Some(base) = self.config.consent_base_url.as_ref().filter(|_| wanted) else {
            return Ok(None);
        };
        let token = sign_consent_token(
            &self.config.consent_key,
            &ConsentClaim {
                workspace: self.ws().to_owned(),
                creator: creator.handle().as_str().to_owned(),
                text_version: self.config.consent_text_version.clone(),
                expires_at: now + self.config.consent_link_valid,
            },
        )?;
        let sep = if base.contains('?') { '&' } else { '?' };
        Ok(Some(format!("{base}{sep}t={token}")))
    }

    /// Turns every `sending` entry into `unknown`: run it when the process starts, before
    /// any send, so that a message whose sender call was cut off by a crash is never sent
    /// again automatically. Returns how many there were.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below member; the store's errors.
    pub fn recover(&self, now: DateTime<Utc>) -> Result<usize> {
        self.crm.require(Role::Member)?;
        let mut recovered = 0;
        loop {
            let stuck =
                self.outreach
                    .outbox_with_status(self.ws(), OutboxStatus::Sending, BATCH)?;
            if stuck.is_empty() {
                return Ok(recovered);
            }
            for mut entry in stuck {
                entry.mark(now, OutboxStatus::Unknown, "recovered", String::new());
                match self.save(&mut entry) {
                    Err(e) if e.kind() == ErrorKind::Conflict => {}
                    other => other?,
                }
                recovered += 1;
            }
        }
    }

    /// A person's decision about an `unknown` entry: `sent` when the provider shows the
    /// message went out, else it is queued again.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below admin; [`ErrorKind::InvalidInput`] on `id` for an
    /// entry that is not `unknown`; the store's errors.
    pub fn resolve_unknown(&self, id: &str, sent: bool, now: DateTime<Utc>) -> Result<()> {
        self.crm.require(Role::Admin)?;
        let Some(mut entry) = self
            .outreach
            .outbox(self.ws(), &[id.to_owned()])?
            .into_iter()
            .find(|e| e.status == OutboxStatus::Unknown)
        else {
            return Err(Error::invalid("id", "no unknown outbox entry with this id"));
        };
        if sent {
            entry.mark(now, OutboxStatus::Sent, "resolved_sent", String::new());
        } else {
            entry.not_before = now;
            entry.mark(
                now,
                OutboxStatus::Queued,
                "resolved_requeued",
                String::new(),
            );
        }
        self.save(&mut entry)?;
        if sent && entry.kind == MessageKind::Campaign {
            self.mark_creator_sent(&entry.creator, now)?;
        }
        Ok(())
    }

    /// Applies a delivery event (parsed and verified by [`crate::outreach::webhook`])
    /// once: its status change and log line, and for an unsubscribe or complaint an
    /// opt-out on the channel, which stops every later send on it.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below member; the stores' errors.
    pub fn apply_delivery(
        &self,
        event: &DeliveryEvent,
        now: DateTime<Utc>,
    ) -> Result<DeliveryOutcome> {
        self.crm.require(Role::Member)?;
        let key = format!("{}:{}", event.provider.as_str(), event.event_id);
        let Some(id) = &event.outbox_id else {
            return Ok(DeliveryOutcome::UnknownMessage);
        };
        for _ in 0..WRITE_ATTEMPTS {
            if !self
                .outreach
                .events_seen(self.ws(), std::slice::from_ref(&key))?
                .is_empty()
            {
                return Ok(DeliveryOutcome::Duplicate);
            }
            let Some(mut entry) = self
                .outreach
                .outbox(self.ws(), std::slice::from_ref(id))?
                .pop()
            else {
                return Ok(DeliveryOutcome::UnknownMessage);
            };
            let expected = entry.version;
            let status = status_after(entry.status, event.kind);
            if entry.provider_message_id.is_none() {
                entry
                    .provider_message_id
                    .clone_from(&event.provider_message_id);
            }
            let at = event.occurred_at.unwrap_or(now);
            entry.mark(
                at,
                status,
                event.kind.as_str(),
                event.code.clone().unwrap_or_default(),
            );
            let mut changes = vec![
                OutreachChange::PutOutbox {
                    entry: Box::new(entry.clone()),
                    expected,
                },
                OutreachChange::MarkEvent { key: key.clone() },
            ];
            if event.kind.stops_channel() {
                changes.push(OutreachChange::RecordConsent {
                    entry: ConsentEntry {
                        creator: entry.creator.clone(),
                        channel: entry.channel,
                        action: ConsentAction::OptOut,
                        at,
                        source: ConsentSource::ProviderEvent,
                        text_version: None,
                        ip: None,
                        user_agent: None,
                    },
                });
            }
            match self.outreach.apply_outreach(self.ws(), &changes) {
                Err(e) if e.kind() == ErrorKind::Conflict => continue,
                other => other?,
            }
            if event.kind.stops_channel() {
                self.unsubscribe_creator(&entry.creator, now)?;
            }
            return Ok(DeliveryOutcome::Applied);
        }
        Err(crate::store::conflict("outbox"))
    }

    /// Verifies a Mailgun webhook (signature under `signing_key`, timestamp at most
    /// `max_age` old) and applies its event once. A webhook without a delivery event
    /// (`accepted`, `stored`) changes nothing and gives `None`.
    ///
    /// # Errors
    /// [`ErrorKind::Webhook`] for a malformed, forged or stale webhook (nothing is
    /// applied); as [`OutreachService::apply_delivery`].
    pub fn apply_mailgun_webhook(
        &self,
        signing_key: &str,
        body: &[u8],
        now: DateTime<Utc>,
        max_age: Duration,
    ) -> Result<Option<DeliveryOutcome>> {
        let hook = verify_mailgun_webhook(signing_key, body, now, max_age)?;
        hook.event
            .map(|event| self.apply_delivery(&event, now))
            .transpose()
    }

    /// Verifies a Twilio status callback (`X-Twilio-Signature` over the callback `url`
    /// and its form `params` under `auth_token`) and applies its event once; a status
    /// that is no delivery event (`queued`, `sending`) gives `None`.
    ///
    /// # Errors
    /// [`ErrorKind::Webhook`] for a forged or malformed callback (nothing is applied);
    /// as [`OutreachService::apply_delivery`].
    pub fn apply_twilio_status<K: AsRef<str>, V: AsRef<str>>(
        &self,
        auth_token: &str,
        url: &str,
        params: &[(K, V)],
        signature: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<DeliveryOutcome>> {
        if !verify_twilio_signature(auth_token, url, params, signature) {
            return Err(Error::new(ErrorKind::Webhook, "bad signature").with_field("signature"));
        }
        parse_twilio_status(url, params)?
            .map(|event| self.apply_delivery(&event, now))
            .transpose()
    }

    fn unsubscribe_creator(&self, handle: &Handle, now: DateTime<Utc>) -> Result<()> {
        self.move_creator(handle, &[], OutreachStatus::Unsubscribed, now)
    }

    /// Handles an inbound SMS from `from` (the provider's message id `message_id`
    /// makes a retried webhook a no-op): an opt-out ([`sms_keyword`]) revokes SMS
    /// consent of every creator messaged at that number and queues the one
    /// confirmation, due at once; START/YES/UNSTOP record consent again and queue
    /// the opt-in reply; HELP/INFO queue the help reply. Anything else changes nothing.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below member; the stores' errors.
    pub fn inbound_sms(
        &self,
        from: &E164,
        body: &str,
        message_id: &str,
        now: DateTime<Utc>,
    ) -> Result<InboundOutcome> {
        self.crm.require(Role::Member)?;
        let keyword = sms_keyword(body);
        let creators: Vec<Handle> = self
            .outreach
            .outbox_to(self.ws(), from.as_str())?
            .into_iter()
            .map(|e| e.creator)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut outcome = InboundOutcome {
            keyword,
            creators: creators.clone(),
            reply: None,
            duplicate: false,
        };
        let (Some(keyword), Some(first)) = (keyword, creators.first()) else {
            return Ok(outcome);
        };
        let key = format!("twilio-inbound:{message_id}");
        let mut changes = vec![OutreachChange::MarkEvent { key }];
        let (reply_kind, reply_body, action) = match keyword {
            Keyword::OptOut => (
                "opt_out_reply",
                &self.config.opt_out_reply,
                Some(ConsentAction::OptOut),
            ),
            Keyword::OptIn => (
                "opt_in_reply",
                &self.config.opt_in_reply,
                Some(ConsentAction::OptIn),
            ),
            Keyword::Help => ("help_reply", &self.config.help_reply, None),
        };
        if let Some(action) = action {
            changes.extend(creators.iter().map(|c| {
                OutreachChange::RecordConsent {
                    entry: ConsentEntry {
                        creator: c.clone(),
                        channel: Channel::Sms,
                        action,
                        at: now,
                        source: ConsentSource::SmsKeyword,
                        text_version: (action == ConsentAction::OptIn)
                            .then(|| self.config.consent_text_version.clone()),
                        ip: None,
                        user_agent: None,
                    },
                }
            }));
        }
        let id = idempotency_key(
            self.ws(),
            first.as_str(),
            reply_kind,
            Channel::Sms,
            message_id,
        );
        let mut reply = OutboxEntry {
            id: id.clone(),
            creator: first.clone(),
            channel: Channel::Sms,
            kind: MessageKind::Reply,
            template: reply_kind.to_owned(),
            campaign: self.config.campaign.id.clone(),
            to: from.as_str().to_owned(),
            body: Some(reply_body.clone()),
            not_before: now,
            status: OutboxStatus::Queued,
            attempts: 0,
            provider_message_id: None,
            log: Vec::new(),
            version: Version::ABSENT,
        };
        reply.mark(now, OutboxStatus::Queued, "queued", String::new());
        changes.push(OutreachChange::PutOutbox {
            entry: Box::new(reply),
            expected: Version::ABSENT,
        });
        match self.outreach.apply_outreach(self.ws(), &changes) {
            Err(e) if e.kind() == ErrorKind::Conflict => {
                outcome.duplicate = true;
                return Ok(outcome);
            }
            other => other?,
        }
        outcome.reply = Some(id);
        if keyword == Keyword::OptOut {
            for c in &creators {
                self.unsubscribe_creator(c, now)?;
            }
        }
        Ok(outcome)
    }

    /// Records SMS consent from the signed link of the welcome email, with the IP
    /// address and user agent when the host has them; returns the creator.
    ///
    /// # Errors
    /// [`ErrorKind::Consent`] for a token that is forged, expired or of another
    /// workspace; the store's errors.
    pub fn accept_consent_link(
        &self,
        token: &str,
        now: DateTime<Utc>,
        ip: Option<&str>,
        user_agent: Option<&str>,
    ) -> Result<Handle> {
        let claim = verify_consent_token(&self.config.consent_key, token, now)?;
        if claim.workspace != self.ws() {
            return Err(
                Error::new(ErrorKind::Consent, "token of another workspace").with_field("token")
            );
        }
        let creator = Handle::parse(&claim.creator)?;
        self.outreach.apply_outreach(
            self.ws(),
            &[OutreachChange::RecordConsent {
                entry: ConsentEntry {
                    creator: creator.clone(),
                    channel: Channel::Sms,
                    action: ConsentAction::OptIn,
                    at: now,
                    source: ConsentSource::ConsentLink,
                    text_version: Some(claim.text_version),
                    ip: ip.map(str::to_owned),
                    user_agent: user_agent.map(str::to_owned),
                },
            }],
        )?;
        Ok(creator)
    }

    /// Records consent given or revoked by staff (a signed form, a call).
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below member; [`ErrorKind::InvalidInput`] for an invalid
    /// handle; the store's errors.
    pub fn record_consent(
        &self,
        handle: &str,
        channel: Channel,
        action: ConsentAction,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.crm.require(Role::Member)?;
        let creator = Handle::parse(handle)?;
        self.outreach.apply_outreach(
            self.ws(),
            &[OutreachChange::RecordConsent {
                entry: ConsentEntry {
                    creator,
                    channel,
                    action,
                    at: now,
                    source: ConsentSource::Staff,
                    text_version: (action == ConsentAction::OptIn)
                        .then(|| self.config.consent_text_version.clone()),
                    ip: None,
                    user_agent: None,
                },
            }],
        )
    }

    /// A creator's consent ledger, in the order written.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below member; the store's errors.
    pub fn consent(&self, handle: &str) -> Result<Vec<ConsentEntry>> {
        self.crm.require(Role::Member)?;
        let creator = Handle::parse(handle)?;
        self.outreach.consent(self.ws(), &[creator])
    }

    /// A creator's outreach history: every message with its status changes and
    /// provider ids, newest first.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below viewer; the store's errors.
    pub fn history(&self, handle: &str) -> Result<Vec<OutboxEntry>> {
        self.crm.require(Role::Viewer)?;
        let creator = Handle::parse(handle)?;
        let mut entries = self.outreach.outbox_of(self.ws(), &creator)?;
        entries.sort_by(|a, b| (b.created_at(), &b.id).cmp(&(a.created_at(), &a.id)));
        Ok(entries)
    }

    /// Erases a creator ([`Crm::erase_creator`]) and their outbox and consent entries.
    ///
    /// # Errors
    /// As [`Crm::erase_creator`]; the outreach store's errors.
    pub fn erase_creator(&self, handle: &str, now: DateTime<Utc>) -> Result<u64> {
        let creator = Handle::parse(handle)?;
        let deleted = self.crm.erase_creator(handle, now)?;
        self.outreach
            .apply_outreach(self.ws(), &[OutreachChange::ForgetCreator { creator }])?;
        Ok(deleted)
    }
}

enum Outbound {
    Email(OutboundEmail),
    Sms(OutboundSms),
}

enum Prepared {
    Message(Outbound),
    Defer(DateTime<Utc>),
    Cancel(&'static str),
}

/// The wait before attempt `attempts + 1`: 1, 2, 4, ... minutes, at most an hour.
fn retry_delay(attempts: u32) -> Duration {
    Duration::minutes(1i64 << attempts.saturating_sub(1).min(6))
}

/// The status after a delivery event.
fn status_after(status: OutboxStatus, kind: DeliveryEventKind) -> OutboxStatus {
    use OutboxStatus as S;
    match kind {
        DeliveryEventKind::Delivered | DeliveryEventKind::Opened | DeliveryEventKind::Clicked => {
            match status {
                S::Sent | S::Unknown | S::Sending | S::Failed => S::Delivered,
                other => other,
            }
        }
        DeliveryEventKind::Failed => match status {
            S::Sent | S::Unknown | S::Sending => S::Failed,
            other => other,
        },
        DeliveryEventKind::Bounced => S::Bounced,
        DeliveryEventKind::Complained | DeliveryEventKind::Unsubscribed => status,
    }
}
