//! A process killed in the middle of an import into a `SqliteStore` file leaves the
//! database as it was before that import or as it is after it, never in between.
//!
//! The test re-invokes its own binary as the child (`CRM_CRASH_CHILD` names the
//! database): the child imports a large generated export set into a database holding
//! an earlier import, and the parent kills it (SIGKILL) at a random moment, many times
//! with a fixed seed. Each time, the reopened database passes `PRAGMA integrity_check`
//! and holds exactly the state before the import or the state after it. A second case
//! (`CRM_CRASH_FRESH` set for the child) kills a first import into an empty database,
//! the bulk path that builds indexes after its rows.
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    collections::hash_map::DefaultHasher,
    hash::{Hash, Hasher},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::{DateTime, TimeZone, Utc};
use creator_crm::{
    crm::{Actor, Crm, Role},
    import::SourceKind,
    merge::SourceFile,
    store::{CreatorQuery, SqliteStore, Store},
};
use creator_crm_datagen::{Config, Rng, generate_in_memory};

const CHILD_ENV: &str = "CRM_CRASH_CHILD";
const FRESH_ENV: &str = "CRM_CRASH_FRESH";
const WORKSPACE: &str = "brand";
const ITERATIONS: usize = 20;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

/// The generated exports of `seed`, about `rows` source rows, each file shuffled.
fn exports(rows: usize, seed: u64) -> Vec<(SourceFile, Vec<u8>)> {
    let data = generate_in_memory(&Config::for_rows(rows, seed))
        .unwrap()
        .interleaved(seed);
    data.files
        .into_iter()
        .map(|(kind, name, bytes)| {
            let kind: SourceKind = kind.parse().unwrap();
            (SourceFile::new(kind, name), bytes)
        })
        .collect()
}

fn import(store: Arc<dyn Store>, rows: usize, seed: u64) {
    let crm = Crm::new(store, WORKSPACE, Actor::staff("importer", Role::Admin));
    let files = exports(rows, seed)
        .into_iter()
        .map(|(f, b)| (f, std::io::Cursor::new(b)))
        .collect();
    crm.import_exports(files, now()).unwrap();
}

/// The first import, already in the database when the child starts.
fn base_import(store: Arc<dyn Store>) {
    import(store, 3_000, 7);
}

/// The import the child is killed in: new creators, and rows for creators of the
/// first import; into an empty database (`fresh`), one of well over 1,000 creators.
fn crash_import(store: Arc<dyn Store>, fresh: bool) {
    if fresh {
        import(store, 12_000, 7_007);
    } else {
        import(store, 6_000, 7_007);
    }
}

/// Everything the store holds for the workspace, hashed.
fn fingerprint(store: &dyn Store) -> (usize, u64) {
    let mut h = DefaultHasher::new();
    let mut query = CreatorQuery {
        limit: 1_000,
        ..CreatorQuery::default()
    };
    let mut handles = Vec::new();
    loop {
        let page = store.list_creators(WORKSPACE, &query).unwrap();
        for c in &page.items {
            serde_json::to_string(c).unwrap().hash(&mut h);
            handles.push(c.creator.handle.clone());
        }
        match page.next_cursor {
            Some(c) => query.cursor = Some(c),
            None => break,
        }
    }
    serde_json::to_string(&store.related(WORKSPACE, &handles).unwrap())
        .unwrap()
        .hash(&mut h);
    store.suppression(WORKSPACE).unwrap().hash(&mut h);
    serde_json::to_string(&store.activity(WORKSPACE, usize::MAX).unwrap())
        .unwrap()
        .hash(&mut h);
    (handles.len(), h.finish())
}

fn integrity(path: &Path) -> String {
    SqliteStore::open(path).unwrap().integrity_check().unwrap()
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// The child: imports into the database it is given, then says so.
#[test]
fn crash_child_entry() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(PathBuf::from(path)).unwrap());
    println!("started");
    crash_import(store, std::env::var_os(FRESH_ENV).is_some());
    println!("imported");
}

#[test]
fn a_killed_import_leaves_the_state_before_or_after_it() {
    killed_import(false);
}

#[test]
fn a_killed_first_import_into_an_empty_database_leaves_it_empty_or_complete() {
    killed_import(true);
}

fn killed_import(fresh: bool) {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let dir = std::env::temp_dir().join(format!(
        "crm-crash-{}-{}",
        std::process::id(),
        if fresh { "fresh" } else { "base" }
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    // The database before the import: written once, copied for every run.
    let base = dir.join("base.db");
    {
        let store = Arc::new(SqliteStore::open(&base).unwrap());
        if !fresh {
            base_import(store.clone());
        }
    }
    let before = fingerprint(&SqliteStore::open(&base).unwrap());
    // Reopening checkpointed the WAL into the file, so the file alone is the database.
    let work = dir.join("work.db");
    std::fs::copy(&base, &work).unwrap();
    let started = Instant::now();
    {
        let store = Arc::new(SqliteStore::open(&work).unwrap());
        crash_import(store, fresh);
    }
    let import_time = started.elapsed();
    let after = fingerprint(&SqliteStore::open(&work).unwrap());
    assert!(after.0 > before.0, "the import adds creators");
    assert_ne!(before, after);

    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng::new(14);
    let (mut saw_before, mut saw_after) = (0, 0);
    // Kill points spread over the child's whole run (start-up, import, commit).
    let window = import_time.as_millis() as u64 * 17 / 10 + 50;
    for i in 0..ITERATIONS {
        remove_db(&work);
        std::fs::copy(&base, &work).unwrap();
        let mut command = Command::new(&exe);
        if fresh {
            command.env(FRESH_ENV, "1");
        }
        let mut child = command
            .args([
                "--exact",
                "crash_child_entry",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &work)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let wait = Duration::from_millis(rng.below(window));
        std::thread::sleep(wait);
        child.kill().unwrap();
        let out = child.wait_with_output().unwrap();
        let said = String::from_utf8_lossy(&out.stdout).into_owned();

        assert_eq!(integrity(&work), "ok", "run {i}: integrity after {wait:?}");
        let state = fingerprint(&SqliteStore::open(&work).unwrap());
        if state == before {
            assert!(
                !said.contains("imported"),
                "run {i}: an import reported done was lost"
            );
            saw_before += 1;
        } else {
            assert_eq!(
                state, after,
                "run {i}: killed after {wait:?}, state in between"
            );
            saw_after += 1;
        }
    }
    eprintln!(
        "{ITERATIONS} kills: {saw_before} left the state before the import, {saw_after} after it"
    );
    // The seed puts kill points both before and after the commit.
    assert!(
        saw_before > 0 && saw_after > 0,
        "{saw_before} before, {saw_after} after"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
