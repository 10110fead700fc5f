//! An independent reading of the default quiet-hour table (DESIGN.md: federal
//! 08:00–21:00; FL, OK, MD, WA until 20:00; TX from 09:00 and Sunday from 12:00; CT
//! 09:00–20:00; AL, LA, MS no Sundays), shared by the quiet-hour laws of
//! `outreach_quiet_hours` and `outreach_window_laws`. It is written from the rules, not
//! from the library's tables, so a law checked against it catches a wrong table too.

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};
use chrono_tz::Tz;

/// Whether an SMS may reach a recipient at `t` whose number may be in any of `zones`,
/// under the laws of `states`: every zone must allow it.
pub fn oracle_allows(zones: &[Tz], states: &[&str], t: DateTime<Utc>) -> bool {
    zones.iter().all(|z| {
        let l = t.with_timezone(z);
        let m = l.hour() * 60 + l.minute();
        let sunday = l.weekday() == Weekday::Sun;
        let mut ok = (8 * 60..21 * 60).contains(&m);
        for s in states {
            ok &= match *s {
                "FL" | "OK" | "MD" | "WA" => (8 * 60..20 * 60).contains(&m),
                "TX" if sunday => (12 * 60..21 * 60).contains(&m),
                "TX" => (9 * 60..21 * 60).contains(&m),
                "CT" => (9 * 60..20 * 60).contains(&m),
                "AL" | "LA" | "MS" => !sunday,
                _ => true,
            };
        }
        ok
    })
}

/// The states whose law applies (DESIGN.md): the host's when it knows it, else the
/// number's; and the number's too when that is FL or OK, which presume an in-state
/// area code is a resident.
pub fn states_for<'a>(host: Option<&'a str>, npa_state: Option<&'a str>) -> Vec<&'a str> {
    let mut states: Vec<&str> = host.or(npa_state).into_iter().collect();
    if let Some(s @ ("FL" | "OK")) = npa_state {
        states.push(s);
    }
    states
}
