//! Host times: the one rule for a time without an offset.
//!
//! **A time without an offset is UTC.** A Python `datetime` without `tzinfo`, an ISO 8601
//! string without `Z` or `+hh:mm`, and every `NaiveDateTime` the core holds (export times,
//! posting times, order times) denote that clock time in UTC, never the machine's local
//! time: the result must not depend on where the code runs. A time with an offset is the
//! instant it names.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

use crate::error::{Error, Result};

/// A time without an offset as the UTC instant it denotes (the clock time, in UTC).
///
/// ```
/// use chrono::NaiveDate;
/// use creator_crm::host::naive_as_utc;
/// let t = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap().and_hms_opt(10, 0, 0).unwrap();
/// assert_eq!(naive_as_utc(t).to_rfc3339(), "2024-05-01T10:00:00+00:00");
/// ```
pub fn naive_as_utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// A time without an offset as RFC 3339 in UTC: `2024-05-01T10:00:00Z`, with the
/// fraction of a second when there is one.
pub fn utc_rfc3339(t: NaiveDateTime) -> String {
    naive_as_utc(t).to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// An ISO 8601 date or time from a host (Python's `isoformat()`, a JSON string) in the
/// form the core's JSON records read: a day stays `YYYY-MM-DD`; a time becomes RFC 3339
/// in UTC with `Z`, a time without an offset taken as UTC (the module's rule), a time
/// with one converted to UTC.
///
/// ```
/// use creator_crm::host::json_time;
/// assert_eq!(json_time("2024-05-01").unwrap(), "2024-05-01");
/// assert_eq!(json_time("2024-05-01T10:00:00").unwrap(), "2024-05-01T10:00:00Z");
/// assert_eq!(json_time("2024-05-01 10:00:00.5").unwrap(), "2024-05-01T10:00:00.500Z");
/// assert_eq!(json_time("2024-05-01T12:00:00+02:00").unwrap(), "2024-05-01T10:00:00Z");
/// assert!(json_time("yesterday").is_err());
/// ```
///
/// # Errors
/// [`crate::ErrorKind::InvalidInput`] (field `time`) when the text is neither.
pub fn json_time(iso: &str) -> Result<String> {
    let iso = iso.trim();
    if let Ok(d) = NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        return Ok(d.format("%Y-%m-%d").to_string());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(iso) {
        return Ok(utc_rfc3339(t.naive_utc()));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(iso, format) {
            return Ok(utc_rfc3339(t));
        }
    }
    Err(Error::invalid("time", "not an ISO 8601 date or time"))
}
