//! Retention models: the CDNOW anchor for BG/NBD and Gamma-Gamma, hand-computed cases for
//! the predictions, and input errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{path::PathBuf, str::FromStr};

use chrono::NaiveDate;
use creator_crm::{
    ErrorKind,
    analytics::retention::{BgNbd, GammaGamma, RfmSummary, fit_bgnbd, fit_gamma_gamma},
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn data(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/cdnow")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

/// `(frequency, recency, T)` columns of the CDNOW summary.
fn cdnow() -> (Vec<u32>, Vec<f64>, Vec<f64>) {
    let (mut f, mut r, mut t) = (vec![], vec![], vec![]);
    for line in data("cdnow_customers_summary.csv").lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        f.push(c[1].parse().unwrap());
        r.push(c[2].parse().unwrap());
        t.push(c[3].parse().unwrap());
    }
    (f, r, t)
}

fn within(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs()
}

#[test]
fn bgnbd_fit_matches_the_published_cdnow_estimates() {
    let (f, r, t) = cdnow();
    assert_eq!(f.len(), 2357);
    let fit = fit_bgnbd(&f, &r, &t).unwrap();
    let m = fit.model;
    for (got, want, name) in [
        (m.r, 0.243, "r"),
        (m.alpha, 4.414, "alpha"),
        (m.a, 0.793, "a"),
        (m.b, 2.426, "b"),
    ] {
        assert!(within(got, want, 0.005), "{name} = {got}, published {want}");
    }
    // Fader, Hardie & Lee (2005) report LL = -9582.4.
    assert!(
        (fit.info.log_likelihood + 9582.4).abs() < 0.1,
        "{}",
        fit.info.log_likelihood
    );
    assert_eq!(fit.info.customers, 2357);
    assert!(fit.info.converged, "{:?}", fit.info);
    let round = |v: f64| (v * 1e4).round() / 1e4;
    insta::assert_json_snapshot!(
        "cdnow_bgnbd",
        serde_json::json!({
            "r": [round(fit.r.value), round(fit.r.std_error.unwrap())],
            "alpha": [round(fit.alpha.value), round(fit.alpha.std_error.unwrap())],
            "a": [round(fit.a.value), round(fit.a.std_error.unwrap())],
            "b": [round(fit.b.value), round(fit.b.std_error.unwrap())],
            "log_likelihood": (fit.info.log_likelihood * 100.0).round() / 100.0,
            "method": fit.info.method,
        })
    );
    // Standard errors are finite, positive and small beside the estimates.
    for e in [fit.r, fit.alpha, fit.a, fit.b] {
        let se = e.std_error.unwrap();
        assert!(se > 0.0 && se < e.value, "{e:?}");
    }
}

#[test]
fn bgnbd_fit_is_independent_of_customer_order() {
    let (mut f, mut r, mut t) = cdnow();
    let a = fit_bgnbd(&f, &r, &t).unwrap();
    f.reverse();
    r.reverse();
    t.reverse();
    let b = fit_bgnbd(&f, &r, &t).unwrap();
    for (x, y) in [
        (a.model.r, b.model.r),
        (a.model.alpha, b.model.alpha),
        (a.model.a, b.model.a),
        (a.model.b, b.model.b),
    ] {
        assert!(within(x, y, 1e-6), "{x} vs {y}");
    }
}

const PUBLISHED: BgNbd = BgNbd {
    r: 0.243,
    alpha: 4.414,
    a: 0.793,
    b: 2.426,
};

#[test]
fn p_alive_by_hand() {
    let m = PUBLISHED;
    // No repeat purchase: alive by the model's assumption.
    assert_eq!(m.p_alive(0, 0.0, 38.86).unwrap(), 1.0);
    // x = 2, tₓ = 30.43, T = 38.86:
    // 1 / (1 + a/(b+x-1) · ((α+T)/(α+tₓ))^(r+x))
    let d = 0.793 / (2.426 + 1.0) * ((4.414f64 + 38.86) / (4.414 + 30.43)).powf(2.243);
    let want = 1.0 / (1.0 + d);
    assert!(within(m.p_alive(2, 30.43, 38.86).unwrap(), want, 1e-12));
    // A purchase at the very end of the window: D = a/(b+x-1).
    let want = 1.0 / (1.0 + 0.793 / (2.426 + 4.0));
    assert!(within(m.p_alive(5, 20.0, 20.0).unwrap(), want, 1e-12));
}

#[test]
fn expected_purchases_by_hand() {
    let m = PUBLISHED;
    // Over a short horizon a new customer buys at the mean rate r/α.
    let h = 1e-4;
    assert!(within(
        m.expected_purchases_new(h).unwrap() / h,
        0.243 / 4.414,
        1e-3
    ));
    assert_eq!(m.expected_purchases_new(0.0).unwrap(), 0.0);
    // A customer with no history, observed for no time, is a new customer.
    for t in [1.0, 39.0, 78.0] {
        assert!(within(
            m.expected_purchases(t, 0, 0.0, 0.0).unwrap(),
            m.expected_purchases_new(t).unwrap(),
            1e-12
        ));
    }
    // Equation 10 with b = 1, a = 2, r = 1, α = 1, x = 0, T = 1: ₂F₁(1, 1; 2; z) = -ln(1-z)/z,
    // so E[Y(t)] = 2 · (1 - (2/(2+t)) · (-ln(1-z)/z)) with z = t/(2+t).
    let m = BgNbd {
        r: 1.0,
        alpha: 1.0,
        a: 2.0,
        b: 1.0,
    };
    let t = 3.0;
    let z: f64 = t / (2.0 + t);
    let want = 2.0 * (1.0 - (2.0 / (2.0 + t)) * (-(1.0 - z).ln() / z));
    assert!(within(
        m.expected_purchases(t, 0, 0.0, 1.0).unwrap(),
        want,
        1e-12
    ));
    // At a = 1 the formula's singularity is removable: the value lies between its sides.
    let at = |a: f64| BgNbd { a, ..PUBLISHED };
    for t in [10.0, 39.0] {
        let (lo, mid, hi) = (
            at(0.999).expected_purchases(t, 3, 20.0, 30.0).unwrap(),
            at(1.0).expected_purchases(t, 3, 20.0, 30.0).unwrap(),
            at(1.001).expected_purchases(t, 3, 20.0, 30.0).unwrap(),
        );
        assert!(
            mid.is_finite() && (lo.min(hi)..=lo.max(hi)).contains(&mid),
            "{lo} {mid} {hi}"
        );
        let (lo, mid, hi) = (
            at(0.999).expected_purchases_new(t).unwrap(),
            at(1.0).expected_purchases_new(t).unwrap(),
            at(1.001).expected_purchases_new(t).unwrap(),
        );
        assert!(
            mid.is_finite() && (lo.min(hi)..=lo.max(hi)).contains(&mid),
            "{lo} {mid} {hi}"
        );
    }
    // More purchases, recently, mean more expected purchases; a long silence, fewer.
    let m = PUBLISHED;
    let active = m.expected_purchases(39.0, 10, 38.0, 38.86).unwrap();
    let silent = m.expected_purchases(39.0, 10, 5.0, 38.86).unwrap();
    assert!(active > 5.0 && silent < 0.5, "{active} {silent}");
}

#[test]
fn invalid_inputs_are_typed_errors() {
    let e = fit_bgnbd(&[1, 2], &[1.0], &[2.0, 3.0]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = fit_bgnbd(&[1], &[3.0], &[2.0]).unwrap_err();
    assert_eq!(e.field(), Some("recency"));
    assert!(e.to_string().contains("customer 0"), "{e}");
    assert_eq!(
        fit_bgnbd(&[], &[], &[]).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        fit_bgnbd(&[0], &[0.0], &[f64::NAN]).unwrap_err().field(),
        Some("age")
    );
    assert_eq!(
        PUBLISHED.p_alive(1, 5.0, 4.0).unwrap_err().field(),
        Some("recency")
    );
    assert_eq!(
        PUBLISHED
            .expected_purchases(-1.0, 1, 1.0, 4.0)
            .unwrap_err()
            .field(),
        Some("t")
    );
}

fn cdnow_spend() -> (Vec<u32>, Vec<Decimal>) {
    let (mut f, mut m) = (vec![], vec![]);
    for line in data("cdnow_customers_summary_with_transactions.csv")
        .lines()
        .skip(1)
    {
        let c: Vec<&str> = line.split(',').collect();
        f.push(c[1].parse().unwrap());
        m.push(Decimal::from_str(c[4]).unwrap());
    }
    (f, m)
}

#[test]
fn gamma_gamma_fit_matches_the_published_cdnow_estimates() {
    let (f, m) = cdnow_spend();
    let fit = fit_gamma_gamma(&f, &m).unwrap();
    assert_eq!(fit.info.customers, 946);
    let g = fit.model;
    for (got, want, name) in [
        (g.p, 6.25, "p"),
        (g.q, 3.74, "q"),
        (g.gamma, 15.44, "gamma"),
    ] {
        assert!(within(got, want, 0.005), "{name} = {got}, published {want}");
    }
    let round = |v: f64| (v * 1e4).round() / 1e4;
    insta::assert_json_snapshot!(
        "cdnow_gamma_gamma",
        serde_json::json!({
            "p": [round(fit.p.value), round(fit.p.std_error.unwrap())],
            "q": [round(fit.q.value), round(fit.q.std_error.unwrap())],
            "gamma": [round(fit.gamma.value), round(fit.gamma.std_error.unwrap())],
            "log_likelihood": (fit.info.log_likelihood * 100.0).round() / 100.0,
        })
    );
}

#[test]
fn expected_spend_by_hand() {
    let g = GammaGamma {
        p: 6.25,
        q: 3.74,
        gamma: 15.44,
    };
    // p (γ + m x) / (p x + q - 1) = 6.25 · (15.44 + 2 · 22.35) / (12.5 + 2.74) = 24.6555…
    assert_eq!(g.expected_spend(2, dec!(22.35)).unwrap(), dec!(24.66));
    // With no repeat purchase, the population mean p γ / (q - 1) = 35.2189…
    assert_eq!(g.expected_spend(0, dec!(0)).unwrap(), dec!(35.22));
    let heavy = GammaGamma {
        p: 0.1,
        q: 0.5,
        gamma: 1.0,
    };
    assert_eq!(
        heavy.expected_spend(0, dec!(0)).unwrap_err().field(),
        Some("monetary")
    );
    let e = fit_gamma_gamma(&[1, 2], &[dec!(3), dec!(-1)]).unwrap_err();
    assert!(e.to_string().contains("customer 1"), "{e}");
}

#[test]
fn summaries_from_event_days() {
    let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    assert_eq!(RfmSummary::from_event_days([], d(1, 1)), None);
    assert_eq!(RfmSummary::from_event_days([d(2, 1)], d(1, 1)), None);
    let s = RfmSummary::from_event_days([d(1, 10), d(1, 1), d(3, 1)], d(2, 1)).unwrap();
    assert_eq!((s.frequency, s.recency, s.age), (1, 9.0, 31.0));
}

#[test]
fn creators_posting_summaries() {
    use creator_crm::{
        analytics::retention::posting_summaries, import::SourceKind, merge::MergeResult,
    };
    let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    let video = |id: &str, handle: &str, day: Option<NaiveDate>| creator_crm::merge::Video {
        video_id: id.to_owned(),
        handle: creator_crm::identity::Handle::parse(handle).unwrap(),
        name: None,
        posted_at: day.map(|d| d.and_hms_opt(0, 0, 0).unwrap()),
        gmv: None,
        items_sold: None,
        orders: None,
        impressions: None,
        likes: None,
        comments: None,
        ctr: None,
        commission: None,
        provenance: creator_crm::merge::Provenance {
            source: SourceKind::Videos,
            file: "v.csv".into(),
            line: 2,
            observed_at: None,
        },
    };
    let r = MergeResult {
        creators: vec![],
        conflicts: vec![],
        samples: vec![],
        videos: vec![
            video("1", "bob", Some(d(3, 5))),
            video("2", "ana", Some(d(3, 1))),
            video("3", "ana", Some(d(3, 11))),
            video("4", "ana", Some(d(3, 11))),
            video("5", "cat", None),
            video("6", "dan", Some(d(4, 2))),
        ],
        video_products: vec![],
        snapshots: vec![],
        brand_links: vec![],
        products: vec![],
        report: Default::default(),
    };
    let rows: Vec<_> = posting_summaries(&r, d(4, 1))
        .into_iter()
        .map(|(h, s)| (h.as_str().to_owned(), s.frequency, s.recency, s.age))
        .collect();
    assert_eq!(
        rows,
        [
            ("ana".to_owned(), 1, 10.0, 31.0),
            ("bob".to_owned(), 0, 0.0, 27.0)
        ]
    );
}
