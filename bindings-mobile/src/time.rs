//! `SystemTime` ↔ `DateTime<Utc>` without panics on out-of-range instants.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use creator_crm::Error;

use crate::errors::CrmError;

/// A foreign instant as a UTC date-time.
pub fn from_system_time(t: SystemTime) -> Result<DateTime<Utc>, CrmError> {
    let out_of_range = || CrmError::from(Error::invalid("timestamp", "out of range"));
    let (secs, nanos) = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (
            i64::try_from(d.as_secs()).map_err(|_| out_of_range())?,
            d.subsec_nanos(),
        ),
        Err(e) => {
            let d = e.duration();
            let secs = i64::try_from(d.as_secs()).map_err(|_| out_of_range())?;
            if d.subsec_nanos() == 0 {
                (-secs, 0)
            } else {
                (-secs - 1, 1_000_000_000 - d.subsec_nanos())
            }
        }
    };
    DateTime::from_timestamp(secs, nanos).ok_or_else(out_of_range)
}

/// An optional foreign instant.
pub fn opt_from_system_time(t: Option<SystemTime>) -> Result<Option<DateTime<Utc>>, CrmError> {
    t.map(from_system_time).transpose()
}

/// A UTC date-time as a foreign instant (saturating at the platform's limits).
pub fn to_system_time(t: DateTime<Utc>) -> SystemTime {
    let secs = t.timestamp();
    let nanos = t.timestamp_subsec_nanos();
    let abs = Duration::new(secs.unsigned_abs(), 0);
    let base = if secs >= 0 {
        UNIX_EPOCH.checked_add(abs)
    } else {
        UNIX_EPOCH.checked_sub(abs)
    };
    base.and_then(|b| b.checked_add(Duration::from_nanos(u64::from(nanos))))
        .unwrap_or(UNIX_EPOCH)
}

/// An optional UTC date-time as a foreign instant.
pub fn opt_to_system_time(t: Option<DateTime<Utc>>) -> Option<SystemTime> {
    t.map(to_system_time)
}
