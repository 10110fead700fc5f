//! The suite every [`OutreachStore`] passes, as [`crate::store::conformance`] is for
//! [`crate::store::Store`]: versions, all-or-nothing writes, events applied once,
//! workspaces apart, erasure leaving nothing.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::{
    ConsentAction, ConsentEntry, ConsentSource, MessageKind, OutboxEntry, OutboxStatus,
    OutreachChange, OutreachStore,
};
use crate::{identity::Handle, outreach::Channel, store::Version};

/// The outcome of one case: `Err` says what was wrong.
pub type CaseResult = std::result::Result<(), String>;

/// One case of the suite.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// Its name.
    pub name: &'static str,
    /// Runs it against an empty store.
    pub run: fn(Arc<dyn OutreachStore>) -> CaseResult,
}

/// Every case, in a stable order.
pub fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "outbox_round_trip_with_versions",
            run: outbox_round_trip_with_versions,
        },
        Case {
            name: "a_conflict_changes_nothing",
            run: a_conflict_changes_nothing,
        },
        Case {
            name: "events_are_marked_once",
            run: events_are_marked_once,
        },
        Case {
            name: "statuses_list_in_due_order",
            run: statuses_list_in_due_order,
        },
        Case {
            name: "workspaces_see_nothing_of_each_other",
            run: workspaces_see_nothing_of_each_other,
        },
        Case {
            name: "forgetting_a_creator_leaves_nothing",
            run: forgetting_a_creator_leaves_nothing,
        },
    ]
}

/// Runs every case, each on a fresh store from `make`.
pub fn run(make: impl Fn() -> Arc<dyn OutreachStore>) -> Vec<(&'static str, CaseResult)> {
    cases()
        .into_iter()
        .map(|case| (case.name, (case.run)(make())))
        .collect()
}

const WS: &str = "conformance";

fn ensure(cond: bool, what: impl FnOnce() -> String) -> CaseResult {
    if cond { Ok(()) } else { Err(what()) }
}

fn fail(e: crate::Error) -> String {
    format!("store error: {e}")
}

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::minutes(minutes)
}

fn handle(h: &str) -> Handle {
    Handle::from_normalized(h)
}

fn entry(id: &str, creator: &str, due: i64) -> OutboxEntry {
    let mut e = OutboxEntry {
        id: id.to_owned(),
        creator: handle(creator),
        channel: Channel::Email,
        kind: MessageKind::Campaign,
        template: "welcome".to_owned(),
        campaign: "welcome-1".to_owned(),
        to: format!("{creator}@mailbox.org"),
        body: None,
        not_before: at(due),
        status: OutboxStatus::Queued,
        attempts: 0,
        provider_message_id: None,
        log: Vec::new(),
        version: Version::ABSENT,
    };
    e.mark(at(0), OutboxStatus::Queued, "queued", String::new());
    e
}

fn put(e: &OutboxEntry, expected: Version) -> OutreachChange {
    OutreachChange::PutOutbox {
        entry: Box::new(e.clone()),
        expected,
    }
}

fn consent(creator: &str, action: ConsentAction) -> OutreachChange {
    OutreachChange::RecordConsent {
        entry: ConsentEntry {
            creator: handle(creator),
            channel: Channel::Sms,
            action,
            at: at(1),
            source: ConsentSource::Staff,
            text_version: None,
            ip: None,
            user_agent: None,
        },
    }
}

fn ids(entries: &[OutboxEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.id.as_str()).collect()
}

fn outbox_round_trip_with_versions(store: Arc<dyn OutreachStore>) -> CaseResult {
    let a = entry("ob_a", "ana", 0);
    store
        .apply_outreach(WS, &[put(&a, Version::ABSENT)])
        .map_err(fail)?;
    let read = store
        .outbox(WS, &["ob_a".into(), "ob_zz".into()])
        .map_err(fail)?;
    let expected = OutboxEntry {
        version: Version(1),
        ..a.clone()
    };
    ensure(read == vec![expected.clone()], || {
        format!("read back {read:?}")
    })?;
    let mut sent = expected;
    sent.mark(at(2), OutboxStatus::Sent, "sent", "msg-1".into());
    sent.provider_message_id = Some("msg-1".into());
    store
        .apply_outreach(WS, &[put(&sent, Version(1))])
        .map_err(fail)?;
    let read = store.outbox(WS, &["ob_a".into()]).map_err(fail)?;
    ensure(
        read.first().map(|e| (e.status, e.version, e.log.len()))
            == Some((OutboxStatus::Sent, Version(2), 2)),
        || format!("after update {read:?}"),
    )?;
    let to = store.outbox_to(WS, "ana@mailbox.org").map_err(fail)?;
    let of = store.outbox_of(WS, &handle("ana")).map_err(fail)?;
    ensure(ids(&to) == ["ob_a"] && ids(&of) == ["ob_a"], || {
        format!("by address {:?}, by creator {:?}", ids(&to), ids(&of))
    })
}

fn a_conflict_changes_nothing(store: Arc<dyn OutreachStore>) -> CaseResult {
    let a = entry("ob_a", "ana", 0);
    store
        .apply_outreach(WS, &[put(&a, Version::ABSENT)])
        .map_err(fail)?;
    let b = entry("ob_b", "bo", 0);
    let changes = [
        put(&b, Version::ABSENT),
        consent("bo", ConsentAction::OptIn),
        OutreachChange::MarkEvent { key: "e1".into() },
        put(&a, Version::ABSENT), // stale: ob_a exists
    ];
    let e = store
        .apply_outreach(WS, &changes)
        .err()
        .ok_or("a stale version was applied")?;
    ensure(e.kind() == crate::ErrorKind::Conflict, || {
        format!("stale version gave {:?}", e.kind())
    })?;
    let b_read = store.outbox(WS, &["ob_b".into()]).map_err(fail)?;
    let ledger = store.consent(WS, &[handle("bo")]).map_err(fail)?;
    let seen = store.events_seen(WS, &["e1".into()]).map_err(fail)?;
    ensure(
        b_read.is_empty() && ledger.is_empty() && seen.is_empty(),
        || format!("a failed write left {b_read:?} {ledger:?} {seen:?}"),
    )
}

fn events_are_marked_once(store: Arc<dyn OutreachStore>) -> CaseResult {
    let mark = [OutreachChange::MarkEvent {
        key: "mailgun:1".into(),
    }];
    store.apply_outreach(WS, &mark).map_err(fail)?;
    let again = store.apply_outreach(WS, &mark);
    ensure(
        again
            .as_ref()
            .is_err_and(|e| e.kind() == crate::ErrorKind::Conflict),
        || format!("marking twice gave {again:?}"),
    )?;
    let twice = [
        OutreachChange::MarkEvent {
            key: "mailgun:2".into(),
        },
        OutreachChange::MarkEvent {
            key: "mailgun:2".into(),
        },
    ];
    ensure(store.apply_outreach(WS, &twice).is_err(), || {
        "one key twice in a write was taken".into()
    })?;
    let seen = store
        .events_seen(WS, &["mailgun:1".into(), "mailgun:2".into()])
        .map_err(fail)?;
    ensure(seen == ["mailgun:1"], || format!("seen {seen:?}"))
}

fn statuses_list_in_due_order(store: Arc<dyn OutreachStore>) -> CaseResult {
    let changes: Vec<OutreachChange> = [("ob_c", 5), ("ob_a", 10), ("ob_b", 5), ("ob_d", -3)]
        .iter()
        .map(|(id, due)| put(&entry(id, "ana", *due), Version::ABSENT))
        .collect();
    store.apply_outreach(WS, &changes).map_err(fail)?;
    let queued = store
        .outbox_with_status(WS, OutboxStatus::Queued, 3)
        .map_err(fail)?;
    ensure(ids(&queued) == ["ob_d", "ob_b", "ob_c"], || {
        format!("queued in order {:?}", ids(&queued))
    })?;
    let sending = store
        .outbox_with_status(WS, OutboxStatus::Sending, 10)
        .map_err(fail)?;
    ensure(sending.is_empty(), || {
        format!("sending {:?}", ids(&sending))
    })
}

fn workspaces_see_nothing_of_each_other(store: Arc<dyn OutreachStore>) -> CaseResult {
    let a = entry("ob_a", "ana", 0);
    store
        .apply_outreach(
            "brand-a",
            &[
                put(&a, Version::ABSENT),
                consent("ana", ConsentAction::OptIn),
                OutreachChange::MarkEvent { key: "e".into() },
            ],
        )
        .map_err(fail)?;
    let b = "brand-b";
    let leaks = [
        store.outbox(b, &["ob_a".into()]).map_err(fail)?.len(),
        store
            .outbox_with_status(b, OutboxStatus::Queued, 10)
            .map_err(fail)?
            .len(),
        store.outbox_of(b, &handle("ana")).map_err(fail)?.len(),
        store.outbox_to(b, "ana@mailbox.org").map_err(fail)?.len(),
        store.consent(b, &[handle("ana")]).map_err(fail)?.len(),
        store.events_seen(b, &["e".into()]).map_err(fail)?.len(),
    ];
    ensure(leaks == [0; 6], || format!("brand-b read {leaks:?}"))?;
    // The same id in another workspace is another row.
    store
        .apply_outreach(b, &[put(&a, Version::ABSENT)])
        .map_err(fail)
}

fn forgetting_a_creator_leaves_nothing(store: Arc<dyn OutreachStore>) -> CaseResult {
    store
        .apply_outreach(
            WS,
            &[
                put(&entry("ob_a", "ana", 0), Version::ABSENT),
                put(&entry("ob_b", "bo", 0), Version::ABSENT),
                consent("ana", ConsentAction::OptIn),
                consent("ana", ConsentAction::OptOut),
                consent("bo", ConsentAction::OptIn),
            ],
        )
        .map_err(fail)?;
    store
        .apply_outreach(
            WS,
            &[OutreachChange::ForgetCreator {
                creator: handle("ana"),
            }],
        )
        .map_err(fail)?;
    let left = [
        store.outbox_of(WS, &handle("ana")).map_err(fail)?.len(),
        store.outbox_to(WS, "ana@mailbox.org").map_err(fail)?.len(),
        store.consent(WS, &[handle("ana")]).map_err(fail)?.len(),
    ];
    ensure(left == [0; 3], || format!("left of ana: {left:?}"))?;
    let bo = (
        store.outbox_of(WS, &handle("bo")).map_err(fail)?.len(),
        store.consent(WS, &[handle("bo")]).map_err(fail)?.len(),
    );
    ensure(bo == (1, 1), || format!("bo lost records: {bo:?}"))?;
    // Recreating an erased creator's entry starts from nothing.
    store
        .apply_outreach(WS, &[put(&entry("ob_a", "ana", 0), Version::ABSENT)])
        .map_err(fail)
}
