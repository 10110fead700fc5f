//! The read-merge-apply cycle behind imports and manual edits.
//!
//! The creators a batch of new rows can change (its *reach*) are the creators it names,
//! the stored creators holding one of its emails (the shared-inbox rule counts creators
//! per email), and the stored owners of records whose keys it brings (a newer row takes a
//! record over). Their stored evidence and records are loaded and merged with the batch.
//! For every email of theirs to count exactly, the stored creators sharing those emails
//! are loaded too, as evidence only: their own results cannot change (no email of theirs
//! gained or lost a creator outside the reach), so they are never written.

use std::collections::{BTreeMap, BTreeSet};

use super::{Crm, ImportOutcome};
use crate::{
    error::Result,
    identity::{Email, Handle},
    merge::{
        BrandLink, CreatorEvidence, Finish, MergeReport, Merger, RecordKeys, RelatedRecords,
        Sample, Snapshot, Video, VideoProduct,
    },
    store::{Change, ChangeSet, StoredCreator},
};

/// What a batch brings: its merger, kept as it is and copied for every attempt, and
/// what the store is asked for.
struct Batch {
    merger: Merger,
    handles: Vec<Handle>,
    emails: Vec<Email>,
    keys: RecordKeys,
}

impl Crm {
    /// Writes what `batch` brings into the store (retrying on conflicts), with the
    /// activity records `log` gives for the outcome.
    pub(super) fn write_batch(
        &self,
        mut merger: Merger,
        log: impl Fn(&ImportOutcome) -> Vec<Change>,
    ) -> Result<ImportOutcome> {
        let report = merger.finish(Finish::CreatorsOnly).report;
        let batch = Batch {
            handles: merger.handles(),
            emails: merger.emails(),
            keys: merger.record_keys(),
            merger,
        };
        self.retry(|| {
            let (mut changes, mut outcome) = self.merge_with_store(&batch)?;
            outcome.report = report.clone();
            for c in log(&outcome) {
                changes.push(c);
            }
            self.store.apply(&self.workspace, &changes)?;
            Ok(outcome)
        })
    }

    /// One attempt: the changes that bring the stored creators of the batch's reach to
    /// the merge of everything, and what they do.
    fn merge_with_store(&self, batch: &Batch) -> Result<(ChangeSet, ImportOutcome)> {
        let ws = &self.workspace;
        let by_keys = self.store.related_by_keys(ws, &batch.keys)?;
        let mut reach: BTreeSet<Handle> = batch.handles.iter().cloned().collect();
        reach.extend(by_keys.samples.iter().map(|s| s.handle.clone()));
        reach.extend(by_keys.videos.iter().map(|v| v.handle.clone()));
        let mut stored: BTreeMap<Handle, StoredCreator> = BTreeMap::new();
        let wanted: Vec<Handle> = reach.iter().cloned().collect();
        for c in self.store.creators(ws, &wanted)? {
            stored.insert(c.creator.handle.clone(), c);
        }
        for c in self.store.creators_with_emails(ws, &batch.emails)? {
            reach.insert(c.creator.handle.clone());
            stored.insert(c.creator.handle.clone(), c);
        }
        // Every email of the reach, for the shared-inbox counts.
        let mut all_emails: BTreeSet<Email> = batch.emails.iter().cloned().collect();
        for c in stored.values() {
            all_emails.extend(c.evidence.emails().cloned());
        }
        let all_emails: Vec<Email> = all_emails.into_iter().collect();
        let mut counted_only: Vec<StoredCreator> = Vec::new();
        if all_emails.len() > batch.emails.len() {
            for c in self.store.creators_with_emails(ws, &all_emails)? {
                if !reach.contains(&c.creator.handle) {
                    counted_only.push(c);
                }
            }
        }
        let reach_list: Vec<Handle> = reach.iter().cloned().collect();
        let records = if stored.is_empty() {
            RelatedRecords::default()
        } else {
            self.store.related(ws, &reach_list)?
        };

        // The batch's merger, copied, with the store's suppression list (it may have
        // grown since the batch was read) and the stored evidence and records.
        let mut merger = batch.merger.clone();
        merger.set_suppression(self.suppression()?);
        for c in stored.values().chain(&counted_only) {
            merger.add_evidence(&c.evidence)?;
        }
        merger.add_related(&records)?;
        merger.add_related(&by_keys)?;
        let mut result = merger.finish(Finish::Everything);
        let mut evidence: BTreeMap<Handle, CreatorEvidence> = merger
            .evidence()
            .into_iter()
            .filter(|e| reach.contains(&e.handle))
            .map(|e| (e.handle.clone(), e))
            .collect();
        drop(merger);
        let mut brands: BTreeMap<&Handle, BTreeSet<String>> = BTreeMap::new();
        for b in &result.brand_links {
            brands.entry(&b.handle).or_default().insert(b.brand.clone());
        }

        let mut changes = ChangeSet::new();
        // The report is the batch's own, which the caller sets.
        let mut outcome = ImportOutcome {
            report: MergeReport::default(),
            created: 0,
            updated: 0,
            deleted: 0,
        };
        let mut written: BTreeSet<Handle> = BTreeSet::new();
        // Stored creators the merge leaves as they are, with their versions.
        let mut unchanged: BTreeMap<Handle, StoredCreator> = BTreeMap::new();
        // The creators are moved into the change set, not copied.
        for mut creator in std::mem::take(&mut result.creators) {
            let h = &creator.handle;
            if !reach.contains(h) {
                continue;
            }
            written.insert(h.clone());
            let Some(ev) = evidence.remove(h) else {
                continue;
            };
            let old = stored.get(h);
            let profile = old.map(|o| o.profile.clone()).unwrap_or_default();
            let brands = brands.remove(h).unwrap_or_default();
            creator.outreach_status = profile.outreach_status;
            let new = StoredCreator {
                creator,
                evidence: ev,
                profile,
                brands,
                version: old.map_or(crate::store::Version::ABSENT, |o| o.version),
            };
            if old.is_some_and(|o| *o == new) {
                unchanged.insert(new.creator.handle.clone(), new);
                continue;
            }
            match old {
                Some(_) => outcome.updated += 1,
                None => outcome.created += 1,
            }
            let expected = new.version;
            changes.push(Change::PutCreator {
                creator: Box::new(new),
                expected,
            });
        }
        for (h, old) in &stored {
            if !written.contains(h) {
                outcome.deleted += 1;
                changes.push(Change::DeleteCreator {
                    handle: h.clone(),
                    expected: old.version,
                });
            }
        }
        let merged = of_creators(
            RelatedRecords {
                samples: result.samples,
                videos: result.videos,
                video_products: result.video_products,
                snapshots: result.snapshots,
                brand_links: result.brand_links,
                products: result.products,
            },
            |h| written.contains(h),
        );
        // Only the creators whose records change have them replaced. A creator whose
        // records change is written too, even when its own record does not: a change set
        // replaces every record of the handles it names, and the creator's version then
        // guards those records against another import that read them before this one
        // wrote (without it, that import's stale records would replace these).
        let before = records_by_handle(&records);
        let after = records_by_handle(&merged);
        let replaced: BTreeSet<Handle> = written
            .iter()
            .filter(|h| before.get(h) != after.get(h))
            .cloned()
            .collect();
        for h in &replaced {
            if let Some(creator) = unchanged.remove(h) {
                let expected = creator.version;
                changes.push(Change::PutCreator {
                    creator: Box::new(creator),
                    expected,
                });
            }
        }
        let records = of_creators(merged, |h| replaced.contains(h));
        let handles: Vec<Handle> = replaced.into_iter().collect();
        if !handles.is_empty() || !records.is_empty() {
            changes.push(Change::PutRelated {
                handles,
                records: Box::new(records),
            });
        }
        Ok((changes, outcome))
    }
}

/// The records of `r` whose creators `keep` accepts (a video's product links with the
/// video); products, which belong to no creator, all stay.
fn of_creators(r: RelatedRecords, keep: impl Fn(&Handle) -> bool) -> RelatedRecords {
    let videos: Vec<_> = r.videos.into_iter().filter(|v| keep(&v.handle)).collect();
    let video_ids: BTreeSet<&str> = videos.iter().map(|v| v.video_id.as_str()).collect();
    let video_products = r
        .video_products
        .into_iter()
        .filter(|l| video_ids.contains(l.video_id.as_str()))
        .collect();
    RelatedRecords {
        samples: r.samples.into_iter().filter(|s| keep(&s.handle)).collect(),
        video_products,
        videos,
        snapshots: r
            .snapshots
            .into_iter()
            .filter(|s| keep(&s.handle))
            .collect(),
        brand_links: r
            .brand_links
            .into_iter()
            .filter(|b| keep(&b.handle))
            .collect(),
        products: r.products,
    }
}

/// One creator's related records, each kind in the order of its key, to tell whether
/// a merge changed them.
#[derive(Default, PartialEq)]
struct HandleRecords<'a> {
    samples: Vec<&'a Sample>,
    videos: Vec<&'a Video>,
    video_products: Vec<&'a VideoProduct>,
    snapshots: Vec<&'a Snapshot>,
    brand_links: Vec<&'a BrandLink>,
}

/// The records of `r` by creator (a product link by its video's creator).
fn records_by_handle(r: &RelatedRecords) -> BTreeMap<&Handle, HandleRecords<'_>> {
    let mut by: BTreeMap<&Handle, HandleRecords<'_>> = BTreeMap::new();
    let mut owner: BTreeMap<&str, &Handle> = BTreeMap::new();
    for s in &r.samples {
        by.entry(&s.handle).or_default().samples.push(s);
    }
    for v in &r.videos {
        owner.insert(v.video_id.as_str(), &v.handle);
        by.entry(&v.handle).or_default().videos.push(v);
    }
    for l in &r.video_products {
        if let Some(h) = owner.get(l.video_id.as_str()) {
            by.entry(h).or_default().video_products.push(l);
        }
    }
    for s in &r.snapshots {
        by.entry(&s.handle).or_default().snapshots.push(s);
    }
    for b in &r.brand_links {
        by.entry(&b.handle).or_default().brand_links.push(b);
    }
    for g in by.values_mut() {
        g.samples
            .sort_by(|a, b| (&a.order_id, &a.sku_id).cmp(&(&b.order_id, &b.sku_id)));
        g.videos.sort_by(|a, b| a.video_id.cmp(&b.video_id));
        g.video_products
            .sort_by(|a, b| (&a.video_id, &a.product_id).cmp(&(&b.video_id, &b.product_id)));
        g.snapshots.sort_by_key(|s| (s.date, s.source));
        g.brand_links.sort_by(|a, b| a.brand.cmp(&b.brand));
    }
    by
}
