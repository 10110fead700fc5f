//! Mobile bindings of `creator_crm::outreach::quiet_hours`: the quiet-hour rules as data
//! the host may change (federal, per state, area-code residency), and the rule that
//! applies to one recipient.

use std::collections::HashMap;

use creator_crm::{Error, identity::E164, outreach as core};

use crate::errors::CrmError;

/// A daily sending window in local time, in minutes since midnight: `start` included,
/// `end` excluded (`end` may be 1440, midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct DailyWindow {
    /// First allowed minute of the day.
    pub start: u16,
    /// First minute no longer allowed.
    pub end: u16,
}

/// A window for each day of the week.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WeekRule {
    /// Seven entries, Monday to Sunday; `None` forbids the day.
    pub days: Vec<Option<DailyWindow>>,
}

impl From<core::WeekRule> for WeekRule {
    fn from(w: core::WeekRule) -> Self {
        WeekRule {
            days: w
                .days
                .iter()
                .map(|d| {
                    d.map(|w| DailyWindow {
                        start: w.start,
                        end: w.end,
                    })
                })
                .collect(),
        }
    }
}

impl TryFrom<&WeekRule> for core::WeekRule {
    type Error = CrmError;

    fn try_from(w: &WeekRule) -> Result<Self, CrmError> {
        let days: [Option<DailyWindow>; 7] = w
            .days
            .clone()
            .try_into()
            .map_err(|_| Error::invalid("days", "a week rule has 7 days"))?;
        let mut out = [None; 7];
        for (slot, day) in out.iter_mut().zip(days) {
            *slot = day.map(|d| core::Window {
                start: d.start,
                end: d.end,
            });
        }
        Ok(core::WeekRule { days: out })
    }
}

/// A state's law: its sending windows and its cap on messages per 24 hours.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StateRule {
    /// Allowed local hours by weekday.
    pub week: WeekRule,
    /// At most this many messages to one recipient in any 24 hours.
    pub daily_cap: Option<u32>,
}

/// The quiet-hour rules: federal, per state, and which states presume an in-state area
/// code is a resident. `defaultQuietHours()` is the documented table; a host may change
/// any entry.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuietHours {
    /// Applies to every recipient.
    pub federal: WeekRule,
    /// Keyed by two-letter state code (upper case).
    pub states: HashMap<String, StateRule>,
    /// States whose law applies to any number with one of their area codes.
    pub presume_resident_by_area_code: Vec<String>,
}

impl From<core::QuietHours> for QuietHours {
    fn from(q: core::QuietHours) -> Self {
        QuietHours {
            federal: q.federal.into(),
            states: q
                .states
                .into_iter()
                .map(|(k, r)| {
                    (
                        k,
                        StateRule {
                            week: r.week.into(),
                            daily_cap: r.daily_cap,
                        },
                    )
                })
                .collect(),
            presume_resident_by_area_code: q.presume_resident_by_area_code,
        }
    }
}

impl TryFrom<&QuietHours> for core::QuietHours {
    type Error = CrmError;

    fn try_from(q: &QuietHours) -> Result<Self, CrmError> {
        Ok(core::QuietHours {
            federal: (&q.federal).try_into()?,
            states: q
                .states
                .iter()
                .map(|(k, r)| {
                    Ok((
                        k.clone(),
                        core::StateRule {
                            week: (&r.week).try_into()?,
                            daily_cap: r.daily_cap,
                        },
                    ))
                })
                .collect::<Result<_, CrmError>>()?,
            presume_resident_by_area_code: q.presume_resident_by_area_code.clone(),
        })
    }
}

/// The rules given, or the default table.
pub(crate) fn rules(rules: Option<&QuietHours>) -> Result<core::QuietHours, CrmError> {
    rules.map_or_else(
        || Ok(core::QuietHours::default()),
        core::QuietHours::try_from,
    )
}

/// The documented default rules: federal 08:00–21:00; FL, OK, MD, WA 08:00–20:00 (FL, OK,
/// MD at most 3 messages per 24 hours); TX 09:00–21:00 Monday to Saturday and 12:00–21:00
/// on Sunday; CT 09:00–20:00; AL, LA, MS no Sundays; FL and OK presume residents by area
/// code.
#[uniffi::export]
pub fn default_quiet_hours() -> QuietHours {
    core::QuietHours::default().into()
}

/// The rule that applies to one recipient, with the zones it is checked in.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EffectiveRule {
    /// The intersection of every applicable rule's windows.
    pub week: WeekRule,
    /// The smallest applicable cap per 24 hours.
    pub daily_cap: Option<u32>,
    /// The states whose law applied (sorted, without duplicates).
    pub states: Vec<String>,
    /// The recipient's possible IANA time zones; a send must be allowed in each.
    pub zones: Vec<String>,
}

/// The rule for an SMS to `phone` (E.164) under `rules` (the default table when `None`),
/// given the recipient's state when the host knows it.
///
/// # Errors
/// `InvalidInput` on field `phone` for a number not in E.164 form or not a +1 number, on
/// `state` for an unknown state, on `days` for a week rule without 7 days.
#[uniffi::export(default(state = None, rules = None))]
pub fn effective_sms_rule(
    phone: String,
    state: Option<String>,
    rules: Option<QuietHours>,
) -> Result<EffectiveRule, CrmError> {
    let phone: E164 = phone.parse()?;
    let r = self::rules(rules.as_ref())?.effective(&phone, state.as_deref())?;
    Ok(EffectiveRule {
        week: r.week.into(),
        daily_cap: r.daily_cap,
        states: r.states,
        zones: r.zones.iter().map(|z| z.name().to_owned()).collect(),
    })
}
