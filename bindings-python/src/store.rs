//! Python bindings of `creator_crm::store`: `MemoryStore`, `SqliteStore`, host stores and the
//! conformance suites.
//!
//! A store is any object with the store protocol's methods (`creators`,
//! `creators_with_emails`, `related`, `related_by_keys`, `list_creators`,
//! `search_creators`, `suppression`, `supporters`, `activity`, `apply`), taking and
//! returning plain Python data (dicts, lists, strings, numbers: the JSON forms core
//! defines). `MemoryStore` and `SqliteStore` are such objects, so a host can wrap one. An exception a host
//! store raises reaches the caller of the `Crm` method as that same exception; a host
//! store signals a stale version by raising `ConflictError` (the facade then re-reads
//! and retries).
//!
//! An outreach store (`OutreachService`'s outbox and consent ledger) is any object with
//! the outreach half of the protocol (`outbox`, `outbox_with_status`, `outbox_of`,
//! `outbox_to`, `consent`, `events_seen`, `apply_outreach`: core's
//! `creator_crm::outbox::host`); the built-in stores have those methods too. One object
//! with both halves is both stores. Calls into a Python store keep the GIL (its methods
//! are Python); the built-in stores' methods release it, since they never call back.

use std::{path::PathBuf, sync::Arc};

use creator_crm::{
    Error, ErrorKind,
    outbox::{
        OutreachStore, conformance as outbox_conformance,
        host::{HostOutreachStore, OutreachMethod, dispatch_outreach},
    },
    store::{
        MemoryStore, SqliteStore, Store, conformance,
        host::{HostBacked, HostStore, Method, dispatch},
    },
};
use pyo3::{
    prelude::*,
    types::{PyString, PyTuple},
};
use serde_json::Value;

use crate::{data, errors};

/// A Python object as a store: each call goes to its method of the same name.
pub struct PyHost(Py<PyAny>);

impl PyHost {
    /// Calls the object's method `name` with `args` as Python data, and reads back its
    /// result. An exception it raises is the error's source ([`errors::host_error`]).
    fn call_method(&self, name: &'static str, args: &[Value]) -> Result<Value, Error> {
        Python::attach(|py| {
            let host_failed = |e: PyErr| errors::host_error(py, e, name);
            let args: Vec<Bound<'_, PyAny>> = args
                .iter()
                .map(|a| data::to_py(py, a))
                .collect::<PyResult<_>>()
                .map_err(host_failed)?;
            let args = PyTuple::new(py, args).map_err(host_failed)?;
            let result = self
                .0
                .bind(py)
                .call_method1(name, args)
                .map_err(host_failed)?;
            data::to_value(&result).map_err(|_| {
                Error::new(ErrorKind::Storage, "malformed store result").with_field(name)
            })
        })
    }
}

impl HostStore for PyHost {
    fn call(&self, method: Method, args: Vec<Value>) -> Result<Value, Error> {
        self.call_method(method.name(), &args)
    }
}

impl HostOutreachStore for PyHost {
    fn call_outreach(&self, method: OutreachMethod, args: Vec<Value>) -> Result<Value, Error> {
        self.call_method(method.name(), &args)
    }
}

/// The first of the outreach methods that `obj` lacks.
fn missing_outreach_method(obj: &Bound<'_, PyAny>) -> PyResult<Option<&'static str>> {
    for m in OutreachMethod::ALL {
        if !obj.hasattr(m.name())? {
            return Ok(Some(m.name()));
        }
    }
    Ok(None)
}

/// The store behind a Python object: a built-in store's own, or the object as a host
/// store. `native` says whether calls may run with the GIL released.
pub struct StoreArg {
    pub store: Arc<dyn Store>,
    /// The same store as an outreach store (outbox and consent ledger): a built-in
    /// store's own, or the host object's when it has the outreach methods as well.
    pub outreach: Option<Arc<dyn OutreachStore>>,
    pub native: bool,
}

impl StoreArg {
    /// Reads `obj`: a `MemoryStore`, a `SqliteStore`, or any object with the store protocol's methods.
    pub fn read(obj: &Bound<'_, PyAny>) -> PyResult<StoreArg> {
        if let Ok(m) = obj.cast::<PyMemoryStore>() {
            return Ok(StoreArg {
                store: m.get().inner.clone(),
                outreach: Some(m.get().inner.clone()),
                native: true,
            });
        }
        if let Ok(s) = obj.cast::<PySqliteStore>() {
            return Ok(StoreArg {
                store: s.get().inner.clone(),
                outreach: Some(s.get().inner.clone()),
                native: true,
            });
        }
        for m in Method::ALL {
            if !obj.hasattr(m.name())? {
                return Err(errors::to_py_err(
                    Error::invalid("store", "missing a store method").with_field(m.name()),
                ));
            }
        }
        let host = Arc::new(HostBacked(PyHost(obj.clone().unbind())));
        let outreach: Option<Arc<dyn OutreachStore>> = match missing_outreach_method(obj)? {
            None => Some(host.clone()),
            Some(_) => None,
        };
        Ok(StoreArg {
            store: host,
            outreach,
            native: false,
        })
    }
}

/// `obj` as an outreach store (outbox and consent ledger): a `MemoryStore`, a
/// `SqliteStore`, or any object with the outreach methods, called under the GIL.
///
/// Raises `InvalidInputError` (`field`: the first missing method) otherwise.
pub fn outreach_store(obj: &Bound<'_, PyAny>) -> PyResult<Arc<dyn OutreachStore>> {
    if let Ok(m) = obj.cast::<PyMemoryStore>() {
        return Ok(m.get().inner.clone());
    }
    if let Ok(s) = obj.cast::<PySqliteStore>() {
        return Ok(s.get().inner.clone());
    }
    if let Some(missing) = missing_outreach_method(obj)? {
        return Err(errors::to_py_err(
            Error::invalid("store", "missing an outreach store method").with_field(missing),
        ));
    }
    Ok(Arc::new(HostBacked(PyHost(obj.clone().unbind()))))
}

/// Calls `method` of `store` with Python arguments, giving back Python data.
fn call_native<'py>(
    py: Python<'py>,
    store: &dyn Store,
    method: Method,
    args: &[&Bound<'py, PyAny>],
) -> PyResult<Bound<'py, PyAny>> {
    let args: Vec<Value> = args
        .iter()
        .map(|a| data::to_value(a))
        .collect::<PyResult<_>>()?;
    let result = py
        .detach(|| dispatch(store, method, &args))
        .map_err(errors::to_py_err)?;
    data::to_py(py, &result)
}

/// Calls the outreach `method` of `store` with Python arguments, giving back Python data.
fn call_outreach_native<'py>(
    py: Python<'py>,
    store: &dyn OutreachStore,
    method: OutreachMethod,
    args: &[&Bound<'py, PyAny>],
) -> PyResult<Bound<'py, PyAny>> {
    let args: Vec<Value> = args
        .iter()
        .map(|a| data::to_value(a))
        .collect::<PyResult<_>>()?;
    let result = py
        .detach(|| dispatch_outreach(store, method, &args))
        .map_err(errors::to_py_err)?;
    data::to_py(py, &result)
}

/// Declares a built-in store class: its constructor and `__repr__` as given, and the
/// methods of both halves of the store protocol, each run natively on `self.inner` with
/// the GIL released.
macro_rules! builtin_store {
    ($(#[$meta:meta])* $name:literal, $ty:ident { $($field:ident: $fty:ty),* $(,)? } $($own:tt)*) => {
        $(#[$meta])*
        #[pyclass(name = $name, module = "creator_crm", frozen)]
        pub struct $ty {
            $(pub(crate) $field: $fty),*
        }

        #[pymethods]
        impl $ty {
            $($own)*

        /// The stored creators among `handles`, in handle order.
        fn creators<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            handles: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_native(py, &*self.inner, Method::Creators, &[workspace, handles])
        }

        /// The stored creators whose evidence holds any of `emails`.
        fn creators_with_emails<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            emails: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_native(
                py,
                &*self.inner,
                Method::CreatorsWithEmails,
                &[workspace, emails],
            )
        }

        /// Every related record of the creators `handles`.
        fn related<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            handles: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_native(py, &*self.inner, Method::Related, &[workspace, handles])
        }

        /// The stored records with these keys, whichever creator holds them.
        fn related_by_keys<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            keys: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_native(py, &*self.inner, Method::RelatedByKeys, &[workspace, keys])
        }

        /// One page of creators for a query.
        fn list_creators<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            query: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_native(py, &*self.inner, Method::ListCreators, &[workspace, query])
        }

        /// Creators whose handle, name or email contains `text`.
        fn search_creators<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            text: &Bound<'py, PyAny>,
            limit: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_native(
                py,
                &*self.inner,
                Method::SearchCreators,
                &[workspace, text, limit],
            )
        }

        /// The suppression hashes, as hex.
        fn suppression<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_native(py, &*self.inner, Method::Suppression, &[workspace])
        }

        /// A creator's supporters and alert cooldown state.
        fn supporters<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            creator: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_native(py, &*self.inner, Method::Supporters, &[workspace, creator])
        }

        /// The newest activity records, newest first.
        fn activity<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            limit: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_native(py, &*self.inner, Method::Activity, &[workspace, limit])
        }

        /// Applies a change set, all of it or nothing.
        fn apply<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            changes: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_native(py, &*self.inner, Method::Apply, &[workspace, changes])
        }

        /// The outbox entries with these ids (absent ones left out), in id order.
        fn outbox<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            ids: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_outreach_native(py, &*self.inner, OutreachMethod::Outbox, &[workspace, ids])
        }

        /// Up to `limit` outbox entries with `status`, due first.
        fn outbox_with_status<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            status: &Bound<'py, PyAny>,
            limit: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_outreach_native(
                py,
                &*self.inner,
                OutreachMethod::OutboxWithStatus,
                &[workspace, status, limit],
            )
        }

        /// Every outbox entry of a creator.
        fn outbox_of<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            creator: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_outreach_native(py, &*self.inner, OutreachMethod::OutboxOf, &[workspace, creator])
        }

        /// Every outbox entry sent or to be sent to an address.
        fn outbox_to<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            to: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_outreach_native(py, &*self.inner, OutreachMethod::OutboxTo, &[workspace, to])
        }

        /// The consent ledger entries of these creators, in the order written.
        fn consent<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            creators: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_outreach_native(py, &*self.inner, OutreachMethod::Consent, &[workspace, creators])
        }

        /// The delivery-event keys among `keys` already applied.
        fn events_seen<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            keys: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_outreach_native(py, &*self.inner, OutreachMethod::EventsSeen, &[workspace, keys])
        }

        /// Applies outreach changes, all of them or none; a stale version or an event
        /// marked twice raises `ConflictError`.
        fn apply_outreach<'py>(
            &self,
            py: Python<'py>,
            workspace: &Bound<'py, PyAny>,
            changes: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_outreach_native(
                py,
                &*self.inner,
                OutreachMethod::ApplyOutreach,
                &[workspace, changes],
            )
        }
        }
    };
}

builtin_store! {
    /// A store that keeps everything in memory, with the store protocol's methods.
    ///
    /// Pass it to `Crm`; or wrap it in an object of your own with the same methods
    /// (logging, caching, fault injection) and pass that.
    "MemoryStore", PyMemoryStore { inner: Arc<MemoryStore> }

    #[new]
    fn new() -> Self {
        PyMemoryStore {
            inner: Arc::new(MemoryStore::new()),
        }
    }

    fn __repr__(&self) -> &'static str {
        "MemoryStore()"
    }
}

builtin_store! {
    /// A store in one SQLite database file (created when missing, migrated on open),
    /// with the store protocol's methods: an ordinary database a user can open with
    /// `sqlite3`. Every `apply` is one transaction.
    ///
    /// Args:
    ///     path: The database file (`str` or path-like); `":memory:"` for a database
    ///         in memory.
    ///
    /// Raises:
    ///     StorageError: The file cannot be opened, is not a database of this library,
    ///         or was written by a newer version of it.
    "SqliteStore", PySqliteStore { inner: Arc<SqliteStore>, path: PathBuf }

    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let store = py
            .detach(|| {
                if path.as_os_str() == ":memory:" {
                    SqliteStore::open_in_memory()
                } else {
                    SqliteStore::open(&path)
                }
            })
            .map_err(errors::to_py_err)?;
        Ok(PySqliteStore {
            inner: Arc::new(store),
            path,
        })
    }

    /// The database file this store opened.
    #[getter]
    fn path(&self) -> String {
        self.path.display().to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let path = PyString::new(py, &self.path.display().to_string()).repr()?;
        Ok(format!("SqliteStore({path})"))
    }
}

/// Runs the store conformance suite (written once in core) against stores made by
/// `make_store`, one fresh store per case.
///
/// Args:
///     make_store: A callable returning an empty store (a `MemoryStore`, or any object
///         with the store protocol's methods).
///
/// Returns:
///     `list[tuple[str, str | None]]`: each case's name and its failure (None when it
///     passed).
///
/// Raises:
///     Whatever `make_store` raises.
#[pyfunction]
pub fn run_store_conformance(
    make_store: &Bound<'_, PyAny>,
) -> PyResult<Vec<(&'static str, Option<String>)>> {
    let mut out = Vec::new();
    for case in conformance::cases() {
        let store = StoreArg::read(&make_store.call0()?)?.store;
        let result = (case.run)(store);
        out.push((case.name, result.err()));
    }
    Ok(out)
}

/// Runs the outreach store conformance suite (written once in core) against outreach
/// stores made by `make_store`, one fresh store per case.
///
/// Args:
///     make_store: A callable returning an empty outreach store (a `MemoryStore`, a
///         `SqliteStore`, or any object with the outreach methods).
///
/// Returns:
///     `list[tuple[str, str | None]]`: each case's name and its failure (None when it
///     passed).
///
/// Raises:
///     InvalidInputError: What `make_store` returned lacks an outreach method (`field`
///         names it).
///     Whatever `make_store` raises.
#[pyfunction]
pub fn run_outreach_store_conformance(
    make_store: &Bound<'_, PyAny>,
) -> PyResult<Vec<(&'static str, Option<String>)>> {
    let mut out = Vec::new();
    for case in outbox_conformance::cases() {
        let store = outreach_store(&make_store.call0()?)?;
        let result = (case.run)(store);
        out.push((case.name, result.err()));
    }
    Ok(out)
}

/// Adds the store classes and functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyMemoryStore>()?;
    m.add_class::<PySqliteStore>()?;
    m.add_function(wrap_pyfunction!(run_store_conformance, m)?)?;
    m.add_function(wrap_pyfunction!(run_outreach_store_conformance, m)?)?;
    Ok(())
}
