//! Reading the six source exports: CSV bytes → [`SourceReader`] rows, nothing else.
//!
//! Target: 1M source rows (about 166 MB) read in ≤ 100 ms on one core. Throughput is in
//! bytes of CSV, so criterion prints MB/s (decimal). `read_rows_and_fingerprint` also takes each
//! row's [`RawRow::content_hash`], as the merge does for duplicate counting.
//!
//! `IMPORT_BENCH_ROWS` overrides the row count (default 1,000,000).

use std::{hint::black_box, time::Duration};

use creator_crm::import::{ColumnMapping, RawRow, SourceKind, SourceReader};
use creator_crm_datagen::{Config, InMemory, generate_in_memory};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn kind(name: &str) -> SourceKind {
    name.parse().unwrap_or(SourceKind::Products)
}

/// Calls `each` on every row of every file; the number of rows read.
fn read_all(data: &InMemory, mut each: impl FnMut(&RawRow<'_>)) -> u64 {
    let mapping = ColumnMapping::new();
    let mut rows = 0;
    for (k, _, bytes) in &data.files {
        let mut reader = match SourceReader::new(kind(k), &bytes[..], &mapping) {
            Ok(r) => r,
            Err(e) => panic!("cannot open: {e}"),
        };
        loop {
            match reader.read_row() {
                Ok(Some((line, row))) => {
                    black_box(line);
                    each(&row);
                    rows += 1;
                }
                Ok(None) => break,
                Err(e) => panic!("cannot read: {e}"),
            }
        }
    }
    rows
}

fn bench(c: &mut Criterion) {
    let rows: usize = std::env::var("IMPORT_BENCH_ROWS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let data = match generate_in_memory(&Config::for_rows(rows, 42)) {
        Ok(d) => d,
        Err(e) => panic!("datagen failed: {e}"),
    };
    let bytes: usize = data.files.iter().map(|f| f.2.len()).sum();
    let read = read_all(&data, |_| {});
    eprintln!(
        "import: {read} rows, {:.1} MB CSV in {} files",
        bytes as f64 / 1e6,
        data.files.len()
    );

    let mut g = c.benchmark_group("import");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::BytesDecimal(bytes as u64));
    g.bench_function(format!("read_rows_{read}"), |b| {
        b.iter(|| {
            black_box(read_all(&data, |row| {
                black_box(row);
            }))
        })
    });
    g.bench_function(format!("read_rows_and_fingerprint_{read}"), |b| {
        b.iter(|| {
            let mut acc = 0u64;
            read_all(&data, |row| acc ^= row.content_hash());
            black_box(acc)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
