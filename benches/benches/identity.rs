//! Identity benchmarks: batch phone normalization (target: at least 300K raw
//! phones/s on one core), single `Phone::parse`, `Handle::parse`, `repair_text`.
//!
//! Run: `cargo bench -p creator-crm-benches --bench identity -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use creator_crm::identity::{Handle, Phone, Region, parse_phones, repair_text};
use creator_crm_benches::{name_mix, phone_mix};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn phones(c: &mut Criterion) {
    // 10K distinct values x 10 repeats, shuffled: a 100K-row export.
    let mix = phone_mix(10_000, 10, 42);
    let mut group = c.benchmark_group("phone");
    group.throughput(Throughput::Elements(mix.len() as u64));
    group.sample_size(10);
    group.bench_function("parse_phones/100k_mix", |b| {
        b.iter(|| parse_phones(black_box(&mix), Region::US))
    });
    group.finish();

    // Every value distinct: the cost of one uncached parse.
    let distinct = phone_mix(2_000, 1, 7);
    let mut group = c.benchmark_group("phone");
    group.throughput(Throughput::Elements(distinct.len() as u64));
    group.sample_size(10);
    group.bench_function("Phone::parse/distinct_mix", |b| {
        b.iter(|| {
            for raw in &distinct {
                let _ = black_box(Phone::parse(black_box(raw), Region::US));
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("phone");
    for raw in [
        "(+1)3159212129",
        "(+1)832*****59",
        "+33142764978",
        "call me",
    ] {
        group.bench_function(format!("Phone::parse/{raw}"), |b| {
            b.iter(|| Phone::parse(black_box(raw), Region::US))
        });
    }
    group.finish();
}

fn handles(c: &mut Criterion) {
    let mut group = c.benchmark_group("handle");
    for raw in ["@Maria.Cruz", "https://www.tiktok.com/@maria.cruz?lang=en"] {
        group.bench_function(format!("Handle::parse/{raw}"), |b| {
            b.iter(|| Handle::parse(black_box(raw)))
        });
    }
    group.finish();
}

fn text(c: &mut Criterion) {
    let names = name_mix(1_000, 3);
    let mut group = c.benchmark_group("repair_text");
    group.throughput(Throughput::Elements(names.len() as u64));
    group.bench_function("name_mix/1k", |b| {
        b.iter(|| {
            for name in &names {
                black_box(repair_text(black_box(name)));
            }
        })
    });
    group.finish();
    let mut group = c.benchmark_group("repair_text");
    for raw in [
        "Maria Cruz",
        "José Martínez",
        "JosÃ© MartÃ\u{AD}nez",
        "MÃƒÂ¼ller",
    ] {
        group.bench_function(format!("single/{raw}"), |b| {
            b.iter(|| repair_text(black_box(raw)))
        });
    }
    group.finish();
}

criterion_group!(benches, phones, handles, text);
criterion_main!(benches);
