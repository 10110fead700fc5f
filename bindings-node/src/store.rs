//! Node bindings of `creator_crm::store`: `MemoryStore`, `SqliteStore`, JavaScript host
//! stores and the conformance suite.
//!
//! A store is any object with the store protocol's methods, in camelCase
//! ([`js_name`] is the one place that names them): `creators`, `creatorsWithEmails`,
//! `related`, `relatedByKeys`, `listCreators`, `searchCreators`, `suppression`,
//! `supporters`, `activity`, `apply`. They take and return plain JSON data, the serde
//! forms core defines (snake_case keys, as every language's store sees them), and are
//! called synchronously: a method returns its result, never a promise. `MemoryStore`
//! and `SqliteStore` are such objects, so a host can wrap one.
//!
//! The outreach half of the protocol (`outbox`, `outboxWithStatus`, `outboxOf`,
//! `outboxTo`, `consent`, `eventsSeen`, `applyOutreach`: [`js_outreach_name`]) keeps
//! `OutreachService`'s outbox and consent ledger; the built-in stores have those
//! methods too, and a JavaScript object with them is an outreach store, called under
//! the same rules.
//!
//! A JavaScript store is called on the JavaScript thread that made it; a call from any
//! other thread (an `…Async` method of `Crm` runs on the libuv pool) is refused with a
//! `StorageError` (`reason: "host store called off its JavaScript thread"`) instead of
//! blocking. An `Error` a host store's method throws reaches the caller of the `Crm`
//! method as that same object (another thrown value becomes a `StorageError`,
//! `reason: "host store threw a non-Error value"`). A thrown error whose `code` is
//! `"conflict"` is a stale version: the facade re-reads and retries.

// Reading a store argument as a class instance takes raw napi values.
#![allow(unsafe_code)]

use std::sync::Arc;

use creator_crm::{
    Error, ErrorKind,
    outbox::{
        OutreachStore, conformance as outbox_conformance,
        host::{HostOutreachStore, OutreachMethod, dispatch_outreach},
    },
    store::{
        MemoryStore as CoreMemoryStore, SqliteStore as CoreSqliteStore, Store, conformance,
        host::{HostBacked, HostStore, Method, dispatch},
    },
};
use napi::{
    Env, JsValue, ValueType,
    bindgen_prelude::{ClassInstance, FromNapiValue, Function, JsObjectValue, Object, Unknown},
    sys,
};
use napi_derive::napi;
use serde_json::Value;

use crate::{
    errors::to_napi_error,
    js::{Failure, JsObject, text_property, thrown_error},
};

/// The JavaScript name of each protocol method (core's names are snake_case).
pub const fn js_name(method: Method) -> &'static str {
    match method {
        Method::Creators => "creators",
        Method::CreatorsWithEmails => "creatorsWithEmails",
        Method::Related => "related",
        Method::RelatedByKeys => "relatedByKeys",
        Method::ListCreators => "listCreators",
        Method::SearchCreators => "searchCreators",
        Method::Suppression => "suppression",
        Method::Supporters => "supporters",
        Method::Activity => "activity",
        Method::Apply => "apply",
    }
}

/// The JavaScript name of each outreach protocol method (core's names are snake_case).
pub const fn js_outreach_name(method: OutreachMethod) -> &'static str {
    match method {
        OutreachMethod::Outbox => "outbox",
        OutreachMethod::OutboxWithStatus => "outboxWithStatus",
        OutreachMethod::OutboxOf => "outboxOf",
        OutreachMethod::OutboxTo => "outboxTo",
        OutreachMethod::Consent => "consent",
        OutreachMethod::EventsSeen => "eventsSeen",
        OutreachMethod::ApplyOutreach => "applyOutreach",
    }
}

/// A JavaScript object as a store, called on the thread that made it.
pub struct JsHost(JsObject);

impl JsHost {
    /// Calls the host store's method `name` (a protocol method's JavaScript name).
    fn call_js(&self, name: &'static str, args: &[Value]) -> Result<Value, Error> {
        self.0
            .call(name, args, &|env, thrown| host_error(env, thrown, name))
            .map_err(|f| match f {
                Failure::OffThread => Error::new(
                    ErrorKind::Storage,
                    "host store called off its JavaScript thread",
                )
                .with_field(name),
                Failure::CannotCall => {
                    Error::new(ErrorKind::Storage, "cannot call the host store").with_field(name)
                }
                Failure::NotAFunction => {
                    Error::invalid("store", "missing a store method").with_field(name)
                }
                Failure::Malformed => {
                    Error::new(ErrorKind::Storage, "malformed store result").with_field(name)
                }
                Failure::Threw(e) => e,
            })
    }
}

/// The kind a host error's `code` names, for the codes a host store may use.
fn host_kind(code: &str) -> Option<ErrorKind> {
    [
        ErrorKind::Conflict,
        ErrorKind::InvalidInput,
        ErrorKind::Forbidden,
        ErrorKind::Storage,
    ]
    .into_iter()
    .find(|k| k.as_str() == code)
}

/// The core error standing for the value `thrown` that host code threw (a host store's
/// method `method`), carrying it when it is an `Error`, so that `to_napi_error` throws
/// that same object to the caller. An error whose `code` is `conflict`, `invalid_input`, `forbidden` or
/// `storage` keeps that meaning (a conflict makes the facade re-read and retry), with
/// its `reason` and `field` when they are strings; any other value is a storage
/// failure of `method`.
fn host_error(env: &Env, thrown: sys::napi_value, method: &'static str) -> Error {
    let Some((held, obj)) = thrown_error(env, thrown) else {
        return Error::new(ErrorKind::Storage, "host store threw a non-Error value")
            .with_field(method);
    };
    let code = text_property(env, &obj, "code");
    let Some(kind) = code.as_deref().and_then(host_kind) else {
        return Error::new(ErrorKind::Storage, "host store failed")
            .with_field(method)
            .with_source(held);
    };
    let reason = text_property(env, &obj, "reason");
    let field = text_property(env, &obj, "field");
    Error::new(kind, reason.unwrap_or_else(|| "host store failed".into()))
        .with_field(field.unwrap_or_else(|| method.to_owned()))
        .with_source(held)
}

impl HostStore for JsHost {
    fn call(&self, method: Method, args: Vec<Value>) -> Result<Value, Error> {
        self.call_js(js_name(method), &args)
    }
}

impl HostOutreachStore for JsHost {
    fn call_outreach(&self, method: OutreachMethod, args: Vec<Value>) -> Result<Value, Error> {
        self.call_js(js_outreach_name(method), &args)
    }
}

/// The first of `names` that is not a function of `object`.
fn first_missing(
    object: &Object<'_>,
    names: &[&'static str],
) -> napi::Result<Option<&'static str>> {
    for &name in names {
        let f: Unknown<'_> = object.get_named_property(name)?;
        if f.get_type()? != ValueType::Function {
            return Ok(Some(name));
        }
    }
    Ok(None)
}

const OUTREACH_NAMES: [&str; 7] = {
    let mut names = [""; 7];
    let mut i = 0;
    while i < 7 {
        names[i] = js_outreach_name(OutreachMethod::ALL[i]);
        i += 1;
    }
    names
};

const STORE_NAMES: [&str; 10] = {
    let mut names = [""; 10];
    let mut i = 0;
    while i < 10 {
        names[i] = js_name(Method::ALL[i]);
        i += 1;
    }
    names
};

/// The store behind a JavaScript value: a built-in store's own, or the object as a
/// host store.
pub struct StoreArg {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The same store as an outreach store (outbox and consent ledger), when it is a
    /// built-in one.
    pub outreach: Option<Arc<dyn OutreachStore>>,
}

impl StoreArg {
    /// Reads `value`: a `MemoryStore`, a `SqliteStore`, or any object with the store
    /// protocol's methods (an outreach store too when it has the outreach methods as
    /// well).
    ///
    /// Throws an `InvalidInputError` (`field`: the first missing method) otherwise.
    pub fn read(env: &Env, value: Unknown<'_>) -> napi::Result<StoreArg> {
        let invalid = |field: &'static str| {
            to_napi_error(
                env,
                &Error::invalid("store", "missing a store method").with_field(field),
            )
        };
        if value.get_type()? != ValueType::Object {
            return Err(invalid("store"));
        }
        // SAFETY: an object value of `env`.
        let object = unsafe { Object::from_napi_value(env.raw(), value.raw()) }?;
        if let Some(builtin) = builtin(env, &value) {
            return Ok(builtin);
        }
        if let Some(missing) = first_missing(&object, &STORE_NAMES)? {
            return Err(invalid(missing));
        }
        let host = Arc::new(HostBacked(JsHost(JsObject::new(env, &object)?)));
        let outreach: Option<Arc<dyn OutreachStore>> =
            match first_missing(&object, &OUTREACH_NAMES)? {
                None => Some(host.clone()),
                Some(_) => None,
            };
        Ok(StoreArg {
            store: host,
            outreach,
        })
    }
}

/// `value` as a built-in store: a `MemoryStore` or a `SqliteStore` instance.
fn builtin(env: &Env, value: &Unknown<'_>) -> Option<StoreArg> {
    // SAFETY (both): a value of `env`, on its thread; the class is checked before the cast.
    if let Ok(m) = unsafe { ClassInstance::<MemoryStore>::from_napi_value(env.raw(), value.raw()) }
    {
        return Some(StoreArg {
            store: m.inner.clone(),
            outreach: Some(m.inner.clone()),
        });
    }
    if let Ok(s) = unsafe { ClassInstance::<SqliteStore>::from_napi_value(env.raw(), value.raw()) }
    {
        return Some(StoreArg {
            store: s.inner.clone(),
            outreach: Some(s.inner.clone()),
        });
    }
    None
}

/// `value` as an outreach store (outbox and consent ledger): a `MemoryStore`, a
/// `SqliteStore`, or any object with the outreach methods (`outreachStoreMethods()`).
///
/// Throws an `InvalidInputError` (`field`: the first missing method, or `store`)
/// otherwise.
pub fn outreach_store(env: &Env, value: Unknown<'_>) -> napi::Result<Arc<dyn OutreachStore>> {
    let invalid = |field: &'static str| {
        to_napi_error(
            env,
            &Error::invalid("store", "missing an outreach store method").with_field(field),
        )
    };
    if let Some(outreach) = builtin(env, &value).and_then(|b| b.outreach) {
        return Ok(outreach);
    }
    if value.get_type()? != ValueType::Object {
        return Err(invalid("store"));
    }
    // SAFETY: an object value of `env`.
    let object = unsafe { Object::from_napi_value(env.raw(), value.raw()) }?;
    if let Some(missing) = first_missing(&object, &OUTREACH_NAMES)? {
        return Err(invalid(missing));
    }
    Ok(Arc::new(HostBacked(JsHost(JsObject::new(env, &object)?))))
}

/// Calls the outreach `method` of `store` with JavaScript arguments (a missing one is
/// `null`).
fn call_outreach_native(
    env: &Env,
    store: &dyn OutreachStore,
    method: OutreachMethod,
    args: &[Option<Value>],
) -> napi::Result<Value> {
    let args: Vec<Value> = args
        .iter()
        .map(|a| a.clone().unwrap_or(Value::Null))
        .collect();
    dispatch_outreach(store, method, &args).map_err(|e| to_napi_error(env, &e))
}

/// Calls `method` of `store` with JavaScript arguments (a missing one is `null`).
fn call_native(
    env: &Env,
    store: &dyn Store,
    method: Method,
    args: &[Option<Value>],
) -> napi::Result<Value> {
    let args: Vec<Value> = args
        .iter()
        .map(|a| a.clone().unwrap_or(Value::Null))
        .collect();
    dispatch(store, method, &args).map_err(|e| to_napi_error(env, &e))
}

/// A store that keeps everything in memory, with the store protocol's methods.
///
/// Pass it to `Crm`; or wrap it in an object of your own with the same methods
/// (logging, caching, fault injection) and pass that. Every method takes the
/// workspace first and plain JSON data (core's serde forms, snake_case keys).
///
/// ```js
/// const store = new MemoryStore()
/// const logged = {
///   ...Object.fromEntries(STORE_METHODS.map((m) => [m, (...a) => store[m](...a)])),
/// }
/// const crm = new Crm(logged, { workspace: 'brand-a' })
/// ```
#[napi]
pub struct MemoryStore {
    inner: Arc<CoreMemoryStore>,
}

#[napi]
impl MemoryStore {
    /// An empty store.
    #[napi(constructor, catch_unwind)]
    pub fn new() -> Self {
        MemoryStore {
            inner: Arc::new(CoreMemoryStore::new()),
        }
    }
}

/// The store protocol's methods of a built-in store class (`inner`: the core store), each
/// answered natively through `dispatch`: written once for `MemoryStore` and `SqliteStore`.
macro_rules! store_protocol {
    ($ty:ident) => {
        #[napi]
        impl $ty {
            /// The stored creators among `handles`, in handle order.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, handles: Array<string>",
                ts_return_type = "Array<StoredCreatorRecord>"
            )]
            pub fn creators(
                &self,
                env: Env,
                workspace: Option<Value>,
                handles: Option<Value>,
            ) -> napi::Result<Value> {
                call_native(&env, &*self.inner, Method::Creators, &[workspace, handles])
            }

            /// The stored creators whose evidence holds any of `emails`.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, emails: Array<string>",
                ts_return_type = "Array<StoredCreatorRecord>"
            )]
            pub fn creators_with_emails(
                &self,
                env: Env,
                workspace: Option<Value>,
                emails: Option<Value>,
            ) -> napi::Result<Value> {
                call_native(
                    &env,
                    &*self.inner,
                    Method::CreatorsWithEmails,
                    &[workspace, emails],
                )
            }

            /// Every related record of the creators `handles`.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, handles: Array<string>",
                ts_return_type = "RelatedRecordsJson"
            )]
            pub fn related(
                &self,
                env: Env,
                workspace: Option<Value>,
                handles: Option<Value>,
            ) -> napi::Result<Value> {
                call_native(&env, &*self.inner, Method::Related, &[workspace, handles])
            }

            /// The stored records with these keys, whichever creator holds them.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, keys: RecordKeysJson",
                ts_return_type = "RelatedRecordsJson"
            )]
            pub fn related_by_keys(
                &self,
                env: Env,
                workspace: Option<Value>,
                keys: Option<Value>,
            ) -> napi::Result<Value> {
                call_native(
                    &env,
                    &*self.inner,
                    Method::RelatedByKeys,
                    &[workspace, keys],
                )
            }

            /// One page of creators for a query.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, query: CreatorQueryJson",
                ts_return_type = "CreatorPageJson"
            )]
            pub fn list_creators(
                &self,
                env: Env,
                workspace: Option<Value>,
                query: Option<Value>,
            ) -> napi::Result<Value> {
                call_native(
                    &env,
                    &*self.inner,
                    Method::ListCreators,
                    &[workspace, query],
                )
            }

            /// Creators whose handle, name or email contains `text` (any case), in handle order.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, text: string, limit: number",
                ts_return_type = "Array<StoredCreatorRecord>"
            )]
            pub fn search_creators(
                &self,
                env: Env,
                workspace: Option<Value>,
                text: Option<Value>,
                limit: Option<Value>,
            ) -> napi::Result<Value> {
                call_native(
                    &env,
                    &*self.inner,
                    Method::SearchCreators,
                    &[workspace, text, limit],
                )
            }

            /// The suppression hashes, as hex.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string",
                ts_return_type = "Array<string>"
            )]
            pub fn suppression(&self, env: Env, workspace: Option<Value>) -> napi::Result<Value> {
                call_native(&env, &*self.inner, Method::Suppression, &[workspace])
            }

            /// A creator's supporters and alert cooldown state.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, creator: string",
                ts_return_type = "SupporterStateJson"
            )]
            pub fn supporters(
                &self,
                env: Env,
                workspace: Option<Value>,
                creator: Option<Value>,
            ) -> napi::Result<Value> {
                call_native(
                    &env,
                    &*self.inner,
                    Method::Supporters,
                    &[workspace, creator],
                )
            }

            /// The newest activity records, newest first.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, limit: number",
                ts_return_type = "Array<ActivityRecord>"
            )]
            pub fn activity(
                &self,
                env: Env,
                workspace: Option<Value>,
                limit: Option<Value>,
            ) -> napi::Result<Value> {
                call_native(&env, &*self.inner, Method::Activity, &[workspace, limit])
            }

            /// Applies a change set, all of it or nothing. Throws a `ConflictError`
            /// (`code: "conflict"`) when a change expects a version that is not the stored one.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, changes: ChangeSetJson",
                ts_return_type = "null"
            )]
            pub fn apply(
                &self,
                env: Env,
                workspace: Option<Value>,
                changes: Option<Value>,
            ) -> napi::Result<Value> {
                call_native(&env, &*self.inner, Method::Apply, &[workspace, changes])
            }
        }
    };
}

store_protocol!(MemoryStore);

/// The outreach protocol's methods of a built-in store class (`inner`: the core store),
/// each answered natively through `dispatch_outreach`.
macro_rules! outreach_protocol {
    ($ty:ident) => {
        #[napi]
        impl $ty {
            /// The outbox entries with these ids (in id order; absent ones left out).
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, ids: Array<string>",
                ts_return_type = "Array<OutboxEntryRecord>"
            )]
            pub fn outbox(
                &self,
                env: Env,
                workspace: Option<Value>,
                ids: Option<Value>,
            ) -> napi::Result<Value> {
                call_outreach_native(
                    &env,
                    &*self.inner,
                    OutreachMethod::Outbox,
                    &[workspace, ids],
                )
            }

            /// Entries in `status`, by `not_before` then id, at most `limit`.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, status: OutboxStatus, limit: number",
                ts_return_type = "Array<OutboxEntryRecord>"
            )]
            pub fn outbox_with_status(
                &self,
                env: Env,
                workspace: Option<Value>,
                status: Option<Value>,
                limit: Option<Value>,
            ) -> napi::Result<Value> {
                call_outreach_native(
                    &env,
                    &*self.inner,
                    OutreachMethod::OutboxWithStatus,
                    &[workspace, status, limit],
                )
            }

            /// Every outbox entry of a creator (any order).
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, creator: string",
                ts_return_type = "Array<OutboxEntryRecord>"
            )]
            pub fn outbox_of(
                &self,
                env: Env,
                workspace: Option<Value>,
                creator: Option<Value>,
            ) -> napi::Result<Value> {
                call_outreach_native(
                    &env,
                    &*self.inner,
                    OutreachMethod::OutboxOf,
                    &[workspace, creator],
                )
            }

            /// Every outbox entry sent or to be sent to the address `to` (any order).
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, to: string",
                ts_return_type = "Array<OutboxEntryRecord>"
            )]
            pub fn outbox_to(
                &self,
                env: Env,
                workspace: Option<Value>,
                to: Option<Value>,
            ) -> napi::Result<Value> {
                call_outreach_native(
                    &env,
                    &*self.inner,
                    OutreachMethod::OutboxTo,
                    &[workspace, to],
                )
            }

            /// The consent ledger of these creators, in the order written.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, creators: Array<string>",
                ts_return_type = "Array<ConsentEntryRecord>"
            )]
            pub fn consent(
                &self,
                env: Env,
                workspace: Option<Value>,
                creators: Option<Value>,
            ) -> napi::Result<Value> {
                call_outreach_native(
                    &env,
                    &*self.inner,
                    OutreachMethod::Consent,
                    &[workspace, creators],
                )
            }

            /// Which of `keys` are recorded as applied delivery events.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, keys: Array<string>",
                ts_return_type = "Array<string>"
            )]
            pub fn events_seen(
                &self,
                env: Env,
                workspace: Option<Value>,
                keys: Option<Value>,
            ) -> napi::Result<Value> {
                call_outreach_native(
                    &env,
                    &*self.inner,
                    OutreachMethod::EventsSeen,
                    &[workspace, keys],
                )
            }

            /// Applies outreach changes, all of them or none. Throws a `ConflictError`
            /// (`code: "conflict"`) for a stale version or an event marked before.
            #[napi(
                catch_unwind,
                ts_args_type = "workspace: string, changes: Array<OutreachChangeJson>",
                ts_return_type = "null"
            )]
            pub fn apply_outreach(
                &self,
                env: Env,
                workspace: Option<Value>,
                changes: Option<Value>,
            ) -> napi::Result<Value> {
                call_outreach_native(
                    &env,
                    &*self.inner,
                    OutreachMethod::ApplyOutreach,
                    &[workspace, changes],
                )
            }
        }
    };
}

outreach_protocol!(MemoryStore);

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new()
    }
}

/// A store in one SQLite database file (created when missing, migrated on open), with
/// the store protocol's methods: an ordinary database a user can open with `sqlite3`.
/// Every `apply` is one transaction, so what a call wrote is on disk when it returns.
///
/// Pass it to `Crm` (and to `OutreachService`, whose outbox and consent ledger it then
/// keeps too); or wrap it in an object of your own with the same methods.
///
/// ```js
/// const store = new SqliteStore('crm.db')
/// const crm = new Crm(store, { workspace: 'brand-a' })
/// ```
#[napi]
pub struct SqliteStore {
    inner: Arc<CoreSqliteStore>,
    path: String,
}

#[napi]
impl SqliteStore {
    /// Opens (or creates) the database at `path`; `":memory:"` for a database in
    /// memory.
    ///
    /// Throws a `StorageError` when the file cannot be opened, is not a database of this
    /// library, or was written by a newer version of it.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, path: String) -> napi::Result<Self> {
        let store = if path == ":memory:" {
            CoreSqliteStore::open_in_memory()
        } else {
            CoreSqliteStore::open(&path)
        }
        .map_err(|e| to_napi_error(&env, &e))?;
        Ok(SqliteStore {
            inner: Arc::new(store),
            path,
        })
    }

    /// The database file this store opened (`":memory:"` for none).
    #[napi(getter, catch_unwind)]
    pub fn path(&self) -> String {
        self.path.clone()
    }
}

store_protocol!(SqliteStore);
outreach_protocol!(SqliteStore);

/// One case of the conformance suite and how it went.
#[napi(object, object_from_js = false)]
pub struct ConformanceResult {
    /// The case's name, e.g. `stale_versions_conflict_and_change_nothing`.
    pub name: String,
    /// What differed; `null` when the case passed.
    #[napi(ts_type = "string | null")]
    pub failure: Value,
}

/// The names of the store protocol's methods, as a JavaScript store spells them.
#[napi(catch_unwind)]
pub fn store_methods() -> Vec<&'static str> {
    Method::ALL.into_iter().map(js_name).collect()
}

/// Runs the store conformance suite (written once in core) against stores made by
/// `makeStore`, one fresh store per case, on this thread.
///
/// Throws whatever `makeStore` throws, and an `InvalidInputError` when what it returns
/// is not a store.
#[napi(
    catch_unwind,
    ts_args_type = "makeStore: () => Store",
    ts_return_type = "Array<ConformanceResult>"
)]
pub fn run_store_conformance(
    env: Env,
    make_store: Function<'_, (), Unknown<'_>>,
) -> napi::Result<Vec<ConformanceResult>> {
    let mut out = Vec::new();
    for case in conformance::cases() {
        let store = StoreArg::read(&env, make_store.call(())?)?.store;
        let result = (case.run)(store);
        out.push(ConformanceResult {
            name: case.name.to_owned(),
            failure: result.err().map_or(Value::Null, Value::String),
        });
    }
    Ok(out)
}

/// The names of the outreach protocol's methods, as a JavaScript store spells them: a
/// store with these too keeps `OutreachService`'s outbox and consent ledger.
#[napi(catch_unwind)]
pub fn outreach_store_methods() -> Vec<&'static str> {
    OUTREACH_NAMES.to_vec()
}

/// Runs the outreach store conformance suite (written once in core) against stores made
/// by `makeStore`, one fresh store per case, on this thread.
///
/// Throws whatever `makeStore` throws, and an `InvalidInputError` when what it returns
/// is not an outreach store.
#[napi(
    catch_unwind,
    ts_args_type = "makeStore: () => OutreachStore",
    ts_return_type = "Array<ConformanceResult>"
)]
pub fn run_outreach_store_conformance(
    env: Env,
    make_store: Function<'_, (), Unknown<'_>>,
) -> napi::Result<Vec<ConformanceResult>> {
    let mut out = Vec::new();
    for case in outbox_conformance::cases() {
        let store = outreach_store(&env, make_store.call(())?)?;
        let result = (case.run)(store);
        out.push(ConformanceResult {
            name: case.name.to_owned(),
            failure: result.err().map_or(Value::Null, Value::String),
        });
    }
    Ok(out)
}
