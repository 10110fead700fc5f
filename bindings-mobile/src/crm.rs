//! Mobile bindings of `creator_crm::crm`: the [`Crm`] facade over a [`CrmStore`], with
//! workspaces and roles.
//!
//! The facade's results are records: [`StoredCreator`] (the merged creator, its
//! profile, brands and version), [`CreatorPage`], [`CreatorProfile`],
//! [`ActivityEntry`]. Roles are enforced by core: a call the actor may not make fails
//! with `CrmError::Forbidden` before the store is read.

use std::{collections::HashMap, sync::Arc, time::SystemTime};

use creator_crm::{
    Error,
    crm::{self as core, CrmOptions, ProfileUpdate},
    identity::Handle,
    merge::{ImportInput, OutreachStatus, SuppressionList},
    privacy::Pseudonymizer,
    store::{self as store_core, CreatorFilter, CreatorQuery, Cursor, SortField},
    supporters::SupporterId,
};

use crate::{
    errors::CrmError,
    merge::{ExportFile, MergeReport, MergeSettings, MergedCreator, source_file},
    privacy::SupporterView,
    store::{CrmStore, MemoryStore, SqliteStore, core_store},
    supporter_config::{AlertConfig, alert_config},
    supporter_events::{self, Supporter},
    supporters::{Alert, alert_in, alert_out},
    tiers::{CreatorTier, ShopBadge},
    time::{from_system_time, to_system_time},
};

/// What a staff actor may do, least first: viewers read, members edit, admins import,
/// erase and read the activity log, owners do everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
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

impl From<Role> for core::Role {
    fn from(r: Role) -> Self {
        match r {
            Role::Viewer => core::Role::Viewer,
            Role::Member => core::Role::Member,
            Role::Admin => core::Role::Admin,
            Role::Owner => core::Role::Owner,
        }
    }
}

/// Who calls the facade.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
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
        handle: String,
    },
}

impl TryFrom<Actor> for core::Actor {
    type Error = CrmError;

    fn try_from(a: Actor) -> Result<Self, CrmError> {
        Ok(match a {
            Actor::Staff { id, role } => core::Actor::staff(id, role.into()),
            Actor::Creator { id, handle } => core::Actor::Creator {
                id,
                handle: Handle::parse(&handle)?,
            },
        })
    }
}

/// What a host keeps about a creator besides what imports bring.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CreatorProfile {
    /// TikTok Shop badge level, when known.
    pub badge: Option<ShopBadge>,
    /// Creator tier, when classified.
    pub tier: Option<CreatorTier>,
    /// Whether the creator is whitelisted.
    pub whitelisted: bool,
    /// Tags, distinct and sorted.
    pub tags: Vec<String>,
    /// Free-text notes by staff.
    pub notes: String,
    /// `pending`, `approved`, `sent`, `skipped` or `unsubscribed`.
    pub outreach_status: String,
}

fn status_name(s: OutreachStatus) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn parse_status(name: &str) -> Result<OutreachStatus, CrmError> {
    serde_json::from_value(serde_json::Value::String(name.to_owned()))
        .map_err(|_| Error::invalid("outreach_status", "unknown outreach status").into())
}

impl From<&store_core::Profile> for CreatorProfile {
    fn from(p: &store_core::Profile) -> Self {
        CreatorProfile {
            badge: p.badge.map(ShopBadge::from),
            tier: p.tier.map(CreatorTier::from),
            whitelisted: p.whitelisted,
            tags: p.tags.iter().cloned().collect(),
            notes: p.notes.clone(),
            outreach_status: status_name(p.outreach_status),
        }
    }
}

/// A creator as the store holds it: the merged record (its `outreach_status` is the
/// profile's), what the host keeps, the brands it was seen for, and the row's version.
/// Its text form shows the handle only.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct StoredCreator {
    /// The merged record: the creator table's columns.
    pub creator: MergedCreator,
    /// What the host keeps.
    pub profile: CreatorProfile,
    /// The brands the creator was seen for, sorted.
    pub brands: Vec<String>,
    /// The row's version (1 when first written, one more per change).
    pub version: u64,
}

impl std::fmt::Debug for StoredCreator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "StoredCreator({}, version {}, <redacted>)",
            self.creator.tiktok_username, self.version
        )
    }
}

display_as_debug!(StoredCreator);

impl From<&store_core::StoredCreator> for StoredCreator {
    fn from(c: &store_core::StoredCreator) -> Self {
        StoredCreator {
            creator: MergedCreator::from_row(&c.creator),
            profile: CreatorProfile::from(&c.profile),
            brands: c.brands.iter().cloned().collect(),
            version: c.version.0,
        }
    }
}

fn creators(items: &[store_core::StoredCreator]) -> Vec<StoredCreator> {
    items.iter().map(StoredCreator::from).collect()
}

/// Which creators a list holds; every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct CreatorWhere {
    /// Badge level.
    #[uniffi(default = None)]
    pub badge: Option<ShopBadge>,
    /// Tier.
    #[uniffi(default = None)]
    pub tier: Option<CreatorTier>,
    /// Seen for this brand.
    #[uniffi(default = None)]
    pub brand: Option<String>,
    /// Has every one of these tags.
    #[uniffi(default = [])]
    pub tags: Vec<String>,
    /// Outreach status (`pending`, `approved`, ...).
    #[uniffi(default = None)]
    pub outreach_status: Option<String>,
    /// Whitelisted or not.
    #[uniffi(default = None)]
    pub whitelisted: Option<bool>,
    /// Has a full phone number, or not.
    #[uniffi(default = None)]
    pub has_phone: Option<bool>,
    /// Has an email, or not.
    #[uniffi(default = None)]
    pub has_email: Option<bool>,
}

impl TryFrom<CreatorWhere> for CreatorFilter {
    type Error = CrmError;

    fn try_from(w: CreatorWhere) -> Result<Self, CrmError> {
        Ok(CreatorFilter {
            badge: w.badge.map(Into::into),
            tier: w.tier.map(Into::into),
            brand: w.brand,
            tags: w.tags,
            outreach_status: w.outreach_status.as_deref().map(parse_status).transpose()?,
            whitelisted: w.whitelisted,
            has_phone: w.has_phone,
            has_email: w.has_email,
        })
    }
}

/// One page of creators.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CreatorPage {
    /// The creators of the page, in the list's order.
    pub items: Vec<StoredCreator>,
    /// The cursor of the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// How many creators pass the filter in all.
    pub total: u64,
}

/// Changes to a creator's profile; `None` (or `false`) leaves a part as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct ProfileChanges {
    /// New badge level.
    #[uniffi(default = None)]
    pub badge: Option<ShopBadge>,
    /// Clears the badge level (wins over `badge`).
    #[uniffi(default = false)]
    pub clear_badge: bool,
    /// New tier.
    #[uniffi(default = None)]
    pub tier: Option<CreatorTier>,
    /// Clears the tier (wins over `tier`).
    #[uniffi(default = false)]
    pub clear_tier: bool,
    /// Whitelisted or not.
    #[uniffi(default = None)]
    pub whitelisted: Option<bool>,
    /// Tags to add.
    #[uniffi(default = [])]
    pub add_tags: Vec<String>,
    /// Tags to remove.
    #[uniffi(default = [])]
    pub remove_tags: Vec<String>,
    /// New notes.
    #[uniffi(default = None)]
    pub notes: Option<String>,
    /// New outreach status (`pending`, `approved`, ...).
    #[uniffi(default = None)]
    pub outreach_status: Option<String>,
}

/// `Some(None)` to clear, `Some(Some(v))` to set, `None` to leave as it is.
fn clearable<T>(clear: bool, set: Option<T>) -> Option<Option<T>> {
    if clear { Some(None) } else { set.map(Some) }
}

impl TryFrom<ProfileChanges> for ProfileUpdate {
    type Error = CrmError;

    fn try_from(c: ProfileChanges) -> Result<Self, CrmError> {
        Ok(ProfileUpdate {
            badge: clearable(c.clear_badge, c.badge.map(Into::into)),
            tier: clearable(c.clear_tier, c.tier.map(Into::into)),
            whitelisted: c.whitelisted,
            add_tags: c.add_tags,
            remove_tags: c.remove_tags,
            notes: c.notes,
            outreach_status: c.outreach_status.as_deref().map(parse_status).transpose()?,
        })
    }
}

/// What an import did to the store.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportOutcome {
    /// The merge report of the files imported (their rows on their own).
    pub report: MergeReport,
    /// Creators written that were not stored before.
    pub created: u64,
    /// Stored creators whose record changed.
    pub updated: u64,
    /// Stored creators a suppression entry now covers, deleted.
    pub deleted: u64,
}

/// Delivered, suppressed and expired alerts; the cooldown state stays in the store.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AlertsDelivered {
    /// Delivered now, most urgent first.
    pub delivered: Vec<Alert>,
    /// Held back by a cooldown.
    pub suppressed: Vec<Alert>,
    /// Expired before delivery.
    pub expired: Vec<Alert>,
}

/// One write in the activity log: who, what, when, never personal data.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ActivityEntry {
    /// The store-assigned sequence number, ascending in the order written.
    pub seq: u64,
    /// When it happened.
    pub at: SystemTime,
    /// The actor's id.
    pub actor: String,
    /// What was done (`import`, `edit_creator`, `erase_creator`, ...).
    pub action: String,
    /// What it was done to (a handle); empty for an erasure.
    pub target: String,
    /// Figures of the action (`files=2 rows=7 ...`).
    pub detail: String,
}

/// `now`, or the clock when `None`.
pub(crate) fn now_or_clock(
    now: Option<SystemTime>,
) -> Result<chrono::DateTime<chrono::Utc>, CrmError> {
    from_system_time(now.unwrap_or_else(SystemTime::now))
}

/// A count argument as `usize`.
fn count(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The CRM over a store, for one workspace and one actor.
///
/// Every call is scoped by the workspace (nothing crosses workspaces) and checked
/// against the actor's role. Writes are all-or-nothing: the facade writes each
/// operation with one `apply`, and re-reads and retries when the store reports a
/// conflict. An exception a host store throws ends the call (see `CrmStore`).
#[derive(Debug, uniffi::Object)]
pub struct Crm {
    inner: core::Crm,
}

impl Crm {
    /// The core facade.
    pub(crate) fn core(&self) -> &core::Crm {
        &self.inner
    }

    fn over(
        store: Arc<dyn store_core::Store>,
        workspace: String,
        actor: Option<Actor>,
        settings: Option<MergeSettings>,
        salt: Option<Vec<u8>>,
    ) -> Result<Arc<Self>, CrmError> {
        let actor = match actor {
            Some(a) => a.try_into()?,
            None => core::Actor::staff("local", core::Role::Owner),
        };
        let mut merge = settings.unwrap_or_default().options()?;
        if let Some(salt) = salt {
            merge.suppression = SuppressionList::new(salt);
        }
        let options = CrmOptions {
            merge,
            ..CrmOptions::default()
        };
        Ok(Arc::new(Crm {
            inner: core::Crm::with_options(store, workspace, actor, options),
        }))
    }
}

#[uniffi::export]
impl Crm {
    /// The facade over `store` for `workspace`, acting as `actor` (the local owner when
    /// `None`). `settings` are the merge settings of imports (region, priorities, ...);
    /// `salt` is the secret salt of the suppression hashes.
    ///
    /// Every store call goes through `store`'s Kotlin / Swift object, the built-in
    /// stores' too (uniffi hands any object implementing `CrmStore` to Rust as a foreign
    /// one): over a `MemoryStore` or `SqliteStore` as it is, use
    /// [`Crm::with_memory_store`] or [`Crm::with_sqlite_store`], whose calls stay in Rust.
    ///
    /// # Errors
    /// `InvalidInput` for a bad actor handle or bad settings.
    #[uniffi::constructor(default(
        workspace = "default",
        actor = None,
        settings = None,
        salt = None
    ))]
    pub fn new(
        store: Arc<dyn CrmStore>,
        workspace: String,
        actor: Option<Actor>,
        settings: Option<MergeSettings>,
        salt: Option<Vec<u8>>,
    ) -> Result<Arc<Self>, CrmError> {
        Crm::over(core_store(store), workspace, actor, settings, salt)
    }

    /// The facade over the built-in `MemoryStore` `store`, as [`Crm::new`] makes it, with
    /// every store call made in Rust: nothing crosses into Kotlin / Swift and back.
    ///
    /// # Errors
    /// As [`Crm::new`].
    #[uniffi::constructor(default(
        workspace = "default",
        actor = None,
        settings = None,
        salt = None
    ))]
    pub fn with_memory_store(
        store: Arc<MemoryStore>,
        workspace: String,
        actor: Option<Actor>,
        settings: Option<MergeSettings>,
        salt: Option<Vec<u8>>,
    ) -> Result<Arc<Self>, CrmError> {
        Crm::over(store.store(), workspace, actor, settings, salt)
    }

    /// The facade over the built-in `SqliteStore` `store`, as [`Crm::new`] makes it,
    /// with every store call made in Rust.
    ///
    /// # Errors
    /// As [`Crm::new`].
    #[uniffi::constructor(default(
        workspace = "default",
        actor = None,
        settings = None,
        salt = None
    ))]
    pub fn with_sqlite_store(
        store: Arc<SqliteStore>,
        workspace: String,
        actor: Option<Actor>,
        settings: Option<MergeSettings>,
        salt: Option<Vec<u8>>,
    ) -> Result<Arc<Self>, CrmError> {
        Crm::over(store.store(), workspace, actor, settings, salt)
    }

    /// The workspace.
    pub fn workspace(&self) -> String {
        self.inner.workspace().to_owned()
    }

    /// Imports exports into the store, incrementally: the stored creators afterwards
    /// equal merging everything imported (and edited) at once. `now` defaults to the
    /// clock.
    ///
    /// # Errors
    /// `Forbidden` below admin; `Import` for a file that cannot be read at all (nothing
    /// is written); `Conflict` when other writers won every attempt; the store's errors.
    #[uniffi::method(default(now = None))]
    pub fn import_exports(
        &self,
        files: Vec<ExportFile>,
        now: Option<SystemTime>,
    ) -> Result<ImportOutcome, CrmError> {
        let now = now_or_clock(now)?;
        let sources = files
            .iter()
            .map(|f| {
                let size = f.data.len() as u64;
                Ok(ImportInput::new(source_file(f)?, f.data.as_slice()).size_hint(size))
            })
            .collect::<Result<Vec<_>, CrmError>>()?;
        let o = self.inner.import_inputs(sources, now)?;
        Ok(ImportOutcome {
            report: MergeReport::from_row(&o.report),
            created: o.created,
            updated: o.updated,
            deleted: o.deleted,
        })
    }

    /// Edits a creator by hand (the `manual` source: no later import overwrites it),
    /// creating it when it is not stored. `fields` maps creator-table columns (`email`,
    /// `phone`, `first_name`, `last_name`, `address_line1`, `address_line2`, `city`,
    /// `state`, `zipcode`, `country`) to values. Returns the creator afterwards, `None`
    /// when a suppression entry covers it.
    ///
    /// # Errors
    /// `Forbidden` below member; `InvalidInput` for an unknown column or a bad value.
    #[uniffi::method(default(now = None))]
    pub fn edit_creator(
        &self,
        handle: String,
        fields: HashMap<String, String>,
        now: Option<SystemTime>,
    ) -> Result<Option<StoredCreator>, CrmError> {
        let now = now_or_clock(now)?;
        let mut fields: Vec<(String, String)> = fields.into_iter().collect();
        fields.sort();
        self.inner.edit_creator(&handle, fields, now)?;
        Ok(self.inner.get_creator(&handle)?.as_ref().map(Into::into))
    }

    /// Erases a person: their handle, emails and phones join the suppression list (as
    /// keyed hashes) and they are deleted with every record of theirs, so no re-import
    /// brings them back. Returns how many creators were deleted.
    ///
    /// # Errors
    /// `Forbidden` below admin; the store's errors.
    #[uniffi::method(default(now = None))]
    pub fn erase_creator(&self, handle: String, now: Option<SystemTime>) -> Result<u64, CrmError> {
        let now = now_or_clock(now)?;
        Ok(self.inner.erase_creator(&handle, now)?)
    }

    /// The stored creator `handle`, or `None`.
    ///
    /// # Errors
    /// `Forbidden` for a creator actor; `InvalidInput` for a bad handle.
    pub fn get_creator(&self, handle: String) -> Result<Option<StoredCreator>, CrmError> {
        Ok(self.inner.get_creator(&handle)?.as_ref().map(Into::into))
    }

    /// One page of creators. `order_by` is `tiktok_username` (the default),
    /// `follower_count` or `total_gmv`, a leading `-` for largest first (creators
    /// without a value come last either way; ties go by handle). `cursor` is the
    /// previous page's `next_cursor`.
    ///
    /// # Errors
    /// `InvalidInput` for an unknown sort field or status, or a cursor of another query.
    #[uniffi::method(default(
        filter = None,
        order_by = "tiktok_username",
        limit = 50,
        cursor = None
    ))]
    pub fn list_creators(
        &self,
        filter: Option<CreatorWhere>,
        order_by: String,
        limit: u32,
        cursor: Option<String>,
    ) -> Result<CreatorPage, CrmError> {
        let (descending, field) = match order_by.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, order_by.as_str()),
        };
        let query = CreatorQuery {
            filter: filter.unwrap_or_default().try_into()?,
            sort: SortField::parse(field)?,
            descending,
            limit: count(limit),
            cursor: cursor.map(Cursor::from_text),
        };
        let page = self.inner.list_creators(&query)?;
        Ok(CreatorPage {
            items: creators(&page.items),
            next_cursor: page.next_cursor.map(|c| c.as_str().to_owned()),
            total: page.total,
        })
    }

    /// Creators whose handle, name or email contains `text` (any case), in handle
    /// order, at most `limit`.
    ///
    /// # Errors
    /// `Forbidden` for a creator actor; the store's errors.
    #[uniffi::method(default(limit = 20))]
    pub fn search_creators(
        &self,
        text: String,
        limit: u32,
    ) -> Result<Vec<StoredCreator>, CrmError> {
        Ok(creators(&self.inner.search_creators(&text, count(limit))?))
    }

    /// Changes a stored creator's profile; returns the profile afterwards.
    ///
    /// # Errors
    /// `Forbidden` below member; `InvalidInput` for an unknown status or a creator
    /// that is not stored.
    #[uniffi::method(default(now = None))]
    pub fn update_profile(
        &self,
        handle: String,
        changes: ProfileChanges,
        now: Option<SystemTime>,
    ) -> Result<CreatorProfile, CrmError> {
        let now = now_or_clock(now)?;
        let update = ProfileUpdate::try_from(changes)?;
        let profile = self.inner.update_profile(&handle, &update, now)?;
        Ok(CreatorProfile::from(&profile))
    }

    /// Creates or replaces supporters of a creator.
    ///
    /// # Errors
    /// `Forbidden` below member; `InvalidInput` for a bad time zone or timestamp.
    #[uniffi::method(default(now = None))]
    pub fn put_supporters(
        &self,
        creator: String,
        supporters: Vec<Supporter>,
        now: Option<SystemTime>,
    ) -> Result<(), CrmError> {
        let now = now_or_clock(now)?;
        let supporters = supporter_events::to_core(&supporters)?;
        Ok(self.inner.put_supporters(&creator, supporters, now)?)
    }

    /// Deletes supporters of a creator by id.
    ///
    /// # Errors
    /// `Forbidden` below member; the store's errors.
    #[uniffi::method(default(now = None))]
    pub fn delete_supporters(
        &self,
        creator: String,
        ids: Vec<String>,
        now: Option<SystemTime>,
    ) -> Result<(), CrmError> {
        let now = now_or_clock(now)?;
        let ids = ids.into_iter().map(SupporterId::new).collect();
        Ok(self.inner.delete_supporters(&creator, ids, now)?)
    }

    /// A creator's supporters as the host holds them (staff only), by id.
    ///
    /// # Errors
    /// `Forbidden` for a creator actor; the store's errors.
    pub fn supporters(&self, creator: String) -> Result<Vec<Supporter>, CrmError> {
        Ok(self
            .inner
            .supporters(&creator)?
            .iter()
            .map(Supporter::from)
            .collect())
    }

    /// A creator's supporters as the creator may see them: the privacy view, ids
    /// pseudonymized by `key` (16 bytes or more), no personal data. A creator actor
    /// sees only its own.
    ///
    /// # Errors
    /// `Forbidden` for another creator's supporters; `InvalidInput` for a short key.
    pub fn supporter_views(
        &self,
        creator: String,
        key: Vec<u8>,
    ) -> Result<Vec<SupporterView>, CrmError> {
        let keys = Pseudonymizer::new(&key)?;
        Ok(self
            .inner
            .supporter_views(&creator, &keys)?
            .into_iter()
            .map(SupporterView::from)
            .collect())
    }

    /// Delivers candidate alerts with the cooldown state kept in the store (defaults
    /// of the alert configuration when `config` is `None`).
    ///
    /// # Errors
    /// `Forbidden` below member or for another creator; `InvalidInput` for a timestamp
    /// out of range; the store's errors.
    #[uniffi::method(default(config = None, now = None))]
    pub fn deliver_alerts(
        &self,
        creator: String,
        alerts: Vec<Alert>,
        config: Option<AlertConfig>,
        now: Option<SystemTime>,
    ) -> Result<AlertsDelivered, CrmError> {
        let now = now_or_clock(now)?;
        let alerts = alerts.iter().map(alert_in).collect::<Result<_, _>>()?;
        let o = self
            .inner
            .deliver_alerts(&creator, alerts, &alert_config(config), now)?;
        Ok(AlertsDelivered {
            delivered: o.delivered.iter().map(alert_out).collect(),
            suppressed: o.suppressed.iter().map(alert_out).collect(),
            expired: o.expired.iter().map(alert_out).collect(),
        })
    }

    /// The newest activity records, newest first, at most `limit`.
    ///
    /// # Errors
    /// `Forbidden` below admin; the store's errors.
    #[uniffi::method(default(limit = 100))]
    pub fn activity_log(&self, limit: u32) -> Result<Vec<ActivityEntry>, CrmError> {
        Ok(self
            .inner
            .activity_log(count(limit))?
            .into_iter()
            .map(|r| ActivityEntry {
                seq: r.seq,
                at: to_system_time(r.at),
                actor: r.actor,
                action: r.action,
                target: r.target,
                detail: r.detail,
            })
            .collect())
    }
}
