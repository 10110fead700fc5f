//! The outreach service over a store and recording senders: approve → plan → send →
//! webhook, consent, quiet hours, inbound keywords, crashes at every step, and the
//! outreach store conformance suite against `MemoryStore`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicUsize, Ordering},
};

use chrono::{DateTime, Duration, TimeZone, Utc};
use creator_crm::{
    Error, ErrorKind, Result,
    crm::{Actor, Crm, Role},
    identity::{E164, Handle},
    import::SourceKind,
    merge::{OutreachStatus, SourceFile},
    messaging::{
        EmailSender, OutboundEmail, OutboundSms, Recorded, RecordingSender, SendReceipt, SmsSender,
    },
    outbox::{
        ConsentAction, DeliveryOutcome, OutboxEntry, OutboxStatus, OutreachChange, OutreachConfig,
        OutreachService, OutreachStore, conformance,
    },
    outreach::{Channel, DeliveryEvent, DeliveryEventKind, Keyword, Provider, TemplateSet},
    store::{MemoryStore, Store},
};

const WS: &str = "acme";
const KEY: &[u8] = b"consent-key-of-at-least-16-bytes";

/// 15:00 UTC on a Monday: 10:00 in Texas (CDT), 08:00 in California (PDT).
fn monday(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, hour, minute, 0).unwrap()
}

const EUKA: &str = "handle,email,phone,recipient,state\n\
    ana.b,ana@mailbox.org,+14155550101,Ana Bell,CA\n\
    bo,bo@mailbox.org,+17135550102,Bo Chan,TX\n\
    cy,,+12125550103,Cy Dale,NY\n\
    dee,dee@mailbox.org,,Dee Fox,\n";

fn config() -> OutreachConfig {
    let mut c = OutreachConfig::welcome("welcome-2026-06", "Acme Beauty");
    c.community_invite_url = "https://discord.gg/acme".into();
    c.postal_address = "Acme Beauty, 100 Main St, Austin, TX 78701".into();
    c.unsubscribe_base_url = "https://crm.example.com/u/".into();
    c.consent_base_url = Some("https://crm.example.com/c".into());
    c.consent_key = KEY.to_vec();
    c
}

struct World {
    store: Arc<MemoryStore>,
    sender: Arc<RecordingSender>,
}

impl World {
    fn new() -> World {
        let store = Arc::new(MemoryStore::new());
        let crm = Crm::new(store.clone(), WS, Actor::staff("owner-1", Role::Owner));
        let file = SourceFile::new(SourceKind::Euka, "euka.csv");
        crm.import_exports(vec![(file, EUKA.as_bytes())], monday(9, 0))
            .unwrap();
        World {
            store,
            sender: Arc::new(RecordingSender::new()),
        }
    }

    fn service_with(&self, outreach: Arc<dyn OutreachStore>, role: Role) -> OutreachService {
        let crm = Crm::new(self.store.clone(), WS, Actor::staff("staff-1", role));
        OutreachService::new(
            crm,
            outreach,
            self.sender.clone(),
            self.sender.clone(),
            TemplateSet::with_defaults().unwrap(),
            config(),
        )
    }

    fn service(&self) -> OutreachService {
        self.service_with(self.store.clone(), Role::Member)
    }

    fn status(&self, handle: &str) -> OutreachStatus {
        let h = Handle::parse(handle).unwrap();
        self.store.creators(WS, &[h]).unwrap()[0]
            .profile
            .outreach_status
    }

    /// (channel, to, outbox id) of every accepted message, in order.
    fn sent(&self) -> Vec<(&'static str, String, String)> {
        self.sender
            .sent()
            .into_iter()
            .map(|r| match r {
                Recorded::Email(m, _) => ("email", m.to.as_str().to_owned(), m.outbox_id),
                Recorded::Sms(m, _) => ("sms", m.to.as_str().to_owned(), m.outbox_id),
            })
            .collect()
    }
}

fn phone(p: &str) -> E164 {
    p.parse().unwrap()
}

#[test]
fn approve_plan_send_sends_each_message_once_with_consent_only() {
    let w = World::new();
    let s = w.service();
    assert_eq!(s.approve(&["ana.b", "bo", "cy"], monday(14, 0)).unwrap(), 3);
    assert_eq!(
        s.approve(&["ana.b"], monday(14, 0)).unwrap(),
        0,
        "already approved"
    );
    assert_eq!(w.status("dee"), OutreachStatus::Pending);
    // Bo consented to SMS through the link of an earlier email.
    s.record_consent("bo", Channel::Sms, ConsentAction::OptIn, monday(14, 0))
        .unwrap();

    let planned = s.plan(monday(15, 0)).unwrap();
    assert_eq!((planned.queued, planned.already_queued), (3, 0));
    let skipped: Vec<_> = planned
        .plan
        .skipped
        .iter()
        .map(|k| {
            (
                k.creator.as_str(),
                k.channel.as_str(),
                format!("{:?}", k.reason),
            )
        })
        .collect();
    assert_eq!(
        skipped,
        [
            ("ana.b", "sms", "NoConsent".to_owned()),
            ("cy", "email", "NoAddress".to_owned()),
            ("cy", "sms", "NoConsent".to_owned()),
        ]
    );

    let out = s.send_due(monday(15, 0)).unwrap();
    assert_eq!(
        (out.sent, out.failed, out.deferred, out.cancelled),
        (3, 0, 0, 0)
    );
    let sent = w.sent();
    let mut channels: Vec<_> = sent.iter().map(|(c, to, _)| (*c, to.as_str())).collect();
    channels.sort_unstable();
    assert_eq!(
        channels,
        [
            ("email", "ana@mailbox.org"),
            ("email", "bo@mailbox.org"),
            ("sms", "+17135550102"),
        ]
    );
    assert_eq!(w.status("ana.b"), OutreachStatus::Sent);
    assert_eq!(
        w.status("cy"),
        OutreachStatus::Approved,
        "nothing could be sent"
    );

    // Planning and sending again sends nothing twice.
    let again = s.plan(monday(16, 0)).unwrap();
    assert_eq!((again.queued, again.already_queued), (0, 3));
    assert_eq!(s.send_due(monday(16, 0)).unwrap().sent, 0);
    assert_eq!(w.sender.calls(), 3);
}

#[test]
fn the_email_carries_unsubscribe_headers_and_a_signed_consent_link() {
    let w = World::new();
    let s = w.service();
    s.approve(&["ana.b"], monday(14, 0)).unwrap();
    s.plan(monday(15, 0)).unwrap();
    s.send_due(monday(15, 0)).unwrap();
    let Recorded::Email(mail, receipt) = &w.sender.sent()[0] else {
        panic!("not an email");
    };
    assert_eq!(
        mail.unsubscribe_url,
        format!("https://crm.example.com/u/{}", mail.outbox_id)
    );
    assert_eq!(
        mail.list_unsubscribe_headers()[1],
        (
            "List-Unsubscribe-Post",
            "List-Unsubscribe=One-Click".to_owned()
        )
    );
    assert!(mail.text.contains("100 Main St"), "{}", mail.text);
    assert!(mail.html.contains("Ana"));
    // The consent link in the email records SMS consent for Ana when followed.
    let link = mail
        .text
        .split_whitespace()
        .find(|w| w.starts_with("https://crm.example.com/c?t="))
        .expect("consent link in the text");
    let token = link.trim_start_matches("https://crm.example.com/c?t=");
    let who = s
        .accept_consent_link(
            token,
            monday(15, 30),
            Some("203.0.113.7"),
            Some("Mobile Safari"),
        )
        .unwrap();
    assert_eq!(who.as_str(), "ana.b");
    let ledger = s.consent("ana.b").unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].ip.as_deref(), Some("203.0.113.7"));
    assert_eq!(ledger[0].text_version.as_deref(), Some("sms-consent-1"));
    // A forged token records nothing.
    let forged = format!("{token}x");
    let err = s
        .accept_consent_link(&forged, monday(15, 30), None, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Consent);
    assert_eq!(s.consent("ana.b").unwrap().len(), 1);

    // With consent, the next plan texts her; the history shows both, newest first.
    s.plan(monday(16, 0)).unwrap();
    s.send_due(monday(16, 0)).unwrap();
    let history = s.history("ana.b").unwrap();
    let h: Vec<_> = history
        .iter()
        .map(|e| (e.channel.as_str(), e.status))
        .collect();
    assert_eq!(
        h,
        [("sms", OutboxStatus::Sent), ("email", OutboxStatus::Sent)]
    );
    assert_eq!(
        history[1].provider_message_id.as_deref(),
        Some(receipt.provider_message_id.as_str())
    );
    let events: Vec<_> = history[1].log.iter().map(|l| l.event.as_str()).collect();
    assert_eq!(events, ["queued", "sending", "sent"]);
}

#[test]
fn sms_waits_for_the_allowed_hours_of_the_recipients_state() {
    let w = World::new();
    let s = w.service();
    s.approve(&["bo"], monday(0, 0)).unwrap();
    s.record_consent("bo", Channel::Sms, ConsentAction::OptIn, monday(0, 0))
        .unwrap();
    // 13:30 UTC is 08:30 in Houston: before Texas' 09:00.
    let planned = s.plan(monday(13, 30)).unwrap();
    let sms = planned
        .plan
        .messages
        .iter()
        .find(|m| m.channel == Channel::Sms)
        .unwrap();
    assert_eq!(sms.not_before, monday(14, 0));
    let out = s.send_due(monday(13, 30)).unwrap();
    assert_eq!(
        (out.sent, out.deferred),
        (1, 0),
        "the email goes, the SMS is not due"
    );
    assert_eq!(w.sent().len(), 1);
    let out = s.send_due(monday(14, 0)).unwrap();
    assert_eq!(out.sent, 1);
    assert_eq!(w.sent()[1].0, "sms");
}

#[test]
fn a_queued_sms_is_deferred_when_its_time_falls_in_quiet_hours_again() {
    let w = World::new();
    let s = w.service();
    s.approve(&["bo"], monday(0, 0)).unwrap();
    s.record_consent("bo", Channel::Sms, ConsentAction::OptIn, monday(0, 0))
        .unwrap();
    s.plan(monday(15, 0)).unwrap();
    // The sender was down until 02:30 UTC Tuesday: 21:30 in Houston.
    let late = monday(15, 0) + Duration::hours(11) + Duration::minutes(30);
    let out = s.send_due(late).unwrap();
    assert_eq!((out.sent, out.deferred), (1, 1));
    let history = s.history("bo").unwrap();
    let sms = history.iter().find(|e| e.channel == Channel::Sms).unwrap();
    assert_eq!(sms.status, OutboxStatus::Queued);
    // 09:00 Tuesday in Houston.
    assert_eq!(
        sms.not_before,
        Utc.with_ymd_and_hms(2026, 6, 2, 14, 0, 0).unwrap()
    );
}

fn event(id: &str, outbox_id: &str, kind: DeliveryEventKind) -> DeliveryEvent {
    DeliveryEvent {
        provider: Provider::Mailgun,
        event_id: id.into(),
        outbox_id: Some(outbox_id.into()),
        provider_message_id: None,
        kind,
        occurred_at: Some(monday(15, 5)),
        code: None,
    }
}

#[test]
fn delivery_events_apply_once_and_an_unsubscribe_stops_the_channel() {
    let w = World::new();
    let s = w.service();
    s.approve(&["ana.b", "dee"], monday(14, 0)).unwrap();
    s.plan(monday(15, 0)).unwrap();
    s.send_due(monday(15, 0)).unwrap();
    let ana = w.sent()[0].2.clone();

    let delivered = event("ev-1", &ana, DeliveryEventKind::Delivered);
    assert_eq!(
        s.apply_delivery(&delivered, monday(15, 6)).unwrap(),
        DeliveryOutcome::Applied
    );
    assert_eq!(
        s.apply_delivery(&delivered, monday(15, 7)).unwrap(),
        DeliveryOutcome::Duplicate
    );
    let unknown = event("ev-9", "ob_nope", DeliveryEventKind::Delivered);
    assert_eq!(
        s.apply_delivery(&unknown, monday(15, 7)).unwrap(),
        DeliveryOutcome::UnknownMessage
    );
    let entry = &s.history("ana.b").unwrap()[0];
    assert_eq!(entry.status, OutboxStatus::Delivered);
    assert_eq!(
        entry.log.iter().filter(|l| l.event == "delivered").count(),
        1
    );

    let unsub = event("ev-2", &ana, DeliveryEventKind::Unsubscribed);
    assert_eq!(
        s.apply_delivery(&unsub, monday(15, 8)).unwrap(),
        DeliveryOutcome::Applied
    );
    assert_eq!(w.status("ana.b"), OutreachStatus::Unsubscribed);
    assert_eq!(
        s.consent("ana.b")
            .unwrap()
            .last()
            .map(|e| (e.channel, e.action)),
        Some((Channel::Email, ConsentAction::OptOut))
    );

    // A new campaign does not email her again, even when she is approved again.
    let mut next = config();
    next.campaign.id = "welcome-2026-07".into();
    let crm = Crm::new(w.store.clone(), WS, Actor::staff("staff-1", Role::Member));
    let update = creator_crm::crm::ProfileUpdate {
        outreach_status: Some(OutreachStatus::Approved),
        ..Default::default()
    };
    crm.update_profile("ana.b", &update, monday(16, 0)).unwrap();
    let s2 = OutreachService::new(
        crm,
        w.store.clone(),
        w.sender.clone(),
        w.sender.clone(),
        TemplateSet::with_defaults().unwrap(),
        next,
    );
    let planned = s2.plan(monday(16, 0)).unwrap();
    assert!(
        planned.plan.messages.iter().all(|m| m.creator != "ana.b"),
        "{planned:?}"
    );
}

#[test]
fn stop_in_any_wording_stops_texts_and_queues_one_confirmation() {
    let w = World::new();
    let s = w.service();
    s.approve(&["bo"], monday(14, 0)).unwrap();
    s.record_consent("bo", Channel::Sms, ConsentAction::OptIn, monday(14, 0))
        .unwrap();
    s.plan(monday(15, 0)).unwrap();
    s.send_due(monday(15, 0)).unwrap();
    assert_eq!(w.sent().len(), 2);
    let bo = phone("+17135550102");

    let chat = s
        .inbound_sms(
            &bo,
            "I'll stop by the store tomorrow",
            "SM1",
            monday(15, 10),
        )
        .unwrap();
    assert_eq!((chat.keyword, chat.reply), (None, None));

    let stop = s
        .inbound_sms(&bo, "STOP please!!", "SM2", monday(15, 11))
        .unwrap();
    assert_eq!(stop.keyword, Some(Keyword::OptOut));
    assert_eq!(stop.creators, [Handle::parse("bo").unwrap()]);
    let retried = s
        .inbound_sms(&bo, "STOP please!!", "SM2", monday(15, 12))
        .unwrap();
    assert!(retried.duplicate);
    assert_eq!(w.status("bo"), OutreachStatus::Unsubscribed);

    // The confirmation is due at once and goes out; nothing else does.
    let out = s.send_due(monday(15, 12)).unwrap();
    assert_eq!(out.sent, 1);
    let Recorded::Sms(reply, _) = w.sender.sent().pop().unwrap() else {
        panic!("not an SMS");
    };
    assert!(reply.body.contains("unsubscribed"), "{}", reply.body);
    assert_eq!(reply.to, bo);

    // A queued campaign text is cancelled by the revocation.
    let crm = Crm::new(w.store.clone(), WS, Actor::staff("staff-1", Role::Member));
    let mut again = config();
    again.campaign.id = "second".into();
    let update = creator_crm::crm::ProfileUpdate {
        outreach_status: Some(OutreachStatus::Approved),
        ..Default::default()
    };
    crm.update_profile("bo", &update, monday(16, 0)).unwrap();
    let s2 = OutreachService::new(
        crm,
        w.store.clone(),
        w.sender.clone(),
        w.sender.clone(),
        TemplateSet::with_defaults().unwrap(),
        again,
    );
    let planned = s2.plan(monday(16, 0)).unwrap();
    assert!(
        planned
            .plan
            .messages
            .iter()
            .all(|m| m.channel == Channel::Email)
    );

    // START gives consent back, with its reply.
    let start = s.inbound_sms(&bo, "start", "SM3", monday(17, 0)).unwrap();
    assert_eq!(start.keyword, Some(Keyword::OptIn));
    assert_eq!(
        s.consent("bo").unwrap().last().map(|e| e.action),
        Some(ConsentAction::OptIn)
    );
}

#[test]
fn staff_roles_and_erasure() {
    let w = World::new();
    let viewer = w.service_with(w.store.clone(), Role::Viewer);
    assert_eq!(
        viewer.plan(monday(15, 0)).unwrap_err().kind(),
        ErrorKind::Forbidden
    );
    assert_eq!(
        viewer.send_due(monday(15, 0)).unwrap_err().kind(),
        ErrorKind::Forbidden
    );
    assert!(viewer.history("ana.b").unwrap().is_empty());

    let owner = w.service_with(w.store.clone(), Role::Owner);
    owner.approve(&["ana.b"], monday(14, 0)).unwrap();
    owner
        .record_consent("ana.b", Channel::Sms, ConsentAction::OptIn, monday(14, 0))
        .unwrap();
    owner.plan(monday(15, 0)).unwrap();
    owner.send_due(monday(15, 0)).unwrap();
    assert_eq!(owner.history("ana.b").unwrap().len(), 2);
    owner.erase_creator("ana.b", monday(16, 0)).unwrap();
    let ana = Handle::parse("ana.b").unwrap();
    assert!(w.store.outbox_of(WS, &ana).unwrap().is_empty());
    assert!(w.store.outbox_to(WS, "+14155550101").unwrap().is_empty());
    assert!(w.store.consent(WS, &[ana]).unwrap().is_empty());
}

/// An outreach store whose writes fail from the `fail_at`-th on, as a process that
/// dies at that point would leave it (the writes before it are kept).
struct Crashing {
    inner: Arc<MemoryStore>,
    writes: AtomicUsize,
    fail_at: usize,
}

impl OutreachStore for Crashing {
    fn outbox(&self, ws: &str, ids: &[String]) -> Result<Vec<OutboxEntry>> {
        self.inner.outbox(ws, ids)
    }
    fn outbox_with_status(&self, ws: &str, s: OutboxStatus, n: usize) -> Result<Vec<OutboxEntry>> {
        self.inner.outbox_with_status(ws, s, n)
    }
    fn outbox_of(&self, ws: &str, c: &Handle) -> Result<Vec<OutboxEntry>> {
        self.inner.outbox_of(ws, c)
    }
    fn outbox_to(&self, ws: &str, to: &str) -> Result<Vec<OutboxEntry>> {
        self.inner.outbox_to(ws, to)
    }
    fn consent(&self, ws: &str, c: &[Handle]) -> Result<Vec<creator_crm::outbox::ConsentEntry>> {
        self.inner.consent(ws, c)
    }
    fn events_seen(&self, ws: &str, keys: &[String]) -> Result<Vec<String>> {
        self.inner.events_seen(ws, keys)
    }
    fn apply_outreach(&self, ws: &str, changes: &[OutreachChange]) -> Result<()> {
        if self.writes.fetch_add(1, Ordering::SeqCst) >= self.fail_at {
            return Err(Error::new(ErrorKind::Storage, "process died"));
        }
        self.inner.apply_outreach(ws, changes)
    }
}

/// A sender that takes the `crash_at`-th message and then "dies" before answering (an
/// error that is not a messaging error), and refuses the `refuse_at`-th.
struct Flaky {
    recorder: RecordingSender,
    calls: Mutex<usize>,
    crash_at: usize,
    refuse_at: usize,
}

impl Flaky {
    fn call(
        &self,
        send: impl FnOnce(&RecordingSender) -> Result<SendReceipt>,
    ) -> Result<SendReceipt> {
        let n = {
            let mut calls = self.calls.lock().unwrap();
            *calls += 1;
            *calls
        };
        if n == self.refuse_at {
            return Err(Error::new(ErrorKind::Messaging, "provider unavailable"));
        }
        let receipt = send(&self.recorder)?;
        if n == self.crash_at {
            return Err(Error::new(ErrorKind::Storage, "connection reset"));
        }
        Ok(receipt)
    }
}

impl EmailSender for Flaky {
    fn send_email(&self, m: &OutboundEmail) -> Result<SendReceipt> {
        self.call(|r| r.send_email(m))
    }
}

impl SmsSender for Flaky {
    fn send_sms(&self, m: &OutboundSms) -> Result<SendReceipt> {
        self.call(|r| r.send_sms(m))
    }
}

/// Crashes at every write of a full approve → plan → send run, and in the sender at
/// every call: after a restart (recover, then send again) no message is sent twice and
/// none is lost — each planned message is sent or visibly `unknown`.
#[test]
fn a_crash_at_any_outbox_step_loses_nothing_and_sends_nothing_twice() {
    // From a crash at the first write to past the last one.
    let mut fail_at = 0;
    loop {
        let mut crashed = false;
        for (crash_at, refuse_at) in [(0, 0), (1, 0), (2, 3), (3, 1)] {
            let w = World::new();
            let sender = Arc::new(Flaky {
                recorder: RecordingSender::new(),
                calls: Mutex::new(0),
                crash_at,
                refuse_at,
            });
            let crashing = Arc::new(Crashing {
                inner: w.store.clone(),
                writes: AtomicUsize::new(0),
                fail_at,
            });
            let service = |outreach: Arc<dyn OutreachStore>| {
                let crm = Crm::new(w.store.clone(), WS, Actor::staff("staff-1", Role::Member));
                OutreachService::new(
                    crm,
                    outreach,
                    sender.clone(),
                    sender.clone(),
                    TemplateSet::with_defaults().unwrap(),
                    config(),
                )
            };
            let first = service(crashing.clone());
            first
                .approve(&["ana.b", "bo", "dee"], monday(14, 0))
                .unwrap();
            first
                .record_consent("bo", Channel::Sms, ConsentAction::OptIn, monday(14, 0))
                .unwrap_or(());
            // The first process stops at the crash point (or at a lost answer from the
            // sender); what counts is whether the store's crash point was reached.
            let _stopped = first
                .plan(monday(15, 0))
                .and_then(|_| first.send_due(monday(15, 0)));
            crashed |= crashing.writes.load(Ordering::SeqCst) > fail_at;

            // The restarted process: recover, plan again, send what is due (retries
            // included, a few minutes later).
            let second = service(w.store.clone());
            second.recover(monday(15, 30)).unwrap();
            second
                .record_consent("bo", Channel::Sms, ConsentAction::OptIn, monday(15, 30))
                .unwrap();
            second.plan(monday(15, 30)).unwrap();
            // A lost answer from the sender stops a run with its error; the caller
            // runs again.
            for at in [monday(15, 30), monday(15, 31), monday(16, 30)] {
                let _ = second.send_due(at);
            }
            assert!(second.send_due(monday(16, 30)).is_ok());

            let mut ids: Vec<String> = sender
                .recorder
                .sent()
                .into_iter()
                .map(|r| match r {
                    Recorded::Email(m, _) => m.outbox_id,
                    Recorded::Sms(m, _) => m.outbox_id,
                })
                .collect();
            let total = ids.len();
            ids.sort();
            ids.dedup();
            let case = format!("fail_at={fail_at} crash_at={crash_at} refuse_at={refuse_at}");
            assert_eq!(ids.len(), total, "sent twice: {case}");
            let planned = second.plan(monday(16, 30)).unwrap();
            assert_eq!(planned.already_queued, 4, "{case}");
            for m in &planned.plan.messages {
                let e = &w
                    .store
                    .outbox(WS, std::slice::from_ref(&m.idempotency_key))
                    .unwrap()[0];
                let sent = ids.contains(&e.id);
                match e.status {
                    OutboxStatus::Sent => assert!(sent, "sent but not by the sender: {case}"),
                    OutboxStatus::Unknown => {}
                    other => panic!("{} left {other:?}: {case}", e.id),
                }
            }
        }
        if !crashed {
            break;
        }
        fail_at += 1;
        assert!(fail_at < 100, "a run never ends without a crash");
    }
    assert!(
        fail_at >= 9,
        "a full run writes at least 9 times, crashed up to {fail_at}"
    );
}

fn run_case(name: &str) {
    let case = conformance::cases()
        .into_iter()
        .find(|c| c.name == name)
        .expect("no such case");
    let store: Arc<dyn OutreachStore> = Arc::new(MemoryStore::new());
    assert_eq!((case.run)(store), Ok(()), "{name}");
}

#[test]
fn memory_store_passes_the_outreach_conformance_suite() {
    for case in conformance::cases() {
        run_case(case.name);
    }
    assert_eq!(conformance::cases().len(), 6);
}

#[test]
fn a_signed_twilio_status_callback_is_applied_once_and_a_forged_one_never() {
    let w = World::new();
    let s = w.service();
    s.approve(&["bo"], monday(14, 0)).unwrap();
    s.record_consent("bo", Channel::Sms, ConsentAction::OptIn, monday(14, 0))
        .unwrap();
    s.plan(monday(15, 0)).unwrap();
    s.send_due(monday(15, 0)).unwrap();
    let Some((sms, receipt)) = w.sender.sent().into_iter().find_map(|r| match r {
        Recorded::Sms(m, r) => Some((m, r)),
        Recorded::Email(..) => None,
    }) else {
        panic!("no SMS sent");
    };
    let url = sms.status_callback_url("https://crm.example.com/twilio/status");
    let params = [
        ("MessageSid", receipt.provider_message_id.clone()),
        ("MessageStatus", "delivered".to_owned()),
        ("To", sms.to.as_str().to_owned()),
    ];
    let token = "twilio-auth-token";
    let signature = creator_crm::outreach::twilio_signature(token, &url, &params);
    let now = monday(15, 1);
    let applied = s.apply_twilio_status(token, &url, &params, &signature, now);
    assert_eq!(applied.unwrap(), Some(DeliveryOutcome::Applied));
    let again = s.apply_twilio_status(token, &url, &params, &signature, now);
    assert_eq!(again.unwrap(), Some(DeliveryOutcome::Duplicate));
    let err = s
        .apply_twilio_status("another-token", &url, &params, &signature, now)
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Webhook, Some("signature"))
    );
    let entry = w
        .store
        .outbox(WS, std::slice::from_ref(&sms.outbox_id))
        .unwrap()
        .remove(0);
    assert_eq!(entry.status, OutboxStatus::Delivered);
    let events: Vec<_> = entry.log.iter().map(|l| l.event.as_str()).collect();
    assert_eq!(events, ["queued", "sending", "sent", "delivered"]);
}
