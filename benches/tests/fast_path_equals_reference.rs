//! The benchmarked fast path (streaming byte records, parse caches, one phone parse per
//! distinct number) gives exactly the result of the reference path (every row copied into
//! owned cells, every value parsed from its own text) on generated data, and importing the
//! files on several threads (`Merger::import_many`) and resolving creators on several
//! (`MergeOptions::threads`) gives that result too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use creator_crm::{
    import::{Column, ColumnMapping, SourceKind, SourceReader},
    merge::{ImportInput, MergeOptions, MergeResult, Merger, SourceFile},
};
use creator_crm_datagen::{Config, InMemory, generate_in_memory};

fn fast(data: &InMemory) -> MergeResult {
    let mut m = Merger::new(MergeOptions::default());
    for (k, name, bytes) in &data.files {
        let kind: SourceKind = k.parse().unwrap();
        m.import_csv(&SourceFile::new(kind, *name), &bytes[..])
            .unwrap();
    }
    m.finish()
}

/// The generated files as `Merger::import_many` takes them.
fn inputs(data: &InMemory) -> Vec<ImportInput<&[u8]>> {
    data.files
        .iter()
        .map(|(k, name, bytes)| {
            let kind: SourceKind = k.parse().unwrap();
            ImportInput::new(SourceFile::new(kind, *name), &bytes[..]).size_hint(bytes.len() as u64)
        })
        .collect()
}

fn reference(data: &InMemory) -> MergeResult {
    let mut m = Merger::new(MergeOptions {
        parse_cache: false,
        ..MergeOptions::default()
    });
    for (k, name, bytes) in &data.files {
        let kind: SourceKind = k.parse().unwrap();
        let file = SourceFile::new(kind, *name);
        let mut reader = SourceReader::new(kind, &bytes[..], &ColumnMapping::new()).unwrap();
        let mut rows: Vec<(u64, Vec<(Column, String)>)> = Vec::new();
        while let Some((line, row)) = reader.read_row().unwrap() {
            let cells = Column::ALL
                .iter()
                .filter_map(|c| row.get(*c).map(|v| (*c, v.into_owned())))
                .collect();
            rows.push((line, cells));
        }
        for (line, cells) in &rows {
            let cells: Vec<(Column, &str)> = cells.iter().map(|(c, v)| (*c, v.as_str())).collect();
            m.add_cells(&file, *line, &cells).unwrap();
        }
    }
    m.finish()
}

#[test]
fn fast_path_equals_reference_path() {
    let data = generate_in_memory(&Config::for_rows(30_000, 9)).unwrap();
    let a = fast(&data);
    let mut b = reference(&data);
    // The reference path never sees the description row the reader skipped.
    for (fa, fb) in a.report.files.iter().zip(b.report.files.iter_mut()) {
        fb.description_rows_skipped = fa.description_rows_skipped;
    }
    assert!(a.creators.len() > 3_000);
    assert_eq!(a.creators, b.creators);
    assert_eq!(a, b);
}

#[test]
fn importing_on_threads_equals_the_fast_path() {
    let data = generate_in_memory(&Config::for_rows(30_000, 11)).unwrap();
    let one = fast(&data);
    for threads in [2, 3, 6] {
        // `threads` also lets `finish` resolve creators on that many threads.
        let mut m = Merger::new(MergeOptions {
            threads,
            ..MergeOptions::default()
        });
        m.import_many(inputs(&data), threads).unwrap();
        assert_eq!(m.finish(), one, "{threads} threads");
    }
}

#[test]
fn a_merge_without_related_records_gives_the_same_table_and_report() {
    let data = generate_in_memory(&Config::for_rows(30_000, 13)).unwrap();
    let full = fast(&data);
    assert!(full.samples.len() > 1_000 && full.videos.len() > 1_000);
    for threads in [1, 2] {
        let mut m = Merger::new(MergeOptions {
            related_records: false,
            threads,
            ..MergeOptions::default()
        });
        m.import_many(inputs(&data), threads).unwrap();
        let lean = m.finish();
        assert_eq!(m.into_creators(), lean, "{threads} threads");
        assert_eq!(lean.creators, full.creators, "{threads} threads");
        assert_eq!(lean.conflicts, full.conflicts);
        assert_eq!(lean.report, full.report);
        assert!(lean.samples.is_empty() && lean.videos.is_empty() && lean.products.is_empty());
    }
}

#[test]
fn size_hints_never_change_the_result() {
    let data = generate_in_memory(&Config::for_rows(30_000, 17)).unwrap();
    let want = fast(&data);
    // Right, missing, far too small and absurdly large hints: stores are sized from
    // them, the result never depends on them.
    for hint in [None, Some(0), Some(1), Some(u64::MAX)] {
        let inputs = inputs(&data)
            .into_iter()
            .map(|input| ImportInput {
                size_hint: hint.or(input.size_hint),
                ..input
            })
            .collect();
        let mut m = Merger::new(MergeOptions::default());
        m.import_many(inputs, 1).unwrap();
        assert_eq!(m.finish(), want, "size hint {hint:?}");
    }
}
