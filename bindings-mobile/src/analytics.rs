//! Mobile bindings of `creator_crm::analytics`: the dashboard's tables over a
//! [`MergeResult`] (top performers, trending, video and product performance, sample → video
//! conversion), each row a record declared from core's table definitions (`table.rs`).
//!
//! A [`MergeResult`] is an immutable merge, taken from a `Merger` with `Merger.finish()`:
//! every analytics call reads it without merging again.

use std::sync::Arc;

use creator_crm::{
    analytics::{self as core, Period as CorePeriod},
    export, merge,
};

use crate::{
    errors::CrmError,
    merge::{MergeOutcome, MergeReport},
    retention::{RfmSummary, day},
    table::table_record,
};

/// An immutable merge result that the analytics read: what `Merger.finish()` returns.
#[derive(uniffi::Object)]
pub struct MergeResult {
    inner: merge::MergeResult,
}

/// Counts only: the records hold personal data.
impl std::fmt::Debug for MergeResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MergeResult")
            .field("creators", &self.inner.creators.len())
            .field("samples", &self.inner.samples.len())
            .field("videos", &self.inner.videos.len())
            .finish_non_exhaustive()
    }
}

impl MergeResult {
    /// Wraps a core merge result.
    pub(crate) fn new(inner: merge::MergeResult) -> Arc<Self> {
        Arc::new(MergeResult { inner })
    }
}

#[uniffi::export]
impl MergeResult {
    /// Its tables and report as records (what `Merger.result()` gives).
    pub fn outcome(&self) -> MergeOutcome {
        MergeOutcome::from(&self.inner)
    }

    /// Its report.
    pub fn report(&self) -> MergeReport {
        MergeReport::from_row(&self.inner.report)
    }

    /// One of its tables as CSV that is safe to open in a spreadsheet: a header of core's
    /// column names, then one record per row, a text cell a spreadsheet would run as a
    /// formula written with a leading `'`. `table` is `creators`, `samples`, `videos`,
    /// `video_products`, `snapshots`, `brand_links`, `products`, `conflicts`, or the
    /// report's `files` and `rejected` rows.
    ///
    /// # Errors
    /// `InvalidInput` on field `table` for another name.
    #[uniffi::method(default(table = "creators"))]
    pub fn to_csv(&self, table: String) -> Result<String, CrmError> {
        Ok(export::to_csv_string(|out| {
            export::write_merge_table(&self.inner, &table, out)
        })?)
    }
}

/// The days from `start` (inclusive) to `end` (exclusive), each `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Period {
    /// The first day, `YYYY-MM-DD`.
    pub start: String,
    /// The day after the last day, `YYYY-MM-DD`.
    pub end: String,
}

impl TryFrom<&Period> for CorePeriod {
    type Error = CrmError;

    fn try_from(p: &Period) -> Result<Self, CrmError> {
        Ok(CorePeriod::new(
            day(&p.start, "period")?,
            day(&p.end, "period")?,
        )?)
    }
}

impl From<CorePeriod> for Period {
    fn from(p: CorePeriod) -> Self {
        Period {
            start: p.start().to_string(),
            end: p.end().to_string(),
        }
    }
}

/// What creators are ranked or compared by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Metric {
    /// Gross merchandise value of the videos.
    Gmv,
    /// Affiliate items sold.
    ItemsSold,
    /// Affiliate orders.
    Orders,
}

impl From<Metric> for core::Metric {
    fn from(m: Metric) -> Self {
        match m {
            Metric::Gmv => core::Metric::Gmv,
            Metric::ItemsSold => core::Metric::ItemsSold,
            Metric::Orders => core::Metric::Orders,
        }
    }
}

table_record! {
    /// A creator in a ranking (core's `top_performers` table).
    #[derive(Debug, Clone, PartialEq, uniffi::Record)]
    pub struct Performer from core::Performer {
        /// 1-based place in the ranking.
        pub rank: u64,
        /// The creator.
        pub tiktok_username: String,
        /// GMV of the creator's videos posted in the period (exact decimal text).
        pub gmv: String,
        /// Items sold through them.
        pub items_sold: u64,
        /// Orders through them.
        pub orders: u64,
        /// Videos the creator posted in the period.
        pub videos: u64,
    }
}

table_record! {
    /// A creator's change between two periods (core's `trending` table).
    #[derive(Debug, Clone, PartialEq, uniffi::Record)]
    pub struct CreatorTrend from core::Trend {
        /// The creator.
        pub tiktok_username: String,
        /// The metric compared: `gmv`, `items_sold` or `orders`.
        pub metric: String,
        /// Its value in the earlier period, the base of `growth` (exact decimal text).
        pub previous: String,
        /// Its value in the later period (exact decimal text).
        pub current: String,
        /// `current - previous`, negative when it fell (exact decimal text).
        pub change: String,
        /// `change / previous` (0.5 is +50 %); `None` when `previous` is zero.
        pub growth: Option<f64>,
        /// Videos posted in the earlier period.
        pub previous_videos: u64,
        /// Videos posted in the later period.
        pub current_videos: u64,
    }
}

table_record! {
    /// Video totals and rates of one creator (core's `video_performance` table).
    #[derive(Debug, Clone, PartialEq, uniffi::Record)]
    pub struct CreatorVideoPerformance from core::CreatorVideoPerformance {
        /// The creator.
        pub tiktok_username: String,
        /// Number of videos.
        pub videos: u64,
        /// Their GMV (exact decimal text).
        pub gmv: String,
        /// Affiliate items sold.
        pub items_sold: u64,
        /// Affiliate orders.
        pub orders: u64,
        /// Shoppable video impressions.
        pub impressions: u64,
        /// Likes.
        pub likes: u64,
        /// Comments.
        pub comments: u64,
        /// `gmv / videos`, rounded to cents, half to even (exact decimal text).
        pub gmv_per_video: String,
        /// `(likes + comments) / impressions`; `None` without impressions.
        pub engagement_rate: Option<f64>,
        /// `orders / impressions`; `None` without impressions.
        pub order_rate: Option<f64>,
    }
}

table_record! {
    /// Product analytics joined with the videos linked to the product (core's
    /// `product_performance` table).
    #[derive(Debug, Clone, PartialEq, uniffi::Record)]
    pub struct ProductPerformance from core::ProductPerformance {
        /// Product id.
        pub product_id: String,
        /// Name from product analytics.
        pub name: Option<String>,
        /// GMV from product analytics (exact decimal text).
        pub gmv: Option<String>,
        /// Items sold from product analytics.
        pub items_sold: Option<u64>,
        /// Orders from product analytics.
        pub orders: Option<u64>,
        /// Videos linked to the product.
        pub videos: u64,
        /// Distinct creators of those videos.
        pub creators: u64,
        /// GMV of those videos; a video linked to several products counts for each (exact
        /// decimal text).
        pub video_gmv: String,
    }
}

table_record! {
    /// Sample → video conversion of one creator (core's `sample_conversion` table).
    #[derive(Debug, Clone, PartialEq, uniffi::Record)]
    pub struct CreatorConversion from core::CreatorConversion {
        /// The creator.
        pub tiktok_username: String,
        /// Samples the creator received (cancelled orders excluded).
        pub samples: u64,
        /// Samples followed by a video within the window.
        pub converted: u64,
        /// `converted / samples`, in `[0, 1]`.
        pub rate: f64,
    }
}

table_record! {
    /// Sample → video conversion of one product name (core's `sample_conversion_by_product`
    /// table).
    #[derive(Debug, Clone, PartialEq, uniffi::Record)]
    pub struct ProductConversion from core::ProductConversion {
        /// Product name as the sample export gives it.
        pub product_name: Option<String>,
        /// Samples of it sent (cancelled orders excluded).
        pub samples: u64,
        /// How many converted.
        pub converted: u64,
        /// `converted / samples`, in `[0, 1]`.
        pub rate: f64,
        /// Distinct creators who received it.
        pub creators: u64,
        /// Distinct creators with a converted sample of it.
        pub converted_creators: u64,
    }
}

table_record! {
    /// Sample → video conversion overall (core's `sample_conversion_overall` table).
    #[derive(Debug, Clone, PartialEq, uniffi::Record)]
    pub struct ConversionOverall from core::ConversionOverall {
        /// The conversion window, in days.
        pub within_days: u64,
        /// Samples (cancelled orders excluded).
        pub samples: u64,
        /// Samples that converted.
        pub converted: u64,
        /// `converted / samples`; `None` without samples.
        pub rate: Option<f64>,
        /// Samples without any time, which cannot convert (included in `samples`).
        pub undated: u64,
        /// Cancelled orders, left out of every other count.
        pub cancelled: u64,
        /// Distinct creators with samples.
        pub creators: u64,
        /// Distinct creators with a converted sample.
        pub converted_creators: u64,
        /// `converted_creators / creators`; `None` without creators.
        pub creator_rate: Option<f64>,
    }
}

fn rows<R, T>(rows: &[R], f: impl Fn(&R) -> T) -> Vec<T> {
    rows.iter().map(f).collect()
}

/// Sample → video conversion per creator, one row per creator with samples, by handle. A
/// sample converts when its creator posts a video from the sample's delivered day (else
/// shipped, else created) to `within_days` days after it.
#[uniffi::export(default(within_days = 30))]
pub fn sample_conversion(result: Arc<MergeResult>, within_days: u32) -> Vec<CreatorConversion> {
    rows(
        &core::sample_conversion(&result.inner, within_days),
        CreatorConversion::from_row,
    )
}

/// Sample → video conversion per product name: most samples first, then by name (rows
/// without a name last).
#[uniffi::export(default(within_days = 30))]
pub fn sample_conversion_by_product(
    result: Arc<MergeResult>,
    within_days: u32,
) -> Vec<ProductConversion> {
    rows(
        &core::sample_conversion_by_product(&result.inner, within_days),
        ProductConversion::from_row,
    )
}

/// Sample → video conversion over all samples, with the counts beside every rate.
#[uniffi::export(default(within_days = 30))]
pub fn sample_conversion_overall(result: Arc<MergeResult>, within_days: u32) -> ConversionOverall {
    ConversionOverall::from_row(&core::sample_conversion_overall(&result.inner, within_days))
}

/// The top `limit` creators by `metric` of the videos they posted in `period`; ties by
/// GMV, items sold, orders, then handle.
///
/// # Errors
/// `InvalidInput` on field `period` for a day that is not `YYYY-MM-DD` or a period that
/// ends before it starts.
#[uniffi::export(default(limit = 10))]
pub fn top_performers(
    result: Arc<MergeResult>,
    period: Period,
    metric: Metric,
    limit: u32,
) -> Result<Vec<Performer>, CrmError> {
    let period = CorePeriod::try_from(&period)?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(rows(
        &core::top_performers(&result.inner, period, metric.into(), limit),
        Performer::from_row,
    ))
}

/// Each creator's `metric` in `previous` and in `current`, largest change first, then by
/// handle.
///
/// # Errors
/// As [`top_performers`], for either period.
#[uniffi::export]
pub fn trending(
    result: Arc<MergeResult>,
    previous: Period,
    current: Period,
    metric: Metric,
) -> Result<Vec<CreatorTrend>, CrmError> {
    let previous = CorePeriod::try_from(&previous)?;
    let current = CorePeriod::try_from(&current)?;
    Ok(rows(
        &core::trending(&result.inner, previous, current, metric.into()),
        CreatorTrend::from_row,
    ))
}

/// Video totals and rates per creator, over all videos.
#[uniffi::export]
pub fn video_performance(result: Arc<MergeResult>) -> Vec<CreatorVideoPerformance> {
    rows(
        &core::video_performance(&result.inner),
        CreatorVideoPerformance::from_row,
    )
}

/// Product analytics joined with the videos linked to each product.
#[uniffi::export]
pub fn product_performance(result: Arc<MergeResult>) -> Vec<ProductPerformance> {
    rows(
        &core::product_performance(&result.inner),
        ProductPerformance::from_row,
    )
}

/// What [`dashboard`] computes its tables over.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DashboardOptions {
    /// The period of the top-performer tables and the later period of the trend.
    pub period: Period,
    /// The earlier period of the trend; `None`: as many days right before `period`.
    #[uniffi(default = None)]
    pub previous: Option<Period>,
    /// How many creators each top-performer table lists.
    #[uniffi(default = 10)]
    pub top: u32,
    /// The sample → video conversion window in days.
    #[uniffi(default = 30)]
    pub within_days: u32,
}

impl DashboardOptions {
    fn to_core(&self) -> Result<core::DashboardOptions, CrmError> {
        let mut o = core::DashboardOptions::new(CorePeriod::try_from(&self.period)?);
        o.previous = self
            .previous
            .as_ref()
            .map(CorePeriod::try_from)
            .transpose()?;
        // A u32 always fits a usize on the 32- and 64-bit targets uniffi builds for.
        o.top = self.top as usize;
        o.within_days = self.within_days;
        Ok(o)
    }
}

/// Every table of the dashboard.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Dashboard {
    /// The period of the top-performer tables.
    pub period: Period,
    /// The earlier period of `trending`.
    pub previous: Period,
    /// Top creators by GMV in `period`.
    pub top_by_gmv: Vec<Performer>,
    /// Top creators by items sold in `period`.
    pub top_by_items_sold: Vec<Performer>,
    /// Top creators by orders in `period`.
    pub top_by_orders: Vec<Performer>,
    /// GMV change from `previous` to `period` per creator.
    pub trending: Vec<CreatorTrend>,
    /// Video performance by creator (all videos).
    pub videos_by_creator: Vec<CreatorVideoPerformance>,
    /// Product performance.
    pub products: Vec<ProductPerformance>,
    /// Sample → video conversion per creator.
    pub conversion_by_creator: Vec<CreatorConversion>,
    /// Sample → video conversion per product name.
    pub conversion_by_product: Vec<ProductConversion>,
    /// Sample → video conversion overall.
    pub conversion_overall: ConversionOverall,
}

/// Every table of the dashboard for `result` in one call: the same tables as the function
/// of each.
///
/// # Errors
/// `InvalidInput` on field `period` for an invalid period, or when `previous` is `None` and
/// the period before `period` falls outside the calendar.
#[uniffi::export]
pub fn dashboard(
    result: Arc<MergeResult>,
    options: DashboardOptions,
) -> Result<Dashboard, CrmError> {
    let d = core::dashboard(&result.inner, &options.to_core()?)?;
    Ok(Dashboard {
        period: d.period.into(),
        previous: d.previous.into(),
        top_by_gmv: rows(&d.top_by_gmv, Performer::from_row),
        top_by_items_sold: rows(&d.top_by_items_sold, Performer::from_row),
        top_by_orders: rows(&d.top_by_orders, Performer::from_row),
        trending: rows(&d.trending, CreatorTrend::from_row),
        videos_by_creator: rows(&d.videos_by_creator, CreatorVideoPerformance::from_row),
        products: rows(&d.products, ProductPerformance::from_row),
        conversion_by_creator: rows(&d.conversion_by_creator, CreatorConversion::from_row),
        conversion_by_product: rows(&d.conversion_by_product, ProductConversion::from_row),
        conversion_overall: ConversionOverall::from_row(&d.conversion_overall),
    })
}

/// Every table of the dashboard as CSV that is safe to open in a spreadsheet, one string
/// per table of [`Dashboard`]: a header of core's column names (snake_case: the same file
/// in every language), then one record per row; a text cell that a spreadsheet would run
/// as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is written with a
/// leading `'`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DashboardCsv {
    /// `top_by_gmv` as CSV.
    pub top_by_gmv: String,
    /// `top_by_items_sold` as CSV.
    pub top_by_items_sold: String,
    /// `top_by_orders` as CSV.
    pub top_by_orders: String,
    /// `trending` as CSV.
    pub trending: String,
    /// `videos_by_creator` as CSV.
    pub videos_by_creator: String,
    /// `products` as CSV.
    pub products: String,
    /// `conversion_by_creator` as CSV.
    pub conversion_by_creator: String,
    /// `conversion_by_product` as CSV.
    pub conversion_by_product: String,
    /// `conversion_overall` as CSV (one row).
    pub conversion_overall: String,
}

/// The tables of [`dashboard`] as formula-safe CSV.
///
/// # Errors
/// What [`dashboard`] returns.
#[uniffi::export]
pub fn dashboard_csv(
    result: Arc<MergeResult>,
    options: DashboardOptions,
) -> Result<DashboardCsv, CrmError> {
    let d = core::dashboard(&result.inner, &options.to_core()?)?;
    // In the order of `export::DASHBOARD_TABLES`, the order of the fields.
    let [
        top_by_gmv,
        top_by_items_sold,
        top_by_orders,
        trending,
        videos_by_creator,
        products,
        conversion_by_creator,
        conversion_by_product,
        conversion_overall,
    ] = export::dashboard_csv(&d)?.map(|(_, text)| text);
    Ok(DashboardCsv {
        top_by_gmv,
        top_by_items_sold,
        top_by_orders,
        trending,
        videos_by_creator,
        products,
        conversion_by_creator,
        conversion_by_product,
        conversion_overall,
    })
}

/// A creator's posting summary (in days), for a BG/NBD of creators' posting.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PostingSummary {
    /// The creator.
    pub tiktok_username: String,
    /// Their summary: repeat post days, days from the first post day to the last, days
    /// from the first to `until`.
    pub summary: RfmSummary,
}

/// Each creator's posting summary from the merged videos' post days, observed until
/// `until` (`YYYY-MM-DD`), by handle; creators without a dated video on or before `until`
/// are left out.
///
/// # Errors
/// `InvalidInput` on field `date` when `until` is not `YYYY-MM-DD`.
#[uniffi::export]
pub fn posting_summaries(
    result: Arc<MergeResult>,
    until: String,
) -> Result<Vec<PostingSummary>, CrmError> {
    let until = day(&until, "date")?;
    Ok(core::retention::posting_summaries(&result.inner, until)
        .into_iter()
        .map(|(h, s)| PostingSummary {
            tiktok_username: h.as_str().to_owned(),
            summary: s.into(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_has_its_tables_columns_in_order() {
        let checks: [(&str, Vec<String>); 7] = [
            ("top_performers", Performer::mismatches()),
            ("trending", CreatorTrend::mismatches()),
            ("video_performance", CreatorVideoPerformance::mismatches()),
            ("product_performance", ProductPerformance::mismatches()),
            ("sample_conversion", CreatorConversion::mismatches()),
            (
                "sample_conversion_by_product",
                ProductConversion::mismatches(),
            ),
            ("sample_conversion_overall", ConversionOverall::mismatches()),
        ];
        for (table, mismatches) in checks {
            assert!(mismatches.is_empty(), "{table}: {mismatches:?}");
        }
    }
}
