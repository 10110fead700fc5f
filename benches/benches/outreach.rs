//! Outreach benchmarks: rendering the default welcome SMS and email from a
//! compiled template set, SMS segment counting and keyword reading, planning a
//! campaign, and the outreach service planning and sending through a store.
//! Targets (issue): welcome SMS >= 500K renders/s and welcome email >= 100K/s on
//! one core; plan 100K approved creators <= 1 s.

use std::{fmt::Write, hint::black_box, sync::Arc};

use chrono::{DateTime, TimeZone, Utc};
use creator_crm::{
    crm::{Actor, Crm, Role},
    identity::{E164, Email},
    import::SourceKind,
    merge::SourceFile,
    messaging::RecordingSender,
    outbox::{OutreachConfig, OutreachService, OutreachStore},
    outreach::{
        Campaign, Channel, OutreachTarget, QuietHours, TemplateSet, WelcomeContext, plan_outreach,
        sms_keyword, sms_segments,
    },
    store::{MemoryStore, SqliteStore, Store},
};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

fn render(c: &mut Criterion) {
    let Ok(set) = TemplateSet::with_defaults() else {
        return;
    };
    let ctx = WelcomeContext::sample();
    let mut group = c.benchmark_group("outreach");
    group.throughput(Throughput::Elements(1));
    group.bench_function("render_welcome_sms", |b| {
        b.iter(|| black_box(set.render_sms("welcome", black_box(&ctx))));
    });
    group.bench_function("render_welcome_email", |b| {
        b.iter(|| black_box(set.render_email("welcome", black_box(&ctx))));
    });
    let sms = set.preview_sms("welcome").unwrap_or_default();
    group.bench_function("sms_segments_welcome", |b| {
        b.iter(|| black_box(sms_segments(black_box(&sms))));
    });
    group.bench_function("sms_keyword_sentence", |b| {
        b.iter(|| {
            black_box(sms_keyword(black_box(
                "Who is this? Please stop texting me.",
            )))
        });
    });
    group.finish();
}

/// 100K approved creators: all with email, two in three with a phone (area
/// codes across every US zone), half of those with SMS consent.
fn targets(n: usize) -> Vec<OutreachTarget> {
    const NPAS: [u16; 12] = [212, 305, 405, 512, 206, 415, 208, 907, 808, 602, 203, 205];
    (0..n)
        .map(|i| OutreachTarget {
            creator: format!("cr_{i}"),
            email: Email::parse(&format!("creator{i}@acmebeauty.co"))
                .ok()
                .flatten(),
            phone: (i % 3 != 0)
                .then(|| format!("+1{}555{:04}", NPAS[i % NPAS.len()], i % 10_000))
                .and_then(|p| p.parse::<E164>().ok()),
            sms_consent: i % 2 == 0,
            email_stopped: false,
            state: None,
        })
        .collect()
}

fn plan(c: &mut Criterion) {
    let targets = targets(100_000);
    let campaign = Campaign {
        workspace: "acme".into(),
        id: "welcome-2026-06".into(),
        email_template: "welcome".into(),
        sms_template: Some("welcome".into()),
    };
    let rules = QuietHours::default();
    let Some(now) = Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).single() else {
        return;
    };
    let mut group = c.benchmark_group("outreach");
    group.sample_size(10);
    group.throughput(Throughput::Elements(targets.len() as u64));
    group.bench_function("plan_outreach_100k", |b| {
        b.iter(|| black_box(plan_outreach(black_box(&targets), &campaign, now, &rules)));
    });
    group.finish();
}

/// A store holding `n` approved creators (email and a Texas phone each, SMS consent
/// for half), and the service over it.
fn approved<S: Store + OutreachStore + 'static>(
    store: Arc<S>,
    n: usize,
) -> Option<OutreachService> {
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 14, 0, 0).single()?;
    let mut csv = String::from("handle,email,phone,recipient,state\n");
    for i in 0..n {
        let _ = writeln!(
            csv,
            "cr{i},creator{i}@acmebeauty.co,+1713555{:04},Alex Kim{i},TX",
            i % 10_000
        );
    }
    let owner = Crm::new(store.clone(), "acme", Actor::staff("owner-1", Role::Owner));
    let file = SourceFile::new(SourceKind::Euka, "euka.csv");
    owner
        .import_exports(vec![(file, csv.as_bytes())], now)
        .ok()?;
    let sender = Arc::new(RecordingSender::new());
    let mut config = OutreachConfig::welcome("welcome-2026-06", "Acme Beauty");
    config.postal_address = "Acme Beauty, 100 Main St, Austin, TX 78701".into();
    config.unsubscribe_base_url = "https://crm.example.com/u/".into();
    let service = OutreachService::new(
        owner,
        store,
        sender.clone(),
        sender,
        TemplateSet::with_defaults().ok()?,
        config,
    );
    let handles: Vec<String> = (0..n).map(|i| format!("cr{i}")).collect();
    let refs: Vec<&str> = handles.iter().map(String::as_str).collect();
    service.approve(&refs, now).ok()?;
    for h in refs.iter().step_by(2) {
        service
            .record_consent(
                h,
                Channel::Sms,
                creator_crm::outbox::ConsentAction::OptIn,
                now,
            )
            .ok()?;
    }
    Some(service)
}

/// Planning and sending a welcome campaign to 2,000 approved creators (3,000
/// messages) through the outbox of each built-in store, with a recording sender.
fn service(c: &mut Criterion) {
    const N: usize = 2_000;
    let Some(at) = Utc.with_ymd_and_hms(2026, 6, 1, 15, 0, 0).single() else {
        return;
    };
    let run = |s: &OutreachService, at: DateTime<Utc>| {
        let planned = s.plan(at).map(|p| p.queued).unwrap_or_default();
        let sent = s.send_due(at).map(|o| o.sent).unwrap_or_default();
        black_box((planned, sent))
    };
    let mut group = c.benchmark_group("outreach_service");
    group.sample_size(10);
    group.throughput(Throughput::Elements((N + N / 2) as u64));
    group.bench_function("plan_and_send_2k_memory", |b| {
        b.iter_batched(
            || approved(Arc::new(MemoryStore::new()), N),
            |s| s.map(|s| run(&s, at)),
            BatchSize::PerIteration,
        );
    });
    group.bench_function("plan_and_send_2k_sqlite", |b| {
        b.iter_batched(
            || {
                SqliteStore::open_in_memory()
                    .ok()
                    .and_then(|st| approved(Arc::new(st), N))
            },
            |s| s.map(|s| run(&s, at)),
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, render, plan, service);
criterion_main!(benches);
