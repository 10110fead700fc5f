//! Snapshots of a scored sample population: scores, tabs, alerts, insights.
#![allow(clippy::unwrap_used, missing_docs)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use creator_crm::supporters::*;
use serde::Serialize;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 18, 0, 0).unwrap()
}

/// Twenty supporters covering every segment, tab and alert, from events.
fn sample() -> Vec<Supporter> {
    let tzs = [
        chrono_tz::America::New_York,
        chrono_tz::Europe::Berlin,
        chrono_tz::Asia::Tokyo,
        chrono_tz::America::Los_Angeles,
    ];
    (0..20u32)
        .map(|i| {
            let n = i64::from(i);
            let h = |hours: i64| now() - Duration::hours(hours);
            let mut a = SupporterActivity::default();
            // Spending grows with i; every third supporter spends big once.
            for k in 0..(n % 6) {
                a.spends.push(SpendEvent {
                    at: h(k * 40 + n * 30),
                    tokens: 20 + 15 * (n as u64),
                    feature: [
                        SpendFeature::Chat,
                        SpendFeature::LiveGift,
                        SpendFeature::Ppv,
                    ][k as usize % 3],
                });
            }
            if i % 3 == 0 {
                a.spends.push(SpendEvent {
                    at: h(24 * (n + 3)),
                    tokens: 120 * (n as u64 + 1),
                    feature: SpendFeature::FanClub,
                });
            }
            a.chat_messages = (0..(n % 7) * 2).map(|k| h(k * 9 + n * 12)).collect();
            a.profile_views = (0..(n % 4)).map(|k| h(k * 30 + 5)).collect();
            a.likes = (0..(n % 5)).map(|k| h(k * 20 + 50)).collect();
            if i % 4 == 1 {
                a.live_sessions.push(LiveSession {
                    at: h(30 + n),
                    watch_seconds: 600 * i,
                    gifts: i % 3,
                    gift_tokens: 10 * u64::from(i % 3),
                });
            }
            if i % 5 == 2 {
                a.matches.push(h(24 * (6 + n / 3)));
            }
            if i % 7 == 3 {
                a.event_rsvps.push(EventRsvp {
                    event_id: format!("ev-{i}"),
                    at: h(3),
                    starts_at: now() + Duration::days(4),
                });
            }
            // Some supporters went quiet: shift all their activity back.
            let quiet = match i {
                4 | 11 => Duration::days(12),
                8 | 17 => Duration::days(45),
                _ => Duration::zero(),
            };
            for e in &mut a.spends {
                e.at -= quiet;
            }
            for t in a
                .chat_messages
                .iter_mut()
                .chain(&mut a.profile_views)
                .chain(&mut a.likes)
                .chain(&mut a.matches)
            {
                *t -= quiet;
            }
            for l in &mut a.live_sessions {
                l.at -= quiet;
            }
            Supporter {
                id: format!("fan-{i:02}").into(),
                display_name: Some(format!("Fan {i}")),
                joined_at: now() - Duration::days(10 + 13 * n),
                time_zone: tzs[i as usize % 4],
                fan_club: (i % 4 == 0 || i == 5 || i == 10).then(|| FanClubMembership {
                    tier: 1 + (i % 3) as u8,
                    since: now() - Duration::days(60),
                    renews_at: Some(now() + Duration::days(1 + n % 5)),
                }),
                online: i % 3 == 1 || matches!(i, 5 | 10 | 11),
                activity: a,
                profile: SupporterProfile::default(),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct Row {
    id: String,
    segment: Segment,
    probability: u8,
    priority: u8,
    signals: String,
    contributions: String,
    rule: SegmentRule,
}

#[test]
fn scored_sample_population() {
    let people = sample();
    let counters: Vec<SupporterCounters> = people
        .iter()
        .map(|s| SupporterCounters::from_supporter(s, now()))
        .collect();
    let scorer = Scorer::default();
    let scores = scorer.score_all(&counters, now());
    let rows: Vec<Row> = counters
        .iter()
        .map(|c| {
            let e = scorer.explain(c, now());
            Row {
                id: c.id.to_string(),
                segment: e.score.segment,
                probability: e.score.probability,
                priority: e.score.priority,
                signals: format!("{:?}", e.score.signals),
                contributions: e
                    .contributions
                    .iter()
                    .map(|c| format!("{} {}×{}%", c.signal.as_str(), c.value, c.weight))
                    .collect::<Vec<_>>()
                    .join(", "),
                rule: e.segment_rule,
            }
        })
        .collect();
    insta::assert_yaml_snapshot!("scored_population", rows);

    let tabs = inbox_tabs(&counters, &scores, now(), &TabOptions::default()).unwrap();
    let names = |p: &TabPage| -> Vec<String> {
        p.items
            .iter()
            .map(|&i| counters[i as usize].id.to_string())
            .collect()
    };
    let tab_view: Vec<(&str, Vec<String>, usize)> = vec![
        ("vip", names(&tabs.vip), tabs.vip.total),
        ("hot_leads", names(&tabs.hot_leads), tabs.hot_leads.total),
        ("all", names(&tabs.all), tabs.all.total),
        ("dormant", names(&tabs.dormant), tabs.dormant.total),
        ("new", names(&tabs.new), tabs.new.total),
    ];
    insta::assert_yaml_snapshot!("inbox_tabs", tab_view);

    let inputs: Vec<AlertInput<'_>> = counters
        .iter()
        .zip(&scores)
        .zip(&people)
        .map(|((c, s), p)| AlertInput {
            counters: c,
            score: *s,
            rsvps: &p.activity.event_rsvps,
        })
        .collect();
    let candidates = detect_alerts(&inputs, &AlertConfig::default(), now());
    let (outcome, _) = deliver_alerts(
        CooldownState::new(),
        candidates,
        &AlertConfig::default(),
        now(),
    );
    let alerts: Vec<String> = outcome
        .delivered
        .iter()
        .map(|a| format!("{:?} {} {}", a.priority, a.kind.as_str(), a.supporter))
        .collect();
    insta::assert_yaml_snapshot!("alerts", alerts);

    let insights: Vec<(String, SupporterInsights)> = people
        .iter()
        .take(6)
        .map(|s| {
            (
                s.id.to_string(),
                insights(s, &InsightConfig::default(), now()),
            )
        })
        .collect();
    insta::assert_yaml_snapshot!("insights", insights);
}
