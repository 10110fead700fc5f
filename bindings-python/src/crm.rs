//! Python bindings of `creator_crm::crm`: the `Crm` facade over a store.
//!
//! With a built-in store, calls run with the GIL released. With a host store they keep
//! it: the store's methods are Python, and each call into them would take it back.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use creator_crm::{
    Error,
    crm::{Actor, Crm, CrmOptions, ProfileUpdate, Role},
    identity::Handle,
    import::SourceKind,
    merge::{OutreachStatus, SourceFile, SuppressionList},
    outbox::OutreachStore,
    privacy::Pseudonymizer,
    store::{CreatorFilter, CreatorPage, CreatorQuery, Cursor, SortField},
    supporters::{Alert, AlertConfig, Supporter, SupporterId},
    tiers::{CreatorTier, ShopBadge},
};
use pyo3::{
    prelude::*,
    types::{PyDict, PyList},
};
use serde_json::Value;

use crate::{
    data, errors,
    merge::{Input, MergeReport, merge_options},
    store::StoreArg,
};

fn invalid(field: &'static str, reason: &'static str) -> PyErr {
    errors::to_py_err(Error::invalid(field, reason))
}

/// The actor a dict names: `{"id": ..., "role": "admin"}` for staff, `{"id": ...,
/// "creator": "<handle>"}` for a creator; `None` is the local owner.
fn read_actor(actor: Option<&Bound<'_, PyDict>>) -> PyResult<Actor> {
    let Some(d) = actor else {
        return Ok(Actor::staff("local", Role::Owner));
    };
    let id: String = match d.get_item("id")? {
        Some(v) => v.extract()?,
        None => return Err(invalid("actor", "an actor needs an id")),
    };
    if let Some(h) = d.get_item("creator")? {
        let handle = Handle::parse(&h.extract::<String>()?).map_err(errors::to_py_err)?;
        return Ok(Actor::Creator { id, handle });
    }
    let role: String = match d.get_item("role")? {
        Some(v) => v.extract()?,
        None => return Err(invalid("actor", "a staff actor needs a role")),
    };
    Ok(Actor::Staff {
        id,
        role: Role::parse(&role).map_err(errors::to_py_err)?,
    })
}

/// `now`, or the clock when not given.
fn read_now(now: Option<&Bound<'_, PyAny>>) -> PyResult<DateTime<Utc>> {
    match now {
        Some(n) => data::from_py(n, "now"),
        None => Ok(Utc::now()),
    }
}

/// A page of creators.
#[pyclass(name = "Page", module = "creator_crm", frozen)]
pub struct PyPage {
    items: Py<PyList>,
    next_cursor: Option<String>,
    total: u64,
}

#[pymethods]
impl PyPage {
    /// The creators of the page (dicts: the creator table's columns, `profile`,
    /// `brands`, `version`).
    #[getter]
    fn items(&self, py: Python<'_>) -> Py<PyList> {
        self.items.clone_ref(py)
    }

    /// The cursor of the next page; None on the last page.
    #[getter]
    fn next_cursor(&self) -> Option<String> {
        self.next_cursor.clone()
    }

    /// How many creators pass the filter in all.
    #[getter]
    fn total(&self) -> u64 {
        self.total
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Page(items={}, total={}, next_cursor={:?})",
            self.items.bind(py).len(),
            self.total,
            self.next_cursor
        )
    }
}

/// A stored creator as a dict: its JSON row, `total_gmv` as a `decimal.Decimal` (as in
/// `MergeResult.to_pylist()`).
fn creator_dict<'py>(
    py: Python<'py>,
    c: &creator_crm::store::StoredCreator,
) -> PyResult<Bound<'py, PyAny>> {
    let d = data::to_py(py, &c.to_row_json())?;
    let decimal = py.import("decimal")?.getattr("Decimal")?;
    d.set_item(
        "total_gmv",
        decimal.call1((c.creator.total_gmv.to_string(),))?,
    )?;
    Ok(d)
}

fn creator_list<'py>(
    py: Python<'py>,
    items: &[creator_crm::store::StoredCreator],
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for c in items {
        list.append(creator_dict(py, c)?)?;
    }
    Ok(list)
}

/// The CRM over a store, for one workspace and one actor.
///
/// Args:
///     store: A `MemoryStore`, a `SqliteStore`, or any object with the store protocol's methods.
///     workspace: The workspace every call is scoped to; nothing crosses workspaces.
///     actor: Who calls: `{"id": ..., "role": "viewer" | "member" | "admin" | "owner"}`
///         for staff, `{"id": ..., "creator": "<handle>"}` for a creator (who sees only
///         their own supporters, through the privacy view). Default: the local owner.
///     default_region: Region for phone numbers written without a country code.
///     salt: The secret salt of the suppression hashes (bytes or str).
///
/// Raises:
///     InvalidInputError: A malformed actor, region, or a store without the protocol's
///         methods.
#[pyclass(name = "Crm", module = "creator_crm", frozen)]
pub struct PyCrm {
    pub(crate) crm: Crm,
    native: bool,
    /// The store as an outreach store: a built-in one, or a host store that has the
    /// outreach methods too.
    outreach: Option<Arc<dyn OutreachStore>>,
}

impl PyCrm {
    /// The facade's store as an outbox and consent ledger, when it is one (a built-in
    /// store, or a host store with the outreach methods).
    pub(crate) fn outreach_store(&self) -> Option<Arc<dyn OutreachStore>> {
        self.outreach.clone()
    }

    /// Runs `f` on the facade, with the GIL released for a built-in store.
    fn run<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&Crm) -> Result<T, Error> + Send,
    ) -> PyResult<T> {
        let result = if self.native {
            py.detach(|| f(&self.crm))
        } else {
            f(&self.crm)
        };
        result.map_err(|e| errors::to_py_err_in(py, &e))
    }
}

#[pymethods]
impl PyCrm {
    #[new]
    #[pyo3(signature = (store, *, workspace = "default", actor = None, default_region = "US", salt = None))]
    fn new(
        store: &Bound<'_, PyAny>,
        workspace: &str,
        actor: Option<&Bound<'_, PyDict>>,
        default_region: &str,
        salt: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let store = StoreArg::read(store)?;
        let mut merge = merge_options(default_region, None, true, None)?;
        if let Some(s) = salt {
            let bytes: Vec<u8> = match s.extract::<String>() {
                Ok(text) => text.into_bytes(),
                Err(_) => s.extract()?,
            };
            merge.suppression = SuppressionList::new(bytes);
        }
        let options = CrmOptions {
            merge,
            ..CrmOptions::default()
        };
        Ok(PyCrm {
            crm: Crm::with_options(store.store, workspace, read_actor(actor)?, options),
            native: store.native,
            outreach: store.outreach,
        })
    }

    /// The workspace.
    #[getter]
    fn workspace(&self) -> &str {
        self.crm.workspace()
    }

    /// Imports exports into the store, incrementally: the stored creators afterwards
    /// equal merging everything imported (and edited) at once.
    ///
    /// Args:
    ///     sources: Maps a source kind to a path, the CSV's bytes or a file object (as
    ///         `merge_exports` takes them).
    ///     now: When it happens (default: now).
    ///
    /// Returns:
    ///     The `MergeReport` of the import.
    ///
    /// Raises:
    ///     ForbiddenError: The actor is not an admin or owner.
    ///     SourceImportError: A file cannot be read at all (nothing is written).
    ///     ConflictError: Other writers won every attempt.
    #[pyo3(signature = (sources, *, now = None))]
    fn import_exports(
        &self,
        py: Python<'_>,
        sources: &Bound<'_, PyDict>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<MergeReport> {
        let now = read_now(now)?;
        let mut files = Vec::with_capacity(sources.len());
        for (key, value) in sources.iter() {
            let kind: SourceKind = key
                .extract::<String>()?
                .parse()
                .map_err(errors::to_py_err)?;
            let input = Input::read(&value)?;
            let file = SourceFile::new(kind, input.default_name(kind));
            files.push(input.open(file, None).map_err(errors::to_py_err)?);
        }
        let outcome = self.run(py, move |crm| crm.import_inputs(files, now))?;
        Ok(MergeReport::of_report(outcome.report))
    }

    /// Edits a creator by hand: no later import overwrites it.
    ///
    /// Args:
    ///     handle: The creator.
    ///     fields: Maps creator-table columns (`email`, `phone`, `first_name`,
    ///         `last_name`, `address_line1`, `address_line2`, `city`, `state`,
    ///         `zipcode`, `country`) to values.
    ///     now: When the edit is made (default: now); a later edit wins.
    ///
    /// Returns:
    ///     The creator afterwards (a dict), or None when a suppression entry covers it.
    ///
    /// Raises:
    ///     ForbiddenError: The actor is a viewer or a creator.
    ///     InvalidInputError: An unknown column or a bad value, naming the field.
    #[pyo3(signature = (handle, fields, *, now = None))]
    fn edit_creator<'py>(
        &self,
        py: Python<'py>,
        handle: &str,
        fields: &Bound<'py, PyDict>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let now = read_now(now)?;
        let fields: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| Ok((k.extract()?, v.extract()?)))
            .collect::<PyResult<_>>()?;
        let handle = handle.to_owned();
        let stored = self.run(py, move |crm| {
            crm.edit_creator(&handle, fields, now)?;
            crm.get_creator(&handle)
        })?;
        stored.map(|c| creator_dict(py, &c)).transpose()
    }

    /// Erases a person: their handle, emails and phones join the suppression list (as
    /// keyed hashes) and they are deleted with every record of theirs, so no re-import
    /// brings them back.
    ///
    /// Returns:
    ///     How many creators were deleted.
    ///
    /// Raises:
    ///     ForbiddenError: The actor is not an admin or owner.
    #[pyo3(signature = (handle, *, now = None))]
    fn erase_creator(
        &self,
        py: Python<'_>,
        handle: &str,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<u64> {
        let now = read_now(now)?;
        let handle = handle.to_owned();
        self.run(py, move |crm| crm.erase_creator(&handle, now))
    }

    /// The stored creator `handle` (a dict: the creator table's columns, `profile`,
    /// `brands`, `version`), or None.
    fn get_creator<'py>(
        &self,
        py: Python<'py>,
        handle: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let handle = handle.to_owned();
        let c = self.run(py, move |crm| crm.get_creator(&handle))?;
        c.map(|c| creator_dict(py, &c)).transpose()
    }

    /// One page of creators.
    ///
    /// Args:
    ///     where: Filters, every one must hold: `badge`, `tier`, `brand`, `tags` (all of
    ///         them), `outreach_status`, `whitelisted`, `has_phone`, `has_email`.
    ///     order_by: `"tiktok_username"` (default), `"follower_count"` or
    ///         `"total_gmv"`; a leading `-` sorts largest first. Creators without a value
    ///         come last either way; ties go by handle.
    ///     limit: Creators per page.
    ///     cursor: The previous page's `next_cursor`.
    ///
    /// Returns:
    ///     A `Page`: `.items`, `.next_cursor`, `.total`.
    ///
    /// Raises:
    ///     InvalidInputError: An unknown filter or sort field, or a cursor of another
    ///         query.
    #[pyo3(signature = (*, r#where = None, order_by = None, limit = 50, cursor = None))]
    fn list_creators(
        &self,
        py: Python<'_>,
        r#where: Option<&Bound<'_, PyDict>>,
        order_by: Option<&str>,
        limit: usize,
        cursor: Option<String>,
    ) -> PyResult<PyPage> {
        let filter: CreatorFilter = match r#where {
            Some(w) => {
                let value = data::to_value(w.as_any())?;
                check_filter_keys(&value)?;
                data::from_value(value, "where")?
            }
            None => CreatorFilter::default(),
        };
        let (descending, field) = match order_by {
            Some(o) => match o.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, o),
            },
            None => (false, SortField::Handle.as_str()),
        };
        let query = CreatorQuery {
            filter,
            sort: SortField::parse(field).map_err(errors::to_py_err)?,
            descending,
            limit,
            cursor: cursor.map(Cursor::from_text),
        };
        let page: CreatorPage = self.run(py, move |crm| crm.list_creators(&query))?;
        Ok(PyPage {
            items: creator_list(py, &page.items)?.unbind(),
            next_cursor: page.next_cursor.map(|c| c.as_str().to_owned()),
            total: page.total,
        })
    }

    /// Creators whose handle, name or email contains `text` (any case), in handle order.
    #[pyo3(signature = (text, *, limit = 20))]
    fn search_creators<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        limit: usize,
    ) -> PyResult<Bound<'py, PyList>> {
        let text = text.to_owned();
        let found = self.run(py, move |crm| crm.search_creators(&text, limit))?;
        creator_list(py, &found)
    }

    /// Changes a stored creator's profile.
    ///
    /// Args:
    ///     handle: The creator.
    ///     changes: Any of `badge` (None clears it), `tier` (None clears it),
    ///         `whitelisted`, `add_tags`, `remove_tags`, `notes`, `outreach_status`.
    ///
    /// Returns:
    ///     The profile afterwards (a dict).
    ///
    /// Raises:
    ///     ForbiddenError: The actor is a viewer or a creator.
    ///     InvalidInputError: An unknown key or value, or a creator that is not stored.
    #[pyo3(signature = (handle, changes, *, now = None))]
    fn update_profile<'py>(
        &self,
        py: Python<'py>,
        handle: &str,
        changes: &Bound<'py, PyDict>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = read_now(now)?;
        let update = read_profile_update(changes)?;
        let handle = handle.to_owned();
        let profile = self.run(py, move |crm| crm.update_profile(&handle, &update, now))?;
        data::record_to_py(py, &profile)
    }

    /// Creates or replaces supporters of a creator (dicts in events form).
    #[pyo3(signature = (creator, supporters, *, now = None))]
    fn put_supporters(
        &self,
        py: Python<'_>,
        creator: &str,
        supporters: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let now = read_now(now)?;
        let supporters: Vec<Supporter> =
            data::map_items(supporters, "supporters", data::from_value)?;
        let creator = creator.to_owned();
        self.run(py, move |crm| crm.put_supporters(&creator, supporters, now))
    }

    /// Deletes supporters of a creator by id.
    #[pyo3(signature = (creator, ids, *, now = None))]
    fn delete_supporters(
        &self,
        py: Python<'_>,
        creator: &str,
        ids: Vec<String>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let now = read_now(now)?;
        let ids: Vec<SupporterId> = ids.into_iter().map(SupporterId::new).collect();
        let creator = creator.to_owned();
        self.run(py, move |crm| crm.delete_supporters(&creator, ids, now))
    }

    /// A creator's supporters as the host holds them (staff only).
    fn supporters<'py>(&self, py: Python<'py>, creator: &str) -> PyResult<Bound<'py, PyAny>> {
        let creator = creator.to_owned();
        let s = self.run(py, move |crm| crm.supporters(&creator))?;
        data::record_to_py(py, &s)
    }

    /// A creator's supporters as the creator may see them: the privacy view, with ids
    /// pseudonymized by `key` (at least 16 bytes), no personal data.
    fn supporter_views<'py>(
        &self,
        py: Python<'py>,
        creator: &str,
        key: &[u8],
    ) -> PyResult<Bound<'py, PyAny>> {
        let keys = Pseudonymizer::new(key).map_err(errors::to_py_err)?;
        let creator = creator.to_owned();
        let views = self.run(py, move |crm| crm.supporter_views(&creator, &keys))?;
        data::record_to_py(py, &views)
    }

    /// Delivers candidate alerts with the cooldown state kept in the store.
    ///
    /// Returns:
    ///     The outcome dict: `delivered`, `suppressed`, `expired`.
    #[pyo3(signature = (creator, alerts, *, config = None, now = None))]
    fn deliver_alerts<'py>(
        &self,
        py: Python<'py>,
        creator: &str,
        alerts: &Bound<'py, PyAny>,
        config: Option<&Bound<'py, PyAny>>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = read_now(now)?;
        let alerts: Vec<Alert> = data::map_items(alerts, "alerts", data::from_value)?;
        let config: AlertConfig = data::from_py_or_default(config, "config")?;
        let creator = creator.to_owned();
        let outcome = self.run(py, move |crm| {
            crm.deliver_alerts(&creator, alerts, &config, now)
        })?;
        data::record_to_py(py, &outcome)
    }

    /// The newest activity records (who, what, when; never personal data), newest
    /// first.
    #[pyo3(signature = (limit = 100))]
    fn activity_log<'py>(&self, py: Python<'py>, limit: usize) -> PyResult<Bound<'py, PyAny>> {
        let log = self.run(py, move |crm| crm.activity_log(limit))?;
        data::record_to_py(py, &log)
    }

    fn __repr__(&self) -> String {
        format!("Crm(workspace={:?})", self.crm.workspace())
    }
}

/// Refuses filter keys the filter does not have (a typo would otherwise filter nothing).
fn check_filter_keys(value: &Value) -> PyResult<()> {
    const KEYS: [&str; 8] = [
        "badge",
        "tier",
        "brand",
        "tags",
        "outreach_status",
        "whitelisted",
        "has_phone",
        "has_email",
    ];
    if let Value::Object(map) = value
        && map.keys().any(|k| !KEYS.contains(&k.as_str()))
    {
        return Err(invalid("where", "unknown filter"));
    }
    Ok(())
}

fn read_profile_update(changes: &Bound<'_, PyDict>) -> PyResult<ProfileUpdate> {
    let mut u = ProfileUpdate::default();
    for (key, value) in changes.iter() {
        let key: String = key.extract()?;
        let v = data::to_value(&value)?;
        match key.as_str() {
            "badge" => u.badge = Some(data::from_value::<Option<ShopBadge>>(v, "badge")?),
            "tier" => u.tier = Some(data::from_value::<Option<CreatorTier>>(v, "tier")?),
            "whitelisted" => u.whitelisted = Some(data::from_value(v, "whitelisted")?),
            "add_tags" => u.add_tags = data::from_value(v, "add_tags")?,
            "remove_tags" => u.remove_tags = data::from_value(v, "remove_tags")?,
            "notes" => u.notes = Some(data::from_value(v, "notes")?),
            "outreach_status" => {
                u.outreach_status = Some(data::from_value::<OutreachStatus>(v, "outreach_status")?);
            }
            _ => return Err(invalid("changes", "unknown profile field")),
        }
    }
    Ok(u)
}

/// Adds the `Crm` class to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCrm>()?;
    m.add_class::<PyPage>()?;
    Ok(())
}
