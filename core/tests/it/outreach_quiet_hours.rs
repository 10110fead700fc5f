//! Quiet hours by state and zone: table cases, DST, overrides, and the laws
//! that no returned instant is disallowed in any zone and none earlier is allowed.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use creator_crm::{
    ErrorKind,
    identity::E164,
    outreach::{
        QuietHours, StateRule, WeekRule, Window, area_code_info, next_under_daily_cap,
        sms_send_window,
    },
};
use proptest::prelude::*;

use super::outreach_oracle::{oracle_allows, states_for};

fn phone(npa: u16) -> E164 {
    format!("+1{npa}5550123").parse().unwrap()
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn local(tz: Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    tz.with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn window(npa: u16, now: DateTime<Utc>, state: Option<&str>) -> DateTime<Utc> {
    sms_send_window(&phone(npa), now, state, &QuietHours::default()).unwrap()
}

use chrono_tz::America::{Chicago, Los_Angeles, New_York};

#[test]
fn area_codes_come_from_libphonenumber() {
    assert_eq!(area_code_info(212), (Some("NY"), &[New_York][..]));
    assert_eq!(area_code_info(305), (Some("FL"), &[New_York][..]));
    assert_eq!(area_code_info(405), (Some("OK"), &[Chicago][..]));
    let (state, zones) = area_code_info(208);
    assert_eq!(state, Some("ID"));
    assert!(zones.contains(&chrono_tz::America::Boise) && zones.contains(&Los_Angeles));
    // Toll-free: no state, every NANP zone.
    let (state, zones) = area_code_info(800);
    assert_eq!(state, None);
    assert!(zones.len() > 30 && zones.contains(&chrono_tz::Pacific::Honolulu));
    // Connecticut's 09:00–20:00 never holds in every NANP zone at once: a
    // toll-free number sent under it gets an error saying so, not a time.
    let err = sms_send_window(
        &phone(800),
        utc(2026, 6, 3, 20, 0),
        Some("CT"),
        &QuietHours::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Consent);
    assert_eq!(err.reason(), "no allowed send time within 15 days");
}

#[test]
fn federal_window_in_the_recipient_zone() {
    // New York, a Wednesday in June (EDT).
    let inside = local(New_York, 2026, 6, 3, 14, 0);
    assert_eq!(window(212, inside, None), inside);
    assert_eq!(
        window(212, local(New_York, 2026, 6, 3, 7, 59), None),
        local(New_York, 2026, 6, 3, 8, 0)
    );
    // 21:00 itself is outside; the next window opens at 08:00.
    assert_eq!(
        window(212, local(New_York, 2026, 6, 3, 21, 0), None),
        local(New_York, 2026, 6, 4, 8, 0)
    );
    assert_eq!(
        window(212, local(New_York, 2026, 6, 3, 20, 59), None),
        local(New_York, 2026, 6, 3, 20, 59)
    );
    // California, the same UTC instant as 07:00 New York is 04:00 there.
    assert_eq!(
        window(415, local(New_York, 2026, 6, 3, 7, 0), None),
        local(Los_Angeles, 2026, 6, 3, 8, 0)
    );
}

#[test]
fn state_rules() {
    // Florida and Washington stop at 20:00.
    assert_eq!(
        window(305, local(New_York, 2026, 6, 3, 20, 30), None),
        local(New_York, 2026, 6, 4, 8, 0)
    );
    assert_eq!(
        window(206, local(Los_Angeles, 2026, 6, 3, 20, 0), None),
        local(Los_Angeles, 2026, 6, 4, 8, 0)
    );
    // Texas: 09:00 on weekdays, 12:00 on Sunday (2026-06-07).
    assert_eq!(
        window(512, local(Chicago, 2026, 6, 3, 8, 30), None),
        local(Chicago, 2026, 6, 3, 9, 0)
    );
    assert_eq!(
        window(512, local(Chicago, 2026, 6, 7, 10, 0), None),
        local(Chicago, 2026, 6, 7, 12, 0)
    );
    // Connecticut: 09:00 to 20:00.
    assert_eq!(
        window(203, local(New_York, 2026, 6, 3, 8, 30), None),
        local(New_York, 2026, 6, 3, 9, 0)
    );
    assert_eq!(
        window(203, local(New_York, 2026, 6, 3, 20, 0), None),
        local(New_York, 2026, 6, 4, 9, 0)
    );
    // Alabama: no Sunday, so Saturday 21:00 waits for Monday 08:00.
    assert_eq!(
        window(205, local(Chicago, 2026, 6, 6, 21, 0), None),
        local(Chicago, 2026, 6, 8, 8, 0)
    );
    assert_eq!(
        window(205, local(Chicago, 2026, 6, 7, 12, 0), None),
        local(Chicago, 2026, 6, 8, 8, 0)
    );
}

#[test]
fn host_state_wins_but_florida_and_oklahoma_presume_residents() {
    // A New York number whose owner lives in Texas: Texas hours, in the number's zone.
    assert_eq!(
        window(212, local(New_York, 2026, 6, 3, 8, 30), Some("TX")),
        local(New_York, 2026, 6, 3, 9, 0)
    );
    assert_eq!(
        window(212, local(New_York, 2026, 6, 3, 8, 30), Some("Texas")),
        local(New_York, 2026, 6, 3, 9, 0)
    );
    // A Florida number whose owner lives in New York: Florida still applies.
    assert_eq!(
        window(305, local(New_York, 2026, 6, 3, 20, 30), Some("NY")),
        local(New_York, 2026, 6, 4, 8, 0)
    );
    // A Connecticut number whose owner lives in New York: federal hours only.
    let t = local(New_York, 2026, 6, 3, 8, 30);
    assert_eq!(window(203, t, Some("NY")), t);
    let rules = QuietHours::default();
    let eff = rules.effective(&phone(305), Some("TX")).unwrap();
    assert_eq!(eff.states, vec!["FL", "TX"]);
    assert_eq!(eff.daily_cap, Some(3));
    // Both laws at once: Texas Sunday from 12:00, Florida until 20:00.
    assert_eq!(
        eff.week.days[6],
        Some(Window {
            start: 12 * 60,
            end: 20 * 60
        })
    );
    let err = rules.effective(&phone(212), Some("Narnia")).unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("state"))
    );
}

#[test]
fn split_area_codes_need_every_zone() {
    // 208 spans Mountain and Pacific time: 08:00 Mountain is 07:00 Pacific.
    let t = local(chrono_tz::America::Boise, 2026, 6, 3, 8, 0);
    assert_eq!(window(208, t, None), local(Los_Angeles, 2026, 6, 3, 8, 0));
    // And 20:30 Mountain (19:30 Pacific) is past 21:00 nowhere, so allowed.
    let t = local(chrono_tz::America::Boise, 2026, 6, 3, 20, 30);
    assert_eq!(window(208, t, None), t);
    let t = local(chrono_tz::America::Boise, 2026, 6, 3, 21, 0);
    assert_eq!(window(208, t, None), local(Los_Angeles, 2026, 6, 4, 8, 0));
}

#[test]
fn dst_changes() {
    // 2026-03-08: clocks go from 02:00 EST to 03:00 EDT. 07:00 EDT = 11:00 UTC.
    assert_eq!(
        window(212, utc(2026, 3, 8, 11, 0), None),
        utc(2026, 3, 8, 12, 0)
    );
    // The day before, 08:00 EST is 13:00 UTC.
    assert_eq!(
        window(212, utc(2026, 3, 7, 12, 0), None),
        utc(2026, 3, 7, 13, 0)
    );
    // 2026-11-01: back to EST; 08:00 EST = 13:00 UTC.
    assert_eq!(
        window(212, utc(2026, 11, 1, 12, 30), None),
        utc(2026, 11, 1, 13, 0)
    );
    // A window that opens inside the DST gap opens when the gap ends.
    let rules = QuietHours {
        federal: WeekRule::every_day(Window {
            start: 2 * 60 + 30,
            end: 21 * 60,
        }),
        ..QuietHours::default()
    };
    let got = sms_send_window(&phone(212), utc(2026, 3, 8, 5, 0), None, &rules).unwrap();
    assert_eq!(got, local(New_York, 2026, 3, 8, 3, 0));
}

#[test]
fn the_table_is_overridable() {
    let mut rules = QuietHours::default();
    rules.states.insert(
        "NY".into(),
        StateRule {
            week: WeekRule::every_day(Window::hours(10, 18)),
            daily_cap: Some(1),
        },
    );
    let got =
        sms_send_window(&phone(212), local(New_York, 2026, 6, 3, 9, 0), None, &rules).unwrap();
    assert_eq!(got, local(New_York, 2026, 6, 3, 10, 0));
    rules.states.remove("FL");
    let t = local(New_York, 2026, 6, 3, 20, 30);
    assert_eq!(sms_send_window(&phone(305), t, None, &rules).unwrap(), t);
    // A table that forbids every day is an error, not a hang.
    rules.federal = WeekRule { days: [None; 7] };
    let err = sms_send_window(&phone(212), t, None, &rules).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Consent);
    let err = sms_send_window(
        &"+442079460000".parse().unwrap(),
        t,
        None,
        &QuietHours::default(),
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("phone"));
}

#[test]
fn daily_caps() {
    let now = utc(2026, 6, 3, 15, 0);
    let h = |n: i64| now - Duration::hours(n);
    assert_eq!(next_under_daily_cap(&[], now, 3), now);
    assert_eq!(next_under_daily_cap(&[h(1), h(2)], now, 3), now);
    assert_eq!(next_under_daily_cap(&[h(1), h(2), h(30)], now, 3), now);
    // Three in the last 24 h: room when the oldest (20 h ago) ages out, in 4 h.
    assert_eq!(
        next_under_daily_cap(&[h(1), h(20), h(5)], now, 3),
        now + Duration::hours(4)
    );
    // Five in the last day with a cap of 3: the third-oldest must age out.
    let sent = [h(23), h(22), h(21), h(2), h(1)];
    assert_eq!(
        next_under_daily_cap(&sent, now, 3),
        now + Duration::hours(3)
    );
}

const NPAS: &[u16] = &[
    212, 305, 407, 405, 410, 206, 512, 915, 203, 205, 504, 601, 208, 541, 907, 808, 602, 787, 671,
    800, 415, 312, 303,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// No instant returned is outside any zone's window, and every minute
    /// between `now` and it is disallowed: the returned instant is the earliest.
    #[test]
    fn returned_instant_is_allowed_and_earliest(
        npa in proptest::sample::select(NPAS),
        // 2024-01-01 to 2027-12-31, over every DST change of those years.
        secs in 1_704_067_200i64..1_830_297_600i64,
        host in proptest::sample::select(&[None, Some("FL"), Some("TX"), Some("CA"), Some("AL"), Some("CT")][..]),
    ) {
        let now = DateTime::from_timestamp(secs, 0).unwrap();
        let (npa_state, zones) = area_code_info(npa);
        let states = states_for(host, npa_state);
        let Ok(got) = sms_send_window(&phone(npa), now, host, &QuietHours::default()) else {
            // An error only when no minute of the horizon is allowed in every zone
            // (a toll-free number under a state's narrower window).
            let mut t = now;
            while t < now + Duration::days(15) {
                prop_assert!(!oracle_allows(zones, &states, t), "{npa} {now}: {t} allowed, yet an error");
                t += Duration::minutes(1);
            }
            return Ok(());
        };
        prop_assert!(got >= now);
        prop_assert!(oracle_allows(zones, &states, got), "{npa} {now} -> {got}");
        let mut t = now;
        while t < got {
            prop_assert!(!oracle_allows(zones, &states, t), "{npa} {now}: {t} allowed before {got}");
            t += Duration::minutes(1);
        }
    }
}
