//! The SQLite store: importing exports into a fresh `SqliteStore` file, a filtered and
//! sorted page out of it, and an incremental import into a full one.
//!
//! Targets: the shuffled 1M-row exports (`datagen`, each file's rows shuffled) imported
//! into a fresh store in ≤ 5 s; a filtered, sorted page of 50 in ≤ 5 ms; a 10K-row export
//! imported into a store of ~1M creators in ≤ 0.5 s. Every store is a file in the system
//! temp dir, as a host runs it. Figures and the command are in BENCHMARKS.md.
//!
//! `STORE_BENCH_ROWS` overrides the row count (default 1,000,000), `STORE_BENCH_CREATORS`
//! the creators of the incremental import's store (default 1,000,000).

use std::{
    hint::black_box,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use chrono::{DateTime, TimeZone, Utc};
use creator_crm::store::{CreatorFilter, CreatorQuery, SortField, SqliteStore, Store};
use creator_crm_benches::{
    merge::bench_rows_from,
    store::{crm_on_every_core, sized_inputs},
};
use creator_crm_datagen::{Config, InMemory, generate_in_memory};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

const WORKSPACE: &str = "brand";

fn now() -> DateTime<Utc> {
    match Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0) {
        chrono::LocalResult::Single(t) => t,
        _ => panic!("a valid time"),
    }
}

fn shuffled(rows: usize, seed: u64) -> InMemory {
    match generate_in_memory(&Config::for_rows(rows, seed)) {
        Ok(d) => d.interleaved(seed),
        Err(e) => panic!("datagen failed: {e}"),
    }
}

/// Imports `data` as a host does: the files with their sizes, read on every core.
fn import(store: Arc<dyn Store>, data: &InMemory) {
    let crm = crm_on_every_core(store, WORKSPACE);
    let files = sized_inputs(&data.files);
    if let Err(e) = crm.import_inputs(files, now()) {
        panic!("import failed: {e}");
    }
}

fn open(path: &Path) -> Arc<SqliteStore> {
    match SqliteStore::open(path) {
        Ok(s) => Arc::new(s),
        Err(e) => panic!("cannot open: {e}"),
    }
}

/// A fresh database path: the file and its WAL removed.
fn fresh(path: &Path) -> PathBuf {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path.to_owned()
}

fn bench(c: &mut Criterion) {
    let rows = bench_rows_from("STORE_BENCH_ROWS");
    let data = shuffled(rows, 42);
    let total_rows = data.counts.total();
    let dir = std::env::temp_dir().join(format!("crm-store-bench-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {e}", dir.display());
    }
    let mut g = c.benchmark_group("store");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(10));

    let work = dir.join("work.db");
    g.bench_function(
        format!("import_{total_rows}_rows_into_a_fresh_sqlite_file"),
        |b| {
            b.iter_batched(
                || open(&fresh(&work)),
                // The store is returned, so criterion drops it after the timing: what is
                // timed is the import call, which returns once its transaction is
                // committed; the store's thread copies the WAL into the file after it.
                |store| {
                    import(store.clone(), &data);
                    store
                },
                BatchSize::PerIteration,
            )
        },
    );

    // The full store, kept for the next benchmarks (closed, so the WAL is checkpointed).
    let full = dir.join("full.db");
    import(open(&fresh(&full)), &data);
    let store = open(&full);
    let creators = match store.list_creators(WORKSPACE, &CreatorQuery::default()) {
        Ok(p) => p.total,
        Err(e) => panic!("cannot list: {e}"),
    };
    let query = CreatorQuery {
        filter: CreatorFilter {
            has_email: Some(true),
            has_phone: Some(true),
            ..CreatorFilter::default()
        },
        sort: SortField::TotalGmv,
        descending: true,
        limit: 50,
        cursor: None,
    };
    g.bench_function(
        format!("page_of_50_with_phone_and_email_by_gmv_desc_of_{creators}_creators"),
        |b| {
            b.iter(|| match store.list_creators(WORKSPACE, black_box(&query)) {
                Ok(p) => black_box(p),
                Err(e) => panic!("cannot list: {e}"),
            })
        },
    );
    drop(store);

    // The store of the incremental import holds ~1M creators: the shuffled exports of
    // `STORE_BENCH_CREATORS` creators (default 1,000,000; ~8.6M rows) imported once into
    // a file of its own. Each iteration imports another 10K-row export (seed 4242 + the
    // iteration) into it, so the store grows by the increment's new creators (~1.2K,
    // 0.1 %) per iteration instead of being copied (~7 GB) for each.
    let big = dir.join("big.db");
    let creators_wanted = std::env::var("STORE_BENCH_CREATORS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    {
        let data = match generate_in_memory(&Config {
            creators: creators_wanted,
            seed: 7,
        }) {
            Ok(d) => d.interleaved(7),
            Err(e) => panic!("datagen failed: {e}"),
        };
        import(open(&fresh(&big)), &data);
    }
    let store = open(&big);
    let stored = match store.list_creators(WORKSPACE, &CreatorQuery::default()) {
        Ok(p) => p.total,
        Err(e) => panic!("cannot list: {e}"),
    };
    let increment_rows = shuffled(10_000, 4_242).counts.total();
    let mut seed = 4_242;
    g.bench_function(
        format!("import_{increment_rows}_rows_into_a_store_of_{stored}_creators"),
        |b| {
            b.iter_batched(
                || {
                    seed += 1;
                    shuffled(10_000, seed)
                },
                |increment| import(store.clone(), &increment),
                BatchSize::PerIteration,
            )
        },
    );
    drop(store);
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
