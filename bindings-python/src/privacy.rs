//! Python bindings of `creator_crm::privacy`: the JSON sanitizer, text
//! redaction, the creator-safe supporter view and the supporter-action guard.

use chrono::{DateTime, Utc};
use creator_crm::{
    Error,
    privacy::{
        self, ActionGuard, Policy, Pseudonymizer, SupporterAction, SupporterView, ViewId, ViewScore,
    },
    supporters::{Supporter, SupporterId},
};
use pyo3::{
    IntoPyObjectExt,
    exceptions::PyTypeError,
    prelude::*,
    types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple},
};
use serde_json::{Map, Number, Value};

use crate::errors;

/// Deepest nesting accepted from Python (deeper input raises `InvalidInputError`).
const MAX_DEPTH: usize = 256;

/// A Python value (dict/list/tuple/str/int/float/bool/None) as JSON.
fn to_json(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
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
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(errors::to_py_err(Error::invalid(
            "value",
            "integer out of range",
        )));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
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
            map.insert(key.to_cow()?.into_owned(), to_json(&v, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let items = obj
            .try_iter()?
            .map(|item| to_json(&item?, depth + 1))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(Value::Array(items));
    }
    Err(PyTypeError::new_err(
        "expected dict, list, tuple, str, int, float, bool or None",
    ))
}

/// JSON as Python objects.
fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Value::Null => Ok(py.None().into_bound(py)),
        Value::Bool(b) => b.into_bound_py_any(py),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_bound_py_any(py),
            (None, Some(u)) => u.into_bound_py_any(py),
            _ => n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py),
        },
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

fn policy(
    deny: Option<Vec<String>>,
    keep: Option<Vec<String>>,
    allow_only: Option<Vec<String>>,
) -> Policy {
    let mut p = Policy::default();
    for k in deny.iter().flatten() {
        p = p.deny_key(k);
    }
    for k in keep.iter().flatten() {
        p = p.keep_key(k);
    }
    if let Some(paths) = allow_only {
        p = p.allow_only(paths);
    }
    p
}

/// Removes personal data from a JSON-like value, at any depth.
///
/// Fields whose key names personal data (`realName`, `real_name`, `Real-Name`,
/// `phone`, `ipAddress`, `device_id`, `city`, ... in any spelling) are removed;
/// emails, phone numbers, IP addresses and street addresses inside strings are
/// replaced with `[email]`, `[phone]`, `[ip]`, `[address]`.
///
/// Args:
///     value: A dict, list or str (nested dicts, lists, tuples, str, int,
///         float, bool and None inside).
///     deny: More keys to remove, in any spelling.
///     keep: Keys to keep although a default rule removes them (their strings
///         are still redacted).
///     allow_only: Keep only these paths (`"supporter.id"`, `"items.*.sku"`);
///         the deny rules still apply inside them.
///
/// Returns:
///     A new value of the same shape without the personal data.
///
/// Raises:
///     TypeError: For values that are not JSON-like.
///     InvalidInputError: For non-finite floats or too-deep nesting.
#[pyfunction]
#[pyo3(signature = (value, *, deny = None, keep = None, allow_only = None))]
pub fn sanitize_json<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    deny: Option<Vec<String>>,
    keep: Option<Vec<String>>,
    allow_only: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyAny>> {
    let json = to_json(value, 0)?;
    let policy = policy(deny, keep, allow_only);
    let out = py.detach(|| policy.sanitize(json));
    to_py(py, &out.value)
}

/// Like `sanitize_json`, also returning what was removed.
///
/// Args:
///     value: A dict, list or str, as for `sanitize_json`.
///     deny: More keys to remove, in any spelling.
///     keep: Keys to keep although a default rule removes them.
///     allow_only: Keep only these paths.
///
/// Returns:
///     `(value, removed)`: `removed` lists one dict per removal or redaction,
///     `{"path": "$.supporter.contact.phone", "kind": "personal_field"}`;
///     kinds are `personal_field`, `not_allowed`, `email`, `phone`, `ip`,
///     `address`. Never the values.
#[pyfunction]
#[pyo3(signature = (value, *, deny = None, keep = None, allow_only = None))]
pub fn sanitize_json_report<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    deny: Option<Vec<String>>,
    keep: Option<Vec<String>>,
    allow_only: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let json = to_json(value, 0)?;
    let policy = policy(deny, keep, allow_only);
    let out = py.detach(|| policy.sanitize(json));
    let removed = PyList::empty(py);
    for r in &out.removed {
        let d = PyDict::new(py);
        d.set_item("path", &r.path)?;
        d.set_item("kind", r.kind.as_str())?;
        removed.append(d)?;
    }
    PyTuple::new(py, [to_py(py, &out.value)?, removed.into_any()])
}

/// One piece of personal data found by `redact_text`: its kind and where it
/// was, as `text[start:end]` of the original text. Never the value.
#[pyclass(name = "Finding", module = "creator_crm", frozen, eq, get_all)]
#[derive(Clone, PartialEq, Eq)]
pub struct PyFinding {
    /// `"email"`, `"phone"`, `"ip"` or `"address"`.
    kind: &'static str,
    /// Start index (characters) in the original text.
    start: usize,
    /// End index (characters, exclusive) in the original text.
    end: usize,
}

#[pymethods]
impl PyFinding {
    fn __repr__(&self) -> String {
        format!(
            "Finding(kind={:?}, start={}, end={})",
            self.kind, self.start, self.end
        )
    }
}

/// The result of `redact_text`.
#[pyclass(name = "Redacted", module = "creator_crm", frozen, get_all)]
pub struct PyRedacted {
    /// The text with `[email]`, `[phone]`, `[ip]`, `[address]` in place of what was found.
    text: String,
    /// What was found, in text order (character offsets into the original text).
    found: Vec<PyFinding>,
}

#[pymethods]
impl PyRedacted {
    /// `repr()` shows the findings only: names in free text are not detected.
    fn __repr__(&self) -> String {
        format!(
            "Redacted(len(text)={}, found={})",
            self.text.chars().count(),
            self.found.len()
        )
    }
}

/// Replaces emails, phone numbers, IP addresses and street addresses in free text.
///
/// Args:
///     text: Notes, chat previews, bios.
///
/// Returns:
///     A `Redacted` with the new `text` and the `found` list (kinds and
///     character spans of the original text, never values).
#[pyfunction]
pub fn redact_text(py: Python<'_>, text: &str) -> PyRedacted {
    let r = py.detach(|| privacy::redact_text(text));
    let char_index = |byte: usize| text.get(..byte).map_or(0, |s| s.chars().count());
    PyRedacted {
        found: r
            .found
            .iter()
            .map(|f| PyFinding {
                kind: f.kind.as_str(),
                start: char_index(f.start),
                end: char_index(f.end),
            })
            .collect(),
        text: r.text,
    }
}

fn pseudonymizer(key: &[u8]) -> PyResult<Pseudonymizer> {
    Pseudonymizer::new(key).map_err(errors::to_py_err)
}

fn from_json<T: serde::de::DeserializeOwned>(value: Value, field: &'static str) -> PyResult<T> {
    // serde's messages may quote input values: keep only the position-free kind.
    serde_json::from_value(value)
        .map_err(|_| errors::to_py_err(Error::invalid(field, "does not match the expected shape")))
}

/// The creator-safe view of a supporter: no personal-data field at all.
///
/// Args:
///     supporter: The full supporter record as a dict (the shape of the Rust
///         `Supporter`: `id`, `display_name`, `joined_at`, `time_zone`,
///         `fan_club`, `online`, `activity`, `profile`).
///     pseudonym_key: When given (16 bytes or more), the view's `id` is the
///         stable pseudonymous id `sp_…` (HMAC-SHA256 of the supporter id).
///     score: Optional `{"probability", "priority", "segment"}` to attach.
///
/// Returns:
///     A dict: `id`, `display_name`, `name_source` (`"chosen"` or
///     `"generated"`), `joined_at`, `fan_club`, `online`, `lifetime_tokens`,
///     `last_active_at`, `score`.
///
/// Raises:
///     InvalidInputError: When `supporter` or `score` has the wrong shape, or the key is too short.
#[pyfunction]
#[pyo3(signature = (supporter, *, pseudonym_key = None, score = None))]
pub fn supporter_view<'py>(
    py: Python<'py>,
    supporter: &Bound<'py, PyAny>,
    pseudonym_key: Option<&[u8]>,
    score: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let supporter: Supporter = from_json(to_json(supporter, 0)?, "supporter")?;
    let keys = pseudonym_key.map(pseudonymizer).transpose()?;
    let id = keys.as_ref().map_or(ViewId::Host, ViewId::Pseudonymous);
    let mut view = SupporterView::new(&supporter, id);
    if let Some(score) = score {
        view.score = Some(from_json::<ViewScore>(to_json(score, 0)?, "score")?);
    }
    let json = serde_json::to_value(&view)
        .map_err(|_| errors::to_py_err(Error::invalid("supporter", "could not be written")))?;
    to_py(py, &json)
}

fn parse_now(now: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    let text: String = if now.is_instance_of::<PyString>() {
        now.extract()?
    } else {
        now.call_method0("isoformat")?.extract()?
    };
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            errors::to_py_err(Error::invalid(
                "now",
                "must be a timezone-aware datetime or an RFC 3339 string",
            ))
        })
}

fn action(name: &str, body: Option<String>) -> PyResult<SupporterAction> {
    let action = match name {
        "send_message" => SupporterAction::SendMessage {
            body: body.unwrap_or_default(),
        },
        "view_profile" => SupporterAction::ViewProfile,
        "thank_for_gift" => SupporterAction::ThankForGift,
        "invite_to_live" => SupporterAction::InviteToLive,
        "reply" => SupporterAction::Reply,
        "bulk_message" => SupporterAction::BulkMessage,
        "export_supporter_list" => SupporterAction::ExportSupporterList,
        "offline_meetup" => SupporterAction::OfflineMeetup,
        "reveal_identity" => SupporterAction::RevealIdentity,
        "exchange_contact_info" => SupporterAction::ExchangeContactInfo,
        _ => {
            return Err(errors::to_py_err(Error::invalid(
                "action",
                "unknown action",
            )));
        }
    };
    Ok(action)
}

/// Checks one creator action on one supporter and returns its audit record.
///
/// Args:
///     actor: The creator's id.
///     supporter_id: The host's supporter id (the audit record holds its pseudonym).
///     action: `send_message`, `view_profile`, `thank_for_gift`,
///         `invite_to_live`, `reply` (allowed) or `bulk_message`,
///         `export_supporter_list`, `offline_meetup`, `reveal_identity`,
///         `exchange_contact_info` (forbidden).
///     pseudonym_key: The host's key for pseudonymous ids (16 bytes or more).
///     now: The time of the attempt (timezone-aware datetime or RFC 3339 string).
///     body: The message text, for `send_message`; a body holding an email,
///         phone number or street address is rejected as contact-info exchange.
///
/// Returns:
///     The audit record as a dict: `actor`, `action`, `supporter`, `at`,
///     `allowed`, `reason`.
///
/// Raises:
///     ForbiddenError: For a forbidden action; its `audit` attribute holds the
///         audit record (with `allowed=False`) to store.
///     InvalidInputError: For an unknown action, a short key or a bad `now`.
#[pyfunction]
#[pyo3(signature = (actor, supporter_id, action, *, pseudonym_key, now, body = None))]
pub fn authorize_action<'py>(
    py: Python<'py>,
    actor: &str,
    supporter_id: &str,
    action: &str,
    pseudonym_key: &[u8],
    now: &Bound<'py, PyAny>,
    body: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let keys = pseudonymizer(pseudonym_key)?;
    let action = self::action(action, body)?;
    let now = parse_now(now)?;
    let guard = ActionGuard::new(&keys);
    let audit_py = |audit: &privacy::AuditRecord| -> PyResult<Bound<'py, PyAny>> {
        let json = serde_json::to_value(audit)
            .map_err(|_| errors::to_py_err(Error::invalid("audit", "could not be written")))?;
        to_py(py, &json)
    };
    match guard.authorize(actor, &SupporterId::from(supporter_id), &action, now) {
        Ok(audit) => audit_py(&audit),
        Err(denied) => {
            let audit = audit_py(&denied.audit)?;
            let err = errors::to_py_err(denied.error);
            err.value(py).setattr("audit", audit)?;
            Err(err)
        }
    }
}

/// Adds the privacy functions and classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyFinding>()?;
    m.add_class::<PyRedacted>()?;
    m.add_function(wrap_pyfunction!(sanitize_json, m)?)?;
    m.add_function(wrap_pyfunction!(sanitize_json_report, m)?)?;
    m.add_function(wrap_pyfunction!(redact_text, m)?)?;
    m.add_function(wrap_pyfunction!(supporter_view, m)?)?;
    m.add_function(wrap_pyfunction!(authorize_action, m)?)?;
    Ok(())
}
