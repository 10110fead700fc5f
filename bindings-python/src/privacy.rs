//! Python bindings of `creator_crm::privacy`: the JSON sanitizer, text
//! redaction, the creator-safe supporter view and the supporter-action guard.

use chrono::{DateTime, Utc};
use creator_crm::{
    Error,
    privacy::{
        self, ActionGuard, ActionKind, Policy, Pseudonymizer, SupporterAction, SupporterView,
        ViewId, ViewScore,
    },
    supporters::{Supporter, SupporterId},
};
use pyo3::{
    prelude::*,
    types::{PyDict, PyList, PyTuple},
};

use crate::{data, errors};

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
///         float, bool and None inside; `datetime`, `date` and `Decimal` become
///         strings, a float `NaN` becomes `None`).
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
///     TypeError: For values that are not JSON-like (or a dict key that is not a str).
///     InvalidInputError: For infinite floats, out-of-range integers or too-deep nesting.
#[pyfunction]
#[pyo3(signature = (value, *, deny = None, keep = None, allow_only = None))]
pub fn sanitize_json<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    deny: Option<Vec<String>>,
    keep: Option<Vec<String>>,
    allow_only: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyAny>> {
    let json = data::to_value(value)?;
    let policy = policy(deny, keep, allow_only);
    let out = py.detach(|| policy.sanitize(json));
    data::to_py(py, &out.value)
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
    let json = data::to_value(value)?;
    let policy = policy(deny, keep, allow_only);
    let out = py.detach(|| policy.sanitize(json));
    let removed = PyList::empty(py);
    for r in &out.removed {
        let d = PyDict::new(py);
        d.set_item("path", &r.path)?;
        d.set_item("kind", r.kind.as_str())?;
        removed.append(d)?;
    }
    PyTuple::new(py, [data::to_py(py, &out.value)?, removed.into_any()])
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
    let supporter: Supporter = data::from_py(supporter, "supporter")?;
    let keys = pseudonym_key.map(pseudonymizer).transpose()?;
    let id = keys.as_ref().map_or(ViewId::Host, ViewId::Pseudonymous);
    let mut view = SupporterView::new(&supporter, id);
    if let Some(score) = score {
        view.score = Some(data::from_py::<ViewScore>(score, "score")?);
    }
    let json = serde_json::to_value(&view)
        .map_err(|_| errors::to_py_err(Error::invalid("supporter", "could not be written")))?;
    data::to_py(py, &json)
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
///     now: The time of the attempt (`datetime`, naive means UTC, or an ISO 8601 string).
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
    let kind: ActionKind = action.parse().map_err(errors::to_py_err)?;
    let action = SupporterAction::from_kind(kind, body);
    let now: DateTime<Utc> = data::from_py(now, "now")?;
    let guard = ActionGuard::new(&keys);
    let audit_py = |audit: &privacy::AuditRecord| -> PyResult<Bound<'py, PyAny>> {
        let json = serde_json::to_value(audit)
            .map_err(|_| errors::to_py_err(Error::invalid("audit", "could not be written")))?;
        data::to_py(py, &json)
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
