//! Times each step of import-and-merge on generated data (a profiling aid).
//!
//! `cargo run --release -p creator-crm-benches --example merge_phases -- [ROWS]`

use creator_crm::merge::Finish;
use std::time::Instant;

use creator_crm::{
    identity::{Phone, Region},
    import::{SourceKind, SourceReader},
    merge::{ImportInput, MergeOptions, Merger, SourceFile},
};
use creator_crm_benches::store::cpu_secs;
use creator_crm_datagen::{Config, generate_in_memory};

/// The six exports `datagen` writes, in its order.
const KINDS: [(&str, &str); 6] = [
    ("sample_orders", "sample_orders.csv"),
    ("euka", "euka.csv"),
    ("phone_numbers", "phone_numbers.csv"),
    ("refunnel", "refunnel.csv"),
    ("videos", "videos.csv"),
    ("products", "products.csv"),
];

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    // `MERGE_DIR=dir` reads the files `datagen --out dir` wrote instead of generating
    // them, so a profile of this process shows only the merge.
    let files: Vec<(&str, &str, Vec<u8>)> = match std::env::var("MERGE_DIR") {
        Ok(dir) => KINDS
            .iter()
            .map(|&(kind, name)| {
                let path = std::path::Path::new(&dir).join(name);
                let bytes =
                    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                (kind, name, bytes)
            })
            .collect(),
        Err(_) => match generate_in_memory(&Config::for_rows(rows, 42)) {
            Ok(d) => d.files,
            Err(e) => panic!("datagen: {e}"),
        },
    };
    // The phone metadata's one-time load (`Region::parse` reads the database), then the
    // first full US number (its calling code's patterns compiled), apart from the merge.
    let t = Instant::now();
    let us = Region::parse("US");
    let load = t.elapsed();
    let t = Instant::now();
    let first = us.and_then(|us| Phone::parse("(+1)3159212129", us));
    println!(
        "phone metadata load {:.1} ms, first US number {:.2} ms ({})",
        load.as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e3,
        if first.is_ok() { "parsed" } else { "rejected" }
    );
    // The creator table only, as `merge_exports` builds it: no record details kept, the
    // merger released by `Finish::CreatorsReleasing`. `MERGE_FULL=1` keeps every record (and still
    // builds the creator table only).
    let full = std::env::var("MERGE_FULL").is_ok();
    let options = MergeOptions {
        related_records: full,
        ..MergeOptions::default()
    };
    let mut merger = Merger::new(options.clone());
    // `MERGE_THREADS=2` imports every file with `Merger::import_many` on that many threads,
    // resolves creators on as many (`MergeOptions::threads`), and prints wall times only
    // (CPU time then counts every thread).
    if let Some(threads) = std::env::var("MERGE_THREADS")
        .ok()
        .and_then(|t| t.parse::<usize>().ok())
    {
        merger = Merger::new(MergeOptions { threads, ..options });
        let t = Instant::now();
        let inputs = files
            .iter()
            .map(|(k, name, bytes)| {
                let kind: SourceKind = k.parse().unwrap_or(SourceKind::Products);
                ImportInput::new(SourceFile::new(kind, *name), &bytes[..])
                    .size_hint(bytes.len() as u64)
            })
            .collect();
        if let Err(e) = merger.import_many(inputs, threads) {
            panic!("{e}");
        }
        let import = t.elapsed();
        let result = merger.finish(Finish::CreatorsReleasing);
        println!(
            "import_many on {threads} threads: import {:.0} ms, finish {:.0} ms, total {:.0} ms wall; {} creators",
            import.as_secs_f64() * 1e3,
            (t.elapsed() - import).as_secs_f64() * 1e3,
            t.elapsed().as_secs_f64() * 1e3,
            result.creators.len()
        );
        return;
    }
    let all = Instant::now();
    let mut import_cpu = 0.0;
    // `MERGE_ONLY=videos` imports only the files whose name contains that text (profiling).
    let only = std::env::var("MERGE_ONLY").unwrap_or_default();
    for (k, name, bytes) in &files {
        if !name.contains(only.as_str()) {
            continue;
        }
        let kind: SourceKind = k.parse().unwrap_or(SourceKind::Products);
        // `MERGE_SKIP_READ=1` skips the read-only pass (instruction counts of the merge alone).
        let t = Instant::now();
        let mut n = 0u64;
        if std::env::var_os("MERGE_SKIP_READ").is_none() {
            let mut reader = match SourceReader::new(kind, &bytes[..], &Default::default()) {
                Ok(r) => r,
                Err(e) => panic!("{e}"),
            };
            while let Ok(Some(_)) = reader.read_row() {
                n += 1;
            }
        }
        let read = t.elapsed();
        let t = Instant::now();
        let c = cpu_secs();
        if let Err(e) = merger.import_csv(&SourceFile::new(kind, *name), &bytes[..]) {
            panic!("{e}");
        }
        let cpu = cpu_secs() - c;
        import_cpu += cpu;
        println!(
            "{name:<20} {n:>8} rows  {:>7.1} MB  read-only {:>6.0} ms  import {:>6.0} ms wall {:>6.0} ms cpu",
            bytes.len() as f64 / 1e6,
            read.as_secs_f64() * 1e3,
            t.elapsed().as_secs_f64() * 1e3,
            cpu * 1e3
        );
    }
    let t = Instant::now();
    let c = cpu_secs();
    let result = merger.finish(Finish::CreatorsReleasing);
    let finish_cpu = cpu_secs() - c;
    println!(
        "finish: {:.0} ms wall {:.0} ms cpu; import+finish cpu {:.0} ms; {} creators; total wall {:.0} ms (includes read-only passes)",
        t.elapsed().as_secs_f64() * 1e3,
        finish_cpu * 1e3,
        (import_cpu + finish_cpu) * 1e3,
        result.creators.len(),
        all.elapsed().as_secs_f64() * 1e3
    );
}
