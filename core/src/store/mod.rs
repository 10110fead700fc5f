//! Storage: the traits a host plugs its persistence into, and [`MemoryStore`].
//!
//! The library holds no state of its own. A host gives the [`crate::crm::Crm`] facade a
//! [`Store`]: coarse, batched reads, and one write call, [`Store::apply`], that applies
//! a whole [`ChangeSet`] or nothing. Every change says which version of the row it
//! expects (optimistic concurrency): when the store holds another one, `apply` fails
//! with [`crate::ErrorKind::Conflict`] and changes nothing, and the caller re-reads and
//! retries. There is no `begin`/`commit` across a language boundary, and never one call
//! per row.
//!
//! Every call is scoped by a workspace: nothing written in one is read in another.
//!
//! What is stored:
//!
//! - creators ([`StoredCreator`]): the merged record, its evidence (every distinct value
//!   with its best provenance, so that importing into stored creators equals merging
//!   everything at once), the host-kept [`Profile`] (badge, tier, whitelisted, tags,
//!   notes, outreach status) and the brands the creator was seen for;
//! - related records (samples, videos, video-product links, snapshots, brand links,
//!   products), each under its own key;
//! - the suppression list, as keyed hashes only ([`crate::merge::SuppressionList`]);
//! - supporters per creator, and the alert cooldown state per creator;
//! - activity records: who did what, when, never personal data.
//!
//! [`query`] holds the list semantics every store gives (filters, sorts, stable cursor
//! paging, text search) as functions a simple store can apply to its rows; a database
//! store translates them into its own queries. [`conformance`] is the suite every store
//! passes, the host stores of the bindings included.

pub mod conformance;
pub mod host;
mod memory;
pub mod query;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use memory::MemoryStore;
pub use query::{CreatorFilter, CreatorPage, CreatorQuery, Cursor, SortField};
#[cfg(feature = "sqlite")]
pub use sqlite::{SCHEMA_VERSION, SqliteStore};

use crate::{
    error::{Error, ErrorKind, Result},
    identity::{Email, Handle},
    merge::{Creator, CreatorEvidence, OutreachStatus, RecordKeys, RelatedRecords},
    supporters::{CooldownState, Supporter, SupporterId},
    tiers::{CreatorTier, ShopBadge},
};

/// The version of a row a change expects: [`Version::ABSENT`] for a row that must not
/// exist yet, else the version the caller read.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Version(pub u64);

impl Version {
    /// The "version" of a row that does not exist.
    pub const ABSENT: Version = Version(0);

    /// The version after this one.
    pub fn next(self) -> Version {
        Version(self.0.saturating_add(1))
    }
}

/// What a host keeps about a creator besides what imports bring.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// TikTok Shop badge level, when known.
    pub badge: Option<ShopBadge>,
    /// Creator tier, when classified.
    pub tier: Option<CreatorTier>,
    /// Whether the creator is whitelisted.
    pub whitelisted: bool,
    /// Tags (distinct, sorted).
    pub tags: BTreeSet<String>,
    /// Free-text notes by staff.
    pub notes: String,
    /// Where the creator stands in outreach.
    pub outreach_status: OutreachStatus,
}

/// A creator as a store holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCreator {
    /// The merged record (its `outreach_status` is the profile's).
    pub creator: Creator,
    /// What the merge knows of its fields, for the next import.
    pub evidence: CreatorEvidence,
    /// What the host keeps.
    pub profile: Profile,
    /// The brands the creator was seen for (from brand links), sorted.
    pub brands: BTreeSet<String>,
    /// The row's version; a change to it expects this.
    pub version: Version,
}

impl StoredCreator {
    /// The creator's handle.
    pub fn handle(&self) -> &Handle {
        &self.creator.handle
    }

    /// The creator as every binding hands it to a host: the creator table's columns
    /// (named and typed once in [`crate::table`], cells in their JSON forms), then
    /// `profile`, `brands` and `version`. The evidence stays in the store.
    pub fn to_row_json(&self) -> serde_json::Value {
        use crate::table::Row;
        let mut row = serde_json::Map::new();
        for (def, cell) in Creator::COLUMNS.iter().zip(self.creator.cells()) {
            row.insert(def.name.to_owned(), cell.to_json());
        }
        let p = &self.profile;
        row.insert(
            "profile".to_owned(),
            serde_json::json!({
                "badge": p.badge,
                "tier": p.tier,
                "whitelisted": p.whitelisted,
                "tags": p.tags,
                "notes": p.notes,
                "outreach_status": p.outreach_status,
            }),
        );
        row.insert("brands".to_owned(), serde_json::json!(self.brands));
        row.insert("version".to_owned(), serde_json::json!(self.version.0));
        serde_json::Value::Object(row)
    }
}

/// A creator's supporters and alert state, as a store holds them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SupporterState {
    /// The creator's supporters, by id.
    pub supporters: Vec<Supporter>,
    /// When each (supporter, alert kind) last had an alert delivered.
    pub cooldowns: CooldownState,
    /// The version of the cooldown state; a change to it expects this.
    pub cooldowns_version: Version,
}

/// Who did something, in the activity log: the actor's id and role, never a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityRecord {
    /// The store-assigned sequence number (ascending in the order written).
    pub seq: u64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The actor's id.
    pub actor: String,
    /// What was done (`import`, `edit_creator`, `erase_creator`, …).
    pub action: String,
    /// What it was done to: a creator's handle, a file count; never an email, phone or
    /// name. Empty for an erasure.
    pub target: String,
    /// Figures of the action (rows read, creators changed).
    pub detail: String,
}

/// One change of a [`ChangeSet`]; serialized with its kind under `"change"`
/// (`{"change": "put_creator", ...}`), suppression hashes as lower-case hex.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Creates or replaces a creator; `expected` is the version read
    /// ([`Version::ABSENT`] to create). The stored version becomes `expected.next()`.
    PutCreator {
        /// The creator (its own `version` is ignored).
        creator: Box<StoredCreator>,
        /// The version the writer read.
        expected: Version,
    },
    /// Deletes a creator with every related record of theirs (samples, videos and their
    /// product links, snapshots, brand links), their supporters and cooldown state.
    DeleteCreator {
        /// The creator.
        handle: Handle,
        /// The version the writer read.
        expected: Version,
    },
    /// Replaces every related record of these creators with the given ones, and upserts
    /// the given products and video-product links. A record whose key another
    /// creator held moves to its new creator.
    PutRelated {
        /// The creators whose records are replaced.
        handles: Vec<Handle>,
        /// Their records.
        records: Box<RelatedRecords>,
    },
    /// Adds keyed hashes to the suppression list.
    Suppress {
        /// The hashes ([`crate::merge::SuppressionList`]).
        #[serde(with = "hex_hashes")]
        hashes: Vec<[u8; 32]>,
    },
    /// Creates or replaces supporters of a creator.
    PutSupporters {
        /// The creator they support.
        creator: Handle,
        /// The supporters.
        supporters: Vec<Supporter>,
    },
    /// Deletes supporters of a creator.
    DeleteSupporters {
        /// The creator.
        creator: Handle,
        /// The supporters' ids.
        ids: Vec<SupporterId>,
    },
    /// Replaces a creator's alert cooldown state.
    PutCooldowns {
        /// The creator.
        creator: Handle,
        /// The new state.
        state: CooldownState,
        /// The version the writer read.
        expected: Version,
    },
    /// Appends an activity record (its `seq` is assigned by the store).
    LogActivity {
        /// The record.
        record: ActivityRecord,
    },
    /// Blanks the `target` of every activity record naming this target (an erased
    /// creator's handle), so that nothing of an erased person stays in the log.
    RedactActivity {
        /// The target to blank.
        target: String,
    },
}

/// Changes applied together: all of them or none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeSet {
    /// The changes, applied in order.
    pub changes: Vec<Change>,
}

impl ChangeSet {
    /// An empty change set.
    pub fn new() -> Self {
        ChangeSet::default()
    }

    /// Adds a change.
    pub fn push(&mut self, change: Change) {
        self.changes.push(change);
    }

    /// True when there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// A store of CRM data, scoped by workspace. Synchronous, object-safe, shareable.
///
/// Reads are batched; [`Store::apply`] is the one write. An implementation must make
/// `apply` all-or-nothing, check every expected [`Version`] (a mismatch is
/// [`conflict`], and nothing is applied), and keep workspaces apart. The
/// [`conformance`] suite checks all of it.
pub trait Store: Send + Sync {
    /// The stored creators among `handles` (in handle order; absent ones left out).
    ///
    /// # Errors
    /// [`ErrorKind::Storage`] when the backend fails.
    fn creators(&self, workspace: &str, handles: &[Handle]) -> Result<Vec<StoredCreator>>;

    /// The stored creators whose evidence holds any of `emails` (in handle order).
    ///
    /// # Errors
    /// [`ErrorKind::Storage`] when the backend fails.
    fn creators_with_emails(&self, workspace: &str, emails: &[Email])
    -> Result<Vec<StoredCreator>>;

    /// Every related record of the creators `handles`: their samples, videos (with the
    /// videos' product links), snapshots and brand links. Products are read by key
    /// ([`Store::related_by_keys`]).
    ///
    /// # Errors
    /// [`ErrorKind::Storage`] when the backend fails.
    fn related(&self, workspace: &str, handles: &[Handle]) -> Result<RelatedRecords>;

    /// The stored records with these keys, whichever creator holds them (videos with
    /// their product links).
    ///
    /// # Errors
    /// [`ErrorKind::Storage`] when the backend fails.
    fn related_by_keys(&self, workspace: &str, keys: &RecordKeys) -> Result<RelatedRecords>;

    /// One page of creators (see [`query`]).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] for a cursor this query did not give;
    /// [`ErrorKind::Storage`] when the backend fails.
    fn list_creators(&self, workspace: &str, query: &CreatorQuery) -> Result<CreatorPage>;

    /// Creators whose handle, name or email contains `text` ([`query::matches_text`]), in
    /// handle order, at most `limit`.
    ///
    /// # Errors
    /// [`ErrorKind::Storage`] when the backend fails.
    fn search_creators(
        &self,
        workspace: &str,
        text: &str,
        limit: usize,
    ) -> Result<Vec<StoredCreator>>;

    /// The suppression hashes.
    ///
    /// # Errors
    /// [`ErrorKind::Storage`] when the backend fails.
    fn suppression(&self, workspace: &str) -> Result<Vec<[u8; 32]>>;

    /// A creator's supporters (by id) and alert cooldown state.
    ///
    /// # Errors
    /// [`ErrorKind::Storage`] when the backend fails.
    fn supporters(&self, workspace: &str, creator: &Handle) -> Result<SupporterState>;

    /// The newest activity records, newest first, at most `limit`.
    ///
    /// # Errors
    /// [`ErrorKind::Storage`] when the backend fails.
    fn activity(&self, workspace: &str, limit: usize) -> Result<Vec<ActivityRecord>>;

    /// Applies every change of `changes`, or none.
    ///
    /// # Errors
    /// [`ErrorKind::Conflict`] when a change expects a version the store does not hold
    /// (nothing is applied); [`ErrorKind::Storage`] when the backend fails (nothing is
    /// applied).
    fn apply(&self, workspace: &str, changes: &ChangeSet) -> Result<()>;
}

/// The error of a change that expected another version of `entity`.
pub fn conflict(entity: &'static str) -> Error {
    Error::new(ErrorKind::Conflict, "stale version").with_field(entity)
}

/// The error of a failing backend, with the backend's error as its source.
pub fn storage_error(
    reason: &'static str,
    source: impl std::error::Error + Send + Sync + 'static,
) -> Error {
    Error::new(ErrorKind::Storage, reason).with_source(source)
}

/// Suppression hashes as lower-case hex strings.
pub mod hex_hashes {
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _, ser::SerializeSeq};

    /// A hash as 64 lower-case hex digits.
    pub fn to_hex(hash: &[u8; 32]) -> String {
        use std::fmt::Write;
        hash.iter().fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    }

    /// The hash of 64 hex digits.
    pub fn from_hex(text: &str) -> Option<[u8; 32]> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            let s = std::str::from_utf8(pair).ok()?;
            *o = u8::from_str_radix(s, 16).ok()?;
        }
        Some(out)
    }

    /// Serializes hashes as hex strings.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(hashes: &[[u8; 32]], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(hashes.len()))?;
        for h in hashes {
            seq.serialize_element(&to_hex(h))?;
        }
        seq.end()
    }

    /// Deserializes hex strings into hashes.
    ///
    /// # Errors
    /// A string that is not 64 hex digits.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<[u8; 32]>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|t| from_hex(t).ok_or_else(|| D::Error::custom("not a 64-digit hex hash")))
            .collect()
    }
}
