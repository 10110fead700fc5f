//! Supporter scoring, segmentation and inbox tabs; creator tiers.
//!
//! Targets: scoring + segmentation from counters ≥ 5M supporters/s on one
//! core; all five inbox tabs for 1M supporters ≤ 100 ms; ≤ 64 bytes per
//! scored supporter (`Score` is 9 bytes).

use std::hint::black_box;

use creator_crm::{
    supporters::{Score, Scorer, TabOptions, inbox_tabs},
    tiers::{TierThresholds, classify_population},
};
use creator_crm_benches::supporters::{counters, creators, now};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn scoring(c: &mut Criterion) {
    let n = 100_000;
    let people = counters(n, 7);
    let scorer = Scorer::default();
    let mut out: Vec<Score> = Vec::with_capacity(n);
    eprintln!(
        "bytes per scored supporter: {} (Score)",
        std::mem::size_of::<Score>()
    );
    let mut g = c.benchmark_group("supporters");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("score_and_segment_100k_counters", |b| {
        b.iter(|| {
            scorer.score_into(black_box(&people), now(), &mut out);
            black_box(out.len())
        })
    });
    g.finish();
}

fn tabs(c: &mut Criterion) {
    let n = 1_000_000;
    let people = counters(n, 11);
    let scores = Scorer::default().score_all(&people, now());
    let opts = TabOptions::default();
    let mut g = c.benchmark_group("supporters");
    g.sample_size(20);
    g.bench_function("inbox_tabs_1m", |b| {
        b.iter(|| inbox_tabs(black_box(&people), black_box(&scores), now(), &opts))
    });
    g.finish();
}

fn tiers(c: &mut Criterion) {
    let n = 100_000;
    let pop = creators(n, 3);
    let t = TierThresholds::default();
    let mut g = c.benchmark_group("tiers");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(20);
    g.bench_function("classify_population_100k", |b| {
        b.iter(|| classify_population(black_box(&pop), &t, now()))
    });
    g.finish();
}

criterion_group!(benches, scoring, tabs, tiers);
criterion_main!(benches);
