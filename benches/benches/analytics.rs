//! Analytics: every dashboard table over a merged 1M-row export set, and a BG/NBD fit.
//!
//! Targets: all tables (`dashboard`) for the 1M-row exports in ≤ 0.5 s after the merge;
//! the BG/NBD fit on 100,000 customers in ≤ 1 s. The merge (with related records) runs
//! once, outside the measurement. The customers are simulated from a BG/NBD with the CDNOW
//! estimates (r = 0.243, α = 4.414, a = 0.793, b = 2.426), observed for 20 to 78 weeks.
//! Figures and the command are in BENCHMARKS.md.
//!
//! `MERGE_BENCH_ROWS` overrides the row count (default 1,000,000).

use std::{hint::black_box, time::Duration};

use chrono::NaiveDate;
use creator_crm::analytics::{
    DashboardOptions, Period, dashboard, retention::fit_bgnbd, sample_conversion,
};
use creator_crm_benches::{
    Rng,
    merge::{bench_rows, import_and_merge_all},
};
use creator_crm_datagen::{Config, generate_in_memory};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// A uniform draw in `(0, 1)`.
fn unit(rng: &mut Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut Rng) -> f64 {
    (-2.0 * unit(rng).ln()).sqrt() * (std::f64::consts::TAU * unit(rng)).cos()
}

/// A Gamma(shape, 1) draw (Marsaglia & Tsang; shapes below 1 by the `U^(1/k)` boost).
fn gamma(rng: &mut Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        return gamma(rng, shape + 1.0) * unit(rng).powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = (1.0 + c * x).powi(3);
        if v > 0.0 && unit(rng).ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// `n` customers' `(frequency, recency, T)` simulated from a BG/NBD.
fn simulate(n: usize, seed: u64) -> (Vec<u32>, Vec<f64>, Vec<f64>) {
    let (r, alpha, a, b) = (0.243, 4.414, 0.793, 2.426);
    let mut rng = Rng::new(seed);
    let (mut fs, mut rs, mut ts) = (vec![], vec![], vec![]);
    for _ in 0..n {
        let age = 20.0 + 58.0 * unit(&mut rng);
        let lambda = gamma(&mut rng, r) / alpha;
        let (ga, gb) = (gamma(&mut rng, a), gamma(&mut rng, b));
        let p = ga / (ga + gb);
        let (mut t, mut x, mut tx) = (0.0, 0u32, 0.0);
        loop {
            t += -unit(&mut rng).ln() / lambda.max(1e-12);
            if t > age {
                break;
            }
            x += 1;
            tx = t;
            if unit(&mut rng) < p {
                break;
            }
        }
        fs.push(x);
        rs.push(tx);
        ts.push(age);
    }
    (fs, rs, ts)
}

fn bench(c: &mut Criterion) {
    let data = match generate_in_memory(&Config::for_rows(bench_rows(), 42)) {
        Ok(d) => d,
        Err(e) => panic!("datagen failed: {e}"),
    };
    let total_rows = data.counts.total();
    let merged = import_and_merge_all(&data.files);
    let period = match (
        NaiveDate::from_ymd_opt(2025, 10, 22),
        NaiveDate::from_ymd_opt(2025, 11, 21),
    ) {
        (Some(s), Some(e)) => Period::new(s, e).ok(),
        _ => None,
    };
    let Some(period) = period else {
        panic!("bench period is a valid range");
    };
    let options = DashboardOptions::new(period);
    let mut g = c.benchmark_group("analytics");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(total_rows));
    g.bench_function(format!("dashboard_{total_rows}_rows"), |b| {
        b.iter(|| black_box(dashboard(black_box(&merged), &options)))
    });
    g.bench_function(format!("sample_conversion_{total_rows}_rows"), |b| {
        b.iter(|| black_box(sample_conversion(black_box(&merged), 30)))
    });
    g.finish();

    let n = 100_000;
    let (f, r, t) = simulate(n, 7);
    match fit_bgnbd(&f, &r, &t) {
        Ok(fit) => eprintln!(
            "bgnbd on {n} simulated customers: r {:.4} alpha {:.4} a {:.4} b {:.4} ({} iterations, {})",
            fit.model.r,
            fit.model.alpha,
            fit.model.a,
            fit.model.b,
            fit.info.iterations,
            fit.info.method
        ),
        Err(e) => panic!("fit failed: {e}"),
    }
    let mut g = c.benchmark_group("retention");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(format!("fit_bgnbd_{n}_customers"), |b| {
        b.iter(|| black_box(fit_bgnbd(black_box(&f), &r, &t)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
