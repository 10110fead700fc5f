//! A half-open range of days.

use chrono::{NaiveDate, NaiveDateTime};

use crate::error::{Error, Result};

/// The days from `start` (inclusive) to `end` (exclusive).
///
/// ```
/// use chrono::NaiveDate;
/// use creator_crm::analytics::Period;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let june = Period::new(d(6, 1), d(7, 1)).unwrap();
/// assert!(june.contains_date(d(6, 30)));
/// assert!(!june.contains_date(d(7, 1)));
/// assert_eq!(june.days(), 30);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

impl Period {
    /// The period `[start, end)`.
    ///
    /// # Errors
    /// `InvalidInput` on field `period` when `end` is before `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Period> {
        if end < start {
            return Err(Error::invalid("period", "period ends before it starts"));
        }
        Ok(Period { start, end })
    }

    /// The first day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The day after the last day.
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// How many days it spans.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days()
    }

    /// Whether `day` falls in the period.
    pub fn contains_date(&self, day: NaiveDate) -> bool {
        self.start <= day && day < self.end
    }

    /// Whether the day of `at` falls in the period.
    pub fn contains(&self, at: NaiveDateTime) -> bool {
        self.contains_date(at.date())
    }
}
