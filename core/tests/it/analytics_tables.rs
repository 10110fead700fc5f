//! The dashboard tables on small hand-computed merges, and the formula-safe CSV export.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use creator_crm::{
    analytics::{
        Metric, Period, product_performance, sample_conversion, sample_conversion_by_product,
        sample_conversion_overall, top_performers, trending, video_performance,
    },
    export::write_csv,
    identity::Handle,
    import::SourceKind,
    merge::{MergeResult, Product, Provenance, Sample, Video, VideoProduct},
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn prov(kind: SourceKind) -> Provenance {
    Provenance {
        source: kind,
        file: Arc::from("test.csv"),
        line: 2,
        observed_at: None,
    }
}

pub(crate) fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).unwrap()
}

pub(crate) fn at(m: u32, d: u32) -> NaiveDateTime {
    day(m, d).and_hms_opt(15, 30, 0).unwrap()
}

pub(crate) fn h(s: &str) -> Handle {
    Handle::parse(s).unwrap()
}

/// A sample: `(order id, creator, product, status, created, shipped, delivered)`.
pub(crate) fn sample(
    order: &str,
    handle: &str,
    product: Option<&str>,
    status: &str,
    times: [Option<NaiveDateTime>; 3],
) -> Sample {
    Sample {
        order_id: order.to_owned(),
        sku_id: "1".to_owned(),
        handle: h(handle),
        product_name: product.map(str::to_owned),
        variation: None,
        quantity: Some(1),
        status: Some(status.to_owned()),
        created_at: times[0],
        shipped_at: times[1],
        delivered_at: times[2],
        provenance: prov(SourceKind::SampleOrders),
    }
}

/// A video: id, creator, post day, GMV, items sold, orders, impressions, likes, comments.
#[allow(clippy::too_many_arguments)]
pub(crate) fn video(
    id: &str,
    handle: &str,
    posted: Option<NaiveDate>,
    gmv: Decimal,
    items: u64,
    orders: u64,
    impressions: Option<u64>,
    likes: u64,
    comments: u64,
) -> Video {
    Video {
        video_id: id.to_owned(),
        handle: h(handle),
        name: None,
        posted_at: posted.map(|d| d.and_hms_opt(0, 0, 0).unwrap()),
        gmv: Some(gmv),
        items_sold: Some(items),
        orders: Some(orders),
        impressions,
        likes: Some(likes),
        comments: Some(comments),
        ctr: None,
        commission: None,
        provenance: prov(SourceKind::Videos),
    }
}

fn result(samples: Vec<Sample>, videos: Vec<Video>) -> MergeResult {
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

/// The videos of the hand-computed cases.
fn videos() -> Vec<Video> {
    vec![
        video(
            "1",
            "ana",
            Some(day(3, 10)),
            dec!(100.50),
            10,
            8,
            Some(1000),
            50,
            10,
        ),
        video(
            "2",
            "ana",
            Some(day(5, 1)),
            dec!(20.00),
            2,
            2,
            Some(500),
            5,
            0,
        ),
        video("3", "cat", Some(day(4, 1)), dec!(120.50), 3, 3, None, 7, 0),
        video("4", "cat", Some(day(5, 3)), dec!(0.50), 20, 1, None, 0, 0),
        video("5", "dan", None, dec!(999), 1, 1, Some(10), 0, 0),
        video(
            "6",
            "eve",
            Some(day(3, 15)),
            dec!(100.50),
            10,
            8,
            Some(100),
            1,
            1,
        ),
        video(
            "7",
            "fay",
            Some(day(5, 20)),
            dec!(10),
            1,
            1,
            Some(100),
            0,
            0,
        ),
    ]
}

/// The samples of the hand-computed cases (see `conversion_by_hand`).
fn samples() -> Vec<Sample> {
    vec![
        // Delivered 03-01, video 03-10: converts.
        sample(
            "1",
            "ana",
            Some("Serum"),
            "Delivered",
            [Some(at(2, 20)), Some(at(2, 25)), Some(at(3, 1))],
        ),
        // Delivered 03-11 is the anchor (a video 5 days after shipping does not count);
        // the next video is 51 days later: no.
        sample(
            "2",
            "ana",
            Some("Serum"),
            "Completed",
            [Some(at(3, 1)), Some(at(3, 5)), Some(at(3, 11))],
        ),
        // Shipped 04-01, not delivered: video 05-01 is day 30, inclusive: converts.
        sample(
            "3",
            "ana",
            Some("Cream"),
            "Shipped",
            [Some(at(3, 30)), Some(at(4, 1)), None],
        ),
        // Cancelled: not a sample.
        sample(
            "4",
            "ana",
            Some("Serum"),
            "Cancelled",
            [Some(at(2, 20)), None, Some(at(3, 1))],
        ),
        // Created only, and bob posts nothing: no.
        sample(
            "5",
            "bob",
            Some("Serum"),
            "Awaiting shipment",
            [Some(at(1, 1)), None, None],
        ),
        // No time at all: a sample that cannot convert.
        sample("6", "bob", None, "Awaiting shipment", [None, None, None]),
        // Created 04-02: cat's video of 04-01 is before, the one of 05-03 is day 31: no.
        sample("7", "cat", Some("Cream"), "canceled ", [None, None, None]),
        sample(
            "8",
            "cat",
            Some("Cream"),
            "Awaiting shipment",
            [Some(at(4, 2)), None, None],
        ),
    ]
}

#[test]
fn conversion_by_hand() {
    let r = result(samples(), videos());
    let rows: Vec<_> = sample_conversion(&r, 30)
        .into_iter()
        .map(|c| {
            (
                c.tiktok_username.as_str().to_owned(),
                c.samples,
                c.converted,
                c.rate,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("ana".to_owned(), 3, 2, 2.0 / 3.0),
            ("bob".to_owned(), 2, 0, 0.0),
            ("cat".to_owned(), 1, 0, 0.0),
        ]
    );
    let all = sample_conversion_overall(&r, 30);
    assert_eq!(
        (all.samples, all.converted, all.undated, all.cancelled),
        (6, 2, 1, 2)
    );
    assert_eq!((all.creators, all.converted_creators), (3, 1));
    assert_eq!(all.rate, Some(2.0 / 6.0));
    assert_eq!(all.creator_rate, Some(1.0 / 3.0));
    // One more day of window and cat's video of 05-03 counts.
    let wider = sample_conversion_overall(&r, 31);
    assert_eq!((wider.converted, wider.converted_creators), (3, 2));
    // A window of 0 days: only a video on the anchor day itself.
    assert_eq!(sample_conversion_overall(&r, 0).converted, 0);

    let products: Vec<_> = sample_conversion_by_product(&r, 30)
        .into_iter()
        .map(|p| {
            (
                p.product_name,
                p.samples,
                p.converted,
                p.creators,
                p.converted_creators,
            )
        })
        .collect();
    assert_eq!(
        products,
        [
            (Some("Serum".to_owned()), 3, 1, 2, 1),
            (Some("Cream".to_owned()), 2, 1, 2, 1),
            (None, 1, 0, 1, 0),
        ]
    );
}

#[test]
fn no_samples_no_rate() {
    let r = result(vec![], videos());
    assert!(sample_conversion(&r, 30).is_empty());
    let all = sample_conversion_overall(&r, 30);
    assert_eq!((all.samples, all.rate, all.creator_rate), (0, None, None));
}

#[test]
fn top_performers_by_hand() {
    let r = result(vec![], videos());
    let spring = Period::new(day(3, 1), day(5, 1)).unwrap();
    let top = |m, n| -> Vec<(u32, String, Decimal, u64)> {
        top_performers(&r, spring, m, n)
            .into_iter()
            .map(|p| {
                (
                    p.rank,
                    p.tiktok_username.as_str().to_owned(),
                    p.gmv,
                    p.items_sold,
                )
            })
            .collect()
    };
    // Video 2 (ana, 05-01) is outside; dan's video has no date; eve ties ana exactly and
    // comes after by handle.
    assert_eq!(
        top(Metric::Gmv, 10),
        [
            (1, "cat".to_owned(), dec!(120.50), 3),
            (2, "ana".to_owned(), dec!(100.50), 10),
            (3, "eve".to_owned(), dec!(100.50), 10),
        ]
    );
    assert_eq!(
        top(Metric::ItemsSold, 2),
        [
            (1, "ana".to_owned(), dec!(100.50), 10),
            (2, "eve".to_owned(), dec!(100.50), 10),
        ]
    );
    let orders = top_performers(&r, spring, Metric::Orders, 1);
    assert_eq!(
        (
            orders[0].tiktok_username.as_str(),
            orders[0].orders,
            orders[0].videos
        ),
        ("ana", 8, 1)
    );
    assert!(top(Metric::Gmv, 0).is_empty());
}

/// Rounded to 12 decimals: growth is computed in `Decimal`, the expectation in `f64`.
fn r12(v: f64) -> f64 {
    (v * 1e12).round() / 1e12
}

#[test]
fn trending_by_hand() {
    let r = result(vec![], videos());
    let before = Period::new(day(3, 1), day(5, 1)).unwrap();
    let after = Period::new(day(5, 1), day(6, 1)).unwrap();
    let rows: Vec<_> = trending(&r, before, after, Metric::Gmv)
        .into_iter()
        .map(|t| {
            (
                t.tiktok_username.as_str().to_owned(),
                t.previous,
                t.current,
                t.change,
                t.growth.map(r12),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("fay".to_owned(), dec!(0), dec!(10), dec!(10), None),
            (
                "ana".to_owned(),
                dec!(100.50),
                dec!(20.00),
                dec!(-80.50),
                Some(r12(-80.5 / 100.5))
            ),
            (
                "eve".to_owned(),
                dec!(100.50),
                dec!(0),
                dec!(-100.50),
                Some(-1.0)
            ),
            (
                "cat".to_owned(),
                dec!(120.50),
                dec!(0.50),
                dec!(-120.00),
                Some(r12(-120.0 / 120.5))
            ),
        ]
    );
    let items = trending(&r, before, after, Metric::ItemsSold);
    let cat = items
        .iter()
        .find(|t| t.tiktok_username.as_str() == "cat")
        .unwrap();
    assert_eq!(
        (cat.previous, cat.current, cat.growth.map(r12)),
        (dec!(3), dec!(20), Some(r12(17.0 / 3.0)))
    );
    assert_eq!((cat.previous_videos, cat.current_videos), (1, 1));
}

#[test]
fn video_performance_by_hand() {
    let r = result(vec![], videos());
    let rows = video_performance(&r);
    let order: Vec<&str> = rows.iter().map(|v| v.tiktok_username.as_str()).collect();
    assert_eq!(order, ["dan", "cat", "ana", "eve", "fay"]);
    let ana = &rows[2];
    assert_eq!(
        (
            ana.videos,
            ana.gmv,
            ana.items_sold,
            ana.orders,
            ana.impressions,
            ana.likes,
            ana.comments
        ),
        (2, dec!(120.50), 12, 10, 1500, 55, 10)
    );
    assert_eq!(ana.gmv_per_video, dec!(60.25));
    assert_eq!(ana.engagement_rate, Some(65.0 / 1500.0));
    assert_eq!(ana.order_rate, Some(10.0 / 1500.0));
    // cat's videos report no impressions: no rate, not a zero rate.
    assert_eq!((rows[1].engagement_rate, rows[1].order_rate), (None, None));
    assert_eq!(rows[1].gmv_per_video, dec!(60.50));
}

#[test]
fn product_performance_by_hand() {
    let mut r = result(vec![], videos());
    let product = |id: &str, name: &str, gmv: Decimal| Product {
        product_id: id.to_owned(),
        name: Some(name.to_owned()),
        gmv: Some(gmv),
        items_sold: Some(7),
        orders: Some(5),
        provenance: prov(SourceKind::Products),
    };
    r.products = vec![
        product("10", "Cream", dec!(50)),
        product("9", "Serum", dec!(500)),
    ];
    let link = |v: &str, p: &str| VideoProduct {
        video_id: v.to_owned(),
        product_id: p.to_owned(),
    };
    r.video_products = vec![
        link("1", "9"),
        link("2", "9"),
        link("3", "9"),
        link("4", "77"),
        link("404", "77"),
    ];
    let rows: Vec<_> = product_performance(&r)
        .into_iter()
        .map(|p| (p.product_id, p.gmv, p.videos, p.creators, p.video_gmv))
        .collect();
    assert_eq!(
        rows,
        [
            ("9".to_owned(), Some(dec!(500)), 3, 2, dec!(241.00)),
            ("10".to_owned(), Some(dec!(50)), 0, 0, dec!(0)),
            // Linked from videos only (one link to a video the merge does not have).
            ("77".to_owned(), None, 2, 1, dec!(0.50)),
        ]
    );
}

#[test]
fn csv_export_is_formula_safe() {
    let mut s = samples();
    s[0].product_name = Some("=HYPERLINK(\"http://x\")".to_owned());
    let r = result(s, videos());
    let mut out = Vec::new();
    write_csv(&sample_conversion_by_product(&r, 30), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text,
        "product_name,samples,converted,rate,creators,converted_creators\n\
         Cream,2,1,0.5,2,1\n\
         Serum,2,0,0,2,0\n\
         \"'=HYPERLINK(\"\"http://x\"\")\",1,1,1,1,1\n\
         ,1,0,0,1,0\n"
    );
    // Negative numbers the library formats stay numbers.
    let before = Period::new(day(3, 1), day(5, 1)).unwrap();
    let after = Period::new(day(5, 1), day(6, 1)).unwrap();
    let mut out = Vec::new();
    write_csv(&trending(&r, before, after, Metric::Gmv), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("\neve,gmv,100.50,0,-100.50,-1,1,0\n"),
        "{text}"
    );
}

#[test]
fn periods_reject_a_backwards_range() {
    let e = Period::new(day(5, 1), day(4, 1)).unwrap_err();
    assert_eq!(e.field(), Some("period"));
    assert_eq!(Period::new(day(5, 1), day(5, 1)).unwrap().days(), 0);
}
