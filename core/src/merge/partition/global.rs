//! The global pass: what one partition tells the others ([`Summary`]), and what is
//! broadcast back ([`Facts`]).
//!
//! Handles are disjoint between partitions, so a creator's own rules (survivorship,
//! masks, suppression, its snapshots and brand links) are decided in its partition. What
//! looks across creators, and so across partitions:
//!
//! - **shared emails** (rule 6): an email's creator count is the sum of the partitions'
//!   counts; the emails on `shared_email_threshold` creators or more are broadcast;
//! - **records keyed apart from the creator**: a sample `(order_id, sku_id)` or a video
//!   id seen for creators of several partitions keeps its newest row over all of them,
//!   so each partition reports the newest row it holds of every key, and the pass names
//!   the winning partition of each key held by more than one (the others drop it); a
//!   contested video's links are emitted once, by one partition, when the winner's
//!   creator is kept;
//! - **products** have no creator: they are routed by product id, so each is whole in
//!   one partition and the table is a concatenation;
//! - **the suppression list** is part of the plan, broadcast with it.
//!
//! Values cross as 128-bit xxh3 hashes (of the normalized email, of the record key's
//! text), never as text.

use std::{cmp::Ordering, collections::HashMap};

use serde::{Deserialize, Serialize};

use super::{
    blob::{self, Tag},
    part::load,
    plan::PartitionPlan,
    route::Manifest,
};
use crate::{
    error::{Error, Result},
    import::SourceKind,
    merge::state::{CandField, IdKey, MergeState, Prov},
};

/// The 128-bit hash values cross partitions as.
pub(super) fn hash128(domain: u8, parts: &[&str]) -> u128 {
    let mut bytes = Vec::with_capacity(1 + parts.iter().map(|p| p.len() + 1).sum::<usize>());
    bytes.push(domain);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            bytes.push(0);
        }
        bytes.extend_from_slice(p.as_bytes());
    }
    xxhash_rust::xxh3::xxh3_128(&bytes)
}

pub(super) fn email_hash(email: &str) -> u128 {
    hash128(b'e', &[email])
}

pub(super) fn sample_hash(state: &MergeState, (order, sku): (IdKey, IdKey)) -> u128 {
    hash128(b's', &[&state.id_text(order), &state.id_text(sku)])
}

pub(super) fn video_hash(state: &MergeState, video: IdKey) -> u128 {
    hash128(b'v', &[&state.id_text(video)])
}

pub(super) fn product_hash(state: &MergeState, product: IdKey) -> u128 {
    hash128(b'p', &[&state.id_text(product)])
}

/// Where a row came from, as the global pass compares rows of different partitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct RowPos {
    /// Index in [`SourceKind::ALL`].
    kind: u8,
    /// The plan's file id.
    file: u16,
    line: u32,
    observed: i64,
}

impl RowPos {
    pub(super) fn of(p: &Prov) -> Self {
        RowPos {
            kind: SourceKind::ALL
                .iter()
                .position(|k| *k == p.kind)
                .and_then(|i| u8::try_from(i).ok())
                .unwrap_or(0),
            file: p.file,
            line: p.line,
            observed: p.observed,
        }
    }

    fn kind(self) -> SourceKind {
        SourceKind::ALL
            .get(usize::from(self.kind))
            .copied()
            .unwrap_or(SourceKind::Manual)
    }
}

/// `newest_order` of the merge (`survivorship.rs`) over the plan's file names: the later
/// observation, then the higher priority, then the smaller `(file name, line)`.
/// `Greater` means `a` wins.
fn newest_order(plan: &PartitionPlan, a: &RowPos, b: &RowPos) -> Ordering {
    let p = &plan.options().priority;
    let name = |f: u16| plan.file(u32::from(f)).map(|f| f.name.clone()).ok();
    a.observed
        .cmp(&b.observed)
        .then(p.rank(a.kind()).cmp(&p.rank(b.kind())))
        .then_with(|| {
            if a.file == b.file {
                b.line.cmp(&a.line)
            } else {
                name(b.file).cmp(&name(a.file)).then(b.line.cmp(&a.line))
            }
        })
}

/// A record key a partition holds: its newest row there and whether that row's creator
/// is kept (not suppressed).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct HeldKey {
    key: u128,
    pos: RowPos,
    kept: bool,
}

/// A video a partition holds, with the products its rows there link it to.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct HeldVideo {
    held: HeldKey,
    links: Vec<u128>,
}

/// What one partition tells the global pass: how many of its creators carry each email,
/// and the record keys it holds with their newest row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    partition: u32,
    emails: Vec<(u128, u32)>,
    samples: Vec<HeldKey>,
    videos: Vec<HeldVideo>,
}

impl Summary {
    /// The partition summarized.
    pub fn partition(&self) -> u32 {
        self.partition
    }

    /// As bytes under `plan`.
    ///
    /// # Errors
    /// Never in practice.
    pub fn to_bytes(&self, plan: &PartitionPlan) -> Result<Vec<u8>> {
        blob::seal(Tag::Summary, plan.id(), self)
    }

    /// A summary [`Summary::to_bytes`] gave under `plan`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] on field `blob` for bytes that are not a
    /// summary of this plan.
    pub fn from_bytes(plan: &PartitionPlan, bytes: &[u8]) -> Result<Self> {
        let s: Summary = blob::open(Tag::Summary, plan.id(), bytes)?;
        plan.check_partition(s.partition)?;
        Ok(s)
    }
}

/// What the global pass broadcasts to every partition.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Facts {
    /// Hashes of the shared emails (rule 6), sorted.
    pub(super) shared: Vec<u128>,
    /// Sample keys held by several partitions and the partition that keeps each, sorted.
    pub(super) samples: Vec<(u128, u32)>,
    /// Videos held by several partitions, sorted by key.
    pub(super) videos: Vec<ContestedVideo>,
}

/// A video held by several partitions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct ContestedVideo {
    pub(super) key: u128,
    /// The partition that keeps the video.
    pub(super) winner: u32,
    /// Whether its creator there is kept.
    pub(super) kept: bool,
    /// Each linked product and the one partition that emits the link, sorted.
    pub(super) links: Vec<(u128, u32)>,
}

impl Facts {
    /// Number of shared emails (the report's `shared_emails_dropped`).
    pub fn shared_emails(&self) -> usize {
        self.shared.len()
    }

    /// Number of sample and video keys held by more than one partition.
    pub fn contested_records(&self) -> usize {
        self.samples.len() + self.videos.len()
    }

    /// As bytes under `plan`.
    ///
    /// # Errors
    /// Never in practice.
    pub fn to_bytes(&self, plan: &PartitionPlan) -> Result<Vec<u8>> {
        blob::seal(Tag::Facts, plan.id(), self)
    }

    /// Facts [`Facts::to_bytes`] gave under `plan`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] on field `blob` for bytes that are not facts
    /// of this plan.
    pub fn from_bytes(plan: &PartitionPlan, bytes: &[u8]) -> Result<Self> {
        blob::open(Tag::Facts, plan.id(), bytes)
    }

    pub(super) fn is_shared(&self, email: u128) -> bool {
        self.shared.binary_search(&email).is_ok()
    }

    /// The partition that keeps sample `key`, when several hold it.
    pub(super) fn sample_winner(&self, key: u128) -> Option<u32> {
        self.samples
            .binary_search_by(|(k, _)| k.cmp(&key))
            .ok()
            .and_then(|i| self.samples.get(i))
            .map(|(_, w)| *w)
    }

    pub(super) fn video(&self, key: u128) -> Option<&ContestedVideo> {
        self.videos
            .binary_search_by(|v| v.key.cmp(&key))
            .ok()
            .and_then(|i| self.videos.get(i))
    }
}

/// What partition `partition` tells the global pass, from its routed rows `payloads`
/// (every routed-rows blob of that partition, in any order).
///
/// # Errors
/// [`crate::ErrorKind::InvalidInput`] on field `blob` for a payload that is not routed
/// rows of this plan and partition, or is corrupt; on field `partition` for a partition
/// the plan does not have.
pub fn summarize(plan: &PartitionPlan, partition: u32, payloads: &[&[u8]]) -> Result<Summary> {
    let state = load(plan, partition, payloads)?;
    Ok(summary_of(&state, partition))
}

pub(super) fn summary_of(state: &MergeState, partition: u32) -> Summary {
    let kept: Vec<bool> = state
        .creators
        .iter()
        .map(|c| !state.is_suppressed(c))
        .collect();
    let kept_of = |c: u32| kept.get(c as usize).copied().unwrap_or(false);
    let mut per_email: HashMap<u32, u32> = HashMap::new();
    for c in &state.creators {
        for cand in c.cands.iter().filter(|c| c.field == CandField::Email) {
            *per_email.entry(cand.value).or_insert(0) += 1;
        }
    }
    let mut emails: Vec<(u128, u32)> = per_email
        .into_iter()
        .map(|(id, n)| (email_hash(state.emails.get(id).as_str()), n))
        .collect();
    emails.sort_unstable();
    let samples = state
        .samples
        .heads()
        .iter()
        .map(|(k, h)| HeldKey {
            key: sample_hash(state, *k),
            pos: RowPos::of(&h.prov),
            kept: kept_of(h.creator),
        })
        .collect();
    let mut links: HashMap<IdKey, Vec<u128>> = HashMap::new();
    for &(v, p) in state.video_products.distinct().iter() {
        links.entry(v).or_default().push(product_hash(state, p));
    }
    let videos = state
        .videos
        .heads()
        .iter()
        .map(|(k, h)| HeldVideo {
            held: HeldKey {
                key: video_hash(state, *k),
                pos: RowPos::of(&h.prov),
                kept: kept_of(h.creator),
            },
            links: links.remove(k).unwrap_or_default(),
        })
        .collect();
    Summary {
        partition,
        emails,
        samples,
        videos,
    }
}

/// Raises the error of the first file, in plan order, whose manifest carries one, as
/// the one-machine merge raises the first failing input's; checks every file has
/// exactly one manifest.
///
/// # Errors
/// That file's error; [`crate::ErrorKind::InvalidInput`] on field `manifests` when a
/// file has no manifest or several.
pub fn check_manifests(plan: &PartitionPlan, manifests: &[Manifest]) -> Result<()> {
    let mut of_file: Vec<Option<&Manifest>> = vec![None; plan.files().len()];
    for m in manifests {
        match of_file.get_mut(m.file() as usize) {
            Some(slot @ None) => *slot = Some(m),
            Some(Some(_)) => return Err(Error::invalid("manifests", "two manifests of one file")),
            None => return Err(Error::invalid("manifests", "no such file in the plan")),
        }
    }
    for m in of_file {
        let m = m.ok_or_else(|| Error::invalid("manifests", "a file has no manifest"))?;
        if let Some(e) = m.error() {
            return Err(e);
        }
    }
    Ok(())
}

/// The newest holder of a key so far, and how many partitions hold it.
struct Best {
    partition: u32,
    pos: RowPos,
    kept: bool,
    holders: u32,
}

fn hold(plan: &PartitionPlan, best: &mut HashMap<u128, Best>, partition: u32, h: &HeldKey) {
    match best.get_mut(&h.key) {
        None => {
            best.insert(
                h.key,
                Best {
                    partition,
                    pos: h.pos,
                    kept: h.kept,
                    holders: 1,
                },
            );
        }
        Some(b) => {
            b.holders += 1;
            if newest_order(plan, &h.pos, &b.pos) == Ordering::Greater {
                b.partition = partition;
                b.pos = h.pos;
                b.kept = h.kept;
            }
        }
    }
}

/// The broadcast facts from every partition's summary (a partition with no rows may have
/// none) and every file's manifest.
///
/// # Errors
/// As [`check_manifests`]; [`crate::ErrorKind::InvalidInput`] on field `summaries` for
/// two summaries of one partition.
pub fn global_pass(
    plan: &PartitionPlan,
    summaries: &[Summary],
    manifests: &[Manifest],
) -> Result<Facts> {
    check_manifests(plan, manifests)?;
    let mut seen = vec![false; plan.partitions() as usize];
    for s in summaries {
        match seen.get_mut(s.partition as usize) {
            Some(slot @ false) => *slot = true,
            Some(true) => {
                return Err(Error::invalid(
                    "summaries",
                    "two summaries of one partition",
                ));
            }
            None => return Err(Error::invalid("partition", "no such partition in the plan")),
        }
    }
    let mut per_email: HashMap<u128, u64> = HashMap::new();
    for s in summaries {
        for &(e, n) in &s.emails {
            *per_email.entry(e).or_insert(0) += u64::from(n);
        }
    }
    let threshold = plan.options().shared_email_threshold.max(2) as u64;
    let mut shared: Vec<u128> = per_email
        .into_iter()
        .filter(|&(_, n)| n >= threshold)
        .map(|(e, _)| e)
        .collect();
    shared.sort_unstable();

    let mut samples: HashMap<u128, Best> = HashMap::new();
    for s in summaries {
        for h in &s.samples {
            hold(plan, &mut samples, s.partition, h);
        }
    }
    let mut contested_samples: Vec<(u128, u32)> = samples
        .into_iter()
        .filter(|(_, b)| b.holders > 1)
        .map(|(k, b)| (k, b.partition))
        .collect();
    contested_samples.sort_unstable();

    let mut videos: HashMap<u128, Best> = HashMap::new();
    for s in summaries {
        for v in &s.videos {
            hold(plan, &mut videos, s.partition, &v.held);
        }
    }
    videos.retain(|_, b| b.holders > 1);
    let mut links: HashMap<u128, HashMap<u128, u32>> = HashMap::new();
    for s in summaries {
        for v in s.videos.iter().filter(|v| videos.contains_key(&v.held.key)) {
            let of_video = links.entry(v.held.key).or_default();
            for &p in &v.links {
                let emitter = of_video.entry(p).or_insert(s.partition);
                *emitter = (*emitter).min(s.partition);
            }
        }
    }
    let mut contested_videos: Vec<ContestedVideo> = videos
        .into_iter()
        .map(|(key, b)| {
            let mut l: Vec<(u128, u32)> =
                links.remove(&key).unwrap_or_default().into_iter().collect();
            l.sort_unstable();
            ContestedVideo {
                key,
                winner: b.partition,
                kept: b.kept,
                links: l,
            }
        })
        .collect();
    contested_videos.sort_unstable_by_key(|v| v.key);
    Ok(Facts {
        shared,
        samples: contested_samples,
        videos: contested_videos,
    })
}
