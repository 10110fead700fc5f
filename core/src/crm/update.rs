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
    merge::{CreatorEvidence, Finish, MergeReport, Merger, RecordKeys, RelatedRecords},
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
        let mut records = if stored.is_empty() {
            RelatedRecords::default()
        } else {
            self.store.related(ws, &reach_list)?
        };
        records.extend(by_keys);

        // The batch's merger, copied, with the store's suppression list (it may have
        // grown since the batch was read) and the stored evidence and records.
        let mut merger = batch.merger.clone();
        merger.set_suppression(self.suppression()?);
        for c in stored.values().chain(&counted_only) {
            merger.add_evidence(&c.evidence)?;
        }
        merger.add_related(&records)?;
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
        let kept = |h: &Handle| written.contains(h);
        let videos: Vec<_> = result
            .videos
            .into_iter()
            .filter(|v| kept(&v.handle))
            .collect();
        let video_ids: BTreeSet<&str> = videos.iter().map(|v| v.video_id.as_str()).collect();
        let records = RelatedRecords {
            samples: result
                .samples
                .into_iter()
                .filter(|s| kept(&s.handle))
                .collect(),
            video_products: result
                .video_products
                .into_iter()
                .filter(|l| video_ids.contains(l.video_id.as_str()))
                .collect(),
            videos,
            snapshots: result
                .snapshots
                .into_iter()
                .filter(|s| kept(&s.handle))
                .collect(),
            brand_links: result
                .brand_links
                .into_iter()
                .filter(|b| kept(&b.handle))
                .collect(),
            products: result.products,
        };
        let handles: Vec<Handle> = written.into_iter().collect();
        if !handles.is_empty() || !records.is_empty() {
            changes.push(Change::PutRelated {
                handles,
                records: Box::new(records),
            });
        }
        Ok((changes, outcome))
    }
}
