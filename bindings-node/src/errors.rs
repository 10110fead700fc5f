//! The one place where core errors become JavaScript errors.
//!
//! A thrown error is a plain `Error` whose `name` tells the kind
//! (`InvalidInputError`, ...) and which carries `code` (the kind's stable name,
//! e.g. `"invalid_input"`), `reason`, and `field` / `line` when known. Batch
//! calls return the same data as an [`ErrorInfo`] object instead of throwing.
//! Messages never hold personal data.

use creator_crm::{Error, ErrorKind};
use napi::{
    Env, JsValue,
    bindgen_prelude::{JsObjectValue, Object},
};
use napi_derive::napi;

/// A core error as data: what batch calls return for a value that failed, and
/// the properties every thrown creator-crm error carries.
#[napi(object)]
pub struct ErrorInfo {
    /// Stable error code: `invalid_input`, `import`, `template`, `consent`,
    /// `forbidden`, `storage`, `conflict`, `messaging` or `webhook`.
    #[napi(ts_type = "ErrorCode")]
    pub code: String,
    /// The error class name: `InvalidInputError`, `ImportError`, ...
    pub name: String,
    /// The full message, e.g. `invalid phone: contains letters`.
    pub message: String,
    /// The short reason, without field or line.
    pub reason: String,
    /// The field or column the error is about, if any.
    pub field: Option<String>,
    /// The 1-based source line, if the error comes from a file.
    pub line: Option<i64>,
}

/// The JavaScript error name of each kind.
fn error_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidInput => "InvalidInputError",
        ErrorKind::Import => "ImportError",
        ErrorKind::Template => "TemplateError",
        ErrorKind::Consent => "ConsentError",
        ErrorKind::Forbidden => "ForbiddenError",
        ErrorKind::Storage => "StorageError",
        ErrorKind::Conflict => "ConflictError",
        ErrorKind::Messaging => "MessagingError",
        ErrorKind::Webhook => "WebhookError",
        // `ErrorKind` is non-exhaustive: a kind added later is still a `CrmError`.
        _ => "CrmError",
    }
}

impl From<&Error> for ErrorInfo {
    fn from(err: &Error) -> Self {
        ErrorInfo {
            code: err.kind().as_str().to_owned(),
            name: error_name(err.kind()).to_owned(),
            message: err.to_string(),
            reason: err.reason().to_owned(),
            field: err.field().map(str::to_owned),
            line: err.line().and_then(|l| i64::try_from(l).ok()),
        }
    }
}

/// Converts a core error into the JavaScript error to throw (see the module docs).
/// An error that host code threw (a host store's method) is thrown again as that same
/// value.
pub fn to_napi_error(env: &Env, err: &Error) -> napi::Error {
    if let Some(thrown) = std::error::Error::source(err).and_then(|s| s.downcast_ref::<HostThrew>())
        && let Ok(again) = thrown.0.try_clone()
    {
        return again;
    }
    build_js_error(env, err).unwrap_or_else(|e| e)
}

fn build_js_error(env: &Env, err: &Error) -> napi::Result<napi::Error> {
    let info = ErrorInfo::from(err);
    let mut obj: Object<'_> = env.create_error(napi::Error::from_reason(info.message))?;
    obj.set_named_property("name", info.name)?;
    obj.set_named_property("code", info.code)?;
    obj.set_named_property("reason", info.reason)?;
    if let Some(field) = info.field {
        obj.set_named_property("field", field)?;
    }
    if let Some(line) = info.line {
        obj.set_named_property("line", line)?;
    }
    Ok(napi::Error::from(obj.to_unknown()))
}

/// A value host code threw, held (as napi holds a thrown value) to be thrown again by
/// [`to_napi_error`].
#[derive(Debug)]
pub struct HostThrew(pub napi::Error);

impl std::fmt::Display for HostThrew {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The host's own message may hold anything: it stays with the value.
        f.write_str("the host code threw")
    }
}

impl std::error::Error for HostThrew {}
