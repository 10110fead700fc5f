//! Node bindings of `creator_crm::analytics`: the dashboard's tables over a merge.
//!
//! Every call takes the `MergeResult` object a merge returned (`mergeExports`,
//! `mergeRows`, `Merger.result` and their `…Async` forms): the object carries the core
//! result it was built from, so the analytics read the merge itself, not the JavaScript
//! rows. Rows are built from core's table definitions like the merge's tables (keys
//! camelCased, see `tableColumns`); rates are numbers, money is a decimal string. Days are
//! `YYYY-MM-DD` strings.

use std::sync::Arc;

use creator_crm::{
    Error,
    analytics::{self as core, DashboardOptions as CoreDashboardOptions, Metric, Period as Days},
    export,
    import::values,
    merge,
};
use napi::{
    Env,
    bindgen_prelude::{AsyncTask, Object},
};
use napi_derive::napi;
use serde_json::Value;

use crate::{
    errors::to_napi_error,
    merge::{CoreTask, ToJs, held},
    table,
};

/// A range of days: from `start` (inclusive) to `end` (exclusive), each `YYYY-MM-DD`.
#[napi(object)]
pub struct Period {
    /// The first day.
    pub start: String,
    /// The day after the last day.
    pub end: String,
}

impl Period {
    fn to_core(&self) -> creator_crm::Result<Days> {
        Days::new(
            values::parse_date(&self.start, "period")?,
            values::parse_date(&self.end, "period")?,
        )
    }

    fn of(p: Days) -> Self {
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        Period {
            start: day(p.start()),
            end: day(p.end()),
        }
    }
}

/// The metric core names `name` (`gmv`, `items_sold`, `orders`).
fn metric(name: Option<&str>) -> creator_crm::Result<Metric> {
    let Some(name) = name else {
        return Ok(Metric::Gmv);
    };
    [Metric::Gmv, Metric::ItemsSold, Metric::Orders]
        .into_iter()
        .find(|m| m.as_str() == name)
        .ok_or_else(|| Error::invalid("metric", "expected gmv, items_sold or orders"))
}

/// Options of the sample-conversion calls.
#[napi(object)]
pub struct ConversionOptions {
    /// Days after a sample's anchor day (delivered, else shipped, else created) within
    /// which a video converts it, inclusive (default 30).
    pub within_days: Option<u32>,
}

fn within_days(options: Option<ConversionOptions>) -> u32 {
    options
        .and_then(|o| o.within_days)
        .unwrap_or(core::DEFAULT_WITHIN_DAYS)
}

/// Sample → video conversion per creator: one row per creator with samples (cancelled
/// orders are not samples), by handle. A sample converts when its creator posts a video
/// on a day from its anchor day (delivered, else shipped, else created) to `withinDays`
/// days after it.
///
/// Throws an `InvalidInputError` (`field: "result"`) for an object that is not a merge
/// result.
///
/// ```js
/// sampleConversion(mergeExports(sources), { withinDays: 14 })[0] // { tiktokUsername, samples, converted, rate }
/// ```
#[napi(
    catch_unwind,
    ts_args_type = "result: MergeResult, options?: ConversionOptions | undefined | null",
    ts_return_type = "Array<CreatorConversion>"
)]
pub fn sample_conversion(
    env: &Env,
    result: Object<'_>,
    options: Option<ConversionOptions>,
) -> napi::Result<Value> {
    let r = held(env, &result)?;
    Ok(table::table(&core::sample_conversion(
        &r,
        within_days(options),
    )))
}

/// Sample → video conversion per product name (as the sample export names products):
/// most samples first, then by name, rows without a name last.
#[napi(
    catch_unwind,
    ts_args_type = "result: MergeResult, options?: ConversionOptions | undefined | null",
    ts_return_type = "Array<ProductConversion>"
)]
pub fn sample_conversion_by_product(
    env: &Env,
    result: Object<'_>,
    options: Option<ConversionOptions>,
) -> napi::Result<Value> {
    let r = held(env, &result)?;
    Ok(table::table(&core::sample_conversion_by_product(
        &r,
        within_days(options),
    )))
}

/// Sample → video conversion over all samples, with the counts every rate is computed
/// from, the undated samples and the cancelled orders.
#[napi(
    catch_unwind,
    ts_args_type = "result: MergeResult, options?: ConversionOptions | undefined | null",
    ts_return_type = "ConversionOverall"
)]
pub fn sample_conversion_overall(
    env: &Env,
    result: Object<'_>,
    options: Option<ConversionOptions>,
) -> napi::Result<Value> {
    let r = held(env, &result)?;
    Ok(table::row(&core::sample_conversion_overall(
        &r,
        within_days(options),
    )))
}

/// Options of `topPerformers`.
#[napi(object)]
pub struct TopOptions {
    /// What creators are ranked by (default `"gmv"`).
    #[napi(ts_type = "Metric")]
    pub metric: Option<String>,
    /// How many creators to list (default 10).
    pub limit: Option<u32>,
}

/// The creators with the highest `metric` over the videos they posted in `period`
/// (creators without a video in it are not listed); ties by GMV, items sold, orders,
/// then handle.
///
/// Throws an `InvalidInputError` naming `period` or `metric` for a bad one.
#[napi(
    catch_unwind,
    ts_args_type = "result: MergeResult, period: Period, options?: TopOptions | undefined | null",
    ts_return_type = "Array<Performer>"
)]
pub fn top_performers(
    env: &Env,
    result: Object<'_>,
    period: Period,
    options: Option<TopOptions>,
) -> napi::Result<Value> {
    let r = held(env, &result)?;
    let run = || -> creator_crm::Result<Value> {
        let (m, limit) = match &options {
            Some(o) => (metric(o.metric.as_deref())?, o.limit.unwrap_or(10)),
            None => (Metric::Gmv, 10),
        };
        Ok(table::table(&core::top_performers(
            &r,
            period.to_core()?,
            m,
            limit as usize,
        )))
    };
    run().map_err(|e| to_napi_error(env, &e))
}

/// Each creator's `metric` (default `"gmv"`) in `previous` and in `current`, largest
/// change first; `growth` is relative to `previous` (`null` when that is zero).
#[napi(
    catch_unwind,
    ts_args_type = "result: MergeResult, previous: Period, current: Period, metric?: Metric | undefined | null",
    ts_return_type = "Array<CreatorTrend>"
)]
pub fn trending(
    env: &Env,
    result: Object<'_>,
    previous: Period,
    current: Period,
    metric_name: Option<String>,
) -> napi::Result<Value> {
    let r = held(env, &result)?;
    let run = || -> creator_crm::Result<Value> {
        Ok(table::table(&core::trending(
            &r,
            previous.to_core()?,
            current.to_core()?,
            metric(metric_name.as_deref())?,
        )))
    };
    run().map_err(|e| to_napi_error(env, &e))
}

/// Video totals and rates per creator over all their videos; highest GMV first.
#[napi(
    catch_unwind,
    ts_args_type = "result: MergeResult",
    ts_return_type = "Array<CreatorVideoPerformance>"
)]
pub fn video_performance(env: &Env, result: Object<'_>) -> napi::Result<Value> {
    let r = held(env, &result)?;
    Ok(table::table(&core::video_performance(&r)))
}

/// Product analytics joined with the videos linked to each product; highest GMV first
/// (products without analytics last).
#[napi(
    catch_unwind,
    ts_args_type = "result: MergeResult",
    ts_return_type = "Array<ProductPerformance>"
)]
pub fn product_performance(env: &Env, result: Object<'_>) -> napi::Result<Value> {
    let r = held(env, &result)?;
    Ok(table::table(&core::product_performance(&r)))
}

/// What `dashboard` computes its tables over.
#[napi(object, js_name = "DashboardOptions")]
pub struct DashboardOptionsJs {
    /// The period of the top-performer tables and the later period of the trend.
    pub period: Period,
    /// The earlier period of the trend (default: as many days right before `period`).
    pub previous: Option<Period>,
    /// How many creators each top-performer table lists (default 10).
    pub top: Option<u32>,
    /// The sample → video conversion window in days (default 30).
    pub within_days: Option<u32>,
}

impl DashboardOptionsJs {
    fn to_core(&self) -> creator_crm::Result<CoreDashboardOptions> {
        let mut o = CoreDashboardOptions::new(self.period.to_core()?);
        if let Some(p) = &self.previous {
            o.previous = Some(p.to_core()?);
        }
        if let Some(top) = self.top {
            o.top = top as usize;
        }
        if let Some(days) = self.within_days {
            o.within_days = days;
        }
        Ok(o)
    }
}

/// Every table of the dashboard.
#[napi(object, object_from_js = false)]
pub struct Dashboard {
    /// The period of the top-performer tables.
    pub period: Period,
    /// The earlier period of `trending`.
    pub previous: Period,
    /// Top creators by GMV in `period`.
    #[napi(ts_type = "Array<Performer>")]
    pub top_by_gmv: Value,
    /// Top creators by items sold in `period`.
    #[napi(ts_type = "Array<Performer>")]
    pub top_by_items_sold: Value,
    /// Top creators by orders in `period`.
    #[napi(ts_type = "Array<Performer>")]
    pub top_by_orders: Value,
    /// GMV change from `previous` to `period` per creator.
    #[napi(ts_type = "Array<CreatorTrend>")]
    pub trending: Value,
    /// Video performance by creator (all videos).
    #[napi(ts_type = "Array<CreatorVideoPerformance>")]
    pub videos_by_creator: Value,
    /// Product performance.
    #[napi(ts_type = "Array<ProductPerformance>")]
    pub products: Value,
    /// Sample → video conversion per creator.
    #[napi(ts_type = "Array<CreatorConversion>")]
    pub conversion_by_creator: Value,
    /// Sample → video conversion per product name.
    #[napi(ts_type = "Array<ProductConversion>")]
    pub conversion_by_product: Value,
    /// Sample → video conversion overall.
    #[napi(ts_type = "ConversionOverall")]
    pub conversion_overall: Value,
}

impl From<&core::Dashboard> for Dashboard {
    fn from(d: &core::Dashboard) -> Self {
        Dashboard {
            period: Period::of(d.period),
            previous: Period::of(d.previous),
            top_by_gmv: table::table(&d.top_by_gmv),
            top_by_items_sold: table::table(&d.top_by_items_sold),
            top_by_orders: table::table(&d.top_by_orders),
            trending: table::table(&d.trending),
            videos_by_creator: table::table(&d.videos_by_creator),
            products: table::table(&d.products),
            conversion_by_creator: table::table(&d.conversion_by_creator),
            conversion_by_product: table::table(&d.conversion_by_product),
            conversion_overall: table::row(&d.conversion_overall),
        }
    }
}

/// Built on the worker thread.
impl ToJs for Dashboard {
    type Js<'env> = Dashboard;
    fn to_js(self, _env: &Env) -> napi::Result<Dashboard> {
        Ok(self)
    }
}

fn compute(r: &merge::MergeResult, o: &CoreDashboardOptions) -> creator_crm::Result<Dashboard> {
    core::dashboard(r, o).map(|d| Dashboard::from(&d))
}

/// Every table of the dashboard from one call: the same tables as `topPerformers`
/// (by GMV, items sold and orders), `trending` (GMV), `videoPerformance`,
/// `productPerformance` and the three conversion calls.
///
/// Throws an `InvalidInputError` (`field: "period"`) for a bad period, or when no
/// `previous` is given and the one before `period` falls outside the calendar.
///
/// ```js
/// const d = dashboard(result, { period: { start: '2025-06-01', end: '2025-07-01' } })
/// d.topByGmv[0].tiktokUsername
/// ```
#[napi(
    catch_unwind,
    ts_args_type = "result: MergeResult, options: DashboardOptions"
)]
pub fn dashboard(
    env: &Env,
    result: Object<'_>,
    options: DashboardOptionsJs,
) -> napi::Result<Dashboard> {
    let r = held(env, &result)?;
    options
        .to_core()
        .and_then(|o| compute(&r, &o))
        .map_err(|e| to_napi_error(env, &e))
}

/// `dashboard` off the JavaScript thread (the arguments are read first, so a bad
/// argument still throws synchronously).
#[napi(
    catch_unwind,
    ts_args_type = "result: MergeResult, options: DashboardOptions",
    ts_return_type = "Promise<Dashboard>"
)]
pub fn dashboard_async(
    env: &Env,
    result: Object<'_>,
    options: DashboardOptionsJs,
) -> napi::Result<AsyncTask<CoreTask<Dashboard>>> {
    let r: Arc<merge::MergeResult> = held(env, &result)?;
    let o = options.to_core().map_err(|e| to_napi_error(env, &e))?;
    Ok(AsyncTask::new(CoreTask::new(move || compute(&r, &o))))
}

/// Every table of the dashboard as CSV that is safe to open in a spreadsheet, under the
/// keys of `dashboard`'s tables. Each is a header of core's column names
/// (`tableColumns(...).map((c) => c.name)`, snake_case: the same file in every language)
/// and one record per row; a text cell that a spreadsheet would run as a formula (`=`,
/// `+`, `-`, `@`, tab, carriage return first) is written with a leading `'`.
#[napi(object, object_from_js = false)]
pub struct DashboardCsv {
    /// `topByGmv` as CSV.
    pub top_by_gmv: String,
    /// `topByItemsSold` as CSV.
    pub top_by_items_sold: String,
    /// `topByOrders` as CSV.
    pub top_by_orders: String,
    /// `trending` as CSV.
    pub trending: String,
    /// `videosByCreator` as CSV.
    pub videos_by_creator: String,
    /// `products` as CSV.
    pub products: String,
    /// `conversionByCreator` as CSV.
    pub conversion_by_creator: String,
    /// `conversionByProduct` as CSV.
    pub conversion_by_product: String,
    /// `conversionOverall` as CSV (one row).
    pub conversion_overall: String,
}

/// Built on the worker thread.
impl ToJs for DashboardCsv {
    type Js<'env> = DashboardCsv;
    fn to_js(self, _env: &Env) -> napi::Result<DashboardCsv> {
        Ok(self)
    }
}

fn compute_csv(
    r: &merge::MergeResult,
    o: &CoreDashboardOptions,
) -> creator_crm::Result<DashboardCsv> {
    let d = core::dashboard(r, o)?;
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

/// The tables of `dashboard(result, options)` as formula-safe CSV, one string per table.
///
/// Throws what `dashboard` throws.
///
/// ```js
/// const csv = dashboardCsv(result, { period: { start: '2025-06-01', end: '2025-07-01' } })
/// fs.writeFileSync('top_by_gmv.csv', csv.topByGmv)
/// ```
#[napi(
    catch_unwind,
    ts_args_type = "result: MergeResult, options: DashboardOptions"
)]
pub fn dashboard_csv(
    env: &Env,
    result: Object<'_>,
    options: DashboardOptionsJs,
) -> napi::Result<DashboardCsv> {
    let r = held(env, &result)?;
    options
        .to_core()
        .and_then(|o| compute_csv(&r, &o))
        .map_err(|e| to_napi_error(env, &e))
}

/// `dashboardCsv` off the JavaScript thread.
#[napi(
    catch_unwind,
    ts_args_type = "result: MergeResult, options: DashboardOptions",
    ts_return_type = "Promise<DashboardCsv>"
)]
pub fn dashboard_csv_async(
    env: &Env,
    result: Object<'_>,
    options: DashboardOptionsJs,
) -> napi::Result<AsyncTask<CoreTask<DashboardCsv>>> {
    let r: Arc<merge::MergeResult> = held(env, &result)?;
    let o = options.to_core().map_err(|e| to_napi_error(env, &e))?;
    Ok(AsyncTask::new(CoreTask::new(move || compute_csv(&r, &o))))
}
