//! The finishing pass: every creator's candidates through the survivorship rules
//! (`survivorship.rs`) into the creator table, conflicts, related records and the report.
//!
//! Creators are resolved in index order, on several threads when asked, and the table is
//! then put in handle order; [`Finish::CreatorsReleasing`] releases the merger's state as
//! it goes. Metrics come from the latest snapshot, total GMV falling back to the sum of
//! the creator's video GMV.

use compact_str::CompactString;
use std::{cmp::Ordering, ops::Range};

use ahash::AHashSet;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::state::MergeState;
use super::{
    evidence::RelatedRecords as Related,
    ids::IdIndex,
    intern::Interner,
    keyed::Records,
    model::{
        Alternate, BrandLink, Conflict, Creator, Field, FieldProvenance, OutreachStatus, Product,
        Provenance, Sample, Snapshot, Video, VideoProduct,
    },
    parts::PartsArena,
    report::MergeReport,
    seen::{SeenRows, SortedSet},
    state::{Caches, Cand, CandField, CreatorAcc, Prov, SnapHead, from_secs, next_id},
    survivorship::{Outcome, Ranker},
};
use crate::{
    identity::{MaskedPhone, PostalAddress},
    import::SourceKind,
};

/// Moves the elements of `buf` into a vector of exactly their number, leaving `buf` empty
/// with its capacity, for the next creator.
fn take_exact<T>(buf: &mut Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(buf.len());
    out.append(buf);
    out
}

/// Fewest creators per thread worth a thread of their own.
const PARALLEL_MIN: usize = 1024;

/// Creators per block when [`Finish::CreatorsReleasing`] releases them as it goes.
const OWNED_BLOCK: usize = 512;

/// Owned creators in handle order, [`OWNED_BLOCK`] to a block.
type Blocks = Vec<Vec<Owned>>;

/// A creator [`Finish::CreatorsReleasing`] owns, with what its row reads of its records.
struct Owned {
    ci: u32,
    acc: CreatorAcc,
    snapshot: Option<SnapHead>,
    video_gmv: Option<Decimal>,
}

/// What every creator's resolution reads.
struct ResolveCtx<'a> {
    ranker: &'a Ranker<'a>,
    shared: &'a AHashSet<u32>,
    /// Per creator index, whether it is kept (not suppressed).
    kept: &'a [bool],
    /// Per creator index, the latest snapshot and the summed video GMV (empty when
    /// the creators are owned, and carry their own).
    latest: &'a [Option<(&'a SnapHead, i32)>],
    video_gmv: &'a [Option<Decimal>],
}

/// The resolved creators of one run, with what the report counts of them.
#[derive(Default)]
struct Part {
    creators: Vec<Creator>,
    /// The creator index of each of `creators`.
    ids: Vec<u32>,
    conflicts: Vec<Conflict>,
    /// The creator index of each of `conflicts`.
    conflict_ids: Vec<u32>,
    upgraded: u64,
}

/// Buffers reused from one creator to the next while resolving.
#[derive(Default)]
struct Scratch {
    ranked: Vec<Cand>,
    provenance: Vec<FieldProvenance>,
    alternates: Vec<Alternate>,
}

/// What [`Merger::finish`](super::Merger::finish) returns, and what it leaves of the merger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Finish {
    /// Creators, conflicts, related records and the report; the merger is kept.
    Everything,
    /// Creators, conflicts and the report, the related-record vectors left empty (the
    /// report still counts them): the creator table at a lower memory cost. The merger is
    /// kept, its records with it.
    CreatorsOnly,
    /// The result of [`Finish::CreatorsOnly`] at the lowest peak memory: the merger's
    /// state is released while the table is built, and the merger is left empty (as
    /// [`Merger::new`](super::Merger::new) with the same options).
    CreatorsReleasing,
}

/// Everything a merge produces (`Default`: nothing merged, an empty report).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MergeResult {
    /// Merged creators, sorted by handle.
    pub creators: Vec<Creator>,
    /// Conflicts, sorted by handle and field.
    pub conflicts: Vec<Conflict>,
    /// Samples, sorted by `(order_id, sku_id)` (numeric ids in numeric order).
    pub samples: Vec<Sample>,
    /// Videos, sorted by id (numeric ids in numeric order).
    pub videos: Vec<Video>,
    /// Video-product links, sorted by video then product id.
    pub video_products: Vec<VideoProduct>,
    /// Metric snapshots, sorted by handle, date, source.
    pub snapshots: Vec<Snapshot>,
    /// Brand links, sorted.
    pub brand_links: Vec<BrandLink>,
    /// Products, sorted by id (numeric ids in numeric order).
    pub products: Vec<Product>,
    /// The report.
    pub report: MergeReport,
}

/// Puts `items` in the order of `ranks` (one per item; equal ranks keep their order), in
/// place, by following the permutation's cycles.
///
/// # Panics
/// Never: `next` has a slot for every rank up to the largest.
#[allow(clippy::expect_used)]
pub(super) fn into_rank_order<T>(items: &mut [T], ranks: Vec<u32>) {
    // Dense targets 0..n from the ranks' order, by counting (ranks are below the number
    // of creators): `next[r]` is the next place for an item of rank `r`.
    let top = ranks.iter().max().map_or(0, |&m| m as usize + 1);
    let mut next = vec![0usize; top];
    for &r in &ranks {
        if let Some(n) = next.get_mut(r as usize) {
            *n += 1;
        }
    }
    let mut placed = 0;
    for n in &mut next {
        (*n, placed) = (placed, placed + *n);
    }
    let mut target: Vec<usize> = ranks
        .iter()
        .map(|&r| {
            let p = next
                .get_mut(r as usize)
                .expect("every rank is at most the largest");
            *p += 1;
            *p - 1
        })
        .collect();
    for i in 0..items.len() {
        // Each swap puts one item at its place; an item at its place is never moved again.
        while let Some(&t) = target.get(i) {
            if t == i || t >= items.len() {
                break;
            }
            items.swap(i, t);
            target.swap(i, t);
        }
    }
}

/// The text of a masked phone as shown to staff: `+1 832*****59`.
pub fn masked_text(m: &MaskedPhone) -> String {
    let hidden = m
        .national_len
        .saturating_sub(m.prefix.len() + m.suffix.len());
    let mut text = String::with_capacity(6 + m.prefix.len() + hidden + m.suffix.len());
    if let Some(cc) = m.country_code {
        text.push('+');
        text.push_str(itoa::Buffer::new().format(cc));
        text.push(' ');
    }
    text.push_str(&m.prefix);
    text.extend(std::iter::repeat_n('*', hidden));
    text.push_str(&m.suffix);
    text
}

impl MergeState {
    /// The public provenance of `p`.
    ///
    /// # Panics
    /// Never: `p` names a file of this merger ([`Ranker::file_name`] states why).
    #[allow(clippy::expect_used)]
    pub(super) fn provenance(&self, p: &Prov) -> Provenance {
        Provenance {
            source: p.kind,
            file: self
                .files
                .get(usize::from(p.file))
                .expect("a provenance names a file of its own merger")
                .name
                .clone(),
            line: u64::from(p.line),
            observed_at: from_secs(p.observed),
        }
    }

    /// The text of value `id` of `field`, as an [`Alternate`] shows it.
    pub(super) fn value_text(&self, field: CandField, id: u32) -> String {
        match field {
            CandField::Email => self.emails.get(id).as_str().to_owned(),
            CandField::Phone => self.phones.get(id).as_str().to_owned(),
            CandField::Masked => masked_text(self.masks.get(id)),
            CandField::Name => {
                let [f, l] = self.names.get(id);
                match (f.is_empty(), l.is_empty()) {
                    (false, false) => format!("{f} {l}"),
                    (false, true) => f.to_owned(),
                    _ => l.to_owned(),
                }
            }
            CandField::Address => self
                .addresses
                .get(id)
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// [`Merger::finish`](super::Merger::finish).
    pub(crate) fn finish(&mut self, what: Finish) -> MergeResult {
        match what {
            Finish::Everything => self.finish_inner(true),
            Finish::CreatorsOnly => self.finish_inner(false),
            Finish::CreatorsReleasing => {
                let empty = MergeState::new(self.options.clone());
                std::mem::replace(self, empty).release_creators()
            }
        }
    }

    /// [`Finish::CreatorsReleasing`]: the related records are counted and released before
    /// the creator table is built, and each creator's accumulated values are released as
    /// soon as the creator is resolved.
    fn release_creators(mut self) -> MergeResult {
        for f in &mut self.files {
            f.compact_rows();
            f.rows = SeenRows::default();
        }
        let shared = self.shared_emails();
        let kept = self.kept();
        let mut report = MergeReport::default();
        self.count_related(&kept, &mut report);
        let order = self.handle_order();
        // What each creator's row reads of its records, then the records go.
        let latest: Vec<Option<SnapHead>> = self
            .latest_snapshots(&self.ranker(), kept.len())
            .into_iter()
            .map(|l| l.map(|(s, _)| *s))
            .collect();
        let video_gmv = self.video_gmv();
        self.samples = Records::new(false);
        self.videos = Records::new(false);
        self.snapshots = Records::new(false);
        self.products = Records::new(false);
        self.video_products = SortedSet::default();
        self.brand_links = AHashSet::default();
        self.caches = Caches::default();
        self.creator_index = IdIndex::default();
        // The creators with those figures, in blocks in index order, so that each run
        // resolved on its own thread owns its creators and releases each block once
        // resolved.
        let mut blocks: Blocks = Vec::with_capacity(order.len().div_ceil(OWNED_BLOCK));
        {
            let mut owned = std::mem::take(&mut self.creators)
                .into_iter()
                .zip(latest)
                .zip(video_gmv)
                .zip(0u32..)
                .map(|(((mut acc, snapshot), video_gmv), ci)| {
                    acc.cands.shrink_to_fit();
                    Owned {
                        ci,
                        acc,
                        snapshot,
                        video_gmv,
                    }
                })
                .peekable();
            while owned.peek().is_some() {
                blocks.push(owned.by_ref().take(OWNED_BLOCK).collect());
            }
        }
        let ranker = self.ranker();
        let ctx = ResolveCtx {
            ranker: &ranker,
            shared: &shared,
            kept: &kept,
            latest: &[],
            video_gmv: &[],
        };
        let part = self.resolve_all(&ctx, &order, Some(blocks), &mut report);
        // The values are all copied out: released before the table is sorted.
        self.names = PartsArena::default();
        self.addresses = PartsArena::default();
        self.emails = Interner::default();
        self.phones = Interner::default();
        self.masks = Interner::default();
        let (creators, conflicts) = Self::in_handle_order(part, &order);
        self.fill_report(&mut report, &creators, &conflicts, shared.len());
        MergeResult {
            creators,
            conflicts,
            samples: Vec::new(),
            videos: Vec::new(),
            video_products: Vec::new(),
            snapshots: Vec::new(),
            brand_links: Vec::new(),
            products: Vec::new(),
            report,
        }
    }

    fn finish_inner(&self, with_related: bool) -> MergeResult {
        let ranker = self.ranker();
        let shared = self.shared_emails();
        let kept = self.kept();
        let mut report = MergeReport::default();
        self.count_related(&kept, &mut report);
        let order = self.handle_order();
        let latest = self.latest_snapshots(&ranker, kept.len());
        let video_gmv = self.video_gmv();
        let ctx = ResolveCtx {
            ranker: &ranker,
            shared: &shared,
            kept: &kept,
            latest: &latest,
            video_gmv: &video_gmv,
        };
        let part = self.resolve_all(&ctx, &order, None, &mut report);
        let (creators, conflicts) = Self::in_handle_order(part, &order);
        // A merger that keeps no record details has no records to give.
        let related = if with_related && self.samples.has_details() {
            self.related(&kept)
        } else {
            Related::default()
        };
        self.fill_report(&mut report, &creators, &conflicts, shared.len());
        MergeResult {
            creators,
            conflicts,
            samples: related.samples,
            videos: related.videos,
            video_products: related.video_products,
            snapshots: related.snapshots,
            brand_links: related.brand_links,
            products: related.products,
            report,
        }
    }

    /// Per creator index, whether the creator is kept (no suppression entry matches it).
    fn kept(&self) -> Vec<bool> {
        self.creators
            .iter()
            .map(|acc| !self.is_suppressed(acc))
            .collect()
    }

    /// Creator indices in handle order: sorted as integers packing each handle's first 8
    /// bytes with its index (one comparison of two words, 16 bytes moved), then the runs
    /// whose handles share those bytes by whole handle.
    fn handle_order(&self) -> Vec<u32> {
        let mut keyed: Vec<u128> = self
            .creators
            .iter()
            .zip(0u32..)
            .map(|(c, i)| (u128::from(c.handle.prefix()) << 64) | u128::from(i))
            .collect();
        keyed.sort_unstable();
        let mut order: Vec<u32> = keyed.iter().map(|&k| k as u32).collect();
        let handle = |i: &u32| self.creators.get(*i as usize).map(|c| &c.handle);
        let mut start = 0;
        for run in keyed.chunk_by(|a, b| a >> 64 == b >> 64) {
            if let Some(same) = order.get_mut(start..start + run.len()) {
                same.sort_unstable_by(|a, b| handle(a).cmp(&handle(b)));
            }
            start += run.len();
        }
        order
    }

    /// The latest snapshot of each of `n` creators, with its day.
    fn latest_snapshots(&self, ranker: &Ranker<'_>, n: usize) -> Vec<Option<(&SnapHead, i32)>> {
        let mut latest: Vec<Option<(&SnapHead, i32)>> = vec![None; n];
        for (&(creator, day, _), s) in self.snapshots.heads().iter() {
            let Some(slot) = latest.get_mut(creator as usize) else {
                continue;
            };
            let better = slot.is_none_or(|(old, old_day)| {
                day.cmp(&old_day)
                    .then_with(|| ranker.newest_order(&s.prov, &old.prov))
                    == Ordering::Greater
            });
            if better {
                *slot = Some((s, day));
            }
        }
        latest
    }

    /// Summed video GMV per creator index.
    fn video_gmv(&self) -> Vec<Option<Decimal>> {
        let mut video_gmv: Vec<Option<Decimal>> = vec![None; self.creators.len()];
        for v in self.videos.heads().values() {
            if let (Some(g), Some(slot)) = (v.gmv, video_gmv.get_mut(v.creator as usize)) {
                *slot = Some(slot.unwrap_or(Decimal::ZERO) + g);
            }
        }
        video_gmv
    }

    /// The report's related-record counts: the records of kept creators.
    fn count_related(&self, kept: &[bool], report: &mut MergeReport) {
        let keep = |c: u32| kept.get(c as usize).copied().unwrap_or(false);
        let count = |n: usize| n as u64;
        let (samples, videos) = (self.samples.heads(), self.videos.heads());
        report.samples = count(samples.values().filter(|s| keep(s.creator)).count());
        report.videos = count(videos.values().filter(|v| keep(v.creator)).count());
        let links = self.video_products.distinct();
        // Every link's video is stored (a link comes with its video's row), so with no
        // creator left out every link counts.
        report.video_products = if kept.iter().all(|k| *k) {
            count(links.len())
        } else {
            count(
                links
                    .iter()
                    .filter(|(v, _)| videos.get(v).is_some_and(|v| keep(v.creator)))
                    .count(),
            )
        };
        report.snapshots = count(self.snapshots.heads().keys().filter(|k| keep(k.0)).count());
        report.brand_links = count(self.brand_links.iter().filter(|(_, c)| keep(*c)).count());
        report.products = count(self.products.len());
        report.creators_suppressed = count(kept.iter().filter(|k| !**k).count());
    }

    /// The rest of the report: table and conflict figures, and the file reports.
    fn fill_report(
        &self,
        report: &mut MergeReport,
        creators: &[Creator],
        conflicts: &[Conflict],
        shared: usize,
    ) {
        report.creators = creators.len() as u64;
        report.fields_filled = creators.iter().map(filled_fields).sum();
        report.conflicts = conflicts.len() as u64;
        for c in conflicts {
            *report
                .conflicts_by_field
                .entry(c.field.as_str().to_owned())
                .or_insert(0) += 1;
        }
        report.shared_emails_dropped = shared as u64;
        let mut files: Vec<_> = self
            .files
            .iter()
            .filter(|f| !f.seeded)
            .map(|f| {
                let mut r = f.report.clone();
                r.duplicates_collapsed += f.rows.pending_duplicates();
                r
            })
            .collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        for f in &mut files {
            f.rejected.sort();
            f.rejected.truncate(self.options.max_issues_per_file);
            report.rows_read += f.rows_read;
            report.rows_rejected += f.rows_rejected;
            report.duplicates_collapsed += f.duplicates_collapsed;
            report.values_dropped += f.dropped_by_reason.values().sum::<u64>();
        }
        report.files = files;
    }

    /// Resolves every creator, in index order (the order their values were stored in, so
    /// that the interned emails, phones and texts are read nearly in sequence rather than
    /// at random; [`Merger::in_handle_order`] then sorts the table), on `options.threads`
    /// scoped threads when there are enough of them. `owned`, when given, holds the
    /// creators themselves in index order, in blocks of [`OWNED_BLOCK`], each released
    /// once resolved.
    fn resolve_all(
        &self,
        ctx: &ResolveCtx<'_>,
        order: &[u32],
        owned: Option<Blocks>,
        report: &mut MergeReport,
    ) -> Part {
        let n = order.len();
        let threads = self.options.threads.clamp(1, 64);
        // Runs start on block boundaries, so that each run's blocks are its own.
        let len = if threads > 1 && order.len() >= 2 * PARALLEL_MIN {
            order.len().div_ceil(threads).next_multiple_of(OWNED_BLOCK)
        } else {
            order.len().max(1)
        };
        let mut blocks = owned.map(Vec::into_iter);
        let runs: Vec<(Range<u32>, Option<Blocks>)> = (0..n)
            .step_by(len)
            .map(|start| {
                let end = start.saturating_add(len).min(n);
                let mine = blocks.as_mut().map(|b| {
                    b.by_ref()
                        .take((end - start).div_ceil(OWNED_BLOCK))
                        .collect()
                });
                // Creator indices: below the merger's creator count, so `u32` ids.
                (next_id(start)..next_id(end), mine)
            })
            .collect();
        let parts: Vec<Part> = if runs.len() > 1 {
            std::thread::scope(|scope| {
                let handles: Vec<_> = runs
                    .into_iter()
                    .map(|(run, owned)| scope.spawn(|| self.resolve_run(ctx, run, owned)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            })
        } else {
            runs.into_iter()
                .map(|(run, owned)| self.resolve_run(ctx, run, owned))
                .collect()
        };
        // One run: its vectors are the table. Several: joined into one (a copy of the
        // table's inline part while both exist).
        let single = parts.len() == 1;
        let mut joined = Part::default();
        for mut part in parts {
            if single {
                joined = part;
                break;
            }
            joined.creators.append(&mut part.creators);
            joined.ids.append(&mut part.ids);
            joined.conflicts.append(&mut part.conflicts);
            joined.conflict_ids.append(&mut part.conflict_ids);
            joined.upgraded += part.upgraded;
        }
        report.masked_phones_upgraded += joined.upgraded;
        report.phone_masks_confirmed += joined.upgraded;
        joined
    }

    /// The resolved creators and conflicts of `part` (in index order) put in `order`
    /// (creator indices in handle order), in place: by following the permutation's
    /// cycles, so the table is never held twice. Conflicts keep their order within a
    /// creator.
    ///
    /// # Panics
    /// Never: `order` is a permutation of the creator indices `part` was resolved from.
    #[allow(clippy::expect_used)]
    fn in_handle_order(part: Part, order: &[u32]) -> (Vec<Creator>, Vec<Conflict>) {
        let mut rank = vec![0u32; order.len()];
        for (r, &ci) in (0u32..).zip(order) {
            if let Some(slot) = rank.get_mut(ci as usize) {
                *slot = r;
            }
        }
        let rank_of = |ci: &u32| {
            rank.get(*ci as usize)
                .copied()
                .expect("a resolved creator's index is one of `order`'s")
        };
        let Part {
            mut creators,
            ids,
            mut conflicts,
            conflict_ids,
            ..
        } = part;
        into_rank_order(&mut creators, ids.iter().map(rank_of).collect());
        into_rank_order(&mut conflicts, conflict_ids.iter().map(rank_of).collect());
        (creators, conflicts)
    }

    /// Resolves the creators `run` (indices, ascending): from `owned`, the same creators
    /// in blocks, each released once resolved, when given; else from the merger.
    fn resolve_run(&self, ctx: &ResolveCtx<'_>, run: Range<u32>, owned: Option<Blocks>) -> Part {
        let mut part = Part {
            creators: Vec::with_capacity(run.len()),
            ..Part::default()
        };
        let mut scratch = Scratch::default();
        match owned {
            Some(blocks) => {
                for block in blocks {
                    for o in block {
                        let snapshot = o.snapshot.as_ref();
                        let row = (o.ci, &o.acc, snapshot, o.video_gmv);
                        self.resolve_into(ctx, row, &mut part, &mut scratch);
                    }
                }
            }
            None => {
                for ci in run {
                    let i = ci as usize;
                    if let Some(acc) = self.creators.get(i) {
                        let snapshot = ctx.latest.get(i).copied().flatten().map(|x| x.0);
                        let gmv = ctx.video_gmv.get(i).copied().flatten();
                        self.resolve_into(ctx, (ci, acc, snapshot, gmv), &mut part, &mut scratch);
                    }
                }
            }
        }
        part
    }

    /// Resolves creator `ci` (its accumulated values, latest snapshot and summed video
    /// GMV) into `part`, unless it is suppressed.
    fn resolve_into(
        &self,
        ctx: &ResolveCtx<'_>,
        (ci, acc, snapshot, video_gmv): (u32, &CreatorAcc, Option<&SnapHead>, Option<Decimal>),
        part: &mut Part,
        scratch: &mut Scratch,
    ) {
        if !ctx.kept.get(ci as usize).copied().unwrap_or(false) {
            return;
        }
        let (creator, mut cs, upgraded) =
            self.resolve_creator(ctx.ranker, acc, ctx.shared, snapshot, video_gmv, scratch);
        part.upgraded += u64::from(upgraded);
        part.conflict_ids.extend(std::iter::repeat_n(ci, cs.len()));
        part.conflicts.append(&mut cs);
        part.creators.push(creator);
        part.ids.push(ci);
    }

    /// One creator, its conflicts, and whether a masked phone was upgraded.
    fn resolve_creator(
        &self,
        ranker: &Ranker<'_>,
        acc: &CreatorAcc,
        shared: &AHashSet<u32>,
        snapshot: Option<&SnapHead>,
        video_gmv: Option<Decimal>,
        scratch: &mut Scratch,
    ) -> (Creator, Vec<Conflict>, bool) {
        let Scratch {
            ranked,
            provenance,
            alternates,
        } = scratch;
        provenance.clear();
        alternates.clear();
        self.rank_all(ranker, acc, shared, ranked);
        let ranked = &*ranked;
        let mut conflicts = Vec::new();
        let mut out = Outcome {
            provenance: &mut *provenance,
            alternates: &mut *alternates,
            conflicts: &mut conflicts,
        };
        let handle = acc.handle;
        let email = self
            .pick(ranked, CandField::Email, Field::Email, handle, &mut out)
            .map(|c| self.emails.get(c.value).clone());
        let phone = self
            .pick(ranked, CandField::Phone, Field::Phone, handle, &mut out)
            .map(|c| (self.phones.get(c.value), c.prov.kind));
        let name = self
            .pick(ranked, CandField::Name, Field::Name, handle, &mut out)
            .map(|c| c.value);
        let address = self
            .pick(ranked, CandField::Address, Field::Address, handle, &mut out)
            .map(|c| c.value);
        let masks = self.settle_masks(ranked, phone, handle, &mut out);
        let phone = phone.map(|(number, _)| number.clone());
        let confirmed = masks.confirmed;
        let phone_masked = masks.shown;

        let (first_name, last_name) = name.map_or_else(Default::default, |id| {
            let [first, last] = self.names.get(id).map(CompactString::new);
            (first, last)
        });
        let address = address.map_or_else(PostalAddress::default, |id| {
            let [line1, line2, city, state, zip, country] =
                self.addresses.get(id).map(CompactString::new);
            PostalAddress {
                line1,
                line2,
                city,
                state,
                zip,
                country,
            }
        });
        let follower_count = snapshot.and_then(|s| s.followers);
        if let Some(s) = snapshot.filter(|s| s.followers.is_some()) {
            provenance.push(FieldProvenance {
                field: Field::FollowerCount,
                provenance: self.provenance(&s.prov),
            });
        }
        let total_gmv = match snapshot.and_then(|s| s.gmv) {
            Some(g) => {
                if let Some(s) = snapshot {
                    provenance.push(FieldProvenance {
                        field: Field::TotalGmv,
                        provenance: self.provenance(&s.prov),
                    });
                }
                g
            }
            None => video_gmv.unwrap_or(Decimal::ZERO),
        };
        provenance.sort_by_key(|p| p.field);
        alternates.sort_by(|a, b| a.field.cmp(&b.field).then_with(|| a.value.cmp(&b.value)));
        let creator = Creator {
            handle: acc.handle.to_handle(),
            email,
            phone_verified: phone.is_some(),
            phone,
            phone_masked,
            phone_mask_confirmed: confirmed,
            first_name,
            last_name,
            address,
            follower_count,
            total_gmv,
            outreach_status: OutreachStatus::Pending,
            sources: sources_of(acc.sources, &self.options.priority),
            // Exact-size copies; the buffers stay for the next creator.
            provenance: take_exact(provenance),
            alternates: take_exact(alternates),
        };
        (creator, conflicts, confirmed)
    }

    fn opt_str(&self, id: Option<u32>) -> Option<String> {
        id.map(|i| self.strings.str(i).to_owned())
    }

    pub(super) fn related(&self, kept: &[bool]) -> Related {
        let keep = |c: u32| kept.get(c as usize).copied().unwrap_or(false);
        let handle = |c: u32| self.creators.get(c as usize).map(|c| c.handle.to_handle());
        let mut sample_recs: Vec<_> = self
            .samples
            .iter_full()
            .filter(|(_, h, _)| keep(h.creator))
            .collect();
        sample_recs.sort_unstable_by(|(a, ..), (b, ..)| {
            self.id_order(a.0, b.0)
                .then_with(|| self.id_order(a.1, b.1))
        });
        let samples: Vec<Sample> = sample_recs
            .into_iter()
            .filter_map(|(&(o, k), h, s)| {
                Some(Sample {
                    order_id: self.id_text(o),
                    sku_id: self.id_text(k),
                    handle: handle(h.creator)?,
                    product_name: self.opt_str(s.product_name),
                    variation: self.opt_str(s.variation),
                    quantity: s.quantity,
                    status: self.opt_str(s.status),
                    created_at: from_secs(s.created),
                    shipped_at: from_secs(s.shipped),
                    delivered_at: from_secs(s.delivered),
                    provenance: self.provenance(&h.prov),
                })
            })
            .collect();
        let mut video_recs: Vec<_> = self
            .videos
            .iter_full()
            .filter(|(_, h, _)| keep(h.creator))
            .collect();
        video_recs.sort_unstable_by(|(a, ..), (b, ..)| self.id_order(**a, **b));
        let videos: Vec<Video> = video_recs
            .into_iter()
            .filter_map(|(&id, h, v)| {
                Some(Video {
                    video_id: self.id_text(id),
                    handle: handle(h.creator)?,
                    name: self.opt_str(v.name),
                    posted_at: from_secs(v.posted),
                    gmv: h.gmv,
                    items_sold: v.counts.get(0),
                    orders: v.counts.get(1),
                    impressions: v.counts.get(2),
                    likes: v.counts.get(3),
                    comments: v.counts.get(4),
                    ctr: v.amounts.get(0),
                    commission: v.amounts.get(1),
                    provenance: self.provenance(&h.prov),
                })
            })
            .collect();
        let kept_videos: AHashSet<u64> = self
            .videos
            .heads()
            .iter()
            .filter(|(_, v)| keep(v.creator))
            .map(|(&id, _)| id)
            .collect();
        let all_links = self.video_products.distinct();
        let mut links: Vec<_> = all_links
            .iter()
            .filter(|(v, _)| kept_videos.contains(v))
            .collect();
        links.sort_unstable_by(|a, b| {
            self.id_order(a.0, b.0)
                .then_with(|| self.id_order(a.1, b.1))
        });
        let video_products: Vec<VideoProduct> = links
            .into_iter()
            .map(|&(v, p)| VideoProduct {
                video_id: self.id_text(v),
                product_id: self.id_text(p),
            })
            .collect();
        let mut snapshots: Vec<Snapshot> = self
            .snapshots
            .iter_full()
            .filter(|(k, ..)| keep(k.0))
            .filter_map(|(&(c, day, source), h, s)| {
                Some(Snapshot {
                    handle: handle(c)?,
                    date: NaiveDate::from_num_days_from_ce_opt(day),
                    source,
                    followers: h.followers,
                    gmv: h.gmv,
                    emv: s.emv,
                    total_posts: s.total_posts,
                    likes: s.likes,
                    comments: s.comments,
                    shares: s.shares,
                    engagement: s.engagement,
                    impressions: s.impressions,
                    last_post: s.last_post,
                    provenance: self.provenance(&h.prov),
                })
            })
            .collect();
        snapshots.sort_by(|a, b| (&a.handle, a.date, a.source).cmp(&(&b.handle, b.date, b.source)));
        let mut brand_links: Vec<BrandLink> = self
            .brand_links
            .iter()
            .filter(|(_, c)| keep(*c))
            .filter_map(|&(b, c)| {
                Some(BrandLink {
                    brand: self.strings.str(b).to_owned(),
                    handle: handle(c)?,
                })
            })
            .collect();
        brand_links.sort();
        let mut product_accs: Vec<_> = self.products.heads().iter().collect();
        product_accs.sort_unstable_by(|(a, _), (b, _)| self.id_order(**a, **b));
        let products: Vec<Product> = product_accs
            .into_iter()
            .map(|(&id, p)| Product {
                product_id: self.id_text(id),
                name: self.opt_str(p.name),
                gmv: p.gmv,
                items_sold: p.items_sold,
                orders: p.orders,
                provenance: self.provenance(&p.prov),
            })
            .collect();
        Related {
            samples,
            videos,
            video_products,
            snapshots,
            brand_links,
            products,
        }
    }
}

fn sources_of(bits: u8, priority: &super::SourcePriority) -> Vec<SourceKind> {
    let mut v: Vec<SourceKind> = SourceKind::ALL
        .into_iter()
        .filter(|k| bits & (1 << (*k as u8)) != 0)
        .collect();
    v.sort_by_key(|k| std::cmp::Reverse(priority.rank(*k)));
    v
}

fn filled_fields(c: &Creator) -> u64 {
    let a = &c.address;
    [
        c.email.is_some(),
        c.phone.is_some() || c.phone_masked.is_some(),
        !c.first_name.is_empty() || !c.last_name.is_empty(),
        !(a.line1.is_empty() && a.city.is_empty() && a.state.is_empty() && a.zip.is_empty()),
        c.follower_count.is_some(),
        !c.total_gmv.is_zero(),
    ]
    .into_iter()
    .map(u64::from)
    .sum()
}
