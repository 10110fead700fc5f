//! Python bindings of `creator_crm::store`: `MemoryStore`, `SqliteStore`, host stores and the
//! conformance suite.
//!
//! A store is any object with the store protocol's methods (`creators`,
//! `creators_with_emails`, `related`, `related_by_keys`, `list_creators`,
//! `search_creators`, `suppression`, `supporters`, `activity`, `apply`), taking and
//! returning plain Python data (dicts, lists, strings, numbers: the JSON forms core
//! defines). `MemoryStore` and `SqliteStore` are such objects, so a host can wrap one. An exception a host
//! store raises reaches the caller of the `Crm` method as that same exception; a host
//! store signals a stale version by raising `ConflictError` (the facade then re-reads
//! and retries).

use std::{path::PathBuf, sync::Arc};

use creator_crm::{
    Error, ErrorKind,
    outbox::OutreachStore,
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

impl HostStore for PyHost {
    fn call(&self, method: Method, args: Vec<Value>) -> Result<Value, Error> {
        Python::attach(|py| {
            let host_failed = |e: PyErr| errors::host_error(py, e, method.name());
            let args: Vec<Bound<'_, PyAny>> = args
                .iter()
                .map(|a| data::to_py(py, a))
                .collect::<PyResult<_>>()
                .map_err(host_failed)?;
            let args = PyTuple::new(py, args).map_err(host_failed)?;
            let result = self
                .0
                .bind(py)
                .call_method1(method.name(), args)
                .map_err(host_failed)?;
            data::to_value(&result).map_err(|_| {
                Error::new(ErrorKind::Storage, "malformed store result").with_field(method.name())
            })
        })
    }
}

/// The store behind a Python object: a built-in store's own, or the object as a host
/// store. `native` says whether calls may run with the GIL released.
pub struct StoreArg {
    pub store: Arc<dyn Store>,
    pub native: bool,
}

impl StoreArg {
    /// Reads `obj`: a `MemoryStore`, a `SqliteStore`, or any object with the store protocol's methods.
    pub fn read(obj: &Bound<'_, PyAny>) -> PyResult<StoreArg> {
        if let Ok(m) = obj.cast::<PyMemoryStore>() {
            return Ok(StoreArg {
                store: m.get().inner.clone(),
                native: true,
            });
        }
        if let Ok(s) = obj.cast::<PySqliteStore>() {
            return Ok(StoreArg {
                store: s.get().inner.clone(),
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
        Ok(StoreArg {
            store: Arc::new(HostBacked(PyHost(obj.clone().unbind()))),
            native: false,
        })
    }
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

/// Declares a built-in store class: its constructor and `__repr__` as given, and the
/// store protocol's methods, each run natively on `self.inner` with the GIL released.
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

/// Adds the store classes and functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyMemoryStore>()?;
    m.add_class::<PySqliteStore>()?;
    m.add_function(wrap_pyfunction!(run_store_conformance, m)?)?;
    Ok(())
}

/// `obj` as an outreach store (outbox and consent ledger), when it is a built-in store.
pub fn outreach_store(obj: &Bound<'_, PyAny>) -> Option<Arc<dyn OutreachStore>> {
    if let Ok(m) = obj.cast::<PyMemoryStore>() {
        return Some(m.get().inner.clone());
    }
    if let Ok(s) = obj.cast::<PySqliteStore>() {
        return Some(s.get().inner.clone());
    }
    None
}
