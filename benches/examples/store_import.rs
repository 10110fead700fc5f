//! Times `Crm::import_inputs` (the files with their sizes, read on every core) into a
//! fresh `SqliteStore` file, then 10K-row increments into that store: one timed run
//! each, wall and CPU (the criterion bench is `benches/store.rs`).
//!
//! `cargo run --release -p creator-crm-benches --example store_import -- [ROWS] [INCREMENTS]`

use std::{sync::Arc, time::Instant};

use chrono::{TimeZone, Utc};
use creator_crm::{crm::Crm, store::SqliteStore};
use creator_crm_benches::store::{cpu_secs, crm_on_every_core, sized_inputs};
use creator_crm_datagen::{Config, InMemory, generate_in_memory};

fn shuffled(rows: usize, seed: u64) -> InMemory {
    match generate_in_memory(&Config::for_rows(rows, seed)) {
        Ok(d) => d.interleaved(seed),
        Err(e) => panic!("datagen failed: {e}"),
    }
}

fn import(crm: &Crm, data: &InMemory) {
    let files = sized_inputs(&data.files);
    let Some(now) = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).single() else {
        panic!("a valid time");
    };
    let wall = Instant::now();
    let cpu = cpu_secs();
    match crm.import_inputs(files, now) {
        Ok(o) => println!(
            "{} rows: {:.2} s wall, {:.2} s CPU; created {} updated {}",
            data.counts.total(),
            wall.elapsed().as_secs_f64(),
            cpu_secs() - cpu,
            o.created,
            o.updated
        ),
        Err(e) => panic!("import failed: {e}"),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rows: usize = args
        .next()
        .and_then(|a| a.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let increments: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let path = std::env::temp_dir().join("crm-store-import.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let data = shuffled(rows, 42);
    let store = match SqliteStore::open(&path) {
        Ok(s) => Arc::new(s),
        Err(e) => panic!("cannot open {}: {e}", path.display()),
    };
    let crm = crm_on_every_core(store, "brand");
    import(&crm, &data);
    drop(data);
    for i in 0..increments {
        import(&crm, &shuffled(10_000, 4_243 + i));
    }
    drop(crm);
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!("file: {} MB", size / 1_000_000);
}
