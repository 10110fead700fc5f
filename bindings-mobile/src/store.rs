//! Mobile bindings of `creator_crm::store`: the store protocol as a foreign trait
//! ([`CrmStore`]), the built-in [`MemoryStore`] and [`SqliteStore`] implementing it, and
//! the conformance suite ([`run_store_conformance`]).
//!
//! **The protocol is JSON text.** Each method of [`CrmStore`] is a method of core's
//! store protocol (`creator_crm::store::host`): plain strings and numbers stay plain
//! (workspace, a handle, search text, limits), every structured value (handles,
//! emails, record keys, a query, a change set, and every result) is the serde JSON form
//! core defines, so a Kotlin / Swift store keeps the rows as they come and gives them
//! back. A store is any Kotlin / Swift class implementing `CrmStore`; `MemoryStore` and
//! `SqliteStore` implement it too, so a host can wrap one (logging, caching, fault
//! injection).
//!
//! **Errors a host store throws.** A `CrmException` / `CrmError` thrown by a store
//! method keeps its meaning: `Conflict` from `apply` makes the `Crm` facade re-read and
//! retry; any other variant ends the `Crm` call with that same value. Any other
//! exception ends the call with [`CrmError::Host`] carrying the exception's class name,
//! its message and the store method (uniffi cannot hand back the thrown object). A
//! failing store call leaves nothing half-written: the facade writes with one `apply`.

use std::sync::Arc;

use creator_crm::{
    Error, ErrorKind,
    outbox::{
        OutreachStore,
        host::{HostOutreachStore, OutreachMethod, dispatch_outreach},
    },
    store::{
        self as core, Store,
        host::{self, HostBacked, Method},
    },
};
use serde_json::Value;

use crate::errors::CrmError;

/// A store of CRM data, implemented in Kotlin / Swift (or the built-in [`MemoryStore`]).
///
/// Every method gets the workspace first; nothing written in one workspace may be read
/// in another. Arguments and results named `..._json` are the JSON forms of core's
/// types (see the module docs of `creator_crm::store::host`). `apply` must apply all of
/// a change set or nothing, and throw `CrmException.Conflict` (nothing applied) when a
/// change expects another version than the one stored. `runStoreConformance` checks
/// all of it.
#[uniffi::export(with_foreign)]
pub trait CrmStore: Send + Sync {
    /// The stored creators among the handles (a JSON array of handles), in handle
    /// order, as a JSON array of stored creators.
    fn creators(&self, workspace: String, handles_json: String) -> Result<String, CrmError>;

    /// The stored creators whose evidence holds any of the emails (a JSON array).
    fn creators_with_emails(
        &self,
        workspace: String,
        emails_json: String,
    ) -> Result<String, CrmError>;

    /// Every related record of the creators (a JSON array of handles), as JSON.
    fn related(&self, workspace: String, handles_json: String) -> Result<String, CrmError>;

    /// The stored records with these keys (JSON record keys), whichever creator holds
    /// them, as JSON related records.
    fn related_by_keys(&self, workspace: String, keys_json: String) -> Result<String, CrmError>;

    /// One page of creators for a JSON query, as a JSON page.
    fn list_creators(&self, workspace: String, query_json: String) -> Result<String, CrmError>;

    /// Creators whose handle, name or email contains `text`, in handle order, at most
    /// `limit`, as a JSON array.
    fn search_creators(
        &self,
        workspace: String,
        text: String,
        limit: u64,
    ) -> Result<String, CrmError>;

    /// The suppression hashes, as a JSON array of 64-digit hex strings.
    fn suppression(&self, workspace: String) -> Result<String, CrmError>;

    /// A creator's supporters and alert cooldown state, as JSON.
    fn supporters(&self, workspace: String, handle: String) -> Result<String, CrmError>;

    /// The newest activity records, newest first, at most `limit`, as a JSON array.
    fn activity(&self, workspace: String, limit: u64) -> Result<String, CrmError>;

    /// Applies a JSON change set, all of it or nothing.
    fn apply(&self, workspace: String, changes_json: String) -> Result<(), CrmError>;
}

/// A store argument or result that is not the JSON core expects: `InvalidInput` naming
/// the argument (never its text).
fn parse(text: &str, what: &'static str) -> Result<Value, CrmError> {
    serde_json::from_str(text)
        .map_err(|e| Error::invalid(what, "not valid JSON").with_source(e).into())
}

fn text(value: &Value) -> String {
    value.to_string()
}

/// A string argument of a protocol call.
fn string_arg(args: &[Value], i: usize) -> String {
    match args.get(i) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// A number argument of a protocol call.
fn number_arg(args: &[Value], i: usize) -> u64 {
    args.get(i).and_then(Value::as_u64).unwrap_or(0)
}

/// A [`CrmStore`] as core's host store: each protocol call becomes a call of the
/// foreign method with the same name.
struct Foreign(Arc<dyn CrmStore>);

/// The core error carrying what a foreign store threw, with the thrown value as its
/// source (it comes back out of the `Crm` call unchanged). A thrown `CrmError` keeps its
/// kind (a `Conflict` makes the facade retry, an `InvalidInput` stays one); any other
/// exception is a storage failure of the method.
fn thrown(err: CrmError, method: &'static str) -> Error {
    let err = match err {
        CrmError::Host {
            class_name,
            host_message,
            method: None,
        } => CrmError::Host {
            class_name,
            host_message,
            method: Some(method.to_owned()),
        },
        other => other,
    };
    let (kind, reason, field) = match &err {
        CrmError::InvalidInput { reason, field, .. } => (ErrorKind::InvalidInput, reason, field),
        CrmError::Import { reason, field, .. } => (ErrorKind::Import, reason, field),
        CrmError::Template { reason, field, .. } => (ErrorKind::Template, reason, field),
        CrmError::Consent { reason, field, .. } => (ErrorKind::Consent, reason, field),
        CrmError::Forbidden { reason, field, .. } => (ErrorKind::Forbidden, reason, field),
        CrmError::Storage { reason, field, .. } => (ErrorKind::Storage, reason, field),
        CrmError::Messaging { reason, field, .. } => (ErrorKind::Messaging, reason, field),
        CrmError::Webhook { reason, field, .. } => (ErrorKind::Webhook, reason, field),
        CrmError::Conflict { reason, field, .. } => (ErrorKind::Conflict, reason, field),
        CrmError::Host { .. } | CrmError::Other { .. } => {
            return Error::new(ErrorKind::Storage, "host store failed")
                .with_field(method)
                .with_source(err);
        }
    };
    Error::new(kind, reason.clone())
        .with_field(field.clone().unwrap_or_else(|| method.to_owned()))
        .with_source(err)
}

impl host::HostStore for Foreign {
    fn call(&self, method: Method, args: Vec<Value>) -> Result<Value, Error> {
        let s = &self.0;
        let ws = string_arg(&args, 0);
        let json = |i: usize| args.get(i).map_or_else(|| "null".to_owned(), text);
        let result = match method {
            Method::Creators => s.creators(ws, json(1)),
            Method::CreatorsWithEmails => s.creators_with_emails(ws, json(1)),
            Method::Related => s.related(ws, json(1)),
            Method::RelatedByKeys => s.related_by_keys(ws, json(1)),
            Method::ListCreators => s.list_creators(ws, json(1)),
            Method::SearchCreators => {
                s.search_creators(ws, string_arg(&args, 1), number_arg(&args, 2))
            }
            Method::Suppression => s.suppression(ws),
            Method::Supporters => s.supporters(ws, string_arg(&args, 1)),
            Method::Activity => s.activity(ws, number_arg(&args, 1)),
            Method::Apply => s.apply(ws, json(1)).map(|()| "null".to_owned()),
        }
        .map_err(|e| thrown(e, method.name()))?;
        serde_json::from_str(&result).map_err(|_| {
            Error::new(ErrorKind::Storage, "malformed store result").with_field(method.name())
        })
    }
}

/// The core store behind a foreign [`CrmStore`] object.
pub(crate) fn core_store(store: Arc<dyn CrmStore>) -> Arc<dyn Store> {
    Arc::new(HostBacked(Foreign(store)))
}

/// The outreach half of the store protocol, implemented in Kotlin / Swift (or by the
/// built-in `MemoryStore` / `SqliteStore`): where `OutreachService` keeps its outbox and
/// consent ledger when given `OutboxStore.Host`.
///
/// Same conventions as [`CrmStore`]: the workspace first, plain strings and numbers
/// plain, structured values (ids, handles, keys, entries, change sets) the serde JSON
/// forms of core's types (`creator_crm::outbox::host`). `apply_outreach` applies all of a
/// change list or nothing, and throws `CrmException.Conflict` (nothing applied) when a
/// change expects another version than the one stored or marks an event already marked.
/// A thrown exception reaches the caller as a store's does (see the module docs).
#[uniffi::export(with_foreign)]
pub trait CrmOutreachStore: Send + Sync {
    /// The outbox entries with these ids (a JSON array), in id order, as a JSON array.
    fn outbox(&self, workspace: String, ids_json: String) -> Result<String, CrmError>;

    /// Entries in `status` (`queued`, `sending`, ...), by `not_before` then id, at most
    /// `limit`, as a JSON array.
    fn outbox_with_status(
        &self,
        workspace: String,
        status: String,
        limit: u64,
    ) -> Result<String, CrmError>;

    /// Every entry of the creator `handle` (any order), as a JSON array.
    fn outbox_of(&self, workspace: String, handle: String) -> Result<String, CrmError>;

    /// Every entry sent or to be sent to the address `to`, as a JSON array.
    fn outbox_to(&self, workspace: String, to: String) -> Result<String, CrmError>;

    /// The consent ledger of the creators (a JSON array of handles), in the order
    /// written, as a JSON array.
    fn consent(&self, workspace: String, handles_json: String) -> Result<String, CrmError>;

    /// Which of the event keys (a JSON array) are recorded as applied, as a JSON array.
    fn events_seen(&self, workspace: String, keys_json: String) -> Result<String, CrmError>;

    /// Applies a JSON array of outreach changes, all of them or none.
    fn apply_outreach(&self, workspace: String, changes_json: String) -> Result<(), CrmError>;
}

/// A [`CrmOutreachStore`] as core's host outreach store.
struct ForeignOutreach(Arc<dyn CrmOutreachStore>);

impl HostOutreachStore for ForeignOutreach {
    fn call_outreach(&self, method: OutreachMethod, args: Vec<Value>) -> Result<Value, Error> {
        let s = &self.0;
        let ws = string_arg(&args, 0);
        let json = |i: usize| args.get(i).map_or_else(|| "null".to_owned(), text);
        let result = match method {
            OutreachMethod::Outbox => s.outbox(ws, json(1)),
            OutreachMethod::OutboxWithStatus => {
                s.outbox_with_status(ws, string_arg(&args, 1), number_arg(&args, 2))
            }
            OutreachMethod::OutboxOf => s.outbox_of(ws, string_arg(&args, 1)),
            OutreachMethod::OutboxTo => s.outbox_to(ws, string_arg(&args, 1)),
            OutreachMethod::Consent => s.consent(ws, json(1)),
            OutreachMethod::EventsSeen => s.events_seen(ws, json(1)),
            OutreachMethod::ApplyOutreach => {
                s.apply_outreach(ws, json(1)).map(|()| "null".to_owned())
            }
        }
        .map_err(|e| thrown(e, method.name()))?;
        serde_json::from_str(&result).map_err(|_| {
            Error::new(ErrorKind::Storage, "malformed store result").with_field(method.name())
        })
    }
}

/// The core outreach store behind a foreign [`CrmOutreachStore`] object.
pub(crate) fn core_outreach_store(store: Arc<dyn CrmOutreachStore>) -> Arc<dyn OutreachStore> {
    Arc::new(HostBacked(ForeignOutreach(store)))
}

/// Implements [`CrmOutreachStore`] for a built-in store object (a type with an
/// `answer_outreach(method, args)`).
macro_rules! builtin_outreach_protocol {
    ($t:ty) => {
        #[uniffi::export]
        impl CrmOutreachStore for $t {
            fn outbox(&self, workspace: String, ids_json: String) -> Result<String, CrmError> {
                let ids = parse(&ids_json, "ids")?;
                self.answer_outreach(OutreachMethod::Outbox, vec![workspace.into(), ids])
            }

            fn outbox_with_status(
                &self,
                workspace: String,
                status: String,
                limit: u64,
            ) -> Result<String, CrmError> {
                self.answer_outreach(
                    OutreachMethod::OutboxWithStatus,
                    vec![workspace.into(), status.into(), limit.into()],
                )
            }

            fn outbox_of(&self, workspace: String, handle: String) -> Result<String, CrmError> {
                self.answer_outreach(
                    OutreachMethod::OutboxOf,
                    vec![workspace.into(), handle.into()],
                )
            }

            fn outbox_to(&self, workspace: String, to: String) -> Result<String, CrmError> {
                self.answer_outreach(OutreachMethod::OutboxTo, vec![workspace.into(), to.into()])
            }

            fn consent(&self, workspace: String, handles_json: String) -> Result<String, CrmError> {
                let handles = parse(&handles_json, "handles")?;
                self.answer_outreach(OutreachMethod::Consent, vec![workspace.into(), handles])
            }

            fn events_seen(
                &self,
                workspace: String,
                keys_json: String,
            ) -> Result<String, CrmError> {
                let keys = parse(&keys_json, "keys")?;
                self.answer_outreach(OutreachMethod::EventsSeen, vec![workspace.into(), keys])
            }

            fn apply_outreach(
                &self,
                workspace: String,
                changes_json: String,
            ) -> Result<(), CrmError> {
                let changes = parse(&changes_json, "changes")?;
                self.answer_outreach(
                    OutreachMethod::ApplyOutreach,
                    vec![workspace.into(), changes],
                )
                .map(|_| ())
            }
        }
    };
}

/// Implements [`CrmStore`] for a built-in store object (a type with an
/// `answer(method, args)`): each protocol method decodes its JSON arguments and answers
/// from the core store, so the object has the very methods a host store implements.
macro_rules! builtin_protocol {
    ($t:ty) => {
        #[uniffi::export]
        impl CrmStore for $t {
            fn creators(
                &self,
                workspace: String,
                handles_json: String,
            ) -> Result<String, CrmError> {
                let handles = parse(&handles_json, "handles")?;
                self.answer(Method::Creators, vec![workspace.into(), handles])
            }

            fn creators_with_emails(
                &self,
                workspace: String,
                emails_json: String,
            ) -> Result<String, CrmError> {
                let emails = parse(&emails_json, "emails")?;
                self.answer(Method::CreatorsWithEmails, vec![workspace.into(), emails])
            }

            fn related(&self, workspace: String, handles_json: String) -> Result<String, CrmError> {
                let handles = parse(&handles_json, "handles")?;
                self.answer(Method::Related, vec![workspace.into(), handles])
            }

            fn related_by_keys(
                &self,
                workspace: String,
                keys_json: String,
            ) -> Result<String, CrmError> {
                let keys = parse(&keys_json, "keys")?;
                self.answer(Method::RelatedByKeys, vec![workspace.into(), keys])
            }

            fn list_creators(
                &self,
                workspace: String,
                query_json: String,
            ) -> Result<String, CrmError> {
                let query = parse(&query_json, "query")?;
                self.answer(Method::ListCreators, vec![workspace.into(), query])
            }

            fn search_creators(
                &self,
                workspace: String,
                text: String,
                limit: u64,
            ) -> Result<String, CrmError> {
                self.answer(
                    Method::SearchCreators,
                    vec![workspace.into(), text.into(), limit.into()],
                )
            }

            fn suppression(&self, workspace: String) -> Result<String, CrmError> {
                self.answer(Method::Suppression, vec![workspace.into()])
            }

            fn supporters(&self, workspace: String, handle: String) -> Result<String, CrmError> {
                self.answer(Method::Supporters, vec![workspace.into(), handle.into()])
            }

            fn activity(&self, workspace: String, limit: u64) -> Result<String, CrmError> {
                self.answer(Method::Activity, vec![workspace.into(), limit.into()])
            }

            fn apply(&self, workspace: String, changes_json: String) -> Result<(), CrmError> {
                let changes = parse(&changes_json, "changes")?;
                self.answer(Method::Apply, vec![workspace.into(), changes])
                    .map(|_| ())
            }
        }
    };
}

/// A store that keeps everything in memory, with the store protocol's methods.
///
/// Pass it to `Crm.withMemoryStore` (every store call then stays in Rust), or wrap it in
/// a class of your own implementing `CrmStore` (logging, caching, fault injection) and
/// pass that to `Crm(...)` (every store call then goes through your object). It also holds an outbox and a
/// consent ledger for `OutreachService` (`OutboxStore.Memory`). Safe to share between
/// threads.
#[derive(Debug, Default, uniffi::Object)]
pub struct MemoryStore {
    inner: Arc<core::MemoryStore>,
}

#[uniffi::export]
impl MemoryStore {
    /// An empty store.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(MemoryStore::default())
    }
}

impl MemoryStore {
    /// Answers one protocol call from the built-in store.
    fn answer(&self, method: Method, args: Vec<Value>) -> Result<String, CrmError> {
        Ok(text(&host::dispatch(&*self.inner, method, &args)?))
    }

    /// Answers one outreach-protocol call from the built-in store.
    fn answer_outreach(
        &self,
        method: OutreachMethod,
        args: Vec<Value>,
    ) -> Result<String, CrmError> {
        Ok(text(&dispatch_outreach(&*self.inner, method, &args)?))
    }

    /// The store's outbox and consent ledger.
    pub(crate) fn outreach(&self) -> Arc<dyn OutreachStore> {
        self.inner.clone()
    }

    /// The core store, called in Rust.
    pub(crate) fn store(&self) -> Arc<dyn Store> {
        self.inner.clone()
    }
}

builtin_protocol!(MemoryStore);
builtin_outreach_protocol!(MemoryStore);

/// A store in one SQLite database file (bundled SQLite: created when missing, migrated
/// on open), with the store protocol's methods: an ordinary database a user can open
/// with `sqlite3`, on the device's storage. Every `apply` is one transaction, so a
/// crash leaves the last complete write.
///
/// Pass it to `Crm.withSqliteStore` (calls stay in Rust), or wrap it in a class of your
/// own implementing `CrmStore` and pass that to `Crm(...)`. It also
/// holds an outbox and a consent ledger for `OutreachService` (`OutboxStore.Sqlite`),
/// in the same file. Safe to share between threads: calls are serialized. Two
/// `SqliteStore`s may open the same file; SQLite's locking keeps each write whole.
#[derive(Debug, uniffi::Object)]
pub struct SqliteStore {
    inner: Arc<core::SqliteStore>,
    path: String,
}

#[uniffi::export]
impl SqliteStore {
    /// Opens the database at `path` (a file path; `:memory:` for a database in
    /// memory that ends with the object).
    ///
    /// # Errors
    /// `Storage` when the file cannot be opened, is not a database of this library,
    /// or was written by a newer version of it.
    #[uniffi::constructor]
    pub fn new(path: String) -> Result<Arc<Self>, CrmError> {
        let inner = if path == ":memory:" {
            core::SqliteStore::open_in_memory()?
        } else {
            core::SqliteStore::open(&path)?
        };
        Ok(Arc::new(SqliteStore {
            inner: Arc::new(inner),
            path,
        }))
    }

    /// The database file this store opened (`:memory:` for one in memory).
    pub fn path(&self) -> String {
        self.path.clone()
    }

    /// The schema version of the database file.
    ///
    /// # Errors
    /// `Storage` when the database cannot be read.
    pub fn schema_version(&self) -> Result<u32, CrmError> {
        Ok(self.inner.schema_version()?)
    }
}

impl SqliteStore {
    /// Answers one protocol call from the built-in store.
    fn answer(&self, method: Method, args: Vec<Value>) -> Result<String, CrmError> {
        Ok(text(&host::dispatch(&*self.inner, method, &args)?))
    }

    /// Answers one outreach-protocol call from the built-in store.
    fn answer_outreach(
        &self,
        method: OutreachMethod,
        args: Vec<Value>,
    ) -> Result<String, CrmError> {
        Ok(text(&dispatch_outreach(&*self.inner, method, &args)?))
    }

    /// The store's outbox and consent ledger.
    pub(crate) fn outreach(&self) -> Arc<dyn OutreachStore> {
        self.inner.clone()
    }

    /// The core store, called in Rust.
    pub(crate) fn store(&self) -> Arc<dyn Store> {
        self.inner.clone()
    }
}

builtin_protocol!(SqliteStore);
builtin_outreach_protocol!(SqliteStore);

/// The stored creators of a JSON array, for the query helpers.
fn stored_creators(creators_json: &str) -> Result<Vec<core::StoredCreator>, CrmError> {
    serde_json::from_str(creators_json).map_err(|e| {
        Error::invalid("creators", "not a JSON array of stored creators")
            .with_source(e)
            .into()
    })
}

fn encoded<T: serde::Serialize>(value: &T) -> Result<String, CrmError> {
    serde_json::to_string(value).map_err(|e| {
        Error::new(ErrorKind::Storage, "cannot encode a store result")
            .with_source(e)
            .into()
    })
}

/// One page of `list_creators` over the stored creators a store holds (a JSON array,
/// any order): core's list semantics (filters, sorts, stable cursor paging) for a
/// simple Kotlin / Swift store to apply to its rows. Gives the JSON page.
///
/// # Errors
/// `InvalidInput` for malformed JSON or a cursor this query did not give.
#[uniffi::export]
pub fn store_list_page(creators_json: String, query_json: String) -> Result<String, CrmError> {
    let creators = stored_creators(&creators_json)?;
    let query: core::CreatorQuery = serde_json::from_str(&query_json)
        .map_err(|e| Error::invalid("query", "not a creator query").with_source(e))?;
    encoded(&core::query::page_of(&creators, &query)?)
}

/// The result of `search_creators` over the stored creators a store holds (a JSON
/// array, any order): core's text search, in handle order, at most `limit`.
///
/// # Errors
/// `InvalidInput` for malformed JSON.
#[uniffi::export]
pub fn store_search(creators_json: String, text: String, limit: u64) -> Result<String, CrmError> {
    let creators = stored_creators(&creators_json)?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    encoded(&core::query::search_of(&creators, &text, limit))
}

/// Makes an empty store for each case of the conformance suite.
#[uniffi::export(with_foreign)]
pub trait StoreFactory: Send + Sync {
    /// A new, empty store.
    fn make_store(&self) -> Result<Arc<dyn CrmStore>, CrmError>;
}

/// One case of the conformance suite and how it went.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConformanceResult {
    /// The case's name (`creators_round_trip_with_versions`, ...).
    pub name: String,
    /// What differed, `None` when the case passed.
    pub failure: Option<String>,
}

/// Runs the store conformance suite (written once in core) against stores the factory
/// makes, one fresh store per case, through the same path the `Crm` facade uses.
///
/// # Errors
/// What the factory throws.
#[uniffi::export]
pub fn run_store_conformance(
    factory: Arc<dyn StoreFactory>,
) -> Result<Vec<ConformanceResult>, CrmError> {
    let mut out = Vec::new();
    for case in core::conformance::cases() {
        let store = core_store(factory.make_store()?);
        out.push(ConformanceResult {
            name: case.name.to_owned(),
            failure: (case.run)(store).err(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fresh;

    impl StoreFactory for Fresh {
        fn make_store(&self) -> Result<Arc<dyn CrmStore>, CrmError> {
            Ok(MemoryStore::new())
        }
    }

    struct FreshSqlite;

    impl StoreFactory for FreshSqlite {
        fn make_store(&self) -> Result<Arc<dyn CrmStore>, CrmError> {
            Ok(SqliteStore::new(":memory:".into())?)
        }
    }

    #[test]
    fn memory_store_passes_the_suite_through_the_json_protocol() {
        let results = run_store_conformance(Arc::new(Fresh)).unwrap_or_default();
        assert!(results.len() >= 11);
        let failed: Vec<_> = results.iter().filter(|r| r.failure.is_some()).collect();
        assert!(failed.is_empty(), "{failed:?}");
    }

    #[test]
    fn sqlite_store_passes_the_suite_through_the_json_protocol() {
        let results = run_store_conformance(Arc::new(FreshSqlite)).unwrap_or_default();
        assert!(results.len() >= 11);
        let failed: Vec<_> = results.iter().filter(|r| r.failure.is_some()).collect();
        assert!(failed.is_empty(), "{failed:?}");
    }

    #[test]
    fn built_in_stores_pass_the_outbox_suite_through_the_json_protocol() {
        let memory = creator_crm::outbox::conformance::run(|| {
            core_outreach_store(MemoryStore::new() as Arc<dyn CrmOutreachStore>)
        });
        let sqlite =
            creator_crm::outbox::conformance::run(|| match SqliteStore::new(":memory:".into()) {
                Ok(s) => core_outreach_store(s as Arc<dyn CrmOutreachStore>),
                Err(_) => core_outreach_store(MemoryStore::new() as Arc<dyn CrmOutreachStore>),
            });
        assert!(!memory.is_empty());
        let failed: Vec<_> = memory
            .iter()
            .chain(&sqlite)
            .filter_map(|(name, r)| r.as_ref().err().map(|e| format!("{name}: {e}")))
            .collect();
        assert!(failed.is_empty(), "{failed:?}");
    }

    #[test]
    fn a_sqlite_store_that_cannot_open_is_a_storage_error() {
        let e = SqliteStore::new("/nonexistent-dir/x/crm.db".into()).map(|_| ());
        assert!(matches!(e, Err(CrmError::Storage { .. })), "{e:?}");
    }

    #[test]
    fn a_conflict_thrown_by_a_store_is_a_core_conflict() {
        let e = thrown(
            CrmError::Conflict {
                reason: "stale version".into(),
                field: Some("creator".into()),
                line: None,
            },
            Method::Apply.name(),
        );
        assert_eq!(e.kind(), ErrorKind::Conflict);
        let e = thrown(
            CrmError::Host {
                class_name: "java.io.IOException".into(),
                host_message: Some("disk full".into()),
                method: None,
            },
            Method::Apply.name(),
        );
        assert_eq!(
            CrmError::from(e),
            CrmError::Host {
                class_name: "java.io.IOException".into(),
                host_message: Some("disk full".into()),
                method: Some("apply".into()),
            }
        );
    }
}
