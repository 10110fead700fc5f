//! Fuzzes the CSV import: arbitrary bytes as each source kind, through the streaming
//! reader and the merger. Nothing may panic, and every rejected row must carry a line.
#![no_main]

use creator_crm::{
    import::{ColumnMapping, SourceKind, SourceReader},
    merge::{Finish, MergeOptions, Merger, SourceFile},
};
use libfuzzer_sys::fuzz_target;

const KINDS: [SourceKind; 6] = [
    SourceKind::SampleOrders,
    SourceKind::Euka,
    SourceKind::PhoneNumbers,
    SourceKind::Refunnel,
    SourceKind::Videos,
    SourceKind::Products,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = KINDS[usize::from(selector) % KINDS.len()];

    // The reader alone: every row's line is at least 2 (the header is line 1).
    if let Ok(mut reader) = SourceReader::new(kind, bytes, &ColumnMapping::new()) {
        while let Ok(Some((line, _row))) = reader.read_row() {
            assert!(line >= 1);
        }
    }

    // The whole import and merge.
    let mut merger = Merger::new(MergeOptions::default());
    let _ = merger.import_csv(&SourceFile::new(kind, "fuzz.csv"), bytes);
    let result = merger.finish(Finish::Everything);
    for file in &result.report.files {
        assert!(file.rows_rejected <= file.rows_read);
        assert!(file.rejected.iter().all(|issue| issue.line >= 1));
    }
});
