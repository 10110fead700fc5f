//! Import and merge: CSV bytes of the six source exports → merged creators, timed.
//!
//! Target: 1M source rows in ≤ 1.0 s on one core. This binary runs on the system
//! allocator, uninstrumented; peak heap is measured by the `merge_memory` bench, whose
//! counting allocator would add to these times. The timed routine returns the
//! [`MergeResult`], which criterion drops outside the measurement
//! (`iter_with_large_drop`): freeing the caller's table is not part of building it.
//! The headline is `…_time_ordered`: the exports in the order real ones come, sample_orders
//! by Created Time and videos by post date (`InMemory::time_ordered`), so a creator's rows
//! spread over each file. `import_and_merge` runs the files as generated, each creator's
//! rows together; `…_interleaved` with each file's rows shuffled at random. Figures and the
//! command are in BENCHMARKS.md.
//!
//! `MERGE_BENCH_ROWS` overrides the row count (default 1,000,000).

use std::{hint::black_box, time::Duration};

use creator_crm_benches::merge::{
    bench_rows, import_and_merge, import_and_merge_all, partitioned_merge,
};
use creator_crm_datagen::{Config, generate_in_memory};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let data = match generate_in_memory(&Config::for_rows(bench_rows(), 42)) {
        Ok(d) => d,
        Err(e) => panic!("datagen failed: {e}"),
    };
    let total_rows = data.counts.total();
    let mut g = c.benchmark_group("merge");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(15));
    g.throughput(Throughput::Elements(total_rows));
    // As real exports come: orders and videos in time order.
    let time_ordered = data.time_ordered();
    g.bench_function(
        format!("import_and_merge_time_ordered_{total_rows}_rows"),
        |b| b.iter_with_large_drop(|| black_box(import_and_merge(&time_ordered.files))),
    );
    drop(time_ordered);
    g.bench_function(format!("import_and_merge_{total_rows}_rows"), |b| {
        b.iter_with_large_drop(|| black_box(import_and_merge(&data.files)))
    });
    g.bench_function(
        format!("import_and_merge_all_records_{total_rows}_rows"),
        |b| b.iter_with_large_drop(|| black_box(import_and_merge_all(&data.files))),
    );
    // The same exports with each file's rows shuffled, as files sorted by time rather
    // than by creator come: a creator's rows no longer sit together.
    let interleaved = data.interleaved(42);
    g.bench_function(
        format!("import_and_merge_interleaved_{total_rows}_rows"),
        |b| b.iter_with_large_drop(|| black_box(import_and_merge(&interleaved.files))),
    );
    // The partitioned merge (`merge::partition`) of the same shuffled exports, every step
    // in this process, one partition after the other: routing, summaries, the global
    // pass, four partition merges and the combine (the creator table only, as above).
    g.bench_function(
        format!("partitioned_merge_4_interleaved_{total_rows}_rows"),
        |b| b.iter_with_large_drop(|| black_box(partitioned_merge(&interleaved.files, 4, false))),
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
