//! Exact rules of supporter scoring: boundaries, caps, tabs, alerts, insights.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::{DateTime, Duration, TimeZone, Utc, Weekday};
use creator_crm::supporters::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

fn counters(id: &str) -> SupporterCounters {
    let mut c = SupporterCounters::new(id.into(), now() - Duration::days(365));
    c.last_active_at = Some(now());
    c
}

fn score(c: &SupporterCounters) -> Score {
    Scorer::default().score(c, now())
}

#[test]
fn vip_starts_at_1000_lifetime_tokens() {
    let mut c = counters("a");
    c.tokens_lifetime = 999;
    assert_ne!(score(&c).segment, Segment::Vip);
    c.tokens_lifetime = 1_000;
    assert_eq!(score(&c).segment, Segment::Vip);
}

#[test]
fn dormant_from_7_days_cold_from_30() {
    let mut c = counters("a");
    let seg = |c: &SupporterCounters, days: i64| {
        let mut c = c.clone();
        c.last_active_at = Some(now() - Duration::days(days));
        score(&c).segment
    };
    assert_eq!(seg(&c, 6), Segment::Active);
    assert_eq!(seg(&c, 7), Segment::Dormant);
    assert_eq!(seg(&c, 29), Segment::Dormant);
    assert_eq!(seg(&c, 30), Segment::Cold);
    // 6 days 23 h 59 min is still 6 whole days.
    c.last_active_at = Some(now() - Duration::days(7) + Duration::minutes(1));
    assert_eq!(score(&c).segment, Segment::Active);
    // VIP outranks Cold.
    c.tokens_lifetime = 5_000;
    c.last_active_at = Some(now() - Duration::days(90));
    assert_eq!(score(&c).segment, Segment::Vip);
}

#[test]
fn never_active_counts_from_joining() {
    let mut c = SupporterCounters::new("a".into(), now() - Duration::days(3));
    assert_eq!(score(&c).segment, Segment::Active);
    c.joined_at = now() - Duration::days(40);
    assert_eq!(score(&c).segment, Segment::Cold);
}

#[test]
fn hot_lead_from_probability_70() {
    let scorer = Scorer::default();
    let c = counters("a");
    assert_eq!(scorer.segment(&c, 69, now()), Segment::Active);
    assert_eq!(scorer.segment(&c, 70, now()), Segment::HotLead);
    // Inactivity outranks a hot probability.
    let mut dormant = c.clone();
    dormant.last_active_at = Some(now() - Duration::days(8));
    assert_eq!(scorer.segment(&dormant, 100, now()), Segment::Dormant);
}

#[test]
fn hot_lead_through_full_scoring() {
    // chat 10 msgs (≈90), 3 views (≈65), online + fan club → well above 70.
    let mut c = counters("a");
    c.chat_messages_7d = 10;
    c.profile_views_7d = 3;
    c.online = true;
    c.fan_club = Some(FanClubMembership {
        tier: 1,
        since: now(),
        renews_at: None,
    });
    let s = score(&c);
    assert_eq!(s.signal(Signal::RecentChat), 90);
    assert_eq!(s.signal(Signal::ProfileViews), 65);
    // 90×30 + 65×15 = 3675 → 37 (rounded) + 10 + 10 = 57
    assert_eq!(s.probability, 57);
    assert_eq!(s.segment, Segment::Active);
    c.tokens_7d = 400;
    c.tokens_30d = 400;
    c.tokens_lifetime = 400;
    let s = score(&c);
    // gifting: 400 weighted tokens, half at 200 → 75; 2700 + 975 + 2250 → 59 + 20
    assert_eq!(s.signal(Signal::Gifting), 75);
    assert_eq!(s.probability, 79);
    assert_eq!(s.segment, Segment::HotLead);
}

#[test]
fn probability_caps_at_100_and_priority_at_150() {
    let mut c = counters("a");
    c.chat_messages_7d = 1_000;
    c.tokens_lifetime = 1_000_000;
    c.tokens_30d = 1_000_000;
    c.tokens_7d = 1_000_000;
    c.gifts_7d = 10;
    c.profile_views_7d = 1_000;
    c.live_sessions_7d = 50;
    c.live_watch_seconds_7d = 1_000_000;
    c.live_gift_tokens_7d = 1_000_000;
    c.last_match_at = Some(now());
    c.online = true;
    c.fan_club = Some(FanClubMembership {
        tier: 3,
        since: now(),
        renews_at: None,
    });
    let scorer = Scorer::default();
    let e = scorer.explain(&c, now());
    assert_eq!(e.score.probability, 100);
    assert!(e.uncapped_probability > 100);
    // 100 + 20 + 15 + 10 + 10 = 155 → 150
    assert_eq!(e.score.priority, 150);
    let parts: u32 = e.priority_parts.iter().map(|p| u32::from(p.points)).sum();
    assert_eq!(parts, 155);
}

#[test]
fn priority_parts_add_up_below_the_cap() {
    let mut c = counters("a");
    c.online = true;
    c.live_sessions_7d = 1;
    let s = score(&c);
    // online bonus 10 + live attendance 50 × 40 % × 15 % = 3 → 13; priority 13 + 20 + 10.
    assert_eq!(s.probability, 13);
    assert_eq!(s.priority, 43);
}

#[test]
fn likes_count_only_without_chat() {
    let mut c = counters("a");
    c.likes_7d = 6;
    assert_eq!(score(&c).signal(Signal::LikesWithoutChat), 75);
    c.chat_messages_7d = 1;
    assert_eq!(score(&c).signal(Signal::LikesWithoutChat), 0);
}

#[test]
fn recent_match_full_to_7_days_then_fades_to_14() {
    let mut c = counters("a");
    let at = |c: &mut SupporterCounters, d: Duration| {
        c.last_match_at = Some(now() - d);
        score(c).signal(Signal::RecentMatch)
    };
    assert_eq!(at(&mut c, Duration::days(0)), 100);
    assert_eq!(at(&mut c, Duration::days(7)), 100);
    assert_eq!(at(&mut c, Duration::days(7) + Duration::hours(84)), 50);
    assert_eq!(at(&mut c, Duration::days(14)), 0);
    assert_eq!(at(&mut c, Duration::days(40)), 0);
}

#[test]
fn explanation_lists_contributing_signals() {
    let mut c = counters("a");
    c.chat_messages_7d = 3;
    c.profile_views_7d = 2;
    let e = Scorer::default().explain(&c, now());
    let signals: Vec<Signal> = e.contributions.iter().map(|c| c.signal).collect();
    assert_eq!(signals, vec![Signal::RecentChat, Signal::ProfileViews]);
    assert_eq!(e.contributions[0].points, 15.0);
    assert_eq!(e.segment_rule, SegmentRule::Default);
}

#[test]
fn invalid_config_is_a_typed_error() {
    let cfg = ScoringConfig {
        dormant_after_days: 30,
        ..ScoringConfig::default()
    };
    let err = Scorer::new(cfg).unwrap_err();
    assert_eq!(err.kind(), creator_crm::ErrorKind::InvalidInput);
    assert_eq!(err.field(), Some("cold_after_days"));
}

#[test]
fn score_is_compact() {
    assert!(std::mem::size_of::<Score>() <= 64);
    assert_eq!(std::mem::size_of::<Score>(), 9);
}

// ---------- tabs ----------

fn population() -> Vec<SupporterCounters> {
    (0..30)
        .map(|i| {
            let mut c = counters(&format!("s{i:02}"));
            c.tokens_lifetime = (i as u64 % 15) * 100; // 0..1400; VIPs from 1000
            c.last_active_at = Some(now() - Duration::days(i as i64 % 12));
            c.first_purchase_at =
                (c.tokens_lifetime > 0).then(|| now() - Duration::days(i as i64 * 2));
            c.joined_at = now() - Duration::days(100 - i as i64);
            c
        })
        .collect()
}

#[test]
fn vip_tab_is_top_10_by_lifetime_spend_with_id_tie_break() {
    let all = population();
    let scores = Scorer::default().score_all(&all, now());
    let tabs = inbox_tabs(&all, &scores, now(), &TabOptions::default()).unwrap();
    let ids: Vec<&str> = tabs
        .vip
        .items
        .iter()
        .map(|&i| all[i as usize].id.as_str())
        .collect();
    // VIPs: lifetime 1000..1400 → i%15 in 10..=14 → s10..s14 and s25..s29.
    assert_eq!(
        ids,
        [
            "s14", "s29", "s13", "s28", "s12", "s27", "s11", "s26", "s10", "s25"
        ]
    );
    assert_eq!(tabs.vip.total, 10);
}

#[test]
fn long_tabs_page_and_count() {
    let all = population();
    let scores = Scorer::default().score_all(&all, now());
    let opts = TabOptions {
        page: Page {
            offset: 2,
            limit: 3,
        },
        ..TabOptions::default()
    };
    let full = tab(&all, &scores, Tab::All, now(), &TabOptions::default()).unwrap();
    let page = tab(&all, &scores, Tab::All, now(), &opts).unwrap();
    assert_eq!(page.items, full.items[2..5]);
    assert_eq!(page.total, full.total);
    assert_eq!(full.total, 28); // s00 and s15 never paid
    // most recent activity first, ties by id
    let first: Vec<&str> = full.items[..4]
        .iter()
        .map(|&i| all[i as usize].id.as_str())
        .collect();
    assert_eq!(first, ["s12", "s24", "s01", "s13"]);
    // New: first purchase ≤ 30 days → i*2 ≤ 30 → i ≤ 15, paid; newest join first.
    let new = tab(&all, &scores, Tab::New, now(), &TabOptions::default()).unwrap();
    let ids: Vec<&str> = new
        .items
        .iter()
        .map(|&i| all[i as usize].id.as_str())
        .collect();
    assert_eq!(ids.first(), Some(&"s14"));
    assert_eq!(new.total, 14);
    // Dormant: inactive 7..=11 days and not VIP.
    let dormant = tab(&all, &scores, Tab::Dormant, now(), &TabOptions::default()).unwrap();
    assert!(
        dormant
            .items
            .iter()
            .all(|&i| scores[i as usize].segment == Segment::Dormant)
    );
}

#[test]
fn tabs_reject_mismatched_scores() {
    let all = population();
    let err = inbox_tabs(&all, &[], now(), &TabOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("scores"));
}

// ---------- alerts ----------

fn alerts_for(c: &SupporterCounters, rsvps: &[EventRsvp]) -> Vec<AlertKind> {
    let score = score(c);
    detect_alerts(
        &[AlertInput {
            counters: c,
            score,
            rsvps,
        }],
        &AlertConfig::default(),
        now(),
    )
    .into_iter()
    .map(|a| a.kind)
    .collect()
}

#[test]
fn each_alert_kind_fires_on_its_rule() {
    let mut vip = counters("v");
    vip.tokens_lifetime = 2_000;
    vip.online = true;
    assert_eq!(alerts_for(&vip, &[]), [AlertKind::VipOnline]);

    let mut dormant = counters("d");
    dormant.last_active_at = Some(now() - Duration::days(10));
    dormant.online = true;
    assert_eq!(alerts_for(&dormant, &[]), [AlertKind::DormantReactivation]);

    let mut spender = counters("s");
    spender.tokens_lifetime = 530;
    spender.tokens_30d = 530;
    spender.tokens_7d = 300; // prior 230 over 23 days → 70/week; 300 ≥ 3 × 70
    assert_eq!(
        alerts_for(&spender, &[]),
        [AlertKind::SpendingSpike, AlertKind::MilestoneReached]
    );
    spender.tokens_30d = 600;
    spender.tokens_lifetime = 600; // prior 300 → 91/week; 300 < 273? no: 300 ≥ 273 still a spike
    assert!(alerts_for(&spender, &[]).contains(&AlertKind::SpendingSpike));
    spender.tokens_30d = 700;
    spender.tokens_lifetime = 700; // prior 400 → 121/week; 300 < 365
    assert!(!alerts_for(&spender, &[]).contains(&AlertKind::SpendingSpike));

    let mut member = counters("m");
    member.fan_club = Some(FanClubMembership {
        tier: 1,
        since: now() - Duration::days(27),
        renews_at: Some(now() + Duration::days(3)),
    });
    assert_eq!(alerts_for(&member, &[]), [AlertKind::FanClubRenewalDue]);
    member.fan_club = member.fan_club.map(|mut f| {
        f.renews_at = Some(now() + Duration::days(3) + Duration::seconds(1));
        f
    });
    assert!(alerts_for(&member, &[]).is_empty());

    let rsvp = EventRsvp {
        event_id: "e-1".into(),
        at: now() - Duration::hours(2),
        starts_at: now() + Duration::days(2),
    };
    assert_eq!(alerts_for(&counters("r"), &[rsvp]), [AlertKind::EventRsvp]);
}

#[test]
fn milestones_fire_once_when_crossed_in_7_days() {
    let mut c = counters("m");
    c.tokens_lifetime = 520;
    c.tokens_30d = 30;
    c.tokens_7d = 30; // 490 → 520 crosses 500
    let kinds = alerts_for(&c, &[]);
    assert_eq!(kinds, [AlertKind::MilestoneReached]);
    c.tokens_lifetime = 499;
    assert!(alerts_for(&c, &[]).is_empty());
}

#[test]
fn cooldown_is_one_hour_from_delivery_and_expired_alerts_start_none() {
    let cfg = AlertConfig::default();
    let alert = |at: DateTime<Utc>, expires: Option<DateTime<Utc>>| Alert {
        supporter: "s".into(),
        kind: AlertKind::HotLeadActive,
        priority: AlertPriority::High,
        created_at: at,
        expires_at: expires,
        detail: AlertDetail::None,
    };
    let t0 = now();
    // An expired alert is dropped and does not start the cooldown.
    let (out, state) = deliver_alerts(CooldownState::new(), vec![alert(t0, Some(t0))], &cfg, t0);
    assert_eq!((out.expired.len(), out.delivered.len()), (1, 0));
    assert!(state.is_empty());
    // Two in one batch: one delivered, one suppressed.
    let (out, state) = deliver_alerts(state, vec![alert(t0, None), alert(t0, None)], &cfg, t0);
    assert_eq!((out.delivered.len(), out.suppressed.len()), (1, 1));
    let t1 = t0 + Duration::minutes(59) + Duration::seconds(59);
    let (out, state) = deliver_alerts(state, vec![alert(t1, None)], &cfg, t1);
    assert_eq!(out.suppressed.len(), 1);
    assert_eq!(
        state.last_delivered(&"s".into(), AlertKind::HotLeadActive),
        Some(t0)
    );
    let t2 = t0 + Duration::hours(1);
    let (out, state) = deliver_alerts(state, vec![alert(t2, None)], &cfg, t2);
    assert_eq!(out.delivered.len(), 1);
    assert_eq!(state.len(), 1);
}

#[test]
fn delivered_alerts_are_most_urgent_first() {
    let cfg = AlertConfig::default();
    let mk = |id: &str, kind: AlertKind| Alert {
        supporter: id.into(),
        kind,
        priority: kind.priority(),
        created_at: now(),
        expires_at: None,
        detail: AlertDetail::None,
    };
    let (out, _) = deliver_alerts(
        CooldownState::new(),
        vec![
            mk("b", AlertKind::MilestoneReached),
            mk("a", AlertKind::DormantReactivation),
            mk("c", AlertKind::VipOnline),
        ],
        &cfg,
        now(),
    );
    let kinds: Vec<AlertKind> = out.delivered.iter().map(|a| a.kind).collect();
    assert_eq!(
        kinds,
        [
            AlertKind::VipOnline,
            AlertKind::DormantReactivation,
            AlertKind::MilestoneReached
        ]
    );
}

// ---------- counters and insights ----------

fn supporter() -> Supporter {
    Supporter {
        id: "s-1".into(),
        display_name: Some("NightOwl".into()),
        joined_at: now() - Duration::days(200),
        time_zone: chrono_tz::Asia::Tokyo,
        fan_club: Some(FanClubMembership {
            tier: 1,
            since: now() - Duration::days(100),
            renews_at: None,
        }),
        online: false,
        activity: SupporterActivity::default(),
        profile: SupporterProfile::default(),
    }
}

#[test]
fn events_convert_to_counters_with_exact_windows() {
    let mut s = supporter();
    let spend = |days: i64, tokens| SpendEvent {
        at: now() - Duration::days(days),
        tokens,
        feature: SpendFeature::LiveGift,
    };
    s.activity.spends = vec![
        spend(0, 10),
        spend(7, 20),
        spend(6, 40),
        spend(30, 80),
        spend(29, 160),
    ];
    s.activity.spends.push(SpendEvent {
        at: now() + Duration::hours(1),
        tokens: 9_999,
        feature: SpendFeature::Ppv,
    });
    s.activity.chat_messages = vec![now() - Duration::days(1), now() - Duration::days(8)];
    let c = SupporterCounters::from_supporter(&s, now());
    assert_eq!(c.tokens_lifetime, 310);
    assert_eq!(c.tokens_7d, 50); // 7 days ago exactly is outside the 7-day window
    assert_eq!(c.tokens_30d, 230);
    assert_eq!(c.gifts_7d, 2);
    assert_eq!(c.chat_messages_7d, 1);
    assert_eq!(c.first_purchase_at, Some(now() - Duration::days(30)));
    assert_eq!(c.last_active_at, Some(now()));
}

#[test]
fn best_contact_time_uses_local_time_and_never_invents_one() {
    let mut s = supporter();
    assert!(
        insights(&s, &InsightConfig::default(), now())
            .best_contact_time
            .is_none()
    );
    // 13:00 UTC = 22:00 in Tokyo; Wednesdays mostly.
    for week in 1..=8 {
        let wed = Utc.with_ymd_and_hms(2026, 2, 25, 13, 0, 0).unwrap() - Duration::weeks(week - 1);
        s.activity.chat_messages.push(wed);
    }
    s.activity
        .likes
        .push(Utc.with_ymd_and_hms(2026, 2, 20, 2, 0, 0).unwrap());
    let best = insights(&s, &InsightConfig::default(), now())
        .best_contact_time
        .unwrap();
    assert_eq!((best.hour, best.weekday), (22, Some(Weekday::Wed)));
    assert_eq!(best.events, 9);
    // 8 of 9 in the window × 9/20 of full volume → 40
    assert_eq!(best.confidence, 40);
}

#[test]
fn trends_risk_and_upgrade() {
    let mut s = supporter();
    let spend = |days: i64, tokens| SpendEvent {
        at: now() - Duration::days(days),
        tokens,
        feature: SpendFeature::FanClub,
    };
    s.activity.spends = vec![spend(40, 100), spend(5, 700)];
    s.activity.chat_messages = (0..5).map(|d| now() - Duration::days(d)).collect();
    let i = insights(&s, &InsightConfig::default(), now());
    assert_eq!(i.spending_trend.direction, TrendDirection::Rising);
    assert_eq!(i.engagement_trend.direction, TrendDirection::New);
    assert_eq!(i.retention_risk.level, RiskLevel::Low);
    let up = i.fan_club_upgrade.unwrap();
    assert_eq!(
        (up.current_tier, up.suggested_tier, up.threshold),
        (Some(1), 2, 600)
    );

    s.activity.spends = vec![spend(40, 1_000), spend(20, 100)];
    s.activity.chat_messages = (15..25).map(|d| now() - Duration::days(d)).collect();
    let i = insights(&s, &InsightConfig::default(), now());
    assert_eq!(i.spending_trend.direction, TrendDirection::Falling);
    assert_eq!(i.engagement_trend.direction, TrendDirection::Falling);
    // 15 days inactive → 25 points, + 25 + 25
    assert_eq!(
        (i.retention_risk.score, i.retention_risk.level),
        (75, RiskLevel::High)
    );
    assert!(i.fan_club_upgrade.is_none());
}

#[test]
fn profile_debug_is_redacted() {
    let mut s = supporter();
    s.profile = SupporterProfile {
        real_name: Some("Jane Roe".into()),
        email: Some("jane@example.com".into()),
        phone: Some("+14155550100".into()),
        social_handles: vec![SocialHandle {
            platform: "instagram".into(),
            handle: "janeroe".into(),
        }],
        city: Some("Austin".into()),
        region: Some("TX".into()),
        country: Some("US".into()),
        location: Some("30.26,-97.74".into()),
        ip_address: Some("203.0.113.9".into()),
        device: Some("iPhone 15".into()),
    };
    let shown = format!("{s:?}");
    for secret in [
        "Jane",
        "jane@",
        "4155550100",
        "janeroe",
        "Austin",
        "TX",
        "30.26",
        "203.0.113",
        "iPhone",
    ] {
        assert!(!shown.contains(secret), "{secret} leaked");
    }
    assert!(shown.contains("NightOwl"));
}

#[test]
fn cooldown_state_rebuilds_from_rows() {
    let cfg = AlertConfig::default();
    let alert = Alert {
        supporter: "s".into(),
        kind: AlertKind::SpendingSpike,
        priority: AlertPriority::High,
        created_at: now(),
        expires_at: None,
        detail: AlertDetail::None,
    };
    let (_, state) = deliver_alerts(CooldownState::new(), vec![alert.clone()], &cfg, now());
    let mut rebuilt = CooldownState::new();
    for (id, kind, at) in state.entries() {
        rebuilt.record(id, kind, at);
    }
    assert_eq!(rebuilt, state);
    let later = now() + Duration::minutes(30);
    let (out, _) = deliver_alerts(rebuilt, vec![alert], &cfg, later);
    assert_eq!(out.suppressed.len(), 1);
}

#[test]
fn serialized_forms_read_with_defaults() {
    let c: SupporterCounters = serde_json::from_str(
        r#"{"id":"s-1","joined_at":"2026-01-01T00:00:00Z","tokens_lifetime":5}"#,
    )
    .unwrap();
    assert_eq!((c.tokens_lifetime, c.tokens_7d, c.online), (5, 0, false));
    let s: Supporter = serde_json::from_str(
        r#"{"id":"s-1","joined_at":"2026-01-01T00:00:00Z","time_zone":"America/Chicago",
            "activity":{"spends":[{"at":"2026-02-01T10:00:00Z","tokens":7,"feature":"ppv"}]}}"#,
    )
    .unwrap();
    assert_eq!(s.time_zone, chrono_tz::America::Chicago);
    assert_eq!(s.activity.spends[0].feature, SpendFeature::Ppv);
    assert_eq!(s.profile, SupporterProfile::default());
}

#[test]
fn extreme_instants_and_configs_do_not_panic() {
    let cfg = AlertConfig {
        cooldown_seconds: i64::MAX,
        presence_ttl_seconds: i64::MAX,
        renewal_notice_days: i64::MAX,
        rsvp_recent_hours: i64::MIN,
        ..AlertConfig::default()
    };
    let insight_cfg = InsightConfig {
        contact_lookback_days: i64::MAX,
        ..InsightConfig::default()
    };
    for now in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
        let mut s = supporter();
        s.joined_at = now;
        s.activity.chat_messages.push(now);
        let c = SupporterCounters::from_supporter(&s, now);
        let score = Scorer::default().score(&c, now);
        let alerts = detect_alerts(
            &[AlertInput {
                counters: &c,
                score,
                rsvps: &[],
            }],
            &cfg,
            now,
        );
        let _ = deliver_alerts(CooldownState::new(), alerts, &cfg, now);
        let _ = insights(&s, &insight_cfg, now);
    }
}
