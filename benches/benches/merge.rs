//! Import and merge: CSV bytes of the six source exports → merged creators.
//!
//! Target: 1M source rows in ≤ 1.0 s on one core; peak heap ≤ 1 KB per merged creator.
//! Peak heap is measured with a counting global allocator wrapped around the system
//! allocator (this bench binary only), over one import-and-merge run, excluding the input
//! bytes (allocated before the run starts). Figures and the command are in BENCHMARKS.md.
//!
//! `MERGE_BENCH_ROWS` overrides the row count (default 1,000,000).

use std::{
    alloc::{GlobalAlloc, Layout, System},
    hint::black_box,
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use creator_crm::{
    import::SourceKind,
    merge::{MergeOptions, MergeResult, Merger, SourceFile},
};
use creator_crm_datagen::{Config, InMemory, generate_in_memory};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Counts live and peak heap bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

#[allow(unsafe_code)]
// SAFETY: delegates every call to `System` unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                    + (new_size - layout.size());
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn kind(name: &str) -> SourceKind {
    name.parse().unwrap_or(SourceKind::Products)
}

fn import_all(data: &InMemory, related_records: bool) -> Merger {
    let mut merger = Merger::new(MergeOptions {
        related_records,
        ..MergeOptions::default()
    });
    for (k, name, bytes) in &data.files {
        let file = SourceFile::new(kind(k), *name);
        if let Err(e) = merger.import_csv(&file, &bytes[..]) {
            panic!("import failed: {e}");
        }
    }
    merger
}

/// CSV bytes → merged creators (report and conflicts included), the benchmarked pipeline,
/// as `merge_exports` runs it: no record details kept, the merger consumed.
fn import_and_merge(data: &InMemory) -> MergeResult {
    import_all(data, false).into_creators()
}

/// CSV bytes → creators plus every related record materialized.
fn import_and_merge_all(data: &InMemory) -> MergeResult {
    import_all(data, true).finish()
}

fn bench(c: &mut Criterion) {
    let rows: usize = std::env::var("MERGE_BENCH_ROWS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let data = match generate_in_memory(&Config::for_rows(rows, 42)) {
        Ok(d) => d,
        Err(e) => panic!("datagen failed: {e}"),
    };
    let total_rows = data.counts.total();
    let bytes: usize = data.files.iter().map(|f| f.2.len()).sum();

    // Peak heap over one run, input excluded: while importing (the merge state and the
    // per-file parse caches), then through `into_creators` (state plus the merged output).
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let merger = import_all(&data, false);
    let import_peak = PEAK.load(Ordering::Relaxed) - base;
    let state = LIVE.load(Ordering::Relaxed) - base;
    let result = merger.into_creators();
    let peak = PEAK.load(Ordering::Relaxed) - base;
    let output = LIVE.load(Ordering::Relaxed) - base;
    let creators = result.creators.len().max(1);
    drop(result);
    // The same with every record kept: the state `finish_creators` and `finish` start from.
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let merger = import_all(&data, true);
    let full_import_peak = PEAK.load(Ordering::Relaxed) - base;
    let full_state = LIVE.load(Ordering::Relaxed) - base;
    let all = merger.finish();
    let peak_all = PEAK.load(Ordering::Relaxed) - base;
    let mb = |b: usize| b as f64 / 1e6;
    let per = |b: usize| b / creators;
    eprintln!(
        "import_and_merge: {total_rows} rows, {:.1} MB CSV, {creators} creators\n  \
         creator table only (related_records off, into_creators):\n    \
         peak while importing {:.1} MB ({} B/creator); state after import {:.1} MB ({} B/creator)\n    \
         peak through into_creators {:.1} MB ({} B/creator); creator table {:.1} MB ({} B/creator)\n  \
         every record kept (finish):\n    \
         peak while importing {:.1} MB ({} B/creator); state after import {:.1} MB ({} B/creator)\n    \
         peak through finish (all related records) {:.1} MB ({} B/creator)",
        mb(bytes),
        mb(import_peak),
        per(import_peak),
        mb(state),
        per(state),
        mb(peak),
        per(peak),
        mb(output),
        per(output),
        mb(full_import_peak),
        per(full_import_peak),
        mb(full_state),
        per(full_state),
        mb(peak_all),
        per(peak_all),
    );
    drop(all);

    let mut g = c.benchmark_group("merge");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(15));
    g.throughput(Throughput::Elements(total_rows));
    g.bench_function(format!("import_and_merge_{total_rows}_rows"), |b| {
        b.iter(|| black_box(import_and_merge(&data)))
    });
    g.bench_function(
        format!("import_and_merge_all_records_{total_rows}_rows"),
        |b| b.iter(|| black_box(import_and_merge_all(&data))),
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
