//! One partition's merge: its routed rows into a merger registered with every file of the
//! plan (so file ids and provenance are the one-machine merge's), the broadcast facts
//! applied, then the merger's own finish.

use ahash::AHashSet;
use serde::{Deserialize, Serialize};

use super::{
    blob::{self, Tag},
    global::{Facts, email_hash, product_hash, sample_hash, video_hash},
    plan::PartitionPlan,
    route::RoutedRows,
};
use crate::{
    error::{Error, Result},
    merge::{
        BrandLink, Conflict, Creator, Finish, MergeReport, MergeResult, Product, Sample, Snapshot,
        Video, VideoProduct,
        state::{CandField, MergeState},
        survivorship::Ranker,
    },
};

/// A merger holding partition `partition`'s rows. The payloads of each file are read
/// in one import, in plan order, as the one-machine merge reads the file (one settle of
/// its records, then the stores trimmed), so that a partition holds what its share of
/// the one-machine state holds.
pub(super) fn load(plan: &PartitionPlan, partition: u32, payloads: &[&[u8]]) -> Result<MergeState> {
    plan.check_partition(partition)?;
    let mut state = MergeState::new(plan.options().clone());
    for f in plan.files() {
        state.file_index(&f.name, f.kind)?;
    }
    let mut by_file: Vec<Vec<RoutedRows<'_>>> = plan.files().iter().map(|_| Vec::new()).collect();
    for bytes in payloads {
        let rows = RoutedRows::open(plan, bytes)?;
        if rows.partition != partition {
            return Err(Error::invalid("blob", "routed rows of another partition"));
        }
        let slot = by_file
            .get_mut(rows.file as usize)
            .ok_or_else(|| Error::invalid("file", "no such file in the plan"))?;
        slot.push(rows);
    }
    let mut cells = Vec::new();
    for (f, mut blobs) in plan.files().iter().zip(by_file) {
        if blobs.is_empty() {
            continue;
        }
        state.import_with(&f.source_file(), |add| {
            blobs
                .iter_mut()
                .try_for_each(|rows| rows.each(&mut cells, add))
        })?;
    }
    state.shrink_stores();
    Ok(state)
}

/// One partition's part of the result: its creators, conflicts and related records (each
/// in the one-machine order), and its part of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartitionOutput {
    partition: u32,
    /// The partition's creators, by handle.
    pub creators: Vec<Creator>,
    /// Their conflicts, by handle and field.
    pub conflicts: Vec<Conflict>,
    /// Its samples.
    pub samples: Vec<Sample>,
    /// Its videos.
    pub videos: Vec<Video>,
    /// The video-product links it emits (each link of the result is emitted by one
    /// partition).
    pub video_products: Vec<VideoProduct>,
    /// Its snapshots.
    pub snapshots: Vec<Snapshot>,
    /// Its brand links.
    pub brand_links: Vec<BrandLink>,
    /// Its products (routed by product id: each product is whole in one partition).
    pub products: Vec<Product>,
    /// Its part of the report (summed by [`super::combine_report`]).
    pub report: MergeReport,
}

impl PartitionOutput {
    /// The partition this is the output of.
    pub fn partition(&self) -> u32 {
        self.partition
    }

    /// As bytes under `plan`.
    ///
    /// # Errors
    /// Never in practice.
    pub fn to_bytes(&self, plan: &PartitionPlan) -> Result<Vec<u8>> {
        blob::seal(Tag::Output, plan.id(), self)
    }

    /// An output [`PartitionOutput::to_bytes`] gave under `plan`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] on field `blob` for bytes that are not a
    /// partition output of this plan.
    pub fn from_bytes(plan: &PartitionPlan, bytes: &[u8]) -> Result<Self> {
        let o: PartitionOutput = blob::open(Tag::Output, plan.id(), bytes)?;
        plan.check_partition(o.partition)?;
        Ok(o)
    }

    /// The report part alone, as bytes under `plan` (what [`super::combine_report`]
    /// needs, without the rows).
    ///
    /// # Errors
    /// Never in practice.
    pub fn report_bytes(&self, plan: &PartitionPlan) -> Result<Vec<u8>> {
        blob::seal(Tag::Report, plan.id(), &self.report)
    }
}

/// A report part [`PartitionOutput::report_bytes`] gave under `plan`.
///
/// # Errors
/// [`crate::ErrorKind::InvalidInput`] on field `blob` for bytes that are not a report
/// part of this plan.
pub fn report_from_bytes(plan: &PartitionPlan, bytes: &[u8]) -> Result<MergeReport> {
    blob::open(Tag::Report, plan.id(), bytes)
}

/// Merges partition `partition` from its routed rows (in any order) with the broadcast
/// `facts` of [`super::global_pass`].
///
/// # Errors
/// As [`super::summarize`].
pub fn merge_partition(
    plan: &PartitionPlan,
    partition: u32,
    payloads: &[&[u8]],
    facts: &Facts,
) -> Result<PartitionOutput> {
    let mut state = load(plan, partition, payloads)?;
    // Rule 6 over every partition.
    let mut shared = AHashSet::new();
    for c in &state.creators {
        for cand in c.cands.iter().filter(|c| c.field == CandField::Email) {
            if facts.is_shared(email_hash(state.emails.get(cand.value).as_str())) {
                shared.insert(cand.value);
            }
        }
    }
    state.shared_given = Some(shared);
    // Records whose newest row is in another partition.
    let lost_samples: AHashSet<(u64, u64)> = state
        .samples
        .heads()
        .keys()
        .filter(|k| {
            facts
                .sample_winner(sample_hash(&state, **k))
                .is_some_and(|w| w != partition)
        })
        .copied()
        .collect();
    let lost_videos: AHashSet<u64> = state
        .videos
        .heads()
        .keys()
        .filter(|k| {
            facts
                .video(video_hash(&state, **k))
                .is_some_and(|v| v.winner != partition)
        })
        .copied()
        .collect();
    let links = links_emitted(&state, partition, facts);
    {
        let MergeState {
            options,
            files,
            samples,
            videos,
            ..
        } = &mut state;
        let ranker = Ranker::new(&options.priority, files);
        let newer = |n: &crate::merge::state::Prov, o: &crate::merge::state::Prov| {
            ranker.newest_order(n, o) == std::cmp::Ordering::Greater
        };
        if !lost_samples.is_empty() {
            samples.retain(
                |n, o| newer(&n.prov, &o.prov),
                |k, _| !lost_samples.contains(k),
            );
        }
        if !lost_videos.is_empty() {
            videos.retain(
                |n, o| newer(&n.prov, &o.prov),
                |k, _| !lost_videos.contains(k),
            );
        }
    }
    let related = plan.options().related_records;
    let mut result = if related {
        state.finish(Finish::Everything)
    } else {
        state.finish(Finish::CreatorsReleasing)
    };
    // The global count replaces the partition's (combine_report sets it once).
    result.report.shared_emails_dropped = 0;
    result.report.video_products = links.len() as u64;
    let MergeResult {
        creators,
        conflicts,
        samples,
        videos,
        snapshots,
        brand_links,
        products,
        report,
        ..
    } = result;
    Ok(PartitionOutput {
        partition,
        creators,
        conflicts,
        samples,
        videos,
        video_products: if related { links } else { Vec::new() },
        snapshots,
        brand_links,
        products,
        report,
    })
}

/// The video-product links this partition emits, in the one-machine order: a link of a
/// video held here alone when its creator is kept; a link of a contested video when the
/// winner's creator is kept and the global pass named this partition its emitter.
fn links_emitted(state: &MergeState, partition: u32, facts: &Facts) -> Vec<VideoProduct> {
    let heads = state.videos.heads();
    let kept: Vec<bool> = state
        .creators
        .iter()
        .map(|c| !state.is_suppressed(c))
        .collect();
    let mut out: Vec<(u64, u64)> = state
        .video_products
        .distinct()
        .iter()
        .filter(|&&(v, p)| match facts.video(video_hash(state, v)) {
            Some(cv) => {
                let ph = product_hash(state, p);
                cv.kept
                    && cv
                        .links
                        .binary_search_by(|(k, _)| k.cmp(&ph))
                        .ok()
                        .and_then(|i| cv.links.get(i))
                        .is_some_and(|(_, e)| *e == partition)
            }
            None => heads
                .get(&v)
                .is_some_and(|h| kept.get(h.creator as usize).copied().unwrap_or(false)),
        })
        .copied()
        .collect();
    out.sort_unstable_by(|a, b| {
        state
            .id_order(a.0, b.0)
            .then_with(|| state.id_order(a.1, b.1))
    });
    out.into_iter()
        .map(|(v, p)| VideoProduct {
            video_id: state.id_text(v),
            product_id: state.id_text(p),
        })
        .collect()
}
