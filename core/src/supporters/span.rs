//! Time spans from configuration values, and instants shifted by them,
//! saturating instead of panicking on out-of-range input.

use chrono::{DateTime, TimeDelta, Utc};

fn saturate(n: i64) -> TimeDelta {
    if n < 0 {
        TimeDelta::MIN
    } else {
        TimeDelta::MAX
    }
}

/// `n` seconds (saturating).
pub(crate) fn seconds(n: i64) -> TimeDelta {
    TimeDelta::try_seconds(n).unwrap_or_else(|| saturate(n))
}

/// `n` hours (saturating).
pub(crate) fn hours(n: i64) -> TimeDelta {
    TimeDelta::try_hours(n).unwrap_or_else(|| saturate(n))
}

/// `n` days (saturating).
pub(crate) fn days(n: i64) -> TimeDelta {
    TimeDelta::try_days(n).unwrap_or_else(|| saturate(n))
}

/// `t - d`, or the earliest instant when that is out of range.
pub(crate) fn before(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    t.checked_sub_signed(d).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// `t + d`, or `None` when that is out of range.
pub(crate) fn after(t: DateTime<Utc>, d: TimeDelta) -> Option<DateTime<Utc>> {
    t.checked_add_signed(d)
}
