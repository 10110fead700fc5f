//! The one place where core errors become Python exceptions.
//!
//! Every [`ErrorKind`] maps to one exception class deriving from `CrmError`.
//! Each raised exception carries `code` (the kind's stable name, e.g.
//! `"invalid_input"`), `field`, `line` and `reason` attributes; its message is
//! the core error's `Display`, which never holds personal data.

use creator_crm::{Error, ErrorKind};
use pyo3::{create_exception, exceptions::PyException, prelude::*};

create_exception!(
    creator_crm,
    CrmError,
    PyException,
    "Base class of every creator-crm error. Attributes: `code`, `field`, `line`, `reason`."
);
create_exception!(
    creator_crm,
    InvalidInputError,
    CrmError,
    "A value could not be understood or is not allowed (code `invalid_input`)."
);
create_exception!(
    creator_crm,
    SourceImportError,
    CrmError,
    "A source could not be read at all (code `import`)."
);
create_exception!(
    creator_crm,
    TemplateError,
    CrmError,
    "A template failed to parse, validate or render (code `template`)."
);
create_exception!(
    creator_crm,
    ConsentError,
    CrmError,
    "A message may not be sent: consent, quiet hours, opt-out (code `consent`)."
);
create_exception!(
    creator_crm,
    ForbiddenError,
    CrmError,
    "An action that creators may not take on supporters (code `forbidden`)."
);
create_exception!(
    creator_crm,
    StorageError,
    CrmError,
    "A storage backend failed (code `storage`)."
);
create_exception!(
    creator_crm,
    ConflictError,
    CrmError,
    "A stored row changed since it was read; re-read and retry (code `conflict`)."
);
create_exception!(
    creator_crm,
    MessagingError,
    CrmError,
    "A message provider failed (code `messaging`)."
);
create_exception!(
    creator_crm,
    WebhookError,
    CrmError,
    "A webhook failed verification: signature, freshness or replay (code `webhook`)."
);

/// Converts a core error into the matching Python exception, with its attributes set.
pub fn to_py_err(err: Error) -> PyErr {
    Python::attach(|py| to_py_err_in(py, &err))
}

/// Like [`to_py_err`] with the interpreter at hand, for batch calls that
/// return exceptions as values.
pub fn to_py_err_in(py: Python<'_>, err: &Error) -> PyErr {
    // An exception raised by host code (a host store's method) reaches its caller as
    // that same exception object.
    if let Some(host) = std::error::Error::source(err).and_then(|s| s.downcast_ref::<PyErr>()) {
        return host.clone_ref(py);
    }
    let message = err.to_string();
    let py_err = match err.kind() {
        ErrorKind::InvalidInput => InvalidInputError::new_err(message),
        ErrorKind::Import => SourceImportError::new_err(message),
        ErrorKind::Template => TemplateError::new_err(message),
        ErrorKind::Consent => ConsentError::new_err(message),
        ErrorKind::Forbidden => ForbiddenError::new_err(message),
        ErrorKind::Storage => StorageError::new_err(message),
        ErrorKind::Conflict => ConflictError::new_err(message),
        ErrorKind::Messaging => MessagingError::new_err(message),
        ErrorKind::Webhook => WebhookError::new_err(message),
        // `ErrorKind` is non-exhaustive: a kind added later is still a `CrmError`.
        _ => CrmError::new_err(message),
    };
    if let Err(attr_err) = set_attributes(py, &py_err, err) {
        return attr_err;
    }
    py_err
}

fn set_attributes(py: Python<'_>, py_err: &PyErr, err: &Error) -> PyResult<()> {
    let value = py_err.value(py);
    value.setattr("code", err.kind().as_str())?;
    value.setattr("field", err.field())?;
    value.setattr("line", err.line())?;
    value.setattr("reason", err.reason())?;
    if let Some(source) = std::error::Error::source(err) {
        // Keep the cause visible as `__cause__`, as `raise ... from ...` would.
        value.setattr("__cause__", CrmError::new_err(source.to_string()).value(py))?;
    }
    Ok(())
}

/// The core error standing for an exception host code raised (a host store's method
/// `method`), with the exception itself as its source, so that [`to_py_err_in`] hands
/// the caller that same exception object. One of this module's classes keeps its
/// meaning: `ConflictError` is a conflict (the facade re-reads and retries), an
/// `InvalidInputError` stays invalid input with its field and reason; any other
/// exception is a storage failure of `method`.
pub fn host_error(py: Python<'_>, err: PyErr, method: &'static str) -> Error {
    let kind = if err.is_instance_of::<ConflictError>(py) {
        Some(ErrorKind::Conflict)
    } else if err.is_instance_of::<InvalidInputError>(py) {
        Some(ErrorKind::InvalidInput)
    } else if err.is_instance_of::<ForbiddenError>(py) {
        Some(ErrorKind::Forbidden)
    } else if err.is_instance_of::<StorageError>(py) {
        Some(ErrorKind::Storage)
    } else {
        None
    };
    let Some(kind) = kind else {
        return Error::new(ErrorKind::Storage, "host store failed")
            .with_field(method)
            .with_source(err);
    };
    let value = err.value(py);
    let text = |name: &str| {
        value
            .getattr(name)
            .ok()
            .and_then(|v| v.extract::<Option<String>>().ok())
            .flatten()
    };
    let mut e = Error::new(
        kind,
        text("reason").unwrap_or_else(|| "host store failed".into()),
    );
    e = e.with_field(text("field").unwrap_or_else(|| method.to_owned()));
    e.with_source(err)
}

/// Adds the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("CrmError", py.get_type::<CrmError>())?;
    m.add("InvalidInputError", py.get_type::<InvalidInputError>())?;
    m.add("SourceImportError", py.get_type::<SourceImportError>())?;
    m.add("TemplateError", py.get_type::<TemplateError>())?;
    m.add("ConsentError", py.get_type::<ConsentError>())?;
    m.add("ForbiddenError", py.get_type::<ForbiddenError>())?;
    m.add("StorageError", py.get_type::<StorageError>())?;
    m.add("ConflictError", py.get_type::<ConflictError>())?;
    m.add("MessagingError", py.get_type::<MessagingError>())?;
    m.add("WebhookError", py.get_type::<WebhookError>())?;
    Ok(())
}
