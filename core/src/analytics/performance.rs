//! Top performers, trending, video performance by creator and product performance.
//!
//! All four read the merged videos (and for products the product analytics and the
//! video-product links). A missing metric on a video counts as zero in sums; a video without
//! a post date belongs to no period (it still counts in [`video_performance`]).

use std::cmp::Ordering;

use ahash::{AHashMap, AHashSet};
use rust_decimal::Decimal;

use super::{Period, facts::Facts, ratio};
use crate::{
    identity::Handle,
    merge::{MergeResult, Video},
};

/// What creators are ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Gross merchandise value of the videos.
    Gmv,
    /// Affiliate items sold.
    ItemsSold,
    /// Affiliate orders.
    Orders,
}

impl Metric {
    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Metric::Gmv => "gmv",
            Metric::ItemsSold => "items_sold",
            Metric::Orders => "orders",
        }
    }
}

/// Video totals of one creator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Totals {
    videos: u64,
    gmv: Decimal,
    items_sold: u64,
    orders: u64,
    impressions: u64,
    likes: u64,
    comments: u64,
}

impl Totals {
    fn add(&mut self, v: &Video) {
        self.videos += 1;
        self.gmv += v.gmv.unwrap_or_default();
        self.items_sold += v.items_sold.unwrap_or(0);
        self.orders += v.orders.unwrap_or(0);
        self.impressions += v.impressions.unwrap_or(0);
        self.likes += v.likes.unwrap_or(0);
        self.comments += v.comments.unwrap_or(0);
    }

    fn value(&self, metric: Metric) -> Decimal {
        match metric {
            Metric::Gmv => self.gmv,
            Metric::ItemsSold => Decimal::from(self.items_sold),
            Metric::Orders => Decimal::from(self.orders),
        }
    }
}

/// Per-creator totals, indexed by creator number (a creator without videos has
/// `videos == 0`).
fn totals_by_creator(facts: &Facts<'_>, keep: impl Fn(&Video) -> bool) -> Vec<Totals> {
    let mut by = vec![Totals::default(); facts.creators()];
    for (v, &c) in facts.result.videos.iter().zip(&facts.video_creator) {
        if keep(v) {
            by[c as usize].add(v);
        }
    }
    by
}

/// The numbers of the creators with videos in `totals`.
fn with_videos(totals: &[Totals]) -> impl Iterator<Item = u32> + '_ {
    (0u32..)
        .zip(totals)
        .filter(|(_, t)| t.videos > 0)
        .map(|(c, _)| c)
}

/// Per-creator totals of the videos posted in `period`, computed once for every table of
/// that period.
pub(crate) struct PeriodTotals(Vec<Totals>);

impl PeriodTotals {
    /// Totals of the videos of `facts` posted in `period`.
    pub(crate) fn of(facts: &Facts<'_>, period: Period) -> Self {
        PeriodTotals(totals_by_creator(facts, |v| {
            v.posted_at.is_some_and(|at| period.contains(at))
        }))
    }
}

/// One creator in [`top_performers`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Performer {
    /// 1-based place in the ranking.
    pub rank: u32,
    /// The creator.
    pub tiktok_username: Handle,
    /// GMV of the creator's videos posted in the period.
    pub gmv: Decimal,
    /// Items sold through them.
    pub items_sold: u64,
    /// Orders through them.
    pub orders: u64,
    /// How many videos the creator posted in the period.
    pub videos: u64,
}

/// The `limit` creators with the highest `metric` over the videos they posted in `period`.
///
/// Creators with no video in the period are not listed. Ties are broken by GMV, then items
/// sold, then orders (all descending), then by handle, so the ranking is the same for any
/// order of the input.
///
/// ```
/// # use creator_crm::analytics::{top_performers, Metric, Period};
/// # use creator_crm::merge::MergeResult;
/// # fn show(result: &MergeResult, june: Period) {
/// for p in top_performers(result, june, Metric::Gmv, 10) {
///     println!("{} {} {}", p.rank, p.tiktok_username.as_str(), p.gmv);
/// }
/// # }
/// ```
pub fn top_performers(
    result: &MergeResult,
    period: Period,
    metric: Metric,
    limit: usize,
) -> Vec<Performer> {
    let facts = Facts::of(result, false);
    top_of(&facts, &PeriodTotals::of(&facts, period), metric, limit)
}

/// [`top_performers`] of computed totals.
pub(crate) fn top_of(
    facts: &Facts<'_>,
    totals: &PeriodTotals,
    metric: Metric,
    limit: usize,
) -> Vec<Performer> {
    let totals = &totals.0;
    let order = |x: &u32, y: &u32| {
        let (a, b) = (&totals[*x as usize], &totals[*y as usize]);
        b.value(metric)
            .cmp(&a.value(metric))
            .then(b.gmv.cmp(&a.gmv))
            .then(b.items_sold.cmp(&a.items_sold))
            .then(b.orders.cmp(&a.orders))
            .then_with(|| facts.handle(*x).cmp(facts.handle(*y)))
    };
    let mut rows: Vec<u32> = with_videos(totals).collect();
    // The order is total (the handles differ), so the first `limit` are well defined.
    if limit < rows.len() {
        rows.select_nth_unstable_by(limit, order);
        rows.truncate(limit);
    }
    rows.sort_unstable_by(order);
    rows.into_iter()
        .zip(1u32..)
        .map(|(c, rank)| (c, &totals[c as usize], rank))
        .map(|(c, t, rank)| Performer {
            rank,
            tiktok_username: facts.handle(c).clone(),
            gmv: t.gmv,
            items_sold: t.items_sold,
            orders: t.orders,
            videos: t.videos,
        })
        .collect()
}

/// One creator in [`trending`]: a metric in two periods and its growth.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Trend {
    /// The creator.
    pub tiktok_username: Handle,
    /// The metric compared.
    pub metric: Metric,
    /// Its value in the earlier period: the base of `growth`.
    pub previous: Decimal,
    /// Its value in the later period.
    pub current: Decimal,
    /// `current - previous`.
    pub change: Decimal,
    /// `change / previous` as a ratio (0.5 is +50 %); `None` when the base is zero.
    pub growth: Option<f64>,
    /// Videos the creator posted in the earlier period.
    pub previous_videos: u64,
    /// Videos the creator posted in the later period.
    pub current_videos: u64,
}

/// Each creator's `metric` in `previous` and in `current`, largest change first.
///
/// Every creator with a video in either period is listed. Rows are ordered by `change`
/// (descending), then by handle. `growth` is relative to the earlier period's value, which
/// the row carries as `previous`; a creator new in the later period has no growth rate
/// (`None`), only a change.
pub fn trending(
    result: &MergeResult,
    previous: Period,
    current: Period,
    metric: Metric,
) -> Vec<Trend> {
    let facts = Facts::of(result, false);
    trend_of(
        &facts,
        &PeriodTotals::of(&facts, previous),
        &PeriodTotals::of(&facts, current),
        metric,
    )
}

/// [`trending`] of computed totals.
pub(crate) fn trend_of(
    facts: &Facts<'_>,
    previous: &PeriodTotals,
    current: &PeriodTotals,
    metric: Metric,
) -> Vec<Trend> {
    let mut rows: Vec<Trend> = previous
        .0
        .iter()
        .zip(&current.0)
        .zip(0u32..)
        .filter(|((b, a), _)| b.videos > 0 || a.videos > 0)
        .map(|((b, a), n)| {
            let (p, c) = (b.value(metric), a.value(metric));
            let change = c - p;
            Trend {
                tiktok_username: facts.handle(n).clone(),
                metric,
                previous: p,
                current: c,
                change,
                growth: decimal_ratio(change, p),
                previous_videos: b.videos,
                current_videos: a.videos,
            }
        })
        .collect();
    rows.sort_by(|x, y| {
        y.change
            .cmp(&x.change)
            .then_with(|| x.tiktok_username.cmp(&y.tiktok_username))
    });
    rows
}

/// `part / whole` as `f64`, `None` when `whole` is zero.
fn decimal_ratio(part: Decimal, whole: Decimal) -> Option<f64> {
    use rust_decimal::prelude::ToPrimitive;
    if whole.is_zero() {
        return None;
    }
    part.checked_div(whole).and_then(|d| d.to_f64())
}

/// One creator's videos in [`video_performance`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CreatorVideoPerformance {
    /// The creator.
    pub tiktok_username: Handle,
    /// Number of videos.
    pub videos: u64,
    /// Their GMV.
    pub gmv: Decimal,
    /// Items sold.
    pub items_sold: u64,
    /// Orders.
    pub orders: u64,
    /// Shoppable video impressions.
    pub impressions: u64,
    /// Likes.
    pub likes: u64,
    /// Comments.
    pub comments: u64,
    /// `gmv / videos`, rounded to cents (half to even).
    pub gmv_per_video: Decimal,
    /// `(likes + comments) / impressions`; `None` without impressions.
    pub engagement_rate: Option<f64>,
    /// `orders / impressions`; `None` without impressions.
    pub order_rate: Option<f64>,
}

/// Video totals and rates per creator, over all of the creator's videos; highest GMV first,
/// then by handle.
pub fn video_performance(result: &MergeResult) -> Vec<CreatorVideoPerformance> {
    video_performance_of(&Facts::of(result, false))
}

/// [`video_performance`] of numbered creators.
pub(crate) fn video_performance_of(facts: &Facts<'_>) -> Vec<CreatorVideoPerformance> {
    let by = totals_by_creator(facts, |_| true);
    let mut rows: Vec<CreatorVideoPerformance> = with_videos(&by)
        .map(|c| (facts.handle(c), &by[c as usize]))
        .map(|(h, t)| CreatorVideoPerformance {
            tiktok_username: h.clone(),
            videos: t.videos,
            gmv: t.gmv,
            items_sold: t.items_sold,
            orders: t.orders,
            impressions: t.impressions,
            likes: t.likes,
            comments: t.comments,
            gmv_per_video: (t.gmv / Decimal::from(t.videos.max(1))).round_dp(2),
            engagement_rate: ratio(t.likes + t.comments, t.impressions),
            order_rate: ratio(t.orders, t.impressions),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.gmv
            .cmp(&a.gmv)
            .then_with(|| a.tiktok_username.cmp(&b.tiktok_username))
    });
    rows
}

/// One product in [`product_performance`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProductPerformance {
    /// Product id.
    pub product_id: String,
    /// Name from product analytics.
    pub name: Option<String>,
    /// GMV from product analytics.
    pub gmv: Option<Decimal>,
    /// Items sold from product analytics.
    pub items_sold: Option<u64>,
    /// Orders from product analytics.
    pub orders: Option<u64>,
    /// Videos linked to the product.
    pub videos: u64,
    /// Distinct creators of those videos.
    pub creators: u64,
    /// GMV of those videos (a video linked to several products counts for each).
    pub video_gmv: Decimal,
}

/// Compares ids numerically when both are all digits, else as text.
pub(crate) fn id_cmp(a: &str, b: &str) -> Ordering {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if digits(a) && digits(b) {
        let (ta, tb) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
        ta.len()
            .cmp(&tb.len())
            .then_with(|| ta.cmp(tb))
            .then_with(|| a.cmp(b))
    } else {
        a.cmp(b)
    }
}

/// Product analytics joined with the videos linked to each product.
///
/// Lists every product of product analytics and every product id a video links to. Ordered by
/// GMV (descending; products without analytics last), then video GMV (descending), then
/// product id (numeric ids in numeric order).
pub fn product_performance(result: &MergeResult) -> Vec<ProductPerformance> {
    product_performance_of(&Facts::of(result, false))
}

/// [`product_performance`] of numbered creators.
pub(crate) fn product_performance_of(facts: &Facts<'_>) -> Vec<ProductPerformance> {
    let result = facts.result;
    let mut videos: AHashMap<&str, usize> = AHashMap::with_capacity(result.videos.len());
    videos.extend(
        result
            .videos
            .iter()
            .enumerate()
            .map(|(i, v)| (v.video_id.as_str(), i)),
    );
    struct Linked {
        videos: u64,
        creators: AHashSet<u32>,
        gmv: Decimal,
    }
    let mut linked: AHashMap<&str, Linked> = AHashMap::new();
    for l in &result.video_products {
        let entry = linked
            .entry(l.product_id.as_str())
            .or_insert_with(|| Linked {
                videos: 0,
                creators: AHashSet::new(),
                gmv: Decimal::ZERO,
            });
        entry.videos += 1;
        if let Some(&i) = videos.get(l.video_id.as_str()) {
            entry.creators.insert(facts.video_creator[i]);
            entry.gmv += result.videos[i].gmv.unwrap_or_default();
        }
    }
    let mut rows: Vec<ProductPerformance> = Vec::with_capacity(result.products.len());
    for p in &result.products {
        let l = linked.remove(p.product_id.as_str());
        rows.push(ProductPerformance {
            product_id: p.product_id.clone(),
            name: p.name.clone(),
            gmv: p.gmv,
            items_sold: p.items_sold,
            orders: p.orders,
            videos: l.as_ref().map_or(0, |l| l.videos),
            creators: l.as_ref().map_or(0, |l| l.creators.len() as u64),
            video_gmv: l.map_or(Decimal::ZERO, |l| l.gmv),
        });
    }
    for (id, l) in linked {
        rows.push(ProductPerformance {
            product_id: id.to_owned(),
            name: None,
            gmv: None,
            items_sold: None,
            orders: None,
            videos: l.videos,
            creators: l.creators.len() as u64,
            video_gmv: l.gmv,
        });
    }
    rows.sort_by(|a, b| {
        // `None` sorts below every amount, so descending puts it last.
        b.gmv
            .cmp(&a.gmv)
            .then(b.video_gmv.cmp(&a.video_gmv))
            .then_with(|| id_cmp(&a.product_id, &b.product_id))
    });
    rows
}
