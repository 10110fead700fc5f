//! Sample → video conversion.
//!
//! The rule: a free sample **converts** when its creator posts a video on a day from the
//! sample's anchor day to `within_days` days after it, inclusive. The anchor is the
//! delivered time, else the shipped time, else the created time. Days are compared as
//! calendar days, because video exports give only a post date. Orders whose status says
//! cancelled (`Cancelled`, `canceled`, any case) are not samples and are counted nowhere
//! but in [`ConversionOverall::cancelled`]. A sample without any time has no anchor: it
//! counts as a sample and never converts ([`ConversionOverall::undated`] counts them).
//!
//! Any video of the creator converts the sample, whatever product it shows: the sample
//! export names products by text while videos link product ids, so the two cannot be joined
//! reliably. Per-product conversion is therefore grouped by the sample's product name.
//!
//! Every rate is `converted / samples` as an `f64` in `[0, 1]`, with both counts beside it.

use ahash::{AHashMap, AHashSet};
use chrono::{Days, NaiveDate};

use super::{facts::Facts, ratio};
use crate::{
    identity::Handle,
    merge::{MergeResult, Sample},
};

/// The default conversion window: 30 days.
pub const DEFAULT_WITHIN_DAYS: u32 = 30;

/// Whether an order status means the order was cancelled.
fn is_cancelled(status: Option<&str>) -> bool {
    status.is_some_and(|s| {
        s.trim_start()
            .get(..6)
            .is_some_and(|p| p.eq_ignore_ascii_case("cancel"))
    })
}

/// The day a sample's conversion window starts.
fn anchor(s: &Sample) -> Option<NaiveDate> {
    s.delivered_at
        .or(s.shipped_at)
        .or(s.created_at)
        .map(|t| t.date())
}

/// Each sample that is not cancelled, with whether it converted.
struct Outcome<'a> {
    sample: &'a Sample,
    /// The creator's number in the [`Facts`].
    creator: u32,
    dated: bool,
    converted: bool,
}

/// The rule applied to every sample of a merge, once: the dashboard's three conversion
/// tables aggregate the same outcomes.
pub(crate) struct Outcomes<'a> {
    list: Vec<Outcome<'a>>,
    /// How many creators the facts numbered (the size of per-creator tallies).
    creators: usize,
    cancelled: u64,
    within_days: u32,
}

impl<'a> Outcomes<'a> {
    /// Applies the rule to every sample of `facts` (numbered with their samples).
    pub(crate) fn of(facts: &Facts<'a>, within_days: u32) -> Self {
        // Each creator's post days, sorted: (creator, day) pairs in order, and where each
        // creator's run starts.
        let mut posts: Vec<(u32, NaiveDate)> = facts
            .result
            .videos
            .iter()
            .zip(&facts.video_creator)
            .filter_map(|(v, &c)| v.posted_at.map(|at| (c, at.date())))
            .collect();
        posts.sort_unstable();
        let mut starts = vec![0usize; facts.creators() + 1];
        for &(c, _) in &posts {
            starts[c as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let days_of = |c: u32| &posts[starts[c as usize]..starts[c as usize + 1]];

        let mut cancelled = 0;
        let mut list = Vec::with_capacity(facts.result.samples.len());
        for (s, &creator) in facts.result.samples.iter().zip(&facts.sample_creator) {
            if is_cancelled(s.status.as_deref()) {
                cancelled += 1;
                continue;
            }
            let start = anchor(s);
            let converted = start.is_some_and(|start| {
                let end = start
                    .checked_add_days(Days::new(u64::from(within_days)))
                    .unwrap_or(NaiveDate::MAX);
                let days = days_of(creator);
                let i = days.partition_point(|(_, d)| *d < start);
                days.get(i).is_some_and(|(_, d)| *d <= end)
            });
            list.push(Outcome {
                sample: s,
                creator,
                dated: start.is_some(),
                converted,
            });
        }
        Outcomes {
            list,
            creators: facts.creators(),
            cancelled,
            within_days,
        }
    }
}

/// Sample conversion of one creator: the contract's `tiktok_username, samples, converted, rate`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CreatorConversion {
    /// The creator.
    pub tiktok_username: Handle,
    /// Samples the creator received (cancelled orders excluded).
    pub samples: u64,
    /// How many of them converted.
    pub converted: u64,
    /// `converted / samples`, in `[0, 1]`.
    pub rate: f64,
}

/// Sample → video conversion per creator, one row per creator with samples, by handle.
///
/// ```
/// # use creator_crm::analytics::{sample_conversion, DEFAULT_WITHIN_DAYS};
/// # use creator_crm::merge::MergeResult;
/// # fn show(result: &MergeResult) {
/// for row in sample_conversion(result, DEFAULT_WITHIN_DAYS) {
///     println!("{}: {} of {}", row.tiktok_username.as_str(), row.converted, row.samples);
/// }
/// # }
/// ```
pub fn sample_conversion(result: &MergeResult, within_days: u32) -> Vec<CreatorConversion> {
    let facts = Facts::of(result, true);
    by_creator(&facts, &Outcomes::of(&facts, within_days))
}

/// [`sample_conversion`] of computed outcomes.
pub(crate) fn by_creator(facts: &Facts<'_>, outcomes: &Outcomes<'_>) -> Vec<CreatorConversion> {
    let mut by = vec![(0u64, 0u64); outcomes.creators];
    for o in &outcomes.list {
        let e = &mut by[o.creator as usize];
        e.0 += 1;
        e.1 += u64::from(o.converted);
    }
    let mut rows: Vec<CreatorConversion> = (0u32..)
        .zip(by)
        .filter(|(_, (samples, _))| *samples > 0)
        .map(|(c, (samples, converted))| CreatorConversion {
            tiktok_username: facts.handle(c).clone(),
            samples,
            converted,
            rate: ratio(converted, samples).unwrap_or(0.0),
        })
        .collect();
    rows.sort_by(|a, b| a.tiktok_username.cmp(&b.tiktok_username));
    rows
}

/// Sample conversion of one product (by the sample export's product name).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProductConversion {
    /// Product name as the sample export gives it (`None` when the row has none).
    pub product_name: Option<String>,
    /// Samples of it sent (cancelled orders excluded).
    pub samples: u64,
    /// How many converted.
    pub converted: u64,
    /// `converted / samples`, in `[0, 1]`.
    pub rate: f64,
    /// Distinct creators who received it.
    pub creators: u64,
    /// Distinct creators with at least one converted sample of it.
    pub converted_creators: u64,
}

/// Sample → video conversion per product name: most samples first, then by name (rows
/// without a name last).
pub fn sample_conversion_by_product(
    result: &MergeResult,
    within_days: u32,
) -> Vec<ProductConversion> {
    let facts = Facts::of(result, true);
    by_product(&Outcomes::of(&facts, within_days))
}

/// [`sample_conversion_by_product`] of computed outcomes.
pub(crate) fn by_product(outcomes: &Outcomes<'_>) -> Vec<ProductConversion> {
    struct Acc {
        samples: u64,
        converted: u64,
        creators: AHashSet<u32>,
        converted_creators: AHashSet<u32>,
    }
    let mut by: AHashMap<Option<&str>, Acc> = AHashMap::new();
    for o in &outcomes.list {
        let e = by
            .entry(o.sample.product_name.as_deref())
            .or_insert_with(|| Acc {
                samples: 0,
                converted: 0,
                creators: AHashSet::new(),
                converted_creators: AHashSet::new(),
            });
        e.samples += 1;
        e.creators.insert(o.creator);
        if o.converted {
            e.converted += 1;
            e.converted_creators.insert(o.creator);
        }
    }
    let mut rows: Vec<ProductConversion> = by
        .into_iter()
        .map(|(name, a)| ProductConversion {
            product_name: name.map(str::to_owned),
            samples: a.samples,
            converted: a.converted,
            rate: ratio(a.converted, a.samples).unwrap_or(0.0),
            creators: a.creators.len() as u64,
            converted_creators: a.converted_creators.len() as u64,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.samples
            .cmp(&a.samples)
            .then_with(|| match (&a.product_name, &b.product_name) {
                (Some(x), Some(y)) => x.cmp(y),
                (x, y) => y.is_some().cmp(&x.is_some()),
            })
    });
    rows
}

/// Sample → video conversion over all samples.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConversionOverall {
    /// The window used, in days.
    pub within_days: u32,
    /// Samples (cancelled orders excluded).
    pub samples: u64,
    /// Samples that converted.
    pub converted: u64,
    /// `converted / samples`; `None` when there are no samples.
    pub rate: Option<f64>,
    /// Samples without any time, which cannot convert (included in `samples`).
    pub undated: u64,
    /// Cancelled orders, left out of every other count.
    pub cancelled: u64,
    /// Distinct creators with samples.
    pub creators: u64,
    /// Distinct creators with at least one converted sample.
    pub converted_creators: u64,
    /// `converted_creators / creators`; `None` when there are no creators with samples.
    pub creator_rate: Option<f64>,
}

/// Sample → video conversion over all samples, with the counts of creators.
pub fn sample_conversion_overall(result: &MergeResult, within_days: u32) -> ConversionOverall {
    overall(&Outcomes::of(&Facts::of(result, true), within_days))
}

/// [`sample_conversion_overall`] of computed outcomes.
pub(crate) fn overall(outcomes: &Outcomes<'_>) -> ConversionOverall {
    // Per creator: 1 with samples, 2 with a converted one.
    let mut seen = vec![0u8; outcomes.creators];
    let (mut converted, mut undated) = (0u64, 0u64);
    for o in &outcomes.list {
        undated += u64::from(!o.dated);
        converted += u64::from(o.converted);
        let s = &mut seen[o.creator as usize];
        *s = (*s).max(if o.converted { 2 } else { 1 });
    }
    let samples = outcomes.list.len() as u64;
    let c = seen.iter().filter(|&&s| s > 0).count() as u64;
    let cc = seen.iter().filter(|&&s| s == 2).count() as u64;
    ConversionOverall {
        within_days: outcomes.within_days,
        samples,
        converted,
        rate: ratio(converted, samples),
        undated,
        cancelled: outcomes.cancelled,
        creators: c,
        converted_creators: cc,
        creator_rate: ratio(cc, c),
    }
}
