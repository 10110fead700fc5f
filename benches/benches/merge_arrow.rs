//! The same exports merged from CSV bytes and from Arrow record batches (feature `arrow`
//! of this crate): `Merger::import_csv` against `Merger::import_batches` on the same
//! rows, each file's rows shuffled (`InMemory::interleaved`), as `merge_exports` runs
//! them (no record details kept, the merger consumed).
//!
//! The Arrow side is every column as `Utf8` (the strings borrowed, as a `pyarrow.Table`
//! read by `pyarrow.csv` with string columns gives them), in batches of 65,536 rows; the
//! batches are built before timing, as a caller holds them. Both merges are checked
//! equal (report and creators) before anything is timed.
//!
//! `MERGE_BENCH_ROWS` overrides the row count (default 1,000,000). Run with
//! `cargo bench -p creator-crm-benches --features arrow --bench merge_arrow`.

use std::{hint::black_box, sync::Arc, time::Duration};

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use creator_crm::{
    import::{SourceKind, decode::decode_cell},
    merge::{Finish, MergeOptions, MergeResult, Merger, SourceFile},
};
use creator_crm_benches::merge::{ExportFile, bench_rows, import_and_merge};
use creator_crm_datagen::{Config, generate_in_memory};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Rows per record batch.
const BATCH_ROWS: usize = 1 << 16;

fn kind(name: &str) -> SourceKind {
    name.parse().unwrap_or(SourceKind::Products)
}

/// A CSV export as string batches: its header as field names, each cell decoded as the
/// importer decodes it, a short row's missing cells null.
fn to_batches(bytes: &[u8]) -> Vec<RecordBatch> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|c| decode_cell(c).into_owned()).collect(),
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    let mut columns: Vec<Vec<Option<String>>> = vec![Vec::new(); header.len()];
    let flush = |columns: &mut Vec<Vec<Option<String>>>, out: &mut Vec<RecordBatch>| {
        let arrays = header.iter().zip(columns.iter_mut()).map(|(name, cells)| {
            let array: ArrayRef = Arc::new(StringArray::from(std::mem::take(cells)));
            (name.as_str(), array)
        });
        match RecordBatch::try_from_iter(arrays) {
            Ok(b) => out.push(b),
            Err(e) => panic!("batch: {e}"),
        }
    };
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => panic!("csv: {e}"),
        };
        for (c, cells) in columns.iter_mut().enumerate() {
            cells.push(record.get(c).map(|b| decode_cell(b).into_owned()));
        }
        if columns.first().map_or(0, Vec::len) == BATCH_ROWS {
            flush(&mut columns, &mut out);
        }
    }
    if columns.first().is_some_and(|c| !c.is_empty()) {
        flush(&mut columns, &mut out);
    }
    out
}

/// Batches → merged creators, as [`import_and_merge`] does with CSV bytes.
fn import_and_merge_batches(
    files: &[(&'static str, &'static str, Vec<RecordBatch>)],
) -> MergeResult {
    let mut merger = Merger::new(MergeOptions {
        related_records: false,
        ..MergeOptions::default()
    });
    for (k, name, batches) in files {
        if let Err(e) = merger.import_batches(&SourceFile::new(kind(k), *name), batches) {
            panic!("import failed: {e}");
        }
    }
    merger.finish(Finish::CreatorsReleasing)
}

fn bench(c: &mut Criterion) {
    let data = match generate_in_memory(&Config::for_rows(bench_rows(), 42)) {
        Ok(d) => d.interleaved(42),
        Err(e) => panic!("datagen failed: {e}"),
    };
    let csv: &[ExportFile] = &data.files;
    let arrow: Vec<_> = csv
        .iter()
        .map(|(k, name, bytes)| (*k, *name, to_batches(bytes)))
        .collect();
    let (a, b) = (import_and_merge(csv), import_and_merge_batches(&arrow));
    // Generated video names span lines, so the CSV's lines and the rows' positions
    // differ: everything but lines must agree.
    let unlined = |r: &MergeResult| {
        let mut report = r.report.clone();
        for f in &mut report.files {
            for issue in &mut f.rejected {
                issue.line = 0;
            }
        }
        let handles: Vec<String> = r
            .creators
            .iter()
            .map(|c| c.handle.as_str().to_owned())
            .collect();
        (report, handles)
    };
    assert_eq!(unlined(&a), unlined(&b), "the two inputs must merge alike");
    let rows = a.report.rows_read;
    drop((a, b));

    let mut g = c.benchmark_group("merge_arrow");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(15));
    g.throughput(Throughput::Elements(rows));
    g.bench_function(format!("csv_interleaved_{rows}_rows"), |b| {
        b.iter_with_large_drop(|| black_box(import_and_merge(csv)))
    });
    g.bench_function(format!("arrow_utf8_interleaved_{rows}_rows"), |b| {
        b.iter_with_large_drop(|| black_box(import_and_merge_batches(&arrow)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
