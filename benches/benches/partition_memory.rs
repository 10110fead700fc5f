//! Peak heap of each partition of the partitioned merge (`merge::partition`), printed, not
//! timed: is a partition's peak bounded by its share of the one-machine peak?
//!
//! A counting global allocator (this binary only, as in `merge_memory`) tracks live and
//! peak heap bytes. On datagen's exports with each file's rows shuffled, the one-machine
//! merge is measured first; then for 1, 4 and 16 partitions every file is routed (the
//! payloads are kept, as an engine's shuffle keeps them), and each partition's
//! `summarize` and `merge_partition` are measured on their own, above what was live
//! before (the payloads are the partition's input, like the CSV bytes of the one-machine
//! run, and excluded the same way). Figures and the command are in BENCHMARKS.md.
//!
//! `PARTITION_BENCH_ROWS` overrides the row count (default 1,000,000);
//! `PARTITION_BENCH_RELATED=1` keeps every related record (as `merge_exports` does by
//! default) instead of the creator table only.

use std::time::Instant;

use creator_crm::merge::{
    Finish,
    partition::{global_pass, merge_partition, route_csv, summarize},
};
use creator_crm_benches::heap::{self, Counting};
use creator_crm_benches::merge::{bench_rows_from, import_all, partition_plan};
use creator_crm_datagen::{Config, generate_in_memory};

/// Counts live and peak heap bytes.
#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f`; its result and the peak heap above what was live before, in bytes.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = heap::start();
    let out = f();
    let (_, peak) = heap::take_peak(base);
    (out, peak)
}

fn mb(b: usize) -> f64 {
    b as f64 / 1e6
}

fn main() {
    if let Some(filter) = std::env::args().skip(1).find(|a| !a.starts_with("--"))
        && !"partition_memory".contains(filter.as_str())
    {
        return;
    }
    let rows = bench_rows_from("PARTITION_BENCH_ROWS");
    let related = std::env::var("PARTITION_BENCH_RELATED").is_ok_and(|v| v == "1");
    let data = match generate_in_memory(&Config::for_rows(rows, 42)) {
        Ok(d) => d.interleaved(42),
        Err(e) => panic!("datagen failed: {e}"),
    };
    let total_rows = data.counts.total();
    let bytes: usize = data.files.iter().map(|f| f.2.len()).sum();
    let finish = if related {
        Finish::Everything
    } else {
        Finish::CreatorsReleasing
    };

    let t = Instant::now();
    let (result, one_peak) = peak_of(|| import_all(&data.files, related).finish(finish));
    let one_secs = t.elapsed().as_secs_f64();
    let creators = result.creators.len().max(1);
    drop(result);
    println!(
        "partition_memory: {total_rows} rows, {:.1} MB CSV (interleaved), {creators} creators, \
         related_records {related}\n  one machine: peak {:.1} MB ({} B/creator), {one_secs:.2} s",
        mb(bytes),
        mb(one_peak),
        one_peak / creators
    );
    println!(
        "  {:>3} | {:>9} | {:>10} | {:>10} | {:>9} | {:>12} | {:>10} | {:>7}",
        "n",
        "route MB",
        "payload MB",
        "creators",
        "sum. MB",
        "merge MB max",
        "merge mean",
        "max/(1/n)"
    );
    for n in [1u32, 4, 16] {
        let plan = partition_plan(&data.files, n, related);
        let t = Instant::now();
        let mut payloads: Vec<Vec<Vec<u8>>> = vec![Vec::new(); n as usize];
        let mut manifests = Vec::new();
        let mut route_peak = 0usize;
        for (id, f) in (0u32..).zip(&data.files) {
            let (routed, peak) = peak_of(|| route_csv(&plan, id, &f.2[..]));
            let routed = match routed {
                Ok(r) => r,
                Err(e) => panic!("route failed: {e}"),
            };
            let out: usize = routed.parts.iter().map(|p| p.1.len()).sum();
            route_peak = route_peak.max(peak.saturating_sub(out));
            for (p, blob) in routed.parts {
                payloads[p as usize].push(blob);
            }
            manifests.push(routed.manifest);
        }
        let view = |p: usize| payloads[p].iter().map(Vec::as_slice).collect::<Vec<_>>();
        let mut summaries = Vec::new();
        let mut sum_peak = 0usize;
        for p in 0..n as usize {
            let (s, peak) = peak_of(|| summarize(&plan, p as u32, &view(p)));
            sum_peak = sum_peak.max(peak);
            summaries.push(s.unwrap_or_else(|e| panic!("summarize failed: {e}")));
        }
        let facts =
            global_pass(&plan, &summaries, &manifests).unwrap_or_else(|e| panic!("global: {e}"));
        let mut merge_peaks = Vec::new();
        let mut part_creators = Vec::new();
        for p in 0..n as usize {
            let (out, peak) = peak_of(|| merge_partition(&plan, p as u32, &view(p), &facts));
            let out = out.unwrap_or_else(|e| panic!("merge failed: {e}"));
            merge_peaks.push(peak);
            part_creators.push(out.creators.len());
        }
        let secs = t.elapsed().as_secs_f64();
        let payload: usize = payloads.iter().flatten().map(Vec::len).sum();
        let max = merge_peaks.iter().copied().max().unwrap_or(0);
        let mean = merge_peaks.iter().sum::<usize>() / merge_peaks.len().max(1);
        let (cmin, cmax) = (
            part_creators.iter().copied().min().unwrap_or(0),
            part_creators.iter().copied().max().unwrap_or(0),
        );
        println!(
            "  {n:>3} | {:>9.1} | {:>10.1} | {:>4}–{:<5} | {:>9.1} | {:>12.1} | {:>10.1} | {:>7.2}   ({secs:.1} s all steps; peak/creator max {} B)",
            mb(route_peak),
            mb(payload),
            cmin,
            cmax,
            mb(sum_peak),
            mb(max),
            mb(mean),
            max as f64 / (one_peak as f64 / f64::from(n)),
            merge_peaks
                .iter()
                .zip(&part_creators)
                .map(|(p, c)| p / (*c).max(1))
                .max()
                .unwrap_or(0),
        );
    }
}
