//! Plain Python data ↔ core records, through their serde form.
//!
//! The one conversion of Python data for every call that takes plain data
//! (supporters, tiers, privacy). Input: `dict` (with `str` keys), `list` /
//! `tuple` / any other iterable but `bytes`, `str`, `int` (64-bit), `float`
//! (`NaN` is a missing value, as in pandas; infinities are rejected), `bool`,
//! `None`, `datetime` / `date` (ISO 8601; a naive `datetime` is taken as UTC)
//! and `decimal.Decimal` (kept exact, as a string), nested at most 256 deep. Output: `dict`, `list`,
//! `str`, `int`, `float`, `bool`, `None`; timestamps come back as ISO 8601
//! strings and money as `decimal.Decimal`-compatible strings.
//!
//! A value of the wrong shape raises `InvalidInputError` naming the argument,
//! the item index and the field (serde's reason, stripped of the value so no
//! personal data reaches the message).

use creator_crm::{Error, host};
use pyo3::{
    IntoPyObjectExt,
    exceptions::PyTypeError,
    intern,
    prelude::*,
    types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString},
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Number, Value};

use crate::errors;

/// Deepest nesting accepted from Python (deeper input raises `InvalidInputError`).
const MAX_DEPTH: usize = 256;

/// Converts a Python value to JSON-like data (see the module docs for the rules).
pub fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_value_at(obj, 0)
}

fn to_value_at(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    let py = obj.py();
    if depth > MAX_DEPTH {
        return Err(errors::to_py_err(Error::invalid(
            "value",
            "nested too deeply",
        )));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        return match obj.extract::<u64>() {
            Ok(u) => Ok(Value::from(u)),
            Err(_) => Err(errors::to_py_err(Error::invalid(
                "value",
                "integer out of range",
            ))),
        };
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let f = f.value();
        if f.is_nan() {
            // pandas' missing value, as in the batch calls.
            return Ok(Value::Null);
        }
        return Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| errors::to_py_err(Error::invalid("value", "not a finite number")));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("dict keys must be str"))?;
            map.insert(key.to_cow()?.into_owned(), to_value_at(&v, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    let type_name = obj.get_type().name()?;
    if type_name == "Decimal" {
        return Ok(Value::String(obj.str()?.extract()?));
    }
    if obj.hasattr(intern!(py, "isoformat"))? {
        // Core's rule for a time without an offset (it is UTC), and its JSON form.
        let iso: String = obj.call_method0(intern!(py, "isoformat"))?.extract()?;
        return host::json_time(&iso)
            .map(Value::String)
            .map_err(errors::to_py_err);
    }
    if !obj.is_instance_of::<PyBytes>() {
        if let Ok(iter) = obj.try_iter() {
            let items = iter
                .map(|item| to_value_at(&item?, depth + 1))
                .collect::<PyResult<Vec<_>>>()?;
            return Ok(Value::Array(items));
        }
    }
    Err(PyTypeError::new_err(format!(
        "cannot convert {type_name} to creator-crm data"
    )))
}

/// Reads one record of type `T` from a Python value; `what` names it in errors.
pub fn from_py<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    from_value(to_value(obj)?, what)
}

/// Reads one record of type `T` from JSON-like data.
pub fn from_value<T: DeserializeOwned>(value: Value, what: &str) -> PyResult<T> {
    serde_json::from_value(value)
        .map_err(|e| errors::to_py_err(host::shape_error(what.to_owned(), &e)))
}

/// Reads an optional record (`None` → `T::default()`).
pub fn from_py_or_default<T: DeserializeOwned + Default>(
    obj: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<T> {
    match obj {
        Some(o) if !o.is_none() => from_py(o, what),
        _ => Ok(T::default()),
    }
}

/// Reads every item of an iterable with `f`; errors name `what[index]`.
pub fn map_items<T>(
    items: &Bound<'_, PyAny>,
    what: &str,
    mut f: impl FnMut(Value, &str) -> PyResult<T>,
) -> PyResult<Vec<T>> {
    let mut out = Vec::with_capacity(items.len().unwrap_or(0));
    for (i, item) in items.try_iter()?.enumerate() {
        let item = item?;
        out.push(f(to_value(&item)?, &format!("{what}[{i}]"))?);
    }
    Ok(out)
}

/// Converts JSON-like data to Python objects.
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Value::Null => Ok(py.None().into_bound(py)),
        Value::Bool(b) => b.into_bound_py_any(py),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_bound_py_any(py)
            } else if let Some(u) = n.as_u64() {
                u.into_bound_py_any(py)
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)
            }
        }
        Value::String(s) => s.into_bound_py_any(py),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            Ok(list.into_any())
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            Ok(dict.into_any())
        }
    }
}

/// Serializes a core record into Python objects.
pub fn record_to_py<'py, T: Serialize>(py: Python<'py>, record: &T) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(record).map_err(|e| {
        errors::to_py_err(Error::invalid("output", "not serializable").with_source(e))
    })?;
    to_py(py, &value)
}

/// An instant as an aware Python `datetime` in UTC.
pub fn datetime_to_py(
    py: Python<'_>,
    at: chrono::DateTime<chrono::Utc>,
) -> PyResult<Bound<'_, PyAny>> {
    let iso = at.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string();
    py.import(intern!(py, "datetime"))?
        .getattr(intern!(py, "datetime"))?
        .call_method1(intern!(py, "fromisoformat"), (iso,))
}

/// A day as a Python `date`.
pub fn date_to_py(py: Python<'_>, day: chrono::NaiveDate) -> PyResult<Bound<'_, PyAny>> {
    let iso = day.format("%Y-%m-%d").to_string();
    py.import(intern!(py, "datetime"))?
        .getattr(intern!(py, "date"))?
        .call_method1(intern!(py, "fromisoformat"), (iso,))
}
