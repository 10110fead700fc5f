//! Laws of the dashboard tables, checked with proptest:
//!
//! 1. every conversion rate is in `[0, 1]`, and never more converted than samples;
//! 2. counts add up: per-creator and per-product samples and conversions sum to the overall
//!    ones, and samples plus cancelled orders are all the sample rows;
//! 3. a longer window never converts fewer samples;
//! 4. period tables account for every dated video in the period, and a trend's change is
//!    its current minus its previous value;
//! 5. every table is the same for any order of the merged records;
//! 6. `dashboard`, which shares its passes between tables, gives each table's own function.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Days, NaiveDate};
use creator_crm::{
    analytics::{
        DashboardOptions, Metric, Period, dashboard, product_performance, sample_conversion,
        sample_conversion_by_product, sample_conversion_overall, top_performers, trending,
        video_performance,
    },
    merge::{MergeResult, Sample, Video},
};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::analytics_tables::{day, sample, video};

const HANDLES: [&str; 5] = ["ana", "bob", "cat", "dan", "eve"];
const PRODUCTS: [&str; 3] = ["Serum", "Cream", "Lamp"];
const STATUSES: [&str; 5] = [
    "Delivered",
    "Shipped",
    "Cancelled",
    "Completed",
    "Awaiting shipment",
];

fn base() -> NaiveDate {
    day(1, 1)
}

fn offset(d: u64) -> NaiveDate {
    base().checked_add_days(Days::new(d)).unwrap()
}

fn samples() -> impl Strategy<Value = Vec<Sample>> {
    let one = (
        0..HANDLES.len(),
        proptest::option::weighted(0.9, 0..PRODUCTS.len()),
        0..STATUSES.len(),
        proptest::option::weighted(0.8, 0u64..90),
        proptest::option::weighted(0.5, 0u64..10),
        proptest::option::weighted(0.5, 0u64..10),
    );
    proptest::collection::vec(one, 0..40).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (hd, p, st, created, ship, deliver))| {
                let created = created.map(offset);
                let shipped = created
                    .zip(ship)
                    .map(|(c, s)| c.checked_add_days(Days::new(s)).unwrap());
                let delivered = shipped
                    .zip(deliver)
                    .map(|(s, d)| s.checked_add_days(Days::new(d)).unwrap());
                let t = |d: Option<NaiveDate>| d.map(|d| d.and_hms_opt(12, 0, 0).unwrap());
                sample(
                    &i.to_string(),
                    HANDLES[hd],
                    p.map(|p| PRODUCTS[p]),
                    STATUSES[st],
                    [t(created), t(shipped), t(delivered)],
                )
            })
            .collect()
    })
}

fn videos() -> impl Strategy<Value = Vec<Video>> {
    let one = (
        0..HANDLES.len(),
        proptest::option::weighted(0.9, 0u64..120),
        0i64..100_000,
        0u64..50,
        0u64..50,
        proptest::option::weighted(0.7, 0u64..10_000),
    );
    proptest::collection::vec(one, 0..40).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (hd, posted, cents, items, orders, imp))| {
                video(
                    &i.to_string(),
                    HANDLES[hd],
                    posted.map(offset),
                    Decimal::new(cents, 2),
                    items,
                    orders,
                    imp,
                    items,
                    orders,
                )
            })
            .collect()
    })
}

fn merged(samples: Vec<Sample>, videos: Vec<Video>) -> MergeResult {
    MergeResult {
        creators: vec![],
        conflicts: vec![],
        samples,
        videos,
        video_products: vec![],
        snapshots: vec![],
        brand_links: vec![],
        products: vec![],
        report: Default::default(),
    }
}

fn options() -> DashboardOptions {
    DashboardOptions::new(Period::new(offset(60), offset(120)).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn rates_and_counts(s in samples(), v in videos(), within in 0u32..60) {
        let rows = s.len() as u64;
        let r = merged(s, v);
        let mut opts = options();
        opts.within_days = within;
        let d = dashboard(&r, &opts).unwrap();
        let all = &d.conversion_overall;
        // 1
        for c in &d.conversion_by_creator {
            prop_assert!(c.samples > 0 && c.converted <= c.samples);
            prop_assert!((0.0..=1.0).contains(&c.rate));
        }
        for p in &d.conversion_by_product {
            prop_assert!(p.samples > 0 && p.converted <= p.samples);
            prop_assert!((0.0..=1.0).contains(&p.rate));
            prop_assert!(p.converted_creators <= p.creators && p.creators <= p.samples);
        }
        for rate in [all.rate, all.creator_rate].into_iter().flatten() {
            prop_assert!((0.0..=1.0).contains(&rate));
        }
        // 2
        let sum = |f: &dyn Fn(&creator_crm::analytics::CreatorConversion) -> u64| {
            d.conversion_by_creator.iter().map(f).sum::<u64>()
        };
        prop_assert_eq!(sum(&|c| c.samples), all.samples);
        prop_assert_eq!(sum(&|c| c.converted), all.converted);
        prop_assert_eq!(d.conversion_by_product.iter().map(|p| p.samples).sum::<u64>(), all.samples);
        prop_assert_eq!(d.conversion_by_product.iter().map(|p| p.converted).sum::<u64>(), all.converted);
        prop_assert_eq!(all.samples + all.cancelled, rows);
        prop_assert_eq!(d.conversion_by_creator.len() as u64, all.creators);
        prop_assert_eq!(
            d.conversion_by_creator.iter().filter(|c| c.converted > 0).count() as u64,
            all.converted_creators
        );
        prop_assert!(all.undated <= all.samples - all.converted);
        // 3
        let wider = sample_conversion_overall(&r, within + 1);
        prop_assert!(wider.converted >= all.converted);
    }

    #[test]
    fn period_tables_account_for_every_video(v in videos()) {
        let r = merged(vec![], v);
        let opts = options();
        let d = dashboard(&r, &opts).unwrap();
        let in_period = |p: Period| r.videos.iter().filter(move |x| x.posted_at.is_some_and(|t| p.contains(t)));
        let everyone = top_performers(&r, d.period, Metric::Gmv, usize::MAX);
        prop_assert_eq!(
            everyone.iter().map(|p| p.gmv).sum::<Decimal>(),
            in_period(d.period).map(|x| x.gmv.unwrap_or_default()).sum::<Decimal>()
        );
        prop_assert_eq!(everyone.iter().map(|p| p.videos).sum::<u64>(), in_period(d.period).count() as u64);
        for (i, p) in everyone.iter().enumerate() {
            prop_assert_eq!(p.rank as usize, i + 1);
        }
        prop_assert_eq!(&d.top_by_gmv[..], &everyone[..everyone.len().min(opts.top)]);
        for t in &d.trending {
            prop_assert_eq!(t.change, t.current - t.previous);
            prop_assert_eq!(t.growth.is_none(), t.previous.is_zero());
        }
        prop_assert_eq!(
            d.trending.iter().map(|t| t.current).sum::<Decimal>(),
            everyone.iter().map(|p| p.gmv).sum::<Decimal>()
        );
        prop_assert_eq!(
            video_performance(&r).iter().map(|c| c.videos).sum::<u64>(),
            r.videos.len() as u64
        );
    }

    #[test]
    fn tables_are_independent_of_record_order(
        (s, v, s2, v2) in (samples(), videos()).prop_flat_map(|(s, v)| {
            (Just(s.clone()), Just(v.clone()), Just(s).prop_shuffle(), Just(v).prop_shuffle())
        })
    ) {
        let a = dashboard(&merged(s, v), &options()).unwrap();
        let b = dashboard(&merged(s2, v2), &options()).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn the_dashboard_is_each_tables_own_function(s in samples(), v in videos(), within in 0u32..60) {
        let r = merged(s, v);
        let mut opts = options();
        opts.within_days = within;
        let d = dashboard(&r, &opts).unwrap();
        let (period, previous) = (opts.period, opts.previous_period().unwrap());
        prop_assert_eq!(&d.top_by_gmv, &top_performers(&r, period, Metric::Gmv, opts.top));
        prop_assert_eq!(&d.top_by_items_sold, &top_performers(&r, period, Metric::ItemsSold, opts.top));
        prop_assert_eq!(&d.top_by_orders, &top_performers(&r, period, Metric::Orders, opts.top));
        prop_assert_eq!(&d.trending, &trending(&r, previous, period, Metric::Gmv));
        prop_assert_eq!(&d.videos_by_creator, &video_performance(&r));
        prop_assert_eq!(&d.products, &product_performance(&r));
        prop_assert_eq!(&d.conversion_by_creator, &sample_conversion(&r, within));
        prop_assert_eq!(&d.conversion_by_product, &sample_conversion_by_product(&r, within));
        prop_assert_eq!(&d.conversion_overall, &sample_conversion_overall(&r, within));
    }
}
