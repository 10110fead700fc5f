//! Best contact time, from the supporter's own activity in their own time zone.
//!
//! Activity of the look-back window (90 days by default) is counted in a
//! day-of-week × hour histogram in the supporter's time zone. The best hour
//! is the one whose three-hour window (the hour before, it, the hour after,
//! wrapping around midnight) holds the most events; ties go to the busier
//! centre hour, then the earlier hour. The best weekday at that hour is
//! named only when it holds at least 30 % of the window's events.
//!
//! `confidence = 100 × (events in the window / all events) × min(1, events / 20)`,
//! rounded: concentrated, plentiful activity is trusted; sparse or spread-out
//! activity is not. **No activity gives no recommendation** — never a
//! made-up default.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::model::Supporter;

/// Events needed for full confidence.
const FULL_CONFIDENCE_EVENTS: u32 = 20;

/// Activity counts by local weekday (Monday = 0) and hour.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityHistogram {
    /// `counts[weekday][hour]`, weekday Monday = 0.
    pub counts: [[u32; 24]; 7],
}

impl ActivityHistogram {
    /// Counts one event at `t`, seen in time zone `tz`.
    pub fn add(&mut self, t: DateTime<Utc>, tz: Tz) {
        let local = t.with_timezone(&tz);
        let day = local.weekday().num_days_from_monday() as usize;
        let hour = local.hour() as usize;
        if let Some(cell) = self.counts.get_mut(day).and_then(|d| d.get_mut(hour)) {
            *cell = cell.saturating_add(1);
        }
    }

    /// The histogram of every dated activity of `s` in the `lookback_days`
    /// before `now` (later events ignored), in the supporter's time zone.
    pub fn from_supporter(s: &Supporter, now: DateTime<Utc>, lookback_days: i64) -> Self {
        let from = now - Duration::days(lookback_days);
        let a = &s.activity;
        let mut h = ActivityHistogram::default();
        let times = a
            .spends
            .iter()
            .map(|e| e.at)
            .chain(a.chat_messages.iter().copied())
            .chain(a.profile_views.iter().copied())
            .chain(a.live_sessions.iter().map(|l| l.at))
            .chain(a.matches.iter().copied())
            .chain(a.likes.iter().copied())
            .chain(a.event_rsvps.iter().map(|r| r.at));
        for t in times.filter(|&t| t > from && t <= now) {
            h.add(t, s.time_zone);
        }
        h
    }

    /// All events counted.
    pub fn total(&self) -> u32 {
        self.counts
            .iter()
            .flatten()
            .fold(0u32, |a, &c| a.saturating_add(c))
    }

    fn hour_total(&self, hour: usize) -> u32 {
        self.counts
            .iter()
            .filter_map(|d| d.get(hour % 24))
            .fold(0u32, |a, &c| a.saturating_add(c))
    }
}

/// When to reach a supporter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactTime {
    /// Local hour (0–23) in `time_zone`.
    pub hour: u8,
    /// The best weekday at that hour, when one stands out.
    pub weekday: Option<Weekday>,
    /// The supporter's time zone.
    pub time_zone: Tz,
    /// How much to trust it, `0..=100`.
    pub confidence: u8,
    /// Events the recommendation rests on (all events counted).
    pub events: u32,
}

/// The best contact time from a histogram, or `None` without activity.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use creator_crm::supporters::{ActivityHistogram, best_contact_time};
/// let tz = chrono_tz::America::New_York;
/// let mut h = ActivityHistogram::default();
/// assert!(best_contact_time(&h, tz).is_none());
/// for day in 1..=20 {
///     // 01:30 UTC is 20:30 in New York in January (EST).
///     h.add(Utc.with_ymd_and_hms(2026, 1, day, 1, 30, 0).unwrap(), tz);
/// }
/// let best = best_contact_time(&h, tz).unwrap();
/// assert_eq!(best.hour, 20);
/// assert_eq!(best.confidence, 100);
/// ```
pub fn best_contact_time(hist: &ActivityHistogram, time_zone: Tz) -> Option<ContactTime> {
    let total = hist.total();
    if total == 0 {
        return None;
    }
    let by_hour: Vec<u32> = (0..24).map(|h| hist.hour_total(h)).collect();
    let at = |h: usize| by_hour.get(h % 24).copied().unwrap_or(0);
    let window = |h: usize| at(h + 23) + at(h) + at(h + 1);
    let best = (0..24usize).max_by(|&a, &b| {
        window(a)
            .cmp(&window(b))
            .then(at(a).cmp(&at(b)))
            .then(b.cmp(&a))
    })?;
    let in_window = window(best);
    let day_count = |d: usize| -> u32 {
        hist.counts.get(d).map_or(0, |row| {
            [best + 23, best, best + 1]
                .iter()
                .filter_map(|h| row.get(h % 24))
                .sum()
        })
    };
    let best_day = (0..7usize).max_by(|&a, &b| day_count(a).cmp(&day_count(b)).then(b.cmp(&a)))?;
    let weekday = (u64::from(day_count(best_day)) * 10 >= u64::from(in_window) * 3)
        .then(|| weekday_from_monday(best_day));
    let volume = u64::from(total.min(FULL_CONFIDENCE_EVENTS));
    // 100 × (in_window / total) × (volume / 20), rounded half up, in integers.
    let num = 100 * u64::from(in_window) * volume;
    let den = u64::from(total) * u64::from(FULL_CONFIDENCE_EVENTS);
    let confidence = u8::try_from(((2 * num + den) / (2 * den)).min(100)).unwrap_or(100);
    Some(ContactTime {
        hour: u8::try_from(best).unwrap_or(0),
        weekday,
        time_zone,
        confidence,
        events: total,
    })
}

fn weekday_from_monday(d: usize) -> Weekday {
    match d {
        0 => Weekday::Mon,
        1 => Weekday::Tue,
        2 => Weekday::Wed,
        3 => Weekday::Thu,
        4 => Weekday::Fri,
        5 => Weekday::Sat,
        _ => Weekday::Sun,
    }
}
