//! The quiet-hour law where it matters, at the planning and sending level: over random
//! approved creators with random US numbers (every NANP area code the parser accepts:
//! Alaska, Hawaii, Puerto Rico and the other territories, toll-free, area codes spanning
//! several zones), random host-known states and random clocks from 2024 to 2027 (every
//! DST change of those years, and instants right around them), `plan_outreach` plans
//! no SMS at an instant some possible zone forbids, and `OutreachService::send_due`
//! never hands an SMS to the sender at such an instant. Checked against the independent
//! oracle of `outreach_oracle`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    collections::BTreeMap,
    sync::{Arc, LazyLock},
};

use chrono::{DateTime, Duration, TimeZone, Utc};
use creator_crm::{
    crm::{Actor, Crm, Role},
    identity::{E164, Email},
    import::SourceKind,
    merge::SourceFile,
    messaging::{Recorded, RecordingSender},
    outbox::{ConsentAction, OutboxStatus, OutreachConfig, OutreachService, OutreachStore},
    outreach::{
        Campaign, Channel, OutreachTarget, QuietHours, SkipReason, TemplateSet, area_code_info,
        plan_outreach,
    },
    store::MemoryStore,
};
use proptest::{prelude::*, sample::select};

use super::outreach_oracle::{oracle_allows, states_for};

/// The `i`-th test number of an area code (line 01xx), in the first exchange for which
/// the parser accepts it (555 where it can: some territories allow few exchanges).
fn number(npa: u16, i: usize) -> Option<E164> {
    std::iter::once(555).chain(200..=999).find_map(|exchange| {
        format!("+1{npa}{exchange}{:04}", 100 + i % 100)
            .parse()
            .ok()
    })
}

/// Every area code from 200 to 999 with numbers the parser accepts as E.164.
static NPAS: LazyLock<Vec<u16>> = LazyLock::new(|| {
    (200..=999)
        .filter(|&npa| number(npa, 0).is_some())
        .collect()
});

/// [`TRICKY`], each checked to have numbers.
static TRICKY_NPAS: LazyLock<Vec<u16>> = LazyLock::new(|| {
    let npas: Vec<u16> = TRICKY
        .iter()
        .copied()
        .filter(|&npa| number(npa, 0).is_some())
        .collect();
    assert_eq!(
        npas.len(),
        TRICKY.len(),
        "an area code of TRICKY has no valid number"
    );
    npas
});

/// Area codes where the law is easiest to break: Alaska, Hawaii, Puerto Rico, the US
/// Virgin Islands, Guam, American Samoa, the Northern Marianas, toll-free (every NANP
/// zone), codes spanning two zones (ID, OR, FL panhandle, TX El Paso, KS, NE, ND, SD,
/// KY, TN, IN, MI), and the states with their own rules.
const TRICKY: &[u16] = &[
    907, 808, 787, 939, 340, 671, 684, 670, 800, 833, 844, 855, 866, 877, 888, 208, 541, 850, 915,
    620, 785, 308, 701, 605, 270, 423, 812, 906, 305, 407, 405, 410, 206, 512, 203, 205, 504, 601,
    212, 415,
];

/// A host-known state as the host may spell it, with its code; `None` when the host
/// does not know it.
const HOST_STATES: &[Option<(&str, &str)>] = &[
    None,
    None,
    None,
    Some(("TX", "TX")),
    Some(("Texas", "TX")),
    Some(("FL", "FL")),
    Some(("florida", "FL")),
    Some(("OK", "OK")),
    Some(("MD", "MD")),
    Some(("WA", "WA")),
    Some(("CT", "CT")),
    Some(("Connecticut", "CT")),
    Some(("AL", "AL")),
    Some(("LA", "LA")),
    Some(("MS", "MS")),
    Some(("Mississippi", "MS")),
    Some(("NY", "NY")),
    Some(("CA", "CA")),
    Some(("AK", "AK")),
    Some(("HI", "HI")),
    Some(("PR", "PR")),
    Some(("Puerto Rico", "PR")),
    Some(("GU", "GU")),
    Some(("DC", "DC")),
    Some(("ID", "ID")),
];

/// The US DST changes of 2024–2027 (second Sunday of March, first Sunday of November).
const DST_DAYS: &[(i32, u32, u32)] = &[
    (2024, 3, 10),
    (2024, 11, 3),
    (2025, 3, 9),
    (2025, 11, 2),
    (2026, 3, 8),
    (2026, 11, 1),
    (2027, 3, 14),
    (2027, 11, 7),
];

fn npa() -> impl Strategy<Value = u16> {
    prop_oneof![
        1 => select(NPAS.clone()),
        1 => select(TRICKY_NPAS.clone()),
    ]
}

/// An instant from 2024-01-01 to 2027-12-31, half of the time within two days of a DST
/// change.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        (1_704_067_200i64..1_830_297_600i64).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap()),
        (select(DST_DAYS), -2 * 86_400i64..2 * 86_400i64).prop_map(|((y, m, d), off)| {
            Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap() + Duration::seconds(off)
        }),
    ]
}

fn phone_of(npa: u16, i: usize) -> E164 {
    number(npa, i).unwrap()
}

/// The zones and the states whose law applies to a number, the host's state known or not.
fn rule_of(
    phone: &E164,
    host: Option<&'static str>,
) -> (&'static [chrono_tz::Tz], Vec<&'static str>) {
    let npa: u16 = phone.national_number()[..3].parse().unwrap();
    let (npa_state, zones) = area_code_info(npa);
    (zones, states_for(host, npa_state))
}

/// Whether some instant of the 15 days from `now` is allowed: every rule bound is a whole
/// hour of local time and every NANP zone is offset by whole or half hours from UTC, so
/// an allowed stretch holds a half-hour mark of UTC.
fn any_allowed_within_15_days(
    zones: &[chrono_tz::Tz],
    states: &[&str],
    now: DateTime<Utc>,
) -> bool {
    let half_hour = 30 * 60;
    let first = now.timestamp().div_euclid(half_hour) * half_hour + half_hour;
    let mut t = DateTime::from_timestamp(first, 0).unwrap();
    while t < now + Duration::days(15) {
        if oracle_allows(zones, states, t) {
            return true;
        }
        t += Duration::minutes(30);
    }
    oracle_allows(zones, states, now)
}

fn campaign() -> Campaign {
    Campaign {
        workspace: "acme".into(),
        id: "welcome-2026".into(),
        email_template: "welcome".into(),
        sms_template: Some("welcome".into()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Every SMS `plan_outreach` plans has a `not_before` at or after `now` that every
    /// zone of the number allows under the rules of every state that applies; a creator
    /// with a phone and consent is skipped for want of a window only when the oracle
    /// finds no allowed instant in the 15 days searched.
    #[test]
    fn no_sms_is_planned_outside_the_allowed_window(
        creators in prop::collection::vec((npa(), select(HOST_STATES), any::<bool>()), 1..16),
        now in instant(),
    ) {
        let targets: Vec<OutreachTarget> = creators
            .iter()
            .enumerate()
            .map(|(i, (npa, host, consent))| OutreachTarget {
                creator: format!("c{i}"),
                email: Email::parse(&format!("c{i}@mailbox.org")).unwrap(),
                phone: Some(phone_of(*npa, i)),
                sms_consent: *consent,
                email_stopped: false,
                state: host.map(|(spelled, _)| spelled.to_owned()),
            })
            .collect();
        let plan = plan_outreach(&targets, &campaign(), now, &QuietHours::default());
        let by_creator: BTreeMap<&str, (&OutreachTarget, Option<&'static str>)> = targets
            .iter()
            .zip(&creators)
            .map(|(t, (_, host, _))| (t.creator.as_str(), (t, host.map(|(_, code)| code))))
            .collect();
        let mut answered = 0;
        for m in plan.messages.iter().filter(|m| m.channel == Channel::Sms) {
            let (t, host) = by_creator[m.creator.as_str()];
            prop_assert!(t.sms_consent, "{}: planned without consent", m.creator);
            let (zones, states) = rule_of(t.phone.as_ref().unwrap(), host);
            prop_assert!(m.not_before >= now);
            prop_assert!(
                oracle_allows(zones, &states, m.not_before),
                "{} ({:?}, {states:?}) planned at {} from {now}",
                t.phone.as_ref().unwrap().as_str(), host, m.not_before
            );
            answered += 1;
        }
        for k in plan.skipped.iter().filter(|k| k.channel == Channel::Sms) {
            let (t, host) = by_creator[k.creator.as_str()];
            match k.reason {
                SkipReason::NoConsent => prop_assert!(!t.sms_consent),
                SkipReason::NoSendWindow => {
                    let (zones, states) = rule_of(t.phone.as_ref().unwrap(), host);
                    prop_assert!(
                        !any_allowed_within_15_days(zones, &states, now),
                        "{} ({states:?}) skipped at {now}, yet an instant is allowed",
                        t.phone.as_ref().unwrap().as_str()
                    );
                }
                other => prop_assert!(false, "{}: skipped for {other:?}", k.creator),
            }
            answered += 1;
        }
        // Every creator got exactly one SMS answer: planned, or skipped with a reason.
        prop_assert_eq!(answered, targets.len());
    }
}

/// A `Crm` over a `MemoryStore` holding `creators` (approved, SMS consent recorded),
/// and an `OutreachService` sending through a recording sender.
struct World {
    store: Arc<MemoryStore>,
    sender: Arc<RecordingSender>,
    service: OutreachService,
    /// The host-known state's code of each phone number.
    hosts: BTreeMap<String, Option<&'static str>>,
}

impl World {
    fn new(creators: &[(u16, Option<(&'static str, &'static str)>)], now: DateTime<Utc>) -> World {
        let mut csv = String::from("handle,email,phone,recipient,state\n");
        let mut hosts = BTreeMap::new();
        for (i, (npa, host)) in creators.iter().enumerate() {
            let phone = phone_of(*npa, i);
            let spelled = host.map_or("", |(s, _)| s);
            csv += &format!(
                "c{i},c{i}@mailbox.org,{},Cy Dale,{spelled}\n",
                phone.as_str()
            );
            hosts.insert(phone.as_str().to_owned(), host.map(|(_, code)| code));
        }
        let store = Arc::new(MemoryStore::new());
        let owner = Crm::new(store.clone(), "acme", Actor::staff("owner-1", Role::Owner));
        let report = owner
            .import_exports(
                vec![(
                    SourceFile::new(SourceKind::Euka, "euka.csv"),
                    csv.as_bytes(),
                )],
                now,
            )
            .unwrap()
            .report;
        assert_eq!(report.rows_rejected, 0, "{csv}");
        let mut config = OutreachConfig::welcome("welcome-2026", "Acme Beauty");
        config.community_invite_url = "https://discord.gg/acme".into();
        config.postal_address = "Acme Beauty, 100 Main St, Austin, TX 78701".into();
        config.unsubscribe_base_url = "https://crm.example.com/u/".into();
        let sender = Arc::new(RecordingSender::new());
        let crm = Crm::new(store.clone(), "acme", Actor::staff("staff-1", Role::Member));
        let service = OutreachService::new(
            crm,
            store.clone() as Arc<dyn OutreachStore>,
            sender.clone(),
            sender.clone(),
            TemplateSet::with_defaults().unwrap(),
            config,
        );
        let handles: Vec<String> = (0..creators.len()).map(|i| format!("c{i}")).collect();
        let hs: Vec<&str> = handles.iter().map(String::as_str).collect();
        assert_eq!(service.approve(&hs, now).unwrap(), creators.len());
        for h in &hs {
            service
                .record_consent(h, Channel::Sms, ConsentAction::OptIn, now)
                .unwrap();
        }
        World {
            store,
            sender,
            service,
            hosts,
        }
    }

    /// The numbers of the SMS the sender got, from the `from`-th on.
    fn sms_since(&self, from: usize) -> Vec<E164> {
        self.sender.sent()[from..]
            .iter()
            .filter_map(|r| match r {
                Recorded::Sms(m, _) => Some(m.to.clone()),
                Recorded::Email(..) => None,
            })
            .collect()
    }

    /// How many SMS were cancelled for want of a send window, checking that the oracle
    /// finds no allowed instant in the 15 days from each cancellation.
    fn cancelled_for_no_window(
        &self,
        creators: &[(u16, Option<(&'static str, &'static str)>)],
    ) -> std::result::Result<usize, TestCaseError> {
        let mut cancelled = 0;
        for i in 0..creators.len() {
            let handle = format!("c{i}").parse().unwrap();
            for entry in self.store.outbox_of("acme", &handle).unwrap() {
                if entry.channel != Channel::Sms || entry.status != OutboxStatus::Cancelled {
                    continue;
                }
                let last = entry.log.last().unwrap();
                prop_assert_eq!(last.detail.as_str(), "no_send_window");
                let to: E164 = entry.to.parse().unwrap();
                let (zones, states) = rule_of(&to, self.hosts[to.as_str()]);
                prop_assert!(
                    !any_allowed_within_15_days(zones, &states, last.at),
                    "{} ({states:?}) cancelled at {}, yet an instant is allowed",
                    to.as_str(),
                    last.at
                );
                cancelled += 1;
            }
        }
        Ok(cancelled)
    }

    /// Runs `send_due` at `at` and checks that every SMS it handed over is allowed then.
    fn send_at(&self, at: DateTime<Utc>) -> std::result::Result<(), TestCaseError> {
        let before = self.sender.sent().len();
        self.service.send_due(at).unwrap();
        for to in self.sms_since(before) {
            let (zones, states) = rule_of(&to, self.hosts[to.as_str()]);
            prop_assert!(
                oracle_allows(zones, &states, at),
                "{} ({states:?}) handed to the sender at {at}",
                to.as_str()
            );
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// `send_due` at random clock times after planning hands an SMS to the sender only
    /// at an instant every zone allows; and run at each deferred message's time, it
    /// sends every planned SMS in the end, each once, but for those it cancels when no
    /// instant of the next 15 days is allowed.
    #[test]
    fn send_due_never_hands_over_an_sms_at_a_disallowed_instant(
        creators in prop::collection::vec((npa(), select(HOST_STATES)), 1..6),
        start in instant(),
        steps in prop::collection::vec(0i64..26 * 60, 1..8),
    ) {
        let w = World::new(&creators, start);
        let planned = w.service.plan(start).unwrap();
        let sms_planned = planned
            .plan
            .messages
            .iter()
            .filter(|m| m.channel == Channel::Sms)
            .count();
        let no_window = planned
            .plan
            .skipped
            .iter()
            .filter(|k| k.channel == Channel::Sms && k.reason == SkipReason::NoSendWindow)
            .count();
        prop_assert_eq!(sms_planned + no_window, creators.len());

        // Random clock times.
        let mut at = start;
        w.send_at(at)?;
        for minutes in steps {
            at += Duration::minutes(minutes);
            w.send_at(at)?;
        }
        // Then at each queued message's own time, until the outbox is empty.
        for _ in 0..4 * creators.len() {
            let queued = w.store.outbox_with_status("acme", OutboxStatus::Queued, 1).unwrap();
            let Some(next) = queued.first() else { break };
            at = at.max(next.not_before);
            w.send_at(at)?;
        }
        prop_assert!(
            w.store.outbox_with_status("acme", OutboxStatus::Queued, 1).unwrap().is_empty(),
            "messages left queued"
        );
        // A planned SMS whose window closed before `send_due` ran may have no window left
        // (toll-free and unknown area codes span every NANP zone, and a DST change can
        // close their common window for months): it is cancelled, and only then.
        let cancelled = w.cancelled_for_no_window(&creators)?;
        let mut sms = w.sms_since(0);
        prop_assert_eq!(
            sms.len() + cancelled,
            sms_planned,
            "every planned SMS sent in the end, or cancelled for want of a window"
        );
        sms.sort();
        sms.dedup();
        prop_assert_eq!(sms.len() + cancelled, sms_planned, "no SMS sent twice");
    }
}
