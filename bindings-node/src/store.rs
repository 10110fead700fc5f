//! Node bindings of `creator_crm::store`: `MemoryStore`, JavaScript host stores and
//! the conformance suite.
//!
//! A store is any object with the store protocol's methods, in camelCase
//! ([`js_name`] is the one place that names them): `creators`, `creatorsWithEmails`,
//! `related`, `relatedByKeys`, `listCreators`, `searchCreators`, `suppression`,
//! `supporters`, `activity`, `apply`. They take and return plain JSON data, the serde
//! forms core defines (snake_case keys, as every language's store sees them), and are
//! called synchronously: a method returns its result, never a promise. `MemoryStore`
//! is such an object, so a host can wrap it.
//!
//! A JavaScript store is called on the JavaScript thread that made it; a call from any
//! other thread (an `…Async` method of `Crm` runs on the libuv pool) is refused with a
//! `StorageError` (`reason: "host store called off its JavaScript thread"`) instead of
//! blocking. An `Error` a host store's method throws reaches the caller of the `Crm`
//! method as that same object (another thrown value becomes a `StorageError`,
//! `reason: "host store threw a non-Error value"`). A thrown error whose `code` is
//! `"conflict"` is a stale version: the facade re-reads and retries.

// Holding a JavaScript object for calls from core, which wants a `Send + Sync` store,
// takes raw napi: the object is held by a `napi_ref` and only used on its own thread.
#![allow(unsafe_code)]

use std::{ptr, sync::Arc, thread::ThreadId};

use creator_crm::{
    Error, ErrorKind,
    store::{
        MemoryStore as CoreMemoryStore, Store, conformance,
        host::{HostBacked, HostStore, Method, dispatch},
    },
};
use napi::{
    Env, JsValue, ValueType,
    bindgen_prelude::{
        ClassInstance, FromNapiValue, Function, JsObjectValue, Object, ToNapiValue, Unknown,
    },
    sys,
};
use napi_derive::napi;
use serde_json::Value;

use crate::errors::{HostThrew, to_napi_error};

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

/// A JavaScript object as a store, bound to the thread (and environment) that made it.
pub struct JsHost {
    object: sys::napi_ref,
    env: sys::napi_env,
    thread: ThreadId,
}

// SAFETY: `object` and `env` are only used through napi on `thread`, the thread that
// owns them: `call` refuses every other thread before touching them, and `drop` leaks
// the reference rather than release it elsewhere.
unsafe impl Send for JsHost {}
unsafe impl Sync for JsHost {}

impl Drop for JsHost {
    fn drop(&mut self) {
        if std::thread::current().id() == self.thread {
            // SAFETY: on the owning thread, with the reference made in `JsHost::new`.
            unsafe {
                sys::napi_delete_reference(self.env, self.object);
            }
        }
    }
}

fn off_thread(method: Method) -> Error {
    Error::new(
        ErrorKind::Storage,
        "host store called off its JavaScript thread",
    )
    .with_field(js_name(method))
}

fn cannot_call(method: Method) -> Error {
    Error::new(ErrorKind::Storage, "cannot call the host store").with_field(js_name(method))
}

fn malformed(method: Method) -> Error {
    Error::new(ErrorKind::Storage, "malformed store result").with_field(js_name(method))
}

impl JsHost {
    /// Holds `object` for calls on this thread.
    fn new(env: &Env, object: &Object<'_>) -> napi::Result<JsHost> {
        let mut raw = ptr::null_mut();
        // SAFETY: a live object of `env`, on its thread.
        let status = unsafe { sys::napi_create_reference(env.raw(), object.raw(), 1, &mut raw) };
        if status != sys::Status::napi_ok {
            return Err(napi::Error::from_reason("cannot hold the store object"));
        }
        Ok(JsHost {
            object: raw,
            env: env.raw(),
            thread: std::thread::current().id(),
        })
    }

    /// The pending exception, taken: what the host code threw, as the core error that
    /// carries it.
    fn thrown(&self, method: Method) -> Error {
        let mut exc = ptr::null_mut();
        // SAFETY: on the owning thread with an exception pending.
        let status = unsafe { sys::napi_get_and_clear_last_exception(self.env, &mut exc) };
        if status != sys::Status::napi_ok || exc.is_null() {
            return cannot_call(method);
        }
        host_error(&Env::from_raw(self.env), exc, js_name(method))
    }

    /// Calls the method on the owning thread, inside its own handle scope.
    fn call_here(&self, method: Method, args: &[Value]) -> Result<Value, Error> {
        let env = self.env;
        let mut obj = ptr::null_mut();
        // SAFETY (every block below): napi calls on the owning thread, with values
        // of this handle scope.
        if unsafe { sys::napi_get_reference_value(env, self.object, &mut obj) }
            != sys::Status::napi_ok
            || obj.is_null()
        {
            return Err(cannot_call(method));
        }
        let name = js_name(method);
        let mut func = ptr::null_mut();
        let key = std::ffi::CString::new(name).map_err(|_| cannot_call(method))?;
        match unsafe { sys::napi_get_named_property(env, obj, key.as_ptr(), &mut func) } {
            sys::Status::napi_ok => {}
            sys::Status::napi_pending_exception => return Err(self.thrown(method)),
            _ => return Err(cannot_call(method)),
        }
        let mut ty = 0;
        if unsafe { sys::napi_typeof(env, func, &mut ty) } != sys::Status::napi_ok
            || ty != sys::ValueType::napi_function
        {
            return Err(
                Error::invalid("store", "missing a store method").with_field(js_name(method))
            );
        }
        let mut argv = Vec::with_capacity(args.len());
        for a in args {
            let v =
                unsafe { Value::to_napi_value(env, a.clone()) }.map_err(|_| cannot_call(method))?;
            argv.push(v);
        }
        let mut result = ptr::null_mut();
        match unsafe {
            sys::napi_call_function(env, obj, func, argv.len(), argv.as_ptr(), &mut result)
        } {
            sys::Status::napi_ok => {}
            sys::Status::napi_pending_exception => return Err(self.thrown(method)),
            _ => return Err(cannot_call(method)),
        }
        if unsafe { sys::napi_typeof(env, result, &mut ty) } != sys::Status::napi_ok {
            return Err(malformed(method));
        }
        if ty == sys::ValueType::napi_undefined {
            return Ok(Value::Null);
        }
        unsafe { Value::from_napi_value(env, result) }.map_err(|_| malformed(method))
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

/// A string property of an object, if it has one; a throwing getter counts as none.
fn text_property(env: &Env, obj: &Object<'_>, name: &str) -> Option<String> {
    let got = match obj.get_named_property::<Unknown<'_>>(name) {
        Ok(v) if matches!(v.get_type(), Ok(ValueType::String)) => {
            // SAFETY: a string value of `env`, on its thread.
            unsafe { String::from_napi_value(env.raw(), v.raw()) }.ok()
        }
        _ => None,
    };
    let mut pending = false;
    // SAFETY: on the env's thread; clears what a throwing getter left pending.
    unsafe {
        sys::napi_is_exception_pending(env.raw(), &mut pending);
        if pending {
            let mut exc = ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env.raw(), &mut exc);
        }
    }
    got
}

/// The core error standing for the value `thrown` that host code threw (a host store's
/// method `method`), carrying it when it is an `Error`, so that `to_napi_error` throws
/// that same object to the caller. An error whose `code` is `conflict`, `invalid_input`, `forbidden` or
/// `storage` keeps that meaning (a conflict makes the facade re-read and retry), with
/// its `reason` and `field` when they are strings; any other value is a storage
/// failure of `method`.
fn host_error(env: &Env, thrown: sys::napi_value, method: &'static str) -> Error {
    // SAFETY: `thrown` is a live value of `env`, on its thread.
    let value = unsafe { Unknown::from_raw_unchecked(env.raw(), thrown) };
    let mut is_error = false;
    // SAFETY: as above.
    if unsafe { sys::napi_is_error(env.raw(), thrown, &mut is_error) } != sys::Status::napi_ok
        || !is_error
    {
        // Only an `Error` can be thrown again as itself; any other value stays with
        // the host (its text may hold anything).
        return Error::new(ErrorKind::Storage, "host store threw a non-Error value")
            .with_field(method);
    }
    let held = HostThrew(napi::Error::from_unknown_without_coercion(value));
    let obj = Some(Object::from_raw(env.raw(), thrown));
    let code = obj.as_ref().and_then(|o| text_property(env, o, "code"));
    let Some(kind) = code.as_deref().and_then(host_kind) else {
        return Error::new(ErrorKind::Storage, "host store failed")
            .with_field(method)
            .with_source(held);
    };
    let reason = obj.as_ref().and_then(|o| text_property(env, o, "reason"));
    let field = obj.as_ref().and_then(|o| text_property(env, o, "field"));
    Error::new(kind, reason.unwrap_or_else(|| "host store failed".into()))
        .with_field(field.unwrap_or_else(|| method.to_owned()))
        .with_source(held)
}

impl HostStore for JsHost {
    fn call(&self, method: Method, args: Vec<Value>) -> Result<Value, Error> {
        if std::thread::current().id() != self.thread {
            return Err(off_thread(method));
        }
        let mut scope = ptr::null_mut();
        // SAFETY: on the owning thread; the scope is closed below.
        if unsafe { sys::napi_open_handle_scope(self.env, &mut scope) } != sys::Status::napi_ok {
            return Err(cannot_call(method));
        }
        let result = self.call_here(method, &args);
        // SAFETY: the scope opened above; the values made in it are not kept (the
        // exception a host error carries is held by its own reference).
        unsafe {
            sys::napi_close_handle_scope(self.env, scope);
        }
        result
    }
}

/// The store behind a JavaScript value: a built-in store's own, or the object as a
/// host store.
pub struct StoreArg {
    pub store: Arc<dyn Store>,
}

impl StoreArg {
    /// Reads `value`: a `MemoryStore`, or any object with the store protocol's methods.
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
        // SAFETY: an object value of `env`; the class is checked before the cast.
        if let Ok(m) =
            unsafe { ClassInstance::<MemoryStore>::from_napi_value(env.raw(), value.raw()) }
        {
            return Ok(StoreArg {
                store: m.inner.clone(),
            });
        }
        for m in Method::ALL {
            let f: Unknown<'_> = object.get_named_property(js_name(m))?;
            if f.get_type()? != ValueType::Function {
                return Err(invalid(js_name(m)));
            }
        }
        Ok(StoreArg {
            store: Arc::new(HostBacked(JsHost::new(env, &object)?)),
        })
    }
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

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new()
    }
}

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
