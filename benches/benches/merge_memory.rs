//! Peak heap of import and merge (target ≤ 1 KB per merged creator), printed, not timed.
//!
//! A counting global allocator wrapped around the system allocator (this binary only)
//! tracks live and peak heap bytes over one import-and-merge run; the input bytes are
//! allocated before the run starts and excluded. The timings live in the `merge` bench,
//! which runs without this instrumentation. Figures and the command are in BENCHMARKS.md.
//!
//! `MERGE_BENCH_ROWS` overrides the row count (default 1,000,000).

use creator_crm::merge::Finish;

use creator_crm::merge::{MergeResult, Merger};
use creator_crm_benches::heap::{self, Counting};
use creator_crm_benches::merge::{ExportFile, bench_rows, import_all};
use creator_crm_datagen::{Config, generate_in_memory};

/// Counts live and peak heap bytes.
#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap figures of one import-and-merge run, above what was live before it.
struct Run {
    /// Live after importing.
    state: usize,
    /// Peak while importing.
    import_peak: usize,
    /// Live once finished, the result still held.
    output: usize,
    /// Peak while finishing.
    finish_peak: usize,
    /// Creators in the result.
    creators: usize,
}

impl Run {
    /// The peak of the whole run.
    fn peak(&self) -> usize {
        self.import_peak.max(self.finish_peak)
    }
}

/// Imports `files` and finishes with `finish`; its result is held while `output` is read.
fn measure(
    files: &[ExportFile],
    related_records: bool,
    finish: impl FnOnce(Merger) -> MergeResult,
) -> Run {
    let base = heap::start();
    let merger = import_all(files, related_records);
    let (state, import_peak) = heap::take_peak(base);
    let result = finish(merger);
    let (output, finish_peak) = heap::take_peak(base);
    let creators = result.creators.len();
    drop(result);
    Run {
        state,
        import_peak,
        output,
        finish_peak,
        creators,
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that names neither this bench nor
    // `memory` (as `cargo bench -- import_and_merge` does) skips it.
    if let Some(filter) = std::env::args().skip(1).find(|a| !a.starts_with("--"))
        && !"merge_memory".contains(filter.as_str())
    {
        return;
    }
    let data = match generate_in_memory(&Config::for_rows(bench_rows(), 42)) {
        Ok(d) => d,
        Err(e) => panic!("datagen failed: {e}"),
    };
    let total_rows = data.counts.total();
    let bytes: usize = data.files.iter().map(|f| f.2.len()).sum();

    // The creator table only (related_records off, `Finish::CreatorsReleasing`): while
    // importing (the merge state and the per-file parse caches), then through the finish.
    let lean = measure(&data.files, false, |mut m| {
        m.finish(Finish::CreatorsReleasing)
    });
    // Every record kept: the state `finish` starts from, then every record materialized.
    let full = measure(&data.files, true, |mut m| m.finish(Finish::Everything));
    let creators = lean.creators.max(1);
    let mb = |b: usize| b as f64 / 1e6;
    let per = |b: usize| b / creators;
    println!(
        "merge_memory: {total_rows} rows, {:.1} MB CSV, {creators} creators\n  \
         creator table only (related_records off, Finish::CreatorsReleasing):\n    \
         peak while importing {:.1} MB ({} B/creator); state after import {:.1} MB ({} B/creator)\n    \
         peak through the finish {:.1} MB ({} B/creator); creator table {:.1} MB ({} B/creator)\n  \
         every record kept (finish):\n    \
         peak while importing {:.1} MB ({} B/creator); state after import {:.1} MB ({} B/creator)\n    \
         peak through finish (all related records) {:.1} MB ({} B/creator)",
        mb(bytes),
        mb(lean.import_peak),
        per(lean.import_peak),
        mb(lean.state),
        per(lean.state),
        mb(lean.peak()),
        per(lean.peak()),
        mb(lean.output),
        per(lean.output),
        mb(full.import_peak),
        per(full.import_peak),
        mb(full.state),
        per(full.state),
        mb(full.peak()),
        per(full.peak()),
    );
}
