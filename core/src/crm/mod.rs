//! The `Crm` facade: what a host calls, over the [`Store`] it brings.
//!
//! Every call is scoped by the facade's workspace and checked against its [`Actor`]:
//! viewers read, members edit, admins import, erase and read the activity log, owners do
//! everything; a creator-side actor sees only its own supporters, through the privacy
//! view, and may deliver its own alerts. A call the actor may not make fails with
//! [`ErrorKind::Forbidden`] before anything is read.
//!
//! Writes are read-merge-apply cycles: the facade reads what the change touches, merges,
//! and applies one [`ChangeSet`]; when another writer got there first the store answers
//! [`ErrorKind::Conflict`], and the facade re-reads and retries (up to
//! [`CrmOptions::max_attempts`] times). Each write leaves an [`ActivityRecord`] in the
//! same change set: who, what, when, the figures — never personal data.
//!
//! **Importing into the store equals merging everything at once.** An import merges the
//! new files on their own, then loads the stored creators they touch — by handle, by any
//! email seen for them (for the shared-inbox rule), the owners of any record whose key
//! they bring — and the creators sharing an email with those (so every shared-inbox count
//! is whole), seeds a merger with their stored evidence and records, adds the new files'
//! evidence and finishes. Creators whose result changed are written; creators a
//! suppression entry now covers are deleted. Manual edits go the same way as a one-row
//! import of the `manual` source, so no later import overwrites them; erasure adds the
//! person's keyed hashes to the suppression list and deletes them, so no re-import
//! brings them back.

mod update;

use std::{collections::BTreeSet, io::Read, sync::Arc};

use chrono::{DateTime, Utc};

use crate::{
    error::{Error, ErrorKind, Result},
    identity::Handle,
    merge::{
        ImportInput, ManualEdit, MergeOptions, MergeReport, Merger, SourceFile, SuppressionList,
    },
    privacy::{Pseudonymizer, SupporterView, ViewId},
    store::{
        ActivityRecord, Change, ChangeSet, CreatorPage, CreatorQuery, Profile, Store, StoredCreator,
    },
    supporters::{Alert, AlertConfig, AlertOutcome, Supporter, SupporterId, deliver_alerts},
};

/// What a staff actor may do, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Reads creators.
    Viewer,
    /// Also edits creators, profiles and supporters.
    Member,
    /// Also imports, erases and reads the activity log.
    Admin,
    /// Everything.
    Owner,
}

impl Role {
    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Member => "member",
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }

    /// The role named `name`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] on `role` for another name.
    pub fn parse(name: &str) -> Result<Role> {
        [Role::Viewer, Role::Member, Role::Admin, Role::Owner]
            .into_iter()
            .find(|r| r.as_str() == name)
            .ok_or_else(|| Error::invalid("role", "unknown role"))
    }
}

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A brand's staff member with a role.
    Staff {
        /// The host's id for the person (recorded in the activity log).
        id: String,
        /// Their role in the workspace.
        role: Role,
    },
    /// A creator, who sees only their own supporters, through the privacy view.
    Creator {
        /// The host's id for the creator's account.
        id: String,
        /// The creator's handle.
        handle: Handle,
    },
}

impl Actor {
    /// A staff actor.
    pub fn staff(id: impl Into<String>, role: Role) -> Actor {
        Actor::Staff {
            id: id.into(),
            role,
        }
    }

    /// The actor's id.
    pub fn id(&self) -> &str {
        match self {
            Actor::Staff { id, .. } | Actor::Creator { id, .. } => id,
        }
    }
}

/// How the facade merges and retries.
#[derive(Debug, Clone)]
pub struct CrmOptions {
    /// The merge options (region, priorities, shared-inbox threshold, the salt of the
    /// suppression hashes). Its suppression entries are added to the store's.
    pub merge: MergeOptions,
    /// How many times a write is tried when the store reports a conflict.
    pub max_attempts: u32,
}

impl Default for CrmOptions {
    fn default() -> Self {
        CrmOptions {
            merge: MergeOptions::default(),
            max_attempts: 8,
        }
    }
}

/// What an import or an edit did to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    /// The merge report of what was imported (files, rows, rejections, and the
    /// creators and conflicts of the new rows on their own).
    pub report: MergeReport,
    /// Creators written that were not stored before.
    pub created: u64,
    /// Stored creators whose record changed.
    pub updated: u64,
    /// Stored creators left out now by a suppression entry, and deleted.
    pub deleted: u64,
}

/// Changes to a creator's [`Profile`]; `None` leaves a part as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileUpdate {
    /// New badge level (`Some(None)` clears it).
    pub badge: Option<Option<crate::tiers::ShopBadge>>,
    /// New tier (`Some(None)` clears it).
    pub tier: Option<Option<crate::tiers::CreatorTier>>,
    /// Whitelisted or not.
    pub whitelisted: Option<bool>,
    /// Tags to add.
    pub add_tags: Vec<String>,
    /// Tags to remove.
    pub remove_tags: Vec<String>,
    /// New notes.
    pub notes: Option<String>,
    /// New outreach status.
    pub outreach_status: Option<crate::merge::OutreachStatus>,
}

/// The facade over a store, for one workspace and one actor.
#[derive(Clone)]
pub struct Crm {
    store: Arc<dyn Store>,
    workspace: String,
    actor: Actor,
    options: CrmOptions,
}

impl std::fmt::Debug for Crm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crm")
            .field("workspace", &self.workspace)
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

fn forbidden() -> Error {
    Error::new(ErrorKind::Forbidden, "not allowed for this actor")
}

impl Crm {
    /// The facade over `store` for `workspace`, acting as `actor`.
    pub fn new(store: Arc<dyn Store>, workspace: impl Into<String>, actor: Actor) -> Crm {
        Crm::with_options(store, workspace, actor, CrmOptions::default())
    }

    /// As [`Crm::new`], with options.
    pub fn with_options(
        store: Arc<dyn Store>,
        workspace: impl Into<String>,
        actor: Actor,
        options: CrmOptions,
    ) -> Crm {
        Crm {
            store,
            workspace: workspace.into(),
            actor,
            options,
        }
    }

    /// The same store and workspace, acting as `actor`.
    #[must_use]
    pub fn as_actor(&self, actor: Actor) -> Crm {
        Crm {
            actor,
            ..self.clone()
        }
    }

    /// The workspace.
    pub fn workspace(&self) -> &str {
        &self.workspace
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Checks that the actor is staff with at least `role`.
    pub(crate) fn require(&self, role: Role) -> Result<()> {
        match &self.actor {
            Actor::Staff { role: r, .. } if *r >= role => Ok(()),
            _ => Err(forbidden()),
        }
    }

    fn activity(&self, now: DateTime<Utc>, action: &str, target: &str, detail: String) -> Change {
        Change::LogActivity {
            record: ActivityRecord {
                seq: 0,
                at: now,
                actor: self.actor.id().to_owned(),
                action: action.to_owned(),
                target: target.to_owned(),
                detail,
            },
        }
    }

    /// The suppression list: the store's hashes and the options' own, with its salt.
    fn suppression(&self) -> Result<SuppressionList> {
        let mut list = self.options.merge.suppression.clone();
        for h in self.store.suppression(&self.workspace)? {
            list.insert_hash(h);
        }
        Ok(list)
    }

    /// Merge options for a cycle: the facade's, with the store's suppression list.
    fn merge_options(&self) -> Result<MergeOptions> {
        let mut options = self.options.merge.clone();
        options.suppression = self.suppression()?;
        options.related_records = true;
        options.progress = None;
        Ok(options)
    }

    /// Imports exports into the store, incrementally: the stored creators afterwards
    /// equal merging everything ever imported (and edited) at once. The files are read
    /// on up to [`MergeOptions::threads`] threads; [`Crm::import_inputs`] takes their
    /// sizes too, to share them out between the threads.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below admin; the first unreadable file's error
    /// ([`ErrorKind::Import`]; nothing is written then); [`ErrorKind::Conflict`] when
    /// other writers won every attempt; the store's errors.
    pub fn import_exports<R: Read + Send>(
        &self,
        sources: Vec<(SourceFile, R)>,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome> {
        let inputs = sources
            .into_iter()
            .map(|(file, reader)| ImportInput::new(file, reader))
            .collect();
        self.import_inputs(inputs, now)
    }

    /// [`Crm::import_exports`] of inputs with their sizes when known: files are shared
    /// out between [`MergeOptions::threads`] threads by size (largest first), as
    /// [`Merger::import_many`] does, with the result of reading them one after another.
    ///
    /// # Errors
    /// As [`Crm::import_exports`].
    pub fn import_inputs<R: Read + Send>(
        &self,
        inputs: Vec<ImportInput<R>>,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome> {
        self.require(Role::Admin)?;
        let files = inputs.len();
        let options = self.merge_options()?;
        let threads = options.threads;
        let mut batch = Merger::new(options);
        batch.import_many(inputs, threads)?;
        let outcome = self.write_batch(batch, |o| {
            let detail = format!(
                "files={files} rows={} rejected={} created={} updated={} deleted={}",
                o.report.rows_read, o.report.rows_rejected, o.created, o.updated, o.deleted
            );
            vec![self.activity(now, "import", "", detail)]
        })?;
        Ok(outcome)
    }

    /// Edits a creator by hand (the `manual` source: no later import overwrites it);
    /// creates the creator when it is not stored yet.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below member; [`ErrorKind::InvalidInput`] for a bad
    /// edit, as [`Merger::edit`] checks it; [`ErrorKind::Conflict`] when other writers
    /// won every attempt; the store's errors.
    pub fn edit_creator(
        &self,
        handle: &str,
        fields: Vec<(String, String)>,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome> {
        self.require(Role::Member)?;
        let handle = Handle::parse(handle)?;
        let mut batch = Merger::new(self.merge_options()?);
        let columns: Vec<&str> = fields.iter().map(|(c, _)| c.as_str()).collect();
        let detail = format!("fields={}", columns.join(","));
        batch.edit(&ManualEdit {
            handle: handle.as_str().to_owned(),
            fields,
            observed_at: Some(now.naive_utc()),
        })?;
        self.write_batch(batch, |_| {
            vec![self.activity(now, "edit_creator", handle.as_str(), detail.clone())]
        })
    }

    /// Erases a person: their handle, every email and full phone seen for them join the
    /// suppression list (as keyed hashes), and they are deleted with every related
    /// record, supporter and cooldown of theirs; stored creators sharing one of those
    /// emails are deleted too (a merge would leave them out). Activity records naming
    /// them lose that name. Returns how many creators were deleted.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below admin; [`ErrorKind::InvalidInput`] for an invalid
    /// handle; [`ErrorKind::Conflict`] when other writers won every attempt; the store's
    /// errors.
    pub fn erase_creator(&self, handle: &str, now: DateTime<Utc>) -> Result<u64> {
        self.require(Role::Admin)?;
        let handle = Handle::parse(handle)?;
        self.retry(|| {
            let list = &self.options.merge.suppression;
            let mut hashes = vec![list.handle_hash(&handle)];
            let mut doomed: BTreeSet<Handle> = BTreeSet::from([handle.clone()]);
            let stored = self
                .store
                .creators(&self.workspace, std::slice::from_ref(&handle))?;
            let mut versions = Vec::new();
            if let Some(c) = stored.first() {
                let emails: Vec<_> = c.evidence.emails().cloned().collect();
                for e in &emails {
                    hashes.push(list.email_hash(e));
                }
                for e in &c.evidence.values {
                    if let crate::merge::EvidenceValue::Phone(p) = &e.value {
                        hashes.push(list.phone_hash(p));
                    }
                }
                for other in self.store.creators_with_emails(&self.workspace, &emails)? {
                    doomed.insert(other.creator.handle.clone());
                    versions.push((other.creator.handle.clone(), other.version));
                }
                if !versions.iter().any(|(h, _)| *h == handle) {
                    versions.push((handle.clone(), c.version));
                }
            }
            let mut changes = ChangeSet::new();
            changes.push(Change::Suppress {
                hashes: hashes.clone(),
            });
            for (h, v) in &versions {
                changes.push(Change::DeleteCreator {
                    handle: h.clone(),
                    expected: *v,
                });
            }
            for h in &doomed {
                changes.push(Change::RedactActivity {
                    target: h.as_str().to_owned(),
                });
            }
            let deleted = versions.len() as u64;
            changes.push(self.activity(now, "erase_creator", "", format!("deleted={deleted}")));
            self.store.apply(&self.workspace, &changes)?;
            Ok(deleted)
        })
    }

    /// The stored creator `handle`, if any.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] for a creator-side actor; [`ErrorKind::InvalidInput`]
    /// for an invalid handle; the store's errors.
    pub fn get_creator(&self, handle: &str) -> Result<Option<StoredCreator>> {
        self.require(Role::Viewer)?;
        let handle = Handle::parse(handle)?;
        Ok(self
            .store
            .creators(&self.workspace, &[handle])?
            .into_iter()
            .next())
    }

    /// One page of creators.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] for a creator-side actor; [`ErrorKind::InvalidInput`]
    /// for a cursor of another query; the store's errors.
    pub fn list_creators(&self, query: &CreatorQuery) -> Result<CreatorPage> {
        self.require(Role::Viewer)?;
        self.store.list_creators(&self.workspace, query)
    }

    /// Creators whose handle, name or email contains `text`, in handle order.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] for a creator-side actor; the store's errors.
    pub fn search_creators(&self, text: &str, limit: usize) -> Result<Vec<StoredCreator>> {
        self.require(Role::Viewer)?;
        self.store.search_creators(&self.workspace, text, limit)
    }

    /// Changes a stored creator's profile (badge, tier, whitelisted, tags, notes,
    /// outreach status).
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below member; [`ErrorKind::InvalidInput`] on `handle`
    /// for an invalid handle or a creator that is not stored; [`ErrorKind::Conflict`]
    /// when other writers won every attempt; the store's errors.
    pub fn update_profile(
        &self,
        handle: &str,
        update: &ProfileUpdate,
        now: DateTime<Utc>,
    ) -> Result<Profile> {
        self.require(Role::Member)?;
        let handle = Handle::parse(handle)?;
        self.retry(|| {
            let Some(mut c) = self
                .store
                .creators(&self.workspace, std::slice::from_ref(&handle))?
                .into_iter()
                .next()
            else {
                return Err(Error::invalid("handle", "no such creator"));
            };
            let expected = c.version;
            let p = &mut c.profile;
            if let Some(b) = update.badge {
                p.badge = b;
            }
            if let Some(t) = update.tier {
                p.tier = t;
            }
            if let Some(w) = update.whitelisted {
                p.whitelisted = w;
            }
            for t in &update.remove_tags {
                p.tags.remove(t.trim());
            }
            for t in &update.add_tags {
                let t = t.trim();
                if !t.is_empty() {
                    p.tags.insert(t.to_owned());
                }
            }
            if let Some(n) = &update.notes {
                p.notes.clone_from(n);
            }
            if let Some(s) = update.outreach_status {
                p.outreach_status = s;
            }
            c.creator.outreach_status = p.outreach_status;
            let profile = c.profile.clone();
            let mut changes = ChangeSet::new();
            changes.push(Change::PutCreator {
                creator: Box::new(c),
                expected,
            });
            changes.push(self.activity(now, "update_profile", handle.as_str(), String::new()));
            self.store.apply(&self.workspace, &changes)?;
            Ok(profile)
        })
    }

    /// Creates or replaces supporters of a creator.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below member; [`ErrorKind::InvalidInput`] for an invalid
    /// handle; the store's errors.
    pub fn put_supporters(
        &self,
        creator: &str,
        supporters: Vec<Supporter>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.require(Role::Member)?;
        let creator = Handle::parse(creator)?;
        let detail = format!("supporters={}", supporters.len());
        let mut changes = ChangeSet::new();
        changes.push(Change::PutSupporters {
            creator: creator.clone(),
            supporters,
        });
        changes.push(self.activity(now, "put_supporters", creator.as_str(), detail));
        self.store.apply(&self.workspace, &changes)
    }

    /// Deletes supporters of a creator.
    ///
    /// # Errors
    /// As [`Crm::put_supporters`].
    pub fn delete_supporters(
        &self,
        creator: &str,
        ids: Vec<SupporterId>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.require(Role::Member)?;
        let creator = Handle::parse(creator)?;
        let detail = format!("supporters={}", ids.len());
        let mut changes = ChangeSet::new();
        changes.push(Change::DeleteSupporters {
            creator: creator.clone(),
            ids,
        });
        changes.push(self.activity(now, "delete_supporters", creator.as_str(), detail));
        self.store.apply(&self.workspace, &changes)
    }

    /// A creator's supporters as the host holds them (staff only).
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] for a creator-side actor; [`ErrorKind::InvalidInput`]
    /// for an invalid handle; the store's errors.
    pub fn supporters(&self, creator: &str) -> Result<Vec<Supporter>> {
        self.require(Role::Viewer)?;
        let creator = Handle::parse(creator)?;
        Ok(self.store.supporters(&self.workspace, &creator)?.supporters)
    }

    /// Checks that the actor may act on `creator`'s supporters: staff with `role`, or
    /// that creator.
    fn require_own(&self, creator: &Handle, role: Role) -> Result<()> {
        match &self.actor {
            Actor::Creator { handle, .. } if handle == creator => Ok(()),
            Actor::Creator { .. } => Err(forbidden()),
            Actor::Staff { .. } => self.require(role),
        }
    }

    /// A creator's supporters as the creator may see them: the privacy view, with
    /// pseudonymous ids, no personal data.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] for another creator's actor; [`ErrorKind::InvalidInput`]
    /// for an invalid handle; the store's errors.
    pub fn supporter_views(
        &self,
        creator: &str,
        keys: &Pseudonymizer,
    ) -> Result<Vec<SupporterView>> {
        let creator = Handle::parse(creator)?;
        self.require_own(&creator, Role::Viewer)?;
        let state = self.store.supporters(&self.workspace, &creator)?;
        Ok(state
            .supporters
            .iter()
            .map(|s| SupporterView::new(s, ViewId::Pseudonymous(keys)))
            .collect())
    }

    /// Delivers candidate alerts for a creator's supporters with the cooldown state
    /// kept in the store ([`deliver_alerts`]): what was delivered starts its cooldown.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] for another creator's actor or a viewer;
    /// [`ErrorKind::InvalidInput`] for an invalid handle; [`ErrorKind::Conflict`] when
    /// other writers won every attempt; the store's errors.
    pub fn deliver_alerts(
        &self,
        creator: &str,
        candidates: Vec<Alert>,
        config: &AlertConfig,
        now: DateTime<Utc>,
    ) -> Result<AlertOutcome> {
        let creator = Handle::parse(creator)?;
        self.require_own(&creator, Role::Member)?;
        self.retry(|| {
            let state = self.store.supporters(&self.workspace, &creator)?;
            let (outcome, cooldowns) =
                deliver_alerts(state.cooldowns, candidates.clone(), config, now);
            let mut changes = ChangeSet::new();
            changes.push(Change::PutCooldowns {
                creator: creator.clone(),
                state: cooldowns,
                expected: state.cooldowns_version,
            });
            let detail = format!("delivered={}", outcome.delivered.len());
            changes.push(self.activity(now, "deliver_alerts", creator.as_str(), detail));
            self.store.apply(&self.workspace, &changes)?;
            Ok(outcome)
        })
    }

    /// The newest activity records, newest first.
    ///
    /// # Errors
    /// [`ErrorKind::Forbidden`] below admin; the store's errors.
    pub fn activity_log(&self, limit: usize) -> Result<Vec<ActivityRecord>> {
        self.require(Role::Admin)?;
        self.store.activity(&self.workspace, limit)
    }

    /// Runs `attempt` until it does not fail with a conflict, at most
    /// [`CrmOptions::max_attempts`] times.
    fn retry<T>(&self, mut attempt: impl FnMut() -> Result<T>) -> Result<T> {
        let mut tries = self.options.max_attempts.max(1);
        loop {
            match attempt() {
                Err(e) if e.kind() == ErrorKind::Conflict && tries > 1 => tries -= 1,
                other => return other,
            }
        }
    }
}
