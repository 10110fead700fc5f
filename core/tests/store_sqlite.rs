//! The store conformance suite against `SqliteStore`, in memory and on a file, one test
//! per case so that a failure names its case.
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use creator_crm::store::{SqliteStore, Store, conformance};

fn run_case(name: &str) {
    let case = conformance::cases()
        .into_iter()
        .find(|c| c.name == name)
        .expect("no such case");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().unwrap());
    assert_eq!((case.run)(store), Ok(()), "{name} (in memory)");
    let dir = tempdir(name);
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.join("crm.db")).unwrap());
    assert_eq!((case.run)(store), Ok(()), "{name} (file)");
    let _ = std::fs::remove_dir_all(dir);
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("crm-sqlite-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
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
