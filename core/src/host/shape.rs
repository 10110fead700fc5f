//! Host data of the wrong shape: a reason that never quotes the input.

use std::borrow::Cow;

use serde_json::error::Category;

use crate::error::Error;

/// Why `e` failed, without any value from the input: expected types, missing field names
/// (which come from the record's definition) and positions only. serde_json's own message
/// quotes the offending value (`invalid type: string "ana@mailbox.org", expected u64`)
/// and the name of an unknown key; neither reaches this reason.
///
/// ```
/// use creator_crm::host::shape_reason;
/// #[derive(Debug, serde::Deserialize)]
/// #[serde(deny_unknown_fields)]
/// struct R { #[allow(dead_code)] n: u64 }
/// let reason = |json: &str| shape_reason(&serde_json::from_str::<R>(json).unwrap_err());
/// assert_eq!(reason(r#"{"n": "ana@mailbox.org"}"#), "expected u64");
/// assert_eq!(reason("{}"), "missing field `n`");
/// assert_eq!(reason(r#"{"n": 1, "ana@mailbox.org": 2}"#), "unknown field");
/// assert_eq!(reason("{"), "invalid json at line 1 column 1");
/// ```
pub fn shape_reason(e: &serde_json::Error) -> Cow<'static, str> {
    match e.classify() {
        Category::Syntax | Category::Eof => Cow::Owned(format!(
            "invalid json at line {} column {}",
            e.line(),
            e.column()
        )),
        Category::Io => Cow::Borrowed("cannot be read"),
        Category::Data => data_reason(&e.to_string()),
    }
}

/// The reason of a data error from serde's message, which reads `<what>[, expected
/// <type>][ at line L column C]`.
fn data_reason(msg: &str) -> Cow<'static, str> {
    let msg = match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => &msg[..i],
        _ => msg,
    };
    if msg.starts_with("missing field `") {
        // The name is the record's, not the input's.
        return Cow::Owned(msg.to_owned());
    }
    if msg.starts_with("unknown field `") {
        return Cow::Borrowed("unknown field");
    }
    match msg.split_once(", expected ") {
        Some((_, expected)) if !expected.contains('"') => {
            Cow::Owned(format!("expected {expected}"))
        }
        _ => Cow::Borrowed("does not have the expected shape"),
    }
}

/// The core error for host data of the wrong shape: [`crate::ErrorKind::InvalidInput`]
/// naming `what` (an argument, `rows[3]`), with [`shape_reason`] as its reason.
pub fn shape_error(what: impl Into<Cow<'static, str>>, e: &serde_json::Error) -> Error {
    Error::invalid(what, shape_reason(e))
}
