//! Outreach state in memory, as [`crate::store::MemoryStore`] keeps it.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Mutex, MutexGuard, PoisonError},
};

use super::{ConsentEntry, OutboxEntry, OutboxStatus, OutreachChange, OutreachStore};
use crate::{
    error::Result,
    identity::Handle,
    store::{MemoryStore, Version, conflict},
};

/// Every workspace's outreach state behind one lock.
#[derive(Debug, Default)]
pub(crate) struct OutreachMemory {
    workspaces: Mutex<BTreeMap<String, Workspace>>,
}

#[derive(Debug, Default)]
struct Workspace {
    outbox: BTreeMap<String, OutboxEntry>,
    consent: Vec<ConsentEntry>,
    events: BTreeSet<String>,
}

impl Workspace {
    /// Checks every expected version and event key, as the changes would leave them
    /// in order, so that applying cannot fail halfway.
    fn check(&self, changes: &[OutreachChange]) -> Result<()> {
        // Versions as the changes so far leave them, with the entry's creator.
        let mut versions: BTreeMap<&str, (Version, &Handle)> = BTreeMap::new();
        let mut forgotten: BTreeSet<&Handle> = BTreeSet::new();
        let mut events: BTreeSet<&str> = BTreeSet::new();
        for change in changes {
            match change {
                OutreachChange::PutOutbox { entry, expected } => {
                    let id = entry.id.as_str();
                    let held = versions.get(id).map_or_else(
                        || match self.outbox.get(id) {
                            Some(e) if !forgotten.contains(&e.creator) => e.version,
                            _ => Version::ABSENT,
                        },
                        |(v, _)| *v,
                    );
                    if held != *expected {
                        return Err(conflict("outbox"));
                    }
                    versions.insert(id, (expected.next(), &entry.creator));
                }
                OutreachChange::MarkEvent { key } => {
                    if self.events.contains(key) || !events.insert(key) {
                        return Err(conflict("event"));
                    }
                }
                OutreachChange::ForgetCreator { creator } => {
                    forgotten.insert(creator);
                    versions.retain(|_, (_, c)| *c != creator);
                }
                OutreachChange::RecordConsent { .. } => {}
            }
        }
        Ok(())
    }

    /// Applies one checked change.
    fn apply(&mut self, change: &OutreachChange) {
        match change {
            OutreachChange::PutOutbox { entry, expected } => {
                let mut e = (**entry).clone();
                e.version = expected.next();
                self.outbox.insert(e.id.clone(), e);
            }
            OutreachChange::RecordConsent { entry } => self.consent.push(entry.clone()),
            OutreachChange::MarkEvent { key } => {
                self.events.insert(key.clone());
            }
            OutreachChange::ForgetCreator { creator } => {
                self.outbox.retain(|_, e| &e.creator != creator);
                self.consent.retain(|e| &e.creator != creator);
            }
        }
    }
}

impl OutreachMemory {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, Workspace>> {
        // Changes are applied only after every check passed, so a poisoned lock still
        // guards whole data.
        self.workspaces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn read<T>(&self, workspace: &str, f: impl FnOnce(&Workspace) -> T) -> T {
        let all = self.lock();
        let empty = Workspace::default();
        f(all.get(workspace).unwrap_or(&empty))
    }

    pub(crate) fn outbox(&self, workspace: &str, ids: &[String]) -> Vec<OutboxEntry> {
        self.read(workspace, |w| {
            let ids: BTreeSet<&String> = ids.iter().collect();
            ids.into_iter()
                .filter_map(|id| w.outbox.get(id).cloned())
                .collect()
        })
    }

    pub(crate) fn with_status(
        &self,
        workspace: &str,
        status: OutboxStatus,
        limit: usize,
    ) -> Vec<OutboxEntry> {
        self.read(workspace, |w| {
            let mut found: Vec<&OutboxEntry> =
                w.outbox.values().filter(|e| e.status == status).collect();
            found.sort_by(|a, b| (a.not_before, &a.id).cmp(&(b.not_before, &b.id)));
            found.into_iter().take(limit).cloned().collect()
        })
    }

    pub(crate) fn matching(
        &self,
        workspace: &str,
        keep: impl Fn(&OutboxEntry) -> bool,
    ) -> Vec<OutboxEntry> {
        self.read(workspace, |w| {
            w.outbox.values().filter(|e| keep(e)).cloned().collect()
        })
    }

    pub(crate) fn consent(&self, workspace: &str, creators: &[Handle]) -> Vec<ConsentEntry> {
        self.read(workspace, |w| {
            let set: BTreeSet<&Handle> = creators.iter().collect();
            w.consent
                .iter()
                .filter(|e| set.contains(&e.creator))
                .cloned()
                .collect()
        })
    }

    pub(crate) fn events_seen(&self, workspace: &str, keys: &[String]) -> Vec<String> {
        self.read(workspace, |w| {
            keys.iter()
                .filter(|k| w.events.contains(*k))
                .cloned()
                .collect()
        })
    }

    pub(crate) fn apply(&self, workspace: &str, changes: &[OutreachChange]) -> Result<()> {
        let mut all = self.lock();
        let w = all.entry(workspace.to_owned()).or_default();
        w.check(changes)?;
        for change in changes {
            w.apply(change);
        }
        Ok(())
    }
}

impl OutreachStore for MemoryStore {
    fn outbox(&self, workspace: &str, ids: &[String]) -> Result<Vec<OutboxEntry>> {
        Ok(self.outreach.outbox(workspace, ids))
    }

    fn outbox_with_status(
        &self,
        workspace: &str,
        status: OutboxStatus,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>> {
        Ok(self.outreach.with_status(workspace, status, limit))
    }

    fn outbox_of(&self, workspace: &str, creator: &Handle) -> Result<Vec<OutboxEntry>> {
        Ok(self.outreach.matching(workspace, |e| &e.creator == creator))
    }

    fn outbox_to(&self, workspace: &str, to: &str) -> Result<Vec<OutboxEntry>> {
        Ok(self.outreach.matching(workspace, |e| e.to == to))
    }

    fn consent(&self, workspace: &str, creators: &[Handle]) -> Result<Vec<ConsentEntry>> {
        Ok(self.outreach.consent(workspace, creators))
    }

    fn events_seen(&self, workspace: &str, keys: &[String]) -> Result<Vec<String>> {
        Ok(self.outreach.events_seen(workspace, keys))
    }

    fn apply_outreach(&self, workspace: &str, changes: &[OutreachChange]) -> Result<()> {
        self.outreach.apply(workspace, changes)
    }
}
