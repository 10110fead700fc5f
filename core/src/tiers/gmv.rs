//! Monthly GMV from dated observations.
//!
//! Two kinds of source feed it:
//! - **amounts** dated by when they happened (a video's GMV by its post
//!   date, an order by its date): the month's GMV is their sum
//!   ([`monthly_gmv`]);
//! - **cumulative snapshots** (a running total observed on a date): the
//!   month's GMV is the last total observed in the month minus the last total
//!   observed before it ([`monthly_gmv_from_snapshots`]).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// One dated GMV amount (or cumulative total, for snapshots).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GmvObservation {
    /// The day it belongs to.
    pub date: NaiveDate,
    /// The amount.
    pub gmv: Decimal,
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    /// A month; `month` is `1..=12`.
    ///
    /// ```
    /// use creator_crm::tiers::YearMonth;
    /// assert!(YearMonth::new(2026, 2).is_ok());
    /// assert!(YearMonth::new(2026, 13).is_err());
    /// ```
    pub fn new(year: i32, month: u32) -> Result<YearMonth> {
        if NaiveDate::from_ymd_opt(year, month, 1).is_none() {
            return Err(Error::invalid("month", "not a valid year and month"));
        }
        Ok(YearMonth { year, month })
    }

    /// The month containing `date`.
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, `1..=12`.
    pub fn month(&self) -> u32 {
        self.month
    }

    /// Whether `date` lies in this month.
    pub fn contains(&self, date: NaiveDate) -> bool {
        date.year() == self.year && date.month() == self.month
    }
}

/// The sum of the amounts dated in `month`.
///
/// ```
/// use chrono::NaiveDate;
/// use creator_crm::tiers::{GmvObservation, YearMonth, monthly_gmv};
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let videos = [
///     GmvObservation { date: d(2, 3), gmv: dec!(1200.50) },
///     GmvObservation { date: d(2, 27), gmv: dec!(300) },
///     GmvObservation { date: d(3, 1), gmv: dec!(999) }, // next month
/// ];
/// assert_eq!(monthly_gmv(&videos, YearMonth::new(2026, 2).unwrap()), dec!(1500.50));
/// ```
pub fn monthly_gmv(observations: &[GmvObservation], month: YearMonth) -> Decimal {
    observations
        .iter()
        .filter(|o| month.contains(o.date))
        .fold(Decimal::ZERO, |acc, o| acc.saturating_add(o.gmv))
}

/// GMV of `month` from cumulative-total snapshots: the latest total in the
/// month minus the latest total before it. Same-day snapshots keep the
/// largest total, so the result does not depend on input order.
///
/// Returns `None` when the month has no snapshot, or when there is no
/// snapshot before the month to start from (the month's GMV can't be told
/// from its own totals alone). A total that went down (a reset or
/// correction) yields zero, never a negative GMV.
///
/// ```
/// use chrono::NaiveDate;
/// use creator_crm::tiers::{GmvObservation, YearMonth, monthly_gmv_from_snapshots};
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let totals = [
///     GmvObservation { date: d(1, 31), gmv: dec!(10000) },
///     GmvObservation { date: d(2, 14), gmv: dec!(12000) },
///     GmvObservation { date: d(2, 28), gmv: dec!(16500) },
/// ];
/// let feb = YearMonth::new(2026, 2).unwrap();
/// assert_eq!(monthly_gmv_from_snapshots(&totals, feb), Some(dec!(6500)));
/// ```
pub fn monthly_gmv_from_snapshots(
    snapshots: &[GmvObservation],
    month: YearMonth,
) -> Option<Decimal> {
    let latest = |keep: &dyn Fn(&GmvObservation) -> bool| {
        snapshots
            .iter()
            .filter(|o| keep(o))
            .max_by(|a, b| a.date.cmp(&b.date).then(a.gmv.cmp(&b.gmv)))
            .map(|o| o.gmv)
    };
    let end = latest(&|o| month.contains(o.date))?;
    let start = latest(&|o| YearMonth::of(o.date) < month)?;
    Some(end.saturating_sub(start).max(Decimal::ZERO))
}
