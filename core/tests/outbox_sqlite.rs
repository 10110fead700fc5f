//! The outreach store suite against `SqliteStore` (in memory and on a file), and the
//! outreach service on a database file that is closed and opened again between steps.
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use creator_crm::{
    crm::{Actor, Crm, Role},
    import::SourceKind,
    merge::SourceFile,
    messaging::{Recorded, RecordingSender},
    outbox::{
        ConsentAction, OutboxStatus, OutreachConfig, OutreachService, OutreachStore, conformance,
    },
    outreach::{Channel, TemplateSet},
    store::SqliteStore,
};

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("crm-outbox-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn sqlite_store_passes_the_outreach_conformance_suite() {
    let dir = tempdir("conformance");
    for case in conformance::cases() {
        let store: Arc<dyn OutreachStore> = Arc::new(SqliteStore::open_in_memory().unwrap());
        assert_eq!((case.run)(store), Ok(()), "{} (in memory)", case.name);
        let path = dir.join(format!("{}.db", case.name));
        let store: Arc<dyn OutreachStore> = Arc::new(SqliteStore::open(path).unwrap());
        assert_eq!((case.run)(store), Ok(()), "{} (file)", case.name);
    }
    let _ = std::fs::remove_dir_all(dir);
}

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, hour, 0, 0).unwrap()
}

fn service(path: &std::path::Path, sender: &Arc<RecordingSender>) -> OutreachService {
    let store = Arc::new(SqliteStore::open(path).unwrap());
    let crm = Crm::new(store.clone(), "acme", Actor::staff("staff-1", Role::Admin));
    let mut config = OutreachConfig::welcome("welcome-2026-06", "Acme Beauty");
    config.postal_address = "Acme Beauty, 100 Main St, Austin, TX 78701".into();
    config.unsubscribe_base_url = "https://crm.example.com/u/".into();
    OutreachService::new(
        crm,
        store,
        sender.clone(),
        sender.clone(),
        TemplateSet::with_defaults().unwrap(),
        config,
    )
}

#[test]
fn the_outbox_and_consent_survive_reopening_the_database() {
    let dir = tempdir("reopen");
    let path = dir.join("crm.db");
    let sender = Arc::new(RecordingSender::new());
    {
        let store = Arc::new(SqliteStore::open(&path).unwrap());
        let crm = Crm::new(store, "acme", Actor::staff("owner-1", Role::Owner));
        let euka =
            "handle,email,phone,recipient,state\nbo,bo@mailbox.org,+17135550102,Bo Chan,TX\n";
        crm.import_exports(
            vec![(
                SourceFile::new(SourceKind::Euka, "euka.csv"),
                euka.as_bytes(),
            )],
            at(9),
        )
        .unwrap();
    }
    {
        let s = service(&path, &sender);
        s.approve(&["bo"], at(14)).unwrap();
        s.record_consent("bo", Channel::Sms, ConsentAction::OptIn, at(14))
            .unwrap();
        assert_eq!(s.plan(at(15)).unwrap().queued, 2);
    }
    let s = service(&path, &sender);
    assert_eq!(s.send_due(at(15)).unwrap().sent, 2);
    let s = service(&path, &sender);
    assert_eq!(s.plan(at(16)).unwrap().already_queued, 2);
    assert_eq!(s.send_due(at(16)).unwrap().sent, 0);
    let history = s.history("bo").unwrap();
    assert!(history.iter().all(|e| e.status == OutboxStatus::Sent));
    let stop = s
        .inbound_sms(&"+17135550102".parse().unwrap(), "STOP", "SM1", at(17))
        .unwrap();
    assert!(stop.reply.is_some());
    let s = service(&path, &sender);
    assert_eq!(s.send_due(at(17)).unwrap().sent, 1);
    let actions: Vec<_> = s.consent("bo").unwrap().iter().map(|e| e.action).collect();
    assert_eq!(actions, [ConsentAction::OptIn, ConsentAction::OptOut]);
    let sms = sender
        .sent()
        .into_iter()
        .filter(|r| matches!(r, Recorded::Sms(..)))
        .count();
    assert_eq!(sms, 2, "the welcome text and the one confirmation");
    let _ = std::fs::remove_dir_all(dir);
}
