//! The store conformance suite against `MemoryStore`, one test per case so that a
//! failure names its case.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use creator_crm::store::{MemoryStore, Store, conformance};

fn run_case(name: &str) {
    let case = conformance::cases()
        .into_iter()
        .find(|c| c.name == name)
        .expect("no such case");
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    assert_eq!((case.run)(store), Ok(()), "{name}");
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() { run_case(stringify!($name)); })*

        #[test]
        fn every_case_has_a_test() {
            let mut named = vec![$(stringify!($name)),*];
            named.sort_unstable();
            let mut all: Vec<_> = conformance::cases().iter().map(|c| c.name).collect();
            all.sort_unstable();
            assert_eq!(named, all);
        }
    };
}

cases!(
    creators_round_trip_with_versions,
    stale_versions_conflict_and_change_nothing,
    emails_and_record_keys_find_their_creators,
    filters_and_sorts,
    paging_is_stable_under_inserts,
    workspaces_see_nothing_of_each_other,
    erasure_leaves_nothing_and_survives_reimport,
    manual_edits_survive_reimport,
    importing_in_parts_equals_merging_at_once,
    supporters_and_cooldowns,
    roles_are_enforced,
    an_import_between_another_ones_reads_and_write_is_kept,
);

/// What a store keeps survives JSON (the form host stores and the SQLite store hold it
/// in) unchanged, validated on the way back.
#[test]
fn stored_records_round_trip_through_json() {
    use chrono::TimeZone;
    use creator_crm::{
        crm::{Actor, Crm, Role},
        import::SourceKind,
        merge::SourceFile,
        store::{Change, ChangeSet, CreatorQuery},
    };
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let crm = Crm::new(store.clone(), "w", Actor::staff("t", Role::Owner));
    let now = chrono::Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let euka = "handle,email,phone,recipient,address\n\
                @Ana.B,ana@mailbox.org,(+1)832*****59,José Martínez,\"12 Main St, Austin, TX 78701\"\n";
    let videos = "handle,video_id,gmv,ctr\nana.b,71,$300.50,1.5%\n";
    crm.import_exports(
        vec![
            (
                SourceFile::new(SourceKind::Euka, "euka.csv").brand("Glow"),
                euka.as_bytes(),
            ),
            (
                SourceFile::new(SourceKind::Videos, "videos.csv"),
                videos.as_bytes(),
            ),
        ],
        now,
    )
    .unwrap();
    crm.erase_creator("nobody.here", now).unwrap();
    let page = store.list_creators("w", &CreatorQuery::default()).unwrap();
    let json = serde_json::to_string(&page).unwrap();
    assert_eq!(
        serde_json::from_str::<creator_crm::store::CreatorPage>(&json).unwrap(),
        page
    );
    let ana = &page.items[0];
    assert!(ana.creator.phone_masked.is_some() && ana.evidence.values.len() >= 3);
    let related = store
        .related("w", std::slice::from_ref(&ana.creator.handle))
        .unwrap();
    let json = serde_json::to_string(&related).unwrap();
    assert_eq!(
        serde_json::from_str::<creator_crm::merge::RelatedRecords>(&json).unwrap(),
        related
    );
    let mut set = ChangeSet::new();
    set.push(Change::Suppress {
        hashes: store.suppression("w").unwrap(),
    });
    set.push(Change::PutCreator {
        creator: Box::new(ana.clone()),
        expected: ana.version,
    });
    let json = serde_json::to_value(&set).unwrap();
    assert_eq!(json["changes"][0]["change"], "suppress");
    assert_eq!(json["changes"][0]["hashes"][0].as_str().unwrap().len(), 64);
    assert_eq!(
        json["changes"][1]["creator"]["evidence"]["values"][0]["field"],
        "email"
    );
    assert_eq!(serde_json::from_value::<ChangeSet>(json).unwrap(), set);
    // A tampered value is refused, not stored.
    let bad = serde_json::to_string(ana)
        .unwrap()
        .replace("ana@mailbox.org", "ana@@mailbox");
    assert!(serde_json::from_str::<creator_crm::store::StoredCreator>(&bad).is_err());
}

/// The row every binding hands hosts: the creator table's columns, then the profile,
/// brands and version.
#[test]
fn the_row_a_host_gets_is_the_creator_table_row_with_profile() {
    use creator_crm::{
        crm::{Actor, Crm, Role},
        import::SourceKind,
        merge::{Creator, SourceFile},
        table::Row,
    };
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let crm = Crm::new(store, "w", Actor::staff("t", Role::Owner));
    let now = chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap();
    let euka = "handle,email\n@Ana.B,ana@mailbox.org\n";
    crm.import_exports(
        vec![(
            SourceFile::new(SourceKind::Euka, "euka.csv").brand("Glow"),
            euka.as_bytes(),
        )],
        now,
    )
    .unwrap();
    let row = crm.get_creator("ana.b").unwrap().unwrap().to_row_json();
    let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
    let mut want: Vec<&str> = Creator::COLUMNS.iter().map(|c| c.name).collect();
    want.extend(["profile", "brands", "version"]);
    let mut sorted_want = want.clone();
    sorted_want.sort_unstable();
    assert_eq!(keys, sorted_want);
    assert_eq!(row["tiktok_username"], "ana.b");
    assert_eq!(row["email"], "ana@mailbox.org");
    assert_eq!(row["brands"], serde_json::json!(["Glow"]));
    assert_eq!(row["version"], 1);
    assert_eq!(
        row["profile"],
        serde_json::json!({"badge": null, "tier": null, "whitelisted": false, "tags": [],
                           "notes": "", "outreach_status": "pending"})
    );
}
