//! Outreach benchmarks: rendering the default welcome SMS and email from a
//! compiled template set, SMS segment counting and keyword reading, and
//! planning a campaign. Targets (issue): welcome SMS >= 500K renders/s and
//! welcome email >= 100K/s on one core; plan 100K approved creators <= 1 s.

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use creator_crm::{
    identity::{E164, Email},
    outreach::{
        Campaign, OutreachTarget, QuietHours, TemplateSet, WelcomeContext, plan_outreach,
        sms_keyword, sms_segments,
    },
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

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

criterion_group!(benches, render, plan);
criterion_main!(benches);
