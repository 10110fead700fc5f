//! Per-customer summaries (frequency, recency, age) from event dates.

use chrono::NaiveDate;

/// One customer's summary for the retention models, in days.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RfmSummary {
    /// Repeat events: distinct event days after the first.
    pub frequency: u32,
    /// Days from the first to the last event day.
    pub recency: f64,
    /// Days from the first event day to `until`.
    pub age: f64,
}

impl RfmSummary {
    /// The summary of events on `days` (any order, repeats count once per day) observed
    /// until `until`; `None` when there is no event on or before `until`. Later events are
    /// ignored.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use creator_crm::analytics::retention::RfmSummary;
    /// let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
    /// let s = RfmSummary::from_event_days([d(1), d(4), d(4), d(9)], d(31)).unwrap();
    /// assert_eq!((s.frequency, s.recency, s.age), (2, 8.0, 30.0));
    /// ```
    pub fn from_event_days(
        days: impl IntoIterator<Item = NaiveDate>,
        until: NaiveDate,
    ) -> Option<RfmSummary> {
        let mut days: Vec<NaiveDate> = days.into_iter().filter(|d| *d <= until).collect();
        days.sort_unstable();
        days.dedup();
        let (first, last) = (*days.first()?, *days.last()?);
        Some(RfmSummary {
            frequency: u32::try_from(days.len() - 1).unwrap_or(u32::MAX),
            recency: (last - first).num_days() as f64,
            age: (until - first).num_days() as f64,
        })
    }
}

/// Each creator's posting summary from the merged videos' post days, observed until
/// `until`, by handle: the data for a BG/NBD of creators' posting (in days). Creators
/// without a dated video on or before `until` are left out.
pub fn posting_summaries(
    result: &crate::merge::MergeResult,
    until: NaiveDate,
) -> Vec<(crate::identity::Handle, RfmSummary)> {
    let mut days: ahash::AHashMap<&crate::identity::Handle, Vec<NaiveDate>> =
        ahash::AHashMap::new();
    for v in &result.videos {
        if let Some(at) = v.posted_at {
            days.entry(&v.handle).or_default().push(at.date());
        }
    }
    let mut rows: Vec<_> = days
        .into_iter()
        .filter_map(|(h, d)| RfmSummary::from_event_days(d, until).map(|s| (h.clone(), s)))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}

/// One point of a [`retention_curve`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RetentionPoint {
    /// Days since each customer's first event.
    pub day: u32,
    /// Customers observed for at least `day` days (`age ≥ day`): the base of `share`.
    pub observed: u64,
    /// Of them, those with an event `day` days or more after their first (`recency ≥ day`).
    pub retained: u64,
    /// `retained / observed`; `None` when no customer was observed that long.
    pub share: Option<f64>,
}

/// The observed retention curve: for each of `days`, the share of customers still active
/// that many days after their first event, among those observed at least that long (so a
/// customer who started late never counts as lost). Day 0 retains everyone observed.
///
/// ```
/// use creator_crm::analytics::retention::{RfmSummary, retention_curve};
/// let s = |frequency, recency, age| RfmSummary { frequency, recency, age };
/// let curve = retention_curve(&[s(2, 20.0, 40.0), s(0, 0.0, 40.0), s(1, 5.0, 8.0)], &[0, 7, 30]);
/// let shares: Vec<_> = curve.iter().map(|p| (p.observed, p.retained)).collect();
/// assert_eq!(shares, [(3, 3), (3, 1), (2, 0)]);
/// ```
pub fn retention_curve(summaries: &[RfmSummary], days: &[u32]) -> Vec<RetentionPoint> {
    days.iter()
        .map(|&day| {
            let d = f64::from(day);
            let (observed, retained) = summaries
                .iter()
                .filter(|s| s.age >= d)
                .fold((0u64, 0u64), |(o, r), s| {
                    (o + 1, r + u64::from(s.recency >= d))
                });
            RetentionPoint {
                day,
                observed,
                retained,
                share: crate::analytics::ratio(retained, observed),
            }
        })
        .collect()
}
