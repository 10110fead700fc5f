//! Quiet hours: when an SMS may reach a number, by the recipient's state and zones.
//!
//! The rules are data ([`QuietHours`]), overridable by the host. The default
//! table holds the federal window (08:00–21:00 recipient-local) and the stricter
//! state laws: FL, OK, MD and WA 08:00–20:00 (FL, OK and MD also at most 3
//! messages per 24 hours); TX 09:00–21:00 Monday to Saturday and 12:00–21:00
//! on Sunday; CT 09:00–20:00; AL, LA and MS no Sundays.
//!
//! Which rules apply: the federal one always; the host's state for the
//! recipient when it knows it, else the state of the number's area code; and
//! the area code's state as well when that state presumes an in-state area
//! code is a resident (FL and OK). Where several apply, each day's window is
//! their intersection (the strictest).
//!
//! Which zones: those libphonenumber gives for the number's area code
//! (`area_codes.rs`, generated); a split area code has several, and a send is
//! allowed only when it is allowed in every one. An area code with no zone
//! data (toll-free, unassigned) gets every NANP zone.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use super::area_codes::{ALL_NANP_ZONES, AREA_CODES};
use crate::{Error, ErrorKind, Result, identity::E164};

/// A daily sending window in local time: minutes since midnight, `start`
/// included, `end` excluded (`end` may be 1440, midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// First allowed minute of the day.
    pub start: u16,
    /// First minute no longer allowed.
    pub end: u16,
}

impl Window {
    /// `start_hour:00` to `end_hour:00`.
    pub const fn hours(start_hour: u16, end_hour: u16) -> Self {
        Window {
            start: start_hour * 60,
            end: end_hour * 60,
        }
    }

    /// The part of the day both windows allow, if any.
    pub fn intersect(self, other: Window) -> Option<Window> {
        let w = Window {
            start: self.start.max(other.start),
            end: self.end.min(other.end),
        };
        (w.start < w.end).then_some(w)
    }

    fn contains(self, minute: u32) -> bool {
        u32::from(self.start) <= minute && minute < u32::from(self.end)
    }
}

/// A window for each day of the week, Monday first; `None` forbids the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WeekRule {
    /// Monday to Sunday.
    pub days: [Option<Window>; 7],
}

impl WeekRule {
    /// The same window every day.
    pub const fn every_day(window: Window) -> Self {
        WeekRule {
            days: [Some(window); 7],
        }
    }

    /// This rule with Sunday set to `window` (`None`: no Sunday sends).
    #[must_use]
    pub const fn with_sunday(mut self, window: Option<Window>) -> Self {
        self.days[6] = window;
        self
    }

    /// Each day's window allowed by both rules.
    #[must_use]
    pub fn intersect(&self, other: &WeekRule) -> WeekRule {
        let mut days = [None; 7];
        for (i, day) in days.iter_mut().enumerate() {
            *day = match (self.days[i], other.days[i]) {
                (Some(a), Some(b)) => a.intersect(b),
                _ => None,
            };
        }
        WeekRule { days }
    }

    fn allows(&self, local: &NaiveDateTime) -> bool {
        let day = local.weekday().num_days_from_monday() as usize;
        self.days[day].is_some_and(|w| w.contains(local.hour() * 60 + local.minute()))
    }
}

/// A state's law: its sending windows and its cap on messages per 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StateRule {
    /// Allowed local hours by weekday.
    pub week: WeekRule,
    /// At most this many messages to one recipient in any 24 hours.
    pub daily_cap: Option<u32>,
}

/// The quiet-hour rules: federal, per state, and which states presume an
/// in-state area code is a resident. [`Default`] is the table in the
/// [module docs](self); a host may change any entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuietHours {
    /// Applies to every recipient.
    pub federal: WeekRule,
    /// Keyed by two-letter state code (upper case).
    pub states: BTreeMap<String, StateRule>,
    /// States whose law applies to any number with one of their area codes.
    pub presume_resident_by_area_code: Vec<String>,
}

impl Default for QuietHours {
    fn default() -> Self {
        let eight_to_eight = StateRule {
            week: WeekRule::every_day(Window::hours(8, 20)),
            daily_cap: None,
        };
        let capped = StateRule {
            daily_cap: Some(3),
            ..eight_to_eight
        };
        let no_sunday = StateRule {
            week: WeekRule::every_day(Window::hours(8, 21)).with_sunday(None),
            daily_cap: None,
        };
        let states = [
            ("FL", capped),
            ("OK", capped),
            ("MD", capped),
            ("WA", eight_to_eight),
            (
                "TX",
                StateRule {
                    week: WeekRule::every_day(Window::hours(9, 21))
                        .with_sunday(Some(Window::hours(12, 21))),
                    daily_cap: None,
                },
            ),
            (
                "CT",
                StateRule {
                    week: WeekRule::every_day(Window::hours(9, 20)),
                    daily_cap: None,
                },
            ),
            ("AL", no_sunday),
            ("LA", no_sunday),
            ("MS", no_sunday),
        ];
        QuietHours {
            federal: WeekRule::every_day(Window::hours(8, 21)),
            states: states
                .into_iter()
                .map(|(code, rule)| (code.to_owned(), rule))
                .collect(),
            presume_resident_by_area_code: vec!["FL".to_owned(), "OK".to_owned()],
        }
    }
}

/// The rule that applies to one recipient, with the zones it is checked in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveRule {
    /// The intersection of every applicable rule's windows.
    pub week: WeekRule,
    /// The smallest applicable cap per 24 hours.
    pub daily_cap: Option<u32>,
    /// The states whose law applied (sorted, without duplicates).
    pub states: Vec<String>,
    /// The recipient's possible zones; a send must be allowed in each.
    pub zones: Vec<Tz>,
}

/// How far ahead [`sms_send_window`] looks before it gives up.
const HORIZON_DAYS: i64 = 15;

/// The area code of a +1 number.
fn area_code(phone: &E164) -> Result<u16> {
    if phone.country_code() != 1 {
        return Err(Error::invalid(
            "phone",
            "quiet hours are known for +1 numbers only",
        ));
    }
    phone
        .national_number()
        .get(..3)
        .and_then(|npa| npa.parse().ok())
        .ok_or_else(|| Error::invalid("phone", "no area code"))
}

/// The state (or province) and zones libphonenumber gives for an area code;
/// an unknown area code has no state and every NANP zone.
pub fn area_code_info(npa: u16) -> (Option<&'static str>, &'static [Tz]) {
    match AREA_CODES.binary_search_by_key(&npa, |row| row.0) {
        Ok(i) => {
            let (_, region, zones) = AREA_CODES[i];
            ((!region.is_empty()).then_some(region), zones)
        }
        Err(_) => (None, ALL_NANP_ZONES),
    }
}

impl QuietHours {
    /// The rule for `phone`, given the recipient's state when the host knows it
    /// (a two-letter code or a state name).
    pub fn effective(&self, phone: &E164, state: Option<&str>) -> Result<EffectiveRule> {
        let (npa_state, zones) = area_code_info(area_code(phone)?);
        let host_state = match state {
            Some(s) => Some(
                crate::identity::us_state_code(s)
                    .ok_or_else(|| Error::invalid("state", "unknown us state"))?,
            ),
            None => None,
        };
        let mut states: Vec<String> = Vec::new();
        if let Some(s) = host_state.or(npa_state) {
            states.push(s.to_owned());
        }
        if let Some(s) = npa_state
            && self.presume_resident_by_area_code.iter().any(|p| p == s)
        {
            states.push(s.to_owned());
        }
        states.sort();
        states.dedup();
        let mut week = self.federal;
        let mut daily_cap: Option<u32> = None;
        for s in &states {
            if let Some(rule) = self.states.get(s) {
                week = week.intersect(&rule.week);
                daily_cap = match (daily_cap, rule.daily_cap) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
        }
        Ok(EffectiveRule {
            week,
            daily_cap,
            states,
            zones: zones.to_vec(),
        })
    }
}

impl EffectiveRule {
    /// Whether a message may be sent at `t`: allowed in every zone.
    pub fn allows(&self, t: DateTime<Utc>) -> bool {
        self.zones
            .iter()
            .all(|z| self.week.allows(&t.with_timezone(z).naive_local()))
    }

    /// The earliest instant at or after `now` that [`allows`](Self::allows),
    /// looking up to 15 days ahead.
    pub fn next_allowed(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
        if self.allows(now) {
            return Ok(now);
        }
        // The allowed set is an intersection of windows, so it starts being
        // allowed only where some zone's window starts: try those in order.
        let mut starts: Vec<DateTime<Utc>> = Vec::new();
        for zone in &self.zones {
            let today = now.with_timezone(zone).date_naive();
            for offset in -1..=HORIZON_DAYS {
                let Some(date) = today.checked_add_signed(Duration::days(offset)) else {
                    continue;
                };
                let day = date.weekday().num_days_from_monday() as usize;
                if let Some(w) = self.week.days[day]
                    && let Some(t) = local_instant(zone, date, w.start)
                    && t > now
                {
                    starts.push(t);
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        starts
            .into_iter()
            .find(|&t| self.allows(t))
            .ok_or_else(|| Error::new(ErrorKind::Consent, "no allowed send time within 15 days"))
    }
}

/// The first instant at or after local `date` + `minute` in `zone`: the time
/// itself, the earlier of an ambiguous one, or the end of a DST gap.
fn local_instant(zone: &Tz, date: NaiveDate, minute: u16) -> Option<DateTime<Utc>> {
    let base = date.and_hms_opt(0, 0, 0)? + Duration::minutes(i64::from(minute));
    // A DST gap lasts at most a few hours; the first existing minute ends it.
    (0..=240).find_map(|step| {
        zone.from_local_datetime(&(base + Duration::minutes(step)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    })
}

/// The earliest instant at or after `now` when an SMS may reach `phone` under
/// `rules`: `now` itself when allowed. `state` is the recipient's state when
/// the host knows it. An error when no time within 15 days is allowed (a table
/// that forbids every day) or the number is not a +1 number.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use creator_crm::{identity::E164, outreach::{QuietHours, sms_send_window}};
///
/// let miami: E164 = "+13055550123".parse().unwrap();
/// // 20:30 in Miami (EDT, UTC-4): past Florida's 20:00, so 08:00 next morning.
/// let now = Utc.with_ymd_and_hms(2026, 6, 3, 0, 30, 0).unwrap();
/// let next = sms_send_window(&miami, now, None, &QuietHours::default()).unwrap();
/// assert_eq!(next, Utc.with_ymd_and_hms(2026, 6, 3, 12, 0, 0).unwrap());
/// ```
pub fn sms_send_window(
    phone: &E164,
    now: DateTime<Utc>,
    state: Option<&str>,
    rules: &QuietHours,
) -> Result<DateTime<Utc>> {
    rules.effective(phone, state)?.next_allowed(now)
}

/// The earliest instant at or after `now` when one more message keeps the
/// recipient within `cap` messages in any 24 hours, given the times of the
/// messages already sent (any order). `now` when there is room; a cap of 0
/// counts as 1.
pub fn next_under_daily_cap(sent: &[DateTime<Utc>], now: DateTime<Utc>, cap: u32) -> DateTime<Utc> {
    let cap = cap.max(1);
    let day = Duration::hours(24);
    let mut recent: Vec<DateTime<Utc>> = sent.iter().copied().filter(|&t| t > now - day).collect();
    if (recent.len() as u64) < u64::from(cap) {
        return now;
    }
    recent.sort_unstable();
    // Room opens when enough of the recent ones have aged out: the message that
    // must leave the window is the (len - cap + 1)-th oldest.
    let must_expire = recent.len() - cap as usize;
    recent.get(must_expire).map_or(now, |&t| (t + day).max(now))
}
