//! Laws of supporter scoring, checked on generated populations.
#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use creator_crm::supporters::*;
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

fn ago(minutes: i64) -> DateTime<Utc> {
    now() - Duration::minutes(minutes)
}

prop_compose! {
    fn arb_counters()(
        lifetime in prop_oneof![0u64..2_000, 0u64..u64::MAX],
        t30 in 0u64..1_500,
        t7 in 0u64..800,
        gifts in 0u32..5,
        chats in 0u32..40,
        views in 0u32..20,
        lives in 0u32..4,
        watch in 0u64..20_000,
        live_gifts in 0u64..500,
        likes in 0u32..20,
        matched in proptest::option::of(0i64..30 * 1440),
        active in proptest::option::of(-60i64..60 * 1440),
        first in proptest::option::of(0i64..60 * 1440),
        joined in 0i64..400 * 1440,
        online in any::<bool>(),
        member in any::<bool>(),
    ) -> SupporterCounters {
        let mut c = SupporterCounters::new("".into(), ago(joined));
        c.tokens_lifetime = lifetime;
        c.tokens_30d = t30;
        c.tokens_7d = t7;
        c.gifts_7d = gifts;
        c.chat_messages_7d = chats;
        c.profile_views_7d = views;
        c.live_sessions_7d = lives;
        c.live_watch_seconds_7d = watch;
        c.live_gift_tokens_7d = live_gifts;
        c.likes_7d = likes;
        c.last_match_at = matched.map(ago);
        c.last_active_at = active.map(ago);
        c.first_purchase_at = first.map(ago);
        c.online = online;
        c.fan_club = member.then(|| FanClubMembership { tier: 1, since: ago(joined), renews_at: Some(ago(-2 * 1440)) });
        c
    }
}

/// A population with unique ids, and the same population shuffled.
fn arb_population() -> impl Strategy<Value = (Vec<SupporterCounters>, Vec<SupporterCounters>)> {
    prop::collection::vec(arb_counters(), 0..80).prop_flat_map(|mut v| {
        for (i, c) in v.iter_mut().enumerate() {
            c.id = format!("s{:03}", (i * 37) % 1000).into();
        }
        let shuffled = Just(v.clone()).prop_shuffle();
        (Just(v), shuffled)
    })
}

fn ids(all: &[SupporterCounters], page: &TabPage) -> Vec<SupporterId> {
    page.items
        .iter()
        .map(|&i| all[i as usize].id.clone())
        .collect()
}

fn sorted_by<K: Ord>(
    all: &[SupporterCounters],
    scores: &[Score],
    page: &TabPage,
    key: impl Fn(&SupporterCounters, &Score) -> K,
) -> bool {
    page.items.windows(2).all(|w| {
        let (a, b) = (w[0] as usize, w[1] as usize);
        (key(&all[a], &scores[a]), &all[a].id) < (key(&all[b], &scores[b]), &all[b].id)
    })
}

/// The tab by filtering and fully sorting: the reference the selection must match.
fn naive(all: &[SupporterCounters], scores: &[Score], which: Tab, opts: &TabOptions) -> TabPage {
    use std::cmp::Reverse;
    let mut rows: Vec<(i128, i128, &SupporterId, u32)> = Vec::new();
    for (i, (c, s)) in all.iter().zip(scores).enumerate() {
        let ts =
            |t: Option<DateTime<Utc>>| t.map_or(i128::MIN, |t| i128::from(t.timestamp_micros()));
        let key = match which {
            Tab::Vip => (s.segment == Segment::Vip).then(|| (i128::from(c.tokens_lifetime), 0)),
            Tab::HotLeads => (s.segment == Segment::HotLead)
                .then(|| (i128::from(s.probability), i128::from(s.priority))),
            Tab::All => (c.tokens_lifetime > 0).then(|| (ts(c.last_active_at), 0)),
            Tab::Dormant => (s.segment == Segment::Dormant).then(|| (ts(c.last_active_at), 0)),
            Tab::New => c
                .first_purchase_at
                .filter(|t| now() - *t <= Duration::days(30))
                .map(|_| (ts(Some(c.joined_at)), 0)),
        };
        if let Some((a, b)) = key {
            rows.push((a, b, &c.id, i as u32));
        }
    }
    rows.sort_by_key(|&(a, b, id, i)| (Reverse(a), Reverse(b), id, i));
    let (offset, limit) = match which {
        Tab::Vip => (0, opts.vip_size),
        _ => (opts.page.offset, opts.page.limit),
    };
    TabPage {
        items: rows.iter().skip(offset).take(limit).map(|r| r.3).collect(),
        total: rows.len(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_supporter_gets_exactly_one_segment_by_precedence(c in arb_counters()) {
        let scorer = Scorer::default();
        let s = scorer.score(&c, now());
        let idle = (now() - c.last_active_at.unwrap_or(c.joined_at)).num_days().max(0);
        let rules = [
            (Segment::Vip, c.tokens_lifetime >= 1_000),
            (Segment::Cold, idle >= 30),
            (Segment::Dormant, (7..30).contains(&idle)),
            (Segment::HotLead, s.probability >= 70),
            (Segment::Active, true),
        ];
        let expected = rules.iter().find(|(_, hit)| *hit).map(|(seg, _)| *seg).unwrap();
        prop_assert_eq!(s.segment, expected);
    }

    #[test]
    fn scores_stay_in_range_and_explain_themselves(c in arb_counters()) {
        let scorer = Scorer::default();
        let e = scorer.explain(&c, now());
        let s = e.score;
        prop_assert!(s.probability <= 100);
        prop_assert!(s.priority <= 150);
        prop_assert!(s.signals.iter().all(|&v| v <= 100));
        prop_assert!(s.priority >= s.probability);
        prop_assert_eq!(u32::from(s.probability), e.uncapped_probability.min(100));
        let parts: u32 = e.priority_parts.iter().map(|p| u32::from(p.points)).sum();
        prop_assert_eq!(u32::from(s.priority), parts.min(150));
        prop_assert_eq!(scorer.score(&c, now()), s);
    }

    #[test]
    fn tabs_are_sorted_sized_and_order_independent(
        (all, shuffled) in arb_population(),
        offset in 0usize..20,
        limit in 0usize..30,
    ) {
        let scorer = Scorer::default();
        let opts = TabOptions { page: Page { offset, limit }, ..TabOptions::default() };
        let scores = scorer.score_all(&all, now());
        let tabs = inbox_tabs(&all, &scores, now(), &opts).unwrap();

        let count = |f: &dyn Fn(&SupporterCounters, &Score) -> bool| {
            all.iter().zip(&scores).filter(|(c, s)| f(c, s)).count()
        };
        let vips = count(&|_, s| s.segment == Segment::Vip);
        prop_assert_eq!(tabs.vip.total, vips);
        prop_assert_eq!(tabs.vip.items.len(), vips.min(10));
        prop_assert_eq!(tabs.hot_leads.total, count(&|_, s| s.segment == Segment::HotLead));
        prop_assert_eq!(tabs.all.total, count(&|c, _| c.tokens_lifetime > 0));
        prop_assert_eq!(tabs.dormant.total, count(&|_, s| s.segment == Segment::Dormant));
        for page in [&tabs.hot_leads, &tabs.all, &tabs.dormant, &tabs.new] {
            prop_assert_eq!(page.items.len(), page.total.saturating_sub(offset).min(limit));
        }

        use std::cmp::Reverse;
        prop_assert!(sorted_by(&all, &scores, &tabs.vip, |c, _| Reverse(c.tokens_lifetime)));
        prop_assert!(sorted_by(&all, &scores, &tabs.hot_leads, |_, s| Reverse((s.probability, s.priority))));
        prop_assert!(sorted_by(&all, &scores, &tabs.all, |c, _| Reverse(c.last_active_at)));
        prop_assert!(sorted_by(&all, &scores, &tabs.dormant, |c, _| Reverse(c.last_active_at)));
        prop_assert!(sorted_by(&all, &scores, &tabs.new, |c, _| Reverse(c.joined_at)));
        // The VIP tab holds the biggest spenders: nobody outside outspends the last one in.
        if let Some(&last) = tabs.vip.items.last() {
            let floor = all[last as usize].tokens_lifetime;
            let inside: Vec<u32> = tabs.vip.items.clone();
            for (i, (c, s)) in all.iter().zip(&scores).enumerate() {
                if s.segment == Segment::Vip && !inside.contains(&(i as u32)) {
                    prop_assert!(c.tokens_lifetime <= floor);
                }
            }
        }

        // The selection equals a naive full sort, and each tab alone equals the batch.
        for (which, page) in [
            (Tab::Vip, &tabs.vip),
            (Tab::HotLeads, &tabs.hot_leads),
            (Tab::All, &tabs.all),
            (Tab::Dormant, &tabs.dormant),
            (Tab::New, &tabs.new),
        ] {
            prop_assert_eq!(&naive(&all, &scores, which, &opts), page);
            prop_assert_eq!(&tab(&all, &scores, which, now(), &opts).unwrap(), page);
        }

        // Same answers, by id, for the shuffled input.
        let s2 = scorer.score_all(&shuffled, now());
        let by_id = |xs: &[SupporterCounters], ss: &[Score]| -> BTreeMap<SupporterId, Score> {
            xs.iter().map(|c| c.id.clone()).zip(ss.iter().copied()).collect()
        };
        prop_assert_eq!(by_id(&all, &scores), by_id(&shuffled, &s2));
        let t2 = inbox_tabs(&shuffled, &s2, now(), &opts).unwrap();
        prop_assert_eq!(ids(&all, &tabs.vip), ids(&shuffled, &t2.vip));
        prop_assert_eq!(ids(&all, &tabs.hot_leads), ids(&shuffled, &t2.hot_leads));
        prop_assert_eq!(ids(&all, &tabs.all), ids(&shuffled, &t2.all));
        prop_assert_eq!(ids(&all, &tabs.dormant), ids(&shuffled, &t2.dormant));
        prop_assert_eq!(ids(&all, &tabs.new), ids(&shuffled, &t2.new));
    }

    #[test]
    fn an_alert_never_passes_twice_inside_its_cooldown(
        (all, shuffled) in arb_population(),
        steps in prop::collection::vec(0i64..90, 1..8),
    ) {
        let scorer = Scorer::default();
        let cfg = AlertConfig::default();
        let mut state = CooldownState::new();
        let mut state2 = CooldownState::new();
        let mut delivered: BTreeMap<(SupporterId, AlertKind), DateTime<Utc>> = BTreeMap::new();
        let mut t = now();
        for step in steps {
            t += Duration::minutes(step);
            let detect = |pop: &[SupporterCounters]| {
                let scores = scorer.score_all(pop, t);
                let inputs: Vec<AlertInput<'_>> = pop
                    .iter()
                    .zip(scores)
                    .map(|(c, score)| AlertInput { counters: c, score, rsvps: &[] })
                    .collect();
                detect_alerts(&inputs, &cfg, t)
            };
            let (out, next) = deliver_alerts(state, detect(&all), &cfg, t);
            let (out2, next2) = deliver_alerts(state2, detect(&shuffled), &cfg, t);
            prop_assert_eq!(&out, &out2);
            state = next;
            state2 = next2;
            for a in out.delivered {
                let key = (a.supporter.clone(), a.kind);
                if let Some(prev) = delivered.get(&key) {
                    prop_assert!(t - *prev >= Duration::hours(1), "{:?} twice within the cooldown", key);
                }
                delivered.insert(key, t);
            }
        }
    }
}
