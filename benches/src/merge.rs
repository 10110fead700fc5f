//! The import-and-merge pipeline the `merge` and `merge_memory` benches run.

use creator_crm::merge::Finish;
use creator_crm::{
    import::SourceKind,
    merge::{ImportInput, MergeOptions, MergeResult, Merger, SourceFile},
};

/// One generated export: source kind, file name, CSV bytes (as `datagen` writes them).
pub type ExportFile = (&'static str, &'static str, Vec<u8>);

/// Source rows to generate: `MERGE_BENCH_ROWS` (underscores allowed), else 1,000,000.
pub fn bench_rows() -> usize {
    bench_rows_from("MERGE_BENCH_ROWS")
}

/// Source rows to generate: the environment variable `var` (underscores allowed), else
/// 1,000,000.
pub fn bench_rows_from(var: &str) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000)
}

fn kind(name: &str) -> SourceKind {
    name.parse().unwrap_or(SourceKind::Products)
}

/// Every file imported, in order, into one merger on the calling thread, as
/// `merge_exports` imports them on one core: through [`Merger::import_many`], which is
/// given each file's size.
///
/// # Panics
/// When a file cannot be imported (generated files always can).
pub fn import_all(files: &[ExportFile], related_records: bool) -> Merger {
    let mut merger = Merger::new(MergeOptions {
        related_records,
        ..MergeOptions::default()
    });
    let inputs = files
        .iter()
        .map(|(k, name, bytes)| {
            ImportInput::new(SourceFile::new(kind(k), *name), &bytes[..])
                .size_hint(bytes.len() as u64)
        })
        .collect();
    if let Err(e) = merger.import_many(inputs, 1) {
        panic!("import failed: {e}");
    }
    merger
}

/// CSV bytes → merged creators (report and conflicts included), as `merge_exports`
/// runs it: no record details kept, the merger consumed.
pub fn import_and_merge(files: &[ExportFile]) -> MergeResult {
    import_all(files, false).finish(Finish::CreatorsReleasing)
}

/// CSV bytes → creators plus every related record materialized.
pub fn import_and_merge_all(files: &[ExportFile]) -> MergeResult {
    import_all(files, true).finish(Finish::Everything)
}

/// The plan of a partitioned merge of `files` over `partitions` partitions.
///
/// # Panics
/// When the plan cannot be made (generated files always can).
pub fn partition_plan(
    files: &[ExportFile],
    partitions: u32,
    related_records: bool,
) -> creator_crm::merge::partition::PartitionPlan {
    let sources = files
        .iter()
        .map(|(k, name, _)| SourceFile::new(kind(k), *name))
        .collect();
    let options = MergeOptions {
        related_records,
        ..MergeOptions::default()
    };
    match creator_crm::merge::partition::PartitionPlan::new(sources, partitions, &options) {
        Ok(p) => p,
        Err(e) => panic!("plan failed: {e}"),
    }
}

/// CSV bytes → merged creators through every step of the partitioned merge, in this
/// process, partition after partition (`merge::partition::merge_partitioned`).
///
/// # Panics
/// When a file cannot be imported (generated files always can).
pub fn partitioned_merge(
    files: &[ExportFile],
    partitions: u32,
    related_records: bool,
) -> MergeResult {
    let plan = partition_plan(files, partitions, related_records);
    let inputs: Vec<&[u8]> = files.iter().map(|f| f.2.as_slice()).collect();
    match creator_crm::merge::partition::merge_partitioned(&plan, &inputs) {
        Ok(r) => r,
        Err(e) => panic!("partitioned merge failed: {e}"),
    }
}
