//! Plain JavaScript data ↔ core records, through their serde form.
//!
//! Records keep the core's snake_case field names in every language
//! (`tokens_lifetime`, `joined_at`), timestamps are ISO 8601 strings and money
//! is a decimal string (numbers are accepted on input). A value of the wrong
//! shape throws an `InvalidInputError` naming the argument, the item index and
//! serde's reason stripped of the value, so no personal data reaches it.

use chrono::{DateTime, Utc};
use creator_crm::{Error, host};
use napi::Env;
use rust_decimal::Decimal;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::errors::to_napi_error;

/// The core error for a record of the wrong shape (`host::shape_error`: the reason never
/// quotes the input).
pub fn shape_error(what: &str, e: &serde_json::Error) -> Error {
    host::shape_error(what.to_owned(), e)
}

/// Reads one record.
pub fn read<T: DeserializeOwned>(env: &Env, value: Value, what: &str) -> napi::Result<T> {
    serde_json::from_value(value).map_err(|e| to_napi_error(env, &shape_error(what, &e)))
}

/// Reads an instant argument (`now`): ISO 8601, a time without an offset taken as UTC
/// (core's rule, `host::json_time`), one with an offset as the instant it names.
pub fn instant(env: &Env, iso: &str, what: &'static str) -> napi::Result<DateTime<Utc>> {
    host::json_time(iso)
        .ok()
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| to_napi_error(env, &Error::invalid(what, "must be an ISO 8601 time")))
}

/// Reads an optional record (`null`/`undefined` → default).
pub fn read_or_default<T: DeserializeOwned + Default>(
    env: &Env,
    value: Option<Value>,
    what: &str,
) -> napi::Result<T> {
    match value {
        Some(v) if !v.is_null() => read(env, v, what),
        _ => Ok(T::default()),
    }
}

/// Reads every item; errors name `what[index]`.
pub fn read_all<T>(
    items: Vec<Value>,
    what: &str,
    mut f: impl FnMut(Value, &str) -> Result<T, Error>,
) -> Result<Vec<T>, Error> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| f(v, &format!("{what}[{i}]")))
        .collect()
}

/// Reads one record into a core error, for use inside [`read_all`].
pub fn parse<T: DeserializeOwned>(value: Value, what: &str) -> Result<T, Error> {
    serde_json::from_value(value).map_err(|e| shape_error(what, &e))
}

/// Money fields accept numbers too: the core reads money from exact strings.
pub fn money_as_string(mut value: Value, field: &str) -> Value {
    if let Some(v) = value.get_mut(field) {
        if let Value::Number(n) = v {
            *v = Value::String(n.to_string());
        }
    }
    value
}

/// Reads one amount: a decimal string, or a number (read from its shortest decimal form).
pub fn money(value: Value, what: &str) -> Result<Decimal, Error> {
    let wrapped = money_as_string(serde_json::json!({ "m": value }), "m");
    parse(wrapped.get("m").cloned().unwrap_or(Value::Null), what)
}

/// Serializes a core record for JavaScript.
pub fn write<T: Serialize>(env: &Env, record: &T) -> napi::Result<Value> {
    serde_json::to_value(record).map_err(|e| {
        to_napi_error(
            env,
            &Error::invalid("output", "not serializable").with_source(e),
        )
    })
}
