//! A partitioned merge: the one-machine merge cut by creator, for engines that run the
//! steps on many processes (Dask, Spark), with the same result, rows and report.
//!
//! The steps, each a pure function of bytes that cross processes:
//!
//! 1. **Plan** ([`PartitionPlan`]): the files in the order the one-machine merge reads
//!    them (a file's index is its id), the partition count and the merge options.
//! 2. **Route** ([`route_csv`], per file): every row is read once and sent to the
//!    partition of its normalized handle ([`partition_of`]: normalized at read time, so
//!    every spelling of a handle lands in one partition), with its line, its content
//!    fingerprint and its cells, so that priority, recency, tie-breaks, duplicate counts
//!    and the report's line numbers come out as in one process. A products row goes by
//!    its product id, a row with a missing or invalid handle by its raw handle (it is
//!    rejected there, as in one process). The file's [`Manifest`] (description rows,
//!    file-level error) goes to the driver.
//! 3. **Summarize** ([`summarize`], per partition) and the **global pass**
//!    ([`global_pass`], once): the rules that look across creators — shared team-inbox
//!    emails, and sample and video keys seen for creators of several partitions — are
//!    decided from small per-partition summaries, and the [`Facts`] broadcast (see
//!    `global.rs`). The suppression list is part of the plan.
//! 4. **Merge** ([`merge_partition`], per partition): the partition's rows through the
//!    one-machine merger, with the facts applied.
//! 5. **Combine** ([`combine`], or [`combine_report`] and the `sort_*` functions for
//!    engines that keep the tables distributed): the report summed, the tables
//!    concatenated in the one-machine order.
//!
//! [`merge_partitioned`] runs every step in this process (tests, benchmarks).
//! `tests/it/merge_partition.rs` checks with proptest that the result equals
//! [`crate::merge::Merger`]'s, every table and the whole report, for any partition count
//! and order of rows and files.
//!
//! One deliberate difference: [`crate::merge::MAX_INPUTS`] bounds each partition, not
//! the whole merge (going past one machine is the point).

mod blob;
mod combine;
mod global;
mod part;
mod plan;
mod route;

pub use combine::{
    combine, combine_report, id_order, sort_brand_links, sort_conflicts, sort_creators,
    sort_products, sort_samples, sort_snapshots, sort_video_products, sort_videos,
};
pub use global::{Facts, Summary, check_manifests, global_pass, summarize};
pub use part::{PartitionOutput, merge_partition, report_from_bytes};
pub use plan::{MAX_PARTITIONS, PartitionPlan, PlannedFile};
pub use route::{Manifest, Routed, route_csv};

use crate::{error::Result, identity::Handle};

/// The partition of a creator: `xxh3_64(handle) mod partitions`, where `handle` is the
/// normalized handle's UTF-8 bytes and xxh3 is XXH3-64 with seed 0 (a fixed, documented
/// function: the same on every process, platform and release). `partitions` 0 is taken
/// as 1.
///
/// ```
/// use creator_crm::identity::Handle;
/// use creator_crm::merge::partition::partition_of;
///
/// let a = Handle::parse("@Ana.B")?;
/// let b = Handle::parse("https://www.tiktok.com/@ana.b?lang=en")?;
/// assert_eq!(partition_of(&a, 16), partition_of(&b, 16));
/// assert!(partition_of(&a, 16) < 16);
/// # Ok::<(), creator_crm::Error>(())
/// ```
pub fn partition_of(handle: &Handle, partitions: u32) -> u32 {
    partition_of_name(handle.as_str(), partitions)
}

/// [`partition_of`] of a normalized handle's text.
pub(crate) fn partition_of_name(name: &str, partitions: u32) -> u32 {
    let h = xxhash_rust::xxh3::xxh3_64(name.as_bytes());
    u32::try_from(h % u64::from(partitions.max(1))).unwrap_or(0)
}

/// Runs every step of the partitioned merge in this process, partition after
/// partition: `files` holds each plan file's bytes, by file id. Equal to the one-machine
/// merge of the same files.
///
/// # Errors
/// The first failing file's error, as the one-machine merge raises it;
/// [`crate::ErrorKind::InvalidInput`] when `files` does not hold one input per plan file.
pub fn merge_partitioned(
    plan: &PartitionPlan,
    files: &[&[u8]],
) -> Result<crate::merge::MergeResult> {
    if files.len() != plan.files().len() {
        return Err(crate::Error::invalid("files", "one input per plan file"));
    }
    let n = plan.partitions() as usize;
    let mut payloads: Vec<Vec<Vec<u8>>> = vec![Vec::new(); n];
    let mut manifests = Vec::with_capacity(files.len());
    for (id, bytes) in (0u32..).zip(files) {
        let routed = route_csv(plan, id, *bytes)?;
        for (p, blob) in routed.parts {
            if let Some(slot) = payloads.get_mut(p as usize) {
                slot.push(blob);
            }
        }
        manifests.push(routed.manifest);
    }
    let mut summaries = Vec::with_capacity(n);
    for (p, blobs) in (0u32..).zip(&payloads) {
        summaries.push(summarize(plan, p, &views(blobs))?);
    }
    let facts = global_pass(plan, &summaries, &manifests)?;
    let mut parts = Vec::with_capacity(n);
    for (p, blobs) in (0u32..).zip(&payloads) {
        parts.push(merge_partition(plan, p, &views(blobs), &facts)?);
    }
    combine(plan, &facts, &manifests, parts)
}

/// Borrowed views of blobs.
fn views(blobs: &[Vec<u8>]) -> Vec<&[u8]> {
    blobs.iter().map(Vec::as_slice).collect()
}

#[cfg(test)]
mod tests;
