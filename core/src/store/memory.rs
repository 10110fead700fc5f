//! [`MemoryStore`]: every workspace in memory, behind one lock.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Mutex, MutexGuard},
};

use chrono::NaiveDate;

use super::{
    ActivityRecord, Change, ChangeSet, CreatorPage, CreatorQuery, Store, StoredCreator,
    SupporterState, Version, conflict, query,
};
use crate::{
    error::Result,
    identity::{Email, Handle},
    import::SourceKind,
    merge::{
        BrandLink, Product, RecordKeys, RelatedRecords, Sample, Snapshot, Video, VideoProduct,
    },
    supporters::{CooldownState, Supporter, SupporterId},
};

/// A store that keeps everything in memory: for tests, notebooks and hosts that persist
/// elsewhere. Cloning a store is not offered; share it behind an `Arc`.
///
/// ```
/// use creator_crm::store::{MemoryStore, Store};
/// let store = MemoryStore::new();
/// assert!(store.suppression("default")?.is_empty());
/// # Ok::<(), creator_crm::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    workspaces: Mutex<BTreeMap<String, Workspace>>,
    /// Outreach state ([`crate::outbox::OutreachStore`]).
    pub(crate) outreach: crate::outbox::OutreachMemory,
}

type SnapshotKey = (String, Option<NaiveDate>, SourceKind);

#[derive(Debug, Default)]
struct Workspace {
    creators: BTreeMap<String, StoredCreator>,
    /// Evidence email → handles.
    by_email: BTreeMap<String, BTreeSet<String>>,
    samples: BTreeMap<(String, String), Sample>,
    videos: BTreeMap<String, Video>,
    video_products: BTreeSet<(String, String)>,
    snapshots: BTreeMap<SnapshotKey, Snapshot>,
    /// `(handle, brand)`.
    brand_links: BTreeSet<(String, String)>,
    products: BTreeMap<String, Product>,
    suppression: BTreeSet<[u8; 32]>,
    supporters: BTreeMap<String, BTreeMap<SupporterId, Supporter>>,
    cooldowns: BTreeMap<String, (CooldownState, Version)>,
    activity: Vec<ActivityRecord>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, Workspace>> {
        // A panic while the lock was held left no half-applied change set (changes are
        // applied only after every check passed), so the data is still whole.
        self.workspaces
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn read<T>(&self, workspace: &str, f: impl FnOnce(&Workspace) -> T) -> Result<T> {
        let all = self.lock();
        let empty = Workspace::default();
        Ok(f(all.get(workspace).unwrap_or(&empty)))
    }
}

impl Workspace {
    fn creator_version(&self, handle: &str) -> Version {
        self.creators
            .get(handle)
            .map_or(Version::ABSENT, |c| c.version)
    }

    fn cooldown_version(&self, handle: &str) -> Version {
        self.cooldowns
            .get(handle)
            .map_or(Version::ABSENT, |(_, v)| *v)
    }

    /// Checks every expected version, as the changes would leave them in order.
    fn check(&self, changes: &ChangeSet) -> Result<()> {
        let mut creators: BTreeMap<&str, Version> = BTreeMap::new();
        let mut cooldowns: BTreeMap<&str, Version> = BTreeMap::new();
        for change in &changes.changes {
            match change {
                Change::PutCreator { creator, expected } => {
                    let h = creator.creator.handle.as_str();
                    let held = *creators.entry(h).or_insert_with(|| self.creator_version(h));
                    if held != *expected {
                        return Err(conflict("creator"));
                    }
                    creators.insert(h, expected.next());
                }
                Change::DeleteCreator { handle, expected } => {
                    let h = handle.as_str();
                    let held = *creators.entry(h).or_insert_with(|| self.creator_version(h));
                    if held != *expected || held == Version::ABSENT {
                        return Err(conflict("creator"));
                    }
                    creators.insert(h, Version::ABSENT);
                    cooldowns.insert(h, Version::ABSENT);
                }
                Change::PutCooldowns {
                    creator, expected, ..
                } => {
                    let h = creator.as_str();
                    let held = *cooldowns
                        .entry(h)
                        .or_insert_with(|| self.cooldown_version(h));
                    if held != *expected {
                        return Err(conflict("cooldowns"));
                    }
                    cooldowns.insert(h, expected.next());
                }
                Change::LogActivity { .. }
                | Change::RedactActivity { .. }
                | Change::PutRelated { .. }
                | Change::Suppress { .. }
                | Change::PutSupporters { .. }
                | Change::DeleteSupporters { .. } => {}
            }
        }
        Ok(())
    }

    /// Applies one checked change.
    fn apply(&mut self, change: &Change) {
        match change {
            Change::PutCreator { creator, expected } => {
                let mut c = (**creator).clone();
                c.version = expected.next();
                let h = c.creator.handle.as_str().to_owned();
                self.unindex(&h);
                for e in c.evidence.emails() {
                    self.by_email
                        .entry(e.as_str().to_owned())
                        .or_default()
                        .insert(h.clone());
                }
                self.creators.insert(h, c);
            }
            Change::DeleteCreator { handle, .. } => {
                let h = handle.as_str();
                self.unindex(h);
                self.creators.remove(h);
                self.remove_records_of(&BTreeSet::from([h.to_owned()]));
                self.supporters.remove(h);
                self.cooldowns.remove(h);
            }
            Change::PutRelated { handles, records } => {
                let set: BTreeSet<String> = handles.iter().map(|h| h.as_str().to_owned()).collect();
                self.remove_records_of(&set);
                self.put_records(records);
            }
            Change::Suppress { hashes } => self.suppression.extend(hashes.iter().copied()),
            Change::PutSupporters {
                creator,
                supporters,
            } => {
                let mine = self
                    .supporters
                    .entry(creator.as_str().to_owned())
                    .or_default();
                for s in supporters {
                    mine.insert(s.id.clone(), s.clone());
                }
            }
            Change::DeleteSupporters { creator, ids } => {
                if let Some(mine) = self.supporters.get_mut(creator.as_str()) {
                    for id in ids {
                        mine.remove(id);
                    }
                }
            }
            Change::PutCooldowns {
                creator,
                state,
                expected,
            } => {
                self.cooldowns.insert(
                    creator.as_str().to_owned(),
                    (state.clone(), expected.next()),
                );
            }
            Change::RedactActivity { target } => {
                for r in self.activity.iter_mut().filter(|r| &r.target == target) {
                    r.target.clear();
                }
            }
            Change::LogActivity { record } => {
                let mut r = record.clone();
                r.seq = self.activity.len() as u64 + 1;
                self.activity.push(r);
            }
        }
    }

    fn unindex(&mut self, handle: &str) {
        if let Some(old) = self.creators.get(handle) {
            for e in old.evidence.emails() {
                if let Some(set) = self.by_email.get_mut(e.as_str()) {
                    set.remove(handle);
                    if set.is_empty() {
                        self.by_email.remove(e.as_str());
                    }
                }
            }
        }
    }

    fn remove_records_of(&mut self, handles: &BTreeSet<String>) {
        let mine = |h: &Handle| handles.contains(h.as_str());
        self.samples.retain(|_, s| !mine(&s.handle));
        let gone: BTreeSet<String> = self
            .videos
            .iter()
            .filter(|(_, v)| mine(&v.handle))
            .map(|(id, _)| id.clone())
            .collect();
        self.videos.retain(|id, _| !gone.contains(id));
        self.video_products.retain(|(v, _)| !gone.contains(v));
        self.snapshots.retain(|(h, ..), _| !handles.contains(h));
        self.brand_links.retain(|(h, _)| !handles.contains(h));
    }

    fn put_records(&mut self, r: &RelatedRecords) {
        for s in &r.samples {
            self.samples
                .insert((s.order_id.clone(), s.sku_id.clone()), s.clone());
        }
        for v in &r.videos {
            self.videos.insert(v.video_id.clone(), v.clone());
        }
        for l in &r.video_products {
            self.video_products
                .insert((l.video_id.clone(), l.product_id.clone()));
        }
        for s in &r.snapshots {
            let key = (s.handle.as_str().to_owned(), s.date, s.source);
            self.snapshots.insert(key, s.clone());
        }
        for b in &r.brand_links {
            self.brand_links
                .insert((b.handle.as_str().to_owned(), b.brand.clone()));
        }
        for p in &r.products {
            self.products.insert(p.product_id.clone(), p.clone());
        }
    }

    fn links_of<'a>(&self, videos: impl Iterator<Item = &'a str>) -> Vec<VideoProduct> {
        let mut out = Vec::new();
        for v in videos {
            let from = (v.to_owned(), String::new());
            out.extend(
                self.video_products
                    .range(from..)
                    .take_while(|(vid, _)| vid == v)
                    .map(|(video_id, product_id)| VideoProduct {
                        video_id: video_id.clone(),
                        product_id: product_id.clone(),
                    }),
            );
        }
        out
    }
}

impl Store for MemoryStore {
    fn creators(&self, workspace: &str, handles: &[Handle]) -> Result<Vec<StoredCreator>> {
        self.read(workspace, |w| {
            let set: BTreeSet<&str> = handles.iter().map(Handle::as_str).collect();
            set.into_iter()
                .filter_map(|h| w.creators.get(h).cloned())
                .collect()
        })
    }

    fn creators_with_emails(
        &self,
        workspace: &str,
        emails: &[Email],
    ) -> Result<Vec<StoredCreator>> {
        self.read(workspace, |w| {
            let handles: BTreeSet<&String> = emails
                .iter()
                .filter_map(|e| w.by_email.get(e.as_str()))
                .flatten()
                .collect();
            handles
                .into_iter()
                .filter_map(|h| w.creators.get(h).cloned())
                .collect()
        })
    }

    fn related(&self, workspace: &str, handles: &[Handle]) -> Result<RelatedRecords> {
        self.read(workspace, |w| {
            let set: BTreeSet<&str> = handles.iter().map(Handle::as_str).collect();
            let mine = |h: &Handle| set.contains(h.as_str());
            let videos: Vec<Video> = w
                .videos
                .values()
                .filter(|v| mine(&v.handle))
                .cloned()
                .collect();
            RelatedRecords {
                samples: w
                    .samples
                    .values()
                    .filter(|s| mine(&s.handle))
                    .cloned()
                    .collect(),
                video_products: w.links_of(videos.iter().map(|v| v.video_id.as_str())),
                videos,
                snapshots: w
                    .snapshots
                    .values()
                    .filter(|s| mine(&s.handle))
                    .cloned()
                    .collect(),
                brand_links: w
                    .brand_links
                    .iter()
                    .filter(|(h, _)| set.contains(h.as_str()))
                    .map(|(h, b)| BrandLink {
                        brand: b.clone(),
                        handle: Handle::from_normalized(h),
                    })
                    .collect(),
                products: Vec::new(),
            }
        })
    }

    fn related_by_keys(&self, workspace: &str, keys: &RecordKeys) -> Result<RelatedRecords> {
        self.read(workspace, |w| {
            let videos: Vec<Video> = keys
                .videos
                .iter()
                .filter_map(|id| w.videos.get(id).cloned())
                .collect();
            RelatedRecords {
                samples: keys
                    .samples
                    .iter()
                    .filter_map(|k| w.samples.get(k).cloned())
                    .collect(),
                video_products: w.links_of(videos.iter().map(|v| v.video_id.as_str())),
                videos,
                snapshots: Vec::new(),
                brand_links: Vec::new(),
                products: keys
                    .products
                    .iter()
                    .filter_map(|id| w.products.get(id).cloned())
                    .collect(),
            }
        })
    }

    fn list_creators(&self, workspace: &str, query: &CreatorQuery) -> Result<CreatorPage> {
        self.read(workspace, |w| query::page_of(w.creators.values(), query))?
    }

    fn search_creators(
        &self,
        workspace: &str,
        text: &str,
        limit: usize,
    ) -> Result<Vec<StoredCreator>> {
        self.read(workspace, |w| {
            query::search_of(w.creators.values(), text, limit)
        })
    }

    fn suppression(&self, workspace: &str) -> Result<Vec<[u8; 32]>> {
        self.read(workspace, |w| w.suppression.iter().copied().collect())
    }

    fn supporters(&self, workspace: &str, creator: &Handle) -> Result<SupporterState> {
        self.read(workspace, |w| {
            let (cooldowns, cooldowns_version) = w
                .cooldowns
                .get(creator.as_str())
                .cloned()
                .unwrap_or_default();
            SupporterState {
                supporters: w
                    .supporters
                    .get(creator.as_str())
                    .map(|m| m.values().cloned().collect())
                    .unwrap_or_default(),
                cooldowns,
                cooldowns_version,
            }
        })
    }

    fn activity(&self, workspace: &str, limit: usize) -> Result<Vec<ActivityRecord>> {
        self.read(workspace, |w| {
            w.activity.iter().rev().take(limit).cloned().collect()
        })
    }

    fn apply(&self, workspace: &str, changes: &ChangeSet) -> Result<()> {
        let mut all = self.lock();
        let w = all.entry(workspace.to_owned()).or_default();
        w.check(changes)?;
        for change in &changes.changes {
            w.apply(change);
        }
        Ok(())
    }
}
